// SPDX-License-Identifier: MIT

package task

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// MultiPrefix starts the name of a multitask: "multi:rdm_fixed,romo" is
// rdm_fixed and romo behind one rule input (see NewMulti).
const MultiPrefix = "multi:"

// multi is several choice tasks behind one set of inputs and outputs, with
// a rule input per task (Yang et al. 2019).
type multi struct {
	name  string
	opt   Options
	tasks []Task
	names []string
	spec  Spec
	conds []Condition
	nIn   int // inputs of the widest task; rule input k is channel nIn+k
}

// NewMulti returns one task made of the tasks named (at least two, each
// once, every one a choice task: sinewave is not), all with options opt.
// Its name is MultiPrefix followed by the names joined by commas; New
// accepts that name too.
//
// A trial of the multitask is a trial of one of its tasks, drawn uniformly
// for Batch: the task's inputs on the first channels (a task with fewer
// inputs than the widest gets the baseline on the others), then one rule
// input per task, which is baseline + 1 on the trial's steps for the
// trial's task and the baseline otherwise (no input noise on the rule
// inputs); the task's targets and mask on the first outputs (mask 0 on
// outputs the task lacks). The trial's Condition has Task set to the task's
// name, so ByCondition and the metrics score the tasks apart. Conditions
// is every task's Conditions in turn, Validation cycles through it, and
// Trials takes conditions whose Task names one of the tasks. The Spec
// takes the largest N, minibatch and validation size of the tasks, the
// mean catch probability, the highest threshold, and percent correct as
// its metric.
func NewMulti(names []string, opt Options) (Task, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if len(names) < 2 {
		return nil, fmt.Errorf("task: a multitask needs at least 2 tasks, got %d (%q)", len(names), names)
	}
	m := &multi{name: MultiPrefix + strings.Join(names, ","), opt: opt, names: append([]string(nil), names...)}
	seen := map[string]bool{}
	nOut, catch := 0, 0.0
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("task: multitask %q lists %q twice", m.name, n)
		}
		seen[n] = true
		mk, ok := registry[n]
		if !ok {
			return nil, fmt.Errorf("task: multitask %q: unknown task %q (known: %s)", m.name, n, strings.Join(Names(), ", "))
		}
		t := mk(n, opt)
		s := t.Spec()
		if s.Metric == RMSEMetric || s.Continuous {
			return nil, fmt.Errorf("task: multitask %q: %s is not a choice task", m.name, n)
		}
		in, out := t.Dims()
		m.nIn, nOut = max(m.nIn, in), max(nOut, out)
		m.spec.N = max(m.spec.N, s.N)
		m.spec.Minibatch = max(m.spec.Minibatch, s.Minibatch)
		m.spec.NValidation = max(m.spec.NValidation, s.NValidation)
		m.spec.Window = max(m.spec.Window, s.Window)
		m.spec.Threshold = max(m.spec.Threshold, s.Threshold)
		catch += s.CatchProb
		for _, c := range t.Conditions() {
			c.Task = n
			m.conds = append(m.conds, c)
		}
		m.tasks = append(m.tasks, t)
	}
	m.spec.Name, m.spec.In, m.spec.Out = m.name, m.nIn+len(names), nOut
	m.spec.CatchProb = catch / float64(len(names))
	m.spec.Metric = PercentCorrectMetric
	return m, nil
}

func (m *multi) Name() string            { return m.name }
func (m *multi) Dims() (in, out int)     { return m.spec.In, m.spec.Out }
func (m *multi) Spec() Spec              { return m.spec }
func (m *multi) Options() Options        { return m.opt }
func (m *multi) Conditions() []Condition { return append([]Condition(nil), m.conds...) }

func (m *multi) Batch(rng *rand.Rand, n int) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if n <= 0 {
		return nil, fmt.Errorf("task: batch size must be positive, got %d", n)
	}
	parts, which := make([]*Batch, n), make([]int, n)
	for b := range parts {
		k := rng.IntN(len(m.tasks))
		p, err := m.tasks[k].Batch(rng, 1)
		if err != nil {
			return nil, err
		}
		parts[b], which[b] = p, k
	}
	return m.join(parts, which), nil
}

func (m *multi) Validation(rng *rand.Rand, n int) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if n <= 0 {
		return nil, fmt.Errorf("task: validation size must be positive, got %d", n)
	}
	req := make([]Condition, n)
	for b := range req {
		req[b] = m.conds[b%len(m.conds)]
	}
	return m.Trials(rng, req)
}

func (m *multi) Trials(rng *rand.Rand, req []Condition) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if len(req) == 0 {
		return nil, fmt.Errorf("task: no conditions requested")
	}
	parts, which := make([]*Batch, len(req)), make([]int, len(req))
	for b, c := range req {
		k := -1
		for i, n := range m.names {
			if n == c.Task {
				k = i
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("task: %s, condition %d: Task = %q is not one of the tasks (%s)", m.name, b, c.Task,
				strings.Join(m.names, ", "))
		}
		c.Task = ""
		p, err := m.tasks[k].Trials(rng, []Condition{c})
		if err != nil {
			return nil, fmt.Errorf("task: %s, condition %d: %w", m.name, b, err)
		}
		parts[b], which[b] = p, k
	}
	return m.join(parts, which), nil
}

// join pads one-trial batches of the tasks into a batch of the multitask.
func (m *multi) join(parts []*Batch, which []int) *Batch {
	B, I, O := len(parts), m.spec.In, m.spec.Out
	T := 0
	for _, p := range parts {
		T = max(T, p.T)
	}
	bt := &Batch{B: B, T: T, I: I, O: O, Dt: m.opt.Dt,
		Input: make([]float64, B*T*I), Target: make([]float64, B*T*O), Mask: make([]float64, B*T*O),
		Trials: make([]Trial, B)}
	u0 := m.opt.Baseline
	for b, p := range parts {
		for t := range T {
			row := bt.Input[(b*T+t)*I : (b*T+t+1)*I]
			for i := range row {
				row[i] = u0
			}
			if t >= p.T {
				continue
			}
			copy(row, p.Input[t*p.I:(t+1)*p.I])
			row[m.nIn+which[b]] = u0 + 1
			copy(bt.Target[(b*T+t)*O:], p.Target[t*p.O:(t+1)*p.O])
			copy(bt.Mask[(b*T+t)*O:], p.Mask[t*p.O:(t+1)*p.O])
		}
		tr := p.Trials[0]
		tr.Cond.Task = m.names[which[b]]
		bt.Trials[b] = tr
	}
	return bt
}
