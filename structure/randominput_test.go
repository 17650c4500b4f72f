// SPDX-License-Identifier: MIT

package structure

import (
	"math"
	"slices"
	"testing"
)

// TestRandomInputDefaults: nn4n's RandomInput fails with its own defaults;
// these must build.
func TestRandomInputDefaults(t *testing.T) {
	s, err := RandomInput(DefaultRandomInput(3, 50, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if countNonzero(s.Input) != 150 || countNonzero(s.Hidden) != 2500 || countNonzero(s.Readout) != 100 {
		t.Error("defaults (all fractions 1) should give dense masks")
	}
	if !slices.Equal(s.Areas(), []string{"area_input", "area_readout"}) {
		t.Errorf("areas %v", s.Areas())
	}
}

func TestRandomInputCounts(t *testing.T) {
	c := RandomInputConfig{I: 3, N: 200, O: 2, InputSpar: 0.3, ReadoutSpar: 0.25, HiddenSpar: 0.2, Overlap: true, Seed: 4}
	s, err := RandomInput(c)
	if err != nil {
		t.Fatal(err)
	}
	in, out := s.InputIndices(), s.ReadoutIndices()
	if len(in) != 60 || len(out) != 50 {
		t.Fatalf("%d input and %d readout units, want 60 and 50", len(in), len(out))
	}
	// Input units receive every input; readout units feed every output.
	for _, u := range in {
		for k := range 3 {
			if s.Input[u*3+k] != 1 {
				t.Fatalf("input unit %d misses input %d", u, k)
			}
		}
	}
	for _, u := range out {
		for o := range 2 {
			if s.Readout[o*200+u] != 1 {
				t.Fatalf("readout unit %d misses output %d", u, o)
			}
		}
	}
	if countNonzero(s.Input) != 180 || countNonzero(s.Readout) != 100 {
		t.Error("input or readout mask has entries outside the chosen units")
	}
	if a, _ := s.AreaIndicesByName("area_input"); !slices.Equal(a, in) {
		t.Errorf("area_input %v, want %v", a, in)
	}
	if a, _ := s.AreaIndicesByName("area_readout"); !slices.Equal(a, out) {
		t.Errorf("area_readout %v, want %v", a, out)
	}
	if got := len(s.NonInputIndices()); got != 140 {
		t.Errorf("%d non-input units, want 140", got)
	}
	checkBinomial(t, "hidden", countNonzero(s.Hidden), 200*200, 0.2)
}

func TestRandomInputNoOverlap(t *testing.T) {
	for seed := range uint64(20) {
		c := RandomInputConfig{I: 1, N: 100, O: 1, InputSpar: 0.5, ReadoutSpar: 0.5, HiddenSpar: 0.1, Seed: seed}
		s, err := RandomInput(c)
		if err != nil {
			t.Fatal(err)
		}
		in, out := s.InputIndices(), s.ReadoutIndices()
		if len(in) != 50 || len(out) != 50 {
			t.Fatalf("%d input, %d readout units", len(in), len(out))
		}
		for _, u := range out {
			if _, found := slices.BinarySearch(in, u); found {
				t.Fatalf("seed %d: unit %d is both input and readout without overlap", seed, u)
			}
		}
	}
}

// TestRandomInputOverlap: with overlap the readout units are drawn from all
// units, so the mean intersection is hypergeometric, nIn·nOut/N.
func TestRandomInputOverlap(t *testing.T) {
	const seeds = 60
	total := 0
	for seed := range uint64(seeds) {
		c := RandomInputConfig{I: 1, N: 200, O: 1, InputSpar: 0.3, ReadoutSpar: 0.25, HiddenSpar: 0.1, Overlap: true, Seed: seed}
		s, err := RandomInput(c)
		if err != nil {
			t.Fatal(err)
		}
		in := s.InputIndices()
		for _, u := range s.ReadoutIndices() {
			if _, found := slices.BinarySearch(in, u); found {
				total++
			}
		}
	}
	mean := float64(total) / seeds
	// Hypergeometric: K = 60 marked of 200, draw 50.
	want := 60.0 * 50 / 200
	variance := 50 * (60.0 / 200) * (140.0 / 200) * (150.0 / 199)
	if sd := math.Sqrt(variance / seeds); math.Abs(mean-want) > 5*sd {
		t.Errorf("mean overlap %.2f, want %.2f ± %.2f", mean, want, 5*sd)
	}
}

// TestRandomInputUniform: every unit is an input unit equally often.
func TestRandomInputUniform(t *testing.T) {
	const n, seeds = 20, 400
	var hits [n]int
	for seed := range uint64(seeds) {
		s, err := RandomInput(RandomInputConfig{I: 1, N: n, O: 1, InputSpar: 0.25, ReadoutSpar: 0.25, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range s.InputIndices() {
			hits[u]++
		}
	}
	for u, k := range hits {
		checkBinomial(t, "input unit frequency", k, seeds, 0.25)
		_ = u
	}
}

func TestRandomInputSeeds(t *testing.T) {
	c := RandomInputConfig{I: 2, N: 60, O: 2, InputSpar: 0.4, ReadoutSpar: 0.4, HiddenSpar: 0.3, Seed: 8}
	a, _ := RandomInput(c)
	b, _ := RandomInput(c)
	if !sameMasks(&a.Masks, &b.Masks) {
		t.Error("same seed gave different masks")
	}
	c.Seed = 9
	d, _ := RandomInput(c)
	if slices.Equal(a.Hidden, d.Hidden) || slices.Equal(a.Input, d.Input) {
		t.Error("different seeds gave identical masks")
	}
}
