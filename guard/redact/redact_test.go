package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		in     string
		secret string // must not survive
		keep   string // must survive
	}{
		{"Authorization: Bearer abcdefghijklmnop1234", "abcdefghijklmnop1234", "Authorization"},
		{"sent Bearer abcdefghijklmnop1234", "abcdefghijklmnop1234", "Bearer"},
		{"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x ok", "eyJzdWIiOiIxIn0", "ok"},
		{"key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE", "here"},
		{"aws_secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG", "aws_secret"},
		{`{"password":"hunter2","user":"bob"}`, "hunter2", "bob"},
		{"card 4111-1111-1111-1111 thanks", "4111-1111-1111-1111", "thanks"},
		{"order 1234567890123 not a card", "", "1234567890123"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "MIIE", ""},
	}
	for _, tt := range tests {
		got := String(tt.in)
		if tt.secret != "" && strings.Contains(got, tt.secret) {
			t.Errorf("String(%q) = %q keeps the secret", tt.in, got)
		}
		if tt.keep != "" && !strings.Contains(got, tt.keep) {
			t.Errorf("String(%q) = %q lost %q", tt.in, got, tt.keep)
		}
	}
	if got := Truncate("héllo", 2); got != "h…" {
		t.Errorf("Truncate: %q", got)
	}
	if !Key("X-Api-Key") || !Key("session_token") || Key("comment") {
		t.Error("Key")
	}
}
