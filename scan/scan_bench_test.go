package scan_test

import (
	"context"
	"sync"
	"testing"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/internal/gen"
	"github.com/faasguard/faasguard/scan"
)

func BenchmarkScanExample(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := scan.Run(context.Background(), "../examples/serverless/insecure", scan.Options{Analyze: true}); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	monoOnce sync.Once
	monoDir  string
)

// BenchmarkScan1000Apps scans a generated monorepo of 1,000 applications
// (Serverless, SAM and Terraform, with handlers and lockfiles).
func BenchmarkScan1000Apps(b *testing.B) {
	monoOnce.Do(func() {
		monoDir = b.TempDir()
		if _, err := gen.Monorepo(monoDir, 1000); err != nil {
			b.Fatal(err)
		}
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := scan.Run(context.Background(), monoDir, scan.Options{Analyze: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Apps) < 300 {
			b.Fatalf("only %d apps loaded", len(res.Apps))
		}
	}
}
