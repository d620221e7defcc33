package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, req events.APIGatewayProxyRequest) error {
	log.Printf("event: %+v", req)
	log.Println("secret", os.Getenv("DB_PASSWORD"))
	return nil
}

func main() { lambda.Start(handle) }
