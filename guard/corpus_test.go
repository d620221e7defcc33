package guard

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/faasguard/faasguard/guard/internal/corpus"
)

var (
	updateRatchet = flag.Bool("update-ratchet", false, "rewrite testdata/ratchet.json from the measured figures")
	corpusReport  = flag.String("corpus-report", "", "write the detection and false-positive tables (markdown) to this file")
	corpusFull    = flag.Bool("corpus-full", false, "measure every path_traversal payload, not every 10th")
)

// sampleEvery thins the path_traversal class (10,036 dotdotpwn-dominated
// lines) to keep the default test fast; -corpus-full measures all of it.
const sampleEvery = 10

// A shape embeds a payload into a trigger's event the way the corpus
// README prescribes, so that the value the function decodes equals the
// payload.
type shape struct {
	name     string
	trigger  string
	template string                            // benign/ file
	set      func(ev map[string]any, p string) // places p
	jsonOnly bool                              // only for payloads that parse as JSON
}

func pct(p string) string { return strings.ReplaceAll(url.QueryEscape(p), "+", "%20") }

func b64(p string) string { return base64.StdEncoding.EncodeToString([]byte(p)) }

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func comment(p string) string { return jsonText(map[string]any{"comment": p}) }

func snsNotification(msg string) string {
	return jsonText(map[string]any{"Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
		"TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Subject": "order", "Message": msg,
		"Timestamp": "2024-01-01T00:00:00.000Z", "SignatureVersion": "1"})
}

// at walks to the object at a dotted path ("Records.0.s3.object"), creating objects.
func at(ev map[string]any, path string) map[string]any {
	var cur any = ev
	for _, k := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[k]
			if !ok || next == nil {
				next = map[string]any{}
				c[k] = next
			}
			cur = next
		case []any:
			i, _ := strconv.Atoi(k)
			cur = c[i]
		}
	}
	return cur.(map[string]any)
}

func v2Shapes(prefix, trigger, tmpl string) []shape {
	return []shape{
		{prefix + "/body", trigger, tmpl, func(ev map[string]any, p string) { ev["body"] = p }, false},
		{prefix + "/query", trigger, tmpl, func(ev map[string]any, p string) {
			ev["rawQueryString"] = "q=" + pct(p)
			ev["queryStringParameters"] = map[string]any{"q": p}
		}, false},
		{prefix + "/header", trigger, tmpl, func(ev map[string]any, p string) { at(ev, "headers")["x-comment"] = p }, false},
		{prefix + "/path", trigger, tmpl, func(ev map[string]any, p string) {
			ev["rawPath"] = "/items/" + pct(p)
			ev["pathParameters"] = map[string]any{"proxy": p}
		}, false},
		{prefix + "/cookie", trigger, tmpl, func(ev map[string]any, p string) { ev["cookies"] = []any{"c=" + pct(p)} }, false},
	}
}

func shapes() []shape {
	v1 := "alg-apigw-request.json"
	alb := "alg-alb-lambda-target-request-headers-only.json"
	s := []shape{
		{"apigw-v1/body", "apigw-v1", v1, func(ev map[string]any, p string) { ev["body"] = p }, false},
		{"apigw-v1/body-base64", "apigw-v1", v1, func(ev map[string]any, p string) { ev["body"] = b64(p); ev["isBase64Encoded"] = true }, false},
		{"apigw-v1/query", "apigw-v1", v1, func(ev map[string]any, p string) {
			at(ev, "queryStringParameters")["q"] = p
			at(ev, "multiValueQueryStringParameters")["q"] = []any{p}
		}, false},
		{"apigw-v1/header", "apigw-v1", v1, func(ev map[string]any, p string) {
			at(ev, "headers")["X-Comment"] = p
			at(ev, "multiValueHeaders")["X-Comment"] = []any{p}
		}, false},
		{"apigw-v1/path", "apigw-v1", v1, func(ev map[string]any, p string) {
			ev["pathParameters"] = map[string]any{"proxy": p}
			ev["path"] = "/items/" + pct(p)
		}, false},
	}
	s = append(s, v2Shapes("apigw-v2", "apigw-v2", "alg-apigw-v2-request-no-authorizer.json")...)
	s = append(s,
		shape{"alb/body", "alb", alb, func(ev map[string]any, p string) { ev["body"] = p }, false},
		shape{"alb/query", "alb", alb, func(ev map[string]any, p string) { at(ev, "queryStringParameters")["q"] = pct(p) }, false},
		shape{"alb/header", "alb", alb, func(ev map[string]any, p string) { at(ev, "headers")["x-comment"] = p }, false},
	)
	s = append(s, v2Shapes("function-url", "function-url", "alg-lambda-urls-request.json")...)
	sqs, sns := "alg-sqs-event.json", "alg-sns-event.json"
	s = append(s,
		shape{"sqs/body", "sqs", sqs, func(ev map[string]any, p string) { at(ev, "Records.0")["body"] = p }, false},
		shape{"sqs/json-body", "sqs", sqs, func(ev map[string]any, p string) { at(ev, "Records.0")["body"] = comment(p) }, false},
		shape{"sns/message", "sns", sns, func(ev map[string]any, p string) { at(ev, "Records.0.Sns")["Message"] = p }, false},
		shape{"sns/json-message", "sns", sns, func(ev map[string]any, p string) { at(ev, "Records.0.Sns")["Message"] = comment(p) }, false},
		shape{"sns-in-sqs/message", "sqs", sqs, func(ev map[string]any, p string) { at(ev, "Records.0")["body"] = snsNotification(p) }, false},
		shape{"sns-in-sqs/json-message", "sqs", sqs, func(ev map[string]any, p string) {
			at(ev, "Records.0")["body"] = snsNotification(comment(p))
		}, false},
		shape{"s3/key", "s3", "alg-s3-event.json", func(ev map[string]any, p string) { at(ev, "Records.0.s3.object")["key"] = url.QueryEscape(p) }, false},
		shape{"dynamodb/S", "dynamodb", "alg-dynamodb-event.json", func(ev map[string]any, p string) {
			at(ev, "Records.0.dynamodb.NewImage")["comment"] = map[string]any{"S": p}
		}, false},
		shape{"dynamodb/M", "dynamodb", "alg-dynamodb-event.json", func(ev map[string]any, p string) {
			at(ev, "Records.0.dynamodb.NewImage")["comment"] = map[string]any{"M": map[string]any{"c": map[string]any{"S": p}}}
		}, false},
		shape{"dynamodb/L", "dynamodb", "alg-dynamodb-event.json", func(ev map[string]any, p string) {
			at(ev, "Records.0.dynamodb.NewImage")["comment"] = map[string]any{"L": []any{map[string]any{"S": p}}}
		}, false},
		shape{"kinesis/data", "kinesis", "alg-kinesis-event.json", func(ev map[string]any, p string) { at(ev, "Records.0.kinesis")["data"] = b64(p) }, false},
		shape{"kinesis/json-data", "kinesis", "alg-kinesis-event.json", func(ev map[string]any, p string) {
			at(ev, "Records.0.kinesis")["data"] = b64(comment(p))
		}, false},
		shape{"eventbridge/detail", "eventbridge", "alg-autoscaling-event-launch-successful.json", func(ev map[string]any, p string) {
			at(ev, "detail")["comment"] = p
		}, false},
		shape{"eventbridge/parsed-detail", "eventbridge", "alg-autoscaling-event-launch-successful.json", func(ev map[string]any, p string) {
			var v any
			json.Unmarshal([]byte(p), &v)
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					at(ev, "detail")[k] = x
				}
			} else {
				ev["detail"] = v
			}
		}, true},
		shape{"iot/message", "generic", "alg-iot-button-event.json", func(ev map[string]any, p string) { ev["comment"] = p }, false},
		shape{"kafka/value", "kafka", "alg-kafka-event.json", func(ev map[string]any, p string) {
			at(ev, "records.AWSKafkaTopic-0.0")["value"] = b64(p)
		}, false},
		shape{"kafka/header", "kafka", "alg-kafka-event.json", func(ev map[string]any, p string) {
			var bs []any
			for _, c := range []byte(p) {
				bs = append(bs, int(c))
			}
			at(ev, "records.AWSKafkaTopic-0.0")["headers"] = []any{map[string]any{"x-comment": bs}}
		}, false},
		shape{"cognito/user-attribute", "cognito", "alg-cognito-event-userpools-presignup.json", func(ev map[string]any, p string) {
			at(ev, "request.userAttributes")["name"] = p
		}, false},
	)
	return s
}

// builder makes events for one shape from its parsed template.
type builder struct {
	shape
	tmpl map[string]any
}

// clone deep-copies a decoded JSON value.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = clone(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = clone(e)
		}
		return a
	}
	return v
}

func (b *builder) build(p string) ([]byte, bool) {
	if b.jsonOnly && !json.Valid([]byte(p)) {
		return nil, false
	}
	ev := clone(b.tmpl).(map[string]any)
	b.set(ev, p)
	out, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return out, true
}

type tally struct{ n, hit int }

func (t tally) rate() float64 {
	if t.n == 0 {
		return 1
	}
	return float64(t.hit) / float64(t.n)
}

// Ratchet is testdata/ratchet.json: floors the measurement may not fall under.
type Ratchet struct {
	Note                string             `json:"note"`
	MinDetection        map[string]float64 `json:"min_detection"`       // per class, over all shapes
	MinShapeDetection   map[string]float64 `json:"min_shape_detection"` // per class, worst shape
	MaxEventFP          int                `json:"max_benign_event_false_positives"`
	MaxStringFP         int                `json:"max_benign_string_false_positives"`
	MaxStringShapeFPPct float64            `json:"max_benign_string_fp_rate"`
}

func floor3(x float64) float64 { return float64(int(x*1000)) / 1000 }

// TestCorpus measures detection per attack class and trigger shape, and
// false positives on benign events and strings, over ../shared/corpus/guard.
func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	attacks, err := corpus.Attacks(dir)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := New(Policy{}, WithEventsTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	var builders []*builder
	for _, s := range shapes() {
		b, err := os.ReadFile(filepath.Join(dir, "benign", s.template))
		if err != nil {
			t.Fatal(err)
		}
		var tmpl map[string]any
		if err := json.Unmarshal(b, &tmpl); err != nil {
			t.Fatalf("%s: %v", s.template, err)
		}
		builders = append(builders, &builder{shape: s, tmpl: tmpl})
	}

	// detection: every payload in every shape, on all CPUs
	type job struct {
		class string
		p     string
	}
	results := map[string]map[string]*tally{} // class -> shape -> tally
	missesByClass := map[string][]string{}
	var mu sync.Mutex
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	ctx := context.Background()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				local := map[string]tally{}
				var miss []string
				for _, b := range builders {
					ev, ok := b.build(j.p)
					if !ok {
						continue
					}
					v := eng.Inspect(ctx, ev)
					tl := local[b.name]
					tl.n++
					if v.Action != Allow {
						tl.hit++
					} else {
						miss = append(miss, b.name)
					}
					local[b.name] = tl
				}
				mu.Lock()
				if results[j.class] == nil {
					results[j.class] = map[string]*tally{}
				}
				for k, v := range local {
					tt := results[j.class][k]
					if tt == nil {
						tt = &tally{}
						results[j.class][k] = tt
					}
					tt.n += v.n
					tt.hit += v.hit
				}
				if len(miss) > 0 && len(missesByClass[j.class]) < 5 {
					missesByClass[j.class] = append(missesByClass[j.class], fmt.Sprintf("%.100q in %s", j.p, strings.Join(miss, ",")))
				}
				mu.Unlock()
			}
		}()
	}
	classes := make([]string, 0, len(attacks))
	for c := range attacks {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		if c == "path_traversal" && !*corpusFull {
			var thin []string
			for i, p := range attacks[c] {
				if i%sampleEvery == 0 {
					thin = append(thin, p)
				}
			}
			attacks[c] = thin
		}
		for _, p := range attacks[c] {
			jobs <- job{c, p}
		}
	}
	close(jobs)
	wg.Wait()

	// false positives: benign events unchanged, benign strings in every shape
	events, err := corpus.BenignEvents(dir)
	if err != nil {
		t.Fatal(err)
	}
	eventFP := 0
	for _, f := range events {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := eng.Inspect(ctx, b)
		if v.Action != Allow || len(v.Findings) > 0 {
			eventFP++
			t.Errorf("false positive on benign event %s: %s", filepath.Base(f), v.Summary())
		}
	}
	strs, err := corpus.Lines(filepath.Join(dir, "benign", "strings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	stringFP := 0
	shapeFP := map[string]*tally{}
	for _, b := range builders {
		shapeFP[b.name] = &tally{}
		for _, s := range strs {
			ev, ok := b.build(s)
			if !ok {
				continue
			}
			v := eng.Inspect(ctx, ev)
			shapeFP[b.name].n++
			if v.Action != Allow || len(v.Findings) > 0 {
				shapeFP[b.name].hit++
				stringFP++
				if stringFP <= 10 {
					t.Logf("benign string flagged in %s: %q: %s", b.name, s, v.Summary())
				}
			}
		}
	}

	// report
	var rep strings.Builder
	shapeNames := make([]string, 0, len(builders))
	for _, b := range builders {
		shapeNames = append(shapeNames, b.name)
	}
	fmt.Fprintf(&rep, "| class | payloads | detected (all shapes) | worst shape |\n|---|---:|---:|---|\n")
	got := Ratchet{MinDetection: map[string]float64{}, MinShapeDetection: map[string]float64{}}
	for _, c := range classes {
		var all tally
		worst, worstName := 2.0, ""
		for _, sn := range shapeNames {
			tt := results[c][sn]
			if tt == nil {
				continue
			}
			all.n += tt.n
			all.hit += tt.hit
			if tt.rate() < worst {
				worst, worstName = tt.rate(), sn
			}
		}
		got.MinDetection[c] = all.rate()
		got.MinShapeDetection[c] = worst
		fmt.Fprintf(&rep, "| %s | %d | %.1f%% | %s %.1f%% |\n", c, len(attacks[c]), 100*all.rate(), worstName, 100*worst)
	}
	fmt.Fprintf(&rep, "\n| shape | detection (all classes) | benign strings flagged |\n|---|---:|---:|\n")
	for _, sn := range shapeNames {
		var all tally
		for _, c := range classes {
			if tt := results[c][sn]; tt != nil {
				all.n += tt.n
				all.hit += tt.hit
			}
		}
		fp := shapeFP[sn]
		fmt.Fprintf(&rep, "| %s | %.2f%% (%d/%d) | %d/%d |\n", sn, 100*all.rate(), all.hit, all.n, fp.hit, fp.n)
	}
	fmt.Fprintf(&rep, "\nBenign events flagged: %d/%d. Benign strings flagged (all shapes): %d/%d.\n", eventFP, len(events), stringFP, len(strs)*len(builders))
	t.Log("\n" + rep.String())
	for c, m := range missesByClass {
		for _, s := range m {
			t.Logf("missed %s: %s", c, s)
		}
	}
	if *corpusReport != "" {
		if err := os.WriteFile(*corpusReport, []byte(rep.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// ratchet
	got.MaxEventFP = eventFP
	got.MaxStringFP = stringFP
	ratchetPath := filepath.Join("testdata", "ratchet.json")
	if *updateRatchet && !*corpusFull {
		for k, v := range got.MinDetection {
			got.MinDetection[k] = floor3(v)
		}
		for k, v := range got.MinShapeDetection {
			got.MinShapeDetection[k] = floor3(v)
		}
		got.Note = "floors for TestCorpus (peer split of ../shared/corpus/guard); raise them, never lower them without a reason in the commit message; regenerate with go test ./guard -run TestCorpus -update-ratchet"
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(ratchetPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if *corpusFull {
		return // the ratchet holds the default (sampled) measurement
	}
	b, err := os.ReadFile(ratchetPath)
	if err != nil {
		t.Fatalf("read ratchet: %v (create it with -update-ratchet)", err)
	}
	var want Ratchet
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", ratchetPath, err)
	}
	for c, min := range want.MinDetection {
		if got.MinDetection[c] < min {
			t.Errorf("ratchet: %s detection %.4f fell under %.4f", c, got.MinDetection[c], min)
		}
	}
	for c, min := range want.MinShapeDetection {
		if got.MinShapeDetection[c] < min {
			t.Errorf("ratchet: %s worst-shape detection %.4f fell under %.4f", c, got.MinShapeDetection[c], min)
		}
	}
	if eventFP > want.MaxEventFP {
		t.Errorf("ratchet: %d benign events flagged, at most %d allowed", eventFP, want.MaxEventFP)
	}
	if stringFP > want.MaxStringFP {
		t.Errorf("ratchet: %d benign strings flagged, at most %d allowed", stringFP, want.MaxStringFP)
	}
}
