package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// roleSubject names the functions a role finding concerns.
func roleSubject(r *model.Role) string {
	names := make([]string, 0, len(r.Functions))
	for _, f := range r.Functions {
		names = append(names, f.ID)
	}
	switch len(names) {
	case 0:
		return "role " + r.ID
	case 1:
		return "role of function " + names[0]
	}
	return fmt.Sprintf("role %s (functions %s)", r.ID, strings.Join(names, ", "))
}

// reportRole reports a finding on a role, attributed to its only function
// when it has one.
func reportRole(c *Context, r *model.Role, pos model.Pos, key, msg string, sev Severity) {
	f := Finding{Resource: r.ID, Pos: model.PosOr(r.Pos, pos), Key: "role:" + r.ID + ":" + key, Message: msg, Severity: sev, Generated: r.Generated}
	if len(r.Functions) == 1 {
		f.Function = r.Functions[0].ID
	}
	c.Report(f)
}

var wildcardAction = &Rule{
	ID:       "FG-IAM-001",
	Title:    "Wildcard IAM action",
	Severity: High,
	Family:   IAM,
	Risk:     "Over-privileged functions; least privilege (seeds 000, 003)",
	Rationale: "`Action: \"*\"` grants every AWS action and `service:*` every action of a service, including deleting " +
		"data and changing permissions. A function compromised through an injection flaw gets all of it.",
	Remediation: "List the actions the function calls (`faasguard policy` prints them from its code) and scope them to " +
		"the resources it uses.",
	Refs: Refs{CWE: []string{"CWE-250", "CWE-732"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_355"},
		KICS:    []string{"Serverless Role With Full Privileges", "IAM Policies With Full Privileges", "IAM Policy Grants Full Permissions"},
		Trivy:   []string{"AVD-AWS-0057"}, CfnNag: []string{"F2", "F3", "W12"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			for _, s := range allowStatements(r) {
				for _, a := range s.Actions {
					if !a.IsKnown() {
						continue
					}
					act := strings.TrimSpace(a.V)
					switch {
					case act == "*":
						reportRole(c, r, model.PosOr(s.Pos, a.Pos), "action:*", fmt.Sprintf("%s allows every action (Action \"*\")", roleSubject(r)), Critical)
					case strings.HasSuffix(act, ":*"):
						reportRole(c, r, model.PosOr(s.Pos, a.Pos), "action:"+strings.ToLower(act), fmt.Sprintf("%s allows every action of a service (%s)", roleSubject(r), act), High)
					}
				}
			}
		}
	},
}

var resourceStarWrite = &Rule{
	ID:       "FG-IAM-002",
	Title:    "Write actions on every resource",
	Severity: Medium,
	Family:   IAM,
	Risk:     "Over-privileged functions; least privilege (seeds 000, 003)",
	Rationale: "The role may change every resource of the service (`Resource: \"*\"`), not only the ones the function " +
		"owns: one compromised function can overwrite or delete the data of every other application in the account.",
	Remediation: "Name the resources (`!GetAtt OrdersTable.Arn`, `arn:aws:s3:::my-bucket/*`). Keep `*` only for actions " +
		"that do not support resource-level permissions.",
	Refs: Refs{CWE: []string{"CWE-732"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_AWS_290", "CKV_AWS_289", "CKV_AWS_288"}, KICS: []string{"IAM Policy Grants 'AssumeRole' Permission Across All Services"},
		CfnNag: []string{"W11"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			for _, s := range allowStatements(r) {
				star := false
				var starPos model.Pos
				for _, res := range s.Resources {
					if res.IsKnown() && strings.TrimSpace(res.V) == "*" {
						star, starPos = true, res.Pos
					}
				}
				if !star {
					continue
				}
				var writes []string
				for _, a := range knownStrings(s.Actions) {
					if a != "*" && !strings.HasSuffix(a, ":*") && isWriteAction(a) && !resourceLevelExempt(a) {
						writes = append(writes, a)
					}
				}
				if len(writes) == 0 {
					continue
				}
				sort.Strings(writes)
				reportRole(c, r, model.PosOr(s.Pos, starPos), "res*:"+strings.Join(writes, ","),
					fmt.Sprintf("%s allows write %s %s on Resource \"*\"", roleSubject(r), plural(len(writes), "action", "actions"), strings.Join(writes, ", ")), Medium)
			}
		}
	},
}

// resourceLevelExempt lists actions that only support Resource "*", so
// naming resources is impossible and a finding would be noise.
func resourceLevelExempt(a string) bool {
	switch strings.ToLower(a) {
	case "xray:puttracesegments", "xray:puttelemetryrecords", "cloudwatch:putmetricdata",
		"ec2:createnetworkinterface", "ec2:deletenetworkinterface", "ec2:describenetworkinterfaces",
		"ec2:assignprivateipaddresses", "ec2:unassignprivateipaddresses", "logs:createloggroup":
		return true
	}
	return false
}

// adminPolicies are AWS managed policies that amount to administrator access.
var adminPolicies = map[string]bool{"administratoraccess": true, "poweruseraccess": true, "iamfullaccess": true, "administratoraccess-amplify": true}

func managedPolicyName(p string) string {
	p = strings.TrimSpace(p)
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return p
}

var broadManagedPolicy = &Rule{
	ID:       "FG-IAM-003",
	Title:    "Administrator or full-access managed policy",
	Severity: High,
	Family:   IAM,
	Risk:     "Over-privileged functions (seeds 000, 003)",
	Rationale: "AWS managed policies such as AdministratorAccess, PowerUserAccess or the *FullAccess family grant far " +
		"more than a function needs, across every resource of the account, and change when AWS updates them.",
	Remediation: "Replace the managed policy with inline statements that list the function's actions and resources " +
		"(`faasguard policy` derives them from the code), or a scoped SAM policy template.",
	Refs: Refs{CWE: []string{"CWE-250"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_AWS_274"}, KICS: []string{"IAM Role With Full Privileges"}, CfnNag: []string{"F38"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			for _, p := range r.ManagedPolicies {
				if !p.IsKnown() {
					continue
				}
				name := managedPolicyName(p.V)
				low := strings.ToLower(name)
				switch {
				case adminPolicies[low]:
					reportRole(c, r, p.Pos, "managed:"+low, fmt.Sprintf("%s has the administrator-level managed policy %s", roleSubject(r), name), Critical)
				case strings.HasSuffix(low, "fullaccess") || strings.HasSuffix(low, "_fullaccess"):
					reportRole(c, r, p.Pos, "managed:"+low, fmt.Sprintf("%s has the full-access managed policy %s", roleSubject(r), name), High)
				}
			}
		}
	},
}

var sharedRole = &Rule{
	ID:       "FG-IAM-004",
	Title:    "Role shared by several functions",
	Severity: Medium,
	Family:   IAM,
	Risk:     "One role per function; least privilege (seeds 000, 003)",
	Rationale: "When functions share a role, each gets the union of what all of them need. A flaw in the least " +
		"sensitive function (a public webhook) then reaches the data of the most sensitive one.",
	Remediation: "Give each function its own role with only its permissions: the serverless-iam-roles-per-function " +
		"plugin (`iamRoleStatements` per function), SAM's per-function `Policies`, or one aws_iam_role per function.",
	Refs: Refs{CWE: []string{"CWE-250"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			if len(r.Functions) < 2 {
				continue
			}
			names := make([]string, len(r.Functions))
			for i, f := range r.Functions {
				names[i] = f.ID
			}
			sev := Medium
			if len(r.Statements) == 0 && len(r.ManagedPolicies) == 0 {
				sev = Low // a shared role that grants nothing beyond logging
			}
			f := Finding{Resource: r.ID, Pos: model.PosOr(r.Pos, r.Functions[0].Pos), Key: "shared:" + r.ID, Severity: sev, Generated: r.Generated,
				Message: fmt.Sprintf("role %s is shared by %d functions (%s): each gets the permissions of all", r.ID, len(names), strings.Join(names, ", "))}
			for _, fn := range r.Functions {
				f.Related = append(f.Related, Related{Pos: fn.Pos, Message: "function " + fn.ID + " uses the role"})
			}
			c.Report(f)
		}
	},
}

var notActionAllow = &Rule{
	ID:       "FG-IAM-005",
	Title:    "Allow with NotAction or NotResource",
	Severity: High,
	Family:   IAM,
	Risk:     "Over-privileged functions (seed 003)",
	Rationale: "`Effect: Allow` with `NotAction` grants every action except the listed ones, including every action AWS " +
		"adds in the future; with `NotResource` it grants access to every resource but a few.",
	Remediation: "Rewrite the statement as an explicit list of actions and resources.",
	Refs: Refs{CWE: []string{"CWE-732"}, OWASP: []string{"SAS-5: Over-Privileged Function Permissions and Roles"},
		Checkov: []string{"CKV_AWS_1"}, KICS: []string{"IAM Policy Allows NotAction"}, CfnNag: []string{"W15", "W17", "W21", "W22"}},
	Check: func(c *Context) {
		for _, r := range c.App.Roles {
			for _, s := range allowStatements(r) {
				if len(s.NotActions) > 0 {
					reportRole(c, r, s.Pos, "notaction", fmt.Sprintf("%s allows every action except %s (NotAction)", roleSubject(r), strings.Join(knownStrings(s.NotActions), ", ")), High)
				}
				if len(s.NotResources) > 0 {
					reportRole(c, r, s.Pos, "notresource", fmt.Sprintf("%s allows access to every resource except %s (NotResource)", roleSubject(r), strings.Join(knownStrings(s.NotResources), ", ")), Medium)
				}
			}
		}
	},
}

func init() {
	Register(wildcardAction, resourceStarWrite, broadManagedPolicy, sharedRole, notActionAllow)
}
