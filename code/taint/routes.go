package taint

import (
	"fmt"
	"strings"

	"github.com/faasguard/faasguard/code/lang"
)

// Web frameworks run inside a Lambda handler (serverless-http, Mangum,
// Powertools event handler) and hand the event to route functions; their
// request objects are event data too.

var (
	// jsApps are constructors of apps whose route callbacks get a request.
	jsApps = set("express", "express.Router", "fastify", "koa-router", "@koa/router")
	// jsRouteMethods register a route callback.
	jsRouteMethods = set("get", "post", "put", "patch", "delete", "all", "use", "options", "head", "route")
	// pyResolvers are Powertools event handlers and WSGI/ASGI apps.
	pyResolvers = set("APIGatewayRestResolver", "APIGatewayHttpResolver", "ALBResolver", "LambdaFunctionUrlResolver",
		"VPCLatticeResolver", "VPCLatticeV2Resolver", "BedrockAgentResolver", "Flask", "FastAPI", "Chalice")
	pyRouteMethods = set("get", "post", "put", "patch", "delete", "route", "api_route", "head", "options")
)

// routes finds framework apps and analyses their route functions with
// the request (JS) or route parameters (Python) as event data, and records
// framework request globals (app.current_event, flask.request) as roots.
func (a *analyzer) routes() {
	apps := map[string]bool{}
	lang.Walk(a.f.Root, func(n *lang.Node) bool {
		var name, val *lang.Node
		switch n.Kind {
		case "variable_declarator":
			name, val = n.ChildByField("name"), n.ChildByField("value")
		case "assignment":
			name, val = n.ChildByField("left"), n.ChildByField("right")
		default:
			return true
		}
		if name == nil || val == nil || !a.syn.call[val.Kind] && val.Kind != "new_expression" {
			return true
		}
		fn, _, _ := a.callParts(val)
		c := a.canon(fn)
		if jsApps[c] || a.lang == lang.Python && pyResolvers[lastSeg(c)] {
			apps[a.text(name)] = true
		}
		return true
	})
	if a.lang == lang.Python {
		for app := range apps {
			a.roots[app+".current_event"] = true
		}
		for local, mod := range a.alias {
			if mod == "flask.request" || mod == "chalice.app.Request" {
				a.roots[local] = true
			}
		}
	}
	if len(apps) == 0 {
		return
	}
	n := 0
	lang.Walk(a.f.Root, func(node *lang.Node) bool {
		switch {
		case a.syn.call[node.Kind] && a.lang != lang.Python:
			fn, args, _ := a.callParts(node)
			if fn == nil || !a.syn.member[fn.Kind] {
				return true
			}
			obj, prop := a.memberParts(fn)
			if !apps[a.text(obj)] || !jsRouteMethods[prop] {
				return true
			}
			for _, arg := range args {
				if f := a.resolveFunc(arg, 0); f != nil && a.syn.funcLit[f.Kind] || f != nil && a.syn.funcDecl[f.Kind] {
					a.analyzeRoot(f, 0, "req")
					n++
				}
			}
		case node.Kind == "decorated_definition":
			def := node.ChildByField("definition")
			for _, d := range node.Children {
				if d.Kind != "decorator" {
					continue
				}
				lang.Walk(d, func(c *lang.Node) bool {
					if c.Kind == "attribute" {
						obj, attr := a.memberParts(c)
						if apps[a.text(obj)] && pyRouteMethods[attr] && def != nil {
							a.analyzeRouteParams(def)
							n++
						}
						return false
					}
					return true
				})
			}
		}
		return true
	})
	if n > 0 {
		a.notes = append(a.notes, fmt.Sprintf("%s: analysed %d web-framework route(s)", a.f.Path, n))
	}
}

// analyzeRoot analyses fn with parameter i as an event root named after
// the parameter (or fallback when it is a pattern).
func (a *analyzer) analyzeRoot(fn *lang.Node, i int, fallback string) {
	ps := a.params(fn)
	if i >= len(ps) {
		return
	}
	args := make([]*value, len(ps))
	name := a.text(ps[i])
	if !a.syn.ident[ps[i].Kind] {
		name = fallback
	}
	args[i] = rootValue(name, ps[i].Line)
	a.analyzeFunc(fn, args, &scope{env: map[string]*value{}})
}

// analyzeRouteParams analyses a Python route function whose parameters
// are path parameters taken from the request.
func (a *analyzer) analyzeRouteParams(fn *lang.Node) {
	ps := a.params(fn)
	args := make([]*value, len(ps))
	for i, p := range ps {
		name := a.text(p)
		if name == "self" || strings.HasPrefix(name, "*") {
			continue
		}
		args[i] = rootValue(name, p.Line)
		args[i].whole = false
	}
	a.analyzeFunc(fn, args, &scope{env: map[string]*value{}})
}

func rootValue(name string, line int) *value {
	return &value{source: name, srcLine: line, event: true, whole: true, rootChain: true,
		path: []Step{{Line: line, Expr: name}}}
}
