package policy

import (
	"strings"
	"testing"
)

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	f.Add([]byte(`[{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"x","Condition":{"Bool":{"k":true}}}]`))
	f.Add([]byte(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"]},"Action":"sts:AssumeRole"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseJSON(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policy") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		for _, format := range Formats() {
			if _, err := Render(p, format); err != nil {
				t.Fatalf("Render(%s): %v", format, err)
			}
		}
		out, _ := Render(p, FormatJSON)
		q, err := ParseJSON(out)
		if err != nil {
			t.Fatalf("rendered policy does not parse: %v\n%s", err, out)
		}
		if len(q.Statements) != len(p.Statements) {
			t.Fatalf("round trip: %d statements, want %d", len(q.Statements), len(p.Statements))
		}
		for i := range p.Statements {
			p.IsAllowed("s3:GetObject", "arn:aws:s3:::b/k")
			_ = Escalations(Policy{Statements: p.Statements[i : i+1]})
		}
	})
}

func FuzzMatchResource(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key")
	f.Add("arn:aws:logs:*:*:log-group:/aws/lambda/f:*", "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:x")
	f.Add("arn:aws:iam::1:user/${aws:username}", "arn:aws:iam::1:user/bob")
	f.Add("*", "")
	f.Fuzz(func(t *testing.T, pattern, resource string) {
		got := MatchResource(pattern, resource)
		if strings.TrimSpace(pattern) == "*" && !got {
			t.Fatalf("* does not match %q", resource)
		}
		if pattern == resource && !strings.Contains(pattern, "${") && strings.TrimSpace(pattern) == pattern && !got {
			t.Fatalf("%q does not match itself", pattern)
		}
	})
}
