package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestInventoryCommand(t *testing.T) {
	ex := "../../examples/serverless/insecure"
	for _, tc := range []struct {
		args  []string
		code  int
		check func(t *testing.T, out string)
	}{
		{[]string{ex}, ExitOK, func(t *testing.T, out string) {
			if !strings.Contains(out, "acme-orders / thumbnail") || !strings.Contains(out, "public: yes  auth: none") {
				t.Errorf("table:\n%s", out)
			}
		}},
		{[]string{ex, "--format", "json"}, ExitOK, func(t *testing.T, out string) {
			var inv struct {
				Version   string `json:"inventoryVersion"`
				Functions []struct {
					ID string `json:"id"`
				} `json:"functions"`
			}
			if err := json.Unmarshal([]byte(out), &inv); err != nil || inv.Version == "" || len(inv.Functions) != 6 {
				t.Errorf("json: %v %+v", err, inv)
			}
		}},
		{[]string{"--format", "dot", ex}, ExitOK, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, "digraph faasguard {") || !strings.Contains(out, "->") {
				t.Errorf("dot:\n%s", out)
			}
		}},
		{[]string{ex, "--format", "html"}, ExitOK, func(t *testing.T, out string) {
			if !strings.Contains(out, `id="fg-data"`) || !strings.Contains(out, `"graph"`) {
				t.Error("html page lacks its data")
			}
		}},
		{[]string{ex, "--format", "xml"}, ExitError, nil},
		{[]string{"/nonexistent/path"}, ExitError, nil},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(append([]string{"inventory"}, tc.args...), nil, &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errb.String())
			}
			if tc.check != nil {
				tc.check(t, out.String())
			}
		})
	}
}
