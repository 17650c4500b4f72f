// SPDX-License-Identifier: MIT

package train

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/nn4n/nn4n/ctrnn"
)

// checkpoint is the trainer's state beside a model file, as JSON.
type checkpoint struct {
	Format     string      `json:"format"`
	Task       string      `json:"task"`
	Seed       uint64      `json:"seed"`
	Trials     int         `json:"trials"`
	Updates    int         `json:"updates"`
	SinceBest  int         `json:"since_best"`
	NextCheck  int         `json:"next_check"`
	BestLoss   *float64    `json:"best_loss"` // nil before the first validation
	Spent      float64     `json:"spent_seconds"`
	History    []Record    `json:"history"`
	Best       Record      `json:"best"`
	BestParams [][]float64 `json:"best_params"`
	TrainRNG   []byte      `json:"train_rng"`
	ValidRNG   []byte      `json:"valid_rng"`
}

const checkpointFormat = "nn4n-trainer-1"

// CheckpointPath is where Checkpoint puts the trainer's state for a model
// file: beside it, with ".trainer.json" appended.
func CheckpointPath(model string) string { return model + ".trainer.json" }

// Checkpoint saves the run so that Resume continues it exactly: the model
// (current parameters and generator) to path, and the trainer's counters,
// history, best parameters and generators to CheckpointPath(path). Both
// files are written atomically. The optimiser's own state is not saved, so
// the continuation is exact for SGD (pycog's optimiser) and restarts Adam's
// moments.
func (tr *Trainer) Checkpoint(path string) error {
	trainRNG, err := tr.trainPCG.MarshalBinary()
	if err != nil {
		return err
	}
	validRNG, err := tr.validPCG.MarshalBinary()
	if err != nil {
		return err
	}
	c := checkpoint{Format: checkpointFormat, Task: tr.p.Task.Name(), Seed: tr.p.Seed,
		Trials: tr.trials, Updates: tr.updates, SinceBest: tr.sinceBest, NextCheck: tr.nextCheck,
		Spent: tr.spent.Seconds(), History: tr.res.History, Best: tr.res.Best, BestParams: tr.best,
		TrainRNG: trainRNG, ValidRNG: validRNG}
	if !math.IsInf(tr.bestLoss, 1) {
		c.BestLoss = &tr.bestLoss
	}
	js, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := tr.m.Save(path); err != nil {
		return err
	}
	return writeAtomic(CheckpointPath(path), js)
}

// Resume loads a model and its trainer state saved by Checkpoint and
// returns a trainer that continues the run with protocol p (whose task and
// seed must be those of the saved run).
func Resume(path string, p Protocol) (*Trainer, error) {
	m, err := ctrnn.Load(path)
	if err != nil {
		return nil, err
	}
	js, err := os.ReadFile(CheckpointPath(path))
	if err != nil {
		return nil, fmt.Errorf("train: %v", err)
	}
	var c checkpoint
	if err := json.Unmarshal(js, &c); err != nil {
		return nil, fmt.Errorf("train: %s: %v", CheckpointPath(path), err)
	}
	if c.Format != checkpointFormat {
		return nil, fmt.Errorf("train: %s is not a trainer checkpoint (format %q)", CheckpointPath(path), c.Format)
	}
	tr, err := NewTrainer(m, p)
	if err != nil {
		return nil, err
	}
	if c.Task != p.Task.Name() || c.Seed != p.Seed {
		return nil, fmt.Errorf("train: checkpoint is of task %s seed %d, the protocol has %s seed %d", c.Task, c.Seed, p.Task.Name(), p.Seed)
	}
	if len(c.BestParams) != len(tr.best) {
		return nil, fmt.Errorf("train: checkpoint has %d best parameter arrays, the model %d", len(c.BestParams), len(tr.best))
	}
	for k := range c.BestParams {
		if len(c.BestParams[k]) != len(tr.best[k]) {
			return nil, fmt.Errorf("train: checkpoint's best parameter %d has %d values, the model %d", k, len(c.BestParams[k]), len(tr.best[k]))
		}
	}
	if err := tr.trainPCG.UnmarshalBinary(c.TrainRNG); err != nil {
		return nil, fmt.Errorf("train: minibatch generator state: %v", err)
	}
	if err := tr.validPCG.UnmarshalBinary(c.ValidRNG); err != nil {
		return nil, fmt.Errorf("train: validation generator state: %v", err)
	}
	tr.trials, tr.updates, tr.sinceBest, tr.nextCheck = c.Trials, c.Updates, c.SinceBest, c.NextCheck
	if c.BestLoss != nil {
		tr.bestLoss = *c.BestLoss
	}
	tr.spent = time.Duration(c.Spent * float64(time.Second))
	tr.res.History, tr.res.Best, tr.best = c.History, c.Best, c.BestParams
	for _, r := range c.History {
		tr.perfs = append(tr.perfs, r.Perf)
	}
	return tr, nil
}

// Model returns the model the trainer trains.
func (tr *Trainer) Model() *ctrnn.Model { return tr.m }

// writeAtomic writes data to a temporary file beside path and renames it.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
