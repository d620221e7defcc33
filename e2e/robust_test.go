package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// brokenCase is one piece of bad input placed next to a valid app.
type brokenCase struct {
	name string
	// write puts the bad input under dir.
	write func(t testing.TB, dir string)
	// file is the root-relative file a note must name ("" for none).
	file string
	// line, when set, requires the note to carry a line number.
	line bool
	// noteHas, when set, must appear (case-insensitively) in that note.
	noteHas string
	bounds  bounds
	// probe, when set, says whether the format is loaded by this binary at
	// all; a format that is not is skipped as a bug of the build.
	probe string
}

func TestBrokenInput(t *testing.T) {
	t.Parallel()
	cases := []brokenCase{
		{name: "malformed serverless.yml", file: "bad/serverless.yml", line: true, noteHas: "not parsed",
			write: files(map[string]string{"bad/serverless.yml": "service: bad\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h.main\n   events: [\n"})},
		{name: "malformed serverless.json", file: "bad/serverless.json", line: true, noteHas: "not parsed",
			write: files(map[string]string{"bad/serverless.json": "{\n  \"service\": \"bad\",\n  \"provider\": {\"name\": \"aws\",,}\n}\n"})},
		{name: "serverless.yml not a mapping", file: "bad/serverless.yml", noteHas: "mapping",
			write: files(map[string]string{"bad/serverless.yml": "- just\n- a list\n"})},
		{name: "malformed template.yaml", file: "sam/template.yaml", line: true, noteHas: "not parsed",
			write: files(map[string]string{"sam/template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: app.handler\n      Runtime: [python3.12\n"})},
		{name: "malformed template.json", file: "cfn/template.json", line: true, noteHas: "not parsed",
			write: files(map[string]string{"cfn/template.json": "{\n \"AWSTemplateFormatVersion\": \"2010-09-09\",\n \"Resources\": {\n  \"Fn\": {\"Type\": \"AWS::Lambda::Function\" \"Properties\": {}}\n }\n}\n"})},
		{name: "terraform syntax error", file: "tf/main.tf", line: true, probe: "terraform",
			write: files(map[string]string{"tf/main.tf": "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  runtime = \n  handler = {{\n"})},
		{name: "azure function.json garbage", file: "az/HttpFn/function.json", probe: "azure",
			write: files(map[string]string{"az/host.json": `{"version": "2.0"}`, "az/HttpFn/function.json": "{\"bindings\": [ {\"type\": \"httpTrigger\", \x01\x02 garbage ]"})},
		{name: "alias bomb", file: "bad/serverless.yml", noteHas: "alias", write: files(map[string]string{"bad/serverless.yml": aliasBomb()})},
		{name: "alias bomb template", file: "cfn/template.yaml", noteHas: "alias", write: files(map[string]string{"cfn/template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n" + indent(aliasBomb()) + "Resources:\n  X:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: *l9\n"})},
		{name: "deep flow yaml", file: "bad/serverless.yml", write: files(map[string]string{"bad/serverless.yml": "service: deep\nprovider: {name: aws}\ncustom: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"})},
		{name: "deep block yaml", file: "bad/serverless.yml", write: files(map[string]string{"bad/serverless.yml": "service: deep\nprovider: {name: aws}\ncustom:\n  " + strings.Repeat("- ", 10000) + "x\n"})},
		{name: "deep indented yaml", file: "bad/serverless.yml", write: files(map[string]string{"bad/serverless.yml": deepIndented(2000)})},
		{name: "deep json", file: "bad/serverless.json", write: files(map[string]string{"bad/serverless.json": `{"service": "deep", "provider": {"name": "aws"}, "custom": ` + strings.Repeat(`{"a": `, 10000) + "1" + strings.Repeat("}", 10000) + "}"})},
		{name: "deep json template", file: "cfn/template.json", write: files(map[string]string{"cfn/template.json": `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": ` + strings.Repeat(`[`, 10000) + strings.Repeat("]", 10000) + "}}}"})},
		{name: "50 MB serverless.yml", file: "bad/serverless.yml", noteHas: "limit", write: bigConfig(50 << 20), bounds: bounds{Timeout: 40 * time.Second}},
		{name: "20 MB minified handler", file: "min/handler.js", write: minifiedApp(20 << 20)},
		{name: "8 MB minified handler under the size limit", write: minifiedApp(8 << 20), bounds: bounds{Timeout: 40 * time.Second}},
		{name: "binary serverless.yml", file: "bin/serverless.yml", noteHas: "binary", write: binaryFiles("bin/serverless.yml")},
		{name: "binary handler.js", write: binaryFiles("bin/handler.js", "bin/serverless.yml=service: bin\nprovider: {name: aws, runtime: nodejs18.x}\nfunctions:\n  f:\n    handler: handler.main\n")},
		{name: "invalid UTF-8 config and code", write: files(map[string]string{
			"utf/serverless.yml": "service: utf\xff\xfe\nprovider:\n  name: aws\n  runtime: nodejs18.x\n  environment:\n    K\xc3\x28: \"\xed\xa0\x80 v\"\nfunctions:\n  f\xe2\x82:\n    handler: handler.main\n    events:\n      - http: {path: /\xff, method: get}\n",
			"utf/handler.js":     "exports.main = async (e) => { const s = '\xff\xfe\xc3\x28'; require('child_process').exec(e.body + s); };\n",
		})},
		{name: "variable expansion bomb", file: "bad/serverless.yml", line: true, noteHas: "longer than", write: files(map[string]string{"bad/serverless.yml": varBomb()})},
		{name: "unresolvable variables", file: "vars/serverless.yml", line: true, noteHas: "not supported", write: files(map[string]string{
			"vars/serverless.yml": "service: vars-${opt:nope}\nprovider:\n  name: aws\n  stage: ${sls:stage}\n  region: ${ssm:/region}\n  environment:\n    A: ${cf:stack.out}\n    B: ${s3:bucket/key}\n    C: ${aws:accountId}\n    D: ${plugin-src:x}\n    E: ${self:no.such.key}\n    F: ${file(./missing.yml):k}\n    G: ${param:nope}\n    H: ${env:UNSET_FG_VAR}\n    I: ${\n    J: ${self:provider.${opt:bad}}\nfunctions:\n  f:\n    handler: handler.main\n    role: ${cf:other.Role}\n",
			"vars/handler.js":     validHandler,
		})},
		{name: "unknown top-level keys", file: "", write: files(map[string]string{"odd/serverless.yml": "service: odd\nfrobnicate: {x: [1, 2]}\n42: true\n? [complex, key]\n: v\nprovider: {name: aws}\n"})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.probe != "" {
				if !formatLoaded(t, c.probe) {
					knownBug(t, "the %s loader is not linked into the binary (internal/all/all.go does not import loader/%s), so %s is silently ignored", c.probe, c.probe, c.file)
					return
				}
			}
			dir := t.TempDir()
			addNeighbour(t, dir)
			c.write(t, dir)
			r, rep := scanJSON(t, dir, c.bounds)
			if r.Code != 1 {
				t.Errorf("exit %d, want 1 (the neighbour app has high findings); stderr:\n%s", r.Code, clip(r.Stderr))
			}
			assertNeighbour(t, rep)
			if c.file == "" {
				return
			}
			ns := rep.notesAbout(c.file)
			for _, n := range ns {
				t.Logf("note: %s", clipString(n.String(), 300))
			}
			if len(ns) == 0 {
				t.Fatalf("no note about %s; notes: %v", c.file, rep.Notes)
			}
			ok := false
			for _, n := range ns {
				if (!c.line || n.Location.Line > 0) && strings.Contains(strings.ToLower(n.Message), strings.ToLower(c.noteHas)) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("no note about %s with a line number (%v) saying %q; got %v", c.file, c.line, c.noteHas, ns)
			}
		})
	}
}

// TestNothingScannable checks the documented exit 2 when the only config of
// the tree cannot be parsed, and that the error names file and line.
func TestNothingScannable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"serverless.yml": "service: x\nprovider:\n  name: aws\n   bad: [\n"})
	r := execScan(t, invocation{Args: []string{"scan", dir, "--no-config"}})
	if r.Code != 2 {
		t.Errorf("exit %d, want 2 (nothing could be scanned); stderr:\n%s", r.Code, r.Stderr)
	}
	if !bytes.Contains(r.Stderr, []byte("serverless.yml:")) {
		t.Errorf("stderr does not name serverless.yml with a line:\n%s", r.Stderr)
	}
}

// TestExitCodes checks the documented exit codes on a valid app.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addNeighbour(t, dir)
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"scan", dir, "--no-config"}, 1},
		{[]string{"scan", dir, "--no-config", "--fail-on", "none"}, 0},
		{[]string{"scan", dir, "--no-config", "--format", "no-such-format"}, 2},
		{[]string{"scan", dir, "--no-config", "--no-such-flag"}, 2},
		{[]string{"scan", filepath.Join(dir, "does-not-exist"), "--no-config"}, 2},
	} {
		r := execScan(t, invocation{Args: c.args})
		if r.Code != c.want {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", c.args[2:], r.Code, c.want, clip(r.Stderr))
		}
	}
}

// TestNodeModulesSkipped puts thousands of files with secrets in
// node_modules: they are not listed, not reported, and the scan stays fast.
func TestNodeModulesSkipped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addNeighbour(t, dir)
	secret := "const key = 'AKIAIOSFODNN7EXAMPL" + "Q'; const s = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';\n"
	for i := range 5000 {
		p := filepath.Join(dir, "good", "node_modules", "pkg"+strconv.Itoa(i%100), "lib", "f"+strconv.Itoa(i)+".js")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(secret), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeTree(t, dir, map[string]string{"good/node_modules/evil/serverless.yml": validApp})
	r, rep := scanJSON(t, dir, bounds{Timeout: 15 * time.Second})
	assertNeighbour(t, rep)
	for _, f := range rep.Findings {
		if strings.Contains(f.Location.File, "node_modules/") {
			t.Errorf("finding in node_modules: %+v", f)
		}
	}
	if len(rep.Stats) > 0 && rep.Stats[0].Files > 100 {
		t.Errorf("%d files listed: node_modules was walked", rep.Stats[0].Files)
	}
	if r.Elapsed > 10*time.Second {
		t.Errorf("scan took %v with node_modules", r.Elapsed)
	}
}

func files(m map[string]string) func(testing.TB, string) {
	return func(t testing.TB, dir string) { writeTree(t, dir, m) }
}

// aliasBomb is a "billion laughs" YAML document: nine levels of nine
// aliases each, 9^9 nodes once expanded.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("custom:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		p := "*l" + strconv.Itoa(i-1)
		b.WriteString("  l" + strconv.Itoa(i) + ": &l" + strconv.Itoa(i) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	return "service: bomb\n" + b.String() + "provider:\n  name: aws\n  tags: *l9\n"
}

// deepIndented nests block mappings depth levels deep by indentation.
func deepIndented(depth int) string {
	var b strings.Builder
	b.WriteString("service: deep\nprovider: {name: aws}\ncustom:\n")
	for i := 1; i <= depth; i++ {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", depth+1) + "v\n")
	return b.String()
}

// bigConfig writes a syntactically valid serverless.yml of about size bytes.
func bigConfig(size int) func(testing.TB, string) {
	return func(t testing.TB, dir string) {
		p := filepath.Join(dir, "bad", "serverless.yml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b bytes.Buffer
		b.WriteString("service: big\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n")
		for i := 0; b.Len() < size; i++ {
			b.WriteString("  fn" + strconv.Itoa(i) + ":\n    handler: h.main\n    events:\n      - http: {path: /p" + strconv.Itoa(i) + ", method: get}\n")
		}
		if _, err := f.Write(b.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
}

// minifiedApp writes an app whose handler is one line of minified
// JavaScript of about size bytes, with a taint flow at its end.
func minifiedApp(size int) func(testing.TB, string) {
	return func(t testing.TB, dir string) {
		var b bytes.Buffer
		b.WriteString("var a0=function(x){return x};")
		for i := 1; b.Len() < size-200; i++ {
			b.WriteString("var a" + strconv.Itoa(i) + "=function(x){return a" + strconv.Itoa(i-1) + "(x)+\"" + strconv.Itoa(i) + "\"};")
		}
		b.WriteString("exports.main=async function(e){require('child_process').exec(e.body)};")
		writeTree(t, dir, map[string]string{
			"min/serverless.yml": "service: min\nprovider: {name: aws, runtime: nodejs18.x}\nfunctions:\n  f:\n    handler: handler.main\n",
			"min/handler.js":     b.String(),
		})
	}
}

// binaryFiles writes random binary data (with NUL bytes) to each path;
// "path=content" writes text instead.
func binaryFiles(paths ...string) func(testing.TB, string) {
	return func(t testing.TB, dir string) {
		rng := rand.New(rand.NewPCG(1, 2))
		m := map[string]string{}
		for _, p := range paths {
			if k, v, ok := strings.Cut(p, "="); ok {
				m[k] = v
				continue
			}
			data := make([]byte, 64<<10)
			for i := range data {
				data[i] = byte(rng.UintN(256))
			}
			copy(data, "service: x\n\x00\x00")
			m[p] = string(data)
		}
		writeTree(t, dir, m)
	}
}

// formatLoaded reports whether the binary models a minimal valid app of the
// format ("terraform" or "azure").
func formatLoaded(t testing.TB, format string) bool {
	t.Helper()
	dir := t.TempDir()
	switch format {
	case "terraform":
		writeTree(t, dir, map[string]string{"main.tf": "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  role = \"arn:aws:iam::123456789012:role/r\"\n  handler = \"index.handler\"\n  runtime = \"nodejs18.x\"\n}\n"})
	case "azure":
		writeTree(t, dir, map[string]string{"host.json": `{"version": "2.0"}`, "HttpFn/function.json": `{"bindings":[{"authLevel":"anonymous","type":"httpTrigger","direction":"in","name":"req","methods":["get"]},{"type":"http","direction":"out","name":"res"}]}`})
	default:
		t.Fatalf("unknown format %q", format)
	}
	_, rep := scanJSON(t, dir, bounds{}, "--fail-on", "none")
	return len(rep.Stats) > 0 && rep.Stats[0].Functions > 0
}

// indent indents every line of s by two spaces.
func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// varBomb doubles a string through thirty ${self:} references: 2^30 copies
// if expanded naively.
func varBomb() string {
	var b strings.Builder
	b.WriteString("service: vbomb\ncustom:\n  v0: lollollollollollollollollollollol\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "  v%d: ${self:custom.v%d}${self:custom.v%d}\n", i, i-1, i-1)
	}
	b.WriteString("provider:\n  name: aws\n  stage: ${self:custom.v30}\n")
	return b.String()
}

func clipString(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// TestManyFunctions: a legitimate but large app (3,000 functions, each with
// an SQS trigger, sharing the default role: a 450 KB serverless.yml) scans
// in bounded time. Work that grows with functions × statements must not make
// it crawl.
func TestManyFunctions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("service: many\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n")
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "  f%d:\n    handler: h.main\n    events:\n      - sqs: {arn: 'arn:aws:sqs:us-east-1:123456789012:q%d'}\n", i, i)
	}
	writeTree(t, dir, map[string]string{"serverless.yml": b.String()})
	const bound = 10 * time.Second
	r := execScan(t, invocation{Args: []string{"scan", dir, "--no-config", "--no-code", "--format", "json"}, Bounds: bounds{Timeout: bound}, MayHang: true})
	if r.TimedOut {
		knownBug(t, "%d functions with SQS triggers on the shared role take over %v: rules/exp.go FG-EXP-002 calls loopGrant for every function × every statement of the shared role "+
			"(n² with one generated statement per trigger), and actionMatches (rules/helpers.go) lower-cases both strings on every call; "+
			"select each role's write-capable statements once, outside the function loop, and lower-case actions once", n, bound)
		return
	}
	rep := parseReport(t, r.Stdout)
	if rep.Stats[0].Functions != n {
		t.Errorf("%d functions modelled, want %d", rep.Stats[0].Functions, n)
	}
}
