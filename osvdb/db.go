// Package osvdb is a local, offline database of OSV vulnerability records
// (https://ossf.github.io/osv-schema/) and the matcher that finds the
// records affecting a package version, with each ecosystem's own version
// ordering.
//
// A database directory holds, per ecosystem, the export archive osv.dev
// publishes (<dir>/<Ecosystem>/all.zip, a zip of OSV JSON records) and/or
// plain OSV JSON files anywhere below it. Update fills it from osv.dev.
package osvdb

import (
	"archive/zip"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/faasguard/faasguard/deps"
)

// Bounds applied while loading, against corrupt or hostile archives.
const (
	MaxRecordSize   = 8 << 20  // one OSV JSON record, in bytes
	MaxArchiveTotal = 16 << 30 // uncompressed bytes of all records of one archive
	MaxZipEntries   = 2_000_000
	maxWalkDepth    = 4
)

// Vuln is one OSV record that affects a queried package.
type Vuln struct {
	ID      string
	Aliases []string
	Summary string
	// Severity is critical, high, medium or low, from the record's highest
	// CVSS base score or, lacking one, the severity its database assigned;
	// unknown otherwise.
	Severity string
	// FixedVersions are the fixed versions above the queried version, in
	// the ecosystem's order; empty when no fix is known.
	FixedVersions []string
	References    []string
}

// DB is an in-memory index of OSV records. It is safe for concurrent
// queries once opened.
type DB struct {
	dir     string
	vulns   map[string]*vulnInfo   // by record ID
	index   map[string][]indexItem // by ecosystem + "\x00" + normalized name
	counts  map[string]int         // records per ecosystem
	sources []string
	// cache memoizes Query by ecosystem, name and version: the functions
	// of one app share most of their dependency versions.
	cache sync.Map
}

type vulnInfo struct {
	id         string
	modified   string
	aliases    []string
	summary    string
	severity   string
	references []string
	keys       []string // index keys holding this record
}

type indexItem struct {
	vuln *vulnInfo
	aff  *affected
	m    *matcher // parsed versions of aff, built on first query
}

func key(ecosystem, name string) string {
	return ecosystem + "\x00" + normalizeName(ecosystem, name)
}

// Open loads every OSV record under dir: <Ecosystem>/all.zip archives and
// *.json files (a record, or an array of records), at most a few levels
// deep. Withdrawn records are left out. A record that does not parse is an
// error naming its file (and archive entry), since Update only installs
// verified archives.
func Open(dir string) (*DB, error) { return OpenFor(dir, nil) }

// OpenFor is Open restricted to the given ecosystems (nil means all):
// other ecosystems' archives are not read, which keeps memory and start-up
// time proportional to what a scan needs.
func OpenFor(dir string, ecosystems []string) (*DB, error) {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("osvdb: no database at %s (run `faasguard db update`, or pass a directory of OSV JSON files)", dir)
		}
		return nil, fmt.Errorf("osvdb: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("osvdb: %s is not a directory", dir)
	}
	// The directory itself may be a link (a shared cache); links below it
	// are not followed.
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		dir = resolved
	}
	db := &DB{dir: dir, vulns: map[string]*vulnInfo{}, index: map[string][]indexItem{}, counts: map[string]int{}}
	want := func(eco string) bool { return ecosystems == nil || slices.Contains(ecosystems, eco) }
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("osvdb: %w", err)
		}
		rel, _ := filepath.Rel(dir, p)
		depth := strings.Count(filepath.ToSlash(rel), "/")
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if depth >= maxWalkDepth || strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			// A top-level directory named after an ecosystem holds only it.
			if depth == 0 && isEcosystemDir(d.Name()) && !want(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || rel == ManifestName {
			return nil // symbolic links are not followed
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".zip":
			return db.loadZip(p, want)
		case ".json":
			return db.loadJSONFile(p, want)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db, nil
}

// isEcosystemDir reports whether a directory name looks like an OSV
// ecosystem (as in the osv.dev export layout) rather than a grouping
// directory of the user's own.
func isEcosystemDir(name string) bool {
	_, ok := knownEcosystems[strings.SplitN(name, ":", 2)[0]]
	return ok
}

var knownEcosystems = map[string]bool{
	"npm": true, "PyPI": true, "Go": true, "Maven": true, "Packagist": true, "RubyGems": true,
	"crates.io": true, "NuGet": true, "Hex": true, "Pub": true, "Hackage": true, "CRAN": true,
	"SwiftURL": true, "GHC": true, "Julia": true, "ConanCenter": true, "Bioconductor": true,
	"Alpine": true, "Debian": true, "Ubuntu": true, "GIT": true, "OSS-Fuzz": true, "Linux": true,
}

func (db *DB) loadZip(path string, want func(string) bool) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("osvdb: %s: not a readable zip archive: %w", path, err)
	}
	defer zr.Close()
	if len(zr.File) > MaxZipEntries {
		return fmt.Errorf("osvdb: %s: %d entries is over the %d-entry limit", path, len(zr.File), MaxZipEntries)
	}
	err = forEachZipRecord(&zr.Reader, func(name string, r *record) error {
		db.add(r, want, path+":"+name)
		return nil
	})
	if err != nil {
		return fmt.Errorf("osvdb: %s: %w", path, err)
	}
	db.sources = append(db.sources, path)
	return nil
}

// forEachZipRecord parses every JSON entry of an OSV export archive,
// bounding each entry and the total by what is actually read (the sizes
// in the zip directory can lie).
func forEachZipRecord(zr *zip.Reader, fn func(name string, r *record) error) error {
	var total int64
	buf := make([]byte, 0, 64<<10)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(f.Name), ".json") {
			continue
		}
		if f.UncompressedSize64 > MaxRecordSize {
			return fmt.Errorf("entry %s: %d bytes is over the %d-byte record limit", f.Name, f.UncompressedSize64, MaxRecordSize)
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("entry %s: %w", f.Name, err)
		}
		buf, err = readBounded(rc, buf[:0], MaxRecordSize)
		rc.Close()
		if err != nil {
			return fmt.Errorf("entry %s: %w", f.Name, err)
		}
		total += int64(len(buf))
		if total > MaxArchiveTotal {
			return fmt.Errorf("over the %d-byte uncompressed limit at entry %s", int64(MaxArchiveTotal), f.Name)
		}
		r, err := parseRecord(buf)
		if err != nil {
			return fmt.Errorf("entry %s: %w", f.Name, err)
		}
		if err := fn(f.Name, r); err != nil {
			return err
		}
	}
	return nil
}

// readBounded appends all of r to buf, failing past limit bytes.
func readBounded(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, fmt.Errorf("over the %d-byte record limit", limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (db *DB) loadJSONFile(path string, want func(string) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("osvdb: %w", err)
	}
	defer f.Close()
	// An array of records may hold many; allow it the archive bound.
	b, err := readBounded(f, nil, MaxArchiveTotal)
	if err != nil {
		return fmt.Errorf("osvdb: %s: %w", path, err)
	}
	recs, err := parseRecords(b)
	if err != nil {
		return fmt.Errorf("osvdb: %s: %w", path, err)
	}
	for _, r := range recs {
		db.add(r, want, path)
	}
	db.sources = append(db.sources, path)
	return nil
}

// parseRecords accepts one record or a JSON array of records.
func parseRecords(b []byte) ([]*record, error) {
	trimmed := strings.TrimSpace(string(b[:min(len(b), 64)]))
	if !strings.HasPrefix(trimmed, "[") {
		r, err := parseRecord(b)
		if err != nil {
			return nil, err
		}
		return []*record{r}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotRecord, jsonErr(b, err))
	}
	out := make([]*record, 0, len(raws))
	for i, raw := range raws {
		r, err := parseRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// add indexes a record; among records with the same ID the most recently
// modified wins.
func (db *DB) add(r *record, want func(string) bool, source string) {
	if r.Withdrawn != "" {
		return
	}
	if old, ok := db.vulns[r.ID]; ok {
		if cmp.Compare(r.Modified, old.modified) <= 0 {
			return
		}
		db.remove(r.ID)
	}
	v := &vulnInfo{
		id:       r.ID,
		modified: r.Modified,
		aliases:  slices.Clip(r.Aliases),
		summary:  summarize(r),
		severity: recordSeverity(r),
	}
	for _, ref := range r.References {
		if ref.URL != "" {
			v.references = append(v.references, ref.URL)
		}
	}
	indexed := map[string]bool{}
	for i := range r.Affected {
		a := &r.Affected[i]
		eco := a.Package.Ecosystem
		if eco == "" || a.Package.Name == "" || !want(strings.SplitN(eco, ":", 2)[0]) {
			continue
		}
		// Keep only what matching needs.
		a.Severity, a.EcosystemSpecific, a.DatabaseSpecific = nil, nil, nil
		k := key(eco, a.Package.Name)
		db.index[k] = append(db.index[k], indexItem{vuln: v, aff: a, m: new(matcher)})
		if !slices.Contains(v.keys, k) {
			v.keys = append(v.keys, k)
		}
		if !indexed[eco] {
			db.counts[eco]++
			indexed[eco] = true
		}
	}
	if len(indexed) > 0 {
		db.vulns[r.ID] = v
	}
}

func (db *DB) remove(id string) {
	old := db.vulns[id]
	delete(db.vulns, id)
	counted := map[string]bool{}
	for _, k := range old.keys {
		db.index[k] = slices.DeleteFunc(db.index[k], func(it indexItem) bool { return it.vuln == old })
		if eco, _, _ := strings.Cut(k, "\x00"); !counted[eco] {
			db.counts[eco]--
			counted[eco] = true
		}
	}
}

func summarize(r *record) string {
	if s := strings.TrimSpace(r.Summary); s != "" {
		return s
	}
	s, _, _ := strings.Cut(strings.TrimSpace(r.Details), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Query returns the records that affect pkg's version, sorted by ID. A
// package without a version matches nothing: the version it would install
// is unknown. Results are memoized; each call returns its own copy.
func (db *DB) Query(pkg deps.Package) []Vuln {
	if pkg.Version == "" {
		return nil
	}
	ck := pkg.Ecosystem + "\x00" + pkg.Name + "\x00" + pkg.Version
	if v, ok := db.cache.Load(ck); ok {
		return cloneVulns(v.([]Vuln))
	}
	out := db.query(pkg)
	db.cache.Store(ck, out)
	return cloneVulns(out)
}

func (db *DB) query(pkg deps.Package) []Vuln {
	items := db.index[key(pkg.Ecosystem, pkg.Name)]
	byID := map[string]*Vuln{}
	for _, it := range items {
		if it.aff.Package.Ecosystem != pkg.Ecosystem {
			continue
		}
		hit, fixes := it.m.affects(it.aff, pkg.Ecosystem, pkg.Version)
		if !hit {
			continue
		}
		v, ok := byID[it.vuln.id]
		if !ok {
			v = &Vuln{
				ID:         it.vuln.id,
				Aliases:    it.vuln.aliases,
				Summary:    it.vuln.summary,
				Severity:   it.vuln.severity,
				References: it.vuln.references,
			}
			byID[v.ID] = v
		}
		v.FixedVersions = append(v.FixedVersions, fixes...)
	}
	out := make([]Vuln, 0, len(byID))
	for _, v := range byID {
		v.FixedVersions = sortVersions(pkg.Ecosystem, v.FixedVersions)
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b Vuln) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func cloneVulns(vs []Vuln) []Vuln {
	out := slices.Clone(vs)
	for i := range out {
		out[i].Aliases = slices.Clone(out[i].Aliases)
		out[i].FixedVersions = slices.Clone(out[i].FixedVersions)
		out[i].References = slices.Clone(out[i].References)
	}
	return out
}

// Len returns the number of records loaded.
func (db *DB) Len() int { return len(db.vulns) }

// Counts returns the number of records per ecosystem.
func (db *DB) Counts() map[string]int {
	out := make(map[string]int, len(db.counts))
	for k, v := range db.counts {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}

// Sources returns the archives and files the records were read from.
func (db *DB) Sources() []string { return slices.Clone(db.sources) }
