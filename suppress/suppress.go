// Package suppress finds faasguard:ignore directives in files and applies
// them, and reads and writes baselines. A suppression must say why:
//
//	# faasguard:ignore FG-AUTH-001 reason="public webhook, HMAC checked in code" until=2027-01-01
//
// A directive applies to findings on its own line, on the line below it,
// and to findings of the function or resource declared on either line.
// Directives without a reason, with a malformed or past date, are not
// applied: FG-ENV-090 reports them.
package suppress

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// Marker is the text that starts a directive.
const Marker = "faasguard:ignore"

var (
	idsRE    = regexp.MustCompile(`^\s*([A-Za-z0-9*?_,\-]+)`)
	reasonRE = regexp.MustCompile(`reason\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')`)
	untilRE  = regexp.MustCompile(`until\s*=\s*"?([0-9A-Za-z\-]+)"?`)
)

// Parse returns the directives in a file's content. It reads comments of
// every format faasguard loads (#, //, /* */): the marker is what counts, so
// a directive in a string is taken too, which is harmless.
func Parse(file string, data []byte, now time.Time) []model.Suppression {
	if !bytes.Contains(data, []byte(Marker)) {
		return nil
	}
	var out []model.Suppression
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		i := strings.Index(text, Marker)
		if i < 0 {
			continue
		}
		out = append(out, parseDirective(model.Pos{File: file, Line: line, Col: i + 1}, text[i+len(Marker):], now))
	}
	return out
}

func parseDirective(pos model.Pos, rest string, now time.Time) model.Suppression {
	s := model.Suppression{Pos: pos}
	m := idsRE.FindStringSubmatch(rest)
	if m == nil || strings.HasPrefix(strings.TrimSpace(rest), "reason") {
		s.Problem = "names no rule (want faasguard:ignore FG-XXX-NNN reason=\"...\")"
		return s
	}
	for _, id := range strings.Split(m[1], ",") {
		if id = strings.ToUpper(strings.TrimSpace(id)); id != "" {
			s.Rules = append(s.Rules, id)
		}
	}
	if r := reasonRE.FindStringSubmatch(rest); r != nil {
		s.Reason = strings.TrimSpace(r[1] + r[2])
	}
	if u := untilRE.FindStringSubmatch(rest); u != nil {
		s.Until = u[1]
	}
	s.Problem = Validate(s, now)
	return s
}

// Validate returns why a directive is not valid, or "".
func Validate(s model.Suppression, now time.Time) string {
	if len(s.Rules) == 0 {
		return "names no rule"
	}
	if s.Reason == "" {
		return "has no reason: write reason=\"...\" to say why the risk is accepted"
	}
	if s.Until != "" {
		t, err := time.Parse("2006-01-02", s.Until)
		if err != nil {
			return fmt.Sprintf("has a malformed date %q (want until=YYYY-MM-DD)", s.Until)
		}
		if !now.Before(t.AddDate(0, 0, 1)) {
			return "expired on " + s.Until
		}
	}
	return ""
}

// matches reports whether a directive covers a rule ID.
func matches(s model.Suppression, ruleID string) bool {
	fam := ""
	if parts := strings.Split(ruleID, "-"); len(parts) == 3 {
		fam = parts[1]
	}
	for _, r := range s.Rules {
		if r == ruleID || r == fam || r == "FG-"+fam || r == "*" {
			return true
		}
		if ok, _ := path.Match(r, ruleID); ok {
			return true
		}
	}
	return false
}

// Apply marks the findings that valid directives cover as suppressed.
// decl returns where a finding's function or resource is declared, so a
// directive on a declaration covers the findings inside it.
func Apply(fs []rules.Finding, ds []model.Suppression, decl func(rules.Finding) model.Pos) {
	if len(ds) == 0 {
		return
	}
	byFile := map[string][]model.Suppression{}
	var bySubject []model.Suppression
	for _, d := range ds {
		if d.Problem != "" {
			continue
		}
		if d.Subject != "" {
			bySubject = append(bySubject, d)
			continue
		}
		byFile[d.Pos.File] = append(byFile[d.Pos.File], d)
	}
	for i := range fs {
		f := &fs[i]
		if f.Suppressed != nil {
			continue
		}
		for _, d := range bySubject {
			if (d.Subject == f.Function || d.Subject == f.Resource) && matches(d, f.RuleID) {
				f.Suppressed = &rules.Suppression{Kind: "metadata", Reason: d.Reason, Until: d.Until, Pos: d.Pos}
				break
			}
		}
		if f.Suppressed != nil {
			continue
		}
		dp := decl(*f)
		cands := byFile[f.Pos.File]
		if dp.File != "" && dp.File != f.Pos.File {
			cands = append(cands[:len(cands):len(cands)], byFile[dp.File]...)
		}
		for _, d := range cands {
			if !matches(d, f.RuleID) {
				continue
			}
			if (d.Pos.File == f.Pos.File && covers(d.Pos.Line, f.Pos.Line)) || (dp.File == d.Pos.File && covers(d.Pos.Line, dp.Line)) {
				f.Suppressed = &rules.Suppression{Kind: "inline", Reason: d.Reason, Until: d.Until, Pos: d.Pos}
				break
			}
		}
	}
}

func covers(directive, line int) bool { return line == directive || line == directive+1 }
