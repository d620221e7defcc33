package terraform

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/rules"
)

// TestExamples runs the rules over the Terraform and GCP twins of the
// serverless examples: each insecure twin yields its expected findings at
// the lines that cause them; each secure twin has nothing at high or above.
func TestExamples(t *testing.T) {
	cfg := rules.Config{Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		dir    string
		secure bool
		want   []string // "RULE-ID file:line"
	}{
		{dir: "../../examples/terraform/insecure", want: []string{
			"FG-SEC-001 main.tf:29", "FG-SEC-001 main.tf:31", "FG-IAM-001 main.tf:58", "FG-IAM-002 main.tf:65",
			"FG-IAM-003 main.tf:94", "FG-IAM-004 main.tf:100", "FG-SUP-001 main.tf:105", "FG-LIM-002 main.tf:108",
			"FG-EXP-001 main.tf:125", "FG-AUTH-001 main.tf:152", "FG-EXP-003 main.tf:188", "FG-AUTH-001 main.tf:200",
			"FG-EXP-002 main.tf:221", "FG-LIM-004 main.tf:221", "FG-LOG-001 main.tf:100", "FG-LOG-002 main.tf:100",
			"FG-EXP-001 main.tf:258", "FG-IAM-001 main.tf:265", "FG-SEC-001 main.tf:271",
			"FG-LIM-001 modules/worker/main.tf:14", "FG-SEC-001 modules/worker/main.tf:18", "FG-SUP-001 modules/worker/main.tf:11",
		}},
		{dir: "../../examples/terraform/secure", secure: true},
		{dir: "../../examples/gcp/insecure", want: []string{
			"FG-SEC-001 main.tf:14", "FG-SEC-001 main.tf:16", "FG-IAM-020 main.tf:28", "FG-SUP-001 main.tf:30",
			"FG-ENC-020 main.tf:34", "FG-AUTH-001 main.tf:45", "FG-IAM-020 main.tf:58", "FG-AUTH-001 main.tf:67",
			"FG-NET-010 main.tf:77", "FG-SEC-001 main.tf:93", "FG-AUTH-001 main.tf:103",
		}},
		{dir: "../../examples/gcp/secure", secure: true},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			apps := loadDir(t, tc.dir, loader.Options{})
			fs := rules.Run(apps, cfg)
			got := map[string]bool{}
			for _, f := range fs {
				got[f.RuleID+" "+f.Pos.File+":"+strconv.Itoa(f.Pos.Line)] = true
				if tc.secure && f.Severity >= rules.High {
					t.Errorf("secure twin: %s %s at %s: %s", f.Severity, f.RuleID, f.Pos, f.Message)
				}
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("missing finding %s", w)
				}
			}
			if t.Failed() {
				var all []string
				for k := range got {
					all = append(all, k)
				}
				t.Logf("findings: %s", strings.Join(all, ", "))
			}
		})
	}
}
