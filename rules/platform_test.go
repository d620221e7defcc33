package rules

import (
	"testing"

	"github.com/faasguard/faasguard/model"
)

// platformApp builds an app of one provider whose functions share the
// hosting properties p (the way a function app's settings are shared).
func platformApp(prov model.Provider, p model.Platform, fns ...*model.Function) *model.Application {
	for _, f := range fns {
		f.Platform = p
	}
	a := app(fns...)
	a.Provider = prov
	return a
}

func declared(mod func(*model.Platform)) model.Platform {
	p := model.Platform{Declared: true}
	if mod != nil {
		mod(&p)
	}
	return p
}

func withTrigger(t *model.Trigger) func(*model.Function) {
	return func(f *model.Function) { f.Triggers = append(f.Triggers, t) }
}

func withEnv(name, value string) func(*model.Function) {
	return func(f *model.Function) {
		f.Environment = append(f.Environment, model.EnvVar{Name: name, Value: k(value), Pos: at})
	}
}

func TestPlatformRules(t *testing.T) {
	anon := func() *model.Trigger { tr := httpTrigger(k(model.AuthNone)); tr.Public = k(true); return tr }
	keyed := func() *model.Trigger { return httpTrigger(k(model.AuthFunctionKey)) }
	event := func() *model.Trigger {
		return &model.Trigger{Kind: model.TriggerStorage, Type: "google.storage.object.finalize", Pos: at}
	}
	u := model.U[bool]("[parameters('x')]", at)
	tests := []struct {
		name    string
		rule    string
		app     *model.Application
		want    int
		wantSev Severity
	}{
		// FG-ENC-020 HTTPS not enforced.
		{"https false", "FG-ENC-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.HTTPSOnly = k(false) }), fn("a"), fn("b")), 1, Medium},
		{"https absent on a declared app", "FG-ENC-020", platformApp(model.Azure, declared(nil), fn("a")), 1, Medium},
		{"https true", "FG-ENC-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.HTTPSOnly = k(true) }), fn("a")), 0, 0},
		{"https unknown", "FG-ENC-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.HTTPSOnly = u }), fn("a")), 0, 0},
		{"function.json only", "FG-ENC-020", platformApp(model.Azure, model.Platform{}, fn("a")), 0, 0},
		{"gcp secure optional", "FG-ENC-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.SecurityLevel = k("SECURE_OPTIONAL") }), fn("g", withTrigger(keyed()))), 1, Medium},
		{"gcp secure always", "FG-ENC-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.SecurityLevel = k("SECURE_ALWAYS") }), fn("g", withTrigger(keyed()))), 0, 0},
		// FG-ENC-021 TLS.
		{"tls 1.0", "FG-ENC-021", platformApp(model.Azure, declared(func(p *model.Platform) { p.MinTLSVersion = k("1.0") }), fn("a"), fn("b")), 1, Medium},
		{"tls 1.2", "FG-ENC-021", platformApp(model.Azure, declared(func(p *model.Platform) { p.MinTLSVersion = k("1.2") }), fn("a")), 0, 0},
		{"tls 1.3", "FG-ENC-021", platformApp(model.Azure, declared(func(p *model.Platform) { p.MinTLSVersion = k("1.3") }), fn("a")), 0, 0},
		{"api domain TLS_1_0", "FG-ENC-021", func() *model.Application {
			a := app(fn("a"))
			a.Resources = []*model.Resource{{ID: "d", Kind: model.ResOther, Pos: at, MinTLSVersion: k("TLS_1_0")}}
			return a
		}(), 1, Medium},
		// FG-AUTH-020 platform authentication.
		{"auth off with anonymous trigger", "FG-AUTH-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.AuthEnabled = k(false) }), fn("a", withTrigger(anon()))), 1, High},
		{"auth absent with anonymous trigger", "FG-AUTH-020", platformApp(model.Azure, declared(nil), fn("a", withTrigger(anon()))), 1, High},
		{"auth off, function keys", "FG-AUTH-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.AuthEnabled = k(false) }), fn("a", withTrigger(keyed())), fn("b", withTrigger(keyed()))), 1, Low},
		{"auth on", "FG-AUTH-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.AuthEnabled = k(true) }), fn("a", withTrigger(anon()))), 0, 0},
		{"auth unknown", "FG-AUTH-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.AuthEnabled = u }), fn("a", withTrigger(anon()))), 0, 0},
		{"auth not declared", "FG-AUTH-020", platformApp(model.Azure, model.Platform{}, fn("a", withTrigger(anon()))), 0, 0},
		// FG-ENC-022 FTP.
		{"ftp all allowed", "FG-ENC-022", platformApp(model.Azure, declared(func(p *model.Platform) { p.FTPSState = k("AllAllowed") }), fn("a"), fn("b")), 1, Medium},
		{"ftp default", "FG-ENC-022", platformApp(model.Azure, declared(nil), fn("a")), 1, Low},
		{"ftp disabled", "FG-ENC-022", platformApp(model.Azure, declared(func(p *model.Platform) { p.FTPSState = k("Disabled") }), fn("a")), 0, 0},
		{"ftp on aws", "FG-ENC-022", platformApp(model.AWS, model.Platform{}, fn("a")), 0, 0},
		// FG-SEC-020 secrets without managed identity.
		{"secret without identity", "FG-SEC-020", platformApp(model.Azure, declared(nil), fn("a", withEnv("STRIPE_SECRET_KEY", "sk_live_ExrENTg0fJHXpVjdKIp4YSXUXFYxCut7"))), 1, Medium},
		{"secret with identity", "FG-SEC-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.ManagedIdentity = k(true) }), fn("a", withEnv("STRIPE_SECRET_KEY", "sk_live_ExrENTg0fJHXpVjdKIp4YSXUXFYxCut7"))), 0, 0},
		{"no secret without identity", "FG-SEC-020", platformApp(model.Azure, declared(nil), fn("a", withEnv("FUNCTIONS_WORKER_RUNTIME", "node"))), 0, 0},
		// FG-IAM-020 default service account.
		{"gcp no service account", "FG-IAM-020", platformApp(model.GCP, declared(nil), fn("google_cloudfunctions_function.f")), 1, Medium},
		{"gcp compute default", "FG-IAM-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.ServiceAccount = k("1234-compute@developer.gserviceaccount.com") }), fn("f")), 1, Medium},
		{"gcp appspot default", "FG-IAM-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.ServiceAccount = k("proj@appspot.gserviceaccount.com") }), fn("f")), 1, Medium},
		{"gcp dedicated", "FG-IAM-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.ServiceAccount = k("fn@proj.iam.gserviceaccount.com") }), fn("f")), 0, 0},
		{"gcp unknown", "FG-IAM-020", platformApp(model.GCP, declared(func(p *model.Platform) { p.ServiceAccount = model.U[string]("google_service_account.x.email", at) }), fn("f")), 0, 0},
		// FG-NET-010 ingress.
		{"event function open ingress", "FG-NET-010", platformApp(model.GCP, declared(func(p *model.Platform) { p.Ingress = k("ALLOW_ALL") }), fn("f", withTrigger(event()))), 1, Low},
		{"http function open ingress", "FG-NET-010", platformApp(model.GCP, declared(func(p *model.Platform) { p.Ingress = k("ALLOW_ALL") }), fn("f", withTrigger(keyed()))), 0, 0},
		{"event function internal", "FG-NET-010", platformApp(model.GCP, declared(func(p *model.Platform) { p.Ingress = k("ALLOW_INTERNAL_ONLY") }), fn("f", withTrigger(event()))), 0, 0},
		// FG-EXP-020 remote debugging.
		{"remote debugging", "FG-EXP-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.RemoteDebugging = k(true) }), fn("a"), fn("b")), 1, Medium},
		{"no remote debugging", "FG-EXP-020", platformApp(model.Azure, declared(func(p *model.Platform) { p.RemoteDebugging = k(false) }), fn("a")), 0, 0},
		// FG-AUTH-021 client certificates (well-architected profile).
		{"client cert optional", "FG-AUTH-021", platformApp(model.Azure, declared(func(p *model.Platform) { p.ClientCertMode = k("Optional") }), fn("a")), 1, Low},
		{"client cert required", "FG-AUTH-021", platformApp(model.Azure, declared(func(p *model.Platform) { p.ClientCertMode = k("Required") }), fn("a")), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := run(t, tc.rule, tc.app, Config{Profile: ProfileWellArchitected})
			if len(fs) != tc.want {
				t.Fatalf("%s: got %d findings, want %d: %+v", tc.rule, len(fs), tc.want, fs)
			}
			if tc.want > 0 && fs[0].Severity != tc.wantSev {
				t.Errorf("severity = %s, want %s", fs[0].Severity, tc.wantSev)
			}
		})
	}
}

func TestTLSBelow12(t *testing.T) {
	for v, want := range map[string]bool{"1.0": true, "1.1": true, "1.2": false, "1.3": false, "TLS_1_0": true, "TLS_1_2": false, "TLS1_1": true, "": false, "x": false} {
		if got := tlsBelow12(v); got != want {
			t.Errorf("tlsBelow12(%q) = %v, want %v", v, got, want)
		}
	}
}
