package deps

import (
	"fmt"
	"io"
	"io/fs"
)

// boundedFS is the file system handed to the extractors. It wraps an
// os.Root file system (which refuses paths and links that leave the root)
// and refuses to open files over the size limit, because some extractors
// open sibling files themselves (go.sum, parent pom.xml, -r includes).
type boundedFS struct {
	fsys fs.FS
	max  int64
}

func (b boundedFS) Open(name string) (fs.File, error) {
	f, err := b.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode().IsRegular() {
		if st.Size() > b.max {
			f.Close()
			return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%d bytes is over the %d-byte limit", st.Size(), b.max)}
		}
		// The file may grow after Stat; never read past the limit.
		return limitedFile{File: f, r: io.LimitReader(f, b.max)}, nil
	}
	return f, nil
}

func (b boundedFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(b.fsys, name) }

func (b boundedFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(b.fsys, name) }

type limitedFile struct {
	fs.File
	r io.Reader
}

func (l limitedFile) Read(p []byte) (int, error) { return l.r.Read(p) }
