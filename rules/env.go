package rules

import (
	"fmt"
	"strings"
)

var badSuppression = &Rule{
	ID:       "FG-ENV-090",
	Title:    "Suppression without a reason, malformed or expired",
	Severity: Medium,
	Family:   ENV,
	Risk:     "Separate environments and CI/CD: accepted risks must stay reviewed (seed 000)",
	Rationale: "A suppression hides a risk from every later scan. Without a reason nobody can judge whether it still " +
		"holds; past its date the risk was accepted only until then. Such a directive suppresses nothing, and this " +
		"finding says so, so that it gets fixed or renewed on purpose.",
	Remediation: "Write why the risk is accepted and, where it should be reviewed, until when: " +
		"`# faasguard:ignore FG-XXX-NNN reason=\"...\" until=YYYY-MM-DD`. Remove directives whose risk was fixed.",
	Refs: Refs{CWE: []string{"CWE-1068"}},
	Check: func(c *Context) {
		for _, s := range c.App.Suppressions {
			if s.Problem == "" {
				continue
			}
			c.Report(Finding{Pos: s.Pos, Resource: s.Subject, Key: fmt.Sprintf("%v", s.Rules),
				Message: fmt.Sprintf("faasguard:ignore %v %s; it suppresses nothing", s.Rules, s.Problem)})
		}
	},
}

func init() { Register(badSuppression) }

// debugValues are environment settings that turn on debugging or verbose
// diagnostics.
var debugSettings = []struct{ name, value string }{
	{"DEBUG", "true"}, {"DEBUG", "1"}, {"DEBUG", "*"}, {"FLASK_DEBUG", "1"}, {"FLASK_DEBUG", "true"}, {"DJANGO_DEBUG", "true"},
	{"NODE_ENV", "development"}, {"LOG_LEVEL", "debug"}, {"LOG_LEVEL", "trace"}, {"POWERTOOLS_LOGGER_LOG_EVENT", "true"},
	{"POWERTOOLS_DEV", "true"}, {"AWS_LAMBDA_LOG_LEVEL", "debug"}, {"NODE_OPTIONS", "--inspect"},
}

func isProdStage(s string) bool {
	s = strings.ToLower(s)
	return s == "prod" || s == "production" || s == "prd" || s == "live" || strings.HasPrefix(s, "prod-") || strings.HasSuffix(s, "-prod")
}

var prodDebug = &Rule{
	ID:       "FG-ENV-001",
	Title:    "Debug settings in a production stage",
	Severity: Medium,
	Family:   ENV,
	Risk:     "Separate dev / staging / prod; do not log sensitive data (seeds 000, 001)",
	Rationale: "Debug flags in production print stack traces, whole events and configuration to callers and logs, and " +
		"some frameworks expose interactive debuggers: what helps in development leaks data in production.",
	Remediation: "Select debug settings per stage (`${self:custom.debug.${sls:stage}}`, stage parameters, tfvars per " +
		"environment) and keep them off in production.",
	Refs: Refs{CWE: []string{"CWE-489", "CWE-215"}, OWASP: []string{"SAS-10: Improper Exception Handling and Verbose Error Messages"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			stage := fn.Stage
			if !stage.IsKnown() {
				stage = c.App.Stage
			}
			if !stage.IsKnown() || !isProdStage(stage.V) {
				continue
			}
			for _, ev := range fn.Environment {
				v, ok := ev.Value.Get()
				if !ok {
					continue
				}
				for _, d := range debugSettings {
					if strings.EqualFold(ev.Name, d.name) && (strings.EqualFold(strings.TrimSpace(v), d.value) ||
						d.value == "--inspect" && strings.Contains(v, "--inspect")) {
						c.Fn(fn, ev.Pos, "debug:"+ev.Name, "function %s sets %s=%s in stage %s", fn.ID, ev.Name, v, stage.V)
						break
					}
				}
			}
		}
	},
}

func init() { Register(prodDebug) }
