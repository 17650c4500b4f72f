// SPDX-License-Identifier: MIT

package structure

import "math"

// PycogEI returns pycog's E/I assignment of n units (generate_ei): the first
// floor(pExc·n) units are excitatory (+1), the rest inhibitory (−1).
// pycog's default pExc is 0.8.
func PycogEI(n int, pExc float64) ([]float64, error) {
	if n < 1 {
		return nil, paramErr("N", "must be ≥ 1, got %d", n)
	}
	if err := checkProb("pE", pExc); err != nil {
		return nil, err
	}
	nExc := int(math.Floor(pExc * float64(n)))
	ei := make([]float64, n)
	for i := range ei {
		ei[i] = -1
		if i < nExc {
			ei[i] = 1
		}
	}
	return ei, nil
}

func checkEI(ei []float64) error {
	if len(ei) == 0 {
		return paramErr("ei", "is empty, want one sign per unit")
	}
	for i, s := range ei {
		if s != 1 && s != -1 {
			return paramErr("ei", "entry %d is %v, want +1 or -1", i, s)
		}
	}
	return nil
}

// BalancedCrec returns pycog's default recurrent connectivity for the E/I
// assignment ei, N×N (post, pre): every unit receives every other unit (no
// autapses); in each row the excitatory entries are 1 and the inhibitory
// entries nE/nI, where nE and nI count that row's excitatory and inhibitory
// inputs, so excitatory and inhibitory inputs sum to the same value; then
// each row is scaled to unit Euclidean norm.
//
// pycog divides by zero in a row with no inhibitory input (one inhibitory
// unit, or none) and fills it with NaN; here such a row keeps its
// excitatory entries and has no inhibitory ones. A row with no input at all
// (N = 1) stays zero.
func BalancedCrec(ei []float64) ([]float64, error) {
	if err := checkEI(ei); err != nil {
		return nil, err
	}
	n := len(ei)
	c := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				c[i*n+j] = 1
			}
		}
	}
	balanceRows(c, ei)
	return c, nil
}

// SparseCrec returns pycog's sparse recurrent connectivity (generate_Crec)
// for the E/I assignment ei, N×N (post, pre): each synapse from an
// excitatory unit exists with probability pExc, from an inhibitory unit with
// probability pInh; autapses are removed unless allowSelf; then each row is
// balanced and normalised as in BalancedCrec. A row that draws no excitatory
// input has its inhibitory inputs removed too (their balance factor is 0, as
// in pycog); a row that draws no inhibitory input keeps its excitatory ones
// (pycog produces NaN there). The nonzero entries are the synapses.
func SparseCrec(ei []float64, pExc, pInh float64, allowSelf bool, seed uint64) ([]float64, error) {
	if err := checkEI(ei); err != nil {
		return nil, err
	}
	if err := checkProb("p_exc", pExc); err != nil {
		return nil, err
	}
	if err := checkProb("p_inh", pInh); err != nil {
		return nil, err
	}
	n := len(ei)
	c := make([]float64, n*n)
	rng := newRNG(seed)
	for i := 0; i < n; i++ {
		row := c[i*n : (i+1)*n]
		for j, s := range ei {
			if s > 0 && rng.Float64() < pExc {
				row[j] = 1
			}
		}
		for j, s := range ei {
			if s < 0 && rng.Float64() < pInh {
				row[j] = 1
			}
		}
		if !allowSelf {
			row[i] = 0
		}
	}
	balanceRows(c, ei)
	return c, nil
}

// balanceRows scales the inhibitory entries of each row of the 0/1 matrix c
// by (Σ excitatory)/(Σ inhibitory) and then normalises the row.
func balanceRows(c, ei []float64) {
	n := len(ei)
	for i := 0; i < n; i++ {
		row := c[i*n : (i+1)*n]
		var sE, sI float64
		for j, s := range ei {
			if s > 0 {
				sE += row[j]
			} else {
				sI += row[j]
			}
		}
		if sI > 0 {
			f := sE / sI
			for j, s := range ei {
				if s < 0 {
					row[j] *= f
				}
			}
		}
		var ss float64
		for _, v := range row {
			ss += v * v
		}
		if ss > 0 {
			norm := math.Sqrt(ss)
			for j := range row {
				row[j] /= norm
			}
		}
	}
}

// PycogConfig configures Pycog: the structure pycog's Trainer builds when
// given N units, an E/I assignment and (optionally) a sparse Crec.
type PycogConfig struct {
	// I, N and O are the input, hidden and readout sizes. N ≥ 1.
	I, N, O int
	// NoEI builds pycog's structure without Dale's law: all-to-all recurrent
	// connectivity without autapses and no sign masks. Sparse must be false.
	NoEI bool
	// ExcFrac is the fraction of excitatory units (pycog's pE), in [0, 1].
	ExcFrac float64
	// Sparse selects SparseCrec(PExc, PInh, AllowSelf, Seed) instead of
	// BalancedCrec.
	Sparse bool
	// PExc and PInh are the probabilities of a synapse from an excitatory and
	// from an inhibitory unit (pycog's p_exc, p_inh), used when Sparse.
	PExc, PInh float64
	// AllowSelf keeps autapses in the sparse Crec.
	AllowSelf bool
	// Seed selects the random draws of the sparse Crec.
	Seed uint64
	// ExcReadout restricts the readout to excitatory units, as every Dale
	// example of pycog does (Cout = E units). Ignored with NoEI.
	ExcReadout bool
}

// DefaultPycog returns pycog's defaults: 80% excitatory units and the dense
// balanced Crec (PExc and PInh are set to 1, generate_Crec's defaults).
func DefaultPycog(i, n, o int) PycogConfig {
	return PycogConfig{I: i, N: n, O: o, ExcFrac: 0.8, PExc: 1, PInh: 1}
}

// Pycog builds pycog's default structure: every input reaches every unit,
// every unit projects to every output, and the recurrent connectivity is
// Crec (BalancedCrec or SparseCrec), whose values are returned in
// HiddenScale and whose nonzeros form the hidden mask. With E/I units the
// sign masks follow pycog's Dale's law: inputs +1, recurrent and readout
// synapses the sign of their presynaptic unit (pycog multiplies W_out by ei
// too, so inhibitory units read out negatively). The structure has one
// area, "area_1", holding every unit.
func Pycog(c PycogConfig) (*Structure, error) {
	if err := checkDims(c.I, c.N, c.O); err != nil {
		return nil, err
	}
	n := c.N
	m := Masks{I: c.I, N: n, O: c.O,
		Input:   ones(n * c.I),
		Hidden:  make([]float64, n*n),
		Readout: ones(c.O * n),
	}
	if c.NoEI {
		if c.Sparse {
			return nil, paramErr("Crec", "the sparse Crec needs E/I units; NoEI and Sparse exclude each other")
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if i != j {
					m.Hidden[i*n+j] = 1
				}
			}
		}
	} else {
		ei, err := PycogEI(n, c.ExcFrac)
		if err != nil {
			return nil, err
		}
		var crec []float64
		if c.Sparse {
			crec, err = SparseCrec(ei, c.PExc, c.PInh, c.AllowSelf, c.Seed)
		} else {
			crec, err = BalancedCrec(ei)
		}
		if err != nil {
			return nil, err
		}
		for k, v := range crec {
			if v != 0 {
				m.Hidden[k] = 1
			}
		}
		m.HiddenScale = crec
		m.UnitSign = ei
		if c.ExcReadout {
			for k := range m.Readout {
				if ei[k%n] < 0 {
					m.Readout[k] = 0
				}
			}
		}
		m.signMasks()
	}
	return &Structure{Masks: m, names: []string{"area_1"}, units: [][]int{rangeIndices(0, n)}}, nil
}

func ones(n int) []float64 {
	x := make([]float64, n)
	for k := range x {
		x[k] = 1
	}
	return x
}
