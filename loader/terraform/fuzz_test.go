package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
)

// FuzzLoad loads one arbitrary .tf (or .tf.json) file next to a fixed
// local module: the loader must never panic and always return.
func FuzzLoad(f *testing.F) {
	// Seeds stay small: coverage-instrumented HCL scanning slows down
	// sharply with input size, and small inputs reach the same code.
	f.Add([]byte(fn), false)
	f.Add([]byte("locals {\n a = local.b\n b = local.a\n}\n"), false)
	f.Add([]byte(`{"resource":{"aws_sns_topic":{"t":{"name":"x"}}}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, json bool) {
		if len(data) > 4096 {
			t.Skip()
		}
		name := "main.tf"
		if json {
			name = "main.tf.json"
		}
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, "mod"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "mod", "main.tf"), []byte(fn), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, a := range loadDir(t, root, loader.Options{}) {
			for _, n := range a.Notes {
				if n.Level == "error" && strings.Contains(n.Message, "internal error") {
					t.Fatalf("loader panicked: %s", n.Message)
				}
			}
		}
	})
}

// genTree writes a Terraform tree of n files: n/10 root modules of ten
// files each (functions, roles with jsonencode and policy documents,
// queues, APIs, a local module call).
func genTree(b testing.TB, n int) string {
	root := b.TempDir()
	write := func(p, s string) {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("modules/fn/main.tf", `variable "name" {}
variable "role" {}
resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role
  runtime       = "python3.12"
  handler       = "app.handler"
}
output "arn" { value = aws_lambda_function.this.arn }
`)
	files := 1
	for app := 0; files < n; app++ {
		dir := fmt.Sprintf("stacks/app%03d", app)
		write(dir+"/variables.tf", "variable \"stage\" {\n  default = \"dev\"\n}\nlocals {\n  prefix = \"app"+fmt.Sprint(app)+"-${var.stage}\"\n}\n")
		files++
		for i := 0; i < 9 && files < n; i++ {
			write(fmt.Sprintf("%s/fn%d.tf", dir, i), fmt.Sprintf(`
data "aws_iam_policy_document" "p%[1]d" {
  statement {
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.q%[1]d.arn]
  }
}
resource "aws_iam_role" "r%[1]d" {
  name = "${local.prefix}-r%[1]d"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name   = "p"
    policy = data.aws_iam_policy_document.p%[1]d.json
  }
}
resource "aws_sqs_queue" "q%[1]d" {
  name = "${local.prefix}-q%[1]d"
}
resource "aws_lambda_function" "f%[1]d" {
  function_name = "${local.prefix}-f%[1]d"
  role          = aws_iam_role.r%[1]d.arn
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  timeout       = 10
  environment {
    variables = { QUEUE = aws_sqs_queue.q%[1]d.url, STAGE = var.stage }
  }
}
resource "aws_lambda_event_source_mapping" "m%[1]d" {
  event_source_arn = aws_sqs_queue.q%[1]d.arn
  function_name    = aws_lambda_function.f%[1]d.arn
}
module "m%[1]d" {
  source = "../../modules/fn"
  name   = "${local.prefix}-m%[1]d"
  role   = aws_iam_role.r%[1]d.arn
}
`, i))
			files++
		}
	}
	return root
}

// BenchmarkLoad500 measures loading a generated 500-file tree.
func BenchmarkLoad500(b *testing.B) {
	root := genTree(b, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		apps := loadDir(b, root, loader.Options{})
		if len(apps) < 50 {
			b.Fatalf("got %d apps", len(apps))
		}
	}
}
