package rules_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/rules"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules.md from the rules")

// TestRulesDocUpToDate keeps docs/rules.md generated from the rule values
// themselves: `go test ./rules -run TestRulesDoc -update-docs` rewrites it.
func TestRulesDocUpToDate(t *testing.T) {
	var b strings.Builder
	b.WriteString("# faasguard rules\n\nGenerated from the rule definitions by `go test ./rules -run TestRulesDoc -update-docs`; do not edit.\n")
	b.WriteString("`faasguard rules show ID` prints the same text.\n\n| ID | Severity | Profile | Title |\n|---|---|---|---|\n")
	for _, r := range rules.All() {
		prof := r.Profile
		if prof == "" {
			prof = rules.ProfileSecurity
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, prof, r.Title)
	}
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n\n", strings.ToLower(r.ID))
		md := strings.ReplaceAll(rules.Markdown(r), "\n## ", "\n### ")
		b.WriteString(strings.Replace(md, "# ", "## ", 1))
	}
	got := b.String()
	path := "../docs/rules.md"
	if *updateDocs {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("docs/rules.md is out of date with the rules: run go test ./rules -run TestRulesDoc -update-docs")
	}
}
