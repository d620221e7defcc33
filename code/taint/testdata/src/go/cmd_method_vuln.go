package main

import (
	"context"
	"os/exec"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type app struct{ shell string }

func (a *app) handle(ctx context.Context, msg events.SNSEvent) error {
	for _, r := range msg.Records {
		if err := exec.Command(a.shell, "-c", "echo "+r.SNS.Message).Run(); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	a := &app{shell: "/bin/sh"}
	lambda.Start(a.handle)
}
