package osvdb

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/deps"
)

func openFixture(t testing.TB) *DB {
	t.Helper()
	db, err := Open("testdata/db")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func ids(vs []Vuln) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func TestQueryFixtureDB(t *testing.T) {
	db := openFixture(t)
	tests := []struct {
		eco, name, version string
		want               []string
	}{
		// npm: SEMVER ranges.
		{"npm", "lodash", "4.17.20", []string{"GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm"}},
		{"npm", "lodash", "4.17.15", []string{"GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"}},
		{"npm", "lodash", "4.17.21", nil},
		{"npm", "lodash", "3.6.0", []string{"GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm"}}, // before introduced 3.7.0
		{"npm", "lodash", "3.7.0", []string{"GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"}},
		{"npm", "minimist", "1.2.5", []string{"GHSA-xvch-5gv4-984h"}},
		{"npm", "minimist", "1.2.0", []string{"GHSA-vh95-rmgr-6w4m", "GHSA-xvch-5gv4-984h"}},
		{"npm", "minimist", "0.2.4", nil}, // between the two affected branches
		{"npm", "minimist", "1.2.6", nil},
		{"npm", "minimist", "1.2.6-beta.1", []string{"GHSA-xvch-5gv4-984h"}}, // prerelease sorts before 1.2.6
		{"npm", "ansi-html", "0.0.1", []string{"GHSA-whgm-jr23-g3j9"}},
		{"npm", "Lodash", "4.17.20", nil}, // npm names are exact
		// Explicit versions lists.
		{"npm", "event-stream", "3.3.6", []string{"GHSA-mh6f-8j2x-4483"}},
		{"npm", "event-stream", "3.3.5", nil},
		{"npm", "flatmap-stream", "0.1.1", []string{"GHSA-mh6f-8j2x-4483"}},
		// PyPI: PEP 440 ordering and PEP 503 names.
		{"PyPI", "pyyaml", "5.3", []string{"GHSA-6757-jp84-gxfx", "GHSA-8q59-q68h-6hv4"}},
		{"PyPI", "PyYAML", "5.3.1", []string{"GHSA-8q59-q68h-6hv4"}},
		{"PyPI", "PyYAML", "5.4b2", []string{"GHSA-8q59-q68h-6hv4"}}, // pre-release of 5.4
		{"PyPI", "PyYAML", "5.4", nil},
		{"PyPI", "PyYAML", "5.4.0", nil}, // 5.4 == 5.4.0
		{"PyPI", "Jinja2", "2.11.2", []string{"GHSA-g3rq-g295-4j3m", "GHSA-h5c8-rqwp-cp95"}},
		{"PyPI", "jinja2", "3.1.2", []string{"GHSA-h5c8-rqwp-cp95"}},
		{"PyPI", "jinja2", "3.1.3", nil},
		{"PyPI", "urllib3", "1.24.3", []string{"GHSA-34jh-p97f-mpxf", "GHSA-v845-jxx5-vc9f", "PYSEC-2020-148"}},
		{"PyPI", "urllib3", "1.26.18", []string{"GHSA-34jh-p97f-mpxf"}},
		{"PyPI", "urllib3", "2.0.6", []string{"GHSA-34jh-p97f-mpxf"}},
		{"PyPI", "urllib3", "2.2.2", nil},
		{"PyPI", "URLLIB3", "1.26.18", []string{"GHSA-34jh-p97f-mpxf"}},
		// Go: SEMVER; go.mod versions arrive without "v".
		{"Go", "golang.org/x/net", "0.16.0", []string{"GO-2023-2102"}},
		{"Go", "golang.org/x/net", "0.17.0", nil},
		// Maven ordering: 2.0-beta9 < 2.0 < 2.3.1; 2.14.1 in the third branch.
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.0-beta8", nil},
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.0", []string{"GHSA-jfh8-c2jp-5v3q"}},
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.3.1", nil},
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.12.1", []string{"GHSA-jfh8-c2jp-5v3q"}},
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", []string{"GHSA-jfh8-c2jp-5v3q"}},
		{"Maven", "org.apache.logging.log4j:log4j-core", "2.15.0", nil},
		// RubyGems and Packagist.
		{"RubyGems", "nokogiri", "1.13.3", []string{"GHSA-crjr-9rc5-ghw8"}},
		{"RubyGems", "nokogiri", "1.13.4", nil},
		{"Packagist", "league/flysystem", "1.0.8", []string{"GHSA-9f46-5r25-5wfm"}},
		{"Packagist", "League/Flysystem", "2.1.0", []string{"GHSA-9f46-5r25-5wfm"}},
		{"Packagist", "league/flysystem", "1.1.4", nil},
		// Ecosystem must agree; empty version matches nothing.
		{"PyPI", "lodash", "4.17.20", nil},
		{"npm", "lodash", "", nil},
	}
	for _, tt := range tests {
		got := ids(db.Query(deps.Package{Ecosystem: tt.eco, Name: tt.name, Version: tt.version}))
		if tt.want == nil {
			tt.want = []string{}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Query(%s %s@%s) = %v, want %v", tt.eco, tt.name, tt.version, got, tt.want)
		}
	}
}

func TestQueryDetails(t *testing.T) {
	db := openFixture(t)
	vs := db.Query(deps.Package{Ecosystem: "npm", Name: "minimist", Version: "1.2.0"})
	if len(vs) != 2 {
		t.Fatalf("got %d vulns, want 2", len(vs))
	}
	v := vs[1]
	if v.ID != "GHSA-xvch-5gv4-984h" || v.Severity != SeverityCritical || !slices.Equal(v.Aliases, []string{"CVE-2021-44906"}) {
		t.Errorf("got %+v", v)
	}
	// Only fixes above the installed version are upgrade targets.
	if !slices.Equal(v.FixedVersions, []string{"1.2.6"}) {
		t.Errorf("FixedVersions = %v, want [1.2.6]", v.FixedVersions)
	}
	if v.Summary != "Prototype Pollution in minimist" || len(v.References) != 1 {
		t.Errorf("summary/references: %+v", v)
	}
	if got := db.Query(deps.Package{Ecosystem: "npm", Name: "minimist", Version: "0.0.8"})[1].FixedVersions; !slices.Equal(got, []string{"0.2.4", "1.2.6"}) {
		t.Errorf("FixedVersions for 0.0.8 = %v", got)
	}
	// A record without CVSS takes its database's word; one with neither is unknown.
	if s := db.Query(deps.Package{Ecosystem: "npm", Name: "event-stream", Version: "3.3.6"})[0].Severity; s != SeverityCritical {
		t.Errorf("event-stream severity = %s", s)
	}
	if s := db.Query(deps.Package{Ecosystem: "Go", Name: "golang.org/x/net", Version: "0.1.0"})[0].Severity; s != SeverityUnknown {
		t.Errorf("GO-2023-2102 severity = %s", s)
	}
	// PYSEC has no summary: the first line of details stands in.
	for _, v := range db.Query(deps.Package{Ecosystem: "PyPI", Name: "urllib3", Version: "1.24.3"}) {
		if v.ID == "PYSEC-2020-148" && !strings.HasPrefix(v.Summary, "CRLF injection") {
			t.Errorf("PYSEC summary = %q", v.Summary)
		}
	}
	if db.Len() != 18 || db.Counts()["PyPI"] != 7 {
		t.Errorf("Len = %d, Counts = %v", db.Len(), db.Counts())
	}
}

func TestRangeSemantics(t *testing.T) {
	tests := []struct {
		name      string
		eco, typ  string
		events    []event
		version   string
		want      bool
		wantFixes []string
	}{
		{"last_affected inclusive", "npm", rangeSemver, []event{{Introduced: "1.0.0"}, {LastAffected: "1.4.0"}}, "1.4.0", true, nil},
		{"after last_affected", "npm", rangeSemver, []event{{Introduced: "1.0.0"}, {LastAffected: "1.4.0"}}, "1.4.1", false, nil},
		{"limit excludes", "npm", rangeSemver, []event{{Introduced: "0"}, {Limit: "2.0.0"}}, "2.0.0", false, nil},
		{"unsorted events", "npm", rangeSemver, []event{{Fixed: "2.0.0"}, {Introduced: "1.5.0"}, {Fixed: "1.2.0"}, {Introduced: "0"}}, "1.6.0", true, []string{"2.0.0"}},
		{"unsorted events gap", "npm", rangeSemver, []event{{Fixed: "2.0.0"}, {Introduced: "1.5.0"}, {Fixed: "1.2.0"}, {Introduced: "0"}}, "1.3.0", false, nil},
		{"introduced only", "PyPI", rangeEcosystem, []event{{Introduced: "1.0"}}, "99.0", true, nil},
		{"pypi post release", "PyPI", rangeEcosystem, []event{{Introduced: "0"}, {Fixed: "1.0.post1"}}, "1.0", true, []string{"1.0.post1"}},
		{"pypi dev before release", "PyPI", rangeEcosystem, []event{{Introduced: "1.0"}}, "1.0.dev1", false, nil},
		{"pypi epoch", "PyPI", rangeEcosystem, []event{{Introduced: "0"}, {Fixed: "2.0"}}, "1!0.5", false, nil},
		{"semver numeric not lexical", "npm", rangeSemver, []event{{Introduced: "0"}, {Fixed: "1.10.0"}}, "1.9.0", true, []string{"1.10.0"}},
		{"go v prefix", "Go", rangeSemver, []event{{Introduced: "0"}, {Fixed: "1.2.3"}}, "v1.2.2", true, []string{"1.2.3"}},
		{"rubygems prerelease", "RubyGems", rangeEcosystem, []event{{Introduced: "0"}, {Fixed: "6.1.0"}}, "6.1.0.rc1", true, []string{"6.1.0"}},
		{"maven qualifiers", "Maven", rangeEcosystem, []event{{Introduced: "0"}, {Fixed: "1.0"}}, "1.0-SNAPSHOT", true, []string{"1.0"}},
		{"maven final equals release", "Maven", rangeEcosystem, []event{{Introduced: "0"}, {Fixed: "1.0"}}, "1.0.Final", false, nil},
		{"legacy pypi version sorts first", "PyPI", rangeEcosystem, []event{{Introduced: "1.0"}}, "not a version!", false, nil},
		{"unsupported ecosystem", "Nope", rangeEcosystem, []event{{Introduced: "0"}}, "1.0", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := affected{Ranges: []vrange{{Type: tt.typ, Events: tt.events}}}
			got, fixes := a.affects(tt.eco, tt.version)
			if got != tt.want || !slices.Equal(fixes, tt.wantFixes) {
				t.Errorf("affects(%s) = %v %v, want %v %v", tt.version, got, fixes, tt.want, tt.wantFixes)
			}
		})
	}
}

func TestSeverity(t *testing.T) {
	tests := []struct {
		rec  string
		want string
	}{
		{`{"id":"A","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}`, SeverityCritical},
		{`{"id":"A","severity":[{"type":"CVSS_V3","score":"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}]}`, SeverityHigh},
		{`{"id":"A","severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"}]}`, SeverityMedium},
		{`{"id":"A","severity":[{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:N/I:N/A:P"}]}`, SeverityMedium},
		{`{"id":"A","severity":[{"type":"CVSS_V3","score":"garbage"}],"database_specific":{"severity":"LOW"}}`, SeverityLow},
		{`{"id":"A","database_specific":{"severity":"MODERATE"}}`, SeverityMedium},
		{`{"id":"A","severity":[{"type":"Ubuntu","score":"high"}]}`, SeverityHigh},
		{`{"id":"A","affected":[{"package":{"ecosystem":"crates.io","name":"x"},"ecosystem_specific":{"severity":"critical"}}]}`, SeverityCritical},
		{`{"id":"A","database_specific":{"severity":3}}`, SeverityUnknown},
		{`{"id":"A"}`, SeverityUnknown},
	}
	for _, tt := range tests {
		r, err := parseRecord([]byte(tt.rec))
		if err != nil {
			t.Fatalf("%s: %v", tt.rec, err)
		}
		if got := recordSeverity(r); got != tt.want {
			t.Errorf("%s: severity %s, want %s", tt.rec, got, tt.want)
		}
	}
}

func TestParseRecordErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "expected a JSON object"},
		{`[1]`, "expected a JSON object"},
		{`{"id":""}`, "missing id"},
		{`{"id":"../../x"}`, "invalid id"},
		{"{\n\"id\": \"A\",\n\"affected\": 5}", "line 3"},
		{`{"id":"A","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"WEIRD","events":[]}]}]}`, "unknown range type"},
		{`{"id":"A","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}`, "exactly one"},
		{`{"id":"A","affected":[{"versions":["1"]}]}`, "ecosystem and name are required"},
		{"\xff\xfe", "expected a JSON object"},
	}
	for _, tt := range tests {
		_, err := parseRecord([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseRecord(%q) error = %v, want containing %q", tt.in, err, tt.want)
		}
	}
}

// writeZip builds an OSV export archive from name -> content.
func writeZip(t testing.TB, path string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fixtureFiles(t testing.TB, eco string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	matches, _ := filepath.Glob(filepath.Join("testdata/db", eco, "*.json"))
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(m)] = b
	}
	return files
}

func TestOpenZipAndOverrides(t *testing.T) {
	dir := t.TempDir()
	writeZip(t, filepath.Join(dir, "npm", "all.zip"), fixtureFiles(t, "npm"))
	writeZip(t, filepath.Join(dir, "PyPI", "all.zip"), fixtureFiles(t, "PyPI"))
	// A newer plain-JSON copy of a record replaces the archived one, and a
	// withdrawn record is dropped.
	newer := `{"id":"GHSA-whgm-jr23-g3j9","modified":"2030-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"ansi-html"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.0.9"}]}]}]}`
	withdrawn := `[{"id":"GHSA-xxxx-withdrawn","withdrawn":"2022-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"versions":["1.0.0"]}]}]`
	os.MkdirAll(filepath.Join(dir, "local"), 0o755)
	os.WriteFile(filepath.Join(dir, "local", "override.json"), []byte(newer), 0o644)
	os.WriteFile(filepath.Join(dir, "local", "withdrawn.json"), []byte(withdrawn), 0o644)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(db.Query(deps.Package{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"})); len(got) != 2 {
		t.Errorf("lodash from zip: %v", got)
	}
	if got := db.Query(deps.Package{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.8"}); len(got) != 1 || got[0].FixedVersions[0] != "0.0.9" {
		t.Errorf("override not applied: %+v", got)
	}
	if got := db.Query(deps.Package{Ecosystem: "npm", Name: "left-pad", Version: "1.0.0"}); len(got) != 0 {
		t.Errorf("withdrawn record matched: %+v", got)
	}
	if db.Counts()["npm"] != 7 {
		t.Errorf("npm count = %d, want 7", db.Counts()["npm"])
	}

	// OpenFor reads only the requested ecosystems' directories.
	only, err := OpenFor(dir, []string{"PyPI"})
	if err != nil {
		t.Fatal(err)
	}
	if c := only.Counts(); c["npm"] != 0 || c["PyPI"] != 7 {
		t.Errorf("OpenFor counts = %v", c)
	}
}

func TestOpenErrors(t *testing.T) {
	big := bytes.Repeat([]byte(" "), MaxRecordSize+1)
	tests := []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"missing dir", func(dir string) { os.RemoveAll(dir) }, "no database at"},
		{"not a zip", func(dir string) {
			os.MkdirAll(filepath.Join(dir, "npm"), 0o755)
			os.WriteFile(filepath.Join(dir, "npm", "all.zip"), []byte("not a zip"), 0o644)
		}, "not a readable zip archive"},
		{"bad record in zip", func(dir string) {
			writeZip(t, filepath.Join(dir, "npm", "all.zip"), map[string][]byte{"X-1.json": []byte(`{"id": 5}`)})
		}, "entry X-1.json"},
		{"huge entry", func(dir string) {
			writeZip(t, filepath.Join(dir, "npm", "all.zip"), map[string][]byte{"X-2.json": big})
		}, "record limit"},
		{"bad json file", func(dir string) { os.WriteFile(filepath.Join(dir, "x.json"), []byte("{\n\"id\":"), 0o644) }, "x.json"},
		{"not a dir", func(dir string) { os.RemoveAll(dir); os.WriteFile(dir, nil, 0o644) }, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			os.MkdirAll(dir, 0o755)
			tt.setup(dir)
			_, err := Open(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open error = %v, want containing %q", err, tt.want)
			}
		})
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg-test")
	t.Setenv("HOME", "/tmp/home-test")
	if got := DefaultDir(); got != filepath.Join("/tmp/xdg-test", "faasguard", "osv") && !strings.HasSuffix(got, filepath.Join("faasguard", "osv")) {
		t.Errorf("DefaultDir = %s", got)
	}
}

// TestEndToEnd extracts the deps fixture tree and matches it against the
// fixture database, as a scan does.
func TestEndToEnd(t *testing.T) {
	r, err := deps.Extract(filepath.Join("..", "deps", "testdata", "app"), deps.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := openFixture(t)
	var got []string
	for _, p := range r.Packages {
		for _, v := range db.Query(p) {
			rel, _ := filepath.Rel(filepath.Join("..", "deps", "testdata", "app"), p.Lockfile)
			got = append(got, filepath.ToSlash(rel)+":"+itoa(p.Line)+" "+p.Name+"@"+p.Version+" "+v.ID+" "+v.Severity)
		}
	}
	golden := filepath.Join("testdata", "endtoend.golden")
	if *update {
		os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n")+"\n" != string(want) {
		t.Errorf("end-to-end matches differ from %s:\n%s", golden, strings.Join(got, "\n"))
	}
	joined := strings.Join(got, "\n")
	for _, must := range []string{
		"npm3/package-lock.json:24 lodash@4.17.20 GHSA-35jh-r3h4-6jhm high",
		"py/requirements.txt:2 PyYAML@5.3 GHSA-6757-jp84-gxfx critical",
		"maven/pom.xml:11 org.apache.logging.log4j:log4j-core@2.14.1 GHSA-jfh8-c2jp-5v3q critical",
		"gomod/go.mod:7 golang.org/x/net@0.16.0 GO-2023-2102 unknown",
	} {
		if !strings.Contains(joined, must) {
			t.Errorf("missing %q", must)
		}
	}
	if strings.Contains(joined, "urllib3@ ") {
		t.Error("an unpinned requirement was matched")
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

func itoa(n int) string { return strconv.Itoa(n) }

func TestOpenSymlinkedDir(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("testdata", "db"))
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "db-link")
	if err := os.Symlink(abs, link); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	db, err := Open(link)
	if err != nil {
		t.Fatal(err)
	}
	if db.Len() != 18 {
		t.Errorf("loaded %d records through a linked directory, want 18", db.Len())
	}
}

func TestQueryReturnsCopies(t *testing.T) {
	db := openFixture(t)
	p := deps.Package{Ecosystem: "npm", Name: "minimist", Version: "0.0.8"}
	first := db.Query(p)
	first[0].ID = "changed"
	first[1].FixedVersions[0] = "changed"
	second := db.Query(p)
	if second[0].ID == "changed" || second[1].FixedVersions[0] == "changed" {
		t.Error("a caller's change leaked into the memoized result")
	}
}

func TestConcurrentQuery(t *testing.T) {
	db := openFixture(t)
	done := make(chan []string)
	for range 8 {
		go func() {
			done <- ids(db.Query(deps.Package{Ecosystem: "PyPI", Name: "urllib3", Version: "1.24.3"}))
		}()
	}
	for range 8 {
		if got := <-done; len(got) != 3 {
			t.Errorf("got %v", got)
		}
	}
}
