package policy

import (
	"github.com/faasguard/faasguard/internal/testcorpus"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kicsMethod maps the KICS privilege-escalation queries
// (role_with_privilege_escalation_by_actions_<suffix>) to our methods.
var kicsMethod = map[string]string{
	"glue_UpdateDevEndpoint":                                       "glue-update-dev-endpoint",
	"iam_AddUserToGroup":                                           "iam-add-user-to-group",
	"iam_AttachGroupPolicy":                                        "iam-attach-group-policy",
	"iam_AttachRolePolicy":                                         "iam-attach-role-policy",
	"iam_AttachUserPolicy":                                         "iam-attach-user-policy",
	"iam_CreateAccessKey":                                          "iam-create-access-key",
	"iam_CreateLoginProfile":                                       "iam-create-login-profile",
	"iam_CreatePolicyVersion":                                      "iam-create-policy-version",
	"iam_PassRole_and_cloudformation_CreateStack":                  "cloudformation-create-stack-pass-role",
	"iam_PassRole_and_ec2_RunInstances":                            "ec2-run-instances-pass-role",
	"iam_PassRole_and_glue_CreateDevEndpoint":                      "glue-create-dev-endpoint-pass-role",
	"iam_PassRole_and_lambda_CreateFunction_lambda_InvokeFunction": "lambda-create-invoke-pass-role",
	"iam_PutGroupPolicy":                                           "iam-put-group-policy",
	"iam_PutRolePolicy":                                            "iam-put-role-policy",
	"iam_PutUserPolicy":                                            "iam-put-user-policy",
	"iam_SetDefaultPolicyVersion":                                  "iam-set-default-policy-version",
	"iam_UpdateAssumeRolePolicy_and_sts_AssumeRole":                "iam-update-assume-role-policy",
	"iam_UpdateLoginProfile":                                       "iam-update-login-profile",
	"lambda_UpdateFunctionCode":                                    "lambda-update-function-code",
}

var quotedAction = regexp.MustCompile(`"([a-z0-9-]+:[A-Za-z0-9*?]+)"`)

// TestPeerKICSEscalation scores Escalations on the KICS Terraform
// privilege-escalation fixtures. Their policies are one Allow statement on
// "*" written with jsonencode; the actions are read from the quoted strings,
// since parsing Terraform belongs to the loader (which has its own peer
// harness over the same files). Every positive must report the query's
// method and no negative any method.
func TestPeerKICSEscalation(t *testing.T) {
	root := testcorpus.Dir(t, "kics-serverless", "queries", "terraform", "aws")
	dirs, _ := filepath.Glob(filepath.Join(root, "role_with_privilege_escalation_by_actions_*"))
	if len(dirs) == 0 {
		t.Skip("peer corpus not found at " + root)
	}
	var tp, fn, fp, tn int
	for _, dir := range dirs {
		suffix := strings.TrimPrefix(filepath.Base(dir), "role_with_privilege_escalation_by_actions_")
		want, ok := kicsMethod[suffix]
		if !ok {
			t.Errorf("KICS query %s has no mapping to an escalation method", suffix)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "test", "*.tf"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, m := range quotedAction.FindAllStringSubmatch(string(data), -1) {
				actions = append(actions, m[1])
			}
			p := Policy{Statements: []Statement{{Effect: Allow, Actions: actions, Resources: []string{"*"}}}}
			got := map[string]bool{}
			for _, e := range Escalations(p) {
				got[e.Method.ID] = true
			}
			positive := strings.HasPrefix(filepath.Base(f), "positive")
			switch {
			case positive && got[want]:
				tp++
			case positive:
				fn++
				t.Errorf("%s: %s not reported (actions %v)", f, want, actions)
			case len(got) > 0:
				fp++
				t.Errorf("%s: negative reports %v", f, got)
			default:
				tn++
			}
		}
	}
	t.Logf("KICS privilege escalation: %d/%d positives found, %d/%d negatives clean", tp, tp+fn, tn, tn+fp)
}
