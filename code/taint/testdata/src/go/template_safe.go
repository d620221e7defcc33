package main

import (
	"context"
	"strings"
	"text/template"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

var tmpl = template.Must(template.New("x").Parse("Hello {{.}}"))

func handle(ctx context.Context, e events.SQSEvent) (string, error) {
	var b strings.Builder
	for _, m := range e.Records {
		_ = tmpl.Execute(&b, m.Body)
	}
	return b.String(), nil
}

func main() { lambda.Start(handle) }
