package cfn

import (
	"strings"

	"github.com/faasguard/faasguard/model"
)

// relate links objects: policies to roles, roles and security groups to
// functions, triggers, permissions, resource policies, stages to APIs.
func (b *builder) relate() {
	for _, en := range b.entries {
		switch en.Type {
		case "AWS::IAM::Role":
			b.managedArns(b.roles[en.ID], en.Props.Get("ManagedPolicyArns"))
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			st := b.statements(en.Props.Get("PolicyDocument"), en.ID)
			for _, rv := range en.Props.Get("Roles").Items() {
				if r := b.roleOf(rv); r != nil {
					if en.Type == "AWS::IAM::Policy" {
						r.Statements = append(r.Statements, st...)
					} else if !hasRef(en.ID, b.byID[r.ID]) {
						r.Statements = append(r.Statements, st...)
					}
				} else {
					b.e.note(model.NoteInfo, rv.Pos, "policy %s is attached to a role that is not modelled (%s)", en.ID, textOrWhy(rv))
				}
			}
		case "AWS::Lambda::Permission":
			b.permission(en)
		case "AWS::Lambda::Url":
			b.functionURL(en)
		case "AWS::Lambda::EventInvokeConfig":
			if f := b.linkFn(en, en.Props.Get("FunctionName")); f != nil {
				asyncConfig(f, en.Props)
			}
		case "AWS::Lambda::EventSourceMapping":
			b.eventSourceMapping(en)
		case "AWS::SNS::Subscription":
			p := en.Props
			if strings.EqualFold(p.Get("Protocol").Text(), "lambda") {
				if f := b.linkFn(en, p.Get("Endpoint")); f != nil {
					b.trigger(f, &model.Trigger{Kind: model.TriggerTopic, Type: en.Type, Pos: en.Pos}, p.Get("TopicArn"))
				}
			}
		case "AWS::SNS::Topic":
			for _, s := range en.Props.Get("Subscription").Items() {
				if strings.EqualFold(s.Get("Protocol").Text(), "lambda") {
					if f := b.fnOf(s.Get("Endpoint")); f != nil {
						t := &model.Trigger{Kind: model.TriggerTopic, Type: "AWS::SNS::Topic.Subscription", Pos: s.Pos, Source: b.res[en.ID]}
						t.SourceRef = model.K(en.ID, en.Pos)
						f.Triggers = append(f.Triggers, t)
					}
				}
			}
		case "AWS::SNS::TopicPolicy":
			b.resourcePolicy(en, "Topics")
		case "AWS::SQS::QueuePolicy":
			b.resourcePolicy(en, "Queues")
		case "AWS::S3::BucketPolicy":
			b.resourcePolicy(en, "Bucket")
		case "AWS::S3::Bucket":
			for _, lc := range en.Props.Path("NotificationConfiguration", "LambdaConfigurations").Items() {
				if f := b.fnOf(lc.Get("Function")); f != nil {
					t := &model.Trigger{Kind: model.TriggerStorage, Type: "AWS::S3::Bucket.LambdaConfiguration", Pos: lc.Pos, Source: b.res[en.ID], SourceRef: model.K(en.ID, en.Pos)}
					f.Triggers = append(f.Triggers, t)
				} else {
					b.e.note(model.NoteInfo, lc.Pos, "bucket notification target is not a function of this template (%s)", textOrWhy(lc.Get("Function")))
				}
			}
		case "AWS::Events::Rule":
			b.eventRule(en)
		case "AWS::Scheduler::Schedule":
			if f := b.linkFn(en, en.Props.Path("Target", "Arn")); f != nil {
				f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerSchedule, Type: en.Type, Pos: en.Pos, Enabled: stateEnabled(en.Props.Get("State"))})
			}
		case "AWS::Logs::SubscriptionFilter":
			if f := b.fnOf(en.Props.Get("DestinationArn")); f != nil {
				b.trigger(f, &model.Trigger{Kind: model.TriggerLog, Type: en.Type, Pos: en.Pos}, en.Props.Get("LogGroupName"))
			}
		case "AWS::IoT::TopicRule":
			for _, a := range en.Props.Path("TopicRulePayload", "Actions").Items() {
				if f := b.fnOf(a.Path("Lambda", "FunctionArn")); f != nil {
					f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerIoT, Type: en.Type, Pos: en.Pos,
						SourceRef: en.Props.Path("TopicRulePayload", "Sql").Str()})
				}
			}
		case "AWS::Cognito::UserPool":
			for _, h := range en.Props.Get("LambdaConfig").Keys() {
				if f := b.fnOf(h.V); f != nil {
					f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerAuthHook, Type: "Cognito:" + h.Key, Pos: h.KeyPos,
						Source: b.res[en.ID], SourceRef: model.K(en.ID, en.Pos)})
				}
			}
		case "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress":
			if sg := b.resOf(en.Props.Get("GroupId")); sg != nil && sg.Kind == model.ResSecurityGroup {
				nr := netRule(en.Props)
				nr.Pos = en.Pos
				if en.Type == "AWS::EC2::SecurityGroupIngress" {
					sg.Ingress = append(sg.Ingress, nr)
				} else {
					if len(sg.Egress) == 1 && sg.Egress[0].Pos == b.byID[sg.ID].Pos {
						sg.Egress = nil // the default rule is replaced by the first explicit one
					}
					sg.Egress = append(sg.Egress, nr)
				}
			}
		case "AWS::Lambda::LayerVersionPermission":
			if l := b.resOf(en.Props.Get("LayerVersionArn")); l != nil {
				l.Policy = append(l.Policy, &model.Statement{Pos: en.Pos, Effect: model.K("Allow", en.Pos), Policy: en.ID,
					Actions:    []model.Str{en.Props.Get("Action").Str()},
					Principals: []model.Principal{{Type: "AWS", Value: en.Props.Get("Principal").Str()}}})
			}
		case "AWS::UsagePlan", "AWS::ApiGateway::UsagePlan":
			b.usagePlan(en)
		case "AWS::ApiGateway::Deployment":
			b.deployment(en)
		case "AWS::ApiGateway::Method":
			b.restMethod(en)
		case "AWS::ApiGatewayV2::Route":
			b.httpRoute(en)
		case "AWS::ApiGatewayV2::Api":
			b.quickAPI(en)
		case "AWS::ApiGateway::RestApi":
			if body := en.Props.Get("Body"); body.Present() {
				b.openAPI(b.res[en.ID], body)
			}
		}
	}
	// Second round: things that need the stages and functions complete.
	for _, en := range b.entries {
		switch en.Type {
		case "AWS::Lambda::Function":
			b.functionSGs(b.fns[en.ID])
		case "AWS::Serverless::Function":
			if f := b.fns[en.ID]; f != nil {
				b.functionSGs(f)
			}
		case "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage":
			if r := b.res[en.ID]; r != nil {
				if api := b.res[r.Attrs["api"].V]; api != nil {
					api.Stages = append(api.Stages, r)
				}
			}
		case "AWS::Logs::LogGroup":
			b.logGroupOwner(b.res[en.ID])
		}
	}
	for _, en := range b.entries {
		if en.Type == "AWS::WAFv2::WebACLAssociation" || en.Type == "AWS::WAFRegional::WebACLAssociation" {
			b.wafAssociation(en)
		}
	}
}

func hasRef(id string, en *entry) bool {
	if en == nil || en.Props == nil {
		return false
	}
	for _, r := range en.Props.Get("ManagedPolicyArns").refs() {
		if r == id {
			return true
		}
	}
	return false
}

// managedArns attaches managed policies: template-declared ones by their
// statements, AWS-managed ones by name.
func (b *builder) managedArns(r *model.Role, arns *V) {
	if r == nil {
		return
	}
	for _, a := range arns.Items() {
		if id := a.Target(); id != "" {
			if st, ok := b.managed[id]; ok {
				r.Statements = append(r.Statements, st...)
				continue
			}
		}
		r.ManagedPolicies = append(r.ManagedPolicies, a.Str())
	}
}

// linkFn resolves the function a relational resource names, noting an
// unresolved target.
func (b *builder) linkFn(en *entry, v *V) *model.Function {
	if f := b.fnOf(v); f != nil {
		return f
	}
	if v.Present() {
		b.e.note(model.NoteInfo, v.Pos, "%s %s names a function that is not in this template (%s)", en.Type, en.ID, textOrWhy(v))
		// A Ref or GetAtt of a logical ID the template does not declare
		// (the evaluator leaves no Refs for it) is a dangling link; a
		// literal name or ARN is a function deployed elsewhere.
		if v.K == kUnknown && len(v.Refs) == 0 && (strings.HasPrefix(v.Why, "Ref ") || strings.HasPrefix(v.Why, "Fn::GetAtt ")) {
			b.app.Unlinked = append(b.app.Unlinked, model.Unlinked{Pos: v.Pos, Resource: en.ID, Type: en.Type, Ref: v.Why})
		}
	}
	return nil
}

// trigger links a trigger to its source and adds it to f.
func (b *builder) trigger(f *model.Function, t *model.Trigger, src *V) {
	if src.Present() {
		t.SourceRef = src.Str()
		t.Source = b.resOf(src)
	}
	f.Triggers = append(f.Triggers, t)
}

func asyncConfig(f *model.Function, p *V) {
	if v := p.Get("MaximumRetryAttempts"); v.Present() {
		f.MaxRetryAttempts = v.Int()
	}
	if v := p.Get("MaximumEventAgeInSeconds"); v.Present() {
		f.MaxEventAge = v.Int()
	}
	if d := p.Path("DestinationConfig", "OnFailure", "Destination"); d.Present() {
		f.OnFailure = d.Str()
	}
}

func stateEnabled(v *V) model.Bool {
	if v.K == kScalar {
		return model.K(strings.EqualFold(v.S, "ENABLED"), v.Pos)
	}
	return v.Bool()
}

func (b *builder) permission(en *entry) {
	p := en.Props
	perm := &model.Permission{
		ID: en.ID, Pos: en.Pos, Target: p.Get("FunctionName").Str(), Action: p.Get("Action").Str(),
		Principal: p.Get("Principal").Str(), SourceArn: p.Get("SourceArn").Str(), SourceAccount: p.Get("SourceAccount").Str(),
		URLAuthType: p.Get("FunctionUrlAuthType").Str(),
	}
	perm.Function = b.linkFn(en, p.Get("FunctionName"))
	b.app.Permissions = append(b.app.Permissions, perm)
}

func (b *builder) functionURL(en *entry) {
	p := en.Props
	f := b.linkFn(en, p.Get("TargetFunctionArn"))
	if f == nil {
		return
	}
	f.URL = &model.FunctionURL{Pos: en.Pos, AuthType: p.Get("AuthType").Str(), CORS: urlCORS(p.Get("Cors"))}
}

func urlCORS(c *V) *model.CORS {
	if !c.Present() {
		return nil
	}
	return &model.CORS{Pos: c.Pos, Origins: c.Get("AllowOrigins").Strs(), Methods: c.Get("AllowMethods").Strs(),
		Headers: c.Get("AllowHeaders").Strs(), Credentials: c.Get("AllowCredentials").Bool()}
}

// sourceKind classifies an event source mapping by its source.
func (b *builder) sourceKind(src *V, r *model.Resource) model.TriggerKind {
	if r != nil {
		switch r.Kind {
		case model.ResQueue:
			return model.TriggerQueue
		case model.ResTable, model.ResStream:
			return model.TriggerStream
		}
	}
	s := src.Text()
	if src.K == kUnknown {
		s = src.Why
	}
	switch {
	case strings.Contains(s, ":sqs:"):
		return model.TriggerQueue
	case strings.Contains(s, ":mq:"):
		return model.TriggerQueue
	case strings.Contains(s, ":kinesis:"), strings.Contains(s, ":dynamodb:"), strings.Contains(s, ":kafka:"):
		return model.TriggerStream
	}
	if id := src.Target(); id != "" {
		switch b.e.types[id] {
		case "AWS::SQS::Queue", "AWS::AmazonMQ::Broker":
			return model.TriggerQueue
		case "AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::MSK::Cluster", "AWS::DocDB::DBCluster":
			return model.TriggerStream
		}
	}
	return model.TriggerStream
}

func (b *builder) eventSourceMapping(en *entry) {
	p := en.Props
	f := b.linkFn(en, p.Get("FunctionName"))
	if f == nil {
		return
	}
	src := p.Get("EventSourceArn")
	t := &model.Trigger{Type: en.Type, Pos: en.Pos}
	if !src.Present() && p.Get("SelfManagedEventSource").Present() {
		src = p.Path("SelfManagedEventSource", "Endpoints", "KafkaBootstrapServers")
	}
	b.trigger(f, t, src)
	t.Kind = b.sourceKind(src, t.Source)
	pollerSettings(t, p)
}

func pollerSettings(t *model.Trigger, p *V) {
	t.BatchSize = p.Get("BatchSize").Int()
	t.MaxRetryAttempts = p.Get("MaximumRetryAttempts").Int()
	t.BisectOnError = p.Get("BisectBatchOnFunctionError").Bool()
	t.OnFailure = p.Path("DestinationConfig", "OnFailure", "Destination").Str()
	t.Enabled = p.Get("Enabled").Bool()
}

func (b *builder) resourcePolicy(en *entry, key string) {
	st := b.statements(en.Props.Get("PolicyDocument"), en.ID)
	targets := en.Props.Get(key).Items()
	stub := len(targets) == 0
	var name model.Str
	for _, tv := range targets {
		if r := b.resOf(tv); r != nil {
			r.Policy = append(r.Policy, st...)
		} else if !stub {
			stub, name = true, tv.Str()
		}
	}
	if stub {
		// The target lives outside the template (or is not written): the
		// policy is still what the user wrote here, so it is modelled on a
		// stand-in resource of the policy's own type; rules about the
		// target's other properties skip it.
		kind := map[string]model.ResourceKind{"Topics": model.ResTopic, "Queues": model.ResQueue, "Bucket": model.ResBucket}[key]
		b.addResource(&model.Resource{ID: en.ID, Kind: kind, Type: en.Type, Pos: en.Pos, Name: name, Policy: st,
			Generated: en.Generated, Path: en.Path})
	}
}

func (b *builder) eventRule(en *entry) {
	p := en.Props
	kind := model.TriggerEventBus
	if p.Get("ScheduleExpression").Present() {
		kind = model.TriggerSchedule
	}
	for _, tg := range p.Get("Targets").Items() {
		f := b.fnOf(tg.Get("Arn"))
		if f == nil {
			continue
		}
		t := &model.Trigger{Kind: kind, Type: en.Type, Pos: tg.Pos, Enabled: stateEnabled(p.Get("State"))}
		if bus := p.Get("EventBusName"); bus.Present() {
			t.SourceRef, t.Source = bus.Str(), b.resOf(bus)
		}
		if d := tg.Path("DeadLetterConfig", "Arn"); d.Present() {
			t.OnFailure = d.Str()
		}
		t.MaxRetryAttempts = tg.Path("RetryPolicy", "MaximumRetryAttempts").Int()
		f.Triggers = append(f.Triggers, t)
	}
}

func (b *builder) usagePlan(en *entry) {
	p := en.Props
	for _, s := range p.Get("ApiStages").Items() {
		for _, st := range b.stagesOf(s.Get("ApiId"), s.Get("Stage")) {
			st.UsagePlan = model.K(true, en.Pos)
			if st.Throttle == nil {
				throttle(st, p.Path("Throttle", "BurstLimit"), p.Path("Throttle", "RateLimit"), p.KeyPos("Throttle"))
			}
		}
	}
}

// stagesOf returns the modelled stages of an API matching a stage value
// (a Ref to a stage, or a stage name); all stages when stage is absent.
func (b *builder) stagesOf(api, stage *V) []*model.Resource {
	apiID := api.Target()
	var out []*model.Resource
	for _, r := range b.app.Resources {
		if r.Kind != model.ResStage || r.Attrs["api"].V != apiID || apiID == "" {
			continue
		}
		switch {
		case !stage.Present():
		case stage.Target() != "":
			if stage.Target() != r.ID && !(b.e.types[stage.Target()] == "AWS::ApiGateway::Deployment" && r.ID == stage.Target()) {
				continue
			}
		case stage.K == kScalar:
			if !(r.Name.IsKnown() && r.Name.V == stage.S) {
				continue
			}
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}

// deployment models the stage an AWS::ApiGateway::Deployment creates with
// StageName (and configures with StageDescription).
func (b *builder) deployment(en *entry) {
	p := en.Props
	name := p.Get("StageName")
	if !name.Present() {
		return
	}
	r := &model.Resource{ID: en.ID, Kind: model.ResStage, Type: en.Type, Pos: en.Pos, Name: name.Str(), Generated: en.Generated, Path: en.Path}
	sd := p.Get("StageDescription")
	r.Attrs = map[string]model.Str{"api": model.K(p.Get("RestApiId").Target(), en.Pos)}
	if al := sd.Get("AccessLogSetting"); al.Present() {
		r.AccessLogging = model.K(al.Get("DestinationArn").Present(), al.Pos)
	}
	r.Tracing = sd.Get("TracingEnabled").Bool()
	r.DataTrace = sd.Get("DataTraceEnabled").Bool()
	r.ExecutionLogs = sd.Get("LoggingLevel").Str()
	throttle(r, sd.Get("ThrottlingBurstLimit"), sd.Get("ThrottlingRateLimit"), sd.Pos)
	stageMethodSettings(r, sd.Get("MethodSettings").Items())
	if ce := sd.Get("CachingEnabled").Bool(); model.IsTrue(ce) {
		r.CacheEncrypted = sd.Get("CacheDataEncrypted").Bool()
		if r.CacheEncrypted.IsAbsent() {
			r.CacheEncrypted = model.K(false, ce.Pos)
		}
	}
	b.addResource(r)
	if api := b.res[r.Attrs["api"].V]; api != nil {
		api.Stages = append(api.Stages, r)
	}
}

// restPath rebuilds a REST resource path from AWS::ApiGateway::Resource
// parents.
func (b *builder) restPath(v *V) model.Str {
	var parts []string
	for i := 0; i < 64; i++ {
		id := v.Target()
		en := b.byID[id]
		if id == "" || en == nil || en.Type != "AWS::ApiGateway::Resource" {
			break
		}
		parts = append([]string{textOrWhy(en.Props.Get("PathPart"))}, parts...)
		v = en.Props.Get("ParentId")
	}
	if len(parts) == 0 {
		return model.K("/", v.Pos)
	}
	return model.K("/"+strings.Join(parts, "/"), v.Pos)
}

func authKind(t string) (model.AuthKind, bool) {
	switch strings.ToUpper(t) {
	case "NONE":
		return model.AuthNone, true
	case "AWS_IAM":
		return model.AuthIAM, true
	case "CUSTOM":
		return model.AuthCustom, true
	case "COGNITO_USER_POOLS":
		return model.AuthCognito, true
	case "JWT":
		return model.AuthJWT, true
	}
	return "", false
}

func (b *builder) restMethod(en *entry) {
	p := en.Props
	integ := p.Get("Integration")
	f := b.fnOf(integ.Get("Uri"))
	if f == nil {
		b.method(en, p.Get("RestApiId"), p.Get("HttpMethod").Str(), b.restPath(p.Get("ResourceId")), integ.Get("Type").Str())
		return
	}
	api := b.res[p.Get("RestApiId").Target()]
	t := &model.Trigger{Kind: model.TriggerHTTP, Type: en.Type, Pos: en.Pos, API: api, Source: api,
		Method: p.Get("HttpMethod").Str(), Path: b.restPath(p.Get("ResourceId"))}
	t.SourceRef = p.Get("RestApiId").Str()
	at := p.Get("AuthorizationType")
	t.APIKeyRequired = p.Get("ApiKeyRequired").Bool()
	switch {
	case !at.Present():
		t.Auth = model.K(model.AuthNone, en.Pos)
	case at.K == kScalar:
		if k, ok := authKind(at.S); ok {
			t.Auth = model.K(k, at.Pos)
		} else {
			t.Auth = model.U[model.AuthKind]("AuthorizationType "+at.S, at.Pos)
		}
	default:
		t.Auth = model.U[model.AuthKind](at.Why, at.Pos)
	}
	if t.Auth.IsKnown() && t.Auth.V == model.AuthNone && model.IsTrue(t.APIKeyRequired) {
		t.Auth.V = model.AuthAPIKey
	}
	t.Authorizer = p.Get("AuthorizerId").Str()
	if api != nil {
		t.Public = b.apiPublic[api.ID]
	}
	f.Triggers = append(f.Triggers, t)
}

func (b *builder) httpRoute(en *entry) {
	p := en.Props
	target := p.Get("Target")
	var f *model.Function
	for _, id := range target.Refs {
		if ie := b.byID[id]; ie != nil && ie.Type == "AWS::ApiGatewayV2::Integration" {
			f = b.fnOf(ie.Props.Get("IntegrationUri"))
		}
	}
	if f == nil {
		rk := p.Get("RouteKey")
		m, pth, ok := strings.Cut(rk.Text(), " ")
		if !ok {
			m, pth = "", rk.Text()
		}
		b.method(en, p.Get("ApiId"), model.K(m, rk.Pos), model.K(pth, rk.Pos), model.Str{})
		return
	}
	apiV := p.Get("ApiId")
	api := b.res[apiV.Target()]
	t := &model.Trigger{Kind: model.TriggerHTTP, Type: en.Type, Pos: en.Pos, API: api, Source: api, SourceRef: apiV.Str()}
	if api != nil && api.Protocol.IsKnown() && api.Protocol.V == "WEBSOCKET" {
		t.Kind = model.TriggerWebSocket
	}
	rk := p.Get("RouteKey")
	if m, pth, ok := strings.Cut(rk.Text(), " "); ok {
		t.Method, t.Path = model.K(m, rk.Pos), model.K(pth, rk.Pos)
	} else {
		t.Path = rk.Str()
	}
	at := p.Get("AuthorizationType")
	switch {
	case !at.Present():
		t.Auth = model.K(model.AuthNone, en.Pos)
	case at.K == kScalar:
		if k, ok := authKind(at.S); ok {
			t.Auth = model.K(k, at.Pos)
		} else {
			t.Auth = model.U[model.AuthKind]("AuthorizationType "+at.S, at.Pos)
		}
	default:
		t.Auth = model.U[model.AuthKind](at.Why, at.Pos)
	}
	t.APIKeyRequired = p.Get("ApiKeyRequired").Bool()
	az := p.Get("AuthorizerId")
	t.Authorizer = az.Str()
	if ae := b.byID[az.Target()]; ae != nil && t.Auth.IsKnown() && t.Auth.V == model.AuthJWT {
		t.JWTAudience = ae.Props.Path("JwtConfiguration", "Audience").Strs()
	}
	t.Public = model.K(true, en.Pos)
	if api != nil {
		t.Public = b.apiPublic[api.ID]
	}
	if api != nil {
		t.CORS = apiCORS(b.byID[api.ID].Props.Get("CorsConfiguration"))
	}
	f.Triggers = append(f.Triggers, t)
}

// method models an API method or route that does not invoke a function of
// the template, so its authorization can still be checked.
func (b *builder) method(en *entry, apiV *V, httpMethod, path, integType model.Str) {
	p := en.Props
	r := &model.Resource{ID: en.ID, Kind: model.ResMethod, Type: en.Type, Pos: en.Pos, Generated: en.Generated, Path: en.Path,
		Attrs: map[string]model.Str{"httpMethod": httpMethod, "path": path, "integrationType": integType,
			"apiKeyRequired": p.Get("ApiKeyRequired").Str(), "authorizationType": p.Get("AuthorizationType").Str()}}
	if r.Attrs["authorizationType"].IsAbsent() {
		r.Attrs["authorizationType"] = model.K("NONE", en.Pos)
	}
	if api := b.res[apiV.Target()]; api != nil {
		if pub := b.apiPublic[api.ID]; pub.IsKnown() {
			r.Attrs["public"] = model.K(map[bool]string{true: "true", false: "false"}[pub.V], pub.Pos)
		}
		if api.Protocol.IsKnown() && api.Protocol.V == "WEBSOCKET" && path.IsKnown() && path.V != "$connect" {
			return // WebSocket routes authenticate on $connect only
		}
	}
	b.addResource(r)
}

func apiCORS(c *V) *model.CORS {
	if !c.Present() || c.K == kScalar && c.S == "false" {
		return nil
	}
	if c.K == kScalar && c.S == "true" {
		return &model.CORS{Pos: c.Pos, Origins: []model.Str{model.K("*", c.Pos)}}
	}
	return &model.CORS{Pos: c.Pos, Origins: c.Get("AllowOrigins").Strs(), Methods: c.Get("AllowMethods").Strs(),
		Headers: c.Get("AllowHeaders").Strs(), Credentials: c.Get("AllowCredentials").Bool()}
}

// quickAPI models an HTTP API created with Target (quick create): a public
// $default route and stage without authorization.
func (b *builder) quickAPI(en *entry) {
	p := en.Props
	f := b.fnOf(p.Get("Target"))
	if f == nil {
		return
	}
	api := b.res[en.ID]
	f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerHTTP, Type: en.Type, Pos: p.KeyPos("Target"), API: api, Source: api,
		SourceRef: model.K(en.ID, en.Pos), Path: model.K("$default", p.KeyPos("Target")), Auth: model.K(model.AuthNone, p.KeyPos("Target")),
		Public: model.K(true, en.Pos), CORS: apiCORS(p.Get("CorsConfiguration"))})
	st := &model.Resource{ID: en.ID + "/$default", Kind: model.ResStage, Type: "AWS::ApiGatewayV2::Stage", Pos: en.Pos, Implicit: true,
		Name: model.K("$default", en.Pos), Attrs: map[string]model.Str{"api": model.K(en.ID, en.Pos)}}
	b.addResource(st)
	api.Stages = append(api.Stages, st)
}

// functionSGs resolves a function's security groups.
func (b *builder) functionSGs(f *model.Function) {
	if f == nil || f.VPC == nil {
		return
	}
	for _, sg := range f.VPC.SecurityGroupIDs {
		id := ""
		if sg.IsUnknown() {
			id = strings.TrimPrefix(strings.TrimPrefix(sg.Why, "Fn::GetAtt "), "Ref ")
			id, _, _ = strings.Cut(id, ".")
		}
		if r := b.res[id]; r != nil && r.Kind == model.ResSecurityGroup {
			f.VPC.SecurityGroups = append(f.VPC.SecurityGroups, r)
		}
	}
}

// logGroupOwner links an explicit /aws/lambda/<fn> log group to its function.
func (b *builder) logGroupOwner(r *model.Resource) {
	if r == nil || r.Name.IsAbsent() {
		return
	}
	en := b.byID[r.ID]
	var f *model.Function
	switch {
	case r.Name.IsKnown() && strings.HasPrefix(r.Name.V, "/aws/lambda/"):
		name := strings.TrimPrefix(r.Name.V, "/aws/lambda/")
		for _, fn := range b.app.Functions {
			if fn.Name.IsKnown() && fn.Name.V == name {
				f = fn
			}
		}
	case r.Name.IsUnknown() && strings.Contains(r.Name.Why, "/aws/lambda/"):
		lg := en.Props.Get("LogGroupName")
		for _, id := range lg.refs() {
			if fn := b.fns[id]; fn != nil {
				f = fn
			}
		}
	case r.Name.IsKnown():
		lg := en.Props.Get("LogGroupName")
		for _, id := range lg.refs() {
			if fn := b.fns[id]; fn != nil && strings.HasPrefix(r.Name.V, "/aws/lambda/") {
				f = fn
			}
		}
	}
	if f != nil && f.LogGroup == nil {
		f.LogGroup = r
	}
}

func (b *builder) wafAssociation(en *entry) {
	arn := en.Props.Get("ResourceArn")
	mark := func(st *model.Resource) {
		st.WAF = model.K(true, en.Pos)
	}
	for _, id := range arn.Refs {
		r := b.res[id]
		if r == nil {
			continue
		}
		switch r.Kind {
		case model.ResStage:
			mark(r)
			return
		case model.ResAPI:
			// arn:...:/restapis/${Api}/stages/<name>
			s := arn.Why
			if arn.K == kScalar {
				s = arn.S
			}
			_, stage, _ := strings.Cut(s, "/stages/")
			for _, st := range r.Stages {
				if stage == "" || st.Name.IsKnown() && st.Name.V == stage || strings.Contains(stage, "${"+st.ID+"}") {
					mark(st)
				}
			}
			return
		}
	}
	b.e.note(model.NoteInfo, arn.Pos, "WAF association target is not a stage of this template (%s)", textOrWhy(arn))
}

// implicitLogGroups models the log group Lambda creates for each function
// without an explicit one.
func (b *builder) implicitLogGroups() {
	for _, f := range b.app.Functions {
		if f.LogGroup != nil {
			continue
		}
		if _, mine := b.fns[f.ID]; !mine || b.app.Format == "serverless" && b.byID[f.ID] == nil {
			continue
		}
		name := model.U[string]("the function name is generated at deploy time", f.Pos)
		if f.Name.IsKnown() {
			name = model.K("/aws/lambda/"+f.Name.V, f.Name.Pos)
		}
		lg := &model.Resource{ID: f.ID + "/LogGroup", Kind: model.ResLogGroup, Type: "AWS::Logs::LogGroup", Pos: f.Pos, Implicit: true,
			Name: name, Generated: f.Generated, Path: f.Path}
		f.LogGroup = lg
		b.app.Resources = append(b.app.Resources, lg)
	}
}
