package azure

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// Bicep support: the declarations the function-app checks need (param with
// default, var, resource with an object body, nested child resources,
// `parent:`) are read into the same node tree an ARM template gives, then
// modelled by the ARM builder. Values Bicep computes (function calls,
// property access, interpolated strings, loops, conditions) become ARM-style
// expressions, which the builder keeps Unknown. A file the reader cannot
// follow is reported as not scanned, with the line it stopped at.

type bicepErr struct {
	line int
	msg  string
}

func (e *bicepErr) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type bicepParser struct {
	src  []byte
	i    int
	line int
	col  int
}

func (p *bicepParser) fail(format string, args ...any) {
	panic(&bicepErr{p.line, fmt.Sprintf(format, args...)})
}

func (p *bicepParser) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

func (p *bicepParser) next() byte {
	c := p.peek()
	if c == 0 {
		return 0
	}
	p.i++
	if c == '\n' {
		p.line++
		p.col = 1
	} else {
		p.col++
	}
	return c
}

// space skips blanks and comments; newlines too when nl is set.
func (p *bicepParser) space(nl bool) {
	for p.i < len(p.src) {
		c := p.peek()
		switch {
		case c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n') || c == ',':
			p.next()
		case c == '/' && p.i+1 < len(p.src) && p.src[p.i+1] == '/':
			for p.peek() != '\n' && p.peek() != 0 {
				p.next()
			}
		case c == '/' && p.i+1 < len(p.src) && p.src[p.i+1] == '*':
			p.next()
			p.next()
			for p.peek() != 0 && !(p.peek() == '*' && p.i+1 < len(p.src) && p.src[p.i+1] == '/') {
				p.next()
			}
			p.next()
			p.next()
		default:
			return
		}
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *bicepParser) ident() string {
	start := p.i
	for isIdent(p.peek()) {
		p.next()
	}
	return string(p.src[start:p.i])
}

// needIdent reads an identifier that must be there.
func (p *bicepParser) needIdent(what string) string {
	id := p.ident()
	if id == "" {
		p.fail("expected a name after %s", what)
	}
	return id
}

// str reads a '...' string; interpolated reports whether it holds ${...}.
func (p *bicepParser) str() (s string, interpolated bool) {
	if bytes.HasPrefix(p.src[p.i:], []byte("'''")) {
		p.next()
		p.next()
		p.next()
		start := p.i
		for !bytes.HasPrefix(p.src[p.i:], []byte("'''")) {
			if p.next() == 0 {
				p.fail("unterminated multi-line string")
			}
		}
		s = string(p.src[start:p.i])
		p.next()
		p.next()
		p.next()
		return s, false
	}
	p.next() // '
	var b strings.Builder
	depth := 0
	for {
		c := p.next()
		switch {
		case c == 0 || c == '\n' && depth == 0:
			p.fail("unterminated string")
		case c == '\\' && depth == 0:
			b.WriteByte(p.next())
			continue
		case c == '$' && p.peek() == '{' && depth == 0:
			interpolated = true
			depth++
			b.WriteByte(c)
			b.WriteByte(p.next())
			continue
		case c == '{' && depth > 0:
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '\'' && depth == 0:
			return b.String(), interpolated
		}
		b.WriteByte(c)
	}
}

func scalar(tag, v string, line, col int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v, Line: line, Column: col}
}

// value reads one value: object, array, string, literal, or an expression
// (kept as an ARM-style "[...]" string). Identifiers naming a param or var
// become [parameters('x')] / [variables('x')].
func (p *bicepParser) value(depth int, params, vars map[string]bool) *yaml.Node {
	if depth > 64 {
		p.fail("nesting deeper than 64")
	}
	p.space(false)
	line, col := p.line, p.col
	switch c := p.peek(); {
	case c == '{':
		p.next()
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
		for {
			p.space(true)
			if p.peek() == '}' {
				p.next()
				return m
			}
			kl, kc := p.line, p.col
			var key string
			switch {
			case p.peek() == '\'':
				key, _ = p.str()
			case isIdent(p.peek()):
				key = p.ident()
			case p.peek() == '@': // decorators inside objects
				p.ident()
				p.expr()
				continue
			default:
				p.fail("expected a property name, found %q", p.peek())
			}
			if key == "resource" && p.peek() == ' ' { // nested child resource
				child := p.resource(depth+1, params, vars)
				res := getFold(m, "resources")
				if res == nil {
					res = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: kl, Column: kc}
					m.Content = append(m.Content, scalar("!!str", "resources", kl, kc), res)
				}
				res.Content = append(res.Content, child)
				continue
			}
			p.space(false)
			if p.next() != ':' {
				p.fail("expected ':' after %q", key)
			}
			m.Content = append(m.Content, scalar("!!str", key, kl, kc), p.value(depth+1, params, vars))
		}
	case c == '[':
		save := *p
		p.next()
		p.space(true)
		if bytes.HasPrefix(p.src[p.i:], []byte("for ")) {
			*p = save
			return scalar("!!str", "["+p.expr()+"]", line, col)
		}
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: col}
		for {
			p.space(true)
			if p.peek() == ']' {
				p.next()
				return s
			}
			if p.peek() == 0 {
				p.fail("unterminated array")
			}
			s.Content = append(s.Content, p.value(depth+1, params, vars))
		}
	case c == '\'':
		v, interp := p.str()
		if interp {
			return scalar("!!str", "['"+v+"']", line, col)
		}
		if strings.HasPrefix(v, "[") {
			v = "[" + v // ARM's escape for a literal leading bracket
		}
		return scalar("!!str", v, line, col)
	default:
		e := strings.TrimSpace(p.expr())
		switch {
		case e == "":
			p.fail("expected a value")
		case e == "true" || e == "false":
			return scalar("!!bool", e, line, col)
		case e == "null":
			return scalar("!!null", "null", line, col)
		case e != "" && strings.Trim(e, "0123456789-") == "":
			return scalar("!!int", e, line, col)
		case params[e]:
			return scalar("!!str", "[parameters('"+e+"')]", line, col)
		case vars[e]:
			return scalar("!!str", "[variables('"+e+"')]", line, col)
		}
		return scalar("!!str", "["+e+"]", line, col)
	}
}

// expr reads an expression up to the end of the line (outside brackets).
func (p *bicepParser) expr() string {
	start := p.i
	depth := 0
	for {
		c := p.peek()
		switch {
		case c == 0:
			return string(p.src[start:p.i])
		case c == '\'':
			p.str()
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				return string(p.src[start:p.i])
			}
			depth--
		case (c == '\n' || c == ',') && depth == 0:
			return string(p.src[start:p.i])
		}
		p.next()
	}
}

// resource reads `resource sym 'type@ver' [existing] = [if (...)] {...}`
// after the keyword.
func (p *bicepParser) resource(depth int, params, vars map[string]bool) *yaml.Node {
	line, col := p.line, p.col
	p.space(false)
	sym := p.needIdent("resource")
	p.space(false)
	if p.peek() != '\'' {
		p.fail("expected the resource type")
	}
	typ, _ := p.str()
	typ, _, _ = strings.Cut(typ, "@")
	p.space(false)
	if bytes.HasPrefix(p.src[p.i:], []byte("existing")) {
		p.ident()
		p.space(false)
	}
	if p.next() != '=' {
		p.fail("expected '=' in resource %s", sym)
	}
	p.space(false)
	if bytes.HasPrefix(p.src[p.i:], []byte("if")) {
		p.ident()
		p.space(false)
		p.next() // (
		depthParen := 1
		for depthParen > 0 && p.peek() != 0 {
			switch p.next() {
			case '(':
				depthParen++
			case ')':
				depthParen--
			}
		}
		p.space(false)
	}
	body := p.value(depth, params, vars)
	if body.Kind != yaml.MappingNode {
		body = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
	}
	body.Content = append([]*yaml.Node{scalar("!!str", "type", line, col), scalar("!!str", typ, line, col),
		scalar("!!str", "$symbol", line, col), scalar("!!str", sym, line, col)}, body.Content...)
	return body
}

// parseBicep reads a Bicep file into an ARM-shaped root node.
func parseBicep(src []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			if be, ok := r.(*bicepErr); ok {
				err = be
				return
			}
			panic(r)
		}
	}()
	p := &bicepParser{src: src, line: 1, col: 1}
	params, vars := map[string]bool{}, map[string]bool{}
	pnode := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	vnode := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	res := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for {
		p.space(true)
		if p.peek() == 0 {
			break
		}
		line, col := p.line, p.col
		if p.peek() == '@' { // decorator
			p.next()
			p.ident()
			p.expr()
			continue
		}
		kw := p.ident()
		p.space(false)
		switch kw {
		case "param":
			name := p.needIdent("param")
			p.space(false)
			p.ident() // type
			p.space(false)
			params[name] = true
			entry := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
			if p.peek() == '=' {
				p.next()
				entry.Content = append(entry.Content, scalar("!!str", "defaultValue", line, col), p.value(1, params, vars))
			}
			pnode.Content = append(pnode.Content, scalar("!!str", name, line, col), entry)
		case "var":
			name := p.needIdent("var")
			p.space(false)
			if p.next() != '=' {
				p.fail("expected '=' in var %s", name)
			}
			v := p.value(1, params, vars)
			vars[name] = true
			vnode.Content = append(vnode.Content, scalar("!!str", name, line, col), v)
		case "resource":
			res.Content = append(res.Content, p.resource(1, params, vars))
		case "targetScope", "output", "module", "import", "metadata", "type", "func", "using", "extension", "provider":
			// not needed for function apps: skip the declaration
			p.expr()
			for p.peek() == '{' || p.peek() == '[' || p.peek() == '(' {
				p.next()
				p.expr()
				p.next()
				p.expr()
			}
		default:
			p.fail("unexpected %q", kw)
		}
	}
	root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		scalar("!!str", "parameters", 1, 1), pnode, scalar("!!str", "variables", 1, 1), vnode, scalar("!!str", "resources", 1, 1), res}}
	return root, nil
}

// loadBicepFile models the Microsoft.Web/sites of a Bicep file.
func loadBicepFile(t *loader.Tree, f loader.File, opts loader.Options) (app *model.Application) {
	if !t.Claim(f.Rel, "azure") {
		return nil
	}
	data, err := t.Read(f.Rel)
	if err != nil {
		t.Note(model.NoteError, model.Pos{File: f.Rel}, "Bicep file not scanned: %v", err)
		return nil
	}
	if !strings.Contains(strings.ToLower(string(data)), "microsoft.web/sites") {
		return nil
	}
	root, err := parseBicep(data)
	if err != nil {
		line := 0
		if be, ok := err.(*bicepErr); ok {
			line = be.line
		}
		t.Note(model.NoteWarn, model.Pos{File: f.Rel, Line: line}, "Bicep file not scanned: %v (compile it with `az bicep build` and scan the ARM JSON)", err)
		return nil
	}
	name := strings.TrimSuffix(f.Base(), path.Ext(f.Base()))
	app = &model.Application{Name: name, Format: "bicep", Provider: model.Azure, File: f.Rel, Dir: path.Dir(f.Rel)}
	defer guard(app, f.Rel)
	buildARM(app, root, f.Rel, opts)
	return app
}
