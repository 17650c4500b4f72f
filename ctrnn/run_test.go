// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/internal/linalg"
)

// TestSplitMatchesOneWorker runs the same noisy batch (every noise on, a
// probe objective with Ω) on 1, 2 and 3 workers, with and without the
// packed product kernel: outputs, rates and states must be bit-identical,
// since a trial's noise depends only on the generator and the trial's
// index, and gradients, summed over the workers in another order, must
// agree to rounding. One worker's gradients are the ones the
// finite-difference tests check.
func TestSplitMatchesOneWorker(t *testing.T) {
	defer func(w, f, p int, k bool) {
		minWork, minForwardWork, linalg.HasPacked = w, f, k
		runtime.GOMAXPROCS(p)
	}(minWork, minForwardWork, runtime.GOMAXPROCS(0), linalg.HasPacked)
	kernel := linalg.HasPacked
	for _, c := range []struct {
		prec   Precision
		packed bool
	}{{Float64, kernel}, {Float32, kernel}, {Float64, false}, {Float32, false}} {
		prec := c.prec
		linalg.HasPacked = c.packed
		t.Run(fmt.Sprintf("%v/packed=%v", prec, c.packed), func(t *testing.T) {
			cfg := testConfig(Softplus, SoftmaxHead, Rectify, 41)
			cfg.Precision = prec
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			randomizeParams(m, 41)
			b := randomBatch(41, 13, 12, cfg.Inputs, cfg.Outputs)
			type result struct {
				tr    *Trajectory
				grads [][]float64
				terms []Term
			}
			run := func(workers int) result {
				runtime.GOMAXPROCS(workers)
				minWork, minForwardWork = 0, 0
				m.Reseed(41)
				tr, err := m.Forward(b, Needs{Rates: true, States: true})
				if err != nil {
					t.Fatal(err)
				}
				terms, err := m.Gradient(b, &probe{seed: 41, lambdaOmega: 2})
				if err != nil {
					t.Fatal(err)
				}
				var grads [][]float64
				for _, p := range m.Params() {
					grads = append(grads, slices.Clone(p.Grad))
				}
				return result{tr, grads, terms}
			}
			one := run(1)
			for _, w := range []int{2, 3} {
				got := run(w)
				if n := workersOf(m); n != w {
					t.Fatalf("the batch of 13 trials ran on %d workers, want %d", n, w)
				}
				for _, c := range []struct {
					name string
					a, b []float64
				}{{"outputs", one.tr.Outputs, got.tr.Outputs}, {"rates", one.tr.Rates, got.tr.Rates}, {"states", one.tr.States, got.tr.States}} {
					if !slices.Equal(c.a, c.b) {
						t.Errorf("%d workers: %s differ from one worker's (relative error %.3g)", w, c.name, relErr(c.a, c.b))
					}
				}
				tol := 1e-13
				if prec == Float32 {
					tol = 1e-5
				}
				for i, p := range m.Params() {
					if e := relErr(one.grads[i], got.grads[i]); e > tol {
						t.Errorf("%d workers: grad %s differs from one worker's by %.3g > %g", w, p.Name, e, tol)
					}
				}
				for i, term := range one.terms {
					if d := got.terms[i].Value - term.Value; d > tol*max(1, term.Value) || -d > tol*max(1, term.Value) {
						t.Errorf("%d workers: term %s = %v, one worker %v", w, term.Name, got.terms[i].Value, term.Value)
					}
				}
			}
		})
	}
}

// workersOf returns the number of workers of m's last batch.
func workersOf(m *Model) int {
	switch r := m.run.(type) {
	case *batchRunner[float64]:
		return r.n
	case *batchRunner[float32]:
		return r.n
	}
	return 0
}

// TestThreadedBLASMatchesOneThread runs batches that, without the packed
// kernel, go to one worker with OpenBLAS on two threads, one too small to
// split and one whose W_rec exceeds blasBytes, and compares them with
// single-threaded runs.
func TestThreadedBLASMatchesOneThread(t *testing.T) {
	defer func(w, f, b, p int, k bool) {
		minWork, minForwardWork, blasBytes, linalg.HasPacked = w, f, b, k
		runtime.GOMAXPROCS(p)
	}(minWork, minForwardWork, blasBytes, runtime.GOMAXPROCS(0), linalg.HasPacked)
	minWork, minForwardWork = 0, 0
	cfg := testConfig(ReLU, LinearHead, Clip, 43)
	cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 96, nil, Constraint{}, Constraint{}, Constraint{}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		nb     int
		bytes  int
		packed bool
	}{{"B = 2 without the packed kernel", 2, blasBytes, false},
		{"W_rec > blasBytes without the packed kernel", 8, 96 * 96 * 8 / 2, false}} {
		blasBytes, linalg.HasPacked = c.bytes, c.packed
		b := randomBatch(43, c.nb, 10, cfg.Inputs, cfg.Outputs)
		var outs [2][]float64
		for k, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			m.Reseed(43)
			tr, err := m.Forward(b, Needs{States: true})
			if err != nil {
				t.Fatal(err)
			}
			outs[k] = tr.States
		}
		r := m.run.(*batchRunner[float64])
		if r.n != 1 || r.blas != 2 {
			t.Fatalf("%s, N = 96 on 2 threads ran on %d workers with %d BLAS threads, want 1 and 2", c.name, r.n, r.blas)
		}
		if e := relErr(outs[0], outs[1]); e > 1e-14 {
			t.Errorf("%s: threaded OpenBLAS states differ from single-threaded by %.3g", c.name, e)
		}
	}
}

// TestRingMatchesHistory checks that a forward pass that keeps only two
// blocks of states (outputs only) gives bit-identically the outputs of one
// that keeps every step, with noise on, for step counts that do and do not
// fill the last block.
func TestRingMatchesHistory(t *testing.T) {
	for _, prec := range []Precision{Float64, Float32} {
		for _, nt := range []int{300, 257} {
			cfg := testConfig(Tanh, SoftmaxHead, Rectify, 45)
			cfg.Precision = prec
			cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 64, nil, Constraint{}, Constraint{}, Constraint{}
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			b := randomBatch(45, 16, nt, cfg.Inputs, cfg.Outputs)
			m.FreezeNoise(true)
			full, err := m.Forward(b, Needs{States: true})
			if err != nil {
				t.Fatal(err)
			}
			ring := &Trajectory{Outputs: make([]float64, len(full.Outputs))}
			if err := m.ForwardInto(ring, b); err != nil {
				t.Fatal(err)
			}
			if rows := ringRows(m); rows == 0 || rows > nt/2 {
				t.Fatalf("%v, T = %d: the outputs-only pass kept %d rows of states, want a ring of at most T/2", prec, nt, rows)
			}
			if !slices.Equal(full.Outputs, ring.Outputs) {
				t.Errorf("%v, T = %d: outputs with a ring of states differ (relative error %.3g)", prec, nt, relErr(full.Outputs, ring.Outputs))
			}
		}
	}
}

// ringRows returns the ring size of m's first worker (0: full history).
func ringRows(m *Model) int {
	switch r := m.run.(type) {
	case *batchRunner[float64]:
		return r.workers[0].ring
	case *batchRunner[float32]:
		return r.workers[0].ring
	}
	return -1
}

// TestPackedMatchesBLAS runs a noisy forward pass and its gradients with
// the recurrent product on the packed kernel and on BLAS, over a network
// of several panels and a partial one, and a batch of whole and partial
// tiles: the two differ only by the rounding of the sums.
func TestPackedMatchesBLAS(t *testing.T) {
	if !linalg.HasPacked {
		t.Skip("no packed product kernel on this CPU or build")
	}
	defer func(k bool) { linalg.HasPacked = k }(linalg.HasPacked)
	for _, prec := range []Precision{Float64, Float32} {
		cfg := testConfig(Softplus, SoftmaxHead, Clip, 47)
		cfg.Precision = prec
		cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 100, nil, Constraint{}, Constraint{}, Constraint{}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		b := randomBatch(47, 11, 20, cfg.Inputs, cfg.Outputs)
		var states, grads [2][]float64
		for k, packed := range []bool{true, false} {
			linalg.HasPacked = packed
			m.Reseed(47)
			tr, err := m.Forward(b, Needs{States: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := ranPacked(m); got != packed {
				t.Fatalf("%v: the pass ran packed = %v, want %v", prec, got, packed)
			}
			if _, err := m.Gradient(b, &probe{seed: 47}); err != nil {
				t.Fatal(err)
			}
			states[k] = tr.States
			for _, p := range m.Params() {
				grads[k] = append(grads[k], p.Grad...)
			}
		}
		tol := 1e-12
		if prec == Float32 {
			tol = 1e-4
		}
		if e := relErr(states[0], states[1]); e > tol {
			t.Errorf("%v: packed states differ from BLAS's by %.3g (tolerance %g)", prec, e, tol)
		}
		if e := relErr(grads[0], grads[1]); e > tol {
			t.Errorf("%v: gradients after the packed forward differ from BLAS's by %.3g (tolerance %g)", prec, e, tol)
		}
		t.Logf("%v: relative differences, states %.3g, gradients %.3g", prec, relErr(states[0], states[1]), relErr(grads[0], grads[1]))
	}
}

// ranPacked reports whether m's last pass ran its first worker's recurrent
// product on the packed kernel.
func ranPacked(m *Model) bool {
	switch r := m.run.(type) {
	case *batchRunner[float64]:
		return r.workers[0].packed
	case *batchRunner[float32]:
		return r.workers[0].packed
	}
	return false
}

// TestOutputsIndependentOfThreads runs small batches, which one worker
// runs alone, and larger ones split between workers, on one to four
// threads: with the packed kernel their states and outputs must be
// bit-identical.
func TestOutputsIndependentOfThreads(t *testing.T) {
	if !linalg.HasPacked {
		t.Skip("no packed product kernel on this CPU or build")
	}
	defer func(w, f, p int) { minWork, minForwardWork = w, f; runtime.GOMAXPROCS(p) }(minWork, minForwardWork, runtime.GOMAXPROCS(0))
	minWork, minForwardWork = 0, 0
	cfg := testConfig(Tanh, LinearHead, Clip, 53)
	cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 64, nil, Constraint{}, Constraint{}, Constraint{}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, nb := range []int{2, 5, 9, 17, 30} {
		b := randomBatch(53, nb, 10, cfg.Inputs, cfg.Outputs)
		var states, outs [4][]float64
		for k := range states {
			runtime.GOMAXPROCS(k + 1)
			m.Reseed(53)
			tr, err := m.Forward(b, Needs{States: true})
			if err != nil {
				t.Fatal(err)
			}
			states[k], outs[k] = tr.States, tr.Outputs
		}
		for k := 1; k < len(states); k++ {
			if !slices.Equal(states[0], states[k]) || !slices.Equal(outs[0], outs[k]) {
				t.Errorf("B = %d: %d threads differ from one thread (states %.3g, outputs %.3g relative)",
					nb, k+1, relErr(states[0], states[k]), relErr(outs[0], outs[k]))
			}
		}
	}
}

// TestWeightGradKernel checks the weight gradients of the aᵀ·b kernels
// (linalg.ATB, here on a small network whose sums span several blocks of
// steps) against OpenBLAS's,
// in both precisions and on one and two workers. The gradients of the
// other parameters do not use them and must not change at all.
func TestWeightGradKernel(t *testing.T) {
	if !linalg.HasATB {
		t.Skip("no AVX-512 on this CPU or build")
	}
	defer func(h bool, a, w, p int) {
		linalg.HasATB, linalg.ATBMin, minWork = h, a, w
		runtime.GOMAXPROCS(p)
	}(linalg.HasATB, linalg.ATBMin, minWork, runtime.GOMAXPROCS(0))
	linalg.ATBMin, minWork = 0, 0
	for _, prec := range []Precision{Float64, Float32} {
		for _, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			cfg := testConfig(Softplus, LinearHead, Rectify, 47)
			cfg.Precision = prec
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			randomizeParams(m, 47)
			b := randomBatch(47, 9, 70, cfg.Inputs, cfg.Outputs) // 630 rows: 3 blocks on one worker
			grads := func(own bool) [][]float64 {
				linalg.HasATB = own
				m.Reseed(47)
				if _, err := m.Gradient(b, &probe{seed: 47, lambdaOmega: 2}); err != nil {
					t.Fatal(err)
				}
				var g [][]float64
				for _, p := range m.Params() {
					g = append(g, slices.Clone(p.Grad))
				}
				return g
			}
			blas, own := grads(false), grads(true)
			tol := 1e-13
			if prec == Float32 {
				tol = 1e-5
			}
			for i, p := range m.Params() {
				e := relErr(blas[i], own[i])
				weight := p.Name == "w_rec" || p.Name == "w_in" || p.Name == "w_out"
				if weight && e > tol || !weight && e != 0 {
					t.Errorf("%v, %d threads: grad %s differs from OpenBLAS's by %.3g", prec, procs, p.Name, e)
				}
			}
		}
	}
}

// TestStreamedRatesMatchHistory checks that a forward pass without history,
// which hands rates and states out block by block from its ring, gives
// bit for bit the rates, states and outputs of a pass that keeps every
// step, with noise on, on one and two workers, for trials long enough to
// wrap the ring and ending inside a block.
func TestStreamedRatesMatchHistory(t *testing.T) {
	defer func(w, f, p int) { minWork, minForwardWork = w, f; runtime.GOMAXPROCS(p) }(minWork, minForwardWork, runtime.GOMAXPROCS(0))
	minWork, minForwardWork = 0, 0
	for _, prec := range []Precision{Float64, Float32} {
		for _, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			cfg := testConfig(Softplus, SoftmaxHead, Rectify, 59)
			cfg.Precision = prec
			cfg.PreNoise, cfg.RecNoise, cfg.PostNoise = 0.1, 0.05, 0.02
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			randomizeParams(m, 59)
			m.SetTraining(true)
			for _, shape := range [][2]int{{8, 3}, {9, 1000}, {5, 777}} {
				b := randomBatch(59, shape[0], shape[1], cfg.Inputs, cfg.Outputs)
				run := func(history bool) *Trajectory {
					_, n, o := m.Dims()
					tr := &Trajectory{Outputs: make([]float64, b.B*b.T*o), Rates: make([]float64, b.B*b.T*n),
						States: make([]float64, b.B*b.T*n)}
					m.Reseed(59)
					if err := m.forwardInto(tr, b, history); err != nil {
						t.Fatal(err)
					}
					return tr
				}
				want, got := run(true), run(false)
				for _, c := range []struct {
					name string
					a, b []float64
				}{{"outputs", want.Outputs, got.Outputs}, {"rates", want.Rates, got.Rates}, {"states", want.States, got.States}} {
					if !slices.Equal(c.a, c.b) {
						t.Errorf("%v, %d threads, B=%d T=%d: streamed %s differ (relative error %.3g)",
							prec, procs, b.B, b.T, c.name, relErr(c.a, c.b))
					}
				}
			}
		}
	}
}
