package rules

import (
	"fmt"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// codeRule builds the rule that reports one class of code-analysis
// findings (model.CodeFinding.Kind). Severity follows the finding's
// confidence and the function's exposure: high confidence in a function
// reachable from the internet keeps the rule's severity; lower confidence
// lowers it.
func codeRule(id, kind, title string, sev Severity, cwe []string, rationale, remediation string) *Rule {
	r := &Rule{ID: id, Title: title, Severity: sev, Family: CODE, Rationale: rationale, Remediation: remediation,
		Risk: "Event-data injection: untrusted message formats reach dangerous code (seeds 000, 001)",
		Refs: Refs{CWE: cwe, OWASP: []string{"SAS-1: Function Event-Data Injection"}}}
	r.Check = func(c *Context) {
		for _, fn := range c.App.Functions {
			if fn.Code == nil {
				continue
			}
			for _, cf := range fn.Code.Findings {
				if cf.Kind != kind {
					continue
				}
				f := Finding{Function: fn.ID, Pos: cf.Pos, Key: kind + ":" + cf.Detail["sink"] + ":" + cf.Detail["source"],
					Severity: adjust(sev, cf.Confidence), Message: codeMessage(fn, cf)}
				for i, p := range cf.Trace {
					msg := "data flow"
					if i < len(cf.TraceText) {
						msg = cf.TraceText[i]
					}
					f.Related = append(f.Related, Related{Pos: p, Message: msg})
				}
				c.Report(f)
			}
		}
	}
	return r
}

func adjust(sev Severity, confidence string) Severity {
	switch confidence {
	case "medium":
		if sev > Low {
			return sev - 1
		}
	case "low":
		return Info
	}
	return sev
}

// codeMessage names the sink, the event data that reaches it and the
// trigger that delivers that data.
func codeMessage(fn *model.Function, cf model.CodeFinding) string {
	msg := cf.Message
	if msg == "" {
		msg = cf.Kind
	}
	if src := cf.Detail["source"]; src != "" && !strings.Contains(msg, src) {
		msg += fmt.Sprintf(" (from %s)", src)
	}
	var trig []string
	seen := map[string]bool{}
	for _, t := range fn.Triggers {
		if !seen[t.Type] {
			seen[t.Type] = true
			trig = append(trig, t.Type)
		}
	}
	if len(trig) > 0 && cf.Detail["source"] != "" {
		msg += fmt.Sprintf("; function %s is fed by %s", fn.ID, strings.Join(trig, ", "))
	}
	return msg
}

var codeRules = []*Rule{
	codeRule("FG-CODE-001", "command-injection", "Event data reaches a shell or process execution", Critical, []string{"CWE-78"},
		"Data from the triggering event reaches a command that a shell runs. An attacker who controls the event (an HTTP body, an S3 object key, a queue message) runs commands in the function with its role's permissions.",
		"Pass arguments as an array to a function that does not start a shell (execFile/spawn without shell: true, subprocess.run([...]) with shell=False, exec.Command with separate arguments), and validate the value against an allowlist."),
	codeRule("FG-CODE-002", "code-injection", "Event data reaches eval or dynamic code", Critical, []string{"CWE-94", "CWE-95"},
		"Event data is evaluated as code (eval, new Function, vm.runIn*, exec). Whoever shapes the event runs arbitrary code inside the function.",
		"Never evaluate event data. Parse it as data (JSON.parse, json.loads) and dispatch on validated values."),
	codeRule("FG-CODE-003", "sql-injection", "SQL built from event data", High, []string{"CWE-89"},
		"A SQL statement is built by concatenating or formatting event data. The event can change the query: read other users' rows, modify or drop data.",
		"Use parameterised queries (placeholders with an argument list: `query('... WHERE id = ?', [id])`, `cursor.execute('... %s', (id,))`, `db.Query(\"... $1\", id)`)."),
	codeRule("FG-CODE-004", "nosql-injection", "NoSQL query built from event data", High, []string{"CWE-943"},
		"A NoSQL query object or expression comes from the event. Operators such as $ne, $gt or $where in the event change what the query matches.",
		"Build query objects from validated scalar fields, cast values to the expected type, and reject keys starting with $."),
	codeRule("FG-CODE-005", "path-traversal", "File path built from event data", High, []string{"CWE-22"},
		"A file path comes from the event. `../` sequences read or overwrite files outside the intended directory, including /tmp state shared between invocations and the function's own code.",
		"Take only the base name (path.basename), resolve the path and check it stays under the intended directory, or map identifiers to paths through an allowlist."),
	codeRule("FG-CODE-006", "ssrf", "Outbound request to a URL from event data", High, []string{"CWE-918"},
		"The function fetches a URL taken from the event. An attacker can make it call internal services or the runtime's credential endpoints and return what they say.",
		"Allowlist hosts and schemes, resolve the host and refuse private, link-local and metadata addresses, and never follow redirects blindly."),
	codeRule("FG-CODE-007", "deserialization", "Event data reaches an unsafe deserializer", Critical, []string{"CWE-502"},
		"Event data is deserialized by a library that can construct arbitrary objects or run code (node-serialize, pickle, jsonpickle, yaml.load without a safe loader).",
		"Use data-only formats and loaders: JSON, yaml.safe_load / SafeLoader, js-yaml's default safe schema."),
	codeRule("FG-CODE-008", "template-injection", "Event data used as a template", High, []string{"CWE-1336"},
		"Event data is compiled as a template (ejs/handlebars/pug compile, jinja2 Template, render_template_string, text/template). Template syntax in the event runs code on the server.",
		"Keep templates static and pass event data as template variables only."),
	codeRule("FG-CODE-009", "jwt-unverified", "JWT decoded without verifying its signature", High, []string{"CWE-347"},
		"A JSON Web Token is decoded without checking its signature (jwt.decode, verify_signature False, algorithm none, ParseUnverified). Anyone can forge the claims the function trusts.",
		"Verify tokens with the issuer's key and a fixed algorithm list (jwt.verify, jwt.decode(..., key, algorithms=[...]), jwt.Parse with a key function), or let an API Gateway authorizer do it."),
	codeRule("FG-CODE-010", "tls-verification-disabled", "TLS certificate verification disabled", Medium, []string{"CWE-295"},
		"Certificate verification is switched off (rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED=0, verify=False, InsecureSkipVerify). Anyone on the network path can read and change the traffic, including credentials.",
		"Keep verification on; trust a private CA by adding it to the trust store instead."),
	codeRule("FG-CODE-011", "sensitive-logging", "Whole event or secrets written to logs", Medium, []string{"CWE-532"},
		"The function logs the whole event or a secret. Events carry tokens, personal data and credentials; logs are kept long and read by many.",
		"Log selected, non-sensitive fields; redact tokens and personal data before logging."),
}

func init() { Register(codeRules...) }
