package deps

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// relResult is Result with paths relative to the root, for golden files.
func relResult(t *testing.T, root string, r Result) Result {
	t.Helper()
	rel := func(p string) string {
		out, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(out)
	}
	for i := range r.Packages {
		r.Packages[i].Lockfile = rel(r.Packages[i].Lockfile)
	}
	for i := range r.Lockfiles {
		r.Lockfiles[i] = rel(r.Lockfiles[i])
	}
	for i := range r.Notes {
		r.Notes[i].Path = rel(r.Notes[i].Path)
	}
	for i := range r.Issues {
		r.Issues[i].File = rel(r.Issues[i].File)
	}
	return r
}

func TestExtractGolden(t *testing.T) {
	root := filepath.Join("testdata", "app")
	r, err := Extract(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(relResult(t, root, r), "", "  ")
	got = append(got, '\n')
	golden := filepath.Join("testdata", "app.golden.json")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Extract(%s) differs from %s (run with -update and review the diff):\n%s", root, golden, got)
	}
}

func find(r Result, lockfileSuffix, name, version string) *Package {
	for i, p := range r.Packages {
		if strings.HasSuffix(filepath.ToSlash(p.Lockfile), lockfileSuffix) && p.Name == name && p.Version == version {
			return &r.Packages[i]
		}
	}
	return nil
}

// TestExtractFields checks the properties the golden file encodes that
// callers rely on, so a careless -update cannot hide a regression.
func TestExtractFields(t *testing.T) {
	r, err := Extract(filepath.Join("testdata", "app"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lockfile, name, version, eco string
		line                         int
		direct, scripts              bool
	}{
		{"npm3/package-lock.json", "lodash", "4.17.20", "npm", 24, true, false},
		{"npm3/package-lock.json", "esbuild", "0.19.0", "npm", 18, true, true},
		{"npm3/package-lock.json", "minimist", "1.2.0", "npm", 36, false, false}, // nested copy, not the root's
		{"npm3/package-lock.json", "mkdirp", "0.5.5", "npm", 32, false, false},
		{"npm1/package-lock.json", "ansi-html", "0.0.7", "npm", 7, true, false},
		{"yarn/yarn.lock", "lodash", "4.17.20", "npm", 5, true, false},
		{"pnpm/pnpm-lock.yaml", "lodash", "4.17.20", "npm", 10, false, false},
		{"pnpm/pnpm-lock.yaml", "esbuild", "0.19.0", "npm", 14, false, true}, // requiresBuild
		{"bun/bun.lock", "minimist", "1.2.5", "npm", 12, false, false},
		{"py/requirements.txt", "PyYAML", "5.3", "PyPI", 2, true, false},
		{"py/requirements.txt", "urllib3", "", "PyPI", 4, true, false}, // >= pins nothing
		{"py/requirements.txt", "cryptography", "41.0.0", "PyPI", 12, true, false},
		{"poetry/poetry.lock", "jinja2", "3.1.2", "PyPI", 2, false, false},
		{"pipenv/Pipfile.lock", "urllib3", "1.26.18", "PyPI", 9, false, false},
		{"uv/uv.lock", "pyyaml", "5.3.1", "PyPI", 5, false, false},
		{"gomod/go.mod", "golang.org/x/net", "0.16.0", "Go", 7, false, false},
		{"gomod/go.mod", "github.com/aws/aws-lambda-go", "1.41.0", "Go", 6, true, false},
		{"maven/pom.xml", "org.apache.logging.log4j:log4j-core", "2.14.1", "Maven", 11, true, false},
		{"maven/pom.xml", "junit:junit", "", "Maven", 21, true, false}, // a range pins nothing
		{"php/composer.lock", "league/flysystem", "1.0.8", "Packagist", 5, true, false},
		{"ruby/Gemfile.lock", "nokogiri", "1.13.3", "RubyGems", 4, false, false},
	}
	for _, tt := range tests {
		p := find(r, tt.lockfile, tt.name, tt.version)
		if p == nil {
			t.Errorf("%s: %s@%s not extracted", tt.lockfile, tt.name, tt.version)
			continue
		}
		if p.Ecosystem != tt.eco || p.Line != tt.line || p.Direct != tt.direct || p.Scripts != tt.scripts {
			t.Errorf("%s: got %+v, want eco %s line %d direct %v scripts %v", tt.lockfile, *p, tt.eco, tt.line, tt.direct, tt.scripts)
		}
	}
	for _, p := range r.Packages {
		if strings.Contains(p.Lockfile, "node_modules") || p.Name == "should-not-appear" || p.Name == "uvsvc" {
			t.Errorf("package from a skipped place: %+v", p)
		}
	}
	wantIssues := []string{
		"no-lockfile manifests/js/package.json:0",
		"no-lockfile manifests/pipenv/Pipfile:0",
		"no-lockfile manifests/py/pyproject.toml:0",
		"no-lockfile manifests/py/requirements-dev.txt:0",
		"unpinned manifests/py/requirements-dev.txt:1",
		"unpinned manifests/py/requirements-dev.txt:2",
		"unpinned py/requirements.txt:4",
		"unpinned py/requirements.txt:5",
		"unpinned py/requirements.txt:6",
		"unpinned py/requirements.txt:7",
	}
	var gotIssues []string
	for _, is := range r.Issues {
		rel, _ := filepath.Rel(filepath.Join("testdata", "app"), is.File)
		gotIssues = append(gotIssues, is.Kind+" "+filepath.ToSlash(rel)+":"+itoa(is.Line))
	}
	if !slices.Equal(gotIssues, wantIssues) {
		t.Errorf("issues:\n got %q\nwant %q", gotIssues, wantIssues)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hasNote(r Result, pathSuffix, detail string) bool {
	for _, n := range r.Notes {
		if strings.HasSuffix(filepath.ToSlash(n.Path), pathSuffix) && strings.Contains(n.Detail, detail) {
			return true
		}
	}
	return false
}

func TestExtractBounds(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "requirements.txt"), "secret-package==1.0\n")
	write(t, filepath.Join(outside, "lib", "go.mod"), "module x\n\nrequire example.com/outside v1.0.0\n")

	root := t.TempDir()
	write(t, filepath.Join(root, "requirements.txt"), "flask==2.0.0\n-r ../"+filepath.Base(outside)+"/requirements.txt\n")
	write(t, filepath.Join(root, "big", "package-lock.json"), `{"lockfileVersion":3,"packages":{}}`+strings.Repeat(" ", 2048))
	write(t, filepath.Join(root, "a", "b", "c", "d", "requirements.txt"), "deep==1.0\n")
	write(t, filepath.Join(root, "bad", "package-lock.json"), "{\"packages\": [\xff")
	write(t, filepath.Join(root, "bin", "yarn.lock"), "\x00\x01\x02binary")
	write(t, filepath.Join(root, "vendor", "go.mod"), "module v\n")
	must(t, os.Symlink(filepath.Join(outside, "requirements.txt"), filepath.Join(root, "linked-requirements.txt")))
	must(t, os.Symlink(filepath.Join(outside, "lib"), filepath.Join(root, "lib")))
	must(t, os.Symlink(".", filepath.Join(root, "loop")))
	must(t, os.Symlink(root, filepath.Join(root, "abs-loop")))
	must(t, os.Symlink("requirements.txt", filepath.Join(root, "alias-requirements.txt"))) // inside: followed

	r, err := Extract(root, Options{MaxFileSize: 1024, MaxDepth: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Packages {
		if p.Name == "secret-package" || p.Name == "example.com/outside" || p.Name == "deep" {
			t.Errorf("read outside the bounds: %+v", p)
		}
	}
	if find(r, "/requirements.txt", "flask", "2.0.0") == nil || find(r, "alias-requirements.txt", "flask", "2.0.0") == nil {
		t.Errorf("in-root files not extracted: %+v", r.Packages)
	}
	for _, want := range []struct{ path, detail string }{
		{"big/package-lock.json", "over the 1024-byte limit"},
		{"a/b/c/d", "deeper than 3 levels"},
		{"bad/package-lock.json", "not parsed"},
		{"vendor", "skipped by name"},
		{"linked-requirements.txt", "symbolic link not followed"},
		{"lib", "symbolic link not followed"},
		{"loop", "symbolic link to a directory not followed"},
	} {
		if !hasNote(r, want.path, want.detail) {
			t.Errorf("no note %q for %s in %+v", want.detail, want.path, r.Notes)
		}
	}

	// The entry budget stops the walk with a note instead of running on.
	r, err = Extract(root, Options{MaxEntries: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(r, "", "MaxEntries") {
		t.Errorf("no MaxEntries note: %+v", r.Notes)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestExtractErrors(t *testing.T) {
	if _, err := Extract(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("missing root: no error")
	}
	f := filepath.Join(t.TempDir(), "file")
	write(t, f, "x")
	if _, err := Extract(f, Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file root: %v", err)
	}
}

func TestWorkspaceLockfileCoversMembers(t *testing.T) {
	r, err := Extract(filepath.Join("testdata", "app", "workspace"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Issues) != 0 {
		t.Errorf("workspace member reported without lockfile: %+v", r.Issues)
	}
}

func TestParseRequirements(t *testing.T) {
	in := "a==1\nb >= 2 # c\n\n# comment\nc[extra]==3 ; python_version<'3'\nd===4\ne==5,<6\nf\\\n==6\n-e .\nhttps://x/y.whl\ng @ https://x/g.whl\nh==7 --hash=sha256:abc\n"
	got := parseRequirements([]byte(in))
	var s []string
	for _, r := range got {
		s = append(s, itoa(r.line)+":"+r.name+":"+r.spec+":"+map[bool]string{true: "pinned", false: "unpinned"}[r.pinned()])
	}
	want := []string{"1:a:==1:pinned", "2:b:>= 2:unpinned", "5:c:==3:pinned", "6:d:===4:pinned", "7:e:==5,<6:unpinned", "8:f:==6:pinned", "13:h:==7:pinned"}
	if !slices.Equal(s, want) {
		t.Errorf("got  %q\nwant %q", s, want)
	}
}

func TestFormats(t *testing.T) {
	want := []string{"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "requirements.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "go.mod", "pom.xml", "composer.lock", "Gemfile.lock", "Cargo.lock"}
	if got := Formats(); !slices.Equal(got, want) {
		t.Errorf("Formats() = %v", got)
	}
}
