package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"slices"

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

var taskOptionKeys = []string{"dt", "baseline", "tau_in", "sigma_in", "test"}
var taskReadKeys = []string{"inputs", "outputs", "n_units", "minibatch", "n_validation", "catch_prob", "threshold", "n_conditions", "steps"}
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
		if !slices.Contains(task.Names(), n) {
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

//export nn4n_task_set_f64
func nn4n_task_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run("nn4n_task_set_f64", func() error {
		to, k, err := keyed(s.task, h, key)
		if err != nil {
			return err
		}
		if !slices.Contains(taskOptionKeys, k) {
			if slices.Contains(taskReadKeys, k) {
				return fail(stInvalid, "%s is read-only", k)
			}
			return unknownKey("task option", k, taskOptionKeys)
		}
		v := float64(value)
		if err := finite(v, k); err != nil {
			return err
		}
		opt := to.opt
		switch k {
		case "dt":
			opt.Dt = v
		case "baseline":
			opt.Baseline = v
		case "tau_in":
			opt.TauIn = v
		case "sigma_in":
			opt.SigmaIn = v
		case "test":
			if opt.Test, err = flag(k, v); err != nil {
				return err
			}
		}
		t, err := task.New(to.name, opt)
		if err != nil {
			return err
		}
		to.opt, to.t, to.batch = opt, t, nil
		return nil
	})
}

//export nn4n_task_get_f64
func nn4n_task_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_task_get_f64", func() error {
		to, k, err := keyed(s.task, h, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		spec := to.t.Spec()
		in, out := to.t.Dims()
		var v float64
		switch k {
		case "dt":
			v = to.opt.Dt
		case "baseline":
			v = to.opt.Baseline
		case "tau_in":
			v = to.opt.TauIn
		case "sigma_in":
			v = to.opt.SigmaIn
		case "test":
			v = boolf(to.opt.Test)
		case "inputs":
			v = float64(in)
		case "outputs":
			v = float64(out)
		case "n_units":
			v = float64(spec.N)
		case "minibatch":
			v = float64(spec.Minibatch)
		case "n_validation":
			v = float64(spec.NValidation)
		case "catch_prob":
			v = spec.CatchProb
		case "threshold":
			v = spec.Threshold
		case "n_conditions":
			v = float64(len(to.t.Conditions()))
		case "steps":
			if to.batch == nil {
				return fail(stState, "no sample: call nn4n_task_sample first")
			}
			v = float64(to.batch.T)
		default:
			return unknownKey("task key", k, append(slices.Clone(taskOptionKeys), taskReadKeys...))
		}
		*value = C.double(v)
		return nil
	})
}

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
