package textsafe

import (
	"bytes"
	"testing"
)

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"plain\tname\n":      "plain\tname\n",
		"svc\x1b]0;pwned\a":  `svc\x1b]0;pwned\x07`,
		"a\rb":               `a\x0db`,
		"c1\u009bcode":       `c1\x9bcode`,
		"<script>ü</script>": "<script>ü</script>",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	var b bytes.Buffer
	if n, err := Writer(&b).Write([]byte("x\x1b[2J")); n != 5 || err != nil || b.String() != `x\x1b[2J` {
		t.Errorf("Writer: %d %v %q", n, err, b.String())
	}
}
