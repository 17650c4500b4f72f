// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/optim"
)

// Gradient runs the batch forward, evaluates obj and back-propagates through
// time. The gradients of every trained parameter are then available from
// Params (before plasticity) and Grad (after). It returns obj's terms, plus
// "omega" when obj asks for Ω. Nothing in the model changes but its
// gradients and, in training mode, its generator.
func (m *Model) Gradient(b *Batch, obj Objective) ([]Term, error) {
	if obj == nil {
		return nil, fmt.Errorf("ctrnn: nil objective")
	}
	b, err := m.carriedBatch(b)
	if err != nil {
		return nil, err
	}
	if err := m.checkBatch(b); err != nil {
		return nil, err
	}
	needs := obj.Needs()
	if m.checkpoint > 0 && !needs.Rates && !needs.States {
		m.segment = m.checkpoint
		defer func() { m.segment = 0 }()
	}
	if err := m.checkRunMemory(b, true, true); err != nil {
		return nil, err
	}
	m.prepareTrajectory(b, needs)
	if err := m.forwardInto(&m.tr, b, true); err != nil {
		return nil, err
	}
	if m.carry {
		m.next = grow(m.next, b.B*m.cfg.Units)
		m.run.final(m.next)
	}
	terms, err := m.evaluate(b, obj)
	if err != nil {
		return nil, err
	}
	lambda := 0.0
	if om, ok := obj.(OmegaRegularized); ok {
		lambda = om.LambdaOmega()
	}
	g := &m.og
	omega := m.run.backward(m, g, lambda)
	if b.X0 != nil { // the batch's initial state replaced the model's x0
		clear(m.gX0)
	}
	for k, wt := range m.weights() {
		eff, raw := [3][]float64{g.InEff, g.RecEff, g.OutEff}[k], [3][]float64{g.InRaw, g.RecRaw, g.OutRaw}[k]
		for j, v := range eff {
			wt.effGrad[j] += v
		}
		wt.chain(m.cfg.Dale)
		for j, v := range raw {
			wt.grad[j] += v
		}
	}
	if lambda > 0 {
		terms = append(terms, Term{Name: "omega", Value: omega})
	}
	if m.carry {
		m.carried, m.next = m.next, m.carried
	}
	return terms, nil
}

// carriedBatch returns b, or with the setting "carry_state" and states
// carried from the previous gradient pass, a copy of b that starts from
// them. A batch's own initial state takes precedence.
func (m *Model) carriedBatch(b *Batch) (*Batch, error) {
	if !m.carry || m.carried == nil || b == nil || b.X0 != nil {
		return b, nil
	}
	n := m.cfg.Units
	if len(m.carried) != b.B*n {
		return nil, errs.New(errs.Shape, "ctrnn: carry_state holds the states of %d trials and this batch has %d; "+
			"keep the batch size of the streams, or write carry_state to start new streams", len(m.carried)/n, b.B)
	}
	if k := firstNonFinite(m.carried); k >= 0 {
		return nil, errs.New(errs.NotFinite, "ctrnn: the state carried into trial %d (carry_state) is not finite: "+
			"the previous pass diverged; write carry_state to start new streams from x0", k/n)
	}
	c := *b // a copy, not a field: the model keeps no caller array after a call
	c.X0 = m.carried
	return &c, nil
}

// prepareTrajectory sizes m.tr for the batch and the objective's needs.
func (m *Model) prepareTrajectory(b *Batch, needs Needs) {
	i, n, o := m.Dims()
	bto, btn := b.B*b.T*o, b.B*b.T*n
	m.tr = Trajectory{B: b.B, T: b.T, I: i, N: n, O: o, Head: m.cfg.Head,
		Outputs: grow(m.tr.Outputs, bto), Logits: grow(m.tr.Logits, bto)}
	if needs.Rates {
		m.buf.rates = grow(m.buf.rates, btn)
		m.tr.Rates = m.buf.rates
	}
	if needs.States {
		m.buf.states = grow(m.buf.states, btn)
		m.tr.States = m.buf.states
	}
}

// Loss runs the batch forward and evaluates obj without back-propagating,
// a validation pass; it returns the terms and a copy of the outputs
// (B×T×O). Noise follows the training mode.
func (m *Model) Loss(b *Batch, obj Objective) ([]Term, []float64, error) {
	if obj == nil {
		return nil, nil, fmt.Errorf("ctrnn: nil objective")
	}
	if err := m.checkBatch(b); err != nil {
		return nil, nil, err
	}
	if err := m.checkRunMemory(b, obj.Needs().Rates || obj.Needs().States, false); err != nil {
		return nil, nil, err
	}
	m.prepareTrajectory(b, obj.Needs())
	if err := m.ForwardInto(&m.tr, b); err != nil {
		return nil, nil, err
	}
	terms, err := m.evaluate(b, obj)
	if err != nil {
		return nil, nil, err
	}
	return terms, append([]float64(nil), m.tr.Outputs...), nil
}

// evaluate zeroes the objective gradient buffers and runs obj on m.tr.
func (m *Model) evaluate(b *Batch, obj Objective) ([]Term, error) {
	i, n, o := m.Dims()
	needs := obj.Needs()
	bto, btn := b.B*b.T*o, b.B*b.T*n
	g := &m.og
	g.Outputs, g.Logits = zeroed(g.Outputs, bto), zeroed(g.Logits, bto)
	g.Rates, g.States = nil, nil
	if needs.Rates {
		m.buf.gRates = zeroed(m.buf.gRates, btn)
		g.Rates = m.buf.gRates
	}
	if needs.States {
		m.buf.gStates = zeroed(m.buf.gStates, btn)
		g.States = m.buf.gStates
	}
	g.InEff, g.RecEff, g.OutEff = zeroed(g.InEff, n*i), zeroed(g.RecEff, n*n), zeroed(g.OutEff, o*n)
	g.InRaw, g.RecRaw, g.OutRaw = zeroed(g.InRaw, n*i), zeroed(g.RecRaw, n*n), zeroed(g.OutRaw, o*n)
	w := &Weights{I: i, N: n, O: o,
		InRaw: m.wIn.raw, RecRaw: m.wRec.raw, OutRaw: m.wOut.raw,
		InEff: m.wIn.eff, RecEff: m.wRec.eff, OutEff: m.wOut.eff}
	terms, err := obj.Evaluate(b, &m.tr, w, g)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("ctrnn: objective returned no terms")
	}
	return terms, nil
}

func zeroed(s []float64, n int) []float64 {
	s = grow(s, n)
	clear(s)
	return s
}

// TrainStep is one optimiser step: Gradient, then opt updates the trained
// parameters, then every constraint is re-applied (Clip-mode signs,
// sparsity, α range). It returns the objective's terms and "grad_norm".
// When the gradient fails nothing is changed.
func (m *Model) TrainStep(b *Batch, obj Objective, opt optim.Optimizer) ([]Term, error) {
	if opt == nil {
		return nil, fmt.Errorf("ctrnn: nil optimiser")
	}
	terms, err := m.Gradient(b, obj)
	if err != nil {
		return nil, err
	}
	info, err := opt.Step(m.Params())
	if err != nil {
		if m.carry { // the streams stay where they were, as the parameters do
			m.carried, m.next = m.next, m.carried
		}
		return nil, err
	}
	m.project()
	return append(terms, Term{Name: "grad_norm", Value: info.GradNorm}), nil
}

// Grad returns a copy of the last gradient of the trained parameter name
// ("w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out", "alpha", "x0"),
// scaled by its plasticity and sparsity masks: the gradient a caller's own
// optimiser should follow.
func (m *Model) Grad(name string) ([]float64, error) {
	for _, p := range m.Params() {
		if p.Name != name {
			continue
		}
		g := make([]float64, len(p.Grad))
		for i, v := range p.Grad {
			if p.Scale != nil {
				v *= p.Scale[i]
			}
			g[i] = v
		}
		return g, nil
	}
	return nil, fmt.Errorf("ctrnn: %q is not a trained parameter of this model", name)
}
