package main

import (
	"context"
	"os/exec"
	"path/filepath"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, e events.S3Event) error {
	for _, r := range e.Records {
		key := r.S3.Object.Key
		if err := exec.CommandContext(ctx, "convert", filepath.Join("/tmp", key), "/tmp/out.png").Run(); err != nil {
			return err
		}
	}
	return nil
}

func main() { lambda.Start(handle) }
