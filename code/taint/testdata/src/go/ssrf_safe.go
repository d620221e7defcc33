package main

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

var allowed = map[string]bool{"https://api.example.com/a": true}

func handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (int, error) {
	target := req.QueryStringParameters["url"]
	if !allowed[target] {
		return 400, nil
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func main() { lambda.Start(handle) }
