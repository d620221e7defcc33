package osvdb

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/faasguard/faasguard/deps"
)

func zipBytes(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// osvServer serves archives like osv.dev's bucket: ETag, X-Goog-Hash,
// 304 on a matching If-None-Match. Handlers can be overridden per path.
type osvServer struct {
	archives map[string][]byte
	override map[string]http.HandlerFunc
	hits     atomic.Int32
}

func (s *osvServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if h, ok := s.override[r.URL.Path]; ok {
		h(w, r)
		return
	}
	eco, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/all.zip")
	body, found := s.archives[eco]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	sum := md5.Sum(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("X-Goog-Hash", "crc32c=AAAAAA==,md5="+base64.StdEncoding.EncodeToString(sum[:]))
	w.Write(body)
}

func TestUpdate(t *testing.T) {
	srv := &osvServer{archives: map[string][]byte{
		"npm":  zipBytes(t, fixtureFiles(t, "npm")),
		"PyPI": zipBytes(t, fixtureFiles(t, "PyPI")),
	}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := filepath.Join(t.TempDir(), "osv")
	var progress bytes.Buffer
	opts := UpdateOptions{BaseURL: ts.URL, Dir: dir, Ecosystems: []string{"npm", "PyPI"}, Progress: &progress, HTTPClient: ts.Client()}

	res, err := Update(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].Updated || res[0].Entry.Records != 7 || res[1].Entry.Records != 7 {
		t.Fatalf("results: %+v", res)
	}
	// Not a terminal: one plain line per ecosystem, no carriage returns.
	if out := progress.String(); strings.Count(out, "\n") != 2 || strings.Contains(out, "\r") || !strings.Contains(out, "npm: ") {
		t.Errorf("progress output %q", out)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := m.Ecosystems["npm"]
	want := sha256.Sum256(srv.archives["npm"])
	if e.SHA256 != hex.EncodeToString(want[:]) || e.Size != int64(len(srv.archives["npm"])) || e.File != "npm/all.zip" || e.Downloaded.IsZero() {
		t.Errorf("manifest entry %+v", e)
	}
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Query(deps.Package{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"}); len(got) != 2 {
		t.Errorf("query after update: %v", ids(got))
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".all.zip.tmp-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// A second update sends the ETag and keeps the archive on 304.
	res, err = Update(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Updated || res[0].Entry.SHA256 != e.SHA256 {
		t.Errorf("expected not-modified, got %+v", res[0])
	}
}

func TestUpdateRejectsBadDownloads(t *testing.T) {
	good := zipBytes(t, fixtureFiles(t, "npm"))
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "404"},
		{"truncated", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(good)))
			w.Write(good[:len(good)/2])
		}, "truncated"},
		{"md5 mismatch", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Goog-Hash", "md5="+base64.StdEncoding.EncodeToString(make([]byte, 16)))
			w.Write(good)
		}, "MD5"},
		{"not a zip", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>captive portal</html>")) }, "not a readable zip"},
		{"bad record", func(w http.ResponseWriter, r *http.Request) {
			w.Write(zipBytes(t, map[string][]byte{"BAD-1.json": []byte(`{"id":"BAD-1","affected":[{"ranges":[{"type":"SEMVER","events":[{}]}]}]}`)}))
		}, "BAD-1.json"},
		{"too large", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("x"), 2048)) }, "over the 1024-byte limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			dir := t.TempDir()
			// A previous good archive must survive a failed update.
			prev := filepath.Join(dir, "npm", "all.zip")
			os.MkdirAll(filepath.Dir(prev), 0o755)
			os.WriteFile(prev, good, 0o644)
			opts := UpdateOptions{BaseURL: ts.URL, Dir: dir, Ecosystems: []string{"npm"}, HTTPClient: ts.Client()}
			if tt.name == "too large" {
				opts.MaxBytes = 1024
			}
			_, err := Update(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want containing %q", err, tt.want)
			}
			if b, _ := os.ReadFile(prev); !bytes.Equal(b, good) {
				t.Error("previous archive was replaced by a rejected download")
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "npm", ".all.zip.tmp-*")); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestUpdateOptionsValidation(t *testing.T) {
	ctx := context.Background()
	if _, err := Update(ctx, UpdateOptions{BaseURL: "file:///etc", Dir: t.TempDir()}); err == nil {
		t.Error("file URL accepted")
	}
	for _, eco := range []string{"../x", "a/b", "", ".hidden"} {
		if _, err := Update(ctx, UpdateOptions{BaseURL: "http://127.0.0.1:1", Dir: t.TempDir(), Ecosystems: []string{eco}}); err == nil || !strings.Contains(err.Error(), "invalid ecosystem") {
			t.Errorf("ecosystem %q: %v", eco, err)
		}
	}
	// One failing ecosystem does not stop the others.
	srv := &osvServer{archives: map[string][]byte{"npm": zipBytes(t, fixtureFiles(t, "npm"))}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	res, err := Update(ctx, UpdateOptions{BaseURL: ts.URL, Dir: t.TempDir(), Ecosystems: []string{"Nope", "npm"}, HTTPClient: ts.Client()})
	if err == nil || !strings.Contains(err.Error(), "Nope") || len(res) != 1 || res[0].Ecosystem != "npm" {
		t.Errorf("res %+v err %v", res, err)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, terminal: true, label: "npm", total: 200}
	p.Write(make([]byte, 100))
	p.done("ok")
	out := buf.String()
	if !strings.Contains(out, "\rnpm") || !strings.Contains(out, " 50%") || !strings.HasSuffix(out, "  ok\n") {
		t.Errorf("bar output %q", out)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}
