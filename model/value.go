// Package model holds faasguard's normalized application model: one graph of
// functions, triggers, roles, resources and permissions that every format
// loader fills and every rule reads. See SPEC section 1.
//
// Every scalar the loaders fill is a Val: it carries its provenance (where the
// user wrote it) and whether it is Known, Unknown (present but unresolvable
// offline, such as ${ssm:...} or a Terraform module output) or Absent (not
// written at all, so the platform default applies). Rules must treat Unknown
// as "cannot tell" and never report a risk on it.
package model

import "fmt"

// Pos is a position in a file the user edits. File is relative to the scan
// root with forward slashes; Line and Col are 1-based (0 when unknown).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

// IsZero reports whether p names no file.
func (p Pos) IsZero() bool { return p.File == "" }

func (p Pos) String() string {
	switch {
	case p.File == "":
		return "<unknown>"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// State is the three-valued state of a model value.
type State uint8

const (
	Absent  State = iota // not written; the platform default applies
	Unknown              // written, but not resolvable offline
	Known                // written and resolved
)

func (s State) String() string {
	switch s {
	case Known:
		return "known"
	case Unknown:
		return "unknown"
	}
	return "absent"
}

// Val is a model value with its state and provenance.
type Val[T any] struct {
	State State
	V     T
	Pos   Pos
	// Why says, for Unknown values, what could not be resolved
	// (for example "${ssm:/prod/key}").
	Why string
}

// K returns a Known value written at p.
func K[T any](v T, p Pos) Val[T] { return Val[T]{State: Known, V: v, Pos: p} }

// U returns an Unknown value written at p; why names the unresolved expression.
func U[T any](why string, p Pos) Val[T] { return Val[T]{State: Unknown, Pos: p, Why: why} }

// IsKnown reports whether v is Known.
func (v Val[T]) IsKnown() bool { return v.State == Known }

// IsUnknown reports whether v is Unknown.
func (v Val[T]) IsUnknown() bool { return v.State == Unknown }

// IsAbsent reports whether v was not written.
func (v Val[T]) IsAbsent() bool { return v.State == Absent }

// Get returns the value and whether it is Known.
func (v Val[T]) Get() (T, bool) { return v.V, v.State == Known }

// Or returns the value if Known, else def.
func (v Val[T]) Or(def T) T {
	if v.State == Known {
		return v.V
	}
	return def
}

// Str, Int and Bool are the common value types.
type (
	Str  = Val[string]
	Int  = Val[int]
	Bool = Val[bool]
)

// IsTrue reports whether b is Known and true.
func IsTrue(b Bool) bool { return b.State == Known && b.V }

// IsFalse reports whether b is Known and false.
func IsFalse(b Bool) bool { return b.State == Known && !b.V }

// PosOr returns the first non-zero position of the given values, else def.
// Rules use it to point at the most specific place a finding stems from.
func PosOr(def Pos, ps ...Pos) Pos {
	for _, p := range ps {
		if !p.IsZero() {
			return p
		}
	}
	return def
}
