// Package rules holds faasguard's rules and the engine that runs them over
// the model. A rule is one Rule value: its metadata next to its check. Rules
// read only the model; they know nothing of file formats.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Severity grades findings.
type Severity int

const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var sevNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return "unknown"
	}
	return sevNames[s]
}

// ParseSeverity parses a severity name (case-insensitive); "none" parses as
// one above critical, so `--fail-on none` never fails.
func ParseSeverity(s string) (Severity, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range sevNames {
		if n == s {
			return Severity(i), nil
		}
	}
	if s == "none" {
		return Critical + 1, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high, critical or none)", s)
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Family groups rules by the risk they address.
type Family string

const (
	EXP  Family = "EXP"  // attack surface
	AUTH Family = "AUTH" // authentication
	IAM  Family = "IAM"  // privilege
	SEC  Family = "SEC"  // secrets
	LIM  Family = "LIM"  // availability and cost
	LOG  Family = "LOG"  // visibility
	ENC  Family = "ENC"  // encryption
	NET  Family = "NET"  // network
	SUP  Family = "SUP"  // supply chain
	CODE Family = "CODE" // event-data injection
	ENV  Family = "ENV"  // environments
)

// FamilyTitles names each family for reports.
var FamilyTitles = map[Family]string{
	EXP: "Attack surface", AUTH: "Authentication", IAM: "Privilege", SEC: "Secrets",
	LIM: "Availability and cost", LOG: "Visibility", ENC: "Encryption", NET: "Network",
	SUP: "Supply chain", CODE: "Event-data injection", ENV: "Environments",
}

// Profiles a rule can belong to.
const (
	ProfileSecurity        = "security"         // the default: quiet on a well-built app
	ProfileWellArchitected = "well-architected" // adds opinionated hygiene checks
)

// Refs are a rule's references, including the equivalent checks of peer
// tools so users can migrate.
type Refs struct {
	CWE     []string // "CWE-306"
	OWASP   []string // OWASP Serverless Top 10: "SAS-2"
	Checkov []string
	KICS    []string // query IDs or names
	Trivy   []string
	CfnNag  []string
	Docs    []string // URLs
}

// Rule is one check with its documentation.
type Rule struct {
	ID          string // FG-<FAMILY>-<NNN>, stable forever
	Title       string
	Severity    Severity // default severity; a check may raise or lower it per finding
	Family      Family
	Risk        string // the seed risk it answers (SPEC section 6)
	Rationale   string
	Remediation string
	Refs        Refs
	// Profile is the profile that enables the rule: "" or ProfileSecurity
	// for the default set, ProfileWellArchitected for hygiene checks.
	Profile string
	// Check reports the rule's findings on one application.
	Check func(c *Context)
}

var (
	regMu    sync.RWMutex
	registry = map[string]*Rule{}
)

// Register adds rules to the registry; it panics on a duplicate or
// malformed ID, which is a programming error caught by any test.
func Register(rs ...*Rule) {
	regMu.Lock()
	defer regMu.Unlock()
	for _, r := range rs {
		if !validID(r.ID, r.Family) {
			panic("rules: malformed rule ID " + r.ID)
		}
		if _, dup := registry[r.ID]; dup {
			panic("rules: duplicate rule ID " + r.ID)
		}
		if r.Check == nil || r.Title == "" || r.Rationale == "" || r.Remediation == "" {
			panic("rules: rule " + r.ID + " lacks a check or documentation")
		}
		registry[r.ID] = r
	}
}

func validID(id string, fam Family) bool {
	pre := "FG-" + string(fam) + "-"
	if !strings.HasPrefix(id, pre) || len(id) != len(pre)+3 {
		return false
	}
	for _, c := range id[len(pre):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// All returns every registered rule sorted by ID.
func All() []*Rule {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Get returns the rule with the given ID (case-insensitive).
func Get(id string) (*Rule, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	r, ok := registry[strings.ToUpper(id)]
	return r, ok
}
