package analysis_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/scan"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFunctionCode checks that handlers are resolved and that what the
// analysers find lands on the right function: two handlers in one file
// keep their own SDK calls and taint findings.
func TestFunctionCode(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"serverless.yml": `service: s
provider:
  name: aws
  runtime: nodejs22.x
  environment:
    TABLE: orders
functions:
  create:
    handler: src/h.create
  list:
    handler: src/h.list
  missing:
    handler: src/nope.handler
`,
		"src/h.js": `const { DynamoDBClient, PutItemCommand, ScanCommand } = require('@aws-sdk/client-dynamodb');
const { execSync } = require('child_process');
const db = new DynamoDBClient({});
exports.create = async (event) => {
  const body = JSON.parse(event.body);
  execSync('echo ' + body.name);
  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: {} }));
};
exports.list = async () => {
  return db.send(new ScanCommand({ TableName: process.env.TABLE }));
};
`,
		"package.json":      `{"name":"s","dependencies":{"left-pad":"1.3.0"}}`,
		"package-lock.json": `{"name":"s","lockfileVersion":3,"packages":{"":{"name":"s"},"node_modules/left-pad":{"version":"1.3.0"}}}`,
	})
	res, err := scan.Run(context.Background(), dir, scan.Options{Analyze: true})
	if err != nil {
		t.Fatal(err)
	}
	app := res.Apps[0]
	create, list, missing := app.Function("create"), app.Function("list"), app.Function("missing")
	if create.Code == nil || create.Code.EntryFile != "src/h.js" || create.Code.Symbol != "create" || create.Code.Language != "javascript" {
		t.Fatalf("create not resolved: %+v", create.Code)
	}
	if missing.Code == nil || missing.Code.Unresolved == "" || missing.Code.EntryFile != "" {
		t.Errorf("an unresolvable handler must be recorded as such, not guessed: %+v", missing.Code)
	}
	actions := func(fn *model.Function) []string {
		var out []string
		for _, c := range fn.Code.SDKCalls {
			out = append(out, c.Actions...)
		}
		return out
	}
	if a := actions(create); len(a) != 1 || a[0] != "dynamodb:PutItem" {
		t.Errorf("create's SDK actions = %v, want [dynamodb:PutItem]", a)
	}
	if a := actions(list); len(a) != 1 || a[0] != "dynamodb:Scan" {
		t.Errorf("list's SDK actions = %v, want [dynamodb:Scan]", a)
	}
	if r := create.Code.SDKCalls[0].Resources; len(r) != 1 || r[0].V != "arn:aws:dynamodb:*:*:table/orders" {
		t.Errorf("resource from the TABLE variable = %+v", r)
	}
	kinds := func(fn *model.Function) map[string]int {
		m := map[string]int{}
		for _, f := range fn.Code.Findings {
			m[f.Kind]++
		}
		return m
	}
	if k := kinds(create); k["command-injection"] != 1 {
		t.Errorf("create's findings = %v", k)
	}
	if k := kinds(list); k["command-injection"] != 0 {
		t.Errorf("list must not inherit create's findings: %v", k)
	}
	if len(create.Code.Packages) != 1 || create.Code.Packages[0].PURL != "pkg:npm/left-pad@1.3.0" {
		t.Errorf("packages = %+v", create.Code.Packages)
	}
}
