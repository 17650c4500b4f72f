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
	"time"

	"nn4n/ctrnn"
	"nn4n/loss"
	"nn4n/optim"
	"nn4n/task"
)

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

// Run trains m on p.Task until the stop rule holds, the patience or trial
// budget runs out, or ctx is cancelled (then it returns ctx's error with the
// result so far). At the end m holds the best parameters seen. The task's
// inputs already carry pycog's baseline and noise, so m should have
// InputBaseline = InputNoise = 0.
func Run(ctx context.Context, m *ctrnn.Model, p Protocol) (*Result, error) {
	if err := p.defaults(); err != nil {
		return nil, err
	}
	if i, _, o := m.Dims(); func() bool { ti, to := p.Task.Dims(); return ti != i || to != o }() {
		ti, to := p.Task.Dims()
		return nil, fmt.Errorf("train: task %s has %d inputs and %d outputs, the model %d and %d", p.Task.Name(), ti, to, i, o)
	}
	start := time.Now()
	trainRNG, validRNG := task.NewRand(p.Seed), task.NewRand(p.Seed+1)
	res := &Result{}
	best := snapshot(m)
	bestLoss := math.Inf(1)
	var perfs []float64
	trials, updates, sinceBest := 0, 0, 0
	nextCheck := 0
	for {
		if trials >= nextCheck {
			rec, err := validate(m, p, validRNG)
			if err != nil {
				return res, err
			}
			rec.Trials, rec.Updates, rec.Elapsed = trials, updates, time.Since(start)
			if rec.Loss < bestLoss {
				bestLoss, rec.Best, sinceBest = rec.Loss, true, 0
				best = snapshot(m)
				res.Best = rec
			} else {
				sinceBest++
			}
			res.History = append(res.History, rec)
			perfs = append(perfs, rec.Perf)
			if p.Progress != nil {
				p.Progress(rec)
			}
			nextCheck += p.ValidEvery
			switch {
			case p.Task.Spec().Done(perfs) && updates > 0:
				res.Converged, res.Reason = true, "stop rule of "+p.Task.Name()
			case p.MinError > 0 && rec.RMSE <= p.MinError:
				res.Converged, res.Reason = true, fmt.Sprintf("validation RMSE ≤ %g", p.MinError)
			case sinceBest >= p.Patience:
				res.Reason = fmt.Sprintf("no new best in %d validations", p.Patience)
			case trials >= p.MaxTrials:
				res.Reason = fmt.Sprintf("%d trials", p.MaxTrials)
			}
			if res.Reason != "" {
				break
			}
		}
		if err := ctx.Err(); err != nil {
			res.Reason = "cancelled"
			restore(m, best)
			res.Elapsed = time.Since(start)
			return res, err
		}
		tb, err := p.Task.Batch(trainRNG, p.Minibatch)
		if err != nil {
			return res, err
		}
		if _, err := m.TrainStep(Batch(tb), p.Objective, p.Optimizer); err != nil {
			return res, err
		}
		trials += p.Minibatch
		updates++
	}
	restore(m, best)
	res.Elapsed = time.Since(start)
	return res, nil
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
