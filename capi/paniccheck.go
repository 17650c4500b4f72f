// SPDX-License-Identifier: MIT

//go:build nn4n_paniccheck

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
#include "nn4n_testhooks.h"
*/
import "C"

var nilMap *map[string]int

//export nn4n_debug_panic
func nn4n_debug_panic(h C.uint64_t, how C.int32_t) C.int32_t {
	var s scope
	return s.run("nn4n_debug_panic", func() error {
		if h != 0 {
			k := kind(uint64(h) >> kindShift)
			if _, err := s.acquire(h, k); err != nil {
				return err
			}
		}
		switch how {
		case 1:
			(*nilMap)["x"] = 1
		case 2:
			idx := []int{1, 2, 3}
			n := int(how) + 5
			_ = idx[n]
		}
		panic("nn4n_debug_panic: injected panic")
	})
}
