package policy

import (
	"slices"
	"sort"
	"strings"

	"github.com/faasguard/faasguard/iam/catalog"
)

// IsAllowed evaluates the policy for one request, with IAM's rules: an
// explicit Deny wins, otherwise any Allow grants. Conditions cannot be
// evaluated statically, so the most permissive reading is taken: an Allow
// with a condition counts, a Deny with a condition does not. That is the
// right reading for over-privilege findings and for "used but not granted"
// (which must not fire when the grant might apply).
//
// via lists the indices (Statement.Index) of the Allow statements that grant
// the request; throughWildcard is true when none of them names the action
// literally (they match it through a wildcard or NotAction).
func (p Policy) IsAllowed(action, resource string) (allowed bool, via []int, throughWildcard bool) {
	throughWildcard = true
	for i := range p.Statements {
		st := &p.Statements[i]
		m, wild := st.actionMatch(action)
		if !m || !st.resourceMatch(resource) {
			continue
		}
		if st.Effect == Deny {
			if !st.HasCondition {
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

// Grant is one action a policy allows, as computed by EffectivePermissions.
type Grant struct {
	Action catalog.Action // AccessLevel is catalog.Unknown for actions the catalogue lacks
	// Statements are the indices of the Allow statements that grant it.
	Statements []int
	// Resources are the resource patterns those statements allow it on,
	// sorted; "*" when a statement uses NotResource or names no resource.
	Resources []string
	// ThroughWildcard is true when no granting statement names the action
	// literally.
	ThroughWildcard bool
	// Conditional is true when every granting statement has a condition.
	Conditional bool
	// DeniedBy are unconditional Deny statements that remove the action from
	// some (not all) of its resources.
	DeniedBy []int
}

// AllResources reports whether the grant applies to every resource.
func (g Grant) AllResources() bool {
	return len(g.Resources) > 0 && g.Resources[0] == "*"
}

// EffectivePermissions expands the policy against the catalogue and returns
// every action it allows, sorted by action. Wildcards and NotAction are
// expanded to the catalogue's actions; literal actions unknown to the
// catalogue are kept with an Unknown access level. An unconditional Deny on
// every resource removes an action; a Deny scoped to some resources is
// reported in DeniedBy.
func EffectivePermissions(c *catalog.Catalog, p Policy) []Grant {
	// Grants live in one slice and are found by action key, which keeps a
	// policy of "*" (every catalogue action) to a handful of allocations.
	var grants []Grant
	var last []int // position in p.Statements of the last statement granting grants[i]
	var index map[actionKey]int
	exp := expander{c: c, cache: map[string][]catalog.Action{}}
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect != Allow {
			continue
		}
		resources := []string{"*"}
		if !st.coversAllResources() {
			resources = sortedUnique(st.Resources)
		}
		// Shared by every grant of this statement; the full slice
		// expressions make a later append copy instead of overwriting.
		resources = resources[:len(resources):len(resources)]
		stmts := []int{st.Index}
		if index == nil {
			// Size for the first statement: for "*" or NotAction that is
			// most of the catalogue, and growing to it would triple the
			// memory used.
			n := c.NumActions()
			if len(st.NotActions) == 0 {
				n = 0
				for _, p := range st.Actions {
					n += max(len(exp.expand(p)), 1)
				}
			}
			grants = make([]Grant, 0, n)
			last = make([]int, 0, n)
			index = make(map[actionKey]int, n)
		}
		exp.each(st, func(a catalog.Action, wild bool) {
			k := keyOf(a)
			j, ok := index[k]
			if !ok {
				index[k] = len(grants)
				grants = append(grants, Grant{Action: a, Statements: stmts, Resources: resources,
					ThroughWildcard: wild, Conditional: st.HasCondition})
				last = append(last, i)
				return
			}
			g := &grants[j]
			// ThroughWildcard holds when no mention anywhere is literal.
			g.ThroughWildcard = g.ThroughWildcard && wild
			if last[j] == i {
				return // named twice by the same statement
			}
			last[j] = i
			g.Statements = append(g.Statements, st.Index)
			g.Resources = append(g.Resources, resources...)
			g.Conditional = g.Conditional && st.HasCondition
		})
	}
	removed := make([]bool, len(grants))
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Effect != Deny || st.HasCondition {
			continue
		}
		everywhere := len(st.NotResources) == 0 && st.coversAllResources()
		for j := range grants {
			if removed[j] {
				continue
			}
			if m, _ := st.actionMatch(grants[j].Action.String()); !m {
				continue
			}
			if everywhere {
				removed[j] = true
			} else {
				grants[j].DeniedBy = append(grants[j].DeniedBy, st.Index)
			}
		}
	}
	out := grants[:0]
	for j := range grants {
		if removed[j] {
			continue
		}
		g := grants[j]
		if len(g.Statements) > 1 {
			if slices.Contains(g.Resources, "*") {
				g.Resources = []string{"*"}
			} else {
				g.Resources = sortedUnique(g.Resources)
			}
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Action, out[j].Action
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		return a.Name < b.Name
	})
	return out
}

// actionKey identifies an action without allocating: catalogue actions
// have canonical names, and unknownAction lower-cases its service.
type actionKey struct{ service, name string }

func keyOf(a catalog.Action) actionKey {
	if a.AccessLevel == catalog.Unknown {
		return actionKey{a.Service, strings.ToLower(a.Name)}
	}
	return actionKey{a.Service, a.Name}
}

// expander expands action patterns, remembering the results: large
// policies repeat the same patterns in many statements.
type expander struct {
	c     *catalog.Catalog
	cache map[string][]catalog.Action
}

func (e *expander) expand(p string) []catalog.Action {
	if e.cache == nil {
		return e.c.Expand(p)
	}
	key := strings.ToLower(strings.TrimSpace(p))
	acts, ok := e.cache[key]
	if !ok {
		acts = e.c.Expand(p)
		e.cache[key] = acts
	}
	return acts
}

// each calls f for every action a statement names, expanded against the
// catalogue, with whether that mention is a wildcard (or NotAction). An
// action named by several patterns is visited once per pattern. Literal
// actions the catalogue lacks are visited with an Unknown access level.
func (e *expander) each(st *Statement, f func(a catalog.Action, wild bool)) {
	if len(st.NotActions) > 0 {
		for _, s := range e.c.Services() {
			for _, a := range s.Actions {
				if m, _ := st.actionMatch(a.String()); m {
					f(a, true)
				}
			}
		}
		return
	}
	for _, p := range st.Actions {
		wild := hasWildcard(p)
		acts := e.expand(p)
		if len(acts) == 0 && !wild {
			if a, ok := unknownAction(p); ok {
				f(a, false)
			}
			continue
		}
		for _, a := range acts {
			f(a, wild)
		}
	}
}

// unknownAction makes an Action for a well-formed "service:Name" that the
// catalogue does not know (a typo, or an action newer than the catalogue).
func unknownAction(p string) (catalog.Action, bool) {
	svc, name, ok := strings.Cut(strings.TrimSpace(p), ":")
	if !ok || svc == "" || name == "" || strings.ContainsAny(name, ": ") {
		return catalog.Action{}, false
	}
	return catalog.Action{Service: strings.ToLower(svc), Name: name}, true
}
