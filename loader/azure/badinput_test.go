package azure

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/model"
)

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

func allNotes(apps []*model.Application) string {
	var b strings.Builder
	for _, a := range apps {
		for _, n := range a.Notes {
			b.WriteString(string(n.Level) + " " + n.Pos.String() + " " + n.Message + "\n")
		}
	}
	return b.String()
}

const goodFn = `{"bindings":[{"type":"httpTrigger","direction":"in","authLevel":"anonymous"}]}`

func TestBadInput(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		wantNote string // substring of the notes
		wantFns  int
	}{
		{"malformed function.json", map[string]string{"host.json": "{}", "a/function.json": "{\"bindings\": [\n  {\"type\": }\n]}", "b/function.json": goodFn}, "a/function.json:2", 1},
		{"function.json not an object", map[string]string{"host.json": "{}", "a/function.json": "[1,2]", "b/function.json": goodFn}, "expected a JSON object", 1},
		{"binary function.json", map[string]string{"host.json": "{}", "a/function.json": "\x00\x01\x02", "b/function.json": goodFn}, "binary", 1},
		{"deep nesting", map[string]string{"host.json": "{}", "a/function.json": strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "b/function.json": goodFn}, "a/function.json", 1},
		{"malformed host.json", map[string]string{"host.json": "{", "b/function.json": goodFn}, "host.json", 1},
		{"bad functionTimeout", map[string]string{"host.json": `{"functionTimeout": "soon"}`, "b/function.json": goodFn}, "", 1},
		{"malformed ARM template", map[string]string{"t.json": `{"$schema": "deploymentTemplate.json", "resources": [{"type": "Microsoft.Web/sites",`}, "t.json", 0},
		{"ARM variable cycle", map[string]string{"t.json": `{"$schema": "deploymentTemplate.json", "variables": {"a": "[variables('b')]", "b": "[variables('a')]"},
 "resources": [{"type": "Microsoft.Web/sites", "name": "s", "properties": {"httpsOnly": "[variables('a')]"}}]}`}, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apps, _ := loadDir(t, writeTree(t, tc.files))
			n := 0
			for _, a := range apps {
				n += len(a.Functions)
			}
			if n != tc.wantFns {
				t.Errorf("got %d functions, want %d", n, tc.wantFns)
			}
			if ns := allNotes(apps); !strings.Contains(ns, tc.wantNote) {
				t.Errorf("notes lack %q:\n%s", tc.wantNote, ns)
			}
		})
	}
}

func TestDurationSeconds(t *testing.T) {
	for in, want := range map[string]int{"00:05:00": 300, "01:00:00": 3600, "1.00:00:00": 86400, "00:00:30.5": 30} {
		if got := durationSeconds(in, model.Pos{}); !got.IsKnown() || got.V != want {
			t.Errorf("durationSeconds(%q) = %+v, want %d", in, got, want)
		}
	}
	if got := durationSeconds("-1", model.Pos{}); !got.IsUnknown() {
		t.Errorf("durationSeconds(-1) = %+v, want unknown", got)
	}
}

// FuzzFunctionJSON loads an arbitrary function.json (and, with arm set, the
// same bytes as an ARM template): never a panic.
func FuzzFunctionJSON(f *testing.F) {
	for _, p := range []string{"../../examples/azure/insecure/orders/function.json", "testdata/nohost/api/function.json", "../../examples/azure/insecure/azuredeploy.json", "testdata/arm-config/template.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, strings.HasSuffix(p, "deploy.json") || strings.HasSuffix(p, "template.json"))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, arm bool) {
		name := "fn/function.json"
		if arm {
			name = "azuredeploy.json"
		}
		root := writeTree(t, map[string]string{"host.json": "{}", name: string(data)})
		apps, _ := loadDir(t, root)
		if strings.Contains(allNotes(apps), "internal error") {
			t.Fatalf("loader panicked:\n%s", allNotes(apps))
		}
	})
}

// FuzzBicep reads arbitrary Bicep: an error or a tree, never a panic.
func FuzzBicep(f *testing.F) {
	if b, err := os.ReadFile("testdata/bicep/main.bicep"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("resource s 'Microsoft.Web/sites@2022-09-01' = if (x) {\n  name: 'a'\n  properties: [for i in range(0, 3): {}]\n}\n"))
	f.Add([]byte("param p string = '''\nmulti\n'''\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if root, err := parseBicep(data); err == nil && root == nil {
			t.Fatal("no tree and no error")
		}
	})
}
