package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/faasguard/faasguard/model"
)

// File is one regular file found under the scan root.
type File struct {
	Rel string // relative to the root, forward slashes
	Abs string
	// Link is true for a symlink (to a file inside the root, or outside it
	// with AllowOutside); reads of links resolve them again.
	Link bool
}

// Base returns the file's base name.
func (f File) Base() string { return filepath.Base(f.Rel) }

// Ext returns the file's lower-case extension, with the dot.
func (f File) Ext() string { return strings.ToLower(filepath.Ext(f.Rel)) }

// WalkOptions bound the discovery of files.
type WalkOptions struct {
	MaxFiles    int   // stop listing after this many files (default 200,000)
	MaxFileSize int64 // Read refuses larger files (default 10 MiB)
	// SkipDirs are directory base names never descended into.
	SkipDirs []string
	// AllowOutside lets symlinks and ${file()} references leave the root.
	AllowOutside bool
}

// DefaultSkipDirs are directories that hold no source the user edits, or
// third-party trees that would dominate the scan.
var DefaultSkipDirs = []string{".git", ".hg", ".svn", "node_modules", ".serverless", ".terraform", ".aws-sam", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".idea", ".vscode"}

// ErrTooLarge is returned by Read for files over the size limit.
var ErrTooLarge = errors.New("file over the size limit")

// ErrBinary is returned by Read for files that hold binary data.
var ErrBinary = errors.New("binary file")

// ErrOutside is returned for paths that resolve outside the scan root.
var ErrOutside = errors.New("path is outside the scanned root")

// Tree is the set of files under a scan root, read safely: never outside the
// root (unless allowed), never more than the size limit, never binary data.
// It is safe for concurrent use.
type Tree struct {
	Root string // absolute, cleaned, symlinks resolved
	opts WalkOptions

	files []File
	byRel map[string]int

	mu      sync.Mutex
	notes   []model.Note
	claimed map[string]string

	// cache keeps file contents read once (loaders, analysers, suppression
	// search read the same files), within a byte budget.
	cacheMu    sync.Mutex
	cache      map[string][]byte
	cacheBytes int64

	// onRead is told each time a listed file is read for the first time
	// (progress reporting).
	onRead func()
}

// OnFirstRead registers f to be called, possibly concurrently, the first
// time each listed file is read.
func (t *Tree) OnFirstRead(f func()) { t.onRead = f }

// cacheBudget bounds the bytes of file content a Tree keeps.
const cacheBudget = 256 << 20

// Walk lists the files under root. A root that is a single file yields a
// tree rooted at its directory holding just that file.
func Walk(root string, opts WalkOptions) (*Tree, error) {
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = 200_000
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 10 << 20
	}
	if opts.SkipDirs == nil {
		opts.SkipDirs = DefaultSkipDirs
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	single := ""
	if !st.IsDir() {
		single = filepath.Base(abs)
		abs = filepath.Dir(abs)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	t := &Tree{Root: abs, opts: opts, byRel: map[string]int{}, claimed: map[string]string{}, cache: map[string][]byte{}}
	if single != "" {
		t.add(single)
		return t, nil
	}
	skip := map[string]bool{}
	for _, d := range opts.SkipDirs {
		skip[d] = true
	}
	full := false
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Note(model.NoteWarn, model.Pos{File: t.rel(p)}, "not read: %v", unwrapPathErr(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != abs && skip[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		rel := t.rel(p)
		if d.Type()&fs.ModeSymlink != 0 {
			// Symlinked directories are not descended into: that is what
			// makes symlink loops harmless. Symlinked files are listed when
			// they stay inside the root.
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				t.Note(model.NoteInfo, model.Pos{File: rel}, "symlink skipped: %v", unwrapPathErr(err))
				return nil
			}
			ti, err := os.Stat(target)
			if err != nil || ti.IsDir() {
				t.Note(model.NoteInfo, model.Pos{File: rel}, "symlink to a directory not followed")
				return nil
			}
			if !ti.Mode().IsRegular() {
				t.Note(model.NoteInfo, model.Pos{File: rel}, "symlink to a special file (pipe, device, socket) skipped")
				return nil
			}
			if !opts.AllowOutside && !within(abs, target) {
				t.Note(model.NoteWarn, model.Pos{File: rel}, "symlink to a file outside the scanned root skipped (use --allow-outside)")
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		if len(t.files) >= opts.MaxFiles {
			if !full {
				t.Note(model.NoteWarn, model.Pos{File: rel}, "more than %d files: the rest of the tree was not listed", opts.MaxFiles)
				full = true
			}
			return fs.SkipAll
		}
		t.add(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			t.files[len(t.files)-1].Link = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].Rel < t.files[j].Rel })
	for i, f := range t.files {
		t.byRel[f.Rel] = i
	}
	return t, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (t *Tree) add(rel string) {
	abs := filepath.Join(t.Root, filepath.FromSlash(rel))
	t.byRel[rel] = len(t.files)
	t.files = append(t.files, File{Rel: rel, Abs: abs})
}

func (t *Tree) rel(p string) string {
	r, err := filepath.Rel(t.Root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// Files returns every listed file, sorted by path.
func (t *Tree) Files() []File { return t.files }

// Lookup returns the file at a root-relative path.
func (t *Tree) Lookup(rel string) (File, bool) {
	i, ok := t.byRel[filepath.ToSlash(filepath.Clean(rel))]
	if !ok {
		return File{}, false
	}
	return t.files[i], true
}

// Read returns the content of a listed or root-relative file, refusing files
// over the size limit, binary files and paths that leave the root.
func (t *Tree) Read(rel string) ([]byte, error) {
	rel = filepath.ToSlash(filepath.Clean(rel))
	t.cacheMu.Lock()
	data, ok := t.cache[rel]
	t.cacheMu.Unlock()
	if ok {
		return data, nil
	}
	var abs string
	i, listed := t.byRel[rel]
	if listed && t.onRead != nil {
		defer t.onRead()
	}
	if listed && !t.files[i].Link {
		// Listed by the walk as a regular file under the root: no need
		// to resolve symlinks again.
		abs = t.files[i].Abs
	} else {
		var err error
		if abs, err = t.Resolve(".", rel); err != nil {
			return nil, err
		}
	}
	data, err := t.readAbs(abs)
	if err != nil {
		return nil, err
	}
	t.cacheMu.Lock()
	if t.cacheBytes+int64(len(data)) <= cacheBudget {
		t.cache[rel] = data
		t.cacheBytes += int64(len(data))
	}
	t.cacheMu.Unlock()
	return data, nil
}

func (t *Tree) readAbs(abs string) ([]byte, error) {
	// Check the type before opening: opening a named pipe blocks until a
	// writer appears, which would hang the scan.
	if st, err := os.Stat(abs); err != nil {
		return nil, unwrapPathErr(err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if st.Size() > t.opts.MaxFileSize {
		return nil, fmt.Errorf("%w (%d bytes > %d)", ErrTooLarge, st.Size(), t.opts.MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, t.opts.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > t.opts.MaxFileSize {
		return nil, ErrTooLarge
	}
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, ErrBinary
	}
	return data, nil
}

// Resolve turns a path written in a file of directory fromDir (both
// root-relative) into an absolute path, refusing one that leaves the root
// (after symlinks) unless AllowOutside is set.
func (t *Tree) Resolve(fromDir, p string) (string, error) {
	var abs string
	if filepath.IsAbs(p) {
		abs = filepath.Clean(p)
	} else {
		abs = filepath.Join(t.Root, filepath.FromSlash(fromDir), filepath.FromSlash(p))
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if !t.opts.AllowOutside && !within(t.Root, abs) {
			return "", fmt.Errorf("%s: %w", p, ErrOutside)
		}
		return "", unwrapPathErr(err)
	}
	if !t.opts.AllowOutside && !within(t.Root, real) {
		return "", fmt.Errorf("%s: %w (use --allow-outside)", p, ErrOutside)
	}
	return real, nil
}

// ReadFrom reads a path written in a file of directory fromDir, with the
// same safety as Read. It returns the root-relative path (or the absolute
// one for allowed outside reads).
func (t *Tree) ReadFrom(fromDir, p string) ([]byte, string, error) {
	abs, err := t.Resolve(fromDir, p)
	if err != nil {
		return nil, "", err
	}
	data, err := t.readAbs(abs)
	rel := t.rel(abs)
	if strings.HasPrefix(rel, "..") {
		rel = filepath.ToSlash(abs)
	}
	return data, rel, err
}

// Claim marks a file as loaded by the named loader and reports whether it
// was free, so two loaders never model the same file twice.
func (t *Tree) Claim(rel, by string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.claimed[rel]; ok {
		return false
	}
	t.claimed[rel] = by
	return true
}

// ClaimedBy returns the loader that claimed a file, or "".
func (t *Tree) ClaimedBy(rel string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.claimed[rel]
}

// Note records a note about the tree (a skipped or unreadable file).
func (t *Tree) Note(level model.NoteLevel, pos model.Pos, format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notes = append(t.notes, model.Note{Level: level, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Notes returns the notes recorded so far.
func (t *Tree) Notes() []model.Note {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]model.Note(nil), t.notes...)
}
