package terraform

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/faasguard/faasguard/loader"
	"github.com/faasguard/faasguard/model"
)

// module is one parsed directory of .tf / .tf.json files.
type module struct {
	dir     string // root-relative
	files   []string
	src     map[string][]byte // file -> content, for expression text
	vars    map[string]*varDecl
	locals  map[string]*hcl.Attribute
	outputs map[string]*hcl.Attribute
	res     []*rblock // managed resources
	data    []*rblock
	mods    []*rblock // module calls
	tfvars  []string  // .tfvars files of this directory, in load order
	notes   []model.Note
}

type varDecl struct {
	name string
	def  hcl.Expression // nil when no default
	pos  model.Pos
}

// rblock is a resource, data or module block.
type rblock struct {
	typ, name string // for modules typ is ""
	body      hcl.Body
	pos       model.Pos
	count     *hcl.Attribute
	forEach   *hcl.Attribute
}

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "terraform"},
	{Type: "moved"}, {Type: "import"}, {Type: "check", LabelNames: []string{"name"}}, {Type: "removed"},
}}

var varSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "default"}, {Name: "type"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"},
}, Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}}}

var metaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}}}

func toPos(r hcl.Range) model.Pos {
	return model.Pos{File: r.Filename, Line: r.Start.Line, Col: r.Start.Column}
}

func isTF(f loader.File) bool {
	b := strings.ToLower(f.Base())
	return strings.HasSuffix(b, ".tf") || strings.HasSuffix(b, ".tf.json")
}

func isTFVars(f loader.File) bool {
	b := strings.ToLower(f.Base())
	return strings.HasSuffix(b, ".tfvars") || strings.HasSuffix(b, ".tfvars.json")
}

// parseModule parses every .tf / .tf.json file of one directory. Syntax
// errors become notes; the rest of the module is still read.
func parseModule(t *loader.Tree, dir string, files []loader.File) *module {
	m := &module{dir: dir, src: map[string][]byte{}, vars: map[string]*varDecl{}, locals: map[string]*hcl.Attribute{}, outputs: map[string]*hcl.Attribute{}}
	for _, f := range files {
		if isTFVars(f) {
			m.tfvars = append(m.tfvars, f.Rel)
			continue
		}
		m.files = append(m.files, f.Rel)
		m.parseFile(t, f.Rel)
	}
	sort.SliceStable(m.tfvars, func(i, j int) bool { return tfvarsOrder(m.tfvars[i]) < tfvarsOrder(m.tfvars[j]) })
	return m
}

// tfvarsOrder orders variable files the way Terraform applies them:
// terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json); other
// .tfvars files are loaded last (they stand for -var-file).
func tfvarsOrder(rel string) int {
	b := strings.ToLower(path.Base(rel))
	switch {
	case b == "terraform.tfvars":
		return 0
	case b == "terraform.tfvars.json":
		return 1
	case strings.HasSuffix(b, ".auto.tfvars") || strings.HasSuffix(b, ".auto.tfvars.json"):
		return 2
	}
	return 3
}

func (m *module) note(level model.NoteLevel, pos model.Pos, format string, args ...any) {
	m.notes = append(m.notes, model.Note{Level: level, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (m *module) diagNotes(diags hcl.Diagnostics, level model.NoteLevel) {
	for i, d := range diags {
		if i >= 20 {
			m.note(level, model.Pos{File: diagFile(diags[0])}, "%d more diagnostics not shown", len(diags)-i)
			return
		}
		p := model.Pos{}
		if d.Subject != nil {
			p = toPos(*d.Subject)
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		m.note(level, p, "%s", msg)
	}
}

func diagFile(d *hcl.Diagnostic) string {
	if d.Subject != nil {
		return d.Subject.Filename
	}
	return ""
}

func parseHCL(rel string, data []byte) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(strings.ToLower(rel), ".json") {
		return hcljson.Parse(data, rel)
	}
	return hclsyntax.ParseConfig(data, rel, hcl.InitialPos)
}

func (m *module) parseFile(t *loader.Tree, rel string) {
	data, err := t.Read(rel)
	if err != nil {
		m.note(model.NoteError, model.Pos{File: rel}, "not scanned: %v", err)
		return
	}
	m.src[rel] = data
	f, diags := parseHCL(rel, data)
	if diags.HasErrors() {
		m.diagNotes(errDiags(diags), model.NoteError)
	}
	if f == nil || f.Body == nil {
		return
	}
	content, _, cdiags := f.Body.PartialContent(rootSchema)
	if cdiags.HasErrors() {
		m.diagNotes(errDiags(cdiags), model.NoteError)
	}
	if content == nil {
		return
	}
	for _, b := range content.Blocks {
		pos := toPos(b.DefRange)
		switch b.Type {
		case "variable":
			vc, _ := b.Body.Content(varSchema)
			d := &varDecl{name: b.Labels[0], pos: pos}
			if vc != nil {
				if a, ok := vc.Attributes["default"]; ok {
					d.def = a.Expr
				}
			}
			m.vars[d.name] = d
		case "locals":
			attrs, ad := b.Body.JustAttributes()
			if ad.HasErrors() {
				m.diagNotes(errDiags(ad), model.NoteError)
			}
			for n, a := range attrs {
				m.locals[n] = a
			}
		case "output":
			c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}})
			if c != nil {
				if a, ok := c.Attributes["value"]; ok {
					m.outputs[b.Labels[0]] = a
				}
			}
		case "resource", "data", "module":
			rb := &rblock{body: b.Body, pos: pos}
			if b.Type == "module" {
				rb.name = b.Labels[0]
			} else {
				rb.typ, rb.name = b.Labels[0], b.Labels[1]
			}
			if mc, _, _ := b.Body.PartialContent(metaSchema); mc != nil {
				rb.count = mc.Attributes["count"]
				rb.forEach = mc.Attributes["for_each"]
			}
			switch b.Type {
			case "resource":
				m.res = append(m.res, rb)
			case "data":
				m.data = append(m.data, rb)
			default:
				m.mods = append(m.mods, rb)
			}
		}
	}
}

// moduleSource returns the literal source of a module call, if written as a
// plain string.
func moduleSource(rb *rblock) (string, model.Pos, bool) {
	c, _, _ := rb.body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}})
	if c == nil {
		return "", rb.pos, false
	}
	a, ok := c.Attributes["source"]
	if !ok {
		return "", rb.pos, false
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(ctyString) {
		return "", toPos(a.Range), false
	}
	return v.AsString(), toPos(a.Range), true
}

// isLocalSource reports whether a module source is a local path.
func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

// errDiags keeps the error diagnostics.
func errDiags(ds hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range ds {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}
