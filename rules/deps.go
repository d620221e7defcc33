package rules

import (
	"fmt"

	"github.com/faasguard/faasguard/model"
)

var vulnerableDependency = &Rule{
	ID:       "FG-SUP-002",
	Title:    "Vulnerable dependency",
	Severity: High,
	Family:   SUP,
	Risk:     "Vulnerable dependencies; poisoned packages (seeds 001, 003)",
	Rationale: "A package the function ships has a published advisory. Most serverless code is dependencies, and a " +
		"function reachable by events exposes their flaws as much as its own.",
	Remediation: "Upgrade to a fixed version (listed in the finding) and regenerate the lockfile.",
	Refs: Refs{CWE: []string{"CWE-1395", "CWE-1104"}, OWASP: []string{"SAS-8: Improper Exception Handling", "A06:2021 Vulnerable and Outdated Components"},
		Trivy: []string{"vulnerability scanning"}},
	Check: func(c *Context) {
		eachCodeFinding(c.App, map[string]bool{"vulnerable-dependency": true}, func(fn *model.Function, cf model.CodeFinding) {
			d := cf.Detail
			msg := fmt.Sprintf("%s %s@%s is affected by %s", d["ecosystem"], d["package"], d["version"], d["id"])
			if d["aliases"] != "" {
				msg += " (" + d["aliases"] + ")"
			}
			if cf.Message != "" {
				msg += ": " + cf.Message
			}
			if d["fixed"] != "" {
				msg += "; fixed in " + d["fixed"]
			}
			f := Finding{Pos: cf.Pos, Key: "vuln:" + d["id"] + ":" + d["package"] + "@" + d["version"], Message: msg,
				Severity: osvSeverity(cf.Severity)}
			if fn != nil {
				f.Function = fn.ID
			}
			c.Report(f)
		})
	},
}

func osvSeverity(s string) Severity {
	switch s {
	case "critical":
		return Critical
	case "high":
		return High
	case "medium", "moderate":
		return Medium
	case "low":
		return Low
	}
	return Medium // unknown severity: an advisory still matters
}

var unpinnedDependencies = &Rule{
	ID:       "FG-SUP-003",
	Title:    "Dependencies without a lockfile or not pinned",
	Severity: Medium,
	Family:   SUP,
	Risk:     "Poisoned packages; vulnerable dependencies (seeds 001, 003)",
	Rationale: "Without a lockfile, or with version ranges, every build may install different code: a compromised " +
		"release is deployed without any change in the repository, and what was scanned is not what runs.",
	Remediation: "Commit the lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml, poetry.lock, uv.lock, " +
		"Pipfile.lock) or pin exact versions (`==`) in requirements files, ideally with hashes.",
	Refs: Refs{CWE: []string{"CWE-1357", "CWE-829"}},
	Check: func(c *Context) {
		eachCodeFinding(c.App, map[string]bool{"no-lockfile": true, "unpinned": true}, func(fn *model.Function, cf model.CodeFinding) {
			f := Finding{Pos: cf.Pos, Key: cf.Kind + ":" + cf.Message, Message: cf.Message}
			if cf.Kind == "unpinned" {
				f.Severity = Low
			}
			if fn != nil {
				f.Function = fn.ID
			}
			c.Report(f)
		})
	},
}

var installScripts = &Rule{
	ID:       "FG-SUP-004",
	Title:    "Dependency runs install scripts",
	Severity: Low,
	Family:   SUP,
	Profile:  ProfileWellArchitected,
	Risk:     "Poisoned packages (seed 001)",
	Rationale: "Packages with install scripts run code on every machine that installs them, CI included: the usual " +
		"way a poisoned package steals build credentials.",
	Remediation: "Install with scripts disabled (`npm ci --ignore-scripts`) where the package works without them, and review the ones that need them.",
	Refs:        Refs{CWE: []string{"CWE-506", "CWE-829"}},
	Check: func(c *Context) {
		eachCodeFinding(c.App, map[string]bool{"install-script": true}, func(fn *model.Function, cf model.CodeFinding) {
			f := Finding{Pos: cf.Pos, Key: "script:" + cf.Detail["package"], Message: cf.Message}
			if fn != nil {
				f.Function = fn.ID
			}
			c.Report(f)
		})
	},
}

func init() { Register(vulnerableDependency, unpinnedDependencies, installScripts) }
