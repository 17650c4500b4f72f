// SPDX-License-Identifier: MIT

package main

/*
#include "capi.h"
*/
import "C"

import (
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// stMemory is NN4N_ERR_MEMORY: a call refused by the memory budget.
const stMemory = C.NN4N_ERR_MEMORY

//export nn4n_set_memory_limit
func nn4n_set_memory_limit(bytes C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_set_memory_limit", func() error {
		if bytes < 0 {
			return fail(stInvalid, "bytes = %d, want ≥ 0 (0 restores the default)", int64(bytes))
		}
		ctrnn.SetMemoryLimit(uint64(bytes))
		return nil
	})
}

//export nn4n_get_memory_limit
func nn4n_get_memory_limit(bytes, defaultBytes *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_get_memory_limit", func() error {
		if bytes != nil {
			*bytes = C.int64_t(min(ctrnn.MemoryLimit(), math.MaxInt64))
		}
		if defaultBytes != nil {
			*defaultBytes = C.int64_t(min(ctrnn.DefaultMemoryLimit(), math.MaxInt64))
		}
		return nil
	})
}
