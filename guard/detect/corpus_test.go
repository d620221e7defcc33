package detect

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/faasguard/faasguard/guard/internal/corpus"
)

// TestCorpusStrings measures the detectors on bare payload strings (no
// envelope): detection per class and false positives on benign strings.
// The per-trigger measurement lives in package guard.
func TestCorpusStrings(t *testing.T) {
	dir := corpus.Dir(t)
	attacks, err := corpus.Attacks(dir)
	if err != nil {
		t.Fatal(err)
	}
	classes := make([]string, 0, len(attacks))
	for c := range attacks {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		miss := 0
		var examples []string
		for _, p := range attacks[c] {
			in := NewInput(p, false)
			if len(Scan(&in, All, nil)) == 0 {
				miss++
				if len(examples) < 8 {
					examples = append(examples, p)
				}
			}
		}
		n := len(attacks[c])
		t.Logf("%-16s %5d/%5d detected (%.1f%%)", c, n-miss, n, 100*float64(n-miss)/float64(n))
		for _, e := range examples {
			t.Logf("    missed: %.120q", e)
		}
	}
	benign, err := corpus.Lines(filepath.Join(dir, "benign", "strings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fp := 0
	for _, s := range benign {
		in := NewInput(s, false)
		if h := Scan(&in, All, nil); len(h) > 0 {
			fp++
			t.Logf("false positive %s: %q", h[0].Rule, s)
		}
	}
	t.Logf("benign strings: %d/%d flagged", fp, len(benign))
}
