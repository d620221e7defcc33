package policy_test

import (
	"fmt"

	"github.com/faasguard/faasguard/iam/catalog"
	"github.com/faasguard/faasguard/iam/policy"
)

func Example() {
	granted, err := policy.ParseJSON([]byte(`{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "Table", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:*:table/Orders"},
	    {"Sid": "Deploy", "Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
	  ]
	}`))
	if err != nil {
		panic(err)
	}
	c := catalog.Load()
	for _, f := range policy.Classify(c, granted) {
		fmt.Println(f.Severity, f.Kind, "line", f.Line, f.Pattern)
	}
	for _, e := range policy.Escalations(granted) {
		fmt.Println(e.Severity, e)
	}
	needs := []policy.Need{{Action: "dynamodb:PutItem", Resources: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}}}
	d := policy.Compare(granted, needs)
	fmt.Println("unused:", len(d.Unused), "missing:", len(d.Missing), "wildcard only:", len(d.WildcardOnly))
	out, _ := policy.Render(policy.Minimal(c, needs), policy.FormatServerless)
	fmt.Print(string(out))
	// Output:
	// high wildcard-action line 4 dynamodb:*
	// high wildcard-resource line 5 *
	// critical lambda-create-invoke-pass-role: iam:PassRole (statement 1 Deploy) + lambda:CreateFunction (statement 1 Deploy) + lambda:InvokeFunction (statement 1 Deploy)
	// unused: 3 missing: 0 wildcard only: 1
	// iam:
	//   role:
	//     statements:
	//       - Effect: Allow
	//         Action:
	//           - "dynamodb:PutItem"
	//         Resource:
	//           - "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"
}
