package yamlx

import (
	"bytes"
	"go.yaml.in/yaml/v3"
	"strings"
	"testing"
)

func TestParseBounds(t *testing.T) {
	bomb := []byte(`a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
`)
	for _, tc := range []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"alias bomb", bomb, DefaultLimits, "alias bomb"},
		{"deep flow", []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000)), DefaultLimits, "deep"},
		{"deep but allowed by parser", []byte(strings.Repeat("[", 300) + strings.Repeat("]", 300)), DefaultLimits, "deeper than 256"},
		{"too large", bytes.Repeat([]byte("a: b\n"), 100), Limits{MaxBytes: 100}, "limit"},
		{"binary", []byte("a: b\x00c"), DefaultLimits, "binary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yml", tc.data, tc.lim)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestErrorLine(t *testing.T) {
	src := "service: x\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: h\n  b: [unclosed\n  c:\n    handler: h\n"
	_, err := Parse("serverless.yml", []byte(src), DefaultLimits)
	pe, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if pe.Line < 7 || pe.Line > 8 {
		t.Errorf("error at line %d, want the line of the unclosed flow (7) or the next one: %v", pe.Line, err)
	}
}

func TestHelpers(t *testing.T) {
	n, err := Parse("f.yml", []byte("base: &b {x: 1, y: on}\nm:\n  <<: *b\n  x: 2\nl: [a, b]\ns: one\n"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m := Get(n, "m")
	if v, _ := Int(Get(m, "x")); v != 2 {
		t.Errorf("explicit key must win over merged: x=%d", v)
	}
	if v, ok := Bool(Get(m, "y")); !ok || !v {
		t.Errorf("merged key y = %v %v", v, ok)
	}
	if len(Items(Get(n, "l"))) != 2 || len(Items(Get(n, "s"))) != 1 {
		t.Error("Items")
	}
	if p := Pos("f.yml", Get(n, "s")); p.Line != 6 {
		t.Errorf("pos %v", p)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a: &x [1, *x]\n"))
	f.Add([]byte("service: s\nfunctions:\n  f: {handler: h, events: [{http: GET /}]}\n"))
	f.Add([]byte("{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"}}}"))
	f.Add([]byte("a: !Ref b\nc: !Sub '${x}'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse("f.yml", data, Limits{MaxBytes: 1 << 16, MaxDepth: 64, MaxNodes: 10000})
		if err == nil && n != nil {
			// Walking a parsed document must be bounded too.
			var walk func(*yaml.Node, int)
			walk = func(x *yaml.Node, d int) {
				if x == nil || d > 70 {
					return
				}
				for _, p := range Pairs(x) {
					walk(p.Value, d+1)
				}
				for _, it := range Items(x) {
					if it != x {
						walk(it, d+1)
					}
				}
			}
			walk(n, 0)
		}
	})
}

func TestTabIndentedJSON(t *testing.T) {
	n, err := Parse("t.json", []byte("{\n\t\"Resources\": {\n\t\t\"A\": {\"Type\": \"AWS::S3::Bucket\"}\n\t}\n}\n"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	a := Path(n, "Resources", "A")
	if a == nil || a.Line != 3 || a.Column != 8 {
		t.Fatalf("position of A: %+v", a)
	}
}
