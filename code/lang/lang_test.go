package lang

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, lang, src string
		root            string
		notes           int
	}{
		{"js", JavaScript, "const a = 1;\nexports.h = async (e) => e.body;\n", "program", 0},
		{"ts", TypeScript, "export const h = async (e: Event): Promise<string> => e.body as string;\n", "program", 0},
		{"py", Python, "def h(event, context):\n    return f\"{event['a']}\"\n", "module", 0},
		{"go", Go, "package main\n\nfunc main() {}\n", "source_file", 0},
		{"syntax error", Python, "def h(:\n  x = = 1\n", "module", 1},
		{"invalid utf8", JavaScript, "const a = '\xff\xfe';\n", "program", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("f", []byte(tc.src), tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if f.Root.Kind != tc.root || f.Root.End != len(tc.src) {
				t.Errorf("root %s [%d,%d), want %s covering %d bytes", f.Root.Kind, f.Root.Start, f.Root.End, tc.root, len(tc.src))
			}
			if len(f.Notes) != tc.notes {
				t.Errorf("notes %q, want %d", f.Notes, tc.notes)
			}
		})
	}
}

// TestPositions checks 1-based lines and byte columns against the source.
func TestPositions(t *testing.T) {
	src := "x = 1\n\n  def f(a):\n      return a\n"
	f, err := Parse("p.py", []byte(src), Python)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Walk(f.Root, func(n *Node) bool {
		if n.Kind == "identifier" {
			got = append(got, fmt.Sprintf("%s@%d:%d", f.Text(n), n.Line, n.Col))
		}
		return true
	})
	want := "x@1:1 f@3:7 a@3:9 a@4:14"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func TestSkipped(t *testing.T) {
	for name, tc := range map[string]struct {
		lang string
		src  []byte
	}{
		"too large": {JavaScript, make([]byte, MaxFileSize+1)},
		"minified":  {JavaScript, []byte(strings.Repeat("a=1;", MaxLineLength))},
		"binary":    {Python, []byte("x\x00y")},
		"language":  {"cobol", []byte("x")},
	} {
		if _, err := Parse(name, tc.src, tc.lang); !errors.Is(err, ErrSkipped) {
			t.Errorf("%s: err = %v, want ErrSkipped", name, err)
		}
	}
}

func TestFromPath(t *testing.T) {
	for p, want := range map[string]string{"a/b.mjs": JavaScript, "x.TS": TypeScript, "m.py": Python, "main.go": Go, "H.java": Java, "r.rb": ""} {
		if got := FromPath(p); got != want {
			t.Errorf("FromPath(%q) = %q, want %q", p, got, want)
		}
	}
}

// FuzzParse checks that any input parses or is skipped without panic and
// that node spans stay inside the source.
func FuzzParse(f *testing.F) {
	f.Add([]byte("exports.h = async (e) => { eval(e.body) }"), uint8(0))
	f.Add([]byte("def h(event, context):\n    os.system(event['x'])\n"), uint8(2))
	f.Add([]byte("package main\nfunc main() { lambda.Start(h) }\n"), uint8(3))
	langs := []string{JavaScript, TypeScript, Python, Go}
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		file, err := Parse("fuzz", src, langs[int(which)%len(langs)])
		if err != nil {
			if !errors.Is(err, ErrSkipped) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		Walk(file.Root, func(n *Node) bool {
			if n.Start < 0 || n.End > len(src) || n.Start > n.End || n.Line < 1 || n.Col < 1 {
				t.Fatalf("bad span %+v in %d bytes", n, len(src))
			}
			return true
		})
	})
}
