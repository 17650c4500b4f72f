// SPDX-License-Identifier: MIT

// Package train runs pycog's training protocol on a model and a task:
// fresh minibatches, a validation set every so many trials, pycog's stop
// rule, and the best parameters (lowest validation loss) kept.
//
// It is a departure from DESIGN.md's layout, which has no room for a
// driver: the protocol needs ctrnn, loss, optim and task together, and none
// of those packages should depend on all the others.
package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
	"github.com/nn4n/nn4n/task"
)

// pcgStream is the second PCG word of the minibatch and validation
// generators.
const pcgStream = 0x6e6e346e_74726e72

// Protocol configures a run. Zero values take pycog's defaults.
type Protocol struct {
	Task task.Task
	// Objective defaults to loss.SongYang{} (λ_Ω = 2).
	Objective ctrnn.Objective
	// Optimizer defaults to optim.NewSGD(): lr 0.01, global norm 1, guard.
	Optimizer optim.Optimizer
	// Minibatch defaults to the task's Spec().Minibatch.
	Minibatch int
	// ValidEvery is the number of training trials between validations
	// (default 10⁴, pycog's checkfreq × n_gradient). The first validation
	// runs before any update.
	ValidEvery int
	// NValidation defaults to the task's Spec().NValidation.
	NValidation int
	// MaxTrials bounds the run (default 10⁷, pycog's max_iter in trials).
	MaxTrials int
	// MinError stops the run when the validation RMSE is ≤ it (0 = off).
	MinError float64
	// Patience stops the run after this many validations without a new
	// best loss (default 100, pycog's).
	Patience int
	// Seed seeds the training minibatches; validation sets use Seed+1.
	Seed uint64
	// Progress, when set, is called after every validation.
	Progress func(Record)
}

// Record is one validation.
type Record struct {
	Trials  int           // training trials seen
	Updates int           // optimiser steps taken
	Loss    float64       // validation objective (first term)
	RMSE    float64       // validation √(masked MSE)
	Perf    float64       // the task's performance metric
	Best    bool          // this validation set a new lowest loss
	Elapsed time.Duration // since the start of the run
}

// String is the progress line: trials, loss, RMSE, performance.
func (r Record) String() string {
	best := ""
	if r.Best {
		best = " *"
	}
	return fmt.Sprintf("trials %8d  loss %.5f  rmse %.4f  perf %6.2f  %6.1fs%s", r.Trials, r.Loss, r.RMSE, r.Perf, r.Elapsed.Seconds(), best)
}

// Result is what a run did.
type Result struct {
	History []Record
	// Converged reports that the task's stop rule (or MinError) held.
	Converged bool
	// Reason says why the run stopped.
	Reason string
	// Best is the validation whose parameters the model holds at the end.
	Best    Record
	Elapsed time.Duration
}

func (p *Protocol) defaults() error {
	if p.Task == nil {
		return fmt.Errorf("train: Protocol.Task is nil")
	}
	spec := p.Task.Spec()
	if p.Objective == nil {
		p.Objective = loss.SongYang{}
	}
	if p.Optimizer == nil {
		p.Optimizer = optim.NewSGD()
	}
	if p.Minibatch == 0 {
		p.Minibatch = spec.Minibatch
	}
	if p.ValidEvery == 0 {
		p.ValidEvery = 10000
	}
	if p.NValidation == 0 {
		p.NValidation = spec.NValidation
	}
	if p.MaxTrials == 0 {
		p.MaxTrials = 10_000_000
	}
	if p.Patience == 0 {
		p.Patience = 100
	}
	switch {
	case p.Minibatch < 1, p.ValidEvery < 1, p.NValidation < 1, p.MaxTrials < 1, p.Patience < 1:
		return fmt.Errorf("train: Minibatch, ValidEvery, NValidation, MaxTrials and Patience must be ≥ 1")
	case !(p.MinError >= 0):
		return fmt.Errorf("train: MinError = %v, want ≥ 0", p.MinError)
	}
	return nil
}

// Batch converts a task batch into the engine's form.
func Batch(b *task.Batch) *ctrnn.Batch {
	return &ctrnn.Batch{B: b.B, T: b.T, Input: b.Input, Target: b.Target, Mask: b.Mask}
}

// Trainer runs a protocol in chunks, so that a host can report progress
// and stop between calls. It keeps the run's state (counters, history,
// best parameters, generators) between calls.
type Trainer struct {
	m         *ctrnn.Model
	p         Protocol
	trainPCG  *rand.PCG
	validPCG  *rand.PCG
	trainRNG  *rand.Rand
	validRNG  *rand.Rand
	res       Result
	best      [][]float64
	bestLoss  float64
	perfs     []float64
	trials    int
	updates   int
	sinceBest int
	nextCheck int
	start     time.Time
	spent     time.Duration
	finished  bool
}

// NewTrainer checks p against m and prepares a run. The task's inputs
// already carry pycog's baseline and noise, so m should have
// InputBaseline = InputNoise = 0.
func NewTrainer(m *ctrnn.Model, p Protocol) (*Trainer, error) {
	if m == nil {
		return nil, fmt.Errorf("train: nil model")
	}
	if err := p.defaults(); err != nil {
		return nil, err
	}
	i, _, o := m.Dims()
	if ti, to := p.Task.Dims(); ti != i || to != o {
		return nil, fmt.Errorf("train: task %s has %d inputs and %d outputs, the model %d and %d", p.Task.Name(), ti, to, i, o)
	}
	tr := &Trainer{m: m, p: p, trainPCG: rand.NewPCG(p.Seed, pcgStream), validPCG: rand.NewPCG(p.Seed+1, pcgStream),
		best: snapshot(m), bestLoss: math.Inf(1)}
	tr.trainRNG, tr.validRNG = rand.New(tr.trainPCG), rand.New(tr.validPCG)
	return tr, nil
}

// Run trains until the run ends, or until maxValidations more validations
// have been made (≤ 0: no limit; it returns right after the last of them,
// so a caller can report it), or until ctx is cancelled between updates
// (then it returns ctx's error; calling Run again resumes). It reports
// whether the run has ended; when it has, the model holds the best
// parameters seen.
func (tr *Trainer) Run(ctx context.Context, maxValidations int) (bool, error) {
	if tr.finished {
		return true, nil
	}
	tr.start = time.Now()
	defer func() { tr.spent += time.Since(tr.start) }()
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if tr.trials >= tr.nextCheck {
			if err := tr.validate(); err != nil {
				return false, err
			}
			done++
			if tr.res.Reason != "" {
				restore(tr.m, tr.best)
				tr.finished = true
				tr.res.Elapsed = tr.spent + time.Since(tr.start)
				return true, nil
			}
			if maxValidations > 0 && done == maxValidations {
				return false, nil
			}
		}
		b, err := tr.p.Task.Batch(tr.trainRNG, tr.p.Minibatch)
		if err != nil {
			return false, err
		}
		if _, err := tr.m.TrainStep(Batch(b), tr.p.Objective, tr.p.Optimizer); err != nil {
			return false, err
		}
		tr.trials += tr.p.Minibatch
		tr.updates++
	}
}

// validate scores the model, keeps the best parameters and applies the
// stop rules, setting res.Reason when the run ends.
func (tr *Trainer) validate() error {
	rec, err := validate(tr.m, tr.p, tr.validRNG)
	if err != nil {
		return err
	}
	rec.Trials, rec.Updates, rec.Elapsed = tr.trials, tr.updates, tr.spent+time.Since(tr.start)
	if rec.Loss < tr.bestLoss {
		tr.bestLoss, rec.Best, tr.sinceBest = rec.Loss, true, 0
		tr.best = snapshot(tr.m)
		tr.res.Best = rec
	} else {
		tr.sinceBest++
	}
	tr.res.History = append(tr.res.History, rec)
	tr.perfs = append(tr.perfs, rec.Perf)
	if tr.p.Progress != nil {
		tr.p.Progress(rec)
	}
	tr.nextCheck += tr.p.ValidEvery
	switch {
	case tr.updates > 0 && tr.p.Task.Spec().Done(tr.perfs):
		tr.res.Converged, tr.res.Reason = true, "stop rule of "+tr.p.Task.Name()
	case tr.p.MinError > 0 && rec.RMSE <= tr.p.MinError:
		tr.res.Converged, tr.res.Reason = true, fmt.Sprintf("validation RMSE ≤ %g", tr.p.MinError)
	case tr.sinceBest >= tr.p.Patience:
		tr.res.Reason = fmt.Sprintf("no new best in %d validations", tr.p.Patience)
	case tr.trials >= tr.p.MaxTrials:
		tr.res.Reason = fmt.Sprintf("%d trials", tr.p.MaxTrials)
	}
	return nil
}

// Result returns what the run has done so far.
func (tr *Trainer) Result() Result {
	r := tr.res
	r.History = slices.Clone(r.History)
	if !tr.finished {
		r.Elapsed = tr.spent
	}
	return r
}

// Run trains m on p.Task until the run ends or ctx is cancelled. At the end
// m holds the best parameters seen.
func Run(ctx context.Context, m *ctrnn.Model, p Protocol) (*Result, error) {
	tr, err := NewTrainer(m, p)
	if err != nil {
		return nil, err
	}
	_, err = tr.Run(ctx, 0)
	res := tr.Result()
	if err != nil {
		restore(m, tr.best)
	}
	return &res, err
}

// validate scores m on a fresh balanced validation set, noise on as pycog
// validates.
func validate(m *ctrnn.Model, p Protocol, rng *rand.Rand) (Record, error) {
	vb, err := p.Task.Validation(rng, p.NValidation)
	if err != nil {
		return Record{}, err
	}
	terms, y, err := m.Loss(Batch(vb), p.Objective)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Loss: terms[0].Value}
	if rec.RMSE, err = task.RMSE(y, vb); err != nil {
		return Record{}, err
	}
	switch p.Task.Spec().Metric {
	case task.PercentCorrectMetric:
		rec.Perf, err = task.PercentCorrect(y, vb)
	case task.MinConditionMetric:
		rec.Perf, err = task.MinConditionPercentCorrect(y, vb)
	case task.RMSEMetric:
		rec.Perf = rec.RMSE
	}
	return rec, err
}

// snapshot copies the values of m's trained parameters.
func snapshot(m *ctrnn.Model) [][]float64 {
	var s [][]float64
	for _, p := range m.Params() {
		s = append(s, append([]float64(nil), p.Value...))
	}
	return s
}

// restore puts a snapshot back.
func restore(m *ctrnn.Model, s [][]float64) {
	for k, p := range m.Params() {
		copy(p.Value, s[k])
	}
	m.Project()
}
