package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var ddb *dynamodb.Client

func handle(ctx context.Context, req events.APIGatewayProxyRequest) error {
	owner := req.QueryStringParameters["owner"]
	_, err := ddb.Scan(ctx, &dynamodb.ScanInput{
		TableName:                 aws.String(os.Getenv("TABLE")),
		FilterExpression:          aws.String("owner = :o"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":o": &types.AttributeValueMemberS{Value: owner}},
	})
	return err
}

func main() { lambda.Start(handle) }
