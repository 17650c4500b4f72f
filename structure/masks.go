// SPDX-License-Identifier: MIT

package structure

import (
	"math/rand/v2"
	"strconv"
)

// pcgStream is the second PCG word; the seed is the first.
const pcgStream = 0x6e6e346e5f6d736b // "nn4n_msk"

func newRNG(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, pcgStream))
}

// Masks holds the connectivity constraints of a network with I inputs,
// N hidden units and O outputs. Every matrix has the shape of the weight it
// applies to, (post, pre), row-major.
//
// Input (N×I), Hidden (N×N) and Readout (O×N) are sparsity masks: 1 where a
// synapse exists, 0 where the weight is held at exactly 0.
//
// InputSign, HiddenSign and ReadoutSign are Dale's-law sign masks of the same
// shapes: +1 for an excitatory synapse, −1 for an inhibitory one and 0 where
// there is no synapse (a zero is never read as inhibitory). UnitSign holds the
// sign of each hidden unit's outgoing synapses (+1 excitatory, −1
// inhibitory), length N. The four are nil when the structure has no E/I
// constraint.
//
// HiddenScale is nil except for pycog structures, where it holds the
// recurrent connectivity Crec: nonzero exactly where Hidden is 1, with values
// pycog uses to scale the initial recurrent weights.
type Masks struct {
	I, N, O int

	Input   []float64
	Hidden  []float64
	Readout []float64

	InputSign   []float64
	HiddenSign  []float64
	ReadoutSign []float64
	UnitSign    []float64

	HiddenScale []float64
}

// HasSigns reports whether m carries Dale's-law sign masks.
func (m *Masks) HasSigns() bool { return m.UnitSign != nil }

// Validate checks that every mask has its documented shape and values:
// sparsity masks hold only 0 and 1; sign masks, when present, hold only −1,
// 0 and +1 and are nonzero exactly where the sparsity mask is 1; UnitSign
// holds only ±1; HiddenScale, when present, is nonzero exactly where Hidden
// is 1.
func (m *Masks) Validate() error {
	if err := checkDims(m.I, m.N, m.O); err != nil {
		return err
	}
	type pair struct {
		name, signName string
		mask, sign     []float64
		n              int
	}
	pairs := []pair{
		{"input_mask", "input_sign", m.Input, m.InputSign, m.N * m.I},
		{"hidden_mask", "hidden_sign", m.Hidden, m.HiddenSign, m.N * m.N},
		{"readout_mask", "readout_sign", m.Readout, m.ReadoutSign, m.O * m.N},
	}
	signed := m.UnitSign != nil || m.InputSign != nil || m.HiddenSign != nil || m.ReadoutSign != nil
	for _, p := range pairs {
		if len(p.mask) != p.n {
			return paramErr(p.name, "length %d, want %d", len(p.mask), p.n)
		}
		for k, v := range p.mask {
			if v != 0 && v != 1 {
				return paramErr(p.name, "entry %d is %v, want 0 or 1", k, v)
			}
		}
		if !signed {
			continue
		}
		if len(p.sign) != p.n {
			return paramErr(p.signName, "length %d, want %d", len(p.sign), p.n)
		}
		for k, s := range p.sign {
			if s != -1 && s != 0 && s != 1 {
				return paramErr(p.signName, "entry %d is %v, want -1, 0 or +1", k, s)
			}
			if (s != 0) != (p.mask[k] != 0) {
				return paramErr(p.signName, "entry %d is %v where %s is %v: a sign must be nonzero exactly where a synapse exists", k, s, p.name, p.mask[k])
			}
		}
	}
	if signed {
		if len(m.UnitSign) != m.N {
			return paramErr("unit_sign", "length %d, want %d", len(m.UnitSign), m.N)
		}
		for k, s := range m.UnitSign {
			if s != 1 && s != -1 {
				return paramErr("unit_sign", "entry %d is %v, want +1 or -1", k, s)
			}
		}
	}
	if m.HiddenScale != nil {
		if len(m.HiddenScale) != m.N*m.N {
			return paramErr("hidden_scale", "length %d, want %d", len(m.HiddenScale), m.N*m.N)
		}
		for k, v := range m.HiddenScale {
			if (v != 0) != (m.Hidden[k] != 0) {
				return paramErr("hidden_scale", "entry %d is %v where hidden_mask is %v", k, v, m.Hidden[k])
			}
		}
	}
	return nil
}

// InputIndices returns, in increasing order, the hidden units that receive
// at least one input synapse.
func (m *Masks) InputIndices() []int {
	var idx []int
	for i := 0; i < m.N; i++ {
		if anyNonzero(m.Input[i*m.I : (i+1)*m.I]) {
			idx = append(idx, i)
		}
	}
	return idx
}

// NonInputIndices returns, in increasing order, the hidden units that receive
// no input synapse.
func (m *Masks) NonInputIndices() []int {
	var idx []int
	for i := 0; i < m.N; i++ {
		if !anyNonzero(m.Input[i*m.I : (i+1)*m.I]) {
			idx = append(idx, i)
		}
	}
	return idx
}

// ReadoutIndices returns, in increasing order, the hidden units that project
// to at least one output.
func (m *Masks) ReadoutIndices() []int {
	var idx []int
	for j := 0; j < m.N; j++ {
		for o := 0; o < m.O; o++ {
			if m.Readout[o*m.N+j] != 0 {
				idx = append(idx, j)
				break
			}
		}
	}
	return idx
}

// ExcitatoryIndices returns the units with UnitSign +1 (nil without signs).
func (m *Masks) ExcitatoryIndices() []int { return m.signIndices(1) }

// InhibitoryIndices returns the units with UnitSign −1 (nil without signs).
func (m *Masks) InhibitoryIndices() []int { return m.signIndices(-1) }

func (m *Masks) signIndices(s float64) []int {
	var idx []int
	for i, v := range m.UnitSign {
		if v == s {
			idx = append(idx, i)
		}
	}
	return idx
}

func anyNonzero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return true
		}
	}
	return false
}

// Structure is a generator's result: the masks and the named areas of the
// hidden units. Areas may overlap (RandomInput) and need not cover every unit;
// MultiIO and pycog structures have a single area holding every unit.
type Structure struct {
	Masks

	names []string
	units [][]int
}

// NAreas returns the number of areas.
func (s *Structure) NAreas() int { return len(s.names) }

// Areas returns the area names, in area order.
func (s *Structure) Areas() []string { return append([]string(nil), s.names...) }

// AreaIndices returns the hidden units of area a (numbered from 0), in
// increasing order.
func (s *Structure) AreaIndices(a int) ([]int, error) {
	if a < 0 || a >= len(s.units) {
		return nil, paramErr("area", "index %d out of range [0, %d)", a, len(s.units))
	}
	return append([]int(nil), s.units[a]...), nil
}

// AreaIndicesByName returns the hidden units of the area called name.
func (s *Structure) AreaIndicesByName(name string) ([]int, error) {
	for a, n := range s.names {
		if n == name {
			return s.AreaIndices(a)
		}
	}
	return nil, paramErr("area", "unknown area %q (areas: %v)", name, s.names)
}

// AreaOf returns, for each hidden unit, the index of the first area that
// holds it, or −1 for a unit in no area.
func (s *Structure) AreaOf() []int {
	of := make([]int, s.N)
	for i := range of {
		of[i] = -1
	}
	for a := len(s.units) - 1; a >= 0; a-- {
		for _, u := range s.units[a] {
			of[u] = a
		}
	}
	return of
}

func defaultAreaNames(n int) []string {
	names := make([]string, n)
	for a := range names {
		names[a] = "area_" + strconv.Itoa(a+1)
	}
	return names
}

func rangeIndices(lo, hi int) []int {
	idx := make([]int, hi-lo)
	for k := range idx {
		idx[k] = lo + k
	}
	return idx
}

// signMasks fills the sign masks of m from UnitSign: input synapses are
// excitatory, recurrent and readout synapses take the sign of their
// presynaptic unit.
func (m *Masks) signMasks() {
	m.InputSign = append([]float64(nil), m.Input...)
	m.HiddenSign = make([]float64, m.N*m.N)
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			m.HiddenSign[i*m.N+j] = m.Hidden[i*m.N+j] * m.UnitSign[j]
		}
	}
	m.ReadoutSign = make([]float64, m.O*m.N)
	for o := 0; o < m.O; o++ {
		for j := 0; j < m.N; j++ {
			m.ReadoutSign[o*m.N+j] = m.Readout[o*m.N+j] * m.UnitSign[j]
		}
	}
}
