package cfn

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

func scanExample(t *testing.T, rel string) (*model.Application, []rules.Finding) {
	t.Helper()
	data, err := os.ReadFile("../../" + rel)
	if err != nil {
		t.Fatal(err)
	}
	app := LoadFile(rel, data, loader.Options{})
	if app == nil {
		t.Fatalf("%s not recognised", rel)
	}
	app.Link()
	return app, rules.Run([]*model.Application{app}, rules.Config{})
}

// TestSAMExamples checks the SAM twins: the insecure one raises findings of
// every family the serverless example does, the secure one nothing at high
// or above.
func TestSAMExamples(t *testing.T) {
	_, bad := scanExample(t, "examples/sam/insecure/template.yaml")
	fams := map[rules.Family]bool{}
	ids := map[string]bool{}
	for _, f := range bad {
		fams[f.Family] = true
		ids[f.RuleID] = true
		if !strings.HasPrefix(f.Pos.File, "examples/sam/insecure/template.yaml") || f.Pos.Line == 0 {
			t.Errorf("finding without a line in the template: %+v", f)
		}
	}
	for _, fam := range []rules.Family{rules.AUTH, rules.IAM, rules.SEC, rules.LIM, rules.LOG, rules.ENC, rules.EXP, rules.SUP} {
		if !fams[fam] {
			t.Errorf("insecure SAM example: no %s finding", fam)
		}
	}
	for _, id := range []string{"FG-ENC-001", "FG-ENC-002", "FG-ENC-005", "FG-LOG-010", "FG-LOG-011", "FG-AUTH-010", "FG-AUTH-011", "FG-AUTH-012", "FG-EXP-011"} {
		if !ids[id] {
			t.Errorf("insecure SAM example: %s did not fire", id)
		}
	}
	app, good := scanExample(t, "examples/sam/secure/template.yaml")
	for _, f := range good {
		if f.Severity >= rules.High {
			t.Errorf("secure SAM example: %s %s at %s: %s", f.Severity, f.RuleID, f.Pos, f.Message)
		}
	}
	for _, n := range app.Notes {
		if n.Level != model.NoteInfo {
			t.Errorf("secure SAM example: note %s %s: %s", n.Level, n.Pos, n.Message)
		}
	}
	if testing.Verbose() {
		var lines []string
		for _, f := range append(bad, good...) {
			lines = append(lines, f.Pos.String()+" "+f.Severity.String()+" "+f.RuleID+" "+f.Message)
		}
		sort.Strings(lines)
		t.Log("\n" + strings.Join(lines, "\n"))
	}
}
