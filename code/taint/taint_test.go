package taint

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/code/lang"
)

var update = flag.Bool("update", false, "rewrite golden files")

// handlerFor is the handler symbol every fixture of a language exports.
var handlerFor = map[string]string{
	lang.JavaScript: "handler", lang.TypeScript: "handler", lang.Python: "lambda_handler", lang.Go: "main",
}

var classPrefix = map[string]string{
	"cmd": CommandInjection, "code": CodeInjection, "sql": SQLInjection, "nosql": NoSQLInjection, "path": PathTraversal,
	"ssrf": SSRF, "deser": Deserialization, "template": TemplateInjection, "jwt": JWTUnverified, "tls": TLSDisabled,
	"log": SensitiveLogging,
}

// golden is the stable, reviewed form of a finding.
type golden struct {
	Class      string `json:"class"`
	Line       int    `json:"line"`
	Sink       string `json:"sink"`
	Source     string `json:"source,omitempty"`
	SourceLine int    `json:"source_line,omitempty"`
	Confidence string `json:"confidence"`
	Path       []Step `json:"path"`
}

// TestFixtures runs every fixture under testdata/src: a *_vuln file must
// give at least one finding of the class its prefix names, a *_safe twin
// none at all; the exact findings are compared with testdata/golden.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/src/*/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimPrefix(file, "testdata/src/"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			l := lang.FromPath(file)
			res, err := AnalyzeFile(file, src, l, handlerFor[l], Options{})
			if err != nil {
				t.Fatalf("AnalyzeFile: %v", err)
			}
			base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
			class := classPrefix[strings.SplitN(base, "_", 2)[0]]
			switch {
			case strings.HasSuffix(base, "_safe"):
				for _, f := range res.Findings {
					t.Errorf("safe twin has a finding: %s:%d %s %s <- %s", file, f.Line, f.Class, f.Sink, f.Source)
				}
			case class != "":
				n := 0
				for _, f := range res.Findings {
					if f.Class == class {
						n++
					}
				}
				if n == 0 {
					t.Errorf("no %s finding in %s; got %+v; notes %v", class, file, res.Findings, res.Notes)
				}
			}
			got := make([]golden, 0, len(res.Findings))
			for _, f := range res.Findings {
				got = append(got, golden{f.Class, f.Line, f.Sink, f.Source, f.SourceLine, f.Confidence, f.Path})
			}
			checkGolden(t, filepath.Join("testdata", "golden", strings.TrimPrefix(file, "testdata/src/")+".json"), got)
		})
	}
}

func checkGolden(t *testing.T, path string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(b) {
		t.Errorf("%s differs:\n got: %s\nwant: %s", path, b, want)
	}
}

func TestBadInput(t *testing.T) {
	huge := []byte("exports.handler = async (event) => {};\n" + strings.Repeat("// pad\n", lang.MaxFileSize/7+1))
	minified := []byte("exports.handler=async e=>{" + strings.Repeat("a=1;", 2000) + "}")
	deep := []byte("exports.handler = async (event) => " + strings.Repeat("(\n", 5000) + "event" + strings.Repeat(")\n", 5000) + ";")
	deepPy := []byte("def lambda_handler(event, context):\n    return " + strings.Repeat("[\n", 3000) + "event" + strings.Repeat("]\n", 3000) + "\n")
	tests := []struct {
		name, lang string
		src        []byte
		skipped    bool
		note       string
	}{
		{"huge", lang.JavaScript, huge, true, "byte limit"},
		{"minified", lang.JavaScript, minified, true, "minified"},
		{"binary", lang.Python, []byte("\x00\x01\x02def"), true, "binary"},
		{"invalid utf8", lang.JavaScript, []byte("exports.handler = async (event) => { require('child_process').exec(event.body + '\xff\xfe'); };"), false, "invalid UTF-8"},
		{"syntax error", lang.Python, []byte("def lambda_handler(event, context):\n    os.system(event['cmd']\n    x = = 1\n"), false, "syntax error"},
		{"deep nesting js", lang.JavaScript, deep, false, ""},
		{"deep nesting py", lang.Python, deepPy, false, ""},
		{"unknown language", "ruby", []byte("puts 1"), true, "ruby"},
		{"empty", lang.Go, nil, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := AnalyzeFile("in."+tc.lang, tc.src, tc.lang, "handler", Options{})
			if tc.skipped != (err != nil && errors.Is(err, lang.ErrSkipped)) {
				t.Fatalf("err = %v, skipped want %v", err, tc.skipped)
			}
			if !tc.skipped && err != nil {
				t.Fatal(err)
			}
			if tc.note != "" && !strings.Contains(fmt.Sprint(res.Notes, err), tc.note) {
				t.Errorf("notes %q and error %v do not mention %q", res.Notes, err, tc.note)
			}
		})
	}
}

// TestUnreachedSink checks that a sink no event data reaches is not a
// finding but an informational note.
func TestUnreachedSink(t *testing.T) {
	src := []byte(`const { exec } = require('child_process');
exports.handler = async (event) => {
  exec(process.env.CLEANUP_COMMAND);
  exec('ls /tmp');
};
`)
	res, err := AnalyzeFile("h.js", src, lang.JavaScript, "handler", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings = %+v, want none", res.Findings)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "h.js:3") || !strings.Contains(res.Notes[0], "info:") {
		t.Errorf("notes = %q, want one info note for line 3", res.Notes)
	}
}

// TestHandlerNotFound checks the fallback to event-shaped functions.
func TestHandlerNotFound(t *testing.T) {
	src := []byte("import os\n\ndef main(event, context):\n    os.system(event['cmd'])\n")
	res, err := AnalyzeFile("h.py", src, lang.Python, "missing", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Class != CommandInjection {
		t.Errorf("findings = %+v, want one command-injection", res.Findings)
	}
	if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], `handler "missing" not found`) {
		t.Errorf("notes = %q, want a handler-not-found note", res.Notes)
	}
}

// TestConcurrent checks that AnalyzeFile may be called from several
// goroutines (parsers are pooled).
func TestConcurrent(t *testing.T) {
	files, _ := filepath.Glob("testdata/src/*/*_vuln.*")
	done := make(chan error, len(files))
	for _, p := range files {
		go func() {
			src, err := os.ReadFile(p)
			if err == nil {
				l := lang.FromPath(p)
				var res Result
				res, err = AnalyzeFile(p, src, l, handlerFor[l], Options{})
				if err == nil && len(res.Findings) == 0 {
					err = fmt.Errorf("%s: no findings", p)
				}
			}
			done <- err
		}()
	}
	for range files {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestFindingCap checks that a file cannot produce unbounded findings.
func TestFindingCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("const cp = require('child_process');\nexports.handler = async (event) => {\n")
	for i := 0; i < maxFindings+100; i++ {
		b.WriteString("cp.exec(event.body);\n")
	}
	b.WriteString("};\n")
	res, err := AnalyzeFile("many.js", []byte(b.String()), lang.JavaScript, "handler", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != maxFindings || !strings.Contains(strings.Join(res.Notes, "\n"), "only the first") {
		t.Errorf("%d findings, notes %q; want %d and a note", len(res.Findings), res.Notes, maxFindings)
	}
}
