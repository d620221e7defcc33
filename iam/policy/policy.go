// Package policy analyses IAM policies: matching of actions and resources
// with IAM's wildcard rules, effective permissions, risky statements,
// privilege-escalation chains, and rendering of policies for the formats
// faasguard prints.
//
// The statement type is deliberately small and format-agnostic: loaders of
// Serverless, SAM, CloudFormation or Terraform fill it from their own model.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Effects of a statement.
const (
	Allow = "Allow"
	Deny  = "Deny"
)

// Statement is one IAM policy statement.
type Statement struct {
	Sid          string
	Effect       string // Allow or Deny
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	// HasCondition is true when the statement has a Condition block. Its
	// content is in Condition when the source gave it in a form the loader
	// could read; analysis only relies on HasCondition.
	HasCondition bool
	Condition    map[string]map[string][]string // operator → key → values
	// Principals is the Principal element of resource and trust policies:
	// type ("AWS", "Service", "Federated", "CanonicalUser", or "*") → values.
	Principals map[string][]string
	// Index identifies the statement in results (Grant.Statements, Link,
	// Finding, Unused): ParseJSON sets it to the 0-based position, and
	// loaders should set it to something they can map back to a source.
	Index int
	Line  int // 1-based line in the source document, 0 if unknown
}

// Policy is an ordered list of statements.
type Policy struct {
	Version    string
	Statements []Statement
}

// Limits of ParseJSON. A policy document AWS accepts is at most a few
// kilobytes; these bounds leave room for generated policies while keeping
// work bounded on hostile input.
const (
	MaxDocumentBytes = 32 << 20
	MaxStatements    = 100_000
	MaxValues        = 1_000_000 // action, resource and condition values in all
)

// ParseError is a policy document that could not be read. Line is 1-based,
// 0 when the position is unknown.
type ParseError struct {
	Line      int
	Statement int // index of the statement, -1 for the document itself
	Msg       string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("policy")
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Statement >= 0 {
		fmt.Fprintf(&b, ": statement %d", e.Statement)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// ParseJSON reads an IAM policy document. It accepts a document object
// ({"Version":…, "Statement": … }), a bare array of statements, or a single
// statement object, and the IAM convention that Action, Resource, Condition
// values and Statement may each be a single value or an array.
func ParseJSON(data []byte) (Policy, error) {
	if len(data) > MaxDocumentBytes {
		return Policy{}, &ParseError{Statement: -1, Msg: fmt.Sprintf("document is %d bytes, more than the %d allowed", len(data), MaxDocumentBytes)}
	}
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		return Policy{}, &ParseError{Line: lineAt(data, off), Statement: -1, Msg: "invalid UTF-8"}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return Policy{}, &ParseError{Statement: -1, Msg: "empty document"}
	}
	p := &parser{data: data}
	var pol Policy
	var err error
	switch trimmed[0] {
	case '[':
		pol.Statements, err = p.statements(data, 0)
	case '{':
		pol, err = p.document()
	default:
		return Policy{}, &ParseError{Line: lineAt(data, len(data)-len(bytes.TrimLeft(data, " \t\r\n"))), Statement: -1, Msg: "document is not a JSON object or array"}
	}
	if err != nil {
		return Policy{}, err
	}
	return pol, nil
}

type parser struct {
	data   []byte
	values int
	// lineOff and lineNo cache the last line lookup: statements are visited
	// in order, so counting newlines from the previous one keeps a large
	// document linear.
	lineOff, lineNo int
}

func (p *parser) line(off int) int {
	off = min(max(off, 0), len(p.data))
	if off < p.lineOff || p.lineNo == 0 {
		p.lineOff, p.lineNo = 0, 1
	}
	p.lineNo += bytes.Count(p.data[p.lineOff:off], []byte("\n"))
	p.lineOff = off
	return p.lineNo
}

// document reads {"Version": …, "Statement": …}, or a lone statement.
func (p *parser) document() (Policy, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(p.data, &top); err != nil {
		return Policy{}, p.jsonError(err, 0, -1)
	}
	if _, ok := top["Statement"]; !ok {
		if _, isStmt := top["Effect"]; isStmt {
			st, err := p.statement(p.data, 0, 0)
			if err != nil {
				return Policy{}, err
			}
			return Policy{Statements: []Statement{st}}, nil
		}
		return Policy{}, &ParseError{Line: 1, Statement: -1, Msg: "no Statement element"}
	}
	var pol Policy
	if v, ok := top["Version"]; ok {
		if err := json.Unmarshal(v, &pol.Version); err != nil {
			return Policy{}, &ParseError{Line: p.lineOfRaw(v), Statement: -1, Msg: "Version is not a string"}
		}
	}
	raw := top["Statement"]
	base := p.offsetOfRaw(raw)
	raw = bytes.TrimSpace(raw)
	var err error
	switch {
	case len(raw) > 0 && raw[0] == '[':
		pol.Statements, err = p.statements(raw, base)
	case len(raw) > 0 && raw[0] == '{':
		var st Statement
		st, err = p.statement(raw, base, 0)
		pol.Statements = []Statement{st}
	default:
		err = &ParseError{Line: p.line(base), Statement: -1, Msg: "Statement is neither an object nor an array"}
	}
	return pol, err
}

// statements reads a JSON array of statements found at offset base of the
// document, keeping each statement's line.
func (p *parser) statements(arr []byte, base int) ([]Statement, error) {
	dec := json.NewDecoder(bytes.NewReader(arr))
	if _, err := dec.Token(); err != nil { // '['
		return nil, p.jsonError(err, base, -1)
	}
	var out []Statement
	for dec.More() {
		if len(out) >= MaxStatements {
			return nil, &ParseError{Statement: len(out), Msg: fmt.Sprintf("more than %d statements", MaxStatements)}
		}
		off := base + int(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// Decoder offsets count from the start of arr.
			return nil, p.jsonError(err, base, len(out))
		}
		off = skipSeparators(p.data, off)
		st, err := p.statement(raw, off, len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, p.jsonError(err, base, -1)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &ParseError{Line: p.line(base + int(dec.InputOffset())), Statement: -1, Msg: "data after the statement array"}
	}
	return out, nil
}

func (p *parser) statement(raw []byte, off, index int) (Statement, error) {
	line := p.line(off)
	fail := func(format string, args ...any) (Statement, error) {
		return Statement{}, &ParseError{Line: line, Statement: index, Msg: fmt.Sprintf(format, args...)}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return fail("not a JSON object")
	}
	st := Statement{Index: index, Line: line}
	if v, ok := m["Sid"]; ok {
		if err := json.Unmarshal(v, &st.Sid); err != nil {
			return fail("Sid is not a string")
		}
	}
	v, ok := m["Effect"]
	if !ok {
		return fail("no Effect")
	}
	if err := json.Unmarshal(v, &st.Effect); err != nil || (st.Effect != Allow && st.Effect != Deny) {
		return fail("Effect must be \"Allow\" or \"Deny\", got %s", clip(v))
	}
	var err error
	fields := []struct {
		key string
		dst *[]string
	}{
		{"Action", &st.Actions}, {"NotAction", &st.NotActions},
		{"Resource", &st.Resources}, {"NotResource", &st.NotResources},
	}
	for _, f := range fields {
		if v, ok := m[f.key]; ok {
			if *f.dst, err = p.stringList(v); err != nil {
				return fail("%s: %v", f.key, err)
			}
			if len(*f.dst) == 0 {
				return fail("%s: empty list", f.key)
			}
			for _, s := range *f.dst {
				if strings.TrimSpace(s) == "" {
					return fail("%s: empty value", f.key)
				}
			}
		}
	}
	switch {
	case m["Action"] != nil && m["NotAction"] != nil:
		return fail("both Action and NotAction")
	case m["Action"] == nil && m["NotAction"] == nil:
		return fail("neither Action nor NotAction")
	case m["Resource"] != nil && m["NotResource"] != nil:
		return fail("both Resource and NotResource")
	case m["Principal"] != nil && m["NotPrincipal"] != nil:
		return fail("both Principal and NotPrincipal")
	}
	if v, ok := m["Condition"]; ok {
		st.HasCondition = true
		if st.Condition, err = p.condition(v); err != nil {
			return fail("Condition: %v", err)
		}
	}
	if v, ok := m["Principal"]; ok {
		if st.Principals, err = p.principals(v); err != nil {
			return fail("Principal: %v", err)
		}
	}
	return st, nil
}

// stringList reads a string or an array of strings.
func (p *parser) stringList(v json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(v, &one); err == nil {
		return p.count([]string{one})
	}
	var many []string
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, fmt.Errorf("want a string or an array of strings, got %s", clip(v))
	}
	return p.count(many)
}

func (p *parser) count(s []string) ([]string, error) {
	p.values += len(s)
	if p.values > MaxValues {
		return nil, fmt.Errorf("more than %d values in the document", MaxValues)
	}
	return s, nil
}

// condition reads {operator: {key: value-or-values}}; values may be strings,
// numbers or booleans and are kept as their JSON text (strings unquoted).
func (p *parser) condition(v json.RawMessage) (map[string]map[string][]string, error) {
	var ops map[string]map[string]json.RawMessage
	if err := json.Unmarshal(v, &ops); err != nil {
		return nil, fmt.Errorf("want {operator: {key: values}}, got %s", clip(v))
	}
	out := make(map[string]map[string][]string, len(ops))
	for op, keys := range ops {
		out[op] = make(map[string][]string, len(keys))
		for k, raw := range keys {
			vals, err := scalarList(raw)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %v", op, k, err)
			}
			if _, err := p.count(vals); err != nil {
				return nil, err
			}
			out[op][k] = vals
		}
	}
	return out, nil
}

func (p *parser) principals(v json.RawMessage) (map[string][]string, error) {
	var star string
	if err := json.Unmarshal(v, &star); err == nil {
		if star != "*" {
			return nil, fmt.Errorf("a string principal must be \"*\", got %q", star)
		}
		return map[string][]string{"*": {"*"}}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("want \"*\" or {type: values}, got %s", clip(v))
	}
	out := make(map[string][]string, len(m))
	for typ, raw := range m {
		vals, err := p.stringList(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", typ, err)
		}
		out[typ] = vals
	}
	return out, nil
}

func scalarList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, err := scalar(it)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalar(raw)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	switch {
	case len(raw) == 0:
		return "", errors.New("empty value")
	case raw[0] == '{' || raw[0] == '[' || string(raw) == "null":
		return "", fmt.Errorf("want a string, number or boolean, got %s", clip(raw))
	}
	return string(raw), nil
}

// jsonError turns an encoding/json error into a ParseError with a line.
func (p *parser) jsonError(err error, base, index int) error {
	off := base
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = base + int(se.Offset)
	case errors.As(err, &te):
		off = base + int(te.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		off = len(p.data)
		err = errors.New("unexpected end of document")
	}
	return &ParseError{Line: p.line(off), Statement: index, Msg: err.Error()}
}

// offsetOfRaw finds where a RawMessage taken from p.data starts. Unmarshal
// copies RawMessage bytes, so search for them; the first match is the
// element itself except in contrived documents, and only line numbers in
// messages depend on it.
func (p *parser) offsetOfRaw(raw []byte) int {
	if i := bytes.Index(p.data, raw); i >= 0 {
		return i
	}
	return 0
}

func (p *parser) lineOfRaw(raw []byte) int { return p.line(p.offsetOfRaw(raw)) }

func skipSeparators(data []byte, off int) int {
	for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}

func lineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func clip(b []byte) string {
	s := string(bytes.TrimSpace(b))
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// sortedUnique returns a copy of s sorted and without duplicates.
func sortedUnique(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	j := 0
	for i, v := range out {
		if i == 0 || v != out[j-1] {
			out[j] = v
			j++
		}
	}
	return out[:j]
}
