// SPDX-License-Identifier: MIT

package ctrnn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A simulator step (B = 1) is one matrix-vector product of a matrix that
// stays in cache from step to step, so its time is that of reading the
// matrix from one core's cache. When the matrix is large, the step shares
// it with a helper goroutine on another core, each multiplying its own
// rows. A step lasts microseconds, too short to wake a sleeping goroutine,
// so the helper spins for idleSpin after each piece of work, finding the
// next step of a simulator's loop awake, and then sleeps until a step
// wakes it. A step never depends on the helper: it does the helper's part
// itself when the helper is busy, asleep, or late.

// idleSpin is how long the helper spins for work before it sleeps.
const idleSpin = 50 * time.Microsecond

// helpBytes is the smallest matrix worth sharing with the helper.
var helpBytes = 128 << 10 // a variable for tests

// A piece is work offered to the helper. run must touch only memory that
// the caller leaves alone while the piece is busy (see free).
type piece struct {
	run    func()
	state  atomic.Int32
	failed any // a panic of run on the helper, re-raised by collect
}

// States of a piece.
const (
	idle      int32 = iota // never offered, or the helper has let go of it
	offered                // in the helper's slot
	taken                  // running on the helper
	finished               // run by the helper
	withdrawn              // taken back by the caller before the helper took it
	abandoned              // given up on by the caller while running on the helper
)

var helper struct {
	start  sync.Once
	slot   atomic.Pointer[piece] // the piece on offer, one at a time
	asleep atomic.Bool
	wake   chan struct{}
}

// free reports whether p can be offered: the helper is not running it.
func (p *piece) free() bool {
	s := p.state.Load()
	return s != taken && s != abandoned
}

// offer offers a free piece p to the helper. It reports false when the
// helper's slot holds another caller's piece; after true, the caller must
// call collect.
func offer(p *piece) bool {
	helper.start.Do(startHelper)
	p.state.Store(offered)
	if !helper.slot.CompareAndSwap(nil, p) {
		p.state.Store(idle)
		return false
	}
	if helper.asleep.Load() {
		select {
		case helper.wake <- struct{}{}:
		default:
		}
	}
	return true
}

// collect reports whether the helper has run p. It takes p back if the
// helper has not started it, and gives up on it if the helper has not
// finished within patience; either way it reports false and the caller
// does p's work itself.
func collect(p *piece, patience time.Duration) bool {
	defer helper.slot.CompareAndSwap(p, nil)
	if p.state.CompareAndSwap(offered, withdrawn) {
		return false
	}
	start := time.Now()
	for spins := 1; ; spins++ {
		if p.state.Load() == finished {
			if f := p.failed; f != nil {
				p.failed = nil
				panic(f)
			}
			return true
		}
		if spins%32 == 0 && time.Since(start) > patience && p.state.CompareAndSwap(taken, abandoned) {
			return false
		}
	}
}

// await waits until the helper has run p, unless it can take p back first,
// and reports whether the helper ran p; it re-raises the helper's panic.
// Unlike collect it never gives up on a running piece, whose memory the
// caller then may not touch: it spins for patience and then yields its
// thread between looks, in case the helper's thread waits for this core.
func await(p *piece, patience time.Duration) bool {
	defer helper.slot.CompareAndSwap(p, nil)
	if p.state.CompareAndSwap(offered, withdrawn) {
		return false
	}
	start := time.Now()
	for spins := 1; p.state.Load() != finished; spins++ {
		if spins%32 == 0 && time.Since(start) > patience {
			runtime.Gosched()
		}
	}
	p.state.Store(idle)
	if f := p.failed; f != nil {
		p.failed = nil
		panic(f)
	}
	return true
}

func startHelper() {
	helper.wake = make(chan struct{}, 1)
	go func() {
		for {
			last := time.Now()
			for spins := 1; ; spins++ {
				if p := helper.slot.Load(); p != nil && p.state.CompareAndSwap(offered, taken) {
					runPiece(p)
					last = time.Now()
					continue
				}
				if spins%64 == 0 && time.Since(last) > idleSpin {
					break
				}
			}
			// Sleep, unless a piece came between the last look and
			// asleep: offer, which stores to the slot before it loads
			// asleep, wakes the helper after this store.
			helper.asleep.Store(true)
			if p := helper.slot.Load(); p == nil || p.state.Load() != offered {
				<-helper.wake
			}
			helper.asleep.Store(false)
		}
	}()
}

// runPiece runs p on the helper, handing a panic to collect, and lets go
// of p if its caller has given up on it.
func runPiece(p *piece) {
	defer func() {
		p.failed = recover()
		if !p.state.CompareAndSwap(taken, finished) {
			p.failed = nil
			p.state.Store(idle)
		}
	}()
	p.run()
}
