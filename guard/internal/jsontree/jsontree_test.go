package jsontree

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string // a path check: value of key "a" as string, when set
	}{
		{`{"a":"b"}`, true, "b"},
		{`{"a":"\u00e9\ud83d\ude00"}`, true, "é😀"},
		{`{"a":"x","a":"y"}`, true, "y"}, // later duplicate wins in Get
		{` [1, -2.5e3, true, false, null] `, true, ""},
		{"{\"a\":\"\xff\"}", true, "\xff"}, // invalid UTF-8 kept
		{`{"a":01}`, false, ""},
		{`{"a":}`, false, ""},
		{`{"a":"b"`, false, ""},
		{`{"a":"b"} x`, false, ""},
		{"{\"a\":\"\n\"}", false, ""},
		{`{"a":"\q"}`, false, ""},
		{`nul`, false, ""},
		{``, false, ""},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in, Limits{})
		if (err == nil) != tt.ok {
			t.Errorf("%q: err %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.want != "" && n.GetString("a") != tt.want {
			t.Errorf("%q: a=%q, want %q", tt.in, n.GetString("a"), tt.want)
		}
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	_, err := Parse(deep, Limits{MaxDepth: 64})
	if !IsLimit(err) {
		t.Errorf("deep: %v", err)
	}
	_, err = Parse(`[1,2,3,4,5]`, Limits{MaxNodes: 3})
	if !IsLimit(err) {
		t.Errorf("nodes: %v", err)
	}
	_, err = Parse("{\n\"a\": ?}", Limits{})
	if e, ok := err.(*Error); !ok || e.Line != 2 {
		t.Errorf("position: %v", err)
	}
}

// FuzzParse checks that Parse never panics and accepts exactly the
// documents encoding/json accepts (within its depth limit).
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",{"b":null}]}`, `"\ud800"`, `[`, `{"a":1e999}`, `-0.0E+1`, "\"\xff\xfe\"", `{"":""}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse(s, Limits{MaxDepth: 100000})
		if valid := json.Valid([]byte(s)); valid != (err == nil) && !IsLimit(err) {
			t.Errorf("%q: json.Valid=%v, Parse err=%v", s, valid, err)
		}
	})
}
