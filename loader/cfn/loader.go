// Package cfn loads AWS CloudFormation templates (YAML and JSON), AWS SAM
// templates, CDK output (cdk.out/*.template.json) and the resources section
// of a serverless.yml into the application model. Intrinsic functions are
// evaluated three-valued: what cannot be known offline becomes Unknown, never
// a guess. See docs/cloudformation.md.
package cfn

import (
	"bytes"
	"context"
	"path"
	"runtime/debug"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// Name is the loader's format name.
const Name = "cloudformation"

func init() {
	l := &Loader{}
	loader.Register(l, 20)
	loader.RegisterEmbedded(Name, l)
}

// Loader is the CloudFormation / SAM / CDK loader.
type Loader struct{}

// Name implements loader.Loader.
func (*Loader) Name() string { return Name }

var templateExts = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// Load implements loader.Loader: every file that is a CloudFormation
// template and that no earlier loader claimed becomes one application.
func (l *Loader) Load(ctx context.Context, t *loader.Tree, opts loader.Options) []*model.Application {
	var apps []*model.Application
	for _, f := range t.Files() {
		if ctx.Err() != nil {
			break
		}
		if !templateExts[f.Ext()] || t.ClaimedBy(f.Rel) != "" {
			continue
		}
		data, err := t.Read(f.Rel)
		if err != nil {
			if looksLikeTemplateName(f.Rel) {
				t.Note(model.NoteWarn, model.Pos{File: f.Rel}, "template not read: %v", err)
			}
			continue
		}
		if !mayBeTemplate(data) {
			continue
		}
		if app := LoadFile(f.Rel, data, opts); app != nil && t.Claim(f.Rel, Name) {
			apps = append(apps, app)
		}
	}
	return apps
}

func looksLikeTemplateName(rel string) bool {
	b := strings.ToLower(path.Base(rel))
	return strings.HasSuffix(b, ".template.json") || strings.HasPrefix(b, "template.")
}

// mayBeTemplate is a cheap filter run before parsing, so that package.json,
// lockfiles and other YAML are not parsed for nothing.
func mayBeTemplate(data []byte) bool {
	if bytes.Contains(data, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return bytes.Contains(data, []byte("Resources")) &&
		(bytes.Contains(data, []byte("AWS::")) || bytes.Contains(data, []byte("Custom::")))
}

// LoadFile parses one file and returns its application, or nil when the
// file is not a CloudFormation template. A template that fails to parse is
// returned with an error note (when its text says it is a template).
func LoadFile(rel string, data []byte, opts loader.Options) (app *model.Application) {
	app = newApp(rel)
	defer func() {
		if p := recover(); p != nil {
			app.Notef(model.NoteError, model.Pos{File: rel}, "internal error while loading the template (please report): %v\n%s", p, firstLines(debug.Stack(), 8))
		}
	}()
	root, err := yamlx.Parse(rel, data, yamlx.DefaultLimits)
	if err != nil {
		if !bytes.Contains(data, []byte("AWSTemplateFormatVersion")) && !bytes.Contains(data, []byte("AWS::Serverless")) && !looksLikeTemplateName(rel) {
			return nil
		}
		line := 0
		if pe, ok := err.(*yamlx.Error); ok {
			line = pe.Line
		}
		app.Notef(model.NoteError, model.Pos{File: rel, Line: line}, "template not parsed: %v", err)
		return app
	}
	if !isTemplate(root) {
		return nil
	}
	if d := duplicateKey(root); d != nil {
		app.Notef(model.NoteError, yamlx.Pos(rel, d), "duplicate key %q: CloudFormation rejects the template; the last value is used here", d.Value)
	}
	build(app, rel, root, opts, nil)
	return app
}

func newApp(rel string) *model.Application {
	dir := path.Dir(rel)
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	name = strings.TrimSuffix(name, ".template")
	if name == "template" || name == "cloudformation" || name == "" {
		if dir == "." {
			name = "template"
		} else {
			name = path.Base(dir)
		}
	}
	return &model.Application{Name: name, Format: "cloudformation", Provider: model.AWS, File: rel, Dir: dir}
}

func firstLines(b []byte, n int) string {
	ls := strings.SplitN(string(b), "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}

// isTemplate reports whether a parsed document is a CloudFormation
// template: it names a format version, or its Resources hold AWS types.
func isTemplate(root *yaml.Node) bool {
	if root == nil || root.Kind != yaml.MappingNode {
		return false
	}
	if yamlx.Get(root, "AWSTemplateFormatVersion") != nil {
		return true
	}
	for _, p := range yamlx.Pairs(yamlx.Get(root, "Resources")) {
		if t := yamlx.Get(p.Value, "Type"); t != nil && t.Kind == yaml.ScalarNode &&
			(strings.HasPrefix(t.Value, "AWS::") || strings.HasPrefix(t.Value, "Custom::")) {
			return true
		}
	}
	return false
}

// duplicateKey returns the first repeated key of a mapping in the tree
// (JSON allows them, CloudFormation does not).
func duplicateKey(root *yaml.Node) *yaml.Node {
	stack := []*yaml.Node{root}
	visited := 0
	for len(stack) > 0 && visited < 2_000_000 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visited++
		if n.Kind == yaml.MappingNode {
			seen := map[string]bool{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
					if seen[k.Value] {
						return k
					}
					seen[k.Value] = true
				}
			}
		}
		stack = append(stack, n.Content...)
	}
	return nil
}

// MergeEmbedded implements loader.EmbeddedLoader: the resources section of
// a serverless.yml is evaluated with the same code and its resources are
// added to the host app, linked to the host's functions, triggers and roles.
func (l *Loader) MergeEmbedded(ctx context.Context, app *model.Application, e model.Embedded, t *loader.Tree, opts loader.Options) {
	defer func() {
		if p := recover(); p != nil {
			app.Notef(model.NoteError, model.Pos{File: e.File}, "internal error while loading the resources section (please report): %v", p)
		}
	}()
	n, ok := e.Node.(*yaml.Node)
	if !ok || n == nil {
		app.Notef(model.NoteInfo, model.Pos{File: e.File}, "resources section not modelled: not a parsed YAML node")
		return
	}
	for _, root := range embeddedRoots(n) {
		build(app, e.File, root, opts, e.Resolve)
	}
}

// embeddedRoots turns a resources section into template roots: a mapping
// with Resources, a list of such mappings, or a bare Resources mapping.
func embeddedRoots(n *yaml.Node) []*yaml.Node {
	n = yamlx.Deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		var out []*yaml.Node
		for _, c := range n.Content {
			out = append(out, embeddedRoots(c)...)
		}
		return out
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	if yamlx.Get(n, "Resources") != nil || yamlx.Get(n, "Outputs") != nil || yamlx.Get(n, "Conditions") != nil {
		return []*yaml.Node{n}
	}
	wrapped := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: "Resources", Line: n.Line, Column: n.Column}, n,
	}}
	return []*yaml.Node{wrapped}
}
