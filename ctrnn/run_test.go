package ctrnn

import (
	"runtime"
	"slices"
	"testing"
)

// TestSplitMatchesOneWorker runs the same noisy batch (every noise on, a
// probe objective with Ω) on 1, 2 and 3 workers: outputs, rates and states
// must be bit-identical, since a trial's noise depends only on the
// generator and the trial's index, and gradients, summed over the workers
// in another order, must agree to rounding. One worker's gradients are the
// ones the finite-difference tests check.
func TestSplitMatchesOneWorker(t *testing.T) {
	defer func(w, p int) { minWork = w; runtime.GOMAXPROCS(p) }(minWork, runtime.GOMAXPROCS(0))
	for _, prec := range []Precision{Float64, Float32} {
		t.Run(prec.String(), func(t *testing.T) {
			cfg := testConfig(Softplus, SoftmaxHead, Rectify, 41)
			cfg.Precision = prec
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			randomizeParams(m, 41)
			b := randomBatch(41, 7, 12, cfg.Inputs, cfg.Outputs)
			type result struct {
				tr    *Trajectory
				grads [][]float64
				terms []Term
			}
			run := func(workers int) result {
				runtime.GOMAXPROCS(workers)
				minWork = 0
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
					t.Fatalf("the batch of 7 trials ran on %d workers, want %d", n, w)
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

// TestThreadedBLASMatchesOneThread runs a large-N, small-B batch, which
// goes to one worker with OpenBLAS on two threads, and compares it with the
// single-threaded run.
func TestThreadedBLASMatchesOneThread(t *testing.T) {
	defer func(w, p int) { minWork = w; runtime.GOMAXPROCS(p) }(minWork, runtime.GOMAXPROCS(0))
	minWork = 0
	cfg := testConfig(ReLU, LinearHead, Clip, 43)
	cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 96, nil, Constraint{}, Constraint{}, Constraint{}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(43, 2, 10, cfg.Inputs, cfg.Outputs)
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
		t.Fatalf("B = 2, N = 96 on 2 threads ran on %d workers with %d BLAS threads, want 1 and 2", r.n, r.blas)
	}
	if e := relErr(outs[0], outs[1]); e > 1e-14 {
		t.Errorf("threaded OpenBLAS states differ from single-threaded by %.3g", e)
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
