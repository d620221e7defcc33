package cli

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/policy"
)

var updatePolicy = flag.Bool("update-policy", false, "rewrite the policy golden files")

// TestPolicyGolden checks the minimal policies printed for the examples,
// in the app's own format and as JSON that parses as IAM policies.
func TestPolicyGolden(t *testing.T) {
	for _, tc := range []struct{ name, dir, format string }{
		{"serverless-insecure", "../../examples/serverless/insecure", ""},
		{"serverless-secure", "../../examples/serverless/secure", ""},
		{"sam-secure", "../../examples/sam/secure", ""},
		{"serverless-secure-json", "../../examples/serverless/secure", "json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"policy", "--no-code=false", tc.dir}
			if tc.format != "" {
				args = append(args, "--format", tc.format)
			}
			code, out, errs := run(t, args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			golden := filepath.Join("testdata", "policy-"+tc.name+".golden")
			if *updatePolicy {
				os.WriteFile(golden, []byte(out), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./internal/cli -run TestPolicyGolden -update-policy)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, out)
			}
			if tc.format != "json" {
				return
			}
			var doc struct {
				Functions []struct {
					Function string          `json:"function"`
					Analyzed bool            `json:"analyzed"`
					Policy   json.RawMessage `json:"policy"`
					Unused   []string        `json:"grantedButUnused"`
					Missing  []string        `json:"usedButNotGranted"`
				} `json:"functions"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Functions {
				if !f.Analyzed {
					t.Errorf("%s not analysed", f.Function)
					continue
				}
				p, err := policy.ParseJSON(f.Policy)
				if err != nil || len(p.Statements) == 0 {
					t.Errorf("%s: not a valid IAM policy: %v", f.Function, err)
				}
				if len(f.Unused) > 0 || len(f.Missing) > 0 {
					t.Errorf("secure example function %s: unused %v, missing %v", f.Function, f.Unused, f.Missing)
				}
			}
		})
	}
}

func TestPolicyInsecureUnusedActions(t *testing.T) {
	_, out, _ := run(t, "policy", "../../examples/serverless/insecure", "--function", "worker", "--format", "json")
	for _, want := range []string{`"sns:Publish (serverless.yml:37:11)"`, `"sqs:SendMessage (serverless.yml:37:11)"`, `"s3:PutObject (serverless.yml:44:11)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("worker's unused actions lack %s:\n%s", want, out)
		}
	}
}
