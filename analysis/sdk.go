package analysis

import (
	"net/url"
	"strings"

	"github.com/faasguard/faasguard/code/sdkcalls"
	"github.com/faasguard/faasguard/iam/sdkmap"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// sdkCalls records the cloud SDK calls of each handler file with the IAM
// actions they need and, where the code names the resource through an
// environment variable the config wires, the resource they touch.
func sdkCalls(apps []*model.Application, t *loader.Tree) {
	cache := map[string][]sdkcalls.Call{}
	for _, app := range apps {
		for _, fn := range app.Functions {
			c := fn.Code
			if c == nil || c.EntryFile == "" {
				continue
			}
			calls, ok := cache[c.EntryFile]
			if !ok {
				if src, err := t.Read(c.EntryFile); err == nil {
					calls, _ = sdkcalls.Extract(c.EntryFile, src, c.Language)
				}
				cache[c.EntryFile] = calls
			}
			for _, call := range calls {
				sc := model.SDKCall{Pos: model.Pos{File: c.EntryFile, Line: call.Line}, Service: call.Service,
					Operation: call.Operation, Actions: sdkmap.Actions(call.Service, call.Operation)}
				prefix, _ := sdkmap.Prefix(call.Service)
				for _, name := range call.ResourceEnv {
					sc.Resources = append(sc.Resources, envResource(app, fn, name, prefix))
				}
				if call.ResourceLiteral != "" {
					sc.Resources = append(sc.Resources, model.K(arnFor(prefix, call.ResourceLiteral), sc.Pos))
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
