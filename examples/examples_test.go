// Package examples holds the example applications; its test checks that
// each insecure example yields the findings it was written to trigger, at
// the right lines, and that each secure twin is clean at high and above.
package examples

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

var update = flag.Bool("update", false, "rewrite the golden finding lists")

// scanDate pins the date so end-of-life findings do not drift.
var scanDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// required lists, per insecure example, the rules it must trigger.
var required = map[string][]string{
	"terraform": {"FG-AUTH-001", "FG-ENC-001", "FG-ENC-002", "FG-ENC-004", "FG-ENC-005", "FG-ENC-030", "FG-EXP-001", "FG-EXP-002", "FG-EXP-003", "FG-EXP-010", "FG-EXP-014", "FG-IAM-001", "FG-IAM-002", "FG-IAM-003", "FG-IAM-004", "FG-LIM-001", "FG-LIM-002", "FG-LIM-003", "FG-LIM-004", "FG-LIM-005", "FG-LOG-001", "FG-LOG-002", "FG-LOG-010", "FG-LOG-011", "FG-LOG-012", "FG-SEC-001", "FG-SEC-002", "FG-SEC-003", "FG-SUP-001"},
	"azure":     {"FG-AUTH-001", "FG-AUTH-020", "FG-AUTH-021", "FG-ENC-020", "FG-ENC-021", "FG-ENC-022", "FG-EXP-003", "FG-EXP-020", "FG-LIM-001", "FG-SEC-001", "FG-SEC-003", "FG-SEC-020"},
	"gcp":       {"FG-AUTH-001", "FG-ENC-020", "FG-IAM-020", "FG-LIM-001", "FG-LIM-004", "FG-NET-010", "FG-SEC-001", "FG-SUP-001"},
	"sam": {"FG-EXP-001", "FG-EXP-002", "FG-EXP-003", "FG-AUTH-001", "FG-IAM-001", "FG-IAM-002", "FG-IAM-003",
		"FG-IAM-004", "FG-SEC-001", "FG-SEC-002", "FG-LIM-001", "FG-LIM-002", "FG-LIM-004", "FG-LIM-005",
		"FG-LOG-001", "FG-LOG-002", "FG-SUP-001", "FG-SEC-003", "FG-SUP-002", "FG-CODE-001", "FG-CODE-003",
		"FG-CODE-005", "FG-CODE-007", "FG-AUTH-010", "FG-ENC-001", "FG-LOG-010", "FG-LOG-011"},
	"serverless": {"FG-EXP-001", "FG-EXP-002", "FG-EXP-003", "FG-AUTH-001", "FG-IAM-001", "FG-IAM-002", "FG-IAM-003",
		"FG-IAM-004", "FG-SEC-001", "FG-SEC-002", "FG-LIM-001", "FG-LIM-002", "FG-LIM-004", "FG-LIM-005",
		"FG-LOG-001", "FG-LOG-002", "FG-SUP-001",
		// function code
		"FG-SEC-003", "FG-SEC-004", "FG-SUP-002", "FG-SUP-003", "FG-CODE-001", "FG-CODE-002", "FG-CODE-003", "FG-CODE-004",
		"FG-CODE-005", "FG-CODE-006", "FG-CODE-007", "FG-CODE-008", "FG-CODE-009", "FG-CODE-010", "FG-CODE-011"},
}

func scanDir(t *testing.T, dir string, profile string) *scan.Result {
	t.Helper()
	res, err := scan.Run(context.Background(), dir, scan.Options{Analyze: true, DB: "../osvdb/testdata/db",
		Rules: rules.Config{Now: scanDate, Profile: profile}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Notes {
		if n.Level == "error" {
			t.Errorf("%s: error note %s: %s", dir, n.Pos, n.Message)
		}
	}
	return res
}

func exampleDirs(t *testing.T, kind string) map[string]string {
	dirs, _ := filepath.Glob(filepath.Join("*", kind))
	out := map[string]string{}
	for _, d := range dirs {
		out[filepath.Dir(d)] = d
	}
	if len(out) == 0 {
		t.Fatalf("no %s examples", kind)
	}
	return out
}

func TestInsecureExamples(t *testing.T) {
	for name, dir := range exampleDirs(t, "insecure") {
		t.Run(name, func(t *testing.T) {
			res := scanDir(t, dir, rules.ProfileWellArchitected)
			var lines []string
			seen := map[string]bool{}
			for _, f := range res.Findings {
				seen[f.RuleID] = true
				lines = append(lines, fmt.Sprintf("%s %s:%d %s", f.RuleID, f.Pos.File, f.Pos.Line, f.Function))
			}
			sort.Strings(lines)
			for _, id := range required[name] {
				if !seen[id] {
					t.Errorf("%s: no %s finding", dir, id)
				}
			}
			golden := filepath.Join("testdata", name+"-insecure.golden")
			got := strings.Join(lines, "\n") + "\n"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./examples -update)", err)
			}
			if got != string(want) {
				t.Errorf("findings of %s differ from %s (rule file:line function):\n%s", dir, golden, diff(string(want), got))
			}
		})
	}
}

func TestSecureExamples(t *testing.T) {
	for name, dir := range exampleDirs(t, "secure") {
		t.Run(name, func(t *testing.T) {
			res := scanDir(t, dir, rules.ProfileSecurity)
			for _, f := range res.Findings {
				if f.Suppressed != nil {
					continue
				}
				// Clean at high and above; no code or secret finding at all.
				if f.Severity >= rules.High || f.Family == rules.CODE || f.Family == rules.SEC {
					t.Errorf("%s: %s %s at %s: %s", dir, f.Severity, f.RuleID, f.Pos, f.Message)
				}
			}
		})
	}
}

func diff(want, got string) string {
	w := map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		w[l] = true
	}
	g := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		g[l] = true
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if l != "" && !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if l != "" && !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
