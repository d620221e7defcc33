package taint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/code/lang"
)

// genTree writes n handler files, cycling through the fixtures and
// renaming them so that every file is distinct.
func genTree(tb testing.TB, n int) []string {
	tb.Helper()
	fixtures, err := filepath.Glob("testdata/src/*/*")
	if err != nil || len(fixtures) == 0 {
		tb.Fatal("no fixtures")
	}
	dir := tb.TempDir()
	var out []string
	for i := 0; i < n; i++ {
		src, err := os.ReadFile(fixtures[i%len(fixtures)])
		if err != nil {
			tb.Fatal(err)
		}
		// A distinct comment per function keeps files unique.
		ext := filepath.Ext(fixtures[i%len(fixtures)])
		comment := "// "
		if ext == ".py" {
			comment = "# "
		}
		body := string(src) + "\n" + comment + strings.Repeat("x", i%50) + fmt.Sprint(i) + "\n"
		p := filepath.Join(dir, fmt.Sprintf("fn%04d", i), "handler"+ext)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// BenchmarkTree1000 reads and analyses a generated tree of 1,000 handler
// files (JavaScript, TypeScript, Python and Go) per iteration.
func BenchmarkTree1000(b *testing.B) {
	files := genTree(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	findings := 0
	for i := 0; i < b.N; i++ {
		findings = 0
		for _, p := range files {
			src, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			l := lang.FromPath(p)
			res, err := AnalyzeFile(p, src, l, handlerFor[l], Options{})
			if err != nil {
				b.Fatal(err)
			}
			findings += len(res.Findings)
		}
	}
	b.ReportMetric(float64(findings), "findings")
}

// BenchmarkAnalyzeFixtures analyses every fixture from memory (no file
// I/O) per iteration; ns/op divided by the fixture count is the cost of
// one small handler file.
func BenchmarkAnalyzeFixtures(b *testing.B) {
	files, _ := filepath.Glob("testdata/src/*/*")
	srcs := make([][]byte, len(files))
	for i, p := range files {
		var err error
		if srcs[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, p := range files {
			l := lang.FromPath(p)
			if _, err := AnalyzeFile(p, srcs[j], l, handlerFor[l], Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(files)), "files/op")
}
