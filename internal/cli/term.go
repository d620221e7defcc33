package cli

import (
	"os"

	"golang.org/x/term"
)

func termCheck(f *os.File) bool { return f != nil && term.IsTerminal(int(f.Fd())) }

// writerIsTerminal reports whether w is a terminal file and colour is not
// switched off by NO_COLOR.
func writerIsTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
