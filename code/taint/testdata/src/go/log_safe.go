package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, req events.APIGatewayProxyRequest) error {
	log.Printf("request %s %s", req.HTTPMethod, req.RequestContext.RequestID)
	return nil
}

func main() { lambda.Start(handle) }
