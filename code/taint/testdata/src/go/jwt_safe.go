package main

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/golang-jwt/jwt/v5"
)

func handle(ctx context.Context, req events.APIGatewayProxyRequest) (string, error) {
	raw := strings.TrimPrefix(req.Headers["Authorization"], "Bearer ")
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) { return []byte(os.Getenv("KEY")), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return "", err
	}
	sub, _ := tok.Claims.GetSubject()
	return sub, nil
}

func main() { lambda.Start(handle) }
