package cfn

import (
	"strconv"
	"strings"

	"github.com/faasguard/faasguard/model"
)

// kind is the shape of an evaluated template value.
type kind uint8

const (
	kNull    kind = iota // not written, or an explicit null
	kNoValue             // AWS::NoValue: the property is removed
	kScalar
	kList
	kMap
	kUnknown // written, but not resolvable offline
)

// field is one key of an evaluated mapping.
type field struct {
	Key    string
	KeyPos model.Pos
	V      *V
}

// V is a template value after intrinsic functions were evaluated. It keeps
// the position of what the user wrote and the logical IDs of the resources
// it references, so the builder can link resources even when the physical
// value (an ARN, a URL) is not known offline.
type V struct {
	K   kind
	S   string
	L   []*V
	M   []field
	Pos model.Pos
	Why string // for kUnknown: the expression that could not be resolved
	// Refs are the logical IDs of resources referenced anywhere inside.
	Refs []string
	// Direct is set when the value is exactly a Ref or Fn::GetAtt of Refs[0];
	// Attr is then the GetAtt attribute ("" for Ref).
	Direct bool
	Attr   string
}

func unknown(why string, p model.Pos, refs ...string) *V {
	return &V{K: kUnknown, Why: why, Pos: p, Refs: refs}
}

func scalar(s string, p model.Pos) *V { return &V{K: kScalar, S: s, Pos: p} }

// Get returns the value of key in a mapping; a missing key (or a value
// that is not a map) yields a null value, never nil, so lookups chain.
func (v *V) Get(key string) *V {
	if v == nil || v.K != kMap {
		return &V{K: kNull}
	}
	for _, f := range v.M {
		if f.Key == key {
			if f.V == nil {
				return &V{K: kNull}
			}
			return f.V
		}
	}
	return &V{K: kNull}
}

// Path follows mapping keys.
func (v *V) Path(keys ...string) *V {
	for _, k := range keys {
		v = v.Get(k)
	}
	return v
}

// KeyPos returns the position of key in a mapping, or the mapping's own.
func (v *V) KeyPos(key string) model.Pos {
	if v == nil {
		return model.Pos{}
	}
	for _, f := range v.M {
		if f.Key == key {
			return f.KeyPos
		}
	}
	return v.Pos
}

// Present reports whether the value was written (Known or Unknown).
func (v *V) Present() bool { return v != nil && v.K != kNull && v.K != kNoValue }

// IsUnknown reports whether the value is unresolvable.
func (v *V) IsUnknown() bool { return v != nil && v.K == kUnknown }

// Str returns the value as a model string: Known for scalars, Unknown for
// unresolved values (and for lists or maps where a string was expected).
func (v *V) Str() model.Str {
	switch {
	case !v.Present():
		return model.Str{}
	case v.K == kScalar:
		return model.K(v.S, v.Pos)
	case v.K == kUnknown:
		return model.U[string](v.Why, v.Pos)
	}
	return model.U[string]("not a string", v.Pos)
}

// Int returns the value as a model integer.
func (v *V) Int() model.Int {
	switch {
	case !v.Present():
		return model.Int{}
	case v.K == kScalar:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.S), 64)
		if err != nil || f > 1e12 || f < -1e12 {
			return model.U[int]("not a number: "+clip(v.S), v.Pos)
		}
		return model.K(int(f), v.Pos)
	case v.K == kUnknown:
		return model.U[int](v.Why, v.Pos)
	}
	return model.U[int]("not a number", v.Pos)
}

// Bool returns the value as a model boolean.
func (v *V) Bool() model.Bool {
	switch {
	case !v.Present():
		return model.Bool{}
	case v.K == kScalar:
		switch strings.ToLower(v.S) {
		case "true", "yes", "on":
			return model.K(true, v.Pos)
		case "false", "no", "off":
			return model.K(false, v.Pos)
		}
		return model.U[bool]("not a boolean: "+clip(v.S), v.Pos)
	case v.K == kUnknown:
		return model.U[bool](v.Why, v.Pos)
	}
	return model.U[bool]("not a boolean", v.Pos)
}

// Items returns a list's elements; a single value yields itself.
func (v *V) Items() []*V {
	switch {
	case !v.Present():
		return nil
	case v.K == kList:
		return v.L
	}
	return []*V{v}
}

// Strs returns the string values of a list (or of a single value).
func (v *V) Strs() []model.Str {
	var out []model.Str
	for _, it := range v.Items() {
		out = append(out, it.Str())
	}
	return out
}

// Text returns the Known string, or "".
func (v *V) Text() string {
	if v != nil && v.K == kScalar {
		return v.S
	}
	return ""
}

// Target returns the logical ID the value references directly (Ref or
// GetAtt), or "".
func (v *V) Target() string {
	if v != nil && v.Direct && len(v.Refs) > 0 {
		return v.Refs[0]
	}
	return ""
}

// Keys returns a map's fields.
func (v *V) Keys() []field {
	if v == nil || v.K != kMap {
		return nil
	}
	return v.M
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func addRefs(dst []string, src ...string) []string {
	for _, s := range src {
		dup := false
		for _, d := range dst {
			if d == s {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
}
