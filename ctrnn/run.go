// SPDX-License-Identifier: MIT

package ctrnn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/nn4n/nn4n/internal/linalg"
)

// runner is the precision-independent face of engine[T].
type runner interface {
	// forward loads stale parameters, draws noise and runs the batch;
	// history keeps every step for backward and for rates and states. When
	// dst is not nil, each worker then copies its trials into dst's non-nil
	// slices.
	forward(m *Model, b *Batch, history bool, dst *Trajectory)
	// backward runs BPTT from an objective's gradients and stores the
	// gradients in m; it returns Ω (0 when lambdaOmega is 0).
	backward(m *Model, g *ObjectiveGrad, lambdaOmega float64) float64
	// final copies every trial's state at the last step of the last
	// forward pass into dst (B×N).
	final(dst []float64)
	// inputGrads copies the input and initial-state gradients of the last
	// backward pass into the non-nil slices (batch-first).
	inputGrads(gu, gx0 []float64)
	// step advances nb states by one step for a simulator.
	step(m *Model, nb int, x, u, r, y []float64)
	// step32 is step with float32 states, inputs and outputs.
	step32(m *Model, nb int, x, u, r, y []float32)
}

// batchRunner splits each batch between workers, one engine per block of
// consecutive trials, run in parallel. A trial's noise depends only on the
// model's generator and its index in the batch, so outputs do not depend on
// the split; gradients are summed over the workers in a fixed order.
type batchRunner[T linalg.Float] struct {
	*params[T]
	workers []*engine[T] // the first n serve the current batch
	n       int
	blas    int // OpenBLAS threads for the current batch (> 1 only with one worker)
	// second is the second of two workers' part of a parallel region,
	// offered to the helper goroutine (see parallel).
	second piece

	sim simulator[T]
}

// simulator holds Step's buffers and its combined weight matrix w, rebuilt
// when stale.
type simulator[T linalg.Float] struct {
	w, x, z, r, next, a, y []T
	stale                  bool
	// pw is w packed for the product of 4 or more states at once, which
	// reads w once per 4 states instead of once per state.
	pw linalg.Packed[T]
	// With split > 0, a single state's product is shared with the
	// helper (helper.go), which sets part = rows split… of w times
	// hz, its copy of z.
	split    int
	half     piece
	hz, part []T
	shared   int // steps the helper shared, for tests
}

func newRunner[T linalg.Float](i, n, o int) *batchRunner[T] {
	return &batchRunner[T]{params: newParams[T](i, n, o)}
}

// minWork is the least work (B·T·N² multiply-adds of the recurrence) worth
// a second worker for a pass that keeps its history (a gradient or train
// step); below it the batch runs on the calling goroutine.
var minWork = 1 << 20 // a variable for tests

// minForwardWork is the least work worth a second worker for a pass that
// keeps no history (outputs only), whose one parallel region is the whole
// call: through the C ABI, handing a goroutine called from C over to a
// second worker and back cost more than the second worker saved at
// 64×16×100 (6.6·10⁶, 205 µs on one worker, 245–270 µs on two,
// 2026-12-07).
var minForwardWork = 1 << 23 // a variable for tests

// blasBytes is the size of W_rec above which, without the packed product
// kernel, one worker runs the batch with OpenBLAS on Threads() threads:
// half of a core's L2 cache here (1 MiB on the Zen 4 this was measured on),
// which must also hold OpenBLAS's copy of W_rec, packed again at every
// step. Workers that each multiply by all of a larger W_rec run at the
// single-thread rate of a product that no longer fits in cache.
var blasBytes = 512 << 10 // a variable for tests

// split assigns nb trials of nt steps to workers. With the packed product
// kernel (linalg.Packed), which keeps W_rec packed for the whole pass, up
// to Threads() workers get at least four trials each (a tile of the
// kernel), so that every trial's products, and so the outputs, are
// bit-identical whatever the number of threads; a batch of fewer than
// eight trials runs on one. Without the kernel, OpenBLAS packs all of
// W_rec at every step whatever a worker's number of trials, so when W_rec
// outgrows blasBytes or workers would get fewer than N/32 trials, one
// worker runs with OpenBLAS on Threads() threads, which share W_rec.
func (r *batchRunner[T]) split(nb, nt int, history bool) {
	procs := Threads()
	var zero T
	n, blas, packed := min(procs, nb), 1, linalg.HasPacked
	least := minWork
	if !history {
		least = minForwardWork
	}
	switch work := nb * nt * r.nN * r.nN; {
	case work < least:
		n = 1
	case packed:
		n = max(1, min(procs, nb/4))
	case nb/n < r.nN/32 || r.nN*r.nN*int(unsafe.Sizeof(zero)) > blasBytes:
		n, blas = 1, procs
	}
	for len(r.workers) < n {
		r.workers = append(r.workers, newEngine(r.params))
	}
	r.n, r.blas = n, blas
	for k, e := range r.workers[:n] {
		e.first, e.nB = nb*k/n, nb*(k+1)/n-nb*k/n
		e.packed = packed && e.nB >= 4
	}
}

// parallel runs f(0) … f(n−1) for the workers concurrently, f(0) on the
// calling goroutine, and re-raises a worker's panic on the caller.
//
// Two workers share the work with the helper goroutine of the simulator
// step (helper.go), which spins for a while after each piece of work: the
// caller offers it f(1), runs f(0), and then runs f(1) itself unless the
// helper has taken it, in which case it waits for the helper. A region
// thus waits for no thread that the OS has not scheduled yet (on a loaded
// machine the other core is often busy) and usually finds the helper
// awake: the regions of a train step follow each other within tens of
// microseconds. Who runs f(1) does not change its results. Train steps in
// float32 on two workers, 2026-12-07, load about 1: 64×16×100 275–430 µs
// against 425–490 µs with a goroutine per worker and region and about 475
// on one worker; 128×32×200 2.29–2.45 against 2.35–2.58 ms (one worker
// 4.4–6 ms).
//
// More workers run as goroutines. When its own part is done the caller
// spins until the workers are done, for at most as long as its part took,
// and only then blocks: a goroutine called from C is locked to its
// thread, and parking it hands the thread over to the scheduler and back
// through the OS (tens of microseconds on this 2-vCPU guest), more than a
// small pass takes; the workers' parts are as large as the caller's, so
// they are usually done by then.
func (r *batchRunner[T]) parallel(f func(k int)) {
	n := r.n
	if n == 1 {
		linalg.WithThreads(r.blas, func() { f(0) })
		return
	}
	if n == 2 {
		p := &r.second
		p.run = func() { f(1) }
		if !p.free() || !offer(p) {
			f(0)
			f(1)
			return
		}
		start := time.Now()
		f(0)
		if !await(p, time.Since(start)) {
			f(1)
		}
		return
	}
	var wg sync.WaitGroup
	var left atomic.Int32
	left.Store(int32(n - 1))
	panics := make([]any, n)
	for k := 1; k < n; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer left.Add(-1)
			defer func() { panics[k] = recover() }()
			f(k)
		}()
	}
	start := time.Now()
	f(0)
	if left.Load() > 0 {
		own := time.Since(start)
		for i := 1; left.Load() > 0; i++ {
			if i%64 == 0 && time.Since(start) > 2*own {
				break
			}
		}
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

func (r *batchRunner[T]) forward(m *Model, b *Batch, history bool, dst *Trajectory) {
	if m.stale {
		r.load(m)
		r.sim.stale = true
		m.stale = false
	}
	r.split(b.B, b.T, history)
	noise := m.training
	var key uint64
	if noise {
		key = m.noiseKey()
	}
	x0 := m.initialState(b)
	nI, nN := r.nI, r.nN
	seg := m.segment
	r.parallel(func(k int) {
		e := r.workers[k]
		lo, hi := e.first, e.first+e.nB
		e.ensure(e.nB, b.T, noise && r.postNoise, history, seg)
		e.noiseOn = noise
		if noise {
			e.drawNoise(key)
		}
		e.x0 = grow(e.x0, e.nB*nN)
		convert(e.x0, x0[lo*nN:hi*nN])
		e.stream = nil
		if !history && dst != nil && (dst.Rates != nil || dst.States != nil) {
			e.stream = dst
		}
		e.run(b.Input[lo*b.T*nI:hi*b.T*nI], e.x0)
		if dst != nil {
			e.export(dst)
		}
	})
}

func (r *batchRunner[T]) final(dst []float64) {
	nN := r.nN
	for _, e := range r.workers[:r.n] {
		convert(dst[e.first*nN:(e.first+e.nB)*nN], e.at(e.x, e.nT))
	}
}

// export copies the engine's trials of the last pass into dst's non-nil
// slices.
func (e *engine[T]) export(dst *Trajectory) {
	nb, nt, nN, nO := e.nB, e.nT, e.nN, e.nO
	bn := nb * nN
	at := func(s []float64, c int) []float64 { return s[e.first*nt*c : (e.first+nb)*nt*c] }
	if dst.Outputs != nil {
		transposeOut(at(dst.Outputs, nO), e.y, nb, nt, nO)
	}
	if dst.Logits != nil {
		transposeOut(at(dst.Logits, nO), e.a, nb, nt, nO)
	}
	if e.stream != nil {
		// The rates and states went out block by block.
		return
	}
	if dst.Rates != nil {
		transposeOut(at(dst.Rates, nN), e.r[bn:], nb, nt, nN)
	}
	if dst.States != nil {
		transposeOut(at(dst.States, nN), e.x[bn:], nb, nt, nN)
	}
}

func (r *batchRunner[T]) backward(m *Model, g *ObjectiveGrad, lambdaOmega float64) float64 {
	omegaOn := lambdaOmega > 0
	r.parallel(func(k int) {
		if e := r.workers[k]; e.seg > 0 {
			e.backSegments(g, omegaOn)
		} else {
			e.backSteps(g, omegaOn)
		}
		if !omegaOn {
			// Without Ω, the weight gradients need nothing from the other
			// workers: one parallel region less.
			r.workers[k].backWeights(0)
		}
	})
	var sum float64
	var count int
	for _, e := range r.workers[:r.n] {
		sum += e.omegaSum
		count += e.omegaCount
	}
	var scale, omega float64
	if count > 0 {
		scale, omega = lambdaOmega/float64(count), sum/float64(count)
	}
	if omegaOn {
		r.parallel(func(k int) { r.workers[k].backWeights(T(scale)) })
	}
	for _, s := range []struct {
		dst []float64
		src func(e *engine[T]) []T
	}{
		{m.wIn.effGrad, func(e *engine[T]) []T { return e.gWIn }},
		{m.wRec.effGrad, func(e *engine[T]) []T { return e.gWRec }},
		{m.wOut.effGrad, func(e *engine[T]) []T { return e.gWOut }},
		{m.gBOut, func(e *engine[T]) []T { return e.gBOut }},
		{m.gBIn, func(e *engine[T]) []T { return e.gBias }},
		{m.gAlpha, func(e *engine[T]) []T { return e.gAlpha }},
	} {
		convert(s.dst, s.src(r.workers[0]))
		for _, e := range r.workers[1:r.n] {
			for i, v := range s.src(e) {
				s.dst[i] += float64(v)
			}
		}
	}
	copy(m.gBRec, m.gBIn)
	clear(m.gX0)
	nN := r.nN
	for _, e := range r.workers[:r.n] {
		for b := 0; b < e.nB; b++ {
			for j, v := range e.dx0[b*nN : (b+1)*nN] {
				m.gX0[j] += float64(v)
			}
		}
	}
	return omega
}

func (e *batchRunner[T]) step(m *Model, nb int, x, u, r, y []float64) { stepIO(e, m, nb, x, u, r, y) }

func (e *batchRunner[T]) step32(m *Model, nb int, x, u, r, y []float32) { stepIO(e, m, nb, x, u, r, y) }

// stepIO is Step with I/O of element type S; when S is the compute type T
// the state is read in place and nothing is converted.
func stepIO[T, S linalg.Float](e *batchRunner[T], m *Model, nb int, x, u, r, y []S) {
	if m.stale {
		e.load(m)
		e.sim.stale = true
		m.stale = false
	}
	nI, nN, nO := e.nI, e.nN, e.nO
	// Rows of w and z are padded with zeros to a multiple of 4 columns,
	// the product kernel's, so that a row's sum is the same whoever
	// computes it (see linalg.MulVec).
	nz := (nN + nI + 3) &^ 3
	s := &e.sim
	if s.stale {
		// The helper may still be running a piece a step gave up on.
		for !s.half.free() {
			runtime.Gosched()
		}
		// w = [diag(α)W_rec | diag(α)W_in | 0], so that one product serves
		// the recurrence and the input.
		s.w = grow(s.w, nN*nz)
		for j := 0; j < nN; j++ {
			row := s.w[j*nz : (j+1)*nz]
			copy(row, e.wRecA[j*nN:(j+1)*nN])
			for i, v := range e.wIn[j*nI : (j+1)*nI] {
				row[nN+i] = e.alpha[j] * v
			}
			clear(row[nN+nI:])
		}
		s.pw.Pack(s.w, nN, nz)
		s.split = 0
		var zero T
		if nN >= 16 && len(s.w)*int(unsafe.Sizeof(zero)) >= helpBytes {
			s.split = nN / 2 / 8 * 8
		}
		if s.split > 0 && s.half.run == nil {
			s.hz, s.part = make([]T, nz), make([]T, nN-s.split)
			s.half.run = func() {
				clear(s.part)
				rows(1, nN-s.split, nz, s.hz, s.w[s.split*nz:], s.part)
			}
		}
		s.stale = false
	}
	s.z, s.next = grow(s.z, nb*nz), grow(s.next, nb*nN)
	s.a, s.y = grow(s.a, nb*nO), grow(s.y, nb*nO)
	sx, same := any(x).([]T)
	if !same {
		s.x = grow(s.x, nb*nN)
		convert(s.x, x)
		sx = s.x
	}
	noise := m.training
	for b := 0; b < nb; b++ {
		// z = [f(x) | u | 0], u with pycog's baseline, noise and
		// rectification.
		zr, ur := s.z[b*nz+nN:b*nz+nN+nI], u[b*nI:(b+1)*nI]
		clear(s.z[b*nz+nN+nI : (b+1)*nz])
		activate(e.act, sx[b*nN:(b+1)*nN], s.z[b*nz:b*nz+nN])
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
		row := s.next[b*nN : (b+1)*nN]
		clear(row)
		leak(row, sx[b*nN:(b+1)*nN], e.alpha, e.bias, e.keep)
		if noise {
			for j := range row {
				row[j] += e.pre[j]*T(m.rng.NormFloat64()) + e.rec[j]*T(m.rng.NormFloat64())
			}
		}
	}
	if h := s.split; nb == 1 && h > 0 && Threads() > 1 && s.half.free() && s.share() {
		// The helper multiplies rows h… while this goroutine does the
		// rest, waiting for it at most as long as its own rows took.
		start := time.Now()
		rows(1, h, nz, s.z, s.w, s.next)
		if collect(&s.half, time.Since(start)) {
			s.shared++
			for i, v := range s.part {
				s.next[h+i] += v
			}
		} else {
			rows(1, nN-h, nz, s.z, s.w[h*nz:], s.next[h:])
		}
	} else if nb >= 4 && linalg.HasPacked {
		s.pw.MulT(nb, s.z, nz, s.next, nN)
	} else {
		for b := 0; b < nb; b++ {
			rows(1, nN, nz, s.z[b*nz:(b+1)*nz], s.w, s.next[b*nN:(b+1)*nN])
		}
	}
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
	// The readout state by state, so that a batch's outputs are bit for
	// bit those of single steps (it is O rows, small next to w).
	for b := 0; b < nb; b++ {
		rows(1, nO, nN, s.r[b*nN:(b+1)*nN], e.wOut, s.a[b*nO:(b+1)*nO])
	}
	headForward(e.head, s.a, s.y, nO)
	convert(x, s.next)
	if r != nil {
		convert(r, s.r)
	}
	if y != nil {
		convert(y, s.y)
	}
}

// share offers the helper its rows of a single state's product.
func (s *simulator[T]) share() bool {
	copy(s.hz, s.z)
	return offer(&s.half)
}

// rows sets c += x·wᵀ for nb rows x (nb×k) and w (n×k): for one row, the
// matrix-vector product of a simulator step.
func rows[T linalg.Float](nb, n, k int, x, w []T, c []T) {
	if nb == 1 {
		linalg.MulVec(n, k, w, k, x, c)
		return
	}
	linalg.Gemm(false, true, nb, n, k, 1, x, k, w, k, 1, c, n)
}
