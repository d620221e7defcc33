// Package sdkcalls lists the AWS SDK operations a source file calls, with
// the environment variables or literals that name the resource, so that
// the permissions a function uses can be compared with those it holds.
//
// It covers the AWS SDK for JavaScript v2 (including DocumentClient) and
// v3 (commands sent through a client and aggregated clients), boto3
// clients and resources, and the AWS SDK for Go v2. Services and
// operations are reported as written; mapping them to IAM actions is the
// caller's job.
package sdkcalls

import (
	"path"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// SDK identifiers.
const (
	JSv2  = "js-v2"
	JSv3  = "js-v3"
	Boto3 = "boto3"
	GoV2  = "go-v2"
)

// Call is one SDK operation call.
type Call struct {
	SDK             string   `json:"sdk"`              // js-v2 | js-v3 | boto3 | go-v2
	Service         string   `json:"service"`          // as written: S3, DocumentClient, client-dynamodb, dynamodb
	Operation       string   `json:"operation"`        // as written: putItem, PutItemCommand, put_item, PutItem
	Line            int      `json:"line"`             // 1-based
	ResourceEnv     []string `json:"resource_env"`     // environment variable names that name the resource
	ResourceLiteral string   `json:"resource_literal"` // a literal resource name or ARN, if written in the code
}

// resourceKeys are the request parameters that name the resource acted on.
var resourceKeys = map[string]bool{
	"TableName": true, "Bucket": true, "QueueUrl": true, "QueueName": true, "TopicArn": true, "TargetArn": true,
	"FunctionName": true, "StreamName": true, "StreamARN": true, "DeliveryStreamName": true, "SecretId": true,
	"Name": true, "StateMachineArn": true, "KeyId": true, "EventBusName": true, "LogGroupName": true,
	"ResourceArn": true, "Arn": true,
}

// Extract parses src as lang and returns the SDK calls in source order.
// Files that are too large or minified give an error wrapping
// lang.ErrSkipped; syntax errors give the calls of the parsed part.
func Extract(path string, src []byte, language string) ([]Call, error) {
	f, err := lang.Parse(path, src, language)
	if err != nil {
		return nil, err
	}
	return ExtractParsed(f, language), nil
}

// ExtractParsed is Extract on a file already parsed with lang.Parse. It
// does not modify f.
func ExtractParsed(f *lang.File, language string) []Call {
	x := &extractor{f: f, alias: map[string]string{}, clients: map[string]client{}, values: map[string]*lang.Node{}}
	x.index()
	lang.Walk(f.Root, func(n *lang.Node) bool {
		switch language {
		case lang.Python:
			x.python(n)
		case lang.Go:
			x.golang(n)
		default:
			x.js(n)
		}
		return true
	})
	sort.SliceStable(x.calls, func(i, j int) bool { return x.calls[i].Line < x.calls[j].Line })
	return x.calls
}

// client is what a variable holds: an SDK client (or a boto3 resource
// object such as a Table) of one service.
type client struct {
	sdk, service string
	env          []string // for resource objects: Table(os.environ["T"])
	literal      string
	resource     bool // boto3 resource (service resource or sub-resource)
}

type extractor struct {
	f       *lang.File
	alias   map[string]string     // local name → module path (+ "." member)
	clients map[string]client     // variable text → client
	values  map[string]*lang.Node // variable name → last assigned value, for env lookup
	calls   []Call
}

func (x *extractor) text(n *lang.Node) string { return x.f.Text(n) }

func key(s string) string { return strings.Join(strings.Fields(s), "") }

func isString(n *lang.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case "string", "interpreted_string_literal", "raw_string_literal":
		for _, c := range n.Children {
			if c.Kind == "interpolation" || c.Kind == "template_substitution" {
				return false
			}
		}
		return true
	}
	return false
}

// args returns the positional and keyword arguments of a call.
func (x *extractor) args(call *lang.Node) (pos []*lang.Node, kw map[string]*lang.Node) {
	al := call.ChildByField("arguments")
	if al == nil {
		return nil, nil
	}
	kw = map[string]*lang.Node{}
	for _, c := range al.NamedChildren() {
		if c.Kind == "keyword_argument" {
			kw[x.text(c.ChildByField("name"))] = c.ChildByField("value")
		} else if c.Kind != "comment" {
			pos = append(pos, c)
		}
	}
	return pos, kw
}

// index records imports and simple assignments (for resolving a variable
// to the environment variable it was read from).
func (x *extractor) index() {
	lang.Walk(x.f.Root, func(n *lang.Node) bool {
		switch n.Kind {
		case "variable_declarator":
			name, val := n.ChildByField("name"), n.ChildByField("value")
			if val == nil {
				break
			}
			if name.Kind == "identifier" {
				x.values[x.text(name)] = val
			}
			if mod, ok := x.requireOf(val); ok {
				x.aliasPattern(name, mod)
			}
		case "assignment", "assignment_expression":
			l, r := n.ChildByField("left"), n.ChildByField("right")
			if l != nil && r != nil && (l.Kind == "identifier") {
				x.values[x.text(l)] = r
			}
		case "short_var_declaration", "var_spec", "const_spec":
			x.goValues(n)
		case "import_statement":
			x.importStmt(n)
		case "import_from_statement":
			mod := x.text(n.ChildByField("module_name"))
			for _, c := range n.Children {
				if c.Field != "name" {
					continue
				}
				if c.Kind == "aliased_import" {
					x.alias[x.text(c.ChildByField("alias"))] = mod + "." + x.text(c.ChildByField("name"))
				} else {
					x.alias[x.text(c)] = mod + "." + x.text(c)
				}
			}
		case "import_spec":
			p := lang.Unquote(x.text(n.ChildByField("path")))
			name := path.Base(p)
			if nm := n.ChildByField("name"); nm != nil {
				name = x.text(nm)
			}
			x.alias[name] = p
		}
		return true
	})
}

func (x *extractor) goValues(n *lang.Node) {
	var names, vals []*lang.Node
	if n.Kind == "short_var_declaration" {
		names = n.ChildByField("left").NamedChildren()
		if r := n.ChildByField("right"); r != nil {
			vals = r.NamedChildren()
		}
	} else {
		for _, c := range n.Children {
			if c.Field == "name" {
				names = append(names, c)
			}
		}
		if v := n.ChildByField("value"); v != nil {
			vals = v.NamedChildren()
		}
	}
	for i, nm := range names {
		if i < len(vals) {
			x.values[x.text(nm)] = vals[i]
		}
	}
}

func (x *extractor) importStmt(n *lang.Node) {
	if n.ChildByField("source") != nil || lang.ChildOfKind(n, "import_require_clause") != nil { // JavaScript, TypeScript
		x.f.JSImports(n, x.alias)
		return
	}
	for _, c := range n.NamedChildren() { // Python
		switch c.Kind {
		case "dotted_name":
			first := strings.SplitN(x.text(c), ".", 2)[0]
			x.alias[first] = first
		case "aliased_import":
			x.alias[x.text(c.ChildByField("alias"))] = x.text(c.ChildByField("name"))
		}
	}
}

func (x *extractor) requireOf(n *lang.Node) (string, bool) {
	if n.Kind == "member_expression" {
		if m, ok := x.requireOf(n.ChildByField("object")); ok {
			return m + "." + x.text(n.ChildByField("property")), true
		}
		return "", false
	}
	if n.Kind != "call_expression" || x.text(n.ChildByField("function")) != "require" {
		return "", false
	}
	pos, _ := x.args(n)
	if len(pos) != 1 || !isString(pos[0]) {
		return "", false
	}
	return lang.Unquote(x.text(pos[0])), true
}

func (x *extractor) aliasPattern(p *lang.Node, mod string) {
	switch p.Kind {
	case "identifier":
		x.alias[x.text(p)] = mod
	case "object_pattern":
		for _, c := range p.NamedChildren() {
			switch c.Kind {
			case "shorthand_property_identifier_pattern":
				x.alias[x.text(c)] = mod + "." + x.text(c)
			case "pair_pattern":
				if v := c.ChildByField("value"); v != nil {
					x.alias[x.text(v)] = mod + "." + lang.Unquote(x.text(c.ChildByField("key")))
				}
			}
		}
	}
}

// canon replaces an imported name at the start of a dotted expression by
// its module path: AWS.S3 → aws-sdk.S3.
func (x *extractor) canon(n *lang.Node) string {
	t := key(x.text(n))
	head, rest, _ := strings.Cut(t, ".")
	if m, ok := x.alias[head]; ok {
		if rest == "" {
			return m
		}
		return m + "." + rest
	}
	return t
}

// target returns the node an expression's value is assigned to, if any.
func target(n *lang.Node) *lang.Node {
	p := n.Parent
	for p != nil && (p.Kind == "await_expression" || p.Kind == "parenthesized_expression" || p.Kind == "expression_list") {
		p = p.Parent
	}
	if p == nil {
		return nil
	}
	switch p.Kind {
	case "variable_declarator":
		return p.ChildByField("name")
	case "assignment_expression", "assignment", "assignment_statement", "short_var_declaration":
		l := p.ChildByField("left")
		if l != nil && l.Kind == "expression_list" {
			if ch := l.NamedChildren(); len(ch) > 0 {
				return ch[0]
			}
		}
		return l
	case "keyed_element", "pair":
		return p.Children[0]
	}
	return nil
}

func (x *extractor) remember(n *lang.Node, c client) {
	if t := target(n); t != nil {
		x.clients[key(x.text(t))] = c
		if i := strings.LastIndexByte(key(x.text(t)), '.'); i >= 0 { // this.s3 / self.s3 / h.ddb
			x.clients[key(x.text(t))[i+1:]] = c
		}
	}
}

func (x *extractor) add(c client, op string, line int, params []*lang.Node, kw map[string]*lang.Node) {
	if !isName(op) {
		return // error recovery can leave an empty or odd property
	}
	call := Call{SDK: c.sdk, Service: c.service, Operation: op, Line: line, ResourceEnv: c.env, ResourceLiteral: c.literal}
	env, lit := x.resource(params, kw)
	if len(env) > 0 || lit != "" {
		call.ResourceEnv, call.ResourceLiteral = env, lit
	}
	if call.ResourceEnv == nil {
		call.ResourceEnv = []string{}
	}
	x.calls = append(x.calls, call)
}

// resource finds the resource-naming parameter in a request.
func (x *extractor) resource(params []*lang.Node, kw map[string]*lang.Node) (env []string, lit string) {
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic order of the environment names
	for _, k := range keys {
		e, l := x.param(k, kw[k], 0)
		env, lit = append(env, e...), firstNonEmpty(lit, l)
	}
	for _, p := range params {
		e, l := x.fromObject(p, 0)
		env, lit = append(env, e...), firstNonEmpty(lit, l)
	}
	return dedupe(env), lit
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fromObject reads resource keys from an object literal, dict or Go
// composite literal (following a variable to its literal), including
// nested requests (TransactItems: [{Put: {TableName: …}}]) and the table
// names that key RequestItems in batch operations.
func (x *extractor) fromObject(n *lang.Node, depth int) (env []string, lit string) {
	if n == nil || depth > 8 {
		return nil, ""
	}
	switch n.Kind {
	case "identifier":
		if v, ok := x.values[x.text(n)]; ok && v != n {
			return x.fromObject(v, depth+1)
		}
		return nil, ""
	case "new_expression":
		return nil, "" // a nested command is reported on its own
	case "composite_literal":
		return x.fromObject(n.ChildByField("body"), depth+1)
	case "object", "dictionary", "literal_value", "array", "list", "tuple", "unary_expression",
		"parenthesized_expression", "await_expression", "literal_element", "expression_list":
	default:
		return nil, ""
	}
	for _, c := range n.NamedChildren() {
		var kn, v *lang.Node
		switch c.Kind {
		case "pair":
			kn, v = c.ChildByField("key"), c.ChildByField("value")
		case "keyed_element":
			if ch := c.NamedChildren(); len(ch) == 2 {
				kn, v = ch[0], ch[1]
			}
		default:
			e, l := x.fromObject(c, depth+1)
			env, lit = append(env, e...), firstNonEmpty(lit, l)
			continue
		}
		if kn == nil {
			continue
		}
		e, l := x.param(lang.Unquote(x.text(kn)), v, depth)
		env, lit = append(env, e...), firstNonEmpty(lit, l)
	}
	return env, lit
}

// param reads one request parameter: a resource key, the table-keyed
// RequestItems map, or a nested structure.
func (x *extractor) param(k string, v *lang.Node, depth int) (env []string, lit string) {
	switch {
	case resourceKeys[k]:
		return x.envOf(v, 0)
	case k == "RequestItems":
		for v != nil && (v.Kind == "identifier" || v.Kind == "composite_literal" || v.Kind == "literal_element") && depth < 8 {
			depth++
			switch v.Kind {
			case "identifier":
				v = x.values[x.text(v)]
			case "composite_literal":
				v = v.ChildByField("body")
			default:
				if ch := v.NamedChildren(); len(ch) == 1 {
					v = ch[0]
				} else {
					v = nil
				}
			}
		}
		if v == nil {
			return nil, ""
		}
		for _, c := range v.NamedChildren() {
			var kn *lang.Node
			switch c.Kind {
			case "pair":
				kn = c.ChildByField("key")
			case "keyed_element":
				if ch := c.NamedChildren(); len(ch) == 2 {
					kn = ch[0]
				}
			}
			if kn == nil {
				continue
			}
			if kn.Kind == "computed_property_name" || kn.Kind == "literal_element" {
				if ch := kn.NamedChildren(); len(ch) == 1 {
					kn = ch[0]
				}
			}
			e, l := x.envOf(kn, 0)
			if kn.Kind == "property_identifier" || kn.Kind == "identifier" && x.values[x.text(kn)] == nil && len(e) == 0 {
				l = x.text(kn) // {orders: […]}: a literal table name
			}
			env, lit = append(env, e...), firstNonEmpty(lit, l)
		}
		return env, lit
	}
	return x.fromObject(v, depth+1)
}

// envOf returns the environment variables an expression reads (directly or
// through up to maxHops variables) and its value when it is a literal,
// also behind a one-argument wrapper such as aws.String("x").
func (x *extractor) envOf(n *lang.Node, hops int) (env []string, lit string) {
	return x.envOfDepth(n, hops, 0)
}

const (
	maxHops  = 4
	maxDepth = 64
)

func (x *extractor) envOfDepth(n *lang.Node, hops, depth int) (env []string, lit string) {
	if n == nil || hops > maxHops || depth > maxDepth {
		return nil, ""
	}
	if isString(n) {
		return nil, lang.Unquote(x.text(n))
	}
	if name := x.envName(n); name != "" {
		return []string{name}, ""
	}
	switch n.Kind {
	case "identifier":
		if v, ok := x.values[x.text(n)]; ok && v != n {
			return x.envOfDepth(v, hops+1, depth+1)
		}
		return nil, ""
	case "literal_element", "non_null_expression", "parenthesized_expression":
		if ch := n.NamedChildren(); len(ch) == 1 {
			return x.envOfDepth(ch[0], hops, depth+1)
		}
	case "call", "call_expression":
		if pos, _ := x.args(n); len(pos) == 1 {
			return x.envOfDepth(pos[0], hops, depth+1)
		}
	}
	for _, c := range n.NamedChildren() {
		e, _ := x.envOfDepth(c, hops, depth+1)
		env = append(env, e...)
	}
	return env, ""
}

// envName recognises process.env.X, os.environ["X"], os.environ.get("X"),
// os.getenv("X") and os.Getenv("X").
func (x *extractor) envName(n *lang.Node) string {
	t := key(x.text(n))
	switch {
	case strings.HasPrefix(t, "process.env.") && n.Kind == "member_expression":
		return strings.TrimPrefix(t, "process.env.")
	case (strings.HasPrefix(t, "process.env[") || strings.HasPrefix(t, "os.environ[")) && strings.HasSuffix(t, "]"):
		return lang.Unquote(t[strings.IndexByte(t, '[')+1 : len(t)-1])
	case n.Kind == "call" || n.Kind == "call_expression":
		fn := key(x.text(n.ChildByField("function")))
		if fn == "os.environ.get" || fn == "os.getenv" || fn == "os.Getenv" {
			if pos, _ := x.args(n); len(pos) > 0 && isString(pos[0]) {
				return lang.Unquote(x.text(pos[0]))
			}
		}
	}
	return ""
}

func dedupe(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
