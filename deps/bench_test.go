package deps

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genRoots writes n code roots shaped like serverless functions: a
// package-lock.json v3 with 60 packages (one in three roots), a pinned
// requirements.txt with 15 lines (one in three), a go.mod with 10
// requirements (the rest), plus handler sources and a node_modules tree
// that must be skipped.
func genRoots(tb testing.TB, n int) []string {
	tb.Helper()
	base := tb.TempDir()
	roots := make([]string, n)
	for i := range n {
		root := filepath.Join(base, fmt.Sprintf("fn%04d", i))
		roots[i] = root
		files := map[string]string{"src/handler.js": "exports.handler = async (event) => ({ statusCode: 200 });\n"}
		switch i % 3 {
		case 0:
			var pk strings.Builder
			pk.WriteString(`{"name":"fn","lockfileVersion":3,"packages":{"":{"name":"fn","dependencies":{"lodash":"^4"}}`)
			for j := range 60 {
				fmt.Fprintf(&pk, `,"node_modules/pkg%d":{"version":"1.%d.%d","resolved":"https://registry.npmjs.org/pkg%d/-/pkg%d-1.%d.%d.tgz","integrity":"sha512-AAAA"}`, j, j, i%10, j, j, j, i%10)
			}
			pk.WriteString(`,"node_modules/lodash":{"version":"4.17.20"}}}`)
			files["package-lock.json"] = pk.String()
			files["package.json"] = `{"name":"fn","dependencies":{"lodash":"^4"}}`
			files["node_modules/lodash/package.json"] = `{"name":"lodash","version":"4.17.20"}`
			files["node_modules/x/package-lock.json"] = `{"lockfileVersion":3,"packages":{}}`
		case 1:
			var rq strings.Builder
			for j := range 15 {
				fmt.Fprintf(&rq, "package-%d==2.%d.%d\n", j, j, i%7)
			}
			files["requirements.txt"] = rq.String()
		default:
			var gm strings.Builder
			gm.WriteString("module example.com/fn\n\ngo 1.22\n\nrequire (\n")
			for j := range 10 {
				fmt.Fprintf(&gm, "\texample.com/mod%d v1.%d.0\n", j, j)
			}
			gm.WriteString(")\n")
			files["go.mod"] = gm.String()
		}
		for name, content := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return roots
}

// BenchmarkExtract1000Roots extracts 1,000 code roots per operation.
func BenchmarkExtract1000Roots(b *testing.B) {
	roots := genRoots(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	pkgs := 0
	for b.Loop() {
		pkgs = 0
		for _, r := range roots {
			res, err := Extract(r, Options{})
			if err != nil {
				b.Fatal(err)
			}
			pkgs += len(res.Packages)
		}
	}
	b.ReportMetric(float64(pkgs), "packages/op")
}
