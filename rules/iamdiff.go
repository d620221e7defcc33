package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/grant"
	"github.com/faasguard/faasguard/iam/policy"
	"github.com/faasguard/faasguard/model"
)

var privilegeEscalation = &Rule{
	ID:       "FG-IAM-006",
	Title:    "Role allows privilege escalation",
	Severity: Critical,
	Family:   IAM,
	Risk:     "Over-privileged functions (seeds 000, 003)",
	Rationale: "The role holds a publicly documented set of actions that lets whoever controls the function grant " +
		"itself more: create a new policy version, attach a policy, pass a powerful role to a new function and invoke " +
		"it, rewrite another function's code. An injection flaw in the function becomes account takeover.",
	Remediation: "Remove the actions of the chain that the function does not need (usually all of them: functions " +
		"rarely manage IAM or other functions), or scope iam:PassRole and the write actions to specific resources " +
		"with conditions.",
	Refs: Refs{CWE: []string{"CWE-269"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		KICS: []string{"Role With Privilege Escalation By Actions 'iam:PassRole' And 'lambda:CreateFunction'"},
		Docs: []string{"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			g := grant.RolePolicy(r)
			if policy.IsAdminEquivalent(g.Policy) {
				continue // FG-IAM-001/003 report the role as administrator already
			}
			es := policy.Escalations(g.Policy)
			if len(es) == 0 {
				continue
			}
			sev := Severity(es[0].Severity)
			var methods []string
			var rel []Related
			seen := map[model.Pos]bool{}
			for _, e := range es {
				var steps []string
				for _, l := range e.Chain {
					steps = append(steps, l.Action)
					if l.Statement < len(g.Pos) && !seen[g.Pos[l.Statement]] {
						seen[g.Pos[l.Statement]] = true
						rel = append(rel, Related{Pos: g.Pos[l.Statement], Message: "grants " + l.Action})
					}
				}
				methods = append(methods, strings.Join(steps, " + ")+" ("+e.Method.Description+")")
				if s := Severity(e.Severity); s > sev {
					sev = s
				}
			}
			pos := r.Pos
			if len(rel) > 0 {
				pos = rel[0].Pos
			}
			msg := fmt.Sprintf("%s can escalate its privileges through %d documented %s: %s", roleSubject(r), len(es),
				plural(len(es), "method", "methods"), strings.Join(methods[:min(len(methods), 3)], "; "))
			if len(methods) > 3 {
				msg += fmt.Sprintf("; and %d more", len(methods)-3)
			}
			f := Finding{Resource: r.ID, Pos: pos, Key: "escalation", Related: rel, Severity: sev, Message: msg}
			if len(r.Functions) == 1 {
				f.Function = r.Functions[0].ID
			}
			c.Report(f)
		}
	},
}

var unusedPermissions = &Rule{
	ID:       "FG-IAM-007",
	Title:    "Permissions granted but never used by the code",
	Severity: Low,
	Family:   IAM,
	Risk:     "Least privilege: only the permissions a function needs (seeds 000, 003)",
	Rationale: "The role allows actions that neither the function's code (its SDK calls) nor the platform (logs, " +
		"triggers, tracing, destinations) uses. They are pure risk: an attacker who controls the function gets them, " +
		"the function never needed them.",
	Remediation: "Remove the unused actions; `faasguard policy` prints the minimal policy for the function.",
	Refs:        Refs{CWE: []string{"CWE-250"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			g, d, ok := diffRole(c, r)
			if !ok {
				continue
			}
			byStmt := map[int][]string{}
			for _, u := range d.Unused {
				if u.Statement < len(g.Origin) && g.Origin[u.Statement] != "" {
					continue // written by the framework or a managed policy, not the user
				}
				byStmt[u.Statement] = append(byStmt[u.Statement], u.Pattern)
			}
			idx := make([]int, 0, len(byStmt))
			for i := range byStmt {
				idx = append(idx, i)
			}
			sort.Ints(idx)
			for _, i := range idx {
				acts := byStmt[i]
				sort.Strings(acts)
				f := Finding{Resource: r.ID, Pos: g.Pos[i], Key: "unused:" + strings.Join(acts, ","),
					Message: fmt.Sprintf("%s grants %s, which its code never uses", roleSubject(r), strings.Join(acts, ", "))}
				if len(r.Functions) == 1 {
					f.Function = r.Functions[0].ID
				}
				c.Report(f)
			}
		}
	},
}

var missingPermissions = &Rule{
	ID:       "FG-IAM-008",
	Title:    "Code calls an action its role does not allow",
	Severity: Low,
	Family:   IAM,
	Risk:     "Least privilege done right: a policy that matches the code (seed 003)",
	Rationale: "The function's code calls an AWS API its role does not allow: the call fails at run time with " +
		"AccessDenied. Such gaps are usually fixed in a hurry with a wildcard.",
	Remediation: "Add the action, scoped to the resource the code uses (`faasguard policy` prints it).",
	Refs:        Refs{CWE: []string{"CWE-703"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			_, d, ok := diffRole(c, r)
			if !ok {
				continue
			}
			for _, m := range d.Missing {
				fn := r.Functions[0]
				pos := fn.Pos
				for _, f := range r.Functions {
					if p, ok := callPos(f, m.Action); ok {
						fn, pos = f, p
						break
					}
				}
				c.Report(Finding{Function: fn.ID, Resource: r.ID, Pos: pos, Key: "missing:" + m.Action + ":" + m.Resource,
					Message: fmt.Sprintf("function %s calls %s on %s, which its role does not allow: the call will fail", fn.ID, m.Action, m.Resource)})
			}
		}
	},
}

var wildcardOnlyGrant = &Rule{
	ID:       "FG-IAM-009",
	Title:    "Used action allowed only through a wildcard",
	Severity: Low,
	Family:   IAM,
	Profile:  ProfileWellArchitected,
	Risk:     "Least privilege (seed 003)",
	Rationale: "The code needs the action, but the role grants it only through a wildcard (s3:*, *, NotAction), " +
		"so the wildcard cannot be removed without naming the action first.",
	Remediation: "Name the action explicitly and narrow or remove the wildcard.",
	Refs:        Refs{CWE: []string{"CWE-250"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			g, d, ok := diffRole(c, r)
			if !ok {
				continue
			}
			for _, w := range d.WildcardOnly {
				pos := r.Pos
				if len(w.Statements) > 0 && w.Statements[0] < len(g.Pos) {
					pos = g.Pos[w.Statements[0]]
				}
				c.Report(Finding{Resource: r.ID, Pos: pos, Key: "wild:" + w.Action,
					Message: fmt.Sprintf("%s allows %s only through a wildcard", roleSubject(r), w.Action)})
			}
		}
	},
}

// callPos returns where a function's code calls an action.
func callPos(fn *model.Function, action string) (model.Pos, bool) {
	if fn.Code == nil {
		return model.Pos{}, false
	}
	for _, c := range fn.Code.SDKCalls {
		for _, a := range c.Actions {
			if strings.EqualFold(a, action) {
				return c.Pos, true
			}
		}
	}
	return model.Pos{}, false
}

func init() {
	Register(privilegeEscalation, unusedPermissions, missingPermissions, wildcardOnlyGrant)
}

// diffRole compares what a role grants with what all its functions need,
// when every one of them has analysable code and the role is fully known.
func diffRole(c *Context, r *model.Role) (grant.Granted, policy.Diff, bool) {
	g := grant.RolePolicy(r)
	if g.Unknown || len(r.Functions) == 0 {
		return g, policy.Diff{}, false
	}
	var needs []policy.Need
	for _, fn := range r.Functions {
		if !grant.Analyzable(fn) {
			return g, policy.Diff{}, false
		}
		needs = append(needs, grant.Needs(fn, c.App)...)
	}
	return g, policy.Compare(g.Policy, needs), true
}

var broadTrust = &Rule{
	ID:       "FG-IAM-010",
	Title:    "Role can be assumed by anyone",
	Severity: Critical,
	Family:   IAM,
	Risk:     "Over-privileged functions; broken authentication (seeds 000, 003)",
	Rationale: "The role's trust policy lets every AWS principal (`Principal: \"*\"`, or `AWS: \"*\"`) assume it " +
		"without a condition: anyone with an AWS account can obtain the function's permissions directly, without " +
		"touching the function.",
	Remediation: "Trust only the service that runs the function (`Service: lambda.amazonaws.com`), or name the " +
		"accounts and roles that may assume it and add conditions (aws:SourceArn, aws:PrincipalOrgID, sts:ExternalId).",
	Refs: Refs{CWE: []string{"CWE-284"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_AWS_60"}, KICS: []string{"IAM Role Allows All Principals To Assume"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			for _, s := range r.Trust {
				if !s.IsAllow() || len(s.Conditions) > 0 {
					continue
				}
				for _, p := range s.Principals {
					v, ok := p.Value.Get()
					if !ok || v != "*" || (p.Type != "*" && p.Type != "AWS") {
						continue
					}
					f := Finding{Resource: r.ID, Pos: model.PosOr(r.Pos, s.Pos), Key: "trust:*",
						Message: fmt.Sprintf("%s can be assumed by any AWS principal: its trust policy allows \"*\" without a condition", roleSubject(r))}
					if len(r.Functions) == 1 {
						f.Function = r.Functions[0].ID
					}
					c.Report(f)
					break
				}
			}
		}
	},
}

func init() { Register(broadTrust) }
