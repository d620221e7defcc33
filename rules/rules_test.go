package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/model"
)

var at = model.Pos{File: "app.yml", Line: 7, Col: 3}

func k[T any](v T) model.Val[T] { return model.K(v, at) }

func fn(id string, mods ...func(*model.Function)) *model.Function {
	f := &model.Function{ID: id, Pos: at, Runtime: k("nodejs22.x"), Timeout: k(10), Tracing: k(true),
		LogGroup: &model.Resource{ID: id + "-logs", Kind: model.ResLogGroup, RetentionDays: k(30)}}
	for _, m := range mods {
		m(f)
	}
	return f
}

func app(fns ...*model.Function) *model.Application {
	a := &model.Application{Name: "svc", Provider: model.AWS, File: "app.yml", Functions: fns}
	seen := map[*model.Role]bool{}
	for _, f := range fns {
		if f.Role != nil && !seen[f.Role] {
			seen[f.Role] = true
			a.Roles = append(a.Roles, f.Role)
		}
	}
	a.Link()
	return a
}

func role(id string, stmts ...*model.Statement) *model.Role {
	return &model.Role{ID: id, Pos: at, Statements: stmts}
}

func allow(actions []string, resources ...string) *model.Statement {
	s := &model.Statement{Pos: at, Effect: k("Allow")}
	for _, a := range actions {
		s.Actions = append(s.Actions, k(a))
	}
	for _, r := range resources {
		s.Resources = append(s.Resources, k(r))
	}
	return s
}

func httpTrigger(auth model.Val[model.AuthKind]) *model.Trigger {
	return &model.Trigger{Kind: model.TriggerHTTP, Type: "http", Pos: at, Method: k("post"), Path: k("/users"), Auth: auth}
}

func run(t *testing.T, id string, a *model.Application, cfg Config) []Finding {
	t.Helper()
	cfg.Only = []string{id}
	if cfg.Now.IsZero() {
		cfg.Now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	}
	fs := Run([]*model.Application{a}, cfg)
	for _, n := range a.Notes {
		if n.Level == model.NoteError {
			t.Fatalf("rule error: %s", n.Message)
		}
	}
	return fs
}

func TestRules(t *testing.T) {
	shared := role("Shared", allow([]string{"s3:GetObject"}, "arn:aws:s3:::b/*"))
	tests := []struct {
		rule    string
		app     *model.Application
		cfg     Config
		want    int
		wantSev Severity
		msg     string
	}{
		{"FG-EXP-001", app(fn("f", func(f *model.Function) { f.URL = &model.FunctionURL{Pos: at, AuthType: k("NONE")} })), Config{}, 1, Critical, "auth type NONE"},
		{"FG-EXP-001", app(fn("f", func(f *model.Function) { f.URL = &model.FunctionURL{Pos: at, AuthType: k("AWS_IAM")} })), Config{}, 0, 0, ""},
		{"FG-EXP-001", app(fn("f", func(f *model.Function) {
			f.URL = &model.FunctionURL{Pos: at, AuthType: model.U[string]("${ssm:x}", at)}
		})), Config{}, 0, 0, ""},

		{"FG-AUTH-001", app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{httpTrigger(model.Val[model.AuthKind]{})} })), Config{}, 1, High, "POST /users"},
		{"FG-AUTH-001", app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{httpTrigger(k(model.AuthCognito))} })), Config{}, 0, 0, ""},
		{"FG-AUTH-001", app(fn("f", func(f *model.Function) {
			tr := httpTrigger(model.Val[model.AuthKind]{})
			tr.Public = k(false)
			f.Triggers = []*model.Trigger{tr}
		})), Config{}, 0, 0, ""},
		{"FG-AUTH-001", app(fn("f", func(f *model.Function) {
			f.Triggers = []*model.Trigger{httpTrigger(model.U[model.AuthKind]("${self:custom.auth}", at))}
		})), Config{}, 0, 0, ""},
		{"FG-AUTH-001", app(fn("ws", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerWebSocket, Type: "websocket", Path: k("$default"), Pos: at}}
		})), Config{}, 0, 0, ""},
		{"FG-AUTH-002", app(fn("f", func(f *model.Function) {
			tr := httpTrigger(model.Val[model.AuthKind]{})
			tr.APIKeyRequired = k(true)
			f.Triggers = []*model.Trigger{tr}
		})), Config{}, 1, Medium, "API key only"},

		{"FG-IAM-001", app(fn("f", func(f *model.Function) { f.Role = role("R", allow([]string{"*"}, "*")) })), Config{}, 1, Critical, "every action"},
		{"FG-IAM-001", app(fn("f", func(f *model.Function) { f.Role = role("R", allow([]string{"dynamodb:*"}, "arn:t")) })), Config{}, 1, High, "dynamodb:*"},
		{"FG-IAM-001", app(fn("f", func(f *model.Function) { f.Role = role("R", allow([]string{"dynamodb:GetItem"}, "*")) })), Config{}, 0, 0, ""},
		{"FG-IAM-002", app(fn("f", func(f *model.Function) { f.Role = role("R", allow([]string{"s3:PutObject", "s3:GetObject"}, "*")) })), Config{}, 1, Medium, "s3:PutObject"},
		{"FG-IAM-002", app(fn("f", func(f *model.Function) {
			f.Role = role("R", allow([]string{"s3:GetObject", "xray:PutTraceSegments"}, "*"))
		})), Config{}, 0, 0, ""},
		{"FG-IAM-003", app(fn("f", func(f *model.Function) {
			f.Role = role("R")
			f.Role.ManagedPolicies = []model.Str{k("arn:aws:iam::aws:policy/AdministratorAccess")}
		})), Config{}, 1, Critical, "AdministratorAccess"},
		{"FG-IAM-003", app(fn("f", func(f *model.Function) {
			f.Role = role("R")
			f.Role.ManagedPolicies = []model.Str{k("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")}
		})), Config{}, 1, High, "full-access"},
		{"FG-IAM-003", app(fn("f", func(f *model.Function) {
			f.Role = role("R")
			f.Role.ManagedPolicies = []model.Str{k("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")}
		})), Config{}, 0, 0, ""},
		{"FG-IAM-004", app(fn("a", func(f *model.Function) { f.Role = shared }), fn("b", func(f *model.Function) { f.Role = shared })), Config{}, 1, Medium, "shared by 2 functions"},
		{"FG-IAM-004", app(fn("a", func(f *model.Function) { f.Role = role("A") }), fn("b", func(f *model.Function) { f.Role = role("B") })), Config{}, 0, 0, ""},
		{"FG-IAM-005", app(fn("f", func(f *model.Function) {
			f.Role = role("R", &model.Statement{Pos: at, Effect: k("Allow"), NotActions: []model.Str{k("iam:*")}, Resources: []model.Str{k("*")}})
		})), Config{}, 1, High, "NotAction"},

		{"FG-LIM-001", app(fn("f", func(f *model.Function) { f.Timeout = k(900) })), Config{}, 1, Medium, "900 s"},
		{"FG-LIM-001", app(fn("f", func(f *model.Function) { f.Timeout = k(900) })), Config{TimeoutCeiling: 900}, 0, 0, ""},
		{"FG-LIM-002", app(fn("f", func(f *model.Function) {
			f.Timeout = k(60)
			f.Triggers = []*model.Trigger{httpTrigger(k(model.AuthJWT))}
		})), Config{}, 1, Medium, "29 s"},
		{"FG-LIM-002", app(fn("f", func(f *model.Function) { f.Timeout = k(60) })), Config{}, 0, 0, ""},
		{"FG-LIM-003", app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{httpTrigger(model.Val[model.AuthKind]{})} })), Config{}, 0, 0, ""},
		{"FG-LIM-003", app(fn("f", func(f *model.Function) { f.Triggers = []*model.Trigger{httpTrigger(model.Val[model.AuthKind]{})} })), Config{Profile: ProfileWellArchitected}, 1, Medium, "reserved"},
		{"FG-LIM-004", app(fn("f", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerStorage, Type: "s3", Pos: at}}
		})), Config{}, 1, Medium, "dropped"},
		{"FG-LIM-004", app(fn("f", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerStorage, Type: "s3", Pos: at}}
			f.OnFailure = k("arn:aws:sqs:us-east-1:1:dlq")
		})), Config{}, 0, 0, ""},
		{"FG-LIM-004", app(fn("f", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerQueue, Type: "sqs", Pos: at}}
		})), Config{}, 0, 0, ""},

		{"FG-EXP-003", app(fn("f", func(f *model.Function) {
			tr := httpTrigger(k(model.AuthJWT))
			tr.CORS = &model.CORS{Pos: at, Origins: []model.Str{k("*")}, Credentials: k(true)}
			f.Triggers = []*model.Trigger{tr}
		})), Config{}, 1, High, "with credentials"},
		{"FG-EXP-003", app(fn("f", func(f *model.Function) {
			tr := httpTrigger(k(model.AuthJWT))
			tr.CORS = &model.CORS{Pos: at, Origins: []model.Str{k("https://app.example.com")}}
			f.Triggers = []*model.Trigger{tr}
		})), Config{}, 0, 0, ""},
		{"FG-LIM-005", apiApp(nil), Config{}, 1, Medium, "no throttling"},
		{"FG-LIM-005", apiApp(&model.Throttle{Pos: at, Rate: k(100), Burst: k(50)}), Config{}, 0, 0, ""},
		{"FG-LIM-005", apiApp(&model.Throttle{Pos: at, Rate: model.U[int]("${param:rate}", at)}), Config{}, 0, 0, ""},
		{"FG-LOG-001", app(fn("f", func(f *model.Function) { f.Tracing = model.Bool{} })), Config{}, 1, Low, "tracing"},
		{"FG-LOG-001", app(fn("f")), Config{}, 0, 0, ""},
		{"FG-LOG-002", app(fn("f", func(f *model.Function) { f.LogGroup.RetentionDays = model.Int{}; f.LogGroup.Implicit = true })), Config{}, 1, Low, "implicit log group"},
		{"FG-LOG-002", app(fn("f")), Config{}, 0, 0, ""},

		{"FG-SUP-001", app(fn("f", func(f *model.Function) { f.Runtime = k("nodejs14.x") })), Config{}, 1, High, "2023-12-04"},
		{"FG-SUP-001", app(fn("f", func(f *model.Function) { f.Runtime = k("dotnet8") })), Config{Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}, 1, Medium, "goes out of support"},
		{"FG-SUP-001", app(fn("f")), Config{}, 0, 0, ""},

		{"FG-SEC-001", app(fn("f", func(f *model.Function) {
			f.Environment = []model.EnvVar{{Name: "DB_PASSWORD", Value: k("Zq8#mL2v!pR7wX4t"), Pos: at}}
		})), Config{}, 1, High, "DB_PASSWORD"},
		{"FG-SEC-001", app(fn("f", func(f *model.Function) {
			f.Environment = []model.EnvVar{{Name: "DB_PASSWORD", Value: model.U[string]("${ssm:/db/pass}", at), Pos: at},
				{Name: "AWS_KEY", Value: k("AKIAIOSFODNN7EXAMPLE"), Pos: at}, {Name: "API_TOKEN", Value: k("changeme"), Pos: at}}
		})), Config{}, 0, 0, ""},
		{"FG-SEC-002", app(fn("f", func(f *model.Function) {
			f.Environment = []model.EnvVar{{Name: "DB_PASSWORD", Value: model.U[string]("${ssm:/db/pass}", at), Pos: at}}
		})), Config{}, 1, Medium, "DB_PASSWORD"},
		{"FG-SEC-002", app(fn("f", func(f *model.Function) {
			f.KMSKey = k("arn:aws:kms:eu-west-1:1:key/x")
			f.Environment = []model.EnvVar{{Name: "DB_PASSWORD", Value: k("x"), Pos: at}}
		})), Config{}, 0, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.msg, func(t *testing.T) {
			fs := run(t, tc.rule, tc.app, tc.cfg)
			if len(fs) != tc.want {
				t.Fatalf("got %d findings, want %d: %+v", len(fs), tc.want, fs)
			}
			if tc.want == 0 {
				return
			}
			f := fs[0]
			if f.Severity != tc.wantSev {
				t.Errorf("severity %s, want %s", f.Severity, tc.wantSev)
			}
			if !strings.Contains(f.Message, tc.msg) {
				t.Errorf("message %q lacks %q", f.Message, tc.msg)
			}
			if f.Pos.File != "app.yml" || f.Pos.Line == 0 {
				t.Errorf("finding without position: %+v", f.Pos)
			}
		})
	}
}

func TestRecursiveLoop(t *testing.T) {
	bucket := &model.Resource{ID: "Uploads", Kind: model.ResBucket, Name: k("uploads-bucket")}
	mk := func(res string, actions ...string) *model.Application {
		return app(fn("resize", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerStorage, Type: "s3", Pos: at, Source: bucket, SourceRef: k("uploads-bucket")}}
			f.OnFailure = k("x")
			f.Role = role("R", allow(actions, res))
		}))
	}
	cases := []struct {
		name string
		app  *model.Application
		want int
		sev  Severity
	}{
		{"same bucket", mk("arn:aws:s3:::uploads-bucket/*", "s3:PutObject"), 1, High},
		{"wildcard action", mk("arn:aws:s3:::uploads-bucket/*", "s3:*"), 1, High},
		{"resource star", mk("*", "s3:PutObject"), 1, Medium},
		{"other bucket", mk("arn:aws:s3:::thumbnails/*", "s3:PutObject"), 0, 0},
		{"read only", mk("arn:aws:s3:::uploads-bucket/*", "s3:GetObject"), 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := run(t, "FG-EXP-002", c.app, Config{})
			if len(fs) != c.want {
				t.Fatalf("got %d findings, want %d: %+v", len(fs), c.want, fs)
			}
			if c.want > 0 && fs[0].Severity != c.sev {
				t.Errorf("severity %s, want %s", fs[0].Severity, c.sev)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	if len(All()) < 20 {
		t.Fatalf("only %d rules registered", len(All()))
	}
	for _, r := range All() {
		if r.Risk == "" || len(r.Refs.CWE) == 0 {
			t.Errorf("%s lacks a seed risk or a CWE reference", r.ID)
		}
		if !strings.Contains(Markdown(r), r.Remediation) {
			t.Errorf("%s: documentation lacks the remediation", r.ID)
		}
	}
	if _, ok := Get("fg-iam-001"); !ok {
		t.Error("Get is not case-insensitive")
	}
}

func TestPanickingRuleIsANote(t *testing.T) {
	r := &Rule{ID: "FG-ENV-999", Title: "t", Family: ENV, Rationale: "r", Remediation: "r",
		Check: func(c *Context) { panic("boom") }}
	a := app(fn("f"))
	var out []Finding
	cfg := Config{}
	runOne(a, r, &cfg, &out)
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0].Message, "boom") {
		t.Fatalf("panic not turned into a note: %+v", a.Notes)
	}
}

func TestSelection(t *testing.T) {
	r, _ := Get("FG-IAM-001")
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{
		{Config{}, true},
		{Config{Only: []string{"IAM"}}, true},
		{Config{Only: []string{"FG-AUTH-*"}}, false},
		{Config{Skip: []string{"fg-iam-*"}}, false},
		{Config{Skip: []string{"FG-IAM-002"}}, true},
	} {
		if got := tc.cfg.Enabled(r); got != tc.want {
			t.Errorf("%+v: Enabled = %v, want %v", tc.cfg, got, tc.want)
		}
	}
}

// TestWildMatch pins the wildcard semantics the rules rely on (the IAM
// catalogue's matcher).
func TestWildMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"s3:*", "s3:putobject", true}, {"s3:put*", "s3:putobject", true}, {"s3:get*", "s3:putobject", false},
		{"*", "", true}, {"a?c", "abc", true}, {"a*b*c", "aXXbYYc", true}, {"a*b*c", "aXXbYY", false},
	} {
		if got := catalog.MatchFold(tc.p, tc.s); got != tc.want {
			t.Errorf("MatchFold(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func apiApp(th *model.Throttle) *model.Application {
	api := &model.Resource{ID: "ApiGatewayRestApi", Kind: model.ResAPI, Pos: at, Implicit: true, Throttle: th}
	a := app(fn("f", func(f *model.Function) {
		tr := httpTrigger(k(model.AuthJWT))
		tr.API = api
		f.Triggers = []*model.Trigger{tr}
	}))
	a.Resources = append(a.Resources, api)
	return a
}

func TestProdDebug(t *testing.T) {
	mk := func(stage string) *model.Application {
		a := app(fn("f", func(f *model.Function) {
			f.Environment = []model.EnvVar{{Name: "LOG_LEVEL", Value: k("DEBUG"), Pos: at}, {Name: "TABLE", Value: k("t"), Pos: at}}
		}))
		a.Stage = k(stage)
		return a
	}
	if fs := run(t, "FG-ENV-001", mk("prod"), Config{}); len(fs) != 1 {
		t.Errorf("prod with LOG_LEVEL=DEBUG: %d findings", len(fs))
	}
	if fs := run(t, "FG-ENV-001", mk("dev"), Config{}); len(fs) != 0 {
		t.Errorf("dev: %d findings", len(fs))
	}
}

func TestWritableTriggerBucket(t *testing.T) {
	mk := func(principal string, cond bool) *model.Application {
		st := allow([]string{"s3:PutObject"}, "arn:aws:s3:::up/*")
		st.Principals = []model.Principal{{Type: "AWS", Value: k(principal)}}
		if cond {
			st.Conditions = map[string][]model.Str{"aws:sourcevpce": {k("vpce-1")}}
		}
		b := &model.Resource{ID: "Up", Kind: model.ResBucket, Policy: []*model.Statement{st}}
		return app(fn("f", func(f *model.Function) {
			f.Triggers = []*model.Trigger{{Kind: model.TriggerStorage, Type: "s3", Pos: at, Source: b}}
		}))
	}
	if fs := run(t, "FG-EXP-004", mk("*", false), Config{}); len(fs) != 1 {
		t.Errorf("public write: %d findings", len(fs))
	}
	if fs := run(t, "FG-EXP-004", mk("*", true), Config{}); len(fs) != 0 {
		t.Errorf("conditioned write: %d findings", len(fs))
	}
	if fs := run(t, "FG-EXP-004", mk("arn:aws:iam::1:role/uploader", false), Config{}); len(fs) != 0 {
		t.Errorf("one role: %d findings", len(fs))
	}
}

func TestBroadTrust(t *testing.T) {
	mk := func(principal, typ string, cond bool) *model.Application {
		st := allow([]string{"sts:AssumeRole"})
		st.Principals = []model.Principal{{Type: typ, Value: k(principal)}}
		if cond {
			st.Conditions = map[string][]model.Str{"aws:principalorgid": {k("o-1")}}
		}
		return app(fn("f", func(f *model.Function) { f.Role = role("R"); f.Role.Trust = []*model.Statement{st} }))
	}
	for _, tc := range []struct {
		p, typ string
		cond   bool
		want   int
	}{{"*", "AWS", false, 1}, {"*", "*", false, 1}, {"*", "AWS", true, 0}, {"lambda.amazonaws.com", "Service", false, 0}} {
		if fs := run(t, "FG-IAM-010", mk(tc.p, tc.typ, tc.cond), Config{}); len(fs) != tc.want {
			t.Errorf("%+v: %d findings", tc, len(fs))
		}
	}
}

func TestUnlinked(t *testing.T) {
	a := app(fn("f"))
	a.Unlinked = []model.Unlinked{{Pos: at, Resource: "aws_lambda_permission.p", Type: "aws_lambda_permission", Ref: "aws_lambda_function.old.arn"}}
	fs := run(t, "FG-EXP-005", a, Config{})
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "aws_lambda_permission.p points at aws_lambda_function.old.arn") {
		t.Fatalf("%+v", fs)
	}
	if fs := run(t, "FG-EXP-005", app(fn("f")), Config{}); len(fs) != 0 {
		t.Errorf("no unlinked resource: %d findings", len(fs))
	}
}
