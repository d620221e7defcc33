package serverless

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dumpTree loads every Serverless config under dir and renders the
// applications and the tree's notes.
func dumpTree(t *testing.T, dir string, opts loader.Options) string {
	t.Helper()
	tree, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, a := range (Loader{}).Load(context.Background(), tree, opts) {
		b.WriteString(model.Dump(a))
		for _, e := range a.Embedded {
			b.WriteString("embedded " + e.Format + " " + e.File + "\n")
		}
	}
	for _, n := range tree.Notes() {
		b.WriteString("tree-note " + string(n.Level) + " " + n.Pos.String() + ": " + n.Message + "\n")
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if string(want) != got {
		t.Errorf("%s: model differs from %s (run with -update after checking):\n%s", name, path, diff(string(want), got))
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + "\n  want: " + wl + "\n  got:  " + gl + "\n")
			if n++; n == 10 {
				break
			}
		}
	}
	return b.String()
}

func TestGoldenExamples(t *testing.T) {
	for _, name := range []string{"insecure", "secure"} {
		t.Run(name, func(t *testing.T) {
			got := dumpTree(t, filepath.Join("..", "..", "examples", "serverless", name), loader.Options{})
			checkGolden(t, "example-"+name, got)
		})
	}
}

func TestGoldenFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "fixtures", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			opts := loader.Options{}
			if data, err := os.ReadFile(filepath.Join(dir, "options.txt")); err == nil {
				opts = parseOptions(string(data))
			}
			checkGolden(t, name, dumpTree(t, dir, opts))
		})
	}
}

// parseOptions reads a fixture's options.txt: lines "stage X", "var k=v",
// "param k=v", "env k=v" (also sets AllowEnv), "allow-outside".
func parseOptions(s string) loader.Options {
	o := loader.Options{Vars: map[string]string{}, Params: map[string]string{}}
	env := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		f, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		k, v, _ := strings.Cut(rest, "=")
		switch f {
		case "stage":
			o.Stage = rest
		case "var":
			o.Vars[k] = v
		case "param":
			o.Params[k] = v
		case "env":
			o.AllowEnv = true
			env[k] = v
		case "allow-outside":
			o.AllowOutside = true
		}
	}
	o.Env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return o
}
