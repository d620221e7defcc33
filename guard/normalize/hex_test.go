package normalize

import "testing"

func TestHex0x(t *testing.T) {
	for in, want := range map[string]string{
		"0x2e0x2e0x2fetc0x2fpasswd": "../etc/passwd",
		"0x7f0x000x000x01":          "0x7f0x000x000x01", // not text: an address, kept
		"order 0x2e":                "order 0x2e",       // too few tokens
		"hash 0x4a0x4b0x4c and a long sentence around it": "hash 0x4a0x4b0x4c and a long sentence around it",
	} {
		if got := Hex0x(in); got != want {
			t.Errorf("Hex0x(%q) = %q, want %q", in, got, want)
		}
	}
}
