package serverless

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// either returns the function's own setting, else the provider default.
func (b *builder) either(fn *yaml.Node, key string) *yaml.Node {
	if v, ok := lookup(fn, key); ok {
		return v
	}
	v, _ := lookup(b.prov, key)
	return v
}

// lookup returns a key's value and whether the key is written at all.
func lookup(n *yaml.Node, key string) (*yaml.Node, bool) {
	k, v := yamlx.GetKey(n, key)
	return v, k != nil
}

func (b *builder) function(key, raw *yaml.Node) {
	fn := &model.Function{ID: key.Value, Pos: b.pos(key)}
	b.app.Functions = append(b.app.Functions, fn)
	fn.Stage = b.app.Stage
	v := b.r.Node(raw)
	if isUnknown(v) {
		b.app.Notef(model.NoteWarn, b.pos(v), "function %s not resolved offline (%s); modelled without settings", key.Value, v.Value)
		v = nil
	} else if v != nil && v.Kind != yaml.MappingNode && !yamlx.IsNull(v) {
		b.app.Notef(model.NoteWarn, b.pos(v), "function %s is not a mapping; modelled without settings", key.Value)
		v = nil
	}

	if n := get(v, "name"); n != nil {
		fn.Name = b.str(n)
	} else {
		fn.Name = b.deployedName(key.Value, fn.Pos)
	}
	fn.Handler = b.str(get(v, "handler"))
	if img := get(v, "image"); img != nil {
		if img.Kind == yaml.MappingNode {
			if u := get(img, "uri"); u != nil {
				fn.Image = b.str(u)
			} else {
				fn.Image = b.str(get(img, "name"))
			}
		} else {
			fn.Image = b.str(img)
		}
	}
	if b.app.Provider == model.AWS && fn.Image.IsAbsent() {
		fn.Runtime = b.str(b.either(v, "runtime"))
	} else if b.app.Provider != model.AWS {
		fn.Runtime = b.str(b.either(v, "runtime"))
	}
	fn.Artifact = b.str(get(v, "package", "artifact"))
	fn.Architecture = b.str(b.either(v, "architecture"))
	fn.Timeout = b.num(b.either(v, "timeout"))
	fn.MemoryMB = b.num(b.either(v, "memorySize"))
	fn.ReservedConcurrency = b.num(get(v, "reservedConcurrency"))
	if pc := get(v, "provisionedConcurrency"); pc != nil {
		fn.ProvisionedConcurrency = b.num(pc)
	}
	fn.KMSKey = b.str(b.either(v, "kmsKeyArn"))
	fn.Environment = b.environment(v)
	fn.Tags = b.tags(v)
	fn.Layers = b.strs(b.either(v, "layers"))
	fn.VPC = b.vpc(b.either(v, "vpc"))
	fn.Tracing = b.tracing(v)
	fn.DeadLetter = b.ref(get(v, "onError"))
	fn.MaxRetryAttempts = b.num(get(v, "maximumRetryAttempts"))
	fn.MaxEventAge = b.num(get(v, "maximumEventAge"))
	if d := get(v, "destinations", "onFailure"); d != nil {
		fn.OnFailure = b.destination(d)
	}
	fn.URL = b.functionURL(get(v, "url"))

	if b.app.Provider == model.AWS {
		fn.LogGroup = b.logGroup(key.Value, fn, v)
	}
	for _, ev := range yamlx.Items(get(v, "events")) {
		if t := b.event(fn, ev); t != nil {
			fn.Triggers = append(fn.Triggers, t)
		}
	}
	if b.app.Provider == model.AWS {
		b.assignRole(fn, key, v)
	}
}

// environment merges provider and function variables; the function's win.
func (b *builder) environment(fn *yaml.Node) []model.EnvVar {
	var out []model.EnvVar
	idx := map[string]int{}
	for _, src := range []*yaml.Node{get(b.prov, "environment"), get(fn, "environment")} {
		if isUnknown(src) {
			out = append(out, model.EnvVar{Name: "*", Value: b.str(src), Pos: b.pos(src)})
			continue
		}
		for _, p := range yamlx.Pairs(src) {
			ev := model.EnvVar{Name: p.Key.Value, Value: b.str(p.Value), Pos: b.pos(p.Key)}
			ev.FromSecretStore = fromSecretStore(ev.Value)
			if i, ok := idx[ev.Name]; ok {
				out[i] = ev
				continue
			}
			idx[ev.Name] = len(out)
			out = append(out, ev)
		}
	}
	return out
}

// fromSecretStore reports whether an env value is fetched from SSM or
// Secrets Manager rather than written in the config.
func fromSecretStore(v model.Str) bool {
	s := v.V
	if v.IsUnknown() {
		s = v.Why
	}
	for _, p := range []string{"${ssm", "${secretsmanager", "${aws:reference", "{{resolve:ssm", "{{resolve:secretsmanager"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func (b *builder) tags(fn *yaml.Node) map[string]model.Str {
	var out map[string]model.Str
	for _, src := range []*yaml.Node{get(b.prov, "tags"), get(fn, "tags")} {
		for _, p := range yamlx.Pairs(src) {
			if out == nil {
				out = map[string]model.Str{}
			}
			out[p.Key.Value] = b.str(p.Value)
		}
	}
	return out
}

func (b *builder) vpc(n *yaml.Node) *model.VPCConfig {
	if n == nil || yamlx.IsNull(n) {
		return nil
	}
	c := &model.VPCConfig{Pos: b.pos(n)}
	if isUnknown(n) {
		c.SubnetIDs = []model.Str{b.str(n)}
		return c
	}
	c.SubnetIDs = b.strs(get(n, "subnetIds"))
	c.SecurityGroupIDs = b.strs(get(n, "securityGroupIds"))
	return c
}

// tracing reads a function's tracing (Active | PassThrough | bool), else
// provider.tracing.lambda.
func (b *builder) tracing(fn *yaml.Node) model.Bool {
	n, ok := lookup(fn, "tracing")
	if !ok {
		n = get(b.prov, "tracing", "lambda")
	}
	if n == nil {
		return model.Bool{}
	}
	if n.Kind == yaml.ScalarNode && !isUnknown(n) {
		switch strings.ToLower(n.Value) {
		case "active":
			return model.K(true, b.pos(n))
		case "passthrough":
			return model.K(false, b.pos(n))
		}
	}
	return b.boolean(n)
}

// destination reads an onFailure destination: an ARN, a function of the
// service, or {type, arn}.
func (b *builder) destination(n *yaml.Node) model.Str {
	if n.Kind == yaml.MappingNode {
		if _, ok := intrinsic(n); !ok {
			return b.ref(get(n, "arn"))
		}
	}
	return b.ref(n)
}

// functionURL reads url: true | {authorizer: aws_iam, cors}. Without an
// authorizer the URL's auth type is NONE.
func (b *builder) functionURL(n *yaml.Node) *model.FunctionURL {
	if n == nil || yamlx.IsNull(n) {
		return nil
	}
	u := &model.FunctionURL{Pos: b.pos(n)}
	switch {
	case isUnknown(n):
		u.AuthType = b.str(n)
		return u
	case n.Kind == yaml.ScalarNode:
		on := b.boolean(n)
		if model.IsFalse(on) {
			return nil
		}
		if !on.IsKnown() {
			u.AuthType = model.U[string](on.Why, on.Pos)
			return u
		}
		u.AuthType = model.K("NONE", b.pos(n))
		return u
	}
	if a := get(n, "authorizer"); a != nil {
		s := b.str(a)
		if s.IsKnown() {
			if strings.EqualFold(s.V, "aws_iam") {
				s.V = "AWS_IAM"
			} else {
				s.V = strings.ToUpper(s.V)
			}
		}
		u.AuthType = s
	} else {
		u.AuthType = model.K("NONE", b.pos(n))
	}
	if c, ok := lookup(n, "cors"); ok {
		u.CORS = b.cors(c, "allowedOrigins", "allowedHeaders", "allowedMethods", "allowCredentials")
	}
	return u
}

// cors reads `cors: true` (any origin) or a CORS object with the given key
// names; an object without origins allows any origin, as the framework does.
func (b *builder) cors(n *yaml.Node, origins, headers, methods, creds string) *model.CORS {
	if n == nil || yamlx.IsNull(n) {
		return nil
	}
	c := &model.CORS{Pos: b.pos(n)}
	if n.Kind == yaml.ScalarNode {
		on := b.boolean(n)
		switch {
		case model.IsFalse(on):
			return nil
		case on.IsKnown():
			c.Origins = []model.Str{model.K("*", b.pos(n))}
		default:
			c.Origins = []model.Str{model.U[string](on.Why, on.Pos)}
		}
		return c
	}
	if o, ok := lookup(n, origins); ok {
		c.Origins = b.strs(o)
	} else if o, ok := lookup(n, "origin"); ok {
		c.Origins = b.strs(o)
	} else if o, ok := lookup(n, "origins"); ok {
		c.Origins = b.strs(o)
	} else {
		c.Origins = []model.Str{model.K("*", b.pos(n))}
	}
	c.Headers = b.strs(get(n, headers))
	c.Methods = b.strs(get(n, methods))
	c.Credentials = b.boolean(get(n, creds))
	return c
}

// logGroup models the log group Lambda writes to, /aws/lambda/<name>,
// which the framework creates with the retention of logRetentionInDays.
func (b *builder) logGroup(key string, fn *model.Function, v *yaml.Node) *model.Resource {
	lg := &model.Resource{
		ID: normalize(key) + "LogGroup", Kind: model.ResLogGroup, Type: "AWS::Logs::LogGroup",
		Pos: fn.Pos, Implicit: true,
	}
	if fn.Name.IsKnown() {
		lg.Name = model.K("/aws/lambda/"+fn.Name.V, fn.Pos)
	} else {
		lg.Name = model.U[string]("/aws/lambda/"+fn.Name.Why, fn.Pos)
	}
	lg.RetentionDays = b.num(b.either(v, "logRetentionInDays"))
	return b.addResource(lg)
}
