package guard

import (
	"context"
	"strings"
	"testing"
)

// FuzzInspect checks that no input makes the engine panic (Inspect
// recovers panics into a failure verdict, which the fuzzer reports).
func FuzzInspect(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"1","body":"x"}]}`))
	eng, err := New(Policy{}, WithEventsTo(nil))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v := eng.Inspect(context.Background(), b)
		if strings.HasPrefix(v.Failure, "panic") {
			t.Fatalf("panic on %q: %s", b, v.Failure)
		}
	})
}
