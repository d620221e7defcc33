// Package detect holds the guard's tier-1 detectors: Go-native,
// allocation-light checks for injection payloads in one string value.
//
// A detector sees the value as received (Raw), fully decoded by
// package normalize (Decoded) and lower-cased (Lower), and whether the
// value is an object key or parameter name. Detectors are pure functions,
// safe for concurrent use, and linear in the value's length.
package detect

import (
	"strings"

	"github.com/faasguard/faasguard/guard/normalize"
)

// Class is an attack class; it is also the rule family name in policies
// and security events.
type Class uint8

// Attack classes.
const (
	SQLi Class = iota
	XSS
	CmdI
	PathTraversal
	SSRF
	NoSQLi
	XXE
	SSTI
	JNDI
	ProtoPollution
	Deserialization
	LDAPi
	numClasses
)

var classNames = [...]string{
	SQLi: "sqli", XSS: "xss", CmdI: "cmdi", PathTraversal: "path_traversal",
	SSRF: "ssrf", NoSQLi: "nosqli", XXE: "xxe", SSTI: "ssti", JNDI: "jndi",
	ProtoPollution: "proto_pollution", Deserialization: "deserialization", LDAPi: "ldapi",
}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Classes lists every class in a fixed order.
func Classes() []Class {
	out := make([]Class, numClasses)
	for i := range out {
		out[i] = Class(i)
	}
	return out
}

// ParseClass returns the class named s.
func ParseClass(s string) (Class, bool) {
	for i, n := range classNames {
		if n == s {
			return Class(i), true
		}
	}
	return 0, false
}

// Set is a set of classes.
type Set uint32

// All is the set of every class.
const All Set = 1<<numClasses - 1

// Has reports whether c is in s.
func (s Set) Has(c Class) bool { return s&(1<<c) != 0 }

// With returns s with c added.
func (s Set) With(c Class) Set { return s | 1<<c }

// Without returns s with c removed.
func (s Set) Without(c Class) Set { return s &^ (1 << c) }

// Hit is one detection in a value.
type Hit struct {
	Class Class
	Rule  string // sub-rule, e.g. "sqli.libinjection"
}

// Input is one value to inspect, in the forms detectors use.
type Input struct {
	Raw     string
	Decoded string // normalize.Fold(Raw)
	Lower   string // strings.ToLower(Decoded)
	Key     bool   // the value is an object key or parameter name
	Parent  string // for keys, the name of the enclosing member ("" at the top)
	chars   charSet
}

// charSet records which punctuation bytes occur in Raw or Decoded, so
// that detectors skip values that lack the characters their payloads need.
type charSet [4]uint64

func (c *charSet) add(s string) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		c[b>>6] |= 1 << (b & 63)
	}
}

// has reports whether any byte of chars occurs.
func (in *Input) has(chars string) bool {
	for i := 0; i < len(chars); i++ {
		b := chars[i]
		if in.chars[b>>6]&(1<<(b&63)) != 0 {
			return true
		}
	}
	return false
}

// nonASCII reports whether any byte >= 0x80 occurs.
func (in *Input) nonASCII() bool { return in.chars[2]|in.chars[3] != 0 }

// NewInput prepares raw for inspection.
func NewInput(raw string, key bool) Input {
	d := normalize.Fold(raw)
	in := Input{Raw: raw, Decoded: d, Lower: toLower(d), Key: key}
	in.chars.add(raw)
	if d != raw {
		in.chars.add(d)
	}
	return in
}

// NewRawInput prepares raw for structure-level checks only, without
// decoding: for whole JSON documents, whose values are inspected one by one.
func NewRawInput(raw string, key bool) Input {
	in := Input{Raw: raw, Decoded: raw, Lower: toLower(raw), Key: key}
	in.chars.add(raw)
	return in
}

// toLower is strings.ToLower without the allocation when s has no upper-case ASCII.
func toLower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// Plain reports whether s cannot carry any payload the detectors look for:
// short prose made of ASCII letters, digits and spaces, with single
// hyphens or dots only between letters. Mixed-case tokens with digits and
// no spaces are not plain: they may be base64 of a serialized object. It
// lets the engine skip most values of a typical event without work.
func Plain(s string) bool {
	if len(s) > 256 {
		return false
	}
	var upper, lower, digit, space, under bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		case c == ' ':
			space = true
		case c == '_':
			if under {
				return false // __proto__, __js_function
			}
			under = true
			continue
		case c == '-' || c == '.':
			if i == 0 || i == len(s)-1 || !isAlpha(s[i-1]) || !isAlpha(s[i+1]) {
				return false
			}
		case c == '?' || c == '!' || c == ',':
		default:
			return false
		}
		under = false
	}
	if (upper || lower) && digit && !space && len(s) >= 6 {
		return false // base64 or hex of a serialized object, 0x2e-style encodings
	}
	// a single token may be an internal host name (localhost, metadata)
	return space || !looksHost(strings.ToLower(s))
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Scan runs the detectors in set on in and appends their hits to out.
func Scan(in *Input, set Set, out []Hit) []Hit {
	add := func(c Class, rule string) {
		out = append(out, Hit{Class: c, Rule: rule})
	}
	if set.Has(SQLi) && (in.has("'\"`;=()-#/*|&<>!,@+\n% ") || in.nonASCII()) {
		if r := sqli(in); r != "" {
			add(SQLi, r)
		}
	}
	if set.Has(XSS) && (in.has("<>:=(`[&+\\%") || in.nonASCII()) {
		if r := xss(in); r != "" {
			add(XSS, r)
		}
	}
	if set.Has(CmdI) && (in.has(";|&\n\r`$(){}<>%?*-/'\"\\") || in.nonASCII()) {
		if r := cmdi(in); r != "" {
			add(CmdI, r)
		}
	}
	if set.Has(PathTraversal) && (in.has("./\\%\x00") || in.nonASCII()) {
		if r := traversal(in); r != "" {
			add(PathTraversal, r)
		}
	}
	if set.Has(SSRF) && (in.has(":/\\") || in.nonASCII() || !in.has(" ")) {
		if r := ssrf(in); r != "" {
			add(SSRF, r)
		}
	}
	if set.Has(NoSQLi) && (in.Key || in.has("$.=|&'\"%")) {
		if r := nosqli(in); r != "" {
			add(NoSQLi, r)
		}
	}
	if set.Has(XXE) && (in.has("<%&\\") || in.nonASCII()) {
		if r := xxe(in); r != "" {
			add(XXE, r)
		}
	}
	if set.Has(SSTI) && (in.has("{}<%#$_@.[") || in.nonASCII()) {
		if r := ssti(in); r != "" {
			add(SSTI, r)
		}
	}
	if set.Has(JNDI) && (in.has("$%&\\") || in.nonASCII()) {
		if r := jndi(in); r != "" {
			add(JNDI, r)
		}
	}
	if set.Has(ProtoPollution) && (in.has("_.[%\\&") || in.nonASCII()) {
		if r := protoPollution(in); r != "" {
			add(ProtoPollution, r)
		}
	}
	if set.Has(Deserialization) {
		if r := deserialization(in); r != "" {
			add(Deserialization, r)
		}
	}
	if set.Has(LDAPi) && (in.has(")")) {
		if r := ldapi(in); r != "" {
			add(LDAPi, r)
		}
	}
	return out
}

// forms returns the distinct forms of in worth matching, raw and decoded,
// as an array and a count so that callers do not allocate.
func (in *Input) forms() ([2]string, int) {
	if in.Raw == in.Decoded {
		return [2]string{in.Raw}, 1
	}
	return [2]string{in.Raw, in.Decoded}, 2
}
