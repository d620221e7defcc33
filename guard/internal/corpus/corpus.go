// Package corpus locates and reads the shared guard corpus
// (../shared/corpus/guard next to the module root) for measurement tests.
package corpus

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Dir returns the guard corpus directory, or skips t when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus", "guard")
			if _, err := os.Stat(filepath.Join(c, "attacks")); err != nil {
				t.Skipf("guard corpus not found at %s (expected ../shared/corpus/guard beside the module root): %v", c, err)
			}
			return c
		}
		if filepath.Dir(d) == d {
			t.Skip("guard corpus: module root (go.mod) not found above the working directory")
		}
	}
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
