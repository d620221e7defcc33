package inventory_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/report/inventory"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func scanExample(t testing.TB, dir string) *scan.Result {
	t.Helper()
	opts := scan.Options{Analyze: false} // config only: the golden files do not move with the code analysers
	opts.Rules.Now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	res, err := scan.Run(context.Background(), filepath.Join("..", "..", "examples", dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/inventory -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report/inventory -update); got:\n%s", name, got)
	}
}

func TestGoldenInsecure(t *testing.T) {
	res := scanExample(t, "serverless/insecure")
	inv := inventory.Build(res.Apps, res.Findings)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"insecure.table.txt", func(b *bytes.Buffer) error { return inv.WriteTable(b) }},
		{"insecure.json", func(b *bytes.Buffer) error { return inv.WriteJSON(b) }},
		{"insecure.dot", func(b *bytes.Buffer) error { return inv.WriteDOT(b) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

// TestInsecureSurface checks the facts the inventory must show on the
// insecure example, independently of the golden files' layout.
func TestInsecureSurface(t *testing.T) {
	res := scanExample(t, "serverless/insecure")
	inv := inventory.Build(res.Apps, res.Findings)
	fns := map[string]inventory.Function{}
	for _, f := range inv.Functions {
		fns[f.ID] = f
	}
	if len(fns) != 6 {
		t.Fatalf("got %d functions, want 6", len(fns))
	}
	api := fns["api"]
	if len(api.Triggers) != 3 || !api.Triggers[0].Exposed() || api.Triggers[0].Endpoint != "POST /orders" {
		t.Errorf("api triggers = %+v", api.Triggers)
	}
	if r := fns["receipt"]; len(r.Triggers) != 1 || r.Triggers[0].Type != "function-url" || !r.Triggers[0].Exposed() {
		t.Errorf("receipt triggers = %+v", r.Triggers)
	}
	w := fns["worker"]
	if len(w.Triggers) != 1 || w.Triggers[0].Auth != inventory.NotApplicable || w.Triggers[0].Public != inventory.NotApplicable {
		t.Errorf("worker trigger = %+v", w.Triggers)
	}
	role := api.Role
	if role == nil || !role.Modelled || len(role.AdminPolicies) != 1 || role.AdminPolicies[0] != "AdministratorAccess" ||
		len(role.Wildcards) != 1 || role.Wildcards[0] != "dynamodb:*" || len(role.SharedWith) != 5 {
		t.Errorf("api role = %+v", role)
	}
	if api.Findings == 0 || api.Worst == "" {
		t.Errorf("api findings = %d worst %q", api.Findings, api.Worst)
	}
	// The thumbnail loop: its trigger, and a back edge closing the loop.
	var loopBack bool
	for _, e := range inv.Graph.Edges {
		if e.Risk == inventory.RiskLoop && strings.Contains(e.To, "fn/thumbnail/t/") {
			loopBack = true
		}
	}
	if !loopBack {
		t.Error("no recursive-loop back edge to thumbnail's trigger")
	}
	kinds := map[string]int{}
	for _, n := range inv.Graph.Nodes {
		kinds[n.Kind]++
		if n.W == 0 || n.H == 0 || n.X+n.W > inv.Graph.Width || n.Y+n.H > inv.Graph.Height {
			t.Errorf("node %s placed outside the graph: %+v", n.ID, n)
		}
	}
	for _, k := range []string{inventory.KindTrigger, inventory.KindFunction, inventory.KindRole, inventory.KindResource} {
		if kinds[k] == 0 {
			t.Errorf("no %s node", k)
		}
	}
}

// TestUnknownShownAsUnknown builds a model with unresolved values by hand.
func TestUnknownShownAsUnknown(t *testing.T) {
	p := model.Pos{File: "serverless.yml", Line: 3}
	fn := &model.Function{ID: "f", Pos: p, Runtime: model.U[string]("${ssm:/rt}", p),
		RoleRef: model.U[string]("${cf:stack.Role}", p),
		Triggers: []*model.Trigger{{Kind: model.TriggerHTTP, Type: "http", Pos: p,
			Auth: model.U[model.AuthKind]("${ssm:/auth}", p), Public: model.U[bool]("x", p)},
			{Kind: model.TriggerHTTP, Type: "alb", Pos: p}}}
	app := &model.Application{Name: "app", File: "serverless.yml", Functions: []*model.Function{fn}}
	app.Link()
	inv := inventory.Build([]*model.Application{app}, []rules.Finding{{RuleID: "FG-AUTH-001", App: "app", Function: "f", Pos: p, Fingerprint: "x", Severity: rules.High}})
	f := inv.Functions[0]
	if f.Runtime != "unknown" || f.Role == nil || f.Role.Name != "unknown" || f.Role.Modelled {
		t.Errorf("function = %+v role %+v", f, f.Role)
	}
	for i, tr := range f.Triggers {
		if tr.Auth != "unknown" || tr.Public != "unknown" {
			t.Errorf("trigger %d = %+v, want unknown auth and public", i, tr)
		}
	}
	var b bytes.Buffer
	if err := inv.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "capabilities unknown") || f.Findings != 1 {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestTableEscapesControlCharacters(t *testing.T) {
	p := model.Pos{File: "s.yml", Line: 1}
	fn := &model.Function{ID: "evil\x1b[2J\rname", Pos: p, Runtime: model.K("go", p)}
	app := &model.Application{Name: "a", Functions: []*model.Function{fn}}
	var b bytes.Buffer
	if err := inventory.Build([]*model.Application{app}, nil).WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\r") || !strings.Contains(b.String(), `evil\x1b[2J\x0dname`) {
		t.Errorf("control characters not escaped: %q", b.String())
	}
}

func TestDOTQuoting(t *testing.T) {
	p := model.Pos{File: "s.yml", Line: 1}
	fn := &model.Function{ID: `evil"];x->y;"\`, Pos: p, Runtime: model.K("go\n1", p)}
	app := &model.Application{Name: "a", Functions: []*model.Function{fn}}
	inv := inventory.Build([]*model.Application{app}, nil)
	var b bytes.Buffer
	if err := inv.WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `label="evil\"];x->y;\"\\\ngo\n1"`) {
		t.Errorf("label not quoted:\n%s", b.String())
	}
}

func BenchmarkBuild(b *testing.B) {
	res := scanExample(b, "serverless/insecure")
	b.ReportAllocs()
	for b.Loop() {
		inventory.Build(res.Apps, res.Findings)
	}
}
