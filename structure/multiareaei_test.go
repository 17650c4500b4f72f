// SPDX-License-Identifier: MIT

package structure

import (
	"slices"
	"testing"
)

func TestMultiAreaEIUnitSigns(t *testing.T) {
	c := DefaultMultiAreaEI(2, 30, 2)
	c.NAreas = 0
	c.AreaSizes = []int{10, 7, 13}
	c.ExcPct = []float64{0.8, 0.5, 0.3}
	s, err := MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	// floor(0.8·10) = 8, floor(0.5·7) = 3, floor(0.3·13) = 3: the first
	// units of each area are excitatory.
	var want []float64
	for _, ne := range [][2]int{{8, 10}, {3, 7}, {3, 13}} {
		for k := range ne[1] {
			if k < ne[0] {
				want = append(want, 1)
			} else {
				want = append(want, -1)
			}
		}
	}
	if !slices.Equal(s.UnitSign, want) {
		t.Errorf("UnitSign %v\nwant     %v", s.UnitSign, want)
	}
	exc := s.ExcitatoryIndices()
	if len(exc) != 14 || exc[8] != 10 || exc[11] != 17 {
		t.Errorf("ExcitatoryIndices %v", exc)
	}
	if len(s.InhibitoryIndices()) != 16 {
		t.Errorf("InhibitoryIndices %v", s.InhibitoryIndices())
	}

	// One value applies to every area.
	c.ExcPct = []float64{0.5}
	s, err = MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.ExcitatoryIndices()); got != 5+3+6 {
		t.Errorf("exc_pct 0.5: %d excitatory, want 14", got)
	}
}

// TestMultiAreaEISignMasks checks Dale's law: each recurrent and readout
// synapse has the sign of its presynaptic unit; inputs are +1; no synapse is 0.
func TestMultiAreaEISignMasks(t *testing.T) {
	c := DefaultMultiAreaEI(3, 60, 2)
	c.NAreas = 3
	c.Connectivity = []float64{0.4, 0.3, 0.8}
	c.Seed = 5
	s, err := MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	n := 60
	pos, neg := 0, 0
	for i := range n {
		for j := range n {
			h, sg := s.Hidden[i*n+j], s.HiddenSign[i*n+j]
			switch {
			case h == 0 && sg != 0:
				t.Fatalf("sign %v at absent synapse (%d, %d)", sg, i, j)
			case h == 1 && sg != s.UnitSign[j]:
				t.Fatalf("synapse %d→%d has sign %v, presynaptic sign %v", j, i, sg, s.UnitSign[j])
			case sg > 0:
				pos++
			case sg < 0:
				neg++
			}
		}
	}
	if pos == 0 || neg == 0 {
		t.Errorf("hidden sign mask has %d positive and %d negative entries", pos, neg)
	}
	for o := range 2 {
		for j := range n {
			if s.ReadoutSign[o*n+j] != s.Readout[o*n+j]*s.UnitSign[j] || s.Readout[o*n+j] != 1 {
				t.Fatalf("readout (%d, %d): mask %v sign %v unit %v", o, j, s.Readout[o*n+j], s.ReadoutSign[o*n+j], s.UnitSign[j])
			}
		}
	}
	if !slices.Equal(s.InputSign, s.Input) {
		t.Error("input sign mask is not +1 where inputs exist")
	}
}

// TestMultiAreaEIInterAreaFlags checks that each flag of InterArea removes
// exactly its class of inter-area synapses and nothing else, for all 16
// combinations, against the same-seed MultiArea draw.
func TestMultiAreaEIInterAreaFlags(t *testing.T) {
	base := DefaultMultiAreaEI(1, 90, 1)
	base.NAreas = 3
	base.Connectivity = []float64{0.5, 0.5, 0.5}
	base.Seed = 9
	plain, err := MultiArea(base.MultiAreaConfig)
	if err != nil {
		t.Fatal(err)
	}
	n := 90
	var classCount [4]int
	for combo := range 16 {
		c := base
		for k := range 4 {
			c.InterArea[k] = combo&(1<<k) != 0
		}
		s, err := MultiAreaEI(c)
		if err != nil {
			t.Fatal(err)
		}
		area := s.AreaOf()
		for i := range n {
			for j := range n {
				want := plain.Hidden[i*n+j]
				cl := synapseClassOf(s.UnitSign[j], s.UnitSign[i])
				if area[i] != area[j] && !c.InterArea[cl] {
					if combo == 15 {
						t.Fatal("combo 15 keeps everything")
					}
					want = 0
				}
				if combo == 15 && area[i] != area[j] && want == 1 {
					classCount[cl]++
				}
				if got := s.Hidden[i*n+j]; got != want {
					t.Fatalf("flags %v: synapse %d→%d (areas %d→%d, class %d) = %v, want %v",
						c.InterArea, j, i, area[j], area[i], cl, got, want)
				}
			}
		}
	}
	// The removed classes were populated, so the test above could fail.
	for cl, k := range classCount {
		if k == 0 {
			t.Errorf("class %d has no inter-area synapse to remove", cl)
		}
	}
}

// synapseClassOf is the test's own statement of the class convention.
func synapseClassOf(pre, post float64) int {
	switch {
	case pre == 1 && post == 1:
		return ExcToExc
	case pre == 1 && post == -1:
		return ExcToInh
	case pre == -1 && post == 1:
		return InhToExc
	default:
		return InhToInh
	}
}

func TestMultiAreaEIInhReadout(t *testing.T) {
	c := DefaultMultiAreaEI(1, 40, 3)
	c.ReadoutAreas = []int{1}
	with, err := MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	c.InhReadout = false
	without, err := MultiAreaEI(c)
	if err != nil {
		t.Fatal(err)
	}
	n := 40
	nInh := 0
	for j := range n {
		for o := range 3 {
			w, g := with.Readout[o*n+j], without.Readout[o*n+j]
			wantWith := 0.0
			if j >= 20 {
				wantWith = 1
			}
			if w != wantWith {
				t.Fatalf("inh_readout=true: readout (%d, %d) = %v, want %v", o, j, w, wantWith)
			}
			if with.UnitSign[j] < 0 {
				if w == 1 {
					nInh++
					if with.ReadoutSign[o*n+j] != -1 {
						t.Fatalf("inhibitory readout sign %v", with.ReadoutSign[o*n+j])
					}
				}
				if g != 0 || without.ReadoutSign[o*n+j] != 0 {
					t.Fatalf("inh_readout=false kept inhibitory unit %d", j)
				}
			} else if g != w {
				t.Fatalf("inh_readout=false changed excitatory unit %d", j)
			}
		}
	}
	if nInh == 0 {
		t.Fatal("no inhibitory readout to remove")
	}
	if got := without.ReadoutIndices(); !slices.Equal(got, []int{20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35}) {
		t.Errorf("ReadoutIndices %v", got)
	}
	if !slices.Equal(with.Hidden, without.Hidden) {
		t.Error("inh_readout changed the hidden mask")
	}
}

func TestMultiAreaEISeeds(t *testing.T) {
	c := DefaultMultiAreaEI(2, 50, 2)
	a, _ := MultiAreaEI(c)
	b, _ := MultiAreaEI(c)
	if !sameMasks(&a.Masks, &b.Masks) {
		t.Error("same seed gave different masks")
	}
	c.Seed = 1
	d, _ := MultiAreaEI(c)
	if slices.Equal(a.Hidden, d.Hidden) || slices.Equal(a.HiddenSign, d.HiddenSign) {
		t.Error("different seeds gave identical masks")
	}
}
