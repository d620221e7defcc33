package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/iam/grant"
	"github.com/faasguard/faasguard/iam/policy"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/scan"
)

const policyUsage = `Usage: faasguard policy [PATH] [--function NAME] [--format json|yaml|serverless|sam|terraform]

Prints, for each function, the minimal IAM policy its code needs (derived
from its SDK calls, plus what its triggers, logs, tracing and destinations
require), scoped to resources where the config names them, and the diff
with what its role grants: granted but unused, used but not granted.
The default format is the app's own (serverless, sam, terraform), else json.`

// functionPolicy is the JSON shape of one function's result.
type functionPolicy struct {
	Application string          `json:"application"`
	Function    string          `json:"function"`
	Role        string          `json:"role,omitempty"`
	Analyzed    bool            `json:"analyzed"`
	Reason      string          `json:"reason,omitempty"`
	Policy      json.RawMessage `json:"policy,omitempty"`
	Unused      []string        `json:"grantedButUnused"`
	Missing     []string        `json:"usedButNotGranted"`
}

func runPolicy(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("policy", policyUsage, stderr)
	var sf scanFlags
	sf.register(fs)
	function := fs.String("function", "", "only this function (its ID, as in the config)")
	format := fs.String("format", "", "output format: "+strings.Join(policy.Formats(), ", ")+" (default: the app's own)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if *format != "" && !contains(policy.Formats(), *format) {
		fmt.Fprintf(stderr, "faasguard policy: unknown --format %q (want %s)\n", *format, strings.Join(policy.Formats(), ", "))
		return ExitError
	}
	opts, err := sf.options()
	if err != nil {
		fmt.Fprintf(stderr, "faasguard policy: %v\n", err)
		return ExitError
	}
	opts.Analyze = true
	cat := catalog.Load()
	var results []functionPolicy
	found := false
	for _, p := range paths {
		res, err := scan.Run(context.Background(), p, opts)
		if err != nil {
			fmt.Fprintf(stderr, "faasguard policy: %v\n", err)
			return ExitError
		}
		for _, app := range res.Apps {
			for _, fn := range app.Functions {
				if *function != "" && fn.ID != *function {
					continue
				}
				found = true
				fp, text := policyFor(cat, app, fn, *format)
				if *format == policy.FormatJSON {
					results = append(results, fp)
					continue
				}
				fmt.Fprint(stdout, text)
			}
		}
	}
	if *function != "" && !found {
		fmt.Fprintf(stderr, "faasguard policy: no function %q\n", *function)
		return ExitError
	}
	if *format == policy.FormatJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if results == nil {
			results = []functionPolicy{}
		}
		if err := enc.Encode(map[string]any{"functions": results}); err != nil {
			return ExitError
		}
	}
	return ExitOK
}

// appFormat is the policy format that pastes into an app's own config.
func appFormat(app *model.Application) string {
	switch app.Format {
	case "serverless":
		return policy.FormatServerless
	case "sam":
		return policy.FormatSAM
	case "terraform":
		return policy.FormatTerraform
	}
	return policy.FormatJSON
}

// policyFor computes one function's minimal policy and its diff with the
// role, as JSON data and as text in the chosen format.
func policyFor(cat *catalog.Catalog, app *model.Application, fn *model.Function, format string) (functionPolicy, string) {
	fp := functionPolicy{Application: app.Name, Function: fn.ID, Unused: []string{}, Missing: []string{}}
	if fn.Role != nil {
		fp.Role = fn.Role.ID
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s / %s\n", app.Name, fn.ID)
	if !grant.Analyzable(fn) {
		fp.Reason = "handler not resolved to source code"
		if fn.Code != nil && fn.Code.Unresolved != "" {
			fp.Reason += ": " + fn.Code.Unresolved
		}
		fmt.Fprintf(&b, "# not analysed: %s\n\n", fp.Reason)
		return fp, b.String()
	}
	fp.Analyzed = true
	needs := grant.Needs(fn, app)
	min := policy.Minimal(cat, needs)
	raw, _ := policy.Render(min, policy.FormatJSON)
	fp.Policy = raw
	if fn.Role != nil {
		g := grant.RolePolicy(fn.Role)
		d := policy.Compare(g.Policy, needs)
		for _, u := range d.Unused {
			if u.Statement < len(g.Origin) && g.Origin[u.Statement] == "" {
				fp.Unused = append(fp.Unused, fmt.Sprintf("%s (%s)", u.Pattern, g.Pos[u.Statement]))
			}
		}
		for _, m := range d.Missing {
			fp.Missing = append(fp.Missing, m.Action+" on "+m.Resource)
		}
		sort.Strings(fp.Unused)
		if len(fn.Role.Functions) > 1 {
			fmt.Fprintf(&b, "# role %s is shared by %d functions: the diff below is for this function alone\n", fn.Role.ID, len(fn.Role.Functions))
		}
		if g.Unknown {
			fmt.Fprintf(&b, "# the role has statements or managed policies faasguard could not resolve: the diff may be incomplete\n")
		}
	}
	for _, u := range fp.Unused {
		fmt.Fprintf(&b, "# granted but unused: %s\n", u)
	}
	for _, m := range fp.Missing {
		fmt.Fprintf(&b, "# used but not granted: %s\n", m)
	}
	if format == "" {
		format = appFormat(app)
	}
	text, err := policy.Render(min, format)
	if err != nil {
		fmt.Fprintf(&b, "# %v\n", err)
	}
	b.Write(text)
	b.WriteString("\n")
	return fp, b.String()
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func init() { register(command{"policy", runPolicy}) }
