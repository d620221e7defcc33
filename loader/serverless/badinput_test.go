package serverless

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// loadDir writes files into a temporary tree and loads it.
func loadDir(t *testing.T, files map[string][]byte) ([]*model.Application, *loader.Tree) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return (Loader{}).Load(t.Context(), tree, loader.Options{}), tree
}

func errorNote(a *model.Application) (model.Note, bool) {
	for _, n := range a.Notes {
		if n.Level == model.NoteError {
			return n, true
		}
	}
	return model.Note{}, false
}

const goodConfig = "service: ok\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h.f\n"

func TestBadInput(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 1, "a"; i < 12; i++ {
		name := string(rune('a' + i))
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	tests := []struct {
		name string
		data []byte
		line int    // expected line of the error note (0: any)
		msg  string // substring of the error note
	}{
		{"malformed", []byte("service: x\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n   bad: indent\n"), 7, "not parsed"},
		{"unclosed flow", []byte("service: x\nprovider:\n  runtime: [nodejs20.x\nfunctions: {}\n"), 3, "not parsed"},
		{"alias bomb", []byte(bomb), 0, "alias bomb"},
		{"deep nesting", []byte("service: x\nfunctions: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"), 0, "nesting deeper"},
		{"deep mapping", []byte(deepMapping(10000)), 0, "nesting deeper"},
		{"binary", append([]byte("service: x\n\x00\x01\x02"), make([]byte, 64)...), 0, "binary"},
		{"invalid utf-8", []byte("service: \xff\xfe\nprovider: {name: aws}\n"), 0, "not parsed"},
		{"not a mapping", []byte("- a\n- b\n"), 1, "not a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			apps, _ := loadDir(t, map[string][]byte{"bad/serverless.yml": tc.data, "good/serverless.yml": []byte(goodConfig)})
			if len(apps) != 2 {
				t.Fatalf("%d apps, want 2", len(apps))
			}
			var bad, good *model.Application
			for _, a := range apps {
				if strings.HasPrefix(a.File, "bad/") {
					bad = a
				} else {
					good = a
				}
			}
			n, ok := errorNote(bad)
			if !ok || !strings.Contains(n.Message, tc.msg) {
				t.Fatalf("want an error note containing %q, got %v", tc.msg, bad.Notes)
			}
			if n.Pos.File != "bad/serverless.yml" || (tc.line != 0 && n.Pos.Line != tc.line) {
				t.Errorf("note at %s, want bad/serverless.yml:%d", n.Pos, tc.line)
			}
			if len(good.Functions) != 1 {
				t.Errorf("the good config next to the bad one was not loaded: %v", good.Notes)
			}
		})
	}
}

func deepMapping(n int) string {
	return "service: x\ncustom: " + strings.Repeat("{k: ", n) + "v" + strings.Repeat("}", n) + "\n"
}

// TestHugeFile checks that a 50 MB config is refused from its size, before
// it is read.
func TestHugeFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "serverless.yml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(goodConfig); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: cheap to create
		t.Fatal(err)
	}
	f.Close()
	tree, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	apps := (Loader{}).Load(t.Context(), tree, loader.Options{})
	if len(apps) != 1 {
		t.Fatalf("%d apps", len(apps))
	}
	n, ok := errorNote(apps[0])
	if !ok || !strings.Contains(n.Message, "size limit") {
		t.Errorf("want a size-limit error note, got %v", apps[0].Notes)
	}
}

func TestExecutableConfigNotRun(t *testing.T) {
	apps, tree := loadDir(t, map[string][]byte{"serverless.ts": []byte("export default {}"), "x/serverless.js": []byte("module.exports = {}")})
	if len(apps) != 0 {
		t.Errorf("%d apps from executable configs", len(apps))
	}
	notes := tree.Notes()
	if len(notes) != 2 || !strings.Contains(notes[0].Message, "executable config") {
		t.Errorf("notes = %v", notes)
	}
	if tree.ClaimedBy("serverless.ts") != Name {
		t.Error("serverless.ts not claimed")
	}
}
