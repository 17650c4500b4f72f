// SPDX-License-Identifier: MIT

package ctrnn

import (
	"runtime"
	"sync/atomic"
)

// threads is the number of threads a pass may compute on, set by
// SetThreads; 0 means GOMAXPROCS.
var threads atomic.Int64

// SetThreads sets the number of threads the engine computes a pass on (its
// workers, and a simulator step's helper when n ≥ 2); n ≤ 0 restores the
// default, GOMAXPROCS. It does not change GOMAXPROCS: the C ABI keeps
// GOMAXPROCS at two or more even for n = 1, so that a single-threaded run
// does not hand its only P to Go's sysmon during every OpenBLAS call longer
// than a sysmon tick (with an idle P the runtime leaves such calls alone).
func SetThreads(n int) {
	threads.Store(int64(max(n, 0)))
}

// Threads returns the number of threads the engine computes a pass on:
// SetThreads's value, at most GOMAXPROCS.
func Threads() int {
	p := runtime.GOMAXPROCS(0)
	if t := int(threads.Load()); t > 0 && t < p {
		return t
	}
	return p
}
