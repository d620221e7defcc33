package main

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, e events.S3Event) error {
	for _, r := range e.Records {
		key := r.S3.Object.Key
		cmd := fmt.Sprintf("convert /tmp/%s /tmp/out.png", key)
		if err := exec.CommandContext(ctx, "sh", "-c", cmd).Run(); err != nil {
			return err
		}
	}
	return nil
}

func main() { lambda.Start(handle) }
