// Package gen writes synthetic serverless monorepos for benchmarks: many
// applications, each with its config, handler code and lockfiles, in the
// formats faasguard reads. The content is deterministic for a given n.
package gen

import (
	"fmt"
	"os"
	"path/filepath"
)

// Monorepo writes n applications under dir, cycling through Serverless
// Framework, SAM and Terraform apps, and returns the number of files.
func Monorepo(dir string, n int) (int, error) {
	files := 0
	for i := 0; i < n; i++ {
		app := filepath.Join(dir, "services", fmt.Sprintf("svc-%04d", i))
		var fs map[string]string
		switch i % 3 {
		case 0:
			fs = serverlessApp(i)
		case 1:
			fs = samApp(i)
		default:
			fs = terraformApp(i)
		}
		for name, content := range fs {
			p := filepath.Join(app, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return files, err
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				return files, err
			}
			files++
		}
	}
	return files, nil
}

func common(i int) map[string]string {
	return map[string]string{
		"src/handler.js": fmt.Sprintf(`const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
const db = new DynamoDBClient({});
exports.create = async (event) => {
  const body = JSON.parse(event.body || "{}");
  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: String(body.id) } } }));
  return { statusCode: 201, body: JSON.stringify({ ok: true, n: %d }) };
};
exports.list = async () => ({ statusCode: 200, body: "[]" });
`, i),
		"src/worker.py": `import json, os, boto3

sqs = boto3.client("sqs")

def handler(event, context):
    for record in event["Records"]:
        msg = json.loads(record["body"])
        sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(msg))
    return {"batchItemFailures": []}
`,
		"package.json":      `{"name":"svc","version":"1.0.0","dependencies":{"@aws-sdk/client-dynamodb":"^3.600.0","lodash":"4.17.20"}}`,
		"package-lock.json": `{"name":"svc","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"svc","version":"1.0.0","dependencies":{"lodash":"4.17.20"}},"node_modules/lodash":{"version":"4.17.20","resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz"}}}`,
		"requirements.txt":  "boto3==1.34.0\nrequests==2.31.0\n",
	}
}

func serverlessApp(i int) map[string]string {
	fs := common(i)
	fs["serverless.yml"] = fmt.Sprintf(`service: svc-%04d
frameworkVersion: "3"
provider:
  name: aws
  runtime: nodejs%s
  stage: ${opt:stage, 'dev'}
  environment:
    TABLE: svc-%04d-${sls:stage}
    API_TOKEN: ${ssm:/svc/%04d/token}
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:PutItem, dynamodb:Query]
          Resource: arn:aws:dynamodb:*:*:table/svc-%04d-*
functions:
  create:
    handler: src/handler.create
    events:
      - http: {method: post, path: /items}
  list:
    handler: src/handler.list
    events:
      - httpApi: {method: GET, path: /items}
  worker:
    handler: src/worker.handler
    runtime: python3.12
    events:
      - sqs: {arn: "arn:aws:sqs:eu-west-1:123456789012:svc-%04d"}
`, i, []string{"18.x", "20.x", "22.x"}[i%3], i, i, i, i)
	return fs
}

func samApp(i int) map[string]string {
	fs := common(i)
	fs["template.yaml"] = fmt.Sprintf(`AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 10
    Tracing: Active
Resources:
  Table:
    Type: AWS::Serverless::SimpleTable
  CreateFn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/handler.create
      Environment:
        Variables:
          TABLE: !Ref Table
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
      Events:
        Api:
          Type: Api
          Properties: {Path: /items, Method: post}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: src/worker.handler
      Runtime: python3.12
      Timeout: %d
      Events:
        Q:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
  Queue:
    Type: AWS::SQS::Queue
`, 30+i%600)
	return fs
}

func terraformApp(i int) map[string]string {
	fs := common(i)
	fs["main.tf"] = fmt.Sprintf(`variable "stage" {
  default = "dev"
}

resource "aws_iam_role" "fn" {
  name = "svc-%04d-${var.stage}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "fn" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = "*" }]
  })
}

resource "aws_lambda_function" "create" {
  function_name = "svc-%04d-create"
  role          = aws_iam_role.fn.arn
  handler       = "src/handler.create"
  runtime       = "nodejs22.x"
  filename      = "build.zip"
  timeout       = 15
  environment {
    variables = { TABLE = "svc-%04d" }
  }
}

resource "aws_lambda_function_url" "create" {
  function_name      = aws_lambda_function.create.function_name
  authorization_type = "%s"
}
`, i, i, i, []string{"AWS_IAM", "NONE"}[i%2])
	return fs
}
