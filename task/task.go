// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// Task is a seeded generator of trials.
type Task interface {
	// Name returns the task's name, as given to New.
	Name() string
	// Dims returns the number of input and output channels.
	Dims() (in, out int)
	// Spec returns pycog's settings for the task.
	Spec() Spec
	// Options returns the options the task was made with.
	Options() Options
	// Batch returns n training trials: catch trials with probability
	// Spec().CatchProb, the other trials with conditions drawn uniformly
	// from the training set.
	Batch(rng *rand.Rand, n int) (*Batch, error)
	// Validation returns n trials whose conditions cycle through
	// Conditions(): trial b has condition b mod len(Conditions()), so
	// index 0 is a catch trial. Durations and noise are drawn afresh on
	// each call. pycog uses n = Spec().NValidation.
	Validation(rng *rand.Rand, n int) (*Batch, error)
	// Trials returns one trial per requested condition, in order. A
	// condition need not belong to the training set (a 0 % coherence, for
	// example); Choice is set by the task and need not be given.
	Trials(rng *rand.Rand, conds []Condition) (*Batch, error)
	// Conditions returns the balanced condition list of the validation
	// set, the catch trial first (none for tasks without catch trials).
	Conditions() []Condition
}

// Options are the time step and input settings shared by every task.
type Options struct {
	// Dt is the time step in ms. pycog trains with dt = τ/5 = 20 ms.
	Dt float64
	// Baseline is u0, added to every input channel at every step.
	Baseline float64
	// TauIn is the input noise time constant τ_in in ms.
	TauIn float64
	// SigmaIn is the input noise level σ_in; 0 switches the noise off.
	SigmaIn float64
	// Test selects the timing pycog uses for analysis runs (a longer
	// fixation, and a fixed delay for romo) instead of the training timing.
	Test bool
}

// DefaultOptions returns pycog's defaults: dt 20 ms, u0 0.2, τ_in 100 ms,
// σ_in 0.01, training timing.
func DefaultOptions() Options {
	return Options{Dt: 20, Baseline: 0.2, TauIn: 100, SigmaIn: 0.01}
}

func (o Options) validate() error {
	switch {
	case !(o.Dt > 0) || math.IsInf(o.Dt, 0):
		return fmt.Errorf("task: dt must be positive and finite, got %v", o.Dt)
	case !(o.Baseline >= 0) || math.IsInf(o.Baseline, 0):
		return fmt.Errorf("task: baseline must be >= 0 and finite, got %v", o.Baseline)
	case !(o.SigmaIn >= 0) || math.IsInf(o.SigmaIn, 0):
		return fmt.Errorf("task: sigma_in must be >= 0 and finite, got %v", o.SigmaIn)
	case o.SigmaIn > 0 && (!(o.TauIn > 0) || math.IsInf(o.TauIn, 0)):
		return fmt.Errorf("task: tau_in must be positive and finite, got %v", o.TauIn)
	}
	return nil
}

// Metric names the performance measure pycog uses to stop training.
type Metric int

const (
	// PercentCorrectMetric is the 2AFC percent correct (PercentCorrect).
	PercentCorrectMetric Metric = iota
	// MinConditionMetric is the minimum over conditions of the percent
	// correct (MinConditionPercentCorrect).
	MinConditionMetric
	// RMSEMetric is the root mean squared error over the mask (RMSE).
	RMSEMetric
)

// String returns the metric's name.
func (m Metric) String() string {
	switch m {
	case PercentCorrectMetric:
		return "percent_correct"
	case MinConditionMetric:
		return "min_condition_percent_correct"
	case RMSEMetric:
		return "rmse"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Spec holds pycog's settings for a task, from its examples/models file.
type Spec struct {
	Name    string
	In, Out int
	// N is the number of recurrent units pycog trains.
	N int
	// CatchProb is the probability of a catch trial in training batches.
	CatchProb float64
	// Minibatch is pycog's gradient minibatch size (n_gradient).
	Minibatch int
	// NValidation is the size of pycog's validation set.
	NValidation int
	// Metric is the performance measure the stop rule reads.
	Metric Metric
	// Window and Threshold define the stop rule; see Done.
	Window    int
	Threshold float64
	// Inclusive makes the comparison >= instead of > (romo).
	Inclusive bool
	// Continuous reports pycog's "continuous" mode: the network state is
	// carried from one trial to the next (sinewave).
	Continuous bool
}

// Done reports whether pycog's stop rule holds for a history of validation
// performances, oldest first. For percent-correct metrics the rule is:
// the mean of the last Window values is > Threshold (>= when Inclusive).
// For RMSE it is: the last value is <= Threshold. An empty history is never
// done.
func (s Spec) Done(history []float64) bool {
	if len(history) == 0 {
		return false
	}
	if s.Metric == RMSEMetric {
		return history[len(history)-1] <= s.Threshold
	}
	w := s.Window
	if w < 1 {
		w = 1
	}
	if w > len(history) {
		w = len(history)
	}
	var sum float64
	for _, v := range history[len(history)-w:] {
		sum += v
	}
	mean := sum / float64(w)
	if s.Inclusive {
		return mean >= s.Threshold
	}
	return mean > s.Threshold
}

// Condition describes one trial. Only the fields of the trial's task are
// set; the others are zero. Conditions are comparable and serve as map
// keys to group trials.
type Condition struct {
	// Catch marks a catch trial: no stimulus, low targets throughout.
	Catch bool
	// Choice is the correct output index, or -1 when there is none: catch
	// trials, regression tasks, and stimuli without evidence (0 %
	// coherence). Requests need not set it.
	Choice int
	// Coherence is the coherence of the rdm tasks in percent (3.2, 6.4,
	// 12.8, 25.6, 51.2 in training), and Sign its direction: +1 makes
	// output 0 correct (pycog's in_out).
	Coherence float64
	Sign      int
	// Context is the cued modality of mante: "m" (motion) or "c" (colour).
	Context string
	// CohMotion and CohColour are mante's coherences in percent (5, 15,
	// 50), SignMotion and SignColour their directions (+1 favours output 0).
	CohMotion, CohColour   float64
	SignMotion, SignColour int
	// Modality is multisensory's modality: "v", "a" or "va"; Freq its
	// event rate in events/s (9 to 16; > 12.5 makes output 0 correct).
	Modality string
	Freq     float64
	// F1 and F2 are romo's frequencies in Hz; F1 > F2 makes output 0
	// correct.
	F1, F2 float64
	// Task names the task of the trial in a multitask (NewMulti), and is
	// empty otherwise.
	Task string
}

// Catch is the condition of a catch trial.
var Catch = Condition{Catch: true, Choice: -1}

// SignedCoherence returns the evidence for output 0 in percent: Sign·
// Coherence for the rdm tasks, the signed coherence of the cued modality
// for mante, and 0 otherwise.
func SignedCoherence(c Condition) float64 {
	switch {
	case c.Sign != 0:
		return float64(c.Sign) * c.Coherence
	case c.Context == "m":
		return float64(c.SignMotion) * c.CohMotion
	case c.Context == "c":
		return float64(c.SignColour) * c.CohColour
	}
	return 0
}

// Coherent returns the rdm condition of a signed coherence in percent:
// positive values favour output 0. Zero gives Sign +1 (the two inputs are
// equal either way).
func Coherent(signed float64) Condition {
	if signed < 0 {
		return Condition{Coherence: -signed, Sign: -1}
	}
	return Condition{Coherence: signed, Sign: 1}
}

// Frequency returns Freq (multisensory) or F1-F2 (romo), the evidence for
// output 0 of the frequency tasks.
func Frequency(c Condition) float64 {
	if c.Modality != "" {
		return c.Freq
	}
	return c.F1 - c.F2
}

// Epoch is a named interval of a trial. Steps with indices Start <= i < End
// satisfy StartMs < (i+1)·dt <= EndMs.
type Epoch struct {
	Name           string
	StartMs, EndMs float64
	Start, End     int
}

// Trial holds what is known about one trial of a batch.
type Trial struct {
	Cond Condition
	// Steps is the trial's unpadded number of steps; its last step has
	// index Steps-1.
	Steps int
	// Epochs lists the trial's epochs in time order (none for catch
	// trials and sinewave).
	Epochs []Epoch
}

// Epoch returns the trial's epoch with the given name, and whether it
// exists.
func (t Trial) Epoch(name string) (Epoch, bool) {
	for _, e := range t.Epochs {
		if e.Name == name {
			return e, true
		}
	}
	return Epoch{}, false
}

// Batch is a minibatch of trials. Arrays are batch-first and row-major:
// element (b, t, k) of Input is Input[(b*T+t)*I+k], and likewise for Target
// and Mask with O.
type Batch struct {
	B, T, I, O int
	// Dt is the time step in ms.
	Dt float64
	// Input is B×T×I, baseline and noise included (empty when I = 0).
	Input []float64
	// Target is B×T×O, 0 in padding.
	Target []float64
	// Mask is B×T×O: 1 where the error counts, 0 elsewhere and in padding.
	Mask []float64
	// Trials describes each trial.
	Trials []Trial
}

// NewRand returns a PCG generator seeded with seed, the source every
// batch of a reproducible run should draw from.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6e6e346e_7461736b))
}

// Names returns the names New accepts, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns the task with the given name and options; a name that starts
// with MultiPrefix makes the multitask of NewMulti.
func New(name string, opt Options) (Task, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if list, ok := strings.CutPrefix(name, MultiPrefix); ok {
		return NewMulti(strings.Split(list, ","), opt)
	}
	mk, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("task: unknown task %q", name)
	}
	return mk(name, opt), nil
}

// errNilRand is returned when a nil generator is passed.
var errNilRand = errors.New("task: nil random generator")
