// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"math"
	"slices"
	"strings"

	"github.com/nn4n/nn4n/ctrnn"
)

// modelObj is what a model handle holds.
type modelObj struct {
	m      *ctrnn.Model
	terms  []ctrnn.Term
	labels []int32 // reused label buffer
}

var gradKeys = []string{"w_in", "w_rec", "w_out", "b_in", "b_rec", "b_out", "alpha", "x0"}

func (s *scope) model(h C.uint64_t) (*modelObj, error) {
	e, err := s.acquire(h, kindModel)
	if err != nil {
		return nil, err
	}
	return e.obj.(*modelObj), nil
}

func precisionArg(p C.int32_t) (ctrnn.Precision, error) {
	switch p {
	case C.NN4N_FLOAT64:
		return ctrnn.Float64, nil
	case C.NN4N_FLOAT32:
		return ctrnn.Float32, nil
	}
	return 0, fail(stInvalid, "precision = %d, want NN4N_FLOAT64 (0) or NN4N_FLOAT32 (1)", int32(p))
}

//export nn4n_model_create
func nn4n_model_create(nIn, nHid, nOut C.int64_t, precision C.int32_t, seed C.uint64_t, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_create", func() error {
		if out == nil {
			return fail(stNull, "model (out) is NULL")
		}
		i, err := dim(nIn, "n_in", 0, maxDim)
		if err != nil {
			return err
		}
		n, err := dim(nHid, "n_hid", 1, maxDim)
		if err != nil {
			return err
		}
		o, err := dim(nOut, "n_out", 1, maxDim)
		if err != nil {
			return err
		}
		if _, err := size("w_rec", n, n); err != nil {
			return err
		}
		prec, err := precisionArg(precision)
		if err != nil {
			return err
		}
		m, err := ctrnn.New(ctrnn.Config{Inputs: i, Units: n, Outputs: o, Precision: prec, Seed: uint64(seed)})
		if err != nil {
			return err
		}
		return putHandle(out, kindModel, &modelObj{m: m})
	})
}

//export nn4n_model_create_from_structure
func nn4n_model_create_from_structure(structure C.uint64_t, precision C.int32_t, seed C.uint64_t, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_create_from_structure", func() error {
		if out == nil {
			return fail(stNull, "model (out) is NULL")
		}
		prec, err := precisionArg(precision)
		if err != nil {
			return err
		}
		so, err := s.structure(structure)
		if err != nil {
			return err
		}
		if so.built == nil {
			return fail(stState, "the structure is not built: call nn4n_structure_build first")
		}
		cfg := ctrnn.Config{Precision: prec, Seed: uint64(seed)}
		if err := so.built.Masks.Configure(&cfg); err != nil {
			return err
		}
		m, err := ctrnn.New(cfg)
		if err != nil {
			return err
		}
		return putHandle(out, kindModel, &modelObj{m: m})
	})
}

//export nn4n_model_free
func nn4n_model_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_free", func() error { return free(h, kindModel) })
}

func (mo *modelObj) settings() (settings, error) {
	m := mo.m
	return funcs{m.Scalar, m.SetScalar, m.Option, m.SetOption, ctrnn.KeyInfo}, nil
}

func (mo *modelObj) shape(k string) (int, int, error) {
	if !slices.Contains(ctrnn.ArrayNames, k) {
		return 0, 0, unknownKey("model array", k, ctrnn.ArrayNames)
	}
	return mo.m.Shape(k)
}

//export nn4n_model_shape
func nn4n_model_shape(h C.uint64_t, key *C.nn4n_cchar, rows, cols *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_shape", func() error {
		mo, k, err := keyed(s.model, h, key)
		if err != nil {
			return err
		}
		if rows == nil || cols == nil {
			return fail(stNull, "rows or cols (out) is NULL")
		}
		r, c, err := mo.shape(k)
		if err != nil {
			return err
		}
		*rows, *cols = C.int64_t(r), C.int64_t(c)
		return nil
	})
}

//export nn4n_model_get_array
func nn4n_model_get_array(h C.uint64_t, key *C.nn4n_cchar, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_get_array", func() error {
		mo, k, err := keyed(s.model, h, key)
		if err != nil {
			return err
		}
		r, c, err := mo.shape(k)
		if err != nil {
			return err
		}
		dst, err := outArray(out, n, r*c, "out", true)
		if err != nil {
			return err
		}
		return mo.m.ArrayInto(k, dst)
	})
}

//export nn4n_model_set_array
func nn4n_model_set_array(h C.uint64_t, key *C.nn4n_cchar, values *C.nn4n_cdouble, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_set_array", func() error {
		mo, k, err := keyed(s.model, h, key)
		if err != nil {
			return err
		}
		if !slices.Contains(ctrnn.ArrayNames, k) {
			return unknownKey("model array", k, ctrnn.ArrayNames)
		}
		// The shape of a mask is its weight's (an absent sign mask has none).
		shapeKey := k
		for _, p := range []string{"mask_", "sign_", "plasticity_"} {
			if strings.HasPrefix(k, p) {
				shapeKey = "w_" + strings.TrimPrefix(k, p)
			}
		}
		rows, cols, err := mo.m.Shape(shapeKey)
		if err != nil {
			return err
		}
		wants := []int{rows * cols}
		mask := k[0] == 'm' || k[0] == 's' || k[0] == 'p'
		if mask {
			wants = append(wants, 0)
		}
		if k[0] == 's' {
			wants = append(wants, cols)
		}
		v, err := optInArray(values, n, "values", wants...)
		if err != nil {
			return err
		}
		if v == nil {
			if !mask {
				return fail(stShape, "values_len = %d, want %d", int64(n), rows*cols)
			}
			v = []float64{}
		}
		return mo.m.SetArray(k, v)
	})
}

//export nn4n_model_reinitialize
func nn4n_model_reinitialize(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_reinitialize", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		return mo.m.Reinitialize()
	})
}

//export nn4n_model_spectral_radius
func nn4n_model_spectral_radius(h C.uint64_t, rho *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_model_spectral_radius", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		if rho == nil {
			return fail(stNull, "rho (out) is NULL")
		}
		r, err := mo.m.SpectralRadius()
		if err != nil {
			return fail(stNumeric, "%v", err)
		}
		*rho = C.double(r)
		return nil
	})
}

// batchDims checks B and T.
func batchDims(batch, steps C.int64_t) (int, int, error) {
	b, err := dim(batch, "batch", 1, maxBatch)
	if err != nil {
		return 0, 0, err
	}
	t, err := dim(steps, "steps", 1, maxSteps)
	if err != nil {
		return 0, 0, err
	}
	return b, t, nil
}

//export nn4n_model_forward
func nn4n_model_forward(h C.uint64_t, input *C.nn4n_cdouble, inLen, batch, steps C.int64_t, x0 *C.nn4n_cdouble, x0Len C.int64_t,
	outputs *C.double, outLen C.int64_t, rates *C.double, ratesLen C.int64_t, states *C.double, statesLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_forward", func() error {
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
		btn, err := size("rates", b, t, n)
		if err != nil {
			return err
		}
		bto, err := size("outputs", b, t, o)
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
		var tr ctrnn.Trajectory
		if tr.Outputs, err = outArray(outputs, outLen, bto, "outputs", false); err != nil {
			return err
		}
		if tr.Rates, err = outArray(rates, ratesLen, btn, "rates", false); err != nil {
			return err
		}
		if tr.States, err = outArray(states, statesLen, btn, "states", false); err != nil {
			return err
		}
		return mo.m.ForwardInto(&tr, &ctrnn.Batch{B: b, T: t, Input: u, X0: x})
	})
}

//export nn4n_model_step
func nn4n_model_step(h C.uint64_t, batch C.int64_t, state *C.double, stateLen C.int64_t, input *C.nn4n_cdouble, inLen C.int64_t,
	rates *C.double, ratesLen C.int64_t, outputs *C.double, outLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_step", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		b, err := dim(batch, "batch", 1, maxBatch)
		if err != nil {
			return err
		}
		i, n, o := mo.m.Dims()
		x, err := outArray(state, stateLen, b*n, "state", true)
		if err != nil {
			return err
		}
		u, err := inArray(input, inLen, b*i, "input", false) // Step checks finiteness
		if err != nil {
			return err
		}
		r, err := outArray(rates, ratesLen, b*n, "rates", false)
		if err != nil {
			return err
		}
		y, err := outArray(outputs, outLen, b*o, "outputs", false)
		if err != nil {
			return err
		}
		return mo.m.Step(b, x, u, r, y)
	})
}

// trainingBatch validates and assembles the batch of gradient, loss and train.
func (mo *modelObj) trainingBatch(input *C.nn4n_cdouble, inLen C.int64_t, target *C.nn4n_cdouble, tLen C.int64_t,
	mask *C.nn4n_cdouble, mLen C.int64_t, labels *C.nn4n_cdouble, lLen C.int64_t, batch, steps C.int64_t) (*ctrnn.Batch, error) {
	b, t, err := batchDims(batch, steps)
	if err != nil {
		return nil, err
	}
	i, _, o := mo.m.Dims()
	bti, err := size("input", b, t, i)
	if err != nil {
		return nil, err
	}
	bto, err := size("target", b, t, o)
	if err != nil {
		return nil, err
	}
	bb := &ctrnn.Batch{B: b, T: t}
	if bb.Input, err = inArray(input, inLen, bti, "input", true); err != nil {
		return nil, err
	}
	if bb.Target, err = optInArray(target, tLen, "target", bto); err != nil {
		return nil, err
	}
	if bb.Mask, err = optInArray(mask, mLen, "mask", bto); err != nil {
		return nil, err
	}
	lab, err := optInArray(labels, lLen, "labels", b*t)
	if err != nil {
		return nil, err
	}
	if lab != nil {
		mo.labels = slices.Grow(mo.labels[:0], len(lab))[:len(lab)]
		for k, v := range lab {
			switch {
			case v != math.Trunc(v) || v >= float64(o):
				return nil, fail(stInvalid, "labels[%d] = %v, want an integer class in [0, %d) or negative to ignore the step", k, v, o)
			case v < 0:
				mo.labels[k] = -1
			default:
				mo.labels[k] = int32(v)
			}
		}
		bb.Labels = mo.labels
	}
	if bb.Target == nil && bb.Labels == nil {
		return nil, fail(stNull, "target and labels are both NULL: give one of them")
	}
	return bb, nil
}

func (s *scope) objective(h C.uint64_t) (ctrnn.Objective, error) {
	e, err := s.acquire(h, kindObjective)
	if err != nil {
		return nil, err
	}
	return e.obj.(*objectiveObj).build()
}

//export nn4n_model_gradient
func nn4n_model_gradient(h, objective C.uint64_t, input *C.nn4n_cdouble, inLen C.int64_t, target *C.nn4n_cdouble, tLen C.int64_t,
	mask *C.nn4n_cdouble, mLen C.int64_t, labels *C.nn4n_cdouble, lLen C.int64_t, batch, steps C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_gradient", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		obj, err := s.objective(objective)
		if err != nil {
			return err
		}
		b, err := mo.trainingBatch(input, inLen, target, tLen, mask, mLen, labels, lLen, batch, steps)
		if err != nil {
			return err
		}
		terms, err := mo.m.Gradient(b, obj)
		if err != nil {
			return err
		}
		mo.terms = terms
		return nil
	})
}

//export nn4n_model_loss
func nn4n_model_loss(h, objective C.uint64_t, input *C.nn4n_cdouble, inLen C.int64_t, target *C.nn4n_cdouble, tLen C.int64_t,
	mask *C.nn4n_cdouble, mLen C.int64_t, labels *C.nn4n_cdouble, lLen C.int64_t, batch, steps C.int64_t, outputs *C.double, outLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_loss", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		obj, err := s.objective(objective)
		if err != nil {
			return err
		}
		b, err := mo.trainingBatch(input, inLen, target, tLen, mask, mLen, labels, lLen, batch, steps)
		if err != nil {
			return err
		}
		_, _, o := mo.m.Dims()
		y, err := outArray(outputs, outLen, b.B*b.T*o, "outputs", false)
		if err != nil {
			return err
		}
		terms, out, err := mo.m.Loss(b, obj)
		if err != nil {
			return err
		}
		mo.terms = terms
		copy(y, out)
		return nil
	})
}

//export nn4n_model_get_grad
func nn4n_model_get_grad(h C.uint64_t, key *C.nn4n_cchar, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_get_grad", func() error {
		mo, k, err := keyed(s.model, h, key)
		if err != nil {
			return err
		}
		if !slices.Contains(gradKeys, k) {
			return unknownKey("trained parameter", k, gradKeys)
		}
		g, err := mo.m.Grad(k)
		if err != nil {
			return fail(stUnknownKey, "%v (set train_%s or learn_alpha to train it)", err, k)
		}
		dst, err := outArray(out, n, len(g), "out", true)
		if err != nil {
			return err
		}
		copy(dst, g)
		return nil
	})
}

//export nn4n_model_train
func nn4n_model_train(h, objective, optimizer C.uint64_t, input *C.nn4n_cdouble, inLen C.int64_t, target *C.nn4n_cdouble, tLen C.int64_t,
	mask *C.nn4n_cdouble, mLen C.int64_t, labels *C.nn4n_cdouble, lLen C.int64_t, batch, steps, nUpdates C.int64_t, done *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_train", func() error {
		if done != nil {
			*done = 0
		}
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		e := s.held[0]
		obj, err := s.objective(objective)
		if err != nil {
			return err
		}
		opt, err := s.optimizer(optimizer)
		if err != nil {
			return err
		}
		n, err := dim(nUpdates, "n_updates", 1, 1<<40)
		if err != nil {
			return err
		}
		b, err := mo.trainingBatch(input, inLen, target, tLen, mask, mLen, labels, lLen, batch, steps)
		if err != nil {
			return err
		}
		for k := 0; k < n; k++ {
			if e.cancel.Swap(false) {
				return fail(stCancelled, "cancelled after %d of %d updates", k, n)
			}
			terms, err := mo.m.TrainStep(b, obj, opt)
			if err != nil {
				return err
			}
			mo.terms = terms
			if done != nil {
				*done = C.int64_t(k + 1)
			}
		}
		return nil
	})
}

//export nn4n_model_cancel
func nn4n_model_cancel(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_cancel", func() error { return requestCancel(h, kindModel) })
}

//export nn4n_model_term_count
func nn4n_model_term_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_term_count", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		return storeI64(count, len(mo.terms), "count (out)")
	})
}

//export nn4n_model_term
func nn4n_model_term(h C.uint64_t, k C.int64_t, name *C.char, nameLen C.int64_t, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_model_term", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		if k < 0 || int64(k) >= int64(len(mo.terms)) {
			return fail(stInvalid, "k = %d, want 0 ≤ k < %d (the number of terms)", int64(k), len(mo.terms))
		}
		t := mo.terms[k]
		if value != nil {
			*value = C.double(t.Value)
		}
		return putString(t.Name, name, nameLen, nil)
	})
}

//export nn4n_model_save
func nn4n_model_save(h C.uint64_t, path *C.nn4n_cchar) C.int32_t {
	var s scope
	return s.run("nn4n_model_save", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		if p == "" {
			return fail(stInvalid, "path is empty")
		}
		if err := mo.m.Save(p); err != nil {
			return fail(stIO, "%v", err)
		}
		return nil
	})
}

//export nn4n_model_load
func nn4n_model_load(path *C.nn4n_cchar, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_load", func() error {
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		if out == nil {
			return fail(stNull, "model (out) is NULL")
		}
		if p == "" {
			return fail(stInvalid, "path is empty")
		}
		m, err := ctrnn.Load(p)
		if err != nil {
			if st := classify(err); st == stIO || st == stMemory {
				return fail(st, "%v", err)
			}
			return fail(stFormat, "%v", err)
		}
		return putHandle(out, kindModel, &modelObj{m: m})
	})
}
