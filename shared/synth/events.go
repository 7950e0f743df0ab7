package synth

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/aiinfra/studio/shared/studio"
)

var laneOrder = map[studio.Lane]int{}

func init() {
	for i, l := range studio.Lanes {
		laneOrder[l] = i
	}
}

// SortEvents sorts events by time, then lane order, then id.
func SortEvents(evs []studio.Event) {
	slices.SortStableFunc(evs, func(a, b studio.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		if c := cmp.Compare(laneOrder[a.Lane], laneOrder[b.Lane]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

var incidentAlerts = [numIncidentKinds]struct {
	title string
	sev   studio.Severity
}{
	incNCCL:         {"NCCL timeout on rank %d", studio.SeverityCritical},
	incLossSpike:    {"loss spike at step %d", studio.SeverityWarning},
	incOOM:          {"CUDA OOM retry on rank %d", studio.SeverityCritical},
	incDataloader:   {"dataloader stall at step %d", studio.SeverityWarning},
	incECC:          {"ECC error on rank %d", studio.SeverityCritical},
	incGradOverflow: {"gradient overflow at step %d", studio.SeverityWarning},
}

// planEvents returns the run's planned events through FinalSteps, sorted
// by time, with ids "ev-run-0042-0001"... in that order.
func (p *RunPlan) planEvents() []studio.Event {
	var evs []studio.Event
	id := string(p.Run.ID)
	runLink := studio.Link{Kind: "run", Label: id, Href: "/runs/" + id}
	logLink := func(seq int64) studio.Link {
		return studio.Link{Kind: "log", Label: fmt.Sprintf("line %d", seq), Href: fmt.Sprintf("/runs/%s?tab=logs&line=%d", id, seq)}
	}
	metricLink := func(step int) studio.Link {
		return studio.Link{Kind: "run", Label: fmt.Sprintf("step %d", step), Href: fmt.Sprintf("/runs/%s?tab=metrics&step=%d", id, step)}
	}
	r := newRNG(p.seed, domEvent, uint64(p.Index), 0)
	l := int64(p.LinesPerStep)

	// The commit the run was launched from, pushed shortly before it.
	author := p.Run.Owner
	evs = append(evs, studio.Event{
		Lane: studio.LaneCommit, Time: p.Run.CreatedAt.Add(-time.Duration(r.between(5, 180)) * time.Minute),
		Title: "commit " + p.Run.Commit + " on " + p.Run.Branch, Detail: pick(&r, commitMessages) + " (" + author + ")",
		Severity: studio.SeverityInfo, Subject: id, Step: 0,
		Links: []studio.Link{{Kind: "commit", Label: p.Run.Commit, Href: "/runs/" + id + "?tab=config"}, runLink},
	})
	// Later commits on the same branch, pushed while the run trains.
	for i, n := 0, r.intn(3); i < n && p.FinalSteps > 10; i++ {
		step := p.FinalSteps * (i*2 + 1) / (n*2 + 1)
		sha := fmt.Sprintf("%012x", r.u64()>>16)
		evs = append(evs, studio.Event{
			Lane: studio.LaneCommit, Time: p.StepTime(step).Add(time.Duration(r.intn(int(p.StepMS))) * time.Millisecond),
			Title: "commit " + sha + " pushed to " + p.Run.Branch, Detail: pick(&r, commitMessages) + " (" + pick(&r, owners) + ")",
			Severity: studio.SeverityInfo, Subject: id, Step: step,
			Links: []studio.Link{{Kind: "commit", Label: sha, Href: "/runs/" + id + "?tab=timeline&step=" + fmt.Sprint(step)}},
		})
	}
	// Regular checkpoints.
	gib := p.checkpointGiB()
	for step := p.ckptEvery; step < p.FinalSteps; step += p.ckptEvery {
		seq := int64(step)*l + 1
		evs = append(evs, studio.Event{
			Lane: studio.LaneCheckpoint, Time: p.LineTime(seq), Title: fmt.Sprintf("checkpoint step-%06d", step),
			Detail:   fmt.Sprintf("s3://ckpt/%s/step-%06d.pt, %d.%02d GiB", id, step, gib/100, gib%100),
			Severity: studio.SeverityInfo, Subject: id, Step: step, Links: []studio.Link{logLink(seq)},
		})
	}
	// Incidents: log spike, alert, emergency checkpoint.
	for _, in := range p.incidents {
		if in.step >= p.FinalSteps {
			continue
		}
		warn, errs, first := int64(0), int64(0), int64(-1)
		for seq := in.burstFrom; seq < in.burstFrom+in.burstLen; seq++ {
			switch p.LogLevel(seq) {
			case studio.LevelWarn:
				warn++
			case studio.LevelError:
				errs++
			default:
				continue
			}
			if first < 0 {
				first = seq
			}
		}
		if first < 0 {
			first = in.burstFrom
		}
		secs := in.burstLen * p.StepMS / l / 1000
		sev := studio.SeverityWarning
		if errs >= 10 {
			sev = studio.SeverityCritical
		}
		firstMsg, _, _ := p.AppendLogMessage(nil, first)
		evs = append(evs, studio.Event{
			Lane: studio.LaneLogSpike, Time: p.LineTime(in.burstFrom),
			Title:  fmt.Sprintf("log spike: %d warn/error lines in %ds", warn+errs, max(secs, 1)),
			Detail: fmt.Sprintf("%d errors, %d warnings; first: %s", errs, warn, firstMsg), Severity: sev,
			Subject: id, Step: in.step, Links: []studio.Link{logLink(first), runLink},
		})
		mid := in.burstFrom + in.burstLen/2
		a := incidentAlerts[in.kind]
		title := fmt.Sprintf(a.title, in.step)
		if in.kind == incNCCL || in.kind == incOOM || in.kind == incECC {
			title = fmt.Sprintf(a.title, in.rank)
		}
		astep := int(mid / l)
		evs = append(evs, studio.Event{
			Lane: studio.LaneAlert, Time: p.LineTime(mid).Add(time.Duration(r.between(5, 40)) * time.Second),
			Title: title, Detail: fmt.Sprintf("alert fired for %s at step %d (loss %.4f, grad_norm %.2f)", id, in.step,
				p.Metric(0, in.step), p.Metric(4, in.step)),
			Severity: a.sev, Subject: id, Step: astep, Links: []studio.Link{metricLink(in.step), logLink(mid)},
		})
		if cs := in.step + p.checkpointDelay(); cs < p.FinalSteps && cs%p.ckptEvery != 0 {
			seq := int64(cs)*l + 1
			evs = append(evs, studio.Event{
				Lane: studio.LaneCheckpoint, Time: p.LineTime(seq), Title: fmt.Sprintf("checkpoint step-%06d (after incident)", cs),
				Detail:   fmt.Sprintf("s3://ckpt/%s/step-%06d.pt, %d.%02d GiB, saved after the step %d incident", id, cs, gib/100, gib%100, in.step),
				Severity: studio.SeverityInfo, Subject: id, Step: cs, Links: []studio.Link{logLink(seq)},
			})
		}
	}
	switch p.FinalStatus {
	case studio.RunFailed:
		last := int64(p.FinalSteps)*l - 1
		evs = append(evs, studio.Event{
			Lane: studio.LaneAlert, Time: p.LineTime(last), Title: "run failed", Detail: p.Run.Error,
			Severity: studio.SeverityCritical, Subject: id, Step: p.FinalSteps - 1, Links: []studio.Link{logLink(last), runLink},
		})
	case studio.RunSucceeded:
		step := p.FinalSteps - 1
		seq := int64(step) * l
		evs = append(evs, studio.Event{
			Lane: studio.LaneCheckpoint, Time: p.LineTime(seq), Title: fmt.Sprintf("final checkpoint step-%06d", p.FinalSteps),
			Detail:   fmt.Sprintf("s3://ckpt/%s/final.pt, %d.%02d GiB", id, gib/100, gib%100),
			Severity: studio.SeverityInfo, Subject: id, Step: step, Links: []studio.Link{logLink(seq)},
		})
	}
	SortEvents(evs)
	for i := range evs {
		evs[i].ID = studio.EventID(fmt.Sprintf("ev-%s-%04d", id, i+1))
	}
	return evs
}
