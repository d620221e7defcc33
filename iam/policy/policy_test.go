package policy

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/iam/catalog"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []Statement
		check func(t *testing.T, p Policy)
	}{
		{
			name: "strings",
			in:   `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			want: []Statement{{Sid: "A", Effect: Allow, Actions: []string{"s3:GetObject"}, Resources: []string{"*"}, Line: 1}},
		},
		{
			name: "arrays and lines",
			in:   "{\n \"Statement\": [\n  {\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\"],\"NotResource\":[\"a\",\"b\"]},\n  {\"Effect\":\"Allow\",\"Action\":[\"*\"],\"Resource\":\"*\"}\n ]\n}",
			want: []Statement{
				{Effect: Deny, NotActions: []string{"iam:*"}, NotResources: []string{"a", "b"}, Index: 0, Line: 3},
				{Effect: Allow, Actions: []string{"*"}, Resources: []string{"*"}, Index: 1, Line: 4},
			},
		},
		{
			name: "bare array",
			in:   `[{"Effect":"Allow","Action":"*"}]`,
			want: []Statement{{Effect: Allow, Actions: []string{"*"}, Line: 1}},
		},
		{
			name: "single statement",
			in:   `{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"}}`,
			want: []Statement{{Effect: Allow, Actions: []string{"sts:AssumeRole"}, Principals: map[string][]string{"Service": {"lambda.amazonaws.com"}}, Line: 1}},
		},
		{
			name: "principal star and condition scalars",
			in:   `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10, "20"]}}}]}`,
			check: func(t *testing.T, p Policy) {
				st := p.Statements[0]
				if !st.HasCondition || st.Condition["Bool"]["aws:SecureTransport"][0] != "false" ||
					!reflect.DeepEqual(st.Condition["NumericLessThan"]["s3:max-keys"], []string{"10", "20"}) {
					t.Errorf("condition = %v", st.Condition)
				}
				if !reflect.DeepEqual(st.Principals, map[string][]string{"*": {"*"}}) {
					t.Errorf("principals = %v", st.Principals)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil && !reflect.DeepEqual(p.Statements, tt.want) {
				t.Errorf("got  %+v\nwant %+v", p.Statements, tt.want)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "  ", "policy: empty document"},
		{"scalar", "42", "not a JSON object or array"},
		{"syntax", "{\n\"Statement\": [\n{\"Effect\": \"Allow\",,}]}", "policy: line 3"},
		{"truncated", `{"Statement": [{"Effect": "Allow"`, "policy: line 1"},
		{"no statement", `{"Version": "2012-10-17"}`, "no Statement element"},
		{"bad effect", "{\"Statement\": [\n{\"Effect\": \"allow\", \"Action\": \"*\"}]}", "policy: line 2: statement 0: Effect must be \"Allow\" or \"Deny\""},
		{"no effect", `[{"Action":"*"}]`, "statement 0: no Effect"},
		{"action number", `[{"Effect":"Allow","Action":7}]`, "Action: want a string or an array of strings, got 7"},
		{"action object", `[{"Effect":"Allow","Action":{"a":1}}]`, "Action: want a string"},
		{"both actions", `[{"Effect":"Allow","Action":"*","NotAction":"*"}]`, "both Action and NotAction"},
		{"no action", `[{"Effect":"Allow","Resource":"*"}]`, "neither Action nor NotAction"},
		{"both resources", `[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"x"}]`, "both Resource and NotResource"},
		{"empty action", `[{"Effect":"Allow","Action":[" "]}]`, "Action: empty value"},
		{"empty list", `[{"Effect":"Deny","NotAction":[]}]`, "NotAction: empty list"},
		{"statement scalar", `{"Statement": "x"}`, "Statement is neither an object nor an array"},
		{"statement item scalar", `{"Statement": [1]}`, "statement 0: not a JSON object"},
		{"bad condition", `[{"Effect":"Allow","Action":"*","Condition":{"Bool":{"k":{"x":1}}}}]`, "Condition: Bool k: want a string, number or boolean"},
		{"bad principal", `[{"Effect":"Allow","Action":"*","Principal":"someone"}]`, "Principal: a string principal must be \"*\""},
		{"invalid utf8", "{\"Statement\":\n[{\"Sid\":\"\xff\"}]}", "policy: line 2: invalid UTF-8"},
		{"deep nesting", strings.Repeat("[", 20000), "policy"},
		{"array syntax", "[\n{\"Effect\":\"Allow\",\"Action\":\"*\"},\n{\"Effect\" \"Allow\"}]", "policy: line 3: statement 1: invalid character"},
		{"trailing data", "[{\"Effect\":\"Allow\",\"Action\":\"*\"}]\n{}", "policy: line 2: data after the statement array"},
		{"version type", `{"Version": 1, "Statement": []}`, "Version is not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseJSONLimits(t *testing.T) {
	p, err := ParseJSON(bigPolicy(10_000))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Statements) != 10_000 || p.Statements[9999].Index != 9999 || p.Statements[9999].Line != 10_002 {
		t.Fatalf("got %d statements, last %+v", len(p.Statements), p.Statements[len(p.Statements)-1])
	}
	if _, err := ParseJSON(make([]byte, MaxDocumentBytes+1)); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("oversized document: err = %v", err)
	}
}

// bigPolicy makes a policy of n statements, one per line after the first two.
func bigPolicy(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\"Version\": \"2012-10-17\",\n\"Statement\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","s3:Get*"],"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/T%d"}`, i, i)
	}
	b.WriteString("\n]}")
	return b.Bytes()
}

func TestMatchResource(t *testing.T) {
	tests := []struct {
		pattern, resource string
		want              bool
	}{
		{"*", "arn:aws:s3:::bucket/key", true},
		{"*", "anything", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-2/x", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::b/k", true},
		{"arn:aws:dynamodb:*:*:table/Orders", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders", true},
		{"arn:aws:dynamodb:*:*:table/Orders", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/x", false},
		{"arn:aws:dynamodb:us-*:*:table/*", "arn:aws:dynamodb:eu-west-1:1:table/T", false},
		// A wildcard in the region segment does not cross into the account.
		{"arn:aws:sqs:us-east-1*:q", "arn:aws:sqs:us-east-1:123:q", false},
		{"arn:aws:logs:*:*:log-group:/aws/lambda/f:*", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:x", true},
		// A short pattern: its last segment takes the rest of the ARN.
		{"arn:aws:*", "arn:aws:s3:::b", true},
		{"arn:*:s3:::b", "arn:aws-cn:s3:::b", true},
		{"arn:aws:S3:::b", "arn:aws:s3:::b", false}, // case-sensitive
		{"arn:aws:iam::123456789012:user/${aws:username}", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/é", true},
		// A resource pattern is covered only when the policy pattern includes it.
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::b/a*", "arn:aws:s3:::b/*", false},
		{"arn:aws:s3:::b", "*", false},
		{"not-an-arn", "not-an-arn", true},
		{"arn:aws:s3:::b", "arn:aws:s3", false},
	}
	for _, tt := range tests {
		if got := MatchResource(tt.pattern, tt.resource); got != tt.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", tt.pattern, tt.resource, got, tt.want)
		}
	}
}

func TestMatchAction(t *testing.T) {
	tests := []struct {
		p, a string
		want bool
	}{
		{"*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"S3:get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:*Object", "s3:GetObject", true},
		{"s3:GetObject", "s3:GetObjectAcl", false},
		{"s3:GetObjec?", "s3:GetObject", true},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.p, tt.a); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v", tt.p, tt.a, got)
		}
	}
}

func TestIsAllowed(t *testing.T) {
	p := mustParse(t, `{"Statement":[
		{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"]},
		{"Sid":"AllDynamo","Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/Orders"},
		{"Sid":"Named","Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"},
		{"Sid":"NoDelete","Effect":"Deny","Action":"dynamodb:Delete*","Resource":"*"},
		{"Sid":"CondDeny","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Sid":"AllButIAM","Effect":"Allow","NotAction":["iam:*","dynamodb:*","s3:*"],"NotResource":"arn:aws:sqs:*:*:secret"}
	]}`)
	tests := []struct {
		action, resource string
		allowed          bool
		via              []int
		wild             bool
	}{
		{"s3:GetObject", "arn:aws:s3:::data/k", true, []int{0}, false},
		{"s3:getobject", "arn:aws:s3:::data/k", true, []int{0}, false},
		{"s3:ListBucket", "arn:aws:s3:::data", true, []int{0}, true},
		{"s3:PutObject", "arn:aws:s3:::data/k", false, nil, false},
		{"s3:GetObject", "arn:aws:s3:::other/k", false, nil, false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/Orders", true, []int{1}, true},
		{"dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:1:table/Orders", true, []int{1, 2}, false},
		{"dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:1:table/Other", true, []int{2}, false},
		{"dynamodb:DeleteItem", "arn:aws:dynamodb:us-east-1:1:table/Orders", false, nil, false},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:1:jobs", true, []int{5}, true},
		{"sqs:SendMessage", "arn:aws:sqs:us-east-1:1:secret", false, nil, false},
		{"iam:PassRole", "*", false, nil, false},
	}
	for _, tt := range tests {
		allowed, via, wild := p.IsAllowed(tt.action, tt.resource)
		if allowed != tt.allowed || !reflect.DeepEqual(via, tt.via) || wild != tt.wild {
			t.Errorf("IsAllowed(%s, %s) = %v %v %v, want %v %v %v", tt.action, tt.resource, allowed, via, wild, tt.allowed, tt.via, tt.wild)
		}
	}
}

func TestEffectivePermissionsDeny(t *testing.T) {
	c := catalog.Load()
	p := mustParse(t, `[
		{"Effect":"Allow","Action":["sqs:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["sqs:SendMessage"],"Resource":"arn:aws:sqs:*:*:jobs"},
		{"Effect":"Deny","Action":"sqs:Delete*","Resource":"*"},
		{"Effect":"Deny","Action":"sqs:Purge*","Resource":"arn:aws:sqs:*:*:jobs"},
		{"Effect":"Deny","Action":"sqs:ReceiveMessage","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
	]`)
	byName := map[string]Grant{}
	for _, g := range EffectivePermissions(c, p) {
		byName[g.Action.String()] = g
	}
	if _, ok := byName["sqs:DeleteMessage"]; ok {
		t.Error("unconditional Deny on * did not remove sqs:DeleteMessage")
	}
	if g := byName["sqs:PurgeQueue"]; !reflect.DeepEqual(g.DeniedBy, []int{3}) {
		t.Errorf("sqs:PurgeQueue DeniedBy = %v", g.DeniedBy)
	}
	if _, ok := byName["sqs:ReceiveMessage"]; !ok {
		t.Error("conditional Deny removed sqs:ReceiveMessage")
	}
	g := byName["sqs:SendMessage"]
	if g.ThroughWildcard || !reflect.DeepEqual(g.Statements, []int{0, 1}) || !g.AllResources() || len(g.Resources) != 1 {
		t.Errorf("sqs:SendMessage = %+v", g)
	}
}

func TestEscalationTableKnown(t *testing.T) {
	c := catalog.Load()
	seen := map[string]bool{}
	for _, m := range EscalationMethods() {
		if seen[m.ID] || m.Description == "" || !strings.HasPrefix(m.Reference, "https://") {
			t.Errorf("method %q: duplicate or incomplete", m.ID)
		}
		seen[m.ID] = true
		for _, a := range m.Actions {
			if _, ok := c.Action(a); !ok {
				t.Errorf("method %s: action %s not in the catalogue", m.ID, a)
			}
		}
	}
}

func TestEscalationDeny(t *testing.T) {
	p := mustParse(t, `[
		{"Effect":"Allow","Action":["iam:PassRole","lambda:*"],"Resource":"*"},
		{"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"*"}
	]`)
	ids := map[string]Escalation{}
	for _, e := range Escalations(p) {
		ids[e.Method.ID] = e
	}
	if _, ok := ids["lambda-create-invoke-pass-role"]; ok {
		t.Error("Deny on lambda:InvokeFunction did not break the chain")
	}
	e, ok := ids["lambda-create-event-source-pass-role"]
	if !ok || e.Severity != Critical || len(e.Chain) != 3 || e.Chain[0].ThroughWildcard || !e.Chain[1].ThroughWildcard {
		t.Errorf("lambda-create-event-source-pass-role = %+v, %v", e, ok)
	}
}

func TestSeverityFor(t *testing.T) {
	tests := []struct {
		level catalog.AccessLevel
		all   bool
		want  Severity
	}{
		{catalog.PermissionsManagement, true, Critical},
		{catalog.PermissionsManagement, false, High},
		{catalog.Write, true, High},
		{catalog.Write, false, Medium},
		{catalog.Read, true, Medium},
		{catalog.Read, false, Low},
		{catalog.List, true, Low},
		{catalog.List, false, Info},
	}
	for _, tt := range tests {
		if got := SeverityFor(tt.level, tt.all); got != tt.want {
			t.Errorf("SeverityFor(%v, %v) = %v, want %v", tt.level, tt.all, got, tt.want)
		}
	}
	if Critical.String() != "critical" || Severity(9).String() != "Severity(9)" {
		t.Error("Severity.String")
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	if _, err := Render(Policy{}, "xml"); err == nil || !strings.Contains(err.Error(), "unknown format \"xml\"") {
		t.Errorf("err = %v", err)
	}
	out, err := Render(Policy{}, FormatYAML)
	if err != nil || string(out) != "Version: \"2012-10-17\"\nStatement: []\n" {
		t.Errorf("empty YAML = %q, %v", out, err)
	}
	tf := RenderTerraform(Policy{Statements: []Statement{{Effect: Allow, Actions: []string{"s3:GetObject"},
		Resources: []string{"arn:aws:s3:::b/${aws:username}/%{x}"}}}}, "fn")
	if !bytes.Contains(tf, []byte(`"arn:aws:s3:::b/$${aws:username}/%%{x}"`)) || !bytes.HasPrefix(tf, []byte(`data "aws_iam_policy_document" "fn" {`)) {
		t.Errorf("terraform escaping:\n%s", tf)
	}
}

func mustParse(t testing.TB, s string) Policy {
	t.Helper()
	p, err := ParseJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIsAdminEquivalent(t *testing.T) {
	tests := []struct {
		doc  string
		want bool
	}{
		{`[{"Effect":"Allow","Action":"*","Resource":"*"}]`, true},
		{`[{"Effect":"Allow","Action":"*:*","Resource":"*"}]`, true},
		{`[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]`, true},
		{`[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}]`, false},
		{`[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]`, false},
		{`[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]`, false},
		{`[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]`, false},
		{`[{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::b"}]`, false},
		{`[{"Effect":"Deny","Action":"*","Resource":"*"}]`, false},
	}
	for _, tt := range tests {
		if got := IsAdminEquivalent(mustParse(t, tt.doc)); got != tt.want {
			t.Errorf("IsAdminEquivalent(%s) = %v", tt.doc, got)
		}
	}
}

func TestClassifyTrustPolicy(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	if got := Classify(catalog.Load(), p); len(got) != 0 {
		t.Errorf("trust policy findings: %+v", got)
	}
}
