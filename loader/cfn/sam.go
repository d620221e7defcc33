package cfn

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader/cfn/sam"
	"github.com/faasguard/faasguard/model"
)

const samTransform = "AWS::Serverless-2016-10-31"

// isSAM reports whether a template uses the SAM transform.
func isSAM(root *yaml.Node) bool {
	for _, t := range yamlx.Items(yamlx.Get(root, "Transform")) {
		if t.Kind == yaml.ScalarNode && t.Value == samTransform {
			return true
		}
	}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "Resources")) {
		if t := yamlx.Get(p.Value, "Type"); t != nil && strings.HasPrefix(t.Value, "AWS::Serverless::") {
			return true
		}
	}
	return false
}

// apiInfo is what SAM events need to know about an API.
type apiInfo struct {
	res         *model.Resource
	stage       *model.Resource
	defAuth     *V // Auth.DefaultAuthorizer
	authorizers *V // Auth.Authorizers
	apiKey      model.Bool
	ops         []operation
	body        *V // DefinitionBody (nil when none)
	bodyUnknown bool
	cors        *model.CORS
}

// samState holds SAM-specific state of one template.
type samState struct {
	b       *builder
	globals map[string]*yaml.Node
	apis    map[string]*apiInfo
}

func newSAM(b *builder, root *yaml.Node) *samState {
	s := &samState{b: b, globals: map[string]*yaml.Node{}, apis: map[string]*apiInfo{}}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "Globals")) {
		switch p.Key.Value {
		case "Function", "Api", "HttpApi", "SimpleTable", "LayerVersion", "StateMachine":
			s.globals[p.Key.Value] = p.Value
		default:
			b.app.Notef(model.NoteInfo, yamlx.Pos(b.file, p.Key), "Globals section %s is not modelled", p.Key.Value)
		}
	}
	return s
}

// withGlobals merges the Globals section into a resource's properties the
// way SAM does: maps merge key by key, lists concatenate, the resource's
// own scalars win; IgnoreGlobals drops named (or all) globals.
func (s *samState) withGlobals(en *entry, props *yaml.Node) *yaml.Node {
	g := s.globals[strings.TrimPrefix(en.Type, "AWS::Serverless::")]
	if g == nil || !strings.HasPrefix(en.Type, "AWS::Serverless::") {
		return props
	}
	if ig := yamlx.Get(props, "IgnoreGlobals"); ig != nil {
		drop := map[string]bool{}
		for _, it := range yamlx.Items(ig) {
			if it.Value == "*" {
				return props
			}
			drop[it.Value] = true
		}
		filtered := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: g.Line, Column: g.Column}
		for _, p := range yamlx.Pairs(g) {
			if !drop[p.Key.Value] {
				filtered.Content = append(filtered.Content, p.Key, p.Value)
			}
		}
		g = filtered
	}
	if props == nil {
		return g
	}
	return mergeNodes(g, props, 0)
}

func mergeNodes(g, l *yaml.Node, depth int) *yaml.Node {
	g, l = yamlx.Deref(g), yamlx.Deref(l)
	_, _, gi := intrinsicOf(g)
	_, _, li := intrinsicOf(l)
	if depth > 64 || gi || li || g.Kind != l.Kind {
		return l
	}
	switch l.Kind {
	case yaml.MappingNode:
		out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: l.Line, Column: l.Column}
		for _, p := range yamlx.Pairs(g) {
			if lv := yamlx.Get(l, p.Key.Value); lv != nil {
				continue
			}
			out.Content = append(out.Content, p.Key, p.Value)
		}
		for _, p := range yamlx.Pairs(l) {
			if gv := yamlx.Get(g, p.Key.Value); gv != nil {
				out.Content = append(out.Content, p.Key, mergeNodes(gv, p.Value, depth+1))
			} else {
				out.Content = append(out.Content, p.Key, p.Value)
			}
		}
		return out
	case yaml.SequenceNode:
		out := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: l.Line, Column: l.Column}
		out.Content = append(append(out.Content, g.Content...), l.Content...)
		return out
	}
	return l
}

// function models AWS::Serverless::Function (its events are added in
// finish, when every API is known).
func (s *samState) function(en *entry) *model.Function {
	b := s.b
	p := en.Props
	f := &model.Function{ID: en.ID, Pos: en.Pos, Path: en.Path, Generated: en.Generated}
	b.commonFunction(f, p)
	switch {
	case p.Get("CodeUri").K == kScalar:
		f.CodeDir = p.Get("CodeUri").Str()
	case p.Get("CodeUri").Present():
		f.CodeDir = model.U[string]("CodeUri is an S3 location", p.KeyPos("CodeUri"))
	}
	if v := p.Get("Tracing"); v.Present() {
		f.Tracing = modeBool(v, "Active")
	}
	f.DeadLetter = p.Path("DeadLetterQueue", "TargetArn").Str()
	if eic := p.Get("EventInvokeConfig"); eic.Present() {
		asyncConfig(f, eic)
	}
	for _, t := range p.Get("Tags").Keys() {
		if f.Tags == nil {
			f.Tags = map[string]model.Str{}
		}
		f.Tags[t.Key] = t.V.Str()
	}
	if u := p.Get("FunctionUrlConfig"); u.Present() {
		f.URL = &model.FunctionURL{Pos: p.KeyPos("FunctionUrlConfig"), AuthType: u.Get("AuthType").Str(), CORS: urlCORS(u.Get("Cors"))}
	}
	if rv := p.Get("Role"); rv.Present() {
		f.Role, f.RoleRef = b.linkRole(rv)
		if p.Get("Policies").Present() {
			b.app.Notef(model.NoteInfo, p.KeyPos("Policies"), "%s: Policies are ignored by SAM when Role is set", en.ID)
		}
		return f
	}
	f.Role = s.implicitRole(en, f)
	return f
}

const managedPrefix = "arn:aws:iam::aws:policy/"

// serviceRolePolicies are AWS managed policies under the service-role/ path.
var serviceRolePolicies = map[string]bool{
	"AWSLambdaBasicExecutionRole": true, "AWSLambdaVPCAccessExecutionRole": true, "AWSLambdaSQSQueueExecutionRole": true,
	"AWSLambdaKinesisExecutionRole": true, "AWSLambdaDynamoDBExecutionRole": true, "AWSLambdaRole": true,
	"AWSLambdaENIManagementAccess": true, "AWSLambdaMSKExecutionRole": true,
}

// implicitRole models the execution role SAM creates for a function
// without Role: AWSLambdaBasicExecutionRole, the Policies, and the managed
// policies SAM adds for tracing, VPC and poll-based events.
func (s *samState) implicitRole(en *entry, f *model.Function) *model.Role {
	b := s.b
	p := en.Props
	r := &model.Role{ID: en.ID + "Role", Pos: en.Pos, PerFunction: true, Implicit: true, Generated: en.Generated,
		Boundary: p.Get("PermissionsBoundary").Str()}
	r.Trust = []*model.Statement{{Pos: en.Pos, Effect: model.K("Allow", en.Pos), Actions: []model.Str{model.K("sts:AssumeRole", en.Pos)},
		Principals: []model.Principal{{Type: "Service", Value: model.K("lambda.amazonaws.com", en.Pos)}}, Origin: "sam:implicit-role"}}
	r.ManagedPolicies = append(r.ManagedPolicies, model.K(managedPrefix+"service-role/AWSLambdaBasicExecutionRole", en.Pos))
	if model.IsTrue(f.Tracing) {
		r.ManagedPolicies = append(r.ManagedPolicies, model.K(managedPrefix+"AWSXrayWriteOnlyAccess", f.Tracing.Pos))
	}
	if f.VPC != nil {
		r.ManagedPolicies = append(r.ManagedPolicies, model.K(managedPrefix+"service-role/AWSLambdaVPCAccessExecutionRole", f.VPC.Pos))
	}
	for _, ev := range p.Get("Events").Keys() {
		pol := ""
		switch ev.V.Get("Type").Text() {
		case "SQS":
			pol = "service-role/AWSLambdaSQSQueueExecutionRole"
		case "Kinesis":
			pol = "service-role/AWSLambdaKinesisExecutionRole"
		case "DynamoDB":
			pol = "service-role/AWSLambdaDynamoDBExecutionRole"
		case "MSK":
			pol = "service-role/AWSLambdaMSKExecutionRole"
		}
		if pol != "" {
			r.ManagedPolicies = append(r.ManagedPolicies, model.K(managedPrefix+pol, ev.KeyPos))
		}
	}
	pols := p.Get("Policies")
	if pols.K == kScalar || pols.K == kUnknown || pols.K == kMap && pols.Get("Statement").Present() {
		pols = &V{K: kList, L: []*V{pols}, Pos: pols.Pos}
	}
	for i, it := range pols.Items() {
		s.policyItem(r, en, it, i)
	}
	b.roles[r.ID] = r
	b.app.Roles = append(b.app.Roles, r)
	return r
}

func (s *samState) policyItem(r *model.Role, en *entry, it *V, i int) {
	b := s.b
	name := en.ID + "RolePolicy" + itoa(i)
	switch {
	case it.K == kScalar:
		arn := it.S
		if !strings.HasPrefix(arn, "arn:") {
			if serviceRolePolicies[arn] {
				arn = "service-role/" + arn
			}
			arn = managedPrefix + arn
		}
		r.ManagedPolicies = append(r.ManagedPolicies, model.K(arn, it.Pos))
	case it.K == kUnknown:
		if id := it.Target(); id != "" {
			if st, ok := b.managed[id]; ok {
				r.Statements = append(r.Statements, st...)
				return
			}
		}
		r.ManagedPolicies = append(r.ManagedPolicies, it.Str())
	case it.K == kMap && it.Get("Statement").Present():
		r.Statements = append(r.Statements, b.statements(it, name)...)
	case it.K == kMap && len(it.M) == 1:
		tname := it.M[0].Key
		tp, ok := sam.Lookup(tname)
		if !ok {
			b.app.Notef(model.NoteInfo, it.M[0].KeyPos, "SAM policy template %s is not known to faasguard; its statements are not modelled", tname)
			r.Statements = append(r.Statements, &model.Statement{Pos: it.M[0].KeyPos, Origin: "sam:" + tname, Policy: name,
				Effect: model.U[string]("unknown SAM policy template "+tname, it.M[0].KeyPos)})
			return
		}
		r.Statements = append(r.Statements, s.expand(tname, tp, it.M[0].V, it.M[0].KeyPos, name)...)
	default:
		b.app.Notef(model.NoteInfo, it.Pos, "%s: policy entry not understood", en.ID)
	}
}

// expand evaluates a policy template with its parameters bound to the
// values the user wrote; every value points at the template's line.
func (s *samState) expand(name string, tp sam.Template, args *V, p model.Pos, policy string) []*model.Statement {
	e := s.b.e
	node, err := yamlx.Parse("sam", tp.Statement, yamlx.DefaultLimits)
	if err != nil {
		return nil
	}
	saved := map[string]*V{}
	for _, pn := range tp.Parameters {
		if old, ok := e.params[pn]; ok {
			saved[pn] = old
		}
		v := args.Get(pn)
		if !v.Present() {
			s.b.app.Notef(model.NoteWarn, p, "SAM policy template %s: parameter %s is missing", name, pn)
			v = unknown("missing "+pn, p)
		}
		e.params[pn] = v
	}
	file := e.file
	e.file = p.File
	list := e.eval(node, 1)
	e.file = file
	for _, pn := range tp.Parameters {
		if old, ok := saved[pn]; ok {
			e.params[pn] = old
		} else {
			delete(e.params, pn)
		}
	}
	var out []*model.Statement
	for _, it := range list.Items() {
		st := statement(it, policy)
		st.Origin = "sam:" + name
		repos(st, p)
		out = append(out, st)
	}
	return out
}

// repos moves every value of a generated statement to p.
func repos(st *model.Statement, p model.Pos) {
	st.Pos = p
	st.Effect.Pos = p
	for _, l := range [][]model.Str{st.Actions, st.NotActions, st.Resources, st.NotResources} {
		for i := range l {
			l[i].Pos = p
		}
	}
	for k, vs := range st.Conditions {
		for i := range vs {
			vs[i].Pos = p
		}
		st.Conditions[k] = vs
	}
}

// resource fills SAM-specific resource properties.
func (s *samState) resource(en *entry, r *model.Resource) {
	p := en.Props
	switch en.Type {
	case "AWS::Serverless::Api":
		r.Protocol = model.K("REST", en.Pos)
		r.Name = p.Get("Name").Str()
		s.restAPI(en.ID, r, p, en.Pos)
	case "AWS::Serverless::HttpApi":
		r.Protocol = model.K("HTTP", en.Pos)
		r.Name = p.Get("Name").Str()
		s.httpAPI(en.ID, r, p, en.Pos)
	case "AWS::Serverless::SimpleTable":
		r.Name = p.Get("TableName").Str()
		if on := p.Path("SSESpecification", "SSEEnabled").Bool(); on.IsKnown() {
			r.Encryption = model.K("service", on.Pos)
		}
	case "AWS::Serverless::LayerVersion":
		r.Name = p.Get("LayerName").Str()
	case "AWS::Serverless::StateMachine":
		r.Name = p.Get("Name").Str()
		r.Tracing = p.Path("Tracing", "Enabled").Bool()
		r.ExecutionLogs = p.Path("Logging", "Level").Str()
	}
}

// restAPI records a SAM REST API (explicit or the implicit
// ServerlessRestApi) and models its stage.
func (s *samState) restAPI(id string, r *model.Resource, p *V, at model.Pos) *apiInfo {
	b := s.b
	ai := &apiInfo{res: r, defAuth: p.Path("Auth", "DefaultAuthorizer"), authorizers: p.Path("Auth", "Authorizers"), apiKey: p.Path("Auth", "ApiKeyRequired").Bool()}
	ep := p.Get("EndpointConfiguration")
	if ep.K == kMap {
		ep = ep.Get("Type")
	}
	b.endpoint(r, ep)
	if rp := p.Path("Auth", "ResourcePolicy"); rp.Present() {
		r.Policy = append(r.Policy, b.statements(&V{K: kMap, M: []field{{Key: "Statement", V: rp.Get("CustomStatements")}}}, id+"ResourcePolicy")...)
		for _, k := range []string{"IpRangeWhitelist", "IpRangeBlacklist", "SourceVpcWhitelist", "SourceVpcBlacklist", "AwsAccountWhitelist", "AwsAccountBlacklist", "IntrinsicVpcWhitelist", "IntrinsicVpceWhitelist"} {
			if v := rp.Get(k); v.Present() {
				setAttr(r, "ResourcePolicy."+k, model.K(strings.Join(strsText(v), ","), v.Pos))
			}
		}
	}
	s.definition(ai, p)
	ai.cors = restCORS(p.Get("Cors"))
	up := p.Path("Auth", "UsagePlan")
	stageName := p.Get("StageName").Str()
	if stageName.IsAbsent() {
		stageName = model.K("Prod", at)
	}
	st := &model.Resource{ID: id + stageSuffix(stageName), Kind: model.ResStage, Type: "AWS::ApiGateway::Stage", Pos: at, Implicit: true,
		Name: stageName, Generated: r.Generated, Path: r.Path, Attrs: map[string]model.Str{"api": model.K(id, at)}}
	if al := p.Get("AccessLogSetting"); al.Present() {
		st.AccessLogging = model.K(al.Get("DestinationArn").Present(), al.Pos)
	}
	st.Tracing = p.Get("TracingEnabled").Bool()
	stageMethodSettings(st, p.Get("MethodSettings").Items())
	if c := p.Get("CacheClusterEnabled"); c.Present() {
		setAttr(st, "CacheClusterEnabled", c.Str())
	}
	if cp := up.Get("CreateUsagePlan"); cp.K == kScalar {
		st.UsagePlan = model.K(!strings.EqualFold(cp.S, "NONE"), cp.Pos)
		throttle(st, up.Path("Throttle", "BurstLimit"), up.Path("Throttle", "RateLimit"), up.KeyPos("Throttle"))
	} else if cp.K == kUnknown {
		st.UsagePlan = cp.Bool()
	}
	if d := p.Get("Domain"); d.Present() {
		s.domain(id, d)
	}
	b.addResource(st)
	r.Stages = append(r.Stages, st)
	ai.stage = st
	s.apis[id] = ai
	return ai
}

func stageSuffix(name model.Str) string {
	if name.IsKnown() {
		return strings.NewReplacer("$", "", "-", "", "_", "").Replace(name.V) + "Stage"
	}
	return "Stage"
}

func strsText(v *V) []string {
	var out []string
	for _, it := range v.Items() {
		out = append(out, textOrWhy(it))
	}
	return out
}

func (s *samState) domain(apiID string, d *V) {
	r := &model.Resource{ID: apiID + "DomainName", Kind: model.ResDomain, Type: "AWS::ApiGateway::DomainName", Pos: d.Pos, Implicit: true,
		Name: d.Get("DomainName").Str(), MinTLSVersion: tlsVersion(d.Get("SecurityPolicy"))}
	s.b.addResource(r)
}

// definition reads DefinitionBody (inline OpenAPI); DefinitionUri or a
// macro-included body leaves per-operation auth Unknown.
func (s *samState) definition(ai *apiInfo, p *V) {
	body := p.Get("DefinitionBody")
	switch {
	case body.K == kMap:
		ai.body = body
		ai.ops = operations(body)
	case body.Present() || p.Get("DefinitionUri").Present():
		ai.bodyUnknown = true
	}
}

func (s *samState) httpAPI(id string, r *model.Resource, p *V, at model.Pos) *apiInfo {
	b := s.b
	ai := &apiInfo{res: r, defAuth: p.Path("Auth", "DefaultAuthorizer"), authorizers: p.Path("Auth", "Authorizers")}
	b.apiPublic[id] = model.K(true, at)
	s.definition(ai, p)
	ai.cors = apiCORS(p.Get("CorsConfiguration"))
	stageName := p.Get("StageName").Str()
	if stageName.IsAbsent() {
		stageName = model.K("$default", at)
	}
	sid := id + "ApiGatewayDefaultStage"
	if stageName.IsKnown() && stageName.V != "$default" {
		sid = id + stageSuffix(stageName)
	}
	st := &model.Resource{ID: sid, Kind: model.ResStage, Type: "AWS::ApiGatewayV2::Stage", Pos: at, Implicit: true,
		Name: stageName, Generated: r.Generated, Path: r.Path, Attrs: map[string]model.Str{"api": model.K(id, at)}}
	if al := p.Get("AccessLogSettings"); al.Present() {
		st.AccessLogging = model.K(al.Get("DestinationArn").Present(), al.Pos)
	}
	if rs := p.Get("DefaultRouteSettings"); rs.Present() {
		st.DataTrace = rs.Get("DataTraceEnabled").Bool()
		st.ExecutionLogs = rs.Get("LoggingLevel").Str()
		throttle(st, rs.Get("ThrottlingBurstLimit"), rs.Get("ThrottlingRateLimit"), rs.Pos)
	}
	if d := p.Get("Domain"); d.Present() {
		s.domain(id, d)
	}
	b.addResource(st)
	r.Stages = append(r.Stages, st)
	ai.stage = st
	s.apis[id] = ai
	return ai
}

// implicitAPI returns SAM's ServerlessRestApi / ServerlessHttpApi, created
// on first use and attributed to the event that caused it.
func (s *samState) implicitAPI(httpAPI bool, at model.Pos) *apiInfo {
	id, typ, glob := "ServerlessRestApi", "AWS::Serverless::Api", "Api"
	if httpAPI {
		id, typ, glob = "ServerlessHttpApi", "AWS::Serverless::HttpApi", "HttpApi"
	}
	if ai := s.apis[id]; ai != nil {
		return ai
	}
	r := &model.Resource{ID: id, Kind: model.ResAPI, Type: typ, Pos: at, Implicit: true}
	p := s.b.e.eval(s.globals[glob], 1)
	s.b.addResource(r)
	if httpAPI {
		r.Protocol = model.K("HTTP", at)
		return s.httpAPI(id, r, p, at)
	}
	r.Protocol = model.K("REST", at)
	return s.restAPI(id, r, p, at)
}

// finish adds the events of every SAM function.
func (s *samState) finish() {
	for _, en := range s.b.entries {
		if en.Type != "AWS::Serverless::Function" {
			continue
		}
		f := s.b.fns[en.ID]
		if f == nil {
			continue
		}
		for _, ev := range en.Props.Get("Events").Keys() {
			s.event(f, ev)
		}
	}
}

// event maps one SAM event source to a trigger.
func (s *samState) event(f *model.Function, ev field) {
	b := s.b
	typ := ev.V.Get("Type").Text()
	p := ev.V.Get("Properties")
	t := &model.Trigger{Type: typ, Pos: ev.KeyPos}
	src := func(key string) {
		v := p.Get(key)
		if v.Present() {
			t.SourceRef, t.Source = v.Str(), b.resOf(v)
		}
	}
	switch typ {
	case "Api":
		t.Kind = model.TriggerHTTP
		s.apiEvent(t, p, ev.KeyPos, false)
	case "HttpApi":
		t.Kind = model.TriggerHTTP
		s.apiEvent(t, p, ev.KeyPos, true)
	case "S3":
		t.Kind = model.TriggerStorage
		src("Bucket")
	case "SQS":
		t.Kind = model.TriggerQueue
		src("Queue")
		pollerSettings(t, p)
	case "SNS":
		t.Kind = model.TriggerTopic
		src("Topic")
	case "Kinesis", "DynamoDB", "MSK", "DocumentDB":
		t.Kind = model.TriggerStream
		switch typ {
		case "DocumentDB":
			src("Cluster")
		default:
			src("Stream")
		}
		pollerSettings(t, p)
	case "SelfManagedKafka":
		t.Kind = model.TriggerStream
		t.SourceRef = model.K(strings.Join(strsText(p.Get("KafkaBootstrapServers")), ","), p.KeyPos("KafkaBootstrapServers"))
		pollerSettings(t, p)
	case "MQ":
		t.Kind = model.TriggerQueue
		src("Broker")
		pollerSettings(t, p)
	case "Schedule", "ScheduleV2":
		t.Kind = model.TriggerSchedule
		if st := p.Get("State"); st.Present() {
			t.Enabled = stateEnabled(st)
		} else {
			t.Enabled = p.Get("Enabled").Bool()
		}
		t.OnFailure = p.Path("DeadLetterConfig", "Arn").Str()
		t.MaxRetryAttempts = p.Path("RetryPolicy", "MaximumRetryAttempts").Int()
	case "EventBridgeRule", "CloudWatchEvent":
		t.Kind = model.TriggerEventBus
		src("EventBusName")
		t.OnFailure = p.Path("DeadLetterConfig", "Arn").Str()
		t.MaxRetryAttempts = p.Path("RetryPolicy", "MaximumRetryAttempts").Int()
	case "CloudWatchLogs":
		t.Kind = model.TriggerLog
		src("LogGroupName")
	case "IoTRule":
		t.Kind = model.TriggerIoT
		t.SourceRef = p.Get("Sql").Str()
	case "Cognito":
		t.Kind = model.TriggerAuthHook
		src("UserPool")
	case "AlexaSkill", "CloudWatchEvents":
		t.Kind = model.TriggerOther
	default:
		t.Kind = model.TriggerOther
		b.app.Notef(model.NoteInfo, ev.KeyPos, "event type %q of %s is not modelled", typ, f.ID)
	}
	f.Triggers = append(f.Triggers, t)
}

// apiEvent fills an Api / HttpApi trigger: its API (explicit or implicit),
// method, path and the authentication that applies to it.
func (s *samState) apiEvent(t *model.Trigger, p *V, at model.Pos, httpAPI bool) {
	key := "RestApiId"
	if httpAPI {
		key = "ApiId"
	}
	var ai *apiInfo
	if ref := p.Get(key); ref.Present() {
		t.SourceRef = ref.Str()
		ai = s.apis[ref.Target()]
		if ai == nil {
			if r := s.b.resOf(ref); r != nil {
				t.API, t.Source = r, r
				t.Public = s.b.apiPublic[r.ID]
			}
			t.Auth = model.U[model.AuthKind]("API "+textOrWhy(ref)+" is not a SAM API of this template", at)
		}
	} else {
		ai = s.implicitAPI(httpAPI, at)
		t.SourceRef = model.K(ai.res.ID, at)
	}
	t.Method = p.Get("Method").Str()
	t.Path = p.Get("Path").Str()
	if httpAPI && t.Path.IsAbsent() {
		t.Path = model.K("$default", at)
	}
	if ai == nil {
		return
	}
	t.API, t.Source = ai.res, ai.res
	t.Public = s.b.apiPublic[ai.res.ID]
	t.CORS = ai.cors
	auth := p.Get("Auth")
	name := auth.Get("Authorizer")
	switch {
	case name.Present():
	case ai.defAuth.Present():
		name = ai.defAuth
	case ai.bodyUnknown:
		t.Auth = model.U[model.AuthKind]("API definition is not inline (DefinitionUri / include)", at)
	default:
		t.Auth = model.K(model.AuthNone, at)
		if op := ai.operation(t.Method.V, t.Path.V); op != nil {
			t.Auth = op.Auth
			if op.APIKey {
				t.APIKeyRequired = model.K(true, op.Pos)
			}
		}
	}
	if name.Present() {
		t.Authorizer = name.Str()
		t.Auth = s.authorizerKind(ai, name, t)
	}
	if k := auth.Get("ApiKeyRequired").Bool(); !k.IsAbsent() {
		t.APIKeyRequired = k
	} else if !ai.apiKey.IsAbsent() {
		t.APIKeyRequired = ai.apiKey
	}
	if t.Auth.IsKnown() && t.Auth.V == model.AuthNone && model.IsTrue(t.APIKeyRequired) {
		t.Auth.V = model.AuthAPIKey
	}
}

func (ai *apiInfo) operation(method, path string) *operation {
	for i := range ai.ops {
		op := &ai.ops[i]
		if op.Path == path && (strings.EqualFold(op.Method, method) || op.Method == "ANY") {
			return op
		}
	}
	return nil
}

// authorizerKind resolves an authorizer name of a SAM API.
func (s *samState) authorizerKind(ai *apiInfo, name *V, t *model.Trigger) model.Val[model.AuthKind] {
	if name.K != kScalar {
		return model.U[model.AuthKind](textOrWhy(name), name.Pos)
	}
	switch name.S {
	case "NONE":
		return model.K(model.AuthNone, name.Pos)
	case "AWS_IAM":
		return model.K(model.AuthIAM, name.Pos)
	}
	az := ai.authorizers.Get(name.S)
	if !az.Present() {
		s.b.app.Notef(model.NoteWarn, name.Pos, "authorizer %q is not defined in the API's Auth.Authorizers", name.S)
		return model.U[model.AuthKind]("authorizer "+name.S+" not defined", name.Pos)
	}
	switch {
	case az.Get("JwtConfiguration").Present():
		t.JWTAudience = az.Path("JwtConfiguration", "audience").Strs()
		if len(t.JWTAudience) == 0 {
			t.JWTAudience = az.Path("JwtConfiguration", "Audience").Strs()
		}
		return model.K(model.AuthJWT, name.Pos)
	case az.Get("UserPoolArn").Present():
		return model.K(model.AuthCognito, name.Pos)
	case az.Get("FunctionArn").Present():
		return model.K(model.AuthCustom, name.Pos)
	}
	return model.U[model.AuthKind]("authorizer "+name.S+" of unknown type", name.Pos)
}

// restCORS reads a SAM Api Cors setting, whose values are quoted strings
// ("'*'") or a single origin string.
func restCORS(c *V) *model.CORS {
	if !c.Present() {
		return nil
	}
	unq := func(v *V) []model.Str {
		var out []model.Str
		for _, s := range v.Strs() {
			if s.IsKnown() {
				s.V = strings.Trim(s.V, "'")
			}
			out = append(out, s)
		}
		return out
	}
	if c.K != kMap {
		return &model.CORS{Pos: c.Pos, Origins: unq(c)}
	}
	return &model.CORS{Pos: c.Pos, Origins: unq(c.Get("AllowOrigin")), Methods: unq(c.Get("AllowMethods")),
		Headers: unq(c.Get("AllowHeaders")), Credentials: c.Get("AllowCredentials").Bool()}
}
