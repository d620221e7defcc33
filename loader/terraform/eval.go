package terraform

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

var ctyString = cty.String

// Bounds on the work of evaluating one root module.
const (
	maxModuleDepth = 8      // nested local module calls
	maxInstances   = 256    // instances of one count / for_each block
	maxEvals       = 200000 // expression evaluations per root module
	maxWhyLen      = 120
)

// state is the evaluation of one root module and its local modules.
type state struct {
	t     *loader.Tree
	opts  loader.Options
	app   *model.Application
	mods  map[string]*module
	funcs map[string]function.Function
	byDir map[string]map[string]function.Function
	// docs maps the JSON text of an aws_iam_policy_document to its
	// statements, which keep the data source's positions.
	docs map[string][]*model.Statement
	// files maps the content read by file() to its root-relative path, so a
	// policy loaded from a file points into that file.
	files    map[string]string
	evals    int
	overrun  bool
	insts    []*modInst
	noteSeen map[string]bool
}

func (st *state) note(level model.NoteLevel, pos model.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	k := pos.String() + msg
	if st.noteSeen[k] {
		return
	}
	st.noteSeen[k] = true
	st.app.Notef(level, pos, "%s", msg)
}

// modInst is one instance of a module: the root, or a local module call.
type modInst struct {
	st     *state
	mod    *module
	prefix string // address prefix: "" or "module.a." or "module.a.module.b."
	depth  int
	stack  []string // module dirs from the root, for cycle detection

	vars      map[string]cty.Value
	varObj    cty.Value
	locals    map[string]cty.Value
	localBusy map[string]bool
	ents      map[string]*entry // "type.name" and "data.type.name" and "module.name"
}

// entry is a resource, data or module block of a module instance with its
// lazily computed instances and value.
type entry struct {
	rb       *rblock
	mode     string // resource | data | module
	insts    []*instance
	expanded bool
	val      cty.Value
	done     bool
	busy     bool
}

// instance is one instance of a block (count / for_each expanded).
type instance struct {
	e     *entry
	mi    *modInst
	addr  string // full address, e.g. module.a.aws_sqs_queue.q["x"]
	local string // address inside its module, without the prefix
	kind  byte   // 0 single, 'c' count, 'e' for_each
	key   cty.Value
	value cty.Value
	child *modInst // for module calls
}

// scope is where an expression is evaluated.
type scope struct {
	mi    *modInst
	inst  *instance
	extra map[string]cty.Value // dynamic block iterators
}

func newState(t *loader.Tree, opts loader.Options, app *model.Application, mods map[string]*module) *state {
	st := &state{t: t, opts: opts, app: app, mods: mods, docs: map[string][]*model.Statement{}, files: map[string]string{}, byDir: map[string]map[string]function.Function{}, noteSeen: map[string]bool{}}
	st.funcs = map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"chomp": stdlib.ChompFunc, "format": guardedFormat, "formatlist": guardedFormatList, "indent": guardedIndent,
		"join": guardedJoin, "split": stdlib.SplitFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
		"replace": guardedReplace, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "regex_replace": guardedRegexReplace,
		"substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimspace": stdlib.TrimSpaceFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc, "strrev": stdlib.ReverseFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"merge": stdlib.MergeFunc, "concat": stdlib.ConcatFunc, "lookup": stdlib.LookupFunc, "length": stdlib.LengthFunc,
		"element": stdlib.ElementFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc, "flatten": stdlib.FlattenFunc,
		"keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc, "range": boundedRange,
		"reverse": stdlib.ReverseListFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "chunklist": stdlib.ChunklistFunc,
		"setunion": stdlib.SetUnionFunc, "setintersection": stdlib.SetIntersectionFunc, "setsubtract": stdlib.SetSubtractFunc,
		"index": stdlib.IndexFunc, "parseint": stdlib.ParseIntFunc, "tostring": stdlib.MakeToFunc(cty.String),
		"tonumber": stdlib.MakeToFunc(cty.Number), "tobool": stdlib.MakeToFunc(cty.Bool),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try":   tryfunc.TryFunc, "can": tryfunc.CanFunc,
	}
	return st
}

// boundedRange is range() refusing to build more than maxValueElems
// numbers.
var boundedRange = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "params", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, t cty.Type) (cty.Value, error) {
		nums := make([]float64, len(args))
		for i, a := range args {
			f, _ := a.AsBigFloat().Float64()
			nums[i] = f
		}
		start, end, step := 0.0, 0.0, 1.0
		switch len(nums) {
		case 1:
			end = nums[0]
		case 2:
			start, end = nums[0], nums[1]
		case 3:
			start, end, step = nums[0], nums[1], nums[2]
		default:
			return cty.NilVal, fmt.Errorf("range takes one to three arguments")
		}
		if step == 0 || (end-start)/step > maxValueElems {
			return cty.NilVal, fmt.Errorf("range of more than %d numbers", maxValueElems)
		}
		return stdlib.RangeFunc.Call(args)
	},
})

// fileFunc is Terraform's file(): it reads through the Tree, so it never
// leaves the scan root, reads only bounded text files, and remembers what it
// read so policies loaded from files keep their positions.
func (st *state) fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			p = strings.TrimPrefix(p, dir+"/") // ${path.module}/x resolves to dir/x
			data, rel, err := st.t.ReadFrom(dir, p)
			if err != nil {
				return cty.UnknownVal(cty.String), nil
			}
			st.files[string(data)] = rel
			return cty.StringVal(string(data)), nil
		},
	})
}

// funcsFor returns the functions for expressions of a module directory
// (file() reads relative to it).
func (st *state) funcsFor(dir string) map[string]function.Function {
	if fn, ok := st.byDir[dir]; ok {
		return fn
	}
	fn := map[string]function.Function{"file": st.fileFunc(dir)}
	for k, f := range st.funcs {
		fn[k] = f
	}
	st.byDir[dir] = fn
	return fn
}

func newModInst(st *state, m *module, prefix string, depth int, stack []string) *modInst {
	return &modInst{st: st, mod: m, prefix: prefix, depth: depth, stack: stack, vars: map[string]cty.Value{},
		locals: map[string]cty.Value{}, localBusy: map[string]bool{}, ents: map[string]*entry{}}
}

func (mi *modInst) index() {
	for _, rb := range mi.mod.res {
		mi.ents[rb.typ+"."+rb.name] = &entry{rb: rb, mode: "resource"}
	}
	for _, rb := range mi.mod.data {
		mi.ents["data."+rb.typ+"."+rb.name] = &entry{rb: rb, mode: "data"}
	}
	for _, rb := range mi.mod.mods {
		mi.ents["module."+rb.name] = &entry{rb: rb, mode: "module"}
	}
}

func (mi *modInst) finishVars() {
	for n, d := range mi.mod.vars {
		if _, ok := mi.vars[n]; ok {
			continue
		}
		if d.def != nil {
			v, diags := d.def.Value(nil)
			if !diags.HasErrors() {
				mi.vars[n] = v
				continue
			}
		}
		mi.vars[n] = cty.DynamicVal
		if mi.prefix == "" {
			mi.st.note(model.NoteInfo, d.pos, "variable %q has no default and no value (-var / .tfvars): values using it are unresolved", n)
		}
	}
	mi.varObj = cty.ObjectVal(mi.vars)
}

func (sc *scope) root() *scope { return &scope{mi: sc.mi} }

// text returns the source text of a range, shortened, for Unknown reasons.
func (mi *modInst) text(r hcl.Range) string {
	src := mi.mod.src[r.Filename]
	if src == nil || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return "expression"
	}
	s := strings.Join(strings.Fields(string(src[r.Start.Byte:r.End.Byte])), " ")
	if len(s) > maxWhyLen {
		s = s[:maxWhyLen] + "…"
	}
	return s
}

// eval evaluates an expression in the scope. ok is false when the
// expression could not be evaluated (an unresolvable reference, an
// unsupported function); the value is then unknown.
func (sc *scope) eval(e hcl.Expression) (v cty.Value, ok bool) {
	st := sc.mi.st
	st.evals++
	if st.evals > maxEvals {
		if !st.overrun {
			st.overrun = true
			st.note(model.NoteWarn, toPos(e.Range()), "evaluation budget of %d expressions exhausted: remaining values are unresolved", maxEvals)
		}
		return cty.DynamicVal, false
	}
	defer func() {
		if p := recover(); p != nil {
			v, ok = cty.DynamicVal, false
		}
	}()
	ctx := &hcl.EvalContext{Variables: sc.varsFor(e), Functions: st.funcsFor(sc.mi.mod.dir)}
	v, diags := e.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, false
	}
	if tooBig(v) {
		st.note(model.NoteWarn, toPos(e.Range()), "value of %s is larger than %d bytes or %d elements: unresolved", sc.mi.text(e.Range()), maxValueBytes, maxValueElems)
		return cty.DynamicVal, false
	}
	return v, true
}

// Bounds on one evaluated value, so that locals that double a string at
// each step, or range(1e9), cannot exhaust memory.
const (
	maxValueBytes = 1 << 20
	maxValueElems = 100000
)

func tooBig(v cty.Value) bool {
	bytes, elems := 0, 0
	var walk func(v cty.Value, depth int) bool
	walk = func(v cty.Value, depth int) bool {
		if depth > 64 || !v.IsKnown() || v.IsNull() {
			return false
		}
		elems++
		if elems > maxValueElems {
			return true
		}
		t := v.Type()
		switch {
		case t == cty.String:
			bytes += len(v.AsString())
			return bytes > maxValueBytes
		case t.IsPrimitiveType():
			return false
		case v.CanIterateElements():
			if v.LengthInt() > maxValueElems {
				return true
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if walk(e, depth+1) {
					return true
				}
			}
		}
		return false
	}
	return walk(v, 0)
}

func attrName(t hcl.Traverser) (string, bool) {
	switch s := t.(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseRoot:
		return s.Name, true
	}
	return "", false
}

// varsFor builds the variables an expression refers to, computing lazily
// only what it needs.
func (sc *scope) varsFor(e hcl.Expression) map[string]cty.Value {
	mi := sc.mi
	vars := map[string]cty.Value{}
	locals := map[string]cty.Value{}
	nested := map[string]map[string]cty.Value{} // resource type -> name -> value
	data := map[string]map[string]cty.Value{}
	mods := map[string]cty.Value{}
	for _, tr := range e.Variables() {
		root := tr.RootName()
		if v, ok := sc.extra[root]; ok {
			vars[root] = v
			continue
		}
		var n1, n2 string
		if len(tr) > 1 {
			n1, _ = attrName(tr[1])
		}
		if len(tr) > 2 {
			n2, _ = attrName(tr[2])
		}
		switch root {
		case "var":
			vars["var"] = mi.varObj
		case "local":
			if n1 != "" {
				locals[n1] = mi.local(n1)
			}
		case "count":
			if sc.inst != nil && sc.inst.kind == 'c' {
				vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": sc.inst.key})
			}
		case "each":
			if sc.inst != nil && sc.inst.kind == 'e' {
				vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": sc.inst.key, "value": sc.inst.value})
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(mi.mod.dir), "root": cty.StringVal("."), "cwd": cty.StringVal(".")})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "self":
			vars["self"] = cty.DynamicVal
		case "data":
			if n1 != "" && n2 != "" {
				if data[n1] == nil {
					data[n1] = map[string]cty.Value{}
				}
				data[n1][n2] = mi.value("data." + n1 + "." + n2)
			}
		case "module":
			if n1 != "" {
				mods[n1] = mi.value("module." + n1)
			}
		default:
			if n1 != "" {
				if _, ok := mi.ents[root+"."+n1]; ok {
					if nested[root] == nil {
						nested[root] = map[string]cty.Value{}
					}
					nested[root][n1] = mi.value(root + "." + n1)
				}
			}
		}
	}
	if len(locals) > 0 {
		vars["local"] = cty.ObjectVal(locals)
	}
	if len(mods) > 0 {
		vars["module"] = cty.ObjectVal(mods)
	}
	if len(data) > 0 {
		o := map[string]cty.Value{}
		for k, m := range data {
			o[k] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(o)
	}
	for k, m := range nested {
		vars[k] = cty.ObjectVal(m)
	}
	return vars
}

func (mi *modInst) local(name string) cty.Value {
	if v, ok := mi.locals[name]; ok {
		return v
	}
	a, ok := mi.mod.locals[name]
	if !ok {
		return cty.DynamicVal
	}
	if mi.localBusy[name] {
		mi.st.note(model.NoteWarn, toPos(a.Range), "local.%s refers to itself: unresolved", name)
		return cty.DynamicVal
	}
	mi.localBusy[name] = true
	v, _ := (&scope{mi: mi}).eval(a.Expr)
	mi.localBusy[name] = false
	mi.locals[name] = v
	return v
}

// computedAttrs are attributes Terraform knows only after apply. A
// reference to one evaluates to a symbolic "${address.attr}" string, which
// is how the loader links resources (a role ARN to its role) and how IAM
// statements naming a resource can be matched to it.
var computedAttrs = []string{"arn", "id", "name", "invoke_arn", "qualified_arn", "qualified_invoke_arn", "function_name",
	"url", "function_url", "execution_arn", "root_resource_id", "key_id", "bucket", "version", "unique_id", "api_endpoint",
	"stream_arn", "email", "endpoint", "source_code_hash", "role", "topic_arn", "queue_url", "invoke_url", "stage_name",
	"rest_api_id", "api_id", "resource_id", "http_method", "authorizer_id", "principal", "uri", "https_trigger_url",
	"default_hostname", "identity", "outbound_ip_addresses", "self_link", "status", "layer_arn", "bucket_domain_name"}

// symbolic returns the placeholder of a computed attribute.
func symbolic(addr, attr string) string { return "${" + addr + "." + attr + "}" }

// parseSymbolic splits a placeholder into address and attribute.
func parseSymbolic(s string) (addr, attr string, ok bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.Count(s, "${") != 1 {
		return "", "", false
	}
	inner := s[2 : len(s)-1]
	i := strings.LastIndexByte(inner, '.')
	if i <= 0 {
		return "", "", false
	}
	return inner[:i], inner[i+1:], true
}

// value returns the value of a block (resource, data source, module call)
// as seen by references: a tuple for count, an object for for_each.
func (mi *modInst) value(key string) cty.Value {
	e, ok := mi.ents[key]
	if !ok {
		return cty.DynamicVal
	}
	if e.done {
		return e.val
	}
	if e.busy {
		return cty.DynamicVal
	}
	e.busy = true
	defer func() { e.busy = false }()
	insts := mi.instances(e)
	var v cty.Value
	switch {
	case e.rb.count != nil && !(len(insts) == 1 && insts[0].kind == 0):
		vals := make([]cty.Value, len(insts))
		for i, in := range insts {
			vals[i] = in.object()
		}
		if len(vals) == 0 {
			v = cty.EmptyTupleVal
		} else {
			v = cty.TupleVal(vals)
		}
	case e.rb.forEach != nil && !(len(insts) == 1 && insts[0].kind == 0):
		vals := map[string]cty.Value{}
		for _, in := range insts {
			vals[in.key.AsString()] = in.object()
		}
		v = cty.ObjectVal(vals)
	case len(insts) == 1:
		v = insts[0].object()
	default:
		v = cty.DynamicVal
	}
	e.val, e.done = v, true
	return v
}

// object computes an instance's value for references.
func (in *instance) object() cty.Value {
	switch in.e.mode {
	case "module":
		if in.child == nil {
			return registryModuleOutputs(in)
		}
		return in.child.outputs()
	case "data":
		if in.e.rb.typ == "aws_iam_policy_document" {
			js := in.mi.st.policyDocument(in)
			if js == "" {
				return cty.DynamicVal
			}
			return cty.ObjectVal(map[string]cty.Value{"json": cty.StringVal(js), "minified_json": cty.StringVal(js), "id": cty.StringVal(js)})
		}
		return cty.DynamicVal
	}
	sc := &scope{mi: in.mi, inst: in}
	attrs := map[string]cty.Value{}
	o := newObj(sc, in.e.rb.body, in.e.rb.pos)
	for name, a := range o.attrs {
		if metaAttr[name] {
			continue
		}
		v, _ := sc.eval(a.Expr)
		attrs[name] = v
	}
	for _, c := range computedAttrs {
		if v, ok := attrs[c]; !ok || v.IsNull() {
			attrs[c] = cty.StringVal(symbolic(in.addr, c))
		}
	}
	return cty.ObjectVal(attrs)
}

var metaAttr = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true, "lifecycle": true, "providers": true, "source": true, "version": true}

// instances expands count / for_each of a block, bounded.
func (mi *modInst) instances(e *entry) []*instance {
	if e.expanded {
		return e.insts
	}
	e.expanded = true
	rb := e.rb
	base := rb.name
	switch e.mode {
	case "resource":
		base = rb.typ + "." + rb.name
	case "data":
		base = "data." + rb.typ + "." + rb.name
	case "module":
		base = "module." + rb.name
	}
	mk := func(kind byte, suffix string, key, val cty.Value) *instance {
		return &instance{e: e, mi: mi, kind: kind, key: key, value: val, local: base + suffix, addr: mi.prefix + base + suffix}
	}
	sc := &scope{mi: mi}
	switch {
	case rb.count != nil:
		v, ok := sc.eval(rb.count.Expr)
		n, known := 0, false
		if ok && v.IsWhollyKnown() && !v.IsNull() && v.Type() == cty.Number {
			if bf := v.AsBigFloat(); bf.IsInt() {
				i, _ := bf.Int64()
				n, known = int(i), i >= 0
			}
		}
		if !known {
			mi.st.note(model.NoteInfo, toPos(rb.count.Range), "count of %s not resolved (%s): modelled as one instance", mi.prefix+base, mi.text(rb.count.Expr.Range()))
			e.insts = []*instance{mk(0, "", cty.UnknownVal(cty.Number), cty.NilVal)}
			return e.insts
		}
		if n > maxInstances {
			mi.st.note(model.NoteWarn, toPos(rb.count.Range), "count of %s is %d: only the first %d instances are modelled", mi.prefix+base, n, maxInstances)
			n = maxInstances
		}
		for i := 0; i < n; i++ {
			e.insts = append(e.insts, mk('c', fmt.Sprintf("[%d]", i), cty.NumberIntVal(int64(i)), cty.NilVal))
		}
	case rb.forEach != nil:
		v, ok := sc.eval(rb.forEach.Expr)
		if !ok || !v.IsWhollyKnown() || v.IsNull() || !(v.CanIterateElements()) {
			mi.st.note(model.NoteInfo, toPos(rb.forEach.Range), "for_each of %s not resolved (%s): modelled as one instance", mi.prefix+base, mi.text(rb.forEach.Expr.Range()))
			e.insts = []*instance{mk(0, "", cty.UnknownVal(cty.String), cty.DynamicVal)}
			return e.insts
		}
		type kv struct {
			k string
			v cty.Value
		}
		var items []kv
		it := v.ElementIterator()
		for it.Next() {
			k, val := it.Element()
			if v.Type().IsSetType() || v.Type().IsListType() || v.Type().IsTupleType() {
				k = val
			}
			if k.Type() != cty.String {
				if sk, err := stdlib.MakeToFunc(cty.String).Call([]cty.Value{k}); err == nil && sk.IsKnown() {
					k = sk
				} else {
					continue
				}
			}
			items = append(items, kv{k.AsString(), val})
			if len(items) > maxInstances {
				mi.st.note(model.NoteWarn, toPos(rb.forEach.Range), "for_each of %s has more than %d elements: the rest are not modelled", mi.prefix+base, maxInstances)
				break
			}
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].k < items[j].k })
		for _, x := range items {
			e.insts = append(e.insts, mk('e', fmt.Sprintf("[%q]", x.k), cty.StringVal(x.k), x.v))
		}
	default:
		e.insts = []*instance{mk(0, "", cty.NilVal, cty.NilVal)}
	}
	return e.insts
}

// outputs evaluates a child module's outputs.
func (mi *modInst) outputs() cty.Value {
	o := map[string]cty.Value{}
	for n, a := range mi.mod.outputs {
		v, _ := (&scope{mi: mi}).eval(a.Expr)
		o[n] = v
	}
	return cty.ObjectVal(o)
}

// callModule instantiates a local module call, evaluating its inputs in the
// caller's scope. Cycles and depth are bounded; a missing source is noted.
func (mi *modInst) callModule(in *instance) {
	rb := in.e.rb
	src, spos, ok := moduleSource(rb)
	if !ok || !isLocalSource(src) {
		return
	}
	dir := path.Clean(path.Join(mi.mod.dir, src))
	child, found := mi.st.mods[dir]
	if !found {
		mi.st.note(model.NoteWarn, spos, "module %s: source %q not found in the scanned tree: its resources are not modelled", in.addr, src)
		return
	}
	for _, d := range mi.stack {
		if d == dir {
			mi.st.note(model.NoteWarn, spos, "module %s: cycle through %q: not expanded again", in.addr, src)
			return
		}
	}
	if mi.depth+1 > maxModuleDepth {
		mi.st.note(model.NoteWarn, spos, "module %s: nesting deeper than %d modules: not expanded", in.addr, maxModuleDepth)
		return
	}
	c := newModInst(mi.st, child, in.addr+".", mi.depth+1, append(append([]string(nil), mi.stack...), dir))
	c.index()
	sc := &scope{mi: mi, inst: in}
	attrs, _ := rb.body.JustAttributes()
	for n, a := range attrs {
		if metaAttr[n] {
			continue
		}
		if _, declared := child.vars[n]; !declared {
			continue
		}
		v, _ := sc.eval(a.Expr)
		c.vars[n] = v
	}
	c.finishVars()
	in.child = c
	mi.st.insts = append(mi.st.insts, c)
}

// registryModuleOutputs gives the outputs of a registry module that later
// resources commonly reference as placeholders, so they link.
func registryModuleOutputs(in *instance) cty.Value {
	src, _, _ := moduleSource(in.e.rb)
	if !isLambdaModule(src) {
		return cty.DynamicVal
	}
	o := map[string]cty.Value{}
	for _, n := range []string{"lambda_function_arn", "lambda_function_name", "lambda_function_invoke_arn", "lambda_function_qualified_arn", "lambda_role_arn", "lambda_role_name", "lambda_function_url", "lambda_cloudwatch_log_group_name"} {
		o[n] = cty.StringVal(symbolic(in.addr, n))
	}
	return cty.ObjectVal(o)
}

// parseVarValue interprets a -var value: HCL syntax for lists, maps,
// numbers and booleans, otherwise a string, as Terraform does.
func parseVarValue(s string) cty.Value {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
		if e, d := hclsyntax.ParseExpression([]byte(t), "-var", hcl.InitialPos); !d.HasErrors() {
			if v, d := e.Value(nil); !d.HasErrors() {
				return v
			}
		}
	}
	return cty.StringVal(s)
}
