package model

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Dump renders an application as stable, indented text for golden tests and
// `--debug-model`: every set field with its state and position. References
// to functions, roles and resources that are printed elsewhere in the dump
// are shown by ID, which keeps the output acyclic.
func Dump(a *Application) string {
	var b strings.Builder
	d := dumper{b: &b}
	fmt.Fprintf(&b, "app %s format=%s provider=%s file=%s\n", a.Name, a.Format, a.Provider, a.File)
	if a.Stage.State != Absent {
		fmt.Fprintf(&b, "  stage: %s\n", d.scalar(reflect.ValueOf(a.Stage)))
	}
	for _, f := range a.Functions {
		fmt.Fprintf(&b, "function %s @%s\n", f.ID, f.Pos)
		d.fields(reflect.ValueOf(f).Elem(), 1)
	}
	for _, r := range a.Roles {
		fmt.Fprintf(&b, "role %s @%s\n", r.ID, r.Pos)
		d.fields(reflect.ValueOf(r).Elem(), 1)
	}
	for _, r := range a.Resources {
		fmt.Fprintf(&b, "resource %s @%s\n", r.ID, r.Pos)
		d.fields(reflect.ValueOf(r).Elem(), 1)
	}
	for _, p := range a.Permissions {
		fmt.Fprintf(&b, "permission %s @%s\n", p.ID, p.Pos)
		d.fields(reflect.ValueOf(p).Elem(), 1)
	}
	for _, n := range a.Notes {
		fmt.Fprintf(&b, "note %s %s: %s\n", n.Level, n.Pos, n.Message)
	}
	return b.String()
}

type dumper struct{ b *strings.Builder }

var (
	fnType   = reflect.TypeOf(&Function{})
	roleType = reflect.TypeOf(&Role{})
	resType  = reflect.TypeOf(&Resource{})
)

func isVal(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 4 && t.Field(0).Name == "State" && t.Field(1).Name == "V"
}

func (d dumper) scalar(v reflect.Value) string {
	st := State(v.Field(0).Uint())
	pos := v.Field(2).Interface().(Pos)
	at := ""
	if !pos.IsZero() {
		at = " @" + pos.String()
	}
	if st == Unknown {
		return fmt.Sprintf("<unknown %s>%s", v.Field(3).String(), at)
	}
	return fmt.Sprintf("%v%s", v.Field(1).Interface(), at)
}

// empty reports whether a field holds nothing worth printing.
func empty(v reflect.Value) bool {
	if isVal(v.Type()) {
		return State(v.Field(0).Uint()) == Absent
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Func:
		return v.IsNil()
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Pos{}) {
			return v.Interface().(Pos).IsZero()
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && !empty(v.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Int, reflect.Int64, reflect.Uint8:
		return v.IsZero()
	}
	return false
}

func (d dumper) fields(v reflect.Value, depth int) {
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		f := t.Field(i)
		fv := v.Field(i)
		if !f.IsExported() || empty(fv) || f.Name == "Embedded" {
			continue
		}
		d.value(f.Name, fv, depth)
	}
}

func (d dumper) value(name string, v reflect.Value, depth int) {
	ind := strings.Repeat("  ", depth)
	t := v.Type()
	switch {
	case isVal(t):
		fmt.Fprintf(d.b, "%s%s: %s\n", ind, name, d.scalar(v))
	case t == fnType || t == roleType || t == resType:
		fmt.Fprintf(d.b, "%s%s: -> %s\n", ind, name, v.Elem().FieldByName("ID").String())
	case t == reflect.TypeOf(Pos{}):
		fmt.Fprintf(d.b, "%s%s: %s\n", ind, name, v.Interface().(Pos))
	case t.Kind() == reflect.Pointer:
		fmt.Fprintf(d.b, "%s%s:\n", ind, name)
		d.fields(v.Elem(), depth+1)
	case t.Kind() == reflect.Struct:
		fmt.Fprintf(d.b, "%s%s:\n", ind, name)
		d.fields(v, depth+1)
	case t.Kind() == reflect.Slice:
		for j := 0; j < v.Len(); j++ {
			d.value(fmt.Sprintf("%s[%d]", name, j), v.Index(j), depth)
		}
	case t.Kind() == reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		for _, k := range keys {
			d.value(fmt.Sprintf("%s[%v]", name, k), v.MapIndex(k), depth)
		}
	default:
		fmt.Fprintf(d.b, "%s%s: %v\n", ind, name, v.Interface())
	}
}
