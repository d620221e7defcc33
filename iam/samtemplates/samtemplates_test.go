package samtemplates

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/iam/policy"
)

func TestExpandGolden(t *testing.T) {
	env := Env{Partition: "aws", Region: "us-east-1", AccountID: "123456789012"}
	cases := []struct {
		name   string
		params map[string]string
	}{
		{"DynamoDBCrudPolicy", map[string]string{"TableName": "Orders"}},
		{"S3ReadPolicy", map[string]string{"bucketname": "uploads"}},
		{"SQSPollerPolicy", map[string]string{"QueueName": "jobs"}},
		{"AWSSecretsManagerRotationPolicy", map[string]string{"FunctionName": "rotator"}},
		{"DynamoDBStreamReadPolicy", map[string]string{"TableName": "Orders", "StreamName": "2024-01-01T00:00:00.000"}},
		{"VPCAccessPolicy", nil},
	}
	for _, tc := range cases {
		p, err := Expand(tc.name, tc.params, env)
		if err != nil {
			t.Fatal(err)
		}
		out, err := policy.Render(p, policy.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("testdata", tc.name+".json"), out)
	}
}

func TestExpandUnknownValues(t *testing.T) {
	p, err := Expand("dynamodbcrudpolicy", map[string]string{"TableName": ""}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"arn:*:dynamodb:*:*:table/*", "arn:*:dynamodb:*:*:table/*/index/*"}
	if !reflect.DeepEqual(p.Statements[0].Resources, want) {
		t.Errorf("resources = %v", p.Statements[0].Resources)
	}
	// Unknown values must cover any concrete table.
	if ok, _, _ := p.IsAllowed("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:1:table/Orders"); !ok {
		t.Error("unknown table does not cover a concrete one")
	}
	// A value is substituted once, literally.
	p, _ = Expand("SQSSendMessagePolicy", map[string]string{"QueueName": "{Region}"}, Env{Region: "r"})
	if got := p.Statements[0].Resources[0]; got != "arn:*:sqs:r:*:{Region}" {
		t.Errorf("resource = %q", got)
	}
}

func TestExpandErrors(t *testing.T) {
	if _, err := Expand("NoSuchPolicy", nil, Env{}); err == nil || !strings.Contains(err.Error(), `unknown policy template "NoSuchPolicy"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := Expand("S3ReadPolicy", map[string]string{"Bucket": "x"}, Env{}); err == nil || !strings.Contains(err.Error(), `has no parameter "Bucket" (want BucketName)`) {
		t.Errorf("err = %v", err)
	}
	if _, err := Expand("VPCAccessPolicy", map[string]string{"X": "y"}, Env{}); err == nil || !strings.Contains(err.Error(), "want no parameters") {
		t.Errorf("err = %v", err)
	}
}

// samOnlyActions are names SAM's templates carry that are not IAM actions
// (the batch APIs are authorised by their single-message actions); they are
// kept so that the expansion matches what SAM deploys.
var samOnlyActions = map[string]bool{
	"sqs:ChangeMessageVisibilityBatch": true,
	"sqs:DeleteMessageBatch":           true,
}

// TestTemplatesKnown checks every template against the catalogue: each
// action exists (or a wildcard matches some), and each placeholder is a
// parameter or the environment.
func TestTemplatesKnown(t *testing.T) {
	c := catalog.Load()
	names := Names()
	if len(names) < 40 {
		t.Fatalf("%d templates", len(names))
	}
	for _, n := range names {
		tpl, ok := Lookup(strings.ToUpper(n))
		if !ok || tpl.Name != n || tpl.Description == "" {
			t.Fatalf("Lookup(%s) = %+v, %v", n, tpl, ok)
		}
		params := map[string]string{}
		for _, p := range tpl.Params {
			params[p] = "value"
		}
		p, err := Expand(n, params, Env{Partition: "aws", Region: "r", AccountID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range p.Statements {
			for _, a := range st.Actions {
				if len(c.Expand(a)) == 0 && !samOnlyActions[a] {
					t.Errorf("%s: action %s not in the catalogue", n, a)
				}
			}
			for _, r := range st.Resources {
				if strings.ContainsAny(r, "{}") {
					t.Errorf("%s: placeholder left in %q", n, r)
				}
			}
		}
	}
}
