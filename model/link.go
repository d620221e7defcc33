package model

import (
	"fmt"
	"path"
	"strings"
)

// Link fills the back-references of an application after loading: the
// functions of each role, the functions of each permission target. Loaders
// call it once when the app is complete; it is idempotent.
func (a *Application) Link() {
	for _, r := range a.Roles {
		r.Functions = r.Functions[:0]
	}
	for _, f := range a.Functions {
		if f.Role != nil {
			f.Role.Functions = append(f.Role.Functions, f)
		}
	}
}

// Function returns the function with the given ID, or nil.
func (a *Application) Function(id string) *Function {
	for _, f := range a.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Resource returns the resource with the given ID, or nil.
func (a *Application) Resource(id string) *Resource {
	for _, r := range a.Resources {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Role returns the role with the given ID, or nil.
func (a *Application) Role(id string) *Role {
	for _, r := range a.Roles {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Notef records a note on the application.
func (a *Application) Notef(level NoteLevel, pos Pos, format string, args ...any) {
	a.Notes = append(a.Notes, Note{Level: level, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// IsHTTP reports whether the trigger is HTTP-shaped (API, URL, ALB, websocket).
func (t *Trigger) IsHTTP() bool { return t.Kind == TriggerHTTP || t.Kind == TriggerWebSocket }

// SourceNames returns the identifiers a policy or a message can name a
// trigger's source by: its name, ARN and logical ID, then the reference as
// written.
func (t *Trigger) SourceNames() []string {
	var out []string
	add := func(v Str) {
		if v.IsKnown() && v.V != "" {
			out = append(out, v.V)
		}
	}
	if t.Source != nil {
		add(t.Source.Name)
		add(t.Source.ARN)
		if t.Source.ID != "" {
			out = append(out, t.Source.ID)
		}
	}
	add(t.SourceRef)
	return out
}

// Owner returns the application whose directory is the deepest one
// holding dir (a root-relative directory), or nil.
func Owner(apps []*Application, dir string) *Application {
	var best *Application
	bestLen := -1
	for _, a := range apps {
		d := a.Dir
		if d == "" {
			d = path.Dir(a.File)
		}
		if (d == "." || dir == d || strings.HasPrefix(dir, d+"/")) && len(d) > bestLen {
			best, bestLen = a, len(d)
		}
	}
	return best
}
