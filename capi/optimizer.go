package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"github.com/nn4n/nn4n/optim"
)

var sgdKeys = []string{"lr", "max_norm", "guard"}
var adamKeys = []string{"lr", "max_norm", "guard", "beta1", "beta2", "eps", "weight_decay"}

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
		switch k {
		case "sgd":
			return putHandle(out, kindOptimizer, optim.NewSGD())
		case "adam":
			return putHandle(out, kindOptimizer, optim.NewAdam())
		}
		return unknownKey("optimizer kind", k, []string{"sgd", "adam"})
	})
}

//export nn4n_optimizer_free
func nn4n_optimizer_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_free", func() error { return free(h, kindOptimizer) })
}

// optimizerField returns the float field of key, or the guard flag.
func optimizerField(o optim.Optimizer, k string) (*float64, *bool, error) {
	switch o := o.(type) {
	case *optim.SGD:
		switch k {
		case "lr":
			return &o.LR, nil, nil
		case "max_norm":
			return &o.MaxNorm, nil, nil
		case "guard":
			return nil, &o.Guard, nil
		}
		return nil, nil, unknownKey("sgd key", k, sgdKeys)
	case *optim.Adam:
		switch k {
		case "lr":
			return &o.LR, nil, nil
		case "max_norm":
			return &o.MaxNorm, nil, nil
		case "guard":
			return nil, &o.Guard, nil
		case "beta1":
			return &o.Beta1, nil, nil
		case "beta2":
			return &o.Beta2, nil, nil
		case "eps":
			return &o.Eps, nil, nil
		case "weight_decay":
			return &o.WeightDecay, nil, nil
		}
		return nil, nil, unknownKey("adam key", k, adamKeys)
	}
	return nil, nil, fail(stInternal, "unknown optimizer type %T", o)
}

//export nn4n_optimizer_set_f64
func nn4n_optimizer_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_set_f64", func() error {
		o, k, err := keyed(s.optimizer, h, key)
		if err != nil {
			return err
		}
		f, b, err := optimizerField(o, k)
		if err != nil {
			return err
		}
		v := float64(value)
		if err := finite(v, k); err != nil {
			return err
		}
		if b != nil {
			*b, err = flag(k, v)
			return err
		}
		switch {
		case k == "beta1" || k == "beta2":
			if !(v >= 0 && v < 1) {
				return fail(stInvalid, "%s = %v, want 0 ≤ %s < 1", k, v, k)
			}
		case k == "eps":
			if !(v > 0) {
				return fail(stInvalid, "eps = %v, want > 0", v)
			}
		case v < 0:
			return fail(stInvalid, "%s = %v, want ≥ 0", k, v)
		}
		*f = v
		return nil
	})
}

//export nn4n_optimizer_get_f64
func nn4n_optimizer_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_optimizer_get_f64", func() error {
		o, k, err := keyed(s.optimizer, h, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		f, b, err := optimizerField(o, k)
		if err != nil {
			return err
		}
		if b != nil {
			*value = C.double(boolf(*b))
		} else {
			*value = C.double(*f)
		}
		return nil
	})
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
