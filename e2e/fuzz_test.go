package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/report"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

// FuzzScanTree runs a whole in-process scan (every loader, the code
// analysers, the rules, the JSON and SARIF writers) over a tree holding a
// fuzzed serverless.yml and template.yaml next to a handler. A scan must
// finish, never panic (loaders recover panics into "internal error" notes,
// which count as failures here), locate findings only in files of the tree,
// and produce valid JSON and SARIF.
func FuzzScanTree(f *testing.F) {
	f.Add([]byte(validApp), []byte(samTemplate))
	f.Add([]byte("service: x\nprovider: {name: aws}\nfunctions:\n  f: {handler: handler.main, events: [{http: {path: /, method: get}}]}\n"), []byte(""))
	f.Add([]byte("service: ${self:custom.a}\ncustom: {a: '${self:custom.b}', b: '${self:custom.a}'}\n"), []byte("Resources: {}\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"), []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: {Type: 'AWS::Lambda::Function', Properties: {Role: !GetAtt X.Arn, Handler: !Sub '${AWS::Region}'}}\n"))
	f.Add([]byte("service: x\nprovider:\n  name: aws\n  environment: {K: '${env:HOME}', F: '${file(../x.yml):k}'}\n"), []byte("{\"Resources\": {\"F\": {\"Type\": \"AWS::Serverless::Function\", \"Properties\": {\"Events\": {\"A\": {\"Type\": \"Api\"}}}}}}"))
	f.Fuzz(func(t *testing.T, sls, tmpl []byte) {
		if len(sls)+len(tmpl) > 1<<16 {
			return
		}
		dir := t.TempDir()
		for name, data := range map[string][]byte{"serverless.yml": sls, "template.yaml": tmpl, "handler.js": []byte(validHandler), "app.py": []byte("import os\ndef handler(e, c):\n    os.system(e['q'])\n")} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		opts := scan.Options{Analyze: true, DB: filepath.Join(dir, "no-db")}
		// The fuzzing engine has no per-input timeout: a watchdog turns a
		// hang into a failure, so that the input is saved.
		type outcome struct {
			res *scan.Result
			err error
		}
		done := make(chan outcome, 1)
		go func() {
			res, err := scan.Run(ctx, dir, opts)
			done <- outcome{res, err}
		}()
		var res *scan.Result
		select {
		case o := <-done:
			if o.err != nil {
				t.Fatalf("scan.Run: %v", o.err)
			}
			res = o.res
		case <-time.After(scanBound):
			t.Fatalf("scan of %d+%d bytes still running after %v (hang)", len(sls), len(tmpl), scanBound)
		}
		for _, n := range res.Notes {
			if strings.Contains(n.Message, "internal error") || strings.Contains(n.Message, "failed:") {
				t.Errorf("recovered panic: %s: %s", n.Pos, n.Message)
			}
		}
		files := map[string]bool{"": true}
		for _, fl := range []string{"serverless.yml", "template.yaml", "handler.js", "app.py"} {
			files[fl] = true
		}
		for _, fd := range res.Findings {
			if !files[fd.Pos.File] {
				t.Errorf("finding %s located outside the tree's files: %q", fd.RuleID, fd.Pos.File)
			}
		}
		in := report.Input{Results: []*scan.Result{res}, Version: "fuzz", Rules: &rules.Config{}}
		for _, format := range []string{"json", "sarif"} {
			var buf bytes.Buffer
			if err := report.Write(&buf, format, in); err != nil {
				t.Fatalf("%s report: %v", format, err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Errorf("%s report is not valid JSON", format)
			}
		}
	})
}

// scanBound is the longest an in-process scan of a fuzzed tree may take.
const scanBound = 5 * time.Second

const samTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: NONE
`
