// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"github.com/nn4n/nn4n/optim"
)

// optimizerKinds are the kinds of nn4n_optimizer_create.
var optimizerKinds = []struct {
	name string
	make func() optim.Optimizer
}{{"sgd", func() optim.Optimizer { return optim.NewSGD() }}, {"adam", func() optim.Optimizer { return optim.NewAdam() }}}

func (s *scope) optimizer(h C.uint64_t) (optim.Optimizer, error) {
	e, err := s.acquire(h, kindOptimizer)
	if err != nil {
		return nil, err
	}
	return e.obj.(optim.Optimizer), nil
}

//export nn4n_optimizer_create
func nn4n_optimizer_create(kind *C.nn4n_cchar, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_create", func() error {
		k, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		if out == nil {
			return fail(stNull, "optimizer (out) is NULL")
		}
		for _, c := range optimizerKinds {
			if c.name == k {
				return putHandle(out, kindOptimizer, c.make())
			}
		}
		names := make([]string, len(optimizerKinds))
		for i, c := range optimizerKinds {
			names[i] = c.name
		}
		return unknownKey("optimizer kind", k, names)
	})
}

//export nn4n_optimizer_free
func nn4n_optimizer_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_free", func() error { return free(h, kindOptimizer) })
}

// optimizerSettings returns the settings of an optimizer.
func optimizerSettings(o optim.Optimizer) (settings, error) {
	switch o := o.(type) {
	case *optim.SGD:
		return bind(&optim.SGDKeys, o), nil
	case *optim.Adam:
		return bind(&optim.AdamKeys, o), nil
	}
	return nil, fail(stInternal, "unknown optimizer type %T", o)
}

//export nn4n_optimizer_reset
func nn4n_optimizer_reset(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_reset", func() error {
		o, err := s.optimizer(h)
		if err != nil {
			return err
		}
		o.Reset()
		return nil
	})
}
