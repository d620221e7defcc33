package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/internal/textsafe"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
)

var sevColor = map[rules.Severity]string{
	rules.Critical: "\x1b[1;35m", rules.High: "\x1b[1;31m", rules.Medium: "\x1b[33m", rules.Low: "\x1b[36m", rules.Info: "\x1b[2m",
}

// writeTable renders findings grouped by application and function, worst
// first within each group, then a summary and the notes worth reading.
func writeTable(w io.Writer, in Input) error {
	c := func(code, s string) string {
		if !in.Color {
			return s
		}
		return code + s + ansiReset
	}
	fs := in.Findings()
	type group struct {
		key, title string
		worst      rules.Severity
		items      []rules.Finding
	}
	groups := map[string]*group{}
	var order []*group
	for _, f := range fs {
		if f.Severity < in.MinSeverity {
			continue
		}
		key := f.App + "\x00" + f.Function
		g, ok := groups[key]
		if !ok {
			title := f.App + " / " + f.Function
			if f.Function == "" {
				title = f.App + " (application)"
			}
			g = &group{key: key, title: title}
			groups[key] = g
			order = append(order, g)
		}
		g.items = append(g.items, f)
		if f.Severity > g.worst {
			g.worst = f.Severity
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].key < order[j].key })
	for _, g := range order {
		sort.SliceStable(g.items, func(i, j int) bool { return g.items[i].Severity > g.items[j].Severity })
		fmt.Fprintf(w, "%s\n", c(ansiBold, textsafe.String(g.title)))
		for _, f := range g.items {
			sev := fmt.Sprintf("%-8s", strings.ToUpper(f.Severity.String()))
			fmt.Fprintf(w, "  %s %s  %s\n", c(sevColor[f.Severity], sev), f.RuleID, f.Title)
			fmt.Fprintf(w, "           %s  %s\n", c(ansiDim, textsafe.String(f.Pos.String())), textsafe.String(f.Message))
		}
		fmt.Fprintln(w)
	}
	counts := Counts(fs)
	var parts []string
	for s := rules.Critical; s >= rules.Info; s-- {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	files, apps, fns := 0, 0, 0
	var ms int64
	for _, r := range in.Results {
		files += r.Stats.Files
		apps += r.Stats.Apps
		fns += r.Stats.Functions
		ms += r.Stats.Millis
	}
	if len(fs) == 0 {
		fmt.Fprintln(w, c(ansiBold, "No findings."))
	}
	supp := len(in.Suppressed())
	fmt.Fprintf(w, "%d findings (%s)", len(fs), strings.Join(parts, ", "))
	if supp > 0 {
		fmt.Fprintf(w, ", %d suppressed", supp)
	}
	fmt.Fprintf(w, " in %d %s, %d %s, %d files, %d ms\n", apps, pluralS(apps, "application"), fns, pluralS(fns, "function"), files, ms)
	var shown, hidden int
	for _, n := range in.Notes() {
		if n.Level == model.NoteInfo {
			hidden++
			continue
		}
		if shown == 0 {
			fmt.Fprintln(w)
		}
		shown++
		fmt.Fprintf(w, "%s %s: %s\n", c(ansiDim, string(n.Level)+":"), textsafe.String(n.Pos.String()), textsafe.String(n.Message))
	}
	if hidden > 0 {
		fmt.Fprintf(w, "%d informational %s (unresolved values, skipped files): see --format json\n", hidden, pluralS(hidden, "note"))
	}
	return nil
}

func pluralS(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

func init() { Register("table", writeTable) }
