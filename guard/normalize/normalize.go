// Package normalize decodes the encodings attackers use to hide payloads
// from pattern matching: percent (including %uXXXX and double encoding),
// HTML entities, backslash escapes, overlong UTF-8 and Unicode
// compatibility forms. Every function is bounded by its input's length and
// returns its input unchanged (without allocating) when there is nothing to
// decode.
package normalize

import (
	"html"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxRounds bounds how many times Fold re-applies the decoders: enough for
// double and triple encodings, bounded so that crafted input cannot make it
// loop.
const MaxRounds = 4

// Fold applies all decoders until the value stops changing (at most
// MaxRounds times) and returns the result.
func Fold(s string) string {
	for range MaxRounds {
		t := Percent(s, false)
		t = HTML(t)
		t = Backslash(t)
		t = Overlong(t)
		t = Unicode(t)
		t = Hex0x(t)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Percent decodes %XX and %uXXXX escapes; when plus is set, '+' becomes a
// space (form and query encoding). Malformed escapes are kept literally.
func Percent(s string, plus bool) string {
	if strings.IndexByte(s, '%') < 0 && (!plus || strings.IndexByte(s, '+') < 0) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			b = append(b, ' ')
			continue
		case c != '%':
			b = append(b, c)
			continue
		}
		if i+2 < len(s) {
			if h, ok := unhex(s[i+1]); ok {
				if l, ok := unhex(s[i+2]); ok {
					b = append(b, h<<4|l)
					i += 2
					continue
				}
			}
		}
		if i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			var r rune
			ok := true
			for j := i + 2; j < i+6; j++ {
				v, good := unhex(s[j])
				if !good {
					ok = false
					break
				}
				r = r<<4 | rune(v)
			}
			if ok {
				b = utf8.AppendRune(b, r)
				i += 5
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// HTML decodes named and numeric character references.
func HTML(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return html.UnescapeString(s)
}

// Backslash decodes \uXXXX, \xXX and the literal two-character escapes
// \n, \r and \t that payloads carry when they were escaped for a language
// string. Other backslashes are kept.
func Backslash(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			continue
		}
		switch s[i+1] {
		case 'u', 'U':
			if i+5 < len(s) {
				var r rune
				ok := true
				for j := i + 2; j < i+6; j++ {
					v, good := unhex(s[j])
					if !good {
						ok = false
						break
					}
					r = r<<4 | rune(v)
				}
				if ok {
					b = utf8.AppendRune(b, r)
					i += 5
					continue
				}
			}
		case 'x', 'X':
			if i+3 < len(s) {
				if h, ok := unhex(s[i+2]); ok {
					if l, ok := unhex(s[i+3]); ok {
						b = append(b, h<<4|l)
						i += 3
						continue
					}
				}
			}
		case 'n':
			b = append(b, '\n')
			i++
			continue
		case 'r':
			b = append(b, '\r')
			i++
			continue
		case 't':
			b = append(b, '\t')
			i++
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// Overlong folds overlong UTF-8 encodings of ASCII (C0 AE for '.', E0 80 AF
// for '/', up to the obsolete 5- and 6-byte forms) to the ASCII byte, the
// classic way to smuggle "../" past filters. Lone C0/C1 lead bytes, which
// some servers drop, are dropped too.
func Overlong(s string) string {
	i := 0
	for i < len(s) && !overlongLead(s, i) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		n := 0
		switch {
		case c >= 0xFC && c <= 0xFD:
			n = 6
		case c >= 0xF8:
			n = 5
		case c >= 0xF0:
			n = 4
		case c >= 0xE0:
			n = 3
		case c >= 0xC0:
			n = 2
		}
		if n == 0 || i+n > len(s) {
			if c == 0xC0 || c == 0xC1 {
				i++
				continue
			}
			b = append(b, c)
			i++
			continue
		}
		cp := uint32(c) & (0x7F >> n)
		ok := true
		for j := 1; j < n; j++ {
			cc := s[i+j]
			if cc&0xC0 != 0x80 {
				ok = false
				break
			}
			cp = cp<<6 | uint32(cc&0x3F)
		}
		if ok && n == 2 && c == 0xC1 {
			// IIS decoded C1 xx ignoring the lead's low bit: %c1%af is '/'.
			if low := uint32(s[i+1] & 0x3F); low == '.' || low == '/' {
				cp = low
			}
		}
		switch {
		case ok && cp < 0x80 && (n > 2 || c <= 0xC1):
			b = append(b, byte(cp))
			i += n
		case !ok && (c == 0xC0 || c == 0xC1):
			i++
		default:
			b = append(b, c)
			i++
		}
	}
	return string(b)
}

// overlongLead reports whether s[i] starts an overlong or invalid
// sequence Overlong rewrites: C0/C1 leads, E0 80-9F, F0 80-8F, F8-FD.
func overlongLead(s string, i int) bool {
	c := s[i]
	switch {
	case c == 0xC0 || c == 0xC1 || c >= 0xF8 && c <= 0xFD:
		return true
	case c == 0xE0:
		return i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F
	case c == 0xF0:
		return i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x8F
	}
	return false
}

// lookalikes maps characters that NFKC leaves alone but that path and URL
// parsers have been known to treat as their ASCII counterparts.
var lookalikes = strings.NewReplacer(
	"\u2215", "/", "\u2044", "/", "\u29f8", "/",
	"\u2216", `\`, "\u29f9", `\`,
	"\u3002", ".", "\uff61", ".", "\u2024", ".",
)

// Unicode applies NFKC (fullwidth and circled letters and digits become
// ASCII) and folds a few slash and dot look-alikes. ASCII input is returned
// as is.
func Unicode(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || !utf8.ValidString(s) {
		return s
	}
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	if strings.ContainsAny(s, "\u2215\u2044\u29f8\u2216\u29f9\u3002\uff61\u2024") {
		s = lookalikes.Replace(s)
	}
	return s
}

// StripNUL removes NUL bytes, which C-based parsers treat as terminators and
// attackers insert to split keywords.
func StripNUL(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// Hex0x decodes text written as 0xHH byte tokens ("0x2e0x2e0x2fetc" →
// "../etc"), a filter-evasion encoding. It only acts when such tokens make
// up most of the value, so numbers and hashes in ordinary text are left
// alone.
func Hex0x(s string) string {
	if !strings.Contains(s, "0x") && !strings.Contains(s, "0X") {
		return s // the common case, on the guard's hot path
	}
	n, covered := 0, 0
	for i := 0; i+3 < len(s); i++ {
		if s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
			hi, ok1 := unhex(s[i+2])
			lo, ok2 := unhex(s[i+3])
			if ok1 && ok2 {
				if c := hi<<4 | lo; c < 0x20 || c > 0x7e {
					// Not text: hex numbers such as 0x7f000001 IP
					// addresses keep their meaning for the SSRF checks.
					return s
				}
				n++
				covered += 4
				i += 3
			}
		}
	}
	if n < 3 || covered*2 < len(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i+3 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
			hi, ok1 := unhex(s[i+2])
			lo, ok2 := unhex(s[i+3])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
