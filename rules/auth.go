package rules

import (
	"fmt"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// authOf returns how a trigger authenticates, treating Absent as the
// platform default for HTTP events: none.
func authOf(t *model.Trigger) (model.AuthKind, bool) {
	switch t.Auth.State {
	case model.Known:
		return t.Auth.V, true
	case model.Absent:
		return model.AuthNone, true
	}
	return "", false
}

// authMatters reports whether the trigger's authentication is checked at
// all: WebSocket APIs authenticate on $connect only.
func authMatters(t *model.Trigger) bool {
	if t.Kind == model.TriggerWebSocket && t.Path.IsKnown() && t.Path.V != "$connect" {
		return false
	}
	return t.IsHTTP() && !model.IsFalse(t.Public)
}

var httpNoAuth = &Rule{
	ID:       "FG-AUTH-001",
	Title:    "HTTP endpoint without authentication",
	Severity: High,
	Family:   AUTH,
	Risk:     "Broken authentication; unprotected functions (seeds 000, 003)",
	Rationale: "The function is reachable over HTTP (API Gateway route, WebSocket $connect, HTTP-triggered cloud " +
		"function) and nothing authenticates the caller before it runs. Anyone who finds the URL can call it, read " +
		"what it returns and run up its bill; injection flaws in the handler become remotely exploitable.",
	Remediation: "Attach an authorizer (Cognito, JWT, IAM or a Lambda authorizer: `authorizer:` on the http/httpApi " +
		"event, `Auth.DefaultAuthorizer` in SAM, `authorization` on the API method in Terraform), use authLevel " +
		"function/admin on Azure, and remove allUsers invokers on GCP. If an endpoint is public on purpose (a webhook, " +
		"a health check), authenticate the payload in code and suppress the finding with a reason.",
	Refs: Refs{CWE: []string{"CWE-306"}, OWASP: []string{"SAS-2: Broken Authentication"},
		Checkov: []string{"CKV_AWS_59", "CKV2_AWS_70"}, KICS: []string{"Serverless API Without Authorizer", "API Gateway Method Does Not Contains An API Key", "API Gateway Without Configured Authorizer"},
		Trivy: []string{"AVD-AWS-0004"}, CfnNag: []string{"W59"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if !authMatters(t) {
					continue
				}
				auth, ok := authOf(t)
				if !ok || auth != model.AuthNone {
					continue
				}
				if model.IsTrue(t.APIKeyRequired) {
					continue // FG-AUTH-002
				}
				c.Fn(fn, model.PosOr(t.Pos, t.Auth.Pos), "trigger:"+triggerKey(t),
					"%s of function %s has no authorizer: anyone can invoke it", describe(t), fn.ID)
			}
		}
	},
}

var apiKeyOnly = &Rule{
	ID:       "FG-AUTH-002",
	Title:    "API key is the only authentication",
	Severity: Medium,
	Family:   AUTH,
	Risk:     "Broken authentication (seed 000)",
	Rationale: "API keys identify a client for usage plans; they are not authentication. They are long-lived, shared, " +
		"sent in clear headers and end up in front-end code and logs. An endpoint protected only by an API key is " +
		"effectively public once the key leaks.",
	Remediation: "Add an authorizer (Cognito, JWT, IAM or a Lambda authorizer) and keep the API key for throttling and quotas.",
	Refs:        Refs{CWE: []string{"CWE-287"}, OWASP: []string{"SAS-2: Broken Authentication"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if !authMatters(t) || !model.IsTrue(t.APIKeyRequired) {
					continue
				}
				auth, ok := authOf(t)
				if !ok || (auth != model.AuthNone && auth != model.AuthAPIKey) {
					continue
				}
				c.Fn(fn, model.PosOr(t.Pos, t.APIKeyRequired.Pos), "trigger:"+triggerKey(t),
					"%s of function %s is protected by an API key only", describe(t), fn.ID)
			}
		}
	},
}

func describe(t *model.Trigger) string {
	var b strings.Builder
	b.WriteString(t.Type)
	b.WriteString(" event")
	if m, p := t.Method.Or(""), t.Path.Or(""); m != "" || p != "" {
		fmt.Fprintf(&b, " %s", strings.TrimSpace(strings.ToUpper(m)+" "+p))
	}
	return b.String()
}

// triggerKey identifies a trigger within its function, independent of its
// line, for stable fingerprints.
func triggerKey(t *model.Trigger) string {
	return t.Type + " " + strings.ToUpper(t.Method.Or("")) + " " + t.Path.Or("") + " " + t.SourceRef.Or("")
}

func init() { Register(httpNoAuth, apiKeyOnly) }
