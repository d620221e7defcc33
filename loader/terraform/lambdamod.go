package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/faasguard/faasguard/model"
)

// isLambdaModule reports whether a registry source is the
// terraform-aws-modules/lambda/aws module (any version, registry or GitHub).
func isLambdaModule(src string) bool {
	s := strings.ToLower(src)
	return strings.HasPrefix(s, "terraform-aws-modules/lambda/aws") ||
		strings.Contains(s, "github.com/terraform-aws-modules/terraform-aws-lambda")
}

// lambdaModule models a call of terraform-aws-modules/lambda/aws from its
// documented inputs and defaults: the function, its role (created by the
// module unless create_role = false), its log group, function URL and
// allowed triggers.
func (b *builder) lambdaModule(in *instance, o *obj) {
	pos := in.e.rb.pos
	orTrue := func(name string) bool { v := o.boolean(name); return !v.IsKnown() || v.V }
	isTrue := func(name string) bool { return model.IsTrue(o.boolean(name)) }
	if !orTrue("create") || !orTrue("create_function") {
		return
	}
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("function_name")}
	f.Runtime, f.Handler = o.str("runtime"), o.str("handler")
	f.Timeout, f.MemoryMB = o.integer("timeout"), o.integer("memory_size")
	f.ReservedConcurrency = o.integer("reserved_concurrent_executions")
	if f.ReservedConcurrency.IsKnown() && f.ReservedConcurrency.V < 0 {
		f.ReservedConcurrency = model.Int{}
	}
	f.KMSKey = o.str("kms_key_arn")
	f.Layers = o.strs("layers")
	if sp := o.str("source_path"); sp.IsKnown() {
		f.CodeDir = sp
	}
	kvs, unk := o.strMap("environment_variables")
	f.Environment = envVars(kvs)
	if unk.IsUnknown() {
		b.st.note(model.NoteInfo, unk.Pos, "environment of %s not resolved (%s)", in.addr, unk.Why)
	}
	if tm := o.str("tracing_mode"); tm.IsKnown() {
		f.Tracing = model.K(strings.EqualFold(tm.V, "Active"), tm.Pos)
	} else if tm.IsUnknown() {
		f.Tracing = model.U[bool](tm.Why, tm.Pos)
	}
	f.DeadLetter = o.str("dead_letter_target_arn")
	if o.has("vpc_subnet_ids") || o.has("vpc_security_group_ids") {
		f.VPC = &model.VPCConfig{Pos: o.attrPos("vpc_subnet_ids"), SubnetIDs: o.strs("vpc_subnet_ids"), SecurityGroupIDs: o.strs("vpc_security_group_ids")}
	}
	f.Tags = tags(o)

	// The log group the module creates, with its retention.
	if !isTrue("use_existing_cloudwatch_log_group") { // otherwise it exists elsewhere and links by name
		lg := &model.Resource{ID: in.addr + ".aws_cloudwatch_log_group.lambda", Kind: model.ResLogGroup, Type: "aws_cloudwatch_log_group", Pos: pos, Implicit: true,
			RetentionDays: o.integer("cloudwatch_logs_retention_in_days"), KMSKey: o.str("cloudwatch_logs_kms_key_id")}
		if f.Name.IsKnown() {
			lg.Name = model.K("/aws/lambda/"+f.Name.V, f.Name.Pos)
		}
		if lg.KMSKey.IsKnown() {
			lg.Encryption = model.K("kms", lg.KMSKey.Pos)
		}
		f.LogGroup = lg
		b.app.Resources = append(b.app.Resources, lg)
	}

	// The role: the module's own per-function role, or lambda_role.
	if orTrue("create_role") {
		r := &model.Role{ID: in.addr + ".aws_iam_role.lambda", Name: o.str("role_name"), Pos: pos, PerFunction: true, Implicit: true}
		if r.Name.IsAbsent() {
			r.Name = f.Name
		}
		r.Trust = []*model.Statement{{Pos: pos, Effect: model.K("Allow", pos), Actions: []model.Str{model.K("sts:AssumeRole", pos)},
			Principals: []model.Principal{{Type: "Service", Value: model.K("lambda.amazonaws.com", pos)}}, Origin: "terraform-aws-modules/lambda"}}
		if orTrue("attach_cloudwatch_logs_policy") {
			res := model.U[string]("log group ARN of "+in.addr, pos)
			if f.Name.IsKnown() {
				res = model.K("arn:aws:logs:*:*:log-group:/aws/lambda/"+f.Name.V+":*", pos)
			}
			r.Statements = append(r.Statements, &model.Statement{Pos: pos, Effect: model.K("Allow", pos),
				Actions:   []model.Str{model.K("logs:CreateLogGroup", pos), model.K("logs:CreateLogStream", pos), model.K("logs:PutLogEvents", pos)},
				Resources: []model.Str{res}, Origin: "terraform-aws-modules/lambda:logs", Policy: in.addr + ".logs"})
		}
		if isTrue("attach_policy_statements") {
			r.Statements = append(r.Statements, b.moduleStatements(o, "policy_statements", in.addr)...)
		}
		if isTrue("attach_policy_json") {
			s, _ := o.policy("policy_json", in.addr+".policy_json")
			r.Statements = append(r.Statements, s...)
		}
		if isTrue("attach_policy_jsons") {
			b.st.note(model.NoteInfo, o.attrPos("policy_jsons"), "%s: policy_jsons not modelled", in.addr)
		}
		if isTrue("attach_policies") {
			r.ManagedPolicies = append(r.ManagedPolicies, o.strs("policies")...)
		}
		if isTrue("attach_policy") {
			r.ManagedPolicies = append(r.ManagedPolicies, o.str("policy"))
		}
		b.role[r.ID] = r
		b.app.Roles = append(b.app.Roles, r)
		f.Role = r
	} else {
		f.RoleRef = o.str("lambda_role")
	}

	if isTrue("create_lambda_function_url") {
		auth := o.str("authorization_type")
		if auth.IsAbsent() {
			auth = model.K("NONE", o.attrPos("create_lambda_function_url")) // the module's default
		}
		f.URL = &model.FunctionURL{Pos: o.attrPos("create_lambda_function_url"), AuthType: auth}
		if c := o.block("cors"); c != nil {
			f.URL.CORS = corsOf(c, "allow_origins", "allow_methods", "allow_headers", "allow_credentials")
		}
	}

	// allowed_triggers become lambda permissions.
	if o.has("allowed_triggers") {
		v, apos, state, _ := o.raw("allowed_triggers")
		var items map[string]model.Pos
		if oc, ok := o.expr("allowed_triggers").(*hclsyntax.ObjectConsExpr); ok {
			items = map[string]model.Pos{}
			for _, it := range oc.Items {
				if k := keyName(it.KeyExpr); k != "" {
					items[k] = toPos(it.KeyExpr.Range())
				}
			}
		}
		if state == model.Known && (v.Type().IsObjectType() || v.Type().IsMapType()) {
			var keys []string
			for it := v.ElementIterator(); it.Next(); {
				k, _ := it.Element()
				keys = append(keys, k.AsString())
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := apos
				if ip, ok := items[k]; ok {
					p = ip
				}
				t := valObj(o.sc, v.GetAttr(k), p)
				perm := &model.Permission{ID: in.addr + ".allowed_triggers." + k, Pos: p, Function: f, Target: f.Name,
					Action: t.str("action"), Principal: t.str("principal"), SourceArn: t.str("source_arn"), SourceAccount: t.str("source_account")}
				if perm.Action.IsAbsent() {
					perm.Action = model.K("lambda:InvokeFunction", p)
				}
				if perm.Principal.IsAbsent() {
					if svc := t.str("service"); svc.IsKnown() {
						perm.Principal = model.K(svc.V+".amazonaws.com", svc.Pos)
					} else {
						perm.Principal = svc
					}
				}
				b.app.Permissions = append(b.app.Permissions, perm)
			}
		}
	}
	b.fns[in.addr] = f
	b.app.Functions = append(b.app.Functions, f)
	if f.Role == nil {
		b.later = append(b.later, func() { f.Role = b.roleFor(f.RoleRef) })
	}
}

// moduleStatements reads the module's policy_statements: a map (or list)
// of {effect, actions, not_actions, resources, not_resources, principals,
// condition} objects.
func (b *builder) moduleStatements(o *obj, name, addr string) []*model.Statement {
	v, pos, state, why := o.raw(name)
	if state != model.Known {
		if state == model.Unknown {
			b.st.note(model.NoteInfo, pos, "%s of %s not resolved (%s)", name, addr, why)
		}
		return nil
	}
	var syn hclsyntax.Expression
	if e, ok := o.expr(name).(hclsyntax.Expression); ok {
		syn = e
	}
	g := fromCty(v, syn, pos, why, 0)
	var elems []*gnode
	switch g.kind {
	case 'o':
		elems = g.vals
	case 'l':
		elems = g.list
	}
	var out []*model.Statement
	for _, e := range elems {
		if e.kind != 'o' {
			continue
		}
		s := &model.Statement{Pos: e.pos, Policy: addr + "." + name, Effect: gStr(e.get("effect")),
			Actions: gStrs(e.get("actions")), NotActions: gStrs(e.get("not_actions")),
			Resources: gStrs(e.get("resources")), NotResources: gStrs(e.get("not_resources"))}
		if s.Effect.IsAbsent() {
			s.Effect = model.K("Allow", e.pos)
		}
		if ps := e.get("principals"); ps != nil && ps.kind == 'l' {
			for _, p := range ps.list {
				typ := gStr(p.get("type")).Or("*")
				for _, id := range gStrs(p.get("identifiers")) {
					s.Principals = append(s.Principals, model.Principal{Type: typ, Value: id})
				}
			}
		}
		if cs := e.get("condition"); cs != nil && cs.kind == 'l' {
			for _, c := range cs.list {
				k := gStr(c.get("variable"))
				if !k.IsKnown() {
					continue
				}
				if s.Conditions == nil {
					s.Conditions = map[string][]model.Str{}
				}
				key := strings.ToLower(k.V)
				s.Conditions[key] = append(s.Conditions[key], gStrs(c.get("values"))...)
			}
		}
		out = append(out, s)
	}
	return out
}
