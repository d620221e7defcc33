package sdkcalls

import (
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// jsNotOps are client methods that are not service operations.
var jsNotOps = map[string]bool{
	"promise": true, "send": true, "on": true, "config": true, "destroy": true, "middlewareStack": true,
	"makeRequest": true, "makeUnauthenticatedRequest": true, "setupRequestListeners": true, "createPresignedPost": true,
}

func (x *extractor) js(n *lang.Node) {
	switch n.Kind {
	case "new_expression":
		ctor := x.canon(n.ChildByField("constructor"))
		pos, _ := x.args(n)
		if c, cls, ok := v3Class(ctor); ok {
			switch {
			case strings.HasSuffix(cls, "Command"):
				x.add(c, cls, n.Line, pos, nil)
			case !strings.HasSuffix(cls, "Client"): // aggregated client: new S3({}).putObject(...)
				x.remember(n, c)
			}
			return
		}
		if c, ok := v2Client(ctor); ok {
			x.remember(n, c)
		}
	case "call_expression":
		fn := n.ChildByField("function")
		if fn == nil || fn.Kind != "member_expression" {
			return
		}
		obj, prop := fn.ChildByField("object"), x.text(fn.ChildByField("property"))
		if c, cls, ok := v3Class(x.canon(obj)); ok && cls == "DynamoDBDocument" && prop == "from" {
			c.service = "lib-dynamodb"
			x.remember(n, c)
			return
		}
		c, ok := x.jsClient(obj)
		if !ok || jsNotOps[prop] {
			return
		}
		pos, _ := x.args(n)
		op := prop
		if (prop == "getSignedUrl" || prop == "getSignedUrlPromise") && len(pos) > 0 && isString(pos[0]) {
			op = lang.Unquote(x.text(pos[0]))
			pos = pos[1:]
		}
		x.add(c, op, n.Line, pos, nil)
	}
}

// jsClient resolves an expression to the client it holds: a variable
// assigned a client, or an inline constructor.
func (x *extractor) jsClient(obj *lang.Node) (client, bool) {
	if obj.Kind == "new_expression" {
		ctor := x.canon(obj.ChildByField("constructor"))
		if c, cls, ok := v3Class(ctor); ok && !strings.HasSuffix(cls, "Client") && !strings.HasSuffix(cls, "Command") {
			return c, true
		}
		return v2Client(ctor)
	}
	if obj.Kind == "parenthesized_expression" {
		for _, c := range obj.NamedChildren() {
			return x.jsClient(c)
		}
	}
	k := key(x.text(obj))
	c, ok := x.clients[k]
	return c, ok
}

// v3Class splits "@aws-sdk/client-s3.PutObjectCommand".
func v3Class(canon string) (client, string, bool) {
	rest, ok := strings.CutPrefix(canon, "@aws-sdk/")
	if !ok {
		return client{}, "", false
	}
	pkg, cls, ok := strings.Cut(rest, ".")
	if !ok || cls == "" {
		return client{}, "", false
	}
	return client{sdk: JSv3, service: pkg}, cls, true
}

// v2Client recognises "aws-sdk.S3", "aws-sdk.DynamoDB.DocumentClient" and
// "aws-sdk/clients/s3".
func v2Client(canon string) (client, bool) {
	if rest, ok := strings.CutPrefix(canon, "aws-sdk/clients/"); ok {
		parts := strings.Split(rest, ".")
		return client{sdk: JSv2, service: parts[len(parts)-1]}, true
	}
	rest, ok := strings.CutPrefix(canon, "aws-sdk.")
	if !ok || rest == "" || rest == "config" || strings.HasPrefix(rest, "config.") {
		return client{}, false
	}
	parts := strings.Split(rest, ".")
	svc := parts[len(parts)-1]
	if svc == "" || svc[0] < 'A' || svc[0] > 'Z' || svc == "Credentials" || svc == "Endpoint" || svc == "Config" {
		return client{}, false
	}
	return client{sdk: JSv2, service: svc}, true
}

// pyNotOps are boto3 client and resource methods that are not operations.
var pyNotOps = map[string]bool{
	"get_waiter": true, "can_paginate": true, "close": true, "meta": true, "exceptions": true,
	"load": true, "reload": true, "wait_until_exists": true, "wait_until_not_exists": true,
}

func (x *extractor) python(n *lang.Node) {
	if n.Kind != "call" {
		return
	}
	if c, ok := x.pyCreates(n); ok {
		x.remember(n, c)
		return
	}
	fn := n.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" {
		return
	}
	obj, attr := fn.ChildByField("object"), x.text(fn.ChildByField("attribute"))
	c, ok := x.pyClient(obj)
	if !ok || pyNotOps[attr] {
		return
	}
	pos, kw := x.args(n)
	op := attr
	if attr == "get_paginator" || attr == "generate_presigned_url" {
		if len(pos) == 0 || !isString(pos[0]) {
			return
		}
		op = lang.Unquote(x.text(pos[0]))
		if p, ok := kw["Params"]; ok {
			pos = []*lang.Node{p}
		} else {
			pos = nil
		}
	}
	x.add(c, op, n.Line, pos, kw)
}

// pyCreates recognises boto3.client("s3"), session.resource("dynamodb")
// and sub-resources such as resource.Table(os.environ["T"]).
func (x *extractor) pyCreates(n *lang.Node) (client, bool) {
	fn := n.ChildByField("function")
	if fn == nil {
		return client{}, false
	}
	pos, kw := x.args(n)
	if fn.Kind == "attribute" {
		obj, attr := fn.ChildByField("object"), x.text(fn.ChildByField("attribute"))
		if (attr == "client" || attr == "resource") && isBoto(x.canon(obj)) {
			svc := kw["service_name"]
			if len(pos) > 0 {
				svc = pos[0]
			}
			if svc != nil && isString(svc) {
				return client{sdk: Boto3, service: lang.Unquote(x.text(svc)), resource: attr == "resource"}, true
			}
		}
		if attr != "" && attr[0] >= 'A' && attr[0] <= 'Z' {
			if r, ok := x.pyClient(obj); ok && r.resource {
				sub := client{sdk: Boto3, service: r.service, resource: true}
				if len(pos) > 0 {
					e, l := x.envOf(pos[0], 0)
					sub.env, sub.literal = dedupe(e), l
				}
				return sub, true
			}
		}
	}
	if c := x.canon(fn); c == "boto3.client" || c == "boto3.resource" {
		if len(pos) > 0 && isString(pos[0]) {
			return client{sdk: Boto3, service: lang.Unquote(x.text(pos[0])), resource: c == "boto3.resource"}, true
		}
	}
	return client{}, false
}

func isBoto(canon string) bool {
	return canon == "boto3" || strings.HasPrefix(canon, "boto3.") || strings.Contains(strings.ToLower(canon), "session")
}

func (x *extractor) pyClient(obj *lang.Node) (client, bool) {
	if obj.Kind == "call" {
		return x.pyCreates(obj)
	}
	c, ok := x.clients[key(x.text(obj))]
	return c, ok
}

const goServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"

func (x *extractor) golang(n *lang.Node) {
	if n.Kind != "call_expression" {
		return
	}
	fn := n.ChildByField("function")
	if fn == nil || fn.Kind != "selector_expression" {
		return
	}
	operand, method := fn.ChildByField("operand"), x.text(fn.ChildByField("field"))
	pos, _ := x.args(n)
	if svc, ok := x.goService(x.text(operand)); ok && (method == "NewFromConfig" || method == "New") {
		x.remember(n, client{sdk: GoV2, service: svc})
		return
	}
	if c, ok := x.clients[key(x.text(operand))]; ok {
		if method == "Options" {
			return
		}
		x.add(c, method, n.Line, pos, nil)
		return
	}
	if c, ok := x.clients[lastSeg(key(x.text(operand)))]; ok && strings.Contains(x.text(operand), ".") {
		x.add(c, method, n.Line, pos, nil)
		return
	}
	// A client the file does not construct (a struct field or parameter):
	// the request type names the service and the operation.
	for _, a := range pos {
		if svc, op, ok := x.goInput(a); ok {
			x.add(client{sdk: GoV2, service: svc}, op, n.Line, []*lang.Node{a}, nil)
			return
		}
	}
}

func lastSeg(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func (x *extractor) goService(alias string) (string, bool) {
	p, ok := x.alias[alias]
	if !ok {
		return "", false
	}
	svc, ok := strings.CutPrefix(p, goServicePrefix)
	if !ok || strings.Contains(svc, "/") {
		return "", false
	}
	return svc, true
}

// goInput recognises &dynamodb.PutItemInput{...}, also through a variable.
func (x *extractor) goInput(n *lang.Node) (svc, op string, ok bool) {
	for depth := 0; n != nil && depth < 4; depth++ {
		switch n.Kind {
		case "unary_expression":
			n = n.ChildByField("operand")
		case "identifier":
			n = x.values[x.text(n)]
		case "composite_literal":
			t := n.ChildByField("type")
			if t == nil || t.Kind != "qualified_type" {
				return "", "", false
			}
			svc, ok := x.goService(x.text(t.ChildByField("package")))
			name := x.text(t.ChildByField("name"))
			if !ok || !strings.HasSuffix(name, "Input") {
				return "", "", false
			}
			return svc, strings.TrimSuffix(name, "Input"), true
		default:
			return "", "", false
		}
	}
	return "", "", false
}
