package serverless

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// memFS is an in-memory fileReader: paths leaving the root are refused
// like loader.Tree refuses them.
type memFS map[string]string

func (m memFS) ReadFrom(fromDir, p string) ([]byte, string, error) {
	rel := path.Clean(path.Join(fromDir, p))
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(p) {
		return nil, "", fmt.Errorf("%s: %w", p, loader.ErrOutside)
	}
	s, ok := m[rel]
	if !ok {
		return nil, "", fs.ErrNotExist
	}
	return []byte(s), rel, nil
}

const varsDoc = `
service: svc
params:
  default: {tier: basic}
  prod: {tier: premium}
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
custom:
  name: world
  list: [a, b, c]
  obj: {k: v, n: 2}
  stages: {dev: {mem: 128}, prod: {mem: 1024}}
  chain1: ${self:custom.chain2}
  chain2: ${self:custom.name}
  cycA: ${self:custom.cycB}
  cycB: ${self:custom.cycA}
  selfy: "x${self:custom.selfy}"
  aws: arn:${AWS::Partition}:s3:::b
`

func TestResolve(t *testing.T) {
	files := memFS{
		"conf/a.yml":   "k: from-yaml\nnested:\n  deep: ${self:custom.name}\n",
		"conf/b.json":  `{"n": 7}`,
		"conf/raw.txt": "raw text",
	}
	tests := []struct {
		name, expr string
		opts       loader.Options
		want       string // Known scalar value, or "<unknown WHY>", or "<absent>"
		note       string // a note that must be recorded
	}{
		{"self", "${self:custom.name}", loader.Options{}, "world", ""},
		{"interpolation", "hello-${self:custom.name}-${self:service}", loader.Options{}, "hello-world-svc", ""},
		{"array dot index", "${self:custom.list.1}", loader.Options{}, "b", ""},
		{"array bracket index", "${self:custom.list[2]}", loader.Options{}, "c", ""},
		{"chain", "${self:custom.chain1}", loader.Options{}, "world", ""},
		{"nested", "${self:custom.stages.${opt:stage, 'dev'}.mem}", loader.Options{}, "128", ""},
		{"nested with stage", "${self:custom.stages.${sls:stage}.mem}", loader.Options{Stage: "prod"}, "1024", ""},
		{"opt default", "${opt:region, 'eu-west-1'}", loader.Options{}, "eu-west-1", ""},
		{"opt var", "${opt:region, 'eu-west-1'}", loader.Options{Vars: map[string]string{"region": "us-west-2"}}, "us-west-2", ""},
		{"opt missing", "${opt:nope}", loader.Options{}, "<unknown ${opt:nope}>", "no value and no fallback"},
		{"sls stage default", "${sls:stage}", loader.Options{}, "dev", ""},
		{"sls stage option", "${sls:stage}", loader.Options{Stage: "qa"}, "qa", ""},
		{"provider stage", "${self:provider.stage}", loader.Options{Stage: "qa"}, "qa", ""},
		{"instance id", "${sls:instanceId}", loader.Options{}, "<unknown ${sls:instanceId}>", ""},
		{"param default", "${param:tier}", loader.Options{}, "basic", ""},
		{"param stage", "${param:tier}", loader.Options{Stage: "prod"}, "premium", ""},
		{"param cli", "${param:tier}", loader.Options{Params: map[string]string{"tier": "cli"}}, "cli", ""},
		{"file key", "${file(./conf/a.yml):k}", loader.Options{}, "from-yaml", ""},
		{"file nested var", "${file(./conf/a.yml):nested.deep}", loader.Options{}, "world", ""},
		{"file json", "${file(./conf/b.json):n}", loader.Options{}, "7", ""},
		{"file raw", "${file(./conf/raw.txt)}", loader.Options{}, "raw text", ""},
		{"file missing fallback", "${file(./conf/none.yml):k, 'dflt'}", loader.Options{}, "dflt", ""},
		{"file outside", "${file(../secret.yml):k}", loader.Options{}, "<unknown ${file(../secret.yml):k}>", "outside the scanned root"},
		{"file js", "${file(./conf/x.js):k}", loader.Options{}, "<unknown ${file(./conf/x.js):k}>", "never run"},
		{"env refused", "${env:TOKEN}", loader.Options{}, "<unknown ${env:TOKEN}>", "--allow-env not set"},
		{"env allowed", "${env:TOKEN}", loader.Options{AllowEnv: true, Env: func(k string) (string, bool) { return "t0k", k == "TOKEN" }}, "t0k", ""},
		{"env allowed missing", "${env:NOPE, 'd'}", loader.Options{AllowEnv: true, Env: func(string) (string, bool) { return "", false }}, "d", ""},
		{"ssm", "${ssm:/a/b}", loader.Options{}, "<unknown ${ssm:/a/b}>", ""},
		{"ssm raw", "${ssm(raw):/a/b}", loader.Options{}, "<unknown ${ssm(raw):/a/b}>", ""},
		{"ssm in string", "pre-${ssm:/a/${sls:stage}}", loader.Options{}, "<unknown ${ssm:/a/dev}>", ""},
		{"cf", "${cf:stack.Out}", loader.Options{}, "<unknown ${cf:stack.Out}>", ""},
		{"s3", "${s3:b/k}", loader.Options{}, "<unknown ${s3:b/k}>", ""},
		{"aws account", "${aws:accountId}", loader.Options{}, "<unknown ${aws:accountId}>", ""},
		{"aws region", "${aws:region}", loader.Options{}, "<unknown ${aws:region}>", ""},
		{"unknown source stops fallbacks", "${ssm:/x, 'dflt'}", loader.Options{}, "<unknown ${ssm:/x}>", ""},
		{"fallback chain", "${self:custom.none, opt:none, self:custom.name}", loader.Options{}, "world", ""},
		{"fallback number", "${self:custom.none, 512}", loader.Options{}, "512", ""},
		{"cycle", "${self:custom.cycA}", loader.Options{}, "<unknown cyclic reference ${self:custom.cycB}>", "cyclic variable reference"},
		{"self cycle in string", "${self:custom.selfy}", loader.Options{}, "<unknown cyclic reference x${self:custom.selfy}>", "cyclic"},
		{"cfn pseudo untouched", "${self:custom.aws}", loader.Options{}, "arn:${AWS::Partition}:s3:::b", ""},
		{"cfn sub untouched", "${Bucket.Arn}", loader.Options{}, "${Bucket.Arn}", ""},
		{"object in string", "x${self:custom.obj}", loader.Options{}, "<unknown ${self:custom.obj}>", "object or list inside a string"},
		{"plugin source", "${vault:x}", loader.Options{}, "<unknown ${vault:x}>", "not supported offline"},
		{"strToBool", "${strToBool(false)}", loader.Options{}, "false", ""},
		{"quoted comma literal", "${opt:x, 'a,b'}", loader.Options{}, "a,b", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, err := yamlx.Parse("serverless.yml", []byte(varsDoc+"x: "+quote(tc.expr)+"\n"), yamlx.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			r := newResolver(files, tc.opts, "serverless.yml", root)
			got := r.Node(yamlx.Get(root, "x"))
			if s := show(got); s != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, s, tc.want)
			}
			if tc.note != "" && !hasNote(r.notes, tc.note) {
				t.Errorf("no note containing %q; notes: %v", tc.note, r.notes)
			}
		})
	}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func show(n *yaml.Node) string {
	switch {
	case n == nil:
		return "<absent>"
	case isUnknown(n):
		return "<unknown " + n.Value + ">"
	case n.Kind == yaml.ScalarNode:
		return n.Value
	}
	return flat(n)
}

func hasNote(ns []model.Note, sub string) bool {
	for _, n := range ns {
		if strings.Contains(n.Message, sub) {
			return true
		}
	}
	return false
}

func TestResolveObjectSubstitution(t *testing.T) {
	doc := "custom:\n  obj: {k: v, n: 2}\n  list: [1, 2]\nx: ${self:custom.obj}\ny: ${self:custom.list}\nz: ${file(./f.yml)}\n"
	root, err := yamlx.Parse("serverless.yml", []byte(doc), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	r := newResolver(memFS{"f.yml": "a:\n  b: 1\n"}, loader.Options{}, "serverless.yml", root)
	if got := show(r.Node(yamlx.Get(root, "x"))); got != "{k: v, n: 2}" {
		t.Errorf("object = %s", got)
	}
	if got := show(r.Node(yamlx.Get(root, "y"))); got != "[1, 2]" {
		t.Errorf("list = %s", got)
	}
	z := r.Node(yamlx.Get(root, "z"))
	if got := show(z); got != "{a: {b: 1}}" {
		t.Errorf("file object = %s", got)
	}
	// Values from another file point into that file.
	if p := r.pos(get(z, "a", "b")); p.File != "f.yml" || p.Line != 2 {
		t.Errorf("position of a value from f.yml = %s", p)
	}
}

// TestResolveBounded checks that doubling chains, long self-reference
// chains and huge strings end quickly with Unknown values instead of
// exponential work.
func TestResolveBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("custom:\n  a0: xxxxxxxxxxxxxxxx\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "  a%d: ${self:custom.a%d}${self:custom.a%d}\n", i, i-1, i-1)
	}
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "  c%d: ${self:custom.c%d}\n", i, i+1)
	}
	b.WriteString("  c200: end\n")
	b.WriteString("x: ${self:custom.a30}\ny: ${self:custom.c0}\n")
	root, err := yamlx.Parse("serverless.yml", []byte(b.String()), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	r := newResolver(memFS{}, loader.Options{}, "serverless.yml", root)
	if x := r.Node(yamlx.Get(root, "x")); !isUnknown(x) {
		t.Errorf("doubling chain resolved to %d bytes, want Unknown", len(x.Value))
	}
	if !hasNote(r.notes, "longer than") {
		t.Errorf("no note about the string limit: %v", r.notes)
	}
	if y := r.Node(yamlx.Get(root, "y")); !isUnknown(y) {
		t.Errorf("200-deep chain resolved to %q, want Unknown (depth limit)", y.Value)
	}
	if r.steps > maxVarSteps+1 {
		t.Errorf("%d steps", r.steps)
	}
}

func TestResolverString(t *testing.T) {
	root, _ := yamlx.Parse("serverless.yml", []byte("service: s\ncustom: {q: queue}\n"), yamlx.DefaultLimits)
	r := newResolver(memFS{}, loader.Options{}, "serverless.yml", root)
	if s, ok := r.String("${self:service}-${self:custom.q}"); !ok || s != "s-queue" {
		t.Errorf("String = %q, %v", s, ok)
	}
	if _, ok := r.String("${ssm:/x}"); ok {
		t.Error("String of an SSM parameter reported Known")
	}
}
