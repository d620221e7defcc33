package serverless

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// event models one entry of a function's events list. Each entry is a
// one-key mapping: the key is the event kind, the value a string shorthand
// or a settings object.
func (b *builder) event(fn *model.Function, ev *yaml.Node) *model.Trigger {
	ps := yamlx.Pairs(ev)
	if len(ps) == 0 {
		if isUnknown(ev) {
			b.app.Notef(model.NoteInfo, b.pos(ev), "event of %s not resolved offline (%s); not modelled", fn.ID, ev.Value)
		} else {
			b.app.Notef(model.NoteInfo, b.pos(ev), "event of %s is not a mapping; not modelled", fn.ID)
		}
		return nil
	}
	kind, v := ps[0].Key.Value, yamlx.Deref(ps[0].Value)
	t := &model.Trigger{Type: kind, Pos: b.pos(ps[0].Key)}
	if b.app.Provider != model.AWS {
		b.genericEvent(t, kind, v)
		return t
	}
	if isUnknown(v) {
		t.Kind = kindOf(kind)
		t.SourceRef = b.str(v)
		if t.Kind == model.TriggerHTTP || t.Kind == model.TriggerWebSocket {
			t.Auth = model.U[model.AuthKind](v.Value, b.pos(v))
		}
		return t
	}
	scalar := v != nil && v.Kind == yaml.ScalarNode
	switch kind {
	case "http":
		b.httpEvent(t, v, scalar)
	case "httpApi":
		b.httpAPIEvent(t, v, scalar)
	case "websocket":
		b.websocketEvent(t, v, scalar)
	case "s3":
		b.s3Event(t, v, scalar)
	case "sqs":
		t.Kind = model.TriggerQueue
		b.polled(t, v, scalar)
		b.eventGrant(fn, t, "sqs")
	case "stream":
		t.Kind = model.TriggerStream
		b.polled(t, v, scalar)
		if !scalar {
			t.MaxRetryAttempts = b.num(get(v, "maximumRetryAttempts"))
			t.BisectOnError = b.boolean(get(v, "bisectBatchOnFunctionError"))
			if d := get(v, "destinations", "onFailure"); d != nil {
				t.OnFailure = b.destination(d)
			}
		}
		typ := strings.ToLower(b.str(get(v, "type")).V)
		if typ == "" && t.SourceRef.IsKnown() && strings.Contains(t.SourceRef.V, ":dynamodb:") {
			typ = "dynamodb"
		} else if typ == "" {
			typ = "kinesis"
		}
		b.eventGrant(fn, t, typ)
	case "sns":
		b.snsEvent(t, v, scalar)
	case "schedule":
		t.Kind = model.TriggerSchedule
		if scalar {
			t.SourceRef = b.str(v)
		} else {
			t.SourceRef = b.str(get(v, "rate"))
			t.Enabled = b.boolean(get(v, "enabled"))
		}
	case "eventBridge":
		t.Kind = model.TriggerEventBus
		if s := get(v, "schedule"); s != nil {
			t.Kind = model.TriggerSchedule
			t.SourceRef = b.str(s)
		} else if bus := get(v, "eventBus"); bus != nil {
			t.SourceRef = b.ref(bus)
		} else {
			t.SourceRef = model.K("default", t.Pos)
		}
		t.Enabled = b.boolean(get(v, "enabled"))
	case "cloudwatchEvent":
		t.Kind = model.TriggerEventBus
		t.SourceRef = model.K("default", t.Pos)
		t.Enabled = b.boolean(get(v, "enabled"))
	case "iot":
		t.Kind = model.TriggerIoT
		t.SourceRef = b.str(get(v, "sql"))
		t.Enabled = b.boolean(get(v, "enabled"))
	case "iotFleetProvisioning":
		t.Kind = model.TriggerIoT
		t.SourceRef = b.ref(get(v, "templateBody"))
	case "alb":
		b.albEvent(t, v)
	case "cognitoUserPool":
		t.Kind = model.TriggerAuthHook
		t.SourceRef = b.ref(get(v, "pool"))
		t.Path = b.str(get(v, "trigger"))
	case "cloudwatchLog":
		t.Kind = model.TriggerLog
		if scalar {
			t.SourceRef = b.str(v)
		} else {
			t.SourceRef = b.ref(get(v, "logGroup"))
		}
	case "alexaSkill", "alexaSmartHome":
		t.Kind = model.TriggerOther
		if scalar {
			t.SourceRef = b.str(v)
		} else {
			t.SourceRef = b.str(get(v, "appId"))
			t.Enabled = b.boolean(get(v, "enabled"))
		}
	case "kafka":
		t.Kind = model.TriggerStream
		t.SourceRef = b.str(get(v, "topic"))
		t.BatchSize = b.num(get(v, "batchSize"))
		t.Enabled = b.boolean(get(v, "enabled"))
	case "msk":
		t.Kind = model.TriggerStream
		t.SourceRef = b.ref(get(v, "arn"))
		t.BatchSize = b.num(get(v, "batchSize"))
		t.Enabled = b.boolean(get(v, "enabled"))
	case "rabbitmq", "activemq":
		t.Kind = model.TriggerQueue
		t.SourceRef = b.ref(get(v, "arn"))
		t.BatchSize = b.num(get(v, "batchSize"))
		t.Enabled = b.boolean(get(v, "enabled"))
	default:
		t.Kind = model.TriggerOther
		b.app.Notef(model.NoteInfo, t.Pos, "event kind %q of %s modelled as other", kind, fn.ID)
	}
	return t
}

// kindOf maps an event key to a trigger kind, for events whose settings
// are not resolved.
func kindOf(k string) model.TriggerKind {
	switch k {
	case "http", "httpApi", "alb":
		return model.TriggerHTTP
	case "websocket":
		return model.TriggerWebSocket
	case "s3":
		return model.TriggerStorage
	case "sqs", "rabbitmq", "activemq":
		return model.TriggerQueue
	case "sns":
		return model.TriggerTopic
	case "stream", "kafka", "msk":
		return model.TriggerStream
	case "schedule":
		return model.TriggerSchedule
	case "eventBridge", "cloudwatchEvent":
		return model.TriggerEventBus
	case "iot", "iotFleetProvisioning":
		return model.TriggerIoT
	case "cognitoUserPool":
		return model.TriggerAuthHook
	case "cloudwatchLog":
		return model.TriggerLog
	}
	return model.TriggerOther
}

// endpointPrivate reports whether the REST API is a PRIVATE endpoint.
func (b *builder) endpointType() model.Str {
	if n := get(b.prov, "endpointType"); n != nil {
		return b.str(n)
	}
	return b.str(get(b.prov, "apiGateway", "endpointType"))
}

func splitMethodPath(s model.Str) (model.Str, model.Str) {
	if !s.IsKnown() {
		return s, s
	}
	m, p, ok := strings.Cut(strings.TrimSpace(s.V), " ")
	if !ok {
		return model.K(m, s.Pos), model.Str{}
	}
	return model.K(m, s.Pos), model.K(strings.TrimSpace(p), s.Pos)
}

// httpEvent models a REST API (API Gateway v1) endpoint.
func (b *builder) httpEvent(t *model.Trigger, v *yaml.Node, scalar bool) {
	t.Kind = model.TriggerHTTP
	t.API = b.rest(t.Pos)
	if ep := b.endpointType(); ep.IsKnown() {
		t.Public = model.K(!strings.EqualFold(ep.V, "PRIVATE"), ep.Pos)
	} else if ep.IsUnknown() {
		t.Public = model.U[bool](ep.Why, ep.Pos)
	} else {
		t.Public = model.K(true, t.Pos)
	}
	if scalar {
		t.Method, t.Path = splitMethodPath(b.str(v))
		t.Auth = model.K(model.AuthNone, t.Pos)
		return
	}
	t.Method = b.str(get(v, "method"))
	t.Path = b.str(get(v, "path"))
	t.APIKeyRequired = b.boolean(get(v, "private"))
	if c, ok := lookup(v, "cors"); ok {
		t.CORS = b.cors(c, "origins", "headers", "methods", "allowCredentials")
	}
	a, ok := lookup(v, "authorizer")
	switch {
	case ok && !yamlx.IsNull(a):
		t.Auth, t.Authorizer = b.restAuthorizer(a)
	case model.IsTrue(t.APIKeyRequired):
		t.Auth = model.K(model.AuthAPIKey, t.APIKeyRequired.Pos)
	case t.APIKeyRequired.IsUnknown():
		t.Auth = model.U[model.AuthKind](t.APIKeyRequired.Why, t.APIKeyRequired.Pos)
	default:
		t.Auth = model.K(model.AuthNone, t.Pos)
	}
}

// restAuthorizer reads an http event's authorizer: aws_iam, a function
// name, an ARN (Lambda or Cognito user pool), or an object with
// name/arn/type/authorizerId.
func (b *builder) restAuthorizer(a *yaml.Node) (model.Val[model.AuthKind], model.Str) {
	p := b.pos(a)
	if isUnknown(a) {
		return model.U[model.AuthKind](a.Value, p), b.str(a)
	}
	if a.Kind == yaml.ScalarNode {
		s := a.Value
		switch {
		case strings.EqualFold(s, "aws_iam"):
			return model.K(model.AuthIAM, p), b.str(a)
		case strings.Contains(s, ":cognito-idp:"):
			return model.K(model.AuthCognito, p), b.str(a)
		}
		return model.K(model.AuthCustom, p), b.str(a)
	}
	name := b.str(get(a, "name"))
	arn := b.ref(get(a, "arn"))
	id := b.ref(get(a, "authorizerId"))
	label := name
	if !label.IsKnown() {
		label = arn
	}
	if !label.IsKnown() && !id.IsAbsent() {
		label = id
	}
	typ := b.str(get(a, "type"))
	switch strings.ToLower(typ.V) {
	case "aws_iam":
		return model.K(model.AuthIAM, typ.Pos), label
	case "cognito_user_pools":
		return model.K(model.AuthCognito, typ.Pos), label
	case "token", "request":
		return model.K(model.AuthCustom, typ.Pos), label
	}
	if typ.IsUnknown() {
		return model.U[model.AuthKind](typ.Why, typ.Pos), label
	}
	if arn.IsKnown() && strings.Contains(arn.V, ":cognito-idp:") {
		return model.K(model.AuthCognito, p), label
	}
	if name.IsAbsent() && arn.IsAbsent() && id.IsAbsent() {
		b.app.Notef(model.NoteInfo, p, "authorizer without name, arn or authorizerId; treated as unknown")
		return model.U[model.AuthKind]("authorizer without name or arn", p), label
	}
	return model.K(model.AuthCustom, p), label
}

// httpAPIEvent models an HTTP API (API Gateway v2) route.
func (b *builder) httpAPIEvent(t *model.Trigger, v *yaml.Node, scalar bool) {
	t.Kind = model.TriggerHTTP
	t.API = b.httpAPIResource(t.Pos)
	t.Public = model.K(true, t.Pos)
	if c, ok := lookup(get(b.prov, "httpApi"), "cors"); ok {
		t.CORS = b.cors(c, "allowedOrigins", "allowedHeaders", "allowedMethods", "allowCredentials")
	}
	if scalar {
		s := b.str(v)
		if s.IsKnown() && strings.TrimSpace(s.V) == "*" {
			t.Method, t.Path = model.K("*", s.Pos), model.K("*", s.Pos)
		} else {
			t.Method, t.Path = splitMethodPath(s)
		}
		t.Auth = model.K(model.AuthNone, t.Pos)
		return
	}
	t.Method = b.str(get(v, "method"))
	t.Path = b.str(get(v, "path"))
	a, ok := lookup(v, "authorizer")
	if !ok || yamlx.IsNull(a) {
		t.Auth = model.K(model.AuthNone, t.Pos)
		return
	}
	p := b.pos(a)
	if isUnknown(a) {
		t.Auth, t.Authorizer = model.U[model.AuthKind](a.Value, p), b.str(a)
		return
	}
	var name model.Str
	if a.Kind == yaml.ScalarNode {
		name = b.str(a)
	} else {
		name = b.str(get(a, "name"))
		if typ := b.str(get(a, "type")); typ.IsKnown() && strings.EqualFold(typ.V, "aws_iam") {
			t.Auth, t.Authorizer = model.K(model.AuthIAM, typ.Pos), typ
			return
		}
		if id := b.str(get(a, "id")); !id.IsAbsent() {
			t.Auth, t.Authorizer = model.K(model.AuthCustom, p), id
			return
		}
	}
	t.Authorizer = name
	if !name.IsKnown() {
		t.Auth = model.U[model.AuthKind]("authorizer "+name.Why, p)
		return
	}
	def := get(b.prov, "httpApi", "authorizers", name.V)
	if def == nil {
		b.app.Notef(model.NoteInfo, p, "httpApi authorizer %q is not declared under provider.httpApi.authorizers", name.V)
		t.Auth = model.U[model.AuthKind]("undeclared authorizer "+name.V, p)
		return
	}
	typ := strings.ToLower(b.str(get(def, "type")).V)
	switch {
	case typ == "request":
		t.Auth = model.K(model.AuthCustom, p)
	case typ == "jwt" || get(def, "issuerUrl") != nil:
		t.Auth = model.K(model.AuthJWT, p)
		t.JWTAudience = b.strs(get(def, "audience"))
	default:
		t.Auth = model.K(model.AuthCustom, p)
	}
}

// websocketEvent models a WebSocket route. Callers are authenticated only
// on $connect, so the other routes inherit the $connect route's auth
// (finishWebsocket).
func (b *builder) websocketEvent(t *model.Trigger, v *yaml.Node, scalar bool) {
	t.Kind = model.TriggerWebSocket
	t.API = b.websocketAPI(t.Pos)
	t.Public = model.K(true, t.Pos)
	if scalar {
		t.Path = b.str(v)
	} else {
		t.Path = b.str(get(v, "route"))
	}
	if !t.Path.IsKnown() || t.Path.V != "$connect" {
		b.wsTriggers = append(b.wsTriggers, t)
		return
	}
	a, ok := lookup(v, "authorizer")
	switch {
	case scalar || !ok || yamlx.IsNull(a):
		t.Auth = model.K(model.AuthNone, t.Pos)
	case isUnknown(a):
		t.Auth, t.Authorizer = model.U[model.AuthKind](a.Value, b.pos(a)), b.str(a)
	case a.Kind == yaml.ScalarNode:
		t.Auth, t.Authorizer = model.K(model.AuthCustom, b.pos(a)), b.str(a)
	default:
		label := b.str(get(a, "name"))
		if !label.IsKnown() {
			label = b.ref(get(a, "arn"))
		}
		t.Auth, t.Authorizer = model.K(model.AuthCustom, b.pos(a)), label
	}
	if b.wsConnect == nil {
		b.wsConnect = t
	}
}

func (b *builder) finishWebsocket() {
	for _, t := range b.wsTriggers {
		if b.wsConnect != nil {
			t.Auth, t.Authorizer = b.wsConnect.Auth, b.wsConnect.Authorizer
		} else {
			// No $connect route: anyone may connect.
			t.Auth = model.K(model.AuthNone, t.Pos)
		}
	}
}

// s3Event models a bucket notification. The framework creates the bucket
// unless existing: true; either way the bucket is modelled by name so
// write permissions on it can be compared with the trigger.
func (b *builder) s3Event(t *model.Trigger, v *yaml.Node, scalar bool) {
	t.Kind = model.TriggerStorage
	bn, existing := v, model.Bool{}
	if !scalar {
		bn = get(v, "bucket")
		existing = b.boolean(get(v, "existing"))
	}
	if id, ok := logicalID(bn); ok {
		t.SourceRef = model.K(id, b.pos(bn))
		return
	}
	name := b.str(bn)
	t.SourceRef = name
	if !name.IsKnown() {
		return
	}
	res := &model.Resource{
		ID: "S3Bucket" + alnum(name.V), Kind: model.ResBucket, Type: "AWS::S3::Bucket",
		Name: name, ARN: model.K("arn:aws:s3:::"+name.V, name.Pos), Pos: name.Pos,
		Implicit: !model.IsTrue(existing),
	}
	if model.IsTrue(existing) {
		res.Attrs = map[string]model.Str{"existing": model.K("true", existing.Pos)}
	}
	t.Source = b.addResource(res)
}

// snsEvent models a topic subscription; a topic given by name is created
// by the framework.
func (b *builder) snsEvent(t *model.Trigger, v *yaml.Node, scalar bool) {
	t.Kind = model.TriggerTopic
	var ref model.Str
	switch {
	case scalar:
		ref = b.str(v)
	case get(v, "arn") != nil:
		ref = b.ref(get(v, "arn"))
	default:
		ref = b.str(get(v, "topicName"))
	}
	t.SourceRef = ref
	if !ref.IsKnown() || strings.HasPrefix(ref.V, "arn:") || get(v, "arn") != nil {
		return
	}
	t.Source = b.addResource(&model.Resource{
		ID: "SNSTopic" + alnum(ref.V), Kind: model.ResTopic, Type: "AWS::SNS::Topic",
		Name: ref, Pos: ref.Pos, Implicit: true,
	})
}

// polled reads the common settings of sqs and stream events.
func (b *builder) polled(t *model.Trigger, v *yaml.Node, scalar bool) {
	if scalar {
		t.SourceRef = b.str(v)
		return
	}
	if _, ok := intrinsic(v); ok {
		t.SourceRef = b.ref(v)
		return
	}
	t.SourceRef = b.ref(get(v, "arn"))
	t.BatchSize = b.num(get(v, "batchSize"))
	t.Enabled = b.boolean(get(v, "enabled"))
}

// albEvent models an Application Load Balancer listener rule. Whether the
// load balancer faces the internet is not in the config.
func (b *builder) albEvent(t *model.Trigger, v *yaml.Node) {
	t.Kind = model.TriggerHTTP
	t.SourceRef = b.ref(get(v, "listenerArn"))
	t.Public = model.U[bool]("load balancer scheme not in serverless.yml", t.Pos)
	t.Method = b.str(get(v, "conditions", "method"))
	t.Path = b.str(get(v, "conditions", "path"))
	a, ok := lookup(v, "authorizer")
	if !ok || yamlx.IsNull(a) {
		t.Auth = model.K(model.AuthNone, t.Pos)
		return
	}
	names := b.strs(a)
	if len(names) == 0 {
		t.Auth = model.K(model.AuthNone, t.Pos)
		return
	}
	t.Authorizer = names[0]
	if !names[0].IsKnown() {
		t.Auth = model.U[model.AuthKind](names[0].Why, names[0].Pos)
		return
	}
	typ := strings.ToLower(b.str(get(b.prov, "alb", "authorizers", names[0].V, "type")).V)
	switch typ {
	case "cognito":
		t.Auth = model.K(model.AuthCognito, names[0].Pos)
	case "oidc":
		t.Auth = model.K(model.AuthJWT, names[0].Pos)
	default:
		t.Auth = model.U[model.AuthKind]("alb authorizer "+names[0].V, names[0].Pos)
	}
}

// genericEvent models an event of a non-AWS provider by its key.
func (b *builder) genericEvent(t *model.Trigger, kind string, v *yaml.Node) {
	switch strings.ToLower(kind) {
	case "http", "httptrigger":
		t.Kind = model.TriggerHTTP
		t.Path = b.str(v)
		if b.app.Provider == model.Azure {
			lvl := b.str(get(v, "authLevel"))
			if lvl.IsAbsent() {
				lvl = b.str(get(v, "x-azure-settings", "authLevel"))
			}
			switch {
			case lvl.IsKnown() && strings.EqualFold(lvl.V, "anonymous"):
				t.Auth = model.K(model.AuthNone, lvl.Pos)
			case lvl.IsKnown():
				t.Auth = model.K(model.AuthFunctionKey, lvl.Pos)
			case lvl.IsAbsent():
				t.Auth = model.K(model.AuthFunctionKey, t.Pos) // the Functions default
			default:
				t.Auth = model.U[model.AuthKind](lvl.Why, lvl.Pos)
			}
			t.Path = b.str(get(v, "route"))
			t.Public = model.K(true, t.Pos)
		} else {
			t.Auth = model.U[model.AuthKind]("invoker IAM bindings are not in serverless.yml", t.Pos)
			t.Public = model.U[bool]("invoker IAM bindings are not in serverless.yml", t.Pos)
		}
	case "queue", "servicebus":
		t.Kind = model.TriggerQueue
	case "blob":
		t.Kind = model.TriggerStorage
	case "timer", "schedule":
		t.Kind = model.TriggerSchedule
	case "eventhub", "cosmosdb":
		t.Kind = model.TriggerStream
	default:
		t.Kind = model.TriggerOther
		if e := get(v, "eventType"); e != nil {
			t.SourceRef = b.str(get(v, "resource"))
			t.Path = b.str(e)
		}
	}
}
