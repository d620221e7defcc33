package azure

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadDir(t testing.TB, dir string) ([]*model.Application, *loader.Tree) {
	t.Helper()
	tree, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Loader{}.Load(context.Background(), tree, loader.Options{}), tree
}

func dumpAll(apps []*model.Application, tree *loader.Tree) string {
	var b strings.Builder
	for _, a := range apps {
		b.WriteString(model.Dump(a))
	}
	for _, n := range tree.Notes() {
		b.WriteString("tree note " + string(n.Level) + " " + n.Pos.String() + ": " + n.Message + "\n")
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s: model differs from golden file (run go test -update and review the diff)\n--- got\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	cases := map[string]string{
		"example-insecure": "../../examples/azure/insecure",
		"example-secure":   "../../examples/azure/secure",
	}
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if e.IsDir() && e.Name() != "fuzz" {
			cases[e.Name()] = filepath.Join("testdata", e.Name())
		}
	}
	for name, dir := range cases {
		t.Run(name, func(t *testing.T) {
			apps, tree := loadDir(t, dir)
			golden(t, name, dumpAll(apps, tree))
		})
	}
}
