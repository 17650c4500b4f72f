// SPDX-License-Identifier: MIT

package bench

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
	"github.com/nn4n/nn4n/task"
	"github.com/nn4n/nn4n/train"
)

// rdmModel is rdm_dense's pycog network, as bench/rdm_ours.py builds it.
func rdmModel(b *testing.B, p ctrnn.Precision) (*ctrnn.Model, task.Task) {
	tk, err := task.New("rdm_dense", task.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	m, _, err := train.PycogNetwork(tk, 0, 101, p)
	if err != nil {
		b.Fatal(err)
	}
	return m, tk
}

// BenchmarkRDMUpdate: one update of pycog's protocol on rdm_dense (N = 100,
// minibatch 20): a fresh batch from the task, forward, Song-Yang objective
// with Ω, BPTT, SGD with clipping — the inner loop of the trainer.
func BenchmarkRDMUpdate(b *testing.B) {
	for _, p := range precisions {
		b.Run(p.String(), func(b *testing.B) {
			m, tk := rdmModel(b, p)
			rng := rand.New(rand.NewPCG(1, 2))
			obj, opt := loss.SongYang{}, optim.NewSGD()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bt, err := tk.Batch(rng, 20)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := m.TrainStep(train.Batch(bt), obj, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRDMTrainer: the protocol as nn4n.train.Trainer runs it, one
// validation interval per iteration (a validation on 1100 trials, then 500
// updates = 10⁴ trials).
func BenchmarkRDMTrainer(b *testing.B) {
	for _, p := range precisions {
		b.Run(p.String(), func(b *testing.B) {
			m, tk := rdmModel(b, p)
			tr, err := train.NewTrainer(m, train.Protocol{Task: tk, Seed: 101, MaxTrials: 1 << 40})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ { // one validation interval (10⁴ trials, 500 updates) per iteration
				if _, err := tr.Run(context.Background(), 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
