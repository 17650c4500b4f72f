// SPDX-License-Identifier: MIT

package structure

import (
	"slices"
	"testing"
)

func TestMultiIOTables(t *testing.T) {
	c := MultiIOConfig{I: 5, N: 6, O: 3,
		InputDims:   []int{2, 3},
		ReadoutDims: []int{1, 2},
		InputTable: []float64{
			1, 1, 1, 0, 0, 0,
			0, 0, 1, 1, 1, 1,
		},
		ReadoutTable: []float64{
			0, 0, 0, 0, 1, 1,
			1, 0, 1, 0, 1, 0,
		},
	}
	s, err := MultiIO(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	inGroup := []int{0, 0, 1, 1, 1}
	for u := range 6 {
		for k := range 5 {
			if got, want := s.Input[u*5+k], c.InputTable[inGroup[k]*6+u]; got != want {
				t.Fatalf("input (unit %d, dim %d) = %v, want %v", u, k, got, want)
			}
		}
	}
	outGroup := []int{0, 1, 1}
	for o := range 3 {
		if got, want := s.Readout[o*6:(o+1)*6], c.ReadoutTable[outGroup[o]*6:(outGroup[o]+1)*6]; !slices.Equal(got, want) {
			t.Fatalf("readout row %d = %v, want %v", o, got, want)
		}
	}
	if countNonzero(s.Hidden) != 36 {
		t.Error("hidden mask is not all ones")
	}
	if got := s.InputIndices(); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("InputIndices %v", got)
	}
	if got := s.ReadoutIndices(); !slices.Equal(got, []int{0, 2, 4, 5}) {
		t.Errorf("ReadoutIndices %v", got)
	}
	if s.HasSigns() {
		t.Error("MultiIO set sign masks")
	}
}

func TestMultiIODefaults(t *testing.T) {
	s, err := MultiIO(DefaultMultiIO(4, 7, 2))
	if err != nil {
		t.Fatal(err)
	}
	if countNonzero(s.Input) != 28 || countNonzero(s.Readout) != 14 || countNonzero(s.Hidden) != 49 {
		t.Error("default MultiIO masks are not all ones")
	}
	// No inputs at all is allowed.
	s, err = MultiIO(DefaultMultiIO(0, 7, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Input) != 0 || len(s.InputIndices()) != 0 || len(s.NonInputIndices()) != 7 {
		t.Error("I = 0 mishandled")
	}
}
