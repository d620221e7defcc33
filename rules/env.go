package rules

import "fmt"

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
