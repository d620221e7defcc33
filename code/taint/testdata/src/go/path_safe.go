package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type msg struct{ Report string }

func handle(ctx context.Context, e events.SNSEvent) error {
	var m msg
	if err := json.Unmarshal([]byte(e.Records[0].SNS.Message), &m); err != nil {
		return err
	}
	_, err := os.ReadFile(filepath.Join("/tmp/reports", filepath.Base(m.Report)))
	return err
}

func main() { lambda.Start(handle) }
