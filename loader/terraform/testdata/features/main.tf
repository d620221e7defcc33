variable "env" {
  type    = string
  default = "dev"
}

variable "queues" {
  type    = list(string)
  default = ["a", "b"]
}

variable "region" {}

variable "memory" {
  type    = number
  default = 128
}

locals {
  prefix = "svc-${var.env}"
  actions = concat(["s3:GetObject"], ["s3:PutObject"])
}

resource "aws_sqs_queue" "q" {
  for_each = toset(var.queues)
  name     = "${local.prefix}-${each.key}"
}

resource "aws_lambda_function" "f" {
  count         = 2
  function_name = format("%s-fn-%d", local.prefix, count.index)
  role          = aws_iam_role.r.arn
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  memory_size   = var.memory
  timeout       = lookup({ dev = 5, prod = 30 }, var.env, 10)
  environment {
    variables = {
      REGION  = var.region
      STATE   = data.terraform_remote_state.net.outputs.vpc_id
      UPPER   = upper(local.prefix)
      JOINED  = join(",", var.queues)
    }
  }
}

resource "aws_iam_role" "r" {
  name               = "${local.prefix}-role"
  assume_role_policy = file("${path.module}/trust.json")
}

data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Read"
    actions   = local.actions
    resources = [for k, q in aws_sqs_queue.q : q.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }
  dynamic "statement" {
    for_each = var.queues
    content {
      actions   = ["sqs:SendMessage"]
      resources = ["arn:aws:sqs:*:*:${statement.value}"]
    }
  }
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = data.aws_iam_policy_document.p.json
}

resource "aws_lambda_event_source_mapping" "m" {
  for_each         = aws_sqs_queue.q
  event_source_arn = each.value.arn
  function_name    = aws_lambda_function.f[0].function_name
}

resource "aws_lambda_permission" "unknown" {
  function_name = data.aws_lambda_function.existing.function_name
  principal     = "s3.amazonaws.com"
  action        = "lambda:InvokeFunction"
}

resource "aws_lambda_function" "disabled" {
  count         = var.env == "prod" ? 1 : 0
  function_name = "only-in-prod"
  role          = aws_iam_role.r.arn
}

module "remote" {
  source = "git::https://example.com/mod.git"
}
