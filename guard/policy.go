package guard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/guard/detect"
	"github.com/faasguard/faasguard/guard/envelope"
)

// Mode says what a rule does when it matches.
type Mode string

// Rule modes.
const (
	ModeBlock   Mode = "block"   // block the event (or the batch record)
	ModeMonitor Mode = "monitor" // log a security event and let the event through
	ModeOff     Mode = "off"     // do not run the rule
)

// FailMode says what happens when the guard itself fails (panic, deadline).
type FailMode string

// Fail modes.
const (
	FailOpen   FailMode = "open"   // let the event through, and log the failure
	FailClosed FailMode = "closed" // block the event, and log the failure
)

// BatchMode says what happens to blocked records of SQS, Kinesis and
// DynamoDB batches.
type BatchMode string

// Batch modes.
const (
	// Quarantine reports blocked records as batchItemFailures, so that the
	// source retries them into its dead-letter queue (configure one).
	Quarantine BatchMode = "quarantine"
	// Drop removes blocked records from the batch; they are logged and
	// acknowledged, never retried.
	Drop BatchMode = "drop"
)

// Policy configures an Engine. The zero value is usable: every rule
// blocks, the guard fails open, batches quarantine, default limits.
type Policy struct {
	Mode     Mode            `json:"mode,omitempty" yaml:"mode,omitempty"`         // default for rules; "block"
	Fail     FailMode        `json:"fail,omitempty" yaml:"fail,omitempty"`         // "open"
	Batch    BatchMode       `json:"batch,omitempty" yaml:"batch,omitempty"`       // "quarantine"
	Deadline Duration        `json:"deadline,omitempty" yaml:"deadline,omitempty"` // per event; 50ms
	Trigger  string          `json:"trigger,omitempty" yaml:"trigger,omitempty"`   // force a trigger; "auto"
	Limits   LimitsConfig    `json:"limits,omitempty" yaml:"limits,omitempty"`
	Rules    map[string]Mode `json:"rules,omitempty" yaml:"rules,omitempty"` // per class ("sqli") or rule ("sqli.tautology")
	Exempt   []Exemption     `json:"exempt,omitempty" yaml:"exempt,omitempty"`
	Schemas  []SchemaRule    `json:"schemas,omitempty" yaml:"schemas,omitempty"`
	// MaxFindings bounds the findings kept per event (default 32).
	MaxFindings int `json:"max_findings,omitempty" yaml:"max_findings,omitempty"`

	dir string // directory of the policy file, for relative schema paths
}

// LimitsConfig bounds event size and shape. Exceeding a limit is a
// finding of rule "limits.<name>" (mode per Rules, default block).
type LimitsConfig struct {
	MaxBytes   int `json:"max_bytes,omitempty" yaml:"max_bytes,omitempty"`     // raw event size; 6 MiB + 1 KiB
	MaxDepth   int `json:"max_depth,omitempty" yaml:"max_depth,omitempty"`     // JSON nesting; 64
	MaxFields  int `json:"max_fields,omitempty" yaml:"max_fields,omitempty"`   // values inspected; 20000
	MaxString  int `json:"max_string,omitempty" yaml:"max_string,omitempty"`   // bytes of one value inspected; 1 MiB
	MaxDecoded int `json:"max_decoded,omitempty" yaml:"max_decoded,omitempty"` // base64/gzip/nested output; 16 MiB
}

// Exemption turns a rule off for matching fields. Path and Rule accept
// '*' wildcards; an empty field matches everything.
type Exemption struct {
	Rule    string `json:"rule,omitempty" yaml:"rule,omitempty"`
	Path    string `json:"path,omitempty" yaml:"path,omitempty"`
	Trigger string `json:"trigger,omitempty" yaml:"trigger,omitempty"`
}

// SchemaRule validates a JSON payload against a JSON Schema. The payload is
// the request body (HTTP), the message body (SQS, SNS), the detail
// (EventBridge), each record's data (Kinesis) or else the whole event.
type SchemaRule struct {
	// Route selects HTTP routes: "POST /orders" (API Gateway v1 method and
	// resource, v2 routeKey, ALB/function URL method and path); empty for any.
	Route   string `json:"route,omitempty" yaml:"route,omitempty"`
	Trigger string `json:"trigger,omitempty" yaml:"trigger,omitempty"` // empty for any
	File    string `json:"file,omitempty" yaml:"file,omitempty"`       // schema file, relative to the policy file
	Schema  any    `json:"schema,omitempty" yaml:"schema,omitempty"`   // or an inline schema
	Mode    Mode   `json:"mode,omitempty" yaml:"mode,omitempty"`       // default: the policy mode
}

// Duration is a time.Duration written as "50ms" in policy files.
type Duration time.Duration

// UnmarshalJSON parses "50ms" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("duration: want a string like \"50ms\": %w", err)
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalYAML parses "50ms".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: duration %q: %w", n.Line, n.Value, err)
	}
	*d = Duration(v)
	return nil
}

// LoadPolicy reads a YAML or JSON policy file (JSON is YAML too, but a
// .json file is parsed strictly as JSON for exact error positions).
func LoadPolicy(path string) (Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, err
	}
	p, err := ParsePolicy(b, strings.EqualFold(filepath.Ext(path), ".json"))
	if err != nil {
		return Policy{}, fmt.Errorf("%s: %w", path, err)
	}
	p.dir = filepath.Dir(path)
	return p, nil
}

// ParsePolicy parses a policy document; unknown fields are errors.
func ParsePolicy(b []byte, isJSON bool) (Policy, error) {
	var p Policy
	if len(b) > 1<<20 {
		return p, fmt.Errorf("policy larger than 1 MiB")
	}
	if isJSON {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return p, err
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&p); err != nil && err.Error() != "EOF" {
			return p, err
		}
	}
	return p, p.validate()
}

func (p *Policy) validate() error {
	okMode := func(m Mode) bool { return m == "" || m == ModeBlock || m == ModeMonitor || m == ModeOff }
	if !okMode(p.Mode) {
		return fmt.Errorf("mode %q: want block, monitor or off", p.Mode)
	}
	if p.Fail != "" && p.Fail != FailOpen && p.Fail != FailClosed {
		return fmt.Errorf("fail %q: want open or closed", p.Fail)
	}
	if p.Batch != "" && p.Batch != Quarantine && p.Batch != Drop {
		return fmt.Errorf("batch %q: want quarantine or drop", p.Batch)
	}
	if _, err := envelope.ParseTrigger(p.Trigger); err != nil {
		return err
	}
	for name, m := range p.Rules {
		if !okMode(m) {
			return fmt.Errorf("rules.%s: mode %q: want block, monitor or off", name, m)
		}
		class, _, _ := strings.Cut(name, ".")
		if _, ok := detect.ParseClass(class); !ok && class != "limits" && class != "schema" && class != "malformed" {
			return fmt.Errorf("rules.%s: unknown rule family %q", name, class)
		}
	}
	for i, s := range p.Schemas {
		if (s.File == "") == (s.Schema == nil) {
			return fmt.Errorf("schemas[%d]: set exactly one of file and schema", i)
		}
		if !okMode(s.Mode) {
			return fmt.Errorf("schemas[%d]: mode %q", i, s.Mode)
		}
	}
	return nil
}

// withDefaults fills unset fields.
func (p Policy) withDefaults() Policy {
	if p.Mode == "" {
		p.Mode = ModeBlock
	}
	if p.Fail == "" {
		p.Fail = FailOpen
	}
	if p.Batch == "" {
		p.Batch = Quarantine
	}
	if p.Deadline == 0 {
		p.Deadline = Duration(50 * time.Millisecond)
	}
	l := &p.Limits
	if l.MaxBytes == 0 {
		l.MaxBytes = 6<<20 + 1024
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = 64
	}
	if l.MaxFields == 0 {
		l.MaxFields = 20000
	}
	if l.MaxString == 0 {
		l.MaxString = 1 << 20
	}
	if l.MaxDecoded == 0 {
		l.MaxDecoded = 16 << 20
	}
	if p.MaxFindings == 0 {
		p.MaxFindings = 32
	}
	return p
}

// modeFor returns the mode of a rule: the rule's own, its family's, or the default.
func (p *Policy) modeFor(rule string) Mode {
	if m, ok := p.Rules[rule]; ok {
		return m
	}
	class, _, _ := strings.Cut(rule, ".")
	if m, ok := p.Rules[class]; ok {
		return m
	}
	return p.Mode
}

// wildcard matches s against a pattern where '*' matches any run of bytes.
func wildcard(pat, s string) bool {
	if pat == "" || pat == "*" {
		return true
	}
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
