package extension

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faasguard/faasguard/guard"
	"github.com/faasguard/faasguard/guard/runtimeapi/emulator"
)

func newProxy(t testing.TB, upstream string) *httptest.Server {
	t.Helper()
	eng, err := guard.New(guard.Policy{}, guard.WithEventsTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(upstream, eng, t.Logf))
	t.Cleanup(srv.Close)
	return srv
}

// runtimeOnce acts as a runtime: fetch one invocation through base, then
// post resp (as a stream when streamed is set) and return the headers seen.
func runtimeOnce(t testing.TB, base string, respond func(id string, event []byte) *http.Request) (http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(base + nextPath)
	if err != nil {
		t.Error(err)
		return nil, nil
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	req := respond(id, body)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return resp.Header, body
	}
	io.Copy(io.Discard, r2.Body)
	r2.Body.Close()
	if r2.StatusCode != http.StatusAccepted {
		t.Errorf("post: %s", r2.Status)
	}
	return resp.Header, body
}

func TestPassThrough(t *testing.T) {
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	proxy := newProxy(t, emu.Addr())

	t.Run("headers and streamed response with trailers", func(t *testing.T) {
		done := make(chan http.Header, 1)
		go func() {
			h, _ := runtimeOnce(t, proxy.URL, func(id string, ev []byte) *http.Request {
				pr, pw := io.Pipe()
				go func() {
					for i := range 3 {
						fmt.Fprintf(pw, "chunk-%d;", i)
						time.Sleep(5 * time.Millisecond)
					}
					pw.Close()
				}()
				req, _ := http.NewRequest(http.MethodPost, proxy.URL+invPrefix+id+"/response", pr)
				req.Header.Set("Lambda-Runtime-Function-Response-Mode", "streaming")
				req.Header.Set("Content-Type", "application/vnd.awslambda.http-integration-response")
				req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil}
				return req
			})
			done <- h
		}()
		res, err := emu.Invoke(context.Background(), []byte(`{"hello":"world"}`))
		if err != nil {
			t.Fatal(err)
		}
		h := <-done
		var names []string
		for k := range h {
			if strings.HasPrefix(k, "Lambda-Runtime-") {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		if len(names) < 4 {
			t.Errorf("runtime saw Lambda-Runtime-* headers %v", names)
		}
		if string(res.Body) != "chunk-0;chunk-1;chunk-2;" || !res.Streamed {
			t.Errorf("streamed response: %q streamed=%v", res.Body, res.Streamed)
		}
	})

	t.Run("invocation error", func(t *testing.T) {
		go runtimeOnce(t, proxy.URL, func(id string, ev []byte) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, proxy.URL+invPrefix+id+"/error", strings.NewReader(`{"errorMessage":"boom","errorType":"Oops"}`))
			req.Header.Set("Lambda-Runtime-Function-Error-Type", "Oops")
			return req
		})
		res, err := emu.Invoke(context.Background(), []byte(`{}`))
		if err != nil || !res.Error || res.ErrorType != "Oops" || !bytes.Contains(res.Body, []byte("boom")) {
			t.Errorf("error: %+v %v", res, err)
		}
	})

	t.Run("init error", func(t *testing.T) {
		resp, err := http.Post(proxy.URL+"/2018-06-01/runtime/init/error", "application/json", strings.NewReader(`{"errorMessage":"cannot start"}`))
		if err != nil || resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%v %v", resp, err)
		}
		if errs := emu.InitErrors(); len(errs) == 0 || !bytes.Contains(errs[len(errs)-1], []byte("cannot start")) {
			t.Errorf("init errors %q", errs)
		}
	})
}

func TestUpstreamDown(t *testing.T) {
	// nothing listens upstream: the runtime gets a 502 after the retries,
	// and the proxy keeps serving
	proxy := newProxy(t, freeAddr(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, proxy.URL+nextPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status %s", resp.Status)
	}
	// the proxy still answers
	resp, err = http.Post(proxy.URL+"/2018-06-01/runtime/init/error", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestSlowUpstream(t *testing.T) {
	// a Runtime API that takes its time (a long poll) is waited for
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "r1")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer slow.Close()
	proxy := newProxy(t, strings.TrimPrefix(slow.URL, "http://"))
	resp, err := http.Get(proxy.URL + nextPath)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(bufio.NewReader(resp.Body))
	resp.Body.Close()
	if string(b) != `{"ok":true}` || resp.Header.Get("Lambda-Runtime-Aws-Request-Id") != "r1" {
		t.Errorf("%s %v", b, resp.Header)
	}
}

// BenchmarkAddedLatency measures one invocation round trip (Invoke, the
// runtime's next and response) directly against the emulator and through
// the proxy; the difference is the extension's added latency.
func BenchmarkAddedLatency(b *testing.B) {
	ev := []byte(`{"resource":"/hi","path":"/hi","httpMethod":"GET","headers":{"Accept":"*/*","User-Agent":"Mozilla/5.0"},"queryStringParameters":{"name":"Zoë"},"requestContext":{"requestId":"r","protocol":"HTTP/1.1"},"body":"{\"order\":42,\"note\":\"leave at the door\"}","isBase64Encoded":false}`)
	for _, via := range []string{"direct", "proxy"} {
		b.Run(via, func(b *testing.B) {
			emu, err := emulator.Start("127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer emu.Close()
			base := "http://" + emu.Addr()
			if via == "proxy" {
				base = newProxy(b, emu.Addr()).URL
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				for ctx.Err() == nil {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+nextPath, nil)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
					r2, err := http.Post(base+invPrefix+id+"/response", "application/json", bytes.NewReader(body))
					if err != nil {
						return
					}
					io.Copy(io.Discard, r2.Body)
					r2.Body.Close()
				}
			}()
			durs := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if _, err := emu.Invoke(context.Background(), ev); err != nil {
					b.Fatal(err)
				}
				durs = append(durs, time.Since(t0))
			}
			sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
			b.ReportMetric(float64(durs[len(durs)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs")
		})
	}
}
