package deps

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"golang.org/x/mod/modfile"
)

// enrich fills Direct and Scripts from what the lockfile (or the manifest
// beside it) says; the osv-scalibr extractors do not carry these fields.
// Failures leave the fields false: they are best-effort annotations. It
// also drops the project's own local packages that uv.lock lists.
func (s *scan) enrich(f *format, rel string, pkgs []Package) []Package {
	dir := path.Dir(rel)
	switch f.ecosystem {
	case "npm":
		if f.name == "package-lock.json" {
			lock := s.readNPMLock(rel)
			scripts := lock.scripts()
			for i := range pkgs {
				pkgs[i].Scripts = scripts[pkgs[i].Name+"@"+pkgs[i].Version]
			}
			if direct := lock.direct(); direct != nil {
				// v2/v3 name the copy the root resolves: node_modules/<name>.
				for i := range pkgs {
					pkgs[i].Direct = direct[pkgs[i].Name] == pkgs[i].Version
				}
				return pkgs
			}
		}
		if f.name == "pnpm-lock.yaml" {
			scripts := s.pnpmBuilds(rel)
			for i := range pkgs {
				pkgs[i].Scripts = scripts[pkgs[i].Name+"@"+pkgs[i].Version]
			}
		}
		markDirect(pkgs, s.manifestDirect(path.Join(dir, "package.json")))
	case "Packagist":
		markDirect(pkgs, s.manifestDirect(path.Join(dir, "composer.json")))
	case "Go":
		markDirect(pkgs, s.goDirect(rel))
	case "Maven":
		// The extractor reports the lower bound of a version range such as
		// [4.0,5.0); a range pins nothing.
		ranged := s.pomRanges(rel)
		for i := range pkgs {
			if ranged[pkgs[i].Name] {
				pkgs[i].Version = ""
			}
		}
	case "PyPI":
		if f.name == "uv.lock" {
			local := s.uvLocal(rel)
			pkgs = slices.DeleteFunc(pkgs, func(p Package) bool { return local[p.Name] })
		}
	}
	return pkgs
}

// uvLocal returns the uv.lock packages that come from the project itself
// (editable, directory or path sources) rather than from a registry.
func (s *scan) uvLocal(rel string) map[string]bool {
	var lock struct {
		Package []struct {
			Name   string `toml:"name"`
			Source struct {
				Editable  string `toml:"editable"`
				Directory string `toml:"directory"`
				Path      string `toml:"path"`
				Virtual   string `toml:"virtual"`
			} `toml:"source"`
		} `toml:"package"`
	}
	if _, err := toml.Decode(string(s.readAll(rel)), &lock); err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, p := range lock.Package {
		if src := p.Source; src.Editable != "" || src.Directory != "" || src.Path != "" || src.Virtual != "" {
			out[p.Name] = true
		}
	}
	return out
}

// pomRanges returns group:artifact of the dependencies whose version in
// the pom is a range.
func (s *scan) pomRanges(rel string) map[string]bool {
	var pom struct {
		Deps []struct {
			GroupID    string `xml:"groupId"`
			ArtifactID string `xml:"artifactId"`
			Version    string `xml:"version"`
		} `xml:"dependencies>dependency"`
		Managed []struct {
			GroupID    string `xml:"groupId"`
			ArtifactID string `xml:"artifactId"`
			Version    string `xml:"version"`
		} `xml:"dependencyManagement>dependencies>dependency"`
	}
	if xml.Unmarshal(s.readAll(rel), &pom) != nil {
		return nil
	}
	out := map[string]bool{}
	for _, d := range append(pom.Deps, pom.Managed...) {
		if v := strings.TrimSpace(d.Version); strings.HasPrefix(v, "[") || strings.HasPrefix(v, "(") {
			out[strings.TrimSpace(d.GroupID)+":"+strings.TrimSpace(d.ArtifactID)] = true
		}
	}
	return out
}

func markDirect(pkgs []Package, direct map[string]bool) {
	for i := range pkgs {
		if direct[pkgs[i].Name] {
			pkgs[i].Direct = true
		}
	}
}

func (s *scan) readAll(rel string) []byte {
	f, err := s.fsys.Open(rel)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil
	}
	return b
}

// npmLock is the part of package-lock.json v2/v3 that the extractor drops.
type npmLock struct {
	Packages map[string]npmLockPackage `json:"packages"`
}

type npmLockPackage struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	HasInstallScript     bool              `json:"hasInstallScript"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
}

func (s *scan) readNPMLock(rel string) npmLock {
	var l npmLock
	if b := s.readAll(rel); b != nil {
		_ = json.Unmarshal(b, &l) // the extractor already reported malformed JSON
	}
	return l
}

// direct maps each dependency the root package declares to the version
// installed at the top level, or is nil for a v1 lockfile, which does not
// record the root's declarations.
func (l npmLock) direct() map[string]string {
	root, ok := l.Packages[""]
	if !ok {
		return nil
	}
	out := map[string]string{}
	for name := range declared(root.Dependencies, root.DevDependencies, root.OptionalDependencies, root.PeerDependencies) {
		if p, ok := l.Packages["node_modules/"+name]; ok {
			out[name] = p.Version
		}
	}
	return out
}

// scripts returns name@version of the packages with install scripts.
func (l npmLock) scripts() map[string]bool {
	out := map[string]bool{}
	for key, p := range l.Packages {
		if !p.HasInstallScript || key == "" {
			continue
		}
		name := p.Name
		if name == "" {
			_, name, _ = cutLast(key, "node_modules/")
		}
		out[name+"@"+p.Version] = true
	}
	return out
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, s, false
}

// pnpmBuilds returns name@version of the packages pnpm-lock.yaml marks
// "requiresBuild: true" (lockfile v5 and v6: they run install scripts).
func (s *scan) pnpmBuilds(rel string) map[string]bool {
	var lock struct {
		Packages map[string]struct {
			Name          string `yaml:"name"`
			Version       string `yaml:"version"`
			RequiresBuild bool   `yaml:"requiresBuild"`
		} `yaml:"packages"`
	}
	if yaml.Unmarshal(s.readAll(rel), &lock) != nil {
		return nil
	}
	out := map[string]bool{}
	for key, p := range lock.Packages {
		if !p.RequiresBuild {
			continue
		}
		if p.Name != "" && p.Version != "" {
			out[p.Name+"@"+p.Version] = true
			continue
		}
		// "/name@1.2.3(peer@4)" (v6) or "/name/1.2.3_peer@4" (v5).
		k := strings.TrimPrefix(key, "/")
		k, _, _ = strings.Cut(k, "(")
		k, _, _ = strings.Cut(k, "_")
		if i := strings.LastIndex(k, "@"); i > 0 {
			out[k[:i]+"@"+k[i+1:]] = true
		} else if i := strings.LastIndex(k, "/"); i > 0 {
			out[k[:i]+"@"+k[i+1:]] = true
		}
	}
	return out
}

// manifestDirect reads the declared dependency names of a package.json or
// composer.json; nil when there is none.
func (s *scan) manifestDirect(rel string) map[string]bool {
	b := s.readAll(rel)
	if b == nil {
		return nil
	}
	var m struct {
		Dependencies         map[string]any `json:"dependencies"`
		DevDependencies      map[string]any `json:"devDependencies"`
		OptionalDependencies map[string]any `json:"optionalDependencies"`
		PeerDependencies     map[string]any `json:"peerDependencies"`
		Require              map[string]any `json:"require"`
		RequireDev           map[string]any `json:"require-dev"`
	}
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return declared(m.Dependencies, m.DevDependencies, m.OptionalDependencies, m.PeerDependencies, m.Require, m.RequireDev)
}

func declared[V any](sets ...map[string]V) map[string]bool {
	out := map[string]bool{}
	for _, set := range sets {
		for name := range set {
			out[name] = true
		}
	}
	return out
}

// goDirect returns the modules go.mod requires without "// indirect".
func (s *scan) goDirect(rel string) map[string]bool {
	b := s.readAll(rel)
	if b == nil {
		return nil
	}
	mf, err := modfile.ParseLax(rel, b, nil)
	if err != nil {
		return nil
	}
	out := map[string]bool{"stdlib": true}
	for _, r := range mf.Require {
		if !r.Indirect {
			out[r.Mod.Path] = true
		}
	}
	for _, r := range mf.Replace {
		if out[r.Old.Path] {
			out[r.New.Path] = true
		}
	}
	return out
}
