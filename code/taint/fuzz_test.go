package taint

import (
	"testing"

	"github.com/faasguard/faasguard/code/lang"
)

// fuzzAnalyze checks that arbitrary input never panics and that every
// finding points into the file.
func fuzzAnalyze(f *testing.F, language, symbol string) {
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := AnalyzeFile("fuzz", src, language, symbol, Options{})
		if err != nil {
			return
		}
		lines := 1
		for _, b := range src {
			if b == '\n' {
				lines++
			}
		}
		for _, fd := range res.Findings {
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 {
				t.Fatalf("finding outside the file (%d lines): %+v", lines, fd)
			}
		}
	})
}

func FuzzAnalyzeJS(f *testing.F)     { fuzzAnalyze(f, lang.JavaScript, "handler") }
func FuzzAnalyzePython(f *testing.F) { fuzzAnalyze(f, lang.Python, "lambda_handler") }
func FuzzAnalyzeGo(f *testing.F)     { fuzzAnalyze(f, lang.Go, "main") }
