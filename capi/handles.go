// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"context"
	"sync"
	"sync/atomic"
)

// kind is the kind of object a handle names; it sits in the handle's top
// byte, the per-kind counter below it.
type kind uint64

const (
	kindModel kind = iota + 1
	kindObjective
	kindOptimizer
	kindStructure
	kindTask
	kindTrainer
	nKinds
)

const kindShift = 56

var kindNames = [nKinds]string{"", "model", "objective", "optimizer", "structure", "task", "trainer"}

func (k kind) String() string {
	if k < 1 || k >= nKinds {
		return "unknown"
	}
	return kindNames[k]
}

// entry is one live object. mu serialises the calls that use it.
type entry struct {
	mu       sync.Mutex
	kind     kind
	freed    bool // under mu
	obj      any  // under mu
	poisoned atomic.Bool
	// cancel is a pending cancellation request (model_cancel,
	// trainer_cancel); stop cancels a trainer run in progress.
	cancel atomic.Bool
	stop   atomic.Pointer[context.CancelFunc]
}

// tables maps live handles to their entries; issued counts the handles
// ever issued per kind, so that a freed handle is told from a forged one.
var tables struct {
	sync.RWMutex
	live   map[uint64]*entry
	issued [nKinds]uint64
}

func init() { tables.live = map[uint64]*entry{} }

// register stores obj under a new handle of kind k.
func register(k kind, obj any) uint64 {
	tables.Lock()
	defer tables.Unlock()
	tables.issued[k]++
	h := uint64(k)<<kindShift | tables.issued[k]
	tables.live[h] = &entry{kind: k, obj: obj}
	return h
}

// liveHandles returns the number of live handles.
func liveHandles() int {
	tables.RLock()
	defer tables.RUnlock()
	return len(tables.live)
}

// lookup returns the entry of h, which must be of kind k, without locking it.
func lookup(h uint64, k kind) (*entry, error) {
	tables.RLock()
	e := tables.live[h]
	tables.RUnlock()
	if e != nil && e.kind == k {
		return e, nil
	}
	return nil, badHandle(h, k)
}

// badHandle explains why h is not a live handle of kind k.
func badHandle(h uint64, k kind) error {
	if h == 0 {
		return fail(stHandle, "%s handle is 0 (never a valid handle)", k)
	}
	hk := kind(h >> kindShift)
	n := h & (1<<kindShift - 1)
	if hk >= 1 && hk < nKinds && n >= 1 {
		tables.RLock()
		e, issued := tables.live[h], tables.issued[hk]
		tables.RUnlock()
		switch {
		case e != nil:
			return fail(stHandle, "handle %#x is a %s handle, not a %s handle", h, hk, k)
		case n <= issued && hk == k:
			return fail(stHandle, "%s handle %#x has been freed", k, h)
		case n <= issued:
			return fail(stHandle, "handle %#x is a freed %s handle, not a %s handle", h, hk, k)
		}
	}
	return fail(stHandle, "%#x is not a %s handle (never issued)", h, k)
}

// acquire looks up h, locks it for the rest of the call and returns its
// object. A poisoned handle is refused.
func (s *scope) acquire(h C.uint64_t, k kind) (*entry, error) {
	e, err := lookup(uint64(h), k)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.freed {
		e.mu.Unlock()
		return nil, fail(stHandle, "%s handle %#x has been freed", k, uint64(h))
	}
	s.held[s.n] = e
	s.n++
	if e.poisoned.Load() {
		return nil, fail(stInternal, "%s handle %#x is unusable after an earlier internal error; free it", k, uint64(h))
	}
	return e, nil
}

// free removes h (of kind k) from its table. 0 is a no-op. It waits for a
// call in progress on h to finish.
func free(h C.uint64_t, k kind) error {
	if h == 0 {
		return nil
	}
	tables.Lock()
	e := tables.live[uint64(h)]
	if e == nil || e.kind != k {
		tables.Unlock()
		return badHandle(uint64(h), k)
	}
	delete(tables.live, uint64(h))
	tables.Unlock()
	e.mu.Lock()
	e.freed, e.obj = true, nil
	e.mu.Unlock()
	return nil
}

// requestCancel sets h's cancel request and stops a trainer run in progress.
func requestCancel(h C.uint64_t, k kind) error {
	e, err := lookup(uint64(h), k)
	if err != nil {
		return err
	}
	e.cancel.Store(true)
	if stop := e.stop.Load(); stop != nil {
		(*stop)()
	}
	return nil
}

// putHandle stores a new handle through a required out pointer.
func putHandle(out *C.uint64_t, k kind, obj any) error {
	*out = C.uint64_t(register(k, obj))
	return nil
}
