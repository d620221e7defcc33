// Package testcorpus finds the shared peer corpus (../shared/corpus beside
// the module root) for the measurement tests of every package, and skips
// the test with a clear message when it is absent.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared/corpus/<sub...> beside the module root, or skips t
// when the module root or that directory cannot be found.
func Dir(t testing.TB, sub ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("peer corpus: no go.mod above the test directory")
		}
		dir = parent
	}
	c := filepath.Join(append([]string{dir, "..", "shared", "corpus"}, sub...)...)
	if _, err := os.Stat(c); err != nil {
		t.Skipf("peer corpus not found at %s (clone with ../shared beside the repository to run this measurement): %v", c, err)
	}
	return c
}
