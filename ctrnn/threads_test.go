// SPDX-License-Identifier: MIT

package ctrnn

import (
	"runtime"
	"slices"
	"testing"
)

// TestSetThreadsCapsWorkers: with GOMAXPROCS at 4, SetThreads(n) runs a
// batch on n workers (at most GOMAXPROCS) with the outputs of one worker;
// SetThreads(0) restores GOMAXPROCS.
func TestSetThreadsCapsWorkers(t *testing.T) {
	defer func(w, f, p int) {
		minWork, minForwardWork = w, f
		runtime.GOMAXPROCS(p)
		SetThreads(0)
	}(minWork, minForwardWork, runtime.GOMAXPROCS(0))
	minWork, minForwardWork = 0, 0
	runtime.GOMAXPROCS(4)
	cfg := testConfig(Softplus, SoftmaxHead, Rectify, 43)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	randomizeParams(m, 43)
	b := randomBatch(43, 16, 12, cfg.Inputs, cfg.Outputs)
	var first []float64
	for _, c := range []struct{ set, want int }{{1, 1}, {2, 2}, {3, 3}, {8, 4}, {0, 4}} {
		SetThreads(c.set)
		if got := Threads(); got != c.want {
			t.Errorf("SetThreads(%d): Threads() = %d, want %d", c.set, got, c.want)
		}
		m.Reseed(43)
		tr, err := m.Forward(b, Needs{Rates: true})
		if err != nil {
			t.Fatal(err)
		}
		if n := workersOf(m); n != c.want {
			t.Errorf("SetThreads(%d): the batch of 16 trials ran on %d workers, want %d", c.set, n, c.want)
		}
		if first == nil {
			first = tr.Outputs
		} else if !slices.Equal(first, tr.Outputs) {
			t.Errorf("SetThreads(%d): outputs differ from one worker's", c.set)
		}
	}
}
