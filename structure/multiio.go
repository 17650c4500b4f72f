// SPDX-License-Identifier: MIT

package structure

// MultiIOConfig configures MultiIO (nn4n's MultiIO): the inputs and outputs
// are split into groups of consecutive dimensions, and each group is wired
// to the hidden units its table row selects.
type MultiIOConfig struct {
	// I, N and O are the input, hidden and readout sizes. N ≥ 1.
	I, N, O int
	// InputDims lists the size of each input group, in order (nn4n's
	// input_dims); sizes are ≥ 1 and sum to I. nil means one group of I
	// dimensions (none when I = 0).
	InputDims []int
	// ReadoutDims lists the size of each readout group (nn4n's
	// readout_dims); sizes are ≥ 1 and sum to O. nil means one group of O.
	ReadoutDims []int
	// InputTable is len(InputDims)×N, row-major, of 0s and 1s (nn4n's
	// input_table): entry (g, u) is 1 when every input of group g reaches
	// hidden unit u. nil means all ones.
	InputTable []float64
	// ReadoutTable is len(ReadoutDims)×N, row-major, of 0s and 1s (nn4n's
	// readout_table): entry (g, u) is 1 when hidden unit u projects to every
	// output of group g. nil means all ones.
	ReadoutTable []float64
}

// DefaultMultiIO returns nn4n's defaults: one input group, one readout group,
// every group wired to every hidden unit.
func DefaultMultiIO(i, n, o int) MultiIOConfig {
	return MultiIOConfig{I: i, N: n, O: o}
}

// MultiIO builds the structure of MultiIOConfig. The hidden mask is all ones
// (as in nn4n) and no sign masks are set. MultiIO draws nothing at random. The
// structure has one area, "area_1", holding every unit.
//
// nn4n does not check that the tables hold only 0s and 1s (a TODO in its
// code); here any other value is an error.
func MultiIO(c MultiIOConfig) (*Structure, error) {
	if err := checkDims(c.I, c.N, c.O); err != nil {
		return nil, err
	}
	inDims, err := groupDims("input_dims", "input_dim", c.InputDims, c.I)
	if err != nil {
		return nil, err
	}
	outDims, err := groupDims("readout_dims", "readout_dim", c.ReadoutDims, c.O)
	if err != nil {
		return nil, err
	}
	inTable, err := groupTable("input_table", c.InputTable, len(inDims), c.N)
	if err != nil {
		return nil, err
	}
	outTable, err := groupTable("readout_table", c.ReadoutTable, len(outDims), c.N)
	if err != nil {
		return nil, err
	}

	n := c.N
	m := Masks{I: c.I, N: n, O: c.O,
		Input:   make([]float64, n*c.I),
		Hidden:  make([]float64, n*n),
		Readout: make([]float64, c.O*n),
	}
	for k := range m.Hidden {
		m.Hidden[k] = 1
	}
	col := 0
	for g, d := range inDims {
		for k := col; k < col+d; k++ {
			for u := 0; u < n; u++ {
				m.Input[u*c.I+k] = inTable[g*n+u]
			}
		}
		col += d
	}
	row := 0
	for g, d := range outDims {
		for o := row; o < row+d; o++ {
			copy(m.Readout[o*n:(o+1)*n], outTable[g*n:(g+1)*n])
		}
		row += d
	}
	return &Structure{Masks: m, names: []string{"area_1"}, units: [][]int{rangeIndices(0, n)}}, nil
}

func groupDims(param, dimParam string, dims []int, total int) ([]int, error) {
	if dims == nil {
		if total == 0 {
			return nil, nil
		}
		return []int{total}, nil
	}
	sum := 0
	for g, d := range dims {
		if d < 1 {
			return nil, paramErr(param, "group %d has size %d, want ≥ 1", g, d)
		}
		sum += d
	}
	if sum != total {
		return nil, paramErr(param, "group sizes sum to %d, want %s %d", sum, dimParam, total)
	}
	return dims, nil
}

func groupTable(param string, table []float64, groups, n int) ([]float64, error) {
	if table == nil {
		t := make([]float64, groups*n)
		for k := range t {
			t[k] = 1
		}
		return t, nil
	}
	if len(table) != groups*n {
		return nil, paramErr(param, "length %d, want groups×hidden_size = %d×%d = %d", len(table), groups, n, groups*n)
	}
	for k, v := range table {
		if v != 0 && v != 1 {
			return nil, paramErr(param, "entry (%d, %d) is %v, want 0 or 1", k/n, k%n, v)
		}
	}
	return table, nil
}
