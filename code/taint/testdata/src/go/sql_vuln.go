package main

import (
	"context"
	"database/sql"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

var db *sql.DB

func lookup(ctx context.Context, id string) (*sql.Rows, error) {
	return db.QueryContext(ctx, "SELECT name FROM users WHERE id = '"+id+"'")
}

func handle(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	rows, err := lookup(ctx, req.PathParameters["id"])
	if err != nil {
		return events.APIGatewayProxyResponse{StatusCode: 500}, err
	}
	defer rows.Close()
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

func main() { lambda.Start(handle) }
