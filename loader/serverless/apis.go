package serverless

import (
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// The framework creates one REST API for all http events, one HTTP API for
// all httpApi events and one WebSocket API for all websocket events. Each
// is modelled once, at the first event that needs it; its settings come
// from the provider section (finishAPIs).

func (b *builder) rest(at model.Pos) *model.Resource {
	if b.restAPI == nil {
		b.restAPI = b.addResource(&model.Resource{ID: "ApiGatewayRestApi", Kind: model.ResAPI, Type: "AWS::ApiGateway::RestApi",
			Pos: at, Implicit: true, Protocol: model.K("REST", at)})
	}
	return b.restAPI
}

func (b *builder) httpAPIResource(at model.Pos) *model.Resource {
	if b.httpAPI == nil {
		b.httpAPI = b.addResource(&model.Resource{ID: "HttpApi", Kind: model.ResAPI, Type: "AWS::ApiGatewayV2::Api",
			Pos: at, Implicit: true, Protocol: model.K("HTTP", at)})
	}
	return b.httpAPI
}

func (b *builder) websocketAPI(at model.Pos) *model.Resource {
	if b.wsAPI == nil {
		b.wsAPI = b.addResource(&model.Resource{ID: "WebsocketsApi", Kind: model.ResAPI, Type: "AWS::ApiGatewayV2::Api",
			Pos: at, Implicit: true, Protocol: model.K("WEBSOCKET", at)})
	}
	return b.wsAPI
}

func (b *builder) finishAPIs() {
	if a := b.restAPI; a != nil {
		b.restSettings(a)
	}
	if a := b.httpAPI; a != nil {
		if id := get(b.prov, "httpApi", "id"); id != nil {
			a.Implicit = false
			a.Attrs = map[string]model.Str{"id": b.str(id)}
		}
		if n := get(b.prov, "httpApi", "name"); n != nil {
			a.Name = b.str(n)
		}
		a.AccessLogging = b.logSwitch(get(b.prov, "logs"), "httpApi")
	}
	if a := b.wsAPI; a != nil {
		if n := get(b.prov, "websocketsApiName"); n != nil {
			a.Name = b.str(n)
		}
		ws, ok := lookup(get(b.prov, "logs"), "websocket")
		if ok {
			a.AccessLogging = b.logSwitch(get(b.prov, "logs"), "websocket")
			if ws.Kind == yaml.MappingNode {
				if al, ok := lookup(ws, "accessLogging"); ok {
					a.AccessLogging = b.boolean(al)
				}
				a.ExecutionLogs = b.execLevel(ws)
			}
		}
	}
}

// restSettings reads provider.apiGateway (v3) and its v2 locations
// (provider.apiKeys, usagePlan, resourcePolicy), logs.restApi, tracing.
func (b *builder) restSettings(a *model.Resource) {
	ag := get(b.prov, "apiGateway")
	if n := get(b.prov, "apiName"); n != nil {
		a.Name = b.str(n)
	} else if b.service != "" && b.stage != "" {
		a.Name = model.K(b.stage+"-"+b.service, a.Pos)
	}
	if id := get(ag, "restApiId"); id != nil {
		// The API is shared from another stack: its settings live there.
		a.Implicit = false
		a.Attrs = map[string]model.Str{"restApiId": b.str(id)}
	}
	a.EndpointType = b.endpointType()
	if mcs := get(ag, "minimumCompressionSize"); mcs != nil {
		b.attr(a, "minimumCompressionSize", b.str(mcs))
	}
	keys, ok := lookup(ag, "apiKeys")
	if !ok {
		keys, ok = lookup(b.prov, "apiKeys")
	}
	if ok {
		n := model.K(strconv.Itoa(len(yamlx.Items(keys))), b.pos(keys))
		b.attr(a, "apiKeys", n)
		a.UsagePlan = model.K(true, b.pos(keys))
	}
	up, ok := lookup(ag, "usagePlan")
	if !ok {
		up, ok = lookup(b.prov, "usagePlan")
	}
	if ok && !yamlx.IsNull(up) {
		a.UsagePlan = model.K(true, b.pos(up))
		a.Throttle = b.usagePlanThrottle(up)
	}
	if b.throttlingPlugin {
		if t := get(b.r.Node(yamlx.Path(b.root, "custom", "apiGatewayThrottling"))); t != nil {
			a.Throttle = &model.Throttle{Pos: b.pos(t), Rate: b.num(get(t, "maxRequestsPerSecond")), Burst: b.num(get(t, "maxConcurrentRequests"))}
		}
	}
	rp, ok := lookup(ag, "resourcePolicy")
	if !ok {
		rp, ok = lookup(b.prov, "resourcePolicy")
	}
	if ok {
		a.Policy = b.statements(rp, "provider.apiGateway.resourcePolicy")
	}
	logs := get(b.prov, "logs")
	if rl, ok := lookup(logs, "restApi"); ok {
		on := b.logSwitch(logs, "restApi")
		a.AccessLogging = on
		if rl.Kind == yaml.MappingNode {
			if al, ok := lookup(rl, "accessLogging"); ok {
				a.AccessLogging = b.boolean(al)
			}
			if fe, ok := lookup(rl, "fullExecutionData"); ok {
				a.DataTrace = b.boolean(fe)
			} else if model.IsTrue(on) {
				a.DataTrace = model.K(true, on.Pos) // the framework's default
			}
			a.ExecutionLogs = b.execLevel(rl)
		} else if model.IsTrue(on) {
			a.DataTrace = model.K(true, on.Pos)
			a.ExecutionLogs = model.K("INFO", on.Pos)
		}
	}
	if tr := get(b.prov, "tracing", "apiGateway"); tr != nil {
		a.Tracing = b.boolean(tr)
	}
}

// execLevel reads executionLogging / level of a logs.restApi or
// logs.websocket object: OFF when disabled, else the level (default INFO).
func (b *builder) execLevel(n *yaml.Node) model.Str {
	if el, ok := lookup(n, "executionLogging"); ok {
		if on := b.boolean(el); model.IsFalse(on) {
			return model.K("OFF", on.Pos)
		}
	}
	if lv := get(n, "level"); lv != nil {
		return b.str(lv)
	}
	return model.K("INFO", b.pos(n))
}

// logSwitch reads logs.<key>: true, false, or an object (enabled).
func (b *builder) logSwitch(logs *yaml.Node, key string) model.Bool {
	n, ok := lookup(logs, key)
	if !ok || yamlx.IsNull(n) {
		return model.Bool{}
	}
	if n.Kind == yaml.MappingNode {
		return model.K(true, b.pos(n))
	}
	return b.boolean(n)
}

// usagePlanThrottle reads throttle from a usage plan object or the first
// plan of a list of named plans ([{free: {throttle: ...}}]).
func (b *builder) usagePlanThrottle(up *yaml.Node) *model.Throttle {
	plans := []*yaml.Node{up}
	if up.Kind == yaml.SequenceNode {
		plans = nil
		for _, it := range up.Content {
			for _, p := range yamlx.Pairs(it) {
				plans = append(plans, yamlx.Deref(p.Value))
			}
		}
	}
	for _, p := range plans {
		t := get(p, "throttle")
		if t == nil {
			continue
		}
		if isUnknown(t) {
			return &model.Throttle{Pos: b.pos(t), Rate: b.num(t), Burst: b.num(t)}
		}
		return &model.Throttle{Pos: b.pos(t), Burst: b.num(get(t, "burstLimit")), Rate: b.num(get(t, "rateLimit"))}
	}
	return nil
}

func (b *builder) attr(r *model.Resource, k string, v model.Str) {
	if r.Attrs == nil {
		r.Attrs = map[string]model.Str{}
	}
	r.Attrs[k] = v
}
