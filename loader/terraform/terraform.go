// Package terraform loads Terraform configurations (.tf, .tf.json, .tfvars)
// into the model: AWS Lambda and its surroundings, Azure function apps and
// Google Cloud functions / Cloud Run services.
//
// Each directory holding .tf files is a module; a module that no other
// module of the tree calls as a local source is a root module and becomes
// one application. Expressions are evaluated offline with the variables'
// defaults, .tfvars files and -var values; whatever depends on the cloud
// (data sources, remote state, attributes known after apply, registry
// module outputs) stays Unknown, except that references to attributes of
// resources the configuration declares evaluate to "${address.attr}"
// placeholders, which is how resources are linked to each other.
package terraform

import (
	"context"
	"fmt"
	"path"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

func init() { loader.Register(Loader{}, 30) }

// Loader is the Terraform loader.
type Loader struct{}

// Name implements loader.Loader.
func (Loader) Name() string { return "terraform" }

// Load implements loader.Loader.
func (Loader) Load(ctx context.Context, t *loader.Tree, opts loader.Options) []*model.Application {
	byDir := map[string][]loader.File{}
	for _, f := range t.Files() {
		if !isTF(f) && !isTFVars(f) {
			continue
		}
		if !t.Claim(f.Rel, "terraform") {
			continue
		}
		d := path.Dir(f.Rel)
		byDir[d] = append(byDir[d], f)
	}
	mods := map[string]*module{}
	var dirs []string
	for d, fs := range byDir {
		if ctx.Err() != nil {
			return nil
		}
		m := safeParse(t, d, fs)
		if len(m.files) == 0 {
			continue // only variable files
		}
		mods[d] = m
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var apps []*model.Application
	for _, d := range roots(mods, dirs) {
		if ctx.Err() != nil {
			break
		}
		if app := loadRoot(t, opts, mods, mods[d]); app != nil {
			apps = append(apps, app)
		}
	}
	return apps
}

func safeParse(t *loader.Tree, dir string, fs []loader.File) (m *module) {
	defer func() {
		if p := recover(); p != nil {
			m = &module{dir: dir, src: map[string][]byte{}, vars: map[string]*varDecl{}, locals: map[string]*hcl.Attribute{}, outputs: map[string]*hcl.Attribute{}}
			for _, f := range fs {
				m.files = append(m.files, f.Rel)
			}
			m.note(model.NoteError, model.Pos{File: dir}, "internal error parsing the module: %v", p)
		}
	}()
	return parseModule(t, dir, fs)
}

// roots returns the modules no other module calls as a local source, plus
// one module of each group that only calls itself in a cycle.
func roots(mods map[string]*module, dirs []string) []string {
	called := map[string]bool{}
	edges := map[string][]string{}
	for _, d := range dirs {
		for _, rb := range mods[d].mods {
			if src, _, ok := moduleSource(rb); ok && isLocalSource(src) {
				c := path.Clean(path.Join(d, src))
				if c != d {
					called[c] = true
				}
				edges[d] = append(edges[d], c)
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		for _, c := range edges[d] {
			visit(c)
		}
	}
	for _, d := range dirs {
		if !called[d] {
			out = append(out, d)
			visit(d)
		}
	}
	for _, d := range dirs { // modules reachable only through a cycle
		if !seen[d] {
			out = append(out, d)
			visit(d)
		}
	}
	return out
}

func appFile(m *module) string {
	for _, f := range m.files {
		if path.Base(f) == "main.tf" {
			return f
		}
	}
	return m.files[0]
}

func loadRoot(t *loader.Tree, opts loader.Options, mods map[string]*module, m *module) (app *model.Application) {
	name := path.Base(m.dir)
	if m.dir == "." {
		name = path.Base(t.Root)
	}
	app = &model.Application{Name: name, Format: "terraform", Provider: model.AWS, File: appFile(m), Dir: m.dir}
	defer func() {
		if p := recover(); p != nil {
			app.Notef(model.NoteError, model.Pos{File: app.File}, "internal error loading the module: %v\n%s", p, firstLines(string(debug.Stack()), 8))
		}
	}()
	st := newState(t, opts, app, mods)
	root := newModInst(st, m, "", 0, []string{m.dir})
	root.index()
	st.rootVars(root)
	root.finishVars()
	st.insts = []*modInst{root}
	for i := 0; i < len(st.insts); i++ {
		mi := st.insts[i]
		for _, rb := range mi.mod.mods {
			e := mi.ents["module."+rb.name]
			for _, in := range mi.instances(e) {
				mi.callModule(in)
			}
		}
	}
	used := map[string]bool{}
	for _, mi := range st.insts {
		if !used[mi.mod.dir] {
			used[mi.mod.dir] = true
			app.Notes = append(app.Notes, mi.mod.notes...)
		}
	}
	b := newBuilder(st)
	b.build()
	app.Provider = b.provider()
	app.Link()
	if len(app.Functions) == 0 && len(app.Roles) == 0 && len(app.Resources) == 0 && len(app.Permissions) == 0 && len(app.Unlinked) == 0 && !hasErrors(app) {
		return nil
	}
	return app
}

func hasErrors(a *model.Application) bool {
	for _, n := range a.Notes {
		if n.Level == model.NoteError {
			return true
		}
	}
	return false
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}

// rootVars sets the root module's variables from .tfvars files and -var.
func (st *state) rootVars(mi *modInst) {
	for _, rel := range mi.mod.tfvars {
		data, err := st.t.Read(rel)
		if err != nil {
			st.note(model.NoteWarn, model.Pos{File: rel}, "variables file not read: %v", err)
			continue
		}
		f, diags := parseHCL(rel, data)
		if diags.HasErrors() {
			for i, d := range errDiags(diags) {
				if i >= 5 {
					break
				}
				p := model.Pos{File: rel}
				if d.Subject != nil {
					p = toPos(*d.Subject)
				}
				st.note(model.NoteError, p, "%s", d.Summary)
			}
		}
		if f == nil || f.Body == nil {
			continue
		}
		attrs, _ := f.Body.JustAttributes()
		for n, a := range attrs {
			if _, declared := mi.mod.vars[n]; !declared {
				continue
			}
			v, d := a.Expr.Value(nil)
			if d.HasErrors() {
				st.note(model.NoteInfo, toPos(a.Range), "value of variable %q not resolved", n)
				continue
			}
			mi.vars[n] = v
		}
	}
	keys := make([]string, 0, len(st.opts.Vars))
	for k := range st.opts.Vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, declared := mi.mod.vars[k]; declared {
			mi.vars[k] = parseVarValue(st.opts.Vars[k])
		}
	}
}

// builder maps the instances of every module instance into the model.
type builder struct {
	st   *state
	app  *model.Application
	fns  map[string]*model.Function
	role map[string]*model.Role
	res  map[string]*model.Resource
	// policies are customer managed policies (aws_iam_policy) by address.
	policies map[string]*managedPolicy
	// later runs after every primary object exists (attachments, links).
	later []func()
	kinds map[string]int
	apis  *apiState
}

type managedPolicy struct {
	name  model.Str
	stmts []*model.Statement
}

func newBuilder(st *state) *builder {
	return &builder{st: st, app: st.app, fns: map[string]*model.Function{}, role: map[string]*model.Role{}, res: map[string]*model.Resource{}, policies: map[string]*managedPolicy{}, kinds: map[string]int{}}
}

func (b *builder) provider() model.Provider {
	switch {
	case b.kinds["azurerm"] > b.kinds["aws"] && b.kinds["azurerm"] >= b.kinds["google"]:
		return model.Azure
	case b.kinds["google"] > b.kinds["aws"]:
		return model.GCP
	}
	return model.AWS
}

func (b *builder) build() {
	for _, mi := range b.st.insts {
		for _, rb := range mi.mod.res {
			b.kinds[strings.SplitN(rb.typ, "_", 2)[0]]++
			h, ok := handlers[rb.typ]
			if !ok {
				continue
			}
			for _, in := range mi.instances(mi.ents[rb.typ+"."+rb.name]) {
				o := newObj(&scope{mi: mi, inst: in}, rb.body, rb.pos)
				b.safe(in, func() { h(b, in, o) })
			}
		}
		for _, rb := range mi.mod.mods {
			src, spos, ok := moduleSource(rb)
			if !ok || isLocalSource(src) {
				continue
			}
			for _, in := range mi.instances(mi.ents["module."+rb.name]) {
				o := newObj(&scope{mi: mi, inst: in}, rb.body, rb.pos)
				if isLambdaModule(src) {
					b.kinds["aws"]++
					b.safe(in, func() { b.lambdaModule(in, o) })
				} else {
					b.st.note(model.NoteInfo, spos, "module %s from %q is not in the scanned tree: its resources are not modelled", in.addr, src)
				}
			}
		}
	}
	for i := 0; i < len(b.later); i++ {
		b.later[i]()
	}
	b.finishFunctions()
}

func (b *builder) safe(in *instance, f func()) {
	defer func() {
		if p := recover(); p != nil {
			b.app.Notef(model.NoteError, in.e.rb.pos, "internal error modelling %s: %v", in.addr, p)
		}
	}()
	f()
}

// handlers map resource types to their modelling.
var handlers = map[string]func(b *builder, in *instance, o *obj){}

func register(f func(b *builder, in *instance, o *obj), types ...string) {
	for _, t := range types {
		handlers[t] = f
	}
}

func (b *builder) addRes(in *instance, kind model.ResourceKind, o *obj) *model.Resource {
	r := &model.Resource{ID: in.addr, Kind: kind, Type: in.e.rb.typ, Pos: in.e.rb.pos}
	b.res[in.addr] = r
	b.app.Resources = append(b.app.Resources, r)
	return r
}

// addrOf returns the address a placeholder value refers to.
func addrOf(s model.Str) string {
	if !s.IsKnown() {
		return ""
	}
	if a, _, ok := parseSymbolic(s.V); ok {
		return a
	}
	// "integrations/${aws_apigatewayv2_integration.x.id}" and ARNs built
	// around a placeholder.
	if i := strings.Index(s.V, "${"); i >= 0 {
		if j := strings.IndexByte(s.V[i:], '}'); j > 0 {
			if a, _, ok := parseSymbolic(s.V[i : i+j+1]); ok {
				return a
			}
		}
	}
	return ""
}

// fnFor finds the function a value names: placeholder, name or ARN.
func (b *builder) fnFor(s model.Str) *model.Function {
	if a := addrOf(s); a != "" {
		if f := b.fns[a]; f != nil {
			return f
		}
		return nil
	}
	if !s.IsKnown() {
		return nil
	}
	name := s.V
	if i := strings.Index(name, ":function:"); i >= 0 {
		name = strings.SplitN(name[i+len(":function:"):], ":", 2)[0]
	}
	for _, f := range b.app.Functions {
		if f.Name.IsKnown() && f.Name.V == name {
			return f
		}
	}
	return nil
}

func (b *builder) roleFor(s model.Str) *model.Role {
	if a := addrOf(s); a != "" {
		return b.role[a]
	}
	if !s.IsKnown() {
		return nil
	}
	name := s.V
	if i := strings.LastIndex(name, ":role/"); i >= 0 {
		name = name[i+len(":role/"):]
		name = name[strings.LastIndexByte(name, '/')+1:]
	}
	for _, r := range b.app.Roles {
		if r.Name.IsKnown() && r.Name.V == name {
			return r
		}
	}
	return nil
}

func (b *builder) resFor(s model.Str) *model.Resource {
	if a := addrOf(s); a != "" {
		return b.res[a]
	}
	if !s.IsKnown() || s.V == "" {
		return nil
	}
	for _, r := range b.app.Resources {
		if (r.Name.IsKnown() && r.Name.V == s.V) || (r.ARN.IsKnown() && r.ARN.V == s.V) {
			return r
		}
	}
	return nil
}

// setNameARN records a resource's name and its ARN placeholder.
func setNameARN(r *model.Resource, in *instance, name model.Str) {
	r.Name = name
	if r.Name.IsAbsent() {
		r.Name = model.K(symbolic(in.addr, "name"), in.e.rb.pos)
	}
	r.ARN = model.K(symbolic(in.addr, "arn"), in.e.rb.pos)
}

func attr(r *model.Resource, k string, v model.Str) {
	if v.IsAbsent() {
		return
	}
	if r.Attrs == nil {
		r.Attrs = map[string]model.Str{}
	}
	r.Attrs[k] = v
}

func boolStr(v model.Bool) model.Str {
	switch v.State {
	case model.Known:
		return model.K(fmt.Sprint(v.V), v.Pos)
	case model.Unknown:
		return model.U[string](v.Why, v.Pos)
	}
	return model.Str{}
}

// env converts a map of environment variables.
func envVars(kvs []kv) []model.EnvVar {
	var out []model.EnvVar
	for _, e := range kvs {
		out = append(out, model.EnvVar{Name: e.key, Value: e.val, Pos: e.pos, FromSecretStore: isSecretRef(e.val)})
	}
	return out
}

// isSecretRef reports whether a value is a reference to a secret store
// rather than the secret itself.
func isSecretRef(v model.Str) bool {
	if !v.IsKnown() {
		return false
	}
	s := v.V
	return strings.HasPrefix(s, "@Microsoft.KeyVault(") || strings.HasPrefix(s, "{{resolve:") ||
		strings.Contains(s, "aws_secretsmanager_secret") || strings.Contains(s, "aws_ssm_parameter") ||
		strings.HasPrefix(s, "arn:aws:secretsmanager:") || strings.HasPrefix(s, "arn:aws:ssm:")
}
