variable "name" { type = string }
variable "role_arn" { type = string }
variable "queue_arn" { type = string }
variable "db_password" { type = string }

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role_arn
  handler       = "src/worker.handler"
  # RULE: end-of-life runtime (python3.7)
  runtime  = "python3.7"
  filename = "build/worker.zip"
  # RULE: timeout above the ceiling (300 s); above the queue's visibility timeout
  timeout = 900
  environment {
    variables = {
      # RULE: secret in environment variables
      DB_PASSWORD = var.db_password
    }
  }
}

resource "aws_lambda_event_source_mapping" "queue" {
  event_source_arn = var.queue_arn
  function_name    = aws_lambda_function.this.arn
  batch_size       = 10
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
