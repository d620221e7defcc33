package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/faasguard/faasguard/rules"
)

const rulesUsage = `Usage:
  faasguard rules list [--profile P] [--family F]   list the rules
  faasguard rules show ID                           document one rule`

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"list"}
	}
	switch args[0] {
	case "list":
		fs := newFlagSet("rules list", rulesUsage, stderr)
		family := fs.String("family", "", "only this family (EXP, AUTH, IAM, SEC, LIM, LOG, ENC, NET, SUP, CODE, ENV)")
		if _, err := parseInterleaved(fs, args[1:]); err != nil {
			return flagExit(err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tPROFILE\tTITLE")
		for _, r := range rules.All() {
			if *family != "" && !strings.EqualFold(string(r.Family), *family) {
				continue
			}
			prof := r.Profile
			if prof == "" {
				prof = rules.ProfileSecurity
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, prof, r.Title)
		}
		tw.Flush()
		return ExitOK
	case "show":
		if len(args) != 2 {
			fmt.Fprintln(stderr, rulesUsage)
			return ExitError
		}
		r, ok := rules.Get(args[1])
		if !ok {
			fmt.Fprintf(stderr, "faasguard rules show: no rule %q (see faasguard rules list)\n", args[1])
			return ExitError
		}
		fmt.Fprint(stdout, rules.Markdown(r))
		return ExitOK
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, rulesUsage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "faasguard rules: unknown subcommand %q\n%s\n", args[0], rulesUsage)
	return ExitError
}

func init() { register(command{"rules", runRules}) }
