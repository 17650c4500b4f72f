package ctrnn

import "nn4n/internal/linalg"

// runner is the precision-independent face of engine[T].
type runner interface {
	// forward loads stale parameters, draws noise and runs the batch.
	forward(m *Model, b *Batch)
	// export copies the last pass into dst's non-nil slices.
	export(dst *Trajectory)
	// backward runs BPTT from an objective's gradients and stores the
	// gradients in m; it returns Ω (0 when lambdaOmega is 0).
	backward(m *Model, g *ObjectiveGrad, lambdaOmega float64) float64
	// step advances nb states by one step for a simulator.
	step(m *Model, nb int, x, u, r, y []float64)
}

func (e *engine[T]) forward(m *Model, b *Batch) {
	if m.stale {
		e.load(m)
		m.stale = false
	}
	e.ensure(b.B, b.T, m.training && m.cfg.PostNoise != 0)
	e.drawNoise(m, m.training)
	e.x0 = grow(e.x0, b.B*e.nN)
	convert(e.x0, m.initialState(b))
	e.run(b.Input, e.x0)
}

func (e *engine[T]) export(dst *Trajectory) {
	nb, nt, nN, nO := e.nB, e.nT, e.nN, e.nO
	bn := nb * nN
	if dst.Outputs != nil {
		transposeOut(dst.Outputs, e.y, nb, nt, nO)
	}
	if dst.Logits != nil {
		transposeOut(dst.Logits, e.a, nb, nt, nO)
	}
	if dst.Rates != nil {
		transposeOut(dst.Rates, e.r[bn:], nb, nt, nN)
	}
	if dst.States != nil {
		transposeOut(dst.States, e.x[bn:], nb, nt, nN)
	}
}

func (e *engine[T]) backward(m *Model, g *ObjectiveGrad, lambdaOmega float64) float64 {
	nb, nt, nN, nO := e.nB, e.nT, e.nN, e.nO
	e.ga = grow(e.ga, nt*nb*nO)
	e.gr = grow(e.gr, nt*nb*nN)
	e.d = grow(e.d, nt*nb*nN)
	transposeIn(e.ga, g.Outputs, nb, nt, nO)
	var gLogits []T
	if g.Logits != nil {
		e.gl = grow(e.gl, nt*nb*nO)
		transposeIn(e.gl, g.Logits, nb, nt, nO)
		gLogits = e.gl
	}
	if g.Rates != nil {
		transposeIn(e.gr, g.Rates, nb, nt, nN)
	} else {
		clear(e.gr)
	}
	e.gx = nil
	if g.States != nil {
		e.gxBuf = grow(e.gxBuf, nt*nb*nN)
		e.gx = e.gxBuf
		transposeIn(e.gx, g.States, nb, nt, nN)
	}
	e.bptt(gLogits, lambdaOmega)

	convert(m.wIn.effGrad, e.gWIn)
	convert(m.wRec.effGrad, e.gWRec)
	convert(m.wOut.effGrad, e.gWOut)
	convert(m.gBOut, e.gBOut)
	convert(m.gBIn, e.gBias)
	convert(m.gBRec, e.gBias)
	convert(m.gAlpha, e.gAlpha)
	clear(m.gX0)
	for b := 0; b < nb; b++ {
		for j, v := range e.dx0[b*nN : (b+1)*nN] {
			m.gX0[j] += float64(v)
		}
	}
	return e.omega
}

func (e *engine[T]) step(m *Model, nb int, x, u, r, y []float64) {
	if m.stale {
		e.load(m)
		m.stale = false
	}
	nI, nN, nO := e.nI, e.nN, e.nO
	nz := nN + nI
	s := &e.sim
	if s.stale {
		// w = [diag(α)W_rec | diag(α)W_in], so that one product serves the
		// recurrence and the input.
		s.w = grow(s.w, nN*nz)
		for j := 0; j < nN; j++ {
			copy(s.w[j*nz:j*nz+nN], e.wRecA[j*nN:(j+1)*nN])
			for i, v := range e.wIn[j*nI : (j+1)*nI] {
				s.w[j*nz+nN+i] = e.alpha[j] * v
			}
		}
		s.stale = false
	}
	s.x, s.z, s.next = grow(s.x, nb*nN), grow(s.z, nb*nz), grow(s.next, nb*nN)
	s.a, s.y = grow(s.a, nb*nO), grow(s.y, nb*nO)
	convert(s.x, x)
	noise := m.training
	for b := 0; b < nb; b++ {
		// z = [f(x) | u], u with pycog's baseline, noise and rectification.
		zr, ur := s.z[b*nz+nN:(b+1)*nz], u[b*nI:(b+1)*nI]
		activate(e.act, s.x[b*nN:(b+1)*nN], s.z[b*nz:b*nz+nN])
		convert(zr, ur)
		if e.inputOn {
			for k, v := range zr {
				v += e.u0
				if noise && m.cfg.InputNoise != 0 {
					v += e.inputScale * T(m.rng.NormFloat64())
				}
				zr[k] = max(v, 0)
			}
		}
		// next = α⊙(b + σ_pre ξ) + √(2α)σ_rec η + (1−α)⊙x, then + w·z
		row, xr := s.next[b*nN:(b+1)*nN], s.x[b*nN:(b+1)*nN]
		for j := range row {
			row[j] = e.alpha[j]*e.bias[j] + e.keep[j]*xr[j]
			if noise {
				row[j] += e.pre[j]*T(m.rng.NormFloat64()) + e.rec[j]*T(m.rng.NormFloat64())
			}
		}
	}
	rows(nb, nN, nz, s.z, s.w, 1, s.next)
	s.r = grow(s.r, nb*nN)
	activate(e.act, s.next, s.r)
	if noise && e.post != 0 {
		for k := range s.r {
			s.r[k] += e.post * T(m.rng.NormFloat64())
		}
	}
	for b := 0; b < nb; b++ {
		copy(s.a[b*nO:(b+1)*nO], e.bOut)
	}
	rows(nb, nO, nN, s.r, e.wOut, 1, s.a)
	headForward(e.head, s.a, s.y, nO)
	convert(x, s.next)
	if r != nil {
		convert(r, s.r)
	}
	if y != nil {
		convert(y, s.y)
	}
}

// rows sets c = x·wᵀ + beta·c for nb rows x (nb×k) and w (n×k): a
// matrix-vector product for one row, the simulator's usual case.
func rows[T linalg.Float](nb, n, k int, x, w []T, beta T, c []T) {
	if nb == 1 {
		linalg.Gemv(false, n, k, 1, w, k, x, beta, c)
		return
	}
	linalg.Gemm(false, true, nb, n, k, 1, x, k, w, k, beta, c, n)
}
