package ctrnn

import (
	"math"

	"nn4n/internal/linalg"
)

// omegaBound is pycog's threshold on ‖∂L/∂x_t‖² below which a step does not
// count in Ω.
const omegaBound = 1e-20

// engine runs the dynamics in precision T on time-major workspaces. Step t
// of trial b of an array with k columns starts at (t·B + b)·k. x and r hold
// steps 0…T, everything else steps 1…T.
type engine[T linalg.Float] struct {
	act        Activation
	head       Head
	nI, nN, nO int

	// Parameters in the compute precision.
	wIn   []T // N×I effective
	wRecA []T // N×N, diag(α)·W_rec effective
	wOut  []T // O×N effective
	bias  []T // b_in + b_rec
	bOut  []T
	alpha []T
	keep  []T // 1 − α
	pre   []T // α·σ_pre
	rec   []T // √(2α)·σ_rec
	post  T   // σ_post
	// pycog input model
	inputOn        bool
	u0, inputScale T

	// Forward workspaces for nB trials of nT steps.
	nB, nT   int
	u        []T // T·B·I
	x, r, fx []T // (T+1)·B·N; fx aliases r without post noise
	a, y     []T // T·B·O
	// Noise samples, held for the backward pass. nil when off.
	nu, xi, eta, zeta []T
	noiseOn           bool

	// Backward workspaces.
	ga    []T // T·B·O
	gl    []T // T·B·O: dL/da from the objective
	gr    []T // T·B·N: dL/dr, then the full δr
	gx    []T // T·B·N: direct dL/dx, or nil
	gxBuf []T
	x0    []T // B·N initial state
	d     []T // T·B·N: δx
	c     []T // T·B·N: Ω's coefficients, or nil
	p     []T // B·N: δx_t·diag(α)W_rec
	fp    []T // B·N: f'(x_t)
	dx0   []T // B·N

	// sim holds Step's buffers and its combined weight matrix w, rebuilt
	// when stale.
	sim struct {
		w, x, z, r, next, a, y []T
		stale                  bool
	}

	// Gradients with respect to the effective parameters.
	gWIn, gWRec, gWOut, gBias, gBOut, gAlpha []T
	omega                                    float64
}

func newEngine[T linalg.Float](i, n, o int) *engine[T] {
	return &engine[T]{
		nI: i, nN: n, nO: o,
		wIn: make([]T, n*i), wRecA: make([]T, n*n), wOut: make([]T, o*n),
		bias: make([]T, n), bOut: make([]T, o),
		alpha: make([]T, n), keep: make([]T, n), pre: make([]T, n), rec: make([]T, n),
		p: make([]T, n), fp: make([]T, n), dx0: make([]T, n),
		gWIn: make([]T, n*i), gWRec: make([]T, n*n), gWOut: make([]T, o*n),
		gBias: make([]T, n), gBOut: make([]T, o), gAlpha: make([]T, n),
	}
}

// grow returns s resized to n, reusing its memory when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// ensure sizes the forward workspaces for nb trials of nt steps; postNoise
// asks for a separate f(x) buffer.
func (e *engine[T]) ensure(nb, nt int, postNoise bool) {
	e.nB, e.nT = nb, nt
	bn := nb * e.nN
	e.u = grow(e.u, nt*nb*e.nI)
	e.x = grow(e.x, (nt+1)*bn)
	e.r = grow(e.r, (nt+1)*bn)
	if postNoise {
		e.fx = grow(e.fx, (nt+1)*bn)
		if len(e.fx) > 0 && &e.fx[0] == &e.r[0] {
			e.fx = make([]T, (nt+1)*bn)
		}
	} else {
		e.fx = e.r
	}
	e.a = grow(e.a, nt*nb*e.nO)
	e.y = grow(e.y, nt*nb*e.nO)
	e.p = grow(e.p, bn)
	e.fp = grow(e.fp, bn)
	e.dx0 = grow(e.dx0, bn)
}

// load copies the model's effective parameters into the compute precision.
func (e *engine[T]) load(m *Model) {
	e.act, e.head = m.cfg.Activation, m.cfg.Head
	for i, a := range m.alpha {
		e.alpha[i] = T(a)
		e.keep[i] = T(1 - a)
		e.pre[i] = T(a * m.cfg.PreNoise)
		e.rec[i] = T(math.Sqrt(2*a) * m.cfg.RecNoise)
		e.bias[i] = T(m.bIn[i] + m.bRec[i])
	}
	e.post = T(m.cfg.PostNoise)
	convert(e.wIn, m.wIn.eff)
	n := e.nN
	for j := 0; j < n; j++ {
		a := m.alpha[j]
		for i, w := range m.wRec.eff[j*n : (j+1)*n] {
			e.wRecA[j*n+i] = T(a * w)
		}
	}
	convert(e.wOut, m.wOut.eff)
	convert(e.bOut, m.bOut)
	e.inputOn = m.cfg.InputBaseline != 0 || m.cfg.InputNoise != 0
	e.u0 = T(m.cfg.InputBaseline)
	e.inputScale = T(math.Sqrt(2/m.cfg.InputAlpha) * m.cfg.InputNoise)
	e.sim.stale = true
}

func convert[D, S linalg.Float](dst []D, src []S) {
	for i, v := range src[:len(dst)] {
		dst[i] = D(v)
	}
}

// transposeIn copies a batch-first B×T×k float64 array into the time-major
// T×B×k array dst.
func transposeIn[T linalg.Float](dst []T, src []float64, nb, nt, k int) {
	for b := 0; b < nb; b++ {
		for t := 0; t < nt; t++ {
			convert(dst[(t*nb+b)*k:(t*nb+b+1)*k], src[(b*nt+t)*k:(b*nt+t+1)*k])
		}
	}
}

// transposeOut copies the time-major T×B×k array src into the batch-first
// B×T×k float64 array dst.
func transposeOut[T linalg.Float](dst []float64, src []T, nb, nt, k int) {
	for b := 0; b < nb; b++ {
		for t := 0; t < nt; t++ {
			convert(dst[(b*nt+t)*k:(b*nt+t+1)*k], src[(t*nb+b)*k:(t*nb+b+1)*k])
		}
	}
}

// drawNoise fills the noise buffers from the model's generator, unless the
// samples are frozen (then the previous samples are reused).
func (e *engine[T]) drawNoise(m *Model, train bool) {
	bn := e.nB * e.nN
	n := e.nT * bn
	e.noiseOn = train
	if !train {
		return
	}
	fill := func(buf []T, on bool, size int) []T {
		if !on {
			return nil
		}
		if m.frozen && len(buf) == size {
			return buf
		}
		buf = grow(buf, size)
		for i := range buf {
			buf[i] = T(m.rng.NormFloat64())
		}
		return buf
	}
	e.nu = fill(e.nu, m.cfg.InputNoise != 0, e.nT*e.nB*e.nI)
	e.xi = fill(e.xi, m.cfg.PreNoise != 0, n)
	e.eta = fill(e.eta, m.cfg.RecNoise != 0, n)
	e.zeta = fill(e.zeta, m.cfg.PostNoise != 0, n)
}

// run runs the dynamics over the batch; x0 is B×N.
func (e *engine[T]) run(input []float64, x0 []T) {
	nb, nt, nI, nN, nO := e.nB, e.nT, e.nI, e.nN, e.nO
	bn := nb * nN
	x1 := e.x[bn:]
	// Inputs, with pycog's baseline, noise and rectification.
	if nI > 0 {
		transposeIn(e.u, input, nb, nt, nI)
		if e.inputOn {
			noisy := e.noiseOn && e.nu != nil
			for i, v := range e.u {
				v += e.u0
				if noisy {
					v += e.inputScale * e.nu[i]
				}
				e.u[i] = max(v, 0)
			}
		}
		// x_t ← W_in·u_t for every step in one multiply.
		linalg.Gemm(false, true, nt*nb, nN, nI, 1, e.u, nI, e.wIn, nI, 0, x1, nN)
	} else {
		clear(x1)
	}
	copy(e.x[:bn], x0)
	e.advance(0)
	for t := 1; t <= nt; t++ {
		// x_t += r_{t−1}·(diag(α)W_rec)ᵀ
		linalg.Gemm(false, true, nb, nN, nN, 1, e.r[(t-1)*bn:t*bn], nN, e.wRecA, nN, 1, e.x[t*bn:(t+1)*bn], nN)
		e.advance(t)
	}
	// a = W_out·r + b_out for every step in one multiply, then y = g(a).
	for s := 0; s < nt*nb; s++ {
		copy(e.a[s*nO:(s+1)*nO], e.bOut)
	}
	linalg.Gemm(false, true, nt*nb, nO, nN, 1, e.r[bn:], nN, e.wOut, nN, 1, e.a, nO)
	headForward(e.head, e.a, e.y, nO)
}

// advance finishes step t and prepares step t+1 in one pass over the
// state: r_t = f(x_t) (+ σ_post ζ_t, not at t = 0), and, on entry holding
// W_in·u_{t+1}, x_{t+1} ← α⊙(x_{t+1} + b + σ_pre ξ) + √(2α)σ_rec η + (1−α)⊙x_t,
// so that only the recurrent product remains for step t+1.
func (e *engine[T]) advance(t int) {
	nb, nt, nN := e.nB, e.nT, e.nN
	bn := nb * nN
	xt, rt, ft := e.x[t*bn:(t+1)*bn], e.r[t*bn:(t+1)*bn], e.fx[t*bn:(t+1)*bn]
	post := t > 0 && e.noiseOn && e.zeta != nil
	if post {
		activate(e.act, xt, ft)
		z := e.zeta[(t-1)*bn : t*bn]
		for i, v := range ft {
			rt[i] = v + e.post*z[i]
		}
	} else if e.act != ReLU || t == nt {
		activate(e.act, xt, rt)
		if &ft[0] != &rt[0] {
			copy(ft, rt)
		}
	}
	if t == nt {
		return
	}
	next := e.x[(t+1)*bn : (t+2)*bn]
	fused := e.act == ReLU && !post
	for s := 0; s < bn; s += nN {
		xr, nr := xt[s:s+nN], next[s:s+nN]
		alpha, bias, keep := e.alpha[:nN], e.bias[:nN], e.keep[:nN]
		if fused {
			rr := rt[s : s+nN]
			for j, v := range xr {
				rr[j] = max(v, 0)
				nr[j] = alpha[j]*(nr[j]+bias[j]) + keep[j]*v
			}
			if &ft[0] != &rt[0] {
				copy(ft[s:s+nN], rr)
			}
		} else {
			for j, v := range xr {
				nr[j] = alpha[j]*(nr[j]+bias[j]) + keep[j]*v
			}
		}
		if e.noiseOn && e.xi != nil {
			xi, pre := e.xi[t*bn+s:t*bn+s+nN], e.pre[:nN]
			for j := range nr {
				nr[j] += pre[j] * xi[j]
			}
		}
		if e.noiseOn && e.eta != nil {
			eta, rec := e.eta[t*bn+s:t*bn+s+nN], e.rec[:nN]
			for j := range nr {
				nr[j] += rec[j] * eta[j]
			}
		}
	}
}

// bptt runs backpropagation through time. On entry ga holds dL/dy (time-major) and gr holds the
// direct dL/dr; gLogits, when non-nil, is added after the head. gx, when
// non-nil, is the direct dL/dx. lambdaOmega > 0 adds Ω's immediate gradient.
func (e *engine[T]) bptt(gLogits []T, lambdaOmega float64) {
	nb, nt, nI, nN, nO := e.nB, e.nT, e.nI, e.nN, e.nO
	bn := nb * nN
	// Through the head: ga ← J_gᵀ·ga (+ dL/da).
	if e.head != LinearHead {
		headBackward(e.head, e.y, e.ga, e.ga, nO)
	}
	if gLogits != nil {
		for i, v := range gLogits {
			e.ga[i] += v
		}
	}
	// Readout gradients, and dL/dr += ga·W_out for all steps at once.
	linalg.Gemm(true, false, nO, nN, nt*nb, 1, e.ga, nO, e.r[bn:], nN, 0, e.gWOut, nN)
	clear(e.gBOut)
	for s := 0; s < nt*nb; s++ {
		for k, v := range e.ga[s*nO : (s+1)*nO] {
			e.gBOut[k] += v
		}
	}
	linalg.Gemm(false, false, nt*nb, nN, nO, 1, e.ga, nO, e.wOut, nN, 1, e.gr, nN)

	omegaOn := lambdaOmega > 0
	if omegaOn {
		e.c = grow(e.c, nt*bn)
	}
	var omegaSum float64
	var omegaCount int
	// δx_T = f'(x_T)⊙δr_T + gx_T
	e.deriv(nt)
	e.combine(e.d[(nt-1)*bn:nt*bn], e.gr[(nt-1)*bn:nt*bn], nil, e.gxAt(nt))
	for t := nt; t >= 1; t-- {
		dt := e.d[(t-1)*bn : t*bn]
		// p = δx_t·diag(α)W_rec: the recurrent part of δr_{t−1}.
		linalg.Gemm(false, false, nb, nN, nN, 1, dt, nN, e.wRecA, nN, 0, e.p, nN)
		if omegaOn {
			s, k := e.omegaStep(dt, e.c[(t-1)*bn:t*bn])
			omegaSum += s
			omegaCount += k
		}
		if t > 1 {
			e.deriv(t - 1)
			e.combine(e.d[(t-2)*bn:(t-1)*bn], e.gr[(t-2)*bn:(t-1)*bn], dt, e.gxAt(t-1))
		} else {
			e.deriv(0)
			clear(e.dx0)
			e.combine(e.dx0, nil, dt, nil)
		}
	}
	// Weight and bias gradients as single multiplies over all steps.
	linalg.Gemm(true, false, nN, nN, nt*nb, 1, e.d, nN, e.r[:nt*bn], nN, 0, e.gWRec, nN)
	if nI > 0 {
		linalg.Gemm(true, false, nN, nI, nt*nb, 1, e.d, nN, e.u, nI, 0, e.gWIn, nI)
	}
	e.omega = 0
	if omegaOn && omegaCount > 0 {
		e.omega = omegaSum / float64(omegaCount)
		// dΩ/d(diag(α)W) = Σ δx_tᵀ·c_t / K
		linalg.Gemm(true, false, nN, nN, nt*nb, T(lambdaOmega/float64(omegaCount)), e.d, nN, e.c, nN, 1, e.gWRec, nN)
	}
	for j := 0; j < nN; j++ {
		a := e.alpha[j]
		for i := range e.gWRec[j*nN : (j+1)*nN] {
			e.gWRec[j*nN+i] *= a
		}
		for i := range e.gWIn[j*nI : (j+1)*nI] {
			e.gWIn[j*nI+i] *= a
		}
	}
	// Bias and α gradients.
	clear(e.gBias)
	clear(e.gAlpha)
	for t := 1; t <= nt; t++ {
		for b := 0; b < nb; b++ {
			o := ((t-1)*nb + b) * nN
			d := e.d[o : o+nN]
			xt := e.x[o+bn : o+bn+nN]
			xp := e.x[o : o+nN]
			for j, v := range d {
				e.gBias[j] += v
				// ∂x_t/∂α = (x_t − x_{t−1})/α − σ_rec η_t/√(2α)
				e.gAlpha[j] += v * (xt[j] - xp[j]) / e.alpha[j]
			}
			if e.noiseOn && e.eta != nil {
				eta := e.eta[o : o+nN]
				for j, v := range d {
					e.gAlpha[j] -= v * e.rec[j] * eta[j] / (2 * e.alpha[j])
				}
			}
		}
	}
	for j, a := range e.alpha {
		e.gBias[j] *= a
	}
}

func (e *engine[T]) gxAt(t int) []T {
	if e.gx == nil {
		return nil
	}
	bn := e.nB * e.nN
	return e.gx[(t-1)*bn : t*bn]
}

// deriv sets fp = f'(x_t).
func (e *engine[T]) deriv(t int) {
	bn := e.nB * e.nN
	derivative(e.act, e.x[t*bn:(t+1)*bn], e.fx[t*bn:(t+1)*bn], e.fp)
}

// combine sets dst = fp⊙(g + p) + gx + (1−α)⊙next, where g, next and gx may
// be nil (p is used only when next is set).
func (e *engine[T]) combine(dst, g, next, gx []T) {
	nN := e.nN
	keep := e.keep[:nN]
	for s := 0; s < len(dst); s += nN {
		d, fp, p := dst[s:s+nN], e.fp[s:s+nN], e.p[s:s+nN]
		if g != nil && next != nil && gx == nil { // the common case, one tight loop
			gr, nx := g[s:s+nN], next[s:s+nN]
			for j := range d {
				d[j] = (gr[j]+p[j])*fp[j] + keep[j]*nx[j]
			}
			continue
		}
		for j := range d {
			var v T
			if g != nil {
				v = g[s+j]
			}
			if next != nil {
				v += p[j]
			}
			v *= fp[j]
			if next != nil {
				v += keep[j] * next[s+j]
			}
			if gx != nil {
				v += gx[s+j]
			}
			d[j] = v
		}
	}
}

// omegaStep adds step t's terms of pycog's Ω. With v = δx_t, p = v·diag(α)W
// and f' = f'(x_t) (pycog pairs v_t with f'(x_t)), q = (1−α)⊙v + p⊙f' and the
// term is (‖q‖²/‖v‖² − 1)². It writes c = 4(‖q‖²/‖v‖² − 1)/‖v‖²·q⊙f', the
// coefficient of Ω's immediate gradient, and returns the sum and count.
func (e *engine[T]) omegaStep(v, c []T) (float64, int) {
	nN := e.nN
	var sum float64
	count := 0
	for s := 0; s < len(v); s += nN {
		vr, pr, fp, cr := v[s:s+nN], e.p[s:s+nN], e.fp[s:s+nN], c[s:s+nN]
		var nv, nq float64
		for j := range vr {
			q := float64(e.keep[j]*vr[j] + pr[j]*fp[j])
			nq += q * q
			nv += float64(vr[j]) * float64(vr[j])
		}
		if nv < omegaBound {
			clear(cr)
			continue
		}
		ratio := nq / nv
		sum += (ratio - 1) * (ratio - 1)
		count++
		k := 4 * (ratio - 1) / nv
		for j := range vr {
			q := float64(e.keep[j]*vr[j] + pr[j]*fp[j])
			cr[j] = T(k * q * float64(fp[j]))
		}
	}
	return sum, count
}
