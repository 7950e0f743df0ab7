package ui

import "testing"

type fakeHover struct {
	steps []int
	oks   []bool
}

func (f *fakeHover) showHover(step, src int, ok bool) {
	f.steps = append(f.steps, step)
	f.oks = append(f.oks, ok)
}

func TestChartSync(t *testing.T) {
	s := NewChartSync()
	a, b := &fakeHover{}, &fakeHover{}
	ida := s.register(a)
	s.register(b)
	s.hover(42, ida)
	for name, f := range map[string]*fakeHover{"a": a, "b": b} {
		if len(f.steps) != 1 || f.steps[0] != 42 || !f.oks[0] {
			t.Errorf("chart %s got %v %v; want one hover at step 42", name, f.steps, f.oks)
		}
	}
	if s.lastStep != 42 {
		t.Errorf("lastStep = %d; want 42", s.lastStep)
	}
	s.unregister(ida)
	s.leave()
	if len(a.steps) != 1 {
		t.Errorf("an unregistered chart was updated: %v", a.steps)
	}
	if len(b.oks) != 2 || b.oks[1] {
		t.Errorf("chart b after leave = %v; want hidden", b.oks)
	}
	if s.lastStep != -1 {
		t.Errorf("lastStep after leave = %d; want -1", s.lastStep)
	}
}
