// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"strings"
	"unsafe"
)

//export nn4n_model_terms
func nn4n_model_terms(h C.uint64_t, names *C.char, namesLen C.int64_t, values *C.double, valuesLen C.int64_t,
	count *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_terms", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		n := len(mo.terms)
		if err := storeI64(count, n, "count (out)"); err != nil {
			return err
		}
		switch {
		case valuesLen < 0:
			return fail(stInvalid, "values_len = %d is negative", int64(valuesLen))
		case values == nil && valuesLen != 0:
			return fail(stNull, "values is NULL but values_len = %d", int64(valuesLen))
		case values != nil && int64(valuesLen) < int64(n):
			return fail(stBufferTooSmall, "values_len = %d, the last call has %d terms", int64(valuesLen), n)
		}
		if values != nil {
			dst := unsafe.Slice((*float64)(unsafe.Pointer(values)), n)
			for k, t := range mo.terms {
				dst[k] = t.Value
			}
		}
		if namesLen == 0 && names == nil {
			return nil
		}
		list := make([]string, n)
		for k, t := range mo.terms {
			list[k] = t.Name
		}
		return putString(strings.Join(list, "\t"), names, namesLen, nil)
	})
}
