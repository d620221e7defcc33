package cfn

import (
	"strings"
	"unicode"

	"github.com/faasguard/faasguard/model"
)

// slsLogicalID normalizes a serverless.yml function key the way the
// Serverless Framework names its CloudFormation resources
// (hello-world → HelloDashworld... : first letter upper, '-' → Dash,
// '_' → Underscore), so resources can reference HelloLambdaFunction.
func slsLogicalID(name string) string {
	name = strings.NewReplacer("-", "Dash", "_", "Underscore").Replace(name)
	if name == "" {
		return name
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// linkHost links the host app's objects (a serverless.yml's functions) to
// resources declared in its resources section: a trigger whose source names
// a logical ID, a RoleRef naming a role.
func (b *builder) linkHost() {
	if !b.embedded {
		return
	}
	for _, f := range b.app.Functions {
		if _, own := b.byID[f.ID]; own {
			continue
		}
		for _, t := range f.Triggers {
			if t.Source != nil || t.SourceRef.IsAbsent() {
				continue
			}
			if r := b.hostRef(t.SourceRef); r != nil {
				t.Source = r
				if t.IsHTTP() && t.API == nil && r.Kind == model.ResAPI {
					t.API = r
				}
			}
		}
		if f.Role == nil && !f.RoleRef.IsAbsent() {
			if id := b.refID(f.RoleRef); id != "" {
				f.Role = b.roles[id]
			} else if r := b.roleOf(&V{K: kScalar, S: f.RoleRef.V}); r != nil && f.RoleRef.IsKnown() {
				f.Role = r
			}
		}
	}
}

// refID returns the logical ID of a role of this template that a reference
// as written names ("MyRole", "Fn::GetAtt MyRole.Arn", "!GetAtt MyRole.Arn").
func (b *builder) refID(s model.Str) string {
	for _, tok := range tokens(s) {
		if en := b.byID[tok]; en != nil && en.Type == "AWS::IAM::Role" {
			return tok
		}
	}
	return ""
}

// hostRef finds the resource a host trigger's source reference names.
func (b *builder) hostRef(s model.Str) *model.Resource {
	for _, tok := range tokens(s) {
		if en := b.byID[tok]; en != nil {
			if r := b.res[tok]; r != nil {
				return r
			}
		}
	}
	if s.IsKnown() {
		return b.resOf(&V{K: kScalar, S: s.V})
	}
	return nil
}

// tokens splits a reference into identifier-like words.
func tokens(s model.Str) []string {
	text := s.V
	if s.IsUnknown() {
		text = s.Why
	}
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
}
