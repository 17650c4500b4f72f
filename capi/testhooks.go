// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// This file lets the Go tests (which cannot use cgo) drive the exports as a
// C caller would: Go-typed wrappers that convert arguments, call the export
// and read the calling thread's last error on the same OS thread.

func lastError() string {
	n := C.nn4n_last_error(nil, 0)
	buf := make([]byte, int(n))
	C.nn4n_last_error((*C.char)(unsafe.Pointer(&buf[0])), n)
	return string(buf[:n-1])
}

// hook runs f on a locked OS thread and returns its status and message.
func hook(f func() C.int32_t) (int32, string) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	st := f()
	return int32(st), lastError()
}

func cstr(s string) (*C.nn4n_cchar, func()) {
	p := C.CString(s)
	return (*C.nn4n_cchar)(p), func() { C.free(unsafe.Pointer(p)) }
}

func cin(v []float64) *C.nn4n_cdouble {
	if len(v) == 0 {
		return nil
	}
	return (*C.nn4n_cdouble)(unsafe.Pointer(&v[0]))
}

func cout(v []float64) *C.double {
	if len(v) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&v[0]))
}

func hookModelCreate(i, n, o int64, prec int32, seed uint64) (uint64, int32, string) {
	var h C.uint64_t
	st, msg := hook(func() C.int32_t {
		return nn4n_model_create(C.int64_t(i), C.int64_t(n), C.int64_t(o), C.int32_t(prec), C.uint64_t(seed), &h)
	})
	return uint64(h), st, msg
}

// kindHooks are the exports the Go tests reach by kind name; a nil entry
// is a function that kind does not have.
type kindHooks struct {
	create   func(name *C.nn4n_cchar, h *C.uint64_t) C.int32_t
	free     func(C.uint64_t) C.int32_t
	setF64   func(C.uint64_t, *C.nn4n_cchar, C.double) C.int32_t
	getF64   func(C.uint64_t, *C.nn4n_cchar, *C.double) C.int32_t
	setStr   func(C.uint64_t, *C.nn4n_cchar, *C.nn4n_cchar) C.int32_t
	setArray func(C.uint64_t, *C.nn4n_cchar, *C.nn4n_cdouble, C.int64_t) C.int32_t
}

var hooksByKind = map[string]kindHooks{
	"model": {free: nn4n_model_free, setF64: nn4n_model_set_f64, getF64: nn4n_model_get_f64,
		setStr: nn4n_model_set_str, setArray: nn4n_model_set_array},
	"objective": {create: nn4n_objective_create, free: nn4n_objective_free, setF64: nn4n_objective_set_f64,
		getF64: nn4n_objective_get_f64, setStr: nn4n_objective_set_str},
	"optimizer": {create: nn4n_optimizer_create, free: nn4n_optimizer_free, setF64: nn4n_optimizer_set_f64,
		getF64: nn4n_optimizer_get_f64},
	"task": {create: func(p *C.nn4n_cchar, h *C.uint64_t) C.int32_t { return nn4n_task_create(p, 20, h) },
		free: nn4n_task_free, setF64: nn4n_task_set_f64, getF64: nn4n_task_get_f64},
	"structure": {create: func(p *C.nn4n_cchar, h *C.uint64_t) C.int32_t { return nn4n_structure_create(p, 2, 8, 2, h) },
		free: nn4n_structure_free, setF64: nn4n_structure_set_f64, getF64: nn4n_structure_get_f64,
		setStr: nn4n_structure_set_str, setArray: nn4n_structure_set_array},
}

// hookCreate makes an object of kind ("objective", "optimizer", "task",
// "structure") named name.
func hookCreate(kind, name string) (uint64, int32, string) {
	var h C.uint64_t
	p, done := cstr(name)
	defer done()
	st, msg := hook(func() C.int32_t {
		if f := hooksByKind[kind].create; f != nil {
			return f(p, &h)
		}
		return stInvalid
	})
	return uint64(h), st, msg
}

func hookFree(kind string, h uint64) (int32, string) {
	return hook(func() C.int32_t {
		if f := hooksByKind[kind].free; f != nil {
			return f(C.uint64_t(h))
		}
		return stInvalid
	})
}

func hookSetF64(kind string, h uint64, key string, v float64) (int32, string) {
	k, done := cstr(key)
	defer done()
	return hook(func() C.int32_t {
		if f := hooksByKind[kind].setF64; f != nil {
			return f(C.uint64_t(h), k, C.double(v))
		}
		return stInvalid
	})
}

func hookGetF64(kind string, h uint64, key string) (float64, int32, string) {
	k, done := cstr(key)
	defer done()
	var v C.double
	st, msg := hook(func() C.int32_t {
		if f := hooksByKind[kind].getF64; f != nil {
			return f(C.uint64_t(h), k, &v)
		}
		return stInvalid
	})
	return float64(v), st, msg
}

func hookSetStr(kind string, h uint64, key, value string) (int32, string) {
	k, done := cstr(key)
	defer done()
	v, done2 := cstr(value)
	defer done2()
	return hook(func() C.int32_t {
		if f := hooksByKind[kind].setStr; f != nil {
			return f(C.uint64_t(h), k, v)
		}
		return stInvalid
	})
}

func hookSetArray(kind string, h uint64, key string, v []float64) (int32, string) {
	k, done := cstr(key)
	defer done()
	return hook(func() C.int32_t {
		if f := hooksByKind[kind].setArray; f != nil {
			return f(C.uint64_t(h), k, cin(v), C.int64_t(len(v)))
		}
		return stInvalid
	})
}

func hookAddTerm(h uint64, name, kind string, lambda float64) (int32, string) {
	n, done := cstr(name)
	defer done()
	k, done2 := cstr(kind)
	defer done2()
	return hook(func() C.int32_t { return nn4n_objective_add_term(C.uint64_t(h), n, k, C.double(lambda)) })
}

func hookBuild(h uint64) (int32, string) {
	return hook(func() C.int32_t { return nn4n_structure_build(C.uint64_t(h)) })
}

func hookGetArray(h uint64, key string, n int) ([]float64, int32, string) {
	k, done := cstr(key)
	defer done()
	out := make([]float64, n)
	st, msg := hook(func() C.int32_t { return nn4n_model_get_array(C.uint64_t(h), k, cout(out), C.int64_t(n)) })
	return out, st, msg
}

func hookForward(h uint64, input []float64, b, t int64, o int) ([]float64, int32, string) {
	y := make([]float64, int(b*t)*o)
	st, msg := hook(func() C.int32_t {
		return nn4n_model_forward(C.uint64_t(h), cin(input), C.int64_t(len(input)), C.int64_t(b), C.int64_t(t), nil, 0,
			cout(y), C.int64_t(len(y)), nil, 0, nil, 0)
	})
	return y, st, msg
}

func hookStep(h uint64, nb int64, x, u, y []float64) (int32, string) {
	return hook(func() C.int32_t {
		return nn4n_model_step(C.uint64_t(h), C.int64_t(nb), cout(x), C.int64_t(len(x)), cin(u), C.int64_t(len(u)),
			nil, 0, cout(y), C.int64_t(len(y)))
	})
}

func hookTrain(h, obj, opt uint64, input, target []float64, b, t, n int64) (int32, string) {
	return hook(func() C.int32_t {
		return nn4n_model_train(C.uint64_t(h), C.uint64_t(obj), C.uint64_t(opt), cin(input), C.int64_t(len(input)),
			cin(target), C.int64_t(len(target)), nil, 0, nil, 0, C.int64_t(b), C.int64_t(t), C.int64_t(n), nil)
	})
}

func hookSave(h uint64, path string) (int32, string) {
	p, done := cstr(path)
	defer done()
	return hook(func() C.int32_t { return nn4n_model_save(C.uint64_t(h), p) })
}

func hookLoad(path string) (uint64, int32, string) {
	p, done := cstr(path)
	defer done()
	var h C.uint64_t
	st, msg := hook(func() C.int32_t { return nn4n_model_load(p, &h) })
	return uint64(h), st, msg
}

func hookLiveHandles() int { return liveHandles() }

// hookStepMallocs calls nn4n_model_step n times on x, u, y and returns the
// number of Go heap allocations they made.
func hookStepMallocs(h uint64, x, u, y []float64, n int) uint64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	px, pu, py := cout(x), cin(u), cout(y)
	lx, lu, ly := C.int64_t(len(x)), C.int64_t(len(u)), C.int64_t(len(y))
	nn4n_model_step(C.uint64_t(h), 1, px, lx, pu, lu, nil, 0, py, ly)
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	for k := 0; k < n; k++ {
		nn4n_model_step(C.uint64_t(h), 1, px, lx, pu, lu, nil, 0, py, ly)
	}
	runtime.ReadMemStats(&b)
	return b.Mallocs - a.Mallocs
}
