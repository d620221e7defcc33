package osvdb

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/google/osv-scalibr/semantic"
)

// normalizeName returns the form in which an ecosystem compares package
// names: PyPI names per PEP 503, case-insensitive registries lowercased.
func normalizeName(ecosystem, name string) string {
	switch ecosystem {
	case "PyPI":
		return pypiSeparators.ReplaceAllString(strings.ToLower(name), "-")
	case "Packagist", "NuGet":
		return strings.ToLower(name)
	}
	return name
}

var pypiSeparators = regexp.MustCompile(`[-_.]+`)

// versionParser parses versions for one range type and ecosystem.
type versionParser func(string) (semantic.Version, error)

func parserFor(rangeType, ecosystem string) versionParser {
	if rangeType == rangeSemver {
		// SEMVER ranges use SemVer 2.0 ordering whatever the ecosystem.
		return func(s string) (semantic.Version, error) {
			return semantic.ParseSemverVersion(strings.TrimPrefix(s, "v")), nil
		}
	}
	return func(s string) (semantic.Version, error) { return semantic.Parse(s, ecosystem) }
}

// affects reports whether version is affected by the entry and, if so,
// the fixed versions of the entry's ranges that are above it.
func (a *affected) affects(ecosystem, version string) (hit bool, fixes []string) {
	var m matcher
	return m.affects(a, ecosystem, version)
}

// matcher holds an affected entry's versions, parsed once on first use
// and then shared by every query of the entry (parsing dominates matching).
type matcher struct {
	once   sync.Once
	ranges []compiledRange
	listed []semantic.Version // parsed versions list; nil where unparseable
}

type compiledRange struct {
	parse  versionParser
	events []parsedEvent // sorted by version
}

type parsedEvent struct {
	kind string // introduced, fixed, last_affected, limit
	raw  string
	v    semantic.Version // nil for introduced "0"
}

func (m *matcher) compile(a *affected, ecosystem string) {
	for _, r := range a.Ranges {
		if r.Type == rangeGit {
			continue // commit ranges need the repository history
		}
		parse := parserFor(r.Type, ecosystem)
		m.ranges = append(m.ranges, compiledRange{parse: parse, events: compileEvents(parse, r.Events)})
	}
	if len(a.Versions) > 0 {
		m.listed = make([]semantic.Version, len(a.Versions))
		for i, s := range a.Versions {
			if v, err := semantic.Parse(s, ecosystem); err == nil {
				m.listed[i] = v
			}
		}
	}
}

func (m *matcher) affects(a *affected, ecosystem, version string) (hit bool, fixes []string) {
	if version == "" {
		return false, nil
	}
	m.once.Do(func() { m.compile(a, ecosystem) })
	if m.isListed(a, ecosystem, version) {
		hit = true
	}
	for _, r := range m.ranges {
		v, err := r.parse(version)
		if err != nil {
			continue
		}
		if in, f := contains(r.events, v); in {
			hit = true
			fixes = append(fixes, f...)
		}
	}
	return hit, fixes
}

// isListed reports whether version is in the explicit versions list, by
// string or, where the ecosystem parses it, by version equality
// (PyPI "1.0" is "1.0.0").
func (m *matcher) isListed(a *affected, ecosystem, version string) bool {
	if slices.Contains(a.Versions, version) {
		return true
	}
	if len(m.listed) == 0 {
		return false
	}
	v, err := semantic.Parse(version, ecosystem)
	if err != nil {
		return false
	}
	for _, w := range m.listed {
		if w == nil {
			continue
		}
		if c, err := v.Compare(w); err == nil && c == 0 {
			return true
		}
	}
	return false
}

// compileEvents parses and sorts a range's events. Events whose version
// does not parse are dropped; "limit: *" means no limit.
func compileEvents(parse versionParser, in []event) []parsedEvent {
	events := make([]parsedEvent, 0, len(in))
	for _, e := range in {
		pe := parsedEvent{}
		switch {
		case e.Introduced != "":
			pe.kind, pe.raw = "introduced", e.Introduced
		case e.Fixed != "":
			pe.kind, pe.raw = "fixed", e.Fixed
		case e.LastAffected != "":
			pe.kind, pe.raw = "last_affected", e.LastAffected
		default:
			pe.kind, pe.raw = "limit", e.Limit
		}
		if pe.raw == "*" && pe.kind == "limit" {
			continue
		}
		if !(pe.kind == "introduced" && pe.raw == "0") {
			var err error
			if pe.v, err = parse(pe.raw); err != nil {
				continue
			}
		}
		events = append(events, pe)
	}
	slices.SortStableFunc(events, func(a, b parsedEvent) int {
		switch {
		case a.v == nil && b.v == nil:
			return 0
		case a.v == nil:
			return -1
		case b.v == nil:
			return 1
		}
		c, _ := a.v.Compare(b.v)
		return c
	})
	return events
}

// contains evaluates a range as the OSV schema specifies: over the sorted
// events, introduced opens, fixed and limit close at their version,
// last_affected closes after it. It also returns the fixed versions above v.
func contains(events []parsedEvent, v semantic.Version) (bool, []string) {
	affected := false
	for _, e := range events {
		var c int
		if e.v != nil {
			c, _ = v.Compare(e.v)
		}
		switch e.kind {
		case "introduced":
			if e.v == nil || c >= 0 {
				affected = true
			}
		case "fixed", "limit":
			if c >= 0 {
				affected = false
			}
		case "last_affected":
			if c > 0 {
				affected = false
			}
		}
	}
	if !affected {
		return false, nil
	}
	var fixes []string
	for _, e := range events {
		if e.kind == "fixed" {
			if c, _ := v.Compare(e.v); c < 0 {
				fixes = append(fixes, e.raw)
			}
		}
	}
	return true, fixes
}

// sortVersions orders fixed versions by the ecosystem's ordering, falling
// back to string order for those that do not parse.
func sortVersions(ecosystem string, vs []string) []string {
	slices.SortFunc(vs, func(a, b string) int {
		va, errA := semantic.Parse(a, ecosystem)
		if errA == nil {
			if c, err := va.CompareStr(b); err == nil && c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
	return slices.Compact(vs)
}
