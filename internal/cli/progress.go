package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressMinFiles is the scan size from which the progress bar shows:
// smaller scans finish before a bar would be readable.
const progressMinFiles = 200

// Hooks for tests: whether stderr is a terminal, and the clock.
var (
	progressIsTerminal = writerIsTerminal
	progressNow        = time.Now
)

// progressInterval bounds how often the bar is redrawn.
const progressInterval = 100 * time.Millisecond

// newProgress returns a progress callback that draws a bar on stderr for
// scans of at least files files. It draws nothing when stderr is not a
// terminal (piped, redirected to a file) or when the CI environment
// variable is set, so logs and machine-read output stay clean.
func newProgress(stderr io.Writer, files int) func(done, total int) {
	if !progressIsTerminal(stderr) || os.Getenv("CI") != "" {
		return func(int, int) {}
	}
	p := &progress{w: stderr, min: files, start: progressNow()}
	return p.update
}

type progress struct {
	mu    sync.Mutex
	w     io.Writer
	min   int
	start time.Time
	last  time.Time
	drawn bool
	ended bool
}

const barWidth = 30

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if done == 0 && p.ended {
		p.ended = false // the next path of a multi-path scan starts
	}
	if total < p.min || p.ended || total <= 0 {
		return
	}
	done = min(max(done, 0), total)
	now := progressNow()
	final := done == total
	if !final && p.drawn && now.Sub(p.last) < progressInterval {
		return
	}
	p.last, p.drawn = now, true
	fill := barWidth * done / total
	bar := strings.Repeat("=", fill)
	if fill < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	// \r and "erase line" keep the bar on one line while it grows.
	fmt.Fprintf(p.w, "\r\x1b[Kscanning [%s] %3d%% %d/%d files %.1fs", bar, 100*done/total, done, total, now.Sub(p.start).Seconds())
	if final {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.ended = true
	}
}
