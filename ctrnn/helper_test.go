// SPDX-License-Identifier: MIT

package ctrnn

import (
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestSharedStepMatchesAlone steps a single state with the product shared
// with the helper and alone (GOMAXPROCS = 1): states, rates and outputs
// must be bit-identical, and the shared step must not allocate.
func TestSharedStepMatchesAlone(t *testing.T) {
	defer func(b, p int) { helpBytes = b; runtime.GOMAXPROCS(p) }(helpBytes, runtime.GOMAXPROCS(0))
	helpBytes = 0
	for _, prec := range []Precision{Float64, Float32} {
		cfg := testConfig(Softplus, SigmoidHead, Abs, 51)
		cfg.Precision = prec
		cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 42, nil, Constraint{}, Constraint{}, Constraint{}
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.SetTraining(false)
		i, n, o := m.Dims()
		// run runs steps steps or, with steps < 0, until the helper has
		// shared 20 (the first may find it asleep); it returns the number
		// run.
		run := func(procs, steps int) (x, r, y []float64, ran int) {
			runtime.GOMAXPROCS(procs)
			x, r, y = make([]float64, n), make([]float64, n), make([]float64, o)
			u := make([]float64, i)
			start, shared := time.Now(), sharedSteps(m)
			more := func() bool {
				if steps >= 0 {
					return ran < steps
				}
				return sharedSteps(m)-shared < 20 && time.Since(start) < 5*time.Second
			}
			for ; more(); ran++ {
				for k := range u {
					u[k] = float64((ran+k)%5) * 0.3
				}
				if err := m.Step(1, x, u, r, y); err != nil {
					t.Fatal(err)
				}
			}
			return x, r, y, ran
		}
		shared0 := sharedSteps(m)
		x2, r2, y2, steps := run(2, -1)
		if k := sharedSteps(m) - shared0; k < 20 {
			t.Errorf("%v: the helper shared %d of %d steps, want ≥ 20", prec, k, steps)
		}
		x1, r1, y1, _ := run(1, steps)
		if !slices.Equal(x1, x2) || !slices.Equal(r1, r2) || !slices.Equal(y1, y2) {
			t.Errorf("%v: shared steps differ from steps alone (states %.3g, outputs %.3g)", prec, relErr(x1, x2), relErr(y1, y2))
		}
		x, u, r, y := make([]float64, n), make([]float64, i), make([]float64, n), make([]float64, o)
		if allocs := testing.AllocsPerRun(100, func() { _ = m.Step(1, x, u, r, y) }); allocs != 0 {
			t.Errorf("%v: a shared Step allocates %v times per call", prec, allocs)
		}
	}
}

// TestHelperGivesUp offers a piece the helper is slow to finish: collect
// gives up on it within its patience, the piece stays busy until the
// helper lets go of it, and then it can be offered and run again. Another
// piece cannot be offered while the first is in the slot.
func TestHelperGivesUp(t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p) }(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	hold := make(chan struct{})
	started := make(chan struct{}, 1)
	slow := &piece{run: func() { started <- struct{}{}; <-hold }}
	if !offer(slow) {
		t.Fatal("could not offer a piece to an idle helper")
	}
	<-started
	if other := (&piece{run: func() {}}); offer(other) {
		t.Error("offered a second piece while the helper held the first")
	}
	if collect(slow, time.Microsecond) {
		t.Fatal("collect reported a piece the helper has not finished as run")
	}
	if slow.free() {
		t.Error("a piece given up on is free while the helper still runs it")
	}
	close(hold)
	for !slow.free() {
		runtime.Gosched()
	}
	ran := false
	slow.run = func() { ran = true }
	for !ran {
		if offer(slow) && !collect(slow, time.Second) {
			slow.run()
		}
	}
}

// TestHelperPanic checks that a panic of a piece on the helper comes back
// to the caller in collect, and the helper goes on serving.
func TestHelperPanic(t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p) }(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	started := make(chan struct{})
	bad := &piece{run: func() { close(started); panic("boom") }}
	if !offer(bad) {
		t.Fatal("could not offer a piece to an idle helper")
	}
	<-started
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("collect raised %v, want the piece's panic", p)
			}
		}()
		collect(bad, time.Minute)
		t.Error("collect returned from a piece that panicked")
	}()
	done := make(chan struct{})
	good := &piece{run: func() { close(done) }}
	for {
		if offer(good) && collect(good, time.Minute) {
			break
		}
	}
	<-done
}

// TestAwait offers pieces and awaits them as a two-worker region does:
// each runs exactly once, on the helper or, taken back, on the caller;
// await waits for a piece the helper is still running, and re-raises its
// panic.
func TestAwait(t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p) }(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	var runs atomic.Int32
	p := &piece{run: func() { runs.Add(1) }}
	for k := 1; k <= 200; k++ {
		if !p.free() || !offer(p) {
			t.Fatalf("round %d: could not offer a free piece to an idle helper", k)
		}
		if !await(p, 0) {
			p.run()
		}
		if got := runs.Load(); got != int32(k) {
			t.Fatalf("after %d rounds the piece ran %d times", k, got)
		}
	}
	started, hold := make(chan struct{}), make(chan struct{})
	var done atomic.Bool
	slow := &piece{run: func() { close(started); <-hold; done.Store(true) }}
	if !offer(slow) {
		t.Fatal("could not offer a piece to an idle helper")
	}
	<-started
	go func() { time.Sleep(time.Millisecond); close(hold) }()
	if !await(slow, 0) || !done.Load() {
		t.Fatal("await returned before the helper finished the piece")
	}
	started = make(chan struct{})
	bad := &piece{run: func() { close(started); panic("boom") }}
	if !offer(bad) {
		t.Fatal("could not offer a piece to an idle helper")
	}
	<-started
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("await raised %v, want the piece's panic", r)
			}
		}()
		await(bad, time.Minute)
		t.Error("await returned from a piece that panicked")
	}()
	if !bad.free() {
		t.Error("a piece awaited to its end is not free")
	}
}

// sharedSteps returns the number of m's steps the helper has shared.
func sharedSteps(m *Model) int {
	switch r := m.run.(type) {
	case *batchRunner[float64]:
		return r.sim.shared
	case *batchRunner[float32]:
		return r.sim.shared
	}
	return 0
}
