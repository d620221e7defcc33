package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	_ "github.com/faasguard/faasguard/internal/all"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/report"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/scan"
)

// scanExample scans one of the repository's examples at a fixed date.
func scanExample(t testing.TB, dir string) report.Input {
	t.Helper()
	opts := scan.Options{Analyze: true}
	opts.Rules.Now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	res, err := scan.Run(context.Background(), filepath.Join("..", "examples", dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 && dir == "serverless/insecure" {
		t.Fatal("the insecure example yields no finding")
	}
	return report.Input{Results: []*scan.Result{res}, Version: "test"}
}

func render(t testing.TB, format string, in report.Input) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, format, in); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

// compileSchema compiles a JSON schema from files: the first is the schema,
// the others the documents it references, each under the URL given; no
// other URL is ever fetched.
func compileSchema(t testing.TB, main string, files map[string]string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(noLoader{})
	for url, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	s, err := c.Compile(main)
	if err != nil {
		t.Fatalf("compile %s: %v", main, err)
	}
	return s
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, os.ErrNotExist
}

func validate(t testing.TB, s *jsonschema.Schema, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("output does not match its schema: %v", err)
	}
}

// Payloads that would run script if a report put them into HTML unescaped.
var payloads = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `</script>`, `'-alert(1)-'`, "</SCRIPT >\u2028"}

// hostileInput is a scan result whose every name comes from a hostile repo:
// the app, function, resource and file names, messages and the code.
func hostileInput(t testing.TB) report.Input {
	t.Helper()
	root := t.TempDir()
	file := `x"><img src=x onerror=alert(1)>/<script>alert(1)<` + "\\" + `script>.yml`
	abs := filepath.Join(root, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		t.Fatal(err)
	}
	code := "functions:\n  f:\n    handler: </script><script>alert(1)</script>\n    runtime: \"><img src=x onerror=alert(1)>\n"
	if err := os.WriteFile(abs, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	p := model.Pos{File: file, Line: 3, Col: 5}
	name := payloads[0] + payloads[1] + payloads[2]
	fn := &model.Function{ID: name, Pos: p, Runtime: model.K(payloads[1], p), Handler: model.K(payloads[2], p),
		Layers: []model.Str{model.K(payloads[0], p)},
		Triggers: []*model.Trigger{{Kind: model.TriggerHTTP, Type: payloads[1], Pos: p, Method: model.K(payloads[0], p),
			Path: model.K(payloads[2], p), Public: model.K(true, p), Auth: model.K(model.AuthNone, p)}},
		Code: &model.Code{Packages: []model.Package{{Name: payloads[0], Version: payloads[1], Ecosystem: "npm", PURL: "pkg:npm/x@1"}}}}
	role := &model.Role{ID: payloads[1], Name: model.K(payloads[0], p), Pos: p, Statements: []*model.Statement{{Pos: p,
		Effect: model.K("Allow", p), Actions: []model.Str{model.K("s3:*", p)}, Resources: []model.Str{model.K("arn:aws:s3:::"+payloads[0], p)}}},
		ManagedPolicies: []model.Str{model.K(payloads[1], p)}}
	fn.Role = role
	app := &model.Application{Name: payloads[1] + payloads[3], Format: payloads[2], Provider: model.AWS, File: file,
		Functions: []*model.Function{fn}, Roles: []*model.Role{role}}
	app.Link()
	msg := "message " + payloads[0] + payloads[1] + payloads[2] + payloads[4]
	fs := []rules.Finding{
		{RuleID: "FG-AUTH-001", Severity: rules.High, Family: rules.AUTH, Title: "HTTP endpoint without authentication", Message: msg,
			App: app.Name, Function: fn.ID, Pos: p, Fingerprint: "0123456789abcdef01234567",
			Related: []rules.Related{{Pos: p, Message: payloads[0]}}},
		{RuleID: "FG-IAM-001", Severity: rules.Critical, Family: rules.IAM, Title: "Wildcard IAM action", Message: msg,
			App: app.Name, Resource: role.ID, Pos: p, Fingerprint: "89abcdef0123456789abcdef",
			Suppressed: &rules.Suppression{Kind: "inline", Reason: payloads[1], Pos: p}},
	}
	res := &scan.Result{Root: root, Apps: []*model.Application{app}, Findings: fs,
		Notes: []model.Note{{Level: model.NoteError, Pos: p, Message: payloads[0]}},
		Stats: scan.Stats{Files: 1, Apps: 1, Functions: 1}}
	return report.Input{Results: []*scan.Result{res}, Version: payloads[0]}
}
