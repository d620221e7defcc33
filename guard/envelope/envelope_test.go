package envelope

import (
	"strings"
	"testing"
)

func TestDetectAndWalk(t *testing.T) {
	tests := []struct {
		name    string
		event   string
		trigger Trigger
		want    []string // "path=value" pairs that must be emitted
		never   []string // values that must not be emitted (envelope metadata)
	}{
		{"apigw v1", `{"resource":"/x","path":"/a%2Fb","httpMethod":"GET","headers":{"X-C":"v","Accept-Encoding":"gzip"},"queryStringParameters":{"q":"1"},"requestContext":{"requestId":"rid","protocol":"HTTP/1.1"},"body":"e30=","isBase64Encoded":true}`,
			APIGatewayV1, []string{"path=/a%2Fb", "headers.X-C=v", "queryStringParameters.q=1", "body#base64#json={}"}, []string{"rid", "HTTP/1.1", "/x"}},
		{"apigw v2 query and cookies", `{"version":"2.0","routeKey":"GET /","rawPath":"/","rawQueryString":"q=a%20b&x=%3C","cookies":["s=%24x"],"requestContext":{"http":{"method":"GET"},"domainName":"id.execute-api.us-east-1.amazonaws.com"}}`,
			APIGatewayV2, []string{"q=a b", "x=<", "cookies[0]=$x"}, nil},
		{"function url", `{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"},"domainName":"abc.lambda-url.us-east-1.on.aws"},"body":"hi"}`,
			FunctionURL, []string{"body=hi"}, nil},
		{"alb query still encoded", `{"requestContext":{"elb":{"targetGroupArn":"arn"}},"httpMethod":"GET","path":"/","queryStringParameters":{"q":"a%27b+c"},"body":""}`,
			ALB, []string{"queryStringParameters.q=a'b c"}, []string{"arn"}},
		{"websocket", `{"requestContext":{"connectionId":"c","eventType":"MESSAGE","routeKey":"$default"},"body":"{\"m\":\"x\"}"}`,
			WebSocket, []string{"body#json.m=x"}, []string{"c"}},
		{"sns in sqs", `{"Records":[{"eventSource":"aws:sqs","messageId":"m","body":"{\"Type\":\"Notification\",\"Message\":\"{\\\"c\\\":\\\"deep\\\"}\"}"}]}`,
			SQS, []string{"Records[0].body#json.Message#json.c=deep"}, []string{"m"}},
		{"sns", `{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"hello","Subject":"s","MessageAttributes":{"k":{"Type":"String","Value":"v"}}}}]}`,
			SNS, []string{"Records[0].Sns.Message=hello", "Records[0].Sns.MessageAttributes.k.Value=v"}, nil},
		{"s3 key", `{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"a+b%2Fc"}}}]}`,
			S3, []string{"Records[0].s3.object.key=a b/c"}, []string{"b"}},
		{"kafka", `{"eventSource":"aws:kafka","records":{"t-0":[{"key":"aw==","value":"aGk=","headers":[{"h":[104,105]}]}]}}`,
			Kafka, []string{"records.t-0[0].value#base64=hi", "records.t-0[0].headers[0].h=hi"}, nil},
		{"eventbridge", `{"detail-type":"x","source":"s","detail":{"a":{"b":"c"}}}`, EventBridge, []string{"detail.a.b=c"}, []string{"s"}},
		{"cognito", `{"triggerSource":"PreSignUp_SignUp","userPoolId":"p","userName":"u","request":{"userAttributes":{"name":"n"}}}`,
			Cognito, []string{"request.userAttributes.name=n", "userName=u"}, []string{"p"}},
		{"generic", `{"serialNumber":"G030","clickType":"SINGLE"}`, Generic, []string{"serialNumber=G030"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Parse([]byte(tt.event), Auto, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if ev.Trigger != tt.trigger {
				t.Errorf("trigger %s, want %s", ev.Trigger, tt.trigger)
			}
			got := map[string]bool{}
			var values []string
			if err := ev.Walk(func(f *Field) bool {
				got[f.Path()+"="+f.Value] = true
				values = append(values, f.Value)
				return true
			}); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				found := got[w]
				for k := range got {
					found = found || strings.HasSuffix(k, "."+w) // w names the last path segment only
				}
				if !found {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, n := range tt.never {
				for _, v := range values {
					if v == n {
						t.Errorf("metadata %q was emitted", n)
					}
				}
			}
		})
	}
}

func TestLimitsWalk(t *testing.T) {
	ev, err := Parse([]byte(`{"a":[`+strings.TrimSuffix(strings.Repeat(`"x",`, 100), ",")+`]}`), Generic, Limits{MaxFields: 10, MaxDepth: 8})
	if err != nil {
		t.Fatal(err)
	}
	err = ev.Walk(func(*Field) bool { return true })
	if le, ok := err.(*LimitError); !ok || le.Limit != "fields" {
		t.Errorf("fields limit: %v", err)
	}
	if _, err := Parse([]byte(strings.Repeat("[", 100)+strings.Repeat("]", 100)), Auto, Limits{MaxDepth: 8}); err == nil {
		t.Error("depth limit not enforced")
	}
}

// FuzzWalk checks that recognising and unwrapping any input never panics
// and emits a bounded number of fields.
func FuzzWalk(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","body":"{}"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := Parse(b, Auto, DefaultLimits)
		if err != nil {
			return
		}
		n := 0
		ev.Walk(func(f *Field) bool {
			n++
			_ = f.Path()
			return true
		})
		if n > DefaultLimits.MaxFields {
			t.Errorf("%d fields emitted", n)
		}
	})
}
