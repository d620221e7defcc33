package policy

import (
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

func BenchmarkParseJSON10k(b *testing.B) {
	data := bigPolicy(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIsAllowed(b *testing.B) {
	small := mustParse(b, `[
		{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Orders","arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/*"]},
		{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-*:*"},
		{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::data/*"},
		{"Effect":"Deny","Action":"dynamodb:Delete*","Resource":"*"}
	]`)
	big, err := ParseJSON(bigPolicy(10_000))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		p    Policy
	}{{"4-statements", small}, {"10k-statements", big}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.p.IsAllowed("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders")
			}
		})
	}
}

func BenchmarkEffectivePermissions(b *testing.B) {
	c := catalog.Load()
	admin := mustParse(b, `[{"Effect":"Allow","Action":"*","Resource":"*"}]`)
	power := mustParse(b, `[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]`)
	big, err := ParseJSON(bigPolicy(10_000))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		p    Policy
	}{{"admin", admin}, {"notaction", power}, {"10k-statements", big}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				EffectivePermissions(c, bc.p)
			}
		})
	}
}

func BenchmarkClassifyAndEscalations10k(b *testing.B) {
	c := catalog.Load()
	big, err := ParseJSON(bigPolicy(10_000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Classify(c, big)
		Escalations(big)
	}
}
