// Package jsontree is a small, bounded JSON parser for the guard.
//
// It parses into a compact tree that keeps object key order and duplicate
// keys (a later duplicate must be inspected too, since many decoders let it
// win), enforces depth, node and size limits while parsing so that hostile
// input costs bounded work, and never panics on malformed or invalid UTF-8
// input. Strings without escapes are substrings of the input, so parsing a
// typical event allocates one Node per value and little else.
package jsontree

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a Node.
type Kind uint8

// Node kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Node is one JSON value. For Object, Keys[i] names Vals[i]; for Array,
// Vals holds the elements. Str holds a String's decoded text or a Number's
// literal; Bool holds a Bool's value.
type Node struct {
	Kind Kind
	Bool bool
	Str  string
	Keys []string
	Vals []*Node
}

// Get returns the value of the last member named key of an object, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Keys) - 1; i >= 0; i-- {
		if n.Keys[i] == key {
			return n.Vals[i]
		}
	}
	return nil
}

// GetString returns the string value of member key, or "" when absent or not a string.
func (n *Node) GetString(key string) string {
	v := n.Get(key)
	if v == nil || v.Kind != String {
		return ""
	}
	return v.Str
}

// Limits bound the work of one Parse. Zero fields mean "no limit" except
// MaxDepth, which defaults to 512 to keep recursion bounded.
type Limits struct {
	MaxDepth int // nesting of arrays and objects
	MaxNodes int // total values
}

// Error is a parse failure with its byte offset, line and column.
type Error struct {
	Offset, Line, Col int
	Msg               string
	Limit             bool // the input exceeded a Limits bound
}

func (e *Error) Error() string {
	return fmt.Sprintf("json: line %d col %d (offset %d): %s", e.Line, e.Col, e.Offset, e.Msg)
}

// IsLimit reports whether err is a parse error caused by a Limits bound.
func IsLimit(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Limit
}

type parser struct {
	s     string
	i     int
	depth int
	nodes int
	lim   Limits
}

// Parse parses one JSON value (surrounded by optional whitespace) from s.
func Parse(s string, lim Limits) (*Node, error) {
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = 512
	}
	p := &parser{s: s, lim: lim}
	p.ws()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.errf(false, "unexpected %q after top-level value", p.s[p.i])
	}
	return n, nil
}

// errf builds an *Error at the current offset.
func (p *parser) errf(limit bool, format string, args ...any) error {
	line, col := 1, 1
	end := min(p.i, len(p.s))
	for j := 0; j < end; j++ {
		if p.s[j] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &Error{Offset: p.i, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Limit: limit}
}

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) newNode(k Kind) (*Node, error) {
	p.nodes++
	if p.lim.MaxNodes > 0 && p.nodes > p.lim.MaxNodes {
		return nil, p.errf(true, "more than %d values", p.lim.MaxNodes)
	}
	return &Node{Kind: k}, nil
}

func (p *parser) value() (*Node, error) {
	if p.i >= len(p.s) {
		return nil, p.errf(false, "unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		n, err := p.newNode(String)
		if err != nil {
			return nil, err
		}
		n.Str, err = p.str()
		return n, err
	case c == 't':
		return p.lit("true", Bool, true)
	case c == 'f':
		return p.lit("false", Bool, false)
	case c == 'n':
		return p.lit("null", Null, false)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return nil, p.errf(false, "unexpected %q", c)
	}
}

func (p *parser) lit(word string, k Kind, b bool) (*Node, error) {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return nil, p.errf(false, "invalid literal")
	}
	p.i += len(word)
	n, err := p.newNode(k)
	if err != nil {
		return nil, err
	}
	n.Bool = b
	return n, nil
}

func (p *parser) number() (*Node, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		s := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i - s
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++ // a leading zero stands alone
	} else if digits() == 0 {
		return nil, p.errf(false, "invalid number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.errf(false, "invalid number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.errf(false, "invalid number")
		}
	}
	n, err := p.newNode(Number)
	if err != nil {
		return nil, err
	}
	n.Str = p.s[start:p.i]
	return n, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.lim.MaxDepth {
		return p.errf(true, "nesting deeper than %d", p.lim.MaxDepth)
	}
	return nil
}

func (p *parser) object() (*Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n, err := p.newNode(Object)
	if err != nil {
		return nil, err
	}
	p.i++ // {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return n, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.errf(false, "expected object key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		if n.Keys == nil {
			n.Keys, n.Vals = make([]string, 0, 8), make([]*Node, 0, 8)
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errf(false, "expected ':' after object key")
		}
		p.i++
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.Keys = append(n.Keys, k)
		n.Vals = append(n.Vals, v)
		p.ws()
		if p.i >= len(p.s) {
			return nil, p.errf(false, "unterminated object")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == '}' {
			p.i++
			p.depth--
			return n, nil
		}
		return nil, p.errf(false, "expected ',' or '}' in object")
	}
}

func (p *parser) array() (*Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n, err := p.newNode(Array)
	if err != nil {
		return nil, err
	}
	p.i++ // [
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return n, nil
	}
	for {
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.Vals = append(n.Vals, v)
		p.ws()
		if p.i >= len(p.s) {
			return nil, p.errf(false, "unterminated array")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == ']' {
			p.i++
			p.depth--
			return n, nil
		}
		return nil, p.errf(false, "expected ',' or ']' in array")
	}
}

// str parses a string literal at p.i. Invalid UTF-8 is kept as is: the
// detectors work on bytes and must see what the function would see.
func (p *parser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, nil
		}
		if c == '\\' {
			return p.strSlow(start)
		}
		if c < 0x20 {
			return "", p.errf(false, "control character in string")
		}
		p.i++
	}
	return "", p.errf(false, "unterminated string")
}

func (p *parser) strSlow(start int) (string, error) {
	b := make([]byte, 0, p.i-start+16)
	b = append(b, p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", p.errf(false, "control character in string")
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errf(false, "invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if lo, ok := p.hex4(); ok {
						if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
							r2 = d
						} else {
							p.i = save
						}
					} else {
						p.i = save
					}
				}
				r = r2
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", p.errf(false, "invalid escape \\%c", e)
		}
	}
	return "", p.errf(false, "unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
