// Package sam holds AWS SAM policy templates as data: for each template
// its parameters and the IAM statements it expands to, with the parameters
// as ${Name} variables of Fn::Sub strings.
package sam

import (
	_ "embed"
	"encoding/json"
	"sort"
	"sync"
)

//go:embed policy_templates.json
var data []byte

// Template is one SAM policy template.
type Template struct {
	Description string
	Parameters  []string
	// Statement is the JSON list of statements the template expands to.
	Statement json.RawMessage
}

var (
	once      sync.Once
	templates map[string]Template
)

func load() {
	var f struct{ Templates map[string]Template }
	if err := json.Unmarshal(data, &f); err != nil {
		panic("sam: policy_templates.json: " + err.Error()) // a build defect, caught by tests
	}
	templates = f.Templates
}

// Lookup returns the template with the given name.
func Lookup(name string) (Template, bool) {
	once.Do(load)
	t, ok := templates[name]
	return t, ok
}

// Names returns the known template names, sorted.
func Names() []string {
	once.Do(load)
	out := make([]string, 0, len(templates))
	for n := range templates {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
