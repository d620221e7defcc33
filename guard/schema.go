package guard

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/faasguard/faasguard/guard/envelope"
	"github.com/faasguard/faasguard/guard/internal/jsontree"
)

type compiledSchema struct {
	rule   SchemaRule
	schema *jsonschema.Resolved
}

func compileSchema(s SchemaRule, dir string) (*compiledSchema, error) {
	var b []byte
	if s.File != "" {
		path := s.File
		if !filepath.IsAbs(path) && dir != "" {
			path = filepath.Join(dir, path)
		}
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	} else {
		// round-trip through JSON so YAML-decoded maps get JSON types
		var err error
		if b, err = json.Marshal(s.Schema); err != nil {
			return nil, fmt.Errorf("inline schema: %w", err)
		}
	}
	var doc jsonschema.Schema
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", schemaName(s), err)
	}
	sch, err := doc.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: false})
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", schemaName(s), err)
	}
	if s.Trigger != "" {
		if _, err := envelope.ParseTrigger(s.Trigger); err != nil {
			return nil, err
		}
	}
	return &compiledSchema{rule: s, schema: sch}, nil
}

// route returns the route of an HTTP event as "METHOD /path".
func route(t envelope.Trigger, root *jsontree.Node) string {
	switch t {
	case envelope.APIGatewayV1:
		return root.GetString("httpMethod") + " " + root.GetString("resource")
	case envelope.APIGatewayV2:
		return root.GetString("routeKey")
	case envelope.ALB:
		return root.GetString("httpMethod") + " " + root.GetString("path")
	case envelope.FunctionURL:
		return root.Get("requestContext").Get("http").GetString("method") + " " + root.GetString("rawPath")
	case envelope.WebSocket:
		return root.Get("requestContext").GetString("routeKey")
	}
	return ""
}

// validateSchemas applies matching schemas to the event's payloads.
func (e *Engine) validateSchemas(in *inspection) {
	if len(e.schemas) == 0 || in.ev == nil {
		return
	}
	ev := in.ev
	for _, cs := range e.schemas {
		r := cs.rule
		if r.Trigger != "" && r.Trigger != string(ev.Trigger) {
			continue
		}
		if r.Route != "" && !wildcard(r.Route, route(ev.Trigger, ev.Root)) {
			continue
		}
		for _, p := range payloads(ev) {
			if err := cs.validate(p.text, p.node); err != "" {
				// a per-schema mode overrides the policy's rule modes
				in.addMode(r.Mode, "schema.invalid", "schema", p.path, envelope.Body, p.rec, "", err)
			}
		}
	}
}

type payload struct {
	path string
	rec  int
	text string         // JSON text to parse, or
	node *jsontree.Node // an already parsed value
}

// payloads returns the documents a schema applies to for the event's trigger.
func payloads(ev *envelope.Event) []payload {
	root := ev.Root
	recs := root.Get("Records")
	switch ev.Trigger {
	case envelope.APIGatewayV1, envelope.APIGatewayV2, envelope.ALB, envelope.FunctionURL, envelope.WebSocket:
		b := root.GetString("body")
		if iv := root.Get("isBase64Encoded"); iv != nil && iv.Bool {
			if d, err := base64.StdEncoding.DecodeString(b); err == nil {
				b = string(d)
			}
		}
		return []payload{{path: "body", rec: -1, text: b}}
	case envelope.SQS:
		var out []payload
		for i, r := range recs.Vals {
			out = append(out, payload{path: fmt.Sprintf("Records[%d].body", i), rec: i, text: r.GetString("body")})
		}
		return out
	case envelope.SNS:
		var out []payload
		for i, r := range recs.Vals {
			out = append(out, payload{path: fmt.Sprintf("Records[%d].Sns.Message", i), rec: -1, text: r.Get("Sns").GetString("Message")})
		}
		return out
	case envelope.Kinesis:
		var out []payload
		for i, r := range recs.Vals {
			d, _ := base64.StdEncoding.DecodeString(r.Get("kinesis").GetString("data"))
			out = append(out, payload{path: fmt.Sprintf("Records[%d].kinesis.data", i), rec: i, text: string(d)})
		}
		return out
	case envelope.EventBridge:
		return []payload{{path: "detail", rec: -1, node: root.Get("detail")}}
	}
	return []payload{{path: "", rec: -1, node: root}}
}

// validate returns "" when the payload conforms, else a one-line reason.
func (cs *compiledSchema) validate(text string, n *jsontree.Node) string {
	if n == nil {
		var err error
		n, err = jsontree.Parse(text, jsontree.Limits{MaxDepth: 64, MaxNodes: 200000})
		if err != nil {
			return "payload is not JSON: " + err.Error()
		}
	}
	err := cs.schema.Validate(toAny(n))
	if err == nil {
		return ""
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// toAny converts a tree to the value types jsonschema validates.
func toAny(n *jsontree.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case jsontree.Bool:
		return n.Bool
	case jsontree.Number:
		f, err := strconv.ParseFloat(n.Str, 64)
		if err != nil {
			return n.Str
		}
		return f
	case jsontree.String:
		return n.Str
	case jsontree.Array:
		a := make([]any, len(n.Vals))
		for i, v := range n.Vals {
			a[i] = toAny(v)
		}
		return a
	case jsontree.Object:
		m := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			m[k] = toAny(n.Vals[i])
		}
		return m
	}
	return nil
}

func schemaName(s SchemaRule) string {
	if s.File != "" {
		return s.File
	}
	return "(inline)"
}
