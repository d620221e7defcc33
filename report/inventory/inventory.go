// Package inventory builds the attack-surface view of scanned applications:
// every function with its triggers (public or not, how callers
// authenticate), its role and what the role can do, the resources it
// touches and its findings; and the graph trigger → function → role →
// resource that `faasguard inventory` and the HTML report draw.
//
// Values the model holds as Unknown are shown as "unknown"; values that do
// not apply (authentication of a queue trigger) as "n/a".
package inventory

import (
	"sort"
	"strings"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// Version is the version of the inventory JSON format. Adding optional
// fields bumps the minor version; any other change the major version.
const Version = "1.0"

// Words used for values that are not Known.
const (
	Unknown       = "unknown"
	NotApplicable = "n/a"
)

// Inventory is the attack surface of a set of applications.
type Inventory struct {
	Version   string     `json:"inventoryVersion"`
	Functions []Function `json:"functions"`
	Graph     Graph      `json:"graph"`
	apps      int
}

// Function is one function and what it is exposed to and allowed to do.
type Function struct {
	App      string    `json:"application"`
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Runtime  string    `json:"runtime"`
	Location model.Pos `json:"location"`
	Triggers []Trigger `json:"triggers"`
	// Role is nil when the function has no role the config names.
	Role      *Role      `json:"role"`
	Resources []Resource `json:"resources"`
	Findings  int        `json:"findings"`
	// Worst is the highest severity of its findings, "" without findings.
	Worst string `json:"worstSeverity,omitempty"`
}

// Trigger is one way a function is invoked.
type Trigger struct {
	Kind string `json:"kind"`
	Type string `json:"type"`
	// Endpoint is "METHOD /path" for HTTP-shaped triggers.
	Endpoint string `json:"endpoint,omitempty"`
	// Source names the bucket, queue, topic ... that emits the events.
	Source string `json:"source,omitempty"`
	// Public is yes, no, unknown or n/a; Auth the authentication kind
	// (none, iam, jwt, cognito, custom, api-key ...), unknown or n/a.
	Public     string    `json:"public"`
	Auth       string    `json:"auth"`
	Authorizer string    `json:"authorizer,omitempty"`
	Location   model.Pos `json:"location"`
}

// Exposed reports whether anyone on the internet can invoke the trigger
// without authenticating.
func (t Trigger) Exposed() bool { return t.Public == "yes" && t.Auth == string(model.AuthNone) }

// Role summarises what a function's execution role can do.
type Role struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Location model.Pos `json:"location"`
	// Modelled is false when the config names a role faasguard cannot see
	// (an ARN of a role defined elsewhere): its capabilities are unknown.
	Modelled bool `json:"modelled"`
	// Statements counts Allow statements; Actions the distinct Known
	// actions they allow; UnknownActions the actions left unresolved.
	Statements     int      `json:"statements"`
	Actions        int      `json:"actions"`
	UnknownActions int      `json:"unknownActions,omitempty"`
	Wildcards      []string `json:"wildcardActions,omitempty"`
	// AllResources lists the actions allowed on Resource "*".
	AllResources    []string `json:"actionsOnAllResources,omitempty"`
	ManagedPolicies []string `json:"managedPolicies,omitempty"`
	// AdminPolicies are the managed policies that amount to administrator
	// or full-service access.
	AdminPolicies []string `json:"adminPolicies,omitempty"`
	// SharedWith lists the other functions that use the same role.
	SharedWith []string `json:"sharedWith,omitempty"`
}

// Resource is something a function touches: the source of a trigger or a
// resource named in its role's statements.
type Resource struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Via says how: "trigger" and/or "role".
	Via []string `json:"via"`
	// Actions are the role's actions on it (wildcards as written).
	Actions []string `json:"actions,omitempty"`
	// Access is read, write or n/a (triggers only).
	Access string `json:"access"`
	// Members lists the resources folded into this entry (log groups are
	// shown as one entry of their kind).
	Members []string `json:"members,omitempty"`
}

// New returns an empty inventory.
func New() *Inventory {
	return &Inventory{Version: Version, Functions: []Function{}, Graph: Graph{Nodes: []*Node{}, Edges: []*Edge{}}}
}

// Build returns the inventory of apps; findings are the scan's findings.
func Build(apps []*model.Application, findings []rules.Finding) *Inventory {
	inv := New()
	inv.Add(apps, findings)
	inv.Graph.Layout()
	return inv
}

// Add adds applications with their findings (findings of other apps are
// ignored). Call Graph.Layout after the last Add.
func (inv *Inventory) Add(apps []*model.Application, findings []rules.Finding) {
	for _, a := range apps {
		var mine []rules.Finding
		for _, f := range findings {
			if f.App == a.Name && f.Suppressed == nil {
				mine = append(mine, f)
			}
		}
		b := &builder{inv: inv, app: a, findings: mine, prefix: appPrefix(inv.apps), nodes: map[string]*Node{}}
		inv.apps++
		b.build()
	}
}

func appPrefix(i int) string { return "a" + itoa(i) + "/" }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

type builder struct {
	inv      *Inventory
	app      *model.Application
	findings []rules.Finding
	prefix   string
	nodes    map[string]*Node
}

func (b *builder) build() {
	for _, fn := range b.app.Functions {
		b.function(fn)
	}
}

// str shows a model string: its value, "unknown", or def when Absent.
func str(v model.Str, def string) string {
	switch v.State {
	case model.Known:
		if v.V == "" {
			return def
		}
		return v.V
	case model.Unknown:
		return Unknown
	}
	return def
}

func (b *builder) function(fn *model.Function) {
	out := Function{App: b.app.Name, ID: fn.ID, Name: str(fn.Name, fn.ID), Runtime: str(fn.Runtime, Unknown),
		Location: fn.Pos, Triggers: []Trigger{}, Resources: []Resource{}}
	if fn.Image.IsKnown() && out.Runtime == Unknown {
		out.Runtime = "image"
	}
	var fnFindings []rules.Finding
	for _, f := range b.findings {
		if f.Function == fn.ID {
			fnFindings = append(fnFindings, f)
		}
	}
	out.Findings = len(fnFindings)
	out.Worst = worst(fnFindings)

	fnNode := b.node("fn/"+fn.ID, KindFunction, fn.ID, out.Runtime, fn.Pos)
	fnNode.Function = fn.ID
	fnNode.addFindings(fnFindings)

	res := newResources()
	for i, t := range fn.Triggers {
		tr := trigger(t)
		out.Triggers = append(out.Triggers, tr)
		tn := b.node("fn/"+fn.ID+"/t/"+itoa(i), KindTrigger, triggerLabel(tr), tr.Kind+" · "+triggerDetail(tr), t.Pos)
		tn.Function = fn.ID
		tn.addFindings(atPos(fnFindings, t.Pos))
		e := b.edge(tn, fnNode, "invokes")
		if tr.Exposed() {
			tn.risk(RiskPublic)
			e.Risk = RiskPublic
		}
		if tr.Source != "" {
			res.add(tr.Source, sourceKind(t), "trigger", nil, NotApplicable)
		}
	}
	if fn.URL != nil {
		tr := Trigger{Kind: string(model.TriggerHTTP), Type: "function-url", Endpoint: "function URL", Public: "yes",
			Auth: urlAuth(fn.URL.AuthType), Location: fn.URL.Pos}
		out.Triggers = append(out.Triggers, tr)
		tn := b.node("fn/"+fn.ID+"/url", KindTrigger, "function URL", "http · public · auth "+tr.Auth, fn.URL.Pos)
		tn.Function = fn.ID
		tn.addFindings(atPos(fnFindings, fn.URL.Pos))
		e := b.edge(tn, fnNode, "invokes")
		if tr.Exposed() {
			tn.risk(RiskPublic)
			e.Risk = RiskPublic
		}
	}

	if fn.Role != nil {
		out.Role = b.role(fn, fnNode, res)
	} else if fn.RoleRef.State != model.Absent {
		out.Role = &Role{ID: str(fn.RoleRef, Unknown), Name: str(fn.RoleRef, Unknown), Location: fn.RoleRef.Pos}
		rn := b.node("role/"+out.Role.ID, KindRole, out.Role.Name, "not modelled: capabilities unknown", fn.RoleRef.Pos)
		b.edge(fnNode, rn, "assumes")
	}
	out.Resources = res.list()
	b.loops(fn, fnNode, fnFindings)
	b.inv.Functions = append(b.inv.Functions, out)
}

func urlAuth(v model.Str) string {
	if v.IsKnown() {
		if strings.EqualFold(v.V, "NONE") {
			return string(model.AuthNone)
		}
		if strings.EqualFold(v.V, "AWS_IAM") {
			return string(model.AuthIAM)
		}
		return strings.ToLower(v.V)
	}
	return str(v, Unknown)
}

func trigger(t *model.Trigger) Trigger {
	tr := Trigger{Kind: string(t.Kind), Type: t.Type, Location: t.Pos}
	if tr.Type == "" {
		tr.Type = tr.Kind
	}
	if t.IsHTTP() {
		m, p := str(t.Method, ""), str(t.Path, "")
		if m == "" && p == "" {
			tr.Endpoint = ""
		} else {
			tr.Endpoint = strings.TrimSpace(strings.ToUpper(m) + " " + p)
		}
	}
	tr.Source = source(t)
	http := t.IsHTTP()
	switch t.Public.State {
	case model.Known:
		tr.Public = yesNo(t.Public.V)
	case model.Unknown:
		tr.Public = Unknown
	default:
		tr.Public = NotApplicable
		if http {
			tr.Public = Unknown
		}
	}
	switch t.Auth.State {
	case model.Known:
		tr.Auth = string(t.Auth.V)
	case model.Unknown:
		tr.Auth = Unknown
	default:
		tr.Auth = NotApplicable
		if http {
			tr.Auth = Unknown
		}
	}
	if t.Authorizer.State != model.Absent {
		tr.Authorizer = str(t.Authorizer, Unknown)
	}
	return tr
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// source names a trigger's event source.
func source(t *model.Trigger) string {
	if t.Source != nil {
		for _, v := range []model.Str{t.Source.Name, t.Source.ARN} {
			if v.IsKnown() && v.V != "" {
				return v.V
			}
		}
		if t.Source.ID != "" && !t.IsHTTP() {
			return t.Source.ID
		}
	}
	if t.SourceRef.State != model.Absent {
		return str(t.SourceRef, Unknown)
	}
	return ""
}

var sourceKinds = map[model.TriggerKind]string{
	model.TriggerStorage: string(model.ResBucket), model.TriggerQueue: string(model.ResQueue),
	model.TriggerTopic: string(model.ResTopic), model.TriggerStream: string(model.ResStream),
	model.TriggerEventBus: string(model.ResEventBus), model.TriggerLog: string(model.ResLogGroup),
	model.TriggerAuthHook: string(model.ResUserPool),
}

func sourceKind(t *model.Trigger) string {
	if t.Source != nil && t.Source.Kind != "" {
		return string(t.Source.Kind)
	}
	if k, ok := sourceKinds[t.Kind]; ok {
		return k
	}
	return string(model.ResOther)
}

func triggerLabel(t Trigger) string {
	switch {
	case t.Endpoint != "":
		return t.Endpoint
	case t.Source != "":
		return shortName(t.Source)
	}
	return t.Type
}

func triggerDetail(t Trigger) string {
	if t.Kind == string(model.TriggerHTTP) || t.Kind == string(model.TriggerWebSocket) {
		pub := "public"
		switch t.Public {
		case "no":
			pub = "private"
		case Unknown:
			pub = "public?"
		}
		return t.Type + " · " + pub + " · auth " + t.Auth
	}
	return t.Type
}

// shortName shortens an ARN to its resource part for labels.
func shortName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		parts := arnParts(s)
		if len(parts) == 6 && parts[5] != "" {
			return parts[5]
		}
	}
	return s
}

func worst(fs []rules.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	w := fs[0].Severity
	for _, f := range fs[1:] {
		if f.Severity > w {
			w = f.Severity
		}
	}
	return w.String()
}

func atPos(fs []rules.Finding, p model.Pos) []rules.Finding {
	if p.IsZero() || p.Line == 0 {
		return nil
	}
	var out []rules.Finding
	for _, f := range fs {
		if f.Pos.File == p.File && f.Pos.Line == p.Line {
			out = append(out, f)
		}
	}
	return out
}

// logGroups is the entry log groups are folded into: every function's role
// names them, and listing each one drowns what matters.
const logGroups = "log groups"

// resources accumulates the resources a function touches, merged by name.
type resources struct {
	byName map[string]*Resource
	order  []string
}

func newResources() *resources { return &resources{byName: map[string]*Resource{}} }

func (r *resources) add(name, kind, via string, actions []string, access string) {
	member := ""
	if kind == string(model.ResLogGroup) {
		name, member = logGroups, name
	}
	x, ok := r.byName[name]
	if !ok {
		x = &Resource{Name: name, Kind: kind, Access: access}
		r.byName[name] = x
		r.order = append(r.order, name)
	}
	if x.Kind == string(model.ResOther) && kind != string(model.ResOther) {
		x.Kind = kind
	}
	if member != "" && !contains(x.Members, member) {
		x.Members = append(x.Members, member)
	}
	if !contains(x.Via, via) {
		x.Via = append(x.Via, via)
	}
	for _, a := range actions {
		if !contains(x.Actions, a) {
			x.Actions = append(x.Actions, a)
		}
	}
	if access == "write" || (x.Access == NotApplicable && access != NotApplicable) {
		x.Access = access
	}
}

func (r *resources) list() []Resource {
	out := make([]Resource, 0, len(r.order))
	for _, n := range r.order {
		x := *r.byName[n]
		sort.Strings(x.Actions)
		out = append(out, x)
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
