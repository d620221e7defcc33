package main

import (
	"context"
	"crypto/tls"
	"net/http"

	"github.com/aws/aws-lambda-go/lambda"
)

var client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}

func handle(ctx context.Context) error {
	_, err := client.Get("https://internal.example.com")
	return err
}

func main() { lambda.Start(handle) }
