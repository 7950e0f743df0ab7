package logpattern

import (
	"cmp"
	"math"
	"sort"

	"github.com/aiinfra/studio/shared/studio"
)

// ShiftKind says how a pattern's presence changed between two windows.
type ShiftKind string

// Shift kinds, in the order Shift reports them.
const (
	Appeared ShiftKind = "appeared" // absent before, present after
	Vanished ShiftKind = "vanished" // present before, absent after
	Changed  ShiftKind = "changed"  // present in both; see Delta
)

// DefaultExamples is the number of example seqs ShiftLines keeps per
// window and pattern when asked for 0.
const DefaultExamples = 5

// PatternShift is one log pattern compared between a before and an after
// window.
type PatternShift struct {
	ID      int       `json:"id"`
	Pattern string    `json:"pattern"`
	Kind    ShiftKind `json:"kind"`
	// Before and After count the pattern's lines in each window.
	Before int `json:"before"`
	After  int `json:"after"`
	// BeforeShare and AfterShare are those counts as fractions of each
	// window's lines (0 for an empty window); Delta is AfterShare -
	// BeforeShare.
	BeforeShare float64 `json:"before_share"`
	AfterShare  float64 `json:"after_share"`
	Delta       float64 `json:"delta"`
	// Example is the pattern's first line in the after window, or in the
	// before window when it has none after.
	Example string `json:"example"`
	// BeforeSeqs and AfterSeqs are the seqs of the pattern's first lines in
	// each window (ShiftLines only), so a UI can jump to them.
	BeforeSeqs []int64 `json:"before_seqs,omitempty"`
	AfterSeqs  []int64 `json:"after_seqs,omitempty"`
}

// Shift mines the messages of both windows with one Miner and compares
// every pattern's share of each window. See ShiftLines for the order.
func Shift(before, after []string) []PatternShift {
	m := NewMiner(Config{})
	var s shifter
	for _, msg := range before {
		s.add(m.Add(msg), msg, -1, false, 0)
	}
	for _, msg := range after {
		s.add(m.Add(msg), msg, -1, true, 0)
	}
	return s.result(m, len(before), len(after))
}

// ShiftLines is Shift over log lines, also keeping up to examples seqs per
// window and pattern (0 means DefaultExamples, negative means none).
//
// The result holds every pattern seen in either window: first those that
// Appeared (most lines first), then those that Vanished (most lines
// first), then those that Changed, by decreasing |Delta|; ties go to the
// lower ID. The order depends only on the input.
func ShiftLines(before, after []studio.LogLine, examples int) []PatternShift {
	if examples == 0 {
		examples = DefaultExamples
	}
	m := NewMiner(Config{})
	var s shifter
	for _, l := range before {
		s.add(m.Add(l.Message), l.Message, l.Seq, false, examples)
	}
	for _, l := range after {
		s.add(m.Add(l.Message), l.Message, l.Seq, true, examples)
	}
	return s.result(m, len(before), len(after))
}

// shifter accumulates per-template counts for the two windows.
type shifter struct {
	rows []PatternShift // rows[id-1]
}

func (s *shifter) add(id int, msg string, seq int64, after bool, examples int) {
	for len(s.rows) < id {
		s.rows = append(s.rows, PatternShift{ID: len(s.rows) + 1})
	}
	r := &s.rows[id-1]
	if after {
		if r.After == 0 {
			r.Example = msg
		}
		r.After++
		if seq >= 0 && len(r.AfterSeqs) < examples {
			r.AfterSeqs = append(r.AfterSeqs, seq)
		}
		return
	}
	if r.Before == 0 && r.After == 0 {
		r.Example = msg
	}
	r.Before++
	if seq >= 0 && len(r.BeforeSeqs) < examples {
		r.BeforeSeqs = append(r.BeforeSeqs, seq)
	}
}

func (s *shifter) result(m *Miner, nBefore, nAfter int) []PatternShift {
	out := s.rows
	for i := range out {
		r := &out[i]
		t, _ := m.Template(r.ID)
		r.Pattern = t.Pattern
		if nBefore > 0 {
			r.BeforeShare = float64(r.Before) / float64(nBefore)
		}
		if nAfter > 0 {
			r.AfterShare = float64(r.After) / float64(nAfter)
		}
		r.Delta = r.AfterShare - r.BeforeShare
		switch {
		case r.Before == 0:
			r.Kind = Appeared
		case r.After == 0:
			r.Kind = Vanished
		default:
			r.Kind = Changed
		}
	}
	rank := map[ShiftKind]int{Appeared: 0, Vanished: 1, Changed: 2}
	// sort.Slice, not slices.SortFunc: the same pdqsort (rows are unique
	// by ID anyway) without a ~20 KB instantiation in the wasm client.
	compare := func(a, b *PatternShift) int {
		if c := cmp.Compare(rank[a.Kind], rank[b.Kind]); c != 0 {
			return c
		}
		var c int
		switch a.Kind {
		case Appeared:
			c = cmp.Compare(b.After, a.After)
		case Vanished:
			c = cmp.Compare(b.Before, a.Before)
		default:
			c = cmp.Compare(math.Abs(b.Delta), math.Abs(a.Delta))
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	sort.Slice(out, func(i, j int) bool { return compare(&out[i], &out[j]) < 0 })
	if out == nil {
		out = []PatternShift{}
	}
	return out
}
