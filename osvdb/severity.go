package osvdb

import (
	"encoding/json"
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// Severity levels reported in Vuln.Severity.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityUnknown  = "unknown"
)

// recordSeverity rates a record: the highest CVSS base score among its
// vectors (top level and per package) if any parses, else the severity
// word a database put in database_specific or ecosystem_specific (GitHub's
// "MODERATE", for example), else unknown.
func recordSeverity(r *record) string {
	best := -1.0
	score := func(list []severity) {
		for _, s := range list {
			if v, ok := cvssScore(s); ok && v > best {
				best = v
			}
		}
	}
	score(r.Severity)
	for _, a := range r.Affected {
		score(a.Severity)
	}
	if best >= 0 {
		return rating(best)
	}
	if w := severityWord(r.DatabaseSpecific); w != "" {
		return w
	}
	for _, s := range r.Severity {
		if w := normalizeWord(s.Score); w != "" { // e.g. type "Ubuntu", score "medium"
			return w
		}
	}
	for _, a := range r.Affected {
		if w := severityWord(a.DatabaseSpecific); w != "" {
			return w
		}
		if w := severityWord(a.EcosystemSpecific); w != "" {
			return w
		}
	}
	return SeverityUnknown
}

// cvssScore computes the base score of a CVSS vector; ok is false for
// other severity types and for vectors that do not parse.
func cvssScore(s severity) (score float64, ok bool) {
	v := strings.TrimSpace(s.Score)
	switch s.Type {
	case "CVSS_V4":
		c, err := gocvss40.ParseVector(v)
		if err != nil {
			return 0, false
		}
		return c.Score(), true
	case "CVSS_V3":
		if strings.HasPrefix(v, "CVSS:3.0/") {
			c, err := gocvss30.ParseVector(v)
			if err != nil {
				return 0, false
			}
			return c.BaseScore(), true
		}
		c, err := gocvss31.ParseVector(v)
		if err != nil {
			return 0, false
		}
		return c.BaseScore(), true
	case "CVSS_V2":
		c, err := gocvss20.ParseVector(v)
		if err != nil {
			return 0, false
		}
		return c.BaseScore(), true
	}
	return 0, false
}

// rating maps a CVSS score to its qualitative rating (the bands are the
// same in CVSS v3 and v4; v2 scores are banded the same way here). A score
// of 0 ("none") is reported as low: the record still lists the package.
func rating(score float64) string {
	switch {
	case score >= 9.0:
		return SeverityCritical
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	default:
		return SeverityLow
	}
}

func severityWord(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var m struct {
		Severity any `json:"severity"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	s, _ := m.Severity.(string)
	return normalizeWord(s)
}

func normalizeWord(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return SeverityCritical
	case "high", "important":
		return SeverityHigh
	case "moderate", "medium":
		return SeverityMedium
	case "low", "negligible":
		return SeverityLow
	}
	return ""
}
