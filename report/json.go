package report

import (
	"encoding/json"
	"io"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

// SchemaVersion is the version of the JSON report schema
// (docs/report.schema.json). Adding optional fields bumps the minor version;
// any other change bumps the major version.
const SchemaVersion = "1.0"

type jsonReport struct {
	SchemaVersion string        `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Root          string        `json:"root,omitempty"`
	Summary       jsonSummary   `json:"summary"`
	Findings      []jsonFinding `json:"findings"`
	Suppressed    []jsonFinding `json:"suppressed"`
	Notes         []model.Note  `json:"notes"`
	Stats         []scan.Stats  `json:"stats"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Total      int            `json:"total"`
	BySeverity map[string]int `json:"bySeverity"`
	ByFamily   map[string]int `json:"byFamily"`
}

type jsonFinding struct {
	RuleID      string             `json:"ruleId"`
	Severity    string             `json:"severity"`
	Family      string             `json:"family"`
	Title       string             `json:"title"`
	Message     string             `json:"message"`
	Application string             `json:"application,omitempty"`
	Function    string             `json:"function,omitempty"`
	Resource    string             `json:"resource,omitempty"`
	Location    model.Pos          `json:"location"`
	Related     []rules.Related    `json:"related,omitempty"`
	Fingerprint string             `json:"fingerprint"`
	Generated   bool               `json:"generated,omitempty"`
	Suppression *rules.Suppression `json:"suppression,omitempty"`
}

func toJSONFinding(f rules.Finding) jsonFinding {
	return jsonFinding{RuleID: f.RuleID, Severity: f.Severity.String(), Family: string(f.Family), Title: f.Title,
		Message: f.Message, Application: f.App, Function: f.Function, Resource: f.Resource, Location: f.Pos,
		Related: f.Related, Fingerprint: f.Fingerprint, Generated: f.Generated, Suppression: f.Suppressed}
}

func writeJSON(w io.Writer, in Input) error {
	fs := in.Findings()
	rep := jsonReport{SchemaVersion: SchemaVersion, Tool: jsonTool{"faasguard", in.Version}, Root: in.Root(),
		Summary:  jsonSummary{Total: len(fs), BySeverity: map[string]int{}, ByFamily: map[string]int{}},
		Findings: []jsonFinding{}, Suppressed: []jsonFinding{}, Notes: in.Notes(), Stats: []scan.Stats{}}
	if rep.Notes == nil {
		rep.Notes = []model.Note{}
	}
	for _, f := range fs {
		rep.Findings = append(rep.Findings, toJSONFinding(f))
		rep.Summary.BySeverity[f.Severity.String()]++
		rep.Summary.ByFamily[string(f.Family)]++
	}
	for _, f := range in.Suppressed() {
		rep.Suppressed = append(rep.Suppressed, toJSONFinding(f))
	}
	for _, r := range in.Results {
		rep.Stats = append(rep.Stats, r.Stats)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func init() { Register("json", writeJSON) }
