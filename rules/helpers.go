package rules

import (
	"strings"

	"github.com/faasguard/faasguard/model"
)

// publicHTTP returns the function's triggers that are HTTP-shaped and not
// Known to be private.
func publicHTTP(fn *model.Function) []*model.Trigger {
	var out []*model.Trigger
	for _, t := range fn.Triggers {
		if t.IsHTTP() && !model.IsFalse(t.Public) {
			out = append(out, t)
		}
	}
	return out
}

// isPublic reports whether a function can be invoked from the internet:
// through a public HTTP trigger or a function URL without auth.
func isPublic(fn *model.Function) bool {
	if len(publicHTTP(fn)) > 0 {
		return true
	}
	return fn.URL != nil && fn.URL.AuthType.IsKnown() && strings.EqualFold(fn.URL.AuthType.V, "NONE")
}

// behindAPIGateway reports whether an API Gateway (REST, HTTP or WebSocket
// API) invokes the function synchronously, and returns that trigger.
func behindAPIGateway(fn *model.Function) *model.Trigger {
	for _, t := range fn.Triggers {
		if !t.IsHTTP() {
			continue
		}
		switch strings.ToLower(t.Type) {
		case "alb", "alb-listener":
			continue
		}
		return t
	}
	return nil
}

// allowStatements returns the Allow statements of a role.
func allowStatements(r *model.Role) []*model.Statement {
	if r == nil {
		return nil
	}
	var out []*model.Statement
	for _, s := range r.Statements {
		if s.IsAllow() {
			out = append(out, s)
		}
	}
	return out
}

// writeVerbs are action-name prefixes that change state. The IAM catalogue
// refines this where it knows the action.
var writeVerbs = []string{"Put", "Create", "Delete", "Update", "Send", "Publish", "Write", "Invoke", "Attach", "Detach",
	"Add", "Remove", "Modify", "Set", "Start", "Stop", "Terminate", "Run", "Batch", "Upload", "Copy", "Restore",
	"Replace", "Associate", "Disassociate", "Enable", "Disable", "Register", "Deregister", "Import", "Execute",
	"Change", "Reset", "Tag", "Untag", "Pass", "Change", "Reboot", "Purge", "Transact", "Increase", "Decrease",
	"Rotate", "Cancel", "Schedule", "Submit", "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "Sign"}

// isWriteAction reports whether an IAM action (svc:Name, possibly with
// wildcards) can change state.
func isWriteAction(action string) bool {
	i := strings.IndexByte(action, ':')
	if action == "*" {
		return true
	}
	if i < 0 {
		return false
	}
	name := action[i+1:]
	if name == "*" || name == "" {
		return true
	}
	if j := strings.IndexByte(name, '*'); j >= 0 {
		// A partial wildcard writes when its literal prefix could start a
		// write verb ("Put*", "*Item", "Batch*").
		prefix := name[:j]
		if prefix == "" {
			return true
		}
		for _, v := range writeVerbs {
			if strings.HasPrefix(v, prefix) || strings.HasPrefix(prefix, v) {
				return true
			}
		}
		return false
	}
	for _, v := range writeVerbs {
		if strings.HasPrefix(name, v) {
			return true
		}
	}
	return false
}

// knownStrings returns the Known values of a list.
func knownStrings(vs []model.Str) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v.IsKnown() {
			out = append(out, v.V)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
