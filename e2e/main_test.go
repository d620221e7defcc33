// Package e2e tests the faasguard binary end to end against hostile and
// broken input: every case runs the real command as a subprocess with a time
// and memory bound, and checks that the scan finishes, exits as documented,
// says what went wrong and where, keeps scanning the rest of the tree, never
// panics, and never reads, runs or writes what it must not.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// binary is the faasguard binary, built on first use (so that fuzzing,
// which runs no subprocess, does not build it in every worker).
var (
	binary    string
	buildOnce sync.Once
	buildErr  error
)

// needBinary builds the binary once per test process.
func needBinary(t testing.TB) {
	t.Helper()
	buildOnce.Do(func() {
		out, err := exec.Command("go", "build", "-o", binary, "github.com/faasguard/faasguard/cmd/faasguard").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("building faasguard: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// trapDir holds fake node, ts-node, serverless ... executables that leave a
// marker in trapHits when run: it is first in the scanner's PATH, so a scan
// that executes any of them is caught.
var trapDir, trapHits string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "faasguard-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(tmp)
	binary = filepath.Join(tmp, "faasguard")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	trapDir, trapHits = filepath.Join(tmp, "trap-bin"), filepath.Join(tmp, "trap-hits")
	if err := makeTraps(trapDir, trapHits); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 2
	}
	code := m.Run()
	if ents, _ := os.ReadDir(trapHits); len(ents) > 0 {
		fmt.Fprintf(os.Stderr, "e2e: a scan executed %d trapped program(s) (see %s)\n", len(ents), trapDir)
		code = 1
	}
	return code
}

// trapped are programs a scanner of serverless repositories might be tempted
// to run: config evaluators, package managers, IaC tools, interpreters.
var trapped = []string{"node", "nodejs", "ts-node", "tsx", "npx", "npm", "yarn", "pnpm", "bun", "deno",
	"serverless", "sls", "sam", "cdk", "terraform", "tofu", "python", "python3", "pip", "pip3", "func", "gcloud", "az", "aws"}

func makeTraps(dir, hits string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(hits, 0o755); err != nil {
		return err
	}
	for _, name := range trapped {
		script := fmt.Sprintf("#!/bin/sh\necho \"$0 $*\" > '%s/%s'\nexit 1\n", hits, name)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// bounds limit one run of the binary.
type bounds struct {
	Timeout time.Duration // wall clock; the process is killed after it
	MaxRSS  int64         // peak resident set in bytes; 0 means defaultMaxRSS
}

const (
	defaultTimeout = 30 * time.Second
	defaultMaxRSS  = 768 << 20
)

// run is one finished run of the binary.
type run struct {
	Args     []string
	Code     int
	Stdout   []byte
	Stderr   []byte
	Elapsed  time.Duration
	MaxRSS   int64 // bytes; -1 when the platform does not say
	TimedOut bool
}

// invocation describes a run: its arguments, extra environment and bounds.
type invocation struct {
	Args   []string
	Env    []string // KEY=VALUE added to the hermetic environment
	Dir    string   // working directory; "" is a fresh temporary one
	Bounds bounds
	// MayHang returns a run killed at its timeout instead of failing the
	// test, for cases that report a known hang themselves.
	MayHang bool
}

// execScan runs the binary hermetically: a fresh HOME, XDG_CACHE_HOME and
// TMPDIR that must stay empty, and the trap directory first in PATH. It fails
// the test on a timeout (unless inv.MayHang), a memory blow-up, a panic or
// stack trace, a trapped program being run, or a write to HOME/TMPDIR.
func execScan(t testing.TB, inv invocation) run {
	t.Helper()
	needBinary(t)
	b := inv.Bounds
	if b.Timeout == 0 {
		b.Timeout = defaultTimeout
	}
	if b.MaxRSS == 0 {
		b.MaxRSS = defaultMaxRSS
	}
	sandbox := t.TempDir()
	home, tmp := filepath.Join(sandbox, "home"), filepath.Join(sandbox, "tmp")
	for _, d := range []string{home, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dir := inv.Dir
	if dir == "" {
		dir = filepath.Join(sandbox, "wd")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, inv.Args...)
	cmd.Dir = dir
	cmd.WaitDelay = 2 * time.Second
	cmd.Env = append([]string{
		"PATH=" + trapDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "TMPDIR=" + tmp,
		"NO_COLOR=1", "LANG=C.UTF-8",
	}, inv.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting faasguard: %v", err)
	}
	peak, overLimit := watchMemory(cmd.Process, b.MaxRSS)
	err := cmd.Wait()
	r := run{Args: inv.Args, Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Elapsed: time.Since(start), MaxRSS: peak()}
	if cmd.ProcessState != nil {
		r.Code = cmd.ProcessState.ExitCode()
		if r.MaxRSS < 0 {
			r.MaxRSS = maxRSS(cmd.ProcessState)
		}
	}
	if overLimit() {
		t.Fatalf("faasguard %s: peak RSS over the %d MiB bound (killed); stderr:\n%s", shortArgs(inv.Args), b.MaxRSS>>20, clip(r.Stderr))
	}
	if ctx.Err() != nil {
		r.TimedOut = true
		if inv.MayHang {
			return r
		}
		t.Fatalf("faasguard %s: still running after %v (killed); stderr:\n%s", strings.Join(inv.Args, " "), b.Timeout, clip(r.Stderr))
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("faasguard %s: %v", strings.Join(inv.Args, " "), err)
	}
	t.Logf("faasguard %s: exit %d in %v, peak RSS %d MiB", shortArgs(inv.Args), r.Code, r.Elapsed.Round(time.Millisecond), r.MaxRSS>>20)
	if r.MaxRSS > b.MaxRSS {
		t.Errorf("peak RSS %d MiB over the %d MiB bound", r.MaxRSS>>20, b.MaxRSS>>20)
	}
	assertNoCrash(t, "stderr", r.Stderr)
	assertNoCrash(t, "stdout", r.Stdout)
	assertNoTrapHits(t)
	for _, d := range []string{home, tmp} {
		if got := listTree(t, d); len(got) > 0 {
			t.Errorf("scan wrote outside its output path, in %s: %v", d, keys(got))
		}
	}
	return r
}

func shortArgs(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

var crashRE = regexp.MustCompile(`(?m)^panic: |goroutine \d+ \[|runtime error:|fatal error: |internal error|\.go:\d+ \+0x[0-9a-f]+`)

// assertNoCrash fails when text holds a Go panic, a stack trace or a
// recovered "internal error" note (a panic the loaders caught).
func assertNoCrash(t testing.TB, what string, text []byte) {
	t.Helper()
	if loc := crashRE.FindIndex(text); loc != nil {
		lo, hi := max(0, loc[0]-300), min(len(text), loc[1]+1200)
		t.Errorf("%s shows a panic or stack trace:\n%s", what, text[lo:hi])
	}
}

// assertNoTrapHits fails when any trapped program was run. Hits are never
// cleared: with parallel tests the run that caused one may be another test's,
// so every later check fails too, and TestMain reports them at the end.
func assertNoTrapHits(t testing.TB) {
	t.Helper()
	if trapHits == "" {
		return
	}
	ents, _ := os.ReadDir(trapHits)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(trapHits, e.Name()))
		t.Errorf("the scan executed %s: %s", e.Name(), bytes.TrimSpace(b))
	}
}

func clip(b []byte) string {
	if len(b) > 4000 {
		return string(b[:4000]) + "\n...[clipped]"
	}
	return string(b)
}

// jsonReport is the part of the JSON report (docs/report-schema.md) the tests read.
type jsonReport struct {
	Root     string    `json:"root"`
	Findings []finding `json:"findings"`
	Notes    []note    `json:"notes"`
	Stats    []struct {
		Files     int `json:"files"`
		Apps      int `json:"applications"`
		Functions int `json:"functions"`
	} `json:"stats"`
}

type pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

type finding struct {
	RuleID   string `json:"ruleId"`
	Message  string `json:"message"`
	App      string `json:"application"`
	Function string `json:"function"`
	Resource string `json:"resource"`
	Location pos    `json:"location"`
}

type note struct {
	Level    string `json:"level"`
	Location pos    `json:"location"`
	Message  string `json:"message"`
}

func (n note) String() string {
	return fmt.Sprintf("%s %s:%d: %s", n.Level, n.Location.File, n.Location.Line, n.Message)
}

// parseReport decodes a JSON report, failing the test when it is not valid.
func parseReport(t testing.TB, data []byte) jsonReport {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("JSON report does not decode: %v\n%s", err, clip(data))
	}
	return rep
}

// scanJSON scans dir with --format json (plus args) and returns the run and
// its report.
func scanJSON(t testing.TB, dir string, b bounds, args ...string) (run, jsonReport) {
	t.Helper()
	r := execScan(t, invocation{Args: append([]string{"scan", dir, "--format", "json", "--no-config"}, args...), Bounds: b})
	if r.Code == 2 && len(r.Stdout) == 0 {
		t.Fatalf("exit 2 without a report; stderr:\n%s", clip(r.Stderr))
	}
	return r, parseReport(t, r.Stdout)
}

// findingsIn returns the findings located in file.
func (rep jsonReport) findingsIn(file string) []finding {
	var out []finding
	for _, f := range rep.Findings {
		if f.Location.File == file {
			out = append(out, f)
		}
	}
	return out
}

// notesAbout returns the notes located in file (or under it, for a directory
// given with a trailing slash).
func (rep jsonReport) notesAbout(file string) []note {
	var out []note
	for _, n := range rep.Notes {
		if n.Location.File == file || (strings.HasSuffix(file, "/") && strings.HasPrefix(n.Location.File, file)) {
			out = append(out, n)
		}
	}
	return out
}

func (rep jsonReport) hasRule(file, rule string) bool {
	for _, f := range rep.findingsIn(file) {
		if f.RuleID == rule {
			return true
		}
	}
	return false
}

// writeTree writes files (root-relative slash paths) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// entry is one path of a tree listing.
type entry struct {
	Mode  fs.FileMode
	Size  int64
	MTime time.Time
	Link  string
}

// listTree lists every path under dir (not following symlinks) with its
// mode, size, mtime and link target.
func listTree(t testing.TB, dir string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := entry{Mode: info.Mode(), Size: info.Size(), MTime: info.ModTime()}
		if info.Mode()&fs.ModeSymlink != 0 {
			e.Link, _ = os.Readlink(p)
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validApp is a small Serverless app with known findings, put next to broken
// files to show that the rest of the tree is still scanned.
const validApp = `service: neighbour
provider:
  name: aws
  runtime: nodejs18.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: "dynamodb:*"
          Resource: "*"
functions:
  api:
    handler: handler.main
    events:
      - http:
          path: /orders
          method: post
`

const validHandler = "exports.main = async (event) => ({ statusCode: 200, body: JSON.stringify(event.body) });\n"

// addNeighbour writes validApp under dir/good.
func addNeighbour(t testing.TB, dir string) {
	t.Helper()
	writeTree(t, dir, map[string]string{"good/serverless.yml": validApp, "good/handler.js": validHandler})
}

// assertNeighbour checks that the valid app next to the broken input was
// scanned: its wildcard-action and unauthenticated-endpoint findings are there.
func assertNeighbour(t testing.TB, rep jsonReport) {
	t.Helper()
	for _, rule := range []string{"FG-IAM-001", "FG-AUTH-001"} {
		if !rep.hasRule("good/serverless.yml", rule) {
			t.Errorf("valid neighbour app not scanned: no %s in good/serverless.yml; findings %v; notes %v", rule, rep.Findings, rep.Notes)
		}
	}
}

// knownBug reports a bug of faasguard found by a test: a regression of
// one of the bugs this suite found (symlinked pipes, config paths leaving
// the repository, terminal escapes, quadratic rules) fails the run.
func knownBug(t testing.TB, format string, args ...any) {
	t.Helper()
	t.Errorf("BUG: "+format, args...)
}
