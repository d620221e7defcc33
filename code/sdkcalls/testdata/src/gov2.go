package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

var bucket = os.Getenv("BUCKET")

type handler struct {
	db *dynamodb.Client
}

func (h *handler) handle(ctx context.Context) error {
	_, err := h.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(os.Getenv("TABLE"))})
	if err != nil {
		return err
	}
	cfg, _ := config.LoadDefaultConfig(ctx)
	client := s3.NewFromConfig(cfg)
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")}
	_, err = client.GetObject(ctx, in)
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String("literal-bucket")})
	_ = p
	return err
}

func main() {
	cfg, _ := config.LoadDefaultConfig(context.Background())
	h := &handler{db: dynamodb.NewFromConfig(cfg)}
	lambda.Start(h.handle)
}
