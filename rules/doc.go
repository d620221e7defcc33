package rules

import (
	"fmt"
	"strings"
)

// Markdown documents a rule; `faasguard rules show` prints it and the docs
// generator writes it to docs/rules/.
func Markdown(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Title)
	prof := r.Profile
	if prof == "" {
		prof = ProfileSecurity
	}
	fmt.Fprintf(&b, "- Severity: %s (a finding may be raised or lowered by its context)\n", r.Severity)
	fmt.Fprintf(&b, "- Family: %s (%s)\n", r.Family, FamilyTitles[r.Family])
	fmt.Fprintf(&b, "- Profile: %s\n", prof)
	fmt.Fprintf(&b, "- Risk: %s\n\n", r.Risk)
	fmt.Fprintf(&b, "## Why it matters\n\n%s\n\n## How to fix\n\n%s\n", r.Rationale, r.Remediation)
	refs := []struct {
		name string
		ids  []string
	}{{"CWE", r.Refs.CWE}, {"OWASP Serverless Top 10", r.Refs.OWASP}, {"Checkov", r.Refs.Checkov}, {"KICS", r.Refs.KICS},
		{"Trivy", r.Refs.Trivy}, {"cfn_nag", r.Refs.CfnNag}, {"Further reading", r.Refs.Docs}}
	first := true
	for _, x := range refs {
		if len(x.ids) == 0 {
			continue
		}
		if first {
			b.WriteString("\n## References\n\n")
			first = false
		}
		fmt.Fprintf(&b, "- %s: %s\n", x.name, strings.Join(x.ids, ", "))
	}
	fmt.Fprintf(&b, "\nSuppress one finding with a reason: `# faasguard:ignore %s reason=\"...\"`\n", r.ID)
	return b.String()
}
