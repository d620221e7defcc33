// Package deps finds the lockfiles and dependency manifests in a code root
// and lists the packages they pin, using osv-scalibr's per-format
// extractors. It also reports supply-chain hygiene issues that need no
// vulnerability data: manifests without a lockfile and unpinned Python
// requirements.
//
// The package knows nothing about applications or functions: callers pass
// the directory that holds a function's code.
package deps

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// Defaults applied when the corresponding Options field is zero.
const (
	DefaultMaxDepth    = 8
	DefaultMaxFileSize = 32 << 20 // 32 MiB: large real package-lock.json files are ~10 MiB
	DefaultMaxEntries  = 200_000
)

// DefaultSkipDirs are directory names that Extract does not descend into:
// installed dependency trees and VCS metadata hold copies of other projects'
// lockfiles, not the code root's own.
var DefaultSkipDirs = []string{"node_modules", ".git", ".hg", ".svn", "vendor", "bower_components", "__pycache__", ".venv"}

// Options bounds and tunes Extract. The zero value is ready to use.
type Options struct {
	// MaxDepth is how many directory levels below the root are visited;
	// 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxFileSize is the largest lockfile or manifest read, in bytes;
	// 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxEntries caps the directory entries visited; 0 means DefaultMaxEntries.
	MaxEntries int
	// SkipDirs are directory names not descended into; nil means DefaultSkipDirs.
	SkipDirs []string
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.SkipDirs == nil {
		o.SkipDirs = DefaultSkipDirs
	}
	return o
}

// Package is one package version pinned by a lockfile or manifest.
type Package struct {
	Name string
	// Version is empty when the file does not pin one (for example an
	// unpinned requirement), so that no advisory is matched against a guess.
	Version string
	// Ecosystem is the OSV ecosystem name: npm, PyPI, Go, Maven, Packagist,
	// RubyGems, crates.io, NuGet.
	Ecosystem string
	// Lockfile is the file the package was read from (root joined with its
	// path inside the root).
	Lockfile string
	// Line is the 1-based line in Lockfile, or 0 when unknown.
	Line int
	// Direct reports a dependency declared by the project itself. It is
	// known for package-lock.json (v2/v3), the JavaScript lockfiles that
	// have a package.json beside them, composer.lock with composer.json,
	// go.mod, pom.xml and requirements files; false elsewhere.
	Direct bool
	// Scripts reports that the lockfile records install scripts for the
	// package (package-lock.json hasInstallScript).
	Scripts bool
}

// Issue kinds.
const (
	IssueNoLockfile = "no-lockfile"
	IssueUnpinned   = "unpinned"
)

// Issue is a supply-chain hygiene problem found without vulnerability data.
type Issue struct {
	Kind   string // IssueNoLockfile or IssueUnpinned
	File   string
	Line   int // 1-based; 0 for a whole-file issue
	Detail string
}

// Note records something Extract skipped or could not read, and why.
type Note struct {
	Path   string
	Detail string
}

// Result is what Extract found under one code root.
type Result struct {
	Packages  []Package
	Lockfiles []string // files packages were extracted from, sorted
	Notes     []Note
	Issues    []Issue
}

// Extract walks root, extracts the packages of every supported lockfile
// and reports manifests without a lockfile and unpinned requirements.
//
// The walk stays inside root: directories in Options.SkipDirs are not
// entered, symbolic links to directories are not followed (so loops are
// harmless), and a symbolic link to a file is read only when it resolves
// inside root. Files larger than Options.MaxFileSize are skipped with a
// note. A file that fails to parse is a note, not an error; Extract returns
// an error only when root itself cannot be read.
func Extract(root string, opts Options) (Result, error) {
	opts = opts.withDefaults()
	quietScalibr()
	st, err := os.Stat(root)
	if err != nil {
		return Result{}, fmt.Errorf("deps: %w", err)
	}
	if !st.IsDir() {
		return Result{}, fmt.Errorf("deps: %s is not a directory", root)
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return Result{}, fmt.Errorf("deps: %w", err)
	}
	defer r.Close()

	s := &scan{
		root: root,
		fsys: boundedFS{fsys: r.FS(), max: opts.MaxFileSize},
		opts: opts,
	}
	if err := s.walk(); err != nil {
		return Result{}, err
	}
	for _, f := range s.files {
		s.extract(f)
	}
	s.checkManifests()
	return s.result(), nil
}

// candidate is a file found by the walk, with its path relative to root.
type candidate struct {
	rel  string
	info fs.FileInfo
}

type scan struct {
	root    string
	fsys    boundedFS
	opts    Options
	entries int
	files   []candidate // lockfiles and manifests, in walk order

	pkgs      []Package
	lockfiles []string
	notes     []Note
	issues    []Issue
}

func (s *scan) abs(rel string) string { return filepath.Join(s.root, filepath.FromSlash(rel)) }

func (s *scan) note(rel, format string, args ...any) {
	s.notes = append(s.notes, Note{Path: s.abs(rel), Detail: fmt.Sprintf(format, args...)})
}

var errEntryLimit = errors.New("entry limit reached")

// walk lists the candidate files breadth-first, depth- and count-bounded.
func (s *scan) walk() error {
	type dir struct {
		rel   string
		depth int
	}
	queue := []dir{{".", 0}}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		entries, err := fs.ReadDir(s.fsys.fsys, d.rel)
		if err != nil {
			if d.rel == "." {
				return fmt.Errorf("deps: reading %s: %w", s.root, err)
			}
			s.note(d.rel, "directory not readable: %v", err)
			continue
		}
		for _, e := range entries {
			s.entries++
			if s.entries > s.opts.MaxEntries {
				s.note(d.rel, "stopped after %d directory entries (MaxEntries)", s.opts.MaxEntries)
				return nil
			}
			rel := path.Join(d.rel, e.Name())
			switch {
			case e.IsDir():
				if slices.Contains(s.opts.SkipDirs, e.Name()) {
					s.note(rel, "directory not scanned (skipped by name)")
					continue
				}
				if d.depth+1 > s.opts.MaxDepth {
					s.note(rel, "directory not scanned: deeper than %d levels", s.opts.MaxDepth)
					continue
				}
				queue = append(queue, dir{rel, d.depth + 1})
			case e.Type()&fs.ModeSymlink != 0:
				// Stat through the os.Root follows the link only while it
				// stays inside the root.
				info, err := fs.Stat(s.fsys.fsys, rel)
				switch {
				case err != nil:
					s.note(rel, "symbolic link not followed: %v", err)
				case info.IsDir():
					s.note(rel, "symbolic link to a directory not followed")
				case interesting(e.Name()):
					s.addCandidate(rel, info)
				}
			case e.Type().IsRegular():
				if !interesting(e.Name()) {
					continue
				}
				info, err := e.Info()
				if err != nil {
					s.note(rel, "not readable: %v", err)
					continue
				}
				s.addCandidate(rel, info)
			}
		}
	}
	return nil
}

func (s *scan) addCandidate(rel string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		s.note(rel, "not a regular file")
		return
	}
	if info.Size() > s.opts.MaxFileSize {
		s.note(rel, "file not read: %d bytes is over the %d-byte limit", info.Size(), s.opts.MaxFileSize)
		return
	}
	s.files = append(s.files, candidate{rel: rel, info: info})
}

func (s *scan) result() Result {
	slices.SortFunc(s.pkgs, func(a, b Package) int {
		return cmp.Or(cmp.Compare(a.Lockfile, b.Lockfile), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	s.pkgs = slices.Compact(s.pkgs)
	slices.Sort(s.lockfiles)
	s.lockfiles = slices.Compact(s.lockfiles)
	slices.SortFunc(s.issues, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Kind, b.Kind))
	})
	slices.SortStableFunc(s.notes, func(a, b Note) int { return cmp.Compare(a.Path, b.Path) })
	return Result{Packages: s.pkgs, Lockfiles: s.lockfiles, Notes: s.notes, Issues: s.issues}
}

// extractFile parses the file name in dir as format f whatever its name,
// with Extract's bounds and annotations. The peer harness uses it for
// fixtures named like my-package-lock.json.
func extractFile(dir, name string, f *format) (Result, error) {
	quietScalibr()
	r, err := os.OpenRoot(dir)
	if err != nil {
		return Result{}, fmt.Errorf("deps: %w", err)
	}
	defer r.Close()
	opts := Options{}.withDefaults()
	s := &scan{root: dir, fsys: boundedFS{fsys: r.FS(), max: opts.MaxFileSize}, opts: opts}
	info, err := fs.Stat(s.fsys.fsys, name)
	if err != nil {
		return Result{}, fmt.Errorf("deps: %w", err)
	}
	if info.Size() > opts.MaxFileSize {
		return Result{}, fmt.Errorf("deps: %s: %d bytes is over the %d-byte limit", name, info.Size(), opts.MaxFileSize)
	}
	s.extractAs(candidate{rel: name, info: info}, f)
	return s.result(), nil
}
