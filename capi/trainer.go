// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"context"
	"errors"
	"math"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"

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

type trainerKey = keys.Key[trainerObj]

// result is the run's result so far (zero before the first run).
func (t *trainerObj) result() train.Result {
	if t.tr == nil {
		return train.Result{}
	}
	return t.tr.Result()
}

func (t *trainerObj) last() train.Record {
	res := t.result()
	if len(res.History) == 0 {
		return train.Record{}
	}
	return res.History[len(res.History)-1]
}

// protocolKey is an integer protocol setting, fixed once the run started.
func protocolKey(name, def, doc string, lo, hi float64, get func(*trainerObj) float64, set func(*trainerObj, float64)) trainerKey {
	return trainerKey{Name: name, Type: keys.F64, Default: def, Doc: doc, Lo: lo, Hi: hi, Int: true,
		Get: get,
		Set: func(t *trainerObj, v float64) error {
			if t.tr != nil {
				return errs.New(errs.State, "%s is fixed once the run has started", name)
			}
			set(t, v)
			return nil
		}}
}

func intKey(name, def, doc string, f func(*trainerObj) *int) trainerKey {
	return protocolKey(name, def, doc, 0, 1<<40, func(t *trainerObj) float64 { return float64(*f(t)) }, func(t *trainerObj, v float64) { *f(t) = int(v) })
}

func resultKey(name, doc string, get func(*trainerObj) float64) trainerKey {
	return trainerKey{Name: name, Type: keys.F64, ReadOnly: true, Default: "0", Doc: doc, Get: get}
}

// trainerKeys is the table of a trainer's settings and read-only results.
var trainerKeys = keys.Table[trainerObj]{Kind: "trainer", Keys: []trainerKey{
	intKey("minibatch", "0", "trials per update; 0 takes the task's", func(t *trainerObj) *int { return &t.p.Minibatch }),
	intKey("valid_every", "0", "training trials between validations; 0 means 10⁴", func(t *trainerObj) *int { return &t.p.ValidEvery }),
	intKey("n_validation", "0", "trials per validation; 0 takes the task's", func(t *trainerObj) *int { return &t.p.NValidation }),
	intKey("max_trials", "0", "bound on training trials; 0 means 10⁷", func(t *trainerObj) *int { return &t.p.MaxTrials }),
	{Name: "min_error", Type: keys.F64, Default: "0", Doc: "stop when the validation RMSE is ≤ it; 0 is off", Lo: 0, Hi: math.Inf(1),
		Get: func(t *trainerObj) float64 { return t.p.MinError },
		Set: func(t *trainerObj, v float64) error {
			if t.tr != nil {
				return errs.New(errs.State, "min_error is fixed once the run has started")
			}
			t.p.MinError = v
			return nil
		}},
	intKey("patience", "0", "validations without a new best before stopping; 0 means 100", func(t *trainerObj) *int { return &t.p.Patience }),
	protocolKey("seed", "0", "seed of the training minibatches (validation uses seed+1)", 0, maxSeed,
		func(t *trainerObj) float64 { return float64(t.seed) }, func(t *trainerObj, v float64) { t.seed = uint64(v) }),
	resultKey("finished", "1 once the run has ended", func(t *trainerObj) float64 { return boolf(t.finished) }),
	resultKey("converged", "1 if the run reached its target", func(t *trainerObj) float64 { return boolf(t.result().Converged) }),
	resultKey("trials", "training trials seen at the last validation", func(t *trainerObj) float64 { return float64(t.last().Trials) }),
	resultKey("updates", "optimizer steps at the last validation", func(t *trainerObj) float64 { return float64(t.last().Updates) }),
	resultKey("n_validations", "validations run", func(t *trainerObj) float64 { return float64(len(t.result().History)) }),
	{Name: "best_loss", Type: keys.F64, ReadOnly: true, Doc: "best validation loss (a state error before the first validation)",
		Read: func(t *trainerObj) (float64, error) {
			res := t.result()
			if len(res.History) == 0 {
				return 0, errs.New(errs.State, "no validation yet")
			}
			return res.Best.Loss, nil
		}},
	resultKey("elapsed", "seconds spent running", func(t *trainerObj) float64 { return t.result().Elapsed.Seconds() }),
	{Name: "reason", Type: keys.Str, ReadOnly: true, Doc: "why the run ended (\"\" while it runs)",
		GetStr: func(t *trainerObj) string { return t.result().Reason }},
}}

func (t *trainerObj) settings() (settings, error) { return bind(&trainerKeys, t), nil }

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
