package suppress

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/faasguard/faasguard/rules"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline is a set of accepted findings, identified by fingerprints that
// do not depend on line numbers, so moving or reformatting code keeps them.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding; only the fingerprint is matched,
// the rest helps people review the file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"ruleId"`
	File        string `json:"file"`
	Function    string `json:"function,omitempty"`
	Message     string `json:"message"`
}

// NewBaseline records the unsuppressed findings.
func NewBaseline(fs []rules.Finding) Baseline {
	b := Baseline{Version: BaselineVersion, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Suppressed != nil || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, File: f.Pos.File, Function: f.Function, Message: f.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		if b.Findings[i].File != b.Findings[j].File {
			return b.Findings[i].File < b.Findings[j].File
		}
		return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint
	})
	return b
}

// WriteBaseline writes a baseline file.
func WriteBaseline(path string, b Baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (Baseline, error) {
	var b Baseline
	data, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("baseline: %w", err)
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("baseline %s: %v", path, err)
	}
	if b.Version != BaselineVersion {
		return b, fmt.Errorf("baseline %s: version %d, want %d", path, b.Version, BaselineVersion)
	}
	return b, nil
}

// ApplyBaseline marks findings whose fingerprint is in the baseline as
// suppressed and returns how many it matched.
func ApplyBaseline(fs []rules.Finding, b Baseline) int {
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	n := 0
	for i := range fs {
		if fs[i].Suppressed == nil && known[fs[i].Fingerprint] {
			fs[i].Suppressed = &rules.Suppression{Kind: "baseline", Reason: "in baseline"}
			n++
		}
	}
	return n
}
