package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestJSONMatchesDocumentedSchema validates the JSON report of the
// insecure example, and of a hostile input, against docs/report.schema.json.
func TestJSONMatchesDocumentedSchema(t *testing.T) {
	url := "https://github.com/faasguard/faasguard/docs/report.schema.json"
	s := compileSchema(t, url, map[string]string{url: filepath.Join("..", "docs", "report.schema.json")})
	validate(t, s, render(t, "json", scanExample(t, "serverless/insecure")))
	validate(t, s, render(t, "json", scanExample(t, "serverless/secure")))
	validate(t, s, render(t, "json", hostileInput(t)))
}

// TestCycloneDXMatchesSchema validates the SBOM against the CycloneDX 1.6
// JSON schema and the schemas it references.
func TestCycloneDXMatchesSchema(t *testing.T) {
	base := "http://cyclonedx.org/schema/"
	dir := filepath.Join("testdata", "schema")
	s := compileSchema(t, base+"bom-1.6.schema.json", map[string]string{
		base + "bom-1.6.schema.json":           filepath.Join(dir, "bom-1.6.SNAPSHOT.schema.json"),
		base + "spdx.SNAPSHOT.schema.json":     filepath.Join(dir, "spdx.SNAPSHOT.schema.json"),
		base + "jsf-0.82.SNAPSHOT.schema.json": filepath.Join(dir, "jsf-0.82.SNAPSHOT.schema.json"),
	})
	out := render(t, "cyclonedx", scanExample(t, "serverless/insecure"))
	validate(t, s, out)
	var bom struct {
		Components []struct {
			Type       string `json:"type"`
			Name       string `json:"name"`
			Components []struct {
				Type, Name, Version string
			} `json:"components"`
		} `json:"components"`
		Dependencies []struct {
			Ref       string   `json:"ref"`
			DependsOn []string `json:"dependsOn"`
		} `json:"dependencies"`
	}
	if err := json.Unmarshal(out, &bom); err != nil {
		t.Fatal(err)
	}
	if len(bom.Components) != 6 {
		t.Errorf("got %d function components, want 6", len(bom.Components))
	}
	for _, c := range bom.Components {
		if c.Type != "application" || len(c.Components) == 0 || c.Components[len(c.Components)-1].Type != "platform" {
			t.Errorf("function %s: %+v", c.Name, c)
		}
	}
	// Hostile input: packages from code analysis, odd names.
	hostile := render(t, "cyclonedx", hostileInput(t))
	validate(t, s, hostile)
	if !bytes.Contains(hostile, []byte(`"purl": "pkg:npm/x@1"`)) {
		t.Error("package of the code root missing from the SBOM")
	}
}

// TestJUnitMatchesJenkinsSchema checks the JUnit report against the
// Jenkins junit-4 XSD (testdata/schema/jenkins-junit.xsd): with xmllint
// when it is installed, and always with a structural check of the rules
// that schema states (elements, order, required attributes, counts).
func TestJUnitMatchesJenkinsSchema(t *testing.T) {
	for name, in := range map[string]func() []byte{
		"insecure": func() []byte { return render(t, "junit", scanExample(t, "serverless/insecure")) },
		"secure":   func() []byte { return render(t, "junit", scanExample(t, "serverless/secure")) },
		"hostile":  func() []byte { return render(t, "junit", hostileInput(t)) },
	} {
		t.Run(name, func(t *testing.T) {
			out := in()
			checkJUnit(t, out)
			if name == "hostile" && !bytes.Contains(out, []byte("<skipped>suppressed: inline")) {
				t.Error("a testcase whose findings are all suppressed is not skipped")
			}
			if name == "insecure" && !bytes.Contains(out, []byte(`<failure message="function receipt has a public function URL with auth type NONE" type="critical">`)) {
				t.Error("the function URL finding is not a failure of its testcase")
			}
			xmllint, err := exec.LookPath("xmllint")
			if err != nil {
				t.Log("xmllint not installed (apt-get install libxml2-utils): XSD validation skipped, structural check done")
				return
			}
			cmd := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "schema", "jenkins-junit.xsd"), "-")
			cmd.Stdin = bytes.NewReader(out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("xmllint: %v\n%s", err, msg)
			}
		})
	}
}

// checkJUnit walks the document and enforces the junit-4 XSD's content
// model: testsuites > testsuite* > (properties?, testcase*, system-out?,
// system-err?); testcase > (skipped?, error*, failure*, ...); required
// name/tests attributes; and that the counts add up.
func checkJUnit(t *testing.T, doc []byte) {
	t.Helper()
	allowed := map[string][]string{
		"":           {"testsuites"},
		"testsuites": {"testsuite"},
		"testsuite":  {"properties", "testcase", "system-out", "system-err"},
		"properties": {"property"},
		"testcase":   {"skipped", "error", "failure", "system-out", "system-err"},
	}
	required := map[string][]string{"testsuite": {"name", "tests"}, "testcase": {"name"}, "property": {"name", "value"}}
	known := map[string][]string{
		"testsuites": {"name", "time", "tests", "failures", "disabled", "errors"},
		"testsuite":  {"name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id", "package"},
		"testcase":   {"name", "assertions", "time", "classname", "status"},
		"failure":    {"type", "message"}, "error": {"type", "message"}, "property": {"name", "value"},
		"properties": {}, "skipped": {}, "system-out": {}, "system-err": {},
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	lastChild := map[int]int{} // depth -> index in allowed order of the last child
	var suiteTests, suiteFailures, cases, failedCases, totalTests, totalFailures int
	var suiteAttrs map[string]string
	var caseFailed bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			order := allowed[parent]
			idx := indexOf(order, x.Name.Local)
			if idx < 0 {
				t.Fatalf("<%s> not allowed in <%s>", x.Name.Local, parent)
			}
			if idx < lastChild[len(stack)] {
				t.Fatalf("<%s> out of order in <%s>", x.Name.Local, parent)
			}
			lastChild[len(stack)] = idx
			attrs := map[string]string{}
			for _, a := range x.Attr {
				if indexOf(known[x.Name.Local], a.Name.Local) < 0 {
					t.Fatalf("<%s> has unknown attribute %s", x.Name.Local, a.Name.Local)
				}
				attrs[a.Name.Local] = a.Value
			}
			for _, r := range required[x.Name.Local] {
				if _, ok := attrs[r]; !ok {
					t.Fatalf("<%s> lacks required attribute %s", x.Name.Local, r)
				}
			}
			switch x.Name.Local {
			case "testsuites":
				totalTests, _ = strconv.Atoi(attrs["tests"])
				totalFailures, _ = strconv.Atoi(attrs["failures"])
			case "testsuite":
				suiteAttrs = attrs
				cases, failedCases = 0, 0
			case "testcase":
				cases++
				caseFailed = false
			case "failure":
				caseFailed = true
			}
			stack = append(stack, x.Name.Local)
			lastChild[len(stack)] = 0
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if x.Name.Local == "testcase" && caseFailed {
				failedCases++
			}
			if x.Name.Local == "testsuite" {
				n, _ := strconv.Atoi(suiteAttrs["tests"])
				if n != cases {
					t.Errorf("testsuite %q says tests=%d, has %d testcases", suiteAttrs["name"], n, cases)
				}
				suiteTests += n
				f, _ := strconv.Atoi(suiteAttrs["failures"])
				if f != failedCases {
					t.Errorf("testsuite %q says failures=%d, has %d failing testcases", suiteAttrs["name"], f, failedCases)
				}
				suiteFailures += f
			}
		}
	}
	if suiteTests != totalTests || suiteFailures != totalFailures {
		t.Errorf("testsuites totals %d/%d, suites add up to %d/%d", totalTests, totalFailures, suiteTests, suiteFailures)
	}
	if totalTests == 0 {
		t.Error("no testcase")
	}
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

// TestSchemasRejectBadOutput makes sure the schema checks can fail: each
// schema must reject a report broken in one place.
func TestSchemasRejectBadOutput(t *testing.T) {
	jsonURL := "https://github.com/faasguard/faasguard/docs/report.schema.json"
	sarifURL := "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"
	cdx := "http://cyclonedx.org/schema/"
	dir := filepath.Join("testdata", "schema")
	in := scanExample(t, "serverless/insecure")
	for _, tc := range []struct {
		name, format, url string
		files             map[string]string
		from, to          string
	}{
		{"json severity", "json", jsonURL, map[string]string{jsonURL: filepath.Join("..", "docs", "report.schema.json")}, `"severity": "high"`, `"severity": "severe"`},
		{"sarif level", "sarif", sarifURL, map[string]string{sarifURL: filepath.Join(dir, "sarif-2.1.0-rtm.5.json")}, `"level": "error"`, `"level": "fatal"`},
		{"cyclonedx type", "cyclonedx", cdx + "bom-1.6.schema.json", map[string]string{
			cdx + "bom-1.6.schema.json":           filepath.Join(dir, "bom-1.6.SNAPSHOT.schema.json"),
			cdx + "spdx.SNAPSHOT.schema.json":     filepath.Join(dir, "spdx.SNAPSHOT.schema.json"),
			cdx + "jsf-0.82.SNAPSHOT.schema.json": filepath.Join(dir, "jsf-0.82.SNAPSHOT.schema.json"),
		}, `"type": "platform"`, `"type": "runtime"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := compileSchema(t, tc.url, tc.files)
			out := render(t, tc.format, in)
			if !bytes.Contains(out, []byte(tc.from)) {
				t.Fatalf("output has no %s", tc.from)
			}
			bad := bytes.Replace(out, []byte(tc.from), []byte(tc.to), 1)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			if s.Validate(inst) == nil {
				t.Errorf("schema accepted %s", tc.to)
			}
		})
	}
}
