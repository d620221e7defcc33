package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/report/inventory"
	"github.com/faasguard/faasguard/rules"
)

// The HTML report is one self-contained file: the stylesheet and the script
// are inlined, the data travels as JSON in a <script type="application/json">
// block that html/template escapes, and a Content-Security-Policy allows
// only the inlined script and style (by hash) and no fetch of any kind, so
// the page works offline and a name from the scanned repository can never
// run as code. The script builds the page with DOM text nodes, never HTML.

//go:embed html
var htmlAssets embed.FS

var (
	htmlTmpl = template.Must(template.New("report.html.tmpl").ParseFS(htmlAssets, "html/report.html.tmpl"))
	htmlCSS  = mustAsset("html/report.css")
	htmlJS   = mustAsset("html/report.js")
)

func mustAsset(name string) string {
	b, err := htmlAssets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// Snippet bounds: lines of context either side of a finding, longest line
// shown, largest file read.
const (
	snippetContext  = 3
	snippetMaxLine  = 240
	snippetMaxBytes = 2 << 20
)

type htmlPage struct {
	Title string
	CSP   string
	CSS   template.CSS
	JS    template.JS
	Data  htmlData
}

type htmlData struct {
	Tool        string               `json:"tool"`
	Version     string               `json:"version"`
	Root        string               `json:"root"`
	Generated   string               `json:"generated"`
	Stats       htmlStats            `json:"stats"`
	Severities  []string             `json:"severities"`
	Families    map[string]string    `json:"families"`
	Findings    []htmlFinding        `json:"findings"`
	Suppressed  []htmlFinding        `json:"suppressed"`
	Rules       map[string]htmlRule  `json:"rules"`
	Notes       []model.Note         `json:"notes"`
	InfoNotes   int                  `json:"infoNotes"`
	Graph       inventory.Graph      `json:"graph"`
	Functions   []inventory.Function `json:"functions"`
	RiskLegends map[string]string    `json:"riskLegends"`
}

type htmlStats struct {
	Files     int   `json:"files"`
	Apps      int   `json:"applications"`
	Functions int   `json:"functions"`
	Millis    int64 `json:"durationMs"`
}

type htmlFinding struct {
	Fingerprint string             `json:"fp"`
	RuleID      string             `json:"rule"`
	Severity    string             `json:"severity"`
	Family      string             `json:"family"`
	Title       string             `json:"title"`
	Message     string             `json:"message"`
	App         string             `json:"app,omitempty"`
	Function    string             `json:"function,omitempty"`
	Resource    string             `json:"resource,omitempty"`
	File        string             `json:"file"`
	Line        int                `json:"line,omitempty"`
	Col         int                `json:"col,omitempty"`
	Snippet     *htmlSnippet       `json:"snippet,omitempty"`
	Related     []rules.Related    `json:"related,omitempty"`
	Suppression *rules.Suppression `json:"suppression,omitempty"`
}

type htmlSnippet struct {
	Start int      `json:"start"`
	Lines []string `json:"lines"`
}

type htmlRule struct {
	Rationale   string   `json:"rationale"`
	Remediation string   `json:"remediation"`
	Refs        []string `json:"refs,omitempty"`
	Docs        []string `json:"docs,omitempty"`
}

var riskLegends = map[string]string{
	inventory.RiskPublic:   "Anyone on the internet can invoke it without authenticating",
	inventory.RiskAdmin:    "Administrator or full-access managed policy",
	inventory.RiskWildcard: "Wildcard actions, or writes on every resource",
	inventory.RiskLoop:     "The function may write to the source that triggers it: a recursive loop",
}

// writeHTML renders the self-contained HTML report.
func writeHTML(w io.Writer, in Input) error {
	data := htmlData{Tool: "faasguard", Version: in.Version, Root: in.Root(), Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		Severities: []string{"critical", "high", "medium", "low", "info"}, Families: map[string]string{},
		Findings: []htmlFinding{}, Suppressed: []htmlFinding{}, Rules: map[string]htmlRule{}, Notes: []model.Note{},
		RiskLegends: riskLegends}
	for f, t := range rules.FamilyTitles {
		data.Families[string(f)] = t
	}
	src := newSources(in)
	conv := func(f rules.Finding) htmlFinding {
		hf := htmlFinding{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Severity: f.Severity.String(), Family: string(f.Family),
			Title: f.Title, Message: f.Message, App: f.App, Function: f.Function, Resource: f.Resource,
			File: f.Pos.File, Line: f.Pos.Line, Col: f.Pos.Col, Related: f.Related, Suppression: f.Suppressed}
		hf.Snippet = src.snippet(f.Pos)
		if _, ok := data.Rules[f.RuleID]; !ok {
			if r, ok := rules.Get(f.RuleID); ok {
				data.Rules[f.RuleID] = ruleInfo(r)
			}
		}
		return hf
	}
	fs := in.Findings()
	// Worst first; the rules' stable order within a severity.
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	for _, f := range fs {
		data.Findings = append(data.Findings, conv(f))
	}
	for _, f := range in.Suppressed() {
		data.Suppressed = append(data.Suppressed, conv(f))
	}
	for _, n := range in.Notes() {
		if n.Level == model.NoteInfo {
			data.InfoNotes++
			continue
		}
		data.Notes = append(data.Notes, n)
	}
	inv := inventory.New()
	for _, r := range in.Results {
		data.Stats.Files += r.Stats.Files
		data.Stats.Apps += r.Stats.Apps
		data.Stats.Functions += r.Stats.Functions
		data.Stats.Millis += r.Stats.Millis
		rel := make([]rules.Finding, 0, len(r.Findings))
		for _, f := range r.Findings {
			rel = append(rel, in.relocate(r, f))
		}
		inv.Add(r.Apps, rel)
	}
	inv.Graph.Layout()
	data.Graph = inv.Graph
	data.Functions = inv.Functions
	title := "faasguard report"
	if root := in.Root(); root != "" {
		title += " — " + filepath.Base(root)
	}
	page := htmlPage{Title: title, CSS: template.CSS(htmlCSS), JS: template.JS(htmlJS), Data: data,
		CSP: "default-src 'none'; img-src data:; style-src " + cspHash(htmlCSS) + "; script-src " + cspHash(htmlJS) +
			"; base-uri 'none'; form-action 'none'"}
	var buf bytes.Buffer
	if err := htmlTmpl.Execute(&buf, page); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func ruleInfo(r *rules.Rule) htmlRule {
	hr := htmlRule{Rationale: r.Rationale, Remediation: r.Remediation, Docs: r.Refs.Docs}
	hr.Refs = append(hr.Refs, r.Refs.CWE...)
	hr.Refs = append(hr.Refs, r.Refs.OWASP...)
	for _, p := range []struct {
		name string
		ids  []string
	}{{"Checkov", r.Refs.Checkov}, {"KICS", r.Refs.KICS}, {"Trivy", r.Refs.Trivy}, {"cfn_nag", r.Refs.CfnNag}} {
		if len(p.ids) > 0 {
			hr.Refs = append(hr.Refs, p.name+": "+strings.Join(p.ids, ", "))
		}
	}
	return hr
}

// sources reads the lines around findings from the scanned files, each
// file once, only inside a scan root and only regular files of bounded size.
type sources struct {
	abs   map[string]string // report path -> absolute path
	lines map[string][]string
}

func newSources(in Input) *sources {
	s := &sources{abs: map[string]string{}, lines: map[string][]string{}}
	for _, r := range in.Results {
		if r.Root == "" {
			continue
		}
		add := func(p model.Pos) {
			if p.File == "" || !filepath.IsLocal(filepath.FromSlash(p.File)) {
				return
			}
			s.abs[in.prefix(r)+p.File] = filepath.Join(r.Root, filepath.FromSlash(p.File))
		}
		for _, f := range r.Findings {
			add(f.Pos)
		}
	}
	return s
}

func (s *sources) snippet(p model.Pos) *htmlSnippet {
	if p.Line <= 0 {
		return nil
	}
	lines, ok := s.lines[p.File]
	if !ok {
		lines = readLines(s.abs[p.File])
		s.lines[p.File] = lines
	}
	if p.Line > len(lines) {
		return nil
	}
	start := max(1, p.Line-snippetContext)
	end := min(len(lines), p.Line+snippetContext)
	return &htmlSnippet{Start: start, Lines: lines[start-1 : end]}
}

// readLines returns a text file's lines, nil when it is missing, not a
// regular file, too large or binary.
func readLines(path string) []string {
	if path == "" {
		return nil
	}
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > snippetMaxBytes {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || bytes.IndexByte(data, 0) >= 0 {
		return nil
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), snippetMaxBytes+1)
	for sc.Scan() {
		line := strings.ToValidUTF8(strings.TrimRight(sc.Text(), "\r"), "\uFFFD")
		line = strings.ReplaceAll(line, "\t", "    ")
		if utf8.RuneCountInString(line) > snippetMaxLine {
			line = string([]rune(line)[:snippetMaxLine]) + " …"
		}
		out = append(out, line)
	}
	return out
}

func init() { Register("html", writeHTML) }
