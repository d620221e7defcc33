package terraform

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// gnode is a policy document node from either a cty value (jsonencode of an
// HCL object) or parsed JSON text, with the position of each element.
type gnode struct {
	kind byte // 's' string, 'l' list, 'o' object, 'u' unknown, 'x' other
	s    string
	why  string
	pos  model.Pos
	list []*gnode
	keys []string
	vals []*gnode
}

func (g *gnode) get(key string) *gnode {
	if g == nil || g.kind != 'o' {
		return nil
	}
	for i, k := range g.keys {
		if strings.EqualFold(k, key) {
			return g.vals[i]
		}
	}
	return nil
}

// fromCty converts a value; e, when it is the literal syntax of the value,
// gives each element its own line.
func fromCty(v cty.Value, e hclsyntax.Expression, pos model.Pos, why string, depth int) *gnode {
	if e != nil {
		pos = toPos(e.Range())
	}
	if depth > 32 {
		return &gnode{kind: 'u', why: "nested too deeply", pos: pos}
	}
	if !v.IsKnown() {
		return &gnode{kind: 'u', why: why, pos: pos}
	}
	if v.IsNull() {
		return &gnode{kind: 'x', pos: pos}
	}
	t := v.Type()
	switch {
	case t.IsObjectType() || t.IsMapType():
		g := &gnode{kind: 'o', pos: pos}
		var items map[string]hclsyntax.Expression
		if oc, ok := e.(*hclsyntax.ObjectConsExpr); ok {
			items = map[string]hclsyntax.Expression{}
			for _, it := range oc.Items {
				if k := keyName(it.KeyExpr); k != "" {
					items[k] = it.ValueExpr
				}
			}
		}
		var ks []string
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			ks = append(ks, k.AsString())
		}
		sort.Strings(ks)
		for _, k := range ks {
			g.keys = append(g.keys, k)
			var ev cty.Value
			if t.IsObjectType() {
				ev = v.GetAttr(k)
			} else {
				ev = v.Index(cty.StringVal(k))
			}
			g.vals = append(g.vals, fromCty(ev, items[k], pos, why, depth+1))
		}
		return g
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		g := &gnode{kind: 'l', pos: pos}
		var exprs []hclsyntax.Expression
		if tc, ok := e.(*hclsyntax.TupleConsExpr); ok && !t.IsSetType() {
			exprs = tc.Exprs
		}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, el := it.Element()
			var ee hclsyntax.Expression
			if i < len(exprs) {
				ee = exprs[i]
			}
			g.list = append(g.list, fromCty(el, ee, pos, why, depth+1))
		}
		return g
	}
	if s, ok := ctyStr(v); ok {
		return &gnode{kind: 's', s: s, pos: pos}
	}
	return &gnode{kind: 'x', pos: pos}
}

// keyName returns the literal key of an object constructor item.
func keyName(e hclsyntax.Expression) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if t := hclsyntaxKeyword(k.Wrapped); t != "" {
			return t
		}
		e = k.Wrapped
	}
	if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		if l, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String {
			return l.Val.AsString()
		}
	}
	if l, ok := e.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String {
		return l.Val.AsString()
	}
	return ""
}

func hclsyntaxKeyword(e hclsyntax.Expression) string {
	if st, ok := e.(*hclsyntax.ScopeTraversalExpr); ok && len(st.Traversal) == 1 {
		return st.Traversal.RootName()
	}
	return ""
}

// fromYAML converts parsed JSON; lineOff shifts lines (a heredoc starts
// after its opening line); flat puts every element at pos (a one-line
// quoted string).
func fromYAML(n *yaml.Node, file string, lineOff int, flat bool, pos model.Pos, depth int) *gnode {
	n = yamlx.Deref(n)
	p := pos
	if !flat && n != nil {
		p = yamlx.Pos(file, n)
		p.Line += lineOff
		if lineOff != 0 {
			p.Col = 0
		}
	}
	if n == nil || depth > 32 {
		return &gnode{kind: 'x', pos: p}
	}
	switch n.Kind {
	case yaml.MappingNode:
		g := &gnode{kind: 'o', pos: p}
		for _, pr := range yamlx.Pairs(n) {
			g.keys = append(g.keys, pr.Key.Value)
			g.vals = append(g.vals, fromYAML(pr.Value, file, lineOff, flat, pos, depth+1))
		}
		return g
	case yaml.SequenceNode:
		g := &gnode{kind: 'l', pos: p}
		for _, c := range n.Content {
			g.list = append(g.list, fromYAML(c, file, lineOff, flat, pos, depth+1))
		}
		return g
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return &gnode{kind: 'x', pos: p}
		}
		return &gnode{kind: 's', s: n.Value, pos: p}
	}
	return &gnode{kind: 'x', pos: p}
}

func gStrs(g *gnode) []model.Str {
	if g == nil {
		return nil
	}
	switch g.kind {
	case 's':
		return []model.Str{model.K(g.s, g.pos)}
	case 'u':
		return []model.Str{model.U[string](g.why, g.pos)}
	case 'l':
		var out []model.Str
		for _, e := range g.list {
			out = append(out, gStrs(e)...)
		}
		return out
	}
	return nil
}

func gStr(g *gnode) model.Str {
	if g == nil {
		return model.Str{}
	}
	switch g.kind {
	case 's':
		return model.K(g.s, g.pos)
	case 'u':
		return model.U[string](g.why, g.pos)
	}
	return model.Str{}
}

// statements turns a policy document into model statements.
func statements(doc *gnode, policy string) []*model.Statement {
	if doc == nil {
		return nil
	}
	if doc.kind == 'u' {
		return nil
	}
	sn := doc.get("Statement")
	if sn == nil {
		return nil
	}
	list := []*gnode{sn}
	if sn.kind == 'l' {
		list = sn.list
	}
	var out []*model.Statement
	for _, s := range list {
		if s.kind != 'o' {
			continue
		}
		st := &model.Statement{Pos: s.pos, Policy: policy, Effect: gStr(s.get("Effect"))}
		if sid := s.get("Sid"); sid != nil && sid.kind == 's' {
			st.Sid = sid.s
		}
		st.Actions = gStrs(s.get("Action"))
		st.NotActions = gStrs(s.get("NotAction"))
		st.Resources = gStrs(s.get("Resource"))
		st.NotResources = gStrs(s.get("NotResource"))
		pr := s.get("Principal")
		if pr == nil {
			pr = s.get("NotPrincipal")
			st.NotPrincipal = pr != nil
		}
		st.Principals = principals(pr)
		if c := s.get("Condition"); c != nil && c.kind == 'o' {
			st.Conditions = map[string][]model.Str{}
			for i := range c.keys {
				if c.vals[i].kind != 'o' {
					continue
				}
				for j, k := range c.vals[i].keys {
					key := strings.ToLower(k)
					st.Conditions[key] = append(st.Conditions[key], gStrs(c.vals[i].vals[j])...)
				}
			}
		}
		out = append(out, st)
	}
	return out
}

func principals(g *gnode) []model.Principal {
	if g == nil {
		return nil
	}
	switch g.kind {
	case 's', 'u':
		return []model.Principal{{Type: "*", Value: gStr(g)}}
	case 'o':
		var out []model.Principal
		for i, k := range g.keys {
			for _, v := range gStrs(g.vals[i]) {
				out = append(out, model.Principal{Type: k, Value: v})
			}
		}
		return out
	}
	return nil
}

// policy reads an attribute holding a policy document: jsonencode({...}),
// a heredoc or string of JSON, file("x.json"), or the json of an
// aws_iam_policy_document. ok is false (and a note is made) when the
// document cannot be resolved.
func (o *obj) policy(name, policyName string) (stmts []*model.Statement, present bool) {
	e := o.expr(name)
	if e == nil && !o.has(name) {
		return nil, false
	}
	mi := o.sc.mi
	if fc, ok := e.(*hclsyntax.FunctionCallExpr); ok && fc.Name == "jsonencode" && len(fc.Args) == 1 {
		v, _ := o.sc.eval(fc.Args[0])
		g := fromCty(v, fc.Args[0], toPos(fc.Args[0].Range()), mi.text(fc.Args[0].Range()), 0)
		if g.kind == 'u' {
			mi.st.note(model.NoteInfo, o.attrPos(name), "policy %s not resolved (%s)", policyName, g.why)
		}
		return statements(g, policyName), true
	}
	v, pos, state, why := o.raw(name)
	if state == model.Unknown {
		// A heredoc with a reference to something outside the scan
		// (another stack's topic ARN): keep the unresolved parts as
		// written, so the rest of the document — a "*" principal — is
		// still judged.
		if t, ok := e.(*hclsyntax.TemplateExpr); ok {
			if s, ok := o.partialTemplate(t); ok {
				syn, _ := e.(hclsyntax.Expression)
				return mi.st.parsePolicyText(s, syn, pos, policyName), true
			}
		}
		mi.st.note(model.NoteInfo, pos, "policy %s not resolved (%s)", policyName, why)
		return nil, true
	}
	if state != model.Known {
		return nil, false
	}
	if v.Type().IsObjectType() || v.Type().IsMapType() { // .tf.json: the document as an object
		return statements(fromCty(v, nil, pos, why, 0), policyName), true
	}
	s, ok := ctyStr(v)
	if !ok {
		return nil, true
	}
	syn, _ := e.(hclsyntax.Expression)
	return mi.st.parsePolicyText(s, syn, pos, policyName), true
}

// parsePolicyText parses the JSON text of a policy. Positions point into
// the data source, file or heredoc it came from.
func (st *state) parsePolicyText(s string, e hclsyntax.Expression, pos model.Pos, policyName string) []*model.Statement {
	if ds, ok := st.docs[s]; ok {
		out := make([]*model.Statement, len(ds))
		for i, d := range ds {
			c := *d
			c.Policy = policyName
			out[i] = &c
		}
		return out
	}
	if _, _, ok := parseSymbolic(s); ok {
		return nil
	}
	file, lineOff, flat := pos.File, 0, true
	if rel, ok := st.files[s]; ok {
		file, flat = rel, false
	} else if e != nil {
		if r := e.Range(); r.End.Line > r.Start.Line {
			flat = false
			lineOff = r.Start.Line - 1
			if isHeredoc(st, r.Filename, r.Start.Byte) {
				lineOff = r.Start.Line // the text starts on the line after <<EOF
			}
		}
	}
	if !json.Valid([]byte(s)) {
		st.note(model.NoteWarn, pos, "policy %s is not valid JSON: not modelled", policyName)
		return nil
	}
	n, err := yamlx.Parse(file, []byte(s), yamlx.DefaultLimits)
	if err != nil {
		st.note(model.NoteWarn, pos, "policy %s: %v", policyName, err)
		return nil
	}
	return statements(fromYAML(n, file, lineOff, flat, pos, 0), policyName)
}

func isHeredoc(st *state, file string, off int) bool {
	for _, m := range st.mods {
		if src, ok := m.src[file]; ok && off+2 <= len(src) {
			return string(src[off:off+2]) == "<<"
		}
	}
	return false
}

// policyDocument builds the JSON of an aws_iam_policy_document instance and
// registers its statements (with the data source's positions) under it.
func (st *state) policyDocument(in *instance) string {
	sc := &scope{mi: in.mi, inst: in}
	o := newObj(sc, in.e.rb.body, in.e.rb.pos)
	var stmts []*model.Statement
	var doc []map[string]any
	for _, src := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if o.has(src) {
			st.note(model.NoteInfo, o.attrPos(src), "%s of %s not merged: only its own statements are modelled", src, in.addr)
		}
	}
	for _, s := range o.all("statement") {
		ms := &model.Statement{Pos: s.pos, Policy: in.addr}
		if sid := s.str("sid"); sid.IsKnown() {
			ms.Sid = sid.V
		}
		ms.Effect = s.str("effect")
		if ms.Effect.IsAbsent() {
			ms.Effect = model.K("Allow", s.pos)
		}
		ms.Actions = s.strs("actions")
		ms.NotActions = s.strs("not_actions")
		ms.Resources = s.strs("resources")
		ms.NotResources = s.strs("not_resources")
		for _, kind := range []string{"principals", "not_principals"} {
			for _, p := range s.all(kind) {
				typ := p.str("type")
				for _, id := range p.strs("identifiers") {
					ms.Principals = append(ms.Principals, model.Principal{Type: typ.Or("*"), Value: id})
				}
				ms.NotPrincipal = ms.NotPrincipal || kind == "not_principals"
			}
		}
		for _, c := range s.all("condition") {
			k := c.str("variable")
			if !k.IsKnown() {
				continue
			}
			if ms.Conditions == nil {
				ms.Conditions = map[string][]model.Str{}
			}
			key := strings.ToLower(k.V)
			ms.Conditions[key] = append(ms.Conditions[key], c.strs("values")...)
		}
		stmts = append(stmts, ms)
		doc = append(doc, stmtJSON(ms))
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": doc})
	if err != nil {
		return ""
	}
	js := string(b)
	st.docs[js] = stmts
	return js
}

func stmtJSON(s *model.Statement) map[string]any {
	m := map[string]any{"Effect": s.Effect.Or("Allow")}
	list := func(vs []model.Str) []string {
		var out []string
		for _, v := range vs {
			if v.IsKnown() {
				out = append(out, v.V)
			} else {
				out = append(out, "${unresolved}")
			}
		}
		return out
	}
	if s.Sid != "" {
		m["Sid"] = s.Sid
	}
	if len(s.Actions) > 0 {
		m["Action"] = list(s.Actions)
	}
	if len(s.NotActions) > 0 {
		m["NotAction"] = list(s.NotActions)
	}
	if len(s.Resources) > 0 {
		m["Resource"] = list(s.Resources)
	}
	if len(s.NotResources) > 0 {
		m["NotResource"] = list(s.NotResources)
	}
	if len(s.Principals) > 0 {
		p := map[string][]string{}
		for _, pr := range s.Principals {
			p[pr.Type] = append(p[pr.Type], list([]model.Str{pr.Value})...)
		}
		m["Principal"] = p
	}
	return m
}

// partialTemplate renders a template, writing each part that does not
// resolve to a known string as its source text ("${aws_sns_topic.t.arn}").
// Such text inside a JSON string keeps the document valid; elsewhere the
// JSON check that follows rejects it.
func (o *obj) partialTemplate(t *hclsyntax.TemplateExpr) (string, bool) {
	var b strings.Builder
	for _, part := range t.Parts {
		v, ok := o.sc.eval(part)
		if ok && v.IsWhollyKnown() && !v.IsNull() && v.Type() == cty.String {
			b.WriteString(v.AsString())
			continue
		}
		if lit, isLit := part.(*hclsyntax.LiteralValueExpr); isLit && lit.Val.Type() == cty.String {
			b.WriteString(lit.Val.AsString())
			continue
		}
		b.WriteString("${" + o.sc.mi.text(part.Range()) + "}")
	}
	return b.String(), true
}
