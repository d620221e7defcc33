// Package yamlx parses YAML and JSON config files into yaml.v3 nodes with
// the bounds an untrusted repository needs (size, depth, alias expansion),
// and offers the small set of node helpers every loader uses.
package yamlx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/model"
)

// Limits bound the work of parsing one document.
type Limits struct {
	MaxBytes int // larger input is refused
	MaxDepth int // deeper nesting is refused
	// MaxNodes bounds the nodes reachable from the root, aliases expanded:
	// an alias bomb is refused instead of exhausting memory in a later walk.
	MaxNodes int
}

// DefaultLimits are generous for real config files and small enough that a
// hostile file cannot hurt.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxDepth: 256, MaxNodes: 2_000_000}

// Error is a parse error with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var lineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// Parse parses data as YAML (JSON is YAML) and returns the document's root
// content node, never a DocumentNode. An empty document yields a nil node and
// no error.
func Parse(file string, data []byte, lim Limits) (*yaml.Node, error) {
	n, err := parse(file, data, lim)
	if pe, ok := err.(*Error); ok && pe.Line > 0 {
		pe.Line = errorLine(file, data, pe, lim)
	}
	return n, err
}

func parse(file string, data []byte, lim Limits) (*yaml.Node, error) {
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return nil, &Error{File: file, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit; not parsed", len(data), lim.MaxBytes)}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, &Error{File: file, Msg: "binary content (NUL byte); not parsed"}
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') && bytes.IndexByte(data, '\t') >= 0 && json.Valid(data) {
		// JSON indented with tabs is valid JSON but not valid YAML. In
		// valid JSON every tab is whitespace (tabs in strings must be
		// escaped), so spaces keep the meaning and every position.
		data = bytes.ReplaceAll(data, []byte("\t"), []byte(" "))
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, wrap(file, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, nil
		}
		root = root.Content[0]
	}
	if err := check(root, lim); err != nil {
		return nil, &Error{File: file, Line: err.line, Msg: err.msg}
	}
	return root, nil
}

func wrap(file string, err error) error {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: m[2]}
	}
	return &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

type limitErr struct {
	line int
	msg  string
}

// check walks the tree iteratively, following aliases, and enforces depth
// and expanded-size bounds.
func check(root *yaml.Node, lim Limits) *limitErr {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{root, 1}}
	nodes := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nodes++
		if lim.MaxNodes > 0 && nodes > lim.MaxNodes {
			return &limitErr{it.n.Line, fmt.Sprintf("document expands to more than %d nodes (alias bomb?); not parsed", lim.MaxNodes)}
		}
		if lim.MaxDepth > 0 && it.depth > lim.MaxDepth {
			return &limitErr{it.n.Line, fmt.Sprintf("nesting deeper than %d levels; not parsed", lim.MaxDepth)}
		}
		if it.n.Kind == yaml.AliasNode {
			if it.n.Alias != nil {
				stack = append(stack, item{it.n.Alias, it.depth + 1})
			}
			continue
		}
		for _, c := range it.n.Content {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return nil
}

// Deref follows alias nodes.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// Pair is one key/value of a mapping.
type Pair struct {
	Key   *yaml.Node
	Value *yaml.Node
}

// Pairs returns the key/value pairs of a mapping node, with YAML merge keys
// (<<) expanded; explicit keys win over merged ones. Non-mappings yield nil.
func Pairs(n *yaml.Node) []Pair {
	n = Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out, merged []Pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
			v = Deref(v)
			if v == nil {
				continue
			}
			if v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					merged = append(merged, Pairs(m)...)
				}
			} else {
				merged = append(merged, Pairs(v)...)
			}
			continue
		}
		out = append(out, Pair{k, v})
	}
	for _, m := range merged {
		if !hasKey(out, m.Key.Value) {
			out = append(out, m)
		}
	}
	return out
}

func hasKey(ps []Pair, k string) bool {
	for _, p := range ps {
		if p.Key.Value == k {
			return true
		}
	}
	return false
}

// Get returns the value of key in a mapping node, or nil.
func Get(n *yaml.Node, key string) *yaml.Node {
	for _, p := range Pairs(n) {
		if p.Key.Value == key {
			return Deref(p.Value)
		}
	}
	return nil
}

// GetKey returns the key node and value of key in a mapping node.
func GetKey(n *yaml.Node, key string) (k, v *yaml.Node) {
	for _, p := range Pairs(n) {
		if p.Key.Value == key {
			return p.Key, Deref(p.Value)
		}
	}
	return nil, nil
}

// Path follows a sequence of mapping keys.
func Path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = Get(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Items returns the elements of a sequence node (a scalar or mapping yields
// itself, since configs often accept one value where a list is allowed).
func Items(n *yaml.Node) []*yaml.Node {
	n = Deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, Deref(c))
		}
		return out
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	return []*yaml.Node{n}
}

// IsScalar reports whether n is a non-null scalar.
func IsScalar(n *yaml.Node) bool {
	n = Deref(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null"
}

// IsNull reports whether n is missing or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = Deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// Pos returns the model position of n in file.
func Pos(file string, n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{File: file}
	}
	return model.Pos{File: file, Line: n.Line, Col: n.Column}
}

// Bool interprets a scalar as a boolean the way YAML 1.1 configs mean it.
func Bool(n *yaml.Node) (bool, bool) {
	n = Deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

// Int interprets a scalar as an integer.
func Int(n *yaml.Node) (int, bool) {
	n = Deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
	if err != nil || v > 1e12 || v < -1e12 {
		return 0, false
	}
	return int(v), true
}

// maxRefine bounds the input for which errorLine re-parses prefixes.
const maxRefine = 1 << 20

// errorLine finds the line a YAML syntax error is on. The parser reports
// the start of the enclosing construct (often lines earlier, and 0-based
// for parser errors); the first prefix of the file that fails with the
// same message ends on the line at fault. Binary search keeps this to
// about log2(lines) parses, and only files up to 1 MiB are refined.
func errorLine(file string, data []byte, pe *Error, lim Limits) int {
	if len(data) > maxRefine {
		return pe.Line
	}
	var ends []int // byte offset after each line
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(k int) bool {
		_, err := parse(file, data[:ends[k-1]], lim)
		e, ok := err.(*Error)
		return ok && e.Msg == pe.Msg
	}
	lo, hi := 1, len(ends)
	if !fails(hi) {
		return pe.Line
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
