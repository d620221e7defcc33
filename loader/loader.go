// Package loader defines how configuration formats become applications of
// the model: each format is a Loader that picks its files from a Tree and
// returns the applications it found. Loaders know nothing of rules.
package loader

import (
	"context"
	"sort"
	"sync"

	"github.com/faasguard/faasguard/model"
)

// Options select one deployment's values and set what resolution may read.
// They are shared by every loader.
type Options struct {
	Stage  string            // --stage; "" means the format's default
	Vars   map[string]string // --var k=v: CLI options (${opt:k}), Terraform -var, CFN parameters
	Params map[string]string // --params FILE: CFN parameters / Serverless params
	// AllowEnv lets resolution read the process environment (${env:X}).
	AllowEnv bool
	// AllowOutside lets resolution read files outside the scan root.
	AllowOutside bool
	// Env is consulted for ${env:X} when AllowEnv is set (os.Getenv if nil).
	Env func(string) (string, bool)
}

// Loader turns the files of one format into applications.
type Loader interface {
	// Name is the format's name, as used in notes and --format filters.
	Name() string
	// Load picks the loader's files from t (claiming them), parses them and
	// returns the applications found. Problems go into the apps' notes or
	// t.Note; Load never panics on bad input and never fails the scan.
	Load(ctx context.Context, t *Tree, opts Options) []*model.Application
}

// EmbeddedLoader merges a fragment of its format found inside another
// format's config (model.Embedded) into the host application.
type EmbeddedLoader interface {
	MergeEmbedded(ctx context.Context, app *model.Application, e model.Embedded, t *Tree, opts Options)
}

type entry struct {
	l     Loader
	order int
}

var (
	mu       sync.RWMutex
	loaders  []entry
	embedded = map[string]EmbeddedLoader{}
)

// Register adds a loader. Loaders run in ascending order: a loader that
// claims files another could mistake for its own (serverless.yml looks like
// YAML to everyone) must run first.
func Register(l Loader, order int) {
	mu.Lock()
	defer mu.Unlock()
	loaders = append(loaders, entry{l, order})
	sort.SliceStable(loaders, func(i, j int) bool { return loaders[i].order < loaders[j].order })
}

// RegisterEmbedded registers the handler of embedded fragments of a format.
func RegisterEmbedded(format string, l EmbeddedLoader) {
	mu.Lock()
	defer mu.Unlock()
	embedded[format] = l
}

// All returns the registered loaders in run order.
func All() []Loader {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Loader, len(loaders))
	for i, e := range loaders {
		out[i] = e.l
	}
	return out
}

// Embedded returns the handler for embedded fragments of format, if any.
func Embedded(format string) (EmbeddedLoader, bool) {
	mu.RLock()
	defer mu.RUnlock()
	l, ok := embedded[format]
	return l, ok
}

// LoadAll runs every registered loader over t and merges embedded fragments.
func LoadAll(ctx context.Context, t *Tree, opts Options) []*model.Application {
	var apps []*model.Application
	for _, l := range All() {
		apps = append(apps, l.Load(ctx, t, opts)...)
	}
	for _, a := range apps {
		for _, e := range a.Embedded {
			if el, ok := Embedded(e.Format); ok {
				el.MergeEmbedded(ctx, a, e, t, opts)
			} else {
				a.Notef(model.NoteInfo, model.Pos{File: e.File}, "%s section not modelled: no %s loader in this build", e.Format, e.Format)
			}
		}
		a.Link()
	}
	return apps
}
