package cfn

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

func load(t *testing.T, name, src string, opts loader.Options) *model.Application {
	t.Helper()
	app := LoadFile(name, []byte(src), opts)
	if app == nil {
		t.Fatalf("%s: not recognised as a template", name)
	}
	return app
}

func hasNote(app *model.Application, level model.NoteLevel, line int, sub string) bool {
	for _, n := range app.Notes {
		if n.Level == level && (line == 0 || n.Pos.Line == line) && strings.Contains(n.Message, sub) {
			return true
		}
	}
	return false
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	bomb := "AWSTemplateFormatVersion: x\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	cases := []struct {
		name, file, src string
		level           model.NoteLevel
		line            int
		msg             string
	}{
		{"malformed yaml", "template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: [\n", model.NoteError, 0, "did not find expected key"},
		{"malformed json", "stack.template.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n \"Resources\": {\n  \"Q\": {\"Type\": \"AWS::SQS::Queue\",}\n}\n", model.NoteError, 0, "template not parsed"},
		{"tab indentation", "template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\tQ:\n\t\tType: AWS::SQS::Queue\n", model.NoteError, 3, "template not parsed"},
		{"duplicate json key", "dup.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n\"Resources\": {\n\"Q\": {\"Type\": \"AWS::SQS::Queue\"},\n\"Q\": {\"Type\": \"AWS::SNS::Topic\"}}}\n", model.NoteError, 4, "duplicate key \"Q\""},
		{"deep nesting", "template.json", "{\"AWSTemplateFormatVersion\": \"x\", \"Resources\": " + deep + "}", model.NoteError, 0, "depth"},
		{"yaml bomb", "template.yaml", bomb, model.NoteError, 0, "alias bomb"},
		{"binary", "template.yaml", "AWSTemplateFormatVersion: \x00\x01", model.NoteError, 0, "binary"},
		{"resources not a map", "t.yaml", "AWSTemplateFormatVersion: x\nResources: [1, 2]\n", model.NoteError, 2, "Resources is not a mapping"},
		{"no type", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  Q:\n    Properties: {}\n", model.NoteWarn, 3, "has no Type"},
		{"unknown intrinsic", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Frobnicate x\n", model.NoteInfo, 6, "Fn::Frobnicate is not supported"},
		{"wrong shape", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Join x\n", model.NoteWarn, 6, "Fn::Join: malformed"},
		{"getatt shape", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt [a]\n", model.NoteWarn, 6, "Fn::GetAtt"},
		{"undefined ref", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Nope\n", model.NoteInfo, 6, "neither a parameter nor a resource"},
		{"ref cycle", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt A.QueueName\n", model.NoteWarn, 0, "circular dependency"},
		{"condition cycle", "t.yaml", "AWSTemplateFormatVersion: x\nConditions:\n  C: !Not [!Condition C]\nResources:\n  A:\n    Type: AWS::SQS::Queue\n    Condition: C\n", model.NoteWarn, 0, "refers to itself"},
		{"unknown type", "t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::Foo::Bar\n", model.NoteInfo, 4 - 1, "not modelled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := LoadFile(c.file, []byte(c.src), loader.Options{})
			if app == nil {
				t.Fatal("not recognised")
			}
			if !hasNote(app, c.level, c.line, c.msg) {
				t.Errorf("want %s note at line %d containing %q, got %v", c.level, c.line, c.msg, app.Notes)
			}
		})
	}
}

func TestHugeTemplate(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: x\nResources:\n")
	for i := 0; b.Len() < 11<<20; i++ {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n", i)
	}
	app := LoadFile("big.yaml", []byte(b.String()), loader.Options{})
	if app == nil || !hasNote(app, model.NoteError, 0, "over the") {
		t.Fatalf("want size-limit error, got %v", app)
	}
}

func TestNotATemplate(t *testing.T) {
	for _, src := range []string{`{"name": "pkg", "version": "1.0.0"}`, "service: x\nprovider:\n  name: aws\n", "Resources:\n  X:\n    Type: Microsoft.Web/sites\n"} {
		if app := LoadFile("x.yaml", []byte(src), loader.Options{}); app != nil {
			t.Errorf("%q recognised as a template", src)
		}
	}
}

// TestIntrinsics is a table of expressions and what they resolve to.
func TestIntrinsics(t *testing.T) {
	head := "AWSTemplateFormatVersion: x\nParameters:\n  Env: {Type: String, Default: dev}\n  NoDefault: {Type: String}\n  List: {Type: CommaDelimitedList, Default: 'a,b'}\nMappings:\n  M:\n    dev: {size: 1}\nConditions:\n  IsDev: !Equals [!Ref Env, dev]\n  Unk: !Equals [!Ref NoDefault, x]\n  Or: !Or [!Condition Unk, !Condition IsDev]\n  And: !And [!Condition Unk, !Condition IsDev]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: bkt\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          X: "
	cases := []struct{ expr, want string }{
		{"!Ref Env", "dev"},
		{"!Ref NoDefault", "<unknown parameter NoDefault has no value (pass --params or --var)>"},
		{"!Ref AWS::Partition", "aws"},
		{"!Ref AWS::Region", "<unknown AWS::Region>"},
		{"!Ref AWS::StackName", "<unknown AWS::StackName>"},
		{"!Ref B", "bkt"},
		{"!GetAtt B.Arn", "arn:aws:s3:::bkt"},
		{"!GetAtt [Q, Arn]", "<unknown Fn::GetAtt Q.Arn>"},
		{"!Sub '${Env}-${B}'", "dev-bkt"},
		{"!Sub '${Q.Arn}/x'", "<unknown Fn::Sub ${Q.Arn}/x>"},
		{"!Sub ['${a}-${Env}', {a: !Ref Env}]", "dev-dev"},
		{"!Join [':', [a, !Ref Env]]", "a:dev"},
		{"!Join ['', !Ref List]", "ab"},
		{"!Select [1, !Ref List]", "b"},
		{"!Select [0, !Split [',', 'x,y']]", "x"},
		{"!If [IsDev, yes, no]", "yes"},
		{"!If [Unk, yes, no]", "<unknown Fn::If Unk>"},
		{"!If [Or, yes, no]", "yes"},
		{"!If [And, yes, no]", "<unknown Fn::If And>"},
		{"!FindInMap [M, !Ref Env, size]", "1"},
		{"!ImportValue shared", "<unknown Fn::ImportValue shared>"},
		{"!Base64 hi", "aGk="},
		{"!Select [0, !GetAZs '']", "<unknown Fn::Select>"},
		{"!Select [0, !Cidr [10.0.0.0/16, 2, 8]]", "<unknown Fn::Select>"},
		{"!Transform {Name: AWS::Include}", "<unknown Fn::Transform>"},
		{"{'Fn::Sub': 'a-${!Literal}'}", "a-${Literal}"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			app := load(t, "t.yaml", head+c.expr+"\n", loader.Options{})
			f := app.Function("F")
			if f == nil || len(f.Environment) != 1 {
				t.Fatalf("no env var: %v", app.Notes)
			}
			v := f.Environment[0].Value
			got := v.V
			if v.IsUnknown() {
				got = "<unknown " + v.Why + ">"
			}
			if got != c.want {
				t.Errorf("%s = %q, want %q", c.expr, got, c.want)
			}
			if v.Pos.Line != 26 {
				t.Errorf("position %v, want line 26", v.Pos)
			}
		})
	}
}

func TestParamsOverride(t *testing.T) {
	src := "AWSTemplateFormatVersion: x\nParameters:\n  Env: {Type: String, Default: dev}\n  Key: {Type: String}\n  AWS: {Type: String}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${Env}-${Key}-${AWS::Region}'\n"
	app := load(t, "t.yaml", src, loader.Options{Params: map[string]string{"Env": "prod", "AWS::Region": "eu-west-1"}, Vars: map[string]string{"Key": "k", "Env": "ignored"}})
	if got := app.Resource("Q").Name; got.V != "prod-k-eu-west-1" {
		t.Errorf("name %+v", got)
	}
}

// TestEmbedded merges a serverless.yml resources section into a host app
// whose function reads from a queue defined there.
func TestEmbedded(t *testing.T) {
	src := `resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: ${self:service}-jobs
        SqsManagedSseEnabled: false
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: {}
    WorkerLogGroup:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /aws/lambda/svc-worker
        RetentionInDays: 7
    Perm:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt WorkerLambdaFunction.Arn
        Principal: '*'
        Action: lambda:InvokeFunction
`
	root, err := yamlx.Parse("serverless.yml", []byte(src), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	fn := &model.Function{ID: "worker", Name: model.K("svc-worker", model.Pos{File: "serverless.yml", Line: 40}),
		RoleRef:  model.U[string]("Fn::GetAtt WorkerRole.Arn", model.Pos{File: "serverless.yml", Line: 41}),
		Triggers: []*model.Trigger{{Kind: model.TriggerQueue, Type: "sqs", SourceRef: model.U[string]("Fn::GetAtt Jobs.Arn", model.Pos{File: "serverless.yml", Line: 43})}}}
	app := &model.Application{Name: "svc", Format: "serverless", File: "serverless.yml", Functions: []*model.Function{fn}}
	resolve := func(s string) (string, bool) { return strings.ReplaceAll(s, "${self:service}", "svc"), true }
	(&Loader{}).MergeEmbedded(context.Background(), app, model.Embedded{Format: Name, File: "serverless.yml", Node: yamlx.Get(root, "resources"), Resolve: resolve}, nil, loader.Options{})
	q := app.Resource("Jobs")
	if q == nil || q.Name.V != "svc-jobs" || q.Pos.Line != 3 {
		t.Fatalf("queue not merged: %+v", q)
	}
	if fn.Triggers[0].Source != q {
		t.Errorf("trigger not linked to the queue")
	}
	if fn.Role == nil || fn.Role.ID != "WorkerRole" {
		t.Errorf("RoleRef not resolved")
	}
	if fn.LogGroup == nil || fn.LogGroup.ID != "WorkerLogGroup" {
		t.Errorf("log group not linked: %+v", fn.LogGroup)
	}
	if len(app.Permissions) != 1 || app.Permissions[0].Function != fn {
		t.Errorf("permission not linked to the host function")
	}
	if app.Function("worker/LogGroup") != nil || app.Resource("worker/LogGroup") != nil {
		t.Errorf("an implicit log group was added for a host function")
	}
	// The queue's encryption finding points at the queue's own lines.
	var hit bool
	for _, f := range rules.Run([]*model.Application{app}, rules.Config{Only: []string{"FG-ENC-001"}}) {
		hit = hit || f.Resource == "Jobs" && f.Pos.Line == 7
	}
	if !hit {
		t.Errorf("FG-ENC-001 not reported at serverless.yml:7")
	}
}

// TestLoadTree runs the registered loader over a directory: serverless.yml
// claimed by another loader is skipped, cdk.out templates are found.
func TestLoadTree(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(s), 0o644)
	}
	write("serverless.yml", "service: x\nresources:\n  Resources:\n    Q: {Type: AWS::SQS::Queue}\n")
	write("infra/template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function, Properties: {Handler: a.b, Runtime: python3.12}}\n")
	write("cdk.out/S.template.json", `{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`)
	write("cdk.out/manifest.json", `{"version": "36.0.0"}`)
	write("package.json", `{"name": "x"}`)
	tr, err := loader.Walk(dir, loader.WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tr.Claim("serverless.yml", "serverless")
	apps := (&Loader{}).Load(context.Background(), tr, loader.Options{})
	var got []string
	for _, a := range apps {
		got = append(got, a.File+":"+a.Format)
	}
	want := "cdk.out/S.template.json:cdk infra/template.yaml:sam"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func FuzzLoadTemplate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/*.json")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub [x, y]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		app := LoadFile("fuzz.yaml", data, loader.Options{})
		if app != nil {
			app.Link()
			_ = model.Dump(app)
			for _, n := range app.Notes {
				if strings.Contains(n.Message, "internal error") {
					t.Fatalf("panic: %s", n.Message)
				}
			}
		}
	})
}

// FuzzIntrinsic feeds arbitrary YAML as the value of a property, so every
// intrinsic function sees arguments of every shape.
func FuzzIntrinsic(f *testing.F) {
	for _, s := range []string{"!Ref X", "!GetAtt [A, B]", "!Sub ['${a}', {a: !Ref X}]", "!Join ['', !Split [',', a]]",
		"!Select [0, !GetAZs '']", "!If [C, !Ref AWS::NoValue, 1]", "!FindInMap [M, a, b]", "{Fn::Cidr: [1, 2, 3]}",
		"!Equals [!Condition C, true]", "!Not [!And [!Or [a]]]", "!Base64 {Ref: X}", "!Sub '${!x}${A.B}${AWS::Region}'"} {
		f.Add(s)
	}
	head := "AWSTemplateFormatVersion: x\nParameters:\n  X: {Type: String, Default: v}\nMappings:\n  M: {a: {b: c}}\nConditions:\n  C: !Equals [!Ref X, v]\nResources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "\n\r") {
			return
		}
		app := LoadFile("t.yaml", []byte(head+expr+"\n"), loader.Options{})
		if app == nil {
			return
		}
		for _, n := range app.Notes {
			if strings.Contains(n.Message, "internal error") {
				t.Fatalf("panic on %q: %s", expr, n.Message)
			}
		}
	})
}
