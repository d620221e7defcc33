package cfn

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/loader"
)

func BenchmarkLoadTemplate(b *testing.B) {
	data, err := os.ReadFile("testdata/cfn_full.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		LoadFile("t.yaml", data, loader.Options{})
	}
}

// BenchmarkCDK1MB loads a generated 1 MB CDK-style JSON template.
func BenchmarkCDK1MB(b *testing.B) {
	data := cdkTemplate(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		LoadFile("cdk.out/Big.template.json", data, loader.Options{})
	}
}

// cdkTemplate generates a CDK-style template of about size bytes,
// indented like `cdk synth` writes it.
func cdkTemplate(size int) []byte {
	var raw map[string]any
	if err := json.Unmarshal(cdkTemplateLine(size*2/3), &raw); err != nil {
		panic(err)
	}
	out, err := json.MarshalIndent(raw, "", " ")
	if err != nil {
		panic(err)
	}
	return out
}

func cdkTemplateLine(size int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"Resources": {`)
	for i := 0; sb.Len() < size; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"Role%[1]d": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]}, "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": ["Queue%[1]d", "Arn"]}}]}}]}, "Metadata": {"aws:cdk:path": "Big/Fn%[1]d/ServiceRole/Resource"}},`, i)
		fmt.Fprintf(&sb, `"Queue%[1]d": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}, "Metadata": {"aws:cdk:path": "Big/Queue%[1]d/Resource"}},`, i)
		fmt.Fprintf(&sb, `"Fn%[1]d": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "index.handler", "Runtime": "nodejs20.x", "Role": {"Fn::GetAtt": ["Role%[1]d", "Arn"]}, "Environment": {"Variables": {"QUEUE": {"Ref": "Queue%[1]d"}}}}, "Metadata": {"aws:cdk:path": "Big/Fn%[1]d/Resource"}},`, i)
		fmt.Fprintf(&sb, `"Esm%[1]d": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": {"Ref": "Fn%[1]d"}, "EventSourceArn": {"Fn::GetAtt": ["Queue%[1]d", "Arn"]}}}`, i)
	}
	sb.WriteString("}}")
	return []byte(sb.String())
}
