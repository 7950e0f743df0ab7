package export

import (
	"strconv"
	"strings"

	"github.com/tdewolff/canvas"

	"github.com/aiinfra/studio/shared/chart"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/timeline"
)

// pin is a pinned event with its label, "P1", "P2"... in time order.
type pin struct {
	label string
	ev    studio.Event
}

// Geometry of the lanes strip, in pixels.
const (
	laneRowH   = 24.0
	laneLabelW = 130.0
	laneMinGap = 24.0 // marks closer than this become one counted badge
)

var (
	laneText  = textStyle{size: 11}
	badgeText = textStyle{size: 9, bold: true}
)

// lanesHeight is the height drawLanes needs for n lanes.
func lanesHeight(n int) float64 { return 18 + float64(n)*laneRowH + 30 }

// drawLanes draws the timeline strip of win in box: one row per lane with
// its events placed by timeline.Marks (clusters too close to draw apart
// are one badge with their count, so no event is hidden), pins as dashed
// lines, and a time axis.
func drawLanes(s *sheet, box rect, lanes []timeline.LaneEvents, win timeline.Window, pins []pin) {
	pal := s.pal
	stripX := box.X + laneLabelW
	px := box.W - laneLabelW - 8
	top := box.Y + 18
	bottom := top + float64(len(lanes))*laneRowH
	half := s.capHeight(laneText) / 2
	for i, ln := range lanes {
		y := top + float64(i)*laneRowH
		if i%2 == 0 {
			s.fillRect(box.X, y, box.W, laneRowH, pal.panel)
		}
		marks := timeline.Marks(ln.Events, win, px, laneMinGap)
		n := 0
		for _, m := range marks {
			n += m.Count
		}
		count := strconv.Itoa(n)
		cw := s.textWidth(count, laneText)
		label := strings.ReplaceAll(string(ln.Lane), "_", " ")
		s.text(box.X+6, y+laneRowH/2+half, s.fit(label, laneText, laneLabelW-cw-24), withColor(laneText, pal.text), canvas.Left)
		s.text(stripX-8, y+laneRowH/2+half, count, withColor(laneText, pal.muted), canvas.Right)
		mid := y + laneRowH/2
		for _, m := range marks {
			col := pal.severityColor(m.Severity)
			cx := stripX + (m.X+m.X1)/2
			if m.Single() {
				s.circle(cx, mid, 4.5, col)
				continue
			}
			txt := strconv.Itoa(m.Count)
			w := max(18, s.textWidth(txt, badgeText)+10)
			s.roundRect(cx-w/2, mid-7, w, 14, 7, col)
			s.text(cx, mid+s.capHeight(badgeText)/2, txt, withColor(badgeText, pal.background), canvas.Center)
		}
	}
	s.line(stripX, top, stripX, bottom, 0.75, pal.axis)
	s.line(stripX, bottom, stripX+px, bottom, 0.75, pal.axis)

	for _, p := range pins {
		if !win.Contains(p.ev.Time) {
			continue
		}
		x := stripX + win.X(p.ev.Time, px)
		s.line(x, top, x, bottom, 1.25, pal.pin, 4, 3)
		w := s.textWidth(p.label, markText) + 8
		s.roundRect(x-w/2, box.Y+1, w, 14, 3, pal.pin)
		s.text(x, box.Y+11.5, p.label, withColor(markText, pal.background), canvas.Center)
	}

	ticks := chart.Time{From: win.From, To: win.To, R0: stripX, R1: stripX + px}.WallTicks(max(2, int(px/120)))
	st := withColor(tickText, pal.muted)
	last := stripX - 1000
	for _, t := range ticks {
		w := s.textWidth(t.Label, tickText)
		if t.Pos-w/2 < last+8 {
			continue
		}
		s.line(t.Pos, bottom, t.Pos, bottom+4, 0.75, pal.axis)
		s.text(t.Pos, bottom+16, t.Label, st, canvas.Center)
		last = t.Pos + w/2
	}
	s.text(stripX+px/2, bottom+29, "time (UTC)", withColor(tickText, pal.muted), canvas.Center)
}
