package main

import (
	"context"
	"strings"
	"text/template"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, e events.SQSEvent) (string, error) {
	var b strings.Builder
	for _, m := range e.Records {
		t, err := template.New("x").Parse(m.Body)
		if err != nil {
			return "", err
		}
		_ = t.Execute(&b, nil)
	}
	return b.String(), nil
}

func main() { lambda.Start(handle) }
