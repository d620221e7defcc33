// Package lang parses function source code (JavaScript, TypeScript, Python
// and Go) into a small, immutable syntax tree that the analysers in the
// sibling packages walk without touching cgo.
//
// Parsing uses tree-sitter grammars: they recover from syntax errors, so a
// file that does not compile still yields a partial tree, and the scanned
// code is never executed or imported.
package lang

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/golang"
	"github.com/smacker/go-tree-sitter/javascript"
	"github.com/smacker/go-tree-sitter/python"
	"github.com/smacker/go-tree-sitter/typescript/typescript"
)

// Language names accepted by Parse.
const (
	JavaScript = "javascript"
	TypeScript = "typescript"
	Python     = "python"
	Go         = "go"
	Java       = "java"
)

// Limits that bound the work spent on one file.
const (
	// MaxFileSize is the largest file parsed; bigger files are skipped.
	MaxFileSize = 2 << 20
	// MaxLineLength marks a file as minified (a bundle) when one of its
	// lines is longer; such files are skipped because findings in them
	// cannot be tied to a useful line.
	MaxLineLength = 4000
	// MaxNodes caps the syntax tree size kept in memory (copying a node
	// out of tree-sitter costs about 2 µs).
	MaxNodes = 1 << 19
	// parseTimeout bounds tree-sitter's own work on pathological input.
	parseTimeout = 5 * time.Second
)

// ErrSkipped is wrapped by Parse errors for files deliberately not parsed
// (too large, minified, unsupported language).
var ErrSkipped = errors.New("skipped")

// Node is one syntax node. Children include anonymous tokens (operators,
// keywords) so that analysers can read an operator; Named tells them apart.
type Node struct {
	Kind     string
	Field    string // field name in the parent, if any
	Named    bool
	Start    int // byte offsets into File.Src
	End      int
	Line     int // 1-based
	Col      int // 1-based, in bytes
	Parent   *Node
	Children []*Node
}

// File is a parsed source file.
type File struct {
	Path  string
	Lang  string
	Src   []byte
	Root  *Node
	Notes []string // partial-parse and encoding notes
}

// Text returns the source text of n.
func (f *File) Text(n *Node) string {
	if n == nil {
		return ""
	}
	return string(f.Src[n.Start:n.End])
}

// ChildByField returns the first child of n with the given field name.
func (n *Node) ChildByField(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Field == name {
			return c
		}
	}
	return nil
}

// NamedChildren returns the named children of n.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	out := make([]*Node, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Named {
			out = append(out, c)
		}
	}
	return out
}

// Walk calls fn for n and its descendants in source order; fn returning
// false skips the node's children. It is iterative, so deep trees cannot
// exhaust the stack.
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil {
		return
	}
	stack := []*Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(cur) {
			continue
		}
		for i := len(cur.Children) - 1; i >= 0; i-- {
			stack = append(stack, cur.Children[i])
		}
	}
}

// FromPath returns the language of a source file by its extension, or "".
func FromPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".mjs", ".cjs", ".jsx":
		return JavaScript
	case ".ts", ".mts", ".cts", ".tsx":
		return TypeScript
	case ".py":
		return Python
	case ".go":
		return Go
	case ".java":
		return Java
	}
	return ""
}

var (
	pools   = map[string]*sync.Pool{}
	symbols = map[string]symbolTable{}
)

// symbolTable caches kind names per grammar symbol: one cgo call per node
// (Symbol) instead of two plus a string allocation (Type, IsNamed).
type symbolTable struct {
	name  []string
	named []bool
}

func init() {
	for _, l := range []string{JavaScript, TypeScript, Python, Go} {
		g := grammar(l)
		n := int(g.SymbolCount())
		st := symbolTable{name: make([]string, n), named: make([]bool, n)}
		for i := 0; i < n; i++ {
			st.name[i] = g.SymbolName(sitter.Symbol(i))
			st.named[i] = g.SymbolType(sitter.Symbol(i)) == sitter.SymbolTypeRegular
		}
		symbols[l] = st
		pools[l] = &sync.Pool{New: func() any {
			p := sitter.NewParser()
			p.SetLanguage(g)
			p.SetOperationLimit(int(parseTimeout / time.Microsecond))
			return p
		}}
	}
}

func grammar(lang string) *sitter.Language {
	switch lang {
	case JavaScript:
		return javascript.GetLanguage()
	case TypeScript:
		return typescript.GetLanguage()
	case Python:
		return python.GetLanguage()
	case Go:
		return golang.GetLanguage()
	}
	return nil
}

// Parse parses src as lang. Files over MaxFileSize, minified files and
// unsupported languages give an error wrapping ErrSkipped. Syntax errors
// and invalid UTF-8 do not fail: the partial tree is returned with a note.
func Parse(path string, src []byte, lang string) (*File, error) {
	g := grammar(lang)
	if g == nil {
		return nil, fmt.Errorf("%s: language %q: %w", path, lang, ErrSkipped)
	}
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes exceeds the %d byte limit: %w", path, len(src), MaxFileSize, ErrSkipped)
	}
	if line, n := longestLine(src); n > MaxLineLength {
		return nil, fmt.Errorf("%s:%d: line of %d bytes looks minified: %w", path, line, n, ErrSkipped)
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, fmt.Errorf("%s: binary content (NUL byte): %w", path, ErrSkipped)
	}
	f := &File{Path: path, Lang: lang, Src: src}
	if !utf8.Valid(src) {
		f.Notes = append(f.Notes, fmt.Sprintf("%s: invalid UTF-8; analysed as bytes", path))
	}
	// Creating a tree-sitter parser costs about a millisecond, ten times a
	// small file's parse, so parsers are pooled per language.
	pool := pools[lang]
	p := pool.Get().(*sitter.Parser)
	tree, err := p.ParseCtx(context.Background(), nil, src)
	p.Reset()
	pool.Put(p)
	if err != nil {
		return nil, fmt.Errorf("%s: parse: %w", path, err)
	}
	if tree == nil {
		return nil, fmt.Errorf("%s: parse gave up after %v", path, parseTimeout)
	}
	defer tree.Close()
	root := tree.RootNode()
	f.Root, err = convert(root, src, symbols[lang])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if root.HasError() {
		line := firstErrorLine(f.Root)
		f.Notes = append(f.Notes, fmt.Sprintf("%s:%d: syntax error; results are partial", path, line))
	}
	return f, nil
}

// convert copies the tree-sitter tree into Go values with one cursor walk.
func convert(root *sitter.Node, src []byte, st symbolTable) (*Node, error) {
	lines := newLineIndex(src)
	c := sitter.NewTreeCursor(root)
	defer c.Close()
	mk := func(parent *Node) *Node {
		sn := c.CurrentNode()
		var kind string
		var named bool
		if sym := int(sn.Symbol()); sym < len(st.name) {
			kind, named = st.name[sym], st.named[sym]
		} else { // the ERROR symbol (65535) lies outside the table
			kind, named = sn.Type(), sn.IsNamed()
		}
		n := &Node{
			Kind:   kind,
			Field:  c.CurrentFieldName(),
			Named:  named,
			Start:  int(sn.StartByte()),
			End:    int(sn.EndByte()),
			Parent: parent,
		}
		n.Line, n.Col = lines.position(n.Start)
		if parent != nil {
			parent.Children = append(parent.Children, n)
		}
		return n
	}
	top := mk(nil)
	cur := top
	count := 1
	for {
		if c.GoToFirstChild() {
			cur = mk(cur)
		} else {
			for !c.GoToNextSibling() {
				if !c.GoToParent() {
					return top, nil
				}
				cur = cur.Parent
			}
			cur = mk(cur.Parent)
		}
		count++
		if count > MaxNodes {
			return nil, fmt.Errorf("syntax tree exceeds %d nodes: %w", MaxNodes, ErrSkipped)
		}
	}
}

func firstErrorLine(root *Node) int {
	line := 0
	Walk(root, func(n *Node) bool {
		if line != 0 {
			return false
		}
		if n.Kind == "ERROR" || n.Named && n.Start == n.End && n.Parent != nil { // zero-width: inserted by recovery

			line = n.Line
			return false
		}
		return true
	})
	if line == 0 {
		line = 1
	}
	return line
}

func longestLine(src []byte) (line, length int) {
	ln := 1
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		seg := src
		if i >= 0 {
			seg = src[:i]
			src = src[i+1:]
		} else {
			src = nil
		}
		if len(seg) > length {
			line, length = ln, len(seg)
		}
		ln++
	}
	return line, length
}

// lineIndex maps byte offsets to 1-based line and column (cheaper than
// asking tree-sitter through cgo for every node).
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range src {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (l lineIndex) position(off int) (line, col int) {
	lo, hi := 0, len(l)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, off - l[lo] + 1
}
