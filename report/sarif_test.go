package report_test

import (
	"path/filepath"
	"testing"
)

// TestSARIFMatchesOASISSchema validates the SARIF output against the OASIS
// SARIF 2.1.0 schema (testdata/schema, origin in testdata/README.md).
func TestSARIFMatchesOASISSchema(t *testing.T) {
	url := "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"
	s := compileSchema(t, url, map[string]string{url: filepath.Join("testdata", "schema", "sarif-2.1.0-rtm.5.json")})
	for _, in := range []string{"serverless/insecure", "serverless/secure"} {
		out := render(t, "sarif", scanExample(t, in))
		validate(t, s, out)
	}
	validate(t, s, render(t, "sarif", hostileInput(t)))
}
