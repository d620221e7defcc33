// Package serverless loads Serverless Framework services (serverless.yml,
// serverless.yaml, serverless.json; v2, v3 and v4 syntax) into the
// application model: functions and every events kind, the implicit shared
// role and the per-function roles of serverless-iam-roles-per-function, the
// implicit APIs, buckets, topics and log groups, with the framework's
// variables resolved offline (see vars.go). The resources: section is handed
// to the CloudFormation loader as a model.Embedded fragment.
package serverless

import (
	"context"
	"fmt"
	"path"
	"runtime/debug"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// Name is the format name of this loader.
const Name = "serverless"

func init() { loader.Register(Loader{}, 10) }

// Loader is the Serverless Framework loader.
type Loader struct{}

// Name returns "serverless".
func (Loader) Name() string { return Name }

// configNames are the config files the framework reads by default;
// execNames are configs it would execute, which faasguard never does.
var (
	configNames = map[string]bool{"serverless.yml": true, "serverless.yaml": true, "serverless.json": true}
	execNames   = map[string]bool{"serverless.ts": true, "serverless.js": true, "serverless.cjs": true, "serverless.mjs": true}
)

// Load finds the Serverless configs of t, claims them and models each as
// one application.
func (Loader) Load(ctx context.Context, t *loader.Tree, opts loader.Options) []*model.Application {
	var apps []*model.Application
	for _, f := range t.Files() {
		if ctx.Err() != nil {
			break
		}
		base := f.Base()
		switch {
		case configNames[base]:
			if !t.Claim(f.Rel, Name) {
				continue
			}
			apps = append(apps, LoadFile(t, f.Rel, opts))
		case execNames[base]:
			if t.Claim(f.Rel, Name) {
				t.Note(model.NoteInfo, model.Pos{File: f.Rel}, "not scanned: executable config (%s is never run)", base)
			}
		}
	}
	return apps
}

// LoadFile models one Serverless config, rel being its root-relative path.
// It never panics: a failure becomes an error note on the returned app.
func LoadFile(t *loader.Tree, rel string, opts loader.Options) (app *model.Application) {
	app = &model.Application{Format: Name, Provider: model.AWS, File: rel, Dir: path.Dir(rel), Name: path.Base(path.Dir(rel))}
	defer func() {
		if p := recover(); p != nil {
			app.Notef(model.NoteError, model.Pos{File: rel}, "internal error while loading (please report): %v\n%s", p, debug.Stack())
		}
	}()
	data, err := t.Read(rel)
	if err != nil {
		app.Notef(model.NoteError, model.Pos{File: rel}, "not read: %v", err)
		return app
	}
	load(app, t, opts, data)
	return app
}

// load parses and models a config's content into app; fs reads the files
// that ${file()} names.
func load(app *model.Application, fs fileReader, opts loader.Options, data []byte) {
	rel := app.File
	root, err := yamlx.Parse(rel, data, yamlx.DefaultLimits)
	if err != nil {
		line, msg := 0, err.Error()
		if pe, ok := err.(*yamlx.Error); ok {
			line, msg = pe.Line, pe.Msg
		}
		app.Notef(model.NoteError, model.Pos{File: rel, Line: line}, "not parsed: %s", msg)
		return
	}
	if root == nil || root.Kind != yaml.MappingNode {
		app.Notef(model.NoteError, yamlx.Pos(rel, root), "not a Serverless config: the top level is not a mapping")
		return
	}
	build(app, fs, opts, root)
}

// builder holds the state of modelling one config.
type builder struct {
	r    *resolver
	app  *model.Application
	root *yaml.Node // as parsed
	prov *yaml.Node // provider, resolved

	service string
	stage   string
	region  string

	perFunctionPlugin bool
	defaultInherit    bool
	throttlingPlugin  bool

	sharedRole    *model.Role
	providerRole  model.Str // provider.role / provider.iam.role as a name or ARN
	providerStmts []*model.Statement
	providerMgd   []model.Str
	sharedLogs    []string // log group names granted to the shared role
	sharedVPC     bool

	restAPI, httpAPI, wsAPI *model.Resource
	byID                    map[string]*model.Resource
	wsTriggers              []*model.Trigger
	wsConnect               *model.Trigger
	pending                 []*model.Statement // event-source grants of the function being built
}

func (b *builder) pos(n *yaml.Node) model.Pos { return b.r.pos(n) }

// get returns the resolved value of key in a resolved mapping.
func get(n *yaml.Node, keys ...string) *yaml.Node { return yamlx.Path(n, keys...) }

func build(app *model.Application, fs fileReader, opts loader.Options, root *yaml.Node) {
	r := newResolver(fs, opts, app.File, root)
	b := &builder{r: r, app: app, root: root, byID: map[string]*model.Resource{}}
	defer func() { app.Notes = append(app.Notes, r.notes...) }()

	if k, _ := yamlx.GetKey(root, "provider"); k != nil {
		if vs := yamlx.Path(root, "provider", "variableSyntax"); vs != nil {
			app.Notef(model.NoteInfo, yamlx.Pos(app.File, vs), "provider.variableSyntax (a v1/v2 custom variable syntax) is not supported; the standard ${...} syntax is used")
		}
	}
	b.prov = r.Node(yamlx.Get(root, "provider"))
	if b.prov != nil && b.prov.Kind == yaml.ScalarNode && !isUnknown(b.prov) {
		// v1 allowed `provider: aws`.
		b.prov = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "name"}, b.prov}}
	}

	svc := r.Node(yamlx.Get(root, "service"))
	if svc != nil && svc.Kind == yaml.MappingNode {
		svc = get(svc, "name") // v1: service: {name: x}
	}
	if s := b.str(svc); s.IsKnown() {
		b.service = s.V
		app.Name = s.V
	} else if s.IsUnknown() {
		app.Notef(model.NoteInfo, s.Pos, "service name not resolved offline (%s); deployed names are unknown", s.Why)
	} else {
		app.Notef(model.NoteWarn, model.Pos{File: app.File, Line: 1}, "no service name: is this a Serverless config?")
	}

	switch st := r.effectiveStage(0); {
	case opts.Stage != "":
		b.stage = opts.Stage
		app.Stage = model.K(opts.Stage, model.Pos{File: app.File})
	case st.found():
		b.stage = st.node.Value
		if n := get(b.prov, "stage"); n != nil {
			app.Stage = b.str(n)
		}
	default:
		app.Stage = model.U[string](st.unknown, b.pos(get(b.prov, "stage")))
	}
	if reg := b.str(get(b.prov, "region")); reg.IsKnown() {
		b.region = reg.V
	} else if reg.IsAbsent() {
		b.region = opts.Vars["region"]
		if b.region == "" {
			b.region = defaultRegn
		}
	}

	switch name := strings.ToLower(b.str(get(b.prov, "name")).Or("aws")); name {
	case "aws":
	case "google":
		app.Provider = model.GCP
	case "azure":
		app.Provider = model.Azure
	default:
		app.Provider = model.Provider(name)
	}
	if app.Provider != model.AWS {
		app.Notef(model.NoteInfo, b.pos(get(b.prov, "name")), "provider %q: functions and events are modelled generically (IAM, APIs and logs of this provider are not)", app.Provider)
	}

	b.plugins()
	if app.Provider == model.AWS {
		b.providerIAM()
	}
	b.functions()
	if app.Provider == model.AWS {
		b.finishWebsocket()
		b.finishSharedRole()
		b.finishAPIs()
	}
	b.embedResources()
	app.Link()
}

// plugins notes the plugins whose behaviour the model reproduces.
func (b *builder) plugins() {
	n := b.r.Node(yamlx.Get(b.root, "plugins"))
	if m := get(n, "modules"); m != nil {
		n = m // plugins: {localPath, modules: [...]}
	}
	for _, p := range yamlx.Items(n) {
		switch strings.TrimSpace(p.Value) {
		case "serverless-iam-roles-per-function":
			b.perFunctionPlugin = true
		case "serverless-api-gateway-throttling":
			b.throttlingPlugin = true
		}
	}
	if b.perFunctionPlugin {
		inh := b.r.Node(yamlx.Path(b.root, "custom", "serverless-iam-roles-per-function", "defaultInherit"))
		b.defaultInherit = model.IsTrue(b.boolean(inh))
	}
}

// functions models every function; `functions` may be a mapping or, as
// with ${file()} includes, a list of mappings.
func (b *builder) functions() {
	fk, fv := yamlx.GetKey(b.root, "functions")
	if fk == nil {
		return
	}
	n := b.r.Node(fv)
	if isUnknown(n) {
		b.app.Notef(model.NoteWarn, b.pos(n), "functions not resolved offline (%s); no function modelled", n.Value)
		return
	}
	var maps []*yaml.Node
	if n != nil && n.Kind == yaml.SequenceNode {
		maps = n.Content
	} else {
		maps = []*yaml.Node{n}
	}
	seen := map[string]bool{}
	for _, m := range maps {
		for _, p := range yamlx.Pairs(m) {
			if seen[p.Key.Value] {
				b.app.Notef(model.NoteWarn, b.pos(p.Key), "function %q declared twice; the first declaration is modelled", p.Key.Value)
				continue
			}
			seen[p.Key.Value] = true
			b.function(p.Key, p.Value)
		}
	}
}

// embedResources hands the resources: section to the CloudFormation loader,
// one fragment per file it comes from.
func (b *builder) embedResources() {
	k, v := yamlx.GetKey(b.root, "resources")
	if k == nil || yamlx.IsNull(v) {
		return
	}
	add := func(n *yaml.Node) {
		if n == nil || yamlx.IsNull(n) {
			return
		}
		if isUnknown(n) {
			b.app.Notef(model.NoteInfo, b.pos(n), "resources fragment not resolved offline (%s); not modelled", n.Value)
			return
		}
		b.app.Embedded = append(b.app.Embedded, model.Embedded{Format: "cloudformation", File: b.r.fileOf(n), Node: n, Resolve: b.r.String})
	}
	one := func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			add(b.r.Node(n)) // ${file(resources.yml)}
			return
		}
		add(n)
	}
	if v.Kind == yaml.SequenceNode {
		for _, c := range v.Content {
			one(yamlx.Deref(c))
		}
		return
	}
	one(v)
}

// addResource adds a resource once per ID and returns the one kept.
func (b *builder) addResource(r *model.Resource) *model.Resource {
	if old, ok := b.byID[r.ID]; ok {
		return old
	}
	b.byID[r.ID] = r
	b.app.Resources = append(b.app.Resources, r)
	return r
}

// deployedName is the framework's function name <service>-<stage>-<key>.
func (b *builder) deployedName(key string, at model.Pos) model.Str {
	if b.service == "" || b.stage == "" {
		return model.U[string](fmt.Sprintf("${self:service}-${sls:stage}-%s", key), at)
	}
	return model.K(b.service+"-"+b.stage+"-"+key, at)
}
