// Package envelope recognises the trigger of a raw Lambda event and
// unwraps its envelope into the values an attacker controls, each with its
// field path and context.
//
// Envelope metadata (request IDs, ARNs, "HTTP/1.1", source IPs, event
// names) is never emitted: it is written by AWS, not by the sender.
// Encodings the trigger implies are undone before emitting (base64 bodies
// and stream data, URL-encoded S3 keys and ALB queries, JSON in strings,
// gzip in CloudWatch Logs), with bounded work.
package envelope

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faasguard/faasguard/guard/internal/jsontree"
	"github.com/faasguard/faasguard/guard/normalize"
)

// Trigger names an event source shape.
type Trigger string

// Triggers the package recognises.
const (
	Auto           Trigger = "auto" // recognise from the event (only as an option)
	APIGatewayV1   Trigger = "apigw-v1"
	APIGatewayV2   Trigger = "apigw-v2"
	WebSocket      Trigger = "apigw-websocket"
	ALB            Trigger = "alb"
	FunctionURL    Trigger = "function-url"
	SQS            Trigger = "sqs"
	SNS            Trigger = "sns"
	S3             Trigger = "s3"
	DynamoDB       Trigger = "dynamodb"
	Kinesis        Trigger = "kinesis"
	Firehose       Trigger = "firehose"
	Kafka          Trigger = "kafka"
	EventBridge    Trigger = "eventbridge"
	IoT            Trigger = "iot"
	Cognito        Trigger = "cognito"
	CloudWatchLogs Trigger = "cloudwatch-logs"
	Generic        Trigger = "generic"
)

// Triggers lists every concrete trigger.
func Triggers() []Trigger {
	return []Trigger{APIGatewayV1, APIGatewayV2, WebSocket, ALB, FunctionURL, SQS, SNS, S3, DynamoDB, Kinesis, Firehose,
		Kafka, EventBridge, IoT, Cognito, CloudWatchLogs, Generic}
}

// ParseTrigger parses a trigger name ("auto" included).
func ParseTrigger(s string) (Trigger, error) {
	if s == "" || s == string(Auto) {
		return Auto, nil
	}
	for _, t := range Triggers() {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown trigger %q", s)
}

// HTTP reports whether the trigger is a synchronous HTTP request.
func (t Trigger) HTTP() bool {
	return t == APIGatewayV1 || t == APIGatewayV2 || t == ALB || t == FunctionURL || t == WebSocket
}

// Batch reports whether the trigger delivers records that support partial
// batch responses (batchItemFailures).
func (t Trigger) Batch() bool { return t == SQS || t == Kinesis || t == DynamoDB }

// Context tells detectors what a value is, so that each is inspected for
// what can hurt in its place (a header is not a shell command).
type Context uint8

// Value contexts.
const (
	Body           Context = iota // request body or message payload text
	Query                         // query parameter
	Header                        // application header
	ProtocolHeader                // standard protocol header (User-Agent, Accept, ...)
	Path                          // URL path or path parameter
	Cookie                        // cookie value
	ObjectKey                     // S3 object key
	Data                          // structured data value (JSON, stream record)
	Attribute                     // message attribute
	Document                      // a whole JSON document, for structure-level checks
)

var contextNames = [...]string{"body", "query", "header", "protocol-header", "path", "cookie", "object-key", "data", "attribute", "document"}

func (c Context) String() string {
	if int(c) < len(contextNames) {
		return contextNames[c]
	}
	return "unknown"
}

// Limits bound the work of parsing and unwrapping one event.
type Limits struct {
	MaxDepth   int // JSON nesting, per document
	MaxFields  int // values emitted for inspection
	MaxNodes   int // JSON values parsed, over all nested documents
	MaxDecoded int // bytes produced by base64, gzip and nested parsing
	MaxNested  int // levels of JSON-in-string and base64-in-JSON
}

// DefaultLimits are generous for real events and small enough to bound
// hostile ones.
var DefaultLimits = Limits{MaxDepth: 64, MaxFields: 20000, MaxNodes: 200000, MaxDecoded: 16 << 20, MaxNested: 4}

// LimitError reports an event that exceeded a Limits bound.
type LimitError struct {
	Limit string // "depth", "fields", "nodes", "decoded"
	Msg   string
}

func (e *LimitError) Error() string { return "limit " + e.Limit + ": " + e.Msg }

// Record identifies one record of a batch event.
type Record struct {
	Index int
	ID    string // itemIdentifier for batchItemFailures (messageId, sequence number)
}

// Event is a parsed event with its recognised trigger.
type Event struct {
	Trigger Trigger
	Root    *jsontree.Node
	Records []Record // batch records, in order; nil for non-batch triggers
	lim     Limits
	nodes   int
	decoded int
}

// Parse parses raw and recognises its trigger (or uses force, unless it is
// Auto or empty).
func Parse(raw []byte, force Trigger, lim Limits) (*Event, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	root, err := jsontree.Parse(string(raw), jsontree.Limits{MaxDepth: lim.MaxDepth, MaxNodes: lim.MaxNodes})
	if err != nil {
		if jsontree.IsLimit(err) {
			return nil, &LimitError{Limit: "depth", Msg: err.Error()}
		}
		return nil, err
	}
	e := &Event{Root: root, lim: lim}
	e.Trigger = force
	if force == "" || force == Auto {
		e.Trigger = Detect(root)
	}
	e.Records = records(e.Trigger, root)
	return e, nil
}

// Detect recognises the trigger of a parsed event from its shape.
func Detect(root *jsontree.Node) Trigger {
	if root == nil || root.Kind != jsontree.Object {
		return Generic
	}
	if recs := root.Get("Records"); recs != nil && recs.Kind == jsontree.Array && len(recs.Vals) > 0 {
		r := recs.Vals[0]
		src := r.GetString("eventSource")
		if src == "" {
			src = r.GetString("EventSource")
		}
		switch src {
		case "aws:sqs":
			return SQS
		case "aws:sns":
			return SNS
		case "aws:s3":
			return S3
		case "aws:dynamodb":
			return DynamoDB
		case "aws:kinesis":
			return Kinesis
		}
		if r.Get("s3") != nil {
			return S3
		}
		if r.Get("Sns") != nil {
			return SNS
		}
	}
	if src := root.GetString("eventSource"); (src == "aws:kafka" || src == "SelfManagedKafka") && root.Get("records") != nil {
		return Kafka
	}
	if aw := root.Get("awslogs"); aw != nil && aw.Get("data") != nil {
		return CloudWatchLogs
	}
	if root.Get("deliveryStreamArn") != nil && root.Get("records") != nil {
		return Firehose
	}
	if rc := root.Get("requestContext"); rc != nil && rc.Kind == jsontree.Object {
		switch {
		case rc.Get("elb") != nil:
			return ALB
		case rc.Get("connectionId") != nil && rc.Get("eventType") != nil:
			return WebSocket
		case rc.Get("http") != nil || root.GetString("version") == "2.0":
			if strings.Contains(rc.GetString("domainName"), ".lambda-url.") {
				return FunctionURL
			}
			return APIGatewayV2
		case root.Get("httpMethod") != nil || rc.Get("httpMethod") != nil:
			return APIGatewayV1
		}
	}
	if root.Get("detail-type") != nil && root.Get("source") != nil && root.Get("detail") != nil {
		return EventBridge
	}
	if root.Get("triggerSource") != nil && root.Get("userPoolId") != nil {
		return Cognito
	}
	return Generic
}

// records lists the batch records and their item identifiers.
func records(t Trigger, root *jsontree.Node) []Record {
	if !t.Batch() {
		return nil
	}
	recs := root.Get("Records")
	if recs == nil || recs.Kind != jsontree.Array {
		return nil
	}
	out := make([]Record, len(recs.Vals))
	for i, r := range recs.Vals {
		out[i].Index = i
		switch t {
		case SQS:
			out[i].ID = r.GetString("messageId")
		case Kinesis:
			out[i].ID = r.Get("kinesis").GetString("sequenceNumber")
		case DynamoDB:
			out[i].ID = r.Get("dynamodb").GetString("SequenceNumber")
		}
	}
	return out
}

// Field is one value to inspect. It is only valid during the callback
// that receives it.
type Field struct {
	Value  string
	Ctx    Context
	Key    bool   // the value is an object key or a parameter name
	Parent string // for keys: the name of the enclosing member, if any
	Record int    // batch record index, or -1
	w      *walker
}

// Path returns the field's path, e.g. Records[0].body#json.comment.
func (f *Field) Path() string {
	var b strings.Builder
	for i, s := range f.w.path {
		switch {
		case s.idx >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
		case strings.HasPrefix(s.name, "#"):
			b.WriteString(s.name)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			if needsQuote(s.name) {
				b.WriteString(strconv.Quote(s.name))
			} else {
				b.WriteString(s.name)
			}
		}
	}
	return b.String()
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$' || c == '@') {
			return true
		}
	}
	return false
}

type seg struct {
	name string
	idx  int
}

type walker struct {
	ev     *Event
	emit   func(*Field) bool
	path   []seg
	rec    int
	fields int
	nested int
	f      Field
	err    error
	stop   bool
}

// Walk calls emit for every attacker-controlled value of the event, in
// order. It stops early when emit returns false and returns a *LimitError
// when the event exceeds a bound (the fields before it were emitted).
func (e *Event) Walk(emit func(*Field) bool) error {
	w := &walker{ev: e, emit: emit, rec: -1}
	w.f.w = w
	w.event()
	return w.err
}

func (w *walker) push(name string) { w.path = append(w.path, seg{name: name, idx: -1}) }
func (w *walker) pushIdx(i int)    { w.path = append(w.path, seg{idx: i}) }
func (w *walker) pop()             { w.path = w.path[:len(w.path)-1] }

func (w *walker) done() bool { return w.stop || w.err != nil }

// out emits one value.
func (w *walker) out(v string, ctx Context, key bool) {
	if w.done() {
		return
	}
	w.fields++
	if w.ev.lim.MaxFields > 0 && w.fields > w.ev.lim.MaxFields {
		w.err = &LimitError{Limit: "fields", Msg: fmt.Sprintf("more than %d values", w.ev.lim.MaxFields)}
		return
	}
	w.f.Value, w.f.Ctx, w.f.Key, w.f.Record, w.f.Parent = v, ctx, key, w.rec, ""
	if key && len(w.path) >= 2 {
		w.f.Parent = w.path[len(w.path)-2].name
	}
	if !w.emit(&w.f) {
		w.stop = true
	}
}

func (w *walker) budget(n int) bool {
	w.ev.decoded += n
	if w.ev.lim.MaxDecoded > 0 && w.ev.decoded > w.ev.lim.MaxDecoded {
		w.err = &LimitError{Limit: "decoded", Msg: fmt.Sprintf("more than %d bytes decoded", w.ev.lim.MaxDecoded)}
		return false
	}
	return true
}

// field returns member key of n with the path pushed; call pop after.
func (w *walker) member(n *jsontree.Node, key string, f func(*jsontree.Node)) {
	v := n.Get(key)
	if v == nil || w.done() {
		return
	}
	w.push(key)
	f(v)
	w.pop()
}

func (w *walker) event() {
	root := w.ev.Root
	switch w.ev.Trigger {
	case APIGatewayV1, ALB:
		w.http(root, false)
	case APIGatewayV2, FunctionURL, WebSocket:
		w.http(root, true)
	case SQS:
		w.records(root, func(r *jsontree.Node) {
			w.member(r, "body", func(v *jsontree.Node) { w.text(v, Body) })
			w.member(r, "messageAttributes", func(v *jsontree.Node) { w.attributes(v, "stringValue") })
		})
	case SNS:
		w.records(root, func(r *jsontree.Node) {
			w.member(r, "Sns", func(s *jsontree.Node) {
				w.member(s, "Subject", func(v *jsontree.Node) { w.text(v, Body) })
				w.member(s, "Message", func(v *jsontree.Node) { w.text(v, Body) })
				w.member(s, "MessageAttributes", func(v *jsontree.Node) { w.attributes(v, "Value") })
			})
		})
	case S3:
		w.records(root, func(r *jsontree.Node) {
			w.member(r, "s3", func(s *jsontree.Node) {
				w.member(s, "object", func(o *jsontree.Node) {
					w.member(o, "key", func(k *jsontree.Node) {
						if k.Kind == jsontree.String {
							// notifications URL-encode keys, space as '+'
							w.out(normalize.Percent(k.Str, true), ObjectKey, false)
						}
					})
				})
			})
		})
	case DynamoDB:
		w.records(root, func(r *jsontree.Node) {
			w.member(r, "dynamodb", func(d *jsontree.Node) {
				for _, img := range []string{"Keys", "NewImage", "OldImage"} {
					w.member(d, img, w.dynamoItem)
				}
			})
		})
	case Kinesis:
		w.records(root, func(r *jsontree.Node) {
			w.member(r, "kinesis", func(k *jsontree.Node) {
				w.member(k, "partitionKey", func(v *jsontree.Node) { w.text(v, Data) })
				w.member(k, "data", func(v *jsontree.Node) { w.base64(v, Data) })
			})
		})
	case Firehose:
		w.member(root, "records", func(rs *jsontree.Node) {
			w.each(rs, func(r *jsontree.Node) { w.member(r, "data", func(v *jsontree.Node) { w.base64(v, Data) }) })
		})
	case Kafka:
		w.member(root, "records", func(topics *jsontree.Node) {
			if topics.Kind != jsontree.Object {
				return
			}
			for i, name := range topics.Keys {
				w.push(name)
				w.each(topics.Vals[i], func(r *jsontree.Node) {
					w.member(r, "key", func(v *jsontree.Node) { w.base64(v, Data) })
					w.member(r, "value", func(v *jsontree.Node) { w.base64(v, Data) })
					w.member(r, "headers", w.kafkaHeaders)
				})
				w.pop()
			}
		})
	case EventBridge:
		w.member(root, "detail", func(v *jsontree.Node) { w.json(v, Data) })
	case Cognito:
		w.member(root, "userName", func(v *jsontree.Node) { w.text(v, Data) })
		w.member(root, "request", func(req *jsontree.Node) {
			for _, k := range []string{"userAttributes", "clientMetadata", "validationData", "challengeAnswer", "password"} {
				w.member(req, k, func(v *jsontree.Node) { w.json(v, Data) })
			}
		})
	case CloudWatchLogs:
		w.member(root, "awslogs", func(a *jsontree.Node) {
			w.member(a, "data", w.cloudWatchLogs)
		})
	default: // Generic, IoT: the whole event is the sender's message
		w.json(root, Data)
	}
}

func (w *walker) each(arr *jsontree.Node, f func(*jsontree.Node)) {
	if arr == nil || arr.Kind != jsontree.Array {
		return
	}
	for i, v := range arr.Vals {
		if w.done() {
			return
		}
		w.pushIdx(i)
		f(v)
		w.pop()
	}
}

func (w *walker) records(root *jsontree.Node, f func(*jsontree.Node)) {
	w.member(root, "Records", func(arr *jsontree.Node) {
		if arr.Kind != jsontree.Array {
			return
		}
		for i, r := range arr.Vals {
			if w.done() {
				return
			}
			w.rec = i
			w.pushIdx(i)
			f(r)
			w.pop()
		}
		w.rec = -1
	})
}

// protocolHeaders carry protocol values a proxy or client sets; they are
// inspected only for attacks that target loggers and shells (Log4Shell,
// Shellshock), not as application input.
var protocolHeaders = map[string]bool{
	"accept": true, "accept-encoding": true, "accept-language": true, "accept-charset": true, "host": true, "connection": true,
	"content-length": true, "content-type": true, "via": true, "x-forwarded-for": true, "x-forwarded-port": true,
	"x-forwarded-proto": true, "x-forwarded-host": true, "cache-control": true, "upgrade-insecure-requests": true, "pragma": true,
	"user-agent": true, "referer": true, "origin": true, "authorization": true, "dnt": true, "te": true, "upgrade": true,
	"if-none-match": true, "if-modified-since": true, "traceparent": true, "tracestate": true, "postman-token": true,
	"content-encoding": true, "transfer-encoding": true, "keep-alive": true, "priority": true, "x-real-ip": true,
}

func headerContext(name string) Context {
	n := strings.ToLower(name)
	if protocolHeaders[n] || strings.HasPrefix(n, "x-amz") || strings.HasPrefix(n, "cloudfront-") || strings.HasPrefix(n, "sec-") {
		return ProtocolHeader
	}
	return Header
}

func (w *walker) http(root *jsontree.Node, v2 bool) {
	isALB := w.ev.Trigger == ALB
	if v2 {
		w.member(root, "rawPath", func(v *jsontree.Node) { w.text(v, Path) })
		w.member(root, "rawQueryString", func(v *jsontree.Node) {
			if v.Kind == jsontree.String {
				w.form(v.Str, Query)
			}
		})
		w.member(root, "cookies", func(v *jsontree.Node) {
			w.each(v, func(c *jsontree.Node) {
				if c.Kind != jsontree.String {
					return
				}
				name, val, _ := strings.Cut(c.Str, "=")
				w.out(strings.TrimSpace(name), Cookie, true)
				w.out(normalize.Percent(val, false), Cookie, false)
			})
		})
	} else {
		w.member(root, "path", func(v *jsontree.Node) { w.text(v, Path) })
	}
	w.member(root, "pathParameters", func(v *jsontree.Node) { w.params(v, Path, false) })
	for _, k := range []string{"queryStringParameters", "multiValueQueryStringParameters"} {
		w.member(root, k, func(v *jsontree.Node) { w.params(v, Query, isALB) })
	}
	var contentType string
	for _, k := range []string{"headers", "multiValueHeaders"} {
		w.member(root, k, func(h *jsontree.Node) {
			if h.Kind != jsontree.Object {
				return
			}
			for i, name := range h.Keys {
				ctx := headerContext(name)
				if strings.EqualFold(name, "content-type") {
					if s := h.Vals[i]; s.Kind == jsontree.String {
						contentType = strings.ToLower(s.Str)
					}
				}
				if strings.EqualFold(name, "cookie") && !v2 {
					w.push(name)
					w.cookieHeader(h.Vals[i])
					w.pop()
					continue
				}
				w.push(name)
				if ctx == Header {
					w.out(name, Header, true)
				}
				w.value(h.Vals[i], ctx)
				w.pop()
			}
		})
	}
	// user agents reach loggers: inspect them as protocol headers
	w.member(root, "requestContext", func(rc *jsontree.Node) {
		w.member(rc, "identity", func(id *jsontree.Node) {
			w.member(id, "userAgent", func(v *jsontree.Node) { w.text(v, ProtocolHeader) })
		})
		w.member(rc, "http", func(h *jsontree.Node) {
			w.member(h, "userAgent", func(v *jsontree.Node) { w.text(v, ProtocolHeader) })
		})
	})
	w.member(root, "body", func(b *jsontree.Node) {
		if b.Kind != jsontree.String {
			w.json(b, Body)
			return
		}
		body := b.Str
		if iv := root.Get("isBase64Encoded"); iv != nil && iv.Kind == jsontree.Bool && iv.Bool {
			dec, err := decodeBase64(body)
			if err != nil {
				// not base64 after all: inspect what was sent
				w.text(b, Body)
				return
			}
			if !w.budget(len(dec)) {
				return
			}
			w.push("#base64")
			defer w.pop()
			body = string(dec)
		}
		if strings.Contains(contentType, "application/x-www-form-urlencoded") {
			w.out(body, Body, false)
			w.form(body, Body)
			return
		}
		w.str(body, Body)
	})
}

// params emits a parameter map's names and values (strings or arrays of
// strings); ALB passes query parameters still percent-encoded.
func (w *walker) params(m *jsontree.Node, ctx Context, encoded bool) {
	if m.Kind != jsontree.Object {
		return
	}
	for i, k := range m.Keys {
		w.push(k)
		if encoded {
			k = normalize.Percent(k, true)
		}
		w.out(k, ctx, true)
		v := m.Vals[i]
		emit := func(n *jsontree.Node) {
			if n.Kind == jsontree.String {
				s := n.Str
				if encoded {
					s = normalize.Percent(s, true)
				}
				w.str(s, ctx)
			}
		}
		if v.Kind == jsontree.Array {
			w.each(v, emit)
		} else {
			emit(v)
		}
		w.pop()
	}
}

// form emits the names and decoded values of a query string or form body.
func (w *walker) form(s string, ctx Context) {
	for s != "" && !w.done() {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k = normalize.Percent(k, true)
		w.push(k)
		w.out(k, ctx, true)
		w.str(normalize.Percent(v, true), ctx)
		w.pop()
	}
}

func (w *walker) cookieHeader(v *jsontree.Node) {
	emit := func(n *jsontree.Node) {
		if n.Kind != jsontree.String {
			return
		}
		for _, part := range strings.Split(n.Str, ";") {
			name, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			w.out(name, Cookie, true)
			w.out(normalize.Percent(val, false), Cookie, false)
		}
	}
	if v.Kind == jsontree.Array {
		w.each(v, emit)
	} else {
		emit(v)
	}
}

// value emits a string or the strings of an array.
func (w *walker) value(v *jsontree.Node, ctx Context) {
	switch v.Kind {
	case jsontree.String:
		w.str(v.Str, ctx)
	case jsontree.Array:
		w.each(v, func(n *jsontree.Node) { w.value(n, ctx) })
	}
}

// text emits a string node (JSON in it is unwrapped) and walks any other node.
func (w *walker) text(v *jsontree.Node, ctx Context) {
	if v.Kind == jsontree.String {
		w.str(v.Str, ctx)
		return
	}
	w.json(v, ctx)
}

// str emits s; when s holds a JSON object or array, it emits the document
// (for structure-level checks) and walks its keys and values instead of
// inspecting the JSON text, whose quoting is not the sender's.
func (w *walker) str(s string, ctx Context) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '{' || t[len(t)-1] != '}') && (t[0] != '[' || t[len(t)-1] != ']') {
		w.out(s, ctx, false)
		return
	}
	if w.nested >= w.ev.lim.MaxNested || w.done() || !w.budget(len(t)) {
		w.out(s, ctx, false)
		return
	}
	left := 0
	if w.ev.lim.MaxNodes > 0 {
		left = w.ev.lim.MaxNodes - w.ev.nodes
		if left <= 0 {
			w.err = &LimitError{Limit: "nodes", Msg: fmt.Sprintf("more than %d JSON values", w.ev.lim.MaxNodes)}
			return
		}
	}
	n, err := jsontree.Parse(t, jsontree.Limits{MaxDepth: w.ev.lim.MaxDepth, MaxNodes: left})
	if err != nil {
		if jsontree.IsLimit(err) {
			w.err = &LimitError{Limit: "depth", Msg: "nested JSON: " + err.Error()}
			return
		}
		w.out(s, ctx, false) // not JSON after all: inspect it as text
		return
	}
	w.nested++
	w.push("#json")
	w.out(t, Document, false)
	w.json(n, ctx)
	w.pop()
	w.nested--
}

// json walks a JSON value: object keys and all strings, recursively.
func (w *walker) json(n *jsontree.Node, ctx Context) {
	if w.done() {
		return
	}
	w.ev.nodes++
	switch n.Kind {
	case jsontree.String:
		w.str(n.Str, ctx)
	case jsontree.Object:
		for i, k := range n.Keys {
			w.push(k)
			w.out(k, ctx, true)
			w.json(n.Vals[i], ctx)
			w.pop()
			if w.done() {
				return
			}
		}
	case jsontree.Array:
		w.each(n, func(v *jsontree.Node) { w.json(v, ctx) })
	}
}

// attributes emits SQS/SNS message attribute values (field holds the string).
func (w *walker) attributes(m *jsontree.Node, field string) {
	if m.Kind != jsontree.Object {
		return
	}
	for i, k := range m.Keys {
		w.push(k)
		w.out(k, Attribute, true)
		w.member(m.Vals[i], field, func(v *jsontree.Node) { w.text(v, Attribute) })
		w.pop()
	}
}

// dynamoItem walks a DynamoDB typed item: attribute names and S/SS/M/L values.
func (w *walker) dynamoItem(item *jsontree.Node) {
	if item.Kind != jsontree.Object {
		return
	}
	for i, name := range item.Keys {
		w.push(name)
		w.out(name, Data, true)
		w.dynamoValue(item.Vals[i])
		w.pop()
	}
}

func (w *walker) dynamoValue(av *jsontree.Node) {
	if av.Kind != jsontree.Object || w.done() {
		return
	}
	for i, typ := range av.Keys {
		v := av.Vals[i]
		w.push(typ)
		switch typ {
		case "S":
			w.text(v, Data)
		case "SS":
			w.each(v, func(s *jsontree.Node) { w.text(s, Data) })
		case "M":
			w.dynamoItem(v)
		case "L":
			w.each(v, w.dynamoValue)
		}
		w.pop()
	}
}

// base64 decodes a base64 string field; a value that is not base64 is
// inspected as sent.
func (w *walker) base64(v *jsontree.Node, ctx Context) {
	if v.Kind != jsontree.String {
		return
	}
	dec, err := decodeBase64(v.Str)
	if err != nil {
		w.str(v.Str, ctx)
		return
	}
	if !w.budget(len(dec)) {
		return
	}
	w.push("#base64")
	w.str(string(dec), ctx)
	w.pop()
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// kafkaHeaders decodes Kafka record headers: [{"name": [byte values]}].
func (w *walker) kafkaHeaders(hs *jsontree.Node) {
	w.each(hs, func(h *jsontree.Node) {
		if h.Kind != jsontree.Object {
			return
		}
		for i, name := range h.Keys {
			w.push(name)
			w.out(name, Header, true)
			v := h.Vals[i]
			if v.Kind == jsontree.Array {
				b := make([]byte, 0, len(v.Vals))
				for _, n := range v.Vals {
					if n.Kind == jsontree.Number {
						if x, err := strconv.Atoi(n.Str); err == nil {
							b = append(b, byte(x))
						}
					}
				}
				w.str(string(b), Header)
			} else {
				w.value(v, Header)
			}
			w.pop()
		}
	})
}

// cloudWatchLogs gunzips the base64 payload (bounded: a gzip bomb stops at
// the decoded budget) and walks the log messages.
func (w *walker) cloudWatchLogs(v *jsontree.Node) {
	if v.Kind != jsontree.String {
		return
	}
	raw, err := decodeBase64(v.Str)
	if err != nil {
		w.str(v.Str, Data)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		w.str(v.Str, Data)
		return
	}
	max := w.ev.lim.MaxDecoded - w.ev.decoded
	if max <= 0 {
		max = 1
	}
	data, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
	if len(data) > max {
		w.err = &LimitError{Limit: "decoded", Msg: fmt.Sprintf("CloudWatch Logs data inflates past %d bytes", w.ev.lim.MaxDecoded)}
		return
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		w.str(v.Str, Data)
		return
	}
	if !w.budget(len(data)) {
		return
	}
	doc, err := jsontree.Parse(string(data), jsontree.Limits{MaxDepth: w.ev.lim.MaxDepth, MaxNodes: w.ev.lim.MaxNodes})
	if err != nil {
		w.push("#gzip")
		w.str(string(data), Data)
		w.pop()
		return
	}
	w.push("#gzip")
	w.member(doc, "logEvents", func(evs *jsontree.Node) {
		w.each(evs, func(e *jsontree.Node) { w.member(e, "message", func(m *jsontree.Node) { w.text(m, Data) }) })
	})
	w.pop()
}
