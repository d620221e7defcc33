// Package corpus locates and reads the shared guard corpus
// (../shared/corpus/guard next to the module root) for measurement tests.
package corpus

import (
	"bufio"
	"errors"
	"github.com/faasguard/faasguard/internal/testcorpus"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Dir returns the guard corpus directory, or skips t when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	c := testcorpus.Dir(t, "guard")
	if _, err := os.Stat(filepath.Join(c, "attacks")); err != nil {
		t.Skipf("guard corpus at %s has no attacks directory: %v", c, err)
	}
	return c
}

// Lines reads a one-item-per-line file.
func Lines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if s := sc.Text(); s != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// Attacks returns the payloads per class name.
func Attacks(dir string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "attacks", "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, errors.Join(errors.New("no attack files"), err)
	}
	out := map[string][]string{}
	for _, f := range files {
		lines, err := Lines(f)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(filepath.Base(f), ".txt")] = lines
	}
	return out, nil
}

// BenignEvents returns the benign event files' names, sorted.
func BenignEvents(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "benign", "*.json"))
	sort.Strings(files)
	return files, err
}
