package extension

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faasguard/faasguard/guard/runtimeapi/emulator"
)

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	d, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatal("go.mod not found")
		}
		d = filepath.Dir(d)
	}
}

func goBuild(t *testing.T, root, out, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer collects a process's output safely.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, out *syncBuffer, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEndToEnd runs real function processes (a Go function built with
// aws-lambda-go, and a Python runtime loop) behind the extension binary,
// against the Runtime API emulator.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries; skipped in -short mode")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	extBin := filepath.Join(dir, "faasguard-extension")
	goBuild(t, root, extBin, "./cmd/faasguard-extension")
	goFunc := filepath.Join(dir, "gofunc")
	goBuild(t, root, goFunc, "./guard/extension/testdata/gofunc")

	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	proxy := freeAddr(t)
	var extOut syncBuffer
	start(t, &extOut, []string{"AWS_LAMBDA_RUNTIME_API=" + emu.Addr(), "FAASGUARD_PROXY_ADDR=" + proxy, "FAASGUARD_POLICY="}, extBin)
	waitFor(t, "the extension to register", func() bool { return len(emu.Extensions()) == 1 })
	if got := emu.Extensions()[0]; got != "faasguard-extension" {
		t.Errorf("registered as %q", got)
	}

	runtimes := []struct {
		name string
		cmd  []string
	}{
		{"go", []string{goFunc}},
		{"python", []string{"python3", filepath.Join(root, "guard", "extension", "testdata", "pyfunc", "runtime.py")}},
	}
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			if rt.name == "python" {
				if _, err := exec.LookPath("python3"); err != nil {
					t.Skip("python3 not installed: the Python runtime half of the end-to-end test is skipped")
				}
			}
			seen := filepath.Join(t.TempDir(), "seen.log")
			var fnOut syncBuffer
			fn := start(t, &fnOut, []string{"AWS_LAMBDA_RUNTIME_API=" + proxy, "SEEN_FILE=" + seen}, rt.cmd[0], rt.cmd[1:]...)
			runScenarios(t, emu, rt.name, seen, &extOut)
			// the runtime exits: the extension survives and serves the next one
			fn.Process.Kill()
			fn.Wait()
			start(t, &fnOut, []string{"AWS_LAMBDA_RUNTIME_API=" + proxy, "SEEN_FILE=" + seen}, rt.cmd[0], rt.cmd[1:]...)
			res := invoke(t, emu, `{"after":"restart"}`)
			if !strings.Contains(string(res.Body), "restart") {
				t.Errorf("after a runtime restart: %s (function output: %s)", res.Body, fnOut.String())
			}
		})
	}
}

func invoke(t *testing.T, emu *emulator.Emulator, ev string) emulator.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := emu.Invoke(ctx, []byte(ev))
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	return res
}

func runScenarios(t *testing.T, emu *emulator.Emulator, runtime, seen string, extOut *syncBuffer) {
	benign := `{"resource":"/hi","path":"/hi","httpMethod":"GET","headers":{"Accept":"*/*"},"queryStringParameters":{"name":"Zoë O'Brien"},"requestContext":{"requestId":"r","protocol":"HTTP/1.1","httpMethod":"GET"},"body":null,"isBase64Encoded":false}`
	attack := `{"resource":"/hi","path":"/hi","httpMethod":"GET","headers":{"Accept":"*/*"},"queryStringParameters":{"name":"x' UNION SELECT password FROM users--"},"requestContext":{"requestId":"r","protocol":"HTTP/1.1","httpMethod":"GET"},"body":null,"isBase64Encoded":false}`
	batch := `{"Records":[{"messageId":"good-1","body":"hello","eventSource":"aws:sqs"},{"messageId":"bad-2","body":"{\"url\":\"http://169.254.169.254/latest/meta-data/\"}","eventSource":"aws:sqs"}]}`

	// a good event reaches the handler unchanged and its response comes back unchanged
	res := invoke(t, emu, benign)
	var got struct {
		Runtime  string          `json:"runtime"`
		Received json.RawMessage `json:"received"`
	}
	if err := json.Unmarshal(res.Body, &got); err != nil || got.Runtime != runtime {
		t.Fatalf("benign: %s (%v)", res.Body, err)
	}
	var want, have any
	json.Unmarshal([]byte(benign), &want)
	json.Unmarshal(got.Received, &have)
	if !reflect.DeepEqual(want, have) {
		t.Errorf("the handler received %s, want %s", got.Received, benign)
	}

	// a malicious event never reaches the handler; the caller gets a 403
	res = invoke(t, emu, attack)
	if !strings.Contains(string(res.Body), `"statusCode":403`) {
		t.Errorf("attack: %s", res.Body)
	}
	// a batch: the good record is processed, the bad one reported
	res = invoke(t, emu, batch)
	if !strings.Contains(string(res.Body), `"itemIdentifier":"bad-2"`) || !strings.Contains(string(res.Body), "good-1") {
		t.Errorf("batch: %s", res.Body)
	}
	log, err := os.ReadFile(seen)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), "UNION SELECT") || strings.Contains(string(log), "169.254.169.254") {
		t.Errorf("malicious input reached the handler:\n%s", log)
	}
	if !strings.Contains(string(log), "good-1") {
		t.Errorf("the good record did not reach the handler:\n%s", log)
	}
	if !strings.Contains(extOut.String(), `"class_uid":2004`) || !strings.Contains(extOut.String(), "sqli") {
		t.Errorf("no security event in the extension's output:\n%s", extOut.String())
	}
}
