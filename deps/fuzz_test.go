package deps

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// fuzzFormat feeds arbitrary bytes to one format's extractor wrapper (and
// its enrichment), checking that it returns rather than panics and that
// what it returns is well-formed.
func fuzzFormat(f *testing.F, name string, seeds ...string) {
	ff := formatFor(name)
	if ff == nil {
		f.Fatalf("no format for %s", name)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(filepath.Join("testdata", "app", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{name: &fstest.MapFile{Data: data, Mode: 0o644, ModTime: time.Unix(0, 0)}}
		s := &scan{root: "/fuzz", fsys: boundedFS{fsys: fsys, max: 1 << 20}, opts: Options{}.withDefaults()}
		info, err := fs.Stat(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		c := candidate{rel: name, info: info}
		s.files = []candidate{c}
		s.extractAs(c, ff)
		s.checkManifests()
		for _, p := range s.pkgs {
			if p.Name == "" || p.Ecosystem != ff.ecosystem || p.Line < 0 {
				t.Errorf("malformed package %+v", p)
			}
		}
	})
}

func FuzzPackageLock(f *testing.F) {
	fuzzFormat(f, "package-lock.json", "npm3/package-lock.json", "npm1/package-lock.json")
}
func FuzzYarnLock(f *testing.F)     { fuzzFormat(f, "yarn.lock", "yarn/yarn.lock") }
func FuzzPnpmLock(f *testing.F)     { fuzzFormat(f, "pnpm-lock.yaml", "pnpm/pnpm-lock.yaml") }
func FuzzBunLock(f *testing.F)      { fuzzFormat(f, "bun.lock", "bun/bun.lock") }
func FuzzRequirements(f *testing.F) { fuzzFormat(f, "requirements.txt", "py/requirements.txt") }
func FuzzPoetryLock(f *testing.F)   { fuzzFormat(f, "poetry.lock", "poetry/poetry.lock") }
func FuzzPipfileLock(f *testing.F)  { fuzzFormat(f, "Pipfile.lock", "pipenv/Pipfile.lock") }
func FuzzUVLock(f *testing.F)       { fuzzFormat(f, "uv.lock", "uv/uv.lock") }
func FuzzGoMod(f *testing.F)        { fuzzFormat(f, "go.mod", "gomod/go.mod") }
func FuzzPomXML(f *testing.F)       { fuzzFormat(f, "pom.xml", "maven/pom.xml") }
func FuzzComposerLock(f *testing.F) { fuzzFormat(f, "composer.lock", "php/composer.lock") }
func FuzzGemfileLock(f *testing.F)  { fuzzFormat(f, "Gemfile.lock", "ruby/Gemfile.lock") }
func FuzzCargoLock(f *testing.F)    { fuzzFormat(f, "Cargo.lock") }
func FuzzPDMLock(f *testing.F)      { fuzzFormat(f, "pdm.lock") }
