// SPDX-License-Identifier: MIT

package train

import (
	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/structure"
	"github.com/nn4n/nn4n/task"
)

// PycogNetwork builds the network pycog trains on tk (examples/models/*.py
// of Song et al. 2016): N from the task's spec (or n > 0), α = dt/τ with
// τ = 100 ms, σ_rec = 0.15, x0 = 0.1 trained, pycog's initialisation, and
// for the Dale tasks 80 % excitatory units, the dense balanced Crec (the
// sparse one for romo) and a readout from excitatory units. rdm_nodale has
// no E/I; sinewave trains its biases with σ_rec = 0.05; multisensory routes
// the visual inputs to the first third of the E and I units and the
// auditory ones to the second third, and leaves its start cue unconnected,
// as pycog does.
func PycogNetwork(tk task.Task, n int, seed uint64, precision ctrnn.Precision) (*ctrnn.Model, *structure.Structure, error) {
	spec := tk.Spec()
	if n <= 0 {
		n = spec.N
	}
	in, out := tk.Dims()
	sc := structure.DefaultPycog(in, n, out)
	sc.ExcReadout = true
	cfg := ctrnn.Config{Init: ctrnn.InitPycog, Alpha: tk.Options().Dt / 100, RecNoise: 0.15, X0: 0.1, TrainX0: true,
		Precision: precision, Seed: seed}
	switch tk.Name() {
	case "rdm_nodale":
		sc.NoEI = true
	case "romo":
		sc.Sparse, sc.PExc, sc.PInh, sc.Seed = true, 0.1, 0.5, 1066
	case "sinewave":
		sc.ExcReadout = false
		cfg.RecNoise, cfg.TrainBiasRec, cfg.TrainBiasOut = 0.05, true, true
	}
	s, err := structure.Pycog(sc)
	if err != nil {
		return nil, nil, err
	}
	if tk.Name() == "multisensory" {
		multisensoryInputs(s, in)
	}
	if err := s.Configure(&cfg); err != nil {
		return nil, nil, err
	}
	m, err := ctrnn.New(cfg)
	return m, s, err
}

// multisensoryInputs sets pycog's Cin for multisensory: inputs (v+, a+, v−,
// a−, start); visual ones reach the first third of the excitatory and of
// the inhibitory units, auditory ones the second third, the start cue none.
func multisensoryInputs(s *structure.Structure, in int) {
	exc, inh := s.ExcitatoryIndices(), s.InhibitoryIndices()
	third := func(units []int, k int) []int { return units[k*len(units)/3 : (k+1)*len(units)/3] }
	for i := range s.Input {
		s.Input[i], s.InputSign[i] = 0, 0
	}
	for col, group := range []int{0, 1, 0, 1, -1} {
		if group < 0 || col >= in {
			continue
		}
		for _, units := range [][]int{third(exc, group), third(inh, group)} {
			for _, u := range units {
				s.Input[u*in+col], s.InputSign[u*in+col] = 1, 1
			}
		}
	}
}
