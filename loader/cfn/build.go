package cfn

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// entry is one resource of the template.
type entry struct {
	ID        string
	Type      string
	Pos       model.Pos // the logical ID's key
	Node      *yaml.Node
	Props     *V
	Path      string // aws:cdk:path
	Generated bool
}

// builder turns one template into model objects of one application.
type builder struct {
	e       *evaluator
	app     *model.Application
	file    string
	entries []*entry
	byID    map[string]*entry
	fns     map[string]*model.Function
	roles   map[string]*model.Role
	res     map[string]*model.Resource
	// managed holds the statements of AWS::IAM::ManagedPolicy resources.
	managed map[string][]*model.Statement
	// apiPublic says, per API logical ID, whether its endpoint is public.
	apiPublic map[string]model.Bool
	sam       *samState
	embedded  bool
}

// build evaluates a template root and adds its contents to app.
func build(app *model.Application, file string, root *yaml.Node, opts loader.Options, resolve func(string) (string, bool)) {
	e := newEvaluator(file, app)
	e.resolve = resolve
	b := &builder{
		e: e, app: app, file: file, byID: map[string]*entry{},
		fns: map[string]*model.Function{}, roles: map[string]*model.Role{}, res: map[string]*model.Resource{},
		managed: map[string][]*model.Statement{}, apiPublic: map[string]model.Bool{}, embedded: resolve != nil || app.Format == "serverless",
	}
	// Objects of the host app (serverless.yml) can be referenced by the
	// embedded resources under the logical IDs the framework gives them.
	for _, f := range app.Functions {
		b.fns[f.ID] = f
		b.fns[slsLogicalID(f.ID)+"LambdaFunction"] = f
	}
	for _, r := range app.Roles {
		b.roles[r.ID] = r
	}
	for _, r := range app.Resources {
		b.res[r.ID] = r
	}
	for id := range b.fns {
		e.types[id] = "AWS::Lambda::Function"
	}
	for id := range b.roles {
		e.types[id] = "AWS::IAM::Role"
	}
	for id, r := range b.res {
		if r.Type != "" {
			e.types[id] = r.Type
		} else {
			e.types[id] = "AWS::CloudFormation::CustomResource"
		}
	}
	if !b.embedded {
		switch {
		case isSAM(root):
			app.Format = "sam"
		case isCDK(file, root):
			app.Format = "cdk"
		}
	}
	e.mappings = yamlx.Get(root, "Mappings")
	for _, p := range yamlx.Pairs(yamlx.Get(root, "Conditions")) {
		e.condDefs[p.Key.Value] = p.Value
	}
	e.setParams(yamlx.Get(root, "Parameters"), opts.Params, opts.Vars)
	b.collect(root)
	if app.Format == "sam" {
		b.sam = newSAM(b, root)
	}
	b.evalProps()
	b.create()
	b.relate()
	if b.sam != nil {
		b.sam.finish()
	}
	b.implicitLogGroups()
	b.linkHost()
	app.Link()
}

// collect lists the resources, skipping those whose condition is false.
func (b *builder) collect(root *yaml.Node) {
	resNode := yamlx.Get(root, "Resources")
	if resNode != nil && resNode.Kind != yaml.MappingNode {
		b.app.Notef(model.NoteError, yamlx.Pos(b.file, resNode), "Resources is not a mapping")
		return
	}
	for _, p := range yamlx.Pairs(resNode) {
		id := p.Key.Value
		t := yamlx.Get(p.Value, "Type")
		if t == nil || t.Kind != yaml.ScalarNode {
			b.app.Notef(model.NoteWarn, yamlx.Pos(b.file, p.Key), "resource %s has no Type; skipped", id)
			continue
		}
		en := &entry{ID: id, Type: t.Value, Pos: yamlx.Pos(b.file, p.Key), Node: p.Value}
		if md := yamlx.Get(p.Value, "Metadata"); md != nil {
			if cp := yamlx.Get(md, "aws:cdk:path"); cp != nil && cp.Kind == yaml.ScalarNode {
				en.Path = cp.Value
			}
			b.suppressions(id, md)
		}
		b.e.types[id] = en.Type
		if _, dup := b.byID[id]; dup {
			b.app.Notef(model.NoteError, en.Pos, "resource %s is declared twice", id)
		}
		b.byID[id] = en
		b.entries = append(b.entries, en)
	}
	// Conditions are evaluated after every type is known, since a condition
	// may not reference resources but Refs in names may.
	kept := b.entries[:0]
	for _, en := range b.entries {
		if c := yamlx.Get(en.Node, "Condition"); c != nil && c.Kind == yaml.ScalarNode {
			if b.e.condition(c.Value, yamlx.Pos(b.file, c)) == triFalse {
				delete(b.byID, en.ID)
				delete(b.e.types, en.ID)
				continue
			}
		}
		kept = append(kept, en)
	}
	b.entries = kept
	b.cycles()
	// Physical names written in the template keep Ref values Known.
	for _, en := range b.entries {
		prop, arnFmt := "", ""
		switch en.Type {
		case "AWS::S3::Bucket":
			prop, arnFmt = "BucketName", "arn:aws:s3:::%s"
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			prop = "FunctionName"
		case "AWS::DynamoDB::Table":
			prop = "TableName"
		case "AWS::Serverless::SimpleTable":
			prop = "TableName"
		case "AWS::IAM::Role":
			prop = "RoleName"
		case "AWS::Logs::LogGroup":
			prop = "LogGroupName"
		case "AWS::Kinesis::Stream":
			prop = "Name"
		}
		if prop == "" {
			continue
		}
		n := yamlx.Path(en.Node, "Properties", prop)
		if n == nil || refsSelf(n, en.ID) {
			continue
		}
		if v := b.e.eval(n, 1); v.K == kScalar {
			b.e.names[en.ID] = v.S
			if arnFmt != "" {
				b.e.arns[en.ID] = strings.Replace(arnFmt, "%s", v.S, 1)
			}
		}
	}
	for _, en := range b.entries {
		en.Generated = cdkGenerated(en)
	}
}

// refsSelf reports whether a name property mentions its own resource, which
// CloudFormation rejects; evaluating it would recurse.
func refsSelf(n *yaml.Node, id string) bool {
	found := false
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, d int) {
		if n == nil || found || d > 64 {
			return
		}
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, id) {
			found = true
		}
		for _, c := range n.Content {
			walk(c, d+1)
		}
	}
	walk(n, 0)
	return found
}

// cycles reports dependency cycles (Ref, GetAtt, Sub, DependsOn) between
// resources, which CloudFormation rejects. Evaluation never follows
// resource references, so a cycle cannot hang the loader.
func (b *builder) cycles() {
	deps := map[string][]string{}
	for _, en := range b.entries {
		var out []string
		var walk func(*yaml.Node, int)
		walk = func(n *yaml.Node, d int) {
			n = yamlx.Deref(n)
			if n == nil || d > 300 {
				return
			}
			if name, arg, ok := intrinsicOf(n); ok {
				a := yamlx.Deref(arg)
				switch {
				case (name == "Ref" || name == "Fn::GetAtt") && a != nil && a.Kind == yaml.ScalarNode:
					id, _, _ := strings.Cut(a.Value, ".")
					out = append(out, id)
				case name == "Fn::GetAtt" && a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0:
					out = append(out, a.Content[0].Value)
				case name == "Fn::Sub":
					s := a
					if a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0 {
						s = a.Content[0]
					}
					if s != nil {
						for _, m := range subVars(s.Value) {
							id, _, _ := strings.Cut(m, ".")
							out = append(out, id)
						}
					}
				}
			}
			for _, c := range n.Content {
				walk(c, d+1)
			}
		}
		walk(yamlx.Get(en.Node, "Properties"), 0)
		for _, d := range yamlx.Items(yamlx.Get(en.Node, "DependsOn")) {
			out = append(out, d.Value)
		}
		deps[en.ID] = out
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		stack = append(stack, id)
		for _, d := range deps[id] {
			if _, ok := b.byID[d]; !ok {
				continue
			}
			switch color[d] {
			case grey:
				i := len(stack) - 1
				for i > 0 && stack[i] != d {
					i--
				}
				cyc := append(append([]string{}, stack[i:]...), d)
				b.app.Notef(model.NoteWarn, b.byID[d].Pos, "circular dependency between resources: %s (CloudFormation rejects it)", strings.Join(cyc, " -> "))
				return true
			case white:
				if visit(d) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for _, en := range b.entries {
		if color[en.ID] == white {
			stack = stack[:0]
			if visit(en.ID) {
				return
			}
		}
	}
}

// subVars lists the ${...} variables of a Fn::Sub template.
func subVars(s string) []string {
	var out []string
	for len(out) < 1000 {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		if name := s[i+2 : i+j]; !strings.HasPrefix(name, "!") {
			out = append(out, strings.TrimSpace(name))
		}
		s = s[i+j+1:]
	}
	return out
}

func (b *builder) evalProps() {
	for _, en := range b.entries {
		n := yamlx.Get(en.Node, "Properties")
		if b.sam != nil {
			n = b.sam.withGlobals(en, n)
		}
		en.Props = b.e.eval(n, 1)
		if en.Props.K != kMap && en.Props.K != kNull {
			b.app.Notef(model.NoteWarn, en.Pos, "%s: Properties is not a mapping", en.ID)
		}
	}
}

// kindOf maps resource types to model kinds.
var kindOf = map[string]model.ResourceKind{
	"AWS::SQS::Queue": model.ResQueue, "AWS::SNS::Topic": model.ResTopic, "AWS::S3::Bucket": model.ResBucket,
	"AWS::DynamoDB::Table": model.ResTable, "AWS::DynamoDB::GlobalTable": model.ResTable, "AWS::Serverless::SimpleTable": model.ResTable,
	"AWS::Kinesis::Stream": model.ResStream, "AWS::Logs::LogGroup": model.ResLogGroup,
	"AWS::Cognito::UserPool": model.ResUserPool, "AWS::Cognito::UserPoolClient": model.ResUserPoolClient,
	"AWS::KMS::Key": model.ResKey, "AWS::WAFv2::WebACLAssociation": model.ResWAF, "AWS::WAFRegional::WebACLAssociation": model.ResWAF,
	"AWS::EC2::SecurityGroup": model.ResSecurityGroup, "AWS::SecretsManager::Secret": model.ResSecret,
	"AWS::SSM::Parameter": model.ResParameter, "AWS::Lambda::LayerVersion": model.ResLayer, "AWS::Serverless::LayerVersion": model.ResLayer,
	"AWS::StepFunctions::StateMachine": model.ResStateMachine, "AWS::Serverless::StateMachine": model.ResStateMachine,
	"AWS::Events::EventBus": model.ResEventBus, "AWS::CloudTrail::Trail": model.ResTrail,
	"AWS::ApiGateway::RestApi": model.ResAPI, "AWS::ApiGatewayV2::Api": model.ResAPI,
	"AWS::Serverless::Api": model.ResAPI, "AWS::Serverless::HttpApi": model.ResAPI,
	"AWS::ApiGateway::Stage": model.ResStage, "AWS::ApiGatewayV2::Stage": model.ResStage,
	"AWS::ApiGateway::DomainName": model.ResDomain, "AWS::ApiGatewayV2::DomainName": model.ResDomain,
	"AWS::ApiGateway::Authorizer": model.ResAuthorizer, "AWS::ApiGatewayV2::Authorizer": model.ResAuthorizer,
	"AWS::KMS::Alias": model.ResOther, "AWS::SQS::QueueInlinePolicy": model.ResOther,
}

// relational types only link other objects; they become no Resource.
var relational = map[string]bool{
	"AWS::IAM::Policy": true, "AWS::IAM::ManagedPolicy": true, "AWS::Lambda::Permission": true, "AWS::Lambda::Url": true,
	"AWS::Lambda::EventInvokeConfig": true, "AWS::Lambda::EventSourceMapping": true, "AWS::SNS::Subscription": true,
	"AWS::SNS::TopicPolicy": true, "AWS::SQS::QueuePolicy": true, "AWS::S3::BucketPolicy": true, "AWS::Events::Rule": true,
	"AWS::Scheduler::Schedule": true, "AWS::Logs::SubscriptionFilter": true, "AWS::IoT::TopicRule": true,
	"AWS::ApiGateway::Method": true, "AWS::ApiGateway::Resource": true, "AWS::ApiGateway::Deployment": true,
	"AWS::ApiGateway::UsagePlan": true, "AWS::ApiGateway::UsagePlanKey": true, "AWS::ApiGateway::ApiKey": true,
	"AWS::ApiGatewayV2::Route": true, "AWS::ApiGatewayV2::Integration": true, "AWS::ApiGatewayV2::Deployment": true,
	"AWS::Lambda::LayerVersionPermission": true, "AWS::EC2::SecurityGroupIngress": true, "AWS::EC2::SecurityGroupEgress": true,
	"AWS::Lambda::Version": true, "AWS::Lambda::Alias": true, "AWS::IAM::InstanceProfile": true,
	"AWS::ApiGateway::Account": true, "AWS::CDK::Metadata": true, "AWS::ApiGateway::BasePathMapping": true,
	"AWS::ApiGatewayV2::ApiMapping": true, "AWS::CloudFormation::WaitConditionHandle": true, "AWS::ApiGateway::Model": true,
	"AWS::ApiGateway::RequestValidator": true, "AWS::ApiGateway::GatewayResponse": true, "AWS::WAFv2::WebACL": true,
}

// create makes the primary objects: roles and resources first, then the
// functions, which link to them.
func (b *builder) create() {
	for _, en := range b.entries {
		switch {
		case en.Type == "AWS::Lambda::Function" || en.Type == "AWS::Serverless::Function":
		case en.Type == "AWS::IAM::Role":
			r := b.role(en)
			b.roles[en.ID] = r
			b.app.Roles = append(b.app.Roles, r)
		case en.Type == "AWS::IAM::ManagedPolicy":
			b.managed[en.ID] = b.statements(en.Props.Get("PolicyDocument"), en.ID)
		case kindOf[en.Type] != "":
			r := b.resource(en)
			b.addResource(r)
			if strings.HasPrefix(en.Type, "AWS::Serverless::") && b.sam != nil {
				b.sam.resource(en, r)
			}
		case strings.HasPrefix(en.Type, "Custom::") || en.Type == "AWS::CloudFormation::CustomResource":
			b.addResource(&model.Resource{ID: en.ID, Kind: model.ResOther, Type: en.Type, Pos: en.Pos, Generated: en.Generated, Path: en.Path})
		case relational[en.Type]:
		case strings.HasPrefix(en.Type, "AWS::Serverless::"):
			b.app.Notef(model.NoteInfo, en.Pos, "%s %s is not modelled", en.Type, en.ID)
		default:
			b.app.Notef(model.NoteInfo, en.Pos, "resource type %s (%s) is not modelled", en.Type, en.ID)
		}
	}
	for _, en := range b.entries {
		switch en.Type {
		case "AWS::Lambda::Function":
			b.addFunction(en, b.function(en))
		case "AWS::Serverless::Function":
			if b.sam != nil {
				b.addFunction(en, b.sam.function(en))
			}
		}
	}
}

func (b *builder) addFunction(en *entry, f *model.Function) {
	if f == nil {
		return
	}
	if old := b.app.Function(f.ID); old != nil {
		b.app.Notef(model.NoteWarn, en.Pos, "function %s is also defined at %s; both are kept", f.ID, old.Pos)
	}
	b.fns[en.ID] = f
	b.app.Functions = append(b.app.Functions, f)
}

func (b *builder) addResource(r *model.Resource) {
	if old := b.res[r.ID]; old != nil && b.byID[r.ID] != nil && b.app.Resource(r.ID) == old {
		// The resources section redefines a resource the host framework
		// created (a function's log group): the declaration wins, and
		// objects pointing at the old one see the new values.
		*old = *r
		return
	}
	b.res[r.ID] = r
	b.app.Resources = append(b.app.Resources, r)
}

// fnOf returns the function a value names, by logical ID, name or ARN.
func (b *builder) fnOf(v *V) *model.Function {
	if v == nil {
		return nil
	}
	for _, id := range v.Refs {
		if f := b.fns[id]; f != nil {
			return f
		}
	}
	if s := v.Text(); s != "" {
		name := s
		if i := strings.Index(s, ":function:"); i >= 0 {
			name, _, _ = strings.Cut(s[i+len(":function:"):], ":")
		}
		for _, f := range b.app.Functions {
			if f.Name.IsKnown() && f.Name.V == name || f.ID == name {
				return f
			}
		}
	}
	return nil
}

// resOf returns the resource a value names, by logical ID, name or ARN.
func (b *builder) resOf(v *V) *model.Resource {
	if v == nil {
		return nil
	}
	for _, id := range v.Refs {
		if r := b.res[id]; r != nil {
			return r
		}
	}
	if s := v.Text(); s != "" {
		for _, r := range b.app.Resources {
			if r.ARN.IsKnown() && r.ARN.V == s || r.Name.IsKnown() && (r.Name.V == s || strings.HasSuffix(s, ":"+r.Name.V) || strings.HasSuffix(s, "/"+r.Name.V)) {
				return r
			}
		}
	}
	return nil
}

// linkRole resolves a function's Role property: a role of the template, an
// external role named by a Known ARN (modelled once, without statements, so
// functions sharing it are visible), or a reference left in RoleRef.
func (b *builder) linkRole(rv *V) (*model.Role, model.Str) {
	if r := b.roleOf(rv); r != nil {
		return r, model.Str{}
	}
	if s := rv.Text(); strings.HasPrefix(s, "arn:") && strings.Contains(s, ":role/") {
		if r := b.app.Role(s); r != nil {
			return r, rv.Str()
		}
		r := &model.Role{ID: s, Name: model.K(s[strings.LastIndex(s, "/")+1:], rv.Pos), Pos: rv.Pos}
		b.app.Roles = append(b.app.Roles, r)
		return r, rv.Str()
	}
	if rv.K == kUnknown && len(rv.Refs) == 0 && !b.embedded {
		// A role known only by an unresolved expression (a parameter, an
		// import): functions naming the same expression share that role.
		if r := b.app.Role(rv.Why); r != nil {
			return r, rv.Str()
		}
		r := &model.Role{ID: rv.Why, Name: rv.Str(), Pos: rv.Pos}
		b.app.Roles = append(b.app.Roles, r)
		return r, rv.Str()
	}
	return nil, rv.Str()
}

func (b *builder) roleOf(v *V) *model.Role {
	if v == nil {
		return nil
	}
	for _, id := range v.Refs {
		if r := b.roles[id]; r != nil {
			return r
		}
	}
	if s := v.Text(); s != "" {
		name := s
		if i := strings.LastIndex(s, ":role/"); i >= 0 {
			name = s[i+len(":role/"):]
			if j := strings.LastIndexByte(name, '/'); j >= 0 {
				name = name[j+1:]
			}
		}
		for _, r := range b.app.Roles {
			if r.Name.IsKnown() && r.Name.V == name {
				return r
			}
		}
	}
	return nil
}

// function models AWS::Lambda::Function.
func (b *builder) function(en *entry) *model.Function {
	p := en.Props
	f := &model.Function{ID: en.ID, Pos: en.Pos, Path: en.Path, Generated: en.Generated}
	b.commonFunction(f, p)
	if v := p.Path("TracingConfig", "Mode"); v.Present() {
		f.Tracing = modeBool(v, "Active")
	}
	f.DeadLetter = p.Path("DeadLetterConfig", "TargetArn").Str()
	for _, t := range p.Get("Tags").Items() {
		if k := t.Get("Key").Text(); k != "" {
			if f.Tags == nil {
				f.Tags = map[string]model.Str{}
			}
			f.Tags[k] = t.Get("Value").Str()
		}
	}
	if rv := p.Get("Role"); rv.Present() {
		f.Role, f.RoleRef = b.linkRole(rv)
	}
	if ap := assetPath(en); ap != "" {
		f.CodeDir = model.K(ap, en.Pos)
	} else if c := p.Get("Code"); c.Present() && c.K == kScalar {
		f.CodeDir = c.Str()
	}
	return f
}

// commonFunction fills the properties Lambda and SAM functions share.
func (b *builder) commonFunction(f *model.Function, p *V) {
	f.Name = p.Get("FunctionName").Str()
	f.Runtime = p.Get("Runtime").Str()
	f.Handler = p.Get("Handler").Str()
	f.Timeout = p.Get("Timeout").Int()
	f.MemoryMB = p.Get("MemorySize").Int()
	f.ReservedConcurrency = p.Get("ReservedConcurrentExecutions").Int()
	f.KMSKey = p.Get("KmsKeyArn").Str()
	if a := p.Get("Architectures").Items(); len(a) > 0 {
		f.Architecture = a[0].Str()
	}
	for _, fl := range p.Path("Environment", "Variables").Keys() {
		f.Environment = append(f.Environment, model.EnvVar{
			Name: fl.Key, Value: fl.V.Str(), Pos: fl.KeyPos, FromSecretStore: fromSecretStore(fl.V),
		})
	}
	f.Layers = p.Get("Layers").Strs()
	if vc := p.Get("VpcConfig"); vc.Present() {
		f.VPC = &model.VPCConfig{Pos: p.KeyPos("VpcConfig"), SubnetIDs: vc.Get("SubnetIds").Strs(), SecurityGroupIDs: vc.Get("SecurityGroupIds").Strs()}
	}
	if lg := p.Path("LoggingConfig", "LogGroup"); lg.Present() {
		if r := b.resOf(lg); r != nil && r.Kind == model.ResLogGroup {
			f.LogGroup = r
		} else {
			f.LogGroup = &model.Resource{ID: f.ID + "/LogGroup", Kind: model.ResLogGroup, Type: "AWS::Logs::LogGroup", Name: lg.Str(), Pos: lg.Pos,
				RetentionDays: model.U[int]("log group "+textOrWhy(lg)+" is not declared in this template", lg.Pos)}
			b.app.Resources = append(b.app.Resources, f.LogGroup)
		}
	}
}

func textOrWhy(v *V) string {
	if v.K == kScalar {
		return v.S
	}
	return v.Why
}

// fromSecretStore reports whether a value is a dynamic reference to a
// secret store or a Ref to a secret / secure parameter.
func fromSecretStore(v *V) bool {
	s := v.Text()
	if v.K == kUnknown {
		s = v.Why
	}
	return strings.Contains(s, "{{resolve:secretsmanager:") || strings.Contains(s, "{{resolve:ssm-secure:") ||
		strings.Contains(s, "{{resolve:ssm:")
}

func modeBool(v *V, on string) model.Bool {
	if v.K == kScalar {
		return model.K(strings.EqualFold(v.S, on), v.Pos)
	}
	return v.Bool()
}

// role models AWS::IAM::Role.
func (b *builder) role(en *entry) *model.Role {
	p := en.Props
	r := &model.Role{ID: en.ID, Pos: en.Pos, Name: p.Get("RoleName").Str(), Generated: en.Generated}
	r.Trust = b.statements(p.Get("AssumeRolePolicyDocument"), "AssumeRolePolicyDocument")
	for _, pol := range p.Get("Policies").Items() {
		name := pol.Get("PolicyName").Text()
		r.Statements = append(r.Statements, b.statements(pol.Get("PolicyDocument"), name)...)
	}
	r.Boundary = p.Get("PermissionsBoundary").Str()
	return r
}

// statements parses a policy document.
func (b *builder) statements(doc *V, policy string) []*model.Statement {
	if !doc.Present() {
		return nil
	}
	if doc.K == kUnknown {
		return []*model.Statement{{Pos: doc.Pos, Policy: policy, Effect: model.U[string](doc.Why, doc.Pos)}}
	}
	if doc.K == kScalar {
		doc = b.jsonDocument(doc, policy)
	}
	var out []*model.Statement
	for _, s := range doc.Get("Statement").Items() {
		out = append(out, statement(s, policy))
	}
	return out
}

func statement(s *V, policy string) *model.Statement {
	st := &model.Statement{Pos: s.Pos, Policy: policy}
	if s.K == kUnknown {
		st.Effect = model.U[string](s.Why, s.Pos)
		return st
	}
	st.Sid = s.Get("Sid").Text()
	st.Effect = s.Get("Effect").Str()
	st.Actions = s.Get("Action").Strs()
	st.NotActions = s.Get("NotAction").Strs()
	st.Resources = s.Get("Resource").Strs()
	st.NotResources = s.Get("NotResource").Strs()
	pr := s.Get("Principal")
	if np := s.Get("NotPrincipal"); np.Present() {
		pr, st.NotPrincipal = np, true
	}
	switch {
	case pr.K == kScalar:
		st.Principals = append(st.Principals, model.Principal{Type: "*", Value: pr.Str()})
	case pr.K == kMap:
		for _, f := range pr.M {
			for _, it := range f.V.Items() {
				st.Principals = append(st.Principals, model.Principal{Type: f.Key, Value: it.Str()})
			}
		}
	case pr.K == kUnknown:
		st.Principals = append(st.Principals, model.Principal{Value: pr.Str()})
	}
	for _, op := range s.Get("Condition").Keys() {
		for _, kv := range op.V.Keys() {
			if st.Conditions == nil {
				st.Conditions = map[string][]model.Str{}
			}
			k := strings.ToLower(kv.Key)
			st.Conditions[k] = append(st.Conditions[k], kv.V.Strs()...)
		}
	}
	return st
}

// encryption classifies a key reference: AWS managed aliases are "service".
func encryption(key *V) model.Str {
	s := key.Str()
	if s.IsKnown() && strings.HasPrefix(s.V, "alias/aws/") {
		return model.K("service", s.Pos)
	}
	if s.State == model.Absent {
		return s
	}
	return model.Val[string]{State: model.Known, V: "kms", Pos: s.Pos}
}

// resource models the non-function resources.
func (b *builder) resource(en *entry) *model.Resource {
	p := en.Props
	r := &model.Resource{ID: en.ID, Kind: kindOf[en.Type], Type: en.Type, Pos: en.Pos, Generated: en.Generated, Path: en.Path}
	if s, ok := b.e.names[en.ID]; ok {
		r.Name = model.K(s, en.Pos)
	}
	if s, ok := b.e.arns[en.ID]; ok {
		r.ARN = model.K(s, en.Pos)
	}
	switch en.Type {
	case "AWS::SQS::Queue":
		r.Name = p.Get("QueueName").Str()
		if k := p.Get("KmsMasterKeyId"); k.Present() {
			r.KMSKey, r.Encryption = k.Str(), encryption(k)
		} else if sse := p.Get("SqsManagedSseEnabled").Bool(); sse.IsKnown() {
			r.Encryption = model.K(map[bool]string{true: "service", false: "none"}[sse.V], sse.Pos)
		} else if sse.IsUnknown() {
			r.Encryption = model.U[string](sse.Why, sse.Pos)
		}
		r.VisibilityTimeout = p.Get("VisibilityTimeout").Int()
		r.RetentionDays = model.Int{}
	case "AWS::SNS::Topic":
		r.Name = p.Get("TopicName").Str()
		if k := p.Get("KmsMasterKeyId"); k.Present() {
			r.KMSKey, r.Encryption = k.Str(), encryption(k)
		}
	case "AWS::S3::Bucket":
		b.bucket(r, p)
	case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
		r.Name = p.Get("TableName").Str()
		sse := p.Get("SSESpecification")
		if on := sse.Get("SSEEnabled").Bool(); on.IsKnown() {
			if on.V {
				if k := sse.Get("KMSMasterKeyId"); k.Present() {
					r.KMSKey, r.Encryption = k.Str(), encryption(k)
				} else {
					r.Encryption = model.K("service", on.Pos)
				}
			} else {
				r.Encryption = model.K("service", on.Pos)
			}
		} else if on.IsUnknown() {
			r.Encryption = model.U[string](on.Why, on.Pos)
		}
		r.PointInTime = p.Path("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled").Bool()
		if sv := p.Path("StreamSpecification", "StreamViewType"); sv.Present() {
			r.Attrs = map[string]model.Str{"stream": sv.Str()}
		}
	case "AWS::Kinesis::Stream":
		r.Name = p.Get("Name").Str()
		se := p.Get("StreamEncryption")
		if se.Present() {
			if k := se.Get("KeyId"); k.Present() {
				r.KMSKey, r.Encryption = k.Str(), encryption(k)
			} else {
				r.Encryption = se.Get("EncryptionType").Str()
			}
		}
		r.RetentionDays = model.Int{}
	case "AWS::Logs::LogGroup":
		r.RetentionDays = p.Get("RetentionInDays").Int()
		if k := p.Get("KmsKeyId"); k.Present() {
			r.KMSKey, r.Encryption = k.Str(), model.K("kms", k.Pos)
		}
		if lg := p.Get("LogGroupName"); lg.Present() {
			r.Name = lg.Str()
		}
	case "AWS::Cognito::UserPool":
		r.UserPool = userPool(p)
	case "AWS::Cognito::UserPoolClient":
		r.UserPool = &model.UserPoolSettings{ExplicitAuthFlows: p.Get("ExplicitAuthFlows").Strs()}
		if up := p.Get("UserPoolId"); up.Target() != "" {
			r.Attrs = map[string]model.Str{"userPool": model.K(up.Target(), up.Pos)}
		}
	case "AWS::KMS::Key":
		r.Policy = b.statements(p.Get("KeyPolicy"), en.ID)
		if rot := p.Get("EnableKeyRotation"); rot.Present() {
			r.Attrs = map[string]model.Str{"rotation": rot.Str()}
		}
	case "AWS::EC2::SecurityGroup":
		for _, in := range p.Get("SecurityGroupIngress").Items() {
			r.Ingress = append(r.Ingress, netRule(in))
		}
		if eg := p.Get("SecurityGroupEgress"); eg.Present() {
			for _, out := range eg.Items() {
				r.Egress = append(r.Egress, netRule(out))
			}
		} else {
			// EC2 adds an allow-all egress rule to a group declared without
			// egress rules; it is modelled at the group's declaration.
			r.Egress = []model.NetRule{{Pos: en.Pos, CIDR: model.K("0.0.0.0/0", en.Pos), Protocol: model.K("-1", en.Pos)}}
		}
	case "AWS::SecretsManager::Secret":
		r.Name = p.Get("Name").Str()
		if k := p.Get("KmsKeyId"); k.Present() {
			r.KMSKey, r.Encryption = k.Str(), encryption(k)
		}
		if ss := p.Get("SecretString"); ss.Present() {
			r.Attrs = map[string]model.Str{"SecretString": ss.Str()}
		}
	case "AWS::SSM::Parameter":
		r.Name = p.Get("Name").Str()
		r.Attrs = map[string]model.Str{"type": p.Get("Type").Str(), "value": p.Get("Value").Str()}
	case "AWS::StepFunctions::StateMachine":
		r.Name = p.Get("StateMachineName").Str()
		r.Tracing = p.Path("TracingConfiguration", "Enabled").Bool()
		r.ExecutionLogs = p.Path("LoggingConfiguration", "Level").Str()
	case "AWS::CloudTrail::Trail":
		if k := p.Get("KMSKeyId"); k.Present() {
			r.KMSKey, r.Encryption = k.Str(), model.K("kms", k.Pos)
		}
		r.Attrs = map[string]model.Str{"IsLogging": p.Get("IsLogging").Str(), "IsMultiRegionTrail": p.Get("IsMultiRegionTrail").Str(),
			"EnableLogFileValidation": p.Get("EnableLogFileValidation").Str()}
	case "AWS::ApiGateway::RestApi":
		r.Protocol = model.K("REST", en.Pos)
		r.Name = p.Get("Name").Str()
		b.endpoint(r, p.Path("EndpointConfiguration", "Types"))
		r.Policy = b.statements(p.Get("Policy"), en.ID)
		if p.Get("MinimumCompressionSize").Present() {
			r.Attrs = map[string]model.Str{"MinimumCompressionSize": p.Get("MinimumCompressionSize").Str()}
		}
	case "AWS::ApiGatewayV2::Api":
		r.Name = p.Get("Name").Str()
		r.Protocol = p.Get("ProtocolType").Str()
		if !r.Protocol.IsKnown() && !r.Protocol.IsUnknown() && p.Get("Body").Present() {
			r.Protocol = model.K("HTTP", en.Pos)
		}
		b.apiPublic[en.ID] = model.K(true, en.Pos)
	case "AWS::ApiGateway::Stage":
		b.restStage(r, p)
	case "AWS::ApiGatewayV2::Stage":
		b.httpStage(r, p)
	case "AWS::ApiGateway::DomainName":
		r.Name = p.Get("DomainName").Str()
		r.MinTLSVersion = tlsVersion(p.Get("SecurityPolicy"))
		b.endpoint(r, p.Path("EndpointConfiguration", "Types"))
	case "AWS::ApiGatewayV2::DomainName":
		r.Name = p.Get("DomainName").Str()
		for _, c := range p.Get("DomainNameConfigurations").Items() {
			if sp := c.Get("SecurityPolicy"); sp.Present() {
				r.MinTLSVersion = tlsVersion(sp)
			}
		}
	case "AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer":
		r.Name = p.Get("Name").Str()
		t := p.Get("Type")
		if !t.Present() {
			t = p.Get("AuthorizerType")
		}
		r.Attrs = map[string]model.Str{"type": t.Str()}
		if api := p.Get("RestApiId"); api.Present() {
			r.Attrs["api"] = model.K(api.Target(), api.Pos)
		} else if api := p.Get("ApiId"); api.Present() {
			r.Attrs["api"] = model.K(api.Target(), api.Pos)
		}
	case "AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation":
		r.Attrs = map[string]model.Str{"resourceArn": p.Get("ResourceArn").Str()}
	case "AWS::Lambda::LayerVersion":
		r.Name = p.Get("LayerName").Str()
	}
	return r
}

func (b *builder) endpoint(r *model.Resource, types *V) {
	if !types.Present() {
		b.apiPublic[r.ID] = model.K(true, r.Pos)
		return
	}
	t := types.Items()
	if len(t) == 0 {
		return
	}
	r.EndpointType = t[0].Str()
	if r.EndpointType.IsKnown() {
		b.apiPublic[r.ID] = model.K(!strings.EqualFold(r.EndpointType.V, "PRIVATE"), r.EndpointType.Pos)
	} else {
		b.apiPublic[r.ID] = model.U[bool](r.EndpointType.Why, r.EndpointType.Pos)
	}
}

func tlsVersion(v *V) model.Str {
	s := v.Str()
	if s.IsKnown() {
		x := strings.TrimPrefix(strings.ToUpper(s.V), "TLS_")
		x = strings.ReplaceAll(x, "_", ".")
		if len(x) >= 3 {
			x = x[:3]
		}
		s.V = x
	}
	return s
}

func (b *builder) bucket(r *model.Resource, p *V) {
	r.Name = p.Get("BucketName").Str()
	for _, rule := range p.Path("BucketEncryption", "ServerSideEncryptionConfiguration").Items() {
		d := rule.Get("ServerSideEncryptionByDefault")
		alg := d.Get("SSEAlgorithm").Str()
		switch {
		case alg.IsKnown() && strings.HasPrefix(alg.V, "aws:kms"):
			if k := d.Get("KMSMasterKeyID"); k.Present() {
				r.KMSKey, r.Encryption = k.Str(), encryption(k)
			} else {
				r.Encryption = model.K("service", alg.Pos)
			}
		case alg.IsKnown():
			r.Encryption = model.K("service", alg.Pos)
		case alg.IsUnknown():
			r.Encryption = model.U[string](alg.Why, alg.Pos)
		}
	}
	if pab := p.Get("PublicAccessBlockConfiguration"); pab.Present() {
		if pab.K == kUnknown {
			r.PublicAccessBlocked = model.U[bool](pab.Why, pab.Pos)
		} else {
			r.PublicAccessBlocked = model.K(true, pab.Pos)
			for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
				v := pab.Get(k).Bool()
				switch {
				case v.IsUnknown():
					r.PublicAccessBlocked = v
				case !v.IsKnown() || !v.V:
					if r.PublicAccessBlocked.IsKnown() {
						r.PublicAccessBlocked = model.K(false, model.PosOr(pab.KeyPos(k), v.Pos))
						if !v.IsKnown() {
							r.PublicAccessBlocked.Pos = pab.Pos
						}
					}
				}
			}
		}
	}
	if acl := p.Get("AccessControl").Str(); acl.IsKnown() {
		r.PublicACL = model.K(strings.HasPrefix(acl.V, "Public"), acl.Pos)
	}
	if v := p.Path("VersioningConfiguration", "Status"); v.Present() {
		r.Attrs = map[string]model.Str{"versioning": v.Str()}
	}
}

func userPool(p *V) *model.UserPoolSettings {
	pp := p.Path("Policies", "PasswordPolicy")
	u := &model.UserPoolSettings{
		MinLength: pp.Get("MinimumLength").Int(), RequireLower: pp.Get("RequireLowercase").Bool(),
		RequireUpper: pp.Get("RequireUppercase").Bool(), RequireNumbers: pp.Get("RequireNumbers").Bool(),
		RequireSymbols: pp.Get("RequireSymbols").Bool(), MFA: p.Get("MfaConfiguration").Str(),
		AdvancedSecurity: p.Path("UserPoolAddOns", "AdvancedSecurityMode").Str(),
	}
	return u
}

func netRule(v *V) model.NetRule {
	nr := model.NetRule{Pos: v.Pos, Protocol: v.Get("IpProtocol").Str(), FromPort: v.Get("FromPort").Int(), ToPort: v.Get("ToPort").Int()}
	switch {
	case v.Get("CidrIp").Present():
		nr.CIDR = v.Get("CidrIp").Str()
	case v.Get("CidrIpv6").Present():
		nr.CIDR = v.Get("CidrIpv6").Str()
	case v.Get("SourceSecurityGroupId").Present():
		nr.CIDR = model.K("sg:"+textOrWhy(v.Get("SourceSecurityGroupId")), v.Pos)
	case v.Get("DestinationSecurityGroupId").Present():
		nr.CIDR = model.K("sg:"+textOrWhy(v.Get("DestinationSecurityGroupId")), v.Pos)
	case v.Get("SourcePrefixListId").Present() || v.Get("DestinationPrefixListId").Present():
		nr.CIDR = model.K("prefix-list", v.Pos)
	}
	return nr
}

func (b *builder) restStage(r *model.Resource, p *V) {
	r.Name = p.Get("StageName").Str()
	if api := p.Get("RestApiId"); api.Present() {
		r.Attrs = map[string]model.Str{"api": model.K(api.Target(), api.Pos)}
	}
	if al := p.Get("AccessLogSetting"); al.Present() {
		if d := al.Get("DestinationArn"); d.Present() {
			r.AccessLogging = model.K(true, d.Pos)
		} else {
			r.AccessLogging = model.K(false, al.Pos)
		}
	}
	r.Tracing = p.Get("TracingEnabled").Bool()
	stageMethodSettings(r, p.Get("MethodSettings").Items())
	if p.Get("CacheClusterEnabled").Present() {
		setAttr(r, "CacheClusterEnabled", p.Get("CacheClusterEnabled").Str())
	}
	if c := p.Get("ClientCertificateId"); c.Present() {
		setAttr(r, "ClientCertificateId", c.Str())
	}
}

// stageMethodSettings reads REST stage method settings; the most exposing
// value across settings wins (data trace on anywhere is data trace on).
func stageMethodSettings(r *model.Resource, ms []*V) {
	for _, m := range ms {
		if dt := m.Get("DataTraceEnabled").Bool(); dt.IsKnown() && (dt.V || r.DataTrace.IsAbsent()) || dt.IsUnknown() && !model.IsTrue(r.DataTrace) {
			r.DataTrace = dt
		}
		if ll := m.Get("LoggingLevel").Str(); !ll.IsAbsent() {
			r.ExecutionLogs = ll
		}
		throttle(r, m.Get("ThrottlingBurstLimit"), m.Get("ThrottlingRateLimit"), m.Pos)
		if ce := m.Get("CachingEnabled").Bool(); model.IsTrue(ce) {
			r.CacheEncrypted = m.Get("CacheDataEncrypted").Bool()
			if r.CacheEncrypted.IsAbsent() {
				r.CacheEncrypted = model.K(false, ce.Pos)
			}
		}
	}
}

func throttle(r *model.Resource, burst, rate *V, p model.Pos) {
	if !burst.Present() && !rate.Present() {
		return
	}
	if r.Throttle == nil {
		r.Throttle = &model.Throttle{Pos: p}
	}
	if burst.Present() {
		r.Throttle.Burst = burst.Int()
	}
	if rate.Present() {
		r.Throttle.Rate = rate.Int()
	}
}

func (b *builder) httpStage(r *model.Resource, p *V) {
	r.Name = p.Get("StageName").Str()
	if api := p.Get("ApiId"); api.Present() {
		r.Attrs = map[string]model.Str{"api": model.K(api.Target(), api.Pos)}
	}
	if al := p.Get("AccessLogSettings"); al.Present() {
		if d := al.Get("DestinationArn"); d.Present() {
			r.AccessLogging = model.K(true, d.Pos)
		} else {
			r.AccessLogging = model.K(false, al.Pos)
		}
	}
	rs := p.Get("DefaultRouteSettings")
	if rs.Present() {
		r.DataTrace = rs.Get("DataTraceEnabled").Bool()
		r.ExecutionLogs = rs.Get("LoggingLevel").Str()
		throttle(r, rs.Get("ThrottlingBurstLimit"), rs.Get("ThrottlingRateLimit"), rs.Pos)
	}
	for _, f := range p.Get("RouteSettings").Keys() {
		if dt := f.V.Get("DataTraceEnabled").Bool(); model.IsTrue(dt) {
			r.DataTrace = dt
		}
	}
}

// setAttr sets a named property in r.Attrs.
func setAttr(r *model.Resource, k string, v model.Str) {
	if r.Attrs == nil {
		r.Attrs = map[string]model.Str{}
	}
	r.Attrs[k] = v
}

// suppressions reads faasguard:ignore directives from a resource's
// Metadata — the way to suppress in JSON templates, and what CDK's
// addMetadata('faasguard', ...) produces:
//
//	Metadata:
//	  faasguard:
//	    ignore:
//	      - rule: FG-AUTH-001
//	        reason: public webhook, signature checked in code
//	        until: 2027-01-01
//
// They apply to findings on the resource and on what SAM generates for it
// (its role, its log group). The scan validates reasons and dates.
func (b *builder) suppressions(id string, md *yaml.Node) {
	for _, it := range yamlx.Items(yamlx.Path(md, "faasguard", "ignore")) {
		s := model.Suppression{Pos: yamlx.Pos(b.file, it), Subject: id}
		for _, r := range yamlx.Items(yamlx.Get(it, "rule")) {
			if yamlx.IsScalar(r) {
				s.Rules = append(s.Rules, strings.ToUpper(strings.TrimSpace(r.Value)))
			}
		}
		for _, r := range yamlx.Items(yamlx.Get(it, "rules")) {
			if yamlx.IsScalar(r) {
				s.Rules = append(s.Rules, strings.ToUpper(strings.TrimSpace(r.Value)))
			}
		}
		if r := yamlx.Get(it, "reason"); yamlx.IsScalar(r) {
			s.Reason = strings.TrimSpace(r.Value)
		}
		if u := yamlx.Get(it, "until"); yamlx.IsScalar(u) {
			s.Until = strings.TrimSpace(u.Value)
		}
		b.app.Suppressions = append(b.app.Suppressions, s)
	}
}

// jsonDocument parses a policy document written as a JSON string (a
// literal block in YAML, a string in JSON templates). Its values point at
// the property, the line the user edits.
func (b *builder) jsonDocument(doc *V, policy string) *V {
	n, err := yamlx.Parse(b.file, []byte(doc.S), yamlx.DefaultLimits)
	if err != nil || n == nil || n.Kind != yaml.MappingNode {
		b.app.Notef(model.NoteWarn, doc.Pos, "%s is a string that is not a JSON policy document: not modelled", policy)
		return &V{}
	}
	v := b.e.eval(n, 1)
	var place func(*V)
	place = func(x *V) {
		x.Pos = doc.Pos
		for _, c := range x.L {
			place(c)
		}
		for _, f := range x.M {
			place(f.V)
		}
	}
	place(v)
	return v
}
