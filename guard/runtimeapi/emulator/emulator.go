// Package emulator is an in-process emulation of the AWS Lambda Runtime
// API and Extensions API, for tests: a runtime (or a proxy in front of it)
// polls it for invocations exactly as it would poll Lambda, and tests
// drive it with Invoke.
//
// Implemented: runtime invocation next/response/error (buffered and
// streamed responses, error trailers), init/error, extension
// register/event next with INVOKE and SHUTDOWN events. Not implemented:
// the Telemetry and Logs APIs.
package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxPayload bounds request bodies the emulator reads (responses, errors).
const MaxPayload = 20 << 20

// Result is the outcome of one invocation.
type Result struct {
	RequestID string
	Body      []byte      // the function's response or error document
	Error     bool        // the runtime posted to /error (or an error trailer)
	ErrorType string      // Lambda-Runtime-Function-Error-Type
	Header    http.Header // headers of the runtime's response post
	Streamed  bool        // Lambda-Runtime-Function-Response-Mode: streaming
}

type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	header   http.Header
	done     chan Result
}

type extension struct {
	name   string
	id     string
	events map[string]bool
	queue  chan []byte
}

// Emulator serves the Runtime and Extensions APIs.
type Emulator struct {
	srv      *http.Server
	ln       net.Listener
	queue    chan *invocation
	mu       sync.Mutex
	pending  map[string]*invocation
	exts     map[string]*extension
	initErrs [][]byte
	// Timeout is the invocation timeout reported in Lambda-Runtime-Deadline-Ms.
	Timeout time.Duration
	// FunctionArn is sent in Lambda-Runtime-Invoked-Function-Arn.
	FunctionArn string
}

// Start listens on addr ("127.0.0.1:0" for any free port) and serves.
func Start(addr string) (*Emulator, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		ln: ln, queue: make(chan *invocation, 64), pending: map[string]*invocation{}, exts: map[string]*extension{},
		Timeout: 30 * time.Second, FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:emulated",
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", e.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", e.response)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", e.invocationError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", e.initError)
	mux.HandleFunc("POST /2020-01-01/extension/register", e.register)
	mux.HandleFunc("GET /2020-01-01/extension/event/next", e.extensionNext)
	mux.HandleFunc("POST /2020-01-01/extension/init/error", e.initError)
	mux.HandleFunc("POST /2020-01-01/extension/exit/error", e.initError)
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln)
	return e, nil
}

// Addr is the host:port to put in AWS_LAMBDA_RUNTIME_API.
func (e *Emulator) Addr() string { return e.ln.Addr().String() }

// Close sends SHUTDOWN to registered extensions and stops serving.
func (e *Emulator) Close() error {
	e.Shutdown("spindown")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := e.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return e.srv.Close() // long polls still open
	}
	return err
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Invoke queues an invocation and waits for the runtime's response or
// error, or for ctx to end.
func (e *Emulator) Invoke(ctx context.Context, payload []byte) (Result, error) {
	inv := &invocation{id: newID(), payload: payload, deadline: time.Now().Add(e.Timeout), done: make(chan Result, 1)}
	e.mu.Lock()
	e.pending[inv.id] = inv
	for _, x := range e.exts {
		if x.events["INVOKE"] {
			ev, _ := json.Marshal(map[string]any{"eventType": "INVOKE", "requestId": inv.id, "deadlineMs": inv.deadline.UnixMilli(),
				"invokedFunctionArn": e.FunctionArn})
			select {
			case x.queue <- ev:
			default:
			}
		}
	}
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.pending, inv.id)
		e.mu.Unlock()
	}()
	select {
	case e.queue <- inv:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	select {
	case r := <-inv.done:
		return r, nil
	case <-ctx.Done():
		return Result{RequestID: inv.id}, fmt.Errorf("invocation %s: %w", inv.id, ctx.Err())
	}
}

// Extensions returns the names of registered extensions.
func (e *Emulator) Extensions() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, x := range e.exts {
		out = append(out, x.name)
	}
	return out
}

// InitErrors returns the documents posted to /runtime/init/error.
func (e *Emulator) InitErrors() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([][]byte(nil), e.initErrs...)
}

// Shutdown sends a SHUTDOWN event to every extension registered for it.
func (e *Emulator) Shutdown(reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev, _ := json.Marshal(map[string]any{"eventType": "SHUTDOWN", "shutdownReason": reason, "deadlineMs": time.Now().Add(2 * time.Second).UnixMilli()})
	for _, x := range e.exts {
		if x.events["SHUTDOWN"] {
			select {
			case x.queue <- ev:
			default:
			}
		}
	}
}

func (e *Emulator) next(w http.ResponseWriter, r *http.Request) {
	select {
	case inv := <-e.queue:
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", e.FunctionArn)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
		w.WriteHeader(http.StatusOK)
		if _, err := w.Write(inv.payload); err != nil {
			// the runtime went away with the event: requeue it
			e.queue <- inv
		}
	case <-r.Context().Done():
	}
}

func (e *Emulator) take(w http.ResponseWriter, id string) *invocation {
	e.mu.Lock()
	inv := e.pending[id]
	e.mu.Unlock()
	if inv == nil {
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "unknown or finished request ID "+id)
	}
	return inv
}

func (e *Emulator) response(w http.ResponseWriter, r *http.Request) {
	inv := e.take(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayload+1))
	if err != nil || len(body) > MaxPayload {
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response too large or unreadable")
		return
	}
	res := Result{RequestID: inv.id, Body: body, Header: r.Header.Clone(),
		Streamed: strings.EqualFold(r.Header.Get("Lambda-Runtime-Function-Response-Mode"), "streaming")}
	if t := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); t != "" {
		res.Error, res.ErrorType = true, t
	}
	deliver(inv, res)
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func (e *Emulator) invocationError(w http.ResponseWriter, r *http.Request) {
	inv := e.take(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxPayload))
	deliver(inv, Result{RequestID: inv.id, Body: body, Error: true, ErrorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"), Header: r.Header.Clone()})
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func deliver(inv *invocation, r Result) {
	select {
	case inv.done <- r:
	default: // a second response for the same request: ignored, as Lambda does
	}
}

func (e *Emulator) initError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxPayload))
	e.mu.Lock()
	e.initErrs = append(e.initErrs, body)
	e.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func (e *Emulator) register(w http.ResponseWriter, r *http.Request) {
	name := r.Header.Get("Lambda-Extension-Name")
	if name == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "missing Lambda-Extension-Name")
		return
	}
	var req struct {
		Events []string `json:"events"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	x := &extension{name: name, id: newID(), events: map[string]bool{}, queue: make(chan []byte, 64)}
	for _, ev := range req.Events {
		if ev != "INVOKE" && ev != "SHUTDOWN" {
			writeError(w, http.StatusBadRequest, "InvalidEventType", "unknown event "+ev)
			return
		}
		x.events[ev] = true
	}
	e.mu.Lock()
	e.exts[x.id] = x
	e.mu.Unlock()
	w.Header().Set("Lambda-Extension-Identifier", x.id)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"functionName": "emulated", "functionVersion": "$LATEST", "handler": "bootstrap"})
}

func (e *Emulator) extensionNext(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	x := e.exts[r.Header.Get("Lambda-Extension-Identifier")]
	e.mu.Unlock()
	if x == nil {
		writeError(w, http.StatusForbidden, "Extension.Unregistered", "unknown Lambda-Extension-Identifier")
		return
	}
	select {
	case ev := <-x.queue:
		w.Header().Set("Content-Type", "application/json")
		w.Write(ev)
	case <-r.Context().Done():
	}
}

func writeError(w http.ResponseWriter, code int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}
