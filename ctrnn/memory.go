// SPDX-License-Identifier: MIT

package ctrnn

import (
	"errors"
	"fmt"
	"math/bits"
	"sync/atomic"
)

// ErrMemory is wrapped by the error of a call whose allocations would
// exceed MemoryLimit; nothing has been allocated when it is returned.
var ErrMemory = errors.New("memory limit exceeded")

// MemoryError is the error of a call refused by the memory budget. It
// wraps ErrMemory.
type MemoryError struct {
	What  string // what would have been allocated, e.g. "model 5×1048576×1"
	Need  uint64 // bytes the call would allocate (saturated at 2⁶⁴−1)
	Limit uint64 // MemoryLimit when the call was refused
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("ctrnn: %s needs %s, over the memory limit of %s (nn4n_set_memory_limit raises it)",
		e.What, byteString(e.Need), byteString(e.Limit))
}

// Unwrap returns ErrMemory.
func (e *MemoryError) Unwrap() error { return ErrMemory }

// byteString formats a byte count exactly and in GiB.
func byteString(b uint64) string {
	return fmt.Sprintf("%d bytes (%.3g GiB)", b, float64(b)/(1<<30))
}

// memoryLimit is the library-wide budget in bytes; 0 means the default.
var memoryLimit atomic.Uint64

// DefaultMemoryLimit returns the budget used when none is set: half of the
// machine's physical memory (8 GiB where it cannot be read).
func DefaultMemoryLimit() uint64 {
	if p := physicalMemory(); p > 0 {
		return p / 2
	}
	return 8 << 30
}

// SetMemoryLimit sets the library-wide memory budget in bytes: model
// creation and loading, forward passes, gradients and training steps
// compute the bytes they would allocate before allocating and refuse with
// a *MemoryError above it. Zero restores DefaultMemoryLimit. The budget
// bounds each call, not the sum over live models.
func SetMemoryLimit(bytes uint64) { memoryLimit.Store(bytes) }

// MemoryLimit returns the budget in effect.
func MemoryLimit() uint64 {
	if l := memoryLimit.Load(); l != 0 {
		return l
	}
	return DefaultMemoryLimit()
}

// sizer accumulates byte counts with saturation instead of overflow.
type sizer struct{ total uint64 }

// add adds the product of the factors (saturating at 2⁶⁴−1).
func (s *sizer) add(factors ...int) {
	p := uint64(1)
	for _, f := range factors {
		if f <= 0 {
			return
		}
		hi, lo := bits.Mul64(p, uint64(f))
		if hi != 0 {
			s.total = ^uint64(0)
			return
		}
		p = lo
	}
	if s.total+p < s.total {
		s.total = ^uint64(0)
		return
	}
	s.total += p
}

// check returns a *MemoryError if the total exceeds the limit.
func (s *sizer) check(what string) error {
	if l := MemoryLimit(); s.total > l {
		return &MemoryError{What: what, Need: s.total, Limit: l}
	}
	return nil
}

// elemSize is the bytes of one element of the compute precision.
func elemSize(p Precision) int {
	if p == Float32 {
		return 4
	}
	return 8
}

// modelBytes is an upper bound of what New allocates for these dimensions:
// per weight element the raw and effective weights, their gradients and the
// objective's gradient buffers (6 float64), up to 3 masks, and the engine's
// compute-precision copies (parameters, packed recurrent panels and one
// gradient per worker thread).
func modelBytes(i, n, o int, p Precision) uint64 {
	var s sizer
	e := elemSize(p)
	workers := Threads()
	for _, d := range [][2]int{{n, i}, {n, n}, {o, n}} {
		s.add(d[0], d[1], 9*8)
		s.add(d[0], d[1], 3+workers, e)
	}
	s.add(n, 16*8) // vectors
	return s.total
}

// checkModelMemory refuses dimensions whose model would exceed the budget.
func checkModelMemory(i, n, o int, p Precision) error {
	s := sizer{total: modelBytes(i, n, o, p)}
	return s.check(fmt.Sprintf("a %s model of %d inputs, %d units and %d outputs", p, i, n, o))
}

// checkRunMemory refuses a batch whose workspaces would exceed the budget:
// inputs, states, rates, noise and outputs of every step in the compute
// precision, the float64 trajectory, and with backward the adjoint
// workspaces and objective gradients. Without history the states and
// rates are rings of a few blocks of steps.
func (m *Model) checkRunMemory(b *Batch, history, backward bool) error {
	i, n, o := m.Dims()
	e := elemSize(m.cfg.Precision)
	var s sizer
	rows, steps, full := b.T+1, b.T, true // rows of x, r, f(x); steps of the adjoints
	if !history {
		rows = min(rows, max(4, 4*blockBytes/max(1, b.B*n*e)))
	} else if k := m.segment; k > 0 && k < b.T {
		// Checkpointed: segments of k steps (k is rounded up to a block of
		// at most blockBytes/(B·N·e) steps) and the saved states.
		k = min(b.T, k+max(1, blockBytes/max(1, b.B*n*e)))
		rows, steps = k+1+(b.T+k-1)/k, k
		full = false // the objective reads no rates or states
	}
	s.add(b.T, b.B, i, e)
	s.add(rows, b.B, n, 3*e) // x, r, f(x)
	s.add(b.T, b.B, n, 4*e)  // noise samples
	s.add(b.T, b.B, o, 2*e)  // a, y
	s.add(b.T, b.B, o, 2*8)  // outputs and logits in float64
	s.add(b.B, n, 8*e)       // per-trial vectors
	if backward {
		s.add(b.T, b.B, o, 2*e+2*8)
		s.add(steps, b.B, n, 4*e)
		if full { // the objective's rate and state gradients, trajectory
			s.add(b.T, b.B, n, 4*8)
		}
	}
	return s.check(fmt.Sprintf("a batch of B = %d trials × T = %d steps on %d units", b.B, b.T, n))
}
