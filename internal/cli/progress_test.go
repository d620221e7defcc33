package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// fakeTerminal makes newProgress see a terminal and steps a fake clock.
func fakeTerminal(t *testing.T, term bool) *time.Time {
	t.Helper()
	oldTerm, oldNow := progressIsTerminal, progressNow
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	progressIsTerminal = func(any) bool { return term }
	progressNow = func() time.Time { return clock }
	t.Cleanup(func() { progressIsTerminal, progressNow = oldTerm, oldNow })
	return &clock
}

func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		ci       string
		total    int
		want     []string // substrings of the output, in order; nil: no output
	}{
		{"terminal draws a bar and clears it", true, "", 1000, []string{"  0% 0/1000 files", " 50% 500/1000 files", "100% 1000/1000 files", "\r\x1b[K"}},
		{"piped stays silent", false, "", 1000, nil},
		{"CI stays silent", true, "true", 1000, nil},
		{"small scans stay silent", true, "", 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := fakeTerminal(t, tc.terminal)
			t.Setenv("CI", tc.ci)
			var b bytes.Buffer
			p := newProgress(&b, progressMinFiles)
			p(0, tc.total)
			*clock = clock.Add(time.Second)
			p(tc.total/2, tc.total)
			p(tc.total/2+1, tc.total) // within the interval: not drawn
			*clock = clock.Add(time.Second)
			p(tc.total, tc.total)
			p(tc.total, tc.total) // after the end: nothing
			out := b.String()
			if tc.want == nil {
				if out != "" {
					t.Fatalf("wrote %q, want nothing", out)
				}
				return
			}
			rest := out
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output %q lacks %q (in order)", out, w)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(out, "501/1000") {
				t.Errorf("redrawn within the interval: %q", out)
			}
			if rest != "" {
				t.Errorf("output after the final clear: %q", rest)
			}
			if strings.Count(out, "100%") != 1 {
				t.Errorf("final state drawn %d times", strings.Count(out, "100%"))
			}
		})
	}
}

func TestProgressRealWriterIsNotTerminal(t *testing.T) {
	t.Setenv("CI", "")
	var b bytes.Buffer
	newProgress(&b, 0)(1, 1)
	newProgress(io.Discard, 0)(1, 1)
	if b.Len() != 0 {
		t.Errorf("a bytes.Buffer is not a terminal, got %q", b.String())
	}
}
