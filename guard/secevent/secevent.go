// Package secevent writes the guard's security events: one JSON object per
// line, shaped as an OCSF 1.1 Detection Finding (class_uid 2004) so that
// log pipelines that speak OCSF can ingest them unchanged. Every string
// that may carry request data is redacted and truncated first.
package secevent

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/faasguard/faasguard/guard/redact"
)

// MaxSample bounds the payload excerpt in an event.
const MaxSample = 200

// Detection is what the guard knows about one finding or failure.
type Detection struct {
	Time      time.Time
	Rule      string // e.g. "sqli.libinjection", "limits.depth", "guard.failure"
	Class     string // e.g. "sqli"
	Trigger   string
	Path      string
	Context   string
	Sample    string // raw value; redacted and truncated on output
	Mode      string // "block" or "monitor"
	Blocked   bool   // the event or record was blocked
	Record    int    // batch record index, -1 if none
	RequestID string
	Function  string
	Message   string
	FailMode  string // set on guard failures: "open" or "closed"
}

// OCSF is the JSON shape of one event (a subset of Detection Finding).
type OCSF struct {
	Time          int64       `json:"time"`
	ClassUID      int         `json:"class_uid"`
	ClassName     string      `json:"class_name"`
	CategoryUID   int         `json:"category_uid"`
	CategoryName  string      `json:"category_name"`
	ActivityID    int         `json:"activity_id"`
	TypeUID       int         `json:"type_uid"`
	SeverityID    int         `json:"severity_id"`
	Severity      string      `json:"severity"`
	StatusID      int         `json:"status_id"`
	ActionID      int         `json:"action_id"`
	Action        string      `json:"action"`
	DispositionID int         `json:"disposition_id"`
	Disposition   string      `json:"disposition"`
	Message       string      `json:"message"`
	Metadata      Metadata    `json:"metadata"`
	FindingInfo   FindingInfo `json:"finding_info"`
	Resources     []Resource  `json:"resources,omitempty"`
	Evidences     []Evidence  `json:"evidences,omitempty"`
	Unmapped      Unmapped    `json:"unmapped"`
}

// Metadata names the product.
type Metadata struct {
	Version string  `json:"version"`
	Product Product `json:"product"`
}

// Product is the OCSF product object.
type Product struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
}

// FindingInfo is the OCSF finding_info object.
type FindingInfo struct {
	Title string   `json:"title"`
	UID   string   `json:"uid"`
	Types []string `json:"types"`
}

// Resource is the function the event was for.
type Resource struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Evidence carries the field and a redacted sample.
type Evidence struct {
	Data map[string]string `json:"data"`
}

// Unmapped holds faasguard fields without an OCSF home.
type Unmapped struct {
	Rule      string `json:"rule"`
	Trigger   string `json:"trigger"`
	FieldPath string `json:"field_path,omitempty"`
	Context   string `json:"context,omitempty"`
	Mode      string `json:"mode"`
	Record    *int   `json:"record,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	FailMode  string `json:"fail_mode,omitempty"`
}

// Build converts a detection to its OCSF form.
func Build(d Detection) OCSF {
	sev, sevName := 4, "High"
	if d.Mode == "monitor" {
		sev, sevName = 3, "Medium"
	}
	if d.FailMode != "" {
		sev, sevName = 5, "Critical"
	}
	act, actName, disp, dispName := 1, "Allowed", 15, "Detected"
	if d.Blocked {
		act, actName, disp, dispName = 2, "Denied", 2, "Blocked"
	}
	t := d.Time
	if t.IsZero() {
		t = time.Now()
	}
	msg := d.Message
	if msg == "" {
		msg = d.Class + " detected in " + d.Trigger + " event"
		if d.Path != "" {
			msg += " at " + d.Path
		}
	}
	o := OCSF{
		Time: t.UnixMilli(), ClassUID: 2004, ClassName: "Detection Finding", CategoryUID: 2, CategoryName: "Findings",
		ActivityID: 1, TypeUID: 200401, SeverityID: sev, Severity: sevName, StatusID: 1,
		ActionID: act, Action: actName, DispositionID: disp, Disposition: dispName,
		Message:     redact.Truncate(redact.String(msg), 2*MaxSample),
		Metadata:    Metadata{Version: "1.1.0", Product: Product{Name: "faasguard", VendorName: "faasguard"}},
		FindingInfo: FindingInfo{Title: d.Rule, UID: d.RequestID + "/" + d.Rule + "/" + d.Path, Types: []string{d.Class}},
		Unmapped: Unmapped{Rule: d.Rule, Trigger: d.Trigger, FieldPath: redact.String(d.Path), Context: d.Context, Mode: d.Mode,
			RequestID: d.RequestID, FailMode: d.FailMode},
	}
	if d.Function != "" {
		o.Resources = []Resource{{Type: "AWS::Lambda::Function", Name: d.Function}}
	}
	if d.Record >= 0 {
		r := d.Record
		o.Unmapped.Record = &r
	}
	if d.Sample != "" || d.Path != "" {
		sample := d.Sample
		if redact.Key(lastSegment(d.Path)) {
			sample = redact.Mask
		}
		o.Evidences = []Evidence{{Data: map[string]string{"field_path": redact.String(d.Path), "sample": Sample(sample)}}}
	}
	return o
}

// Sample is the redacted, truncated form of a payload used in events.
func Sample(s string) string {
	return redact.Truncate(redact.String(redact.Truncate(s, 4*MaxSample)), MaxSample)
}

func lastSegment(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == ']' || p[i] == '#' {
			return p[i+1:]
		}
	}
	return p
}

// Writer writes events as JSON lines; it is safe for concurrent use.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriter returns a Writer on w (typically os.Stdout, which Lambda
// ships to CloudWatch Logs).
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Emit writes one event.
func (w *Writer) Emit(d Detection) error {
	b, err := json.Marshal(Build(d))
	if err != nil {
		return err
	}
	b = append(b, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err = w.w.Write(b)
	return err
}
