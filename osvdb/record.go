package osvdb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// record is the subset of the OSV schema (https://ossf.github.io/osv-schema/)
// that matching and reporting use.
type record struct {
	ID               string          `json:"id"`
	Modified         string          `json:"modified"`
	Withdrawn        string          `json:"withdrawn"`
	Aliases          []string        `json:"aliases"`
	Summary          string          `json:"summary"`
	Details          string          `json:"details"`
	Severity         []severity      `json:"severity"`
	Affected         []affected      `json:"affected"`
	References       []reference     `json:"references"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type affected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Severity          []severity      `json:"severity"`
	Ranges            []vrange        `json:"ranges"`
	Versions          []string        `json:"versions"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
	DatabaseSpecific  json.RawMessage `json:"database_specific"`
}

type vrange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Range types defined by the OSV schema.
const (
	rangeSemver    = "SEMVER"
	rangeEcosystem = "ECOSYSTEM"
	rangeGit       = "GIT"
)

// maxIDLen bounds identifiers: real OSV IDs are short, and IDs end up in
// file names and reports.
const maxIDLen = 256

var errNotRecord = errors.New("not an OSV record")

// parseRecord decodes and checks one OSV JSON record. The checks are the
// ones matching relies on; unknown fields are ignored as the schema allows.
func parseRecord(data []byte) (*record, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("%w: expected a JSON object", errNotRecord)
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotRecord, jsonErr(data, err))
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

func (r *record) validate() error {
	if r.ID == "" {
		return fmt.Errorf("%w: missing id", errNotRecord)
	}
	if len(r.ID) > maxIDLen || strings.ContainsAny(r.ID, "/\\\x00\n") {
		return fmt.Errorf("%w: invalid id %.40q", errNotRecord, r.ID)
	}
	for i, a := range r.Affected {
		for j, rg := range a.Ranges {
			switch rg.Type {
			case rangeSemver, rangeEcosystem, rangeGit:
			default:
				return fmt.Errorf("%s: affected[%d].ranges[%d]: unknown range type %q", r.ID, i, j, rg.Type)
			}
			for k, e := range rg.Events {
				if e.count() != 1 {
					return fmt.Errorf("%s: affected[%d].ranges[%d].events[%d]: an event needs exactly one of introduced, fixed, last_affected, limit", r.ID, i, j, k)
				}
			}
		}
		if rangesNeedPackage(a) && (a.Package.Ecosystem == "" || a.Package.Name == "") {
			return fmt.Errorf("%s: affected[%d]: package ecosystem and name are required", r.ID, i)
		}
	}
	return nil
}

func (e event) count() int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

// rangesNeedPackage reports whether the entry is about a package rather
// than only a git repository (which OSV allows without a package).
func rangesNeedPackage(a affected) bool {
	if len(a.Versions) > 0 {
		return true
	}
	for _, r := range a.Ranges {
		if r.Type != rangeGit {
			return true
		}
	}
	return false
}

// jsonErr adds the 1-based line and column to a JSON syntax error.
func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return err
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Errorf("line %d column %d: %w", line, col, err)
}
