package osvdb

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// ManifestName is the file, at the top of a database directory, in which
// Update records what it installed.
const ManifestName = "faasguard-manifest.json"

// Manifest describes the archives Update installed in a directory.
type Manifest struct {
	Ecosystems map[string]ManifestEntry `json:"ecosystems"`
}

// ManifestEntry describes one installed archive.
type ManifestEntry struct {
	File         string    `json:"file"` // relative to the directory, slash-separated
	URL          string    `json:"url"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	Records      int       `json:"records"`
	Downloaded   time.Time `json:"downloaded"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
}

// ReadManifest reads dir's manifest; a directory without one yields an
// empty manifest and no error.
func ReadManifest(dir string) (Manifest, error) {
	m := Manifest{Ecosystems: map[string]ManifestEntry{}}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("osvdb: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("osvdb: %s: %v", filepath.Join(dir, ManifestName), jsonErr(b, err))
	}
	if m.Ecosystems == nil {
		m.Ecosystems = map[string]ManifestEntry{}
	}
	return m, nil
}

func writeManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ManifestName), append(b, '\n'))
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it into place, so readers see the old or the new file only.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return rename(tmp.Name(), path)
}

// rename replaces dst; Windows refuses to rename over an existing file.
func rename(src, dst string) error {
	if runtime.GOOS == "windows" {
		_ = os.Remove(dst)
	}
	return os.Rename(src, dst)
}

// FileSHA256 returns the hex SHA-256 of a file, for checking an installed
// archive against its manifest entry.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
