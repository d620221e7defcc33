package rules

import "github.com/faasguard/faasguard/model"

var tracingOff = &Rule{
	ID:       "FG-LOG-001",
	Title:    "Tracing disabled",
	Severity: Low,
	Family:   LOG,
	Risk:     "Monitoring and logging at the application layer (seeds 000, 001, 003)",
	Rationale: "Without distributed tracing an attack that moves through several functions and services cannot be " +
		"followed; latency spikes from abuse are hard to attribute.",
	Remediation: "Enable active tracing (`provider.tracing.lambda: true`, `Tracing: Active`, `tracing_config { mode = \"Active\" }`).",
	Refs: Refs{CWE: []string{"CWE-778"}, OWASP: []string{"SAS-10: Improper Exception Handling and Verbose Error Messages"},
		Checkov: []string{"CKV_AWS_50"}, KICS: []string{"Serverless Function Without X-Ray Tracing"}, Trivy: []string{"AVD-AWS-0066"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if c.App.Provider != model.AWS && c.App.Provider != "" {
				continue
			}
			if fn.Tracing.IsUnknown() || model.IsTrue(fn.Tracing) {
				continue
			}
			c.Fn(fn, model.PosOr(fn.Pos, fn.Tracing.Pos), "tracing", "function %s has tracing disabled", fn.ID)
		}
	},
}

var logRetentionUnset = &Rule{
	ID:       "FG-LOG-002",
	Title:    "Log retention not set",
	Severity: Low,
	Family:   LOG,
	Risk:     "Monitoring and logging; do not keep sensitive data forever (seeds 000, 003)",
	Rationale: "Lambda creates a log group per function that keeps logs forever by default: whatever sensitive data " +
		"reaches the logs stays, and storage cost grows without bound.",
	Remediation: "Set a retention (`logRetentionInDays`, an AWS::Logs::LogGroup with RetentionInDays, " +
		"`retention_in_days`) that matches your audit needs.",
	Refs: Refs{CWE: []string{"CWE-779"}, Checkov: []string{"CKV_AWS_66", "CKV_AWS_338"}, KICS: []string{"CloudWatch Log Group Without Retention"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			lg := fn.LogGroup
			if lg == nil || lg.RetentionDays.State != model.Absent {
				continue
			}
			msg := "the log group of function %s keeps logs forever: no retention set"
			if lg.Implicit {
				msg = "the implicit log group of function %s keeps logs forever: no retention set"
			}
			c.Fn(fn, model.PosOr(fn.Pos, lg.Pos), "retention", msg, fn.ID)
		}
		for _, r := range c.App.Resources {
			if r.Kind != model.ResLogGroup || r.Implicit || r.RetentionDays.State != model.Absent || isFunctionLogGroup(c.App, r) {
				continue
			}
			c.Res(r, r.Pos, "retention", "log group %s keeps logs forever: no retention set", r.ID)
		}
	},
}

func isFunctionLogGroup(app *model.Application, r *model.Resource) bool {
	for _, fn := range app.Functions {
		if fn.LogGroup == r {
			return true
		}
	}
	return false
}

func init() { Register(tracingOff, logRetentionUnset) }
