package samtemplates

// stmt is one statement of a template. Resources and condition values use
// {Partition}, {Region} and {AccountId} for the stack's environment and
// {Param} for the template's parameters.
type stmt struct {
	actions   []string
	resources []string
	// condition is operator, key, value; empty when the statement has none.
	condition [3]string
}

type template struct {
	name        string
	params      []string
	description string
	statements  []stmt
}

const (
	arnPrefix = "arn:{Partition}:"
	regional  = ":{Region}:{AccountId}:"
)

func regionalARN(service, rest string) string { return arnPrefix + service + regional + rest }

func dynamoTable(rest string) string { return regionalARN("dynamodb", "table/{TableName}"+rest) }

// templates is transcribed from the AWS SAM policy template list (see
// THIRD_PARTY_NOTICES.md); it keeps the templates that serverless apps use,
// not the long tail (CodeCommit, EMR, SageMaker, Rekognition collections …).
var templates = []template{
	{"AcmGetCertificatePolicy", []string{"CertificateArn"}, "read a certificate from ACM",
		[]stmt{{actions: []string{"acm:GetCertificate"}, resources: []string{"{CertificateArn}"}}}},
	{"AMIDescribePolicy", nil, "describe AMIs",
		[]stmt{{actions: []string{"ec2:DescribeImages"}, resources: []string{"*"}}}},
	{"AWSSecretsManagerGetSecretValuePolicy", []string{"SecretArn"}, "get the value of one secret",
		[]stmt{{actions: []string{"secretsmanager:GetSecretValue"}, resources: []string{"{SecretArn}"}}}},
	{"AWSSecretsManagerRotationPolicy", []string{"FunctionName"}, "rotate secrets",
		[]stmt{
			{actions: []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
				resources: []string{regionalARN("secretsmanager", "secret:*")},
				condition: [3]string{"StringEquals", "secretsmanager:resource/AllowRotationLambdaArn", regionalARN("lambda", "function:{FunctionName}")}},
			{actions: []string{"secretsmanager:GetRandomPassword"}, resources: []string{"*"}},
		}},
	{"CloudFormationDescribeStacksPolicy", nil, "describe CloudFormation stacks",
		[]stmt{{actions: []string{"cloudformation:DescribeStacks"}, resources: []string{regionalARN("cloudformation", "stack/*")}}}},
	{"CloudWatchDashboardPolicy", nil, "operate CloudWatch dashboards",
		[]stmt{{actions: []string{"cloudwatch:GetDashboard", "cloudwatch:ListDashboards", "cloudwatch:PutDashboard", "cloudwatch:ListMetrics"}, resources: []string{"*"}}}},
	{"CloudWatchDescribeAlarmHistoryPolicy", nil, "describe CloudWatch alarm history",
		[]stmt{{actions: []string{"cloudwatch:DescribeAlarmHistory"}, resources: []string{"*"}}}},
	{"CloudWatchPutMetricPolicy", nil, "send metrics to CloudWatch",
		[]stmt{{actions: []string{"cloudwatch:PutMetricData"}, resources: []string{"*"}}}},
	{"CodePipelineLambdaExecutionPolicy", nil, "report a CodePipeline job's status",
		[]stmt{{actions: []string{"codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"}, resources: []string{"*"}}}},
	{"ComprehendBasicAccessPolicy", nil, "detect entities, key phrases, languages and sentiments",
		[]stmt{{actions: []string{"comprehend:BatchDetectKeyPhrases", "comprehend:DetectDominantLanguage", "comprehend:DetectEntities", "comprehend:BatchDetectEntities",
			"comprehend:DetectKeyPhrases", "comprehend:DetectSentiment", "comprehend:BatchDetectDominantLanguage", "comprehend:BatchDetectSentiment"}, resources: []string{"*"}}}},
	{"DynamoDBBackupFullAccessPolicy", []string{"TableName"}, "read and write on-demand backups of a table",
		[]stmt{
			{actions: []string{"dynamodb:CreateBackup", "dynamodb:DescribeContinuousBackups"}, resources: []string{dynamoTable("")}},
			{actions: []string{"dynamodb:DeleteBackup", "dynamodb:DescribeBackup", "dynamodb:ListBackups"}, resources: []string{dynamoTable("/backup/*")}},
		}},
	{"DynamoDBCrudPolicy", []string{"TableName"}, "create, read, update and delete items of a table",
		[]stmt{{actions: []string{"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem",
			"dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"},
			resources: []string{dynamoTable(""), dynamoTable("/index/*")}}}},
	{"DynamoDBReadPolicy", []string{"TableName"}, "read a table",
		[]stmt{{actions: []string{"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"},
			resources: []string{dynamoTable(""), dynamoTable("/index/*")}}}},
	{"DynamoDBReconfigurePolicy", []string{"TableName"}, "reconfigure a table",
		[]stmt{{actions: []string{"dynamodb:UpdateTable"}, resources: []string{dynamoTable("")}}}},
	{"DynamoDBRestoreFromBackupPolicy", []string{"TableName"}, "restore a table from backup",
		[]stmt{
			{actions: []string{"dynamodb:RestoreTableFromBackup"}, resources: []string{dynamoTable("/backup/*")}},
			{actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWriteItem"},
				resources: []string{dynamoTable("")}},
		}},
	{"DynamoDBStreamReadPolicy", []string{"TableName", "StreamName"}, "describe and read a table's stream",
		[]stmt{
			{actions: []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}, resources: []string{dynamoTable("/stream/{StreamName}")}},
			{actions: []string{"dynamodb:ListStreams"}, resources: []string{dynamoTable("/stream/*")}},
		}},
	{"DynamoDBWritePolicy", []string{"TableName"}, "write items of a table",
		[]stmt{{actions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"},
			resources: []string{dynamoTable(""), dynamoTable("/index/*")}}}},
	{"EC2DescribePolicy", nil, "describe EC2 instances",
		[]stmt{{actions: []string{"ec2:DescribeRegions", "ec2:DescribeInstances"}, resources: []string{"*"}}}},
	{"EcsRunTaskPolicy", []string{"TaskDefinition"}, "start a task",
		[]stmt{{actions: []string{"ecs:RunTask"}, resources: []string{regionalARN("ecs", "task-definition/{TaskDefinition}")}}}},
	{"EFSWriteAccessPolicy", []string{"FileSystem", "AccessPoint"}, "mount an EFS file system with write access",
		[]stmt{{actions: []string{"elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"},
			resources: []string{regionalARN("elasticfilesystem", "file-system/{FileSystem}")},
			condition: [3]string{"StringEquals", "elasticfilesystem:AccessPointArn", regionalARN("elasticfilesystem", "access-point/{AccessPoint}")}}}},
	{"EKSDescribePolicy", nil, "describe or list EKS clusters",
		[]stmt{{actions: []string{"eks:DescribeCluster", "eks:ListClusters"}, resources: []string{"*"}}}},
	{"ElasticsearchHttpPostPolicy", []string{"DomainName"}, "POST and PUT to an OpenSearch domain",
		[]stmt{{actions: []string{"es:ESHttpPost", "es:ESHttpPut"}, resources: []string{regionalARN("es", "domain/{DomainName}/*")}}}},
	{"EventBridgePutEventsPolicy", []string{"EventBusName"}, "send events to an event bus",
		[]stmt{{actions: []string{"events:PutEvents"}, resources: []string{regionalARN("events", "event-bus/{EventBusName}")}}}},
	{"FilterLogEventsPolicy", []string{"LogGroupName"}, "filter the events of a log group",
		[]stmt{{actions: []string{"logs:FilterLogEvents"}, resources: []string{regionalARN("logs", "log-group:{LogGroupName}:log-stream:*")}}}},
	{"FirehoseCrudPolicy", []string{"DeliveryStreamName"}, "create, write, update and delete a delivery stream",
		[]stmt{{actions: []string{"firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream", "firehose:PutRecord",
			"firehose:PutRecordBatch", "firehose:UpdateDestination"}, resources: []string{regionalARN("firehose", "deliverystream/{DeliveryStreamName}")}}}},
	{"FirehoseWritePolicy", []string{"DeliveryStreamName"}, "write to a delivery stream",
		[]stmt{{actions: []string{"firehose:PutRecord", "firehose:PutRecordBatch"}, resources: []string{regionalARN("firehose", "deliverystream/{DeliveryStreamName}")}}}},
	{"KinesisCrudPolicy", []string{"StreamName"}, "create, publish to and delete a stream",
		[]stmt{{actions: []string{"kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream",
			"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod",
			"kinesis:ListTagsForStream", "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard", "kinesis:RemoveTagsFromStream"},
			resources: []string{regionalARN("kinesis", "stream/{StreamName}")}}}},
	{"KinesisStreamReadPolicy", []string{"StreamName"}, "list and read a stream",
		[]stmt{
			{actions: []string{"kinesis:ListStreams", "kinesis:DescribeLimits"}, resources: []string{regionalARN("kinesis", "stream/*")}},
			{actions: []string{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator"},
				resources: []string{regionalARN("kinesis", "stream/{StreamName}")}},
		}},
	{"KMSDecryptPolicy", []string{"KeyId"}, "decrypt with a KMS key",
		[]stmt{{actions: []string{"kms:Decrypt"}, resources: []string{regionalARN("kms", "key/{KeyId}")}}}},
	{"KMSEncryptPolicy", []string{"KeyId"}, "encrypt with a KMS key",
		[]stmt{{actions: []string{"kms:Encrypt"}, resources: []string{regionalARN("kms", "key/{KeyId}")}}}},
	{"LambdaInvokePolicy", []string{"FunctionName"}, "invoke a function, alias or version",
		[]stmt{{actions: []string{"lambda:InvokeFunction"}, resources: []string{regionalARN("lambda", "function:{FunctionName}*")}}}},
	{"OrganizationsListAccountsPolicy", nil, "list child accounts",
		[]stmt{{actions: []string{"organizations:ListAccounts"}, resources: []string{"*"}}}},
	{"RekognitionDetectOnlyPolicy", nil, "detect faces, labels and text",
		[]stmt{{actions: []string{"rekognition:DetectFaces", "rekognition:DetectLabels", "rekognition:DetectModerationLabels", "rekognition:DetectText"}, resources: []string{"*"}}}},
	{"RekognitionLabelsPolicy", nil, "detect object and moderation labels",
		[]stmt{{actions: []string{"rekognition:DetectLabels", "rekognition:DetectModerationLabels"}, resources: []string{"*"}}}},
	{"S3CrudPolicy", []string{"BucketName"}, "create, read, update and delete objects of a bucket",
		[]stmt{{actions: []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl",
			"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:DeleteObject"},
			resources: []string{arnPrefix + "s3:::{BucketName}", arnPrefix + "s3:::{BucketName}/*"}}}},
	{"S3FullAccessPolicy", []string{"BucketName"}, "full access to the objects of a bucket",
		[]stmt{
			{actions: []string{"s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject",
				"s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging",
				"s3:PutObjectVersionTagging"}, resources: []string{arnPrefix + "s3:::{BucketName}/*"}},
			{actions: []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"},
				resources: []string{arnPrefix + "s3:::{BucketName}"}},
		}},
	{"S3ReadPolicy", []string{"BucketName"}, "read the objects of a bucket",
		[]stmt{{actions: []string{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"},
			resources: []string{arnPrefix + "s3:::{BucketName}", arnPrefix + "s3:::{BucketName}/*"}}}},
	{"S3WritePolicy", []string{"BucketName"}, "write objects into a bucket",
		[]stmt{{actions: []string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"},
			resources: []string{arnPrefix + "s3:::{BucketName}", arnPrefix + "s3:::{BucketName}/*"}}}},
	{"SESBulkTemplatedCrudPolicy", []string{"IdentityName"}, "send email, templated and bulk templated email, and verify an identity",
		[]stmt{{actions: []string{"ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail",
			"ses:SendBulkTemplatedEmail", "ses:VerifyEmailIdentity"}, resources: []string{regionalARN("ses", "identity/{IdentityName}")}}}},
	{"SESCrudPolicy", []string{"IdentityName"}, "send email and verify an identity",
		[]stmt{{actions: []string{"ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:VerifyEmailIdentity"},
			resources: []string{regionalARN("ses", "identity/{IdentityName}")}}}},
	{"SESEmailTemplateCrudPolicy", nil, "manage email templates",
		[]stmt{{actions: []string{"ses:CreateTemplate", "ses:GetTemplate", "ses:ListTemplates", "ses:UpdateTemplate", "ses:DeleteTemplate", "ses:TestRenderTemplate"},
			resources: []string{"*"}}}},
	{"SESSendBouncePolicy", []string{"IdentityName"}, "send bounces for an identity",
		[]stmt{{actions: []string{"ses:SendBounce"}, resources: []string{regionalARN("ses", "identity/{IdentityName}")}}}},
	{"SNSCrudPolicy", []string{"TopicName"}, "create, publish and subscribe to topics",
		[]stmt{{actions: []string{"sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"},
			resources: []string{regionalARN("sns", "{TopicName}*")}}}},
	{"SNSPublishMessagePolicy", []string{"TopicName"}, "publish to a topic",
		[]stmt{{actions: []string{"sns:Publish"}, resources: []string{regionalARN("sns", "{TopicName}")}}}},
	{"SQSPollerPolicy", []string{"QueueName"}, "poll a queue",
		[]stmt{{actions: []string{"sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
			"sqs:GetQueueAttributes", "sqs:ReceiveMessage"}, resources: []string{regionalARN("sqs", "{QueueName}")}}}},
	{"SQSSendMessagePolicy", []string{"QueueName"}, "send messages to a queue",
		[]stmt{{actions: []string{"sqs:SendMessage*"}, resources: []string{regionalARN("sqs", "{QueueName}")}}}},
	{"SSMParameterReadPolicy", []string{"ParameterName"}, "read a parameter whose name has no leading slash",
		[]stmt{
			{actions: []string{"ssm:DescribeParameters"}, resources: []string{"*"}},
			{actions: []string{"ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"}, resources: []string{regionalARN("ssm", "parameter/{ParameterName}")}},
		}},
	{"SSMParameterWithSlashPrefixReadPolicy", []string{"ParameterName"}, "read a parameter whose name has a leading slash",
		[]stmt{
			{actions: []string{"ssm:DescribeParameters"}, resources: []string{"*"}},
			{actions: []string{"ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"}, resources: []string{regionalARN("ssm", "parameter{ParameterName}")}},
		}},
	{"StepFunctionsExecutionPolicy", []string{"StateMachineName"}, "start executions of a state machine",
		[]stmt{{actions: []string{"states:StartExecution"}, resources: []string{regionalARN("states", "stateMachine:{StateMachineName}")}}}},
	{"TextractDetectAnalyzePolicy", nil, "detect and analyze documents",
		[]stmt{{actions: []string{"textract:DetectDocumentText", "textract:StartDocumentTextDetection", "textract:StartDocumentAnalysis", "textract:AnalyzeDocument"},
			resources: []string{"*"}}}},
	{"TextractGetResultPolicy", nil, "get detected and analyzed documents",
		[]stmt{{actions: []string{"textract:GetDocumentTextDetection", "textract:GetDocumentAnalysis"}, resources: []string{"*"}}}},
	{"TextractPolicy", nil, "full access to Textract",
		[]stmt{{actions: []string{"textract:*"}, resources: []string{"*"}}}},
	{"VPCAccessPolicy", nil, "create, delete, describe and detach network interfaces",
		[]stmt{{actions: []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"},
			resources: []string{"*"}}}},
}
