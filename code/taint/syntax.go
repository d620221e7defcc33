package taint

import (
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// syntax names the grammar node kinds the analyser needs, per language.
type syntax struct {
	funcDecl, funcLit, call, member, index, ident, str, assign, loop, ret, ifStmt, comprehension map[string]bool
	memberObj, memberProp, indexObj                                                              string
}

func set(kinds ...string) map[string]bool {
	m := make(map[string]bool, len(kinds))
	for _, k := range kinds {
		m[k] = true
	}
	return m
}

var (
	jsSyntax = &syntax{
		funcDecl:      set("function_declaration", "generator_function_declaration", "method_definition"),
		funcLit:       set("arrow_function", "function_expression", "function", "generator_function"),
		call:          set("call_expression", "new_expression"),
		member:        set("member_expression"),
		index:         set("subscript_expression"),
		ident:         set("identifier", "shorthand_property_identifier"),
		str:           set("string", "template_string"),
		assign:        set("variable_declarator", "assignment_expression", "augmented_assignment_expression"),
		loop:          set("for_in_statement"),
		ret:           set("return_statement"),
		ifStmt:        set("if_statement", "while_statement"),
		comprehension: set(),
		memberObj:     "object", memberProp: "property", indexObj: "object",
	}
	pySyntax = &syntax{
		funcDecl:      set("function_definition"),
		funcLit:       set("lambda"),
		call:          set("call"),
		member:        set("attribute"),
		index:         set("subscript"),
		ident:         set("identifier"),
		str:           set("string", "concatenated_string"),
		assign:        set("assignment", "augmented_assignment", "named_expression"),
		loop:          set("for_statement", "for_in_clause"),
		ret:           set("return_statement"),
		ifStmt:        set("if_statement", "elif_clause", "while_statement"),
		comprehension: set("list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"),
		memberObj:     "object", memberProp: "attribute", indexObj: "value",
	}
	goSyntax = &syntax{
		funcDecl:      set("function_declaration", "method_declaration"),
		funcLit:       set("func_literal"),
		call:          set("call_expression"),
		member:        set("selector_expression"),
		index:         set("index_expression", "slice_expression"),
		ident:         set("identifier"),
		str:           set("interpreted_string_literal", "raw_string_literal"),
		assign:        set("short_var_declaration", "assignment_statement", "var_spec", "const_spec"),
		loop:          set("for_statement"),
		ret:           set("return_statement"),
		ifStmt:        set("if_statement"),
		comprehension: set(),
		memberObj:     "operand", memberProp: "field", indexObj: "operand",
	}
)

func syntaxFor(l string) *syntax {
	switch l {
	case lang.Python:
		return pySyntax
	case lang.Go:
		return goSyntax
	}
	return jsSyntax
}

// isStringLit reports whether n is a string literal without interpolation.
func (a *analyzer) isStringLit(n *lang.Node) bool {
	if n == nil || !a.syn.str[n.Kind] {
		return false
	}
	for _, c := range n.Children {
		if c.Kind == "interpolation" || c.Kind == "template_substitution" {
			return false
		}
	}
	return true
}

// literalText gathers the constant string parts under n (for SQL keyword
// detection in built queries).
func (a *analyzer) literalText(n *lang.Node) string {
	var b strings.Builder
	lang.Walk(n, func(c *lang.Node) bool {
		switch c.Kind {
		case "string_fragment", "string_content", "interpreted_string_literal", "raw_string_literal":
			b.WriteString(a.f.Text(c))
			b.WriteByte(' ')
			return false
		case "string":
			if a.lang == lang.JavaScript || a.lang == lang.TypeScript {
				return true
			}
		}
		return !a.syn.funcLit[c.Kind]
	})
	return b.String()
}

// callParts splits a call into callee, positional and keyword arguments.
func (a *analyzer) callParts(n *lang.Node) (fn *lang.Node, args []*lang.Node, kw map[string]*lang.Node) {
	fn = n.ChildByField("function")
	if fn == nil {
		fn = n.ChildByField("constructor")
	}
	al := n.ChildByField("arguments")
	if al == nil {
		return fn, nil, nil
	}
	for _, c := range al.Children {
		if !c.Named || c.Kind == "comment" {
			continue
		}
		if c.Kind == "keyword_argument" {
			if kw == nil {
				kw = map[string]*lang.Node{}
			}
			kw[a.f.Text(c.ChildByField("name"))] = c.ChildByField("value")
			continue
		}
		args = append(args, c)
	}
	return fn, args, kw
}

// memberParts returns the object and property name of a member access.
func (a *analyzer) memberParts(n *lang.Node) (*lang.Node, string) {
	return n.ChildByField(a.syn.memberObj), a.f.Text(n.ChildByField(a.syn.memberProp))
}

// params returns the parameter binding nodes of a function, in order.
func (a *analyzer) params(fn *lang.Node) []*lang.Node {
	if p := fn.ChildByField("parameter"); p != nil { // JS arrow "x => ..."
		return []*lang.Node{p}
	}
	pl := fn.ChildByField("parameters")
	if pl == nil {
		return nil
	}
	var out []*lang.Node
	for _, c := range pl.Children {
		if !c.Named || c.Kind == "comment" {
			continue
		}
		switch c.Kind {
		case "parameter_declaration", "variadic_parameter_declaration": // Go: "a, b string"
			names := 0
			for _, n := range c.Children {
				if n.Field == "name" {
					out = append(out, n)
					names++
				}
			}
			if names == 0 {
				out = append(out, c) // unnamed parameter keeps its position
			}
		case "required_parameter", "optional_parameter": // TypeScript
			if p := c.ChildByField("pattern"); p != nil {
				out = append(out, p)
			} else {
				out = append(out, c)
			}
		case "typed_parameter", "list_splat_pattern", "dictionary_splat_pattern":
			if ch := c.NamedChildren(); len(ch) > 0 {
				out = append(out, ch[0])
			} else {
				out = append(out, c)
			}
		case "default_parameter", "typed_default_parameter":
			out = append(out, c.ChildByField("name"))
		case "assignment_pattern":
			out = append(out, c.ChildByField("left"))
		default:
			out = append(out, c)
		}
	}
	return out
}

// goParamType returns the type text of a Go parameter name node.
func (a *analyzer) goParamType(p *lang.Node) string {
	if p.Parent != nil && (p.Parent.Kind == "parameter_declaration" || p.Parent.Kind == "variadic_parameter_declaration") {
		return a.f.Text(p.Parent.ChildByField("type"))
	}
	return a.f.Text(p.ChildByField("type"))
}
