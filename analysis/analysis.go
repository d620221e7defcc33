// Package analysis connects function code to the model: it resolves each
// function's handler to its source, then records in model.Function.Code
// what the code analysers find there — event-data taint, secrets,
// dependencies with their advisories, SDK calls. Rules turn those records
// into findings; the analysers know nothing of rules or formats.
package analysis

import (
	"context"
	"path"
	"path/filepath"

	"github.com/faasguard/faasguard/code/handler"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/scan"
)

func init() { scan.RegisterAnalyzer(analyzer{}) }

type analyzer struct{}

func (analyzer) Name() string { return "code" }

// Analyze resolves handlers and runs the code analysers over every code
// root once, however many functions share it.
func (analyzer) Analyze(ctx context.Context, apps []*model.Application, t *loader.Tree, opts scan.Options) []*model.Application {
	roots := map[string][]*model.Function{} // code root (rel) -> functions
	var order []string
	for _, app := range apps {
		for _, fn := range app.Functions {
			resolve(app, fn, t)
			if fn.Code == nil || fn.Code.Root == "" {
				continue
			}
			if _, ok := roots[fn.Code.Root]; !ok {
				order = append(order, fn.Code.Root)
			}
			roots[fn.Code.Root] = append(roots[fn.Code.Root], fn)
		}
	}
	sources := analyseSources(apps, t)
	taintFunctions(apps, sources)
	sdkCalls(apps, sources)
	dependencies(apps, order, roots, t, opts)
	if repo := repoSecrets(apps, roots, t); repo != nil {
		return []*model.Application{repo}
	}
	return nil
}

// resolve fills fn.Code with the handler's entry file, or says why it
// could not be resolved (an info note: faasguard does not guess).
func resolve(app *model.Application, fn *model.Function, t *loader.Tree) {
	h, ok := fn.Handler.Get()
	if !ok || h == "" {
		return
	}
	dir := app.Dir
	if dir == "" {
		dir = path.Dir(app.File)
	}
	spec := handler.Spec{Format: app.Format, Runtime: fn.Runtime.Or(""), Handler: h, CodeDir: fn.CodeDir.Or(""), ConfigDir: dir}
	e, err := handler.Resolve(t.Root, spec)
	if err != nil {
		fn.Code = &model.Code{Unresolved: err.Error()}
		app.Notef(model.NoteInfo, model.PosOr(fn.Pos, fn.Handler.Pos), "handler %q of function %s not resolved to source: %v", h, fn.ID, err)
		return
	}
	fn.Code = &model.Code{EntryFile: rel(t, e.File), Symbol: e.Symbol, Root: rel(t, e.CodeRoot), Language: e.Language}
}

func rel(t *loader.Tree, abs string) string {
	r, err := filepath.Rel(t.Root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// fnsFor returns the functions whose code root holds file: the deepest
// root among the file's parent directories.
func fnsFor(roots map[string][]*model.Function, file string) []*model.Function {
	for dir := path.Dir(file); ; dir = path.Dir(dir) {
		if fns, ok := roots[dir]; ok {
			return fns
		}
		if dir == "." || dir == "/" || dir == "" {
			return roots[""]
		}
	}
}
