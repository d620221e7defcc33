package suppress

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

var now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	src := []byte(`functions:
  # faasguard:ignore FG-AUTH-001 reason="public webhook, HMAC verified in code" until=2027-01-01
  hook:
    handler: h.h # faasguard:ignore FG-LOG-001,FG-LIM reason='tracing costs too much here'
  old: # faasguard:ignore FG-SUP-001 reason="migrating" until=2026-01-01
  bad: # faasguard:ignore FG-IAM-001
  worse: # faasguard:ignore reason="no id"
  date: # faasguard:ignore FG-IAM-001 reason="x" until=tomorrow
`)
	ds := Parse("serverless.yml", src, now)
	want := []struct {
		line    int
		rules   []string
		problem bool
	}{{2, []string{"FG-AUTH-001"}, false}, {4, []string{"FG-LOG-001", "FG-LIM"}, false}, {5, []string{"FG-SUP-001"}, true},
		{6, []string{"FG-IAM-001"}, true}, {7, nil, true}, {8, []string{"FG-IAM-001"}, true}}
	if len(ds) != len(want) {
		t.Fatalf("got %d directives: %+v", len(ds), ds)
	}
	for i, w := range want {
		d := ds[i]
		if d.Pos.Line != w.line || (d.Problem != "") != w.problem || len(d.Rules) != len(w.rules) {
			t.Errorf("directive %d: %+v, want line %d rules %v problem %v", i, d, w.line, w.rules, w.problem)
		}
	}
	if ds[0].Reason != "public webhook, HMAC verified in code" || ds[1].Reason != "tracing costs too much here" {
		t.Errorf("reasons: %q, %q", ds[0].Reason, ds[1].Reason)
	}
}

func TestApply(t *testing.T) {
	ds := Parse("serverless.yml", []byte("a\n# faasguard:ignore FG-AUTH-001 reason=\"ok\"\nhook:\n  x\n# faasguard:ignore FG-IAM reason=\"r\"\n"), now)
	ds = append(ds, model.Suppression{Subject: "Fn", Rules: []string{"FG-LOG-*"}, Reason: "cdk", Pos: model.Pos{File: "t.json", Line: 9}})
	at := func(line int) model.Pos { return model.Pos{File: "serverless.yml", Line: line} }
	fs := []rules.Finding{
		{RuleID: "FG-AUTH-001", Function: "hook", Pos: at(3)},                            // line below the directive
		{RuleID: "FG-AUTH-001", Function: "hook", Pos: at(40)},                           // inside the function declared below it
		{RuleID: "FG-AUTH-002", Function: "hook", Pos: at(3)},                            // other rule
		{RuleID: "FG-IAM-004", Resource: "role", Pos: at(6)},                             // family
		{RuleID: "FG-LOG-001", Function: "Fn", Pos: model.Pos{File: "t.json", Line: 30}}, // metadata subject
		{RuleID: "FG-AUTH-001", Function: "other", Pos: at(30)},
	}
	Apply(fs, ds, func(f rules.Finding) model.Pos {
		if f.Function == "hook" {
			return at(3)
		}
		return model.Pos{}
	})
	want := []bool{true, true, false, true, true, false}
	for i, w := range want {
		if (fs[i].Suppressed != nil) != w {
			t.Errorf("finding %d (%s at %s): suppressed=%v, want %v", i, fs[i].RuleID, fs[i].Pos, fs[i].Suppressed != nil, w)
		}
	}
	if fs[4].Suppressed.Kind != "metadata" || fs[0].Suppressed.Reason != "ok" {
		t.Errorf("suppression details: %+v %+v", fs[4].Suppressed, fs[0].Suppressed)
	}
}

func TestInvalidDirectivesSuppressNothing(t *testing.T) {
	ds := Parse("f.yml", []byte("# faasguard:ignore FG-AUTH-001\nx\n# faasguard:ignore FG-AUTH-001 reason=\"r\" until=2020-01-01\ny\n"), now)
	fs := []rules.Finding{{RuleID: "FG-AUTH-001", Pos: model.Pos{File: "f.yml", Line: 2}}, {RuleID: "FG-AUTH-001", Pos: model.Pos{File: "f.yml", Line: 4}}}
	Apply(fs, ds, func(rules.Finding) model.Pos { return model.Pos{} })
	for _, f := range fs {
		if f.Suppressed != nil {
			t.Errorf("invalid directive applied to %+v", f)
		}
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	fs := []rules.Finding{{RuleID: "FG-IAM-001", Fingerprint: "aa", Pos: model.Pos{File: "a", Line: 3}}, {RuleID: "FG-IAM-002", Fingerprint: "bb"}}
	p := filepath.Join(t.TempDir(), "baseline.json")
	if err := WriteBaseline(p, NewBaseline(fs[:1])); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(p)
	if err != nil {
		t.Fatal(err)
	}
	moved := []rules.Finding{{RuleID: "FG-IAM-001", Fingerprint: "aa", Pos: model.Pos{File: "a", Line: 30}}, fs[1]}
	if n := ApplyBaseline(moved, b); n != 1 || moved[0].Suppressed == nil || moved[1].Suppressed != nil {
		t.Fatalf("baseline matched %d: %+v", n, moved)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("# faasguard:ignore FG-AUTH-001 reason=\"x\" until=2027-01-01\n"))
	f.Add([]byte("faasguard:ignore"))
	f.Add([]byte("// faasguard:ignore ,,, reason=\"\\\"\" until="))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range Parse("f", data, now) {
			if d.Problem == "" && (d.Reason == "" || len(d.Rules) == 0) {
				t.Fatalf("valid directive without reason or rules: %+v", d)
			}
		}
	})
}
