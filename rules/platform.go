package rules

import (
	"fmt"
	"github.com/faasguard/faasguard/internal/detector"
	"strconv"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// Rules on the hosting properties of Azure function apps and Google Cloud
// functions / Cloud Run services (model.Platform). Anonymous HTTP functions
// (Azure authLevel anonymous, GCP allUsers invokers) and CORS "*" are
// reported by FG-AUTH-001 and FG-EXP-003 through the model; these rules add
// what only these platforms have. One setting of a function app is shared by
// all its functions, so each rule reports a position once.

// onceAt remembers the positions a rule reported, so a setting shared by
// the functions of one app is reported once.
type onceAt map[string]bool

func (o onceAt) first(p model.Pos, key string) bool {
	k := p.String() + "|" + key
	if o[k] {
		return false
	}
	o[k] = true
	return true
}

func isAzure(c *Context, fn *model.Function) bool {
	return c.App.Provider == model.Azure || fn.Platform.Declared && strings.HasPrefix(fn.ID, "azurerm_")
}

func isGCP(c *Context, fn *model.Function) bool {
	return c.App.Provider == model.GCP || strings.HasPrefix(fn.ID, "google_") || strings.Contains(fn.ID, ".google_")
}

var httpsNotEnforced = &Rule{
	ID:       "FG-ENC-020",
	Title:    "HTTPS not enforced on the function endpoint",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Insecure serverless deployment configuration (seed 003)",
	Rationale: "An Azure function app without httpsOnly, or a 1st gen Cloud Function with https_trigger_security_level " +
		"SECURE_OPTIONAL, answers plain HTTP: requests, function keys and responses cross the network in clear text " +
		"and can be read or altered.",
	Remediation: "Set `httpsOnly: true` (ARM/Bicep) or `https_only = true` (Terraform) on the function app; set " +
		"`https_trigger_security_level = \"SECURE_ALWAYS\"` on google_cloudfunctions_function.",
	Refs: Refs{CWE: []string{"CWE-319"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_AZURE_70", "CKV_GCP_124"}, KICS: []string{"Website Not Forcing HTTPS", "Web App Accepting Traffic Other Than HTTPS"},
		Trivy: []string{"AVD-AZU-0004"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			p := fn.Platform
			switch {
			case isAzure(c, fn):
				switch {
				case model.IsFalse(p.HTTPSOnly):
					if seen.first(p.HTTPSOnly.Pos, "https") {
						c.Fn(fn, p.HTTPSOnly.Pos, "https", "function app of %s accepts plain HTTP (httpsOnly is false)", fn.ID)
					}
				case p.HTTPSOnly.IsAbsent() && p.Declared:
					if seen.first(fn.Pos, "https") {
						c.Fn(fn, fn.Pos, "https", "function app of %s accepts plain HTTP (httpsOnly is not set; the default is false)", fn.ID)
					}
				}
			case isGCP(c, fn):
				if lv := p.SecurityLevel; lv.IsKnown() && strings.EqualFold(lv.V, "SECURE_OPTIONAL") && hasHTTP(fn) && seen.first(lv.Pos, "https") {
					c.Fn(fn, lv.Pos, "https", "HTTP trigger of %s accepts plain HTTP (security level SECURE_OPTIONAL)", fn.ID)
				}
			}
		}
	},
}

func hasHTTP(fn *model.Function) bool {
	for _, t := range fn.Triggers {
		if t.IsHTTP() {
			return true
		}
	}
	return false
}

// tlsBelow12 reports whether a TLS version setting allows versions older
// than 1.2 ("1.0", "1.1", "TLS_1_0", "TLS1_1" ...).
func tlsBelow12(v string) bool {
	s := strings.ToUpper(strings.TrimSpace(v))
	s = strings.TrimPrefix(s, "TLS")
	s = strings.Trim(strings.ReplaceAll(s, "_", "."), ".")
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f < 1.2
}

var oldTLS = &Rule{
	ID:       "FG-ENC-021",
	Title:    "TLS older than 1.2 accepted",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Insecure serverless deployment configuration (seed 003)",
	Rationale: "TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996). A function app or API domain that " +
		"still accepts them lets a network attacker downgrade clients to a weak protocol.",
	Remediation: "Set the minimum TLS version to 1.2 or later (`minTlsVersion: '1.2'`, `minimum_tls_version = \"1.2\"`, " +
		"`security_policy = \"TLS_1_2\"` on API Gateway domain names).",
	Refs: Refs{CWE: []string{"CWE-326"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_AZURE_145", "CKV_AWS_206"}, KICS: []string{"Web App Not Using TLS Last Version", "Function App Not Using Latest TLS Encryption Version", "API Gateway Without Security Policy"},
		Trivy: []string{"AVD-AZU-0006"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			if v := fn.Platform.MinTLSVersion; v.IsKnown() && tlsBelow12(v.V) && seen.first(v.Pos, "tls") {
				c.Fn(fn, v.Pos, "tls", "function app of %s accepts TLS %s", fn.ID, v.V)
			}
		}
		for _, r := range c.App.Resources {
			if v := r.MinTLSVersion; v.IsKnown() && tlsBelow12(v.V) && seen.first(v.Pos, "tls") {
				c.Res(r, v.Pos, "tls", "%s accepts %s", r.ID, v.V)
			}
		}
	},
}

var platformAuthOff = &Rule{
	ID:       "FG-AUTH-020",
	Title:    "App Service authentication off on a function app",
	Severity: Medium,
	Family:   AUTH,
	Risk:     "Broken authentication; unprotected functions (seeds 000, 003)",
	Rationale: "Azure App Service authentication (Easy Auth) rejects unauthenticated callers before the function runs. " +
		"When it is off and an HTTP function is anonymous, nothing authenticates the caller; when it is explicitly " +
		"disabled, every function relies on function keys alone, which are shared secrets that leak easily.",
	Remediation: "Enable authentication on the function app (`authsettingsV2.platform.enabled: true`, " +
		"`auth_settings_v2 { auth_enabled = true }`) with an identity provider, or give each HTTP function authLevel function.",
	Refs: Refs{CWE: []string{"CWE-306"}, OWASP: []string{"SAS-2: Broken Authentication"},
		Checkov: []string{"CKV_AZURE_56"}, KICS: []string{"Function App Authentication Disabled", "App Service Authentication Is Not Set", "App Service Authentication Disabled"},
		Trivy: []string{"AVD-AZU-0003"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			p := fn.Platform
			if !isAzure(c, fn) || !p.Declared || model.IsTrue(p.AuthEnabled) || p.AuthEnabled.IsUnknown() {
				continue
			}
			var anon *model.Trigger
			for _, t := range fn.Triggers {
				if t.IsHTTP() && t.Auth.IsKnown() && t.Auth.V == model.AuthNone && !model.IsFalse(t.Public) {
					anon = t
					break
				}
			}
			pos := model.PosOr(fn.Pos, p.AuthEnabled.Pos)
			switch {
			case anon != nil:
				if seen.first(pos, fn.ID) {
					c.Report(Finding{Function: fn.ID, Pos: pos, Key: "auth-off", Severity: High,
						Message: fmt.Sprintf("function %s has an anonymous HTTP trigger and its app has App Service authentication off", fn.ID),
						Related: []Related{{Pos: anon.Auth.Pos, Message: "anonymous HTTP trigger"}}})
				}
			case model.IsFalse(p.AuthEnabled):
				if seen.first(pos, "auth-off") {
					c.Report(Finding{Function: fn.ID, Pos: pos, Key: "auth-off", Severity: Low,
						Message: fmt.Sprintf("function app of %s has App Service authentication disabled", fn.ID)})
				}
			}
		}
	},
}

var ftpAllowed = &Rule{
	ID:       "FG-ENC-022",
	Title:    "FTP deployment allowed",
	Severity: Medium,
	Family:   ENC,
	Risk:     "Insecure serverless deployment configuration (seed 003)",
	Rationale: "With ftpsState AllAllowed the function app accepts deployments over plain FTP: the deployment " +
		"credentials and the code cross the network in clear text, and whoever captures them can replace the code.",
	Remediation: "Set `ftpsState` / `ftps_state` to `Disabled` (or `FtpsOnly` if FTPS is needed) and deploy with zip deploy or CI.",
	Refs: Refs{CWE: []string{"CWE-319"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_AZURE_78"}, KICS: []string{"Function App FTPS Enforce Disabled", "App Service FTPS Enforce Disabled"},
		Trivy: []string{"AVD-AZU-0008"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			p := fn.Platform
			if !isAzure(c, fn) {
				continue
			}
			switch {
			case p.FTPSState.IsKnown() && strings.EqualFold(p.FTPSState.V, "AllAllowed"):
				if seen.first(p.FTPSState.Pos, "ftp") {
					c.Fn(fn, p.FTPSState.Pos, "ftp", "function app of %s allows FTP deployment (ftpsState AllAllowed)", fn.ID)
				}
			case p.FTPSState.IsAbsent() && p.Declared:
				if seen.first(fn.Pos, "ftp") {
					c.Report(Finding{Function: fn.ID, Pos: fn.Pos, Key: "ftp", Severity: Low,
						Message: fmt.Sprintf("function app of %s does not set ftpsState: the platform default allows plain FTP", fn.ID)})
				}
			}
		}
	},
}

var secretsWithoutIdentity = &Rule{
	ID:       "FG-SEC-020",
	Title:    "Secrets in app settings of a function app without managed identity",
	Severity: Medium,
	Family:   SEC,
	Risk:     "Hardcoded secrets and keys in code and configuration (seeds 000, 003)",
	Rationale: "A function app that holds credentials (storage account keys, connection strings, API keys) in its app " +
		"settings and has no managed identity cannot use Key Vault references or identity-based connections: the " +
		"secrets stay in configuration, readable by anyone with access to the app's settings.",
	Remediation: "Give the function app a managed identity (`identity: {type: SystemAssigned}`), grant it access to Key " +
		"Vault and storage, and replace the secrets with `@Microsoft.KeyVault(...)` references or identity-based " +
		"connections (`AzureWebJobsStorage__accountName`).",
	Refs: Refs{CWE: []string{"CWE-798"}, OWASP: []string{"SAS-7: Insecure Application Secrets Storage"},
		Checkov: []string{"CKV_AZURE_71"}, KICS: []string{"Function App Managed Identity Disabled", "App Service Managed Identity Disabled"},
		Trivy: []string{"AVD-AZU-0002"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			p := fn.Platform
			if !isAzure(c, fn) || !p.Declared || model.IsTrue(p.ManagedIdentity) || p.ManagedIdentity.IsUnknown() {
				continue
			}
			for _, ev := range fn.Environment {
				v, ok := ev.Value.Get()
				if !ok || ev.FromSecretStore || v == "" || strings.HasSuffix(ev.Pos.File, "local.settings.json") {
					continue
				}
				det, err := detector.Secrets()
				if err != nil {
					return
				}
				sf, found := det.ScanValue(ev.Name, v)
				if !found {
					continue
				}
				if seen.first(ev.Pos, "identity") {
					c.Fn(fn, ev.Pos, "identity:"+ev.Name, "function app of %s has no managed identity and holds a %s in app setting %s", fn.ID, sf.Kind, ev.Name)
				}
			}
		}
	},
}

// defaultServiceAccount reports whether a GCP service account is one of the
// default accounts, which hold the broad Editor role on the project.
func defaultServiceAccount(sa string) bool {
	s := strings.ToLower(sa)
	return strings.HasSuffix(s, "-compute@developer.gserviceaccount.com") || strings.HasSuffix(s, "@appspot.gserviceaccount.com") || s == "default"
}

var defaultSA = &Rule{
	ID:       "FG-IAM-020",
	Title:    "Function runs as the default service account",
	Severity: Medium,
	Family:   IAM,
	Risk:     "Over-privileged function permissions and roles (seeds 000, 003)",
	Rationale: "Without a service account of its own, a Cloud Function or Cloud Run service runs as the project's " +
		"default compute (or App Engine) service account, which has the Editor role: a flaw in the function gives " +
		"write access to almost everything in the project, and every function shares that identity.",
	Remediation: "Create a dedicated service account per function with only the roles it needs and set " +
		"`service_account_email` (Cloud Functions) / `service_account` (Cloud Run).",
	Refs: Refs{CWE: []string{"CWE-250"}, OWASP: []string{"SAS-4: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_GCP_41"}, Trivy: []string{"AVD-GCP-0011"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if !isGCP(c, fn) {
				continue
			}
			sa := fn.Platform.ServiceAccount
			switch {
			case sa.IsAbsent() && fn.Platform.Declared:
				c.Fn(fn, fn.Pos, "service-account", "%s sets no service account: it runs as the project's default service account (Editor)", fn.ID)
			case sa.IsKnown() && defaultServiceAccount(sa.V):
				c.Fn(fn, sa.Pos, "service-account", "%s runs as the default service account %s (Editor)", fn.ID, sa.V)
			}
		}
	},
}

// openIngress reports whether an ingress setting admits internet traffic
// directly.
func openIngress(s string) bool {
	switch strings.ToUpper(s) {
	case "ALLOW_ALL", "ALL", "INGRESS_TRAFFIC_ALL":
		return true
	}
	return false
}

var ingressOpen = &Rule{
	ID:       "FG-NET-010",
	Title:    "Ingress open to all on a function only called internally",
	Severity: Low,
	Family:   NET,
	Risk:     "The attack surface grows with every event source (seed 000)",
	Rationale: "The function has no HTTP trigger, so only Google services call it, yet its ingress setting admits " +
		"traffic from the internet. Restricting ingress removes an endpoint nobody needs.",
	Remediation: "Set `ingress_settings = \"ALLOW_INTERNAL_ONLY\"` (Cloud Functions) or `ingress = " +
		"\"INGRESS_TRAFFIC_INTERNAL_ONLY\"` (Cloud Run).",
	Refs: Refs{CWE: []string{"CWE-284"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_GCP_124"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			ing := fn.Platform.Ingress
			if !isGCP(c, fn) || !ing.IsKnown() || !openIngress(ing.V) || hasHTTP(fn) || len(fn.Triggers) == 0 {
				continue
			}
			c.Fn(fn, ing.Pos, "ingress", "%s has no HTTP trigger but its ingress is %s", fn.ID, ing.V)
		}
	},
}

var remoteDebugging = &Rule{
	ID:       "FG-EXP-020",
	Title:    "Remote debugging enabled",
	Severity: Medium,
	Family:   EXP,
	Risk:     "Insecure serverless deployment configuration (seed 003)",
	Rationale: "Remote debugging opens debugger ports on the function app's hosts; anyone who obtains the publishing " +
		"credentials can attach, read memory (secrets, tokens, customer data) and change execution.",
	Remediation: "Set `remoteDebuggingEnabled: false` / `remote_debugging_enabled = false`; debug locally or in a non-production slot.",
	Refs: Refs{CWE: []string{"CWE-489"}, OWASP: []string{"SAS-3: Insecure Serverless Deployment Configuration"},
		Checkov: []string{"CKV_AZURE_72"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			if v := fn.Platform.RemoteDebugging; model.IsTrue(v) && seen.first(v.Pos, "debug") {
				c.Fn(fn, v.Pos, "remote-debugging", "function app of %s has remote debugging enabled", fn.ID)
			}
		}
	},
}

var clientCertOff = &Rule{
	ID:       "FG-AUTH-021",
	Title:    "Client certificates not required on a function app",
	Severity: Low,
	Family:   AUTH,
	Profile:  ProfileWellArchitected,
	Risk:     "Broken authentication; unprotected functions (seeds 000, 003)",
	Rationale: "Requiring client certificates (mutual TLS) lets only callers holding a trusted certificate reach the " +
		"functions; without it the app relies on keys or tokens alone.",
	Remediation: "Set `clientCertEnabled: true` and `clientCertMode: Required` (`client_certificate_enabled = true`, " +
		"`client_certificate_mode = \"Required\"`) where callers can present certificates.",
	Refs: Refs{CWE: []string{"CWE-295"}, Checkov: []string{"CKV_AZURE_17"},
		KICS: []string{"Website with Client Certificate Auth Disabled", "Function App Client Certificates Unrequired", "Azure App Service Client Certificate Disabled"}},
	Check: func(c *Context) {
		seen := onceAt{}
		for _, fn := range c.App.Functions {
			m := fn.Platform.ClientCertMode
			if !isAzure(c, fn) || !fn.Platform.Declared {
				continue
			}
			switch {
			case m.IsKnown() && !strings.EqualFold(m.V, "Required"):
				if seen.first(m.Pos, "cert") {
					c.Fn(fn, m.Pos, "client-cert", "function app of %s does not require client certificates (%s)", fn.ID, m.V)
				}
			case m.IsAbsent():
				if seen.first(fn.Pos, "cert") {
					c.Fn(fn, fn.Pos, "client-cert", "function app of %s does not require client certificates", fn.ID)
				}
			}
		}
	},
}

func init() {
	Register(httpsNotEnforced, oldTLS, platformAuthOff, ftpAllowed, secretsWithoutIdentity, defaultSA, ingressOpen, remoteDebugging, clientCertOff)
}
