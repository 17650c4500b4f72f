// SPDX-License-Identifier: MIT

package structure

import "math"

// MultiAreaConfig configures MultiArea (nn4n's MultiArea): hidden units split
// into contiguous areas with Bernoulli connectivity between and within areas,
// inputs reaching every unit of the input areas and outputs reading every
// unit of the readout areas.
type MultiAreaConfig struct {
	// I, N and O are the input, hidden and readout sizes (nn4n's dims).
	// N ≥ 1; I and O may be 0.
	I, N, O int

	// NAreas is the number of areas of equal size (nn4n's n_areas as an int);
	// N must be divisible by it. It is ignored when AreaSizes is set, except
	// that a nonzero NAreas must then equal len(AreaSizes).
	NAreas int
	// AreaSizes lists the size of each area (nn4n's n_areas as a list); every
	// size is ≥ 1 and they sum to N.
	AreaSizes []int
	// AreaNames names the areas; nil gives "area_1", "area_2", …. Names are
	// distinct and non-empty.
	AreaNames []string

	// Connectivity gives the connection probability between areas (nn4n's
	// area_connectivities), each in [0, 1]:
	//   - [forward, backward]: forward for every block below the diagonal,
	//     backward for every block above it, 1 within areas;
	//   - [forward, backward, within]: the same with within-area probability;
	//   - a full NAreas×NAreas matrix, row-major (post, pre): entry a*NAreas+b
	//     is the probability of a synapse from area b onto area a.
	// With one area, a length-1 slice is the full matrix.
	Connectivity []float64

	// InputAreas lists the areas (by index) whose units receive every input;
	// nil means every area, an empty non-nil slice none.
	InputAreas []int
	// ReadoutAreas lists the areas whose units project to every output; nil
	// means every area, an empty non-nil slice none.
	ReadoutAreas []int

	// NoAutapses removes self-connections (the hidden mask's diagonal) after
	// drawing; nn4n keeps them.
	NoAutapses bool

	// Seed selects the random draws.
	Seed uint64
}

// DefaultMultiArea returns nn4n's defaults: two equal areas, forward and
// backward probability 0.1, dense within areas, every area an input and a
// readout area.
func DefaultMultiArea(i, n, o int) MultiAreaConfig {
	return MultiAreaConfig{I: i, N: n, O: o, NAreas: 2, Connectivity: []float64{0.1, 0.1}}
}

// areaLayout is a validated MultiAreaConfig.
type areaLayout struct {
	sizes   []int
	starts  []int
	names   []string
	prob    []float64 // nAreas×nAreas, (post, pre)
	inputs  []bool
	readout []bool
}

func (c *MultiAreaConfig) layout() (*areaLayout, error) {
	if err := checkDims(c.I, c.N, c.O); err != nil {
		return nil, err
	}
	var sizes []int
	switch {
	case c.AreaSizes != nil:
		if len(c.AreaSizes) == 0 {
			return nil, paramErr("n_areas", "list of area sizes is empty")
		}
		if c.NAreas != 0 && c.NAreas != len(c.AreaSizes) {
			return nil, paramErr("n_areas", "count %d disagrees with %d area sizes", c.NAreas, len(c.AreaSizes))
		}
		sum := 0
		for a, s := range c.AreaSizes {
			if s < 1 {
				return nil, paramErr("n_areas", "area %d has size %d, want ≥ 1", a, s)
			}
			sum += s
		}
		if sum != c.N {
			return nil, paramErr("n_areas", "area sizes sum to %d, want hidden_size %d", sum, c.N)
		}
		sizes = append(sizes, c.AreaSizes...)
	default:
		if c.NAreas < 1 {
			return nil, paramErr("n_areas", "must be ≥ 1, got %d", c.NAreas)
		}
		if c.N%c.NAreas != 0 {
			return nil, paramErr("n_areas", "hidden_size %d is not divisible by n_areas %d", c.N, c.NAreas)
		}
		sizes = make([]int, c.NAreas)
		for a := range sizes {
			sizes[a] = c.N / c.NAreas
		}
	}
	na := len(sizes)
	l := &areaLayout{sizes: sizes, starts: make([]int, na)}
	for a := 1; a < na; a++ {
		l.starts[a] = l.starts[a-1] + sizes[a-1]
	}

	if c.AreaNames == nil {
		l.names = defaultAreaNames(na)
	} else {
		if len(c.AreaNames) != na {
			return nil, paramErr("area_names", "length %d, want n_areas %d", len(c.AreaNames), na)
		}
		seen := map[string]bool{}
		for a, s := range c.AreaNames {
			if s == "" {
				return nil, paramErr("area_names", "name of area %d is empty", a)
			}
			if seen[s] {
				return nil, paramErr("area_names", "duplicate name %q", s)
			}
			seen[s] = true
		}
		l.names = append(l.names, c.AreaNames...)
	}

	for k, p := range c.Connectivity {
		if !(p >= 0 && p <= 1) {
			return nil, paramErr("area_connectivities", "entry %d must be in [0, 1], got %v", k, p)
		}
	}
	l.prob = make([]float64, na*na)
	switch n := len(c.Connectivity); {
	case n == na*na:
		copy(l.prob, c.Connectivity)
	case n == 2 || n == 3:
		within := 1.0
		if n == 3 {
			within = c.Connectivity[2]
		}
		for a := 0; a < na; a++ {
			for b := 0; b < na; b++ {
				switch {
				case a > b:
					l.prob[a*na+b] = c.Connectivity[0]
				case a < b:
					l.prob[a*na+b] = c.Connectivity[1]
				default:
					l.prob[a*na+b] = within
				}
			}
		}
	default:
		return nil, paramErr("area_connectivities", "length %d, want 2 ([forward, backward]), 3 ([forward, backward, within]) or n_areas² = %d", n, na*na)
	}

	var err error
	if l.inputs, err = areaSet("input_areas", c.InputAreas, na); err != nil {
		return nil, err
	}
	if l.readout, err = areaSet("readout_areas", c.ReadoutAreas, na); err != nil {
		return nil, err
	}
	return l, nil
}

func areaSet(param string, areas []int, na int) ([]bool, error) {
	set := make([]bool, na)
	if areas == nil {
		for a := range set {
			set[a] = true
		}
		return set, nil
	}
	for _, a := range areas {
		if a < 0 || a >= na {
			return nil, paramErr(param, "unknown area %d, want an index in [0, %d)", a, na)
		}
		if set[a] {
			return nil, paramErr(param, "area %d listed twice", a)
		}
		set[a] = true
	}
	return set, nil
}

// build draws the masks of a validated layout.
func (l *areaLayout) build(c *MultiAreaConfig) *Structure {
	n, na := c.N, len(l.sizes)
	m := Masks{I: c.I, N: n, O: c.O,
		Input:   make([]float64, n*c.I),
		Hidden:  make([]float64, n*n),
		Readout: make([]float64, c.O*n),
	}
	rng := newRNG(c.Seed)
	for a := 0; a < na; a++ {
		for b := 0; b < na; b++ {
			p := l.prob[a*na+b]
			if p == 0 {
				continue
			}
			for i := l.starts[a]; i < l.starts[a]+l.sizes[a]; i++ {
				row := m.Hidden[i*n:]
				for j := l.starts[b]; j < l.starts[b]+l.sizes[b]; j++ {
					if rng.Float64() < p {
						row[j] = 1
					}
				}
			}
		}
	}
	if c.NoAutapses {
		for i := 0; i < n; i++ {
			m.Hidden[i*n+i] = 0
		}
	}
	s := &Structure{names: l.names, units: make([][]int, na)}
	for a := 0; a < na; a++ {
		lo, hi := l.starts[a], l.starts[a]+l.sizes[a]
		s.units[a] = rangeIndices(lo, hi)
		if l.inputs[a] {
			for k := lo * c.I; k < hi*c.I; k++ {
				m.Input[k] = 1
			}
		}
		if l.readout[a] {
			for o := 0; o < c.O; o++ {
				for j := lo; j < hi; j++ {
					m.Readout[o*n+j] = 1
				}
			}
		}
	}
	s.Masks = m
	return s
}

// MultiArea builds a multi-area structure. Within each block (post area a,
// pre area b) every synapse exists independently with probability
// Connectivity[a][b]. No sign masks are set.
func MultiArea(c MultiAreaConfig) (*Structure, error) {
	l, err := c.layout()
	if err != nil {
		return nil, err
	}
	return l.build(&c), nil
}

// Synapse classes of MultiAreaEIConfig.InterArea, named presynaptic→postsynaptic.
const (
	ExcToExc = iota // excitatory onto excitatory
	ExcToInh        // excitatory onto inhibitory
	InhToExc        // inhibitory onto excitatory
	InhToInh        // inhibitory onto inhibitory
)

// MultiAreaEIConfig configures MultiAreaEI (nn4n's MultiAreaEI).
type MultiAreaEIConfig struct {
	MultiAreaConfig

	// ExcPct is the fraction of excitatory units (nn4n's exc_pct), in [0, 1]:
	// one value for every area or one per area. The first
	// floor(ExcPct·size) units of each area are excitatory, the rest
	// inhibitory.
	ExcPct []float64
	// InterArea keeps (true) or removes (false) the synapses between
	// different areas of each class, indexed by ExcToExc, ExcToInh, InhToExc,
	// InhToInh (nn4n's inter_area_connections). Within-area synapses are never
	// removed.
	InterArea [4]bool
	// InhReadout keeps the readout synapses of inhibitory units (nn4n's
	// inh_readout); false removes them.
	InhReadout bool
}

// DefaultMultiAreaEI returns nn4n's defaults: those of DefaultMultiArea,
// 80% excitatory units, every inter-area class kept, inhibitory readout kept.
func DefaultMultiAreaEI(i, n, o int) MultiAreaEIConfig {
	return MultiAreaEIConfig{
		MultiAreaConfig: DefaultMultiArea(i, n, o),
		ExcPct:          []float64{0.8},
		InterArea:       [4]bool{true, true, true, true},
		InhReadout:      true,
	}
}

// MultiAreaEI builds a multi-area structure with excitatory and inhibitory
// units. The sparsity masks are drawn as by MultiArea with the same seed,
// then the inter-area classes and the inhibitory readout are removed as
// configured. Sign masks follow Dale's law: recurrent and readout synapses
// take the sign of their presynaptic unit, input synapses are +1, and
// absent synapses are 0.
//
// nn4n multiplies its mask by −1 for inhibitory units and leaves absent
// synapses at 0, but its CTRNN then turns every non-positive entry into −1
// (inhibitory); here 0 always means "no synapse".
func MultiAreaEI(c MultiAreaEIConfig) (*Structure, error) {
	l, err := c.layout()
	if err != nil {
		return nil, err
	}
	na := len(l.sizes)
	var pct []float64
	switch len(c.ExcPct) {
	case 1:
		pct = make([]float64, na)
		for a := range pct {
			pct[a] = c.ExcPct[0]
		}
	case na:
		pct = c.ExcPct
	default:
		return nil, paramErr("exc_pct", "length %d, want 1 or n_areas = %d", len(c.ExcPct), na)
	}
	for a, p := range pct {
		if !(p >= 0 && p <= 1) {
			return nil, paramErr("exc_pct", "value for area %d must be in [0, 1], got %v", a, p)
		}
	}

	s := l.build(&c.MultiAreaConfig)
	m := &s.Masks
	n := m.N
	m.UnitSign = make([]float64, n)
	for a := 0; a < na; a++ {
		nExc := int(math.Floor(pct[a] * float64(l.sizes[a])))
		for k := 0; k < l.sizes[a]; k++ {
			m.UnitSign[l.starts[a]+k] = 1
			if k >= nExc {
				m.UnitSign[l.starts[a]+k] = -1
			}
		}
	}
	area := s.AreaOf()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if area[i] == area[j] {
				continue
			}
			if !c.InterArea[synapseClass(m.UnitSign[j], m.UnitSign[i])] {
				m.Hidden[i*n+j] = 0
			}
		}
	}
	if !c.InhReadout {
		for j := 0; j < n; j++ {
			if m.UnitSign[j] < 0 {
				for o := 0; o < m.O; o++ {
					m.Readout[o*n+j] = 0
				}
			}
		}
	}
	m.signMasks()
	return s, nil
}

// synapseClass returns ExcToExc … InhToInh for the given pre and post signs.
func synapseClass(pre, post float64) int {
	switch {
	case pre > 0 && post > 0:
		return ExcToExc
	case pre > 0:
		return ExcToInh
	case post > 0:
		return InhToExc
	default:
		return InhToInh
	}
}
