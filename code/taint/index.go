package taint

import (
	"path"
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// index records imports (as aliases to canonical module paths), local
// functions and JavaScript exports.
func (a *analyzer) index() {
	lang.Walk(a.f.Root, func(n *lang.Node) bool {
		switch a.lang {
		case lang.Python:
			a.indexPython(n)
		case lang.Go:
			a.indexGo(n)
		default:
			a.indexJS(n)
		}
		return true
	})
}

func (a *analyzer) addFunc(name string, fn *lang.Node) {
	if name != "" && fn != nil {
		a.funcs[name] = append(a.funcs[name], fn)
	}
}

func (a *analyzer) indexJS(n *lang.Node) {
	switch n.Kind {
	case "function_declaration", "generator_function_declaration", "method_definition":
		a.addFunc(a.text(n.ChildByField("name")), n)
	case "variable_declarator":
		name, val := n.ChildByField("name"), n.ChildByField("value")
		if val == nil {
			return
		}
		if a.syn.funcLit[val.Kind] && name.Kind == "identifier" {
			a.addFunc(a.text(name), val)
		}
		if mod, rest, ok := a.requireOf(val); ok {
			a.aliasPattern(name, mod+rest)
		}
		if n.Parent != nil && n.Parent.Parent != nil && n.Parent.Parent.Kind == "export_statement" && name.Kind == "identifier" {
			a.exports[a.text(name)] = val
		}
	case "assignment_expression":
		left, right := n.ChildByField("left"), n.ChildByField("right")
		lt := normKey(a.text(left))
		switch {
		case strings.HasPrefix(lt, "module.exports."):
			a.exports[strings.TrimPrefix(lt, "module.exports.")] = right
		case strings.HasPrefix(lt, "exports."):
			a.exports[strings.TrimPrefix(lt, "exports.")] = right
		case lt == "module.exports":
			if right.Kind == "object" {
				for _, p := range right.NamedChildren() {
					switch p.Kind {
					case "shorthand_property_identifier":
						a.exports[a.text(p)] = p
					case "pair":
						a.exports[lang.Unquote(a.text(p.ChildByField("key")))] = p.ChildByField("value")
					case "method_definition":
						a.exports[a.text(p.ChildByField("name"))] = p
					}
				}
			} else {
				a.exports["default"] = right
			}
		}
		if a.syn.funcLit[right.Kind] && left.Kind == "member_expression" {
			_, prop := a.memberParts(left)
			a.addFunc(prop, right)
		}
	case "export_statement":
		if d := n.ChildByField("declaration"); d != nil && (d.Kind == "function_declaration" || d.Kind == "generator_function_declaration") {
			a.exports[a.text(d.ChildByField("name"))] = d
		}
		if v := n.ChildByField("value"); v != nil { // export default ...
			a.exports["default"] = v
		}
		if d := n.ChildByField("declaration"); d != nil && strings.HasPrefix(a.text(n), "export default") {
			a.exports["default"] = d
		}
		if ec := lang.ChildOfKind(n, "export_clause"); ec != nil {
			for _, s := range ec.NamedChildren() {
				local, alias := s.ChildByField("name"), s.ChildByField("alias")
				if alias == nil {
					alias = local
				}
				a.exports[a.text(alias)] = local
			}
		}
	case "import_statement":
		a.f.JSImports(n, a.alias)
	}
}

// requireOf recognises require('m'), require('m').x and await import('m').
func (a *analyzer) requireOf(n *lang.Node) (mod, rest string, ok bool) {
	for n != nil && (n.Kind == "await_expression" || n.Kind == "parenthesized_expression") {
		ch := n.NamedChildren()
		if len(ch) == 0 {
			return "", "", false
		}
		n = ch[0]
	}
	if n == nil {
		return "", "", false
	}
	if n.Kind == "member_expression" {
		obj, prop := a.memberParts(n)
		m, r, ok := a.requireOf(obj)
		return m, r + "." + prop, ok
	}
	if n.Kind != "call_expression" {
		return "", "", false
	}
	fn, args, _ := a.callParts(n)
	if fn == nil || (a.text(fn) != "require" && fn.Kind != "import") || len(args) != 1 || !a.isStringLit(args[0]) {
		return "", "", false
	}
	return lang.JSModule(a.text(args[0])), "", true
}

// aliasPattern maps the names bound by a require() pattern.
func (a *analyzer) aliasPattern(p *lang.Node, target string) {
	switch p.Kind {
	case "identifier":
		a.alias[a.text(p)] = target
	case "object_pattern":
		for _, c := range p.NamedChildren() {
			switch c.Kind {
			case "shorthand_property_identifier_pattern":
				a.alias[a.text(c)] = target + "." + a.text(c)
			case "pair_pattern":
				if v := c.ChildByField("value"); v != nil && v.Kind == "identifier" {
					a.alias[a.text(v)] = target + "." + lang.Unquote(a.text(c.ChildByField("key")))
				}
			}
		}
	}
}

func (a *analyzer) indexPython(n *lang.Node) {
	switch n.Kind {
	case "function_definition":
		a.addFunc(a.text(n.ChildByField("name")), n)
	case "import_statement":
		for _, c := range n.NamedChildren() {
			switch c.Kind {
			case "dotted_name":
				first := strings.SplitN(a.text(c), ".", 2)[0]
				a.alias[first] = first
			case "aliased_import":
				a.alias[a.text(c.ChildByField("alias"))] = a.text(c.ChildByField("name"))
			}
		}
	case "import_from_statement":
		mod := a.text(n.ChildByField("module_name"))
		for _, c := range n.Children {
			if c.Field != "name" {
				continue
			}
			switch c.Kind {
			case "dotted_name":
				a.alias[a.text(c)] = mod + "." + a.text(c)
			case "aliased_import":
				a.alias[a.text(c.ChildByField("alias"))] = mod + "." + a.text(c.ChildByField("name"))
			}
		}
	}
}

func (a *analyzer) indexGo(n *lang.Node) {
	switch n.Kind {
	case "function_declaration", "method_declaration":
		a.addFunc(a.text(n.ChildByField("name")), n)
	case "import_spec":
		p := lang.Unquote(a.text(n.ChildByField("path")))
		name := path.Base(p)
		if nm := n.ChildByField("name"); nm != nil {
			name = a.text(nm)
		} else if strings.HasPrefix(name, "v") && len(name) <= 3 && strings.Contains(p, "/") { // ".../jwt/v5"
			name = path.Base(path.Dir(p))
		}
		a.alias[name] = p
	}
}

// canon returns the canonical dotted name of a callee: imported names are
// replaced by their module path (cp.exec → child_process.exec,
// exec.Command → os/exec.Command).
func (a *analyzer) canon(n *lang.Node) string {
	if n == nil {
		return ""
	}
	switch {
	case a.syn.ident[n.Kind] || n.Kind == "package_identifier" || n.Kind == "type_identifier":
		t := a.text(n)
		if m, ok := a.alias[t]; ok {
			return m
		}
		return t
	case a.syn.member[n.Kind]:
		obj, prop := a.memberParts(n)
		if mod, _, ok := a.requireOf(obj); ok {
			return mod + "." + prop
		}
		return a.canon(obj) + "." + prop
	case a.syn.call[n.Kind]:
		fn, _, _ := a.callParts(n)
		return a.canon(fn) + "()"
	case n.Kind == "parenthesized_expression" || n.Kind == "await_expression" || n.Kind == "non_null_expression":
		ch := n.NamedChildren()
		if len(ch) == 1 {
			return a.canon(ch[0])
		}
	}
	return normKey(a.text(n))
}

// findHandler returns the function nodes implementing symbol.
func (a *analyzer) findHandler(symbol string) []*lang.Node {
	switch a.lang {
	case lang.Go:
		if symbol == "" || symbol == "main" {
			return a.goStartTargets()
		}
		return a.funcs[lastSeg(symbol)]
	case lang.Python:
		if symbol == "" {
			return nil
		}
		return a.funcs[symbol]
	}
	if symbol == "" {
		symbol = "default"
	}
	if v, ok := a.exports[symbol]; ok {
		if fn := a.resolveFunc(v, 0); fn != nil {
			return []*lang.Node{fn}
		}
	}
	if fs := a.funcs[symbol]; len(fs) > 0 {
		return fs[:1]
	}
	return nil
}

// resolveFunc follows a JavaScript export value to a function: a literal,
// a local function name, or the handler wrapped by middleware
// (middy(handler).use(...)).
func (a *analyzer) resolveFunc(n *lang.Node, depth int) *lang.Node {
	if n == nil || depth > 6 {
		return nil
	}
	switch {
	case a.syn.funcLit[n.Kind] || a.syn.funcDecl[n.Kind]:
		return n
	case n.Kind == "identifier" || n.Kind == "shorthand_property_identifier":
		if fs := a.funcs[a.text(n)]; len(fs) > 0 {
			return fs[0]
		}
	case a.syn.call[n.Kind]:
		fn, args, _ := a.callParts(n)
		for _, arg := range args {
			if f := a.resolveFunc(arg, depth+1); f != nil {
				return f
			}
		}
		if fn != nil && a.syn.member[fn.Kind] {
			obj, _ := a.memberParts(fn)
			return a.resolveFunc(obj, depth+1)
		}
	case n.Kind == "parenthesized_expression" || n.Kind == "await_expression":
		for _, c := range n.NamedChildren() {
			return a.resolveFunc(c, depth+1)
		}
	}
	return nil
}

// goStartTargets returns the functions passed to lambda.Start.
func (a *analyzer) goStartTargets() []*lang.Node {
	var out []*lang.Node
	lang.Walk(a.f.Root, func(n *lang.Node) bool {
		if n.Kind != "call_expression" {
			return true
		}
		fn, args, _ := a.callParts(n)
		name := a.canon(fn)
		if !strings.HasSuffix(name, "aws-lambda-go/lambda.Start") && !strings.HasSuffix(name, "aws-lambda-go/lambda.StartWithOptions") &&
			!strings.HasSuffix(name, "aws-lambda-go/lambda.StartHandlerFunc") || len(args) == 0 {
			return true
		}
		switch h := args[0]; {
		case h.Kind == "func_literal":
			out = append(out, h)
		case h.Kind == "identifier":
			out = append(out, a.funcs[a.text(h)]...)
		case h.Kind == "selector_expression":
			_, m := a.memberParts(h)
			out = append(out, a.funcs[m]...)
		}
		return true
	})
	return out
}

var eventNames = map[string]bool{"event": true, "evt": true, "ev": true, "req": true, "request": true, "e": false}

// eventShaped returns top-level functions whose event parameter has a
// conventional name.
func (a *analyzer) eventShaped() []*lang.Node {
	var out []*lang.Node
	seen := map[*lang.Node]bool{}
	add := func(fn *lang.Node) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		ps := a.params(fn)
		i := a.eventParam(fn)
		if i >= 0 && eventNames[a.text(ps[i])] {
			out = append(out, fn)
		}
	}
	for _, v := range a.exports {
		if fn := a.resolveFunc(v, 0); fn != nil {
			add(fn)
		}
	}
	lang.Walk(a.f.Root, func(n *lang.Node) bool {
		if a.syn.funcDecl[n.Kind] {
			add(n)
		}
		return true
	})
	return out
}

// eventParam returns the index of the handler's event parameter, or -1.
func (a *analyzer) eventParam(fn *lang.Node) int {
	ps := a.params(fn)
	if len(ps) == 0 {
		return -1
	}
	switch a.lang {
	case lang.Python:
		if a.text(ps[0]) == "self" || a.text(ps[0]) == "cls" {
			if len(ps) > 1 {
				return 1
			}
			return -1
		}
	case lang.Go:
		for i, p := range ps {
			t := a.goParamType(p)
			if t == "context.Context" || t == "" || p.Kind != "identifier" || strings.HasSuffix(t, "ResponseWriter") {
				continue
			}
			return i
		}
		return -1
	default:
		if a.text(ps[0]) == "context" && len(ps) > 1 { // Azure Functions: (context, req)
			return 1
		}
	}
	return 0
}
