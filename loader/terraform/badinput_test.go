package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// writeTree writes files (path -> content) under a temporary root.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func notes(apps []*model.Application) []string {
	var out []string
	for _, a := range apps {
		for _, n := range a.Notes {
			out = append(out, fmt.Sprintf("%s %s %s", n.Level, n.Pos, n.Message))
		}
	}
	return out
}

func hasNote(ns []string, parts ...string) bool {
	for _, n := range ns {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(n, p)
		}
		if ok {
			return true
		}
	}
	return false
}

const fn = `resource "aws_lambda_function" "ok" {
  function_name = "ok"
  role          = "arn:aws:iam::111122223333:role/x"
}
`

func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		opts  loader.Options
		// wantNote lists substrings of one expected note.
		wantNote []string
		// wantFns is the number of functions still modelled.
		wantFns int
	}{
		{name: "syntax error keeps the rest of the module",
			files:    map[string]string{"broken.tf": "resource \"aws_sqs_queue\" \"q\" {\n  name = \n}\n", "ok.tf": fn},
			wantNote: []string{"error", "broken.tf:2"}, wantFns: 1},
		{name: "module cycle is bounded",
			files: map[string]string{
				"main.tf":   fn + `module "a" { source = "./a" }`,
				"a/main.tf": `module "b" { source = "../b" }`,
				"b/main.tf": `module "a" { source = "../a" }` + "\n" + strings.ReplaceAll(fn, `"ok"`, `"inner"`),
			},
			wantNote: []string{"warning", "cycle"}, wantFns: 2},
		{name: "module calling itself",
			files:    map[string]string{"main.tf": fn + `module "self" { source = "./" }`},
			wantNote: []string{"warning", "cycle"}, wantFns: 1},
		{name: "missing module source is a note",
			files:    map[string]string{"main.tf": fn + `module "gone" { source = "./nowhere" }`},
			wantNote: []string{"warning", "not found"}, wantFns: 1},
		{name: "huge count is bounded",
			files:    map[string]string{"main.tf": strings.Replace(fn, "{", "{\n  count = 100000", 1)},
			wantNote: []string{"warning", "only the first 256"}, wantFns: 256},
		{name: "huge for_each is bounded",
			files:    map[string]string{"main.tf": strings.Replace(fn, "{", "{\n  for_each = toset([for i in range(1000) : tostring(i)])", 1)},
			wantNote: []string{"warning", "more than 256"}, wantFns: 257},
		{name: "unresolved for_each is one instance",
			files:    map[string]string{"main.tf": strings.Replace(fn, "{", "{\n  for_each = data.x.y.ids", 1)},
			wantNote: []string{"info", "for_each of aws_lambda_function.ok not resolved"}, wantFns: 1},
		{name: "local referring to itself",
			files:    map[string]string{"main.tf": "locals {\n  a = local.a\n}\n" + strings.Replace(fn, `= "ok"`, "= local.a", 1)},
			wantNote: []string{"local.a refers to itself"}, wantFns: 1},
		{name: "binary file",
			files:    map[string]string{"bin.tf": "resource \x00\x01\x02", "ok.tf": fn},
			wantNote: []string{"error", "bin.tf", "binary"}, wantFns: 1},
		{name: "deep nesting",
			files:   map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n}\n", "ok.tf": fn},
			wantFns: 1},
		{name: "invalid utf-8",
			files:    map[string]string{"bad.tf": "resource \"aws_sqs_queue\" \"q\" {\n  name = \"\xff\xfe\"\n}\n", "ok.tf": fn},
			wantNote: []string{"error", "bad.tf"}, wantFns: 1},
		{name: "policy that is not JSON",
			files: map[string]string{"main.tf": `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = "{not json"
}` + "\n" + fn},
			wantNote: []string{"warning", "not valid JSON"}, wantFns: 1},
		{name: "-var overrides tfvars and defaults",
			files: map[string]string{"main.tf": "variable \"n\" {\n  default = \"a\"\n}\n" + strings.Replace(fn, `= "ok"`, "= var.n", 1),
				"terraform.tfvars": "n = \"b\"\n"},
			opts: loader.Options{Vars: map[string]string{"n": "c"}}, wantFns: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apps := loadDir(t, writeTree(t, tc.files), tc.opts)
			n := 0
			for _, a := range apps {
				n += len(a.Functions)
			}
			if n != tc.wantFns {
				t.Errorf("got %d functions, want %d", n, tc.wantFns)
			}
			ns := notes(apps)
			if tc.wantNote != nil && !hasNote(ns, tc.wantNote...) {
				t.Errorf("no note with %q in:\n%s", tc.wantNote, strings.Join(ns, "\n"))
			}
			if tc.opts.Vars != nil {
				if got := apps[0].Functions[0].Name; !got.IsKnown() || got.V != "c" {
					t.Errorf("function name = %+v, want c from -var", got)
				}
			}
		})
	}
}

func TestHugeVariableFile(t *testing.T) {
	big := "x = \"" + strings.Repeat("a", 11<<20) + "\"\n"
	apps := loadDir(t, writeTree(t, map[string]string{"main.tf": "variable \"x\" {}\n" + fn, "terraform.tfvars": big}), loader.Options{})
	if !hasNote(notes(apps), "terraform.tfvars", "size limit") {
		t.Errorf("no size-limit note in %q", notes(apps))
	}
}

func TestEvaluationBudget(t *testing.T) {
	// Locals that double at every step would take 2^40 steps unbounded.
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"x\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n")
	b.WriteString(strings.Replace(fn, `= "ok"`, "= substr(local.l40, 0, 5)", 1))
	apps := loadDir(t, writeTree(t, map[string]string{"main.tf": b.String()}), loader.Options{})
	if len(apps) != 1 || len(apps[0].Functions) != 1 {
		t.Fatalf("got %d apps", len(apps))
	}
	if name := apps[0].Functions[0].Name; !name.IsUnknown() {
		t.Errorf("name = %+v, want unknown (value over the size bound)", name)
	}
}
