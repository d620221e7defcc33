package deps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

var (
	jsLockfiles = []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"}
	pyLockfiles = []string{"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "pylock.toml"}
)

// checkManifests reports manifests that declare dependencies but have no
// lockfile beside them or in a parent directory inside the root (a
// workspace keeps one lockfile at its top), and unpinned requirement lines.
func (s *scan) checkManifests() {
	for _, c := range s.files {
		base := path.Base(c.rel)
		dir := path.Dir(c.rel)
		switch {
		case base == "package.json":
			if s.jsonDeclares(c.rel, "dependencies", "devDependencies", "optionalDependencies") && !s.lockAbove(dir, jsLockfiles, false) {
				s.issue(IssueNoLockfile, c.rel, 0, "package.json declares dependencies but no package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lock pins them")
			}
		case base == "composer.json":
			if s.jsonDeclares(c.rel, "require") && !s.lockAbove(dir, []string{"composer.lock"}, false) {
				s.issue(IssueNoLockfile, c.rel, 0, "composer.json declares dependencies but no composer.lock pins them")
			}
		case base == "pyproject.toml":
			if s.pyprojectDeclares(c.rel) && !s.lockAbove(dir, pyLockfiles, true) {
				s.issue(IssueNoLockfile, c.rel, 0, "pyproject.toml declares dependencies but no poetry.lock, uv.lock, pdm.lock, Pipfile.lock or pinned requirements file pins them")
			}
		case base == "Pipfile":
			if s.pipfileDeclares(c.rel) && !s.exists(path.Join(dir, "Pipfile.lock")) {
				s.issue(IssueNoLockfile, c.rel, 0, "Pipfile declares packages but there is no Pipfile.lock")
			}
		case isRequirements(base):
			s.checkRequirements(c.rel)
		}
	}
}

func (s *scan) issue(kind, rel string, line int, detail string) {
	s.issues = append(s.issues, Issue{Kind: kind, File: s.abs(rel), Line: line, Detail: detail})
}

func (s *scan) exists(rel string) bool {
	_, err := fs.Stat(s.fsys.fsys, rel)
	return err == nil
}

// lockAbove reports whether one of names exists in dir or a parent inside
// the root. With pinnedReqs, a fully pinned requirements file counts too.
func (s *scan) lockAbove(dir string, names []string, pinnedReqs bool) bool {
	for {
		for _, n := range names {
			if s.exists(path.Join(dir, n)) {
				return true
			}
		}
		if pinnedReqs && s.pinnedRequirementsIn(dir) {
			return true
		}
		if dir == "." {
			return false
		}
		dir = path.Dir(dir)
	}
}

func (s *scan) pinnedRequirementsIn(dir string) bool {
	for _, c := range s.files {
		if path.Dir(c.rel) == dir && isRequirements(path.Base(c.rel)) {
			reqs := parseRequirements(s.readAll(c.rel))
			if len(reqs) > 0 && countPinned(reqs) == len(reqs) {
				return true
			}
		}
	}
	return false
}

func (s *scan) jsonDeclares(rel string, keys ...string) bool {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(s.readAll(rel), &m); err != nil {
		s.note(rel, "not parsed: %v", err)
		return false
	}
	for _, k := range keys {
		var deps map[string]any
		if json.Unmarshal(m[k], &deps) != nil {
			continue
		}
		for name := range deps {
			// composer "require" lists the PHP version and extensions too.
			if name != "php" && !strings.HasPrefix(name, "ext-") {
				return true
			}
		}
	}
	return false
}

func (s *scan) pyprojectDeclares(rel string) bool {
	var p struct {
		Project struct {
			Dependencies         []string            `toml:"dependencies"`
			OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				Dependencies map[string]any `toml:"dependencies"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if _, err := toml.Decode(string(s.readAll(rel)), &p); err != nil {
		s.note(rel, "not parsed: %v", err)
		return false
	}
	if len(p.Project.Dependencies) > 0 || len(p.Project.OptionalDependencies) > 0 {
		return true
	}
	for name := range p.Tool.Poetry.Dependencies {
		if name != "python" {
			return true
		}
	}
	return false
}

func (s *scan) pipfileDeclares(rel string) bool {
	var p struct {
		Packages    map[string]any `toml:"packages"`
		DevPackages map[string]any `toml:"dev-packages"`
	}
	if _, err := toml.Decode(string(s.readAll(rel)), &p); err != nil {
		s.note(rel, "not parsed: %v", err)
		return false
	}
	return len(p.Packages)+len(p.DevPackages) > 0
}

// checkRequirements reports each requirement not pinned to one version and,
// when none is pinned and no Python lockfile is near, the file as a whole.
func (s *scan) checkRequirements(rel string) {
	reqs := parseRequirements(s.readAll(rel))
	for _, r := range reqs {
		if !r.pinned() {
			s.issue(IssueUnpinned, rel, r.line, r.describe())
		}
	}
	if len(reqs) > 0 && countPinned(reqs) == 0 && !s.lockAbove(path.Dir(rel), pyLockfiles, false) {
		s.issue(IssueNoLockfile, rel, 0, fmt.Sprintf("none of the %d requirements is pinned and there is no Python lockfile", len(reqs)))
	}
}

// requirement is one line of a pip requirements file.
type requirement struct {
	line int
	name string
	spec string // version specifiers, e.g. "==1.2" or ">=1,<2"
}

func (r requirement) pinned() bool {
	spec := strings.TrimSpace(r.spec)
	if strings.Contains(spec, ",") || strings.Contains(spec, "*") {
		return false
	}
	v, ok := strings.CutPrefix(spec, "===")
	if !ok {
		v, ok = strings.CutPrefix(spec, "==")
	}
	return ok && strings.TrimSpace(v) != ""
}

func (r requirement) describe() string {
	if strings.TrimSpace(r.spec) == "" {
		return fmt.Sprintf("%s has no version: any release may be installed (pin it with ==)", r.name)
	}
	return fmt.Sprintf("%s%s is not pinned to one version (pin it with ==)", r.name, r.spec)
}

func countPinned(reqs []requirement) int {
	n := 0
	for _, r := range reqs {
		if r.pinned() {
			n++
		}
	}
	return n
}

var reqName = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$`)

// parseRequirements reads the named requirements of a pip requirements
// file with their 1-based lines. Options (-r, -e, --index-url), URLs and
// local paths are not named requirements and are left out.
func parseRequirements(b []byte) []requirement {
	var out []requirement
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		start := lineNo
		text := sc.Text()
		// A trailing backslash continues the requirement on the next line.
		for strings.HasSuffix(text, `\`) && sc.Scan() {
			lineNo++
			text = strings.TrimSuffix(text, `\`) + " " + sc.Text()
		}
		text = stripComment(text)
		// Per-requirement options such as --hash follow the specifier.
		if i := strings.Index(text, " -"); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "-") || strings.Contains(text, "://") ||
			strings.HasPrefix(text, ".") || strings.HasPrefix(text, "/") {
			continue
		}
		if i := strings.Index(text, ";"); i >= 0 { // environment marker
			text = text[:i]
		}
		m := reqName.FindStringSubmatch(strings.TrimSpace(text))
		if m == nil {
			continue
		}
		spec := strings.TrimSpace(m[3])
		if strings.HasPrefix(spec, "@") { // PEP 508 direct reference
			continue
		}
		out = append(out, requirement{line: start, name: m[1], spec: spec})
	}
	return out
}

func stripComment(s string) string {
	if strings.HasPrefix(s, "#") {
		return ""
	}
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	if i := strings.Index(s, "\t#"); i >= 0 {
		return s[:i]
	}
	return s
}
