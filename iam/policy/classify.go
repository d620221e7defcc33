package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
)

// Severity of a finding, ordered.
type Severity int

// Severities, from least to most serious.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return "Severity(" + strconv.Itoa(int(s)) + ")"
	}
	return severityNames[s]
}

// SeverityFor grades a grant by its access level and scope: permissions
// management or write on every resource is worse than the same on named
// resources, and both are worse than read or list.
func SeverityFor(level catalog.AccessLevel, allResources bool) Severity {
	var s Severity
	switch level {
	case catalog.PermissionsManagement:
		s = High
	case catalog.Write:
		s = Medium
	case catalog.Tagging, catalog.Read, catalog.Unknown:
		s = Low
	default: // List
		s = Info
	}
	if allResources {
		s++
	}
	return min(s, Critical)
}

// Kind names what a finding is about.
type Kind string

// Kinds of findings Classify reports.
const (
	KindAdmin            Kind = "admin-equivalent"  // allows every action on every resource, or the equivalent
	KindWildcardAction   Kind = "wildcard-action"   // "*", "svc:*" or a partial wildcard in Action
	KindWildcardResource Kind = "wildcard-resource" // Resource "*" on write or permissions-management actions that can be scoped
	KindNotActionAllow   Kind = "notaction-allow"   // Allow with NotAction
	KindNotResourceAllow Kind = "notresource-allow" // Allow with NotResource
	KindUnknownAction    Kind = "unknown-action"    // an action the catalogue does not know: a typo grants nothing
	KindMalformedAction  Kind = "malformed-action"  // not "*" nor "service:action"
)

// Finding is one risky element of a policy.
type Finding struct {
	Kind      Kind
	Severity  Severity
	Statement int    // Statement.Index
	Sid       string // the statement's Sid, if any
	Line      int    // the statement's Line
	Pattern   string // the action pattern or element the finding is about
	// Actions is how many catalogue actions the element grants and
	// WorstLevel the most sensitive of their access levels.
	Actions    int
	WorstLevel catalog.AccessLevel
	// Examples are up to five of those actions, most sensitive first.
	Examples []string
	Message  string
}

// Classify reports the risky statements of a policy: admin-equivalent
// grants, wildcard actions (with how many actions and the worst access
// level they grant), Resource "*" on write or permissions-management
// actions, NotAction and NotResource with Allow, and unknown or malformed
// actions. Deny statements are not findings. Escalations are reported by
// Escalations.
func Classify(c *catalog.Catalog, p Policy) []Finding {
	var out []Finding
	exp := &expander{c: c, cache: map[string][]catalog.Action{}}
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect != Allow {
			continue
		}
		out = append(out, classifyStatement(exp, st)...)
	}
	return out
}

func classifyStatement(exp *expander, st *Statement) []Finding {
	c := exp.c
	var out []Finding
	all := st.coversAllResources()
	f := func(k Kind, sev Severity, pattern, msg string) Finding {
		return Finding{Kind: k, Severity: sev, Statement: st.Index, Sid: st.Sid, Line: st.Line, Pattern: pattern, Message: msg}
	}
	if st.isAdmin() {
		fd := f(KindAdmin, Critical, "*", "allows every action on every resource: administrator access")
		fd.Actions, fd.WorstLevel = c.NumActions(), catalog.PermissionsManagement
		out = append(out, fd)
	}
	if len(st.NotActions) > 0 {
		var acts []catalog.Action
		exp.each(st, func(a catalog.Action, _ bool) { acts = append(acts, a) })
		fd := f(KindNotActionAllow, notSeverity(all), strings.Join(st.NotActions, ","),
			fmt.Sprintf("Allow with NotAction grants every action except %d pattern(s): %d actions", len(st.NotActions), len(acts)))
		fillStats(&fd, acts)
		out = append(out, fd)
	}
	if len(st.NotResources) > 0 {
		fd := f(KindNotResourceAllow, notSeverity(true), strings.Join(st.NotResources, ","),
			"Allow with NotResource grants the actions on every resource except the ones listed")
		var acts []catalog.Action
		exp.each(st, func(a catalog.Action, _ bool) { acts = append(acts, a) })
		fillStats(&fd, acts)
		out = append(out, fd)
	}
	// Only an explicit Resource "*" is reported here: NotResource has its
	// own finding, and trust or resource policies name no Resource.
	explicitStar := slices.ContainsFunc(st.Resources, func(r string) bool { return strings.TrimSpace(r) == "*" })
	var broad []catalog.Action // scopable write / permissions-management actions on *
	for _, p := range st.Actions {
		p = strings.TrimSpace(p)
		switch {
		case p == "*":
			if !st.isAdmin() {
				fd := f(KindWildcardAction, SeverityFor(catalog.PermissionsManagement, all), p, "Action \"*\" grants every action of every service")
				fillStats(&fd, exp.expand(p))
				out = append(out, fd)
			}
			continue
		case !strings.Contains(p, ":"):
			out = append(out, f(KindMalformedAction, Low, p, fmt.Sprintf("action %q is not \"*\" nor \"service:action\"; IAM rejects it", p)))
			continue
		}
		acts := exp.expand(p)
		if hasWildcard(p) {
			fd := f(KindWildcardAction, Info, p, "")
			fillStats(&fd, acts)
			fd.Severity = SeverityFor(fd.WorstLevel, all)
			if len(acts) == 0 {
				fd.Message = fmt.Sprintf("wildcard %q matches no known action", p)
			} else {
				fd.Message = fmt.Sprintf("wildcard %q grants %d actions, up to %s", p, len(acts), fd.WorstLevel)
			}
			out = append(out, fd)
			continue
		}
		if len(acts) == 0 {
			out = append(out, f(KindUnknownAction, Low, p, fmt.Sprintf("action %q is not in the IAM catalogue: a typo grants nothing", p)))
			continue
		}
		if a := acts[0]; explicitStar && len(a.ResourceTypes) > 0 && a.AccessLevel >= catalog.Write {
			broad = append(broad, a)
		}
	}
	if len(broad) > 0 {
		fd := f(KindWildcardResource, Info, "*", "")
		fillStats(&fd, broad)
		fd.Severity = SeverityFor(fd.WorstLevel, true)
		fd.Message = fmt.Sprintf("Resource \"*\" on %d %s action(s) that can be scoped to resources", len(broad), fd.WorstLevel)
		out = append(out, fd)
	}
	return out
}

func notSeverity(all bool) Severity {
	if all {
		return High
	}
	return Medium
}

// fillStats sets the count, worst level and examples of a finding.
func fillStats(fd *Finding, acts []catalog.Action) {
	fd.Actions = len(acts)
	for _, a := range acts {
		fd.WorstLevel = max(fd.WorstLevel, a.AccessLevel)
	}
	for lvl := fd.WorstLevel; lvl >= catalog.Unknown && len(fd.Examples) < 5; lvl-- {
		for _, a := range acts {
			if a.AccessLevel == lvl && len(fd.Examples) < 5 {
				fd.Examples = append(fd.Examples, a.String())
			}
		}
	}
}

// A statement is administrator access when, unconditionally and on every
// resource, it lets the principal write its own IAM policies (so it can
// grant itself anything) and also reaches beyond IAM: "*", or a NotAction
// that leaves IAM in. IAM-only grants such as IAMFullAccess are reported as
// escalations instead.
var (
	adminIAMProbes   = []string{"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:CreatePolicyVersion"}
	adminOtherProbes = []string{"s3:GetObject", "ec2:RunInstances", "lambda:CreateFunction", "dynamodb:Scan", "sts:AssumeRole"}
)

func (st *Statement) isAdmin() bool {
	if st.Effect != Allow || st.HasCondition || !st.coversAllResources() || len(st.NotResources) > 0 {
		return false
	}
	for _, a := range adminIAMProbes {
		if m, _ := st.actionMatch(a); !m {
			return false
		}
	}
	for _, a := range adminOtherProbes {
		if m, _ := st.actionMatch(a); m {
			return true
		}
	}
	return false
}

// IsAdminEquivalent reports whether some statement of the policy is
// administrator access (see Classify).
func IsAdminEquivalent(p Policy) bool {
	for i := range p.Statements {
		if p.Statements[i].isAdmin() {
			return true
		}
	}
	return false
}
