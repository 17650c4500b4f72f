// SPDX-License-Identifier: MIT

package structure

import (
	"math"
	"slices"
)

// RandomInputConfig configures RandomInput (nn4n's RandomInput). The three
// fractions are densities, the share of units or synapses kept (nn4n calls
// them sparsities).
type RandomInputConfig struct {
	// I, N and O are the input, hidden and readout sizes. N ≥ 1.
	I, N, O int
	// InputSpar is the fraction of hidden units that receive every input
	// (nn4n's input_spar), in [0, 1]: exactly floor(InputSpar·N) units,
	// chosen uniformly.
	InputSpar float64
	// ReadoutSpar is the fraction of hidden units that project to every
	// output (nn4n's readout_spar), in [0, 1]: exactly floor(ReadoutSpar·N)
	// units.
	ReadoutSpar float64
	// HiddenSpar is the probability of each recurrent synapse (nn4n's
	// hidden_spar), in [0, 1].
	HiddenSpar float64
	// Overlap lets readout units be drawn from all units (nn4n's overlap);
	// false draws them from the units that receive no input, which requires
	// floor(InputSpar·N) + floor(ReadoutSpar·N) ≤ N.
	Overlap bool
	// Seed selects the random draws.
	Seed uint64
}

// DefaultRandomInput returns the defaults nn4n's code sets (every fraction 1,
// overlap allowed). nn4n stores them as Python ints and then rejects them in
// its own float check, so its RandomInput cannot be built with default
// arguments; here they work. (nn4n's docstring says 0.1 for the input and
// readout fractions; its code says 1.)
func DefaultRandomInput(i, n, o int) RandomInputConfig {
	return RandomInputConfig{I: i, N: n, O: o, InputSpar: 1, ReadoutSpar: 1, HiddenSpar: 1, Overlap: true}
}

// RandomInput builds a structure whose inputs reach a random subset of
// hidden units and whose outputs read another (possibly overlapping) random
// subset, with Bernoulli(HiddenSpar) recurrent synapses. It has two areas,
// "area_input" and "area_readout", holding those subsets in increasing order.
// No sign masks are set.
func RandomInput(c RandomInputConfig) (*Structure, error) {
	if err := checkDims(c.I, c.N, c.O); err != nil {
		return nil, err
	}
	if err := checkProb("input_spar", c.InputSpar); err != nil {
		return nil, err
	}
	if err := checkProb("readout_spar", c.ReadoutSpar); err != nil {
		return nil, err
	}
	if err := checkProb("hidden_spar", c.HiddenSpar); err != nil {
		return nil, err
	}
	n := c.N
	nIn := int(math.Floor(c.InputSpar * float64(n)))
	nOut := int(math.Floor(c.ReadoutSpar * float64(n)))
	if !c.Overlap && nIn+nOut > n {
		return nil, paramErr("overlap", "without overlap, floor(input_spar·N) + floor(readout_spar·N) = %d + %d must be ≤ hidden_size %d", nIn, nOut, n)
	}

	rng := newRNG(c.Seed)
	m := Masks{I: c.I, N: n, O: c.O,
		Input:   make([]float64, n*c.I),
		Hidden:  make([]float64, n*n),
		Readout: make([]float64, c.O*n),
	}
	for k := range m.Hidden {
		if rng.Float64() < c.HiddenSpar {
			m.Hidden[k] = 1
		}
	}
	perm := rng.Perm(n)
	inUnits := slices.Clone(perm[:nIn])
	var outUnits []int
	if c.Overlap {
		outUnits = slices.Clone(rng.Perm(n)[:nOut])
	} else {
		// perm[nIn:] holds the non-input units in uniformly random order.
		outUnits = slices.Clone(perm[nIn : nIn+nOut])
	}
	slices.Sort(inUnits)
	slices.Sort(outUnits)
	for _, u := range inUnits {
		for k := 0; k < c.I; k++ {
			m.Input[u*c.I+k] = 1
		}
	}
	for _, u := range outUnits {
		for o := 0; o < c.O; o++ {
			m.Readout[o*n+u] = 1
		}
	}
	return &Structure{
		Masks: m,
		names: []string{"area_input", "area_readout"},
		units: [][]int{inUnits, outUnits},
	}, nil
}
