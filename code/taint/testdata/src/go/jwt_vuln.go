package main

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/golang-jwt/jwt/v5"
)

func handle(ctx context.Context, req events.APIGatewayProxyRequest) (string, error) {
	raw := strings.TrimPrefix(req.Headers["Authorization"], "Bearer ")
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		return "", err
	}
	sub, _ := tok.Claims.GetSubject()
	return sub, nil
}

func main() { lambda.Start(handle) }
