//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFiles: named pipes must never be opened for reading (an open
// blocks until a writer comes, which never does), whether they are found
// by the walk, through a symlink, as a handler or named by ${file()}.
func TestSpecialFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		bug   string
	}{
		{name: "fifo named serverless.yml and template.yaml", setup: func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "p", "serverless.yml"))
			mkfifo(t, filepath.Join(dir, "q", "template.yaml"))
		}},
		{name: "fifo handler", setup: func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"h/serverless.yml": "service: h\nprovider: {name: aws, runtime: nodejs18.x}\nfunctions:\n  f: {handler: handler.main}\n"})
			mkfifo(t, filepath.Join(dir, "h", "handler.js"))
			mkfifo(t, filepath.Join(dir, "h", "package.json"))
			mkfifo(t, filepath.Join(dir, "h", ".env"))
		}},
		{name: "symlink to a fifo", bug: "loader/tree.go Walk lists a symlink whose target is not a regular file (it only rejects directories), and readAbs calls os.Open before checking the mode, so a symlink serverless.yml -> FIFO blocks the scan forever",
			setup: func(t *testing.T, dir string) {
				mkfifo(t, filepath.Join(dir, "p", "pipe"))
				symlink(t, "pipe", filepath.Join(dir, "p", "serverless.yml"))
			}},
		{name: "${file()} naming a fifo", bug: "loader/tree.go readAbs (via ReadFrom from loader/serverless/vars.go fileVar) calls os.Open on a FIFO before checking it is a regular file, so ${file(./vars.yml)} naming a FIFO blocks the scan forever",
			setup: func(t *testing.T, dir string) {
				writeTree(t, dir, map[string]string{"v/serverless.yml": "service: ${file(./vars.yml):name}\nprovider: {name: aws}\n"})
				mkfifo(t, filepath.Join(dir, "v", "vars.yml"))
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			addNeighbour(t, dir)
			c.setup(t, dir)
			r := execScan(t, invocation{Args: []string{"scan", dir, "--no-config", "--format", "json"}, Bounds: bounds{Timeout: 8 * time.Second}, MayHang: true})
			if r.TimedOut {
				if c.bug != "" {
					knownBug(t, "%s (killed after 8s)", c.bug)
					return
				}
				t.Fatalf("scan hung (killed after 8s)")
			}
			if c.bug != "" {
				t.Logf("known bug %q no longer reproduces: drop the bug note", c.bug)
			}
			assertNeighbour(t, parseReport(t, r.Stdout))
		})
	}
}

func mkfifo(t testing.TB, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}
