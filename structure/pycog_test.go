// SPDX-License-Identifier: MIT

package structure

import (
	"math"
	"slices"
	"testing"
)

func TestPycogEI(t *testing.T) {
	for _, tc := range []struct {
		n    int
		p    float64
		nExc int
	}{{10, 0.8, 8}, {5, 0.8, 4}, {7, 0.8, 5}, {150, 0.8, 120}, {3, 0, 0}, {3, 1, 3}, {13, 0.3, 3}} {
		ei, err := PycogEI(tc.n, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range ei {
			if want := map[bool]float64{true: 1, false: -1}[i < tc.nExc]; s != want {
				t.Errorf("PycogEI(%d, %v)[%d] = %v, want %v", tc.n, tc.p, i, s, want)
			}
		}
		if len(ei) != tc.n {
			t.Errorf("PycogEI(%d, %v) has length %d", tc.n, tc.p, len(ei))
		}
	}
}

// checkBalanced asserts pycog's balance: in each row, all excitatory entries
// are equal, all inhibitory entries are equal, the excitatory and inhibitory
// sums are equal, and the row has unit norm. It returns the number of rows
// that have both kinds of input.
func checkBalanced(t *testing.T, c, ei []float64) int {
	t.Helper()
	n := len(ei)
	both := 0
	for i := range n {
		row := c[i*n : (i+1)*n]
		var sE, sI, ss, vE, vI float64
		for j, v := range row {
			if v < 0 || math.IsNaN(v) {
				t.Fatalf("entry (%d, %d) = %v", i, j, v)
			}
			if v == 0 {
				continue
			}
			ss += v * v
			if ei[j] > 0 {
				if vE != 0 && v != vE {
					t.Fatalf("row %d: unequal excitatory entries %v, %v", i, vE, v)
				}
				vE = v
				sE += v
			} else {
				if vI != 0 && math.Abs(v-vI) > 1e-15 {
					t.Fatalf("row %d: unequal inhibitory entries %v, %v", i, vI, v)
				}
				vI = v
				sI += v
			}
		}
		if sE > 0 && sI > 0 {
			both++
			if math.Abs(sE-sI) > 1e-12*sE {
				t.Errorf("row %d: excitatory sum %v, inhibitory sum %v", i, sE, sI)
			}
		}
		if ss > 0 && math.Abs(ss-1) > 1e-12 {
			t.Errorf("row %d: squared norm %v", i, ss)
		}
	}
	return both
}

func TestBalancedCrec(t *testing.T) {
	ei, _ := PycogEI(10, 0.8)
	c, err := BalancedCrec(ei)
	if err != nil {
		t.Fatal(err)
	}
	if checkBalanced(t, c, ei) != 10 {
		t.Error("every row should have both E and I inputs")
	}
	for i := range 10 {
		for j := range 10 {
			if (c[i*10+j] == 0) != (i == j) {
				t.Fatalf("entry (%d, %d) = %v: want all-to-all without autapses", i, j, c[i*10+j])
			}
		}
	}
	// Row 0 (excitatory): 7 E inputs of value a, 2 I inputs of 3.5a;
	// norm² = 7a² + 2·12.25a² = 31.5a².
	a := 1 / math.Sqrt(31.5)
	if math.Abs(c[1]-a) > 1e-15 || math.Abs(c[8]-3.5*a) > 1e-15 {
		t.Errorf("row 0: E %v, I %v, want %v, %v", c[1], c[8], a, 3.5*a)
	}
	// Row 9 (inhibitory): 8 E inputs, 1 I input of 8b; norm² = 8b² + 64b².
	b := 1 / math.Sqrt(72)
	if math.Abs(c[90]-b) > 1e-15 || math.Abs(c[98]-8*b) > 1e-15 {
		t.Errorf("row 9: E %v, I %v, want %v, %v", c[90], c[98], b, 8*b)
	}

	// pycog yields NaN where a row has no inhibitory input; here no NaN.
	for _, ei := range [][]float64{{1, 1, 1, -1}, {1, 1, 1}, {-1}} {
		c, err := BalancedCrec(ei)
		if err != nil {
			t.Fatal(err)
		}
		checkBalanced(t, c, ei)
	}
}

func TestSparseCrec(t *testing.T) {
	ei, _ := PycogEI(500, 0.8)
	const pE, pI = 0.2, 0.5
	c, err := SparseCrec(ei, pE, pI, false, 3)
	if err != nil {
		t.Fatal(err)
	}
	if both := checkBalanced(t, c, ei); both < 490 {
		t.Errorf("only %d rows have both E and I inputs", both)
	}
	if blockDiag(c, 500) != 0 {
		t.Error("autapses present with allowSelf = false")
	}
	exc, inh := rangeIndices(0, 400), rangeIndices(400, 500)
	// Each block excludes its diagonal; rows without E input lose their I
	// inputs, which is rare at this size and within tolerance.
	checkBinomial(t, "E→E", blockCount(c, 500, exc, exc), 400*399, pE)
	checkBinomial(t, "E→I", blockCount(c, 500, inh, exc), 100*400, pE)
	checkBinomial(t, "I→E", blockCount(c, 500, exc, inh), 400*100, pI)
	checkBinomial(t, "I→I", blockCount(c, 500, inh, inh), 100*99, pI)

	d, _ := SparseCrec(ei, pE, pI, false, 3)
	if !slices.Equal(c, d) {
		t.Error("same seed gave different Crec")
	}
	d, _ = SparseCrec(ei, pE, pI, false, 4)
	if slices.Equal(c, d) {
		t.Error("different seeds gave identical Crec")
	}

	// allowSelf with p = 1 keeps every autapse and equals the dense
	// pattern plus the diagonal.
	ei10, _ := PycogEI(10, 0.8)
	full, _ := SparseCrec(ei10, 1, 1, true, 0)
	if blockDiag(full, 10) != 10 || countNonzero(full) != 100 {
		t.Error("p = 1 with allowSelf should connect everything")
	}
	noSelf, _ := SparseCrec(ei10, 1, 1, false, 0)
	dense, _ := BalancedCrec(ei10)
	for k := range dense {
		if math.Abs(noSelf[k]-dense[k]) > 1e-15 {
			t.Fatal("SparseCrec(1, 1) differs from BalancedCrec")
		}
	}
	// A row with no excitatory input gets no inhibitory input (pycog's
	// balance factor 0); a row with no inhibitory input keeps its E inputs.
	c, _ = SparseCrec([]float64{1, 1, -1, -1}, 0, 1, false, 0)
	if countNonzero(c) != 0 {
		t.Errorf("p_exc = 0: %d synapses, want 0", countNonzero(c))
	}
	c, _ = SparseCrec([]float64{1, 1, -1, -1}, 1, 0, false, 0)
	if countNonzero(c) != 6 {
		t.Errorf("p_inh = 0: %d synapses, want 6", countNonzero(c))
	}
	checkBalanced(t, c, []float64{1, 1, -1, -1})
}

func TestPycogStructure(t *testing.T) {
	s, err := Pycog(DefaultPycog(3, 20, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	ei, _ := PycogEI(20, 0.8)
	crec, _ := BalancedCrec(ei)
	if !slices.Equal(s.UnitSign, ei) || !slices.Equal(s.HiddenScale, crec) {
		t.Error("UnitSign or HiddenScale differ from PycogEI/BalancedCrec")
	}
	for i := range 20 {
		for j := range 20 {
			if s.HiddenSign[i*20+j] != s.Hidden[i*20+j]*ei[j] {
				t.Fatalf("hidden sign (%d, %d)", i, j)
			}
		}
		for o := range 2 {
			if s.ReadoutSign[o*20+i] != ei[i] {
				t.Fatalf("readout sign (%d, %d) = %v, want %v", o, i, s.ReadoutSign[o*20+i], ei[i])
			}
		}
	}
	if countNonzero(s.InputSign) != 60 || slices.Min(s.InputSign) != 1 {
		t.Error("pycog inputs should all be +1")
	}

	c := DefaultPycog(1, 200, 1)
	c.Sparse, c.PExc, c.PInh, c.Seed = true, 0.1, 0.5, 2
	s, err = Pycog(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want, _ := SparseCrec(s.UnitSign, 0.1, 0.5, false, 2)
	if !slices.Equal(s.HiddenScale, want) {
		t.Error("sparse Pycog differs from SparseCrec with the same seed")
	}

	c = DefaultPycog(1, 6, 1)
	c.NoEI = true
	s, err = Pycog(c)
	if err != nil {
		t.Fatal(err)
	}
	if s.HasSigns() || countNonzero(s.Hidden) != 30 || blockDiag(s.Hidden, 6) != 0 {
		t.Error("NoEI: want unsigned all-to-all without autapses")
	}
}
