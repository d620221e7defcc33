package terraform

import (
	"strings"

	"github.com/faasguard/faasguard/model"
)

func init() {
	register((*builder).lambda, "aws_lambda_function")
	register((*builder).permission, "aws_lambda_permission")
	register((*builder).functionURL, "aws_lambda_function_url")
	register((*builder).eventSourceMapping, "aws_lambda_event_source_mapping")
	register((*builder).invokeConfig, "aws_lambda_function_event_invoke_config")
	register((*builder).layer, "aws_lambda_layer_version")
	register((*builder).layerPermission, "aws_lambda_layer_version_permission")
	register((*builder).iamRole, "aws_iam_role")
	register((*builder).iamPolicy, "aws_iam_policy")
	register((*builder).iamRolePolicy, "aws_iam_role_policy")
	register((*builder).iamAttachment, "aws_iam_role_policy_attachment", "aws_iam_policy_attachment")
	register((*builder).restAPI, "aws_api_gateway_rest_api")
	register((*builder).restMethod, "aws_api_gateway_method")
	register((*builder).restIntegration, "aws_api_gateway_integration")
	register((*builder).restStage, "aws_api_gateway_stage")
	register((*builder).restMethodSettings, "aws_api_gateway_method_settings")
	register((*builder).usagePlan, "aws_api_gateway_usage_plan")
	register((*builder).domainName, "aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name")
	register((*builder).restAuthorizer, "aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer")
	register((*builder).restResource, "aws_api_gateway_resource")
	register((*builder).httpAPI, "aws_apigatewayv2_api")
	register((*builder).httpRoute, "aws_apigatewayv2_route")
	register((*builder).httpIntegration, "aws_apigatewayv2_integration")
	register((*builder).httpStage, "aws_apigatewayv2_stage")
	register((*builder).sqs, "aws_sqs_queue")
	register((*builder).sns, "aws_sns_topic")
	register((*builder).resourcePolicy, "aws_sqs_queue_policy", "aws_sns_topic_policy", "aws_s3_bucket_policy")
	register((*builder).snsSubscription, "aws_sns_topic_subscription")
	register((*builder).s3, "aws_s3_bucket")
	register((*builder).s3Encryption, "aws_s3_bucket_server_side_encryption_configuration")
	register((*builder).s3PublicAccess, "aws_s3_bucket_public_access_block")
	register((*builder).s3ACL, "aws_s3_bucket_acl")
	register((*builder).s3Notification, "aws_s3_bucket_notification")
	register((*builder).dynamo, "aws_dynamodb_table")
	register((*builder).kinesis, "aws_kinesis_stream")
	register((*builder).logGroup, "aws_cloudwatch_log_group")
	register((*builder).eventRule, "aws_cloudwatch_event_rule")
	register((*builder).eventTarget, "aws_cloudwatch_event_target")
	register((*builder).wafAssociation, "aws_wafv2_web_acl_association")
	register((*builder).userPool, "aws_cognito_user_pool")
	register((*builder).userPoolClient, "aws_cognito_user_pool_client")
	register((*builder).securityGroup, "aws_security_group")
	register((*builder).securityGroupRule, "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
	register(simple(model.ResKey), "aws_kms_key")
	register(simple(model.ResSecret), "aws_secretsmanager_secret")
	register(simple(model.ResTrail), "aws_cloudtrail")
	register(simple(model.ResParameter), "aws_ssm_parameter")
}

func (b *builder) lambda(in *instance, o *obj) {
	f := &model.Function{ID: in.addr, Pos: in.e.rb.pos, Name: o.str("function_name")}
	f.Runtime = o.str("runtime")
	f.Handler = o.str("handler")
	f.Timeout = o.integer("timeout")
	f.MemoryMB = o.integer("memory_size")
	f.ReservedConcurrency = o.integer("reserved_concurrent_executions")
	if f.ReservedConcurrency.IsKnown() && f.ReservedConcurrency.V < 0 {
		f.ReservedConcurrency = model.Int{} // -1: no reservation
	}
	if a := o.strs("architectures"); len(a) > 0 {
		f.Architecture = a[0]
	}
	f.KMSKey = o.str("kms_key_arn")
	f.Layers = o.strs("layers")
	f.RoleRef = o.str("role")
	f.CodeDir = o.str("filename")
	if env := o.block("environment"); env != nil {
		kvs, unk := env.strMap("variables")
		f.Environment = envVars(kvs)
		if unk.IsUnknown() {
			b.st.note(model.NoteInfo, unk.Pos, "environment of %s not resolved (%s)", in.addr, unk.Why)
		}
	}
	if tc := o.block("tracing_config"); tc != nil {
		m := tc.str("mode")
		switch {
		case m.IsKnown():
			f.Tracing = model.K(strings.EqualFold(m.V, "Active"), m.Pos)
		case m.IsUnknown():
			f.Tracing = model.U[bool](m.Why, m.Pos)
		}
	}
	if v := o.block("vpc_config"); v != nil {
		f.VPC = &model.VPCConfig{Pos: v.pos, SubnetIDs: v.strs("subnet_ids"), SecurityGroupIDs: v.strs("security_group_ids")}
	}
	if d := o.block("dead_letter_config"); d != nil {
		f.DeadLetter = d.str("target_arn")
	}
	f.Tags = tags(o)
	b.addFunction(in, f)
}

func (b *builder) addFunction(in *instance, f *model.Function) {
	b.fns[in.addr] = f
	b.app.Functions = append(b.app.Functions, f)
	b.later = append(b.later, func() {
		if r := b.roleFor(f.RoleRef); r != nil {
			f.Role = r
		}
	})
}

func tags(o *obj) map[string]model.Str {
	kvs, _ := o.strMap("tags")
	if len(kvs) == 0 {
		return nil
	}
	m := map[string]model.Str{}
	for _, e := range kvs {
		m[e.key] = e.val
	}
	return m
}

// finishFunctions links log groups (explicit or implicit) and security
// groups once every resource exists.
func (b *builder) finishFunctions() {
	for _, f := range b.app.Functions {
		if b.app.Provider != model.AWS && f.Platform != (model.Platform{}) {
			continue
		}
		if f.LogGroup != nil || strings.HasPrefix(f.ID, "google_") || strings.HasPrefix(f.ID, "azurerm_") {
			continue
		}
		name := "/aws/lambda/" + f.Name.Or(f.ID)
		for _, r := range b.app.Resources {
			if r.Kind == model.ResLogGroup && r.Name.IsKnown() && (r.Name.V == name || (f.Name.IsKnown() && strings.HasSuffix(r.Name.V, "/"+f.Name.V) && strings.HasPrefix(r.Name.V, "/aws/lambda/"))) {
				f.LogGroup = r
			}
		}
		if f.LogGroup == nil {
			lg := &model.Resource{ID: f.ID + ".log_group", Kind: model.ResLogGroup, Type: "aws_cloudwatch_log_group", Pos: f.Pos, Implicit: true}
			if f.Name.IsKnown() {
				lg.Name = model.K(name, f.Name.Pos)
			}
			f.LogGroup = lg
			b.app.Resources = append(b.app.Resources, lg)
		}
		if f.VPC != nil {
			for _, id := range f.VPC.SecurityGroupIDs {
				if r := b.resFor(id); r != nil && r.Kind == model.ResSecurityGroup {
					f.VPC.SecurityGroups = append(f.VPC.SecurityGroups, r)
				}
			}
		}
	}
}

func (b *builder) permission(in *instance, o *obj) {
	p := &model.Permission{ID: in.addr, Pos: in.e.rb.pos, Target: o.str("function_name"), Action: o.str("action"),
		Principal: o.str("principal"), SourceArn: o.str("source_arn"), SourceAccount: o.str("source_account"), URLAuthType: o.str("function_url_auth_type")}
	b.app.Permissions = append(b.app.Permissions, p)
	b.later = append(b.later, func() {
		if p.Function = b.fnFor(p.Target); p.Function == nil {
			b.unlinked(in, p.Target)
		}
	})
}

func corsOf(c *obj, origins, methods, headers, creds string) *model.CORS {
	if c == nil {
		return nil
	}
	return &model.CORS{Pos: c.pos, Origins: c.strs(origins), Methods: c.strs(methods), Headers: c.strs(headers), Credentials: c.boolean(creds)}
}

func (b *builder) functionURL(in *instance, o *obj) {
	target := o.str("function_name")
	u := &model.FunctionURL{Pos: in.e.rb.pos, AuthType: o.str("authorization_type"),
		CORS: corsOf(o.block("cors"), "allow_origins", "allow_methods", "allow_headers", "allow_credentials")}
	b.later = append(b.later, func() {
		if f := b.fnFor(target); f != nil {
			f.URL = u
		} else {
			b.st.note(model.NoteInfo, in.e.rb.pos, "%s: function %s not found in the configuration", in.addr, describe(target))
		}
	})
}

func describe(s model.Str) string {
	if s.IsUnknown() {
		return s.Why
	}
	return s.V
}

// triggerKindOfARN classifies an event source by its ARN.
func triggerKindOfARN(s model.Str) model.TriggerKind {
	v := s.V
	switch {
	case strings.Contains(v, "aws_sqs_queue") || strings.HasPrefix(v, "arn:aws:sqs:") || strings.Contains(v, ":mq:") || strings.Contains(v, "aws_mq_broker"):
		return model.TriggerQueue
	case strings.Contains(v, "kinesis") || strings.Contains(v, "dynamodb") || strings.Contains(v, ":kafka:") || strings.Contains(v, "aws_msk"):
		return model.TriggerStream
	}
	return model.TriggerOther
}

func (b *builder) eventSourceMapping(in *instance, o *obj) {
	src := o.str("event_source_arn")
	target := o.str("function_name")
	t := &model.Trigger{Type: "aws_lambda_event_source_mapping", Pos: in.e.rb.pos, SourceRef: src,
		BatchSize: o.integer("batch_size"), Enabled: o.boolean("enabled"), MaxRetryAttempts: o.integer("maximum_retry_attempts"),
		BisectOnError: o.boolean("bisect_batch_on_function_error")}
	if d := o.block("destination_config"); d != nil {
		if f := d.block("on_failure"); f != nil {
			t.OnFailure = f.str("destination_arn")
		}
	}
	t.Kind = triggerKindOfARN(src)
	b.later = append(b.later, func() {
		if r := b.resFor(src); r != nil {
			t.Source = r
			switch r.Kind {
			case model.ResQueue:
				t.Kind = model.TriggerQueue
			case model.ResStream, model.ResTable:
				t.Kind = model.TriggerStream
			}
		}
		b.attach(in, target, t)
	})
}

// attach adds a trigger to the function a value names, or notes that the
// function is not part of the configuration.
func (b *builder) attach(in *instance, target model.Str, t *model.Trigger) {
	if f := b.fnFor(target); f != nil {
		f.Triggers = append(f.Triggers, t)
		return
	}
	b.st.note(model.NoteInfo, in.e.rb.pos, "%s: function %s is not declared in this configuration: trigger not modelled", in.addr, describe(target))
	b.unlinked(in, target)
}

// unlinked records a reference to a function resource the configuration
// does not declare (a literal name or ARN is a function deployed
// elsewhere, not a dangling link).
func (b *builder) unlinked(in *instance, target model.Str) {
	ref := target.V
	if target.IsUnknown() {
		ref = target.Why
	}
	if strings.Contains(ref, "aws_lambda_function.") {
		b.app.Unlinked = append(b.app.Unlinked, model.Unlinked{Pos: model.PosOr(in.e.rb.pos, target.Pos), Resource: in.addr, Type: in.e.rb.typ, Ref: ref})
	}
}

func (b *builder) invokeConfig(in *instance, o *obj) {
	target := o.str("function_name")
	retries, age := o.integer("maximum_retry_attempts"), o.integer("maximum_event_age_in_seconds")
	var onFail model.Str
	if d := o.block("destination_config"); d != nil {
		if f := d.block("on_failure"); f != nil {
			onFail = f.str("destination")
		}
	}
	b.later = append(b.later, func() {
		f := b.fnFor(target)
		if f == nil {
			return
		}
		f.MaxRetryAttempts, f.MaxEventAge = retries, age
		if !onFail.IsAbsent() {
			f.OnFailure = onFail
		}
	})
}

func (b *builder) layer(in *instance, o *obj) {
	r := b.addRes(in, model.ResLayer, o)
	setNameARN(r, in, o.str("layer_name"))
	r.ARN = model.K(symbolic(in.addr, "arn"), in.e.rb.pos)
}

func (b *builder) layerPermission(in *instance, o *obj) {
	layer := o.str("layer_name")
	st := &model.Statement{Pos: in.e.rb.pos, Effect: model.K("Allow", in.e.rb.pos), Actions: []model.Str{o.str("action")},
		Principals: []model.Principal{{Type: "AWS", Value: o.str("principal")}}, Policy: in.addr}
	if org := o.str("organization_id"); !org.IsAbsent() {
		st.Conditions = map[string][]model.Str{"aws:principalorgid": {org}}
	}
	b.later = append(b.later, func() {
		if r := b.resFor(layer); r != nil {
			r.Policy = append(r.Policy, st)
		}
	})
}

func (b *builder) iamRole(in *instance, o *obj) {
	r := &model.Role{ID: in.addr, Name: o.str("name"), Pos: in.e.rb.pos}
	if r.Name.IsAbsent() {
		r.Name = model.K(symbolic(in.addr, "name"), in.e.rb.pos)
	}
	r.Trust, _ = o.policy("assume_role_policy", in.addr+".assume_role_policy")
	for _, ip := range o.all("inline_policy") {
		name := ip.str("name").Or(in.addr + ".inline_policy")
		s, _ := ip.policy("policy", name)
		r.Statements = append(r.Statements, s...)
	}
	r.ManagedPolicies = o.strs("managed_policy_arns")
	r.Boundary = o.str("permissions_boundary")
	b.role[in.addr] = r
	b.app.Roles = append(b.app.Roles, r)
}

func (b *builder) iamPolicy(in *instance, o *obj) {
	name := o.str("name")
	s, _ := o.policy("policy", name.Or(in.addr))
	b.policies[in.addr] = &managedPolicy{name: name, stmts: s}
}

func (b *builder) iamRolePolicy(in *instance, o *obj) {
	role := o.str("role")
	name := o.str("name").Or(in.addr)
	s, _ := o.policy("policy", name)
	b.later = append(b.later, func() {
		r := b.roleFor(role)
		if r == nil {
			b.st.note(model.NoteInfo, in.e.rb.pos, "%s: role %s is not declared in this configuration", in.addr, describe(role))
			return
		}
		r.Statements = append(r.Statements, s...)
	})
}

func (b *builder) iamAttachment(in *instance, o *obj) {
	arn := o.str("policy_arn")
	var roles []model.Str
	if in.e.rb.typ == "aws_iam_role_policy_attachment" {
		roles = []model.Str{o.str("role")}
	} else {
		roles = o.strs("roles")
	}
	b.later = append(b.later, func() {
		for _, rs := range roles {
			r := b.roleFor(rs)
			if r == nil {
				continue
			}
			if p := b.policies[addrOf(arn)]; p != nil {
				for _, s := range p.stmts {
					c := *s
					r.Statements = append(r.Statements, &c)
				}
				continue
			}
			r.ManagedPolicies = append(r.ManagedPolicies, arn)
		}
	})
}

// API Gateway (REST).

type restMethod struct {
	in             *instance
	api, res, verb model.Str
	auth           model.Str
	authorizer     model.Str
	apiKey         model.Bool
}

type apiState struct {
	methods      []*restMethod
	authorizers  map[string]*model.Resource // address -> authorizer (as a resource)
	authType     map[string]model.Str
	audience     map[string][]model.Str
	paths        map[string]model.Str
	integrations map[string]model.Str // v2 integration address -> target function
	corsByAPI    map[string]*model.CORS
}

func (b *builder) api() *apiState {
	if b.apis == nil {
		b.apis = &apiState{authorizers: map[string]*model.Resource{}, authType: map[string]model.Str{}, audience: map[string][]model.Str{}, paths: map[string]model.Str{}, integrations: map[string]model.Str{}}
	}
	return b.apis
}

func (b *builder) restAPI(in *instance, o *obj) {
	r := b.addRes(in, model.ResAPI, o)
	setNameARN(r, in, o.str("name"))
	r.Protocol = model.K("REST", in.e.rb.pos)
	if ec := o.block("endpoint_configuration"); ec != nil {
		if t := ec.strs("types"); len(t) > 0 {
			r.EndpointType = t[0]
		}
	}
	r.Policy, _ = o.policy("policy", in.addr+".policy")
}

func (b *builder) restResource(in *instance, o *obj) {
	b.api().paths[in.addr] = o.str("path_part")
}

func (b *builder) restMethod(in *instance, o *obj) {
	m := &restMethod{in: in, api: o.str("rest_api_id"), res: o.str("resource_id"), verb: o.str("http_method"),
		auth: o.str("authorization"), authorizer: o.str("authorizer_id"), apiKey: o.boolean("api_key_required")}
	b.api().methods = append(b.api().methods, m)
}

func (b *builder) restAuthorizer(in *instance, o *obj) {
	r := b.addRes(in, model.ResOther, o)
	setNameARN(r, in, o.str("name"))
	typ := o.str("type")
	if typ.IsAbsent() {
		typ = o.str("authorizer_type")
	}
	b.api().authType[in.addr] = typ
	if jc := o.block("jwt_configuration"); jc != nil {
		b.api().audience[in.addr] = jc.strs("audience")
	}
	attr(r, "authorizer.type", typ)
}

func sameRef(a, b model.Str) bool {
	if !a.IsKnown() || !b.IsKnown() {
		return false
	}
	if a.V == b.V {
		return true
	}
	aa, ab := addrOf(a), addrOf(b)
	return aa != "" && aa == ab
}

func authKind(s model.Str) model.Val[model.AuthKind] {
	switch s.State {
	case model.Absent:
		return model.Val[model.AuthKind]{}
	case model.Unknown:
		return model.U[model.AuthKind](s.Why, s.Pos)
	}
	switch strings.ToUpper(s.V) {
	case "NONE":
		return model.K(model.AuthNone, s.Pos)
	case "AWS_IAM":
		return model.K(model.AuthIAM, s.Pos)
	case "CUSTOM", "REQUEST", "TOKEN":
		return model.K(model.AuthCustom, s.Pos)
	case "COGNITO_USER_POOLS":
		return model.K(model.AuthCognito, s.Pos)
	case "JWT":
		return model.K(model.AuthJWT, s.Pos)
	}
	return model.U[model.AuthKind]("authorization "+s.V, s.Pos)
}

func (b *builder) restIntegration(in *instance, o *obj) {
	api, res, verb, uri := o.str("rest_api_id"), o.str("resource_id"), o.str("http_method"), o.str("uri")
	b.later = append(b.later, func() {
		f := b.fnFor(uri)
		if f == nil {
			return
		}
		t := &model.Trigger{Kind: model.TriggerHTTP, Type: "aws_api_gateway_integration", Pos: in.e.rb.pos, Method: verb}
		if a := b.resFor(api); a != nil && a.Kind == model.ResAPI {
			t.API = a
			t.Public = model.K(!(a.EndpointType.IsKnown() && strings.EqualFold(a.EndpointType.V, "PRIVATE")), a.Pos)
			if a.EndpointType.IsUnknown() {
				t.Public = model.U[bool](a.EndpointType.Why, a.EndpointType.Pos)
			}
		}
		if p, ok := b.api().paths[addrOf(res)]; ok {
			t.Path = p
		}
		for _, m := range b.api().methods {
			if sameRef(m.api, api) && sameRef(m.res, res) && sameRef(m.verb, verb) {
				t.Pos = m.in.e.rb.pos
				t.Auth = authKind(m.auth)
				if t.Auth.IsAbsent() {
					t.Auth = model.K(model.AuthNone, m.in.e.rb.pos)
				}
				t.Authorizer = m.authorizer
				t.APIKeyRequired = m.apiKey
				if k, ok := b.api().authType[addrOf(m.authorizer)]; ok && t.Auth.IsKnown() && t.Auth.V == model.AuthCustom {
					if a := authKind(k); a.IsKnown() {
						t.Auth.V = a.V
					}
				}
			}
		}
		f.Triggers = append(f.Triggers, t)
	})
}

func (b *builder) restStage(in *instance, o *obj) {
	r := b.addRes(in, model.ResStage, o)
	setNameARN(r, in, o.str("stage_name"))
	r.Tracing = o.boolean("xray_tracing_enabled")
	if al := o.block("access_log_settings"); al != nil {
		r.AccessLogging = model.K(true, al.pos)
	}
	r.CacheEncrypted = model.Bool{}
	api := o.str("rest_api_id")
	b.later = append(b.later, func() {
		if a := b.resFor(api); a != nil {
			a.Stages = append(a.Stages, r)
		}
	})
}

// stageFor finds a stage by API and stage name.
func (b *builder) stageFor(api, name model.Str) *model.Resource {
	if r := b.resFor(name); r != nil && r.Kind == model.ResStage {
		return r
	}
	a := b.resFor(api)
	if a == nil {
		return nil
	}
	for _, s := range a.Stages {
		if sameRef(s.Name, name) {
			return s
		}
	}
	return nil
}

func (b *builder) restMethodSettings(in *instance, o *obj) {
	api, stage := o.str("rest_api_id"), o.str("stage_name")
	s := o.block("settings")
	if s == nil {
		return
	}
	dt, lv, burst, rate := s.boolean("data_trace_enabled"), s.str("logging_level"), s.integer("throttling_burst_limit"), s.integer("throttling_rate_limit")
	cache := s.boolean("cache_data_encrypted")
	metrics := s.boolean("metrics_enabled")
	b.later = append(b.later, func() {
		r := b.stageFor(api, stage)
		if r == nil {
			return
		}
		r.DataTrace, r.ExecutionLogs = dt, lv
		if !burst.IsAbsent() || !rate.IsAbsent() {
			r.Throttle = &model.Throttle{Pos: s.pos, Burst: burst, Rate: rate}
		}
		if !cache.IsAbsent() {
			r.CacheEncrypted = cache
		}
		attr(r, "metrics", boolStr(metrics))
	})
}

func (b *builder) usagePlan(in *instance, o *obj) {
	var thr *model.Throttle
	if t := o.block("throttle_settings"); t != nil {
		thr = &model.Throttle{Pos: t.pos, Burst: t.integer("burst_limit"), Rate: t.integer("rate_limit")}
	}
	for _, as := range o.all("api_stages") {
		api, stage := as.str("api_id"), as.str("stage")
		pos := as.pos
		b.later = append(b.later, func() {
			r := b.stageFor(api, stage)
			if r == nil {
				return
			}
			r.UsagePlan = model.K(true, pos)
			if r.Throttle == nil && thr != nil {
				r.Throttle = thr
			}
		})
	}
}

func (b *builder) domainName(in *instance, o *obj) {
	r := b.addRes(in, model.ResOther, o)
	setNameARN(r, in, o.str("domain_name"))
	r.MinTLSVersion = o.str("security_policy")
	if c := o.block("domain_name_configuration"); c != nil {
		r.MinTLSVersion = c.str("security_policy")
	}
}

// API Gateway v2 (HTTP and WebSocket APIs).

func (b *builder) httpAPI(in *instance, o *obj) {
	r := b.addRes(in, model.ResAPI, o)
	setNameARN(r, in, o.str("name"))
	r.Protocol = o.str("protocol_type")
	cors := corsOf(o.block("cors_configuration"), "allow_origins", "allow_methods", "allow_headers", "allow_credentials")
	if cors != nil {
		attr(r, "cors", model.K("configured", cors.Pos))
	}
	b.api().cors(in.addr, cors)
	if tgt := o.str("target"); !tgt.IsAbsent() { // quick create: a default route to the function
		b.later = append(b.later, func() {
			if f := b.fnFor(tgt); f != nil {
				f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerHTTP, Type: "aws_apigatewayv2_api", Pos: tgt.Pos, API: r,
					Path: model.K("$default", tgt.Pos), Auth: model.K(model.AuthNone, tgt.Pos), Public: model.K(true, tgt.Pos), CORS: cors})
			}
		})
	}
}

func (a *apiState) cors(addr string, c *model.CORS) {
	if a.corsByAPI == nil {
		a.corsByAPI = map[string]*model.CORS{}
	}
	a.corsByAPI[addr] = c
}

func (b *builder) httpIntegration(in *instance, o *obj) {
	b.api().integrations[in.addr] = o.str("integration_uri")
}

func (b *builder) httpRoute(in *instance, o *obj) {
	api, key, target := o.str("api_id"), o.str("route_key"), o.str("target")
	auth, authorizer := o.str("authorization_type"), o.str("authorizer_id")
	pos := in.e.rb.pos
	b.later = append(b.later, func() {
		uri, ok := b.api().integrations[addrOf(target)]
		if !ok {
			return
		}
		f := b.fnFor(uri)
		if f == nil {
			return
		}
		t := &model.Trigger{Kind: model.TriggerHTTP, Type: "aws_apigatewayv2_route", Pos: pos, Authorizer: authorizer, Public: model.K(true, pos)}
		if key.IsKnown() {
			if m, p, ok := strings.Cut(key.V, " "); ok {
				t.Method, t.Path = model.K(m, key.Pos), model.K(p, key.Pos)
			} else {
				t.Path = key
			}
		}
		if a := b.resFor(api); a != nil {
			t.API = a
			if a.Protocol.IsKnown() && strings.EqualFold(a.Protocol.V, "WEBSOCKET") {
				t.Kind = model.TriggerWebSocket
			}
			t.CORS = b.api().corsByAPI[a.ID]
		}
		t.Auth = authKind(auth)
		if t.Auth.IsAbsent() {
			t.Auth = model.K(model.AuthNone, pos)
		}
		t.JWTAudience = b.api().audience[addrOf(authorizer)]
		f.Triggers = append(f.Triggers, t)
	})
}

func (b *builder) httpStage(in *instance, o *obj) {
	r := b.addRes(in, model.ResStage, o)
	setNameARN(r, in, o.str("name"))
	if al := o.block("access_log_settings"); al != nil {
		r.AccessLogging = model.K(true, al.pos)
	}
	if s := o.block("default_route_settings"); s != nil {
		r.DataTrace, r.ExecutionLogs = s.boolean("data_trace_enabled"), s.str("logging_level")
		burst, rate := s.integer("throttling_burst_limit"), s.integer("throttling_rate_limit")
		if !burst.IsAbsent() || !rate.IsAbsent() {
			r.Throttle = &model.Throttle{Pos: s.pos, Burst: burst, Rate: rate}
		}
	}
	api := o.str("api_id")
	b.later = append(b.later, func() {
		if a := b.resFor(api); a != nil {
			a.Stages = append(a.Stages, r)
		}
	})
}

// Queues, topics, buckets, tables, streams, logs.

func encryptionOf(key model.Str, awsAlias string) model.Str {
	switch {
	case key.IsUnknown():
		return model.U[string](key.Why, key.Pos)
	case key.IsKnown() && key.V == "":
		return model.K("none", key.Pos)
	case key.IsKnown() && strings.EqualFold(key.V, awsAlias):
		return model.K("service", key.Pos)
	case key.IsKnown():
		return model.K("kms", key.Pos)
	}
	return model.Str{}
}

func (b *builder) sqs(in *instance, o *obj) {
	r := b.addRes(in, model.ResQueue, o)
	setNameARN(r, in, o.str("name"))
	r.KMSKey = o.str("kms_master_key_id")
	r.Encryption = encryptionOf(r.KMSKey, "alias/aws/sqs")
	if r.Encryption.IsAbsent() {
		if sse := o.boolean("sqs_managed_sse_enabled"); sse.IsKnown() {
			r.Encryption = model.K(map[bool]string{true: "service", false: "none"}[sse.V], sse.Pos)
		}
	}
	r.VisibilityTimeout = o.integer("visibility_timeout_seconds")
	r.Policy, _ = o.policy("policy", in.addr+".policy")
	attr(r, "url", model.K(symbolic(in.addr, "url"), in.e.rb.pos))
}

func (b *builder) sns(in *instance, o *obj) {
	r := b.addRes(in, model.ResTopic, o)
	setNameARN(r, in, o.str("name"))
	r.KMSKey = o.str("kms_master_key_id")
	r.Encryption = encryptionOf(r.KMSKey, "alias/aws/sns")
	r.Policy, _ = o.policy("policy", in.addr+".policy")
}

// resourcePolicy attaches an aws_sqs_queue_policy / aws_sns_topic_policy /
// aws_s3_bucket_policy to its resource.
func (b *builder) resourcePolicy(in *instance, o *obj) {
	var target model.Str
	switch in.e.rb.typ {
	case "aws_sqs_queue_policy":
		target = o.str("queue_url")
	case "aws_sns_topic_policy":
		target = o.str("arn")
	default:
		target = o.str("bucket")
	}
	s, _ := o.policy("policy", in.addr)
	kind := map[string]model.ResourceKind{"aws_sqs_queue_policy": model.ResQueue, "aws_sns_topic_policy": model.ResTopic}[in.e.rb.typ]
	if kind == "" {
		kind = model.ResBucket
	}
	b.later = append(b.later, func() {
		r := b.resFor(target)
		if r == nil {
			// The queue, topic or bucket lives elsewhere (another stack,
			// created by hand): the policy still opens it, so it is
			// modelled as a stand-in resource named by the policy.
			b.st.note(model.NoteInfo, in.e.rb.pos, "%s: target %s is not declared in this configuration; its policy is checked on its own", in.addr, describe(target))
			r = b.addRes(in, kind, o)
			r.Name = target
		}
		r.Policy = append(r.Policy, s...)
	})
}

func (b *builder) snsSubscription(in *instance, o *obj) {
	proto, topic, endpoint := o.str("protocol"), o.str("topic_arn"), o.str("endpoint")
	if !proto.IsKnown() || proto.V != "lambda" {
		return
	}
	b.later = append(b.later, func() {
		t := &model.Trigger{Kind: model.TriggerTopic, Type: "aws_sns_topic_subscription", Pos: in.e.rb.pos, SourceRef: topic, Source: b.resFor(topic)}
		b.attach(in, endpoint, t)
	})
}

func (b *builder) s3(in *instance, o *obj) {
	r := b.addRes(in, model.ResBucket, o)
	setNameARN(r, in, o.str("bucket"))
	if acl := o.str("acl"); acl.IsKnown() {
		r.PublicACL = model.K(strings.HasPrefix(acl.V, "public-") || acl.V == "authenticated-read", acl.Pos)
	}
	r.Policy, _ = o.policy("policy", in.addr+".policy")
	if sse := o.block("server_side_encryption_configuration"); sse != nil {
		setS3Encryption(r, sse)
	}
	if v := o.block("versioning"); v != nil {
		attr(r, "bucket.versioning", boolStr(v.boolean("enabled")))
	}
}

func setS3Encryption(r *model.Resource, sse *obj) {
	for _, rule := range sse.all("rule") {
		for _, d := range rule.all("apply_server_side_encryption_by_default") {
			alg := d.str("sse_algorithm")
			r.KMSKey = d.str("kms_master_key_id")
			switch {
			case alg.IsKnown() && strings.HasPrefix(alg.V, "aws:kms") && r.KMSKey.IsKnown():
				r.Encryption = model.K("kms", alg.Pos)
			case alg.IsKnown():
				r.Encryption = model.K("service", alg.Pos)
			case alg.IsUnknown():
				r.Encryption = alg
			}
		}
	}
}

func (b *builder) s3Encryption(in *instance, o *obj) {
	bucket := o.str("bucket")
	b.later = append(b.later, func() {
		if r := b.resFor(bucket); r != nil {
			setS3Encryption(r, o)
		}
	})
}

func (b *builder) s3PublicAccess(in *instance, o *obj) {
	bucket := o.str("bucket")
	all := model.K(true, in.e.rb.pos)
	for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		v := o.boolean(k)
		switch {
		case v.IsUnknown():
			all = v
		case !v.IsKnown() || !v.V:
			if all.IsKnown() {
				all = model.K(false, model.PosOr(in.e.rb.pos, v.Pos))
			}
		}
	}
	b.later = append(b.later, func() {
		if r := b.resFor(bucket); r != nil {
			r.PublicAccessBlocked = all
		}
	})
}

func (b *builder) s3ACL(in *instance, o *obj) {
	bucket, acl := o.str("bucket"), o.str("acl")
	b.later = append(b.later, func() {
		if r := b.resFor(bucket); r != nil && acl.IsKnown() {
			r.PublicACL = model.K(strings.HasPrefix(acl.V, "public-") || acl.V == "authenticated-read", acl.Pos)
		}
	})
}

func (b *builder) s3Notification(in *instance, o *obj) {
	bucket := o.str("bucket")
	for _, l := range o.all("lambda_function") {
		fn := l.str("lambda_function_arn")
		pos := l.pos
		b.later = append(b.later, func() {
			t := &model.Trigger{Kind: model.TriggerStorage, Type: "aws_s3_bucket_notification", Pos: pos, SourceRef: bucket, Source: b.resFor(bucket)}
			b.attach(in, fn, t)
		})
	}
}

func (b *builder) dynamo(in *instance, o *obj) {
	r := b.addRes(in, model.ResTable, o)
	setNameARN(r, in, o.str("name"))
	if s := o.block("server_side_encryption"); s != nil {
		en := s.boolean("enabled")
		r.KMSKey = s.str("kms_key_arn")
		switch {
		case en.IsKnown() && en.V:
			r.Encryption = model.K("kms", en.Pos)
		case en.IsKnown():
			r.Encryption = model.K("service", en.Pos)
		}
	}
	if p := o.block("point_in_time_recovery"); p != nil {
		r.PointInTime = p.boolean("enabled")
	}
}

func (b *builder) kinesis(in *instance, o *obj) {
	r := b.addRes(in, model.ResStream, o)
	setNameARN(r, in, o.str("name"))
	r.KMSKey = o.str("kms_key_id")
	if e := o.str("encryption_type"); e.IsKnown() {
		r.Encryption = model.K(map[bool]string{true: "kms", false: "none"}[strings.EqualFold(e.V, "KMS")], e.Pos)
	}
}

func (b *builder) logGroup(in *instance, o *obj) {
	r := b.addRes(in, model.ResLogGroup, o)
	setNameARN(r, in, o.str("name"))
	r.RetentionDays = o.integer("retention_in_days")
	r.KMSKey = o.str("kms_key_id")
	if r.KMSKey.IsKnown() {
		r.Encryption = model.K("kms", r.KMSKey.Pos)
	}
}

func (b *builder) eventRule(in *instance, o *obj) {
	r := b.addRes(in, model.ResOther, o)
	setNameARN(r, in, o.str("name"))
	sched := o.str("schedule_expression")
	attr(r, "schedule", sched)
	attr(r, "event_pattern", o.str("event_pattern"))
}

func (b *builder) eventTarget(in *instance, o *obj) {
	rule, arn := o.str("rule"), o.str("arn")
	b.later = append(b.later, func() {
		t := &model.Trigger{Kind: model.TriggerEventBus, Type: "aws_cloudwatch_event_target", Pos: in.e.rb.pos, SourceRef: rule}
		if r := b.resFor(rule); r != nil {
			t.Source = r
			if _, ok := r.Attrs["schedule"]; ok {
				t.Kind = model.TriggerSchedule
			}
		}
		if b.fnFor(arn) != nil {
			b.attach(in, arn, t)
		}
	})
}

func (b *builder) wafAssociation(in *instance, o *obj) {
	r := b.addRes(in, model.ResWAF, o)
	target := o.str("resource_arn")
	attr(r, "resource_arn", target)
	b.later = append(b.later, func() {
		if t := b.resFor(target); t != nil {
			t.WAF = model.K(true, in.e.rb.pos)
		}
	})
}

func (b *builder) userPool(in *instance, o *obj) {
	r := b.addRes(in, model.ResUserPool, o)
	setNameARN(r, in, o.str("name"))
	u := &model.UserPoolSettings{MFA: o.str("mfa_configuration")}
	if p := o.block("password_policy"); p != nil {
		u.MinLength = p.integer("minimum_length")
		u.RequireLower, u.RequireUpper = p.boolean("require_lowercase"), p.boolean("require_uppercase")
		u.RequireNumbers, u.RequireSymbols = p.boolean("require_numbers"), p.boolean("require_symbols")
	}
	if a := o.block("user_pool_add_ons"); a != nil {
		u.AdvancedSecurity = a.str("advanced_security_mode")
	}
	r.UserPool = u
}

func (b *builder) userPoolClient(in *instance, o *obj) {
	r := b.addRes(in, model.ResUserPoolClient, o)
	setNameARN(r, in, o.str("name"))
	r.UserPool = &model.UserPoolSettings{ExplicitAuthFlows: o.strs("explicit_auth_flows")}
}

func netRules(o *obj, kind string) []model.NetRule {
	var out []model.NetRule
	for _, r := range o.all(kind) {
		proto, from, to := r.str("protocol"), r.integer("from_port"), r.integer("to_port")
		for _, c := range append(r.strs("cidr_blocks"), r.strs("ipv6_cidr_blocks")...) {
			out = append(out, model.NetRule{Pos: r.pos, CIDR: c, Protocol: proto, FromPort: from, ToPort: to})
		}
	}
	return out
}

func (b *builder) securityGroup(in *instance, o *obj) {
	r := b.addRes(in, model.ResSecurityGroup, o)
	setNameARN(r, in, o.str("name"))
	r.Ingress = netRules(o, "ingress")
	r.Egress = netRules(o, "egress")
}

func (b *builder) securityGroupRule(in *instance, o *obj) {
	sg := o.str("security_group_id")
	typ := o.str("type")
	switch in.e.rb.typ {
	case "aws_vpc_security_group_ingress_rule":
		typ = model.K("ingress", in.e.rb.pos)
	case "aws_vpc_security_group_egress_rule":
		typ = model.K("egress", in.e.rb.pos)
	}
	proto := o.str("protocol")
	if proto.IsAbsent() {
		proto = o.str("ip_protocol")
	}
	from, to := o.integer("from_port"), o.integer("to_port")
	cidrs := append(o.strs("cidr_blocks"), o.strs("ipv6_cidr_blocks")...)
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
		if c := o.str(k); !c.IsAbsent() {
			cidrs = append(cidrs, c)
		}
	}
	b.later = append(b.later, func() {
		r := b.resFor(sg)
		if r == nil || !typ.IsKnown() {
			return
		}
		for _, c := range cidrs {
			nr := model.NetRule{Pos: in.e.rb.pos, CIDR: c, Protocol: proto, FromPort: from, ToPort: to}
			if typ.V == "ingress" {
				r.Ingress = append(r.Ingress, nr)
			} else {
				r.Egress = append(r.Egress, nr)
			}
		}
	})
}

// simple models resources whose name, key and policy are all rules read.
func simple(kind model.ResourceKind) func(*builder, *instance, *obj) {
	return func(b *builder, in *instance, o *obj) {
		r := b.addRes(in, kind, o)
		name := o.str("name")
		if name.IsAbsent() {
			name = o.str("description")
		}
		setNameARN(r, in, name)
		r.KMSKey = o.str("kms_key_id")
		if r.KMSKey.IsKnown() {
			r.Encryption = model.K("kms", r.KMSKey.Pos)
		}
		switch kind {
		case model.ResKey:
			attr(r, "key.rotation", boolStr(o.boolean("enable_key_rotation")))
			r.Policy, _ = o.policy("policy", in.addr+".policy")
		case model.ResTrail:
			attr(r, "trail.multi_region", boolStr(o.boolean("is_multi_region_trail")))
			attr(r, "trail.log_validation", boolStr(o.boolean("enable_log_file_validation")))
			r.KMSKey = o.str("kms_key_id")
		case model.ResParameter:
			attr(r, "parameter.type", o.str("type"))
		}
	}
}
