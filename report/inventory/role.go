package inventory

import (
	"sort"
	"strings"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// allResources is the node name for Resource "*" and admin policies.
const allResources = "* (every resource)"

// role summarises fn's role, draws function → role → resource and adds the
// resources the role names to res.
func (b *builder) role(fn *model.Function, fnNode *Node, res *resources) *Role {
	r := fn.Role
	out := &Role{ID: r.ID, Name: str(r.Name, r.ID), Location: r.Pos, Modelled: true}
	for _, other := range r.Functions {
		if other != fn {
			out.SharedWith = append(out.SharedWith, other.ID)
		}
	}
	actions := map[string]bool{}
	wild := map[string]bool{}
	starActs := map[string]bool{}
	for _, p := range r.ManagedPolicies {
		name := str(p, Unknown)
		out.ManagedPolicies = append(out.ManagedPolicies, name)
		if p.IsKnown() && adminPolicy(p.V) {
			out.AdminPolicies = append(out.AdminPolicies, policyName(p.V))
		}
	}

	detail := "role"
	switch {
	case r.PerFunction:
		detail = "per-function role"
	case r.Implicit:
		detail = "default role"
	}
	if n := len(r.Functions); n > 1 {
		detail += " · shared by " + itoa(n)
	}
	rn := b.node("role/"+r.ID, KindRole, out.Name, detail, r.Pos)
	rn.addFindings(b.roleFindings(r))
	b.edge(fnNode, rn, "assumes")

	for _, s := range r.Statements {
		if !s.IsAllow() {
			continue
		}
		out.Statements++
		var acts []string
		for _, a := range s.Actions {
			if !a.IsKnown() {
				out.UnknownActions++
				continue
			}
			act := strings.TrimSpace(a.V)
			acts = append(acts, act)
			actions[strings.ToLower(act)] = true
			if act == "*" || strings.HasSuffix(act, ":*") {
				wild[act] = true
			}
		}
		if len(s.NotActions) > 0 {
			wild["NotAction"] = true
		}
		if len(acts) == 0 {
			continue
		}
		access := accessOf(acts)
		for _, rv := range s.Resources {
			name := str(rv, Unknown)
			if rv.IsUnknown() && rv.Why != "" {
				name = Unknown + " (" + rv.Why + ")"
			}
			if rv.IsKnown() && strings.TrimSpace(rv.V) == "*" {
				name = allResources
				for _, a := range acts {
					starActs[a] = true
				}
			}
			res.add(name, resourceKind(name), "role", acts, access)
			b.statementEdge(rn, s, name, acts, access)
		}
	}
	for _, p := range out.AdminPolicies {
		res.add(allResources, string(model.ResOther), "role", []string{"*"}, "write")
		e := b.resourceEdge(rn, allResources, p)
		e.Risk = RiskAdmin
	}
	out.Actions = len(actions)
	out.Wildcards = keys(wild)
	out.AllResources = keys(starActs)
	if len(out.AdminPolicies) > 0 {
		rn.risk(RiskAdmin)
	}
	if len(out.Wildcards) > 0 {
		rn.risk(RiskWildcard)
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// roleFindings are the findings on a role (they name it as their resource).
func (b *builder) roleFindings(r *model.Role) []rules.Finding {
	var out []rules.Finding
	for _, f := range b.findings {
		if f.Resource == r.ID {
			out = append(out, f)
		}
	}
	return out
}

// statementEdge draws role → resource for one statement resource.
func (b *builder) statementEdge(rn *Node, s *model.Statement, name string, acts []string, access string) {
	label := itoa(len(acts)) + " actions"
	if len(acts) == 1 {
		label = acts[0]
	}
	e := b.resourceEdge(rn, name, label)
	e.statements = append(e.statements, s.Pos)
	for _, a := range acts {
		if a == "*" || strings.HasSuffix(a, ":*") {
			e.Risk = RiskWildcard
		}
	}
	if name == allResources && access == "write" {
		e.Risk = RiskWildcard
	}
}

// resourceEdge returns the edge role → resource name, creating both; an
// edge drawn again for another statement gets the labels joined.
func (b *builder) resourceEdge(rn *Node, name, label string) *Edge {
	detail := resourceKind(name)
	short := shortName(name)
	switch {
	case name == allResources:
		detail = "wildcard"
	case detail == string(model.ResLogGroup):
		name, short = logGroups, "CloudWatch log groups"
	}
	n := b.node("res/"+name, KindResource, short, detail, model.Pos{})
	n.Title = name
	n.addFindings(b.resourceFindings(name))
	if name == allResources {
		n.risk(RiskWildcard)
	}
	if e, ok := b.inv.Graph.byEdge[[2]string{rn.ID, n.ID}]; ok {
		if !strings.Contains(e.Label, label) {
			e.Label += "; " + label
		}
		return e
	}
	return b.edge(rn, n, label)
}

// resourceFindings are the findings on the modelled resource called name.
func (b *builder) resourceFindings(name string) []rules.Finding {
	var out []rules.Finding
	for _, r := range b.app.Resources {
		if r.ID == name || (r.Name.IsKnown() && r.Name.V == name) || (r.ARN.IsKnown() && r.ARN.V == name) {
			for _, f := range b.findings {
				if f.Resource == r.ID {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// loops marks recursive trigger loops that FG-EXP-002 found: the trigger,
// the role → resource edge of the statement that allows the write, and a
// back edge resource → trigger that closes the loop on the graph.
func (b *builder) loops(fn *model.Function, fnNode *Node, fs []rules.Finding) {
	for _, f := range fs {
		if f.RuleID != "FG-EXP-002" || !strings.HasPrefix(f.Key, "src:") {
			continue
		}
		src := strings.TrimPrefix(f.Key, "src:")
		if i := strings.LastIndex(src, ":"); i >= 0 {
			// The key ends in the write action (svc:Action).
			if j := strings.LastIndex(src[:i], ":"); j >= 0 {
				src = src[:j]
			}
		}
		var trig *Node
		for i, t := range fn.Triggers {
			for _, n := range t.SourceNames() {
				if n == src {
					trig = b.nodes[b.prefix+"fn/"+fn.ID+"/t/"+itoa(i)]
				}
			}
		}
		if trig == nil {
			continue
		}
		trig.risk(RiskLoop)
		fnNode.risk(RiskLoop)
		for _, rel := range f.Related {
			// The edges of the statement that allows the write; of those,
			// the ones naming the source when any does.
			var cands, named []*Edge
			for _, e := range b.inv.Graph.Edges {
				if strings.HasPrefix(e.From, b.prefix+"role/") && hasPos(e.statements, rel.Pos) {
					cands = append(cands, e)
					if to := b.inv.Graph.node(e.To); to != nil && strings.Contains(to.Title, src) {
						named = append(named, e)
					}
				}
			}
			if len(named) > 0 {
				cands = named
			}
			for _, e := range cands {
				to := b.inv.Graph.node(e.To)
				e.Risk = RiskLoop
				to.risk(RiskLoop)
				back := b.edge(to, trig, "re-triggers")
				back.Risk = RiskLoop
			}
		}
	}
}

func hasPos(ps []model.Pos, p model.Pos) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// readVerbs start the names of actions that do not change state.
var readVerbs = []string{"Get", "List", "Describe", "Query", "Scan", "BatchGet", "Head", "Select", "Receive", "Lookup", "Search", "View", "Read", "Check"}

// accessOf is "write" when any action may change state, else "read".
func accessOf(acts []string) string {
	for _, a := range acts {
		i := strings.IndexByte(a, ':')
		if i < 0 {
			return "write" // "*"
		}
		name := a[i+1:]
		read := false
		for _, v := range readVerbs {
			if strings.HasPrefix(name, v) && !strings.Contains(name, "*") {
				read = true
				break
			}
		}
		if !read {
			return "write"
		}
	}
	return "read"
}

// arnKinds maps ARN services (and resource prefixes) to resource kinds.
var arnKinds = map[string]model.ResourceKind{
	"s3": model.ResBucket, "sqs": model.ResQueue, "sns": model.ResTopic, "dynamodb": model.ResTable,
	"kinesis": model.ResStream, "logs": model.ResLogGroup, "kms": model.ResKey, "secretsmanager": model.ResSecret,
	"ssm": model.ResParameter, "states": model.ResStateMachine, "events": model.ResEventBus, "cognito-idp": model.ResUserPool,
	"execute-api": model.ResAPI, "apigateway": model.ResAPI,
}

// resourceKind guesses a resource's kind from its ARN.
func resourceKind(name string) string {
	if name == allResources {
		return string(model.ResOther)
	}
	if strings.HasPrefix(name, "arn:") {
		parts := arnParts(name)
		if len(parts) >= 3 {
			if k, ok := arnKinds[parts[2]]; ok {
				if k == model.ResTable && len(parts) == 6 && strings.Contains(parts[5], "/stream/") {
					return string(model.ResStream)
				}
				return string(k)
			}
			if parts[2] == "lambda" {
				return "function"
			}
		}
	}
	return string(model.ResOther)
}

// adminPolicy reports whether a managed policy amounts to administrator or
// full-service access.
func adminPolicy(p string) bool {
	n := strings.ToLower(policyName(p))
	switch n {
	case "administratoraccess", "poweruseraccess", "iamfullaccess", "administratoraccess-amplify":
		return true
	}
	return strings.HasSuffix(n, "fullaccess")
}

func policyName(p string) string {
	p = strings.TrimSpace(p)
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return p
}

// arnParts splits an ARN into its six fields; CloudFormation pseudo
// parameters (${AWS::Partition}) hold colons and are kept whole.
func arnParts(arn string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(arn) && len(parts) < 5; i++ {
		switch arn[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ':':
			if depth == 0 {
				parts = append(parts, arn[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, arn[start:])
}
