package rules

import (
	"testing"

	"github.com/faasguard/faasguard/model"
)

func resApp(rs ...*model.Resource) *model.Application {
	a := app()
	a.Resources = rs
	return a
}

func res(id string, kind model.ResourceKind, mods ...func(*model.Resource)) *model.Resource {
	r := &model.Resource{ID: id, Kind: kind, Type: "AWS::X::Y", Pos: at}
	for _, m := range mods {
		m(r)
	}
	return r
}

func unk[T any]() model.Val[T] { return model.U[T]("Ref P", at) }

func TestResourceRules(t *testing.T) {
	tlsDeny := &model.Statement{Pos: at, Effect: k("Deny"), Conditions: map[string][]model.Str{"aws:securetransport": {k("false")}}}
	openAllow := &model.Statement{Pos: at, Effect: k("Allow"), Actions: []model.Str{k("sqs:SendMessage")}, Principals: []model.Principal{{Type: "*", Value: k("*")}}}
	condAllow := &model.Statement{Pos: at, Effect: k("Allow"), Principals: []model.Principal{{Type: "*", Value: k("*")}}, Conditions: map[string][]model.Str{"aws:sourcearn": {k("arn")}}}
	sg := func(in, out []model.NetRule) *model.Resource {
		return res("SG", model.ResSecurityGroup, func(r *model.Resource) { r.Ingress, r.Egress = in, out })
	}
	openAll := []model.NetRule{{Pos: at, CIDR: k("0.0.0.0/0"), Protocol: k("-1")}}
	https := []model.NetRule{{Pos: at, CIDR: k("0.0.0.0/0"), Protocol: k("tcp"), FromPort: k(443), ToPort: k(443)}}
	vpcFn := func(g *model.Resource) *model.Application {
		f := fn("f", func(f *model.Function) { f.VPC = &model.VPCConfig{Pos: at, SecurityGroups: []*model.Resource{g}} })
		a := app(f)
		a.Resources = []*model.Resource{g}
		return a
	}
	perm := func(principal string, mods ...func(*model.Permission)) *model.Application {
		p := &model.Permission{ID: "P", Pos: at, Principal: k(principal), Target: k("fn")}
		for _, m := range mods {
			m(p)
		}
		a := app()
		a.Permissions = []*model.Permission{p}
		return a
	}
	jwt := func(aud []model.Str) *model.Application {
		t := httpTrigger(k(model.AuthJWT))
		t.Authorizer, t.JWTAudience = k("jwt"), aud
		return app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{t} }))
	}
	wa := Config{Profile: ProfileWellArchitected}
	tests := []struct {
		name, rule string
		app        *model.Application
		cfg        Config
		want       int
	}{
		{"queue sse off", "FG-ENC-001", resApp(res("Q", model.ResQueue, func(r *model.Resource) { r.Encryption = k("none") })), Config{}, 1},
		{"queue default", "FG-ENC-001", resApp(res("Q", model.ResQueue)), Config{}, 0},
		{"queue unknown", "FG-ENC-001", resApp(res("Q", model.ResQueue, func(r *model.Resource) { r.Encryption = unk[string]() })), Config{}, 0},
		{"topic plain", "FG-ENC-002", resApp(res("T", model.ResTopic, func(r *model.Resource) { r.Type = "AWS::SNS::Topic" })), Config{}, 1},
		{"topic kms", "FG-ENC-002", resApp(res("T", model.ResTopic, func(r *model.Resource) { r.Type = "AWS::SNS::Topic"; r.Encryption = k("kms") })), Config{}, 0},
		{"topic implicit", "FG-ENC-002", resApp(res("T", model.ResTopic, func(r *model.Resource) { r.Type = "AWS::SNS::Topic"; r.Implicit = true })), Config{}, 0},
		{"stream plain", "FG-ENC-003", resApp(res("S", model.ResStream, func(r *model.Resource) { r.Type = "AWS::Kinesis::Stream" })), Config{}, 1},
		{"stream kms", "FG-ENC-003", resApp(res("S", model.ResStream, func(r *model.Resource) { r.Type = "AWS::Kinesis::Stream"; r.Encryption = k("kms") })), Config{}, 0},
		{"table no cmk", "FG-ENC-004", resApp(res("T", model.ResTable)), wa, 1},
		{"table no cmk default profile", "FG-ENC-004", resApp(res("T", model.ResTable)), Config{}, 0},
		{"table cmk", "FG-ENC-004", resApp(res("T", model.ResTable, func(r *model.Resource) { r.Encryption = k("kms") })), wa, 0},
		{"bucket no tls", "FG-ENC-005", resApp(res("B", model.ResBucket)), Config{}, 1},
		{"bucket tls", "FG-ENC-005", resApp(res("B", model.ResBucket, func(r *model.Resource) { r.Policy = []*model.Statement{tlsDeny} })), Config{}, 0},
		{"bucket policy unknown", "FG-ENC-005", resApp(res("B", model.ResBucket, func(r *model.Resource) {
			r.Policy = []*model.Statement{{Pos: at, Effect: unk[string]()}}
		})), Config{}, 0},
		{"cache plain", "FG-ENC-006", resApp(res("S", model.ResStage, func(r *model.Resource) { r.CacheEncrypted = k(false) })), Config{}, 1},
		{"cache enc", "FG-ENC-006", resApp(res("S", model.ResStage, func(r *model.Resource) { r.CacheEncrypted = k(true) })), Config{}, 0},
		{"data trace", "FG-LOG-010", resApp(res("S", model.ResStage, func(r *model.Resource) { r.DataTrace = k(true) })), Config{}, 1},
		{"data trace off", "FG-LOG-010", resApp(res("S", model.ResStage, func(r *model.Resource) { r.DataTrace = k(false) })), Config{}, 0},
		{"no access log", "FG-LOG-011", resApp(res("S", model.ResStage)), Config{}, 1},
		{"access log", "FG-LOG-011", resApp(res("S", model.ResStage, func(r *model.Resource) { r.AccessLogging = k(true) })), Config{}, 0},
		{"access log unknown", "FG-LOG-011", resApp(res("S", model.ResStage, func(r *model.Resource) { r.AccessLogging = unk[bool]() })), Config{}, 0},
		{"stage tracing off", "FG-LOG-012", resApp(res("S", model.ResStage, func(r *model.Resource) { r.Type = "AWS::ApiGateway::Stage" })), wa, 1},
		{"http stage tracing n/a", "FG-LOG-012", resApp(res("S", model.ResStage, func(r *model.Resource) { r.Type = "AWS::ApiGatewayV2::Stage" })), wa, 0},
		{"weak password", "FG-AUTH-010", resApp(res("U", model.ResUserPool, func(r *model.Resource) {
			r.UserPool = &model.UserPoolSettings{MinLength: k(6)}
		})), Config{}, 1},
		{"default password", "FG-AUTH-010", resApp(res("U", model.ResUserPool, func(r *model.Resource) { r.UserPool = &model.UserPoolSettings{} })), Config{}, 0},
		{"mfa absent", "FG-AUTH-011", resApp(res("U", model.ResUserPool, func(r *model.Resource) { r.UserPool = &model.UserPoolSettings{} })), Config{}, 1},
		{"mfa on", "FG-AUTH-011", resApp(res("U", model.ResUserPool, func(r *model.Resource) { r.UserPool = &model.UserPoolSettings{MFA: k("ON")} })), Config{}, 0},
		{"mfa unknown", "FG-AUTH-011", resApp(res("U", model.ResUserPool, func(r *model.Resource) { r.UserPool = &model.UserPoolSettings{MFA: unk[string]()} })), Config{}, 0},
		{"password flow", "FG-AUTH-012", resApp(res("C", model.ResUserPoolClient, func(r *model.Resource) {
			r.UserPool = &model.UserPoolSettings{ExplicitAuthFlows: []model.Str{k("ALLOW_USER_SRP_AUTH"), k("ALLOW_USER_PASSWORD_AUTH")}}
		})), Config{}, 1},
		{"srp flow", "FG-AUTH-012", resApp(res("C", model.ResUserPoolClient, func(r *model.Resource) {
			r.UserPool = &model.UserPoolSettings{ExplicitAuthFlows: []model.Str{k("ALLOW_USER_SRP_AUTH")}}
		})), Config{}, 0},
		{"jwt no audience", "FG-AUTH-013", jwt(nil), Config{}, 1},
		{"jwt audience", "FG-AUTH-013", jwt([]model.Str{k("client")}), Config{}, 0},
		{"jwt audience unknown", "FG-AUTH-013", jwt([]model.Str{unk[string]()}), Config{}, 0},
		{"method open", "FG-AUTH-014", resApp(res("M", model.ResMethod, func(r *model.Resource) {
			r.Attrs = map[string]model.Str{"authorizationType": k("NONE"), "httpMethod": k("GET")}
		})), Config{}, 1},
		{"method iam", "FG-AUTH-014", resApp(res("M", model.ResMethod, func(r *model.Resource) {
			r.Attrs = map[string]model.Str{"authorizationType": k("AWS_IAM"), "httpMethod": k("GET")}
		})), Config{}, 0},
		{"method options", "FG-AUTH-014", resApp(res("M", model.ResMethod, func(r *model.Resource) {
			r.Attrs = map[string]model.Str{"authorizationType": k("NONE"), "httpMethod": k("OPTIONS")}
		})), Config{}, 0},
		{"method private api", "FG-AUTH-014", resApp(res("M", model.ResMethod, func(r *model.Resource) {
			r.Attrs = map[string]model.Str{"authorizationType": k("NONE"), "httpMethod": k("GET"), "public": k("false")}
		})), Config{}, 0},
		{"principal star", "FG-EXP-010", perm("*"), Config{}, 1},
		{"principal star url none", "FG-EXP-010", perm("*", func(p *model.Permission) { p.URLAuthType = k("NONE") }), Config{}, 0},
		{"principal account", "FG-EXP-010", perm("123456789012"), Config{}, 0},
		{"service no source", "FG-EXP-011", perm("s3.amazonaws.com"), Config{}, 1},
		{"service source arn", "FG-EXP-011", perm("s3.amazonaws.com", func(p *model.Permission) { p.SourceArn = k("arn:aws:s3:::b") }), Config{}, 0},
		{"service source unknown", "FG-EXP-011", perm("sns.amazonaws.com", func(p *model.Permission) { p.SourceArn = unk[string]() }), Config{}, 0},
		{"open queue policy", "FG-EXP-012", resApp(res("Q", model.ResQueue, func(r *model.Resource) { r.Policy = []*model.Statement{openAllow} })), Config{}, 1},
		{"conditioned policy", "FG-EXP-012", resApp(res("Q", model.ResQueue, func(r *model.Resource) { r.Policy = []*model.Statement{condAllow} })), Config{}, 0},
		{"public access off", "FG-EXP-013", resApp(res("B", model.ResBucket, func(r *model.Resource) { r.PublicAccessBlocked = k(false) })), Config{}, 1},
		{"public access default", "FG-EXP-013", resApp(res("B", model.ResBucket)), Config{}, 0},
		{"egress all", "FG-NET-001", vpcFn(sg(nil, openAll)), wa, 1},
		{"egress https", "FG-NET-001", vpcFn(sg(nil, https)), wa, 0},
		{"ingress on fn sg", "FG-NET-002", vpcFn(sg(https, nil)), Config{}, 1},
		{"ingress https elsewhere", "FG-NET-002", resApp(sg(https, nil)), Config{}, 0},
		{"ingress all elsewhere", "FG-NET-002", resApp(sg(openAll, nil)), Config{}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := run(t, tc.rule, tc.app, tc.cfg)
			if len(fs) != tc.want {
				t.Errorf("%s: %d findings, want %d: %+v", tc.rule, len(fs), tc.want, fs)
			}
		})
	}
}

func TestNoWAF(t *testing.T) {
	stage := &model.Resource{ID: "Stage", Kind: model.ResStage, Pos: at}
	api := &model.Resource{ID: "Api", Kind: model.ResAPI, Pos: at, Protocol: k("REST"), Stages: []*model.Resource{stage}}
	tr := httpTrigger(k(model.AuthIAM))
	tr.API, tr.Public = api, k(true)
	a := app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{tr} }))
	a.Resources = []*model.Resource{api, stage}
	if fs := run(t, "FG-EXP-014", a, Config{Profile: ProfileWellArchitected}); len(fs) != 1 {
		t.Errorf("want 1 finding, got %+v", fs)
	}
	stage.WAF = k(true)
	if fs := run(t, "FG-EXP-014", a, Config{Profile: ProfileWellArchitected}); len(fs) != 0 {
		t.Errorf("want none with WAF, got %+v", fs)
	}
}
