// Package samtemplates expands AWS SAM policy templates
// (Policies: - DynamoDBCrudPolicy: {TableName: !Ref Orders}) into the IAM
// statements SAM generates for them.
package samtemplates

import (
	"fmt"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/policy"
)

// Template describes one policy template.
type Template struct {
	Name        string
	Params      []string // parameter names, e.g. ["TableName"]
	Description string
}

// Env is the stack's environment. Empty fields, and parameters whose value
// is unknown, become "*" in the expanded ARNs, so that the policy covers
// whatever the value turns out to be.
type Env struct {
	Partition string
	Region    string
	AccountID string
}

var byName = func() map[string]*template {
	m := make(map[string]*template, len(templates))
	for i := range templates {
		m[strings.ToLower(templates[i].name)] = &templates[i]
	}
	return m
}()

// Names returns the names of the known templates, sorted.
func Names() []string {
	out := make([]string, len(templates))
	for i, t := range templates {
		out[i] = t.name
	}
	sort.Strings(out)
	return out
}

// Lookup describes a template by name (case-insensitive).
func Lookup(name string) (Template, bool) {
	t, ok := byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Template{}, false
	}
	return Template{Name: t.name, Params: append([]string(nil), t.params...), Description: t.description}, true
}

// Expand returns the statements SAM generates for a template. params maps
// parameter names (case-insensitive) to values; a parameter that is absent
// or empty, as for an unresolved reference, expands to "*". Unknown
// parameter names are an error, as SAM rejects them.
func Expand(name string, params map[string]string, env Env) (policy.Policy, error) {
	t, ok := byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return policy.Policy{}, fmt.Errorf("samtemplates: unknown policy template %q", name)
	}
	values := map[string]string{
		"Partition": orDefault(env.Partition, "*"),
		"Region":    orDefault(env.Region, "*"),
		"AccountId": orDefault(env.AccountID, "*"),
	}
	for k, v := range params {
		canon := ""
		for _, p := range t.params {
			if strings.EqualFold(p, k) {
				canon = p
			}
		}
		if canon == "" {
			return policy.Policy{}, fmt.Errorf("samtemplates: %s has no parameter %q (want %s)", t.name, k, paramList(t.params))
		}
		values[canon] = v
	}
	for _, p := range t.params {
		if values[p] == "" {
			values[p] = "*"
		}
	}
	// One pass, so that a value holding "{Region}" stays as written.
	pairs := make([]string, 0, 2*len(values))
	for k, v := range values {
		pairs = append(pairs, "{"+k+"}", v)
	}
	sub := strings.NewReplacer(pairs...).Replace
	p := policy.Policy{Version: "2012-10-17"}
	for i, st := range t.statements {
		out := policy.Statement{Effect: policy.Allow, Actions: append([]string(nil), st.actions...), Index: i}
		for _, r := range st.resources {
			out.Resources = append(out.Resources, sub(r))
		}
		if st.condition[0] != "" {
			out.HasCondition = true
			out.Condition = map[string]map[string][]string{st.condition[0]: {st.condition[1]: {sub(st.condition[2])}}}
		}
		p.Statements = append(p.Statements, out)
	}
	return p, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func paramList(ps []string) string {
	if len(ps) == 0 {
		return "no parameters"
	}
	return strings.Join(ps, ", ")
}
