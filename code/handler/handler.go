// Package handler resolves a function's configured handler string to the
// source file and symbol that implement it, without reading outside the
// scanned root.
package handler

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Spec is what a deployment configuration says about a function's code.
type Spec struct {
	Format    string // serverless | sam | terraform | azure | gcp
	Runtime   string // nodejs20.x, python3.12, go1.x, provided.al2023, java21, ...
	Handler   string // src/users.create, app.lambda_handler, bootstrap, com.example.Handler::handleRequest
	CodeDir   string // SAM CodeUri, Terraform source_dir; relative to ConfigDir; may be empty
	ConfigDir string // directory of the configuration file; absolute or relative to root
}

// Entry is a resolved handler.
type Entry struct {
	File     string // absolute path of the source file
	Symbol   string // exported function, method or "main"
	CodeRoot string // absolute directory packaged as the function's code
	Language string // javascript | typescript | python | go | java
}

// ErrUnresolved is wrapped by every error for a handler that cannot be
// tied to a source file; callers report it as information, not a finding.
var ErrUnresolved = errors.New("handler not resolved")

// Bounds on the directory search for Go main packages.
const (
	maxSearchDepth = 4
	maxSearchDirs  = 2000
)

var buildDirs = map[string]bool{"dist": true, "build": true, "lib": true, "out": true, ".build": true}

var (
	jsExts = []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"}
	pyExts = []string{".py"}
)

// Resolve maps spec to its entry under root.
func Resolve(root string, spec Spec) (Entry, error) {
	r, err := newResolver(root)
	if err != nil {
		return Entry{}, err
	}
	base, err := r.base(spec)
	if err != nil {
		return Entry{}, err
	}
	fam := family(spec.Runtime)
	h := strings.TrimSpace(spec.Handler)
	if fam == "" {
		fam = r.guessFamily(base, h)
	}
	var e Entry
	switch fam {
	case "node", "python":
		e, err = r.script(base, h, fam, spec)
	case "go":
		e, err = r.goMain(base, h)
	case "java":
		e, err = r.java(base, h, spec)
	default:
		err = fmt.Errorf("runtime %q: unsupported language: %w", spec.Runtime, ErrUnresolved)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("handler %q in %s: %w", spec.Handler, r.rel(base), err)
	}
	if e.CodeRoot == "" {
		e.CodeRoot = r.codeRoot(base, filepath.Dir(e.File), spec.CodeDir != "")
	}
	return e, nil
}

type resolver struct {
	root     string // absolute, symlinks evaluated
	lexRoot  string // absolute as given
	searched int
}

func newResolver(root string) (*resolver, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", root, err)
	}
	return &resolver{root: real, lexRoot: abs}, nil
}

func (r *resolver) rel(p string) string {
	if s, err := filepath.Rel(r.root, p); err == nil {
		return s
	}
	return p
}

// inside returns the symlink-free absolute form of p if it exists and lies
// under the root; a path that escapes (lexically or through a symlink)
// is refused.
func (r *resolver) inside(p string) (string, error) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.root, p)
	}
	p = filepath.Clean(p)
	if !within(r.root, p) && !within(r.lexRoot, p) {
		return "", fmt.Errorf("%s is outside the scanned root: %w", p, ErrUnresolved)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if !within(r.root, real) {
		return "", fmt.Errorf("%s resolves outside the scanned root (symlink): %w", r.rel(p), ErrUnresolved)
	}
	return real, nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// base is the directory the handler string is relative to.
func (r *resolver) base(spec Spec) (string, error) {
	cfg := spec.ConfigDir
	if cfg == "" {
		cfg = r.root
	} else if !filepath.IsAbs(cfg) {
		cfg = filepath.Join(r.root, cfg)
	}
	dir := cfg
	if spec.CodeDir != "" {
		code := filepath.FromSlash(spec.CodeDir)
		if filepath.IsAbs(code) {
			dir = code
		} else {
			dir = filepath.Join(cfg, code)
		}
	}
	real, err := r.inside(dir)
	if err != nil {
		if errors.Is(err, ErrUnresolved) {
			return "", err
		}
		return "", fmt.Errorf("code directory %s: %w", spec.CodeDir, errors.Join(err, ErrUnresolved))
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("code directory %s: %w", spec.CodeDir, errors.Join(err, ErrUnresolved))
	}
	if !st.IsDir() {
		return "", fmt.Errorf("code %s is a file (a packaged archive?), not a source directory: %w", r.rel(real), ErrUnresolved)
	}
	return real, nil
}

// family maps a runtime identifier to a language family.
func family(runtime string) string {
	rt := strings.ToLower(runtime)
	switch {
	case strings.HasPrefix(rt, "nodejs"), strings.HasPrefix(rt, "node"):
		return "node"
	case strings.HasPrefix(rt, "python"):
		return "python"
	case strings.HasPrefix(rt, "go"):
		return "go"
	case strings.HasPrefix(rt, "java"):
		return "java"
	}
	return "" // provided.*, custom, empty: decided from the files
}

// guessFamily decides the language of a custom or unnamed runtime from the
// handler string and the files present.
func (r *resolver) guessFamily(base, h string) string {
	if strings.Contains(h, "::") {
		return "java"
	}
	mod, _ := splitHandler(h)
	if mod != "" {
		for _, ext := range jsExts {
			if r.isFile(filepath.Join(base, mod+ext)) {
				return "node"
			}
		}
		if r.isFile(filepath.Join(base, mod+".py")) || r.isFile(filepath.Join(base, strings.ReplaceAll(mod, ".", "/")+".py")) {
			return "python"
		}
	}
	if ext := filepath.Ext(h); ext != "" {
		switch {
		case contains(jsExts, ext):
			return "node"
		case ext == ".py":
			return "python"
		}
	}
	if r.findGoMain(base, h) != "" {
		return "go"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *resolver) isFile(p string) bool {
	real, err := r.inside(p)
	if err != nil {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.Mode().IsRegular()
}

// splitHandler splits "dir/module.export" at the last dot after the last
// slash; a handler without a dot has no export.
func splitHandler(h string) (module, symbol string) {
	h = strings.TrimPrefix(filepath.ToSlash(h), "./")
	slash := strings.LastIndex(h, "/")
	dot := strings.LastIndex(h, ".")
	if dot <= slash {
		return h, ""
	}
	return h[:dot], h[dot+1:]
}

// script resolves Node.js and Python handlers.
func (r *resolver) script(base, h, fam string, spec Spec) (Entry, error) {
	if h == "" {
		return Entry{}, fmt.Errorf("empty handler: %w", ErrUnresolved)
	}
	// Azure and GCP name a script file (optionally "file#entry") or only an
	// entry point exported from the package's main file.
	if file, sym, ok := strings.Cut(h, "#"); ok || hasScriptExt(h) {
		if !ok {
			file, sym = h, ""
		}
		p, err := r.inside(filepath.Join(base, filepath.FromSlash(file)))
		if err != nil {
			return Entry{}, errors.Join(err, ErrUnresolved)
		}
		return r.entry(p, sym, fam)
	}
	if spec.Format == "gcp" || spec.Format == "azure" || !strings.Contains(h, ".") {
		return r.entryPoint(base, h, fam)
	}
	mod, sym := splitHandler(h)
	exts := jsExts
	var mods []string
	if fam == "python" {
		exts = pyExts
		// "pkg.mod.fn" names pkg/mod.py; "src/app.fn" is a path.
		mods = append(mods, strings.ReplaceAll(mod, ".", "/"), mod)
	} else {
		mods = append(mods, mod)
		// A handler in a build directory (dist/index.handler) whose output
		// is not committed: its TypeScript or JavaScript source.
		if first, rest, ok := strings.Cut(mod, "/"); ok && buildDirs[first] {
			mods = append(mods, "src/"+rest, rest)
		}
	}
	var tried []string
	for _, m := range mods {
		for _, ext := range exts {
			cand := filepath.Join(base, filepath.FromSlash(m)+ext)
			tried = append(tried, r.rel(cand))
			if r.isFile(cand) {
				p, err := r.inside(cand)
				if err != nil {
					return Entry{}, err
				}
				return r.entry(p, sym, fam)
			}
		}
		if fam == "python" {
			cand := filepath.Join(base, filepath.FromSlash(m), "__init__.py")
			tried = append(tried, r.rel(cand))
			if r.isFile(cand) {
				p, _ := r.inside(cand)
				return r.entry(p, sym, fam)
			}
		}
	}
	return Entry{}, fmt.Errorf("no source file among %s: %w", strings.Join(dedupe(tried), ", "), ErrUnresolved)
}

func hasScriptExt(h string) bool {
	ext := filepath.Ext(h)
	return ext == ".py" || contains(jsExts, ext)
}

// entryPoint finds the file that defines a bare entry point name (GCP
// entryPoint, Azure function name): the package's main file first.
func (r *resolver) entryPoint(base, sym, fam string) (Entry, error) {
	var cands []string
	if fam == "python" {
		cands = []string{"main.py", "function_app.py", "__init__.py", "app.py", "handler.py", "lambda_function.py"}
	} else {
		if m := packageMain(base); m != "" {
			cands = append(cands, m)
		}
		cands = append(cands, "index.js", "index.mjs", "index.ts", "src/index.js", "src/index.ts", "dist/index.js", "handler.js", "app.js")
	}
	for _, c := range cands {
		p := filepath.Join(base, filepath.FromSlash(c))
		if r.isFile(p) {
			real, _ := r.inside(p)
			return r.entry(real, sym, fam)
		}
	}
	return Entry{}, fmt.Errorf("no main file (tried %s) defines %q: %w", strings.Join(cands, ", "), sym, ErrUnresolved)
}

var mainField = regexp.MustCompile(`"main"\s*:\s*"([^"]+)"`)

// packageMain reads the "main" field of package.json, if any.
func packageMain(dir string) string {
	b, err := readBounded(filepath.Join(dir, "package.json"), 1<<20)
	if err != nil {
		return ""
	}
	if m := mainField.FindSubmatch(b); m != nil {
		return strings.TrimPrefix(string(m[1]), "./")
	}
	return ""
}

func (r *resolver) entry(file, sym, fam string) (Entry, error) {
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() {
		return Entry{}, fmt.Errorf("%s is not a regular file: %w", r.rel(file), ErrUnresolved)
	}
	lang := "python"
	if fam == "node" {
		lang = "javascript"
		switch filepath.Ext(file) {
		case ".ts", ".mts", ".cts", ".tsx":
			lang = "typescript"
		}
	}
	return Entry{File: file, Symbol: sym, Language: lang}, nil
}

// goMain finds the main package built into a Go function's binary, or
// for Cloud Functions (entry point HelloHTTP) the file declaring it.
func (r *resolver) goMain(base, h string) (Entry, error) {
	if goIdent.MatchString(h) && h != "main" && h != "bootstrap" {
		if f := r.goFuncIn(base, h); f != "" {
			return Entry{File: f, Symbol: h, Language: "go", CodeRoot: base}, nil
		}
	}
	file := r.findGoMain(base, h)
	if file == "" {
		return Entry{}, fmt.Errorf("no Go main package under %s: %w", r.rel(base), ErrUnresolved)
	}
	sym := "main"
	if b, err := readBounded(file, 4<<20); err == nil {
		if m := lambdaStart.FindSubmatch(b); m != nil {
			sym = string(m[1])
		}
	}
	return Entry{File: file, Symbol: sym, Language: "go", CodeRoot: filepath.Dir(file)}, nil
}

var goIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// goFuncIn returns the non-test Go file in dir that declares func name.
func (r *resolver) goFuncIn(dir, name string) string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	decl := regexp.MustCompile(`(?m)^func ` + regexp.QuoteMeta(name) + `\(`)
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		p := filepath.Join(dir, n)
		if b, err := readBounded(p, 4<<20); err == nil && decl.Match(b) {
			return p
		}
	}
	return ""
}

var lambdaStart = regexp.MustCompile(`lambda\.Start(?:WithOptions|Handler|WithContext)?\(\s*([A-Za-z_][A-Za-z0-9_.]*)`)

// findGoMain looks for the main package: the handler's own name first
// ("bin/hello" → a "hello" or "cmd/hello" directory), then base itself,
// then a bounded breadth-first search preferring files that call
// lambda.Start.
func (r *resolver) findGoMain(base, h string) string {
	name := filepath.Base(filepath.FromSlash(h))
	var dirs []string
	if name != "" && name != "." && name != "bootstrap" && name != "main" {
		dirs = append(dirs, filepath.Join(base, name), filepath.Join(base, "cmd", name), filepath.Join(base, "functions", name))
	}
	dirs = append(dirs, base)
	for _, d := range dirs {
		if f := r.goMainIn(d); f != "" {
			return f
		}
	}
	var best string
	queue := []struct {
		dir   string
		depth int
	}{{base, 0}}
	r.searched = 0
	for len(queue) > 0 && r.searched < maxSearchDirs {
		cur := queue[0]
		queue = queue[1:]
		r.searched++
		ents, err := os.ReadDir(cur.dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !e.IsDir() || e.Type()&fs.ModeSymlink != 0 || skipDir(e.Name()) || cur.depth >= maxSearchDepth {
				continue
			}
			d := filepath.Join(cur.dir, e.Name())
			if f := r.goMainIn(d); f != "" {
				if strings.EqualFold(e.Name(), name) {
					return f
				}
				if best == "" {
					best = f
				}
			}
			queue = append(queue, struct {
				dir   string
				depth int
			}{d, cur.depth + 1})
		}
	}
	return best
}

func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || name == "testdata"
}

// goMainIn returns the file of package main in dir that calls lambda.Start
// (or main.go, or any file declaring func main), or "".
func (r *resolver) goMainIn(dir string) string {
	real, err := r.inside(dir)
	if err != nil {
		return ""
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return ""
	}
	var mains []string
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		p := filepath.Join(real, n)
		b, err := readBounded(p, 4<<20)
		if err != nil || !isPackageMain(b) {
			continue
		}
		if lambdaStart.Match(b) {
			return p
		}
		if n == "main.go" || strings.Contains(string(b), "func main()") {
			mains = append(mains, p)
		}
	}
	sort.Strings(mains)
	for _, m := range mains {
		if filepath.Base(m) == "main.go" {
			return m
		}
	}
	if len(mains) > 0 {
		return mains[0]
	}
	return ""
}

func isPackageMain(b []byte) bool {
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "package ") {
			return strings.TrimSpace(strings.TrimPrefix(line, "package ")) == "main"
		}
	}
	return false
}

// java resolves "com.example.Handler::handleRequest" to its class source.
func (r *resolver) java(base, h string, spec Spec) (Entry, error) {
	class, method, ok := strings.Cut(h, "::")
	if !ok {
		method = "handleRequest"
	}
	if class == "" {
		return Entry{}, fmt.Errorf("empty handler class: %w", ErrUnresolved)
	}
	rel := filepath.FromSlash(strings.ReplaceAll(class, ".", "/")) + ".java"
	// Nested classes (Outer$Inner) live in the outer class's file.
	if i := strings.IndexByte(rel, '$'); i >= 0 {
		rel = rel[:i] + ".java"
	}
	roots := []string{base}
	if spec.ConfigDir != "" && spec.CodeDir != "" {
		// CodeUri often names the built jar; the sources sit beside it.
		if d, err := r.base(Spec{ConfigDir: spec.ConfigDir}); err == nil && d != base {
			roots = append(roots, d)
		}
	}
	var tried []string
	for _, b := range roots {
		for _, src := range []string{"src/main/java", "src/main/kotlin", "src", "."} {
			cand := filepath.Join(b, filepath.FromSlash(src), rel)
			tried = append(tried, r.rel(cand))
			if r.isFile(cand) {
				p, _ := r.inside(cand)
				return Entry{File: p, Symbol: method, Language: "java", CodeRoot: b}, nil
			}
		}
	}
	return Entry{}, fmt.Errorf("no class source among %s: %w", strings.Join(tried, ", "), ErrUnresolved)
}

var manifests = []string{"package.json", "requirements.txt", "pyproject.toml", "Pipfile", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts"}

// codeRoot is the directory deployed as the function's code: the code
// directory when the configuration names one, otherwise the nearest
// ancestor of the entry file (up to base) that holds a dependency
// manifest, otherwise base.
func (r *resolver) codeRoot(base, dir string, explicit bool) string {
	if explicit {
		return base
	}
	for d := dir; within(base, d); d = filepath.Dir(d) {
		for _, m := range manifests {
			if r.isFile(filepath.Join(d, m)) {
				return d
			}
		}
		if d == base {
			break
		}
	}
	return base
}

func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, limit)
	}
	b := make([]byte, st.Size())
	_, err = io.ReadFull(f, b)
	return b, err
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
