// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"github.com/nn4n/nn4n/internal/errs"
	"math/rand/v2"

	"github.com/nn4n/nn4n/optim"
)

// Model is a continuous-time RNN with its parameters, masks, generator and
// workspaces. A Model is not safe for concurrent use.
type Model struct {
	cfg              Config
	wIn, wRec, wOut  *weight
	bIn, bRec, bOut  []float64
	alpha            []float64
	x0               []float64
	gBIn, gBRec      []float64
	gBOut, gAlpha    []float64
	gX0              []float64
	pcg              *rand.PCG
	rng              *rand.Rand
	training, frozen bool
	key              uint64 // the last noise key; kept while frozen
	keyDrawn         bool
	stale            bool // engine parameters need reloading
	run              runner
	// checkpoint is the setting "bptt_checkpoint"; segment is the segment
	// length of the gradient pass under way (0: BPTT stores every step).
	checkpoint, segment int
	// carry is the setting "carry_state": a gradient pass starts each trial
	// from carried, the state where that trial of the previous gradient
	// pass ended (B×N; nil before the first pass and after the setting is
	// written), so that consecutive batches are chunks of continuous
	// streams, trained by truncated BPTT. next holds a pass's final states
	// until the pass has succeeded.
	carry         bool
	carried, next []float64

	// Reused buffers for objectives.
	tr   Trajectory
	og   ObjectiveGrad
	x0in []float64
	buf  struct{ rates, states, gRates, gStates []float64 }
	// params caches Params; nil after masks change.
	params []optim.Param
}

// New returns a model for cfg, initialised from cfg.Seed. The model starts
// in training mode (noise on), as a torch module does.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkModelMemory(cfg.Inputs, cfg.Units, cfg.Outputs, cfg.Precision); err != nil {
		return nil, err
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = 0.1
	}
	cfg.In.Sign = expandSign(cfg.In.Sign, cfg.Units, cfg.Inputs)
	cfg.Rec.Sign = expandSign(cfg.Rec.Sign, cfg.Units, cfg.Units)
	cfg.Out.Sign = expandSign(cfg.Out.Sign, cfg.Outputs, cfg.Units)
	i, n, o := cfg.Inputs, cfg.Units, cfg.Outputs
	m := &Model{
		cfg:  cfg,
		wIn:  newWeight(n, i, cfg.In),
		wRec: newWeight(n, n, cfg.Rec),
		wOut: newWeight(o, n, cfg.Out),
		bIn:  make([]float64, n), bRec: make([]float64, n), bOut: make([]float64, o),
		alpha: make([]float64, n), x0: make([]float64, n),
		gBIn: make([]float64, n), gBRec: make([]float64, n), gBOut: make([]float64, o),
		gAlpha: make([]float64, n), gX0: make([]float64, n),
		training: true,
		stale:    true,
	}
	m.Reseed(cfg.Seed)
	m.cfg.In, m.cfg.Rec, m.cfg.Out = Constraint{}, Constraint{}, Constraint{} // the weights own the masks
	m.cfg.Alphas, m.cfg.RecInitScale = clone(cfg.Alphas), clone(cfg.RecInitScale)
	m.resetVectors()
	if m.cfg.InputAlpha == 0 { // dt/τ_in defaults to the initial mean α, fixed from here on
		var s float64
		for _, a := range m.alpha {
			s += a
		}
		m.cfg.InputAlpha = s / float64(n)
	}
	if err := m.initialize(); err != nil {
		return nil, err
	}
	m.newEngine()
	return m, nil
}

// resetVectors sets α and x0 to their configured values.
func (m *Model) resetVectors() {
	for j := range m.alpha {
		m.alpha[j] = m.cfg.Alpha
		if m.cfg.Alphas != nil {
			m.alpha[j] = m.cfg.Alphas[j]
		}
		m.x0[j] = m.cfg.X0
	}
}

// Config returns the model's configuration (masks excluded: see Array).
func (m *Model) Config() Config { return m.cfg }

// Dims returns the numbers of inputs, units and outputs.
func (m *Model) Dims() (i, n, o int) { return m.cfg.Inputs, m.cfg.Units, m.cfg.Outputs }

// SetTraining switches noise on (training) or off (evaluation).
func (m *Model) SetTraining(on bool) { m.training = on }

// Training reports whether noise is on.
func (m *Model) Training() bool { return m.training }

// FreezeNoise makes later passes of the same batch shape reuse the current
// noise samples instead of drawing new ones (finite-difference checks,
// replaying a trial). Unfreeze to draw again.
func (m *Model) FreezeNoise(on bool) { m.frozen = on }

// noiseKey draws the key of a pass's noise streams from the generator,
// or returns the previous key while the noise is frozen.
func (m *Model) noiseKey() uint64 {
	if !m.frozen || !m.keyDrawn {
		m.key, m.keyDrawn = m.rng.Uint64(), true
	}
	return m.key
}

// Reseed restarts the model's generator from seed.
func (m *Model) Reseed(seed uint64) {
	m.cfg.Seed = seed
	m.pcg = rand.NewPCG(seed, 0x6e6e346e)
	m.rng = rand.New(m.pcg)
}

// refresh recomputes the effective weights after a change of parameters.
func (m *Model) refresh() {
	for _, w := range m.weights() {
		w.effective(m.cfg.Dale)
	}
	m.stale = true
}

func (m *Model) weights() [3]*weight { return [3]*weight{m.wIn, m.wRec, m.wOut} }

// project enforces every constraint on the raw parameters: absent synapses
// are 0, Clip-mode weights sit on their signs, a learned α stays in
// [AlphaMin, 1]. Then it refreshes the effective weights.
func (m *Model) project() {
	for _, w := range m.weights() {
		w.project(m.cfg.Dale)
	}
	if m.cfg.LearnAlpha {
		for j, a := range m.alpha {
			m.alpha[j] = min(max(a, AlphaMin), 1)
		}
	}
	m.refresh()
}

// Params returns the trained parameters with their gradients, for an
// optimiser. The slices alias the model's storage. After changing values
// directly, call Project.
func (m *Model) Params() []optim.Param {
	if m.params != nil {
		return m.params
	}
	ps := []optim.Param{
		{Name: "w_in", Value: m.wIn.raw, Grad: m.wIn.grad, Scale: m.wIn.scale()},
		{Name: "w_rec", Value: m.wRec.raw, Grad: m.wRec.grad, Scale: m.wRec.scale(), ShrinkOnGuard: true},
		{Name: "w_out", Value: m.wOut.raw, Grad: m.wOut.grad, Scale: m.wOut.scale()},
	}
	if m.cfg.TrainBiasIn {
		ps = append(ps, optim.Param{Name: "b_in", Value: m.bIn, Grad: m.gBIn})
	}
	if m.cfg.TrainBiasRec {
		ps = append(ps, optim.Param{Name: "b_rec", Value: m.bRec, Grad: m.gBRec})
	}
	if m.cfg.TrainBiasOut {
		ps = append(ps, optim.Param{Name: "b_out", Value: m.bOut, Grad: m.gBOut})
	}
	if m.cfg.LearnAlpha {
		ps = append(ps, optim.Param{Name: "alpha", Value: m.alpha, Grad: m.gAlpha})
	}
	if m.cfg.TrainX0 {
		ps = append(ps, optim.Param{Name: "x0", Value: m.x0, Grad: m.gX0})
	}
	m.params = ps
	return ps
}

// Project re-applies every constraint after parameters were changed through
// Params.
func (m *Model) Project() { m.project() }

// checkBatch validates the shapes and values a forward pass reads.
func (m *Model) checkBatch(b *Batch) error {
	if b == nil {
		return fmt.Errorf("ctrnn: nil batch")
	}
	i, n, _ := m.Dims()
	if b.B < 1 || b.T < 1 || b.B > maxUnits || b.T > maxUnits*16 {
		return fmt.Errorf("ctrnn: batch of B = %d trials × T = %d steps, want B ≥ 1 and T ≥ 1", b.B, b.T)
	}
	if want := b.B * b.T * i; len(b.Input) != want {
		return fmt.Errorf("ctrnn: input has %d values, want B×T×I = %d×%d×%d = %d", len(b.Input), b.B, b.T, i, want)
	}
	if k := firstNonFinite(b.Input); k >= 0 {
		return errs.New(errs.NotFinite, "ctrnn: input[%d] = %v is not finite", k, b.Input[k])
	}
	if b.X0 != nil {
		if len(b.X0) != n && len(b.X0) != b.B*n {
			return fmt.Errorf("ctrnn: initial state has %d values, want N = %d or B×N = %d", len(b.X0), n, b.B*n)
		}
		if k := firstNonFinite(b.X0); k >= 0 {
			return errs.New(errs.NotFinite, "ctrnn: initial state[%d] = %v is not finite", k, b.X0[k])
		}
	}
	return nil
}

func firstNonFinite[S float32 | float64](s []S) int {
	for i, v := range s {
		if v-v != 0 {
			return i
		}
	}
	return -1
}

// initialState returns x0 for every trial, B×N.
func (m *Model) initialState(b *Batch) []float64 {
	n := m.cfg.Units
	src := m.x0
	if b.X0 != nil {
		src = b.X0
	}
	if len(src) == b.B*n {
		return src
	}
	m.x0in = grow(m.x0in, b.B*n)
	for k := 0; k < b.B; k++ {
		copy(m.x0in[k*n:(k+1)*n], src)
	}
	return m.x0in
}

// Forward runs the model over a batch and returns the outputs; rates and
// states are included when want asks for them. Noise follows the training
// mode.
func (m *Model) Forward(b *Batch, want Needs) (*Trajectory, error) {
	i, n, o := m.Dims()
	tr := &Trajectory{}
	if b != nil {
		tr.B, tr.T, tr.I, tr.N, tr.O, tr.Head = b.B, b.T, i, n, o, m.cfg.Head
		if err := m.checkBatch(b); err != nil {
			return nil, err
		}
		if err := m.checkRunMemory(b, want.Rates || want.States, false); err != nil {
			return nil, err
		}
		tr.Outputs = make([]float64, b.B*b.T*o)
		tr.Logits = make([]float64, b.B*b.T*o)
		if want.Rates {
			tr.Rates = make([]float64, b.B*b.T*n)
		}
		if want.States {
			tr.States = make([]float64, b.B*b.T*n)
		}
	}
	return tr, m.ForwardInto(tr, b)
}

// ForwardInto runs the model over a batch and copies the results into the
// non-nil slices of dst (Outputs and Logits B×T×O, Rates and States B×T×N),
// which must have those lengths.
func (m *Model) ForwardInto(dst *Trajectory, b *Batch) error {
	return m.forwardInto(dst, b, false)
}

// forwardInto is ForwardInto; history keeps every step's state for a
// backward pass. Without it, rates and states go to dst block by block
// while the block of steps is in cache.
func (m *Model) forwardInto(dst *Trajectory, b *Batch, history bool) error {
	if err := m.checkBatch(b); err != nil {
		return err
	}
	if err := m.checkRunMemory(b, history, history); err != nil {
		return err
	}
	_, n, o := m.Dims()
	for _, s := range []struct {
		name string
		v    []float64
		k    int
	}{{"outputs", dst.Outputs, o}, {"logits", dst.Logits, o}, {"rates", dst.Rates, n}, {"states", dst.States, n}} {
		if s.v != nil && len(s.v) != b.B*b.T*s.k {
			return fmt.Errorf("ctrnn: %s buffer has %d values, want B×T×%d = %d", s.name, len(s.v), s.k, b.B*b.T*s.k)
		}
	}
	m.run.forward(m, b, history, dst)
	return nil
}

// Step advances nb independent states by one time step, for simulators that
// own the time loop: x (nb×N) is read as x_{t−1} and overwritten with x_t,
// u (nb×I) is the input at t; r (nb×N) and y (nb×O) receive the rates and
// outputs when non-nil. r_{t−1} is taken as f(x_{t−1}). Noise follows the
// training mode. Step allocates nothing once its buffers have grown to nb.
func (m *Model) Step(nb int, x, u, r, y []float64) error {
	if err := checkStep(m, nb, x, u, r, y); err != nil {
		return err
	}
	m.run.step(m, nb, x, u, r, y)
	return nil
}

// StepF32 is Step with float32 states, inputs, rates and outputs, for
// models of precision Float32 (ErrPrecision otherwise): the state is
// advanced in place and no value is converted.
func (m *Model) StepF32(nb int, x, u, r, y []float32) error {
	if m.cfg.Precision != Float32 {
		return fmt.Errorf("ctrnn: StepF32 on a float64 model: set precision float32 or use Step")
	}
	if err := checkStep(m, nb, x, u, r, y); err != nil {
		return err
	}
	m.run.step32(m, nb, x, u, r, y)
	return nil
}

func checkStep[S float32 | float64](m *Model, nb int, x, u, r, y []S) error {
	i, n, o := m.Dims()
	switch {
	case nb < 1:
		return fmt.Errorf("ctrnn: Step of %d states, want ≥ 1", nb)
	case len(x) != nb*n:
		return fmt.Errorf("ctrnn: state has %d values, want %d×N = %d", len(x), nb, nb*n)
	case len(u) != nb*i:
		return fmt.Errorf("ctrnn: input has %d values, want %d×I = %d", len(u), nb, nb*i)
	case r != nil && len(r) != nb*n:
		return fmt.Errorf("ctrnn: rate buffer has %d values, want %d", len(r), nb*n)
	case y != nil && len(y) != nb*o:
		return fmt.Errorf("ctrnn: output buffer has %d values, want %d", len(y), nb*o)
	}
	if k := firstNonFinite(u); k >= 0 {
		return errs.New(errs.NotFinite, "ctrnn: input[%d] = %v is not finite", k, u[k])
	}
	if k := firstNonFinite(x); k >= 0 {
		return errs.New(errs.NotFinite, "ctrnn: state[%d] = %v is not finite", k, x[k])
	}
	return nil
}
