// Command genapps writes a synthetic monorepo of serverless applications
// for benchmarks: go run ./tools/genapps -n 1000 -o /tmp/mono
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/faasguard/faasguard/internal/gen"
)

func main() {
	n := flag.Int("n", 1000, "number of applications")
	out := flag.String("o", "", "output directory (created)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genapps: -o DIR is required")
		os.Exit(2)
	}
	files, err := gen.Monorepo(*out, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genapps:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d applications, %d files under %s\n", *n, files, *out)
}
