# DELIBERATELY INSECURE example for faasguard. Do not deploy.
# Terraform twin of ../../serverless/insecure: each "# RULE:" comment names the
# risk the block below is meant to trigger; ../secure is the same app done right.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

variable "stage" {
  type    = string
  default = "dev"
}

variable "stripe_secret_key" {
  type = string
  # RULE: secret in a variable default (hard-coded live API key)
  default = "sk_live_ExrENTg0fJHXpVjdKIp4YSXUXFYxCut7"
}

locals {
  service        = "acme-orders"
  table_name     = "${local.service}-${var.stage}"
  uploads_bucket = "${local.service}-uploads-${var.stage}"
  common_env = {
    ORDERS_TABLE = local.table_name
    # RULE: secret in environment variables (hard-coded live API key)
    STRIPE_SECRET_KEY = var.stripe_secret_key
    # RULE: secret in environment variables (hard-coded password)
    DB_PASSWORD = "!vf6s0dDu!lA!pD6Gwvv"
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# RULE: a role shared by several functions -> every function below uses it.
resource "aws_iam_role" "shared" {
  name               = "${local.service}-${var.stage}"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "data"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          # RULE: wildcard IAM action
          Effect   = "Allow"
          Action   = "dynamodb:*"
          Resource = "arn:aws:dynamodb:eu-west-1:*:table/${local.table_name}"
        },
        {
          # RULE: Resource * on write actions
          Effect   = "Allow"
          Action   = ["sqs:SendMessage", "sns:Publish"]
          Resource = "*"
        },
      ]
    })
  }
}

# RULE: recursive trigger loop -> thumbnail is triggered by the uploads
# bucket and may write back into it.
resource "aws_iam_role_policy" "uploads" {
  name   = "uploads"
  role   = aws_iam_role.shared.id
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject", "s3:PutObject"],
          "Resource": "${aws_s3_bucket.uploads.arn}/*"
        }
      ]
    }
  EOF
}

# RULE: admin / full-access managed policy
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.shared.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# RULE: tracing off, log retention unset, env vars without KMS key, no
# reserved concurrency: none of the functions sets tracing_config,
# kms_key_arn or an aws_cloudwatch_log_group.
resource "aws_lambda_function" "api" {
  function_name = "${local.service}-${var.stage}-api"
  role          = aws_iam_role.shared.arn
  handler       = "src/api.handler"
  # RULE: end-of-life runtime (nodejs14.x reached end of support)
  runtime  = "nodejs14.x"
  filename = "build/api.zip"
  # RULE: timeout above 29 s behind API Gateway
  timeout = 60
  environment {
    variables = local.common_env
  }
}

resource "aws_lambda_function" "receipt" {
  function_name = "${local.service}-${var.stage}-receipt"
  role          = aws_iam_role.shared.arn
  handler       = "src/api.receipt"
  runtime       = "nodejs14.x"
  filename      = "build/api.zip"
}

# RULE: function URL with auth NONE
resource "aws_lambda_function_url" "receipt" {
  function_name      = aws_lambda_function.receipt.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function" "thumbnail" {
  function_name = "${local.service}-${var.stage}-thumbnail"
  role          = aws_iam_role.shared.arn
  handler       = "src/thumbnail.handler"
  runtime       = "nodejs14.x"
  filename      = "build/thumbnail.zip"
}

# REST API: POST /orders without authorizer.
resource "aws_api_gateway_rest_api" "api" {
  name = "${local.service}-${var.stage}"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

# RULE: http event without authorizer
resource "aws_api_gateway_method" "post_orders" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "post_orders" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.post_orders.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api.invoke_arn
}

# RULE: API stage without access logs, tracing, throttling; data trace on
resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "deployment"
  stage_name    = var.stage
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.dev.stage_name
  method_path = "*/*"
  settings {
    # RULE: API data trace on (full request bodies in logs)
    data_trace_enabled = true
    logging_level      = "INFO"
  }
}

# HTTP API: GET /health without authorizer, CORS "*".
resource "aws_apigatewayv2_api" "http" {
  name          = "${local.service}-${var.stage}-http"
  protocol_type = "HTTP"
  # RULE: CORS "*"
  cors_configuration {
    allow_origins = ["*"]
    allow_methods = ["GET", "POST"]
  }
}

resource "aws_apigatewayv2_integration" "health" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.api.invoke_arn
}

# RULE: httpApi route without authorizer
resource "aws_apigatewayv2_route" "health" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /health"
  target    = "integrations/${aws_apigatewayv2_integration.health.id}"
}

# RULE: resource policy with principal "*" and no source ARN
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "*"
}

resource "aws_s3_bucket" "uploads" {
  bucket = local.uploads_bucket
}

# RULE: async trigger without on-failure destination or DLQ; recursive loop
resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.thumbnail.arn
    events              = ["s3:ObjectCreated:*"]
  }
}

# RULE: queue without encryption
resource "aws_sqs_queue" "orders" {
  name                       = "${local.service}-${var.stage}"
  sqs_managed_sse_enabled    = false
  visibility_timeout_seconds = 30
}

module "worker" {
  source      = "./modules/worker"
  name        = "${local.service}-${var.stage}-worker"
  role_arn    = aws_iam_role.shared.arn
  queue_arn   = aws_sqs_queue.orders.arn
  db_password = local.common_env.DB_PASSWORD
}

resource "aws_sns_topic" "order_events" {
  name = "order-events"
}

# RULE: async trigger without on-failure destination or DLQ; tracing off;
# function URL with auth NONE (the module's default authorization_type).
module "notify" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.2.0"

  function_name = "${local.service}-${var.stage}-notify"
  handler       = "src/notify.handler"
  # RULE: end-of-life runtime (python3.7)
  runtime     = "python3.7"
  source_path = "src/notify.py"

  create_lambda_function_url = true

  attach_policy_statements = true
  policy_statements = {
    # RULE: wildcard IAM action
    sns = {
      effect    = "Allow"
      actions   = ["sns:*"]
      resources = ["*"]
    }
  }
  environment_variables = {
    # RULE: secret in environment variables
    SLACK_TOKEN = "xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1"
  }
}

resource "aws_sns_topic_subscription" "notify" {
  topic_arn = aws_sns_topic.order_events.arn
  protocol  = "lambda"
  endpoint  = module.notify.lambda_function_arn
}
