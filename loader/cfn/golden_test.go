package cfn

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden loads every template under testdata/ and compares the model
// dump with testdata/golden/<name>.golden.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	files = append(files, more...)
	more, _ = filepath.Glob("testdata/cdk.out/*.template.json")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, "testdata/"))
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			app := LoadFile(rel, data, loader.Options{Params: map[string]string{}})
			got := "<not a template>\n"
			if app != nil {
				app.Link()
				got = model.Dump(app)
			}
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(rel, "/", "_")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("model dump differs from %s (run go test -update and review the diff):\n%s", golden, got)
			}
		})
	}
}
