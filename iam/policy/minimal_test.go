package policy

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

var ordersNeeds = []Need{
	{Action: "dynamodb:PutItem", Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}},
	{Action: "DynamoDB:getitem", Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}},
	{Action: "dynamodb:PutItem", Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}},
	{Action: "s3:GetObject", Resources: []string{"arn:aws:s3:::uploads/*"}},
	{Action: "s3:PutObject", Resources: []string{"arn:aws:s3:::uploads/*", "arn:aws:s3:::archive/*"}},
	{Action: "sqs:SendMessage"},                                         // resource unknown
	{Action: "xray:PutTraceSegments", Resources: []string{"arn:aws:x"}}, // cannot be scoped
	{Action: "s3:ListAllMyBuckets"},
	{Action: " "},
}

func TestMinimalGolden(t *testing.T) {
	p := Minimal(catalog.Load(), ordersNeeds)
	for _, format := range Formats() {
		out, err := Render(p, format)
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("testdata", "minimal", "orders."+format), out)
	}
	// The minimal policy grants every need and nothing unused.
	d := Compare(p, ordersNeeds)
	if len(d.Missing) != 0 || len(d.Unused) != 0 || len(d.WildcardOnly) != 0 {
		t.Errorf("minimal policy diff = %+v", d)
	}
	if q := Minimal(catalog.Load(), nil); len(q.Statements) != 0 {
		t.Errorf("Minimal(nil) = %+v", q)
	}
}

func TestCompare(t *testing.T) {
	granted := mustParse(t, `{"Statement":[
		{"Sid":"Data","Effect":"Allow","Action":["dynamodb:*","s3:GetObject","s3:DeleteObject"],"Resource":"*"},
		{"Sid":"Queue","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"},
		{"Sid":"Rest","Effect":"Allow","NotAction":["iam:*"],"Resource":"arn:aws:sns:*:*:never"},
		{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}
	]}`)
	needs := []Need{
		{Action: "dynamodb:PutItem", Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}},
		{Action: "s3:GetObject", Resources: []string{"arn:aws:s3:::uploads/a"}},
		{Action: "s3:PutObject", Resources: []string{"arn:aws:s3:::uploads/a"}},
		{Action: "sqs:SendMessage"},
		{Action: "sqs:SendMessage", Resources: []string{"arn:aws:sqs:us-east-1:123456789012:other"}},
		{Action: "kms:Decrypt"},
	}
	d := Compare(granted, needs)
	wantMissing := []Missing{
		{"s3:PutObject", "arn:aws:s3:::uploads/a"},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:other"},
	}
	if !reflect.DeepEqual(d.Missing, wantMissing) {
		t.Errorf("Missing = %+v", d.Missing)
	}
	wantUnused := []Unused{{Statement: 0, Sid: "Data", Line: 2, Pattern: "s3:DeleteObject"}}
	if !reflect.DeepEqual(d.Unused, wantUnused) {
		t.Errorf("Unused = %+v", d.Unused)
	}
	wantWild := []WildcardOnly{
		{"dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders", []int{0}},
		{"kms:Decrypt", "*", []int{2}},
	}
	if !reflect.DeepEqual(d.WildcardOnly, wantWild) {
		t.Errorf("WildcardOnly = %+v", d.WildcardOnly)
	}
}
