package report_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/report"
)

// pageData extracts and decodes the JSON data block of an HTML report.
func pageData(t testing.TB, page []byte) map[string]any {
	t.Helper()
	const open = `<script type="application/json" id="fg-data">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatal("no data block")
	}
	rest := page[i+len(open):]
	j := bytes.Index(rest, []byte("</script>"))
	if j < 0 {
		t.Fatal("data block not closed")
	}
	var data map[string]any
	if err := json.Unmarshal(rest[:j], &data); err != nil {
		t.Fatalf("data block is not JSON: %v", err)
	}
	return data
}

// TestHTMLEscapesEverything feeds names, files, messages and code holding
// HTML and script and checks that none of it reaches the page as markup,
// and that the data still round-trips exactly.
func TestHTMLEscapesEverything(t *testing.T) {
	in := hostileInput(t)
	page := render(t, "html", in)
	for _, p := range []string{`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `"><img`, "</SCRIPT", "\u2028"} {
		if bytes.Contains(page, []byte(p)) {
			t.Errorf("page contains %q unescaped", p)
		}
	}
	// The only script elements are the report's own two.
	if n := len(regexp.MustCompile(`(?i)<script`).FindAll(page, -1)); n != 2 {
		t.Errorf("page has %d <script openings, want 2", n)
	}
	if n := len(regexp.MustCompile(`(?i)</script`).FindAll(page, -1)); n != 2 {
		t.Errorf("page has %d </script closings, want 2", n)
	}
	if n := bytes.Count(page, []byte("onerror")); n != 0 {
		// The payload text survives only inside the JSON block, escaped;
		// "onerror=" alone is harmless text, but make sure it sits there.
		data := page[bytes.Index(page, []byte(`id="fg-data"`)):]
		if bytes.Count(data, []byte("onerror")) != n {
			t.Errorf("onerror appears outside the data block")
		}
	}
	data := pageData(t, page)
	fs := data["findings"].([]any)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	f := fs[0].(map[string]any)
	wantMsg := in.Results[0].Findings[0].Message
	if f["message"] != wantMsg || f["function"] != in.Results[0].Findings[0].Function || f["file"] != in.Results[0].Findings[0].Pos.File {
		t.Errorf("data does not round-trip: %v", f)
	}
	snip, _ := f["snippet"].(map[string]any)
	if snip == nil || !strings.Contains(strings.Join(toStrings(snip["lines"]), "\n"), "</script><script>alert(1)</script>") {
		t.Errorf("snippet missing or altered: %v", f["snippet"])
	}
	if s := data["suppressed"].([]any); len(s) != 1 {
		t.Errorf("got %d suppressed, want 1", len(s))
	}
	if !bytes.Contains(page, []byte(`Content-Security-Policy" content="default-src &#39;none&#39;`)) {
		t.Error("no restrictive Content-Security-Policy")
	}
	// The title holds the root's base name, escaped by html/template.
	if bytes.Contains(page, []byte("<title>faasguard report — <")) {
		t.Error("title not escaped")
	}
}

func toStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

// TestHTMLExample checks the example's page: self-contained, every
// finding with its snippet and rule text, the graph laid out.
func TestHTMLExample(t *testing.T) {
	in := scanExample(t, "serverless/insecure")
	page := render(t, "html", in)
	// The page's own markup, style and script: the data block holds the
	// scanned code (which may well call fetch), as inert JSON.
	own := regexp.MustCompile(`(?s)<script type="application/json" id="fg-data">.*?</script>`).ReplaceAll(page, nil)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<(script|img|link|iframe)[^>]+(src|href)=`),
		regexp.MustCompile(`(?i)url\(\s*['"]?(https?:|//)`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)\bfetch\(|XMLHttpRequest|WebSocket\(`),
	} {
		if m := bad.Find(own); m != nil {
			t.Errorf("page is not self-contained: %q", m)
		}
	}
	data := pageData(t, page)
	fs := data["findings"].([]any)
	if len(fs) != len(in.Findings()) {
		t.Errorf("page has %d findings, the scan %d", len(fs), len(in.Findings()))
	}
	ruleText := data["rules"].(map[string]any)
	prev := 5
	order := map[string]int{"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
	for _, x := range fs {
		f := x.(map[string]any)
		if line, _ := f["line"].(float64); line > 0 && f["snippet"] == nil {
			t.Errorf("finding %v at %v:%v has no snippet", f["rule"], f["file"], f["line"])
		}
		r, ok := ruleText[f["rule"].(string)].(map[string]any)
		if !ok || r["rationale"] == "" || r["remediation"] == "" {
			t.Errorf("no rationale/fix for %v", f["rule"])
		}
		if s := order[f["severity"].(string)]; s > prev {
			t.Errorf("findings not worst first")
		} else {
			prev = s
		}
	}
	g := data["graph"].(map[string]any)
	if n := len(g["nodes"].([]any)); n < 10 {
		t.Errorf("graph has %d nodes", n)
	}
	if len(page) > 2<<20 {
		t.Errorf("page is %d bytes", len(page))
	}
}

// FuzzHTMLEscaping renders a report whose names are arbitrary strings: the
// page must keep exactly its own two script elements and the data must
// round-trip.
func FuzzHTMLEscaping(f *testing.F) {
	for _, p := range payloads {
		f.Add(p, p)
	}
	f.Add("\xff\xfe<", "ok")
	f.Fuzz(func(t *testing.T, name, msg string) {
		in := hostileInput(t)
		r := in.Results[0]
		r.Apps[0].Functions[0].ID = name
		r.Findings[0].Function = name
		r.Findings[0].Message = msg
		var b bytes.Buffer
		if err := report.Write(&b, "html", in); err != nil {
			t.Fatal(err)
		}
		page := b.Bytes()
		if n := len(regexp.MustCompile(`(?i)<script`).FindAll(page, -1)); n != 2 {
			t.Fatalf("page has %d <script openings", n)
		}
		if n := len(regexp.MustCompile(`(?i)</script`).FindAll(page, -1)); n != 2 {
			t.Fatalf("page has %d </script closings", n)
		}
		data := pageData(t, page)
		got := data["findings"].([]any)[0].(map[string]any)
		// encoding/json replaces each invalid byte with U+FFFD.
		var want string
		b2, _ := json.Marshal(msg)
		json.Unmarshal(b2, &want)
		if got["message"] != want {
			t.Fatalf("message %q came back as %q", msg, got["message"])
		}
	})
}
