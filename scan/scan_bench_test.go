package scan_test

import (
	"context"
	"testing"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/scan"
)

func BenchmarkScanExample(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := scan.Run(context.Background(), "../examples/serverless/insecure", scan.Options{Analyze: true}); err != nil {
			b.Fatal(err)
		}
	}
}
