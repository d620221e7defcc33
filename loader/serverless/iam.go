package serverless

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

const (
	sharedRoleID     = "IamRoleLambdaExecution" // the framework's logical ID
	originLogs       = "serverless:logs"
	originTracing    = "serverless:tracing"
	originEventGrant = "serverless:event-source"
	vpcPolicy        = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
	perFunctionName  = "serverless-iam-roles-per-function"
)

// providerIAM reads the provider-level role settings of v2
// (iamRoleStatements, iamManagedPolicies, role) and v3/v4 (iam.role as a
// name/ARN or as {name, statements, managedPolicies, permissionsBoundary}).
func (b *builder) providerIAM() {
	if r, ok := lookup(b.prov, "role"); ok {
		b.providerRole = b.ref(r)
	}
	role := get(b.prov, "iam", "role")
	if role != nil && (role.Kind == yaml.ScalarNode || intrinsicOrRef(role)) {
		b.providerRole = b.ref(role)
		role = nil
	}
	b.providerStmts = append(b.providerStmts, b.statements(get(b.prov, "iamRoleStatements"), "provider.iamRoleStatements")...)
	b.providerStmts = append(b.providerStmts, b.statements(get(role, "statements"), "provider.iam.role.statements")...)
	b.providerMgd = append(b.providerMgd, b.strs(get(b.prov, "iamManagedPolicies"))...)
	b.providerMgd = append(b.providerMgd, b.strs(get(role, "managedPolicies"))...)
}

func intrinsicOrRef(n *yaml.Node) bool {
	_, ok := intrinsic(n)
	return ok || isUnknown(n)
}

// statements reads a list of IAM policy statements.
func (b *builder) statements(n *yaml.Node, policy string) []*model.Statement {
	if n == nil || yamlx.IsNull(n) {
		return nil
	}
	if isUnknown(n) || n.Kind != yaml.SequenceNode {
		// Written but not readable: keep an Unknown statement so that rules
		// see there is something they cannot judge.
		return []*model.Statement{{Pos: b.pos(n), Effect: b.unknownStr(n), Policy: policy}}
	}
	var out []*model.Statement
	for _, s := range n.Content {
		out = append(out, b.statement(s, policy))
	}
	return out
}

func (b *builder) unknownStr(n *yaml.Node) model.Str {
	if isUnknown(n) {
		return b.str(n)
	}
	if why, ok := intrinsic(n); ok {
		return model.U[string](why, b.pos(n))
	}
	return model.U[string]("not a list of statements", b.pos(n))
}

func (b *builder) statement(n *yaml.Node, policy string) *model.Statement {
	st := &model.Statement{Pos: b.pos(n), Policy: policy}
	if n == nil || n.Kind != yaml.MappingNode || isUnknown(n) {
		st.Effect = b.unknownStr(n)
		return st
	}
	st.Sid = b.str(get(n, "Sid")).V
	st.Effect = b.str(get(n, "Effect"))
	st.Actions = b.strs(get(n, "Action"))
	st.NotActions = b.strs(get(n, "NotAction"))
	st.Resources = b.strs(get(n, "Resource"))
	st.NotResources = b.strs(get(n, "NotResource"))
	st.Principals, st.NotPrincipal = b.principals(n)
	for _, op := range yamlx.Pairs(get(n, "Condition")) {
		for _, kv := range yamlx.Pairs(op.Value) {
			if st.Conditions == nil {
				st.Conditions = map[string][]model.Str{}
			}
			k := strings.ToLower(kv.Key.Value)
			st.Conditions[k] = append(st.Conditions[k], b.strs(kv.Value)...)
		}
	}
	return st
}

// principals reads Principal / NotPrincipal of a resource policy statement.
func (b *builder) principals(n *yaml.Node) ([]model.Principal, bool) {
	p, not := get(n, "Principal"), false
	if p == nil {
		p, not = get(n, "NotPrincipal"), true
	}
	if p == nil {
		return nil, false
	}
	if p.Kind == yaml.ScalarNode {
		return []model.Principal{{Type: "*", Value: b.str(p)}}, not
	}
	var out []model.Principal
	for _, kv := range yamlx.Pairs(p) {
		for _, v := range b.strs(kv.Value) {
			out = append(out, model.Principal{Type: kv.Key.Value, Value: v})
		}
	}
	return out, not
}

// eventGrant records the permissions the framework adds to a function's
// role for a polled event source (the queue or stream ARN).
func (b *builder) eventGrant(fn *model.Function, t *model.Trigger, typ string) {
	var actions []string
	switch typ {
	case "sqs":
		actions = []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
	case "dynamodb":
		actions = []string{"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"}
	default:
		actions = []string{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams"}
	}
	res := t.SourceRef
	if res.IsKnown() && !strings.HasPrefix(res.V, "arn:") {
		attr := ".Arn"
		if typ == "dynamodb" {
			attr = ".StreamArn"
		}
		res = model.U[string]("!GetAtt "+res.V+attr, res.Pos)
	}
	if res.IsAbsent() {
		return
	}
	st := &model.Statement{Pos: t.Pos, Effect: model.K("Allow", t.Pos), Resources: []model.Str{res}, Origin: originEventGrant}
	for _, a := range actions {
		st.Actions = append(st.Actions, model.K(a, t.Pos))
	}
	b.pending = append(b.pending, st)
}

// assignRole gives a function its execution role: its own `role`, a
// per-function role of the plugin, the provider's role, or the framework's
// shared default role.
func (b *builder) assignRole(fn *model.Function, key, v *yaml.Node) {
	grants := b.pending
	b.pending = nil
	stk, stmts := yamlx.GetKey(v, "iamRoleStatements")
	if r, ok := lookup(v, "role"); ok {
		fn.RoleRef = b.ref(r)
		fn.Role = b.externalRole(fn.RoleRef)
		if stk != nil {
			b.app.Notef(model.NoteInfo, b.pos(stk), "iamRoleStatements of %s ignored: the function sets role", fn.ID)
		}
		return
	}
	if stk != nil && !b.perFunctionPlugin {
		b.app.Notef(model.NoteInfo, b.pos(stk), "iamRoleStatements of %s ignored: plugin %s is not listed in plugins", fn.ID, perFunctionName)
	}
	if stk != nil && b.perFunctionPlugin {
		b.perFunctionRole(fn, key, v, stk, stmts, grants)
		return
	}
	if !b.providerRole.IsAbsent() {
		fn.RoleRef = b.providerRole
		fn.Role = b.externalRole(fn.RoleRef)
		return
	}
	r := b.shared()
	fn.Role = r
	r.Statements = append(r.Statements, grants...)
	if fn.Name.IsKnown() {
		b.sharedLogs = append(b.sharedLogs, fn.Name.V)
	}
	if fn.VPC != nil {
		b.sharedVPC = true
	}
}

// externalRole models a role named by ARN, created outside the app, so
// that functions sharing it are visible as one Role (its policies are not
// known). Logical IDs and names stay in Function.RoleRef for the
// CloudFormation loader, which models the resources: section's roles.
func (b *builder) externalRole(ref model.Str) *model.Role {
	if !ref.IsKnown() || !strings.HasPrefix(ref.V, "arn:") {
		return nil
	}
	for _, r := range b.app.Roles {
		if r.ID == ref.V {
			return r
		}
	}
	r := &model.Role{ID: ref.V, Name: model.K(ref.V[strings.LastIndexByte(ref.V, '/')+1:], ref.Pos), Pos: ref.Pos}
	b.app.Roles = append(b.app.Roles, r)
	return r
}

// shared returns the framework's default role, creating it on first use.
func (b *builder) shared() *model.Role {
	if b.sharedRole != nil {
		return b.sharedRole
	}
	role := get(b.prov, "iam", "role")
	p := model.Pos{File: b.app.File, Line: 1}
	for _, k := range [][]string{{"iam"}, {"iamRoleStatements"}, {"iamManagedPolicies"}} {
		if kn, _ := yamlx.GetKey(b.prov, k[0]); kn != nil {
			p = b.pos(kn)
			break
		}
	}
	if p.Line == 1 {
		if kn, _ := yamlx.GetKey(b.root, "provider"); kn != nil {
			p = yamlx.Pos(b.app.File, kn)
		}
	}
	r := &model.Role{ID: sharedRoleID, Pos: p, Implicit: true}
	if n := get(role, "name"); n != nil {
		r.Name = b.str(n)
	} else if b.service != "" && b.stage != "" {
		r.Name = model.K(b.service+"-"+b.stage+"-"+b.region+"-lambdaRole", p)
	}
	r.Boundary = b.str(get(role, "permissionsBoundary"))
	if r.Boundary.IsAbsent() {
		r.Boundary = b.str(get(b.prov, "rolePermissionsBoundary"))
	}
	r.Trust = lambdaTrust(p)
	r.Statements = append(r.Statements, b.providerStmts...)
	r.ManagedPolicies = append(r.ManagedPolicies, b.providerMgd...)
	b.sharedRole = r
	b.app.Roles = append(b.app.Roles, r)
	return r
}

// finishSharedRole adds the log permissions the framework grants on the
// log groups of the functions that use the shared role.
func (b *builder) finishSharedRole() {
	r := b.sharedRole
	if r == nil {
		return
	}
	r.Statements = append(logStatements(r.Pos, b.sharedLogs), r.Statements...)
	for _, fn := range b.app.Functions {
		if fn.Role == r && model.IsTrue(fn.Tracing) {
			r.Statements = append(r.Statements, tracingStatement(r.Pos))
			break
		}
	}
	if b.sharedVPC {
		r.ManagedPolicies = append(r.ManagedPolicies, model.K(vpcPolicy, r.Pos))
	}
}

// logStatements are the framework's grants to create log streams and put
// log events in the functions' log groups.
func logStatements(p model.Pos, names []string) []*model.Statement {
	sort.Strings(names)
	create := &model.Statement{Pos: p, Effect: model.K("Allow", p), Origin: originLogs,
		Actions: []model.Str{model.K("logs:CreateLogStream", p), model.K("logs:CreateLogGroup", p), model.K("logs:TagResource", p)}}
	put := &model.Statement{Pos: p, Effect: model.K("Allow", p), Origin: originLogs,
		Actions: []model.Str{model.K("logs:PutLogEvents", p)}}
	for _, n := range names {
		arn := "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/" + n
		create.Resources = append(create.Resources, model.K(arn+":*", p))
		put.Resources = append(put.Resources, model.K(arn+":*:*", p))
	}
	if len(names) == 0 {
		// Function names unresolved: the grant exists, its scope is unknown.
		create.Resources = []model.Str{model.U[string]("log groups of unresolved function names", p)}
		put.Resources = create.Resources
	}
	return []*model.Statement{create, put}
}

// tracingStatement is the framework's grant to send traces, added to a
// role whose functions have active tracing.
func tracingStatement(p model.Pos) *model.Statement {
	return &model.Statement{Pos: p, Effect: model.K("Allow", p), Origin: originTracing,
		Actions:   []model.Str{model.K("xray:PutTraceSegments", p), model.K("xray:PutTelemetryRecords", p)},
		Resources: []model.Str{model.K("*", p)}}
}

func lambdaTrust(p model.Pos) []*model.Statement {
	return []*model.Statement{{Pos: p, Effect: model.K("Allow", p), Actions: []model.Str{model.K("sts:AssumeRole", p)},
		Principals: []model.Principal{{Type: "Service", Value: model.K("lambda.amazonaws.com", p)}}}}
}

// perFunctionRole models the role serverless-iam-roles-per-function creates
// for a function with its own iamRoleStatements: those statements, the
// provider's when inherited, and the log and event-source grants.
func (b *builder) perFunctionRole(fn *model.Function, key, v, stk, stmts *yaml.Node, grants []*model.Statement) {
	p := b.pos(stk)
	r := &model.Role{ID: normalize(key.Value) + sharedRoleID, Pos: p, PerFunction: true, Implicit: true}
	if n := get(v, "iamRoleStatementsName"); n != nil {
		r.Name = b.str(n)
	} else if b.service != "" && b.stage != "" {
		r.Name = model.K(truncate(b.service+"-"+b.stage+"-"+key.Value+"-"+b.region+"-lambdaRole", 64), p)
	}
	var logNames []string
	if fn.Name.IsKnown() {
		logNames = []string{fn.Name.V}
	}
	r.Statements = append(r.Statements, logStatements(p, logNames)...)
	if model.IsTrue(fn.Tracing) {
		r.Statements = append(r.Statements, tracingStatement(p))
	}
	r.Statements = append(r.Statements, b.statements(stmts, "functions."+key.Value+".iamRoleStatements")...)
	inherit := b.defaultInherit
	if in, ok := lookup(v, "iamRoleStatementsInherit"); ok {
		iv := b.boolean(in)
		inherit = model.IsTrue(iv)
	}
	if inherit {
		r.Statements = append(r.Statements, b.providerStmts...)
		r.ManagedPolicies = append(r.ManagedPolicies, b.providerMgd...)
	}
	r.Statements = append(r.Statements, grants...)
	if fn.VPC != nil {
		r.ManagedPolicies = append(r.ManagedPolicies, model.K(vpcPolicy, p))
	}
	r.Boundary = b.str(get(b.prov, "iam", "role", "permissionsBoundary"))
	r.Trust = lambdaTrust(p)
	fn.Role = r
	b.app.Roles = append(b.app.Roles, r)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
