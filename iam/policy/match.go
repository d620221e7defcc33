package policy

import (
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
)

// MatchAction reports whether the IAM action pattern p ("*", "s3:*",
// "s3:Get*", "s3:GetObject") matches the action name a. Action names are
// case-insensitive in IAM.
func MatchAction(p, a string) bool {
	return catalog.MatchFold(strings.TrimSpace(p), strings.TrimSpace(a))
}

// MatchResource reports whether the resource pattern of a policy matches
// resource, with IAM's rules: "*" matches everything; otherwise both are
// ARNs whose partition, service, region and account segments are matched
// one by one (a wildcard does not cross a ":" there), and whose resource
// part is matched as a whole, where "*" may span ":" and "/". Matching is
// case-sensitive. Policy variables such as ${aws:username} in the pattern
// match anything, since their value is only known at request time.
//
// resource may itself be a pattern (the resources a function is known to
// use, "arn:aws:s3:::bucket/*"): its "*" and "?" then only match the same
// characters in the policy pattern, so a match means that the pattern covers
// it literally.
func MatchResource(pattern, resource string) bool {
	pattern = strings.TrimSpace(pattern)
	if pattern == "*" {
		return true
	}
	pattern = replaceVariables(pattern)
	if !strings.HasPrefix(pattern, "arn:") || !strings.HasPrefix(resource, "arn:") {
		return catalog.Match(pattern, resource)
	}
	// Walk the first five segments of both without allocating: this runs
	// for every statement and resource of a policy.
	for seg := 1; seg < 6; seg++ {
		pi := strings.IndexByte(pattern, ':')
		ri := strings.IndexByte(resource, ':')
		if seg == 1 {
			// Both start with "arn:"; step over it.
			pattern, resource = pattern[pi+1:], resource[ri+1:]
			continue
		}
		if pi < 0 {
			// The last segment of a short pattern ("arn:aws:*") takes the
			// rest of the ARN.
			return catalog.Match(pattern, resource)
		}
		// A resource segment of "*" is one faasguard could not know (the
		// region or account a function runs in): it matches any pattern.
		if ri < 0 || (resource[:ri] != "*" && !catalog.Match(pattern[:pi], resource[:ri])) {
			return false
		}
		pattern, resource = pattern[pi+1:], resource[ri+1:]
	}
	// The resource part may hold colons ("log-group:x:*"); "*" spans them.
	return catalog.Match(pattern, resource)
}

// replaceVariables turns ${…} policy variables into "*". The escapes ${*},
// ${?} and ${$} stand for the literal characters.
func replaceVariables(p string) string {
	if !strings.Contains(p, "${") {
		return p
	}
	var b strings.Builder
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(p[:i])
		switch v := p[i+2 : i+j]; v {
		case "*", "?", "$":
			b.WriteString(v) // a literal; Match cannot escape, so this is approximate
		default:
			b.WriteByte('*')
		}
		p = p[i+j+1:]
	}
	b.WriteString(p)
	return b.String()
}

// hasWildcard reports whether an action or resource pattern has a wildcard.
func hasWildcard(p string) bool { return strings.ContainsAny(p, "*?") }

// actionMatch reports whether statement st applies to action, and whether it
// does so only through a wildcard or NotAction.
func (st *Statement) actionMatch(action string) (matches, viaWildcard bool) {
	if len(st.NotActions) > 0 {
		for _, p := range st.NotActions {
			if MatchAction(p, action) {
				return false, false
			}
		}
		return true, true
	}
	viaWildcard = true
	for _, p := range st.Actions {
		if MatchAction(p, action) {
			matches = true
			if !hasWildcard(p) {
				return true, false
			}
		}
	}
	return matches, matches && viaWildcard
}

// resourceMatch reports whether statement st applies to resource. A
// statement with neither Resource nor NotResource (trust and some resource
// policies) applies to any resource.
func (st *Statement) resourceMatch(resource string) bool {
	if len(st.NotResources) > 0 {
		for _, p := range st.NotResources {
			if MatchResource(p, resource) {
				return false
			}
		}
		return true
	}
	if len(st.Resources) == 0 {
		return true
	}
	for _, p := range st.Resources {
		if MatchResource(p, resource) {
			return true
		}
	}
	return false
}

// coversAllResources reports whether the statement applies to every
// resource, or, through NotResource, to all but a few.
func (st *Statement) coversAllResources() bool {
	if len(st.NotResources) > 0 || len(st.Resources) == 0 {
		return true
	}
	for _, r := range st.Resources {
		if strings.TrimSpace(r) == "*" {
			return true
		}
	}
	return false
}
