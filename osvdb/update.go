package osvdb

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultBaseURL is where osv.dev publishes its per-ecosystem exports.
const DefaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"

// DefaultMaxDownload bounds one archive download (npm, the largest
// export, is a few hundred MiB).
const DefaultMaxDownload = 4 << 30

// DefaultEcosystems are the ecosystems package deps extracts.
var DefaultEcosystems = []string{"npm", "PyPI", "Go", "Maven", "Packagist", "RubyGems", "crates.io"}

// DefaultDir is the database directory used when none is given: the user
// cache directory (XDG_CACHE_HOME or ~/.cache on Linux) + faasguard/osv,
// or a directory under the system temporary directory if there is no
// user cache directory.
func DefaultDir() string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "faasguard", "osv")
}

// UpdateOptions configures Update. Zero fields take the defaults.
type UpdateOptions struct {
	BaseURL    string   // DefaultBaseURL if empty
	Dir        string   // DefaultDir() if empty
	Ecosystems []string // DefaultEcosystems if nil
	// Progress receives a progress bar when it is a terminal, and one
	// summary line per ecosystem otherwise; nil for silence.
	Progress   io.Writer
	HTTPClient *http.Client // http.DefaultClient if nil
	MaxBytes   int64        // per archive; DefaultMaxDownload if 0
}

// UpdateResult reports one ecosystem of an Update.
type UpdateResult struct {
	Ecosystem string
	// Updated is false when the server said the installed archive is
	// current (HTTP 304) and nothing was downloaded.
	Updated bool
	Entry   ManifestEntry
}

// Update downloads <BaseURL>/<Ecosystem>/all.zip for each ecosystem into
// <Dir>/<Ecosystem>/all.zip. Each archive is written to a temporary file,
// checked (its size against Content-Length, its MD5 against the
// X-Goog-Hash header when the server sends one, and every entry parsed as
// an OSV record within the loading bounds) and only then renamed into
// place, so a failed or interrupted update leaves the previous archive.
// The manifest records each archive's SHA-256, size, record count and
// date. Ecosystems are fetched in order; a failure does not stop the
// others, and the joined errors are returned with the results that
// succeeded.
func Update(ctx context.Context, opts UpdateOptions) ([]UpdateResult, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.Dir == "" {
		opts.Dir = DefaultDir()
	}
	if opts.Ecosystems == nil {
		opts.Ecosystems = DefaultEcosystems
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = http.DefaultClient
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxDownload
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("osvdb: base URL %q is not an http(s) URL", opts.BaseURL)
	}
	for _, eco := range opts.Ecosystems {
		if err := checkEcosystemName(eco); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("osvdb: %w", err)
	}
	m, err := ReadManifest(opts.Dir)
	if err != nil {
		return nil, err
	}
	var results []UpdateResult
	var errs []error
	for _, eco := range opts.Ecosystems {
		res, err := fetch(ctx, opts, m.Ecosystems[eco], eco)
		if err != nil {
			errs = append(errs, fmt.Errorf("osvdb: %s: %w", eco, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		m.Ecosystems[eco] = res.Entry
		if err := writeManifest(opts.Dir, m); err != nil {
			errs = append(errs, fmt.Errorf("osvdb: writing manifest: %w", err))
			break
		}
		results = append(results, res)
	}
	return results, errors.Join(errs...)
}

// checkEcosystemName refuses names that would leave the directory.
func checkEcosystemName(eco string) error {
	if eco == "" || len(eco) > 64 || strings.ContainsAny(eco, `/\`) || strings.HasPrefix(eco, ".") || strings.ContainsRune(eco, 0) {
		return fmt.Errorf("osvdb: invalid ecosystem name %q", eco)
	}
	return nil
}

func fetch(ctx context.Context, opts UpdateOptions, prev ManifestEntry, eco string) (UpdateResult, error) {
	res := UpdateResult{Ecosystem: eco}
	rawURL := strings.TrimRight(opts.BaseURL, "/") + "/" + url.PathEscape(eco) + "/all.zip"
	dir := filepath.Join(opts.Dir, eco)
	dst := filepath.Join(dir, "all.zip")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return res, err
	}
	if prev.ETag != "" && prev.URL == rawURL {
		// Ask for the archive only if it changed, provided the installed
		// copy is still the one the manifest describes.
		if sum, err := FileSHA256(dst); err == nil && sum == prev.SHA256 {
			req.Header.Set("If-None-Match", prev.ETag)
		}
	}
	resp, err := opts.HTTPClient.Do(req)
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && req.Header.Get("If-None-Match") != "" {
		res.Entry = prev
		newProgress(opts.Progress, eco, 0).done(fmt.Sprintf("up to date (%d records)", prev.Records))
		return res, nil
	}
	if resp.StatusCode != http.StatusOK {
		return res, fmt.Errorf("GET %s: %s", rawURL, resp.Status)
	}
	if resp.ContentLength > opts.MaxBytes {
		return res, fmt.Errorf("GET %s: %d bytes is over the %d-byte limit", rawURL, resp.ContentLength, opts.MaxBytes)
	}

	tmp, err := os.CreateTemp(dir, ".all.zip.tmp-*")
	if err != nil {
		return res, err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op once renamed
	shaH, md5H := sha256.New(), md5.New()
	bar := newProgress(opts.Progress, eco, resp.ContentLength)
	n, err := io.Copy(io.MultiWriter(tmp, shaH, md5H, bar), io.LimitReader(resp.Body, opts.MaxBytes+1))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return res, fmt.Errorf("GET %s: connection closed after %d bytes (truncated download)", rawURL, n)
	case err != nil:
		return res, fmt.Errorf("GET %s: %w", rawURL, err)
	case n > opts.MaxBytes:
		return res, fmt.Errorf("GET %s: body is over the %d-byte limit", rawURL, opts.MaxBytes)
	case resp.ContentLength >= 0 && n != resp.ContentLength:
		return res, fmt.Errorf("GET %s: got %d bytes, Content-Length said %d (truncated download)", rawURL, n, resp.ContentLength)
	}
	if want := googMD5(resp.Header); want != nil && !bytes.Equal(want, md5H.Sum(nil)) {
		return res, fmt.Errorf("GET %s: MD5 does not match the X-Goog-Hash header (corrupted download)", rawURL)
	}
	records, err := verifyArchive(tmpName)
	if err != nil {
		return res, fmt.Errorf("downloaded archive rejected: %w", err)
	}
	if err := rename(tmpName, dst); err != nil {
		return res, err
	}
	res.Updated = true
	res.Entry = ManifestEntry{
		File:         eco + "/all.zip",
		URL:          rawURL,
		Size:         n,
		SHA256:       hex.EncodeToString(shaH.Sum(nil)),
		Records:      records,
		Downloaded:   time.Now().UTC().Truncate(time.Second),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	bar.done(fmt.Sprintf("%s, %d records, sha256 %s", humanBytes(n), records, res.Entry.SHA256[:12]))
	return res, nil
}

// verifyArchive opens a downloaded archive and parses every record with
// the same bounds Open uses, returning the record count.
func verifyArchive(path string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, fmt.Errorf("not a readable zip archive: %w", err)
	}
	defer zr.Close()
	if len(zr.File) > MaxZipEntries {
		return 0, fmt.Errorf("%d entries is over the %d-entry limit", len(zr.File), MaxZipEntries)
	}
	n := 0
	err = forEachZipRecord(&zr.Reader, func(string, *record) error { n++; return nil })
	return n, err
}

// googMD5 returns the MD5 that Google Cloud Storage sends as
// "X-Goog-Hash: crc32c=...,md5=<base64>", or nil.
func googMD5(h http.Header) []byte {
	for _, v := range h.Values("X-Goog-Hash") {
		for part := range strings.SplitSeq(v, ",") {
			if b64, ok := strings.CutPrefix(strings.TrimSpace(part), "md5="); ok {
				if sum, err := base64.StdEncoding.DecodeString(b64); err == nil && len(sum) == md5.Size {
					return sum
				}
			}
		}
	}
	return nil
}
