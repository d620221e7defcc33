// Package scan runs one scan: it lists the files under each path, lets every
// registered loader build applications from them, lets analysers enrich the
// model (function code), runs the rules and returns findings and notes.
// The CLI, the benchmarks and the peer harness all go through Run.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/suppress"
)

// Options configure a scan.
type Options struct {
	Load  loader.Options
	Walk  loader.WalkOptions
	Rules rules.Config
	// Analyze enables the registered analysers (function code). On by default
	// in the CLI; the config-only benchmarks turn it off.
	Analyze bool
	// DB is the OSV database directory for dependency matching; "" uses
	// the default cache directory when it exists.
	DB string
	// Baseline, when set, suppresses the findings it lists.
	Baseline *suppress.Baseline
	// Progress, when set, is told how many files were listed and, as the
	// scan goes, how many of them have been read. It may be called from
	// several goroutines at once.
	Progress func(done, total int)
}

// Result is the outcome of a scan.
type Result struct {
	// Root is the scanned directory; finding locations are relative to it.
	Root     string
	Apps     []*model.Application
	Findings []rules.Finding
	Notes    []model.Note
	Stats    Stats
}

// Stats summarise a scan.
type Stats struct {
	Files     int           `json:"files"`
	Apps      int           `json:"applications"`
	Functions int           `json:"functions"`
	Duration  time.Duration `json:"-"`
	Millis    int64         `json:"durationMs"`
}

// Analyzer enriches the applications of one scan after loading, before
// the rules run (handler resolution, code secrets, dependencies, taint).
// It sees every application at once because code roots and repository
// files are shared between them. It may return applications of its own,
// for what it found in files no application owns.
type Analyzer interface {
	Name() string
	Analyze(ctx context.Context, apps []*model.Application, t *loader.Tree, opts Options) []*model.Application
}

var analyzers []Analyzer

// RegisterAnalyzer adds an analyser; they run in registration order.
func RegisterAnalyzer(a Analyzer) { analyzers = append(analyzers, a) }

// Run scans one path (a directory or a single config file).
func Run(ctx context.Context, path string, opts Options) (*Result, error) {
	start := time.Now()
	opts.Walk.AllowOutside = opts.Walk.AllowOutside || opts.Load.AllowOutside
	tree, err := loader.Walk(path, opts.Walk)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", path, err)
	}
	res := &Result{Root: tree.Root}
	res.Stats.Files = len(tree.Files())
	if opts.Progress != nil {
		total := res.Stats.Files
		opts.Progress(0, total)
		var done atomic.Int64
		tree.OnFirstRead(func() { opts.Progress(int(min(done.Add(1), int64(total))), total) })
	}
	apps := loader.LoadAll(ctx, tree, opts.Load)
	if opts.Analyze {
		for _, a := range analyzers {
			apps = append(apps, runAnalyzer(ctx, a, apps, tree, opts)...)
		}
	}
	res.Apps = apps
	now := opts.Rules.Now
	if now.IsZero() {
		now = time.Now()
	}
	collectSuppressions(tree, apps, now)
	res.Findings = rules.Run(apps, opts.Rules)
	for i := range res.Findings {
		res.Findings[i].Fingerprint = Fingerprint(res.Findings[i])
	}
	applySuppressions(apps, res.Findings)
	if opts.Baseline != nil {
		suppress.ApplyBaseline(res.Findings, *opts.Baseline)
	}
	res.Notes = tree.Notes()
	for _, a := range apps {
		res.Notes = append(res.Notes, a.Notes...)
		res.Stats.Functions += len(a.Functions)
	}
	sortNotes(res.Notes)
	res.Stats.Apps = len(apps)
	res.Stats.Duration = time.Since(start)
	res.Stats.Millis = res.Stats.Duration.Milliseconds()
	if opts.Progress != nil {
		opts.Progress(res.Stats.Files, res.Stats.Files)
	}
	return res, nil
}

func runAnalyzer(ctx context.Context, a Analyzer, apps []*model.Application, t *loader.Tree, opts Options) (more []*model.Application) {
	defer func() {
		if p := recover(); p != nil {
			t.Note(model.NoteError, model.Pos{}, "analyser %s failed: %v", a.Name(), p)
		}
	}()
	return a.Analyze(ctx, apps, t, opts)
}

// Fingerprint identifies a finding independently of its line, so baselines
// survive edits that move code around: rule, application, subject and the
// rule's own key, plus the file.
func Fingerprint(f rules.Finding) string {
	key := f.Key
	if key == "" {
		key = f.Message
	}
	h := sha256.Sum256([]byte(strings.Join([]string{f.RuleID, f.Pos.File, f.App, f.Function, f.Resource, key}, "\x00")))
	return hex.EncodeToString(h[:12])
}

func sortNotes(ns []model.Note) {
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].Pos.File != ns[j].Pos.File {
			return ns[i].Pos.File < ns[j].Pos.File
		}
		return ns[i].Pos.Line < ns[j].Pos.Line
	})
}

// RelRoot returns root relative to the working directory when it is below
// it, for display.
func RelRoot(root string) string {
	wd, err := filepath.Abs(".")
	if err != nil {
		return root
	}
	if r, err := filepath.Rel(wd, root); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return root
}
