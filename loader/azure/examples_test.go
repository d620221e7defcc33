package azure

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faasguard/faasguard/rules"
)

// TestExamples runs the rules over the Azure twins of the serverless
// examples: the insecure twin yields its findings at the lines that cause
// them; the secure twin has nothing at high or above.
func TestExamples(t *testing.T) {
	cfg := rules.Config{Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		dir    string
		secure bool
		want   []string
	}{
		{dir: "../../examples/azure/insecure", want: []string{
			"FG-AUTH-001 orders/function.json:7", "FG-AUTH-001 receipt/function.json:7",
			"FG-SEC-001 local.settings.json:6", "FG-SEC-001 local.settings.json:7", "FG-SEC-001 azuredeploy.json:29",
			"FG-ENC-020 azuredeploy.json:19", "FG-ENC-021 azuredeploy.json:22", "FG-ENC-022 azuredeploy.json:23",
			"FG-EXP-020 azuredeploy.json:24", "FG-EXP-003 azuredeploy.json:25", "FG-SEC-020 azuredeploy.json:29",
			"FG-AUTH-020 azuredeploy.json:40", "FG-LIM-001 host.json:3",
		}},
		{dir: "../../examples/azure/secure", secure: true},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			apps, _ := loadDir(t, tc.dir)
			got := map[string]bool{}
			for _, f := range rules.Run(apps, cfg) {
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
