package cfn

import (
	"strings"

	"github.com/faasguard/faasguard/model"
)

// operation is one OpenAPI operation of an inline API definition.
type operation struct {
	Method, Path string
	Pos          model.Pos
	Auth         model.Val[model.AuthKind]
	APIKey       bool
	Integration  *V // x-amazon-apigateway-integration.uri
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "x-amazon-apigateway-any-method": true}

// operations reads the operations of an OpenAPI / Swagger body with the
// authentication each one requires: its own `security`, else the global
// one; an empty list means no authentication.
func operations(body *V) []operation {
	schemes := body.Path("components", "securitySchemes")
	if !schemes.Present() {
		schemes = body.Get("securityDefinitions")
	}
	global := body.Get("security")
	var out []operation
	for _, pf := range body.Get("paths").Keys() {
		for _, mf := range pf.V.Keys() {
			m := strings.ToLower(mf.Key)
			if !httpMethods[m] {
				continue
			}
			if m == "x-amazon-apigateway-any-method" {
				m = "ANY"
			}
			op := operation{Method: strings.ToUpper(m), Path: pf.Key, Pos: mf.KeyPos, Integration: mf.V.Path("x-amazon-apigateway-integration", "uri")}
			sec := mf.V.Get("security")
			if !sec.Present() {
				sec = global
			}
			op.Auth, op.APIKey = securityAuth(sec, schemes, mf.KeyPos)
			out = append(out, op)
		}
	}
	return out
}

// securityAuth maps an OpenAPI security requirement list to an auth kind.
func securityAuth(sec, schemes *V, p model.Pos) (model.Val[model.AuthKind], bool) {
	if !sec.Present() {
		return model.K(model.AuthNone, p), false
	}
	if sec.K != kList {
		return model.U[model.AuthKind]("security "+textOrWhy(sec), sec.Pos), false
	}
	apiKey := false
	var best model.Val[model.AuthKind]
	for _, req := range sec.L {
		for _, f := range req.Keys() {
			k := schemeAuth(schemes.Get(f.Key))
			if k.IsKnown() && k.V == model.AuthAPIKey {
				apiKey = true
				continue
			}
			if best.IsAbsent() {
				best = model.Val[model.AuthKind]{State: k.State, V: k.V, Pos: f.KeyPos, Why: k.Why}
			}
		}
	}
	if best.IsAbsent() {
		if apiKey {
			return model.K(model.AuthAPIKey, sec.Pos), true
		}
		return model.K(model.AuthNone, sec.Pos), false
	}
	return best, apiKey
}

func schemeAuth(s *V) model.Val[model.AuthKind] {
	if !s.Present() {
		return model.U[model.AuthKind]("security scheme not defined", s.Pos)
	}
	at := strings.ToLower(s.Get("x-amazon-apigateway-authtype").Text())
	az := strings.ToLower(s.Path("x-amazon-apigateway-authorizer", "type").Text())
	switch {
	case at == "cognito_user_pools" || az == "cognito_user_pools":
		return model.K(model.AuthCognito, s.Pos)
	case at == "awssigv4" || at == "aws_iam":
		return model.K(model.AuthIAM, s.Pos)
	case az == "jwt":
		return model.K(model.AuthJWT, s.Pos)
	case at == "custom" || az == "token" || az == "request":
		return model.K(model.AuthCustom, s.Pos)
	case strings.EqualFold(s.Get("type").Text(), "apiKey"):
		return model.K(model.AuthAPIKey, s.Pos)
	case strings.EqualFold(s.Get("type").Text(), "oauth2"), strings.EqualFold(s.Get("type").Text(), "openIdConnect"):
		return model.K(model.AuthJWT, s.Pos)
	}
	return model.U[model.AuthKind]("security scheme type "+s.Get("type").Text(), s.Pos)
}

// openAPI adds the triggers of an inline definition whose integrations
// name functions of the template (plain CloudFormation RestApi Body).
func (b *builder) openAPI(api *model.Resource, body *V) {
	if api == nil || body.K != kMap {
		return
	}
	for _, op := range operations(body) {
		f := b.fnOf(op.Integration)
		if f == nil {
			continue
		}
		t := &model.Trigger{Kind: model.TriggerHTTP, Type: "OpenAPI", Pos: op.Pos, API: api, Source: api, SourceRef: model.K(api.ID, api.Pos),
			Method: model.K(op.Method, op.Pos), Path: model.K(op.Path, op.Pos), Auth: op.Auth, Public: b.apiPublic[api.ID]}
		if op.APIKey {
			t.APIKeyRequired = model.K(true, op.Pos)
		}
		f.Triggers = append(f.Triggers, t)
	}
}
