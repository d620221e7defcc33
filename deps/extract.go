package deps

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	cpb "github.com/google/osv-scalibr/binary/proto/config_go_proto"
	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/language/golang/gomod"
	"github.com/google/osv-scalibr/extractor/filesystem/language/java/pomxml"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/bunlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/packagelockjson"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/pnpmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/javascript/yarnlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/php/composerlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pdmlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/pipfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/poetrylock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/uvlock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/ruby/gemfilelock"
	"github.com/google/osv-scalibr/extractor/filesystem/language/rust/cargolock"
	scalibrlog "github.com/google/osv-scalibr/log"
	"github.com/google/osv-scalibr/purl"
)

// format is one supported lockfile format.
type format struct {
	name      string // Format name used in notes and by the fuzz targets
	ecosystem string // OSV ecosystem of its packages
	purlType  string // purl type of registry packages; others (git, local) are skipped
	match     func(base string) bool
	newFn     func(*cpb.PluginConfig) (filesystem.Extractor, error)
}

func named(names ...string) func(string) bool {
	return func(base string) bool {
		for _, n := range names {
			if base == n {
				return true
			}
		}
		return false
	}
}

// isRequirements matches the file names pip users give requirement files,
// as osv-scalibr's requirements extractor does.
func isRequirements(base string) bool {
	return path.Ext(base) == ".txt" && strings.Contains(base, "requirements")
}

var formats = []format{
	{"package-lock.json", "npm", purl.TypeNPM, named("package-lock.json", "npm-shrinkwrap.json"), packagelockjson.New},
	{"yarn.lock", "npm", purl.TypeNPM, named("yarn.lock"), yarnlock.New},
	{"pnpm-lock.yaml", "npm", purl.TypeNPM, named("pnpm-lock.yaml"), pnpmlock.New},
	{"bun.lock", "npm", purl.TypeNPM, named("bun.lock"), bunlock.New},
	{"requirements.txt", "PyPI", purl.TypePyPi, isRequirements, requirements.New},
	{"poetry.lock", "PyPI", purl.TypePyPi, named("poetry.lock"), poetrylock.New},
	{"Pipfile.lock", "PyPI", purl.TypePyPi, named("Pipfile.lock"), pipfilelock.New},
	{"uv.lock", "PyPI", purl.TypePyPi, named("uv.lock"), uvlock.New},
	{"pdm.lock", "PyPI", purl.TypePyPi, named("pdm.lock"), pdmlock.New},
	{"go.mod", "Go", purl.TypeGolang, named("go.mod"), gomod.New},
	{"pom.xml", "Maven", purl.TypeMaven, named("pom.xml"), pomxml.New},
	{"composer.lock", "Packagist", purl.TypeComposer, named("composer.lock"), composerlock.New},
	{"Gemfile.lock", "RubyGems", purl.TypeGem, named("Gemfile.lock", "gems.locked"), gemfilelock.New},
	{"Cargo.lock", "crates.io", purl.TypeCargo, named("Cargo.lock"), cargolock.New},
}

// Formats lists the lockfile formats Extract reads, by canonical file name.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

func formatFor(base string) *format {
	for i := range formats {
		if formats[i].match(base) {
			return &formats[i]
		}
	}
	return nil
}

// manifests are files read only for the no-lockfile and direct checks.
var manifests = []string{"package.json", "pyproject.toml", "Pipfile", "composer.json"}

func interesting(base string) bool {
	return formatFor(base) != nil || isManifest(base)
}

func isManifest(base string) bool {
	for _, m := range manifests {
		if base == m {
			return true
		}
	}
	return false
}

var quietOnce sync.Once

// quietScalibr stops osv-scalibr from logging to the process's stderr: a
// parse failure is reported to the caller as a Note instead.
func quietScalibr() { quietOnce.Do(func() { scalibrlog.SetLogger(discardLogger{}) }) }

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Error(...any)          {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Warn(...any)           {}
func (discardLogger) Infof(string, ...any)  {}
func (discardLogger) Info(...any)           {}
func (discardLogger) Debugf(string, ...any) {}
func (discardLogger) Debug(...any)          {}

// extract runs the matching extractor on one candidate file.
func (s *scan) extract(c candidate) {
	f := formatFor(path.Base(c.rel))
	if f == nil {
		return // a manifest, handled by checkManifests
	}
	s.extractAs(c, f)
}

// extractAs parses c as format f whatever its name.
func (s *scan) extractAs(c candidate, f *format) {
	pkgs, skipped, err := runExtractor(f, s.fsys, c.rel, c.info)
	if err != nil {
		s.note(c.rel, "%s not parsed: %v", f.name, err)
		return
	}
	s.lockfiles = append(s.lockfiles, s.abs(c.rel))
	if skipped > 0 {
		s.note(c.rel, "%d entries without a registry name and pinned version (git, path or unresolved) not listed", skipped)
	}
	for i := range pkgs {
		pkgs[i].Lockfile = s.abs(pkgs[i].Lockfile)
	}
	pkgs = s.enrich(f, c.rel, pkgs)
	s.pkgs = append(s.pkgs, pkgs...)
}

// runExtractor parses one file with its osv-scalibr extractor. Lockfile
// paths in the returned packages are relative to the root, in slash form.
// skipped counts entries that are not registry packages of f's ecosystem.
// A panic inside the extractor is turned into an error: scanned files are
// untrusted input.
func runExtractor(f *format, fsys boundedFS, rel string, info fs.FileInfo) (pkgs []Package, skipped int, err error) {
	defer func() {
		if r := recover(); r != nil {
			pkgs, skipped, err = nil, 0, fmt.Errorf("extractor panicked: %v", r)
		}
	}()
	ex, err := f.newFn(nil)
	if err != nil {
		return nil, 0, err
	}
	r, err := fsys.Open(rel)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	inv, err := ex.Extract(context.Background(), &filesystem.ScanInput{FS: fsys, Path: rel, Root: ".", Info: info, Reader: r})
	if err != nil {
		return nil, 0, err
	}
	for _, p := range inv.Packages {
		if p == nil || p.Name == "" || p.PURLType != f.purlType {
			skipped++
			continue
		}
		pkg := Package{Name: p.Name, Version: p.Version, Ecosystem: f.ecosystem, Lockfile: rel}
		if d := p.Location.Descriptor; d != nil && d.File != nil {
			pkg.Line = d.File.LineNumber
			if d.File.Path != "" {
				pkg.Lockfile = d.File.Path
			}
		}
		if !pinned(f, p.Metadata, &pkg) {
			skipped++
			continue
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, skipped, nil
}

// pinned clears or rejects versions that are not exact pins, so that no
// advisory is matched against a guessed version. It reports whether the
// package should be listed at all.
func pinned(f *format, md any, p *Package) bool {
	switch f.ecosystem {
	case "PyPI":
		if m, ok := md.(*requirements.Metadata); ok {
			// The extractor reports the lower bound of ">=1.2" as the
			// version; only == and === pin one.
			if m.VersionComparator != "==" && m.VersionComparator != "===" || strings.Contains(p.Version, "*") {
				p.Version = ""
			}
			p.Direct = true
		}
	case "Maven":
		// Unresolved properties and versions inherited from a parent or
		// BOM that is not in the root leave no pinned version.
		if strings.ContainsAny(p.Version, "$[](),") {
			p.Version = ""
		}
		p.Direct = true
	case "Go":
		// go.mod may replace a module with a local path: nothing to match.
		if p.Version == "" && p.Name != "stdlib" {
			return false
		}
	}
	return true
}
