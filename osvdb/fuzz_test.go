package osvdb

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseRecord checks that any input either fails to parse or yields a
// record that severity rating and matching handle without panicking.
func FuzzParseRecord(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "db", "*", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "1.0.0")
	}
	f.Fuzz(func(t *testing.T, data []byte, version string) {
		r, err := parseRecord(data)
		if err != nil {
			return
		}
		if r.ID == "" {
			t.Fatal("record without id accepted")
		}
		switch recordSeverity(r) {
		case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityUnknown:
		default:
			t.Fatalf("severity %q", recordSeverity(r))
		}
		for i := range r.Affected {
			a := &r.Affected[i]
			a.affects(a.Package.Ecosystem, version)
			a.affects("PyPI", version)
			a.affects("Maven", version)
		}
		db := &DB{vulns: map[string]*vulnInfo{}, index: map[string][]indexItem{}, counts: map[string]int{}}
		db.add(r, func(string) bool { return true }, "fuzz")
	})
}

// FuzzZipArchive feeds arbitrary bytes to the archive reader that Open and
// Update share.
func FuzzZipArchive(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files, _ := filepath.Glob(filepath.Join("testdata", "db", "npm", "*.json"))
	for _, p := range files[:2] {
		b, _ := os.ReadFile(p)
		w, _ := zw.Create(filepath.Base(p))
		w.Write(b)
	}
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if len(zr.File) > 1000 {
			return // keep each run bounded; the entry limit itself is tested elsewhere
		}
		_ = forEachZipRecord(zr, func(string, *record) error { return nil })
	})
}
