package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/suppress"
)

// TestPreCommitHooks runs each hook of .pre-commit-hooks.yaml the way
// pre-commit does (entry + args, no file names) on the examples: the hooks
// must name real flags, pass the secure twin and fail the insecure one.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string   `yaml:"id"`
		Entry         string   `yaml:"entry"`
		Args          []string `yaml:"args"`
		Language      string   `yaml:"language"`
		PassFilenames *bool    `yaml:"pass_filenames"`
		Files         string   `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples", "serverless"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		t.Run(h.ID, func(t *testing.T) {
			if h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames {
				t.Errorf("hook %s: want language golang and pass_filenames false", h.ID)
			}
			files := regexp.MustCompile(h.Files)
			for _, f := range []string{"serverless.yml", "infra/template.yaml", "main.tf", "src/handler.py"} {
				if !files.MatchString(f) {
					t.Errorf("hook %s does not run on %s", h.ID, f)
				}
			}
			argv := strings.Fields(h.Entry)
			if argv[0] != "faasguard" {
				t.Fatalf("entry %q does not run faasguard", h.Entry)
			}
			for _, tc := range []struct {
				example string
				want    int
			}{{"secure", ExitOK}, {"insecure", ExitFindings}} {
				dir := t.TempDir()
				if err := os.CopyFS(dir, os.DirFS(filepath.Join(examples, tc.example))); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(h.Entry, "--baseline") {
					// An empty baseline: nothing accepted yet.
					if err := suppress.WriteBaseline(filepath.Join(dir, ".faasguard-baseline.json"), suppress.NewBaseline(nil)); err != nil {
						t.Fatal(err)
					}
				}
				t.Chdir(dir)
				var out, errb bytes.Buffer
				code := Main(append(argv[1:], h.Args...), nil, &out, &errb)
				if code != tc.want {
					t.Errorf("hook %s on the %s example: exit %d, want %d\n%s%s", h.ID, tc.example, code, tc.want, out.String(), errb.String())
				}
			}
		})
	}
}
