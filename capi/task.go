// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"
	"github.com/nn4n/nn4n/task"
)

// taskObj is what a task handle holds: the task, its options and the
// current sample.
type taskObj struct {
	name  string
	opt   task.Options
	t     task.Task
	batch *task.Batch
}

const conditionColumns = C.NN4N_TASK_CONDITION_COLUMNS

var taskArrayKeys = []string{"input", "target", "mask", "conditions"}

func (s *scope) task(h C.uint64_t) (*taskObj, error) {
	e, err := s.acquire(h, kindTask)
	if err != nil {
		return nil, err
	}
	return e.obj.(*taskObj), nil
}

//export nn4n_task_create
func nn4n_task_create(name *C.nn4n_cchar, dt C.double, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_create", func() error {
		n, err := goString(name, "name")
		if err != nil {
			return err
		}
		if out == nil {
			return fail(stNull, "task (out) is NULL")
		}
		if !slices.Contains(task.Names(), n) && !strings.HasPrefix(n, task.MultiPrefix) {
			return unknownKey("task", n, task.Names())
		}
		if err := finite(float64(dt), "dt"); err != nil {
			return err
		}
		opt := task.DefaultOptions()
		opt.Dt = float64(dt)
		t, err := task.New(n, opt)
		if err != nil {
			return err
		}
		return putHandle(out, kindTask, &taskObj{name: n, opt: opt, t: t})
	})
}

//export nn4n_task_free
func nn4n_task_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_free", func() error { return free(h, kindTask) })
}

type taskKey = keys.Key[taskObj]

// optionKey is a task option: setting it rebuilds the task (which
// validates the options) and drops the sample.
func optionKey(name, def, doc string, lo float64, loOpen bool, f func(*task.Options) *float64) taskKey {
	return taskKey{Name: name, Type: keys.F64, Default: def, Doc: doc, Lo: lo, Hi: math.Inf(1), LoOpen: loOpen,
		Get: func(to *taskObj) float64 { return *f(&to.opt) },
		Set: func(to *taskObj, v float64) error {
			opt := to.opt
			*f(&opt) = v
			return to.rebuild(opt)
		}}
}

func (to *taskObj) rebuild(opt task.Options) error {
	t, err := task.New(to.name, opt)
	if err != nil {
		return err
	}
	to.opt, to.t, to.batch = opt, t, nil
	return nil
}

func specKey(name, doc string, get func(*taskObj) float64) taskKey {
	return taskKey{Name: name, Type: keys.F64, ReadOnly: true, Doc: doc, Get: get}
}

// taskKeys is the table of a task's options and read-only properties.
var taskKeys = keys.Table[taskObj]{Kind: "task", Keys: []taskKey{
	optionKey("dt", "20", "time step in ms (set at creation)", 0, true, func(o *task.Options) *float64 { return &o.Dt }),
	optionKey("baseline", "0.2", "input baseline u0 added to every input", 0, false, func(o *task.Options) *float64 { return &o.Baseline }),
	optionKey("tau_in", "100", "input noise time constant τ_in in ms (> 0 when sigma_in > 0)", math.Inf(-1), false, func(o *task.Options) *float64 { return &o.TauIn }),
	optionKey("sigma_in", "0.01", "input noise level σ_in; 0 switches it off", 0, false, func(o *task.Options) *float64 { return &o.SigmaIn }),
	keys.Flag(taskKey{Name: "test", Type: keys.F64, Default: "0", Doc: "test-mode trial timing",
		Get: func(to *taskObj) float64 { return boolf(to.opt.Test) },
		Set: func(to *taskObj, v float64) error {
			opt := to.opt
			opt.Test = v == 1
			return to.rebuild(opt)
		}}),
	specKey("inputs", "number of inputs", func(to *taskObj) float64 { in, _ := to.t.Dims(); return float64(in) }),
	specKey("outputs", "number of outputs", func(to *taskObj) float64 { _, out := to.t.Dims(); return float64(out) }),
	specKey("n_units", "recommended number of units", func(to *taskObj) float64 { return float64(to.t.Spec().N) }),
	specKey("minibatch", "recommended minibatch", func(to *taskObj) float64 { return float64(to.t.Spec().Minibatch) }),
	specKey("n_validation", "recommended validation size", func(to *taskObj) float64 { return float64(to.t.Spec().NValidation) }),
	specKey("catch_prob", "probability of a catch trial", func(to *taskObj) float64 { return to.t.Spec().CatchProb }),
	specKey("threshold", "decision threshold of the score", func(to *taskObj) float64 { return to.t.Spec().Threshold }),
	specKey("n_conditions", "number of trial conditions", func(to *taskObj) float64 { return float64(len(to.t.Conditions())) }),
	{Name: "steps", Type: keys.F64, ReadOnly: true, Doc: "time steps of the current sample (a state error before nn4n_task_sample)",
		Read: func(to *taskObj) (float64, error) {
			if to.batch == nil {
				return 0, errs.New(errs.State, "no sample: call nn4n_task_sample first")
			}
			return float64(to.batch.T), nil
		}},
}}

func (to *taskObj) settings() (settings, error) { return bind(&taskKeys, to), nil }

//export nn4n_task_sample
func nn4n_task_sample(h C.uint64_t, kind *C.nn4n_cchar, n C.int64_t, seed C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_sample", func() error {
		to, err := s.task(h)
		if err != nil {
			return err
		}
		k, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		nb, err := dim(n, "n", 1, maxBatch)
		if err != nil {
			return err
		}
		rng := task.NewRand(uint64(seed))
		var b *task.Batch
		switch k {
		case "train":
			b, err = to.t.Batch(rng, nb)
		case "validation":
			b, err = to.t.Validation(rng, nb)
		default:
			return unknownKey("sample kind", k, []string{"train", "validation"})
		}
		if err != nil {
			return err
		}
		to.batch = b
		return nil
	})
}

// array returns an array of the current sample and its (rows, cols).
func (to *taskObj) array(k string) ([]float64, int, int, error) {
	if !slices.Contains(taskArrayKeys, k) {
		return nil, 0, 0, unknownKey("task array", k, taskArrayKeys)
	}
	b := to.batch
	if b == nil {
		return nil, 0, 0, fail(stState, "no sample: call nn4n_task_sample first")
	}
	switch k {
	case "input":
		return b.Input, b.B, b.T * b.I, nil
	case "target":
		return b.Target, b.B, b.T * b.O, nil
	case "mask":
		return b.Mask, b.B, b.T * b.O, nil
	}
	return nil, b.B, conditionColumns, nil
}

// conditions fills the B×14 table documented in nn4n.h.
func conditions(dst []float64, b *task.Batch) {
	for k, tr := range b.Trials {
		c := tr.Cond
		row := dst[k*conditionColumns : (k+1)*conditionColumns]
		row[0], row[1], row[2], row[3] = boolf(c.Catch), float64(c.Choice), c.Coherence, float64(c.Sign)
		row[4] = float64(map[string]int{"m": 1, "c": 2}[c.Context])
		row[5], row[6], row[7], row[8] = c.CohMotion, c.CohColour, float64(c.SignMotion), float64(c.SignColour)
		row[9] = float64(map[string]int{"v": 1, "a": 2, "va": 3}[c.Modality])
		row[10], row[11], row[12], row[13] = c.Freq, c.F1, c.F2, float64(tr.Steps)
	}
}

//export nn4n_task_shape
func nn4n_task_shape(h C.uint64_t, key *C.nn4n_cchar, rows, cols *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_shape", func() error {
		to, k, err := keyed(s.task, h, key)
		if err != nil {
			return err
		}
		if rows == nil || cols == nil {
			return fail(stNull, "rows or cols (out) is NULL")
		}
		_, r, c, err := to.array(k)
		if err != nil {
			return err
		}
		*rows, *cols = C.int64_t(r), C.int64_t(c)
		return nil
	})
}

//export nn4n_task_get_array
func nn4n_task_get_array(h C.uint64_t, key *C.nn4n_cchar, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_get_array", func() error {
		to, k, err := keyed(s.task, h, key)
		if err != nil {
			return err
		}
		v, r, c, err := to.array(k)
		if err != nil {
			return err
		}
		dst, err := outArray(out, n, r*c, "out", true)
		if err != nil {
			return err
		}
		if k == "conditions" {
			conditions(dst, to.batch)
		} else {
			copy(dst, v)
		}
		return nil
	})
}

//export nn4n_task_score
func nn4n_task_score(h C.uint64_t, metric *C.nn4n_cchar, outputs *C.nn4n_cdouble, n C.int64_t, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_task_score", func() error {
		to, err := s.task(h)
		if err != nil {
			return err
		}
		m, err := goString(metric, "metric")
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		metrics := []string{"percent_correct", "min_condition_percent_correct", "rmse"}
		if !slices.Contains(metrics, m) {
			return unknownKey("metric", m, metrics)
		}
		b := to.batch
		if b == nil {
			return fail(stState, "no sample: call nn4n_task_sample first")
		}
		y, err := inArray(outputs, n, b.B*b.T*b.O, "outputs", true)
		if err != nil {
			return err
		}
		var v float64
		switch m {
		case "percent_correct":
			v, err = task.PercentCorrect(y, b)
		case "min_condition_percent_correct":
			v, err = task.MinConditionPercentCorrect(y, b)
		default:
			v, err = task.RMSE(y, b)
		}
		if err != nil {
			return err
		}
		*value = C.double(v)
		return nil
	})
}

//export nn4n_task_sample_conditions
func nn4n_task_sample_conditions(h C.uint64_t, table *C.nn4n_cdouble, n C.int64_t, seed C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_sample_conditions", func() error {
		to, err := s.task(h)
		if err != nil {
			return err
		}
		if n <= 0 || int64(n)%conditionColumns != 0 || int64(n)/conditionColumns > maxBatch {
			return fail(stShape, "conditions_len = %d, want a positive multiple of %d (B rows of the conditions table)", int64(n), conditionColumns)
		}
		v, err := inArray(table, n, int(n), "conditions", true)
		if err != nil {
			return err
		}
		conds := make([]task.Condition, len(v)/conditionColumns)
		for k := range conds {
			if conds[k], err = condition(v[k*conditionColumns : (k+1)*conditionColumns]); err != nil {
				return fail(stInvalid, "conditions row %d: %v", k, err)
			}
		}
		b, err := to.t.Trials(task.NewRand(uint64(seed)), conds)
		if err != nil {
			return err
		}
		to.batch = b
		return nil
	})
}

// condition reads one row of the conditions table (columns 1, choice, and
// 13, steps, are outputs and are ignored).
func condition(row []float64) (task.Condition, error) {
	code := func(col int, what string, lo, hi float64) (int, error) {
		v := row[col]
		if v != float64(int(v)) || v < lo || v > hi {
			return 0, fmt.Errorf("column %d (%s) = %v, want an integer in [%g, %g]", col, what, v, lo, hi)
		}
		return int(v), nil
	}
	catch, err := code(0, "catch", 0, 1)
	if err != nil {
		return task.Condition{}, err
	}
	if catch == 1 {
		return task.Catch, nil
	}
	var c task.Condition
	if c.Sign, err = code(3, "sign", -1, 1); err != nil {
		return c, err
	}
	ctx, err := code(4, "context", 0, 2)
	if err != nil {
		return c, err
	}
	if c.SignMotion, err = code(7, "sign_motion", -1, 1); err != nil {
		return c, err
	}
	if c.SignColour, err = code(8, "sign_colour", -1, 1); err != nil {
		return c, err
	}
	mod, err := code(9, "modality", 0, 3)
	if err != nil {
		return c, err
	}
	c.Context = []string{"", "m", "c"}[ctx]
	c.Modality = []string{"", "v", "a", "va"}[mod]
	c.Coherence, c.CohMotion, c.CohColour = row[2], row[5], row[6]
	c.Freq, c.F1, c.F2 = row[10], row[11], row[12]
	return c, nil
}

//export nn4n_task_psychometric
func nn4n_task_psychometric(h C.uint64_t, outputs *C.nn4n_cdouble, n C.int64_t, choice C.int64_t,
	table *C.double, tableLen C.int64_t, points *C.int64_t, fit *C.double, fitLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_task_psychometric", func() error {
		to, err := s.task(h)
		if err != nil {
			return err
		}
		if points == nil {
			return fail(stNull, "points (out) is NULL")
		}
		b := to.batch
		if b == nil {
			return fail(stState, "no sample: call nn4n_task_sample or nn4n_task_sample_conditions first")
		}
		y, err := inArray(outputs, n, b.B*b.T*b.O, "outputs", true)
		if err != nil {
			return err
		}
		x := task.SignedCoherence
		switch {
		case to.name == "sinewave":
			return fail(stInvalid, "sinewave has no choices: no psychometric curve")
		case to.name == "multisensory" || to.name == "romo":
			x = task.Frequency
		}
		pts, err := task.Psychometric(y, b, int(choice), x)
		if err != nil {
			return fail(stInvalid, "%v", err)
		}
		*points = C.int64_t(len(pts))
		if table == nil && tableLen == 0 {
			return nil // a size query
		}
		dst, err := outArray(table, tableLen, 3*len(pts), "table", true)
		if err != nil {
			return err
		}
		for k, p := range pts {
			dst[3*k], dst[3*k+1], dst[3*k+2] = p.X, float64(p.N), float64(p.K)
		}
		out, err := outArray(fit, fitLen, 4, "fit", false)
		if err != nil || out == nil {
			return err
		}
		g, err := task.FitCumGauss(pts)
		if err != nil {
			return fail(stNumeric, "cumulative-Gaussian fit: %v", err)
		}
		out[0], out[1], out[2], out[3] = g.Mu, g.Sigma, g.MuSE, g.SigmaSE
		return nil
	})
}
