package serverless

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// unknownTag marks a resolved scalar whose value cannot be known offline;
// the node's Value holds the unresolved expression (model.Val.Why).
const unknownTag = "!faasguard/unknown"

// Bounds of variable resolution: a hostile config cannot make it loop,
// recurse without end or build huge strings.
const (
	maxVarDepth  = 32      // nested variables / chains of self references
	maxVarSteps  = 200_000 // variable evaluations per config
	maxStringLen = 1 << 20 // bytes of one interpolated string
	maxVarNotes  = 200     // notes about variables per config
	maxFileDocs  = 64      // distinct files read through ${file()}
	defaultStage = "dev"   // the Serverless Framework's default stage
	defaultRegn  = "us-east-1"
)

// fileReader is the part of loader.Tree the resolver needs.
type fileReader interface {
	ReadFrom(fromDir, p string) ([]byte, string, error)
}

// resolver resolves Serverless Framework variables (${self:...}, ${opt:...},
// ${file(...)} ...) over a parsed config. It is lazy, like the framework: a
// node is resolved when something reads it, each node once (memoized), and a
// node that is needed while it is being resolved is a cycle.
type resolver struct {
	fs   fileReader
	opts loader.Options
	file string // root-relative path of the config
	dir  string // its directory, root-relative
	root *yaml.Node

	memo     map[*yaml.Node]*yaml.Node
	busy     map[*yaml.Node]bool
	resolved map[*yaml.Node]bool
	origin   map[*yaml.Node]string // node -> file it was written in (when not the config)
	docs     map[string]*yaml.Node

	steps    int
	stage    *yaml.Node
	inStage  bool
	notes    []model.Note
	noted    map[string]bool
	exceeded bool
}

func newResolver(fs fileReader, opts loader.Options, file string, root *yaml.Node) *resolver {
	dir := path.Dir(file)
	return &resolver{
		fs: fs, opts: opts, file: file, dir: dir, root: root,
		memo: map[*yaml.Node]*yaml.Node{}, busy: map[*yaml.Node]bool{},
		resolved: map[*yaml.Node]bool{}, origin: map[*yaml.Node]string{},
		docs: map[string]*yaml.Node{}, noted: map[string]bool{},
	}
}

// fileOf returns the file a node was written in.
func (r *resolver) fileOf(n *yaml.Node) string {
	if f, ok := r.origin[n]; ok {
		return f
	}
	return r.file
}

func (r *resolver) pos(n *yaml.Node) model.Pos { return yamlx.Pos(r.fileOf(n), n) }

func (r *resolver) note(level model.NoteLevel, p model.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := p.String() + "\x00" + msg
	if r.noted[key] {
		return
	}
	r.noted[key] = true
	if len(r.notes) == maxVarNotes {
		r.notes = append(r.notes, model.Note{Level: model.NoteInfo, Pos: p, Message: "further variable notes omitted"})
	}
	if len(r.notes) > maxVarNotes {
		return
	}
	r.notes = append(r.notes, model.Note{Level: level, Pos: p, Message: msg})
}

// isUnknown reports whether a resolved node is the Unknown marker.
func isUnknown(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.Tag == unknownTag
}

func (r *resolver) unknown(why string, at *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: unknownTag, Value: why}
	if at != nil {
		n.Line, n.Column = at.Line, at.Column
		if f, ok := r.origin[at]; ok {
			r.origin[n] = f
		}
	}
	r.resolved[n] = true
	return n
}

// Node returns the resolved form of n: variables substituted, aliases and
// merge keys expanded. Unresolvable values become Unknown markers.
func (r *resolver) Node(n *yaml.Node) *yaml.Node { return r.resolveNode(n, 0) }

func (r *resolver) resolveNode(n *yaml.Node, depth int) *yaml.Node {
	if n == nil {
		return nil
	}
	file, hasOrigin := r.origin[n]
	n = yamlx.Deref(n)
	if n == nil || r.resolved[n] {
		return n
	}
	if hasOrigin {
		// Aliases are followed within one file.
		r.origin[n] = file
	}
	if m, ok := r.memo[n]; ok {
		return m
	}
	if r.busy[n] {
		r.note(model.NoteWarn, r.pos(n), "cyclic variable reference: %s refers back to itself", clip(flat(n)))
		return r.unknown("cyclic reference "+clip(flat(n)), n)
	}
	r.busy[n] = true
	defer delete(r.busy, n)
	var out *yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		out = r.scalar(n, depth)
	case yaml.MappingNode:
		out = &yaml.Node{Kind: yaml.MappingNode, Tag: n.Tag, Line: n.Line, Column: n.Column, Style: n.Style}
		r.inherit(n, out)
		for _, p := range yamlx.Pairs(n) {
			r.inherit(n, p.Key)
			r.inherit(n, p.Value)
			k := p.Key
			if strings.Contains(k.Value, "${") {
				if rk := r.resolveNode(k, depth); rk != nil && !isUnknown(rk) && rk.Kind == yaml.ScalarNode {
					k = rk
				}
			}
			out.Content = append(out.Content, k, r.resolveNode(p.Value, depth))
		}
	case yaml.SequenceNode:
		out = &yaml.Node{Kind: yaml.SequenceNode, Tag: n.Tag, Line: n.Line, Column: n.Column, Style: n.Style}
		r.inherit(n, out)
		for _, c := range n.Content {
			r.inherit(n, c)
			out.Content = append(out.Content, r.resolveNode(c, depth))
		}
	default:
		out = n
	}
	r.memo[n] = out
	r.resolved[out] = true
	return out
}

// inherit records that child was written in the same file as parent.
func (r *resolver) inherit(parent, child *yaml.Node) {
	if f, ok := r.origin[parent]; ok && child != nil {
		if _, set := r.origin[child]; !set {
			r.origin[child] = f
		}
	}
}

// val is the result of evaluating one variable expression.
type val struct {
	node    *yaml.Node // found (a resolved node); nil otherwise
	unknown string     // set when the value exists but cannot be known offline
}

func (v val) found() bool { return v.node != nil }

// scalar resolves the variables of a string scalar. A string that is exactly
// one variable takes the variable's value, whatever its type (an object
// substitutes the node); variables inside a longer string are interpolated.
func (r *resolver) scalar(n *yaml.Node, depth int) *yaml.Node {
	s := n.Value
	if !strings.Contains(s, "${") {
		return n
	}
	spans := varSpans(s)
	if len(spans) == 0 {
		return n
	}
	if len(spans) == 1 && spans[0][0] == 0 && spans[0][1] == len(s) {
		v := r.expr(s[2:len(s)-1], n, depth)
		switch {
		case v.unknown != "":
			return r.unknown(v.unknown, n)
		case !v.found():
			r.note(model.NoteInfo, r.pos(n), "variable %s has no value and no fallback", s)
			return r.unknown(s, n)
		case v.node.Kind == yaml.ScalarNode:
			c := *v.node
			c.Line, c.Column = n.Line, n.Column
			out := &c
			if f, ok := r.origin[n]; ok {
				r.origin[out] = f
			} else {
				delete(r.origin, out)
			}
			r.resolved[out] = true
			return out
		}
		return v.node
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		last = sp[1]
		expr := s[sp[0]:sp[1]]
		v := r.expr(s[sp[0]+2:sp[1]-1], n, depth)
		switch {
		case v.unknown != "":
			return r.unknown(v.unknown, n)
		case !v.found():
			r.note(model.NoteInfo, r.pos(n), "variable %s has no value and no fallback", expr)
			return r.unknown(expr, n)
		case v.node.Kind != yaml.ScalarNode:
			r.note(model.NoteInfo, r.pos(n), "variable %s is an object or list inside a string; not interpolated", expr)
			return r.unknown(expr, n)
		}
		b.WriteString(v.node.Value)
		if b.Len() > maxStringLen {
			r.note(model.NoteWarn, r.pos(n), "interpolated string longer than %d bytes; left unresolved", maxStringLen)
			return r.unknown("string too long", n)
		}
	}
	b.WriteString(s[last:])
	tag := "!!str"
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		tag = n.Tag // a CloudFormation short form such as !Sub keeps its tag
	}
	out := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: b.String(), Line: n.Line, Column: n.Column}
	if f, ok := r.origin[n]; ok {
		r.origin[out] = f
	}
	r.resolved[out] = true
	return out
}

// varSpans returns the [start, end) byte spans of the outermost variables
// in s. Expressions that are not Serverless variables (CloudFormation's
// ${AWS::Region}, ${Bucket.Arn} in Fn::Sub strings) are left alone.
func varSpans(s string) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '$' || s[i+1] != '{' {
			continue
		}
		end := matchBrace(s, i+1)
		if end < 0 {
			return out
		}
		if isVariable(s[i+2 : end]) {
			out = append(out, [2]int{i, end + 1})
		}
		i = end
	}
	return out
}

// matchBrace returns the index of the '}' closing the '{' at open, or -1.
func matchBrace(s string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// isVariable reports whether the inside of ${...} is a Serverless variable:
// it starts with a source ("self:", "opt:", "file(") or is a nested
// expression, and is not a CloudFormation pseudo parameter (AWS::Region).
func isVariable(inner string) bool {
	inner = strings.TrimSpace(inner)
	if strings.HasPrefix(inner, "${") {
		return true
	}
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == ':':
			return i > 0 && !(i+1 < len(inner) && inner[i+1] == ':')
		case c == '(':
			return i > 0
		case c == '$' && i+1 < len(inner) && inner[i+1] == '{':
			return i > 0
		case !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'):
			return false
		}
	}
	return false
}

// expr evaluates the inside of one ${...}: nested variables first, then
// the comma-separated alternatives left to right. A source that exists but
// is unknowable offline (ssm, env without --allow-env) ends the search: the
// deployed value would come from it, not from a later fallback.
func (r *resolver) expr(inner string, at *yaml.Node, depth int) val {
	whole := "${" + inner + "}"
	if depth >= maxVarDepth {
		r.note(model.NoteWarn, r.pos(at), "variable %s nests deeper than %d levels; left unresolved", clip(whole), maxVarDepth)
		return val{unknown: whole}
	}
	r.steps++
	if r.steps > maxVarSteps {
		if !r.exceeded {
			r.exceeded = true
			r.note(model.NoteWarn, r.pos(at), "variable resolution budget of %d steps exhausted; remaining variables left unresolved", maxVarSteps)
		}
		return val{unknown: whole}
	}
	// Nested variables: ${self:custom.${opt:stage}.memory}.
	if spans := varSpans(inner); len(spans) > 0 {
		var b strings.Builder
		last := 0
		for _, sp := range spans {
			b.WriteString(inner[last:sp[0]])
			last = sp[1]
			v := r.expr(inner[sp[0]+2:sp[1]-1], at, depth+1)
			if v.unknown != "" {
				return v
			}
			if !v.found() || v.node.Kind != yaml.ScalarNode {
				r.note(model.NoteInfo, r.pos(at), "nested variable %s has no usable value", inner[sp[0]:sp[1]])
				return val{unknown: inner[sp[0]:sp[1]]}
			}
			b.WriteString(v.node.Value)
			if b.Len() > maxStringLen {
				return val{unknown: clip(whole)}
			}
		}
		b.WriteString(inner[last:])
		inner = b.String()
		whole = "${" + inner + "}"
	}
	for _, alt := range splitAlternatives(inner) {
		v := r.alternative(strings.TrimSpace(alt), at, depth)
		if v.unknown != "" || (v.found() && !yamlx.IsNull(v.node)) {
			return v
		}
	}
	return val{}
}

// splitAlternatives splits at commas outside quotes and parentheses.
func splitAlternatives(s string) []string {
	var out []string
	var quote byte
	paren, start := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			paren++
		case c == ')':
			paren--
		case c == ',' && paren == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func (r *resolver) literal(v string, tag string) val {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
	r.resolved[n] = true
	return val{node: n}
}

// alternative evaluates one source reference or literal.
func (r *resolver) alternative(a string, at *yaml.Node, depth int) val {
	if a == "" {
		return val{}
	}
	if len(a) >= 2 && (a[0] == '\'' || a[0] == '"') && a[len(a)-1] == a[0] {
		return r.literal(a[1:len(a)-1], "!!str")
	}
	if _, err := strconv.ParseFloat(a, 64); err == nil {
		if _, err := strconv.Atoi(a); err == nil {
			return r.literal(a, "!!int")
		}
		return r.literal(a, "!!float")
	}
	switch a {
	case "true", "false":
		return r.literal(a, "!!bool")
	case "null":
		return val{}
	}
	src, rest := a, ""
	if i := strings.IndexAny(a, ":("); i >= 0 {
		if a[i] == '(' {
			j := strings.LastIndexByte(a, ')')
			if j < i {
				return r.unsupported(a, at)
			}
			src, rest = a[:i], a[i:]
		} else {
			src, rest = a[:i], a[i+1:]
		}
	}
	switch src {
	case "self":
		return r.self(rest, at, depth)
	case "opt":
		return r.opt(rest)
	case "sls":
		switch rest {
		case "stage":
			return r.effectiveStage(depth)
		case "instanceId":
			return val{unknown: "${sls:instanceId}"}
		}
		return r.unsupported(a, at)
	case "param":
		return r.param(rest, depth)
	case "env":
		if !r.opts.AllowEnv {
			r.note(model.NoteInfo, r.pos(at), "${env:%s} not read: --allow-env not set", rest)
			return val{unknown: "${" + a + "}"}
		}
		get := r.opts.Env
		if get == nil {
			get = os.LookupEnv
		}
		if v, ok := get(rest); ok {
			return r.literal(v, "!!str")
		}
		return val{}
	case "file":
		return r.fileVar(rest, at, depth)
	case "strToBool":
		arg := strings.Trim(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"), " '\"")
		switch strings.ToLower(arg) {
		case "true", "1":
			return r.literal("true", "!!bool")
		case "false", "0":
			return r.literal("false", "!!bool")
		}
		return val{unknown: "${" + a + "}"}
	case "ssm", "cf", "s3", "aws", "secretsmanager", "sls-instance":
		return val{unknown: "${" + a + "}"}
	}
	if strings.HasPrefix(src, "ssm") || strings.HasPrefix(src, "cf") {
		// ${ssm(raw):...}, ${cf(us-east-1):...}
		return val{unknown: "${" + a + "}"}
	}
	return r.unsupported(a, at)
}

func (r *resolver) unsupported(a string, at *yaml.Node) val {
	r.note(model.NoteInfo, r.pos(at), "variable ${%s}: source not supported offline (a plugin's resolver?); left unresolved", clip(a))
	return val{unknown: "${" + a + "}"}
}

// opt resolves a CLI option: --stage for opt:stage, --var k=v for the rest.
func (r *resolver) opt(name string) val {
	name = strings.TrimSpace(name)
	if name == "stage" && r.opts.Stage != "" {
		return r.literal(r.opts.Stage, "!!str")
	}
	if v, ok := r.opts.Vars[name]; ok {
		return r.literal(v, "!!str")
	}
	return val{}
}

// param resolves ${param:x}: --params first, then the stage's params in
// the config (v3 params:, v4 stages:), then their default section.
func (r *resolver) param(name string, depth int) val {
	if v, ok := r.opts.Params[name]; ok {
		return r.literal(v, "!!str")
	}
	st := r.effectiveStage(depth)
	stage := ""
	if st.found() && st.node.Kind == yaml.ScalarNode {
		stage = st.node.Value
	}
	for _, p := range [][]string{
		{"params", stage, name}, {"stages", stage, "params", name},
		{"params", "default", name}, {"stages", "default", "params", name},
	} {
		if p[1] == "" {
			continue
		}
		if v := r.self(strings.Join(p, "."), nil, depth); v.found() || v.unknown != "" {
			return v
		}
	}
	return val{}
}

// effectiveStage is --stage, else provider.stage as written, else "dev".
func (r *resolver) effectiveStage(depth int) val {
	if r.opts.Stage != "" {
		return r.literal(r.opts.Stage, "!!str")
	}
	if r.stage != nil {
		if isUnknown(r.stage) {
			return val{unknown: r.stage.Value}
		}
		return val{node: r.stage}
	}
	if r.inStage {
		return val{unknown: "${sls:stage}"}
	}
	r.inStage = true
	defer func() { r.inStage = false }()
	st := yamlx.Path(r.root, "provider", "stage")
	if st == nil {
		r.stage = r.literal(defaultStage, "!!str").node
		return val{node: r.stage}
	}
	n := r.resolveNode(st, depth+1)
	if n == nil || n.Kind != yaml.ScalarNode || yamlx.IsNull(n) {
		r.stage = r.literal(defaultStage, "!!str").node
	} else {
		r.stage = n
	}
	if isUnknown(r.stage) {
		return val{unknown: r.stage.Value}
	}
	return val{node: r.stage}
}

// self resolves a path into the config: custom.a.b, functions.f.events.0,
// list[1]. Nodes met on the way are resolved only as far as the walk needs,
// so sibling values do not make false cycles.
func (r *resolver) self(p string, at *yaml.Node, depth int) val {
	p = strings.TrimSpace(p)
	cur := r.root
	if p == "" {
		return val{node: r.resolveNode(cur, depth+1)}
	}
	keys := splitPath(p)
	for i, k := range keys {
		cur = yamlx.Deref(cur)
		if cur != nil && cur.Kind == yaml.ScalarNode && !r.resolved[cur] {
			cur = r.resolveNode(cur, depth+1)
		}
		if isUnknown(cur) {
			return val{unknown: cur.Value}
		}
		var next *yaml.Node
		switch {
		case cur == nil:
		case cur.Kind == yaml.MappingNode:
			for _, pr := range yamlx.Pairs(cur) {
				if pr.Key.Value == k {
					r.inherit(cur, pr.Value)
					next = pr.Value
					break
				}
			}
		case cur.Kind == yaml.SequenceNode:
			if idx, err := strconv.Atoi(k); err == nil && idx >= 0 && idx < len(cur.Content) {
				r.inherit(cur, cur.Content[idx])
				next = cur.Content[idx]
			}
		}
		if next == nil {
			if i == len(keys)-1 && strings.Join(keys, ".") == "provider.stage" {
				return r.effectiveStage(depth)
			}
			if strings.Join(keys, ".") == "provider.region" && r.opts.Vars["region"] == "" {
				return r.literal(defaultRegn, "!!str")
			}
			return val{}
		}
		cur = next
	}
	n := r.resolveNode(cur, depth+1)
	if isUnknown(n) {
		return val{unknown: n.Value}
	}
	return val{node: n}
}

// splitPath splits "a.b[0].c" into a, b, 0, c.
func splitPath(p string) []string {
	p = strings.ReplaceAll(p, "[", ".")
	p = strings.ReplaceAll(p, "]", "")
	var out []string
	for _, k := range strings.Split(p, ".") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// fileVar resolves ${file(./path):key}: YAML and JSON files inside the scan
// root (or anywhere with --allow-outside); executable files are never run.
func (r *resolver) fileVar(rest string, at *yaml.Node, depth int) val {
	end := strings.IndexByte(rest, ')')
	if !strings.HasPrefix(rest, "(") || end < 0 {
		return r.unsupported("file"+rest, at)
	}
	arg := strings.TrimSpace(rest[1:end])
	if i := strings.IndexByte(arg, ','); i >= 0 {
		arg = strings.TrimSpace(arg[:i]) // a v3 parameter for JS files; unused
	}
	arg = strings.Trim(arg, `'"`)
	key := strings.TrimPrefix(strings.TrimSpace(rest[end+1:]), ":")
	expr := "${file" + rest + "}"
	switch strings.ToLower(path.Ext(arg)) {
	case ".js", ".ts", ".cjs", ".mjs":
		r.note(model.NoteInfo, r.pos(at), "%s not resolved: executable file, never run", expr)
		return val{unknown: expr}
	}
	doc, ok := r.docs[arg]
	if !ok {
		if len(r.docs) >= maxFileDocs {
			r.note(model.NoteWarn, r.pos(at), "%s not read: more than %d files referenced", expr, maxFileDocs)
			return val{unknown: expr}
		}
		data, rel, err := r.fs.ReadFrom(r.dir, arg)
		switch {
		case errors.Is(err, loader.ErrOutside):
			r.note(model.NoteWarn, r.pos(at), "%s not read: outside the scanned root (use --allow-outside)", expr)
			return val{unknown: expr}
		case errors.Is(err, os.ErrNotExist) || (err != nil && strings.Contains(err.Error(), "no such file")):
			r.docs[arg] = nil
			return val{}
		case err != nil:
			r.note(model.NoteWarn, r.pos(at), "%s not read: %v", expr, err)
			return val{unknown: expr}
		}
		switch strings.ToLower(path.Ext(arg)) {
		case ".yml", ".yaml", ".json":
			n, perr := yamlx.Parse(rel, data, yamlx.DefaultLimits)
			if perr != nil {
				r.note(model.NoteError, model.Pos{File: rel}, "%v", perr)
				r.docs[arg] = r.unknown(expr, at)
				return val{unknown: expr}
			}
			doc = n
		default:
			doc = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(data), Line: 1, Column: 1}
		}
		if doc != nil {
			r.origin[doc] = rel
		}
		r.docs[arg] = doc
	}
	if doc == nil {
		return val{}
	}
	if isUnknown(doc) {
		return val{unknown: doc.Value}
	}
	cur := doc
	for _, k := range splitPath(key) {
		cur = yamlx.Deref(cur)
		if cur != nil && cur.Kind == yaml.ScalarNode && !r.resolved[cur] {
			cur = r.resolveNode(cur, depth+1)
		}
		var next *yaml.Node
		if cur != nil && cur.Kind == yaml.MappingNode {
			for _, pr := range yamlx.Pairs(cur) {
				if pr.Key.Value == k {
					r.inherit(cur, pr.Value)
					next = pr.Value
					break
				}
			}
		} else if cur != nil && cur.Kind == yaml.SequenceNode {
			if idx, err := strconv.Atoi(k); err == nil && idx >= 0 && idx < len(cur.Content) {
				r.inherit(cur, cur.Content[idx])
				next = cur.Content[idx]
			}
		}
		if next == nil {
			return val{}
		}
		cur = next
	}
	n := r.resolveNode(cur, depth+1)
	if isUnknown(n) {
		return val{unknown: n.Value}
	}
	return val{node: n}
}

// String resolves the variables of one string (for the resources section,
// which the CloudFormation loader walks). It reports false when the result
// is not Known.
func (r *resolver) String(s string) (string, bool) {
	n := r.scalar(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, 0)
	if n == nil || isUnknown(n) || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}
