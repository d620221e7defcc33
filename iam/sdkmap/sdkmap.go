// Package sdkmap maps AWS SDK calls to the IAM actions they need.
//
// Services are named as the SDKs name them: the AWS SDK for JavaScript v3
// package ("@aws-sdk/client-s3", "client-s3", "s3"), the v2 class
// ("DynamoDB", "DynamoDB.DocumentClient"), the boto3 client or resource name
// ("dynamodb", "s3", and "s3.Object" for a resource type), or the AWS SDK for
// Go v2 package ("dynamodb", "cloudwatchlogs", or its import path).
// Operations may be written in any SDK casing: "PutObject", "putObject",
// "put_object", "PutObjectCommand", "paginateListObjectsV2",
// "NewListObjectsV2Paginator".
//
// Most operations need the IAM action of the same name, which the catalogue
// confirms; the exceptions are an explicit table.
package sdkmap

import (
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
)

// documentClient is the pseudo-service of the DynamoDB document clients
// (JS v2 DynamoDB.DocumentClient, JS v3 @aws-sdk/lib-dynamodb).
const documentClient = "documentclient"

// prefixes maps normalised SDK service names whose IAM prefix differs.
// Names equal to their prefix (minus dashes) need no entry.
var prefixes = map[string]string{
	"cloudwatchlogs":                 "logs",
	"eventbridge":                    "events",
	"cloudwatchevents":               "events",
	"sfn":                            "states",
	"stepfunctions":                  "states",
	"iotdata":                        "iot",
	"iotdataplane":                   "iot",
	"iotjobsdata":                    "iot",
	"iotjobsdataplane":               "iot",
	"apigatewaymanagementapi":        "execute-api",
	"apigatewayv2":                   "apigateway",
	"elbv2":                          "elasticloadbalancing",
	"elb":                            "elasticloadbalancing",
	"elasticloadbalancingv2":         "elasticloadbalancing",
	"sesv2":                          "ses",
	"email":                          "ses",
	"pinpointemail":                  "ses",
	"pinpoint":                       "mobiletargeting",
	"kinesisanalyticsv2":             "kinesisanalytics",
	"cognitoidentityprovider":        "cognito-idp",
	"cognitoidp":                     "cognito-idp",
	"cognitoidentityserviceprovider": "cognito-idp",
	"cognitoidentity":                "cognito-identity",
	"cognitosync":                    "cognito-sync",
	"s3control":                      "s3",
	"lexruntime":                     "lex",
	"lexruntimeservice":              "lex",
	"lexruntimev2":                   "lex",
	"lexmodelsv2":                    "lex",
	"lexmodelbuildingservice":        "lex",
	"sagemakerruntime":               "sagemaker",
	"bedrockruntime":                 "bedrock",
	"bedrockagentruntime":            "bedrock",
	"bedrockagent":                   "bedrock",
	"timestreamwrite":                "timestream",
	"timestreamquery":                "timestream",
	"dynamodbstreams":                "dynamodb",
	"mediastoredata":                 "mediastore",
	"kinesisvideomedia":              "kinesisvideo",
	"kinesisvideoarchivedmedia":      "kinesisvideo",
	"appconfigdata":                  "appconfig",
	"marketplacemetering":            "aws-marketplace",
	"costexplorer":                   "ce",
	"configservice":                  "config",
	"emr":                            "elasticmapreduce",
	"efs":                            "elasticfilesystem",
	"opensearch":                     "es",
	"elasticsearchservice":           "es",
	"opensearchserverless":           "aoss",
	"mwaa":                           "airflow",
	"transcribeservice":              "transcribe",
	"ssooidc":                        "sso-oauth",
	"qldbsession":                    "qldb",
	"acmpca":                         "acm-pca",
	"applicationautoscaling":         "application-autoscaling",
	"rdsdataservice":                 "rds-data",
	"rdsdata":                        "rds-data",
	"sfnclient":                      "states",
	"xray":                           "xray",
	"cloudwatch":                     "cloudwatch",
	"monitoring":                     "cloudwatch",
	"resourcegroupstaggingapi":       "tag",
	"schedulerclient":                "scheduler",
}

// exceptions lists operations whose IAM actions are not the action of the
// same name, per IAM prefix and normalised operation name. An empty list
// means the operation needs no permission.
var exceptions = map[string]map[string][]string{
	"s3": {
		"listobjectsv2":                      {"s3:ListBucket"},
		"listobjects":                        {"s3:ListBucket"},
		"listobjectversions":                 {"s3:ListBucketVersions"},
		"headobject":                         {"s3:GetObject"},
		"headbucket":                         {"s3:ListBucket"},
		"listbuckets":                        {"s3:ListAllMyBuckets"},
		"upload":                             {"s3:PutObject"}, // managed upload (JS lib-storage, Go manager.Uploader)
		"uploadfile":                         {"s3:PutObject"},
		"uploadfileobj":                      {"s3:PutObject"},
		"download":                           {"s3:GetObject"}, // Go manager.Downloader
		"downloadfile":                       {"s3:GetObject"},
		"downloadfileobj":                    {"s3:GetObject"},
		"createmultipartupload":              {"s3:PutObject"},
		"uploadpart":                         {"s3:PutObject"},
		"completemultipartupload":            {"s3:PutObject"},
		"uploadpartcopy":                     {"s3:GetObject", "s3:PutObject"},
		"copyobject":                         {"s3:GetObject", "s3:PutObject"},
		"copy":                               {"s3:GetObject", "s3:PutObject"},
		"listmultipartuploads":               {"s3:ListBucketMultipartUploads"},
		"listparts":                          {"s3:ListMultipartUploadParts"},
		"deleteobjects":                      {"s3:DeleteObject"},
		"selectobjectcontent":                {"s3:GetObject"},
		"getbucketnotificationconfiguration": {"s3:GetBucketNotification"},
		"putbucketnotificationconfiguration": {"s3:PutBucketNotification"},
		"getbucketlifecycleconfiguration":    {"s3:GetLifecycleConfiguration"},
		"putbucketlifecycleconfiguration":    {"s3:PutLifecycleConfiguration"},
		"deletebucketlifecycle":              {"s3:PutLifecycleConfiguration"},
		"getbucketencryption":                {"s3:GetEncryptionConfiguration"},
		"putbucketencryption":                {"s3:PutEncryptionConfiguration"},
		"deletebucketencryption":             {"s3:PutEncryptionConfiguration"},
		"getpublicaccessblock":               {"s3:GetBucketPublicAccessBlock"},
		"putpublicaccessblock":               {"s3:PutBucketPublicAccessBlock"},
		"deletepublicaccessblock":            {"s3:PutBucketPublicAccessBlock"},
		"getbucketreplication":               {"s3:GetReplicationConfiguration"},
		"putbucketreplication":               {"s3:PutReplicationConfiguration"},
		"deletebucketreplication":            {"s3:PutReplicationConfiguration"},
		"deletebucketcors":                   {"s3:PutBucketCORS"},
		"deletebucketwebsite":                {"s3:DeleteBucketWebsite"},
		"deletebuckettagging":                {"s3:PutBucketTagging"},
		"deleteobjecttagging":                {"s3:DeleteObjectTagging"},
	},
	"lambda": {
		"invoke":                   {"lambda:InvokeFunction"},
		"invokewithresponsestream": {"lambda:InvokeFunction"},
	},
	"dynamodb": {
		// Transactions are authorised per item with the item actions.
		"transactgetitems":      {"dynamodb:GetItem"},
		"transactwriteitems":    {"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
		"executestatement":      {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"batchexecutestatement": {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"executetransaction":    {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"batchwriter":           {"dynamodb:BatchWriteItem"}, // boto3 Table.batch_writer
	},
	documentClient: {
		"get":                {"dynamodb:GetItem"},
		"put":                {"dynamodb:PutItem"},
		"update":             {"dynamodb:UpdateItem"},
		"delete":             {"dynamodb:DeleteItem"},
		"query":              {"dynamodb:Query"},
		"scan":               {"dynamodb:Scan"},
		"batchget":           {"dynamodb:BatchGetItem"},
		"batchwrite":         {"dynamodb:BatchWriteItem"},
		"transactget":        {"dynamodb:GetItem"},
		"transactwrite":      {"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
		"executestatement":   {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"batchexecute":       {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"executetransaction": {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		"createset":          {}, // a local helper
	},
	"sqs": {
		"sendmessagebatch":             {"sqs:SendMessage"},
		"deletemessagebatch":           {"sqs:DeleteMessage"},
		"changemessagevisibilitybatch": {"sqs:ChangeMessageVisibility"},
	},
	"sns": {
		"publishbatch": {"sns:Publish"},
	},
	"sts": {
		"getcalleridentity": {}, // needs no permission
	},
	"execute-api": {
		"posttoconnection": {"execute-api:ManageConnections"},
		"getconnection":    {"execute-api:ManageConnections"},
		"deleteconnection": {"execute-api:ManageConnections"},
	},
	"bedrock": {
		"converse":       {"bedrock:InvokeModel"},
		"conversestream": {"bedrock:InvokeModelWithResponseStream"},
	},
	"secretsmanager": {
		"batchgetsecretvalue": {"secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"},
	},
}

// resourceOps maps boto3 resource-type operations ("s3.Object" + "get")
// that are not client operations.
var resourceOps = map[string]map[string][]string{
	"s3.object": {
		"get": {"s3:GetObject"}, "put": {"s3:PutObject"}, "delete": {"s3:DeleteObject"},
		"load": {"s3:GetObject"}, "reload": {"s3:GetObject"},
		"copyfrom": {"s3:GetObject", "s3:PutObject"},
	},
	"s3.bucket": {
		"create": {"s3:CreateBucket"}, "delete": {"s3:DeleteBucket"},
		"objectsall": {"s3:ListBucket"}, "objectsfilter": {"s3:ListBucket"},
		"deleteobjects": {"s3:DeleteObject"}, "putobject": {"s3:PutObject"},
	},
	"dynamodb.table": {
		"load": {"dynamodb:DescribeTable"}, "reload": {"dynamodb:DescribeTable"},
		"delete": {"dynamodb:DeleteTable"}, "update": {"dynamodb:UpdateTable"},
	},
	"sqs.queue": {
		"receivemessages": {"sqs:ReceiveMessage"}, "load": {"sqs:GetQueueAttributes"},
		"delete": {"sqs:DeleteQueue"}, "purge": {"sqs:PurgeQueue"},
	},
	"sqs.message": {
		"delete": {"sqs:DeleteMessage"}, "changevisibility": {"sqs:ChangeMessageVisibility"},
	},
	"sns.topic": {
		"load": {"sns:GetTopicAttributes"}, "delete": {"sns:DeleteTopic"},
	},
}

// normalize lower-cases s and drops the separators SDK casings differ by.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c == '_' || c == '-' || c == ' ' || c == '.':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// serviceKey reduces an SDK service identifier to its normalised name, and
// returns the boto3 resource type when one is given ("s3.Object").
func serviceKey(service string) (key, resource string) {
	s := strings.TrimSpace(service)
	s = strings.TrimSuffix(s, "/v2") // some Go import paths carry a major version
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:] // "@aws-sdk/client-s3", "github.com/aws/aws-sdk-go-v2/service/s3", "aws-sdk/clients/s3"
	}
	s = strings.TrimPrefix(s, "client-")
	switch n := normalize(s); n {
	case "libdynamodb", "dynamodbdocumentclient", "dynamodbdocument", "documentclient":
		return documentClient, ""
	}
	if svc, typ, ok := strings.Cut(s, "."); ok {
		return normalize(svc), normalize(typ)
	}
	key = normalize(s)
	key = strings.TrimSuffix(key, "client") // "S3Client", "DynamoDBClient"
	return key, ""
}

// Prefix returns the IAM service prefix of an SDK service identifier.
func Prefix(service string) (string, bool) {
	key, _ := serviceKey(service)
	if key == documentClient {
		return "dynamodb", true
	}
	return prefixOf(key)
}

func prefixOf(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	if p, ok := prefixes[key]; ok {
		return p, true
	}
	c := catalog.Load()
	if s, ok := c.Service(key); ok {
		return s.Prefix, true
	}
	// SDK names drop the dashes of prefixes ("resourcegroups" for
	// "resource-groups", "acmpca" for "acm-pca").
	for _, s := range c.Services() {
		if strings.ReplaceAll(s.Prefix, "-", "") == key {
			return s.Prefix, true
		}
	}
	return "", false
}

// Actions returns the IAM actions ("s3:PutObject") that the SDK operation
// needs, or nil when the service or operation is unknown or needs none.
// Use Lookup to tell those apart.
func Actions(service, operation string) []string {
	a, _ := Lookup(service, operation)
	return a
}

// Lookup returns the IAM actions an SDK operation needs; known is false
// when the service or operation is not recognised. A known operation may
// need no action (sts GetCallerIdentity).
func Lookup(service, operation string) (actions []string, known bool) {
	key, resource := serviceKey(service)
	op := operationKey(operation)
	if op == "" {
		return nil, false
	}
	if key == documentClient {
		return fromTable(exceptions[documentClient], op)
	}
	prefix, ok := prefixOf(key)
	if !ok {
		return nil, false
	}
	c := catalog.Load()
	// Try the operation as written before its undecorated forms, so that
	// lambda invoke_async finds lambda:InvokeAsync rather than Invoke's.
	for _, cand := range opCandidates(op) {
		if resource != "" {
			if a, ok := resourceOps[prefix+"."+resource][cand]; ok {
				return append([]string(nil), a...), true
			}
		}
		if a, ok := exceptions[prefix][cand]; ok {
			return append([]string(nil), a...), true
		}
		if a, ok := c.Action(prefix + ":" + cand); ok {
			return []string{a.String()}, true
		}
	}
	return nil, false
}

func fromTable(t map[string][]string, op string) ([]string, bool) {
	for _, cand := range opCandidates(op) {
		if a, ok := t[cand]; ok {
			return append([]string(nil), a...), true
		}
	}
	return nil, false
}

// operationKey normalises an operation name in any SDK casing.
func operationKey(op string) string {
	op = strings.TrimSpace(op)
	op = strings.TrimSuffix(op, "()")
	return normalize(op)
}

// opCandidates lists what a normalised operation may stand for: itself,
// then without the decorations SDKs add ("…Command", "paginate…",
// "New…Paginator", "…Async", "…Promise", "…WithContext").
func opCandidates(op string) []string {
	out := []string{op}
	add := func(s string) {
		if s != "" && s != op {
			out = append(out, s)
		}
	}
	add(strings.TrimSuffix(op, "command"))
	if s, ok := strings.CutPrefix(op, "paginate"); ok {
		add(s)
	}
	if s, ok := strings.CutPrefix(op, "new"); ok {
		if s, ok := strings.CutSuffix(s, "paginator"); ok {
			add(s)
		}
	}
	add(strings.TrimSuffix(op, "withcontext"))
	add(strings.TrimSuffix(op, "async"))
	add(strings.TrimSuffix(op, "promise"))
	return out
}
