package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"context"
	"errors"
	"slices"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
	"github.com/nn4n/nn4n/task"
	"github.com/nn4n/nn4n/train"
)

// trainerObj is what a trainer handle holds. The train.Trainer is made at
// the first run, so that protocol keys can be set until then.
type trainerObj struct {
	model     C.uint64_t
	m         *ctrnn.Model
	task      task.Task
	objective ctrnn.Objective
	optimizer C.uint64_t      // 0: own
	own       optim.Optimizer // when optimizer is 0
	p         train.Protocol
	seed      uint64
	tr        *train.Trainer
	finished  bool
}

const historyColumns = C.NN4N_TRAINER_HISTORY_COLUMNS

var trainerKeys = []string{"minibatch", "valid_every", "n_validation", "max_trials", "min_error", "patience", "seed"}
var trainerReadKeys = []string{"finished", "converged", "trials", "updates", "n_validations", "best_loss", "elapsed"}

func (s *scope) trainer(h C.uint64_t) (*trainerObj, error) {
	e, err := s.acquire(h, kindTrainer)
	if err != nil {
		return nil, err
	}
	return e.obj.(*trainerObj), nil
}

//export nn4n_trainer_create
func nn4n_trainer_create(model, taskH, objective, optimizer C.uint64_t, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_create", func() error {
		if out == nil {
			return fail(stNull, "trainer (out) is NULL")
		}
		mo, err := s.model(model)
		if err != nil {
			return err
		}
		to, err := s.task(taskH)
		if err != nil {
			return err
		}
		t := &trainerObj{model: model, m: mo.m, task: to.t, optimizer: optimizer}
		if objective != 0 {
			if t.objective, err = s.objective(objective); err != nil {
				return err
			}
		} else {
			t.objective = loss.SongYang{}
		}
		if optimizer != 0 {
			if _, err := s.optimizer(optimizer); err != nil {
				return err
			}
		} else {
			t.own = optim.NewSGD()
		}
		i, _, o := mo.m.Dims()
		if ti, tout := to.t.Dims(); ti != i || tout != o {
			return fail(stShape, "task %s has %d inputs and %d outputs, the model %d and %d", to.name, ti, tout, i, o)
		}
		return putHandle(out, kindTrainer, t)
	})
}

//export nn4n_trainer_free
func nn4n_trainer_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_free", func() error { return free(h, kindTrainer) })
}

func (t *trainerObj) field(k string) *int {
	switch k {
	case "minibatch":
		return &t.p.Minibatch
	case "valid_every":
		return &t.p.ValidEvery
	case "n_validation":
		return &t.p.NValidation
	case "max_trials":
		return &t.p.MaxTrials
	case "patience":
		return &t.p.Patience
	}
	return nil
}

//export nn4n_trainer_set_f64
func nn4n_trainer_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_set_f64", func() error {
		t, k, err := keyed(s.trainer, h, key)
		if err != nil {
			return err
		}
		if !slices.Contains(trainerKeys, k) {
			if slices.Contains(trainerReadKeys, k) {
				return fail(stInvalid, "%s is read-only", k)
			}
			return unknownKey("trainer key", k, trainerKeys)
		}
		v := float64(value)
		if err := finite(v, k); err != nil {
			return err
		}
		if t.tr != nil {
			return fail(stState, "%s is fixed once the run has started", k)
		}
		switch k {
		case "min_error":
			if v < 0 {
				return fail(stInvalid, "min_error = %v, want ≥ 0", v)
			}
			t.p.MinError = v
		case "seed":
			n, err := integer(k, v, 0, maxSeed)
			if err != nil {
				return err
			}
			t.seed = uint64(n)
		default:
			n, err := integer(k, v, 0, 1<<40)
			if err != nil {
				return err
			}
			*t.field(k) = n
		}
		return nil
	})
}

//export nn4n_trainer_get_f64
func nn4n_trainer_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_get_f64", func() error {
		t, k, err := keyed(s.trainer, h, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		var res train.Result
		if t.tr != nil {
			res = t.tr.Result()
		}
		last := train.Record{}
		if len(res.History) > 0 {
			last = res.History[len(res.History)-1]
		}
		var v float64
		switch k {
		case "min_error":
			v = t.p.MinError
		case "seed":
			v = float64(t.seed)
		case "finished":
			v = boolf(t.finished)
		case "converged":
			v = boolf(res.Converged)
		case "trials":
			v = float64(last.Trials)
		case "updates":
			v = float64(last.Updates)
		case "n_validations":
			v = float64(len(res.History))
		case "best_loss":
			v = res.Best.Loss
			if len(res.History) == 0 {
				return fail(stState, "no validation yet")
			}
		case "elapsed":
			v = res.Elapsed.Seconds()
		default:
			f := t.field(k)
			if f == nil {
				return unknownKey("trainer key", k, append(slices.Clone(trainerKeys), trainerReadKeys...))
			}
			v = float64(*f)
		}
		*value = C.double(v)
		return nil
	})
}

//export nn4n_trainer_get_str
func nn4n_trainer_get_str(h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_get_str", func() error {
		t, k, err := keyed(s.trainer, h, key)
		if err != nil {
			return err
		}
		if k != "reason" {
			return unknownKey("trainer str key", k, []string{"reason"})
		}
		reason := ""
		if t.tr != nil {
			reason = t.tr.Result().Reason
		}
		return putString(reason, buf, n, needed)
	})
}

//export nn4n_trainer_run
func nn4n_trainer_run(h C.uint64_t, maxValidations C.int64_t, done *C.int32_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_run", func() error {
		if done != nil {
			*done = 0
		}
		t, err := s.trainer(h)
		if err != nil {
			return err
		}
		e := s.held[0]
		mo, err := s.model(t.model)
		if err != nil {
			return fail(stHandle, "the trainer's model: %v", err)
		}
		if mo.m != t.m {
			return fail(stHandle, "the trainer's model handle no longer holds its model")
		}
		opt := t.own
		if t.optimizer != 0 {
			if opt, err = s.optimizer(t.optimizer); err != nil {
				return fail(stHandle, "the trainer's optimizer: %v", err)
			}
		}
		if t.tr == nil {
			p := t.p
			p.Task, p.Objective, p.Optimizer, p.Seed = t.task, t.objective, opt, t.seed
			if t.tr, err = train.NewTrainer(t.m, p); err != nil {
				return err
			}
		}
		if t.finished {
			if done != nil {
				*done = 1
			}
			return nil
		}
		mv := int(max(int64(maxValidations), 0))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		e.stop.Store(&cancel)
		defer e.stop.Store(nil)
		if e.cancel.Load() {
			cancel()
		}
		fin, err := t.tr.Run(ctx, mv)
		if errors.Is(err, context.Canceled) {
			e.cancel.Store(false)
			return fail(stCancelled, "cancelled; call nn4n_trainer_run again to resume")
		}
		if err != nil {
			return err
		}
		t.finished = fin
		if done != nil && fin {
			*done = 1
		}
		return nil
	})
}

//export nn4n_trainer_cancel
func nn4n_trainer_cancel(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_cancel", func() error { return requestCancel(h, kindTrainer) })
}

//export nn4n_trainer_shape
func nn4n_trainer_shape(h C.uint64_t, key *C.nn4n_cchar, rows, cols *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_shape", func() error {
		t, k, err := keyed(s.trainer, h, key)
		if err != nil {
			return err
		}
		if k != "history" {
			return unknownKey("trainer array", k, []string{"history"})
		}
		if rows == nil || cols == nil {
			return fail(stNull, "rows or cols (out) is NULL")
		}
		*rows, *cols = C.int64_t(len(t.history())), historyColumns
		return nil
	})
}

func (t *trainerObj) history() []train.Record {
	if t.tr == nil {
		return nil
	}
	return t.tr.Result().History
}

//export nn4n_trainer_get_array
func nn4n_trainer_get_array(h C.uint64_t, key *C.nn4n_cchar, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_trainer_get_array", func() error {
		t, k, err := keyed(s.trainer, h, key)
		if err != nil {
			return err
		}
		if k != "history" {
			return unknownKey("trainer array", k, []string{"history"})
		}
		hist := t.history()
		dst, err := outArray(out, n, len(hist)*historyColumns, "out", true)
		if err != nil {
			return err
		}
		for j, r := range hist {
			row := dst[j*historyColumns : (j+1)*historyColumns]
			row[0], row[1], row[2], row[3] = float64(r.Trials), float64(r.Updates), r.Loss, r.RMSE
			row[4], row[5], row[6] = r.Perf, boolf(r.Best), r.Elapsed.Seconds()
		}
		return nil
	})
}
