package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// SARIF 2.1.0 output, shaped for GitHub code scanning: rule metadata with
// help text and security-severity, results with partialFingerprints, notes
// as tool execution notifications.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	Invocations        []sarifInvocation           `json:"invocations"`
	AutomationDetails  *sarifAutomation            `json:"automationDetails,omitempty"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Precision        string   `json:"precision"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
}

type sarifSupp struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	ID               int            `json:"id,omitempty"`
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	Message          *sarifText     `json:"message,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps to GitHub's CVSS-like bands.
func securitySeverity(s rules.Severity) string {
	return [...]string{"0.0", "3.0", "5.5", "8.0", "9.5"}[s]
}

func sarifURI(file string) string {
	u := url.URL{Path: filepath.ToSlash(file)}
	return u.EscapedPath()
}

func sarifLoc(p model.Pos) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactLoc{URI: sarifURI(p.File), URIBaseID: "%SRCROOT%"}}}
	if p.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
	}
	return loc
}

func ruleHelp(r *rules.Rule) sarifText {
	text := fmt.Sprintf("%s\n\nFix: %s", r.Rationale, r.Remediation)
	var md strings.Builder
	fmt.Fprintf(&md, "**%s** (%s, %s)\n\n%s\n\n**Fix:** %s\n", r.Title, r.Family, r.Severity, r.Rationale, r.Remediation)
	if len(r.Refs.CWE) > 0 {
		fmt.Fprintf(&md, "\n**CWE:** %s\n", strings.Join(r.Refs.CWE, ", "))
	}
	return sarifText{Text: text, Markdown: md.String()}
}

func writeSARIF(w io.Writer, in Input) error {
	all := rules.All()
	index := map[string]int{}
	driver := sarifDriver{Name: "faasguard", Version: in.Version, InformationURI: "https://github.com/faasguard/faasguard", Rules: []sarifRule{}}
	for i, r := range all {
		index[r.ID] = i
		tags := []string{"security", "serverless", string(r.Family)}
		tags = append(tags, r.Refs.CWE...)
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: strings.ReplaceAll(strings.Title(strings.ToLower(r.Title)), " ", ""), //nolint:staticcheck // ASCII titles
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: r.Rationale},
			Help:                 ruleHelp(r),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
			Properties:           sarifRuleProps{Tags: tags, SecuritySeverity: securitySeverity(r.Severity), Precision: "high"},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	if root := in.Root(); root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{"%SRCROOT%": {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(root) + "/"}).String()}}
	}
	emit := func(f rules.Finding) {
		res := sarifResult{RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{sarifLoc(f.Pos)},
			PartialFingerprints: map[string]string{"faasguardFingerprint/v1": f.Fingerprint},
			Properties:          map[string]any{"severity": f.Severity.String()}}
		if f.Function != "" {
			res.Locations[0].LogicalLocations = []sarifLogical{{Name: f.Function, FullyQualifiedName: f.App + "/" + f.Function, Kind: "function"}}
		}
		if f.Severity != all[index[f.RuleID]].Severity {
			res.Properties["security-severity"] = securitySeverity(f.Severity)
		}
		for i, r := range f.Related {
			l := sarifLoc(r.Pos)
			l.ID = i + 1
			l.Message = &sarifText{Text: r.Message}
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		if f.Suppressed != nil {
			kind := "inSource"
			if f.Suppressed.Kind == "baseline" || f.Suppressed.Kind == "config" {
				kind = "external"
			}
			res.Suppressions = []sarifSupp{{Kind: kind, Justification: f.Suppressed.Reason}}
		}
		run.Results = append(run.Results, res)
	}
	for _, f := range in.Findings() {
		emit(f)
	}
	for _, f := range in.Suppressed() {
		emit(f)
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range in.Notes() {
		level := "note"
		switch n.Level {
		case model.NoteError:
			level = "error"
		case model.NoteWarn:
			level = "warning"
		}
		nt := sarifNotification{Level: level, Message: sarifText{Text: n.Message}}
		if n.Pos.File != "" {
			nt.Locations = []sarifLocation{sarifLoc(n.Pos)}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, nt)
	}
	run.Invocations = []sarifInvocation{inv}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func init() { Register("sarif", writeSARIF) }
