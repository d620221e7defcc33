// Package textsafe keeps text from a scanned repository from driving the
// terminal that shows it: control characters (ESC, BEL, CR, C1 codes) are
// written as \xNN escapes.
package textsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

func unsafe(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }

// String escapes the control characters of s other than tab and newline.
func String(s string) string {
	if strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafe(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Writer returns a writer that escapes control characters in what is
// written through it, for plain-text output that has no colours of its own.
func Writer(w io.Writer) io.Writer { return writer{w} }

type writer struct{ w io.Writer }

func (x writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(x.w, String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
