package policy

import (
	"slices"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
)

// Need is an action a function's code needs, and the resources it needs it
// on: ARNs or ARN patterns where the code names them, none (or "*") where
// they are unknown.
type Need struct {
	Action    string // "s3:GetObject"
	Resources []string
}

// resources returns the need's resources, "*" when unknown.
func (n Need) resources() []string {
	var out []string
	for _, r := range n.Resources {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	if len(out) == 0 || slices.Contains(out, "*") {
		return []string{"*"}
	}
	return out
}

// Minimal builds the least-privilege policy for a set of needs: one Allow
// statement per distinct set of resources, actions and resources sorted,
// duplicates merged. Actions the catalogue says cannot be scoped to a
// resource type get Resource "*" whatever the need says, since IAM ignores
// anything else for them. The result is deterministic.
func Minimal(c *catalog.Catalog, needs []Need) Policy {
	byAction := map[string]map[string]bool{} // canonical action → resources
	for _, n := range needs {
		name := strings.TrimSpace(n.Action)
		if name == "" {
			continue
		}
		res := n.resources()
		if a, ok := c.Action(name); ok {
			name = a.String()
			if len(a.ResourceTypes) == 0 {
				res = []string{"*"}
			}
		}
		set := byAction[name]
		if set == nil {
			set = map[string]bool{}
			byAction[name] = set
		}
		for _, r := range res {
			set[r] = true
		}
	}
	// Group actions by their resource set.
	groups := map[string][]string{} // joined resources → actions
	resOf := map[string][]string{}
	for action, set := range byAction {
		if set["*"] {
			set = map[string]bool{"*": true}
		}
		res := make([]string, 0, len(set))
		for r := range set {
			res = append(res, r)
		}
		sort.Strings(res)
		key := strings.Join(res, "\x00")
		groups[key] = append(groups[key], action)
		resOf[key] = res
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		sort.Strings(groups[k])
		keys = append(keys, k)
	}
	// Order statements by their first action, so that output reads by
	// service.
	sort.Slice(keys, func(i, j int) bool { return groups[keys[i]][0] < groups[keys[j]][0] })
	p := Policy{Version: "2012-10-17"}
	for i, k := range keys {
		p.Statements = append(p.Statements, Statement{
			Effect: Allow, Actions: groups[k], Resources: resOf[k], Index: i,
		})
	}
	return p
}

// Unused is an action pattern of an Allow statement that no need matches:
// over-privilege.
type Unused struct {
	Statement int // Statement.Index
	Sid       string
	Line      int
	Pattern   string // the Action pattern, or "NotAction" for a NotAction statement
}

// Missing is a need the policy does not allow: the call will fail.
type Missing struct {
	Action   string
	Resource string // "*" when the need's resource is unknown
}

// WildcardOnly is a need allowed only through wildcards or NotAction.
type WildcardOnly struct {
	Action     string
	Resource   string
	Statements []int
}

// Diff compares a granted policy with what the code needs.
type Diff struct {
	Unused       []Unused
	Missing      []Missing
	WildcardOnly []WildcardOnly
}

// Compare diffs the granted policy with the needs. A need whose resources
// are unknown is allowed when some Allow statement grants the action on
// some resource and no unconditional Deny removes it everywhere; a known
// resource is checked with IsAllowed. Conditions are read as in IsAllowed.
func Compare(granted Policy, needs []Need) Diff {
	var d Diff
	used := map[[2]int]bool{} // statement position, pattern index
	for _, n := range needs {
		action := strings.TrimSpace(n.Action)
		if action == "" {
			continue
		}
		for _, r := range n.resources() {
			var ok, wild bool
			var via []int
			if r == "*" {
				ok, via, wild = granted.allowedSomewhere(action)
			} else {
				ok, via, wild = granted.IsAllowed(action, r)
			}
			if !ok {
				d.Missing = append(d.Missing, Missing{Action: action, Resource: r})
				continue
			}
			if wild {
				d.WildcardOnly = append(d.WildcardOnly, WildcardOnly{Action: action, Resource: r, Statements: via})
			}
		}
		for i := range granted.Statements {
			st := &granted.Statements[i]
			if st.Effect != Allow {
				continue
			}
			if len(st.NotActions) > 0 {
				if m, _ := st.actionMatch(action); m {
					used[[2]int{i, -1}] = true
				}
				continue
			}
			for j, p := range st.Actions {
				if MatchAction(p, action) {
					used[[2]int{i, j}] = true
				}
			}
		}
	}
	for i := range granted.Statements {
		st := &granted.Statements[i]
		if st.Effect != Allow {
			continue
		}
		if len(st.NotActions) > 0 {
			if !used[[2]int{i, -1}] {
				d.Unused = append(d.Unused, Unused{Statement: st.Index, Sid: st.Sid, Line: st.Line, Pattern: "NotAction"})
			}
			continue
		}
		for j, p := range st.Actions {
			if !used[[2]int{i, j}] {
				d.Unused = append(d.Unused, Unused{Statement: st.Index, Sid: st.Sid, Line: st.Line, Pattern: p})
			}
		}
	}
	return d
}

// allowedSomewhere is IsAllowed for an unknown resource: the action is
// allowed on some resource and not denied on all of them.
func (p Policy) allowedSomewhere(action string) (allowed bool, via []int, throughWildcard bool) {
	throughWildcard = true
	for i := range p.Statements {
		st := &p.Statements[i]
		m, wild := st.actionMatch(action)
		if !m {
			continue
		}
		if st.Effect == Deny {
			if !st.HasCondition && len(st.NotResources) == 0 && st.coversAllResources() {
				return false, nil, false
			}
			continue
		}
		via = append(via, st.Index)
		throughWildcard = throughWildcard && wild
	}
	if len(via) == 0 {
		return false, nil, false
	}
	return true, via, throughWildcard
}
