package scan

import (
	"path"
	"time"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
	"github.com/faasguard/faasguard/suppress"
)

// directiveExts are the files whose comments may hold faasguard:ignore:
// configs and function code.
var directiveExts = map[string]bool{".yml": true, ".yaml": true, ".json": true, ".tf": true, ".tfvars": true,
	".hcl": true, ".bicep": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".py": true, ".go": true, ".java": true}

// collectSuppressions reads the inline directives of the tree and gives
// each to the application whose directory holds its file (the deepest one).
func collectSuppressions(t *loader.Tree, apps []*model.Application, now time.Time) {
	if len(apps) == 0 {
		return
	}
	for _, f := range t.Files() {
		if !directiveExts[f.Ext()] {
			continue
		}
		data, err := t.Read(f.Rel)
		if err != nil {
			continue
		}
		ds := suppress.Parse(f.Rel, data, now)
		if len(ds) == 0 {
			continue
		}
		if app := model.Owner(apps, path.Dir(f.Rel)); app != nil {
			app.Suppressions = append(app.Suppressions, ds...)
		}
	}
	for _, a := range apps {
		for i := range a.Suppressions {
			if a.Suppressions[i].Problem == "" {
				a.Suppressions[i].Problem = suppress.Validate(a.Suppressions[i], now)
			}
		}
	}
}

func applySuppressions(apps []*model.Application, fs []rules.Finding) {
	// Apply per app so directives never cross applications.
	for _, a := range apps {
		if len(a.Suppressions) == 0 {
			continue
		}
		var idx []int
		var mine []rules.Finding
		for i, f := range fs {
			if f.App == a.Name {
				idx = append(idx, i)
				mine = append(mine, f)
			}
		}
		suppress.Apply(mine, a.Suppressions, func(f rules.Finding) model.Pos { return declaration(a, f) })
		for j, i := range idx {
			fs[i] = mine[j]
		}
	}
}

// declaration returns where the subject of a finding is declared.
func declaration(a *model.Application, f rules.Finding) model.Pos {
	if f.Function != "" {
		if fn := a.Function(f.Function); fn != nil {
			return fn.Pos
		}
	}
	if f.Resource != "" {
		if r := a.Resource(f.Resource); r != nil {
			return r.Pos
		}
		if r := a.Role(f.Resource); r != nil {
			return r.Pos
		}
	}
	return model.Pos{}
}
