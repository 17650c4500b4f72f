// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"

	"github.com/nn4n/nn4n/internal/linalg"
)

// Upstream holds the gradients of a scalar ℓ with respect to what a forward
// pass returns, batch-first: Outputs dℓ/dy (B×T×O), Rates dℓ/dr (B×T×N) and
// States dℓ/dx (B×T×N). A nil slice is a zero gradient.
type Upstream struct {
	Outputs, Rates, States []float64
}

// upstreamObjective is the linear objective ℓ = ⟨G_y, y⟩ + ⟨G_r, r⟩ +
// ⟨G_x, x⟩ whose BPTT is the vector-Jacobian product of a forward pass.
type upstreamObjective struct{ up *Upstream }

func (o upstreamObjective) Needs() Needs {
	return Needs{Rates: o.up.Rates != nil, States: o.up.States != nil}
}

func (o upstreamObjective) Evaluate(b *Batch, tr *Trajectory, w *Weights, g *ObjectiveGrad) ([]Term, error) {
	var l float64
	add := func(dst, up, val []float64) {
		for i, v := range up {
			dst[i] += v
			l += v * val[i]
		}
	}
	add(g.Outputs, o.up.Outputs, tr.Outputs)
	add(g.Rates, o.up.Rates, tr.Rates)
	add(g.States, o.up.States, tr.States)
	return []Term{{Name: "vjp", Value: l}}, nil
}

// Backward runs the batch forward and back-propagates the upstream
// gradients up through time (exact BPTT through the same masked, Dale
// constrained dynamics and the same noise as a forward pass run with the
// model's generator in its current state): the vector-Jacobian product of
// the pass. One forward and one backward pass. Afterwards the parameter
// gradients are available as after Gradient (Params before plasticity,
// Grad after). The non-nil slices of the results receive the outputs of
// the pass (B×T×O), dℓ/du of the inputs (B×T×I) and dℓ/dx₀ of every
// trial's initial state (B×N, whether x₀ came from b.X0 or from the model).
// It returns ℓ.
func (m *Model) Backward(b *Batch, up *Upstream, outputs, gInput, gX0 []float64) (float64, error) {
	if up == nil {
		up = &Upstream{}
	}
	if err := m.checkBatch(b); err != nil {
		return 0, err
	}
	i, n, o := m.Dims()
	for _, s := range []struct {
		name string
		v    []float64
		k    int
	}{{"output gradient", up.Outputs, b.T * o}, {"rate gradient", up.Rates, b.T * n}, {"state gradient", up.States, b.T * n},
		{"outputs buffer", outputs, b.T * o}, {"input gradient buffer", gInput, b.T * i}} {
		if s.v != nil && len(s.v) != b.B*s.k {
			return 0, fmt.Errorf("ctrnn: %s has %d values, want B×T×%d = %d×%d×%d = %d", s.name, len(s.v), s.k/b.T, b.B, b.T, s.k/b.T, b.B*s.k)
		}
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"output gradient", up.Outputs}, {"rate gradient", up.Rates}, {"state gradient", up.States}} {
		if k := firstNonFinite(s.v); k >= 0 {
			return 0, fmt.Errorf("ctrnn: %s[%d] = %v is not finite", s.name, k, s.v[k])
		}
	}
	if gX0 != nil && len(gX0) != b.B*n {
		return 0, fmt.Errorf("ctrnn: initial-state gradient buffer has %d values, want B×N = %d×%d = %d", len(gX0), b.B, n, b.B*n)
	}
	terms, err := m.Gradient(b, upstreamObjective{up})
	if err != nil {
		return 0, err
	}
	if outputs != nil {
		copy(outputs, m.tr.Outputs)
	}
	if gInput != nil && i == 0 {
		gInput = nil
	}
	m.run.inputGrads(gInput, gX0)
	return terms[0].Value, nil
}

// inputGrads copies dℓ/du (batch-first, B×T×I) and dℓ/dx₀ (B×N) of the last
// backward pass into the non-nil slices: δu_t = ((α⊙δx_t)·W_in)⊙1[u_t > 0]
// (the rectification only with pycog's input model), δx₀ as BPTT left it.
func (r *batchRunner[T]) inputGrads(gu, gx0 []float64) {
	nI, nN := r.nI, r.nN
	r.parallel(func(k int) {
		e := r.workers[k]
		nb, nt := e.nB, e.nT
		if gu != nil && e.seg > 0 {
			// backSegments computed δu segment by segment.
			if e.inputOn {
				for c, v := range e.u {
					if v <= 0 {
						e.gu[c] = 0
					}
				}
			}
			transposeOut(gu[e.first*nt*nI:(e.first+nb)*nt*nI], e.gu, nb, nt, nI)
		} else if gu != nil {
			e.scaleInputWeights()
			e.gu = grow(e.gu, nt*nb*nI)
			linalg.Gemm(false, false, nt*nb, nI, nN, 1, e.d, nN, e.aIn, nI, 0, e.gu, nI)
			if e.inputOn {
				for c, v := range e.u {
					if v <= 0 {
						e.gu[c] = 0
					}
				}
			}
			transposeOut(gu[e.first*nt*nI:(e.first+nb)*nt*nI], e.gu, nb, nt, nI)
		}
		if gx0 != nil {
			convert(gx0[e.first*nN:(e.first+nb)*nN], e.dx0[:nb*nN])
		}
	})
}
