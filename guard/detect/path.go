package detect

import (
	"strings"

	"github.com/faasguard/faasguard/guard/normalize"
)

// hexLiterals are the "0x2e"-style spellings of dot and slashes that some
// path filters decode.
var hexLiterals = strings.NewReplacer("0x2e", ".", "0x2f", "/", "0x5c", `\`)

// traversal flags a ".." path segment (after every decoding, including
// overlong UTF-8, %u and nibble encodings, NUL splitting and 0x2e
// literals) and direct references to well-known sensitive files.
func traversal(in *Input) string {
	l := in.Lower
	if !strings.Contains(l, "..") && !strings.Contains(l, "0x2e") && !strings.Contains(l, "%") && !strings.Contains(l, "\x00") &&
		!strings.Contains(in.Raw, "%") {
		return sensitiveFile(l)
	}
	// two decodings: the folded value, and one that undoes 0x2e literals
	// and nibble escapes (%%32%%65) before percent-decoding, since folding
	// first can merge their digits into other escapes
	raw := strings.ToLower(in.Raw)
	alt := normalize.Percent(hexLiterals.Replace(normalize.StripNUL(raw)), false)
	alt = normalize.StripNUL(normalize.Fold(collapseNibbles(alt)))
	for _, s := range []string{normalize.StripNUL(normalize.Fold(collapseNibbles(hexLiterals.Replace(normalize.StripNUL(l))))), alt} {
		if dotdot(s) {
			return "path_traversal.dotdot"
		}
	}
	return sensitiveFile(alt)
}

// dotdot reports a ".." path segment followed by a separator (or ending a path).
func dotdot(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "..")
		if j < 0 {
			return false
		}
		j += i
		k := j + 2
		for k < len(s) && s[k] == '.' {
			k++ // "..../" and "...\" variants
		}
		after := k < len(s) && (s[k] == '/' || s[k] == '\\' || s[k] == ';' || s[k] == '%' || s[k] >= 0x80)
		if after || (k == len(s) && j > 0 && (s[j-1] == '/' || s[j-1] == '\\')) {
			return true
		}
		i = k
	}
}

// sensitiveFile flags references to files attackers read through path
// parameters; only paths, not prose, match these spellings.
func sensitiveFile(l string) string {
	for _, f := range []string{"/etc/passwd", "/etc/shadow", "/etc/hosts", "/proc/self/", "/etc/issue", `\win.ini`, "/win.ini", `\boot.ini`, "/boot.ini", `system32\`, "system32/", "/.aws/credentials", "/var/runtime/", "/.ssh/id_"} {
		if strings.Contains(l, f) {
			return "path_traversal.sensitive_file"
		}
	}
	return ""
}

// collapseNibbles rewrites "%2%f" (what "%%32%%66" decodes to) as "%2f",
// the nibble encoding in which each hex digit of an escape is escaped.
func collapseNibbles(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '%' && i+4 < len(b)+1 && i+3 < len(b) && isHex(b[i+1]) && b[i+2] == '%' && isHex(b[i+3]) {
			out = append(out, '%', b[i+1], b[i+3])
			i += 3
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
