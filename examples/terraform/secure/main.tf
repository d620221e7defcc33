# The secure twin of ../insecure: per-function least-privilege roles,
# authorizers, secrets from Secrets Manager, KMS, tracing, log retention,
# failure destinations, reserved concurrency, throttling and current runtimes.

variable "stage" {
  type    = string
  default = "prod"
}

locals {
  service        = "acme-orders"
  table_name     = "${local.service}-${var.stage}"
  uploads_bucket = "${local.service}-uploads-${var.stage}"
  thumbs_bucket  = "${local.service}-thumbnails-${var.stage}"
  functions = {
    api       = { handler = "src/api.handler", runtime = "nodejs22.x", concurrency = 50 }
    receipt   = { handler = "src/api.receipt", runtime = "nodejs22.x", concurrency = 10 }
    thumbnail = { handler = "src/thumbnail.handler", runtime = "nodejs22.x", concurrency = 5 }
  }
}

resource "aws_kms_key" "app" {
  description         = "acme-orders"
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "stripe" {
  name       = "${local.service}/${var.stage}/stripe-secret-key"
  kms_key_id = aws_kms_key.app.arn
}

resource "aws_sqs_queue" "failures" {
  name              = "${local.service}-failures-${var.stage}"
  kms_master_key_id = aws_kms_key.app.arn
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

# One role per function.
resource "aws_iam_role" "fn" {
  for_each           = local.functions
  name               = "${local.service}-${var.stage}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "api" {
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:111122223333:table/${local.table_name}"]
  }
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.stripe.arn]
  }
}

resource "aws_iam_role_policy" "api" {
  name   = "api"
  role   = aws_iam_role.fn["api"].id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_iam_role_policy" "thumbnail" {
  name = "thumbnail"
  role = aws_iam_role.fn["thumbnail"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${local.uploads_bucket}/*" },
      { Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::${local.thumbs_bucket}/*" },
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.failures.arn },
    ]
  })
}

resource "aws_lambda_function" "fn" {
  for_each                       = local.functions
  function_name                  = "${local.service}-${var.stage}-${each.key}"
  role                           = aws_iam_role.fn[each.key].arn
  handler                        = each.value.handler
  runtime                        = each.value.runtime
  filename                       = "build/${each.key}.zip"
  timeout                        = 10
  reserved_concurrent_executions = each.value.concurrency
  kms_key_arn                    = aws_kms_key.app.arn
  tracing_config {
    mode = "Active"
  }
  environment {
    variables = {
      ORDERS_TABLE      = local.table_name
      STRIPE_SECRET_ARN = aws_secretsmanager_secret.stripe.arn
    }
  }
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.service}-${var.stage}-${each.key}"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.app.arn
}

resource "aws_lambda_function_url" "receipt" {
  function_name      = aws_lambda_function.fn["receipt"].function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_function_event_invoke_config" "thumbnail" {
  function_name          = aws_lambda_function.fn["thumbnail"].function_name
  maximum_retry_attempts = 2
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }
}

resource "aws_cognito_user_pool" "users" {
  name              = "${local.service}-${var.stage}"
  mfa_configuration = "ON"
  software_token_mfa_configuration {
    enabled = true
  }
  password_policy {
    minimum_length    = 14
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = true
  }
}

resource "aws_api_gateway_rest_api" "api" {
  name = "${local.service}-${var.stage}"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.api.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [aws_cognito_user_pool.users.arn]
}

resource "aws_api_gateway_method" "post_orders" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "post_orders" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.post_orders.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.fn["api"].invoke_arn
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = "deployment"
  stage_name           = var.stage
  xray_tracing_enabled = true
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:api-access"
    format          = "$context.requestId $context.identity.sourceIp $context.status"
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level          = "ERROR"
    throttling_burst_limit = 50
    throttling_rate_limit  = 20
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["api"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/POST/orders"
}

resource "aws_s3_bucket" "uploads" {
  bucket = local.uploads_bucket
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.app.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.fn["thumbnail"].arn
    events              = ["s3:ObjectCreated:*"]
  }
}

resource "aws_sqs_queue" "orders" {
  name                       = "${local.service}-${var.stage}"
  kms_master_key_id          = aws_kms_key.app.arn
  visibility_timeout_seconds = 360
}

module "worker" {
  source    = "./modules/worker"
  name      = "${local.service}-${var.stage}-worker"
  queue_arn = aws_sqs_queue.orders.arn
  kms_key   = aws_kms_key.app.arn
}

resource "aws_sns_topic" "order_events" {
  name              = "order-events"
  kms_master_key_id = aws_kms_key.app.arn
}

module "notify" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.2.0"

  function_name                     = "${local.service}-${var.stage}-notify"
  handler                           = "src/notify.handler"
  runtime                           = "python3.12"
  source_path                       = "src/notify.py"
  timeout                           = 10
  reserved_concurrent_executions    = 5
  tracing_mode                      = "Active"
  cloudwatch_logs_retention_in_days = 30
  kms_key_arn                       = aws_kms_key.app.arn
  dead_letter_target_arn            = aws_sqs_queue.failures.arn

  attach_policy_statements = true
  policy_statements = {
    dlq = {
      effect    = "Allow"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.failures.arn]
    }
  }
  allowed_triggers = {
    orders = {
      principal  = "sns.amazonaws.com"
      source_arn = aws_sns_topic.order_events.arn
    }
  }
}

resource "aws_sns_topic_subscription" "notify" {
  topic_arn = aws_sns_topic.order_events.arn
  protocol  = "lambda"
  endpoint  = module.notify.lambda_function_arn
}
