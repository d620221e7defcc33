package terraform

import (
	"strings"

	"github.com/faasguard/faasguard/model"
)

func init() {
	register((*builder).azureFunctionApp, "azurerm_function_app", "azurerm_linux_function_app", "azurerm_windows_function_app",
		"azurerm_function_app_slot", "azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot")
	register((*builder).gcpFunction, "google_cloudfunctions_function")
	register((*builder).gcpFunction2, "google_cloudfunctions2_function")
	register((*builder).cloudRun, "google_cloud_run_service")
	register((*builder).cloudRunV2, "google_cloud_run_v2_service")
	register((*builder).gcpInvoker, "google_cloudfunctions_function_iam_member", "google_cloudfunctions_function_iam_binding",
		"google_cloudfunctions2_function_iam_member", "google_cloudfunctions2_function_iam_binding",
		"google_cloud_run_service_iam_member", "google_cloud_run_service_iam_binding",
		"google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding")
}

// azureFunctionApp models an Azure function app. The app's functions are
// defined by its code (function.json), so the app is one model function
// carrying the hosting properties.
func (b *builder) azureFunctionApp(in *instance, o *obj) {
	pos := in.e.rb.pos
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("name")}
	p := &f.Platform
	p.Declared = true
	p.HTTPSOnly = o.boolean("https_only")
	legacy := in.e.rb.typ == "azurerm_function_app" || in.e.rb.typ == "azurerm_function_app_slot"
	if sc := o.block("site_config"); sc != nil {
		p.MinTLSVersion = sc.str("minimum_tls_version")
		if p.MinTLSVersion.IsAbsent() {
			p.MinTLSVersion = sc.str("min_tls_version")
		}
		p.FTPSState = sc.str("ftps_state")
		p.RemoteDebugging = sc.boolean("remote_debugging_enabled")
		if c := sc.block("cors"); c != nil {
			p.CORS = &model.CORS{Pos: c.pos, Origins: c.strs("allowed_origins"), Credentials: c.boolean("support_credentials")}
		}
		if h := sc.boolean("http2_enabled"); !h.IsAbsent() {
			f.Tags = map[string]model.Str{"azure.http2": boolStr(h)}
		}
		if as := sc.block("application_stack"); as != nil {
			for _, k := range []string{"python_version", "node_version", "java_version", "dotnet_version", "powershell_core_version"} {
				if v := as.str(k); v.IsKnown() {
					f.Runtime = model.K(strings.TrimSuffix(k, "_version")+v.V, v.Pos)
				}
			}
		}
	}
	if p.FTPSState.IsAbsent() && !legacy {
		// azurerm_(linux|windows)_function_app default ftps_state to Disabled,
		// unlike the platform (AllAllowed), so the default is written here.
		p.FTPSState = model.K("Disabled", pos)
	}
	if a := o.block("auth_settings"); a != nil {
		p.AuthEnabled = a.boolean("enabled")
	}
	if a := o.block("auth_settings_v2"); a != nil {
		p.AuthEnabled = a.boolean("auth_enabled")
		if p.AuthEnabled.IsAbsent() {
			p.AuthEnabled = model.K(false, a.pos)
		}
	}
	if id := o.block("identity"); id != nil {
		t := id.str("type")
		switch {
		case t.IsKnown():
			p.ManagedIdentity = model.K(strings.Contains(strings.ToLower(t.V), "assigned"), t.Pos)
		case t.IsUnknown():
			p.ManagedIdentity = model.U[bool](t.Why, t.Pos)
		}
	}
	p.ClientCertMode = o.str("client_certificate_mode")
	if p.ClientCertMode.IsAbsent() {
		p.ClientCertMode = o.str("client_cert_mode")
	}
	if en := o.boolean("client_certificate_enabled"); en.IsKnown() && !en.V {
		p.ClientCertMode = model.K("Disabled", en.Pos)
	} else if en := o.boolean("client_cert_enabled"); en.IsKnown() && !en.V {
		p.ClientCertMode = model.K("Disabled", en.Pos)
	}
	kvs, unk := o.strMap("app_settings")
	f.Environment = envVars(kvs)
	if unk.IsUnknown() {
		b.st.note(model.NoteInfo, unk.Pos, "app_settings of %s not resolved (%s)", in.addr, unk.Why)
	}
	for _, e := range f.Environment {
		if e.Name == "FUNCTIONS_WORKER_RUNTIME" && f.Runtime.IsAbsent() {
			f.Runtime = e.Value
		}
	}
	b.addFunction(in, f)
}

// gcpEventKind classifies a Cloud Functions event type.
func gcpEventKind(t model.Str) model.TriggerKind {
	if !t.IsKnown() {
		return model.TriggerOther
	}
	s := strings.ToLower(t.V)
	switch {
	case strings.Contains(s, "storage"):
		return model.TriggerStorage
	case strings.Contains(s, "pubsub"):
		return model.TriggerTopic
	case strings.Contains(s, "firestore") || strings.Contains(s, "firebase.database"):
		return model.TriggerStream
	case strings.Contains(s, "scheduler"):
		return model.TriggerSchedule
	case strings.Contains(s, "eventarc") || strings.Contains(s, "audit"):
		return model.TriggerEventBus
	}
	return model.TriggerOther
}

// publicIngress says whether an ingress setting lets the internet reach
// the endpoint (directly or through a load balancer).
func publicIngress(ing model.Str, def model.Pos) model.Bool {
	switch ing.State {
	case model.Absent:
		return model.K(true, def) // ALLOW_ALL is the default
	case model.Unknown:
		return model.U[bool](ing.Why, ing.Pos)
	}
	s := strings.ToUpper(ing.V)
	return model.K(!(strings.Contains(s, "INTERNAL_ONLY") || s == "INTERNAL"), ing.Pos)
}

func secretEnv(o *obj) []model.EnvVar {
	var out []model.EnvVar
	for _, s := range o.all("secret_environment_variables") {
		k := s.str("key")
		if !k.IsKnown() {
			continue
		}
		sec := s.str("secret")
		val := model.K("secret:"+sec.Or("?"), sec.Pos)
		out = append(out, model.EnvVar{Name: k.V, Value: val, Pos: s.pos, FromSecretStore: true})
	}
	return out
}

func (b *builder) gcpFunction(in *instance, o *obj) {
	pos := in.e.rb.pos
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("name"), Runtime: o.str("runtime"), Handler: o.str("entry_point"),
		Timeout: o.integer("timeout"), MemoryMB: o.integer("available_memory_mb")}
	p := &f.Platform
	p.Declared = true
	p.Ingress = o.str("ingress_settings")
	p.ServiceAccount = o.str("service_account_email")
	p.SecurityLevel = o.str("https_trigger_security_level")
	kvs, _ := o.strMap("environment_variables")
	f.Environment = append(envVars(kvs), secretEnv(o)...)
	if vc := o.str("vpc_connector"); !vc.IsAbsent() {
		f.VPC = &model.VPCConfig{Pos: vc.Pos, Connector: vc}
	}
	if th := o.boolean("trigger_http"); model.IsTrue(th) {
		if p.SecurityLevel.IsAbsent() {
			p.SecurityLevel = model.K("SECURE_OPTIONAL", th.Pos) // the API's default for 1st gen functions
		}
		f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerHTTP, Type: "trigger_http", Pos: th.Pos,
			Auth: model.K(model.AuthPlatform, th.Pos), Public: publicIngress(p.Ingress, th.Pos)})
	}
	if et := o.block("event_trigger"); et != nil {
		typ := et.str("event_type")
		f.Triggers = append(f.Triggers, &model.Trigger{Kind: gcpEventKind(typ), Type: describe(typ), Pos: et.pos, SourceRef: et.str("resource")})
	}
	b.addFunction(in, f)
}

func (b *builder) gcpFunction2(in *instance, o *obj) {
	pos := in.e.rb.pos
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("name")}
	if bc := o.block("build_config"); bc != nil {
		f.Runtime, f.Handler = bc.str("runtime"), bc.str("entry_point")
	}
	p := &f.Platform
	p.Declared = true
	sc := o.block("service_config")
	if sc != nil {
		f.Timeout = sc.integer("timeout_seconds")
		p.Ingress = sc.str("ingress_settings")
		p.ServiceAccount = sc.str("service_account_email")
		kvs, _ := sc.strMap("environment_variables")
		f.Environment = append(envVars(kvs), secretEnv(sc)...)
		if vc := sc.str("vpc_connector"); !vc.IsAbsent() {
			f.VPC = &model.VPCConfig{Pos: vc.Pos, Connector: vc}
		}
	}
	if et := o.block("event_trigger"); et != nil {
		typ := et.str("event_type")
		src := et.str("pubsub_topic")
		f.Triggers = append(f.Triggers, &model.Trigger{Kind: gcpEventKind(typ), Type: describe(typ), Pos: et.pos, SourceRef: src})
	} else {
		// 2nd gen functions without an event trigger are HTTP functions.
		f.Triggers = append(f.Triggers, &model.Trigger{Kind: model.TriggerHTTP, Type: "google_cloudfunctions2_function", Pos: pos,
			Auth: model.K(model.AuthPlatform, pos), Public: publicIngress(p.Ingress, pos)})
	}
	b.addFunction(in, f)
}

func containerEnv(c *obj, v2 bool) []model.EnvVar {
	var out []model.EnvVar
	for _, e := range c.all("env") {
		n := e.str("name")
		if !n.IsKnown() {
			continue
		}
		ev := model.EnvVar{Name: n.V, Value: e.str("value"), Pos: e.pos}
		src := "value_from"
		if v2 {
			src = "value_source"
		}
		if vf := e.block(src); vf != nil {
			if sk := vf.block("secret_key_ref"); sk != nil {
				ev.FromSecretStore = true
				name := sk.str("name")
				if v2 {
					name = sk.str("secret")
				}
				ev.Value = model.K("secret:"+name.Or("?"), sk.pos)
			}
		}
		out = append(out, ev)
	}
	return out
}

func (b *builder) cloudRun(in *instance, o *obj) {
	pos := in.e.rb.pos
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("name")}
	p := &f.Platform
	p.Declared = true
	if md := o.block("metadata"); md != nil {
		if kvs, _ := md.strMap("annotations"); kvs != nil {
			for _, a := range kvs {
				if a.key == "run.googleapis.com/ingress" {
					p.Ingress = a.val
				}
			}
		}
	}
	if t := o.block("template"); t != nil {
		if md := t.block("metadata"); md != nil {
			kvs, _ := md.strMap("annotations")
			for _, a := range kvs {
				if a.key == "run.googleapis.com/vpc-access-connector" {
					f.VPC = &model.VPCConfig{Pos: a.pos, Connector: a.val}
				}
			}
		}
		if spec := t.block("spec"); spec != nil {
			p.ServiceAccount = spec.str("service_account_name")
			f.Timeout = spec.integer("timeout_seconds")
			for _, c := range spec.all("containers") {
				f.Environment = append(f.Environment, containerEnv(c, false)...)
				if f.Runtime.IsAbsent() {
					f.Runtime = c.str("image")
				}
			}
		}
	}
	f.Triggers = []*model.Trigger{{Kind: model.TriggerHTTP, Type: "google_cloud_run_service", Pos: pos,
		Auth: model.K(model.AuthPlatform, pos), Public: publicIngress(p.Ingress, pos)}}
	b.addFunction(in, f)
}

func (b *builder) cloudRunV2(in *instance, o *obj) {
	pos := in.e.rb.pos
	f := &model.Function{ID: in.addr, Pos: pos, Name: o.str("name")}
	p := &f.Platform
	p.Declared = true
	p.Ingress = o.str("ingress")
	if t := o.block("template"); t != nil {
		p.ServiceAccount = t.str("service_account")
		if va := t.block("vpc_access"); va != nil {
			f.VPC = &model.VPCConfig{Pos: va.pos, Connector: va.str("connector")}
		}
		for _, c := range t.all("containers") {
			f.Environment = append(f.Environment, containerEnv(c, true)...)
			if f.Runtime.IsAbsent() {
				f.Runtime = c.str("image")
			}
		}
	}
	f.Triggers = []*model.Trigger{{Kind: model.TriggerHTTP, Type: "google_cloud_run_v2_service", Pos: pos,
		Auth: model.K(model.AuthPlatform, pos), Public: publicIngress(p.Ingress, pos)}}
	b.addFunction(in, f)
}

// gcpInvoker models IAM members of functions and services. allUsers and
// allAuthenticatedUsers make the function's HTTP endpoint unauthenticated.
func (b *builder) gcpInvoker(in *instance, o *obj) {
	target := o.str("cloud_function")
	if target.IsAbsent() {
		target = o.str("service")
	}
	if target.IsAbsent() {
		target = o.str("name")
	}
	role := o.str("role")
	var members []model.Str
	if strings.HasSuffix(in.e.rb.typ, "_binding") {
		members = o.strs("members")
	} else {
		members = []model.Str{o.str("member")}
	}
	b.later = append(b.later, func() {
		f := b.fnFor(target)
		if f == nil {
			b.st.note(model.NoteInfo, in.e.rb.pos, "%s: function or service %s is not declared in this configuration", in.addr, describe(target))
		}
		for _, m := range members {
			perm := &model.Permission{ID: in.addr, Pos: model.PosOr(in.e.rb.pos, m.Pos), Function: f, Target: target, Action: role, Principal: m}
			b.app.Permissions = append(b.app.Permissions, perm)
			if f == nil || !m.IsKnown() || !(m.V == "allUsers" || m.V == "allAuthenticatedUsers") || !invokerRole(role) {
				continue
			}
			for _, t := range f.Triggers {
				if t.IsHTTP() {
					t.Auth = model.K(model.AuthNone, m.Pos)
				}
			}
		}
	})
}

func invokerRole(r model.Str) bool {
	if !r.IsKnown() {
		return false
	}
	switch r.V {
	case "roles/cloudfunctions.invoker", "roles/run.invoker", "roles/cloudfunctions.admin", "roles/run.admin", "roles/editor", "roles/owner":
		return true
	}
	return false
}
