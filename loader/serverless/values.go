package serverless

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasguard/faasguard/internal/yamlx"
	"github.com/faasguard/faasguard/model"
)

// Reading resolved nodes as model values. Every reader maps a missing node
// to Absent, the Unknown marker and CloudFormation intrinsics to Unknown,
// and a scalar to Known at the position it was written.

func (b *builder) str(n *yaml.Node) model.Str {
	n = yamlx.Deref(n)
	switch {
	case n == nil:
		return model.Str{}
	case isUnknown(n):
		return model.U[string](n.Value, b.pos(n))
	}
	if why, ok := intrinsic(n); ok {
		return model.U[string](why, b.pos(n))
	}
	if n.Kind != yaml.ScalarNode {
		return model.U[string]("not a scalar", b.pos(n))
	}
	if n.Tag == "!!null" {
		return model.Str{}
	}
	return model.K(n.Value, b.pos(n))
}

func (b *builder) num(n *yaml.Node) model.Int {
	n = yamlx.Deref(n)
	switch {
	case n == nil || yamlx.IsNull(n):
		return model.Int{}
	case isUnknown(n):
		return model.U[int](n.Value, b.pos(n))
	}
	if why, ok := intrinsic(n); ok {
		return model.U[int](why, b.pos(n))
	}
	if v, ok := yamlx.Int(n); ok {
		return model.K(v, b.pos(n))
	}
	return model.U[int](fmt.Sprintf("not a number: %q", clip(n.Value)), b.pos(n))
}

func (b *builder) boolean(n *yaml.Node) model.Bool {
	n = yamlx.Deref(n)
	switch {
	case n == nil || yamlx.IsNull(n):
		return model.Bool{}
	case isUnknown(n):
		return model.U[bool](n.Value, b.pos(n))
	}
	if why, ok := intrinsic(n); ok {
		return model.U[bool](why, b.pos(n))
	}
	if v, ok := yamlx.Bool(n); ok {
		return model.K(v, b.pos(n))
	}
	return model.U[bool](fmt.Sprintf("not a boolean: %q", clip(n.Value)), b.pos(n))
}

// strs reads a string or a list of strings.
func (b *builder) strs(n *yaml.Node) []model.Str {
	n = yamlx.Deref(n)
	if n == nil || yamlx.IsNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		if isUnknown(n) {
			return []model.Str{b.str(n)}
		}
		if _, ok := intrinsic(n); ok || n.Kind == yaml.ScalarNode {
			return []model.Str{b.str(n)}
		}
		return []model.Str{model.U[string]("not a string or list", b.pos(n))}
	}
	out := make([]model.Str, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, b.str(c))
	}
	return out
}

// intrinsic recognizes a CloudFormation intrinsic function (long form
// {Ref: X} / {"Fn::GetAtt": ...} or short form !Ref X) and describes it,
// as the Why of an Unknown value: "!Ref X", "!GetAtt X.Arn", "!Sub ...".
func intrinsic(n *yaml.Node) (string, bool) {
	n = yamlx.Deref(n)
	if n == nil {
		return "", false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") && n.Tag != unknownTag {
		return n.Tag + " " + clip(flat(n)), true
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", false
	}
	k := n.Content[0].Value
	if k != "Ref" && k != "Condition" && !strings.HasPrefix(k, "Fn::") {
		return "", false
	}
	name := "!" + strings.TrimPrefix(k, "Fn::")
	return name + " " + clip(flat(n.Content[1])), true
}

// flat renders a small node on one line for messages.
func flat(n *yaml.Node) string {
	n = yamlx.Deref(n)
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value
	case yaml.SequenceNode:
		parts := make([]string, 0, len(n.Content))
		for i, c := range n.Content {
			if i == 8 {
				parts = append(parts, "...")
				break
			}
			parts = append(parts, flat(c))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case yaml.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content) && i < 16; i += 2 {
			parts = append(parts, n.Content[i].Value+": "+flat(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// logicalID returns the logical ID a Ref or Fn::GetAtt names, so a trigger
// can point into the resources: section.
func logicalID(n *yaml.Node) (string, bool) {
	n = yamlx.Deref(n)
	if n == nil {
		return "", false
	}
	switch n.Tag {
	case "!Ref":
		return n.Value, n.Kind == yaml.ScalarNode && n.Value != ""
	case "!GetAtt":
		if n.Kind == yaml.ScalarNode {
			id, _, _ := strings.Cut(n.Value, ".")
			return id, id != ""
		}
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			return n.Content[0].Value, n.Content[0].Value != ""
		}
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", false
	}
	v := yamlx.Deref(n.Content[1])
	switch n.Content[0].Value {
	case "Ref":
		if v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
			return v.Value, true
		}
	case "Fn::GetAtt":
		if v != nil && v.Kind == yaml.ScalarNode {
			id, _, _ := strings.Cut(v.Value, ".")
			return id, id != ""
		}
		if v != nil && v.Kind == yaml.SequenceNode && len(v.Content) > 0 && v.Content[0].Value != "" {
			return v.Content[0].Value, true
		}
	}
	return "", false
}

// ref reads a source reference: an ARN or name as Known, a Ref/GetAtt into
// the resources: section as Known logical ID, anything else Unknown.
func (b *builder) ref(n *yaml.Node) model.Str {
	if id, ok := logicalID(n); ok {
		return model.K(id, b.pos(n))
	}
	return b.str(n)
}

// normalize makes a name into the form the framework uses in logical IDs:
// first letter upper case, "-" as Dash and "_" as Underscore.
func normalize(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, "-", "Dash")
	s = strings.ReplaceAll(s, "_", "Underscore")
	return strings.ToUpper(s[:1]) + s[1:]
}

// alnum keeps letters and digits, capitalizing the first (bucket and topic
// logical IDs).
func alnum(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	out := b.String()
	if out == "" {
		return out
	}
	return strings.ToUpper(out[:1]) + out[1:]
}
