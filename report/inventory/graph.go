package inventory

import (
	"sort"

	"github.com/faasguard/faasguard/model"
	"github.com/faasguard/faasguard/rules"
)

// Node kinds, one per column of the graph.
const (
	KindTrigger  = "trigger"
	KindFunction = "function"
	KindRole     = "role"
	KindResource = "resource"
)

var layerOf = map[string]int{KindTrigger: 0, KindFunction: 1, KindRole: 2, KindResource: 3}

// Risks marked on nodes and edges.
const (
	RiskPublic   = "public-unauthenticated" // anyone on the internet can invoke it
	RiskAdmin    = "admin"                  // administrator / full-access managed policy
	RiskWildcard = "wildcard"               // wildcard actions, or writes on Resource "*"
	RiskLoop     = "recursive-loop"         // the function can write to its own trigger
)

// Graph is the attack-surface graph: triggers → functions → roles →
// resources, with a layered layout (X, Y, W, H) ready to draw.
type Graph struct {
	Nodes  []*Node `json:"nodes"`
	Edges  []*Edge `json:"edges"`
	Width  int     `json:"width"`
	Height int     `json:"height"`

	byID   map[string]*Node
	byEdge map[[2]string]*Edge
}

// Node is one box of the graph.
type Node struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
	// Title is the full name when Label is shortened.
	Title    string    `json:"title,omitempty"`
	App      string    `json:"application"`
	Function string    `json:"function,omitempty"`
	Location model.Pos `json:"location"`
	Risks    []string  `json:"risks,omitempty"`
	// Findings are the fingerprints of the findings on the node.
	Findings []string `json:"findings,omitempty"`
	Worst    string   `json:"worstSeverity,omitempty"`
	X        int      `json:"x"`
	Y        int      `json:"y"`
	W        int      `json:"w"`
	H        int      `json:"h"`

	worst rules.Severity
}

// Edge is one arrow of the graph.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label,omitempty"`
	Risk  string `json:"risk,omitempty"`

	statements []model.Pos // statements an edge role → resource stands for
}

func (n *Node) risk(r string) {
	if !contains(n.Risks, r) {
		n.Risks = append(n.Risks, r)
	}
}

func (n *Node) addFindings(fs []rules.Finding) {
	for _, f := range fs {
		if contains(n.Findings, f.Fingerprint) {
			continue
		}
		n.Findings = append(n.Findings, f.Fingerprint)
		if n.Worst == "" || f.Severity > n.worst {
			n.worst, n.Worst = f.Severity, f.Severity.String()
		}
	}
}

func (g *Graph) node(id string) *Node {
	if g.byID == nil || len(g.byID) != len(g.Nodes) {
		g.byID = make(map[string]*Node, len(g.Nodes))
		for _, n := range g.Nodes {
			g.byID[n.ID] = n
		}
	}
	return g.byID[id]
}

// node returns the node with the app-local id, creating it.
func (b *builder) node(id, kind, label, detail string, pos model.Pos) *Node {
	id = b.prefix + id
	if n, ok := b.nodes[id]; ok {
		return n
	}
	n := &Node{ID: id, Kind: kind, Label: label, Detail: detail, App: b.app.Name, Location: pos}
	b.nodes[id] = n
	b.inv.Graph.Nodes = append(b.inv.Graph.Nodes, n)
	return n
}

func (b *builder) edge(from, to *Node, label string) *Edge {
	g := &b.inv.Graph
	k := [2]string{from.ID, to.ID}
	if e, ok := g.byEdge[k]; ok {
		return e
	}
	if g.byEdge == nil {
		g.byEdge = map[[2]string]*Edge{}
	}
	e := &Edge{From: from.ID, To: to.ID, Label: label}
	g.Edges = append(g.Edges, e)
	g.byEdge[k] = e
	return e
}

// Layout geometry, in SVG user units.
const (
	nodeW   = 200
	nodeH   = 46
	gapY    = 16
	gapX    = 130
	margin  = 28
	sweeps  = 4
	maxIter = 1 << 16 // bound on the ordering work for huge graphs
)

// Layout places the nodes in four columns (triggers, functions, roles,
// resources) and orders each column by the barycentre of its neighbours,
// a few sweeps left to right and back, which removes most crossings of
// these shallow graphs. The result is deterministic.
func (g *Graph) Layout() {
	cols := make([][]*Node, 4)
	index := map[string]int{}
	for i, n := range g.Nodes {
		l := layerOf[n.Kind]
		cols[l] = append(cols[l], n)
		index[n.ID] = i
	}
	adj := map[string][]string{}
	for _, e := range g.Edges {
		if e.Risk == RiskLoop && layerOf[g.nodeKind(e.From)] > layerOf[g.nodeKind(e.To)] {
			continue // back edges of loops do not steer the ordering
		}
		adj[e.From] = append(adj[e.From], e.To)
		adj[e.To] = append(adj[e.To], e.From)
	}
	pos := map[string]float64{}
	set := func(col []*Node) {
		for i, n := range col {
			pos[n.ID] = float64(i)
		}
	}
	for _, c := range cols {
		set(c)
	}
	order := func(col []*Node, by int) {
		bary := map[string]float64{}
		for _, n := range col {
			sum, cnt := 0.0, 0
			for _, m := range adj[n.ID] {
				if layerOf[g.nodeKind(m)] == by {
					sum += pos[m]
					cnt++
				}
			}
			if cnt == 0 {
				bary[n.ID] = pos[n.ID]
			} else {
				bary[n.ID] = sum / float64(cnt)
			}
		}
		sort.SliceStable(col, func(i, j int) bool {
			if bary[col[i].ID] != bary[col[j].ID] {
				return bary[col[i].ID] < bary[col[j].ID]
			}
			return index[col[i].ID] < index[col[j].ID]
		})
		set(col)
	}
	if len(g.Nodes)*sweeps < maxIter {
		for s := 0; s < sweeps; s++ {
			order(cols[0], 1)
			order(cols[2], 1)
			order(cols[3], 2)
			order(cols[2], 3)
			order(cols[1], 2)
		}
		order(cols[0], 1)
	}
	tallest := 0
	for _, c := range cols {
		if len(c) > tallest {
			tallest = len(c)
		}
	}
	height := tallest*(nodeH+gapY) - gapY
	if height < nodeH {
		height = nodeH
	}
	for l, c := range cols {
		h := len(c)*(nodeH+gapY) - gapY
		top := margin + (height-h)/2
		for i, n := range c {
			n.X = margin + l*(nodeW+gapX)
			n.Y = top + i*(nodeH+gapY)
			n.W, n.H = nodeW, nodeH
		}
	}
	g.Width = 2*margin + 4*nodeW + 3*gapX
	g.Height = 2*margin + height
}

func (g *Graph) nodeKind(id string) string {
	if n := g.node(id); n != nil {
		return n.Kind
	}
	return ""
}
