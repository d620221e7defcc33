// Package redact removes secrets from text before the guard logs it:
// bearer tokens, JWTs, AWS access keys and secret keys, passwords and
// other credentials in key=value or JSON form, and payment card numbers
// (Luhn-checked).
package redact

import (
	"regexp"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// The expressions compile on first use: the CLI links this package for
// `guard check`, and every other command should not pay for it at start-up.
var (
	compileOnce                                                     sync.Once
	jwtRE, bearerRE, akidRE, secretKV, awsSecret, cardRE, privKeyRE *regexp.Regexp
)

func compile() {
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`)
	bearerRE = regexp.MustCompile(`(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}`)
	akidRE = regexp.MustCompile(`\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b`)
	secretKV = regexp.MustCompile(`(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|session[_-]?token|client[_-]?secret|auth|authorization|credential)s?["']?\s*[:=]\s*["']?)([^"'\s&,;}]{1,512})`)
	awsSecret = regexp.MustCompile(`\b[A-Za-z0-9/+]{40}\b`)
	cardRE = regexp.MustCompile(`\b(?:\d[ -]?){12,18}\d\b`)
	privKeyRE = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`)
}

// String returns s with secrets masked.
func String(s string) string {
	if s == "" {
		return s
	}
	compileOnce.Do(compile)
	s = privKeyRE.ReplaceAllString(s, Mask)
	s = jwtRE.ReplaceAllString(s, Mask)
	s = bearerRE.ReplaceAllString(s, "$1 "+Mask)
	s = akidRE.ReplaceAllString(s, Mask)
	s = secretKV.ReplaceAllString(s, "${1}"+Mask)
	s = awsSecret.ReplaceAllStringFunc(s, func(m string) string {
		// 40 base64 characters with mixed case and a digit: an AWS secret key shape
		if hasClass(m) {
			return Mask
		}
		return m
	})
	s = cardRE.ReplaceAllStringFunc(s, func(m string) string {
		if luhn(m) {
			return Mask
		}
		return m
	})
	return s
}

// Key reports whether a field name holds a credential whose value must
// never be logged at all.
func Key(name string) bool {
	n := strings.ToLower(name)
	for _, k := range []string{"password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "cookie", "credential", "private_key", "privatekey", "session"} {
		if strings.Contains(n, k) {
			return true
		}
	}
	return false
}

// Truncate shortens s to at most n bytes on a UTF-8 boundary, marking the cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

func hasClass(m string) bool {
	var up, low, dig bool
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch {
		case c >= 'A' && c <= 'Z':
			up = true
		case c >= 'a' && c <= 'z':
			low = true
		case c >= '0' && c <= '9':
			dig = true
		}
	}
	return up && low && dig
}

func luhn(s string) bool {
	sum, n, double := 0, 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
		n++
	}
	return n >= 13 && n <= 19 && sum%10 == 0
}
