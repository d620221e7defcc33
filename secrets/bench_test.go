package secrets

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zricethezav/gitleaks/v8/detect"
)

// genTree returns a generated serverless source tree: handlers in
// JavaScript, Python and Go and serverless.yml files, with a leaked token
// in one file in twenty. With dense set, every function handles a key,
// token or secret (the worst case for context rules, whose keywords are
// then on most lines); otherwise one function in ten does. Deterministic.
func genTree(files int, dense bool) map[string][]byte {
	tree := make(map[string][]byte, files)
	for i := 0; i < files; i++ {
		var b strings.Builder
		var name string
		switch i % 4 {
		case 0:
			name = fmt.Sprintf("services/svc%d/src/handler.js", i)
			b.WriteString("'use strict';\nconst { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');\nconst client = new DynamoDBClient({});\n")
			for j := 0; j < 60; j++ {
				k := "id"
				if dense || j%10 == 0 {
					k = "key"
				}
				fmt.Fprintf(&b, "async function step%d(event) {\n  const body = JSON.parse(event.body || '{}');\n  const "+k+" = `user#${body.id}`;\n  await client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { pk: { S: "+k+" }, n: { N: '%d' } } }));\n  return { statusCode: 200, body: JSON.stringify({ ok: true, step: %d }) };\n}\n", j, j, j)
			}
		case 1:
			name = fmt.Sprintf("services/svc%d/app.py", i)
			b.WriteString("import json\nimport os\nimport boto3\n\nsecrets = boto3.client('secretsmanager')\n")
			for j := 0; j < 60; j++ {
				v := "    item = table.get_item(Key={'id': body.get('id')})\n"
				if dense || j%10 == 0 {
					v = "    password = secrets.get_secret_value(SecretId=os.environ['DB_SECRET_ARN'])['SecretString']\n"
				}
				fmt.Fprintf(&b, "def handler_%d(event, context):\n    body = json.loads(event.get('body') or '{}')\n"+v+"    return {'statusCode': 200, 'body': json.dumps({'id': body.get('id'), 'n': %d})}\n\n", j, j)
			}
		case 2:
			name = fmt.Sprintf("services/svc%d/serverless.yml", i)
			fmt.Fprintf(&b, "service: svc%d\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE_NAME: ${self:service}-table\n    DB_PASSWORD: ${ssm:/svc/db/password}\n    API_KEY: !Ref ApiKeyParam\nfunctions:\n", i)
			for j := 0; j < 40; j++ {
				fmt.Fprintf(&b, "  fn%d:\n    handler: src/handler.step%d\n    timeout: 10\n    events:\n      - httpApi:\n          path: /items/%d\n          method: post\n", j, j, j)
			}
		case 3:
			name = fmt.Sprintf("services/svc%d/main.go", i)
			b.WriteString("package main\n\nimport (\n\t\"context\"\n\t\"os\"\n)\n\n")
			for j := 0; j < 60; j++ {
				v := "region"
				if dense || j%10 == 0 {
					v = "token"
				}
				fmt.Fprintf(&b, "func handle%d(ctx context.Context, in map[string]any) (string, error) {\n\t"+v+" := os.Getenv(\"AWS_REGION\")\n\tif "+v+" == \"\" {\n\t\treturn \"\", nil\n\t}\n\treturn fmt.Sprint(in[\"id\"], %d), nil\n}\n\n", j, j)
			}
		}
		if i%20 == 0 {
			fmt.Fprintf(&b, "// leaked\nconst ghToken = '%s';\n", githubPAT(uint32(i)))
		}
		tree[name] = []byte(b.String())
	}
	return tree
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScanTree reports MB/s over a generated source tree, plus the
// process CPU time per op (cpu-ms/op), which is what to compare on a
// loaded machine.
func BenchmarkScanTree(b *testing.B) {
	for _, dense := range []bool{false, true} {
		name := "typical"
		if dense {
			name = "dense"
		}
		b.Run(name, func(b *testing.B) {
			d := detector(b)
			benchTree(b, genTree(200, dense), func(p string, c []byte) int {
				fs, _ := d.ScanFile(p, c)
				return len(fs)
			})
		})
	}
}

// BenchmarkGitleaksOnly is the baseline: gitleaks' default detector over
// the same typical tree, one fragment per file, no faasguard rules.
func BenchmarkGitleaksOnly(b *testing.B) {
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	benchTree(b, genTree(200, false), func(p string, c []byte) int {
		return len(gl.DetectContext(context.Background(), detect.Fragment{Raw: string(c), FilePath: p}))
	})
}

func benchTree(b *testing.B, tree map[string][]byte, scan func(string, []byte) int) {
	var size int64
	for _, c := range tree {
		size += int64(len(c))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	found := 0
	for i := 0; i < b.N; i++ {
		found = 0
		for p, c := range tree {
			found += scan(p, c)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(found), "findings")
}

// BenchmarkScanValue measures one environment-variable check: "distinct"
// gives every call a new value (no memo hit), "repeated" cycles through
// four (the memo answers).
func BenchmarkScanValue(b *testing.B) {
	d := detector(b)
	vals := [][2]string{{"TABLE_NAME", "orders-prod"}, {"DB_PASSWORD", "Zx81!kdj29sKa"}, {"API_KEY", "${ssm:/x/y}"}, {"LOG_LEVEL", "debug"}}
	b.Run("distinct", func(b *testing.B) {
		start := cpuTime()
		for i := 0; i < b.N; i++ {
			v := vals[i%len(vals)]
			d.ScanValue(v[0], v[1]+strconv.Itoa(i))
		}
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
	})
	b.Run("repeated", func(b *testing.B) {
		start := cpuTime()
		for i := 0; i < b.N; i++ {
			v := vals[i%len(vals)]
			d.ScanValue(v[0], v[1])
		}
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
	})
}

// BenchmarkNew measures building a Detector (rule compilation).
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}
