package normalize

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"%2e%2e%2fetc", "../etc"},
		{"%252e%252e%252f", "../"},
		{"%u002e%u002e%u2215", "../"},
		{"&lt;script&#62;&#x28;", "<script>("},
		{`\u003cb\x3e`, "<b>"},
		{"%c0%ae%c0%ae%c0%af", "../"},
		{"%e0%80%ae", "."},
		{"%c1%af", "/"},
		{"\uff1cscript\uff1e", "<script>"},
		{"169\u3002254", "169.254"},
		{"100%", "100%"},
		{"%zz", "%zz"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Percent("a+b%20c", true); got != "a b c" {
		t.Errorf("Percent plus: %q", got)
	}
	if got := StripNUL("a\x00b"); got != "ab" {
		t.Errorf("StripNUL: %q", got)
	}
}

// FuzzFold checks that decoding never panics, terminates, and stays
// within a bounded expansion of its input.
func FuzzFold(f *testing.F) {
	f.Add("%2e%2e%2f")
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		if len(out) > 64*len(s)+64 {
			t.Errorf("Fold(%q) grew to %d bytes", s, len(out))
		}
		if utf8.ValidString(s) && !utf8.ValidString(Unicode(s)) {
			t.Errorf("Unicode(%q) made invalid UTF-8", s)
		}
	})
}
