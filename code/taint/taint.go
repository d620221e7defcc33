// Package taint finds event data that reaches dangerous sinks in a
// function handler (injection), plus a few local checks that need no
// data flow: JWTs decoded without verification, TLS verification turned
// off and whole events or secrets written to logs.
//
// The analysis is intra-file: taint starts at the handler's event
// parameter, flows through assignments, destructuring, member access,
// string building, parsing calls and calls to helper functions defined
// in the same file, and stops at sanitisers (parameterised queries,
// argument arrays, allowlist guards, numeric conversion, basename).
// It parses the code (package lang) and never runs it.
package taint

import (
	"errors"
	"fmt"
	"sort"

	"github.com/faasguard/faasguard/code/lang"
)

// Finding classes.
const (
	CommandInjection   = "command-injection"
	CodeInjection      = "code-injection"
	SQLInjection       = "sql-injection"
	NoSQLInjection     = "nosql-injection"
	PathTraversal      = "path-traversal"
	SSRF               = "ssrf"
	Deserialization    = "deserialization"
	TemplateInjection  = "template-injection"
	JWTUnverified      = "jwt-unverified"
	TLSDisabled        = "tls-verification-disabled"
	SensitiveLogging   = "sensitive-logging"
	ConfidenceHigh     = "high"
	ConfidenceMedium   = "medium"
	ConfidenceLow      = "low"
	defaultMaxCallDeep = 4
	maxNotes           = 50
	maxFindings        = 500
)

// Step is one hop on the way from source to sink.
type Step struct {
	Line int    `json:"line"`
	Expr string `json:"expr"`
}

// Finding is one problem found in a file.
type Finding struct {
	Class      string `json:"class"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	Sink       string `json:"sink"`             // canonical callee or construct, e.g. child_process.exec
	Source     string `json:"source,omitempty"` // e.g. event.body; empty for checks without data flow
	SourceLine int    `json:"source_line,omitempty"`
	Path       []Step `json:"path"`
	Confidence string `json:"confidence"` // high | medium | low
	Message    string `json:"message"`
}

// Result is the outcome of analysing one file.
type Result struct {
	Findings []Finding
	Notes    []string
}

// Options tune the analysis; the zero value is usable.
type Options struct {
	// MaxCallDepth bounds how deep calls to local helper functions are
	// followed (default 4).
	MaxCallDepth int
}

// AnalyzeFile analyses one source file. lang is javascript, typescript,
// python or go; handlerSymbol is the exported handler name (for Go the
// function passed to lambda.Start, or "main"). When the symbol is empty
// or not found, functions whose first parameter is named like an event
// are analysed instead and a note says so. Files that are too large or
// minified are skipped: the error wraps lang.ErrSkipped. Syntax errors
// give partial results and a note, never an error.
func AnalyzeFile(path string, src []byte, language string, handlerSymbol string, opts Options) (Result, error) {
	if opts.MaxCallDepth <= 0 {
		opts.MaxCallDepth = defaultMaxCallDeep
	}
	f, err := lang.Parse(path, src, language)
	if err != nil {
		if errors.Is(err, lang.ErrSkipped) {
			return Result{Notes: []string{err.Error()}}, err
		}
		return Result{}, err
	}
	return AnalyzeParsed(f, handlerSymbol, opts), nil
}

// AnalyzeParsed is AnalyzeFile on a file already parsed with lang.Parse, so
// that callers running several analyses on one file (several handlers,
// SDK-call extraction) parse it once. It does not modify f.
func AnalyzeParsed(f *lang.File, handlerSymbol string, opts Options) Result {
	if opts.MaxCallDepth <= 0 {
		opts.MaxCallDepth = defaultMaxCallDeep
	}
	a := newAnalyzer(f, opts)
	a.notes = append(a.notes, f.Notes...)
	a.run(handlerSymbol)
	return a.result()
}

func (a *analyzer) result() Result {
	var out []Finding
	seen := map[string]bool{}
	for _, fd := range a.findings {
		k := fmt.Sprintf("%s:%d:%d", fd.Class, fd.Line, fd.Column)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, fd)
	}
	if len(out) > maxFindings {
		a.notes = append(a.notes, fmt.Sprintf("%s: %d findings, only the first %d by confidence and line are kept", a.f.Path, len(out), maxFindings))
	}
	rank := map[string]int{ConfidenceHigh: 0, ConfidenceMedium: 1, ConfidenceLow: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Confidence] != rank[out[j].Confidence] {
			return rank[out[i].Confidence] < rank[out[j].Confidence]
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	if len(out) > maxFindings {
		out = out[:maxFindings]
	}
	notes := a.notes
	if len(notes) > maxNotes {
		notes = append(notes[:maxNotes:maxNotes], fmt.Sprintf("%s: %d more notes omitted", a.f.Path, len(a.notes)-maxNotes))
	}
	return Result{Findings: out, Notes: notes}
}
