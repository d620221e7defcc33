package rules

import (
	"fmt"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/faasguard/faasguard/model"
)

// Config tunes the rules for one scan.
type Config struct {
	Profile string // ProfileSecurity (default) or ProfileWellArchitected
	// Only and Skip select rules by ID, family ("IAM") or glob ("FG-IAM-*").
	Only []string
	Skip []string
	// TimeoutCeiling is the longest function timeout, in seconds, that is
	// not reported (default 300).
	TimeoutCeiling int
	// Now is the scan's date, for EOL runtimes and expired suppressions.
	Now time.Time
	// SkipGenerated leaves out resources and functions a framework generated.
	SkipGenerated bool
}

func (c *Config) defaults() {
	if c.Profile == "" {
		c.Profile = ProfileSecurity
	}
	if c.TimeoutCeiling <= 0 {
		c.TimeoutCeiling = 300
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
}

// Enabled reports whether a rule runs under the configuration.
func (c *Config) Enabled(r *Rule) bool {
	if r.Profile == ProfileWellArchitected && c.Profile != ProfileWellArchitected {
		return false
	}
	if len(c.Only) > 0 && !matchAny(c.Only, r) {
		return false
	}
	return !matchAny(c.Skip, r)
}

func matchAny(sel []string, r *Rule) bool {
	for _, s := range sel {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		if s == r.ID || s == string(r.Family) || s == "FG-"+string(r.Family) {
			return true
		}
		if ok, _ := path.Match(s, r.ID); ok {
			return true
		}
	}
	return false
}

// Finding is one reported risk.
type Finding struct {
	RuleID   string   `json:"ruleId"`
	Severity Severity `json:"severity"`
	Family   Family   `json:"family"`
	Title    string   `json:"title"`
	Message  string   `json:"message"`
	App      string   `json:"application,omitempty"`
	Function string   `json:"function,omitempty"`
	Resource string   `json:"resource,omitempty"`
	// Functions lists every function a finding concerns when one setting
	// (a provider-level default) causes it in several; Function is then "".
	Functions []string  `json:"functions,omitempty"`
	Pos       model.Pos `json:"location"`
	Related   []Related `json:"related,omitempty"`
	// Key distinguishes findings of one rule on one subject, for stable
	// fingerprints that survive line moves ("action=s3:*").
	Key         string `json:"-"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Generated   bool   `json:"generated,omitempty"`
	// Suppressed is set by the suppression step with its justification.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Related is a secondary location of a finding (a path step, the other
// function sharing a role).
type Related struct {
	Pos     model.Pos `json:"location"`
	Message string    `json:"message"`
}

// Suppression records why a finding was suppressed.
type Suppression struct {
	Kind   string    `json:"kind"` // inline | metadata | baseline | config
	Reason string    `json:"reason,omitempty"`
	Until  string    `json:"until,omitempty"`
	Pos    model.Pos `json:"location,omitempty"`
}

// Context is what a check sees: one application and the configuration. It
// collects the check's findings.
type Context struct {
	App    *model.Application
	Config *Config
	rule   *Rule
	out    *[]Finding
}

// Report adds a finding of the running rule at pos with the rule's default
// severity.
func (c *Context) Report(f Finding) {
	r := c.rule
	if f.Severity == 0 && r.Severity != 0 {
		f.Severity = r.Severity
	}
	if f.Severity < 0 {
		f.Severity = Info
	}
	f.RuleID, f.Family, f.Title = r.ID, r.Family, r.Title
	if f.App == "" {
		f.App = c.App.Name
	}
	if f.Pos.IsZero() {
		f.Pos = model.Pos{File: c.App.File}
	}
	*c.out = append(*c.out, f)
}

// Fn reports a finding on a function at pos, with a formatted message.
func (c *Context) Fn(fn *model.Function, pos model.Pos, key string, format string, args ...any) {
	c.Report(Finding{Function: fn.ID, Pos: model.PosOr(fn.Pos, pos), Key: key, Generated: fn.Generated, Message: fmt.Sprintf(format, args...)})
}

// Res reports a finding on a resource at pos, with a formatted message.
func (c *Context) Res(r *model.Resource, pos model.Pos, key string, format string, args ...any) {
	c.Report(Finding{Resource: r.ID, Pos: model.PosOr(r.Pos, pos), Key: key, Generated: r.Generated, Message: fmt.Sprintf(format, args...)})
}

// Run runs every enabled rule over the applications and returns the
// findings in a stable order. A rule that panics is reported as an error
// note on the application, never crashing the scan.
func Run(apps []*model.Application, cfg Config) []Finding {
	cfg.defaults()
	var out []Finding
	rs := All()
	for _, app := range apps {
		for _, r := range rs {
			if !cfg.Enabled(r) {
				continue
			}
			runOne(app, r, &cfg, &out)
		}
	}
	if cfg.SkipGenerated {
		kept := out[:0]
		for _, f := range out {
			if !f.Generated {
				kept = append(kept, f)
			}
		}
		out = kept
	}
	out = merge(out)
	Sort(out)
	return out
}

// merge folds the findings one setting causes in several functions (a
// provider-level environment variable, a shared default) into one finding
// that names them all: one line of config, one finding to fix.
func merge(fs []Finding) []Finding {
	type key struct {
		rule, app, key string
		pos            model.Pos
	}
	idx := map[key]int{}
	out := fs[:0]
	for _, f := range fs {
		if f.Function == "" || f.Pos.Line == 0 {
			out = append(out, f)
			continue
		}
		k := key{f.RuleID, f.App, f.Key, f.Pos}
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, f)
			continue
		}
		m := &out[i]
		if len(m.Functions) == 0 {
			m.Functions = []string{m.Function}
		}
		m.Functions = append(m.Functions, f.Function)
		if f.Severity > m.Severity {
			m.Severity = f.Severity
		}
	}
	for i := range out {
		f := &out[i]
		if len(f.Functions) < 2 {
			f.Functions = nil
			continue
		}
		names := strings.Join(f.Functions, ", ")
		if strings.Contains(f.Message, "function "+f.Function) {
			f.Message = strings.Replace(f.Message, "function "+f.Function, "functions "+names, 1)
		} else {
			f.Message += " (functions " + names + ")"
		}
		f.Function = ""
	}
	return out
}

func runOne(app *model.Application, r *Rule, cfg *Config, out *[]Finding) {
	defer func() {
		if p := recover(); p != nil {
			app.Notef(model.NoteError, model.Pos{File: app.File}, "rule %s failed: %v\n%s", r.ID, p, firstFrames(debug.Stack()))
		}
	}()
	r.Check(&Context{App: app, Config: cfg, rule: r, out: out})
}

func firstFrames(st []byte) string {
	lines := strings.Split(string(st), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}
