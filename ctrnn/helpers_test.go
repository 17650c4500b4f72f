// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// probe is a test objective that reads every trajectory and weight and has
// a closed-form gradient: L = Σ cy⊙y + ½Σ y² + Σ ca⊙a + Σ cr⊙r² + Σ cx⊙x +
// Σ ce⊙W_eff² + Σ cw⊙W_raw over the three weights.
type probe struct {
	seed                       uint64
	cy, ca, cr, cx             []float64
	ce, cw                     [3][]float64
	lambdaOmega                float64
	noRates, noStates, noWeigh bool
}

func (p *probe) Needs() Needs { return Needs{Rates: !p.noRates, States: !p.noStates} }

func (p *probe) LambdaOmega() float64 { return p.lambdaOmega }

func coeffs(rng *rand.Rand, c []float64, n int) []float64 {
	if len(c) == n {
		return c
	}
	c = make([]float64, n)
	for i := range c {
		c[i] = rng.NormFloat64()
	}
	return c
}

func (p *probe) Evaluate(b *Batch, tr *Trajectory, w *Weights, g *ObjectiveGrad) ([]Term, error) {
	rng := rand.New(rand.NewPCG(p.seed, 99))
	p.cy = coeffs(rng, p.cy, len(tr.Outputs))
	p.ca = coeffs(rng, p.ca, len(tr.Logits))
	var l float64
	for i, y := range tr.Outputs {
		l += p.cy[i]*y + 0.5*y*y
		g.Outputs[i] += p.cy[i] + y
	}
	for i, a := range tr.Logits {
		l += p.ca[i] * a
		g.Logits[i] += p.ca[i]
	}
	if !p.noRates {
		p.cr = coeffs(rng, p.cr, len(tr.Rates))
		for i, r := range tr.Rates {
			l += p.cr[i] * r * r
			g.Rates[i] += 2 * p.cr[i] * r
		}
	}
	if !p.noStates {
		p.cx = coeffs(rng, p.cx, len(tr.States))
		for i, x := range tr.States {
			l += 0.1 * p.cx[i] * x
			g.States[i] += 0.1 * p.cx[i]
		}
	}
	if !p.noWeigh {
		effs := [3][]float64{w.InEff, w.RecEff, w.OutEff}
		raws := [3][]float64{w.InRaw, w.RecRaw, w.OutRaw}
		gEff := [3][]float64{g.InEff, g.RecEff, g.OutEff}
		gRaw := [3][]float64{g.InRaw, g.RecRaw, g.OutRaw}
		for k := range effs {
			p.ce[k] = coeffs(rng, p.ce[k], len(effs[k]))
			p.cw[k] = coeffs(rng, p.cw[k], len(raws[k]))
			for i, v := range effs[k] {
				l += p.ce[k][i] * v * v
				gEff[k][i] += 2 * p.ce[k][i] * v
			}
			for i, v := range raws[k] {
				l += p.cw[k][i] * v
				gRaw[k][i] += p.cw[k][i]
			}
		}
	}
	return []Term{{Name: "loss", Value: l}}, nil
}

// randomBatch returns a batch with inputs in [0, 1).
func randomBatch(seed uint64, nb, nt, ni, no int) *Batch {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := &Batch{B: nb, T: nt, Input: make([]float64, nb*nt*ni), Target: make([]float64, nb*nt*no)}
	for i := range b.Input {
		b.Input[i] = rng.Float64()
	}
	for i := range b.Target {
		b.Target[i] = rng.Float64()
	}
	return b
}

// relErr is ‖a−b‖/max(‖a‖,‖b‖), 0 when both are 0.
func relErr(a, b []float64) float64 {
	var d, na, nb float64
	for i := range a {
		d += (a[i] - b[i]) * (a[i] - b[i])
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	den := math.Sqrt(math.Max(na, nb))
	if den == 0 {
		return 0
	}
	return math.Sqrt(d) / den
}

// lossOf runs a forward pass with the current (frozen) noise and returns
// the first term of obj.
func lossOf(t *testing.T, m *Model, b *Batch, obj Objective) float64 {
	t.Helper()
	i, n, o := m.Dims()
	tr := &Trajectory{B: b.B, T: b.T, I: i, N: n, O: o,
		Outputs: make([]float64, b.B*b.T*o), Logits: make([]float64, b.B*b.T*o)}
	nd := obj.Needs()
	if nd.Rates {
		tr.Rates = make([]float64, b.B*b.T*n)
	}
	if nd.States {
		tr.States = make([]float64, b.B*b.T*n)
	}
	if err := m.ForwardInto(tr, b); err != nil {
		t.Fatal(err)
	}
	w := &Weights{I: i, N: n, O: o, InRaw: m.wIn.raw, RecRaw: m.wRec.raw, OutRaw: m.wOut.raw,
		InEff: m.wIn.eff, RecEff: m.wRec.eff, OutEff: m.wOut.eff}
	g := &ObjectiveGrad{Outputs: make([]float64, len(tr.Outputs)), Logits: make([]float64, len(tr.Logits)),
		Rates: make([]float64, len(tr.Rates)), States: make([]float64, len(tr.States)),
		InEff: make([]float64, n*i), RecEff: make([]float64, n*n), OutEff: make([]float64, o*n),
		InRaw: make([]float64, n*i), RecRaw: make([]float64, n*n), OutRaw: make([]float64, o*n)}
	terms, err := obj.Evaluate(b, tr, w, g)
	if err != nil {
		t.Fatal(err)
	}
	return terms[0].Value
}

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 11)) }
