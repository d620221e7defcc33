// Command faasguard-extension is the faasguard runtime guard as a Lambda
// extension, for any runtime (Node.js, Python, Java, .NET, custom,
// containers).
//
// Lambda starts it from the layer (/opt/extensions/faasguard-extension)
// before the runtime. It listens on 127.0.0.1:9009 (FAASGUARD_PROXY_ADDR),
// registers with the Extensions API, and serves the Runtime API to the
// runtime, which the layer's wrapper script (AWS_LAMBDA_EXEC_WRAPPER=
// /opt/faasguard-wrapper) points at it. Each invocation is inspected before
// the runtime sees it; see package guard/extension.
//
// Environment:
//
//	FAASGUARD_POLICY      policy file (YAML or JSON); default /var/task/faasguard.yaml
//	                      or /opt/faasguard/policy.yaml when present, else built-in defaults
//	FAASGUARD_PROXY_ADDR  listen address; default 127.0.0.1:9009
//	AWS_LAMBDA_RUNTIME_API set by Lambda: the real Runtime API
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/faasguard/faasguard/guard"
	"github.com/faasguard/faasguard/guard/extension"
)

const defaultAddr = "127.0.0.1:9009"

// extraOptions adds engine options from optional build-tagged features
// (tier 2, see tier2_coraza.go).
var extraOptions = func() ([]guard.Option, error) { return nil, nil }

func main() {
	log.SetFlags(0)
	log.SetPrefix("[faasguard-extension] ")
	if err := run(); err != nil {
		log.Printf("fatal: %v", err)
		os.Exit(1)
	}
}

func run() error {
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	if api == "" {
		return errors.New("AWS_LAMBDA_RUNTIME_API is not set: run me as a Lambda extension (or against the emulator)")
	}
	name := filepath.Base(os.Args[0])
	pol, src, err := loadPolicy()
	var eng *guard.Engine
	var opts []guard.Option
	if err == nil {
		opts, err = extraOptions()
	}
	if err == nil {
		eng, err = guard.New(pol, opts...)
	}
	if err != nil {
		// a broken policy must not leave the function unguarded silently:
		// report an init error, which fails the function's init visibly
		if id, rerr := register(api, name); rerr == nil {
			reportInitError(api, id, err)
		}
		return fmt.Errorf("policy %s: %w", src, err)
	}
	addr := os.Getenv("FAASGUARD_PROXY_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: extension.New(api, eng, log.Printf), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("proxy: %v", err)
		}
	}()
	log.Printf("guarding runtime API %s on %s (policy: %s)", api, ln.Addr(), src)

	id, err := register(api, name)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	err = waitShutdown(ctx, api, id)
	sctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	srv.Shutdown(sctx)
	return err
}

func loadPolicy() (guard.Policy, string, error) {
	path := os.Getenv("FAASGUARD_POLICY")
	if path == "" {
		for _, p := range []string{"/var/task/faasguard.yaml", "/var/task/faasguard.json", "/opt/faasguard/policy.yaml"} {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		return guard.Policy{}, "built-in defaults", nil
	}
	p, err := guard.LoadPolicy(path)
	return p, path, err
}

// register registers for SHUTDOWN only: the proxy sees every invocation
// anyway, and not registering for INVOKE keeps the extension off the
// invocation's critical path.
func register(api, name string) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+api+"/2020-01-01/extension/register", bytes.NewReader([]byte(`{"events":["SHUTDOWN"]}`)))
	req.Header.Set("Lambda-Extension-Name", name)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("register: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return "", fmt.Errorf("register: %s: %s", resp.Status, b)
	}
	id := resp.Header.Get("Lambda-Extension-Identifier")
	if id == "" {
		return "", errors.New("register: no Lambda-Extension-Identifier in the answer")
	}
	return id, nil
}

// waitShutdown polls for extension events until SHUTDOWN; transient
// errors are retried so that a slow or restarting API does not end the guard.
func waitShutdown(ctx context.Context, api, id string) error {
	backoff := 50 * time.Millisecond
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+api+"/2020-01-01/extension/event/next", nil)
		req.Header.Set("Lambda-Extension-Identifier", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			log.Printf("event/next: %v (retrying)", err)
			time.Sleep(backoff)
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		var ev struct {
			EventType string `json:"eventType"`
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&ev)
		resp.Body.Close()
		if resp.StatusCode == http.StatusForbidden {
			return fmt.Errorf("event/next: %s: extension is no longer registered", resp.Status)
		}
		if err == nil && ev.EventType == "SHUTDOWN" {
			log.Printf("shutdown")
			return nil
		}
		backoff = 50 * time.Millisecond
	}
}

// reportInitError posts to the Extensions API's init/error endpoint.
func reportInitError(api, id string, cause error) {
	body, _ := json.Marshal(map[string]string{"errorMessage": cause.Error(), "errorType": "Extension.PolicyError"})
	req, _ := http.NewRequest(http.MethodPost, "http://"+api+"/2020-01-01/extension/init/error", bytes.NewReader(body))
	req.Header.Set("Lambda-Extension-Identifier", id)
	req.Header.Set("Lambda-Extension-Function-Error-Type", "Extension.PolicyError")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}
