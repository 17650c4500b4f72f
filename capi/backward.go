// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import "github.com/nn4n/nn4n/ctrnn"

//export nn4n_model_backward
func nn4n_model_backward(h C.uint64_t, input *C.nn4n_cdouble, inLen, batch, steps C.int64_t, x0 *C.nn4n_cdouble, x0Len C.int64_t,
	gradOutputs *C.nn4n_cdouble, goLen C.int64_t, gradRates *C.nn4n_cdouble, grLen C.int64_t,
	gradStates *C.nn4n_cdouble, gsLen C.int64_t, outputs *C.double, outLen C.int64_t,
	gradInput *C.double, giLen C.int64_t, gradX0 *C.double, gxLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_backward", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		b, t, err := batchDims(batch, steps)
		if err != nil {
			return err
		}
		i, n, o := mo.m.Dims()
		bti, err := size("input", b, t, i)
		if err != nil {
			return err
		}
		btn, err := size("grad_rates", b, t, n)
		if err != nil {
			return err
		}
		bto, err := size("grad_outputs", b, t, o)
		if err != nil {
			return err
		}
		u, err := inArray(input, inLen, bti, "input", true)
		if err != nil {
			return err
		}
		x, err := optInArray(x0, x0Len, "x0", n, b*n)
		if err != nil {
			return err
		}
		var up ctrnn.Upstream
		if up.Outputs, err = optInArray(gradOutputs, goLen, "grad_outputs", bto); err != nil {
			return err
		}
		if up.Rates, err = optInArray(gradRates, grLen, "grad_rates", btn); err != nil {
			return err
		}
		if up.States, err = optInArray(gradStates, gsLen, "grad_states", btn); err != nil {
			return err
		}
		y, err := outArray(outputs, outLen, bto, "outputs", false)
		if err != nil {
			return err
		}
		gu, err := outArray(gradInput, giLen, bti, "grad_input", false)
		if err != nil {
			return err
		}
		gx, err := outArray(gradX0, gxLen, b*n, "grad_x0", false)
		if err != nil {
			return err
		}
		v, err := mo.m.Backward(&ctrnn.Batch{B: b, T: t, Input: u, X0: x}, &up, y, gu, gx)
		if err != nil {
			return err
		}
		mo.terms = []ctrnn.Term{{Name: "vjp", Value: v}}
		return nil
	})
}
