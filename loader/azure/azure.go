// Package azure loads Azure Functions projects into the model: the
// function.json bindings of each function, host.json and local.settings.json
// of the app that holds them, and the hosting properties of function apps
// declared in ARM JSON templates and Bicep files (Microsoft.Web/sites).
package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

func init() { loader.Register(Loader{}, 40) }

// Loader is the Azure Functions loader.
type Loader struct{}

// Name implements loader.Loader.
func (Loader) Name() string { return "azure" }

// Load implements loader.Loader.
func (Loader) Load(ctx context.Context, t *loader.Tree, opts loader.Options) []*model.Application {
	var apps []*model.Application
	// Function apps are the directories holding host.json; a function.json
	// without one belongs to the app of its parent directory.
	hosts := map[string]bool{}
	var fnFiles []loader.File
	for _, f := range t.Files() {
		switch strings.ToLower(f.Base()) {
		case "host.json":
			if t.ClaimedBy(f.Rel) == "" {
				hosts[path.Dir(f.Rel)] = true
			}
		case "function.json":
			if t.ClaimedBy(f.Rel) == "" {
				fnFiles = append(fnFiles, f)
			}
		}
	}
	byApp := map[string][]loader.File{}
	for _, f := range fnFiles {
		fnDir := path.Dir(f.Rel)
		appDir := path.Dir(fnDir)
		for d := fnDir; ; d = path.Dir(d) {
			if hosts[d] {
				appDir = d
				break
			}
			if d == "." || d == "/" {
				break
			}
		}
		byApp[appDir] = append(byApp[appDir], f)
	}
	for d := range hosts {
		if _, ok := byApp[d]; !ok {
			byApp[d] = nil
		}
	}
	dirs := make([]string, 0, len(byApp))
	for d := range byApp {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if ctx.Err() != nil {
			return apps
		}
		if app := loadApp(t, d, byApp[d], hosts[d]); app != nil {
			apps = append(apps, app)
		}
	}
	fnApps := apps
	for _, f := range t.Files() {
		if ctx.Err() != nil {
			break
		}
		switch f.Ext() {
		case ".json":
			if app := loadARMFile(t, f, opts); app != nil {
				if !mergeSite(app, fnApps) {
					apps = append(apps, app)
				}
			}
		case ".bicep":
			if app := loadBicepFile(t, f, opts); app != nil {
				if !mergeSite(app, fnApps) {
					apps = append(apps, app)
				}
			}
		}
	}
	return apps
}

func guard(app *model.Application, file string) {
	if p := recover(); p != nil {
		app.Notef(model.NoteError, model.Pos{File: file}, "internal error: %v\n%s", p, strings.Join(strings.SplitN(string(debug.Stack()), "\n", 9)[:8], "\n"))
	}
}

func parseJSON(t *loader.Tree, app *model.Application, rel string) *yaml.Node {
	data, err := t.Read(rel)
	if err != nil {
		app.Notef(model.NoteError, model.Pos{File: rel}, "not scanned: %v", err)
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// YAML accepts what JSON does not ({"a": }), so check JSON first.
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		p := model.Pos{File: rel}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			p.Line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		app.Notef(model.NoteError, p, "not parsed: invalid JSON: %v", err)
		return nil
	}
	n, err := yamlx.Parse(rel, data, yamlx.DefaultLimits)
	if err != nil {
		p := model.Pos{File: rel}
		if e, ok := err.(*yamlx.Error); ok {
			p.Line = e.Line
			err = fmt.Errorf("%s", e.Msg)
		}
		app.Notef(model.NoteError, p, "not parsed: %v", err)
		return nil
	}
	if n == nil || n.Kind != yaml.MappingNode {
		app.Notef(model.NoteError, model.Pos{File: rel}, "not parsed: expected a JSON object")
		return nil
	}
	return n
}

// loadApp models one function app: host.json, local.settings.json and the
// function.json of each function.
func loadApp(t *loader.Tree, dir string, fnFiles []loader.File, hasHost bool) (app *model.Application) {
	name := path.Base(dir)
	if dir == "." {
		name = path.Base(t.Root)
	}
	app = &model.Application{Name: name, Format: "azure-functions", Provider: model.Azure, Dir: dir}
	hostRel := path.Join(dir, "host.json")
	if hasHost {
		app.File = hostRel
	} else if len(fnFiles) > 0 {
		app.File = fnFiles[0].Rel
	}
	defer guard(app, app.File)
	var timeout model.Int
	if hasHost && t.Claim(hostRel, "azure") {
		if h := parseJSON(t, app, hostRel); h != nil {
			if ft := yamlx.Get(h, "functionTimeout"); yamlx.IsScalar(ft) {
				timeout = durationSeconds(ft.Value, yamlx.Pos(hostRel, ft))
			}
		}
	}
	var env []model.EnvVar
	lsRel := path.Join(dir, "local.settings.json")
	if _, ok := t.Lookup(lsRel); ok && t.Claim(lsRel, "azure") {
		if ls := parseJSON(t, app, lsRel); ls != nil {
			app.Notef(model.NoteWarn, yamlx.Pos(lsRel, ls), "local.settings.json is in the scanned tree: it holds local secrets and must not be committed (add it to .gitignore)")
			for _, p := range yamlx.Pairs(yamlx.Get(ls, "Values")) {
				env = append(env, envVar(lsRel, p.Key, p.Value))
			}
		}
	}
	for _, f := range fnFiles {
		if !t.Claim(f.Rel, "azure") {
			continue
		}
		if fn := loadFunction(t, app, f.Rel); fn != nil {
			fn.Timeout = timeout
			fn.Environment = append(fn.Environment, env...)
			app.Functions = append(app.Functions, fn)
		}
	}
	if len(app.Functions) == 0 && !hasHost {
		return nil
	}
	app.Link()
	return app
}

func envVar(file string, k, v *yaml.Node) model.EnvVar {
	ev := model.EnvVar{Name: k.Value, Pos: yamlx.Pos(file, k)}
	if yamlx.IsScalar(v) {
		ev.Value = model.K(v.Value, yamlx.Pos(file, v))
		ev.FromSecretStore = strings.HasPrefix(v.Value, "@Microsoft.KeyVault(")
	}
	return ev
}

// durationSeconds parses an Azure timespan (hh:mm:ss or d.hh:mm:ss).
func durationSeconds(s string, pos model.Pos) model.Int {
	days := 0
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s+":", ':') {
		d, err := strconv.Atoi(s[:i])
		if err != nil {
			return model.U[int]("functionTimeout "+s, pos)
		}
		days, s = d, s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return model.U[int]("functionTimeout "+s, pos)
	}
	total := days * 86400
	for i, mul := range []int{3600, 60, 1} {
		n, err := strconv.ParseFloat(parts[i], 64)
		if err != nil {
			return model.U[int]("functionTimeout "+s, pos)
		}
		total += int(n) * mul
	}
	return model.K(total, pos)
}

// triggerKinds maps trigger binding types to model kinds.
var triggerKinds = map[string]model.TriggerKind{
	"httptrigger":       model.TriggerHTTP,
	"queuetrigger":      model.TriggerQueue,
	"servicebustrigger": model.TriggerQueue,
	"blobtrigger":       model.TriggerStorage,
	"eventhubtrigger":   model.TriggerStream,
	"eventgridtrigger":  model.TriggerEventBus,
	"timertrigger":      model.TriggerSchedule,
	"cosmosdbtrigger":   model.TriggerStream,
	"kafkatrigger":      model.TriggerStream,
	"rabbitmqtrigger":   model.TriggerQueue,
	"signalrtrigger":    model.TriggerWebSocket,
}

// loadFunction models one function.json.
func loadFunction(t *loader.Tree, app *model.Application, rel string) *model.Function {
	n := parseJSON(t, app, rel)
	if n == nil {
		return nil
	}
	dir := path.Dir(rel)
	fn := &model.Function{ID: path.Base(dir), Name: model.K(path.Base(dir), model.Pos{File: rel, Line: 1}), Pos: yamlx.Pos(rel, n)}
	if k, _ := yamlx.GetKey(n, "bindings"); k != nil {
		fn.Pos = yamlx.Pos(rel, k)
	}
	if d := yamlx.Get(n, "disabled"); d != nil {
		if b, ok := yamlx.Bool(d); ok && b {
			app.Notef(model.NoteInfo, yamlx.Pos(rel, d), "function %s is disabled", fn.ID)
		}
	}
	if s := yamlx.Get(n, "scriptFile"); yamlx.IsScalar(s) {
		fn.CodeDir = model.K(path.Join(path.Base(dir), s.Value), yamlx.Pos(rel, s))
		fn.Handler = fn.CodeDir
	}
	if e := yamlx.Get(n, "entryPoint"); yamlx.IsScalar(e) {
		fn.Handler = model.K(e.Value, yamlx.Pos(rel, e))
	}
	for _, b := range yamlx.Items(yamlx.Get(n, "bindings")) {
		typ := yamlx.Get(b, "type")
		if !yamlx.IsScalar(typ) {
			continue
		}
		kind, ok := triggerKinds[strings.ToLower(typ.Value)]
		if !ok {
			if strings.HasSuffix(strings.ToLower(typ.Value), "trigger") {
				kind = model.TriggerOther
			} else {
				continue // input / output binding
			}
		}
		bp := yamlx.Pos(rel, b)
		tr := &model.Trigger{Kind: kind, Type: typ.Value, Pos: bp}
		if kind == model.TriggerHTTP {
			tr.Public = model.K(true, bp)
			if al := yamlx.Get(b, "authLevel"); yamlx.IsScalar(al) {
				ap := yamlx.Pos(rel, al)
				switch strings.ToLower(al.Value) {
				case "anonymous":
					tr.Auth = model.K(model.AuthNone, ap)
				case "function", "admin", "system":
					tr.Auth = model.K(model.AuthFunctionKey, ap)
				default:
					tr.Auth = model.U[model.AuthKind]("authLevel "+al.Value, ap)
				}
			} else {
				tr.Auth = model.K(model.AuthFunctionKey, bp) // the default authLevel is function
			}
			if r := yamlx.Get(b, "route"); yamlx.IsScalar(r) {
				tr.Path = model.K(r.Value, yamlx.Pos(rel, r))
			}
			for _, m := range yamlx.Items(yamlx.Get(b, "methods")) {
				if yamlx.IsScalar(m) {
					if tr.Method.IsAbsent() {
						tr.Method = model.K(strings.ToUpper(m.Value), yamlx.Pos(rel, m))
					} else {
						tr.Method.V += "," + strings.ToUpper(m.Value)
					}
				}
			}
		} else {
			for _, k := range []string{"queueName", "topicName", "path", "eventHubName", "collectionName", "containerName", "schedule", "topic"} {
				if v := yamlx.Get(b, k); yamlx.IsScalar(v) {
					tr.SourceRef = model.K(v.Value, yamlx.Pos(rel, v))
					break
				}
			}
		}
		if strings.EqualFold(typ.Value, "blobTrigger") && fn.DeadLetter.IsAbsent() {
			// Failed blob events go to the host's built-in poison queue.
			fn.DeadLetter = model.K("webjobs-blobtrigger-poison", bp)
		}
		fn.Triggers = append(fn.Triggers, tr)
	}
	return fn
}

var exprRE = regexp.MustCompile(`^\[\s*(parameters|variables)\(\s*'([^']*)'\s*\)\s*\]$`)

// mergeSite applies the hosting properties of the one function app an ARM
// template declares to the functions of the function.json project it
// deploys (the project in the template's directory tree, or the one
// containing it), so that rules see each function with its app's settings.
// It reports whether the template's app was merged away.
func mergeSite(arm *model.Application, fnApps []*model.Application) bool {
	if len(arm.Functions) != 1 {
		return false
	}
	site := arm.Functions[0]
	if k, ok := site.Tags["azure.kind"]; ok && k.IsKnown() && !strings.Contains(strings.ToLower(k.V), "functionapp") {
		return false
	}
	var target *model.Application
	for _, a := range fnApps {
		if len(a.Functions) == 0 {
			continue
		}
		if within(arm.Dir, a.Dir) || within(a.Dir, arm.Dir) {
			if target != nil {
				return false // ambiguous
			}
			target = a
		}
	}
	if target == nil {
		return false
	}
	for _, fn := range target.Functions {
		fn.Platform = site.Platform
		fn.Environment = append(fn.Environment, site.Environment...)
		if fn.Tags == nil && site.Tags != nil {
			fn.Tags = map[string]model.Str{}
		}
		for k, v := range site.Tags {
			fn.Tags[k] = v
		}
	}
	target.Notes = append(target.Notes, arm.Notes...)
	target.Notef(model.NoteInfo, site.Pos, "function app %s of %s applied to the functions of this project", site.ID, arm.File)
	return true
}

// within reports whether dir is base or below it.
func within(base, dir string) bool {
	return base == "." || dir == base || strings.HasPrefix(dir, base+"/")
}
