// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"unsafe"

	"github.com/nn4n/nn4n/internal/linalg"
)

// omegaBound is pycog's threshold on ‖∂L/∂x_t‖² below which a step does not
// count in Ω.
const omegaBound = 1e-20

// params holds a model's parameters in the compute precision T, shared by
// the workers of a runner.
type params[T linalg.Float] struct {
	act        Activation
	head       Head
	nI, nN, nO int

	wIn   []T // N×I effective
	wRecA []T // N×N, diag(α)·W_rec effective
	// wRecA packed for the products of the forward (r·wRecAᵀ) and backward
	// (δx·wRecA) passes.
	wRecP, wRecTP linalg.Packed[T]
	wOut          []T // O×N effective
	bias          []T // b_in + b_rec
	bOut          []T
	alpha         []T
	keep          []T // 1 − α
	pre           []T // α·σ_pre
	rec           []T // √(2α)·σ_rec
	post          T   // σ_post
	// pycog input model
	inputOn        bool
	u0, inputScale T
	// Which noises the configuration has.
	inNoise, preNoise, recNoise, postNoise bool
	// wIn packed for the input drive u·W_inᵀ, and wOut transposed for the
	// readout's part of the backward pass, ga·W_out.
	wInP, wOutTP linalg.Packed[T]
}

func newParams[T linalg.Float](i, n, o int) *params[T] {
	return &params[T]{
		nI: i, nN: n, nO: o,
		wIn: make([]T, n*i), wRecA: make([]T, n*n), wOut: make([]T, o*n),
		bias: make([]T, n), bOut: make([]T, o),
		alpha: make([]T, n), keep: make([]T, n), pre: make([]T, n), rec: make([]T, n),
	}
}

// engine runs the dynamics of nB consecutive trials of a batch, starting
// with trial first, in precision T on time-major workspaces. Step t of
// trial b of an array with k columns starts at (t·nB + b)·k. x and r hold
// steps 0…T (or a ring of them, see ensure and row), everything else steps
// 1…T.
type engine[T linalg.Float] struct {
	*params[T]

	// Forward workspaces for nB trials of nT steps.
	nB, nT, first int
	packed        bool // the recurrent products run on wRecP and wRecTP, else on BLAS
	u             []T  // T·B·I
	x, r, fx      []T  // (T+1)·B·N, or ring rows; fx aliases r without post noise
	blk           int  // steps per block of the input drive and readout
	ring          int  // 0: x and r keep every step; > 0: they are rings of this many rows
	base          int  // with ring = 0, the step held in row 0 (a recomputed segment's first)
	// Checkpointed BPTT (seg > 0): the forward pass keeps x and r in rings
	// and the states of steps 0, seg, 2·seg, … in ck; the backward pass
	// recomputes one segment of seg steps at a time into the first seg+1
	// rows of x, r and fx.
	seg   int
	ck    []T // ⌈T/seg⌉·B·N
	carry []T // B·N: δx at the first step of the segment being back-propagated
	grRow []T // B·N: dL/dr at that step
	gOm   []T // N×N: Σ δxᵀ·c, Ω's immediate gradient before its scale
	a, y  []T // T·B·O
	dot   []T // one output of a block's readout
	// stream, in a pass without history, receives the rates and states of
	// each block of steps while the block is in the ring (see streamOut).
	stream *Trajectory
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
	gEta  []T // N: Σ δx⊙η, for the α gradient
	aIn   []T // N×I: diag(α)W_in, for the input gradient
	gu    []T // T·B·I: dℓ/du

	// Gradients with respect to the effective parameters, and Ω's sum and
	// count of terms over this worker's trials.
	gWIn, gWRec, gWOut, gBias, gBOut, gAlpha []T
	atb                                      linalg.ATB[T] // the blocks of the weight gradients
	gWInT                                    []T           // I×N: the W_in gradient transposed
	omegaSum                                 float64
	omegaCount                               int
}

func newEngine[T linalg.Float](p *params[T]) *engine[T] {
	i, n, o := p.nI, p.nN, p.nO
	return &engine[T]{
		params: p,
		p:      make([]T, n), fp: make([]T, n), dx0: make([]T, n), gEta: make([]T, n),
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
// asks for a separate f(x) buffer. Without history (no backward pass and no
// rates or states wanted) x and r are rings of two blocks of steps, which
// stay in cache. With history and seg > 0 the pass is checkpointed: a block
// is at most seg steps and seg is rounded up to a whole number of blocks,
// so that a recomputed segment runs the input products of the forward
// pass; a segment as long as the trial turns checkpointing off.
func (e *engine[T]) ensure(nb, nt int, postNoise, history bool, seg int) {
	e.nB, e.nT = nb, nt
	bn := nb * e.nN
	var zero T
	e.blk = max(1, blockBytes/(bn*int(unsafe.Sizeof(zero))))
	rows := nt + 1
	e.ring, e.base, e.seg = 0, 0, 0
	if history && seg > 0 {
		e.blk = min(e.blk, seg)
		if seg = (seg + e.blk - 1) / e.blk * e.blk; seg < nt {
			e.seg = seg
			rows, e.ring = max(2*e.blk, seg+1), 2*e.blk
			e.ck = grow(e.ck, (nt+seg-1)/seg*bn)
		}
	}
	if !history && 2*e.blk < rows {
		rows, e.ring = 2*e.blk, 2*e.blk
	}
	e.u = grow(e.u, nt*nb*e.nI)
	e.x = grow(e.x, rows*bn)
	e.r = grow(e.r, rows*bn)
	if postNoise {
		e.fx = grow(e.fx, rows*bn)
		if len(e.fx) > 0 && &e.fx[0] == &e.r[0] {
			e.fx = make([]T, rows*bn)
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

// row returns the row of step t in x, r and fx: t, or (t − 1) mod ring, so
// that a block of steps kb+1 … kb+b occupies consecutive rows of a ring.
func (e *engine[T]) row(t int) int {
	if e.ring == 0 {
		return t - e.base
	}
	return (t - 1 + e.ring) % e.ring
}

// at returns step t's B×N slab of x, r or fx.
func (e *engine[T]) at(buf []T, t int) []T {
	bn := e.nB * e.nN
	k := e.row(t)
	return buf[k*bn : (k+1)*bn]
}

// load copies the model's effective parameters into the compute precision.
func (e *params[T]) load(m *Model) {
	e.act, e.head = m.cfg.Activation, m.cfg.Head
	e.inNoise, e.preNoise = m.cfg.InputNoise != 0, m.cfg.PreNoise != 0
	e.recNoise, e.postNoise = m.cfg.RecNoise != 0, m.cfg.PostNoise != 0
	// Every parameter is rounded to T before it is combined with another,
	// so that a float32 engine depends on the parameters only through their
	// float32 values: a model loaded from a float32 copy of them (a torch
	// state_dict) computes bit-identical outputs.
	for i, a64 := range m.alpha {
		a := T(a64)
		e.alpha[i] = a
		e.keep[i] = 1 - a
		e.pre[i] = a * T(m.cfg.PreNoise)
		e.rec[i] = T(math.Sqrt(2*float64(a))) * T(m.cfg.RecNoise)
		e.bias[i] = T(m.bIn[i]) + T(m.bRec[i])
	}
	e.post = T(m.cfg.PostNoise)
	convert(e.wIn, m.wIn.eff)
	n := e.nN
	for j := 0; j < n; j++ {
		a := e.alpha[j]
		for i, w := range m.wRec.eff[j*n : (j+1)*n] {
			e.wRecA[j*n+i] = a * T(w)
		}
	}
	e.wRecP.Pack(e.wRecA, n, n)
	e.wRecTP.PackT(e.wRecA, n, n)
	convert(e.wOut, m.wOut.eff)
	e.wInP.Pack(e.wIn, n, e.nI)
	e.wOutTP.PackT(e.wOut, e.nO, n)
	convert(e.bOut, m.bOut)
	e.inputOn = m.cfg.InputBaseline != 0 || m.cfg.InputNoise != 0
	e.u0 = T(m.cfg.InputBaseline)
	e.inputScale = T(math.Sqrt(2/m.cfg.InputAlpha) * m.cfg.InputNoise)
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

// drawNoise fills the noise buffers of the switched-on noises, trial by
// trial from the streams of key, so that the samples of a trial depend only
// on key and its index in the batch.
func (e *engine[T]) drawNoise(key uint64) {
	nb, nt, nI, nN := e.nB, e.nT, e.nI, e.nN
	size := func(on bool, k int) int {
		if on {
			return nt * nb * k
		}
		return 0
	}
	e.nu = grow(e.nu, size(e.inNoise, nI))
	e.xi = grow(e.xi, size(e.preNoise, nN))
	e.eta = grow(e.eta, size(e.recNoise, nN))
	e.zeta = grow(e.zeta, size(e.postNoise, nN))
	if !e.inNoise && !e.preNoise && !e.recNoise && !e.postNoise {
		return
	}
	for b := 0; b < nb; b++ {
		g := newStream(key, uint64(e.first+b))
		for t := 0; t < nt; t++ {
			s := t*nb + b
			for _, buf := range [...]struct {
				v []T
				k int
			}{{e.nu, nI}, {e.xi, nN}, {e.eta, nN}, {e.zeta, nN}} {
				if len(buf.v) == 0 {
					continue
				}
				fillNormal(&g, buf.v[s*buf.k:(s+1)*buf.k])
			}
		}
	}
}

// run runs the dynamics over the batch; x0 is B×N.
func (e *engine[T]) run(input []float64, x0 []T) {
	nb, nt, nI, nO := e.nB, e.nT, e.nI, e.nO
	// Inputs, with pycog's baseline, noise and rectification.
	if nI > 0 {
		transposeIn(e.u, input, nb, nt, nI)
		if e.inputOn {
			noisy := e.noiseOn && len(e.nu) > 0
			for i, v := range e.u {
				v += e.u0
				if noisy {
					v += e.inputScale * e.nu[i]
				}
				e.u[i] = max(v, 0)
			}
		}
	}
	for s := 0; s < nt*nb; s++ {
		copy(e.a[s*nO:(s+1)*nO], e.bOut)
	}
	copy(e.at(e.x, 0), x0)
	e.steps(0, nt, true)
	headForward(e.head, e.a, e.y, nO)
}

// steps runs steps t0+1 … t1 from the state x_{t0} in its row of x, and
// computes r_{t0} … r_{t1}; with readout, the logits of steps t0+1 … t1
// (t0 = 0 and t1 = T there). A checkpointed pass saves x_t at every seg-th
// step. t0 is a multiple of the block of steps, so that the input products
// are those of the forward pass.
func (e *engine[T]) steps(t0, t1 int, readout bool) {
	nb, nI, nN, nO := e.nB, e.nI, e.nN, e.nO
	bn := nb * nN
	// The input drive and the readout are single multiplies over blocks of
	// steps small enough to stay in cache between them and the time loop.
	blk := e.blk
	for t := t0; t <= t1; t++ {
		if t > t0 {
			// x_t += r_{t−1}·(diag(α)W_rec)ᵀ
			if e.packed {
				e.wRecP.MulT(nb, e.at(e.r, t-1), nN, e.at(e.x, t), nN)
			} else {
				linalg.Gemm(false, true, nb, nN, nN, 1, e.at(e.r, t-1), nN, e.wRecA, nN, 1, e.at(e.x, t), nN)
			}
		}
		if t%blk == 0 && t < t1 {
			// x_s ← W_in·u_s for the steps s of the next block.
			k := min(blk, t1-t) * nb
			xs := e.x[e.row(t+1)*bn : e.row(t+1)*bn+k*nN]
			clear(xs)
			if nI > 0 {
				e.wInP.MulT(k, e.u[t*nb*nI:], nI, xs, nN)
			}
		}
		e.advance(t, t1)
		if readout && e.seg > 0 && t%e.seg == 0 && t < t1 {
			copy(e.ck[t/e.seg*bn:(t/e.seg+1)*bn], e.at(e.x, t))
		}
		if readout && (t%blk == 0 && t > 0 || t == t1) {
			// a_s += W_out·r_s for the steps s of the block that ends at t.
			s := (t - 1) / blk * blk
			k := (t - s) * nb
			rs, as := e.r[e.row(s+1)*bn:], e.a[s*nb*nO:]
			if linalg.HasPacked {
				// One output at a time on MulVec's kernel, which sums each
				// row in an order of its own: BLAS's order depends on k,
				// that is on the split of the batch, and outputs would then
				// depend on the thread count.
				e.dot = grow(e.dot, k)
				for o := range nO {
					clear(e.dot)
					linalg.MulVec(k, nN, rs, nN, e.wOut[o*nN:(o+1)*nN], e.dot)
					for i, v := range e.dot {
						as[i*nO+o] += v
					}
				}
			} else {
				linalg.Gemm(false, true, k, nO, nN, 1, rs, nN, e.wOut, nN, 1, as, nO)
			}
			if e.stream != nil {
				e.streamOut(s+1, t)
			}
		}
	}
}

// streamOut copies the rates and states of steps t0 … t1, which lie in
// consecutive rows of the ring, into e.stream's non-nil slices
// (batch-first, the engine's trials).
func (e *engine[T]) streamOut(t0, t1 int) {
	nb, nt, nN := e.nB, e.nT, e.nN
	bn := nb * nN
	for _, out := range [...]struct {
		dst []float64
		src []T
	}{{e.stream.Rates, e.r}, {e.stream.States, e.x}} {
		if out.dst == nil {
			continue
		}
		src := out.src[e.row(t0)*bn:]
		for b := range nb {
			dst := out.dst[((e.first+b)*nt+t0-1)*nN:]
			for u := range t1 - t0 + 1 {
				convert(dst[u*nN:(u+1)*nN], src[(u*nb+b)*nN:(u*nb+b+1)*nN])
			}
		}
	}
}

// blockBytes bounds the states of a block of steps in run.
const blockBytes = 128 << 10

// advance finishes step t and prepares step t+1 unless t = last: r_t = f(x_t)
// (+ σ_post ζ_t, not at t = 0), and, on entry holding W_in·u_{t+1},
// x_{t+1} ← α⊙(x_{t+1} + b + σ_pre ξ) + √(2α)σ_rec η + (1−α)⊙x_t, so that only
// the recurrent product remains for step t+1.
func (e *engine[T]) advance(t, last int) {
	nb, nN := e.nB, e.nN
	bn := nb * nN
	xt, rt, ft := e.at(e.x, t), e.at(e.r, t), e.at(e.fx, t)
	activate(e.act, xt, ft)
	if t > 0 && e.noiseOn && len(e.zeta) > 0 {
		z := e.zeta[(t-1)*bn : t*bn]
		for i, v := range ft {
			rt[i] = v + e.post*z[i]
		}
	} else if &ft[0] != &rt[0] {
		copy(rt, ft)
	}
	if t == last {
		return
	}
	next := e.at(e.x, t+1)
	for s := 0; s < bn; s += nN {
		nr := next[s : s+nN]
		leak(nr, xt[s:s+nN], e.alpha, e.bias, e.keep)
		if e.noiseOn && len(e.xi) > 0 {
			xi, pre := e.xi[t*bn+s:t*bn+s+nN], e.pre[:nN]
			for j := range nr {
				nr[j] += pre[j] * xi[j]
			}
		}
		if e.noiseOn && len(e.eta) > 0 {
			eta, rec := e.eta[t*bn+s:t*bn+s+nN], e.rec[:nN]
			for j := range nr {
				nr[j] += rec[j] * eta[j]
			}
		}
	}
}

// throughHead turns e.ga, the outputs' gradient of every step and trial in
// the engine's layout, into dL/da: ga ← J_gᵀ·ga, plus the logits' gradient.
func (e *engine[T]) throughHead(g *ObjectiveGrad) {
	nb, nt, nO := e.nB, e.nT, e.nO
	if e.head != LinearHead {
		headBackward(e.head, e.y, e.ga, e.ga, nO)
	}
	if g.Logits != nil {
		e.gl = grow(e.gl, nt*nb*nO)
		transposeIn(e.gl, g.Logits[e.first*nt*nO:(e.first+nb)*nt*nO], nb, nt, nO)
		for i, v := range e.gl {
			e.ga[i] += v
		}
	}
}

// scaleInputWeights sets e.aIn to α⊙W_in (row j scaled by α_j), the input
// weights as the update applies them.
func (e *engine[T]) scaleInputWeights() {
	nN, nI := e.nN, e.nI
	e.aIn = grow(e.aIn, nN*nI)
	for j := 0; j < nN; j++ {
		a := e.alpha[j]
		for c, w := range e.wIn[j*nI : (j+1)*nI] {
			e.aIn[j*nI+c] = a * w
		}
	}
}

// backSteps runs backpropagation through time down to δx for every step,
// from the objective's gradients (batch-first, whole batch) of this
// worker's trials. With omega, it also computes Ω's terms and coefficients.
func (e *engine[T]) backSteps(g *ObjectiveGrad, omega bool) {
	nb, nt, nN, nO := e.nB, e.nT, e.nN, e.nO
	bn := nb * nN
	at := func(s []float64, c int) []float64 { return s[e.first*nt*c : (e.first+nb)*nt*c] }
	e.ga = grow(e.ga, nt*nb*nO)
	e.gr = grow(e.gr, nt*nb*nN)
	e.d = grow(e.d, nt*nb*nN)
	transposeIn(e.ga, at(g.Outputs, nO), nb, nt, nO)
	if g.Rates != nil {
		transposeIn(e.gr, at(g.Rates, nN), nb, nt, nN)
	} else {
		clear(e.gr)
	}
	e.gx = nil
	if g.States != nil {
		e.gxBuf = grow(e.gxBuf, nt*nb*nN)
		e.gx = e.gxBuf
		transposeIn(e.gx, at(g.States, nN), nb, nt, nN)
	}
	e.throughHead(g)
	// Readout gradients, and dL/dr += ga·W_out for all steps at once.
	clear(e.gWOut)
	e.atb.Add(nO, nN, nt*nb, e.ga, nO, e.r[bn:], e.gWOut, nN)
	clear(e.gBOut)
	for s := 0; s < nt*nb; s++ {
		for k, v := range e.ga[s*nO : (s+1)*nO] {
			e.gBOut[k] += v
		}
	}
	e.wOutTP.MulT(nt*nb, e.ga, nO, e.gr, nN)

	if omega {
		e.c = grow(e.c, nt*bn)
	}
	e.omegaSum, e.omegaCount = 0, 0
	// δx_T = f'(x_T)⊙δr_T + gx_T
	e.deriv(nt)
	e.combine(e.d[(nt-1)*bn:nt*bn], e.gr[(nt-1)*bn:nt*bn], nil, e.gxAt(nt))
	for t := nt; t >= 1; t-- {
		dt := e.d[(t-1)*bn : t*bn]
		// p = δx_t·diag(α)W_rec: the recurrent part of δr_{t−1}.
		if e.packed {
			clear(e.p)
			e.wRecTP.MulT(nb, dt, nN, e.p, nN)
		} else {
			linalg.Gemm(false, false, nb, nN, nN, 1, dt, nN, e.wRecA, nN, 0, e.p, nN)
		}
		if omega {
			s, k := e.omegaStep(dt, e.c[(t-1)*bn:t*bn])
			e.omegaSum += s
			e.omegaCount += k
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
}

// backWeights turns δx into the gradients of the effective parameters, the
// weights' as single multiplies over all steps. omegaScale = λ_Ω/K, with K
// Ω's count of terms over the whole batch, adds Ω's immediate gradient.
func (e *engine[T]) backWeights(omegaScale T) {
	if e.seg > 0 {
		// Checkpointed: the sums over steps are done (backSegments).
		if omegaScale != 0 {
			for i, v := range e.gOm {
				e.gWRec[i] += omegaScale * v
			}
		}
		e.scaleWeightGrads()
		e.finishMoments()
		return
	}
	nb, nt, nI, nN := e.nB, e.nT, e.nI, e.nN
	bn := nb * nN
	clear(e.gWRec)
	e.atb.Add(nN, nN, nt*nb, e.d, nN, e.r[:nt*bn], e.gWRec, nN)
	if nI > 0 {
		// The transpose, uᵀ·δx, whose rows are as long as the tiles'.
		e.gWInT = grow(e.gWInT, nI*nN)
		clear(e.gWInT)
		e.atb.Add(nI, nN, nt*nb, e.u, nI, e.d, e.gWInT, nN)
		for j := range nN {
			for c := range nI {
				e.gWIn[j*nI+c] = e.gWInT[c*nN+j]
			}
		}
	}
	if omegaScale != 0 {
		// dΩ/d(diag(α)W) = Σ δx_tᵀ·c_t / K
		linalg.Gemm(true, false, nN, nN, nt*nb, omegaScale, e.d, nN, e.c, nN, 1, e.gWRec, nN)
	}
	e.scaleWeightGrads()
	// Bias and α gradients: with ∂x_t/∂α = (x_t − x_{t−1})/α − σ_rec η_t/√(2α),
	// sum δx, δx⊙(x_t − x_{t−1}) and δx⊙η over trials and steps, then scale.
	clear(e.gBias)
	clear(e.gAlpha)
	clear(e.gEta)
	e.addMoments(e.d, e.x[:(nt+1)*bn], e.eta)
	e.finishMoments()
}

// scaleWeightGrads turns the gradients of diag(α)·W_rec and diag(α)·W_in
// into those of W_rec and W_in.
func (e *engine[T]) scaleWeightGrads() {
	nI, nN := e.nI, e.nN
	for j := 0; j < nN; j++ {
		a := e.alpha[j]
		for i := range e.gWRec[j*nN : (j+1)*nN] {
			e.gWRec[j*nN+i] *= a
		}
		for i := range e.gWIn[j*nI : (j+1)*nI] {
			e.gWIn[j*nI+i] *= a
		}
	}
}

// addMoments adds Σ δx, Σ δx⊙(x_t − x_{t−1}) and Σ δx⊙η over the steps of
// d (δx of steps s+1 …), x (steps s …) and eta (the recurrent noise of
// steps s+1 …, used when the noise is on) to gBias, gAlpha and gEta.
func (e *engine[T]) addMoments(d, x, eta []T) {
	nN := e.nN
	bn := e.nB * nN
	noise := e.noiseOn && len(e.eta) > 0
	for s := 0; s < len(d); s += nN {
		dr, xt, xp := d[s:s+nN], x[s+bn:s+bn+nN], x[s:s+nN]
		moments(e.gBias, e.gAlpha, dr, xt, xp)
		if noise {
			et, ge := eta[s:s+nN], e.gEta[:nN]
			for j, v := range dr {
				ge[j] += v * et[j]
			}
		}
	}
}

// finishMoments scales the sums of addMoments into the bias and α
// gradients.
func (e *engine[T]) finishMoments() {
	for j, a := range e.alpha {
		e.gAlpha[j] = e.gAlpha[j]/a - e.rec[j]*e.gEta[j]/(2*a)
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
		if g != nil && next != nil && gx == nil { // the common case, one kernel
			combineRow(d, g[s:s+nN], p, fp, keep, next[s:s+nN])
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
	keep := e.keep[:nN]
	var sum float64
	count := 0
	for s := 0; s < len(v); s += nN {
		vr, pr, fp, cr := v[s:s+nN], e.p[s:s+nN], e.fp[s:s+nN], c[s:s+nN]
		// c ← q⊙f' first; the norms accumulate in float64.
		var nv, nq float64
		for j, x := range vr {
			q := keep[j]*x + pr[j]*fp[j]
			cr[j] = q * fp[j]
			nq += float64(q) * float64(q)
			nv += float64(x) * float64(x)
		}
		if nv < omegaBound {
			clear(cr)
			continue
		}
		ratio := nq / nv
		sum += (ratio - 1) * (ratio - 1)
		count++
		k := T(4 * (ratio - 1) / nv)
		for j := range cr {
			cr[j] *= k
		}
	}
	return sum, count
}
