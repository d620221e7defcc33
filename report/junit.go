package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// JUnit XML in the shape CI servers read (the Jenkins junit-4 schema):
// one testsuite per application, one testcase per enabled rule and
// function, a failure per finding. A finding without a function fails the
// rule's "(application)" testcase; suppressed findings make a testcase
// skipped, with the reason.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string         `xml:"name,attr"`
	Tests      int            `xml:"tests,attr"`
	Failures   int            `xml:"failures,attr"`
	Errors     int            `xml:"errors,attr"`
	Skipped    int            `xml:"skipped,attr"`
	Time       string         `xml:"time,attr"`
	ID         int            `xml:"id,attr"`
	Package    string         `xml:"package,attr,omitempty"`
	Properties *junitProps    `xml:"properties,omitempty"`
	Cases      []junitCase    `xml:"testcase"`
	SystemErr  *junitCharData `xml:"system-err,omitempty"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Skipped   *junitCharData `xml:"skipped,omitempty"`
	Failures  []junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitCharData struct {
	Text string `xml:",chardata"`
}

// xmlText drops the characters XML 1.0 cannot carry, which encoding/xml
// would otherwise replace or reject: names from the scanned repo may hold
// any byte.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func writeJUnit(w io.Writer, in Input) error {
	cfg := rules.Config{}
	if in.Rules != nil {
		cfg = *in.Rules
	}
	var enabled []*rules.Rule
	for _, r := range rules.All() {
		if cfg.Enabled(r) {
			enabled = append(enabled, r)
		}
	}
	out := junitSuites{Name: "faasguard"}
	var ms int64
	for _, res := range in.Results {
		ms += res.Stats.Millis
		fs := make([]rules.Finding, 0, len(res.Findings))
		for _, f := range res.Findings {
			if f.Severity >= in.MinSeverity {
				fs = append(fs, in.relocate(res, f))
			}
		}
		for _, app := range res.Apps {
			s := junitApp(app, enabled, fs, len(out.Suites))
			for _, n := range app.Notes {
				if n.Level == model.NoteError {
					if s.SystemErr == nil {
						s.SystemErr = &junitCharData{}
					}
					s.SystemErr.Text += xmlText(fmt.Sprintf("%s: %s\n", n.Pos, n.Message))
				}
			}
			out.Suites = append(out.Suites, s)
			out.Tests += s.Tests
			out.Failures += s.Failures
		}
	}
	out.Time = seconds(ms)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

func junitApp(app *model.Application, enabled []*rules.Rule, fs []rules.Finding, id int) junitSuite {
	s := junitSuite{Name: xmlText(app.Name), ID: id, Package: xmlText(app.File), Time: "0",
		Properties: &junitProps{Props: []junitProp{{"format", xmlText(app.Format)}, {"provider", string(app.Provider)}}}}
	type key struct{ rule, fn string }
	byKey := map[key][]rules.Finding{}
	for _, f := range fs {
		if f.App == app.Name {
			byKey[key{f.RuleID, f.Function}] = append(byKey[key{f.RuleID, f.Function}], f)
		}
	}
	subjects := make([]string, 0, len(app.Functions)+1)
	for _, fn := range app.Functions {
		subjects = append(subjects, fn.ID)
	}
	for _, r := range enabled {
		subs := subjects
		if len(byKey[key{r.ID, ""}]) > 0 || len(subs) == 0 {
			subs = append(subs[:len(subs):len(subs)], "")
		}
		for _, fn := range subs {
			name, class := r.ID+" "+fn, app.Name+"."+fn
			if fn == "" {
				name, class = r.ID+" (application)", app.Name
			}
			c := junitCase{Name: xmlText(name + ": " + r.Title), Classname: xmlText(class), Time: "0"}
			var supp []string
			for _, f := range byKey[key{r.ID, fn}] {
				if f.Suppressed != nil {
					supp = append(supp, fmt.Sprintf("%s (%s): %s", f.Suppressed.Kind, f.Pos, f.Suppressed.Reason))
					continue
				}
				c.Failures = append(c.Failures, junitFailure{Message: xmlText(f.Message), Type: f.Severity.String(),
					Text: xmlText(fmt.Sprintf("%s %s [%s]\n%s\nat %s\n\nFix: %s\n", f.RuleID, f.Title, f.Severity, f.Message, f.Pos, r.Remediation))})
			}
			if len(c.Failures) == 0 && len(supp) > 0 {
				c.Skipped = &junitCharData{Text: xmlText("suppressed: " + strings.Join(supp, "; "))}
				s.Skipped++
			}
			if len(c.Failures) > 0 {
				s.Failures++
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
	}
	return s
}

func init() { Register("junit", writeJUnit) }
