package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOutputEscaping: a function named like an HTML script and a path with
// quotes, spaces, a backslash and a newline-free control character come out
// intact in JSON and SARIF (valid JSON), well-formed in JUnit XML, and never
// as live markup in HTML.
func TestOutputEscaping(t *testing.T) {
	t.Parallel()
	const evil = "<script>alert(1)</script>"
	dir := t.TempDir()
	// "it's a \"quoted\" dir" holds the app; its function is the script tag.
	sub := `it's a "quoted" <b>dir</b> & more`
	app := strings.Replace(validApp, "  api:", "  \""+strings.ReplaceAll(evil, `"`, `\"`)+"\":", 1)
	app = strings.Replace(app, "service: neighbour", "service: \"svc\\\" onload=\\\"alert(2)\"", 1)
	writeTree(t, dir, map[string]string{
		filepath.ToSlash(filepath.Join(sub, "serverless.yml")): app,
		filepath.ToSlash(filepath.Join(sub, "handler.js")):     validHandler,
	})
	file := sub + "/serverless.yml"

	_, rep := scanJSON(t, dir, bounds{})
	found := false
	for _, f := range rep.Findings {
		if f.RuleID == "FG-AUTH-001" && f.Function == evil && f.Location.File == file {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON: no FG-AUTH-001 for function %q in %q; findings %v", evil, file, rep.Findings)
	}

	formats := registeredFormats(t)
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			r := execScan(t, invocation{Args: []string{"scan", dir, "--no-config", "--format", format}})
			if r.Code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", r.Code, clip(r.Stderr))
			}
			out := r.Stdout
			switch format {
			case "json", "sarif", "cyclonedx":
				var v any
				if err := json.Unmarshal(out, &v); err != nil {
					t.Fatalf("not valid JSON: %v", err)
				}
				if format == "cyclonedx" {
					return // an inventory: need not name the function
				}
				if !jsonHasString(v, func(s string) bool { return strings.Contains(s, evil) }) {
					t.Errorf("the function name %q is not in any decoded string", evil)
				}
				if format == "sarif" {
					checkSARIFURIs(t, v, file)
				} else if !jsonHasString(v, func(s string) bool { return s == file }) {
					t.Errorf("the path %q is not in any decoded string", file)
				}
			case "junit":
				dec := xml.NewDecoder(bytes.NewReader(out))
				for {
					_, err := dec.Token()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("not well-formed XML: %v", err)
					}
				}
				if bytes.Contains(out, []byte(evil)) {
					t.Errorf("raw %q in XML", evil)
				}
			case "html":
				if bytes.Contains(out, []byte("<script>alert(1)")) {
					i := bytes.Index(out, []byte("<script>alert(1)"))
					t.Errorf("raw <script>alert(1) in HTML: ...%s...", out[max(0, i-200):min(len(out), i+100)])
				}
				if bytes.Contains(out, []byte(`onload="alert(2)`)) {
					t.Errorf(`raw onload="alert(2) in HTML: an attribute escaped its quotes`)
				}
				if !bytes.Contains(out, []byte("&lt;script&gt;alert(1)")) && !bytes.Contains(out, []byte(`\u003cscript\u003ealert(1)`)) {
					t.Errorf("HTML report does not show the function name in escaped form")
				}
			case "table":
				if !bytes.Contains(out, []byte(evil)) {
					t.Errorf("table does not show the function name as written")
				}
			}
		})
	}
}

// registeredFormats returns the formats scan -h lists.
func registeredFormats(t testing.TB) []string {
	t.Helper()
	r := execScan(t, invocation{Args: []string{"scan", "-h"}})
	m := regexp.MustCompile(`output format: ([a-z0-9, -]+)`).FindSubmatch(append(r.Stdout, r.Stderr...))
	if m == nil {
		t.Fatalf("scan -h lists no formats:\n%s%s", r.Stdout, r.Stderr)
	}
	var out []string
	for _, f := range strings.Split(string(m[1]), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// jsonHasString reports whether any string in a decoded JSON value
// satisfies ok.
func jsonHasString(v any, ok func(string) bool) bool {
	switch v := v.(type) {
	case string:
		return ok(v)
	case []any:
		for _, e := range v {
			if jsonHasString(e, ok) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if ok(k) || jsonHasString(e, ok) {
				return true
			}
		}
	}
	return false
}

// checkSARIFURIs checks that every artifactLocation.uri is a valid URI
// reference (spaces, quotes and angle brackets percent-encoded) and that one
// of them decodes to file.
func checkSARIFURIs(t testing.TB, v any, file string) {
	t.Helper()
	found := false
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			if loc, ok := v["artifactLocation"].(map[string]any); ok {
				if uri, ok := loc["uri"].(string); ok && strings.ContainsAny(uri, " \"<>\\") {
					t.Errorf("SARIF artifactLocation.uri %q is not a valid URI reference (RFC 3986: percent-encode it)", uri)
				} else if p, err := url.PathUnescape(uri); ok && err == nil && p == file {
					found = true
				}
			}
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	if !found {
		t.Errorf("no SARIF artifactLocation.uri decodes to %q", file)
	}
}
