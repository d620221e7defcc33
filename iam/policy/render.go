package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Formats Render accepts.
const (
	FormatJSON       = "json"       // an IAM policy document
	FormatYAML       = "yaml"       // the same document in YAML
	FormatServerless = "serverless" // Serverless Framework v3+ provider.iam.role.statements
	FormatSAM        = "sam"        // an AWS::Serverless::Function Policies entry
	FormatTerraform  = "terraform"  // a data "aws_iam_policy_document" block
)

// Formats lists the formats Render accepts.
func Formats() []string {
	return []string{FormatJSON, FormatYAML, FormatServerless, FormatSAM, FormatTerraform}
}

// Render prints the policy, ready to paste, in one of Formats. Version
// defaults to 2012-10-17. Condition and Principal are kept. The Terraform
// data source is named "policy"; RenderTerraform names it.
func Render(p Policy, format string) ([]byte, error) {
	switch strings.ToLower(format) {
	case FormatJSON:
		return renderJSON(p)
	case FormatYAML:
		var b bytes.Buffer
		writeYAMLDocument(&b, p, "")
		return b.Bytes(), nil
	case FormatServerless:
		var b bytes.Buffer
		b.WriteString("iam:\n  role:\n    statements:\n")
		writeYAMLStatements(&b, p, "      ")
		return b.Bytes(), nil
	case FormatSAM:
		var b bytes.Buffer
		b.WriteString("Policies:\n  - ")
		writeYAMLDocument(&b, p, "    ")
		return b.Bytes(), nil
	case FormatTerraform:
		return RenderTerraform(p, "policy"), nil
	}
	return nil, fmt.Errorf("policy: unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

type jsonStatement struct {
	Sid         string                         `json:"Sid,omitempty"`
	Effect      string                         `json:"Effect"`
	Principal   any                            `json:"Principal,omitempty"`
	Action      []string                       `json:"Action,omitempty"`
	NotAction   []string                       `json:"NotAction,omitempty"`
	Resource    []string                       `json:"Resource,omitempty"`
	NotResource []string                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string][]string `json:"Condition,omitempty"`
}

func version(p Policy) string {
	if p.Version == "" {
		return "2012-10-17"
	}
	return p.Version
}

func renderJSON(p Policy) ([]byte, error) {
	doc := struct {
		Version   string
		Statement []jsonStatement
	}{Version: version(p), Statement: make([]jsonStatement, 0, len(p.Statements))}
	for _, st := range p.Statements {
		js := jsonStatement{
			Sid: st.Sid, Effect: st.Effect, Action: st.Actions, NotAction: st.NotActions,
			Resource: st.Resources, NotResource: st.NotResources, Condition: st.Condition,
		}
		if st.Principals != nil {
			if _, star := st.Principals["*"]; star {
				js.Principal = "*"
			} else {
				js.Principal = st.Principals
			}
		}
		doc.Statement = append(doc.Statement, js)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return b.Bytes(), nil
}

// yamlString quotes s as a YAML double-quoted scalar; JSON string syntax
// is valid there, and quoting everything avoids YAML's implicit typing
// ("on", "012", "*").
func yamlString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(bytes.ReplaceAll(b, []byte(`\u0026`), []byte("&")))
}

// writeYAMLDocument writes "Version: …\nStatement: …" where the first line
// is already indented by the caller and later lines get indent.
func writeYAMLDocument(b *bytes.Buffer, p Policy, indent string) {
	fmt.Fprintf(b, "Version: %s\n%sStatement:\n", yamlString(version(p)), indent)
	writeYAMLStatements(b, p, indent+"  ")
}

func writeYAMLStatements(b *bytes.Buffer, p Policy, indent string) {
	if len(p.Statements) == 0 {
		b.Truncate(b.Len() - 1)
		b.WriteString(" []\n")
		return
	}
	for _, st := range p.Statements {
		first := true
		key := func(k string) {
			if first {
				b.WriteString(indent + "- ")
				first = false
			} else {
				b.WriteString(indent + "  ")
			}
			b.WriteString(k)
		}
		list := func(k string, vals []string) {
			if len(vals) == 0 {
				return
			}
			key(k + ":\n")
			for _, v := range vals {
				b.WriteString(indent + "    - " + yamlString(v) + "\n")
			}
		}
		if st.Sid != "" {
			key("Sid: " + yamlString(st.Sid) + "\n")
		}
		key("Effect: " + st.Effect + "\n")
		if st.Principals != nil {
			if _, star := st.Principals["*"]; star {
				key("Principal: \"*\"\n")
			} else {
				key("Principal:\n")
				for _, typ := range sortedKeys(st.Principals) {
					b.WriteString(indent + "    " + yamlString(typ) + ":\n")
					for _, v := range st.Principals[typ] {
						b.WriteString(indent + "      - " + yamlString(v) + "\n")
					}
				}
			}
		}
		list("Action", st.Actions)
		list("NotAction", st.NotActions)
		list("Resource", st.Resources)
		list("NotResource", st.NotResources)
		if len(st.Condition) > 0 {
			key("Condition:\n")
			for _, op := range sortedKeys(st.Condition) {
				b.WriteString(indent + "    " + yamlString(op) + ":\n")
				for _, k := range sortedKeys(st.Condition[op]) {
					b.WriteString(indent + "      " + yamlString(k) + ":\n")
					for _, v := range st.Condition[op][k] {
						b.WriteString(indent + "        - " + yamlString(v) + "\n")
					}
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RenderTerraform prints the policy as a data "aws_iam_policy_document"
// block with the given name.
func RenderTerraform(p Policy, name string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "data \"aws_iam_policy_document\" %s {\n", hclString(name))
	if p.Version != "" && p.Version != "2012-10-17" {
		fmt.Fprintf(&b, "  version = %s\n", hclString(p.Version))
	}
	for i, st := range p.Statements {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("  statement {\n")
		if st.Sid != "" {
			fmt.Fprintf(&b, "    sid       = %s\n", hclString(st.Sid))
		}
		fmt.Fprintf(&b, "    effect    = %s\n", hclString(st.Effect))
		hclList(&b, "actions", st.Actions)
		hclList(&b, "not_actions", st.NotActions)
		hclList(&b, "resources", st.Resources)
		hclList(&b, "not_resources", st.NotResources)
		for _, typ := range sortedKeys(st.Principals) {
			b.WriteString("\n    principals {\n")
			fmt.Fprintf(&b, "      type        = %s\n", hclString(typ))
			fmt.Fprintf(&b, "      identifiers = %s\n", hclStrings(st.Principals[typ]))
			b.WriteString("    }\n")
		}
		for _, op := range sortedKeys(st.Condition) {
			for _, k := range sortedKeys(st.Condition[op]) {
				b.WriteString("\n    condition {\n")
				fmt.Fprintf(&b, "      test     = %s\n", hclString(op))
				fmt.Fprintf(&b, "      variable = %s\n", hclString(k))
				fmt.Fprintf(&b, "      values   = %s\n", hclStrings(st.Condition[op][k]))
				b.WriteString("    }\n")
			}
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func hclList(b *bytes.Buffer, key string, vals []string) {
	if len(vals) == 0 {
		return
	}
	fmt.Fprintf(b, "    %-9s = %s\n", key, hclStrings(vals))
}

func hclStrings(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = hclString(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// hclString quotes s for HCL: JSON escapes, plus "$${" and "%%{" so that
// IAM policy variables such as ${aws:username} stay literal.
func hclString(s string) string {
	q := yamlString(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}
