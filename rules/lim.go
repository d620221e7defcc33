package rules

import (
	"fmt"

	"github.com/faasguard/faasguard/model"
)

// apiGatewayTimeout is API Gateway's integration timeout: a function that
// runs longer behind it keeps running (and billing) after the client got a 504.
const apiGatewayTimeout = 29

var timeoutCeiling = &Rule{
	ID:       "FG-LIM-001",
	Title:    "Function timeout above the ceiling",
	Severity: Medium,
	Family:   LIM,
	Risk:     "Misconfigured timeouts lead to denial of service and denial of wallet (seed 000)",
	Rationale: "A long timeout lets a slow or stuck invocation, or an attacker's crafted input, hold concurrency and " +
		"bill for minutes. Timeouts should sit just above the function's real duration.",
	Remediation: "Lower `timeout` to a little above the observed p99 duration. The ceiling is configurable " +
		"(`timeoutCeiling` in .faasguard.yaml, default 300 s).",
	Refs: Refs{CWE: []string{"CWE-400"}, OWASP: []string{"SAS-6: Denial of Service & Financial Resource Exhaustion"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if t, ok := fn.Timeout.Get(); ok && t > c.Config.TimeoutCeiling {
				c.Fn(fn, fn.Timeout.Pos, "timeout", "function %s has a %d s timeout, above the %d s ceiling", fn.ID, t, c.Config.TimeoutCeiling)
			}
		}
	},
}

var timeoutBehindAPI = &Rule{
	ID:       "FG-LIM-002",
	Title:    "Function timeout longer than API Gateway's",
	Severity: Medium,
	Family:   LIM,
	Risk:     "Misconfigured timeouts; denial of wallet (seed 000)",
	Rationale: "API Gateway gives up after 29 seconds and answers 504, but the function keeps running until its own " +
		"timeout: the client retries while the first invocations still run, multiplying cost and concurrency.",
	Remediation: "Set the timeout of API-facing functions to 29 s or less; move long work to an asynchronous queue.",
	Refs: Refs{CWE: []string{"CWE-400"}, OWASP: []string{"SAS-6: Denial of Service & Financial Resource Exhaustion"},
		KICS: []string{"Serverless Function Timeout Too Long"}},
	Check: func(c *Context) {
		if c.App.Provider != model.AWS && c.App.Provider != "" {
			return // Azure and GCP HTTP front ends have other limits
		}
		for _, fn := range c.App.Functions {
			t, ok := fn.Timeout.Get()
			if !ok || t <= apiGatewayTimeout {
				continue
			}
			if tr := behindAPIGateway(fn); tr != nil {
				f := Finding{Function: fn.ID, Pos: model.PosOr(fn.Pos, fn.Timeout.Pos), Key: "api-timeout",
					Message: fmt.Sprintf("function %s has a %d s timeout but is invoked through %s, which times out after %d s", fn.ID, t, describe(tr), apiGatewayTimeout),
					Related: []Related{{Pos: tr.Pos, Message: "the API event"}}}
				c.Report(f)
			}
		}
	},
}

var noReservedConcurrency = &Rule{
	ID:       "FG-LIM-003",
	Title:    "Public function without reserved concurrency",
	Severity: Medium,
	Family:   LIM,
	Profile:  ProfileWellArchitected,
	Risk:     "Denial of wallet; limits on concurrency (seeds 000, 003)",
	Rationale: "Without reserved concurrency a flood of requests to a public function scales it up to the account limit: " +
		"the bill grows with the attack and every other function in the account is starved of concurrency.",
	Remediation: "Set `reservedConcurrency` (`ReservedConcurrentExecutions`, `reserved_concurrent_executions`) to what the function needs at peak.",
	Refs:        Refs{CWE: []string{"CWE-770"}, OWASP: []string{"SAS-6: Denial of Service & Financial Resource Exhaustion"}, Checkov: []string{"CKV_AWS_115"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if c.App.Provider != model.AWS && c.App.Provider != "" {
				continue
			}
			if fn.ReservedConcurrency.IsAbsent() && isPublic(fn) {
				c.Fn(fn, fn.Pos, "reserved", "public function %s has no reserved concurrency", fn.ID)
			}
		}
	},
}

var asyncNoDLQ = &Rule{
	ID:       "FG-LIM-004",
	Title:    "Asynchronous trigger without DLQ or on-failure destination",
	Severity: Medium,
	Family:   LIM,
	Risk:     "Availability: events are lost silently (seed 003)",
	Rationale: "Buckets, topics, event buses and schedules invoke functions asynchronously: after two retries a failing " +
		"event is dropped without trace. Errors caused by an attack or an outage then lose data and hide the incident.",
	Remediation: "Configure an on-failure destination (`destinations.onFailure`, `EventInvokeConfig.DestinationConfig`) " +
		"or a dead-letter queue (`onError`, `DeadLetterQueue`, `dead_letter_config`) and alarm on it.",
	Refs: Refs{CWE: []string{"CWE-755"}, Checkov: []string{"CKV_AWS_116"}, KICS: []string{"Lambda Function Without Dead Letter Queue"}},
	Check: func(c *Context) {
		for _, fn := range c.App.Functions {
			if fn.DeadLetter.State != model.Absent || fn.OnFailure.State != model.Absent {
				continue
			}
			for _, t := range fn.Triggers {
				if !t.Kind.Async() {
					continue
				}
				f := Finding{Function: fn.ID, Pos: model.PosOr(fn.Pos, t.Pos), Key: "async",
					Message: fmt.Sprintf("function %s is invoked asynchronously by its %s event and has no DLQ or on-failure destination: failed events are dropped", fn.ID, t.Type)}
				if t.Kind == model.TriggerSchedule {
					f.Severity = Low
				}
				c.Report(f)
				break
			}
		}
	},
}

var apiNoThrottle = &Rule{
	ID:       "FG-LIM-005",
	Title:    "API without throttling",
	Severity: Medium,
	Family:   LIM,
	Risk:     "Denial of service and denial of wallet; API gateway as a security buffer (seed 000)",
	Rationale: "Without stage or usage-plan throttling, one client can send as many requests as the account limit " +
		"allows; every request invokes (and bills) a function and competes with legitimate users.",
	Remediation: "Set rate and burst limits on the API stage or a usage plan (`provider.apiGateway.usagePlan.throttle`, " +
		"`MethodSettings` ThrottlingRateLimit/BurstLimit, `throttle_settings`).",
	Refs: Refs{CWE: []string{"CWE-770"}, OWASP: []string{"SAS-6: Denial of Service & Financial Resource Exhaustion"}},
	Check: func(c *Context) {
		used := map[*model.Resource]*model.Trigger{}
		for _, fn := range c.App.Functions {
			for _, t := range fn.Triggers {
				if t.API != nil && !model.IsFalse(t.Public) {
					if _, ok := used[t.API]; !ok {
						used[t.API] = t
					}
				}
			}
		}
		for _, r := range c.App.Resources {
			if r.Kind != model.ResAPI {
				continue
			}
			if _, ok := used[r]; !ok && r.Implicit {
				continue
			}
			if st := throttled(r); st != model.Absent {
				continue
			}
			c.Res(r, r.Pos, "throttle", "API %s has no throttling: no stage rate limit and no usage plan", r.ID)
		}
	},
}

// throttled returns Known when an API or one of its stages sets a limit,
// Unknown when that cannot be told, Absent when none is set.
func throttled(r *model.Resource) model.State {
	st := model.Absent
	check := func(x *model.Resource) {
		if model.IsTrue(x.UsagePlan) {
			st = model.Known
		} else if x.UsagePlan.IsUnknown() && st == model.Absent {
			st = model.Unknown
		}
		if x.Throttle != nil {
			if x.Throttle.Rate.IsKnown() || x.Throttle.Burst.IsKnown() {
				st = model.Known
			} else if st == model.Absent {
				st = model.Unknown
			}
		}
	}
	check(r)
	for _, s := range r.Stages {
		check(s)
	}
	return st
}

func init() {
	Register(timeoutCeiling, timeoutBehindAPI, noReservedConcurrency, asyncNoDLQ, apiNoThrottle)
}
