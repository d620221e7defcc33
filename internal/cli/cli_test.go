package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

const insecure = "../../examples/serverless/insecure"

type jsonOut struct {
	SchemaVersion string `json:"schemaVersion"`
	Findings      []struct {
		RuleID   string `json:"ruleId"`
		Severity string `json:"severity"`
		Location struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"location"`
	} `json:"findings"`
	Suppressed []json.RawMessage `json:"suppressed"`
	Notes      []struct {
		Level    string `json:"level"`
		Message  string `json:"message"`
		Location struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"location"`
	} `json:"notes"`
}

func scanJSON(t *testing.T, args ...string) (int, jsonOut) {
	t.Helper()
	code, out, errs := run(t, append([]string{"scan", "--format", "json", "--no-config"}, args...)...)
	var r jsonOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON (%v): %s\n%s", err, out, errs)
	}
	return code, r
}

func TestExitCodes(t *testing.T) {
	if code, _, _ := run(t, "version"); code != ExitOK {
		t.Errorf("version: exit %d", code)
	}
	if code, _, _ := run(t, "nope"); code != ExitError {
		t.Errorf("unknown command: exit %d", code)
	}
	if code, _ := scanJSON(t, insecure); code != ExitFindings {
		t.Errorf("insecure example: exit %d, want 1", code)
	}
	if code, _ := scanJSON(t, insecure, "--fail-on", "none"); code != ExitOK {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
	if code, _ := scanJSON(t, "../../examples/serverless/secure"); code != ExitOK {
		t.Errorf("secure example: exit %d, want 0", code)
	}
	if code, _, _ := run(t, "scan", "--fail-on", "sometimes", insecure); code != ExitError {
		t.Errorf("bad --fail-on: exit %d", code)
	}
	if code, _, _ := run(t, "scan", "/does/not/exist"); code != ExitError {
		t.Errorf("missing path: exit %d", code)
	}
}

func TestMalformedFileReportedAndOthersScanned(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(good, 0o755)
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(good, "serverless.yml"), []byte("service: g\nprovider:\n  name: aws\n  runtime: nodejs14.x\nfunctions:\n  f:\n    handler: h.h\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "serverless.yml"), []byte("service: b\nprovider:\n  name: aws\nfunctions:\n  f: [unclosed\n"), 0o644)
	code, r := scanJSON(t, dir)
	if code != ExitFindings {
		t.Errorf("exit %d, want 1 (the good app has an EOL runtime)", code)
	}
	found := false
	for _, n := range r.Notes {
		if n.Level == "error" && n.Location.File == "bad/serverless.yml" && n.Location.Line >= 5 {
			found = true
		}
	}
	if !found {
		t.Errorf("no error note with file:line for the malformed file: %+v", r.Notes)
	}
	if len(r.Findings) == 0 {
		t.Error("the good app was not scanned")
	}
	if code, _ := scanJSON(t, bad); code != ExitError {
		t.Errorf("only a malformed file: exit %d, want 2", code)
	}
}

func TestBaselineSurvivesLineMoves(t *testing.T) {
	dir := copyDir(t, insecure)
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, errs := run(t, "scan", "--no-config", dir, "--write-baseline", bl); code != ExitOK {
		t.Fatalf("--write-baseline: exit %d: %s", code, errs)
	}
	cfg := filepath.Join(dir, "serverless.yml")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append([]byte("# moved\n\n\n"), data...), 0o644)
	code, r := scanJSON(t, dir, "--baseline", bl)
	if code != ExitOK || len(r.Findings) != 0 || len(r.Suppressed) == 0 {
		t.Fatalf("after moving lines: exit %d, %d findings, %d suppressed", code, len(r.Findings), len(r.Suppressed))
	}
}

func TestInlineSuppression(t *testing.T) {
	dir := copyDir(t, insecure)
	cfg := filepath.Join(dir, "serverless.yml")
	data, _ := os.ReadFile(cfg)
	s := strings.Replace(string(data), "    url: true", "    url: true # faasguard:ignore FG-EXP-001 reason=\"demo endpoint\"", 1)
	s = strings.Replace(s, "    timeout: 900", "    timeout: 900 # faasguard:ignore FG-LIM-001", 1)
	os.WriteFile(cfg, []byte(s), 0o644)
	_, r := scanJSON(t, dir)
	count := map[string]int{}
	for _, f := range r.Findings {
		count[f.RuleID]++
	}
	if count["FG-EXP-001"] != 0 {
		t.Error("FG-EXP-001 suppressed with a reason is still reported")
	}
	if count["FG-LIM-001"] != 1 || count["FG-ENV-090"] != 1 {
		t.Errorf("a suppression without reason must not apply and must be reported: LIM-001=%d ENV-090=%d", count["FG-LIM-001"], count["FG-ENV-090"])
	}
}

func TestConfigFile(t *testing.T) {
	dir := copyDir(t, insecure)
	os.WriteFile(filepath.Join(dir, ConfigName), []byte("failOn: none\nskip: [FG-SEC]\n"), 0o644)
	code, out, errs := run(t, "scan", "--format", "json", dir)
	if code != ExitOK {
		t.Fatalf("failOn from config not applied: exit %d %s", code, errs)
	}
	if strings.Contains(out, "FG-SEC-001") {
		t.Error("skip from config not applied")
	}
	if code, _, _ := run(t, "scan", dir, "--fail-on", "high"); code != ExitFindings {
		t.Error("a flag must win over the config file")
	}
	os.WriteFile(filepath.Join(dir, ConfigName), []byte("allowEnv: true\n"), 0o644)
	if code, _, errs := run(t, "scan", dir); code != ExitError || !strings.Contains(errs, "allowEnv") {
		t.Errorf("unknown config keys (and allowEnv in a repo config) must be refused: exit %d %s", code, errs)
	}
}

func TestRulesCommands(t *testing.T) {
	code, out, _ := run(t, "rules", "list")
	if code != ExitOK || !strings.Contains(out, "FG-IAM-001") {
		t.Fatalf("rules list: %d %s", code, out)
	}
	code, out, _ = run(t, "rules", "show", "fg-exp-001")
	if code != ExitOK || !strings.Contains(out, "## How to fix") {
		t.Fatalf("rules show: %d %s", code, out)
	}
	if code, _, _ := run(t, "rules", "show", "FG-NOPE-001"); code != ExitError {
		t.Error("unknown rule: want exit 2")
	}
}

func TestOutputFileAndFormats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.sarif")
	if code, _, errs := run(t, "scan", "--no-config", insecure, "--format", "sarif", "--output", out); code != ExitFindings {
		t.Fatalf("exit %d %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.Contains(data, []byte(`"version": "2.1.0"`)) {
		t.Fatalf("SARIF file: %v %.200s", err, data)
	}
	if code, _, _ := run(t, "scan", insecure, "--format", "nope"); code != ExitError {
		t.Error("unknown format: want exit 2")
	}
}

func TestMetadataSuppression(t *testing.T) {
	dir := t.TempDir()
	tpl := `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Metadata": {"faasguard": {"ignore": [{"rule": "FG-SUP-001", "reason": "migration planned for Q1"}, {"rule": "FG-LOG-001"}]}},
      "Properties": {"Runtime": "nodejs14.x", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}}
    }
  }
}`
	os.WriteFile(filepath.Join(dir, "template.json"), []byte(tpl), 0o644)
	_, r := scanJSON(t, dir)
	count := map[string]int{}
	for _, f := range r.Findings {
		count[f.RuleID]++
	}
	if count["FG-SUP-001"] != 0 || len(r.Suppressed) == 0 {
		t.Errorf("Metadata suppression with a reason not applied: %v", count)
	}
	if count["FG-LOG-001"] != 1 || count["FG-ENV-090"] != 1 {
		t.Errorf("Metadata suppression without a reason must not apply and must be reported: %v", count)
	}
}

// TestResourcesSectionMerged: a queue defined in a serverless.yml's
// resources: section is the function's trigger source, and its own
// findings point at its lines in serverless.yml.
func TestResourcesSectionMerged(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(`service: q
provider:
  name: aws
  runtime: nodejs22.x
functions:
  worker:
    handler: h.handler
    events:
      - sqs:
          arn: !GetAtt JobsQueue.Arn
resources:
  Resources:
    JobsQueue:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: jobs
        SqsManagedSseEnabled: false
`), 0o644)
	_, r := scanJSON(t, dir, "--only", "FG-ENC-001")
	if len(r.Findings) != 1 || r.Findings[0].Location.File != "serverless.yml" || r.Findings[0].Location.Line < 13 {
		t.Fatalf("queue encryption finding not at the queue's lines: %+v", r.Findings)
	}
	code, out, _ := run(t, "scan", "--no-config", dir, "--dump-model")
	if code != ExitOK || !strings.Contains(out, "Source: -> JobsQueue") {
		t.Errorf("the sqs event is not linked to the queue of resources:\n%s", out)
	}
}

// TestUnlinkedTriggers: permissions and mappings that name a function the
// template or configuration does not declare are reported; a function
// named by a literal ARN (deployed elsewhere) is not.
func TestUnlinkedTriggers(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(`AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref OldFn
      Principal: s3.amazonaws.com
  External:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: arn:aws:lambda:eu-west-1:123456789012:function:shared
      Principal: s3.amazonaws.com
`), 0o644)
	os.MkdirAll(filepath.Join(dir, "tf"), 0o755)
	os.WriteFile(filepath.Join(dir, "tf", "main.tf"), []byte(`resource "aws_lambda_event_source_mapping" "m" {
  function_name    = aws_lambda_function.gone.arn
  event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:q"
}
`), 0o644)
	_, r := scanJSON(t, dir, "--only", "FG-EXP-005")
	got := map[string]int{}
	for _, f := range r.Findings {
		got[f.Location.File+":"+fmt.Sprint(f.Location.Line)]++
	}
	if len(r.Findings) != 2 || got["template.yaml:7"] != 1 || got["tf/main.tf:2"] != 1 {
		t.Errorf("unlinked findings = %v", got)
	}
}
