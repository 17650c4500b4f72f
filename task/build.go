// SPDX-License-Identifier: MIT

package task

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// eps absorbs rounding when times are divided by dt.
const eps = 1e-9

// numSteps returns pycog's number of steps of a duration T: int(T/dt).
func numSteps(T, dt float64) int {
	if T <= 0 {
		return 0
	}
	return int(math.Floor(T/dt + eps))
}

// floorDt floors a duration to a multiple of dt.
func floorDt(x, dt float64) float64 {
	return math.Floor(x/dt+eps) * dt
}

// trialData is one unpadded trial under construction.
type trialData struct {
	dt      float64
	n       int
	in, out int
	epochs  []Epoch
	u, y, m []float64 // n×in, n×out, n×out
}

func newTrialData(dt, T float64, in, out int) *trialData {
	n := numSteps(T, dt)
	return &trialData{
		dt: dt, n: n, in: in, out: out,
		u: make([]float64, n*in),
		y: make([]float64, n*out),
		m: make([]float64, n*out),
	}
}

// epoch records the epoch (start, end] in ms and returns it with its step
// range.
func (d *trialData) epoch(name string, start, end float64) Epoch {
	lo := int(math.Floor(start/d.dt + eps))
	hi := int(math.Floor(end/d.dt + eps))
	lo = max(0, min(lo, d.n))
	hi = max(lo, min(hi, d.n))
	e := Epoch{Name: name, StartMs: start, EndMs: end, Start: lo, End: hi}
	d.epochs = append(d.epochs, e)
	return e
}

// input sets input channel ch to v over the epoch.
func (d *trialData) input(e Epoch, ch int, v float64) {
	for i := e.Start; i < e.End; i++ {
		d.u[i*d.in+ch] = v
	}
}

// target sets output ch to v over the epoch, with mask 1.
func (d *trialData) target(e Epoch, ch int, v float64) {
	for i := e.Start; i < e.End; i++ {
		d.y[i*d.out+ch] = v
		d.m[i*d.out+ch] = 1
	}
}

// gen implements Task for every task of the package.
type gen struct {
	name  string
	opt   Options
	spec  Spec
	conds []Condition
	// catchT is the duration of a catch trial in ms; lo its target.
	catchT, lo float64
	// draw returns a random non-catch training condition.
	draw func(rng *rand.Rand) Condition
	// norm checks a requested non-catch condition and sets its Choice.
	norm func(c Condition) (Condition, error)
	// layout builds a non-catch trial of a checked condition.
	layout func(g *gen, rng *rand.Rand, c Condition) *trialData
}

func (g *gen) Name() string            { return g.name }
func (g *gen) Dims() (in, out int)     { return g.spec.In, g.spec.Out }
func (g *gen) Spec() Spec              { return g.spec }
func (g *gen) Options() Options        { return g.opt }
func (g *gen) Conditions() []Condition { return append([]Condition(nil), g.conds...) }

func (g *gen) Batch(rng *rand.Rand, n int) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if n <= 0 {
		return nil, fmt.Errorf("task: batch size must be positive, got %d", n)
	}
	trials := make([]*trialData, n)
	conds := make([]Condition, n)
	for b := range trials {
		if g.spec.CatchProb > 0 && rng.Float64() < g.spec.CatchProb {
			conds[b] = Catch
		} else {
			conds[b] = g.draw(rng)
		}
		trials[b] = g.trial(rng, conds[b])
	}
	return g.assemble(rng, trials, conds)
}

func (g *gen) Validation(rng *rand.Rand, n int) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if n <= 0 {
		return nil, fmt.Errorf("task: validation size must be positive, got %d", n)
	}
	trials := make([]*trialData, n)
	conds := make([]Condition, n)
	for b := range trials {
		conds[b] = g.conds[b%len(g.conds)]
		trials[b] = g.trial(rng, conds[b])
	}
	return g.assemble(rng, trials, conds)
}

func (g *gen) Trials(rng *rand.Rand, req []Condition) (*Batch, error) {
	if rng == nil {
		return nil, errNilRand
	}
	if len(req) == 0 {
		return nil, fmt.Errorf("task: no conditions requested")
	}
	conds := make([]Condition, len(req))
	for b, c := range req {
		if c.Catch {
			if g.spec.CatchProb == 0 {
				return nil, fmt.Errorf("task: %s has no catch trials (condition %d)", g.name, b)
			}
			c.Choice = -1
			if c != Catch {
				return nil, fmt.Errorf("task: catch condition %d sets stimulus fields", b)
			}
			conds[b] = Catch
			continue
		}
		nc, err := g.norm(c)
		if err != nil {
			return nil, fmt.Errorf("task: %s, condition %d: %w", g.name, b, err)
		}
		conds[b] = nc
	}
	trials := make([]*trialData, len(conds))
	for b, c := range conds {
		trials[b] = g.trial(rng, c)
	}
	return g.assemble(rng, trials, conds)
}

// trial builds one trial; catch trials have low targets and mask 1 for
// their whole duration.
func (g *gen) trial(rng *rand.Rand, c Condition) *trialData {
	if !c.Catch {
		return g.layout(g, rng, c)
	}
	d := newTrialData(g.opt.Dt, g.catchT, g.spec.In, g.spec.Out)
	for i := range d.y {
		d.y[i] = g.lo
		d.m[i] = 1
	}
	return d
}

// assemble pads the trials into a batch and adds baseline and input noise.
func (g *gen) assemble(rng *rand.Rand, trials []*trialData, conds []Condition) (*Batch, error) {
	B, I, O := len(trials), g.spec.In, g.spec.Out
	T := 0
	for b, d := range trials {
		if d.n == 0 {
			return nil, fmt.Errorf("task: dt = %v ms leaves trial %d without steps", g.opt.Dt, b)
		}
		T = max(T, d.n)
	}
	bt := &Batch{
		B: B, T: T, I: I, O: O, Dt: g.opt.Dt,
		Input:  make([]float64, B*T*I),
		Target: make([]float64, B*T*O),
		Mask:   make([]float64, B*T*O),
		Trials: make([]Trial, B),
	}
	for b, d := range trials {
		copy(bt.Input[b*T*I:], d.u)
		copy(bt.Target[b*T*O:], d.y)
		copy(bt.Mask[b*T*O:], d.m)
		bt.Trials[b] = Trial{Cond: conds[b], Steps: d.n, Epochs: d.epochs}
	}
	sd := 0.0
	if g.opt.SigmaIn > 0 {
		sd = math.Sqrt(2*g.opt.TauIn/g.opt.Dt) * g.opt.SigmaIn
	}
	for i, v := range bt.Input {
		v += g.opt.Baseline
		if sd > 0 {
			v += sd * rng.NormFloat64()
		}
		bt.Input[i] = max(v, 0)
	}
	return bt, nil
}

// decision2AFC sets the targets and mask of a two-choice trial: low on both
// outputs during fixation; hi on output side and lo on the other during the
// decision epoch.
func decision2AFC(d *trialData, fix, dec Epoch, side int, lo, hi float64) {
	d.target(fix, 0, lo)
	d.target(fix, 1, lo)
	d.target(dec, side, hi)
	d.target(dec, 1-side, lo)
}

// side returns the output a sign favours: 0 for +1, 1 for -1.
func side(sign int) int {
	if sign > 0 {
		return 0
	}
	return 1
}

// truncExp draws from an exponential of the given mean until the value lies
// in [xmin, xmax), then floors it to a multiple of dt.
func truncExp(rng *rand.Rand, dt, mean, xmin, xmax float64) float64 {
	for {
		x := rng.ExpFloat64() * mean
		if xmin <= x && x < xmax {
			return floorDt(x, dt)
		}
	}
}

// uniformDt draws from U[xmin, xmax) and floors the value to a multiple of
// dt.
func uniformDt(rng *rand.Rand, dt, xmin, xmax float64) float64 {
	return floorDt(xmin+(xmax-xmin)*rng.Float64(), dt)
}
