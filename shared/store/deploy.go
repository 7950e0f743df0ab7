package store

import (
	"github.com/aiinfra/studio/shared/rollout"
	"github.com/aiinfra/studio/shared/studio"
	"github.com/aiinfra/studio/shared/synth"
)

// maxHealthSamples bounds a deployment's health history: the oldest
// samples are dropped past it.
const maxHealthSamples = 1000

// Actor is the actor recorded for actions taken through the store.
const Actor = synth.CreatedOwner

// Act applies action a (advance, rollback or simulate-incident) to
// deployment id and returns the deployment after it. The transitions are
// those of rollout.Apply:
//
//	status       canary      advance                    rollback              simulate-incident
//	healthy      none        409                        409                   degraded
//	healthy      pending     progressing, step 0        409                   degraded
//	progressing  step k      step k+1; reaching 100%:   rolled_back           degraded
//	                         canary becomes stable,
//	                         status healthy
//	paused       step k      progressing, step k        rolled_back           degraded
//	degraded     any         409                        rolled_back           409
//	rolled_back  kept        progressing, step 0        409                   409
//	rolled_back  none        409                        409                   409
//
// An accepted action appends exactly one HistoryEntry, one timeline event
// (LaneDeploy, or LaneAlert for an incident) and one HealthSample: a new
// canary share moves latency, an incident raises latency and error rate,
// a rollback restores the stable baseline. It also updates the stages of
// the model's versions. A rejected action changes nothing and returns
// CodeConflict saying why; an unknown action is CodeInvalid.
func (s *Store) Act(id studio.DeploymentID, a studio.DeploymentAction) (studio.Deployment, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.depIndex[id]
	if !ok {
		return studio.Deployment{}, studio.Errorf(studio.CodeNotFound, "deployment %q not found", id)
	}
	ds := s.deps[i]
	d := &ds.plan.Deployment
	h, err := rollout.Apply(d, a, now, Actor)
	if err != nil {
		return studio.Deployment{}, err
	}
	d.Health = ds.plan.Health(d, now, uint64(now.UnixMilli())<<12^uint64(h.Seq))
	d.HealthHistory = append(d.HealthHistory, studio.HealthSample{Time: now, Health: d.Health})
	if n := len(d.HealthHistory); n > maxHealthSamples {
		d.HealthHistory = append([]studio.HealthSample(nil), d.HealthHistory[n-maxHealthSamples:]...)
	}
	ds.events = append(ds.events, synth.DeploymentEvent(d, h))
	s.refreshModelLocked(d.ModelID)
	s.changes.Add(1)
	return copyDeployment(d), nil
}

// refreshModelLocked recomputes the stages of model id's versions and its
// production version from its deployments. s.mu must be held for writing.
func (s *Store) refreshModelLocked(id studio.ModelID) {
	mi, ok := s.modelIdx[id]
	if !ok {
		return
	}
	var deps []*studio.Deployment
	for _, ds := range s.deps {
		if ds.plan.Deployment.ModelID == id {
			deps = append(deps, &ds.plan.Deployment)
		}
	}
	m := &s.models[mi]
	m.ProductionVersion = synth.AssignStages(s.versions[mi], deps)
	for _, d := range deps {
		if d.UpdatedAt.After(m.UpdatedAt) {
			m.UpdatedAt = d.UpdatedAt
		}
	}
}
