package taint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// Work bounds.
const (
	maxEvalDepth  = 200
	maxVisitDepth = 1000
	maxSteps      = 4_000_000
	maxPathSteps  = 12
	maxExprLen    = 120
)

// class bits record which finding classes a sanitiser made a value safe for.
type classMask uint16

const (
	maskCmd classMask = 1 << iota
	maskCode
	maskSQL
	maskNoSQL
	maskPath
	maskSSRF
	maskDeser
	maskTemplate
	maskAll classMask = 1<<iota - 1
)

var classBits = map[string]classMask{
	CommandInjection: maskCmd, CodeInjection: maskCode, SQLInjection: maskSQL, NoSQLInjection: maskNoSQL,
	PathTraversal: maskPath, SSRF: maskSSRF, Deserialization: maskDeser, TemplateInjection: maskTemplate,
}

// value is what the analyser knows about an expression that carries
// event data or a secret. nil means clean.
type value struct {
	source    string
	srcLine   int
	path      []Step
	event     bool // carries handler event data
	secret    bool // carries a secret read from the environment
	whole     bool // is (a serialisation of) the entire event
	rootChain bool // reached from the event parameter by member access only
	str       bool // known to be a string (built by concatenation/formatting)
	sql       bool // built together with SQL text
	weak      bool // passed through a call the analyser does not model
	cleared   classMask
}

func (v *value) copy() *value {
	c := *v
	c.path = append([]Step(nil), v.path...)
	return &c
}

func (v *value) withStep(line int, expr string) *value {
	if v == nil {
		return nil
	}
	c := v.copy()
	if len(c.path) < maxPathSteps {
		c.path = append(c.path, Step{Line: line, Expr: short(expr)})
	}
	return c
}

func union(a, b *value) *value {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	p, q := a, b
	if !p.event && q.event {
		p, q = q, p
	}
	c := p.copy()
	c.secret = p.secret || q.secret
	c.whole = p.whole || q.whole
	c.event = p.event || q.event
	c.sql = p.sql || q.sql
	c.rootChain = false
	c.cleared = p.cleared & q.cleared
	return c
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxExprLen {
		return s[:maxExprLen-3] + "..."
	}
	return s
}

// scope is the state of one function analysis.
type scope struct {
	env map[string]*value
	ret *value
}

func (s *scope) clone() *scope {
	env := make(map[string]*value, len(s.env))
	for k, v := range s.env {
		env[k] = v
	}
	return &scope{env: env}
}

func (s *scope) lookup(k string) (*value, bool) {
	v, ok := s.env[k]
	return v, ok
}

type memoKey struct {
	fn   *lang.Node
	mask uint64
}

type analyzer struct {
	f        *lang.File
	lang     string
	syn      *syntax
	opts     Options
	alias    map[string]string       // local name → canonical module path
	funcs    map[string][]*lang.Node // local function name → definitions
	exports  map[string]*lang.Node   // JS export name → value node
	findings []Finding
	notes    []string
	memo     map[memoKey]*value
	active   map[*lang.Node]bool
	depth    int
	steps    int
	stopped  bool
	nest     int                 // visit recursion depth
	tooDeep  bool                // note already given
	handled  map[*lang.Node]bool // function literals already analysed as callbacks
	roots    map[string]bool     // framework request expressions that are event data
}

func newAnalyzer(f *lang.File, opts Options) *analyzer {
	a := &analyzer{
		f: f, lang: f.Lang, syn: syntaxFor(f.Lang), opts: opts,
		alias: map[string]string{}, funcs: map[string][]*lang.Node{}, exports: map[string]*lang.Node{},
		memo: map[memoKey]*value{}, active: map[*lang.Node]bool{}, handled: map[*lang.Node]bool{}, roots: map[string]bool{},
	}
	a.index()
	return a
}

func (a *analyzer) text(n *lang.Node) string { return a.f.Text(n) }

func (a *analyzer) tick() bool {
	a.steps++
	if a.steps > maxSteps {
		if !a.stopped {
			a.stopped = true
			a.notes = append(a.notes, fmt.Sprintf("%s: analysis stopped after %d steps; results are partial", a.f.Path, maxSteps))
		}
		return false
	}
	return true
}

// run analyses the handler (or, failing that, every event-shaped function).
func (a *analyzer) run(symbol string) {
	fns := a.findHandler(symbol)
	if len(fns) == 0 {
		fns = a.eventShaped()
		what := fmt.Sprintf("handler %q not found", symbol)
		if symbol == "" {
			what = "no handler symbol given"
		}
		if len(fns) == 0 {
			a.notes = append(a.notes, fmt.Sprintf("%s: %s and no function takes an event parameter; only local checks ran", a.f.Path, what))
		} else {
			a.notes = append(a.notes, fmt.Sprintf("%s: %s; analysed %d function(s) whose parameter looks like an event", a.f.Path, what, len(fns)))
		}
	}
	for _, fn := range fns {
		p := a.eventParam(fn)
		args := make([]*value, len(a.params(fn)))
		if p >= 0 {
			pn := a.params(fn)[p]
			name := a.text(pn)
			if !a.syn.ident[pn.Kind] {
				name = "event"
			}
			args[p] = rootValue(name, pn.Line)
		}
		a.analyzeFunc(fn, args, &scope{env: map[string]*value{}})
	}
	a.routes()
	// Local checks (TLS, JWT, logging of secrets) cover code outside the
	// handler too: module scope and functions never called with event data.
	a.visit(&scope{env: map[string]*value{}}, a.f.Root)
}

// analyzeFunc analyses fn with argument values args and returns the
// value of what it returns.
func (a *analyzer) analyzeFunc(fn *lang.Node, args []*value, outer *scope) *value {
	var mask uint64
	for i, v := range args {
		if v != nil && i < 64 {
			mask |= 1 << i
		}
	}
	key := memoKey{fn, mask}
	if v, ok := a.memo[key]; ok {
		return v
	}
	if a.active[fn] || a.depth > a.opts.MaxCallDepth {
		return nil
	}
	a.active[fn] = true
	a.depth++
	defer func() { a.active[fn] = false; a.depth-- }()

	sc := outer.clone()
	for i, p := range a.params(fn) {
		var v *value
		if i < len(args) {
			v = args[i]
		}
		a.bind(sc, p, v, 0, "")
	}
	body := fn.ChildByField("body")
	if body != nil && (a.syn.funcLit[fn.Kind]) && body.Kind != "statement_block" && body.Kind != "block" {
		a.visit(sc, body)
		sc.ret = a.eval(sc, body, 0)
	} else {
		a.visit(sc, body)
	}
	a.memo[key] = sc.ret
	return sc.ret
}

// visit walks statements in source order, binding variables and checking
// every call.
func (a *analyzer) visit(sc *scope, n *lang.Node) {
	if n == nil || !a.tick() {
		return
	}
	if a.nest++; a.nest > maxVisitDepth {
		a.nest--
		if !a.tooDeep {
			a.tooDeep = true
			a.notes = append(a.notes, fmt.Sprintf("%s:%d: nesting deeper than %d; inner code not analysed", a.f.Path, n.Line, maxVisitDepth))
		}
		return
	}
	defer func() { a.nest-- }()
	k := n.Kind
	switch {
	case a.syn.funcDecl[k]:
		return // analysed when called
	case a.syn.funcLit[k]:
		a.visitFuncLit(sc, n)
		return
	case a.syn.comprehension[k]:
		for _, c := range n.Children {
			if c.Kind == "for_in_clause" || c.Kind == "if_clause" {
				a.visit(sc, c)
			}
		}
		for _, c := range n.Children {
			if c.Kind != "for_in_clause" && c.Kind != "if_clause" {
				a.visit(sc, c)
			}
		}
		return
	case a.syn.loop[k]:
		a.visitLoop(sc, n)
		return
	case a.syn.ifStmt[k]:
		a.visitIf(sc, n)
		return
	}
	for _, c := range n.Children {
		a.visit(sc, c)
	}
	switch {
	case a.syn.assign[k]:
		a.assign(sc, n)
	case a.syn.ret[k]:
		var v *value
		for _, c := range n.NamedChildren() {
			v = union(v, a.eval(sc, c, 0))
		}
		sc.ret = union(sc.ret, v)
	case a.syn.call[k]:
		a.checkCall(sc, n)
		// A helper called for its effect (convert(key);) is analysed with
		// the values of its arguments; its result is not used.
		if fn := n.ChildByField("function"); fn != nil && a.localCallee(sc, fn) != nil {
			a.eval(sc, n, 0)
		}
	}
	a.checkNode(sc, n)
}

// visitFuncLit analyses a function literal in place: a callback gets the
// values of its receiver and sibling arguments in its parameters
// (event.Records.forEach(r => ...)); a function stored in a variable is a
// helper analysed when called.
func (a *analyzer) visitFuncLit(sc *scope, n *lang.Node) {
	if a.handled[n] {
		return
	}
	p := n.Parent
	if p != nil && (p.Kind == "variable_declarator" || p.Kind == "pair" || p.Kind == "assignment_expression") {
		return // a named helper or export: analysed when called or as the handler
	}
	var in *value
	if p != nil && (p.Kind == "arguments" || p.Kind == "argument_list") && p.Parent != nil && a.syn.call[p.Parent.Kind] {
		call := p.Parent
		fn, args, _ := a.callParts(call)
		if fn != nil && a.syn.member[fn.Kind] {
			obj, _ := a.memberParts(fn)
			in = a.eval(sc, obj, 0)
		}
		for _, arg := range args {
			if arg != n && !a.syn.funcLit[arg.Kind] {
				in = union(in, a.eval(sc, arg, 0))
			}
		}
		if in != nil {
			in = in.withStep(call.Line, "callback of "+a.text(fn))
		}
	}
	args := make([]*value, len(a.params(n)))
	for i := range args {
		args[i] = in
	}
	a.handled[n] = true
	defer delete(a.handled, n)
	a.analyzeFunc(n, args, sc)
}

func (a *analyzer) visitLoop(sc *scope, n *lang.Node) {
	left, right := n.ChildByField("left"), n.ChildByField("right")
	if a.lang == lang.Go {
		rc := lang.ChildOfKind(n, "range_clause")
		if rc == nil {
			for _, c := range n.Children {
				a.visit(sc, c)
			}
			return
		}
		left, right = rc.ChildByField("left"), rc.ChildByField("right")
	}
	a.visit(sc, right)
	if left != nil {
		v := a.deriveName(a.eval(sc, right, 0), "[]", n.Line)
		step := "for " + a.text(left) + " in " + a.text(right)
		switch left.Kind {
		case "expression_list", "pattern_list", "tuple_pattern":
			// for k, v := range xs / for k, v in d.items(): the element
			// value is the last name; a Go index is an int.
			vars := left.NamedChildren()
			for i, c := range vars {
				if a.lang == lang.Go && i == 0 && len(vars) == 2 {
					a.bind(sc, c, nil, n.Line, "")
					continue
				}
				a.bind(sc, c, v, n.Line, step)
			}
		default:
			a.bind(sc, left, v, n.Line, step)
		}
	}
	for _, c := range n.Children {
		if c != left && c != right && c.Kind != "range_clause" {
			a.visit(sc, c)
		}
	}
}

// assign binds the targets of an assignment or declaration.
func (a *analyzer) assign(sc *scope, n *lang.Node) {
	var left, right *lang.Node
	switch n.Kind {
	case "variable_declarator":
		left, right = n.ChildByField("name"), n.ChildByField("value")
	case "var_spec", "const_spec":
		right = n.ChildByField("value")
		for _, c := range n.Children {
			if c.Field == "name" {
				if right == nil {
					a.bind(sc, c, nil, n.Line, "")
				} else {
					a.bindList(sc, []*lang.Node{c}, right, n)
				}
			}
		}
		return
	default:
		left, right = n.ChildByField("left"), n.ChildByField("right")
		if n.Kind == "named_expression" {
			left, right = n.ChildByField("name"), n.ChildByField("value")
		}
	}
	if left == nil || right == nil {
		return
	}
	op := ""
	if o := n.ChildByField("operator"); o != nil {
		op = a.text(o)
	}
	if n.Kind == "augmented_assignment_expression" || n.Kind == "augmented_assignment" || strings.HasSuffix(op, "=") && op != "=" && op != ":=" {
		v := union(a.eval(sc, left, 0), a.eval(sc, right, 0))
		a.bind(sc, left, v, n.Line, a.text(n))
		return
	}
	if (left.Kind == "expression_list" || left.Kind == "pattern_list" || left.Kind == "tuple_pattern") && left.Kind != "" {
		a.bindList(sc, left.NamedChildren(), right, n)
		return
	}
	a.bind(sc, left, a.eval(sc, right, 0), n.Line, a.text(n))
}

// bindList binds several targets: pairwise when the right side lists as
// many expressions, otherwise each gets the value of the whole right side.
func (a *analyzer) bindList(sc *scope, targets []*lang.Node, right *lang.Node, stmt *lang.Node) {
	rs := []*lang.Node{right}
	if right.Kind == "expression_list" || right.Kind == "pattern_list" {
		rs = right.NamedChildren()
	}
	if len(rs) == len(targets) {
		for i, t := range targets {
			a.bind(sc, t, a.eval(sc, rs[i], 0), stmt.Line, a.text(stmt))
		}
		return
	}
	v := a.eval(sc, right, 0)
	for _, t := range targets {
		a.bind(sc, t, v, stmt.Line, a.text(stmt))
	}
}

// bind stores v under the names a pattern introduces; destructuring keeps
// the property in the source name (const {body} = event → event.body).
// A non-empty expr is recorded as a step of the path.
func (a *analyzer) bind(sc *scope, pat *lang.Node, v *value, line int, expr string) {
	if pat == nil {
		return
	}
	set := func(k string, v *value) {
		if expr != "" {
			v = v.withStep(line, expr)
		}
		sc.env[k] = v
	}
	switch pat.Kind {
	case "identifier", "shorthand_property_identifier_pattern":
		set(a.text(pat), v)
	case "object_pattern", "dictionary_pattern":
		for _, c := range pat.NamedChildren() {
			switch c.Kind {
			case "shorthand_property_identifier_pattern":
				set(a.text(c), a.deriveName(v, "."+a.text(c), pat.Line))
			case "pair_pattern":
				a.bind(sc, c.ChildByField("value"), a.deriveName(v, "."+lang.Unquote(a.text(c.ChildByField("key"))), pat.Line), line, expr)
			case "object_assignment_pattern":
				l := c.ChildByField("left")
				a.bind(sc, l, a.deriveName(v, "."+a.text(l), pat.Line), line, expr)
			case "rest_pattern":
				for _, r := range c.NamedChildren() {
					a.bind(sc, r, v, line, expr)
				}
			}
		}
	case "array_pattern", "list_pattern", "tuple_pattern", "pattern_list", "expression_list":
		for i, c := range pat.NamedChildren() {
			a.bind(sc, c, a.deriveName(v, fmt.Sprintf("[%d]", i), pat.Line), line, expr)
		}
	case "assignment_pattern":
		a.bind(sc, pat.ChildByField("left"), v, line, expr)
	case "rest_pattern", "list_splat_pattern", "parenthesized_expression":
		for _, c := range pat.NamedChildren() {
			a.bind(sc, c, v, line, expr)
		}
	default:
		if a.syn.member[pat.Kind] || a.syn.index[pat.Kind] {
			set(normKey(a.text(pat)), v)
		} else if !pat.Named || pat.Kind == "required_parameter" {
			return
		} else if len(pat.NamedChildren()) == 1 {
			a.bind(sc, pat.NamedChildren()[0], v, line, expr)
		}
	}
}

// deriveName extends a value reached from the event parameter by a
// member suffix, so that the source names the exact field.
func (a *analyzer) deriveName(v *value, suffix string, line int) *value {
	if v == nil {
		return nil
	}
	c := v.copy()
	c.whole = false
	if v.rootChain {
		c.source = v.source + suffix
		c.srcLine = line
		// One member chain (event.Records[0].s3) is one step, not one per
		// member.
		step := Step{Line: line, Expr: short(c.source)}
		if k := len(c.path) - 1; k >= 0 && c.path[k].Line == line && strings.HasPrefix(c.source, c.path[k].Expr) {
			c.path[k] = step
		} else if len(c.path) < maxPathSteps {
			c.path = append(c.path, step)
		}
	}
	return c
}

func normKey(s string) string { return strings.Join(strings.Fields(s), "") }

// eval returns the value of expression n.
func (a *analyzer) eval(sc *scope, n *lang.Node, depth int) *value {
	if n == nil || depth > maxEvalDepth || !a.tick() {
		return nil
	}
	k := n.Kind
	switch {
	case a.syn.ident[k]:
		if v, ok := sc.lookup(a.text(n)); ok {
			return v
		}
		if a.roots[a.text(n)] {
			return rootValue(a.text(n), n.Line)
		}
		return nil
	case a.syn.member[k], a.syn.index[k]:
		if v, ok := sc.lookup(normKey(a.text(n))); ok {
			return v
		}
		if a.roots[normKey(a.text(n))] {
			return rootValue(normKey(a.text(n)), n.Line)
		}
		if s := a.secretRead(n); s != "" {
			return &value{source: s, srcLine: n.Line, secret: true, path: []Step{{Line: n.Line, Expr: short(s)}}}
		}
		var obj *lang.Node
		if a.syn.member[k] {
			o, prop := a.memberParts(n)
			if prop == "length" && (a.lang == lang.JavaScript || a.lang == lang.TypeScript) {
				return nil
			}
			obj = o
		} else {
			obj = n.ChildByField(a.syn.indexObj)
		}
		v := a.eval(sc, obj, depth+1)
		if v == nil {
			return nil
		}
		return a.deriveName(v, strings.TrimPrefix(a.text(n), a.text(obj)), n.Line)
	case a.syn.call[k]:
		return a.evalCall(sc, n, depth)
	case a.syn.funcLit[k], a.syn.funcDecl[k]:
		return nil
	case a.syn.str[k]:
		return a.evalString(sc, n, depth)
	}
	switch k {
	case "binary_expression", "binary_operator":
		op := a.text(n.ChildByField("operator"))
		l, r := a.eval(sc, n.ChildByField("left"), depth+1), a.eval(sc, n.ChildByField("right"), depth+1)
		switch op {
		case "+", "%":
			v := union(l, r)
			if v != nil && (op == "+" && (a.isStringy(n.ChildByField("left")) || a.isStringy(n.ChildByField("right")) || l != nil && l.str || r != nil && r.str) || op == "%" && a.lang == lang.Python) {
				v = v.copy()
				v.str = true
				v.sql = v.sql || sqlText.MatchString(a.literalText(n))
			}
			return v
		case "||", "&&", "??":
			return union(l, r)
		}
		return nil
	case "boolean_operator":
		return union(a.eval(sc, n.ChildByField("left"), depth+1), a.eval(sc, n.ChildByField("right"), depth+1))
	case "comparison_operator", "not_operator", "true", "false", "none", "null", "undefined", "number", "integer", "float",
		"int_literal", "float_literal", "nil", "regex", "type_identifier", "predefined_type", "type_annotation", "comment":
		return nil
	case "unary_expression":
		op := a.text(n.ChildByField("operator"))
		if op == "&" || op == "*" || op == "<-" {
			return a.eval(sc, n.ChildByField("operand"), depth+1)
		}
		return nil
	case "ternary_expression":
		return union(a.eval(sc, n.ChildByField("consequence"), depth+1), a.eval(sc, n.ChildByField("alternative"), depth+1))
	case "conditional_expression":
		ch := n.NamedChildren()
		if len(ch) == 3 {
			return union(a.eval(sc, ch[0], depth+1), a.eval(sc, ch[2], depth+1))
		}
	case "assignment_expression":
		return a.eval(sc, n.ChildByField("right"), depth+1)
	case "pair", "keyword_argument":
		return a.eval(sc, n.ChildByField("value"), depth+1)
	case "keyed_element":
		ch := n.NamedChildren()
		if len(ch) > 0 {
			return a.eval(sc, ch[len(ch)-1], depth+1)
		}
		return nil
	case "composite_literal":
		return a.eval(sc, n.ChildByField("body"), depth+1)
	case "type_conversion_expression":
		return a.eval(sc, n.ChildByField("operand"), depth+1)
	}
	var v *value
	for _, c := range n.Children {
		if c.Named {
			v = union(v, a.eval(sc, c, depth+1))
		}
	}
	return v
}

var sqlText = regexp.MustCompile(`(?i)\b(select\s.+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where\s|order\s+by|values\s*\(|create\s+table|drop\s+table)`)

func (a *analyzer) isStringy(n *lang.Node) bool {
	return n != nil && (a.syn.str[n.Kind])
}

// evalString handles template literals and f-strings.
func (a *analyzer) evalString(sc *scope, n *lang.Node, depth int) *value {
	var v *value
	lang.Walk(n, func(c *lang.Node) bool {
		if c == n {
			return true
		}
		if c.Kind == "template_substitution" || c.Kind == "interpolation" {
			for _, e := range c.NamedChildren() {
				v = union(v, a.eval(sc, e, depth+1))
			}
			return false
		}
		return a.syn.str[c.Kind] // concatenated_string parts
	})
	if v != nil {
		v = v.copy()
		v.str = true
		v.rootChain = false
		v.sql = v.sql || sqlText.MatchString(a.literalText(n))
	}
	return v
}

// secretRead returns the expression text when n reads an environment
// variable whose name suggests a secret.
func (a *analyzer) secretRead(n *lang.Node) string {
	t := normKey(a.text(n))
	var name string
	switch {
	case strings.HasPrefix(t, "process.env."):
		name = strings.TrimPrefix(t, "process.env.")
	case strings.HasPrefix(t, "process.env["), strings.HasPrefix(t, "os.environ["):
		name = lang.Unquote(t[strings.Index(t, "[")+1 : len(t)-1])
	default:
		return ""
	}
	if secretName.MatchString(name) {
		return t
	}
	return ""
}

var secretName = regexp.MustCompile(`(?i)(secret|passw|pwd|token|api_?key|private_?key|credential|client_?secret)`)

// guard is a check in a condition that makes an expression safe for the
// classes in mask when the condition holds (or fails, when negated).
type guard struct {
	target  *lang.Node
	mask    classMask
	negated bool
}

// visitIf visits a conditional with the guards of its condition applied
// where they hold: a positive guard (ALLOWED.includes(x)) inside the
// consequence, a negated one (!ALLOWED.includes(x), x not in ALLOWED)
// in the alternative and, when the consequence leaves the block (return,
// throw, raise, continue), for the rest of the function.
func (a *analyzer) visitIf(sc *scope, n *lang.Node) {
	var cons *lang.Node
	var alts []*lang.Node
	for _, c := range n.Children {
		switch c.Field {
		case "consequence", "body":
			cons = c
		case "alternative":
			alts = append(alts, c)
		case "condition", "initializer":
			a.visit(sc, c)
		}
	}
	var pos, neg []guard
	for _, g := range a.guards(sc, n) {
		if g.negated {
			neg = append(neg, g)
		} else {
			pos = append(pos, g)
		}
	}
	restore := a.applyGuards(sc, pos)
	a.visit(sc, cons)
	restore()
	if a.terminates(cons) {
		a.applyGuards(sc, neg)
		for _, alt := range alts {
			a.visit(sc, alt)
		}
		return
	}
	restore = a.applyGuards(sc, neg)
	for _, alt := range alts {
		a.visit(sc, alt)
	}
	restore()
	if len(alts) > 0 && a.terminates(alts[len(alts)-1]) {
		a.applyGuards(sc, pos)
	}
}

// terminates reports whether a block always leaves the enclosing block.
func (a *analyzer) terminates(n *lang.Node) bool {
	for n != nil {
		switch n.Kind {
		case "return_statement", "throw_statement", "raise_statement", "continue_statement", "break_statement":
			return true
		case "expression_statement":
			ch := n.NamedChildren()
			if len(ch) == 1 && a.syn.call[ch[0].Kind] {
				fn, _, _ := a.callParts(ch[0])
				switch name := a.canon(fn); {
				case name == "panic", name == "os.Exit", name == "sys.exit", name == "process.exit", strings.HasPrefix(name, "log.Fatal"):
					return true
				}
			}
			return false
		}
		var last *lang.Node
		for _, c := range n.Children {
			if c.Named && c.Kind != "comment" {
				last = c
			}
		}
		if last == nil || !(n.Kind == "statement_block" || n.Kind == "block" || n.Kind == "else_clause" || n.Kind == "elif_clause") {
			return false
		}
		if n.Kind == "elif_clause" || n.Kind == "else_clause" {
			if b := n.ChildByField("body"); b != nil {
				last = b
			} else if b := n.ChildByField("consequence"); b != nil {
				last = b
			}
		}
		n = last
	}
	return false
}

// guards finds the allowlist, pattern, validator and base-path checks in
// the condition of an if statement (and Go's "_, ok := allowed[x]; ok").
func (a *analyzer) guards(sc *scope, ifNode *lang.Node) []guard {
	cond := ifNode.ChildByField("condition")
	var out []guard
	add := func(site, target *lang.Node, m classMask, negated bool) {
		for p := site.Parent; p != nil && p != cond.Parent; p = p.Parent {
			switch {
			case p.Kind == "not_operator", p.Kind == "unary_expression" && a.text(p.ChildByField("operator")) == "!":
				negated = !negated
			}
		}
		out = append(out, guard{target: target, mask: m, negated: negated})
	}
	if cond == nil {
		return nil
	}
	lang.Walk(cond, func(n *lang.Node) bool {
		switch {
		case a.syn.call[n.Kind]:
			fn, args, _ := a.callParts(n)
			name := a.canon(fn)
			method := lastSeg(name)
			var recv *lang.Node
			if fn != nil && a.syn.member[fn.Kind] {
				recv, _ = a.memberParts(fn)
			}
			switch {
			case method == "startsWith" || method == "startswith" || name == "strings.HasPrefix" || name == "os.path.commonpath" || name == "os.path.commonprefix":
				target := recv
				if (recv == nil || name == "strings.HasPrefix") && len(args) > 0 {
					target = args[0]
				}
				add(n, target, maskPath, false)
			case method == "includes" || method == "has" || method == "contains" || method == "Contains" ||
				method == "test" || method == "match" || method == "fullmatch" || method == "MatchString" || method == "hasOwnProperty" ||
				name == "isinstance" || (strings.HasPrefix(method, "is") && len(method) > 2 && method[2] >= 'A' && method[2] <= 'Z' && method != "isArray"):
				if recv == nil || a.eval(sc, recv, 0) == nil {
					for _, arg := range args {
						add(n, arg, maskAll, false)
					}
				}
			case method == "isdigit" || method == "isalnum" || method == "isnumeric" || method == "isdecimal" || method == "isalpha":
				add(n, recv, maskAll, false)
			case method == "indexOf" && recv != nil && a.eval(sc, recv, 0) == nil && len(args) > 0:
				// ALLOWED.indexOf(x) === -1 is the negative form.
				neg := false
				if p := n.Parent; p != nil && p.Kind == "binary_expression" && strings.Contains(a.text(p), "-1") {
					op := a.text(p.ChildByField("operator"))
					neg = op == "===" || op == "=="
				}
				add(n, args[0], maskAll, neg)
			}
		case n.Kind == "comparison_operator":
			ch := n.NamedChildren()
			txt := a.text(n)
			if len(ch) == 2 && strings.Contains(txt, " in ") && a.eval(sc, ch[1], 0) == nil {
				add(n, ch[0], maskAll, strings.Contains(txt, " not in "))
			}
		case a.lang == lang.Go && n.Kind == "index_expression":
			if a.eval(sc, n.ChildByField("operand"), 0) == nil {
				add(n, n.ChildByField("index"), maskAll, false)
			}
		}
		return !a.syn.funcLit[n.Kind]
	})
	// Go: if _, ok := allowed[x]; ok { ... } / if _, ok := ...; !ok { return }
	if init := ifNode.ChildByField("initializer"); init != nil && a.lang == lang.Go {
		ct := strings.TrimSpace(a.text(cond))
		okVar := strings.TrimPrefix(ct, "!")
		if l, r := init.ChildByField("left"), init.ChildByField("right"); l != nil && r != nil {
			ls, rs := l.NamedChildren(), r.NamedChildren()
			if len(ls) == 2 && a.text(ls[1]) == okVar && len(rs) == 1 && rs[0].Kind == "index_expression" &&
				a.eval(sc, rs[0].ChildByField("operand"), 0) == nil {
				out = append(out, guard{target: rs[0].ChildByField("index"), mask: maskAll, negated: strings.HasPrefix(ct, "!")})
			}
		}
	}
	return out
}

// applyGuards marks the guarded values as sanitised and returns a
// function that undoes it (unless the value was reassigned meanwhile).
func (a *analyzer) applyGuards(sc *scope, gs []guard) (restore func()) {
	type saved struct {
		old, now *value
		had      bool
	}
	undo := map[string]saved{}
	for _, g := range gs {
		for k, now := range a.clear(sc, g.target, g.mask) {
			s, seen := undo[k]
			if !seen {
				s.old, s.had = sc.env[k]
			}
			s.now = now
			undo[k] = s
			sc.env[k] = now
		}
	}
	return func() {
		for k, s := range undo {
			if sc.env[k] == s.now {
				if s.had {
					sc.env[k] = s.old
				} else {
					delete(sc.env, k)
				}
			}
		}
	}
}

// clear returns sanitised copies (for the classes in m) of the tainted
// names and member chains inside n, keyed like the scope.
func (a *analyzer) clear(sc *scope, n *lang.Node, m classMask) map[string]*value {
	out := map[string]*value{}
	lang.Walk(n, func(c *lang.Node) bool {
		if a.syn.ident[c.Kind] || a.syn.member[c.Kind] || a.syn.index[c.Kind] {
			if v := a.eval(sc, c, 0); v != nil {
				v = v.copy()
				v.cleared |= m
				out[normKey(a.text(c))] = v
			}
			return false
		}
		return !a.syn.funcLit[c.Kind]
	})
	return out
}

func lastSeg(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}
