package cfn

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// tri is a three-valued condition result.
type tri uint8

const (
	triUnknown tri = iota
	triTrue
	triFalse
)

// evalBudget bounds the evaluation steps of one template, so that hostile
// input (huge Fn::Split results, deep intrinsic chains) cannot hang a scan.
const evalBudget = 5_000_000

// evaluator resolves intrinsic functions of one template, three-valued.
type evaluator struct {
	file     string
	params   map[string]*V
	pseudo   map[string]*V
	mappings *yaml.Node
	condDefs map[string]*yaml.Node
	conds    map[string]tri
	condBusy map[string]bool
	// types maps resource logical IDs to their types.
	types map[string]string
	// names holds the Ref value of resources whose physical name is written
	// (a bucket's BucketName), so that Ref/GetAtt of them stay Known.
	names map[string]string
	arns  map[string]string
	// resolve, when set, resolves a host format's variables in scalars
	// (${self:...} in a serverless.yml resources section).
	resolve func(string) (string, bool)
	budget  int
	noted   map[string]bool
	app     *model.Application
}

func newEvaluator(file string, app *model.Application) *evaluator {
	return &evaluator{
		file: file, app: app,
		params: map[string]*V{}, condDefs: map[string]*yaml.Node{}, conds: map[string]tri{},
		condBusy: map[string]bool{}, types: map[string]string{}, names: map[string]string{},
		arns: map[string]string{}, budget: evalBudget, noted: map[string]bool{},
		pseudo: map[string]*V{},
	}
}

func (e *evaluator) pos(n *yaml.Node) model.Pos { return yamlx.Pos(e.file, n) }

// note records a note once per message and position.
func (e *evaluator) note(level model.NoteLevel, p model.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := p.String() + msg
	if e.noted[key] {
		return
	}
	e.noted[key] = true
	e.app.Notef(level, p, "%s", msg)
}

// shortTags maps YAML short-form tags to their long-form names.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
	"!If": "Fn::If", "!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap",
	"!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64", "!GetAZs": "Fn::GetAZs", "!Equals": "Fn::Equals",
	"!And": "Fn::And", "!Or": "Fn::Or", "!Not": "Fn::Not", "!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform",
	"!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

// intrinsicOf reports whether n is an intrinsic function call and returns
// its name and argument node.
func intrinsicOf(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	n = yamlx.Deref(n)
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		c := *n
		switch c.Kind {
		case yaml.ScalarNode:
			c.Tag = "!!str"
		case yaml.SequenceNode:
			c.Tag = "!!seq"
		case yaml.MappingNode:
			c.Tag = "!!map"
		}
		if long, ok := shortTags[n.Tag]; ok {
			return long, &c, true
		}
		return "Fn::" + n.Tag[1:], &c, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1], true
		}
		if v := yamlx.Deref(n.Content[1]); k == "Condition" && v != nil && v.Kind == yaml.ScalarNode {
			return k, v, true
		}
	}
	return "", nil, false
}

// eval evaluates a node. depth bounds the recursion in addition to the
// parser's nesting limit (aliases may revisit nodes).
func (e *evaluator) eval(n *yaml.Node, depth int) *V {
	n = yamlx.Deref(n)
	if n == nil {
		return &V{K: kNull}
	}
	p := e.pos(n)
	e.budget--
	if e.budget < 0 || depth > 300 {
		if e.budget == -1 || depth == 301 {
			e.note(model.NoteWarn, p, "template too large or deep to evaluate; the rest is unresolved")
		}
		return unknown("evaluation limit reached", p)
	}
	if name, arg, ok := intrinsicOf(n); ok {
		return e.intrinsic(name, arg, n, depth+1)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return &V{K: kNull, Pos: p}
		}
		s := n.Value
		if e.resolve != nil && strings.Contains(s, "${") {
			r, ok := e.resolve(s)
			if !ok {
				return unknown(s, p)
			}
			s = r
		}
		return scalar(s, p)
	case yaml.SequenceNode:
		v := &V{K: kList, Pos: p}
		for _, c := range n.Content {
			cv := e.eval(c, depth+1)
			if cv == nil || cv.K == kNoValue {
				continue
			}
			v.L = append(v.L, cv)
			v.Refs = addRefs(v.Refs, cv.Refs...)
		}
		return v
	case yaml.MappingNode:
		v := &V{K: kMap, Pos: p}
		for _, pr := range yamlx.Pairs(n) {
			cv := e.eval(pr.Value, depth+1)
			if cv == nil {
				cv = &V{K: kNull, Pos: e.pos(pr.Value)}
			}
			if cv.K == kNoValue {
				continue
			}
			v.M = append(v.M, field{Key: pr.Key.Value, KeyPos: e.pos(pr.Key), V: cv})
			v.Refs = addRefs(v.Refs, cv.Refs...)
		}
		return v
	}
	return &V{K: kNull, Pos: p}
}

// args evaluates an intrinsic's list argument, checking its length.
func (e *evaluator) args(name string, arg *yaml.Node, at model.Pos, min, max int, depth int) ([]*yaml.Node, bool) {
	arg = yamlx.Deref(arg)
	if arg == nil || arg.Kind != yaml.SequenceNode || len(arg.Content) < min || len(arg.Content) > max {
		e.note(model.NoteWarn, at, "%s: malformed arguments (want a list of %d to %d values)", name, min, max)
		return nil, false
	}
	return arg.Content, true
}

func (e *evaluator) intrinsic(name string, arg *yaml.Node, at *yaml.Node, depth int) *V {
	p := e.pos(at)
	switch name {
	case "Ref":
		a := e.eval(arg, depth)
		if a == nil || a.K != kScalar {
			e.note(model.NoteWarn, p, "Ref: the argument must be a literal name")
			return unknown("Ref", p)
		}
		return e.ref(a.S, p)
	case "Fn::GetAtt":
		var res, attr string
		if a := yamlx.Deref(arg); a != nil && a.Kind == yaml.ScalarNode {
			res, attr, _ = strings.Cut(a.Value, ".")
		} else if items, ok := e.args(name, arg, p, 2, 2, depth); ok {
			r, at := e.eval(items[0], depth), e.eval(items[1], depth)
			if r.K != kScalar || at.K != kScalar {
				return unknown("Fn::GetAtt", p)
			}
			res, attr = r.S, at.S
		}
		if res == "" {
			e.note(model.NoteWarn, p, "Fn::GetAtt: want Resource.Attribute")
			return unknown("Fn::GetAtt", p)
		}
		return e.getAtt(res, attr, p)
	case "Fn::Sub":
		return e.sub(arg, p, depth)
	case "Fn::Join":
		items, ok := e.args(name, arg, p, 2, 2, depth)
		if !ok {
			return unknown(name, p)
		}
		d, list := e.eval(items[0], depth), e.eval(items[1], depth)
		if d.K != kScalar {
			return unknown("Fn::Join", p, list.refs()...)
		}
		return e.join(d.S, list.Items(), list, p)
	case "Fn::Select":
		items, ok := e.args(name, arg, p, 2, 2, depth)
		if !ok {
			return unknown(name, p)
		}
		idx, list := e.eval(items[0], depth), e.eval(items[1], depth)
		i := idx.Int()
		if !i.IsKnown() || list.K != kList {
			return unknown("Fn::Select", p, list.refs()...)
		}
		if i.V < 0 || i.V >= len(list.L) {
			e.note(model.NoteWarn, p, "Fn::Select: index %d out of range (list of %d)", i.V, len(list.L))
			return unknown("Fn::Select out of range", p)
		}
		return withPos(list.L[i.V], p)
	case "Fn::Split":
		items, ok := e.args(name, arg, p, 2, 2, depth)
		if !ok {
			return unknown(name, p)
		}
		d, s := e.eval(items[0], depth), e.eval(items[1], depth)
		if d.K != kScalar || s.K != kScalar || d.S == "" {
			return unknown("Fn::Split", p, s.refs()...)
		}
		parts := strings.Split(s.S, d.S)
		e.budget -= len(parts)
		v := &V{K: kList, Pos: p}
		for _, x := range parts {
			v.L = append(v.L, scalar(x, p))
		}
		return v
	case "Fn::If":
		items, ok := e.args(name, arg, p, 3, 3, depth)
		if !ok {
			return unknown(name, p)
		}
		c := e.eval(items[0], depth)
		if c.K != kScalar {
			return unknown("Fn::If", p)
		}
		switch e.condition(c.S, p) {
		case triTrue:
			return e.eval(items[1], depth)
		case triFalse:
			return e.eval(items[2], depth)
		}
		a, b := e.eval(items[1], depth), e.eval(items[2], depth)
		return unknown("Fn::If "+c.S, p, addRefs(a.refs(), b.refs()...)...)
	case "Fn::FindInMap":
		items, ok := e.args(name, arg, p, 3, 4, depth)
		if !ok {
			return unknown(name, p)
		}
		var keys []string
		for _, it := range items[:3] {
			k := e.eval(it, depth)
			if k.K != kScalar {
				return unknown("Fn::FindInMap", p)
			}
			keys = append(keys, k.S)
		}
		if n := yamlx.Path(e.mappings, keys...); n != nil {
			return withPos(e.eval(n, depth), p)
		}
		if len(items) == 4 {
			if d := yamlx.Get(items[3], "DefaultValue"); d != nil {
				return e.eval(d, depth)
			}
		}
		e.note(model.NoteWarn, p, "Fn::FindInMap: no entry %s", strings.Join(keys, "/"))
		return unknown("Fn::FindInMap "+strings.Join(keys, "/"), p)
	case "Fn::ImportValue":
		a := e.eval(arg, depth)
		return unknown("Fn::ImportValue "+a.Text(), p, a.refs()...)
	case "Fn::Base64":
		a := e.eval(arg, depth)
		if a.K == kScalar {
			return scalar(base64.StdEncoding.EncodeToString([]byte(a.S)), p)
		}
		return unknown("Fn::Base64", p, a.refs()...)
	case "Fn::GetAZs":
		return unknown("Fn::GetAZs", p)
	case "Fn::Cidr":
		return unknown("Fn::Cidr", p)
	case "Condition":
		a := e.eval(arg, depth)
		if a.K != kScalar {
			return unknown("Condition", p)
		}
		return triV(e.condition(a.S, p), "Condition "+a.S, p)
	case "Fn::Equals":
		items, ok := e.args(name, arg, p, 2, 2, depth)
		if !ok {
			return unknown(name, p)
		}
		a, b := e.eval(items[0], depth), e.eval(items[1], depth)
		if a.K != kScalar || b.K != kScalar {
			return unknown("Fn::Equals", p)
		}
		return triV(boolTri(a.S == b.S), "", p)
	case "Fn::And", "Fn::Or":
		items, ok := e.args(name, arg, p, 1, 10, depth)
		if !ok {
			return unknown(name, p)
		}
		and := name == "Fn::And"
		res := boolTri(and)
		for _, it := range items {
			t := toTri(e.eval(it, depth))
			switch {
			case and && t == triFalse, !and && t == triTrue:
				return triV(t, "", p)
			case t == triUnknown:
				res = triUnknown
			}
		}
		return triV(res, name, p)
	case "Fn::Not":
		items, ok := e.args(name, arg, p, 1, 1, depth)
		if !ok {
			return unknown(name, p)
		}
		switch toTri(e.eval(items[0], depth)) {
		case triTrue:
			return triV(triFalse, "", p)
		case triFalse:
			return triV(triTrue, "", p)
		}
		return unknown("Fn::Not", p)
	case "Fn::Transform":
		e.note(model.NoteInfo, p, "Fn::Transform (a macro such as AWS::Include) is not expanded offline; its result is unresolved")
		return unknown("Fn::Transform", p)
	}
	e.note(model.NoteInfo, p, "intrinsic function %s is not supported; its result is unresolved", name)
	return unknown(name, p)
}

func (v *V) refs() []string {
	if v == nil {
		return nil
	}
	return v.Refs
}

func withPos(v *V, p model.Pos) *V {
	if v == nil {
		return nil
	}
	c := *v
	c.Pos = p
	return &c
}

func boolTri(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func toTri(v *V) tri {
	if v == nil || v.K != kScalar {
		return triUnknown
	}
	switch strings.ToLower(v.S) {
	case "true":
		return triTrue
	case "false":
		return triFalse
	}
	return triUnknown
}

func triV(t tri, why string, p model.Pos) *V {
	switch t {
	case triTrue:
		return scalar("true", p)
	case triFalse:
		return scalar("false", p)
	}
	return unknown(why, p)
}

// condition evaluates a named condition, detecting cycles.
func (e *evaluator) condition(name string, p model.Pos) tri {
	if t, ok := e.conds[name]; ok {
		return t
	}
	def, ok := e.condDefs[name]
	if !ok {
		e.note(model.NoteWarn, p, "condition %q is not defined", name)
		return triUnknown
	}
	if e.condBusy[name] {
		e.note(model.NoteWarn, p, "condition %q refers to itself (cycle); treated as unresolved", name)
		return triUnknown
	}
	e.condBusy[name] = true
	t := toTri(e.eval(def, 0))
	delete(e.condBusy, name)
	e.conds[name] = t
	return t
}

// ref resolves a Ref to a parameter, pseudo parameter or resource.
func (e *evaluator) ref(name string, p model.Pos) *V {
	if v, ok := e.params[name]; ok {
		return withPos(v, p)
	}
	if strings.HasPrefix(name, "AWS::") {
		if v, ok := e.pseudo[name]; ok {
			return withPos(v, p)
		}
		switch name {
		case "AWS::NoValue":
			return &V{K: kNoValue, Pos: p}
		case "AWS::Partition":
			return scalar("aws", p)
		case "AWS::URLSuffix":
			return scalar("amazonaws.com", p)
		case "AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
			return unknown(name, p)
		}
		e.note(model.NoteWarn, p, "Ref to unknown pseudo parameter %s", name)
		return unknown(name, p)
	}
	if _, ok := e.types[name]; ok {
		if s, ok := e.names[name]; ok {
			return &V{K: kScalar, S: s, Pos: p, Refs: []string{name}, Direct: true}
		}
		return &V{K: kUnknown, Why: "Ref " + name, Pos: p, Refs: []string{name}, Direct: true}
	}
	e.note(model.NoteInfo, p, "Ref to %q, which is neither a parameter nor a resource of this template", name)
	return unknown("Ref "+name, p)
}

func (e *evaluator) getAtt(res, attr string, p model.Pos) *V {
	if _, ok := e.types[res]; !ok {
		e.note(model.NoteInfo, p, "Fn::GetAtt of %q, which is not a resource of this template", res)
		return unknown("Fn::GetAtt "+res+"."+attr, p)
	}
	if attr == "Arn" {
		if s, ok := e.arns[res]; ok {
			return &V{K: kScalar, S: s, Pos: p, Refs: []string{res}, Direct: true, Attr: attr}
		}
	}
	return &V{K: kUnknown, Why: "Fn::GetAtt " + res + "." + attr, Pos: p, Refs: []string{res}, Direct: true, Attr: attr}
}

// sub evaluates Fn::Sub in both forms. Unknown parts keep their ${...}
// text in Why, so a partially resolved ARN still reads well in notes.
func (e *evaluator) sub(arg *yaml.Node, p model.Pos, depth int) *V {
	arg = yamlx.Deref(arg)
	var tmpl *V
	vars := map[string]*V{}
	switch {
	case arg != nil && arg.Kind == yaml.ScalarNode:
		tmpl = e.eval(arg, depth)
	case arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2:
		tmpl = e.eval(arg.Content[0], depth)
		for _, pr := range yamlx.Pairs(arg.Content[1]) {
			vars[pr.Key.Value] = e.eval(pr.Value, depth)
		}
	default:
		e.note(model.NoteWarn, p, "Fn::Sub: want a string or [string, {variables}]")
		return unknown("Fn::Sub", p)
	}
	if tmpl == nil || tmpl.K != kScalar {
		return unknown("Fn::Sub", p)
	}
	s := tmpl.S
	var out strings.Builder
	known := true
	var refs []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			out.WriteString(s[i:])
			break
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			out.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		var v *V
		if vv, ok := vars[name]; ok {
			v = vv
		} else if res, attr, ok := strings.Cut(name, "."); ok {
			v = e.getAtt(res, attr, p)
		} else {
			v = e.ref(name, p)
		}
		refs = addRefs(refs, v.refs()...)
		switch {
		case v.K == kScalar:
			out.WriteString(v.S)
		case v.Direct && e.types[strings.SplitN(name, ".", 2)[0]] != "":
			known = false
			out.WriteString("${" + name + "}")
		case v.Direct || v.K == kUnknown && strings.HasPrefix(v.Why, "Fn::"):
			known = false
			out.WriteString("${" + v.Why + "}")
		default:
			known = false
			out.WriteString("${" + name + "}")
		}
	}
	if known {
		return &V{K: kScalar, S: out.String(), Pos: p, Refs: refs}
	}
	return &V{K: kUnknown, Why: "Fn::Sub " + out.String(), Pos: p, Refs: refs}
}

func (e *evaluator) join(delim string, items []*V, list *V, p model.Pos) *V {
	if list == nil || (list.K != kList && list.K != kScalar) {
		return unknown("Fn::Join", p, list.refs()...)
	}
	var b strings.Builder
	known := true
	for i, it := range items {
		if i > 0 {
			b.WriteString(delim)
		}
		if it.K == kScalar {
			b.WriteString(it.S)
		} else {
			known = false
			b.WriteString("${" + it.Why + "}")
		}
		if b.Len() > 1<<20 {
			return unknown("Fn::Join result too large", p)
		}
	}
	if known {
		return &V{K: kScalar, S: b.String(), Pos: p, Refs: list.Refs}
	}
	return &V{K: kUnknown, Why: "Fn::Join " + b.String(), Pos: p, Refs: list.Refs}
}

// setParams evaluates the Parameters section: an override from --params or
// --var wins over the default; a parameter without either is Unknown.
func (e *evaluator) setParams(params *yaml.Node, opts map[string]string, vars map[string]string) {
	for _, pr := range yamlx.Pairs(params) {
		name := pr.Key.Value
		typ := yamlx.Get(pr.Value, "Type")
		ptype := ""
		if typ != nil {
			ptype = typ.Value
		}
		kp := e.pos(pr.Key)
		var raw *V
		if s, ok := opts[name]; ok {
			raw = scalar(s, kp)
		} else if s, ok := vars[name]; ok {
			raw = scalar(s, kp)
		} else if d := yamlx.Get(pr.Value, "Default"); d != nil {
			raw = e.eval(d, 1)
		}
		switch {
		case raw == nil:
			e.params[name] = unknown("parameter "+name+" has no value (pass --params or --var)", kp)
		case strings.HasPrefix(ptype, "AWS::SSM::Parameter::Value"):
			e.params[name] = unknown("parameter "+name+" is read from SSM ("+raw.Text()+")", kp)
		case raw.K == kScalar && (ptype == "CommaDelimitedList" || strings.HasPrefix(ptype, "List<")):
			v := &V{K: kList, Pos: raw.Pos}
			for _, x := range strings.Split(raw.S, ",") {
				v.L = append(v.L, scalar(strings.TrimSpace(x), raw.Pos))
			}
			e.params[name] = v
		default:
			e.params[name] = raw
		}
	}
	for _, k := range []string{"AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::Partition"} {
		if s, ok := opts[k]; ok {
			e.pseudo[k] = scalar(s, model.Pos{File: e.file})
		} else if s, ok := vars[k]; ok {
			e.pseudo[k] = scalar(s, model.Pos{File: e.file})
		}
	}
}

// itoa is strconv.Itoa, named for brevity at call sites.
func itoa(i int) string { return strconv.Itoa(i) }
