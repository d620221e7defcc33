// Command gofunc is the Go Lambda function of the extension's end-to-end
// test: built with aws-lambda-go, it records every event it receives (to
// the file in SEEN_FILE) and answers with what it got.
package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, ev json.RawMessage) (map[string]any, error) {
		if f, err := os.OpenFile(os.Getenv("SEEN_FILE"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			f.Write(append([]byte(ev), '\n'))
			f.Close()
		}
		return map[string]any{"runtime": "go", "received": ev}, nil
	})
}
