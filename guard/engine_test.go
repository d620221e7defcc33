package guard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/faasguard/faasguard/guard/envelope"
)

func b64s(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func mustEngine(t testing.TB, p Policy) *Engine {
	t.Helper()
	e, err := New(p, WithEventsTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const apigwV1 = `{"resource":"/items/{proxy+}","path":"/items/%s","httpMethod":"POST",
 "headers":{"Accept-Encoding":"gzip, deflate","User-Agent":"%s","X-Comment":"%s"},
 "queryStringParameters":{"q":"%s"},"pathParameters":{"proxy":"%s"},
 "requestContext":{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","protocol":"HTTP/1.1","identity":{"sourceIp":"127.0.0.1"}},
 "body":"%s","isBase64Encoded":false}`

func v1(path, ua, hdr, q, body string) string {
	return fmt.Sprintf(apigwV1, path, ua, hdr, q, path, body)
}

func sqsEvent(bodies ...string) string {
	var recs []string
	for i, b := range bodies {
		bb, _ := json.Marshal(b)
		recs = append(recs, fmt.Sprintf(`{"messageId":"msg-%d","receiptHandle":"h","body":%s,"attributes":{"SentTimestamp":"1"},"messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q","awsRegion":"us-east-1"}`, i, bb))
	}
	return `{"Records":[` + strings.Join(recs, ",") + `]}`
}

func TestInspect(t *testing.T) {
	tests := []struct {
		name    string
		event   string
		trigger envelope.Trigger
		action  Action
		rule    string // a rule expected among the findings
		path    string // its path
	}{
		{"apigw benign", v1("abc", "Mozilla/5.0 (X11; Linux x86_64)", "hello", "shoes", `{\"name\":\"O'Brien\"}`), envelope.APIGatewayV1, Allow, "", ""},
		{"apigw sqli query", v1("abc", "curl", "x", "1' OR '1'='1", ""), envelope.APIGatewayV1, Block, "sqli.libinjection", "queryStringParameters.q"},
		{"apigw traversal path", v1("..%2F..%2Fetc%2Fpasswd", "curl", "x", "a", ""), envelope.APIGatewayV1, Block, "path_traversal.dotdot", "path"},
		{"apigw xss in json body", v1("a", "curl", "x", "a", `{\"c\":\"<img src=x onerror=alert(1)>\"}`), envelope.APIGatewayV1, Block, "xss.event_handler", "body#json.c"},
		{"apigw log4shell in user agent", v1("a", "${jndi:ldap://x.example/a}", "x", "a", ""), envelope.APIGatewayV1, Block, "jndi.lookup", "headers.User-Agent"},
		{"apigw sqli in user agent is not inspected", v1("a", "1' OR '1'='1", "x", "a", ""), envelope.APIGatewayV1, Allow, "", ""},
		{"sqs plain", sqsEvent("hello"), envelope.SQS, Allow, "", ""},
		{"sqs ssrf in json", sqsEvent(`{"url":"http://169.254.169.254/latest/meta-data/"}`), envelope.SQS, Block, "ssrf.metadata_path", "Records[0].body#json.url"},
		{"sqs partial batch", sqsEvent("fine", "; cat /etc/passwd", "also fine"), envelope.SQS, Partial, "cmdi.command", "Records[1].body"},
		{"s3 key url-encoded", `{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"..%2F..%2Fetc%2Fpasswd"}}}]}`, envelope.S3, Block, "path_traversal.dotdot", "Records[0].s3.object.key"},
		{"dynamodb typed", `{"Records":[{"eventSource":"aws:dynamodb","dynamodb":{"SequenceNumber":"111","NewImage":{"c":{"M":{"d":{"S":"{{7*7}}"}}}}}}]}`, envelope.DynamoDB, Block, "ssti.expression", "Records[0].dynamodb.NewImage.c.M.d.S"},
		{"kinesis base64", `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"sequenceNumber":"1","partitionKey":"p","data":"` + b64s(`{"__proto__":{"admin":true}}`) + `"}}]}`, envelope.Kinesis, Block, "proto_pollution.key", "Records[0].kinesis.data#base64#json.__proto__"},
		{"kinesis data that is not base64", `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"sequenceNumber":"1","data":"not base64 at all!"}}]}`, envelope.Kinesis, Allow, "", ""},
		{"eventbridge detail nosql", `{"version":"0","id":"1","detail-type":"x","source":"app","account":"1","time":"t","region":"r","resources":[],"detail":{"user":{"$ne":null}}}`, envelope.EventBridge, Block, "nosqli.operator_key", "detail.user.$ne"},
		{"cognito attribute", `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"r","userPoolId":"p","userName":"u","callerContext":{},"request":{"userAttributes":{"name":"<svg onload=alert(1)>"}},"response":{}}`, envelope.Cognito, Block, "xss.event_handler", "request.userAttributes.name"},
		{"generic deserialization", `{"session":"rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA=="}`, envelope.Generic, Block, "deserialization.java", "session"},
		{"envelope metadata is not inspected", `{"Records":[{"eventSource":"aws:sqs","messageId":"' OR 1=1 --","body":"ok","eventSourceARN":"arn:aws:sqs:x:1:../../etc/passwd"}]}`, envelope.SQS, Allow, "", ""},
		{"malformed", `{"a":`, envelope.Generic, Block, "malformed.json", ""},
		{"deep nesting", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), envelope.Generic, Block, "limits.depth", ""},
		{"invalid utf-8", "{\"c\":\"\xff\xfe<script>alert(1)</script>\"}", envelope.Generic, Block, "xss.script_tag", "c"},
	}
	eng := mustEngine(t, Policy{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := eng.Inspect(context.Background(), []byte(tt.event))
			if v.Action != tt.action {
				t.Fatalf("action %s, want %s: %s", v.Action, tt.action, v.Summary())
			}
			if tt.rule == "" && tt.action == Allow && len(v.Findings) > 0 {
				t.Fatalf("unexpected findings: %s", v.Summary())
			}
			if tt.action != Allow && tt.rule != "malformed.json" && !strings.HasPrefix(tt.rule, "limits") && v.Trigger != string(tt.trigger) {
				t.Errorf("trigger %s, want %s", v.Trigger, tt.trigger)
			}
			if tt.rule == "" {
				return
			}
			for _, f := range v.Findings {
				if f.Rule == tt.rule && (tt.path == "" || f.Path == tt.path) {
					return
				}
			}
			t.Errorf("no finding %s at %q: %s", tt.rule, tt.path, v.Summary())
		})
	}
}

func TestBatchModes(t *testing.T) {
	ev := []byte(sqsEvent("fine", "<script>alert(1)</script>"))
	v := mustEngine(t, Policy{}).Inspect(context.Background(), ev)
	if v.Action != Partial || len(v.ItemFailures) != 1 || v.ItemFailures[0] != "msg-1" || v.BatchMode != "quarantine" {
		t.Fatalf("quarantine verdict: %+v", v)
	}
	filtered, err := FilterRecords(ev, v.BlockedRecords)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(filtered, []byte("msg-1")) || !bytes.Contains(filtered, []byte("msg-0")) {
		t.Errorf("filtered event: %s", filtered)
	}
	merged, err := MergeItemFailures([]byte(`{"batchItemFailures":[{"itemIdentifier":"msg-7"}]}`), v.ItemFailures)
	if err != nil || !bytes.Contains(merged, []byte("msg-7")) || !bytes.Contains(merged, []byte("msg-1")) {
		t.Errorf("merged %s, %v", merged, err)
	}
	merged, err = MergeItemFailures([]byte("null"), v.ItemFailures)
	if err != nil || string(merged) != `{"batchItemFailures":[{"itemIdentifier":"msg-1"}]}` {
		t.Errorf("merged null: %s, %v", merged, err)
	}
	v = mustEngine(t, Policy{Batch: Drop}).Inspect(context.Background(), ev)
	if v.Action != Partial || len(v.ItemFailures) != 0 || len(v.BlockedRecords) != 1 {
		t.Fatalf("drop verdict: %+v", v)
	}
}

func TestModesAndExemptions(t *testing.T) {
	ev := []byte(`{"html":"<script>alert(1)</script>","q":"1' or '1'='1"}`)
	tests := []struct {
		name   string
		pol    Policy
		action Action
		n      int
	}{
		{"default blocks", Policy{}, Block, 2},
		{"monitor everything", Policy{Mode: ModeMonitor}, Allow, 2},
		{"xss monitored, sqli blocks", Policy{Rules: map[string]Mode{"xss": ModeMonitor}}, Block, 2},
		{"both monitored by rule", Policy{Rules: map[string]Mode{"xss": ModeMonitor, "sqli.libinjection": ModeMonitor}}, Allow, 2},
		{"xss off", Policy{Rules: map[string]Mode{"xss": ModeOff, "sqli": ModeMonitor}}, Allow, 1},
		{"exempt path", Policy{Exempt: []Exemption{{Rule: "xss", Path: "html"}, {Rule: "sqli*", Path: "*"}}}, Allow, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := mustEngine(t, tt.pol).Inspect(context.Background(), ev)
			if v.Action != tt.action || len(v.Findings) != tt.n {
				t.Errorf("got %s with %d findings, want %s with %d: %s", v.Action, len(v.Findings), tt.action, tt.n, v.Summary())
			}
		})
	}
}

func TestLimits(t *testing.T) {
	big := `{"c":"` + strings.Repeat("a", 7<<20) + `"}`
	many := `{"a":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 30000), ",") + `]}`
	tests := []struct {
		name  string
		pol   Policy
		event string
		rule  string
	}{
		{"size", Policy{}, big, "limits.size"},
		{"fields", Policy{}, many, "limits.nodes"},
		{"string", Policy{Limits: LimitsConfig{MaxString: 10}}, `{"c":"aaaaaaaaaaaaaaaaaaaa bbbb"}`, "limits.string"},
		{"depth policy", Policy{Limits: LimitsConfig{MaxDepth: 3}}, `{"a":{"b":{"c":{"d":1}}}}`, "limits.depth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := mustEngine(t, tt.pol).Inspect(context.Background(), []byte(tt.event))
			if v.Action != Block {
				t.Fatalf("action %s: %s", v.Action, v.Summary())
			}
			for _, f := range v.Findings {
				if strings.HasPrefix(f.Rule, strings.TrimSuffix(tt.rule, ".nodes")) {
					return
				}
			}
			t.Errorf("no %s finding: %s", tt.rule, v.Summary())
		})
	}
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func TestCloudWatchLogs(t *testing.T) {
	msg := `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"user=${jndi:ldap://x.example/a}"}]}`
	v := mustEngine(t, Policy{}).Inspect(context.Background(), []byte(`{"awslogs":{"data":"`+gz(msg)+`"}}`))
	if v.Action != Block || v.Trigger != "cloudwatch-logs" {
		t.Fatalf("%s", v.Summary())
	}
	// a gzip bomb stops at the decoded budget
	bomb := gz(strings.Repeat("A", 32<<20))
	v = mustEngine(t, Policy{Limits: LimitsConfig{MaxDecoded: 1 << 20}}).Inspect(context.Background(), []byte(`{"awslogs":{"data":"`+bomb+`"}}`))
	if v.Action != Block || len(v.Findings) == 0 || v.Findings[0].Rule != "limits.decoded" {
		t.Fatalf("bomb: %s", v.Summary())
	}
}

func TestFailModes(t *testing.T) {
	// a deadline already past makes the guard fail; the policy decides
	var fields []string
	for i := range 500 {
		fields = append(fields, fmt.Sprintf(`"k%d":"v%d <b>"`, i, i))
	}
	ev := []byte("{" + strings.Join(fields, ",") + "}")
	for _, fm := range []FailMode{FailOpen, FailClosed} {
		eng := mustEngine(t, Policy{Fail: fm, Deadline: Duration(time.Nanosecond)})
		v := eng.Inspect(context.Background(), ev)
		want := Allow
		if fm == FailClosed {
			want = Block
		}
		if v.Failure == "" || v.FailMode != string(fm) || v.Action != want {
			t.Errorf("fail %s: %+v", fm, v)
		}
	}
}

func TestBlockResponse(t *testing.T) {
	tests := []struct {
		trigger string
		want    string
	}{
		{"apigw-v1", `"statusCode":403`},
		{"apigw-v2", `"statusCode":403`},
		{"function-url", `"statusCode":403`},
		{"alb", `"statusDescription":"403 Forbidden"`},
		{"sqs", `"batchItemFailures":[{"itemIdentifier":"m1"}]`},
		{"s3", `"faasguard":"blocked"`},
	}
	for _, tt := range tests {
		b, err := BlockResponse(Verdict{Action: Block, Trigger: tt.trigger, ItemFailures: []string{"m1"}})
		if err != nil || !strings.Contains(string(b), tt.want) {
			t.Errorf("%s: %s %v", tt.trigger, b, err)
		}
	}
	if _, err := BlockResponse(Verdict{Action: Block, Trigger: "cognito"}); err != ErrBlocked {
		t.Errorf("cognito: %v", err)
	}
}

func TestSchema(t *testing.T) {
	pol, err := ParsePolicy([]byte(`
schemas:
  - route: "POST /orders"
    schema:
      type: object
      required: [id]
      properties:
        id: {type: integer}
      additionalProperties: false
`), false)
	if err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t, pol)
	mk := func(route, body string) []byte {
		b, _ := json.Marshal(body)
		return []byte(`{"version":"2.0","routeKey":"` + route + `","rawPath":"/orders","requestContext":{"http":{"method":"POST"}},"body":` + string(b) + `}`)
	}
	if v := eng.Inspect(context.Background(), mk("POST /orders", `{"id":5}`)); v.Action != Allow {
		t.Errorf("valid: %s", v.Summary())
	}
	if v := eng.Inspect(context.Background(), mk("POST /orders", `{"id":"5","extra":1}`)); v.Action != Block || v.Findings[0].Rule != "schema.invalid" {
		t.Errorf("invalid: %s", v.Summary())
	}
	if v := eng.Inspect(context.Background(), mk("GET /other", `{"id":"5"}`)); v.Action != Allow {
		t.Errorf("other route: %s", v.Summary())
	}
}

func TestPolicyErrors(t *testing.T) {
	for _, doc := range []string{"mode: maybe", "fail: sideways", "batch: keep", "rules: {nope: block}", "trigger: pigeon", "unknown_field: 1",
		"schemas: [{route: x}]", "deadline: soon"} {
		if _, err := ParsePolicy([]byte(doc), false); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
	if _, err := ParsePolicy([]byte(`{"mode":"monitor","deadline":"20ms","rules":{"sqli":"block"}}`), true); err != nil {
		t.Errorf("json policy: %v", err)
	}
}

func TestSecurityEventRedacted(t *testing.T) {
	var buf bytes.Buffer
	eng, err := New(Policy{}, WithEventsTo(&buf))
	if err != nil {
		t.Fatal(err)
	}
	ev := `{"password":"hunter2' OR '1'='1","card":"4111 1111 1111 1111 <script>alert(1)</script>","tok":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc' or 1=1--"}`
	eng.Inspect(WithRequestID(context.Background(), "req-1"), []byte(ev))
	out := buf.String()
	for _, secret := range []string{"hunter2", "4111 1111 1111 1111", "eyJzdWIiOiIxMjM0NTY3ODkwIn0"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q leaked into events:\n%s", secret, out)
		}
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil {
		t.Fatalf("event is not JSON: %v\n%s", err, out)
	}
	if first["class_uid"] != float64(2004) || first["unmapped"].(map[string]any)["request_id"] != "req-1" {
		t.Errorf("OCSF fields: %v", first)
	}
}
