// SPDX-License-Identifier: MIT

package structure

import (
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
)

// TestMultiAreaEITrainsKeepingMasks builds a three-area E/I network from
// MultiAreaEI, trains it with the Song-Yang objective in every Dale mode,
// and checks after every step that each absent synapse is exactly 0 and
// each effective weight has its presynaptic unit's sign; the loss must fall.
func TestMultiAreaEITrainsKeepingMasks(t *testing.T) {
	c := DefaultMultiAreaEI(2, 30, 2)
	c.NAreas = 3
	c.Connectivity = []float64{0.3, 0.1, 0.8}
	c.InputAreas, c.ReadoutAreas = []int{0}, []int{2}
	c.Seed = 12
	s, err := MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, dale := range []ctrnn.DaleMode{ctrnn.Rectify, ctrnn.Abs, ctrnn.Clip} {
		cfg := ctrnn.Config{Dale: dale, Init: ctrnn.InitPycog, Alpha: 0.2, RecNoise: 0.05, Seed: 3}
		if err := s.Configure(&cfg); err != nil {
			t.Fatal(err)
		}
		m, err := ctrnn.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		b := &ctrnn.Batch{B: 8, T: 20, Input: make([]float64, 8*20*2), Target: make([]float64, 8*20*2)}
		for k := 0; k < 8; k++ {
			hi := k % 2
			for t := 0; t < 20; t++ {
				b.Input[(k*20+t)*2+hi] = 0.5 + 0.5*rng.Float64()
				b.Target[(k*20+t)*2+hi] = 1
			}
		}
		opt := optim.NewAdam()
		opt.LR = 0.01
		var first, last float64
		for step := 0; step < 150; step++ {
			terms, err := m.TrainStep(b, loss.SongYang{}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if step == 0 {
				first = terms[0].Value
			}
			last = terms[0].Value
			for _, w := range []struct{ eff, mask, sign []float64 }{
				{arr(t, m, "w_in_eff"), s.Input, s.InputSign},
				{arr(t, m, "w_rec_eff"), s.Hidden, s.HiddenSign},
				{arr(t, m, "w_out_eff"), s.Readout, s.ReadoutSign},
			} {
				for i, v := range w.eff {
					if w.mask[i] == 0 && v != 0 || w.sign[i] > 0 && v < 0 || w.sign[i] < 0 && v > 0 {
						t.Fatalf("%v step %d: entry %d = %v breaks mask %v / sign %v", dale, step, i, v, w.mask[i], w.sign[i])
					}
				}
			}
		}
		if !(last < 0.5*first) {
			t.Errorf("%v: loss went from %v to %v, want a fall by half", dale, first, last)
		}
	}
}

func arr(t *testing.T, m *ctrnn.Model, name string) []float64 {
	t.Helper()
	v, err := m.Array(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPycogExcReadout checks that ExcReadout leaves exactly the excitatory
// units in the readout mask, positively signed.
func TestPycogExcReadout(t *testing.T) {
	c := DefaultPycog(2, 10, 2)
	c.ExcReadout = true
	s, err := Pycog(c)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range s.Readout {
		exc := k%10 < 8
		if exc && (v != 1 || s.ReadoutSign[k] != 1) || !exc && (v != 0 || s.ReadoutSign[k] != 0) {
			t.Fatalf("readout entry %d (unit %d): mask %v sign %v", k, k%10, v, s.ReadoutSign[k])
		}
	}
}
