// Package report renders scan results: a table for people, JSON for
// scripts, SARIF for code-scanning platforms, and the other formats
// registered here. Every writer takes the same Input.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

// Input is what a report shows.
type Input struct {
	Results []*scan.Result // one per scanned path
	Version string
	// Color enables ANSI colours (tables on a terminal).
	Color bool
	// MinSeverity hides findings below it in human formats.
	MinSeverity rules.Severity
	// Rules is the rule configuration of the scan, for formats that list
	// the checks that passed (junit); nil means the default profile.
	Rules *rules.Config
}

// Findings returns every finding of the input, with locations made relative
// to a common base when several roots were scanned.
func (in Input) Findings() []rules.Finding {
	var out []rules.Finding
	for _, r := range in.Results {
		for _, f := range r.Findings {
			if f.Suppressed != nil {
				continue
			}
			out = append(out, in.relocate(r, f))
		}
	}
	rules.Sort(out)
	return out
}

// Suppressed returns the findings a suppression or baseline hid.
func (in Input) Suppressed() []rules.Finding {
	var out []rules.Finding
	for _, r := range in.Results {
		for _, f := range r.Findings {
			if f.Suppressed != nil {
				out = append(out, in.relocate(r, f))
			}
		}
	}
	return out
}

// Notes returns every note of the input.
func (in Input) Notes() []model.Note {
	var out []model.Note
	for _, r := range in.Results {
		for _, n := range r.Notes {
			n.Pos.File = in.prefix(r) + n.Pos.File
			out = append(out, n)
		}
	}
	return out
}

func (in Input) prefix(r *scan.Result) string {
	if len(in.Results) < 2 {
		return ""
	}
	return strings.TrimSuffix(scan.RelRoot(r.Root), "/") + "/"
}

func (in Input) relocate(r *scan.Result, f rules.Finding) rules.Finding {
	p := in.prefix(r)
	if p == "" {
		return f
	}
	f.Pos.File = p + f.Pos.File
	rel := make([]rules.Related, len(f.Related))
	for i, x := range f.Related {
		x.Pos.File = p + x.Pos.File
		rel[i] = x
	}
	f.Related = rel
	return f
}

// Root returns the scanned root for single-path scans, else "".
func (in Input) Root() string {
	if len(in.Results) == 1 {
		return in.Results[0].Root
	}
	return ""
}

// Writer renders an input in one format.
type Writer func(w io.Writer, in Input) error

var writers = map[string]Writer{}

// Register adds a format.
func Register(name string, w Writer) { writers[name] = w }

// Formats lists the registered formats.
func Formats() []string {
	out := make([]string, 0, len(writers))
	for n := range writers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Write renders in with the named format.
func Write(w io.Writer, format string, in Input) error {
	wr, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	return wr(w, in)
}

// Counts returns the number of findings per severity.
func Counts(fs []rules.Finding) map[rules.Severity]int {
	m := map[rules.Severity]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}
