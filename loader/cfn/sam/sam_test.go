package sam

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTemplates(t *testing.T) {
	names := Names()
	if len(names) < 40 {
		t.Fatalf("only %d templates", len(names))
	}
	for _, want := range []string{"DynamoDBCrudPolicy", "S3ReadPolicy", "SQSPollerPolicy", "LambdaInvokePolicy", "AWSSecretsManagerGetSecretValuePolicy", "VPCAccessPolicy"} {
		if _, ok := Lookup(want); !ok {
			t.Errorf("missing %s", want)
		}
	}
	for _, n := range names {
		tp, _ := Lookup(n)
		var st []map[string]any
		if err := json.Unmarshal(tp.Statement, &st); err != nil || len(st) == 0 {
			t.Errorf("%s: bad statements: %v", n, err)
		}
		// Every declared parameter is used and every used one declared.
		s := string(tp.Statement)
		for _, p := range tp.Parameters {
			if !strings.Contains(s, "${"+p+"}") {
				t.Errorf("%s: parameter %s unused", n, p)
			}
		}
	}
}
