package analysis

import (
	"net/url"
	"strings"

	"github.com/faasguard/faasguard/iam/sdkmap"
	"github.com/faasguard/faasguard/model"
)

// sdkCalls records the cloud SDK calls of each handler file with the IAM
// actions they need and, where the code names the resource through an
// environment variable the config wires, the resource they touch.
func sdkCalls(apps []*model.Application, sources map[string]*source) {
	owners := map[*source]func(int) string{} // one line index per file
	for _, app := range apps {
		for _, fn := range app.Functions {
			c := fn.Code
			if c == nil || c.EntryFile == "" || sources[c.EntryFile] == nil {
				continue
			}
			f := sources[c.EntryFile]
			owns, ok := owners[f]
			if !ok {
				owns = ownership(f.src, c.Language, f.symbols)
				owners[f] = owns
			}
			for _, call := range f.calls {
				if o := owns(call.Line); o != "" && o != c.Symbol {
					continue // inside another handler of the same file
				}
				sc := model.SDKCall{Pos: model.Pos{File: c.EntryFile, Line: call.Line}, Service: call.Service,
					Operation: call.Operation, Actions: sdkmap.Actions(call.Service, call.Operation)}
				prefix, _ := sdkmap.Prefix(call.Service)
				for _, name := range call.ResourceEnv {
					sc.Resources = append(sc.Resources, envResource(app, fn, name, prefix))
				}
				if call.ResourceLiteral != "" {
					sc.Resources = append(sc.Resources, model.K(arnFor(prefix, call.ResourceLiteral), sc.Pos))
				}
				if prefix == "s3" && objectLevel(sc.Actions) {
					for i, r := range sc.Resources {
						if v, ok := r.Get(); ok && !strings.Contains(strings.TrimPrefix(v, "arn:aws:s3:::"), "/") {
							sc.Resources[i].V = v + "/*"
						}
					}
				}
				c.SDKCalls = append(c.SDKCalls, sc)
			}
		}
	}
}

// envResource resolves the resource an environment variable names: a
// modelled resource it references, else an ARN built from the literal
// name, else Unknown.
func envResource(app *model.Application, fn *model.Function, name, prefix string) model.Str {
	for _, ev := range fn.Environment {
		if ev.Name != name {
			continue
		}
		v, ok := ev.Value.Get()
		if !ok {
			return model.U[string]("environment variable "+name+": "+ev.Value.Why, ev.Pos)
		}
		if r := app.Resource(v); r != nil {
			if a, ok := r.ARN.Get(); ok {
				return model.K(a, ev.Pos)
			}
			if n, ok := r.Name.Get(); ok {
				return model.K(arnFor(prefix, n), ev.Pos)
			}
			return model.U[string]("ARN of "+r.ID, ev.Pos)
		}
		return model.K(arnFor(prefix, v), ev.Pos)
	}
	return model.U[string]("environment variable "+name+" not set in the config", fn.Pos)
}

// arnFor turns a resource name as code uses it (table name, bucket name,
// queue URL) into the ARN a policy names.
func arnFor(prefix, v string) string {
	if strings.HasPrefix(v, "arn:") {
		return v
	}
	switch prefix {
	case "dynamodb":
		return "arn:aws:dynamodb:*:*:table/" + v
	case "s3":
		return "arn:aws:s3:::" + v
	case "sqs":
		if u, err := url.Parse(v); err == nil && u.Host != "" {
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			v = parts[len(parts)-1]
		}
		return "arn:aws:sqs:*:*:" + v
	case "sns":
		return "arn:aws:sns:*:*:" + v
	case "lambda":
		return "arn:aws:lambda:*:*:function:" + v
	case "kinesis":
		return "arn:aws:kinesis:*:*:stream/" + v
	case "secretsmanager":
		return "arn:aws:secretsmanager:*:*:secret:" + v + "*"
	case "ssm":
		return "arn:aws:ssm:*:*:parameter/" + strings.TrimPrefix(v, "/")
	case "states":
		return "arn:aws:states:*:*:stateMachine:" + v
	case "events":
		return "arn:aws:events:*:*:event-bus/" + v
	}
	return v
}

// objectLevel reports whether S3 actions act on objects (whose ARNs are
// bucket/key) rather than buckets.
func objectLevel(actions []string) bool {
	for _, a := range actions {
		if strings.Contains(a, "Object") || strings.Contains(a, "MultipartUpload") {
			return true
		}
	}
	return false
}

// ownership returns, for a file holding several handlers, which handler a
// line belongs to: the handler defined last before it ("" before the first,
// for module-level code that every handler shares). Files with one handler
// own every line. It reads definitions lexically (exports.x =, export
// function x, def x(, func X(), which is enough to keep one handler's SDK
// calls from being charged to its neighbours.
func ownership(src []byte, lang string, symbols []string) func(line int) string {
	uniq := map[string]bool{}
	for _, s := range symbols {
		uniq[s] = true
	}
	if len(uniq) < 2 {
		return func(int) string { return "" }
	}
	type def struct {
		line int
		sym  string
	}
	var defs []def
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(l)
		for s := range uniq {
			if definesSymbol(t, lang, s) {
				defs = append(defs, def{i + 1, s})
			}
		}
	}
	return func(line int) string {
		owner := ""
		for _, d := range defs {
			if d.line <= line {
				owner = d.sym
			}
		}
		return owner
	}
}

func definesSymbol(t, lang, s string) bool {
	switch lang {
	case "python":
		return strings.HasPrefix(t, "def "+s+"(") || strings.HasPrefix(t, "async def "+s+"(")
	case "go":
		return strings.HasPrefix(t, "func "+s+"(")
	}
	for _, p := range []string{"exports." + s + " =", "module.exports." + s + " =", "export const " + s + " =",
		"export async function " + s + "(", "export function " + s + "(", "async function " + s + "(", "function " + s + "(",
		"const " + s + " ="} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
