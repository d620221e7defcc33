// Package extension is the guard's language-agnostic delivery: a Lambda
// Runtime API proxy. The function's runtime is pointed at the proxy (the
// layer's AWS_LAMBDA_EXEC_WRAPPER script rewrites AWS_LAMBDA_RUNTIME_API);
// the proxy fetches each invocation from the real Runtime API, inspects
// it, hands allowed events to the runtime unchanged, answers blocked ones
// itself and fetches the next. Every other endpoint (responses, errors,
// init errors, streamed responses with their trailers) passes through
// untouched, all Lambda-Runtime-* headers included.
package extension

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/faasguard/faasguard/guard"
)

const (
	nextPath   = "/2018-06-01/runtime/invocation/next"
	invPrefix  = "/2018-06-01/runtime/invocation/"
	maxEvent   = 32 << 20 // above Lambda's 6 MB (sync) and 1 MB (async) payload limits
	maxRetries = 8
)

// Proxy proxies the Runtime API with inspection. Create it with New.
type Proxy struct {
	upstream string
	eng      *guard.Engine
	client   *http.Client
	rp       *httputil.ReverseProxy
	logf     func(format string, args ...any)

	mu      sync.Mutex
	pending map[string][]string // request ID -> batchItemFailures to merge into the response
}

// New returns a proxy for the Runtime API at upstream (host:port, the
// original AWS_LAMBDA_RUNTIME_API). logf receives operational messages
// (nil discards them); security events go to the engine's sink.
func New(upstream string, eng *guard.Engine, logf func(string, ...any)) *Proxy {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	target := &url.URL{Scheme: "http", Host: upstream}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 8,
		// no response timeout: invocation/next is a long poll
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = tr
	rp.FlushInterval = -1 // streamed responses go through as they come
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		logf("faasguard: proxy %s %s: %v", r.Method, r.URL.Path, err)
		w.WriteHeader(http.StatusBadGateway)
	}
	return &Proxy{upstream: upstream, eng: eng, client: &http.Client{Transport: tr}, rp: rp, logf: logf, pending: map[string][]string{}}
}

// ServeHTTP serves the Runtime API to the function's runtime.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == nextPath:
		p.next(w, r)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, invPrefix) && strings.HasSuffix(r.URL.Path, "/response"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, invPrefix), "/response")
		p.mu.Lock()
		ids, ok := p.pending[id]
		delete(p.pending, id)
		p.mu.Unlock()
		if ok {
			p.mergeResponse(w, r, ids)
			return
		}
		p.rp.ServeHTTP(w, r)
	default:
		p.rp.ServeHTTP(w, r)
	}
}

// next fetches invocations until one may reach the runtime.
func (p *Proxy) next(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	for {
		resp, body, err := p.fetchNext(ctx)
		if err != nil {
			if ctx.Err() == nil {
				p.logf("faasguard: fetching next invocation: %v", err)
			}
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		if resp.StatusCode != http.StatusOK || id == "" {
			// not an invocation (an error from the Runtime API): relay it as is
			copyHeader(w.Header(), resp.Header)
			w.WriteHeader(resp.StatusCode)
			w.Write(body)
			return
		}
		v := p.eng.Inspect(guard.WithRequestID(ctx, id), body)
		switch v.Action {
		case guard.Allow:
			p.deliver(w, resp, body)
			return
		case guard.Partial:
			filtered, err := guard.FilterRecords(body, v.BlockedRecords)
			if err == nil {
				if len(v.ItemFailures) > 0 {
					p.mu.Lock()
					p.pending[id] = v.ItemFailures
					p.mu.Unlock()
				}
				p.deliver(w, resp, filtered)
				return
			}
			p.logf("faasguard: %s: cannot filter the batch (%v); applying fail mode %s", id, err, p.eng.Policy().Fail)
			if p.eng.Policy().Fail == guard.FailOpen {
				p.deliver(w, resp, body)
				return
			}
		}
		if err := p.answer(ctx, id, v); err != nil {
			p.logf("faasguard: %s: posting the verdict: %v", id, err)
		}
	}
}

// fetchNext long-polls the upstream next endpoint, retrying connection
// failures with backoff so that a restarting or slow Runtime API does not
// kill the runtime.
func (p *Proxy) fetchNext(ctx context.Context) (*http.Response, []byte, error) {
	backoff := 10 * time.Millisecond
	var last error
	for attempt := 0; attempt < maxRetries; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.upstream+nextPath, nil)
		if err != nil {
			return nil, nil, err
		}
		resp, err := p.client.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxEvent+1))
			resp.Body.Close()
			if rerr == nil && len(body) > maxEvent {
				rerr = fmt.Errorf("event larger than %d bytes", maxEvent)
			}
			if rerr == nil {
				return resp, body, nil
			}
			err = rerr
		}
		last = err
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		backoff = min(2*backoff, time.Second)
	}
	return nil, nil, fmt.Errorf("after %d attempts: %w", maxRetries, last)
}

func (p *Proxy) deliver(w http.ResponseWriter, resp *http.Response, body []byte) {
	copyHeader(w.Header(), resp.Header)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	w.Write(body)
}

// answer posts the verdict's response for a blocked invocation.
func (p *Proxy) answer(ctx context.Context, id string, v guard.Verdict) error {
	payload, berr := guard.BlockResponse(v)
	path, errType := "/response", ""
	if berr != nil {
		path, errType = "/error", "Faasguard.Blocked"
		payload = []byte(`{"errorMessage":"` + berr.Error() + `","errorType":"Faasguard.Blocked"}`)
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, "http://"+p.upstream+invPrefix+id+path, bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if errType != "" {
		req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("runtime API answered %s", resp.Status)
	}
	return nil
}

// mergeResponse adds the guard's batchItemFailures to a batch response.
func (p *Proxy) mergeResponse(w http.ResponseWriter, r *http.Request, ids []string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEvent+1))
	if err == nil && len(body) > maxEvent {
		err = errors.New("response too large")
	}
	if err == nil {
		var merged []byte
		if merged, err = guard.MergeItemFailures(body, ids); err == nil {
			body = merged
		}
	}
	if err != nil {
		p.logf("faasguard: %s: cannot add batchItemFailures to the response: %v", r.URL.Path, err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	r.Header.Del("Transfer-Encoding")
	p.rp.ServeHTTP(w, r)
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if k == "Content-Length" || k == "Transfer-Encoding" || k == "Connection" {
			continue
		}
		dst[k] = append([]string(nil), vs...)
	}
}
