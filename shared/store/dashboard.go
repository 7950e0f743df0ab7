package store

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/api"
	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// Dashboard limits.
const (
	dashboardHours    = 24
	maxAttention      = 10
	maxActivity       = 20
	attentionFailedIn = 72 * time.Hour
)

// DashboardMaxAge bounds how stale a cached dashboard may be, in the
// store's clock, when only streamed steps and the passing of time have
// changed it.
const DashboardMaxAge = time.Second

// Dashboard returns the platform overview at the store's now: run counts,
// success rate, GPU use, deployments by status (every status present),
// open incidents, 24 hourly sparkline values (oldest first), runs that
// need attention (failed in the last 72 hours, or running with a critical
// alert), newest first, and the latest events across runs and deployments.
//
// The overview is cached (computing it reads every run). A created run, a
// deployment action or a run changing status shows at once; streamed steps
// and the passing of time show within DashboardMaxAge, and Now says when
// the overview was computed. A store whose clock stands still (a fixed
// Options.Now) recomputes after every change.
func (s *Store) Dashboard() api.Dashboard {
	d, _ := s.DashboardView()
	return cloneDashboard(d)
}

// DashboardView is Dashboard without the copy. d is shared by every caller
// until the next recomputation and must not be modified. gen identifies
// the computation: two calls return the same gen only when they return
// the same d, so a caller may cache what it derives from d (its JSON) by
// gen.
func (s *Store) DashboardView() (d *api.Dashboard, gen uint64) {
	if c := s.dash.Load(); c != nil && s.dashboardFresh(c, s.now()) {
		return &c.d, c.gen
	}
	s.dashMu.Lock() // one computation at a time; the others wait for it
	defer s.dashMu.Unlock()
	now := s.now()
	if c := s.dash.Load(); c != nil && s.dashboardFresh(c, now) {
		return &c.d, c.gen
	}
	s.mu.RLock()
	c := &dashboardCache{now: now, changes: s.changes.Load(), steps: s.steps.Load()}
	c.d = s.dashboardLocked(now)
	s.mu.RUnlock()
	s.dashGen++
	c.gen = s.dashGen
	s.dash.Store(c)
	return &c.d, c.gen
}

// dashboardCache is a computed dashboard and the state it was computed
// from. It is immutable once stored.
type dashboardCache struct {
	d       api.Dashboard
	gen     uint64
	now     time.Time
	changes uint64 // Store.changes when computed
	steps   uint64 // Store.steps when computed
}

// dashboardFresh reports whether c may be served at now: nothing but
// streamed steps changed since, the clock has not gone back and is less
// than DashboardMaxAge past c.now, and if steps were streamed the clock
// has moved at all.
func (s *Store) dashboardFresh(c *dashboardCache, now time.Time) bool {
	if c.changes != s.changes.Load() || now.Before(c.now) || now.Sub(c.now) >= DashboardMaxAge {
		return false
	}
	return c.steps == s.steps.Load() || now.After(c.now)
}

// cloneDashboard returns a deep copy of d.
func cloneDashboard(d *api.Dashboard) api.Dashboard {
	c := *d
	c.DeploymentsByStatus = maps.Clone(d.DeploymentsByStatus)
	c.RunsStartedHourly = slices.Clone(d.RunsStartedHourly)
	c.SuccessRateHourly = slices.Clone(d.SuccessRateHourly)
	c.GPUUtilHourly = slices.Clone(d.GPUUtilHourly)
	c.ErrorRateHourly = slices.Clone(d.ErrorRateHourly)
	c.Attention = make([]api.AttentionItem, len(d.Attention))
	for i, a := range d.Attention {
		a.Run = cloneRun(a.Run)
		c.Attention[i] = a
	}
	c.Activity = make([]studio.Event, len(d.Activity))
	for i, e := range d.Activity {
		e.Links = slices.Clone(e.Links)
		c.Activity[i] = e
	}
	return c
}

// cloneRun returns a deep copy of r (nil slices and maps stay nil).
func cloneRun(r studio.Run) studio.Run {
	r.Tags = slices.Clone(r.Tags)
	r.Metrics = slices.Clone(r.Metrics)
	r.Summary = maps.Clone(r.Summary)
	if r.StartedAt != nil {
		t := *r.StartedAt
		r.StartedAt = &t
	}
	if r.EndedAt != nil {
		t := *r.EndedAt
		r.EndedAt = &t
	}
	return r
}

// dashboardLocked computes the dashboard at now. s.mu must be held.
func (s *Store) dashboardLocked(now time.Time) api.Dashboard {
	d := api.Dashboard{
		DeploymentsByStatus: make(map[studio.DeploymentStatus]int, len(studio.DeploymentStatuses)),
		Attention:           []api.AttentionItem{}, Activity: []studio.Event{}, Now: now,
	}
	for _, st := range studio.DeploymentStatuses {
		d.DeploymentsByStatus[st] = 0
	}
	start := now.Add(-dashboardHours * time.Hour)
	bucket := func(t time.Time) int {
		if t.Before(start) || !t.Before(now) {
			return -1
		}
		return int(t.Sub(start) / time.Hour)
	}
	started := make([]float64, dashboardHours)
	ended, succeeded := make([]int, dashboardHours), make([]int, dashboardHours)
	utilSum, utilN := make([]float64, dashboardHours), make([]int, dashboardHours)
	finished, ok := 0, 0
	var utilTotal float64
	var activity []studio.Event
	type attention struct {
		item api.AttentionItem
		at   time.Time
	}
	var att []attention
	for _, st := range s.runs {
		p := &st.plan
		d.TotalRuns++
		switch st.status {
		case studio.RunRunning:
			d.ActiveRuns++
			d.GPUsInUse += p.Run.Config.GPUs
			utilTotal += st.summary[studio.MetricGPUUtil]
		case studio.RunQueued:
			d.QueuedRuns++
		case studio.RunSucceeded:
			finished++
			ok++
		default:
			finished++
		}
		if !p.Started() {
			continue
		}
		if b := bucket(p.StartTime()); b >= 0 {
			started[b]++
		}
		if st.endedAt != nil {
			if b := bucket(*st.endedAt); b >= 0 {
				ended[b]++
				if st.status == studio.RunSucceeded {
					succeeded[b]++
				}
			}
		}
		// GPU utilisation at each hour's midpoint while the run was active.
		for h := range dashboardHours {
			t := start.Add(time.Duration(h)*time.Hour + 30*time.Minute)
			step := int(t.Sub(p.StartTime()).Milliseconds() / p.StepMS)
			if t.Before(p.StartTime()) || step >= st.steps {
				continue
			}
			utilSum[h] += p.Metric(synthGPUUtil, step)
			utilN[h]++
		}
		evs := p.Events(st.steps, st.status.Terminal())
		for _, e := range evs {
			if !e.Time.After(now) {
				activity = append(activity, e)
			}
		}
		switch {
		case st.status == studio.RunFailed && st.endedAt != nil && now.Sub(*st.endedAt) <= attentionFailedIn:
			att = append(att, attention{api.AttentionItem{Run: st.snapshot(), Reason: "failed: " + p.Run.Error}, *st.endedAt})
		case st.status == studio.RunRunning:
			for i := len(evs) - 1; i >= 0; i-- {
				if e := evs[i]; e.Lane == studio.LaneAlert && e.Severity == studio.SeverityCritical {
					att = append(att, attention{api.AttentionItem{Run: st.snapshot(), Reason: "alert: " + e.Title}, e.Time})
					break
				}
			}
		}
	}
	if finished > 0 {
		d.SuccessRate = round4(float64(ok) / float64(finished))
	}
	if d.ActiveRuns > 0 {
		d.GPUUtil = roundTo(utilTotal/float64(d.ActiveRuns), 10)
	}
	errSum, errN := make([]float64, dashboardHours), make([]int, dashboardHours)
	for _, ds := range s.deps {
		dep := &ds.plan.Deployment
		d.DeploymentsByStatus[dep.Status]++
		if _, open := rollout.OpenIncident(dep); open {
			d.OpenIncidents++
		}
		for _, h := range dep.HealthHistory {
			if b := bucket(h.Time); b >= 0 {
				errSum[b] += h.ErrorRate
				errN[b]++
			}
		}
		for _, e := range ds.events {
			if !e.Time.After(now) {
				activity = append(activity, e)
			}
		}
	}
	d.RunsStartedHourly = started
	d.SuccessRateHourly = make([]float64, dashboardHours)
	d.GPUUtilHourly = make([]float64, dashboardHours)
	d.ErrorRateHourly = make([]float64, dashboardHours)
	prevRate, prevErr := d.SuccessRate, 0.0
	for h := range dashboardHours {
		if ended[h] > 0 {
			prevRate = round4(float64(succeeded[h]) / float64(ended[h]))
		}
		d.SuccessRateHourly[h] = prevRate
		if utilN[h] > 0 {
			d.GPUUtilHourly[h] = roundTo(utilSum[h]/float64(utilN[h]), 10)
		}
		if errN[h] > 0 {
			prevErr = roundTo(errSum[h]/float64(errN[h]), 1e6)
		}
		d.ErrorRateHourly[h] = prevErr
	}
	slices.SortStableFunc(att, func(a, b attention) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(a.item.Run.ID, b.item.Run.ID)
	})
	for i := 0; i < len(att) && i < maxAttention; i++ {
		d.Attention = append(d.Attention, att[i].item)
	}
	synth.SortEvents(activity)
	for i := len(activity) - 1; i >= 0 && len(d.Activity) < maxActivity; i-- {
		e := activity[i]
		e.Links = append([]studio.Link{}, e.Links...)
		d.Activity = append(d.Activity, e)
	}
	return d
}

var synthGPUUtil, _ = synth.MetricIndex(studio.MetricGPUUtil)

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func roundTo(v, inv float64) float64 { return math.Round(v*inv) / inv }
