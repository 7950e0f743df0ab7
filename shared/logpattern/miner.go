package logpattern

import "strings"

// Config tunes a Miner. The zero Config uses the defaults.
type Config struct {
	// Depth is the number of leading tokens that route a message in the
	// prefix tree before templates are compared; 0 means 2.
	Depth int
	// MaxChildren bounds the branches of a tree node; tokens beyond it
	// share a wildcard branch. 0 means 100.
	MaxChildren int
	// Similarity is the fraction of equal tokens (in [0, 1]) a message
	// needs to join a template; 0 means 0.5.
	Similarity float64
}

func (c Config) withDefaults() Config {
	if c.Depth <= 0 {
		c.Depth = 2
	}
	if c.MaxChildren <= 0 {
		c.MaxChildren = 100
	}
	if c.Similarity <= 0 || c.Similarity != c.Similarity {
		c.Similarity = 0.5
	}
	c.Similarity = min(c.Similarity, 1)
	return c
}

// Template is a log pattern: messages that differ only in variable parts.
type Template struct {
	ID      int    `json:"id"`      // 1-based, in order of first appearance
	Pattern string `json:"pattern"` // e.g. "step <*> loss=<*> lr=<*>"
	Count   int    `json:"count"`   // messages that joined it
	Example string `json:"example"` // the first of them
}

// Miner groups log messages into templates with the Drain algorithm:
// messages are tokenized and masked (see Tokens), routed by token count
// and their first Depth tokens through a prefix tree, and joined to the
// most similar template at the leaf when at least Similarity of their
// tokens are equal. Joining sets the positions that differ to Wildcard.
//
// The result depends only on the messages and their order. A Miner is not
// safe for concurrent use.
type Miner struct {
	cfg      Config
	roots    map[int]*node // by token count
	clusters []*cluster    // clusters[id-1]
	scratch  []token
}

type node struct {
	children map[string]*node
	leaf     []*cluster // at the deepest level
}

type cluster struct {
	id      int
	tokens  []string
	glued   []bool // spacing of the first message, to print the pattern
	count   int
	example string
}

// NewMiner returns an empty Miner.
func NewMiner(cfg Config) *Miner {
	return &Miner{cfg: cfg.withDefaults(), roots: make(map[int]*node)}
}

// Add mines message and returns the ID of the template it joined or
// created.
func (m *Miner) Add(message string) (templateID int) {
	m.scratch = appendTokens(m.scratch[:0], message)
	toks := m.scratch
	leaf := m.route(toks, true)
	c, sim := best(leaf.leaf, toks)
	if c != nil && sim >= m.cfg.Similarity {
		for i, t := range toks {
			if c.tokens[i] != t.text {
				c.tokens[i] = Wildcard
			}
		}
		c.count++
		return c.id
	}
	c = &cluster{id: len(m.clusters) + 1, tokens: make([]string, len(toks)), glued: make([]bool, len(toks)), count: 1, example: message}
	for i, t := range toks {
		// Clone: a token is a substring of message, and the template
		// must not keep a large message alive.
		c.tokens[i] = strings.Clone(t.text)
		c.glued[i] = t.glued
	}
	leaf.leaf = append(leaf.leaf, c)
	m.clusters = append(m.clusters, c)
	return c.id
}

// Match returns the ID of the template message would join, without
// changing the miner. ok is false when it would start a new template.
func (m *Miner) Match(message string) (templateID int, ok bool) {
	toks := appendTokens(nil, message)
	leaf := m.route(toks, false)
	if leaf == nil {
		return 0, false
	}
	c, sim := best(leaf.leaf, toks)
	if c == nil || sim < m.cfg.Similarity {
		return 0, false
	}
	return c.id, true
}

// route walks the prefix tree to the leaf for toks, creating nodes when
// create is set (else it returns nil for a missing path).
func (m *Miner) route(toks []token, create bool) *node {
	n := m.roots[len(toks)]
	if n == nil {
		if !create {
			return nil
		}
		n = &node{}
		m.roots[len(toks)] = n
	}
	for i := range min(m.cfg.Depth, len(toks)) {
		key := toks[i].text
		child := n.children[key]
		if child == nil {
			// An unseen token gets its own branch until the node is full;
			// then it shares the wildcard branch.
			if len(n.children) >= m.cfg.MaxChildren {
				key = Wildcard
				child = n.children[Wildcard]
			}
			if child == nil {
				if !create {
					return nil
				}
				if n.children == nil {
					n.children = make(map[string]*node)
				}
				child = &node{}
				n.children[key] = child
			}
		}
		n = child
	}
	return n
}

// best returns the most similar cluster to toks and its similarity: the
// fraction of positions with equal tokens (Wildcard equals Wildcard). A
// tie goes to the older cluster.
func best(clusters []*cluster, toks []token) (*cluster, float64) {
	var top *cluster
	topSim := -1.0
	for _, c := range clusters {
		eq := 0
		for i, t := range toks {
			if c.tokens[i] == t.text {
				eq++
			}
		}
		sim := 1.0
		if len(toks) > 0 {
			sim = float64(eq) / float64(len(toks))
		}
		if sim > topSim {
			top, topSim = c, sim
		}
	}
	return top, topSim
}

// Len returns the number of templates.
func (m *Miner) Len() int { return len(m.clusters) }

// Template returns the template with the given ID. ok is false for an
// unknown ID.
func (m *Miner) Template(id int) (t Template, ok bool) {
	if id < 1 || id > len(m.clusters) {
		return Template{}, false
	}
	return m.clusters[id-1].template(), true
}

// Templates returns every template in ID order (first appearance).
func (m *Miner) Templates() []Template {
	out := make([]Template, len(m.clusters))
	for i, c := range m.clusters {
		out[i] = c.template()
	}
	return out
}

func (c *cluster) template() Template {
	return Template{ID: c.id, Pattern: c.pattern(), Count: c.count, Example: c.example}
}

// pattern joins the tokens, with a space wherever the first message had
// whitespace.
func (c *cluster) pattern() string {
	var b strings.Builder
	for i, t := range c.tokens {
		if i > 0 && !c.glued[i] {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}
