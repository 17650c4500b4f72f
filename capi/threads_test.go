// SPDX-License-Identifier: MIT

package main

import (
	"runtime"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// TestKeepSecondP: a process that starts with one P computes on one thread
// and gets a second, idle P; with more Ps nothing changes.
func TestKeepSecondP(t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p); ctrnn.SetThreads(0) }(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	ctrnn.SetThreads(0)
	keepSecondP()
	if p, n := runtime.GOMAXPROCS(0), ctrnn.Threads(); p != 2 || n != 1 {
		t.Errorf("from one P: GOMAXPROCS %d, threads %d; want 2 and 1", p, n)
	}
	runtime.GOMAXPROCS(3)
	ctrnn.SetThreads(0)
	keepSecondP()
	if p, n := runtime.GOMAXPROCS(0), ctrnn.Threads(); p != 3 || n != 3 {
		t.Errorf("from three Ps: GOMAXPROCS %d, threads %d; want 3 and 3", p, n)
	}
}
