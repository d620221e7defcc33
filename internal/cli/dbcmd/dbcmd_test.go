package dbcmd

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func archive(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files, _ := filepath.Glob("../../../osvdb/testdata/db/npm/*.json")
	if len(files) == 0 {
		t.Fatal("no fixture records")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(filepath.Base(f))
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestUpdateAndStatus(t *testing.T) {
	body := archive(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/npm/all.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer ts.Close()
	dir := filepath.Join(t.TempDir(), "osv")

	code, out, errOut := run("update", "--ecosystems", "npm", "--db", dir, "--base-url", ts.URL)
	if code != 0 || !strings.Contains(out, "npm: updated, 7 records") {
		t.Fatalf("update: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, _ = run("status", "--db", dir)
	if code != 0 || !strings.Contains(out, "npm") || !strings.Contains(out, " ok") || !strings.Contains(out, "7") {
		t.Fatalf("status: code %d\n%s", code, out)
	}
	// A tampered archive fails the status check.
	os.WriteFile(filepath.Join(dir, "npm", "all.zip"), []byte("x"), 0o644)
	if code, out, _ = run("status", "--db", dir); code != 1 || !strings.Contains(out, "modified") {
		t.Errorf("status after tampering: code %d\n%s", code, out)
	}
	// An ecosystem the server does not have fails the command.
	if code, _, errOut = run("update", "--ecosystems", "Nope", "--db", dir, "--base-url", ts.URL); code != 1 || !strings.Contains(errOut, "404") {
		t.Errorf("update of missing ecosystem: code %d, %s", code, errOut)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, 2, "", "usage: faasguard db"},
		{[]string{"help"}, 0, "usage: faasguard db", ""},
		{[]string{"frob"}, 2, "", `unknown command "frob"`},
		{[]string{"update", "-h"}, 0, "--ecosystems", ""},
		{[]string{"update", "-h"}, 0, "-base-url", ""},
		{[]string{"status", "-h"}, 0, "-db", ""},
		{[]string{"update", "--bogus"}, 2, "", "flag provided but not defined"},
		{[]string{"update", "--ecosystems", " , "}, 2, "", "--ecosystems is empty"},
		{[]string{"status", "extra"}, 2, "", "unexpected argument"},
		{[]string{"status", "--db", "/nonexistent/faasguard-db"}, 1, "", "no database at"},
	}
	for _, tt := range tests {
		code, out, errOut := run(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.inStdout) || !strings.Contains(errOut, tt.inStderr) {
			t.Errorf("Run(%q) = %d\nstdout: %s\nstderr: %s", tt.args, code, out, errOut)
		}
	}
}

func TestHelpPrintedOnce(t *testing.T) {
	for _, cmd := range []string{"update", "status"} {
		code, out, errOut := run(cmd, "-h")
		if code != 0 || strings.Count(out, "usage:") != 1 || errOut != "" {
			t.Errorf("%s -h: code %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}

func TestStatusPlainJSON(t *testing.T) {
	code, out, errOut := run("status", "--db", "../../../osvdb/testdata/db")
	if code != 0 || !strings.Contains(out, "PyPI") || !strings.Contains(out, "JSON files") {
		t.Errorf("code %d\n%s\n%s", code, out, errOut)
	}
}
