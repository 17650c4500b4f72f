// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import "unsafe"

//export nn4n_model_step_f32
func nn4n_model_step_f32(h C.uint64_t, batch C.int64_t, state *C.float, stateLen C.int64_t, input *C.nn4n_cfloat, inLen C.int64_t,
	rates *C.float, ratesLen C.int64_t, outputs *C.float, outLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_step_f32", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		b, err := dim(batch, "batch", 1, maxBatch)
		if err != nil {
			return err
		}
		i, n, o := mo.m.Dims()
		x, err := f32Array(unsafe.Pointer(state), stateLen, b*n, "state", true)
		if err != nil {
			return err
		}
		u, err := f32Array(unsafe.Pointer(input), inLen, b*i, "input", true)
		if err != nil {
			return err
		}
		r, err := f32Array(unsafe.Pointer(rates), ratesLen, b*n, "rates", false)
		if err != nil {
			return err
		}
		y, err := f32Array(unsafe.Pointer(outputs), outLen, b*o, "outputs", false)
		if err != nil {
			return err
		}
		return mo.m.StepF32(b, x, u, r, y)
	})
}

// f32Array is outArray for a float array p of n elements, which must be
// want; required arrays of nonzero length must not be NULL.
func f32Array(p unsafe.Pointer, n C.int64_t, want int, what string, required bool) ([]float32, error) {
	if n < 0 {
		return nil, fail(stInvalid, "%s_len = %d is negative", what, int64(n))
	}
	if p == nil {
		if required && want > 0 {
			return nil, fail(stNull, "%s is NULL", what)
		}
		if n != 0 {
			return nil, fail(stNull, "%s is NULL but %s_len = %d", what, what, int64(n))
		}
		return nil, nil
	}
	if int64(n) != int64(want) {
		return nil, fail(stShape, "%s_len = %d, want %d", what, int64(n), want)
	}
	if want == 0 {
		return []float32{}, nil
	}
	return unsafe.Slice((*float32)(p), want), nil
}
