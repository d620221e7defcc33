package model

import (
	"strings"
	"testing"
)

func TestDump(t *testing.T) {
	p := Pos{File: "serverless.yml", Line: 3, Col: 5}
	role := &Role{ID: "shared", Statements: []*Statement{{Effect: K("Allow", p), Actions: []Str{K("s3:*", p)}, Resources: []Str{U[string]("${ssm:/x}", p)}}}}
	f := &Function{ID: "hello", Pos: p, Runtime: K("nodejs14.x", p), Timeout: K(30, p), Role: role,
		Triggers: []*Trigger{{Kind: TriggerHTTP, Type: "http", Pos: p, Auth: K(AuthNone, p)}}}
	a := &Application{Name: "svc", Format: "serverless", Provider: AWS, File: "serverless.yml", Functions: []*Function{f}, Roles: []*Role{role}}
	a.Link()
	got := Dump(a)
	for _, want := range []string{
		"function hello @serverless.yml:3:5",
		"  Runtime: nodejs14.x @serverless.yml:3:5",
		"  Role: -> shared",
		"    Auth: none @serverless.yml:3:5",
		"    Resources[0]: <unknown ${ssm:/x}> @serverless.yml:3:5",
		"  Functions[0]: -> hello",
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("dump lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "MemoryMB") {
		t.Errorf("absent values must not be dumped:\n%s", got)
	}
}
