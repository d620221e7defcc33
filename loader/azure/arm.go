package azure

import (
	"bytes"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// arm resolves the values of one ARM template.
type arm struct {
	file   string
	params map[string]*yaml.Node
	pset   map[string]string // --params / --var overrides
	vars   map[string]*yaml.Node
	depth  int
}

// resolve returns the node a value stands for: [parameters('x')] and
// [variables('y')] are followed to literal values; other expressions are
// unresolved (why says which).
func (a *arm) resolve(n *yaml.Node) (out *yaml.Node, why string) {
	n = yamlx.Deref(n)
	for hops := 0; hops < 16; hops++ {
		if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!str" || !strings.HasPrefix(n.Value, "[") || strings.HasPrefix(n.Value, "[[") {
			return n, ""
		}
		m := exprRE.FindStringSubmatch(n.Value)
		if m == nil {
			return nil, n.Value
		}
		switch m[1] {
		case "parameters":
			if v, ok := a.pset[m[2]]; ok {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: n.Line, Column: n.Column}, ""
			}
			p, ok := a.params[m[2]]
			if !ok {
				return nil, n.Value
			}
			d := yamlx.Get(p, "defaultValue")
			if d == nil {
				return nil, n.Value
			}
			n = d
		case "variables":
			v, ok := a.vars[m[2]]
			if !ok {
				return nil, n.Value
			}
			n = v
		}
	}
	return nil, "expression nested too deeply"
}

func (a *arm) str(n *yaml.Node) model.Str {
	if n == nil {
		return model.Str{}
	}
	pos := yamlx.Pos(a.file, n)
	v, why := a.resolve(n)
	if v == nil {
		return model.U[string](why, pos)
	}
	if !yamlx.IsScalar(v) {
		return model.U[string]("not a string", pos)
	}
	return model.K(v.Value, pos)
}

func (a *arm) boolean(n *yaml.Node) model.Bool {
	if n == nil {
		return model.Bool{}
	}
	pos := yamlx.Pos(a.file, n)
	v, why := a.resolve(n)
	if v == nil {
		return model.U[bool](why, pos)
	}
	if b, ok := yamlx.Bool(v); ok {
		return model.K(b, pos)
	}
	return model.U[bool]("not a boolean: "+v.Value, pos)
}

func (a *arm) get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		r, _ := a.resolve(n)
		n = getFold(r, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// getFold looks a key up case-insensitively, as ARM property names are.
func getFold(n *yaml.Node, key string) *yaml.Node {
	for _, p := range yamlx.Pairs(n) {
		if strings.EqualFold(p.Key.Value, key) {
			return p.Value
		}
	}
	return nil
}

// looksLikeARM is a cheap test before parsing.
func looksLikeARM(data []byte) bool {
	l := bytes.ToLower(data)
	return bytes.Contains(l, []byte("deploymenttemplate")) && bytes.Contains(l, []byte("microsoft.web/sites"))
}

// loadARMFile models the Microsoft.Web/sites of an ARM template.
func loadARMFile(t *loader.Tree, f loader.File, opts loader.Options) (app *model.Application) {
	if t.ClaimedBy(f.Rel) != "" || strings.EqualFold(f.Base(), "function.json") || strings.EqualFold(f.Base(), "host.json") || strings.EqualFold(f.Base(), "local.settings.json") {
		return nil
	}
	data, err := t.Read(f.Rel)
	if err != nil || !looksLikeARM(data) || !t.Claim(f.Rel, "azure") {
		return nil
	}
	name := strings.TrimSuffix(f.Base(), path.Ext(f.Base()))
	app = &model.Application{Name: name, Format: "arm", Provider: model.Azure, File: f.Rel, Dir: path.Dir(f.Rel)}
	defer guard(app, f.Rel)
	root := parseJSON(t, app, f.Rel)
	if root == nil {
		return app
	}
	buildARM(app, root, f.Rel, opts)
	return app
}

// buildARM models the sites of an ARM-shaped template root (ARM JSON, or
// Bicep read into the same shape).
func buildARM(app *model.Application, root *yaml.Node, file string, opts loader.Options) {
	a := &arm{file: file, params: map[string]*yaml.Node{}, vars: map[string]*yaml.Node{}, pset: map[string]string{}}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "parameters")) {
		a.params[p.Key.Value] = p.Value
	}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "variables")) {
		a.vars[p.Key.Value] = p.Value
	}
	for k, v := range opts.Params {
		a.pset[k] = v
	}
	for k, v := range opts.Vars {
		a.pset[k] = v
	}
	b := &armBuilder{a: a, app: app, sites: map[string]*model.Function{}, symbols: map[string]string{}}
	b.walk(yamlx.Get(root, "resources"), "", 0)
	for _, c := range b.configs {
		b.applyConfig(c)
	}
	app.Link()
}

type armConfig struct {
	site  string
	name  string
	props *yaml.Node
	pos   model.Pos
}

type armBuilder struct {
	a       *arm
	app     *model.Application
	sites   map[string]*model.Function
	symbols map[string]string // Bicep symbolic name -> site ID
	configs []armConfig
}

// walk visits resources, nested ones with their parent site's name.
func (b *armBuilder) walk(list *yaml.Node, parent string, depth int) {
	if depth > 8 {
		return
	}
	for _, r := range yamlx.Items(list) {
		typ := b.a.str(yamlx.Get(r, "type"))
		name := b.a.str(yamlx.Get(r, "name"))
		nameText := name.V
		if !name.IsKnown() {
			nameText = name.Why
		}
		t := strings.ToLower(typ.V)
		switch {
		case t == "microsoft.web/sites" || t == "microsoft.web/sites/slots" || (parent != "" && t == "slots"):
			fn := b.site(r, name, nameText)
			if sym := yamlx.Get(r, "$symbol"); sym != nil {
				b.symbols[sym.Value] = fn.ID
			}
			b.walk(yamlx.Get(r, "resources"), fn.ID, depth+1)
		case t == "microsoft.web/sites/config":
			// "site/web", or "[concat(parameters('site'), '/web')]" when the
			// site's name is an expression: the config name is the last segment.
			site, cfg, _ := strings.Cut(nameText, "/")
			if par := yamlx.Get(r, "parent"); par != nil { // Bicep: parent: site
				site, cfg = b.symbols[strings.Trim(par.Value, "[]")], nameText
			}
			if i := strings.LastIndexByte(nameText, '/'); i >= 0 && !name.IsKnown() {
				cfg = strings.TrimRight(nameText[i+1:], "')] ")
			}
			b.configs = append(b.configs, armConfig{site: site, name: cfg, props: yamlx.Get(r, "properties"), pos: yamlx.Pos(b.a.file, r)})
		case parent != "" && t == "config":
			b.configs = append(b.configs, armConfig{site: parent, name: nameText, props: yamlx.Get(r, "properties"), pos: yamlx.Pos(b.a.file, r)})
		default:
			b.walk(yamlx.Get(r, "resources"), "", depth+1)
		}
	}
}

func (b *armBuilder) site(r *yaml.Node, name model.Str, id string) *model.Function {
	a := b.a
	fn := &model.Function{ID: id, Name: name, Pos: yamlx.Pos(a.file, r)}
	if kind := a.str(yamlx.Get(r, "kind")); !kind.IsAbsent() {
		fn.Tags = map[string]model.Str{"azure.kind": kind}
	}
	p := &fn.Platform
	p.Declared = true
	props := a.get(r, "properties")
	p.HTTPSOnly = a.boolean(getFold(props, "httpsOnly"))
	if ce := a.boolean(getFold(props, "clientCertEnabled")); model.IsFalse(ce) {
		p.ClientCertMode = model.K("Disabled", ce.Pos)
	} else if m := a.str(getFold(props, "clientCertMode")); !m.IsAbsent() {
		p.ClientCertMode = m
	} else if ce.IsKnown() {
		p.ClientCertMode = model.K("Required", ce.Pos)
	}
	b.siteConfig(fn, a.get(props, "siteConfig"))
	if t := a.str(a.get(r, "identity", "type")); t.IsKnown() {
		p.ManagedIdentity = model.K(strings.Contains(strings.ToLower(t.V), "assigned"), t.Pos)
	} else if t.IsUnknown() {
		p.ManagedIdentity = model.U[bool](t.Why, t.Pos)
	}
	b.sites[id] = fn
	b.app.Functions = append(b.app.Functions, fn)
	return fn
}

// siteConfig applies siteConfig properties (or a "web" config resource).
func (b *armBuilder) siteConfig(fn *model.Function, sc *yaml.Node) {
	if sc == nil {
		return
	}
	a, p := b.a, &fn.Platform
	if v := a.str(getFold(sc, "minTlsVersion")); !v.IsAbsent() {
		p.MinTLSVersion = v
	}
	if v := a.str(getFold(sc, "ftpsState")); !v.IsAbsent() {
		p.FTPSState = v
	}
	if v := a.boolean(getFold(sc, "remoteDebuggingEnabled")); !v.IsAbsent() {
		p.RemoteDebugging = v
	}
	if v := a.boolean(getFold(sc, "http20Enabled")); !v.IsAbsent() {
		if fn.Tags == nil {
			fn.Tags = map[string]model.Str{}
		}
		fn.Tags["azure.http2"] = boolStr(v)
	}
	if c := getFold(sc, "cors"); c != nil {
		cors := &model.CORS{Pos: yamlx.Pos(a.file, c), Credentials: a.boolean(getFold(c, "supportCredentials"))}
		ao := getFold(c, "allowedOrigins")
		if res, why := a.resolve(ao); res != nil {
			for _, o := range yamlx.Items(res) {
				cors.Origins = append(cors.Origins, a.str(o))
			}
		} else if ao != nil {
			cors.Origins = []model.Str{model.U[string](why, yamlx.Pos(a.file, ao))}
		}
		p.CORS = cors
	}
	if as := getFold(sc, "appSettings"); as != nil {
		res, why := a.resolve(as)
		if res == nil {
			b.app.Notef(model.NoteInfo, yamlx.Pos(a.file, as), "appSettings of %s not resolved (%s)", fn.ID, why)
		}
		for _, s := range yamlx.Items(res) {
			n := a.str(getFold(s, "name"))
			if !n.IsKnown() {
				continue
			}
			v := a.str(getFold(s, "value"))
			fn.Environment = append(fn.Environment, model.EnvVar{Name: n.V, Value: v, Pos: n.Pos, FromSecretStore: isKeyVaultRef(v)})
		}
	}
}

func isKeyVaultRef(v model.Str) bool {
	return v.IsKnown() && strings.HasPrefix(v.V, "@Microsoft.KeyVault(")
}

func boolStr(v model.Bool) model.Str {
	switch v.State {
	case model.Known:
		if v.V {
			return model.K("true", v.Pos)
		}
		return model.K("false", v.Pos)
	case model.Unknown:
		return model.U[string](v.Why, v.Pos)
	}
	return model.Str{}
}

// applyConfig applies a Microsoft.Web/sites/config resource to its site.
func (b *armBuilder) applyConfig(c armConfig) {
	fn := b.sites[c.site]
	if fn == nil {
		// a site named by an expression: match the only site, if there is one
		if len(b.sites) == 1 {
			for _, f := range b.sites {
				fn = f
			}
		} else {
			b.app.Notef(model.NoteInfo, c.pos, "config %q of site %q: site not found in this template", c.name, c.site)
			return
		}
	}
	a := b.a
	props, why := a.resolve(c.props)
	if props == nil && c.props != nil {
		b.app.Notef(model.NoteInfo, c.pos, "config %q of %s not resolved (%s)", c.name, fn.ID, why)
		return
	}
	switch strings.ToLower(c.name) {
	case "web":
		b.siteConfig(fn, props)
	case "authsettings":
		fn.Platform.AuthEnabled = a.boolean(getFold(props, "enabled"))
		if fn.Platform.AuthEnabled.IsAbsent() {
			fn.Platform.AuthEnabled = model.K(false, c.pos)
		}
	case "authsettingsv2":
		fn.Platform.AuthEnabled = a.boolean(a.get(props, "platform", "enabled"))
		if fn.Platform.AuthEnabled.IsAbsent() {
			fn.Platform.AuthEnabled = model.K(false, c.pos)
		}
	case "appsettings":
		var names []string
		pairs := map[string]yamlx.Pair{}
		for _, p := range yamlx.Pairs(props) {
			names = append(names, p.Key.Value)
			pairs[p.Key.Value] = p
		}
		sort.Strings(names)
		for _, n := range names {
			p := pairs[n]
			v := a.str(p.Value)
			fn.Environment = append(fn.Environment, model.EnvVar{Name: n, Value: v, Pos: yamlx.Pos(a.file, p.Key), FromSecretStore: isKeyVaultRef(v)})
		}
	}
}
