package sdkmap

import (
	"reflect"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		service, op string
		want        []string
		known       bool
	}{
		// The same call in each SDK's spelling.
		{"@aws-sdk/client-s3", "PutObjectCommand", []string{"s3:PutObject"}, true},
		{"client-s3", "PutObject", []string{"s3:PutObject"}, true},
		{"S3", "putObject", []string{"s3:PutObject"}, true},
		{"s3", "put_object", []string{"s3:PutObject"}, true},
		{"github.com/aws/aws-sdk-go-v2/service/s3", "PutObject", []string{"s3:PutObject"}, true},
		{"S3Client", "PutObject", []string{"s3:PutObject"}, true},
		// S3 exceptions.
		{"s3", "ListObjectsV2Command", []string{"s3:ListBucket"}, true},
		{"s3", "list_objects_v2", []string{"s3:ListBucket"}, true},
		{"s3", "paginateListObjectsV2", []string{"s3:ListBucket"}, true},
		{"s3", "NewListObjectsV2Paginator", []string{"s3:ListBucket"}, true},
		{"s3", "headObject", []string{"s3:GetObject"}, true},
		{"s3", "HeadBucket", []string{"s3:ListBucket"}, true},
		{"s3", "upload", []string{"s3:PutObject"}, true},
		{"s3", "upload_file", []string{"s3:PutObject"}, true},
		{"s3", "download_fileobj", []string{"s3:GetObject"}, true},
		{"s3", "copy_object", []string{"s3:GetObject", "s3:PutObject"}, true},
		{"s3", "ListBuckets", []string{"s3:ListAllMyBuckets"}, true},
		{"s3", "getObject", []string{"s3:GetObject"}, true},
		{"s3.Object", "get", []string{"s3:GetObject"}, true},
		{"s3.Bucket", "objects.all", []string{"s3:ListBucket"}, true},
		{"s3.Bucket", "upload_file", []string{"s3:PutObject"}, true},
		// Lambda.
		{"@aws-sdk/client-lambda", "InvokeCommand", []string{"lambda:InvokeFunction"}, true},
		{"Lambda", "invoke", []string{"lambda:InvokeFunction"}, true},
		{"lambda", "invoke_async", []string{"lambda:InvokeAsync"}, true},
		// DynamoDB and the document clients.
		{"DynamoDB", "putItem", []string{"dynamodb:PutItem"}, true},
		{"dynamodb.Table", "put_item", []string{"dynamodb:PutItem"}, true},
		{"dynamodb.Table", "batch_writer", []string{"dynamodb:BatchWriteItem"}, true},
		{"DynamoDB.DocumentClient", "put", []string{"dynamodb:PutItem"}, true},
		{"DocumentClient", "get", []string{"dynamodb:GetItem"}, true},
		{"DocumentClient", "query", []string{"dynamodb:Query"}, true},
		{"DocumentClient", "scan", []string{"dynamodb:Scan"}, true},
		{"DocumentClient", "update", []string{"dynamodb:UpdateItem"}, true},
		{"DocumentClient", "delete", []string{"dynamodb:DeleteItem"}, true},
		{"DocumentClient", "batchWrite", []string{"dynamodb:BatchWriteItem"}, true},
		{"DocumentClient", "batchGet", []string{"dynamodb:BatchGetItem"}, true},
		{"@aws-sdk/lib-dynamodb", "TransactWriteCommand", []string{"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, true},
		{"lib-dynamodb", "QueryCommand", []string{"dynamodb:Query"}, true},
		{"DynamoDBDocumentClient", "paginateScan", []string{"dynamodb:Scan"}, true},
		{"dynamodb", "TransactGetItems", []string{"dynamodb:GetItem"}, true},
		{"dynamodbstreams", "GetRecords", []string{"dynamodb:GetRecords"}, true},
		// Other services of serverless apps.
		{"sqs", "SendMessageBatchCommand", []string{"sqs:SendMessage"}, true},
		{"SQS", "sendMessage", []string{"sqs:SendMessage"}, true},
		{"sqs", "delete_message_batch", []string{"sqs:DeleteMessage"}, true},
		{"sns", "publish", []string{"sns:Publish"}, true},
		{"sns", "PublishBatch", []string{"sns:Publish"}, true},
		{"kms", "GenerateDataKey", []string{"kms:GenerateDataKey"}, true},
		{"kms", "decrypt", []string{"kms:Decrypt"}, true},
		{"secretsmanager", "get_secret_value", []string{"secretsmanager:GetSecretValue"}, true},
		{"SecretsManager", "getSecretValue", []string{"secretsmanager:GetSecretValue"}, true},
		{"ssm", "GetParameter", []string{"ssm:GetParameter"}, true},
		{"SSM", "getParameters", []string{"ssm:GetParameters"}, true},
		{"ssm", "get_parameters_by_path", []string{"ssm:GetParametersByPath"}, true},
		{"ssm", "SendCommandCommand", []string{"ssm:SendCommand"}, true},
		{"sts", "AssumeRole", []string{"sts:AssumeRole"}, true},
		{"sts", "GetCallerIdentity", nil, true},
		{"cloudwatch-logs", "PutLogEventsCommand", []string{"logs:PutLogEvents"}, true},
		{"logs", "put_log_events", []string{"logs:PutLogEvents"}, true},
		{"CloudWatchLogs", "putLogEvents", []string{"logs:PutLogEvents"}, true},
		{"cloudwatchlogs", "PutLogEvents", []string{"logs:PutLogEvents"}, true},
		{"eventbridge", "PutEventsCommand", []string{"events:PutEvents"}, true},
		{"EventBridge", "putEvents", []string{"events:PutEvents"}, true},
		{"events", "put_events", []string{"events:PutEvents"}, true},
		{"sfn", "StartExecutionCommand", []string{"states:StartExecution"}, true},
		{"StepFunctions", "startExecution", []string{"states:StartExecution"}, true},
		{"stepfunctions", "start_sync_execution", []string{"states:StartSyncExecution"}, true},
		{"iot-data", "publish", []string{"iot:Publish"}, true},
		{"IotData", "getThingShadow", []string{"iot:GetThingShadow"}, true},
		{"iotdataplane", "Publish", []string{"iot:Publish"}, true},
		{"apigatewaymanagementapi", "post_to_connection", []string{"execute-api:ManageConnections"}, true},
		{"ApiGatewayManagementApi", "postToConnection", []string{"execute-api:ManageConnections"}, true},
		{"@aws-sdk/client-apigatewaymanagementapi", "PostToConnectionCommand", []string{"execute-api:ManageConnections"}, true},
		{"kinesis", "PutRecords", []string{"kinesis:PutRecords"}, true},
		{"firehose", "put_record_batch", []string{"firehose:PutRecordBatch"}, true},
		{"ses", "sendEmail", []string{"ses:SendEmail"}, true},
		{"sesv2", "SendEmailCommand", []string{"ses:SendEmail"}, true},
		{"cognito-identity-provider", "AdminGetUserCommand", []string{"cognito-idp:AdminGetUser"}, true},
		{"CognitoIdentityServiceProvider", "adminGetUser", []string{"cognito-idp:AdminGetUser"}, true},
		{"bedrock-runtime", "ConverseCommand", []string{"bedrock:InvokeModel"}, true},
		{"bedrock-runtime", "invoke_model", []string{"bedrock:InvokeModel"}, true},
		{"rds-data", "ExecuteStatementCommand", []string{"rds-data:ExecuteStatement"}, true},
		{"appconfigdata", "GetLatestConfiguration", []string{"appconfig:GetLatestConfiguration"}, true},
		{"resource-groups", "ListGroups", []string{"resource-groups:ListGroups"}, true},
		{"acm-pca", "IssueCertificate", []string{"acm-pca:IssueCertificate"}, true},
		// Unknown.
		{"s3", "NoSuchOperation", nil, false},
		{"nosuchservice", "PutObject", nil, false},
		{"", "PutObject", nil, false},
		{"s3", "", nil, false},
		{"DocumentClient", "frobnicate", nil, false},
	}
	for _, tt := range tests {
		got, known := Lookup(tt.service, tt.op)
		if known != tt.known || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lookup(%q, %q) = %v, %v; want %v, %v", tt.service, tt.op, got, known, tt.want, tt.known)
		}
		if a := Actions(tt.service, tt.op); !reflect.DeepEqual(a, tt.want) {
			t.Errorf("Actions(%q, %q) = %v", tt.service, tt.op, a)
		}
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cloudwatch-logs", "logs"}, {"logs", "logs"}, {"eventbridge", "events"}, {"sfn", "states"},
		{"iot-data", "iot"}, {"apigatewaymanagementapi", "execute-api"}, {"DocumentClient", "dynamodb"},
		{"@aws-sdk/client-dynamodb", "dynamodb"}, {"github.com/aws/aws-sdk-go-v2/service/sqs", "sqs"},
		{"elbv2", "elasticloadbalancing"}, {"cognitoidentityprovider", "cognito-idp"},
	}
	for _, tt := range tests {
		if got, ok := Prefix(tt.in); !ok || got != tt.want {
			t.Errorf("Prefix(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	if p, ok := Prefix("nosuch"); ok {
		t.Errorf("Prefix(nosuch) = %q", p)
	}
}

// TestTablesKnown checks that every action the tables name, and every
// prefix they map to, exists in the catalogue.
func TestTablesKnown(t *testing.T) {
	c := catalog.Load()
	for k, p := range prefixes {
		if _, ok := c.Service(p); !ok {
			t.Errorf("prefixes[%q] = %q: no such service", k, p)
		}
	}
	check := func(table string, m map[string]map[string][]string) {
		for svc, ops := range m {
			for op, acts := range ops {
				if op != normalize(op) {
					t.Errorf("%s[%s][%q] is not normalised", table, svc, op)
				}
				for _, a := range acts {
					if _, ok := c.Action(a); !ok {
						t.Errorf("%s[%s][%s]: %s not in the catalogue", table, svc, op, a)
					}
					if !strings.Contains(a, ":") {
						t.Errorf("%s[%s][%s]: malformed %q", table, svc, op, a)
					}
				}
			}
		}
	}
	check("exceptions", exceptions)
	check("resourceOps", resourceOps)
}

func BenchmarkLookup(b *testing.B) {
	catalog.Load()
	b.ReportAllocs()
	for b.Loop() {
		Lookup("@aws-sdk/client-dynamodb", "PutItemCommand")
	}
}

func FuzzLookup(f *testing.F) {
	f.Add("@aws-sdk/client-s3", "ListObjectsV2Command")
	f.Add("DynamoDB.DocumentClient", "batchWrite")
	f.Add("s3.Bucket", "objects.all")
	f.Fuzz(func(t *testing.T, service, op string) {
		acts, known := Lookup(service, op)
		if !known && acts != nil {
			t.Fatalf("unknown operation with actions %v", acts)
		}
		c := catalog.Load()
		for _, a := range acts {
			if _, ok := c.Action(a); !ok {
				t.Fatalf("Lookup(%q, %q) gave %s, not in the catalogue", service, op, a)
			}
		}
	})
}
