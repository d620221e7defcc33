package policy

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// report is the analysis of one policy in a stable text form.
func report(c *catalog.Catalog, p Policy) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "statements: %d\n", len(p.Statements))
	fmt.Fprintf(&b, "admin-equivalent: %v\n", IsAdminEquivalent(p))
	b.WriteString("findings:\n")
	for _, f := range Classify(c, p) {
		fmt.Fprintf(&b, "  - %s %s stmt=%d sid=%q line=%d pattern=%q actions=%d worst=%q\n    %s\n",
			f.Severity, f.Kind, f.Statement, f.Sid, f.Line, f.Pattern, f.Actions, f.WorstLevel, f.Message)
		if len(f.Examples) > 0 {
			fmt.Fprintf(&b, "    examples: %s\n", strings.Join(f.Examples, ", "))
		}
	}
	b.WriteString("escalations:\n")
	for _, e := range Escalations(p) {
		fmt.Fprintf(&b, "  - %s %s\n", e.Severity, e)
		for _, l := range e.Chain {
			fmt.Fprintf(&b, "    %s via statement %d line %d on %s wildcard=%v\n", l.Action, l.Statement, l.Line, strings.Join(l.Resources, ","), l.ThroughWildcard)
		}
	}
	grants := EffectivePermissions(c, p)
	levels := map[catalog.AccessLevel]int{}
	wild := 0
	for _, g := range grants {
		levels[g.Action.AccessLevel]++
		if g.ThroughWildcard {
			wild++
		}
	}
	fmt.Fprintf(&b, "effective: %d actions (%d through wildcards)", len(grants), wild)
	for l := catalog.Unknown; l <= catalog.PermissionsManagement; l++ {
		if levels[l] > 0 {
			fmt.Fprintf(&b, ", %s %d", l, levels[l])
		}
	}
	b.WriteString("\n")
	if len(grants) <= 20 {
		for _, g := range grants {
			fmt.Fprintf(&b, "  %s [%s] on %s via %v wildcard=%v conditional=%v denied-by=%v\n",
				g.Action, g.Action.AccessLevel, strings.Join(g.Resources, ","), g.Statements, g.ThroughWildcard, g.Conditional, g.DeniedBy)
		}
	}
	return b.Bytes()
}

func TestGoldenAnalysis(t *testing.T) {
	c := catalog.Load()
	files, err := filepath.Glob("testdata/policies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test policies: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(f, ".json")+".golden", report(c, p))
			for _, format := range Formats() {
				out, err := Render(p, format)
				if err != nil {
					t.Fatal(err)
				}
				name := strings.TrimSuffix(filepath.Base(f), ".json") + "." + format
				checkGolden(t, filepath.Join("testdata", "render", name), out)
			}
		})
	}
}

// TestRenderJSONRoundTrip checks that rendered JSON is a policy document
// that parses back to the same statements.
func TestRenderJSONRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/policies/*.json")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		p, err := ParseJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Render(p, FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseJSON(out)
		if err != nil {
			t.Fatalf("%s: rendered JSON does not parse: %v\n%s", f, err, out)
		}
		if q.Version != "2012-10-17" || len(q.Statements) != len(p.Statements) {
			t.Fatalf("%s: round trip changed the policy", f)
		}
		for i := range p.Statements {
			a, b := p.Statements[i], q.Statements[i]
			a.Line, b.Line = 0, 0
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s: statement %d:\n%v\n%v", f, i, a, b)
			}
		}
	}
}
