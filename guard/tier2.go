package guard

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/faasguard/faasguard/guard/envelope"
	"github.com/faasguard/faasguard/guard/internal/jsontree"
)

// HTTPRequest is an HTTP-shaped event rebuilt as a request, for tier-2
// inspectors that speak HTTP (the OWASP CRS through Coraza).
type HTTPRequest struct {
	Method  string
	URI     string // path and raw query
	Proto   string
	Headers [][2]string
	Body    []byte
}

// Tier2Match is one rule a tier-2 inspector matched.
type Tier2Match struct {
	Rule    string // e.g. "crs.942100"
	Class   string // e.g. "sqli", or "crs" when the rule maps to no class
	Message string
	Block   bool // the inspector would interrupt the request
}

// Tier2 is an opt-in second inspection stage for HTTP events; package
// guard/coraza (build tag "coraza") provides the OWASP CRS. Check must
// honour ctx's deadline and return ctx.Err() when it runs out.
type Tier2 interface {
	Check(ctx context.Context, req *HTTPRequest) ([]Tier2Match, error)
}

// WithTier2 enables a tier-2 inspector for HTTP-shaped events.
func WithTier2(t Tier2) Option { return func(e *Engine) { e.tier2 = t } }

// httpRequest rebuilds the request of an API Gateway, ALB, function URL or
// WebSocket event.
func httpRequest(ev *envelope.Event) *HTTPRequest {
	root := ev.Root
	r := &HTTPRequest{Proto: "HTTP/1.1"}
	rc := root.Get("requestContext")
	switch ev.Trigger {
	case envelope.APIGatewayV2, envelope.FunctionURL:
		r.Method = rc.Get("http").GetString("method")
		r.URI = root.GetString("rawPath")
		if q := root.GetString("rawQueryString"); q != "" {
			r.URI += "?" + q
		}
		for _, c := range nodeStrings(root.Get("cookies")) {
			r.Headers = append(r.Headers, [2]string{"Cookie", c})
		}
	default:
		r.Method = root.GetString("httpMethod")
		r.URI = root.GetString("path")
		var q []string
		if mv := root.Get("multiValueQueryStringParameters"); mv != nil && mv.Kind == jsontree.Object {
			for i, k := range mv.Keys {
				for _, v := range nodeStrings(mv.Vals[i]) {
					q = append(q, enc(ev, k)+"="+enc(ev, v))
				}
			}
		} else if qs := root.Get("queryStringParameters"); qs != nil && qs.Kind == jsontree.Object {
			for i, k := range qs.Keys {
				for _, v := range nodeStrings(qs.Vals[i]) {
					q = append(q, enc(ev, k)+"="+enc(ev, v))
				}
			}
		}
		if len(q) > 0 {
			r.URI += "?" + strings.Join(q, "&")
		}
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	if r.URI == "" {
		r.URI = "/"
	}
	for _, hk := range []string{"multiValueHeaders", "headers"} {
		h := root.Get(hk)
		if h == nil || h.Kind != jsontree.Object {
			continue
		}
		for i, k := range h.Keys {
			for _, v := range nodeStrings(h.Vals[i]) {
				r.Headers = append(r.Headers, [2]string{k, v})
			}
		}
		break // multiValueHeaders holds everything headers does
	}
	body := root.GetString("body")
	if iv := root.Get("isBase64Encoded"); iv != nil && iv.Bool {
		if b, err := base64.StdEncoding.DecodeString(body); err == nil {
			body = string(b)
		}
	}
	r.Body = []byte(body)
	return r
}

// enc re-encodes a decoded query value; ALB values are still encoded.
func enc(ev *envelope.Event, s string) string {
	if ev.Trigger == envelope.ALB {
		return s
	}
	return url.QueryEscape(s)
}

func nodeStrings(n *jsontree.Node) []string {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case jsontree.String:
		return []string{n.Str}
	case jsontree.Array:
		var out []string
		for _, v := range n.Vals {
			if v.Kind == jsontree.String {
				out = append(out, v.Str)
			}
		}
		return out
	}
	return nil
}
