package peer

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/faasguard/faasguard/internal/testcorpus"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

var updateRatchet = flag.Bool("update-ratchet", false, "raise testdata/ratchet.json to the figures of this run")

// Entry maps one peer query (KICS query dir) or check (Checkov check ID) to
// faasguard rules.
type Entry struct {
	Peer    string   `yaml:"peer"`  // kics | checkov
	Query   string   `yaml:"query"` // KICS query_dir or Checkov check_id
	Rules   []string `yaml:"rules"`
	Match   string   `yaml:"match"`   // line (default for KICS) | file | resource
	Profile string   `yaml:"profile"` // rule profile to scan with
	// Status "skip" records a peer check we deliberately do not follow.
	Status string `yaml:"status"`
	Why    string `yaml:"why"`
	// Disagree lists fixture files (paths as in the peer's index) whose
	// label faasguard deliberately does not follow, with the reason; they
	// are left out of the score and printed.
	Disagree []Disagreement `yaml:"disagree"`
	// Kind restricts a Checkov entry to the tests of one framework
	// (serverless, cloudformation, arm, terraform or terraform-aws,
	// terraform-azure, terraform-gcp) when a check ID exists in several.
	Kind string `yaml:"kind"`
}

// Disagreement is a peer label faasguard does not follow, and why.
type Disagreement struct {
	File string `yaml:"file"`
	Line int    `yaml:"line"` // 0: every label of the file
	// Resource is a Checkov resource address ("AWS::SQS::Queue.Name",
	// "aws_sqs_queue.name") whose label is not followed, in place of File.
	Resource string `yaml:"resource"`
	Why      string `yaml:"why"`
}

func (e Entry) disagreesOn(resource string) (string, bool) {
	for _, d := range e.Disagree {
		if d.Resource == resource {
			return d.Why, true
		}
	}
	return "", false
}

func (e Entry) disagrees(file string) (string, bool) { return e.disagreesAt(file, 0) }

func (e Entry) disagreesAt(file string, line int) (string, bool) {
	for _, d := range e.Disagree {
		if d.Line != 0 && d.Line != line {
			continue
		}
		if d.File != "" && (d.File == file || strings.HasSuffix(file, "/"+d.File)) {
			return d.Why, true
		}
	}
	return "", false
}

type mapping struct {
	Entries []Entry `yaml:"entries"`
}

// Score is the agreement on one entry or suite.
type Score struct {
	Expected   int `json:"expected"`
	Found      int `json:"found"`
	Negatives  int `json:"negatives"`
	Unexpected int `json:"unexpected"`
	// NotFollowed counts peer labels faasguard deliberately disagrees with.
	NotFollowed int `json:"notFollowed"`
}

func (s *Score) add(o Score) {
	s.Expected += o.Expected
	s.Found += o.Found
	s.Negatives += o.Negatives
	s.Unexpected += o.Unexpected
	s.NotFollowed += o.NotFollowed
}

func (s Score) pct() float64 {
	if s.Expected == 0 {
		return 100
	}
	return 100 * float64(s.Found) / float64(s.Expected)
}

func corpusDir(t *testing.T) string { return testcorpus.Dir(t) }

func TestPeer(t *testing.T) {
	corpus := corpusDir(t)
	data, err := os.ReadFile("mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m mapping
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("mapping.yaml: %v", err)
	}
	kics := loadKICS(t, corpus)
	checkov := loadCheckov(t, corpus)
	suites := map[string]*Score{}
	var lines []string
	for _, e := range m.Entries {
		if e.Status == "skip" {
			lines = append(lines, fmt.Sprintf("%-8s %-70s skipped: %s", e.Peer, short(e.Query), e.Why))
			continue
		}
		for _, r := range e.Rules {
			if _, ok := rules.Get(r); !ok {
				t.Errorf("mapping.yaml: %s maps to unknown rule %s", e.Query, r)
			}
		}
		if len(e.Rules) == 0 {
			t.Errorf("mapping.yaml: %s maps to no rule and is not skipped", e.Query)
			continue
		}
		// One entry is scored once per suite it touches (a Checkov check
		// ID can have tests in several frameworks).
		type result struct {
			suite, label string
			sc           Score
			misses       []string
		}
		var results []result
		switch e.Peer {
		case "kics":
			q, ok := kics[e.Query]
			if !ok {
				t.Errorf("mapping.yaml: no KICS query %s in the corpus", e.Query)
				continue
			}
			sc, misses := scoreKICS(t, corpus, q, e)
			results = append(results, result{"kics:" + q.Group + ":" + q.Platform, short(e.Query), sc, misses})
		case "checkov":
			cs, ok := checkov[e.Query]
			if !ok {
				t.Errorf("mapping.yaml: no Checkov check %s in the corpus", e.Query)
				continue
			}
			n := 0
			for _, c := range cs {
				if !c.ofKind(e.Kind) {
					continue
				}
				n++
				sc, misses := scoreCheckov(t, corpus, c, e)
				results = append(results, result{"checkov:" + c.kind(), e.Query + " (" + c.kind() + ")", sc, misses})
			}
			if n == 0 {
				t.Errorf("mapping.yaml: no %s test of Checkov check %s in the corpus", e.Kind, e.Query)
			}
		default:
			t.Errorf("mapping.yaml: unknown peer %q", e.Peer)
			continue
		}
		// An entry counts under its first rule's family.
		fam := strings.Split(e.Rules[0], "-")[1]
		for _, r := range results {
			key := r.suite + ":" + fam
			if suites[key] == nil {
				suites[key] = &Score{}
			}
			suites[key].add(r.sc)
			sc := r.sc
			lines = append(lines, fmt.Sprintf("%-8s %-70s found %d/%d  unexpected %d/%d negatives  not followed %d  %v", e.Peer, r.label, sc.Found, sc.Expected, sc.Unexpected, sc.Negatives, sc.NotFollowed, e.Rules))
			for _, ms := range r.misses {
				lines = append(lines, "           "+ms)
			}
		}
	}
	for _, l := range lines {
		t.Log(l)
	}
	keys := make([]string, 0, len(suites))
	total := Score{}
	for k, s := range suites {
		keys = append(keys, k)
		total.add(*s)
	}
	sort.Strings(keys)
	t.Log("per suite and family:")
	for _, k := range keys {
		s := suites[k]
		t.Logf("  %-50s %3d/%3d found (%5.1f%%)  %d unexpected on %d negatives  (%d labels not followed)", k, s.Found, s.Expected, s.pct(), s.Unexpected, s.Negatives, s.NotFollowed)
	}
	t.Logf("TOTAL %d/%d expected findings found (%.1f%%), %d unexpected findings on %d negative fixtures, %d peer labels not followed (see mapping.yaml)", total.Found, total.Expected, total.pct(), total.Unexpected, total.Negatives, total.NotFollowed)
	checkRatchet(t, suites)
}

// checkRatchet fails when a suite finds fewer expected findings or reports
// more unexpected ones than recorded; -update-ratchet records this run.
func checkRatchet(t *testing.T, suites map[string]*Score) {
	path := filepath.Join("testdata", "ratchet.json")
	old := map[string]Score{}
	if data, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(data, &old); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if *updateRatchet {
		cur := map[string]Score{}
		for k, s := range suites {
			cur[k] = *s
		}
		data, _ := json.MarshalIndent(cur, "", "  ")
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for k, want := range old {
		got, ok := suites[k]
		if !ok {
			t.Errorf("ratchet: suite %s no longer measured", k)
			continue
		}
		if got.Found < want.Found {
			t.Errorf("ratchet: %s finds %d expected findings, down from %d", k, got.Found, want.Found)
		}
		if got.Unexpected > want.Unexpected {
			t.Errorf("ratchet: %s reports %d unexpected findings, up from %d", k, got.Unexpected, want.Unexpected)
		}
	}
}

func short(q string) string { return strings.TrimPrefix(q, "queries/") }

// scanFile scans one fixture in a directory of its own, named so the
// loaders recognise its format, and returns the findings of the rules.
func scanFile(t *testing.T, src, name string, e Entry) []rules.Finding {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return scanDir(t, dir, e)
}

// scanDir scans a fixture directory as it is (fixtures whose config reads
// sibling files).
func scanDir(t *testing.T, dir string, e Entry) []rules.Finding {
	t.Helper()
	prof := e.Profile
	if prof == "" {
		prof = rules.ProfileSecurity
	}
	res, err := scan.Run(context.Background(), dir, scan.Options{Analyze: true, Rules: rules.Config{Profile: prof, Only: e.Rules}})
	if err != nil {
		t.Fatalf("scan %s: %v", dir, err)
	}
	return res.Findings
}

// fixtureName is the file name a fixture is scanned under: the Serverless
// Framework is recognised by its file name, the other formats by content
// or extension.
func fixtureName(platform, file string) string {
	if platform == "ServerlessFW" {
		return "serverless" + filepath.Ext(file)
	}
	return filepath.Base(file)
}
