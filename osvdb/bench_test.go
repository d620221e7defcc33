package osvdb

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/faasguard/faasguard/deps"
)

// syntheticDB indexes n generated records over n/4 package names in npm
// and PyPI, each with two SEMVER/ECOSYSTEM branches and a short versions
// list, roughly the shape of GitHub advisories.
func syntheticDB(n int) *DB {
	db := &DB{vulns: map[string]*vulnInfo{}, index: map[string][]indexItem{}, counts: map[string]int{}}
	all := func(string) bool { return true }
	for i := range n {
		eco, typ := "npm", rangeSemver
		if i%2 == 1 {
			eco, typ = "PyPI", rangeEcosystem
		}
		r := &record{
			ID:       fmt.Sprintf("GHSA-%04d-test", i),
			Modified: "2024-01-01T00:00:00Z",
			Aliases:  []string{fmt.Sprintf("CVE-2024-%05d", i)},
			Summary:  "synthetic advisory",
			Severity: []severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		}
		a := affected{Ranges: []vrange{{Type: typ, Events: []event{
			{Introduced: "0"}, {Fixed: fmt.Sprintf("1.%d.0", i%20)},
			{Introduced: "2.0.0"}, {Fixed: fmt.Sprintf("2.%d.1", i%20)},
		}}}, Versions: []string{"0.9.0", "1.0.0", "1.0.1"}}
		a.Package.Ecosystem, a.Package.Name = eco, fmt.Sprintf("pkg-%d", i%(n/4))
		r.Affected = []affected{a}
		db.add(r, all, "bench")
	}
	return db
}

// BenchmarkQuery1000Packages queries 1,000 packages (a large function's
// dependency tree) against 100,000 records per operation.
func BenchmarkQuery1000Packages(b *testing.B) {
	db := syntheticDB(100_000)
	pkgs := make([]deps.Package, 1000)
	for i := range pkgs {
		eco := "npm"
		if i%2 == 1 {
			eco = "PyPI"
		}
		pkgs[i] = deps.Package{Ecosystem: eco, Name: fmt.Sprintf("pkg-%d", i*7), Version: fmt.Sprintf("1.%d.%d", i%25, i%3)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	for b.Loop() {
		db.cache.Clear() // measure matching, not the memo
		hits = 0
		for _, p := range pkgs {
			hits += len(db.Query(p))
		}
	}
	b.ReportMetric(float64(hits), "vulns/op")
}

// BenchmarkQueryMemoized is the same 1,000 queries answered from the memo,
// as for the second and later functions sharing a dependency tree.
func BenchmarkQueryMemoized(b *testing.B) {
	db := syntheticDB(100_000)
	pkgs := make([]deps.Package, 1000)
	for i := range pkgs {
		pkgs[i] = deps.Package{Ecosystem: "npm", Name: fmt.Sprintf("pkg-%d", i*7), Version: fmt.Sprintf("1.%d.0", i%25)}
	}
	for _, p := range pkgs {
		db.Query(p)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pkgs {
			db.Query(p)
		}
	}
}

// BenchmarkOpenFixture measures loading the fixture database directory.
func BenchmarkOpenFixture(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(filepath.Join("testdata", "db")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenArchive50k loads an export archive of 50,000 generated
// records (about the size of the PyPI export) per operation.
func BenchmarkOpenArchive50k(b *testing.B) {
	files := map[string][]byte{}
	for i := range 50_000 {
		files[fmt.Sprintf("GHSA-%05d.json", i)] = fmt.Appendf(nil, `{"schema_version":"1.6.0","id":"GHSA-%05d","modified":"2024-05-01T00:00:00Z","published":"2023-01-01T00:00:00Z","aliases":["CVE-2023-%05d"],"summary":"Synthetic advisory %d","details":"A long description of the issue, its impact and the workaround, as advisories usually carry. It spans a few sentences so that the record has a realistic size.","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],"affected":[{"package":{"ecosystem":"PyPI","name":"pkg-%d","purl":"pkg:pypi/pkg-%d"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.%d.0"}]}],"versions":["0.1","0.2","0.3","1.0"],"database_specific":{"source":"https://example.org"}}],"references":[{"type":"ADVISORY","url":"https://nvd.nist.gov/vuln/detail/CVE-2023-%05d"},{"type":"PACKAGE","url":"https://pypi.org/project/pkg-%d"}],"database_specific":{"severity":"HIGH","cwe_ids":["CWE-20"]}}`, i, i, i, i%10000, i%10000, i%30, i, i%10000)
	}
	dir := b.TempDir()
	writeZip(b, filepath.Join(dir, "PyPI", "all.zip"), files)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		db, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if db.Len() != 50_000 {
			b.Fatalf("loaded %d records", db.Len())
		}
	}
}
