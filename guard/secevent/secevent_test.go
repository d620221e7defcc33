package secevent

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestEmit(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	err := w.Emit(Detection{Rule: "sqli.libinjection", Class: "sqli", Trigger: "apigw-v1", Path: "headers.Authorization",
		Sample: "Bearer abcdefghijklmnopqrstuvwxyz' OR 1=1", Mode: "block", Blocked: true, Record: -1, RequestID: "r1", Function: "f"})
	if err != nil {
		t.Fatal(err)
	}
	w.Emit(Detection{Rule: "guard.failure", Class: "guard", Trigger: "sqs", Mode: "block", Record: 2, FailMode: "open", Message: "deadline"})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var o OCSF
	if err := json.Unmarshal([]byte(lines[0]), &o); err != nil {
		t.Fatal(err)
	}
	if o.ClassUID != 2004 || o.Disposition != "Blocked" || o.Unmapped.RequestID != "r1" || o.Resources[0].Name != "f" {
		t.Errorf("fields: %+v", o)
	}
	if s := o.Evidences[0].Data["sample"]; strings.Contains(s, "abcdefghijklmnop") {
		t.Errorf("credential-named field's sample not masked: %q", s)
	}
	json.Unmarshal([]byte(lines[1]), &o)
	if o.Severity != "Critical" || o.Unmapped.FailMode != "open" || o.Unmapped.Record == nil || *o.Unmapped.Record != 2 {
		t.Errorf("failure event: %+v", o)
	}
	if got := Sample(strings.Repeat("x", 1000)); len(got) > MaxSample+4 {
		t.Errorf("sample of %d bytes", len(got))
	}
}
