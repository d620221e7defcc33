package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/faasguard/faasguard/model"
)

//go:embed data/runtimes.json
var runtimesJSON []byte

var (
	runtimesOnce sync.Once
	runtimeEOL   map[model.Provider]map[string]time.Time
)

// runtimeTable parses the embedded end-of-support table once.
func runtimeTable() map[model.Provider]map[string]time.Time {
	runtimesOnce.Do(func() {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(runtimesJSON, &raw); err != nil {
			panic("rules: runtimes.json: " + err.Error())
		}
		runtimeEOL = map[model.Provider]map[string]time.Time{}
		for cloud, body := range raw {
			if strings.HasPrefix(cloud, "_") {
				continue
			}
			var dates map[string]string
			if err := json.Unmarshal(body, &dates); err != nil {
				panic("rules: runtimes.json: " + cloud + ": " + err.Error())
			}
			m := map[string]time.Time{}
			for rt, d := range dates {
				t, err := time.Parse("2006-01-02", d)
				if err != nil {
					panic("rules: runtimes.json: " + rt + ": " + err.Error())
				}
				m[strings.ToLower(rt)] = t
			}
			runtimeEOL[model.Provider(cloud)] = m
		}
	})
	return runtimeEOL
}

// normalizeRuntime maps the spellings formats use to the table's keys:
// Azure "NODE|18" / "node:18" / "~18"; GCP as written.
func normalizeRuntime(p model.Provider, rt string) string {
	rt = strings.ToLower(strings.TrimSpace(rt))
	if p == model.Azure {
		rt = strings.ReplaceAll(rt, ":", "|")
		rt = strings.ReplaceAll(rt, "~", "")
	}
	return rt
}

var eolRuntime = &Rule{
	ID:       "FG-SUP-001",
	Title:    "End-of-life runtime",
	Severity: High,
	Family:   SUP,
	Risk:     "Vulnerable dependencies; poisoned or unpatched components (seeds 001, 003)",
	Rationale: "The provider no longer patches this runtime: security fixes to the language and its standard library " +
		"stop, and the platform later blocks updates to the function, so an urgent fix cannot be deployed.",
	Remediation: "Move to a supported runtime version (for example nodejs22.x or python3.12 on AWS) and test the function on it.",
	Refs: Refs{CWE: []string{"CWE-1104"}, OWASP: []string{"SAS-9: Serverless Function Execution Flow Manipulation"},
		Checkov: []string{"CKV_AWS_363"}, KICS: []string{"Lambda Function With Deprecated Runtime"}, Trivy: []string{"AVD-AWS-0140"},
		Docs: []string{"https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"}},
	Check: func(c *Context) {
		table := runtimeTable()
		prov := c.App.Provider
		if prov == "" {
			prov = model.AWS
		}
		for _, fn := range c.App.Functions {
			rt, ok := fn.Runtime.Get()
			if !ok {
				continue
			}
			eol, ok := table[prov][normalizeRuntime(prov, rt)]
			if !ok {
				continue
			}
			days := int(eol.Sub(c.Config.Now).Hours() / 24)
			switch {
			case days < 0:
				c.Fn(fn, fn.Runtime.Pos, "runtime", "function %s uses %s, out of support since %s", fn.ID, rt, eol.Format("2006-01-02"))
			case days <= 90:
				c.Report(Finding{Function: fn.ID, Pos: model.PosOr(fn.Pos, fn.Runtime.Pos), Key: "runtime", Severity: Medium,
					Message: fmt.Sprintf("function %s uses %s, which goes out of support on %s (in %d days)", fn.ID, rt, eol.Format("2006-01-02"), days)})
			}
		}
	},
}

func init() { Register(eolRuntime) }
