package terraform

import (
	"math/big"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/faasguard/faasguard/model"
)

// obj is a read view of a block body (native or JSON syntax) in a scope,
// turning attributes into three-valued model values with positions.
type obj struct {
	sc     *scope
	pos    model.Pos
	attrs  map[string]*hcl.Attribute
	blocks map[string][]*hclsyntax.Block
	// val is set instead of attrs for bodies known only as a value (nested
	// blocks of .tf.json files).
	val    cty.Value
	hasVal bool
}

func newObj(sc *scope, body hcl.Body, pos model.Pos) *obj {
	o := &obj{sc: sc, pos: pos, attrs: map[string]*hcl.Attribute{}, blocks: map[string][]*hclsyntax.Block{}}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for n, a := range sb.Attributes {
			o.attrs[n] = a.AsHCLAttribute()
		}
		for _, b := range sb.Blocks {
			o.blocks[b.Type] = append(o.blocks[b.Type], b)
		}
		return o
	}
	if body != nil {
		attrs, _ := body.JustAttributes()
		for n, a := range attrs {
			o.attrs[n] = a
		}
	}
	return o
}

func valObj(sc *scope, v cty.Value, pos model.Pos) *obj {
	return &obj{sc: sc, pos: pos, val: v, hasVal: true}
}

// has reports whether the attribute or block is written.
func (o *obj) has(name string) bool {
	if o == nil {
		return false
	}
	if o.hasVal {
		return o.val.IsKnown() && !o.val.IsNull() && o.val.Type().IsObjectType() && o.val.Type().HasAttribute(name)
	}
	_, a := o.attrs[name]
	return a || len(o.blocks[name]) > 0 || len(o.dynamic(name)) > 0
}

// raw evaluates an attribute. state is Absent when it is not written (or
// null), Unknown when it cannot be resolved (why says what).
func (o *obj) raw(name string) (v cty.Value, pos model.Pos, state model.State, why string) {
	if o == nil {
		return cty.NilVal, model.Pos{}, model.Absent, ""
	}
	if o.hasVal {
		if !o.has(name) {
			return cty.NilVal, o.pos, model.Absent, ""
		}
		v = o.val.GetAttr(name)
		return classify(v, o.pos, name)
	}
	a, ok := o.attrs[name]
	if !ok {
		return cty.NilVal, model.Pos{}, model.Absent, ""
	}
	pos = toPos(a.Range)
	v, ok = o.sc.eval(a.Expr)
	why = o.sc.mi.text(a.Expr.Range())
	if !ok || !v.IsWhollyKnown() {
		return v, pos, model.Unknown, why
	}
	if v.IsNull() {
		return v, pos, model.Absent, ""
	}
	return v, pos, model.Known, why
}

func classify(v cty.Value, pos model.Pos, why string) (cty.Value, model.Pos, model.State, string) {
	if !v.IsWhollyKnown() {
		return v, pos, model.Unknown, why
	}
	if v.IsNull() {
		return v, pos, model.Absent, ""
	}
	return v, pos, model.Known, why
}

func ctyStr(v cty.Value) (string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || !s.IsKnown() || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

func strVal(v cty.Value, pos model.Pos, state model.State, why string) model.Str {
	switch state {
	case model.Absent:
		return model.Str{}
	case model.Unknown:
		return model.U[string](why, pos)
	}
	if s, ok := ctyStr(v); ok {
		return model.K(s, pos)
	}
	return model.U[string]("not a string: "+why, pos)
}

func (o *obj) str(name string) model.Str { return strVal(o.raw(name)) }

func (o *obj) boolean(name string) model.Bool {
	v, pos, state, why := o.raw(name)
	switch state {
	case model.Absent:
		return model.Bool{}
	case model.Unknown:
		return model.U[bool](why, pos)
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil || b.IsNull() {
		return model.U[bool]("not a boolean: "+why, pos)
	}
	return model.K(b.True(), pos)
}

func (o *obj) integer(name string) model.Int {
	v, pos, state, why := o.raw(name)
	switch state {
	case model.Absent:
		return model.Int{}
	case model.Unknown:
		return model.U[int](why, pos)
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil || n.IsNull() {
		return model.U[int]("not a number: "+why, pos)
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != big.Exact && n.AsBigFloat().IsInt() {
		return model.U[int]("number out of range: "+why, pos)
	}
	return model.K(int(i), pos)
}

// strs reads a list of strings (a single string counts as one element).
// Elements keep the line they are written on where the syntax shows it.
func (o *obj) strs(name string) []model.Str {
	v, pos, state, why := o.raw(name)
	switch state {
	case model.Absent:
		return nil
	case model.Unknown:
		if v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
			break // some elements are known
		}
		return []model.Str{model.U[string](why, pos)}
	}
	var elemPos []model.Pos
	if a, ok := o.attrs[name]; ok && !o.hasVal {
		if t, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range t.Exprs {
				elemPos = append(elemPos, toPos(e.Range()))
			}
		}
	}
	return listStrs(v, pos, why, elemPos)
}

func listStrs(v cty.Value, pos model.Pos, why string, elemPos []model.Pos) []model.Str {
	if !v.IsKnown() {
		return []model.Str{model.U[string](why, pos)}
	}
	if v.IsNull() {
		return nil
	}
	if !v.CanIterateElements() || v.Type().IsObjectType() || v.Type().IsMapType() {
		return []model.Str{strVal(classify(v, pos, why))}
	}
	var out []model.Str
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		p := pos
		if i < len(elemPos) {
			p = elemPos[i]
		}
		out = append(out, strVal(classify(e, p, why)))
	}
	return out
}

// kv is one entry of a map attribute.
type kv struct {
	key string
	val model.Str
	pos model.Pos
	raw cty.Value
}

// strMap reads a map attribute (environment variables, app settings); the
// entries of a literal map keep their own lines.
func (o *obj) strMap(name string) ([]kv, model.Str) {
	if o == nil {
		return nil, model.Str{}
	}
	if a, ok := o.attrs[name]; ok && !o.hasVal {
		sc, e := o.sc, a.Expr
		// Follow `local.x` to the literal map it names, so each entry keeps
		// its own line.
		for hops := 0; hops < 4; hops++ {
			st, ok := e.(*hclsyntax.ScopeTraversalExpr)
			if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "local" {
				break
			}
			n, _ := attrName(st.Traversal[1])
			la, ok := sc.mi.mod.locals[n]
			if !ok {
				break
			}
			e, sc = la.Expr, sc.root()
		}
		if oc, ok := e.(*hclsyntax.ObjectConsExpr); ok {
			o := &obj{sc: sc}
			var out []kv
			for _, it := range oc.Items {
				kval, ok := o.sc.eval(it.KeyExpr)
				k, kok := ctyStr(kval)
				if !ok || !kok {
					continue
				}
				vv, vok := o.sc.eval(it.ValueExpr)
				p := toPos(it.KeyExpr.Range())
				var s model.Str
				switch {
				case !vok || !vv.IsWhollyKnown():
					s = model.U[string](o.sc.mi.text(it.ValueExpr.Range()), p)
				case vv.IsNull():
					continue
				default:
					s = strVal(vv, p, model.Known, o.sc.mi.text(it.ValueExpr.Range()))
				}
				out = append(out, kv{key: k, val: s, pos: p, raw: vv})
			}
			return out, model.Str{}
		}
	}
	v, pos, state, why := o.raw(name)
	switch state {
	case model.Absent:
		return nil, model.Str{}
	case model.Unknown:
		if !v.IsKnown() || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
			return nil, model.U[string](why, pos)
		}
	}
	if !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil, model.U[string]("not a map: "+why, pos)
	}
	var out []kv
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsKnown() && e.IsNull() {
			continue
		}
		out = append(out, kv{key: k.AsString(), val: strVal(classify(e, pos, why+"."+k.AsString())), pos: pos, raw: e})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, model.Str{}
}

// block returns the first nested block of a type, or nil.
func (o *obj) block(name string) *obj {
	bs := o.all(name)
	if len(bs) == 0 {
		return nil
	}
	return bs[0]
}

// all returns the nested blocks of a type, static and dynamic. In .tf.json
// files and where a block is written as an attribute, the value stands for
// the block.
func (o *obj) all(name string) []*obj {
	if o == nil {
		return nil
	}
	var out []*obj
	if !o.hasVal {
		for _, b := range o.blocks[name] {
			out = append(out, newObj(o.sc, b.Body, toPos(b.DefRange())))
		}
		out = append(out, o.dynamic(name)...)
		if len(out) > 0 {
			return out
		}
	}
	v, pos, state, _ := o.raw(name)
	if state == model.Absent || !v.IsKnown() || v.IsNull() {
		return nil
	}
	if v.Type().IsObjectType() || v.Type().IsMapType() {
		return []*obj{valObj(o.sc, v, pos)}
	}
	if v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsKnown() && !e.IsNull() && (e.Type().IsObjectType() || e.Type().IsMapType()) {
				out = append(out, valObj(o.sc, e, pos))
			}
		}
	}
	return out
}

// dynamic expands `dynamic "name"` blocks whose for_each is known.
func (o *obj) dynamic(name string) []*obj {
	var out []*obj
	for _, d := range o.blocks["dynamic"] {
		if len(d.Labels) != 1 || d.Labels[0] != name {
			continue
		}
		iter := name
		var content *hclsyntax.Block
		var forEach hcl.Expression
		for n, a := range d.Body.Attributes {
			switch n {
			case "for_each":
				forEach = a.Expr
			case "iterator":
				if t := hcl.ExprAsKeyword(a.Expr); t != "" {
					iter = t
				}
			}
		}
		for _, b := range d.Body.Blocks {
			if b.Type == "content" {
				content = b
			}
		}
		if forEach == nil || content == nil {
			continue
		}
		v, ok := o.sc.eval(forEach)
		if !ok || !v.IsWhollyKnown() || v.IsNull() || !v.CanIterateElements() {
			o.sc.mi.st.note(model.NoteInfo, toPos(d.DefRange()), "dynamic %q block: for_each not resolved (%s): not modelled", name, o.sc.mi.text(forEach.Range()))
			continue
		}
		n := 0
		for it := v.ElementIterator(); it.Next() && n < maxInstances; n++ {
			k, e := it.Element()
			extra := map[string]cty.Value{}
			for ek, ev := range o.sc.extra {
				extra[ek] = ev
			}
			extra[iter] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})
			sc := &scope{mi: o.sc.mi, inst: o.sc.inst, extra: extra}
			out = append(out, newObj(sc, content.Body, toPos(content.DefRange())))
		}
	}
	return out
}

// expr returns the syntax of an attribute, or nil.
func (o *obj) expr(name string) hcl.Expression {
	if o == nil || o.hasVal {
		return nil
	}
	if a, ok := o.attrs[name]; ok {
		return a.Expr
	}
	return nil
}

// attrPos returns the position of an attribute, or the block's.
func (o *obj) attrPos(name string) model.Pos {
	if o != nil && !o.hasVal {
		if a, ok := o.attrs[name]; ok {
			return toPos(a.Range)
		}
		if bs := o.blocks[name]; len(bs) > 0 {
			return toPos(bs[0].DefRange())
		}
	}
	if o == nil {
		return model.Pos{}
	}
	return o.pos
}
