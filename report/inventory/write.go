package inventory

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/faasguard/faasguard/internal/textsafe"
)

// WriteJSON writes the inventory as indented JSON.
func (inv *Inventory) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(inv)
}

// WriteTable writes one block per function: its triggers, its role and
// what the role can do, the resources it touches and its findings count.
// Control characters in names from the scanned repo are shown escaped, so
// they cannot drive the terminal.
func (inv *Inventory) WriteTable(w io.Writer) error {
	w = textsafe.Writer(w) // names come from the scanned repository
	w = &cleanWriter{w: w}
	if len(inv.Functions) == 0 {
		_, err := fmt.Fprintln(w, "No functions found.")
		return err
	}
	public := 0
	for i, f := range inv.Functions {
		if i > 0 {
			fmt.Fprintln(w)
		}
		worst := ""
		if f.Worst != "" {
			worst = ", worst " + f.Worst
		}
		fmt.Fprintf(w, "%s / %s  (%s, %s)  findings: %d%s\n", f.App, f.ID, f.Runtime, f.Location, f.Findings, worst)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		if len(f.Triggers) == 0 {
			fmt.Fprintln(tw, "  triggers:\tnone")
		}
		exposed := false
		for j, t := range f.Triggers {
			head := ""
			if j == 0 {
				head = "triggers:"
			}
			what := t.Endpoint
			if what == "" {
				what = t.Source
			}
			if what == "" {
				what = "-"
			}
			auth := t.Auth
			if t.Authorizer != "" && t.Authorizer != t.Auth {
				auth += " (" + t.Authorizer + ")"
			}
			mark := ""
			if t.Exposed() {
				mark, exposed = "  << public, no auth", true
			}
			fmt.Fprintf(tw, "  %s\t%s %s\t%s\tpublic: %s\tauth: %s\t%s%s\n", head, t.Kind, t.Type, what, t.Public, auth, t.Location, mark)
		}
		if exposed {
			public++
		}
		tw.Flush()
		fmt.Fprintf(w, "  role:      %s\n", roleLine(f.Role))
		if len(f.Resources) == 0 {
			fmt.Fprintln(w, "  resources: none known")
			continue
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for j, r := range f.Resources {
			head := ""
			if j == 0 {
				head = "resources:"
			}
			acts := strings.Join(r.Actions, ", ")
			if len(r.Actions) > 4 {
				acts = strings.Join(r.Actions[:4], ", ") + fmt.Sprintf(" +%d", len(r.Actions)-4)
			}
			if acts == "" {
				acts = "-"
			}
			name := r.Name
			if len(r.Members) > 0 {
				name = fmt.Sprintf("%s (%d)", name, len(r.Members))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\tvia %s\t%s\t%s\n", head, r.Kind, name, strings.Join(r.Via, "+"), r.Access, acts)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n%d %s, %d reachable from the internet without authentication\n", len(inv.Functions), plural(len(inv.Functions), "function"), public)
	return nil
}

func roleLine(r *Role) string {
	if r == nil {
		return "none named (" + Unknown + ")"
	}
	if !r.Modelled {
		return r.Name + " (defined outside the scanned files: capabilities " + Unknown + ")"
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("%d %s in %d %s", r.Actions, plural(r.Actions, "action"), r.Statements, plural(r.Statements, "statement")))
	if r.UnknownActions > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", r.UnknownActions, Unknown))
	}
	if len(r.Wildcards) > 0 {
		parts = append(parts, "wildcards: "+strings.Join(r.Wildcards, ", "))
	}
	if len(r.AllResources) > 0 {
		parts = append(parts, "on Resource *: "+strings.Join(r.AllResources, ", "))
	}
	if len(r.AdminPolicies) > 0 {
		parts = append(parts, "admin-like policies: "+strings.Join(r.AdminPolicies, ", "))
	} else if len(r.ManagedPolicies) > 0 {
		parts = append(parts, "managed policies: "+strings.Join(r.ManagedPolicies, ", "))
	}
	shared := ""
	if len(r.SharedWith) > 0 {
		shared = ", shared with " + strings.Join(r.SharedWith, ", ")
	}
	return fmt.Sprintf("%s%s — %s", r.Name, shared, strings.Join(parts, "; "))
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

// WriteDOT writes the graph in Graphviz DOT, risky nodes and edges in red.
func (inv *Inventory) WriteDOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph faasguard {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#7a8699\"];\n")
	fills := map[string]string{KindTrigger: "#e8f1fd", KindFunction: "#eef8ee", KindRole: "#fdf4e3", KindResource: "#f3effa"}
	ranks := map[string][]string{}
	for _, n := range inv.Graph.Nodes {
		label := n.Label
		if n.Detail != "" {
			label += "\n" + n.Detail
		}
		if len(n.Findings) > 0 {
			label += fmt.Sprintf("\n%d %s", len(n.Findings), plural(len(n.Findings), "finding"))
		}
		attrs := fmt.Sprintf("label=%s, fillcolor=%s", dotQuote(label), dotQuote(fills[n.Kind]))
		if len(n.Risks) > 0 {
			attrs += fmt.Sprintf(", color=\"#d1242f\", penwidth=2, tooltip=%s", dotQuote(strings.Join(n.Risks, ", ")))
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(n.ID), attrs)
		ranks[n.Kind] = append(ranks[n.Kind], dotQuote(n.ID))
	}
	for _, k := range []string{KindTrigger, KindFunction, KindRole, KindResource} {
		if len(ranks[k]) > 0 {
			fmt.Fprintf(&b, "  { rank=same; %s; }\n", strings.Join(ranks[k], "; "))
		}
	}
	for _, e := range inv.Graph.Edges {
		attrs := "label=" + dotQuote(e.Label)
		if e.Risk != "" {
			attrs += ", color=\"#d1242f\", fontcolor=\"#d1242f\", penwidth=2"
			if e.Risk == RiskLoop {
				attrs += ", style=dashed, constraint=false"
			}
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotQuote(e.From), dotQuote(e.To), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotQuote quotes s as a DOT string: quotes and backslashes escaped,
// newlines as \n, other control characters dropped.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// cleanWriter escapes control characters other than newline and the
// tabwriter's padding, so a name holding ESC sequences prints as text.
type cleanWriter struct{ w io.Writer }

func (c *cleanWriter) Write(p []byte) (int, error) {
	clean := true
	for _, b := range p {
		if (b < 0x20 && b != '\n' && b != '\t') || b == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return c.w.Write(p)
	}
	var b strings.Builder
	for _, r := range string(p) {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	if _, err := io.WriteString(c.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
