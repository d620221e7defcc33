package osvdb

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress reports one download: a redrawn bar on a terminal, a single
// summary line elsewhere (logs and CI output should not fill with
// carriage returns), nothing without a writer.
type progress struct {
	w        io.Writer
	terminal bool
	label    string
	total    int64 // -1 when the server sent no Content-Length
	n        int64
	last     time.Time
}

func newProgress(w io.Writer, label string, total int64) *progress {
	return &progress{w: w, terminal: isTerminal(w), label: label, total: total}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// Write counts downloaded bytes; it never fails, so it can sit in an
// io.MultiWriter beside the file.
func (p *progress) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if p.w != nil && p.terminal && time.Since(p.last) >= 100*time.Millisecond {
		p.last = time.Now()
		p.draw()
	}
	return len(b), nil
}

const barWidth = 30

func (p *progress) draw() {
	if p.total > 0 {
		frac := min(float64(p.n)/float64(p.total), 1)
		filled := int(frac * barWidth)
		fmt.Fprintf(p.w, "\r%-10s [%s%s] %3.0f%% %s / %s", p.label,
			strings.Repeat("=", filled), strings.Repeat(" ", barWidth-filled), frac*100,
			humanBytes(p.n), humanBytes(p.total))
		return
	}
	fmt.Fprintf(p.w, "\r%-10s %s", p.label, humanBytes(p.n))
}

// done ends the bar (or prints the line) with a summary.
func (p *progress) done(summary string) {
	if p.w == nil {
		return
	}
	if p.terminal {
		p.draw()
		fmt.Fprintf(p.w, "  %s\n", summary)
		return
	}
	fmt.Fprintf(p.w, "%s: %s\n", p.label, summary)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
