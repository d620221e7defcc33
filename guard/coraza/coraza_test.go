//go:build coraza

package coraza

import (
	"context"
	"testing"
	"time"

	"github.com/faasguard/faasguard/guard"
)

func TestCRS(t *testing.T) {
	t0 := time.Now()
	crs, err := New(Options{Deadline: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CRS compiled in %v", time.Since(t0))
	eng, err := guard.New(guard.Policy{Rules: map[string]guard.Mode{"sqli": guard.ModeOff}}, guard.WithEventsTo(nil), guard.WithTier2(crs))
	if err != nil {
		t.Fatal(err)
	}
	attack := `{"resource":"/","path":"/search","httpMethod":"GET","headers":{"Host":"x.example","User-Agent":"Mozilla/5.0","Accept":"*/*"},"multiValueHeaders":{"Host":["x.example"],"User-Agent":["Mozilla/5.0"],"Accept":["*/*"]},"queryStringParameters":{"q":"1' UNION SELECT password FROM users--"},"requestContext":{"requestId":"r"},"body":null}`
	v := eng.Inspect(context.Background(), []byte(attack))
	if v.Action != guard.Block {
		t.Fatalf("CRS did not block: %s", v.Summary())
	}
	benign := `{"resource":"/","path":"/search","httpMethod":"GET","headers":{"Host":"x.example","User-Agent":"Mozilla/5.0","Accept":"*/*"},"multiValueHeaders":{"Host":["x.example"],"User-Agent":["Mozilla/5.0"],"Accept":["*/*"]},"queryStringParameters":{"q":"blue shirts"},"requestContext":{"requestId":"r"},"body":null}`
	if v := eng.Inspect(context.Background(), []byte(benign)); v.Action != guard.Allow {
		t.Errorf("benign blocked: %s", v.Summary())
	}
	// an impossible deadline is a guard failure, resolved by the fail mode
	tight, _ := New(Options{Deadline: time.Nanosecond})
	closed, _ := guard.New(guard.Policy{Fail: guard.FailClosed}, guard.WithEventsTo(nil), guard.WithTier2(tight))
	if v := closed.Inspect(context.Background(), []byte(benign)); v.Failure == "" || v.Action != guard.Block {
		t.Errorf("deadline, fail closed: %+v", v)
	}
}
