// SPDX-License-Identifier: MIT

package ctrnn

import "github.com/nn4n/nn4n/internal/linalg"

// Checkpointed BPTT. With the model setting "bptt_checkpoint" = k > 0, a
// gradient pass whose objective reads only outputs (no rates or states)
// keeps x and r of the forward pass in rings and saves the states of steps
// 0, k, 2k, …; the backward pass then runs segment by segment from the
// last, recomputing the k steps of a segment from its saved state with the
// forward pass's own arithmetic (the same states, bit for bit) and
// back-propagating through them with adjoint workspaces of k steps. The
// memory of the states and adjoints goes from ~4·T·B·N values to
// ~(T/k + 5k)·B·N, least near k = √(T/5), for one more forward pass.
// Noise samples, inputs and outputs are still kept for every step.

// backSegments is backSteps and the sums over steps of backWeights for a
// checkpointed pass; backWeights then only scales.
func (e *engine[T]) backSegments(g *ObjectiveGrad, omega bool) {
	nb, nt, nI, nN, nO := e.nB, e.nT, e.nI, e.nN, e.nO
	bn := nb * nN
	seg := e.seg
	at := func(s []float64, c int) []float64 { return s[e.first*nt*c : (e.first+nb)*nt*c] }
	e.ga = grow(e.ga, nt*nb*nO)
	transposeIn(e.ga, at(g.Outputs, nO), nb, nt, nO)
	e.throughHead(g)
	clear(e.gBOut)
	for s := 0; s < nt*nb; s++ {
		for k, v := range e.ga[s*nO : (s+1)*nO] {
			e.gBOut[k] += v
		}
	}
	for _, s := range [][]T{e.gWOut, e.gWRec, e.gWIn, e.gBias, e.gAlpha, e.gEta} {
		clear(s)
	}
	e.gx = nil
	e.gr = grow(e.gr, seg*bn)
	e.d = grow(e.d, seg*bn)
	e.carry = grow(e.carry, bn)
	e.grRow = grow(e.grRow, bn)
	if omega {
		e.c = grow(e.c, seg*bn)
		e.gOm = grow(e.gOm, nN*nN)
		clear(e.gOm)
	} else {
		e.gOm = e.gOm[:0]
	}
	// δu_t = (α⊙δx_t)·W_in, before the input model's rectification
	// (inputGrads applies it): δx is not kept past its segment.
	if nI > 0 {
		e.scaleInputWeights()
		e.gu = grow(e.gu, nt*nb*nI)
		e.gWInT = grow(e.gWInT, nI*nN)
		clear(e.gWInT)
	}
	e.omegaSum, e.omegaCount = 0, 0
	last := (nt - 1) / seg
	for k := last; k >= 0; k-- {
		t0, t1 := k*seg, min((k+1)*seg, nt)
		n := t1 - t0
		e.recompute(t0, t1)
		// Row j of d, gr and c is step t0+1+j; row j of x, r and fx is step
		// t0+j; row j of ga, u and gu at offset t0 is step t0+1+j.
		d, gr := e.d[:n*bn], e.gr[:n*bn]
		ga := e.ga[t0*nb*nO:]
		clear(gr)
		e.wOutTP.MulT(n*nb, ga, nO, gr, nN)
		e.atb.Add(nO, nN, n*nb, ga, nO, e.r[bn:(n+1)*bn], e.gWOut, nN)
		e.derivRow(n)
		if k == last {
			// δx_T = f'(x_T)⊙δr_T
			e.combine(d[(n-1)*bn:], gr[(n-1)*bn:], nil, nil)
		} else {
			copy(d[(n-1)*bn:], e.carry)
		}
		for t := t1; t > t0; t-- {
			j := t - t0 - 1
			dt := d[j*bn : (j+1)*bn]
			if e.packed {
				clear(e.p)
				e.wRecTP.MulT(nb, dt, nN, e.p, nN)
			} else {
				linalg.Gemm(false, false, nb, nN, nN, 1, dt, nN, e.wRecA, nN, 0, e.p, nN)
			}
			if omega {
				s, c := e.omegaStep(dt, e.c[j*bn:(j+1)*bn])
				e.omegaSum += s
				e.omegaCount += c
			}
			e.derivRow(j)
			switch {
			case j > 0:
				e.combine(d[(j-1)*bn:j*bn], gr[(j-1)*bn:j*bn], dt, nil)
			case t0 > 0:
				// δx_{t0}, the first of the previous segment.
				clear(e.grRow)
				e.wOutTP.MulT(nb, e.ga[(t0-1)*nb*nO:], nO, e.grRow, nN)
				e.combine(e.carry, e.grRow, dt, nil)
			default:
				clear(e.dx0)
				e.combine(e.dx0, nil, dt, nil)
			}
		}
		e.atb.Add(nN, nN, n*nb, d, nN, e.r[:n*bn], e.gWRec, nN)
		if nI > 0 {
			u := e.u[t0*nb*nI:]
			e.atb.Add(nI, nN, n*nb, u, nI, d, e.gWInT, nN) // uᵀ·δx, as backWeights
			linalg.Gemm(false, false, n*nb, nI, nN, 1, d, nN, e.aIn, nI, 0, e.gu[t0*nb*nI:], nI)
		}
		if omega {
			linalg.Gemm(true, false, nN, nN, n*nb, 1, d, nN, e.c[:n*bn], nN, 1, e.gOm, nN)
		}
		var eta []T
		if len(e.eta) > 0 {
			eta = e.eta[t0*bn:]
		}
		e.addMoments(d, e.x[:(n+1)*bn], eta)
	}
	for j := range nN {
		for c := range nI {
			e.gWIn[j*nI+c] = e.gWInT[c*nN+j]
		}
	}
}

// recompute runs steps t0+1 … t1 again from the state saved at t0, into
// rows 0 … t1−t0 of x, r and fx.
func (e *engine[T]) recompute(t0, t1 int) {
	bn := e.nB * e.nN
	e.ring, e.base = 0, t0
	copy(e.x[:bn], e.ck[t0/e.seg*bn:(t0/e.seg+1)*bn])
	e.steps(t0, t1, false)
}

// derivRow sets fp = f'(x) of row j of x and fx.
func (e *engine[T]) derivRow(j int) {
	bn := e.nB * e.nN
	derivative(e.act, e.x[j*bn:(j+1)*bn], e.fx[j*bn:(j+1)*bn], e.fp)
}
