package serverless

import (
	"path/filepath"
	"testing"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

func loadOne(t testing.TB, dir string) *model.Application {
	t.Helper()
	tree, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	apps := (Loader{}).Load(t.Context(), tree, loader.Options{})
	if len(apps) != 1 {
		t.Fatalf("%s: %d apps", dir, len(apps))
	}
	return apps[0]
}

func hasAction(r *model.Role, action string) bool {
	for _, s := range r.Statements {
		for _, a := range s.Actions {
			if a.IsKnown() && a.V == action {
				return true
			}
		}
	}
	return false
}

// TestPerFunctionRoles checks the plugin's rules: own statements give a
// per-function role, inherit adds the provider's statements, the others
// share the default role.
func TestPerFunctionRoles(t *testing.T) {
	a := loadOne(t, filepath.Join("testdata", "fixtures", "plugin-per-function"))
	for _, tc := range []struct {
		fn, role    string
		perFunction bool
		has, hasNot []string
		functions   int
	}{
		{"own", "OwnIamRoleLambdaExecution", true, []string{"dynamodb:PutItem", "logs:PutLogEvents"}, []string{"xray:PutTraceSegments"}, 1},
		{"inheriting", "InheritingIamRoleLambdaExecution", true, []string{"sqs:SendMessage", "xray:PutTraceSegments"}, nil, 1},
		{"inVpc", "InVpcIamRoleLambdaExecution", true, []string{"s3:GetObject", "dynamodb:GetRecords"}, []string{"xray:PutTraceSegments"}, 1},
		{"plainA", sharedRoleID, false, []string{"xray:PutTraceSegments", "logs:CreateLogStream"}, nil, 2},
	} {
		f := a.Function(tc.fn)
		if f == nil || f.Role == nil || f.Role.ID != tc.role {
			t.Fatalf("%s: role %v, want %s", tc.fn, f.Role, tc.role)
		}
		if f.Role.PerFunction != tc.perFunction || len(f.Role.Functions) != tc.functions {
			t.Errorf("%s: PerFunction=%v functions=%d", tc.fn, f.Role.PerFunction, len(f.Role.Functions))
		}
		for _, act := range tc.has {
			if !hasAction(f.Role, act) {
				t.Errorf("%s: role lacks %s", tc.fn, act)
			}
		}
		for _, act := range tc.hasNot {
			if hasAction(f.Role, act) {
				t.Errorf("%s: role has %s", tc.fn, act)
			}
		}
	}
	if got := a.Role("InVpcIamRoleLambdaExecution").ManagedPolicies; len(got) != 1 || got[0].V != vpcPolicy {
		t.Errorf("VPC function's role managed policies = %v", got)
	}
}

// TestInsecureExample checks the facts the foundation rules read.
func TestInsecureExample(t *testing.T) {
	a := loadOne(t, filepath.Join("..", "..", "examples", "serverless", "insecure"))
	shared := a.Role(sharedRoleID)
	if shared == nil || len(shared.Functions) != len(a.Functions) || len(a.Functions) != 6 {
		t.Fatalf("want one role shared by all 6 functions, got %v", shared)
	}
	if u := a.Function("receipt").URL; u == nil || u.AuthType.V != "NONE" {
		t.Errorf("receipt URL = %+v", u)
	}
	api := a.Function("api")
	if tr := api.Triggers[0]; tr.Auth.V != model.AuthNone || !model.IsTrue(tr.Public) || tr.API == nil || tr.API.Throttle != nil {
		t.Errorf("api trigger = %+v", tr)
	}
	if ok, _ := api.Triggers[0].CORS.AllowsAnyOrigin(); !ok {
		t.Error("cors: true does not allow any origin")
	}
	th := a.Function("thumbnail")
	if src := th.Triggers[0].Source; src == nil || src.ARN.V != "arn:aws:s3:::acme-orders-uploads-dev" {
		t.Errorf("thumbnail source = %+v", src)
	}
	if !th.DeadLetter.IsAbsent() || !th.OnFailure.IsAbsent() || !th.LogGroup.RetentionDays.IsAbsent() {
		t.Error("thumbnail has a DLQ, destination or retention it should not have")
	}
	if ws := a.Function("chat").Triggers[1]; ws.Auth.V != model.AuthNone {
		t.Errorf("$default route auth = %v", ws.Auth)
	}
	if w := a.Function("worker"); w.Timeout.V != 900 || w.Runtime.V != "python3.7" {
		t.Errorf("worker timeout/runtime = %v/%v", w.Timeout, w.Runtime)
	}
	if len(a.Embedded) != 1 || a.Embedded[0].Format != "cloudformation" || a.Embedded[0].Resolve == nil {
		t.Errorf("embedded = %+v", a.Embedded)
	}
	if s, ok := a.Embedded[0].Resolve("acme-orders-${sls:stage}"); !ok || s != "acme-orders-dev" {
		t.Errorf("embedded resolver = %q %v", s, ok)
	}
}

func TestSecureExample(t *testing.T) {
	a := loadOne(t, filepath.Join("..", "..", "examples", "serverless", "secure"))
	for _, f := range a.Functions {
		if f.Role == nil || !f.Role.PerFunction || len(f.Role.Functions) != 1 {
			t.Errorf("%s: not a per-function role: %v", f.ID, f.Role)
		}
		for _, e := range f.Environment {
			if (e.Name == "STRIPE_SECRET_KEY" || e.Name == "DB_PASSWORD") && (!e.Value.IsUnknown() || !e.FromSecretStore) {
				t.Errorf("%s: %s = %+v, want an Unknown SSM reference", f.ID, e.Name, e.Value)
			}
		}
		if !model.IsTrue(f.Tracing) || !f.LogGroup.RetentionDays.IsKnown() || !f.KMSKey.IsKnown() || !f.ReservedConcurrency.IsKnown() {
			t.Errorf("%s: tracing/retention/KMS/reserved concurrency missing", f.ID)
		}
	}
	if api := a.Resource("ApiGatewayRestApi"); api.Throttle == nil || !model.IsTrue(api.AccessLogging) || !model.IsTrue(api.Tracing) {
		t.Errorf("API = %+v", api)
	}
}

func BenchmarkLoadInsecureExample(b *testing.B) {
	tree, err := loader.Walk(filepath.Join("..", "..", "examples", "serverless", "insecure"), loader.WalkOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		LoadFile(tree, "serverless.yml", loader.Options{})
	}
}
