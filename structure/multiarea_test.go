// SPDX-License-Identifier: MIT

package structure

import (
	"slices"
	"testing"
)

func TestMultiAreaEqualSplit(t *testing.T) {
	c := DefaultMultiArea(2, 12, 1)
	c.NAreas = 3
	s, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.HasSigns() {
		t.Error("MultiArea set sign masks")
	}
	want := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}
	if got := mustAreas(t, s); !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Errorf("areas %v, want %v", got, want)
	}
	if got := s.Areas(); !slices.Equal(got, []string{"area_1", "area_2", "area_3"}) {
		t.Errorf("names %v", got)
	}
	u, err := s.AreaIndicesByName("area_2")
	if err != nil || !slices.Equal(u, want[1]) {
		t.Errorf("AreaIndicesByName(area_2) = %v, %v", u, err)
	}
	if got := s.AreaOf(); !slices.Equal(got, []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}) {
		t.Errorf("AreaOf %v", got)
	}
}

func TestMultiAreaSizesAndNames(t *testing.T) {
	c := DefaultMultiArea(1, 10, 1)
	c.NAreas = 0
	c.AreaSizes = []int{3, 5, 2}
	c.AreaNames = []string{"V1", "PFC", "M1"}
	c.Connectivity = []float64{0.5, 0.5}
	s, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0, 1, 2}, {3, 4, 5, 6, 7}, {8, 9}}
	if got := mustAreas(t, s); !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Errorf("areas %v, want %v", got, want)
	}
	for a, name := range c.AreaNames {
		u, err := s.AreaIndicesByName(name)
		if err != nil || !slices.Equal(u, want[a]) {
			t.Errorf("AreaIndicesByName(%s) = %v, %v", name, u, err)
		}
	}
	// Returned slices are copies.
	u, _ := s.AreaIndices(0)
	u[0] = 99
	if u2, _ := s.AreaIndices(0); u2[0] != 0 {
		t.Error("AreaIndices exposes internal storage")
	}
}

// TestMultiAreaDensities checks every block of a full connectivity matrix,
// (post, pre): block (a, b) has density P[a][b].
func TestMultiAreaDensities(t *testing.T) {
	p := []float64{
		0.9, 0.05, 0,
		0.3, 0.5, 0.02,
		1, 0.2, 0.7,
	}
	c := MultiAreaConfig{I: 1, N: 600, O: 1, AreaSizes: []int{150, 200, 250}, Connectivity: p, Seed: 7}
	s, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	areas := mustAreas(t, s)
	for a := range 3 {
		for b := range 3 {
			k := blockCount(s.Hidden, 600, areas[a], areas[b])
			checkBinomial(t, "block "+s.names[a]+"←"+s.names[b], k, len(areas[a])*len(areas[b]), p[a*3+b])
		}
	}
}

// TestMultiAreaForwardBackward checks nn4n's convention: [forward, backward]
// fills the blocks below the diagonal (post area > pre area) with forward.
func TestMultiAreaForwardBackward(t *testing.T) {
	for _, conn := range [][]float64{{0.3, 0.05}, {0.3, 0.05, 0.6}} {
		c := MultiAreaConfig{I: 1, N: 600, O: 1, NAreas: 3, Connectivity: conn, Seed: 3}
		s, err := MultiArea(c)
		if err != nil {
			t.Fatal(err)
		}
		within := 1.0
		if len(conn) == 3 {
			within = conn[2]
		}
		areas := mustAreas(t, s)
		for a := range 3 {
			for b := range 3 {
				p := within
				if a > b {
					p = conn[0]
				} else if a < b {
					p = conn[1]
				}
				k := blockCount(s.Hidden, 600, areas[a], areas[b])
				checkBinomial(t, "block", k, 200*200, p)
			}
		}
	}
}

func TestMultiAreaAutapses(t *testing.T) {
	c := MultiAreaConfig{I: 1, N: 100, O: 1, NAreas: 2, Connectivity: []float64{0.2, 0.2, 0.5}, Seed: 11}
	with, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	if diag := blockDiag(with.Hidden, 100); diag == 0 {
		t.Error("default keeps autapses (as nn4n) but the diagonal is empty")
	}
	c.NoAutapses = true
	without, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		for j := range 100 {
			w, g := with.Hidden[i*100+j], without.Hidden[i*100+j]
			if i == j && g != 0 {
				t.Fatalf("autapse %d kept", i)
			}
			if i != j && g != w {
				t.Fatalf("NoAutapses changed off-diagonal entry (%d, %d)", i, j)
			}
		}
	}
}

func blockDiag(m []float64, n int) int {
	k := 0
	for i := range n {
		if m[i*n+i] != 0 {
			k++
		}
	}
	return k
}

func TestMultiAreaInputReadoutAreas(t *testing.T) {
	c := MultiAreaConfig{I: 3, N: 30, O: 2, AreaSizes: []int{10, 8, 12}, Connectivity: []float64{0.1, 0.1}, Seed: 1,
		InputAreas: []int{1}, ReadoutAreas: []int{2, 0}}
	s, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	areas := mustAreas(t, s)
	area := s.AreaOf()
	for u := range 30 {
		for k := range 3 {
			want := 0.0
			if area[u] == 1 {
				want = 1
			}
			if got := s.Input[u*3+k]; got != want {
				t.Fatalf("input (%d, %d) = %v, want %v", u, k, got, want)
			}
		}
		for o := range 2 {
			want := 0.0
			if area[u] == 0 || area[u] == 2 {
				want = 1
			}
			if got := s.Readout[o*30+u]; got != want {
				t.Fatalf("readout (%d, %d) = %v, want %v", o, u, got, want)
			}
		}
	}
	if got := s.InputIndices(); !slices.Equal(got, areas[1]) {
		t.Errorf("InputIndices %v, want %v", got, areas[1])
	}
	if got, want := s.NonInputIndices(), append(slices.Clone(areas[0]), areas[2]...); !slices.Equal(got, want) {
		t.Errorf("NonInputIndices %v, want %v", got, want)
	}
	if got, want := s.ReadoutIndices(), append(slices.Clone(areas[0]), areas[2]...); !slices.Equal(got, want) {
		t.Errorf("ReadoutIndices %v, want %v", got, want)
	}

	// nil: every area; empty: none.
	c.InputAreas, c.ReadoutAreas = nil, []int{}
	s, err = MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	if countNonzero(s.Input) != 30*3 || len(s.NonInputIndices()) != 0 {
		t.Error("nil input_areas should feed every unit")
	}
	if countNonzero(s.Readout) != 0 || len(s.ReadoutIndices()) != 0 {
		t.Error("empty readout_areas should read no unit")
	}
}

func TestMultiAreaSeeds(t *testing.T) {
	c := DefaultMultiArea(2, 80, 2)
	c.Seed = 42
	a, _ := MultiArea(c)
	b, _ := MultiArea(c)
	if !sameMasks(&a.Masks, &b.Masks) {
		t.Error("same seed gave different masks")
	}
	c.Seed = 43
	d, _ := MultiArea(c)
	if slices.Equal(a.Hidden, d.Hidden) {
		t.Error("different seeds gave identical hidden masks")
	}
}

func TestMultiAreaOneArea(t *testing.T) {
	c := MultiAreaConfig{I: 1, N: 5, O: 1, NAreas: 1, Connectivity: []float64{0.5}}
	s, err := MultiArea(c)
	if err != nil {
		t.Fatal(err)
	}
	if s.NAreas() != 1 || len(s.InputIndices()) != 5 {
		t.Errorf("one area: %d areas, %d input units", s.NAreas(), len(s.InputIndices()))
	}
	// [forward, backward] with one area: within defaults to 1.
	c.Connectivity = []float64{0, 0}
	s, _ = MultiArea(c)
	if countNonzero(s.Hidden) != 25 {
		t.Errorf("one area, [0, 0]: %d synapses, want 25", countNonzero(s.Hidden))
	}
}
