// Package guard is faasguard's runtime inspection engine. It takes a raw
// Lambda event, recognises its trigger, unwraps the envelope into the
// values an attacker controls, runs the tier-1 detectors on each value in
// its context, enforces size, depth and field limits and optional JSON
// Schemas, and returns a verdict that fits the trigger.
//
//	eng, err := guard.New(guard.Policy{})
//	v := eng.Inspect(ctx, rawEvent)
//	if v.Action != guard.Allow { resp := eng.Respond(v) ... }
//
// An Engine is safe for concurrent use. Deliveries: package lambdamw wraps
// aws-lambda-go handlers; cmd/faasguard-extension inspects events beside
// any runtime.
package guard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/faasguard/faasguard/guard/detect"
	"github.com/faasguard/faasguard/guard/envelope"
	"github.com/faasguard/faasguard/guard/secevent"
)

// Action is the verdict's decision.
type Action string

// Verdict actions.
const (
	Allow   Action = "allow"   // pass the event on unchanged
	Block   Action = "block"   // do not run the handler; answer with Respond
	Partial Action = "partial" // batch: run the handler on the good records only
)

// Finding is one rule match.
type Finding struct {
	Rule    string `json:"rule"`  // e.g. "sqli.libinjection"
	Class   string `json:"class"` // e.g. "sqli", "limits", "schema"
	Mode    Mode   `json:"mode"`  // block or monitor
	Trigger string `json:"trigger"`
	Path    string `json:"path,omitempty"`
	Context string `json:"context,omitempty"`
	Record  int    `json:"record"` // batch record index, -1 if none
	Sample  string `json:"sample,omitempty"`
	Message string `json:"message,omitempty"`
}

// Verdict is the result of inspecting one event.
type Verdict struct {
	Action   Action    `json:"action"`
	Trigger  string    `json:"trigger"`
	Findings []Finding `json:"findings,omitempty"`
	// BlockedRecords lists the batch records to withhold from the handler;
	// ItemFailures their identifiers for batchItemFailures (quarantine mode).
	BlockedRecords []int    `json:"blocked_records,omitempty"`
	ItemFailures   []string `json:"batch_item_failures,omitempty"`
	BatchMode      string   `json:"batch_mode,omitempty"`
	// Failure is set when the guard itself failed; FailMode says whether
	// the event was then let through (open) or blocked (closed).
	Failure  string        `json:"failure,omitempty"`
	FailMode string        `json:"fail_mode,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Engine inspects events under one policy.
type Engine struct {
	pol     Policy
	force   envelope.Trigger
	lim     envelope.Limits
	schemas []*compiledSchema
	sink    Sink
	fn      string
	tier2   Tier2
}

// Sink receives security events; *secevent.Writer implements it.
type Sink interface {
	Emit(secevent.Detection) error
}

// Option configures an Engine.
type Option func(*Engine)

// WithSink sends security events to s (default: JSON lines on stdout).
func WithSink(s Sink) Option { return func(e *Engine) { e.sink = s } }

// WithEventsTo writes security events as JSON lines to w; nil discards them.
func WithEventsTo(w io.Writer) Option {
	return func(e *Engine) {
		if w == nil {
			e.sink = nil
			return
		}
		e.sink = secevent.NewWriter(w)
	}
}

// New builds an Engine, compiling the policy's schemas once.
func New(p Policy, opts ...Option) (*Engine, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	p = p.withDefaults()
	force, _ := envelope.ParseTrigger(p.Trigger)
	e := &Engine{
		pol:   p,
		force: force,
		lim: envelope.Limits{MaxDepth: p.Limits.MaxDepth, MaxFields: p.Limits.MaxFields, MaxNodes: 10 * p.Limits.MaxFields,
			MaxDecoded: p.Limits.MaxDecoded, MaxNested: 4},
		sink: secevent.NewWriter(os.Stdout),
		fn:   os.Getenv("AWS_LAMBDA_FUNCTION_NAME"),
	}
	for i, s := range p.Schemas {
		c, err := compileSchema(s, p.dir)
		if err != nil {
			return nil, fmt.Errorf("schemas[%d]: %w", i, err)
		}
		e.schemas = append(e.schemas, c)
	}
	for _, o := range opts {
		o(e)
	}
	return e, nil
}

// Policy returns the engine's policy with defaults filled in.
func (e *Engine) Policy() Policy { return e.pol }

// contextSets maps a value's context to the detectors that make sense there.
var contextSets = [...]detect.Set{
	envelope.Body:           detect.All,
	envelope.Query:          detect.All,
	envelope.Header:         detect.All,
	envelope.ProtocolHeader: detect.Set(0).With(detect.JNDI).With(detect.CmdI),
	envelope.Path:           detect.All,
	envelope.Cookie:         detect.All,
	envelope.ObjectKey:      detect.All,
	envelope.Data:           detect.All,
	envelope.Attribute:      detect.All,
	envelope.Document:       detect.Set(0).With(detect.Deserialization),
}

// errDeadline is the failure when inspection runs past the policy deadline.
var errDeadline = errors.New("inspection deadline exceeded")

// Inspect inspects one raw event. It never panics: a failure of the guard
// itself yields a verdict with Failure set and the policy's fail mode
// applied. Security events are written to the engine's sink.
func (e *Engine) Inspect(ctx context.Context, raw []byte) (v Verdict) {
	start := time.Now()
	requestID := requestIDFrom(ctx)
	defer func() {
		if r := recover(); r != nil {
			v = e.failed(envelope.Generic, fmt.Sprintf("panic: %v", r), start)
			if os.Getenv("FAASGUARD_DEBUG") != "" {
				os.Stderr.Write(debug.Stack())
			}
		}
		v.Duration = time.Since(start)
		e.report(&v, raw, requestID)
	}()
	deadline := start.Add(time.Duration(e.pol.Deadline))
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	v, err := e.inspect(raw, deadline)
	if err != nil {
		return e.failed(envelope.Trigger(v.Trigger), err.Error(), start)
	}
	return v
}

func (e *Engine) failed(t envelope.Trigger, msg string, start time.Time) Verdict {
	if t == "" {
		t = envelope.Generic
	}
	v := Verdict{Action: Allow, Trigger: string(t), Failure: msg, FailMode: string(e.pol.Fail)}
	if e.pol.Fail == FailClosed {
		v.Action = Block
	}
	return v
}

type inspection struct {
	e        *Engine
	v        *Verdict
	ev       *envelope.Event
	deadline time.Time
	n        int
	seen     map[string]bool
	hits     []detect.Hit
	blockAll bool
	bad      map[int]bool
	err      error
	clean    map[valueKey]struct{} // values already inspected and found clean
}

// valueKey identifies an inspected value: repeated values in one event
// (batch records, arrays of similar objects) are inspected once.
type valueKey struct {
	v      string
	ctx    envelope.Context
	key    bool
	parent string
}

func (e *Engine) inspect(raw []byte, deadline time.Time) (Verdict, error) {
	v := Verdict{Action: Allow, Trigger: string(envelope.Generic)}
	in := &inspection{e: e, v: &v, deadline: deadline, bad: map[int]bool{}}
	if len(raw) > e.pol.Limits.MaxBytes {
		in.add("limits.size", "limits", "", envelope.Body, -1, "", fmt.Sprintf("event of %d bytes exceeds %d", len(raw), e.pol.Limits.MaxBytes))
		return in.finish(), nil
	}
	ev, err := envelope.Parse(raw, e.force, e.lim)
	if err != nil {
		var le *envelope.LimitError
		if errors.As(err, &le) {
			in.add("limits."+le.Limit, "limits", "", envelope.Body, -1, "", le.Msg)
		} else {
			in.add("malformed.json", "malformed", "", envelope.Body, -1, "", err.Error())
		}
		return in.finish(), nil
	}
	in.ev = ev
	v.Trigger = string(ev.Trigger)
	werr := ev.Walk(in.field)
	if in.err != nil {
		return v, in.err
	}
	var le *envelope.LimitError
	if errors.As(werr, &le) {
		in.add("limits."+le.Limit, "limits", "", envelope.Body, -1, "", le.Msg)
	} else if werr != nil {
		return v, werr
	}
	e.validateSchemas(in)
	if e.tier2 != nil && ev.Trigger.HTTP() {
		if err := e.runTier2(in, ev, deadline); err != nil {
			return v, err
		}
	}
	return in.finish(), nil
}

// runTier2 applies the tier-2 inspector under the remaining deadline; its
// failure (including running out of time) is a guard failure, handled by
// the policy's fail mode.
func (e *Engine) runTier2(in *inspection, ev *envelope.Event, deadline time.Time) error {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	matches, err := e.tier2.Check(ctx, httpRequest(ev))
	if err != nil {
		return fmt.Errorf("tier 2: %w", err)
	}
	for _, m := range matches {
		if !m.Block {
			continue
		}
		in.add(m.Rule, m.Class, "", envelope.Body, -1, "", m.Message)
	}
	return nil
}

// field inspects one value.
func (in *inspection) field(f *envelope.Field) bool {
	in.n++
	if in.n&63 == 0 && time.Now().After(in.deadline) {
		in.err = errDeadline
		return false
	}
	val := f.Value
	set := contextSets[f.Ctx]
	if val == "" || set == 0 {
		return true
	}
	if len(val) > in.e.pol.Limits.MaxString {
		in.add("limits.string", "limits", f.Path(), f.Ctx, f.Record, val, fmt.Sprintf("value of %d bytes exceeds %d", len(val), in.e.pol.Limits.MaxString))
		val = val[:in.e.pol.Limits.MaxString]
	}
	if detect.Plain(val) {
		if !f.Key || f.Parent != "constructor" {
			return true
		}
		set = detect.Set(0).With(detect.ProtoPollution)
	}
	vk := valueKey{val, f.Ctx, f.Key, f.Parent}
	if _, ok := in.clean[vk]; ok {
		return true
	}
	var input detect.Input
	if f.Ctx == envelope.Document {
		input = detect.NewRawInput(val, f.Key)
	} else {
		input = detect.NewInput(val, f.Key)
	}
	input.Parent = f.Parent
	in.hits = detect.Scan(&input, set, in.hits[:0])
	if len(in.hits) == 0 {
		if in.n > 16 {
			if in.clean == nil {
				in.clean = map[valueKey]struct{}{}
			}
			in.clean[vk] = struct{}{}
		}
		return true
	}
	path := f.Path()
	for _, h := range in.hits {
		in.add(h.Rule, h.Class.String(), path, f.Ctx, f.Record, val, "")
	}
	return len(in.v.Findings) < in.e.pol.MaxFindings
}

// add records a finding unless its mode is off or it is exempt.
func (in *inspection) add(rule, class, path string, ctx envelope.Context, rec int, sample, msg string) {
	in.addMode("", rule, class, path, ctx, rec, sample, msg)
}

// addMode is add with a mode that overrides the policy's rule modes.
func (in *inspection) addMode(mode Mode, rule, class, path string, ctx envelope.Context, rec int, sample, msg string) {
	p := &in.e.pol
	if mode == "" {
		mode = p.modeFor(rule)
	}
	if mode == ModeOff {
		return
	}
	for _, x := range p.Exempt {
		if wildcard(x.Rule, rule) || x.Rule == class {
			if wildcard(x.Path, path) && (x.Trigger == "" || x.Trigger == in.v.Trigger) {
				return
			}
		}
	}
	key := class + "\x00" + path
	if in.seen == nil {
		in.seen = map[string]bool{}
	}
	if in.seen[key] {
		return
	}
	in.seen[key] = true
	if len(in.v.Findings) >= p.MaxFindings {
		return
	}
	in.v.Findings = append(in.v.Findings, Finding{Rule: rule, Class: class, Mode: mode, Trigger: in.v.Trigger, Path: path,
		Context: ctx.String(), Record: rec, Sample: sample, Message: msg})
	if mode == ModeBlock {
		if rec >= 0 && in.ev != nil && in.ev.Trigger.Batch() {
			in.bad[rec] = true
		} else {
			in.blockAll = true
		}
	}
}

// finish turns blocking findings into the verdict's action.
func (in *inspection) finish() Verdict {
	v := in.v
	switch {
	case in.blockAll:
		v.Action = Block
		if in.ev != nil && in.ev.Trigger.Batch() {
			for _, r := range in.ev.Records {
				in.bad[r.Index] = true
			}
		}
	case len(in.bad) > 0:
		v.Action = Partial
		if len(in.bad) >= len(in.ev.Records) {
			v.Action = Block
		}
	}
	if len(in.bad) > 0 && in.ev != nil {
		v.BatchMode = string(in.e.pol.Batch)
		for _, r := range in.ev.Records {
			if in.bad[r.Index] {
				v.BlockedRecords = append(v.BlockedRecords, r.Index)
				if in.e.pol.Batch == Quarantine {
					v.ItemFailures = append(v.ItemFailures, r.ID)
				}
			}
		}
	}
	return *v
}

// report writes one security event per finding, and one for a failure.
func (e *Engine) report(v *Verdict, raw []byte, requestID string) {
	if e.sink == nil {
		return
	}
	now := time.Now()
	for _, f := range v.Findings {
		blocked := f.Mode == ModeBlock && v.Action != Allow
		e.sink.Emit(secevent.Detection{Time: now, Rule: f.Rule, Class: f.Class, Trigger: f.Trigger, Path: f.Path, Context: f.Context,
			Sample: f.Sample, Mode: string(f.Mode), Blocked: blocked, Record: f.Record, RequestID: requestID, Function: e.fn, Message: f.Message})
	}
	if v.Failure != "" {
		msg := "guard failure (" + v.Failure + "): failing " + v.FailMode
		e.sink.Emit(secevent.Detection{Time: now, Rule: "guard.failure", Class: "guard", Trigger: v.Trigger, Mode: string(ModeBlock),
			Blocked: v.Action == Block, Record: -1, RequestID: requestID, Function: e.fn, Message: msg, FailMode: v.FailMode})
	}
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the invocation's request ID,
// which security events then include.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

func requestIDFrom(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

// Summary is a one-line description of a verdict, for logs.
func (v Verdict) Summary() string {
	var rules []string
	for _, f := range v.Findings {
		rules = append(rules, f.Rule+"@"+f.Path)
	}
	s := string(v.Action) + " " + v.Trigger
	if len(rules) > 0 {
		s += " [" + strings.Join(rules, ", ") + "]"
	}
	if v.Failure != "" {
		s += " failure=" + v.Failure + " fail=" + v.FailMode
	}
	return s
}
