// SPDX-License-Identifier: MIT

package structure

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestInvalidParameters(t *testing.T) {
	ma := func(f func(*MultiAreaConfig)) func() error {
		return func() error {
			c := DefaultMultiArea(2, 10, 1)
			f(&c)
			_, err := MultiArea(c)
			return err
		}
	}
	ei := func(f func(*MultiAreaEIConfig)) func() error {
		return func() error {
			c := DefaultMultiAreaEI(2, 10, 1)
			f(&c)
			_, err := MultiAreaEI(c)
			return err
		}
	}
	ri := func(f func(*RandomInputConfig)) func() error {
		return func() error {
			c := DefaultRandomInput(2, 10, 1)
			f(&c)
			_, err := RandomInput(c)
			return err
		}
	}
	mio := func(f func(*MultiIOConfig)) func() error {
		return func() error {
			c := DefaultMultiIO(3, 4, 2)
			f(&c)
			_, err := MultiIO(c)
			return err
		}
	}
	pc := func(f func(*PycogConfig)) func() error {
		return func() error {
			c := DefaultPycog(1, 10, 1)
			f(&c)
			_, err := Pycog(c)
			return err
		}
	}
	nan := math.NaN()
	cases := []struct {
		name  string
		run   func() error
		param string
		rule  string
	}{
		{"hidden size 0", ma(func(c *MultiAreaConfig) { c.N = 0 }), "hidden_size", "≥ 1"},
		{"negative inputs", ma(func(c *MultiAreaConfig) { c.I = -1 }), "input_dim", "≥ 0"},
		{"negative outputs", ma(func(c *MultiAreaConfig) { c.O = -2 }), "readout_dim", "≥ 0"},
		{"no areas", ma(func(c *MultiAreaConfig) { c.NAreas = 0 }), "n_areas", "≥ 1"},
		{"areas do not divide", ma(func(c *MultiAreaConfig) { c.NAreas = 3 }), "n_areas", "not divisible"},
		{"sizes do not sum", ma(func(c *MultiAreaConfig) { c.NAreas, c.AreaSizes = 0, []int{3, 3} }), "n_areas", "sum to 6, want hidden_size 10"},
		{"zero size area", ma(func(c *MultiAreaConfig) { c.NAreas, c.AreaSizes = 0, []int{10, 0} }), "n_areas", "size 0"},
		{"empty sizes", ma(func(c *MultiAreaConfig) { c.NAreas, c.AreaSizes = 0, []int{} }), "n_areas", "empty"},
		{"count vs sizes", ma(func(c *MultiAreaConfig) { c.NAreas, c.AreaSizes = 3, []int{5, 5} }), "n_areas", "disagrees"},
		{"names length", ma(func(c *MultiAreaConfig) { c.AreaNames = []string{"a"} }), "area_names", "length 1, want n_areas 2"},
		{"duplicate names", ma(func(c *MultiAreaConfig) { c.AreaNames = []string{"a", "a"} }), "area_names", "duplicate"},
		{"empty name", ma(func(c *MultiAreaConfig) { c.AreaNames = []string{"a", ""} }), "area_names", "empty"},
		{"connectivity length", ma(func(c *MultiAreaConfig) { c.Connectivity = []float64{0.1} }), "area_connectivities", "length 1"},
		{"connectivity matrix size", ma(func(c *MultiAreaConfig) { c.Connectivity = make([]float64, 9) }), "area_connectivities", "n_areas² = 4"},
		{"connectivity nil", ma(func(c *MultiAreaConfig) { c.Connectivity = nil }), "area_connectivities", "length 0"},
		{"connectivity > 1", ma(func(c *MultiAreaConfig) { c.Connectivity = []float64{0.1, 1.5} }), "area_connectivities", "[0, 1]"},
		{"connectivity < 0", ma(func(c *MultiAreaConfig) { c.Connectivity = []float64{-0.1, 0.5, 1} }), "area_connectivities", "[0, 1]"},
		{"connectivity NaN", ma(func(c *MultiAreaConfig) { c.Connectivity = []float64{nan, 0.5} }), "area_connectivities", "[0, 1]"},
		{"unknown input area", ma(func(c *MultiAreaConfig) { c.InputAreas = []int{2} }), "input_areas", "unknown area 2"},
		{"negative input area", ma(func(c *MultiAreaConfig) { c.InputAreas = []int{-1} }), "input_areas", "unknown area -1"},
		{"duplicate input area", ma(func(c *MultiAreaConfig) { c.InputAreas = []int{0, 0} }), "input_areas", "twice"},
		{"unknown readout area", ma(func(c *MultiAreaConfig) { c.ReadoutAreas = []int{0, 5} }), "readout_areas", "unknown area 5"},
		{"EI inherits checks", ei(func(c *MultiAreaEIConfig) { c.NAreas = 4 }), "n_areas", "not divisible"},
		{"exc_pct length", ei(func(c *MultiAreaEIConfig) { c.ExcPct = []float64{0.8, 0.8, 0.8} }), "exc_pct", "length 3, want 1 or n_areas = 2"},
		{"exc_pct nil", ei(func(c *MultiAreaEIConfig) { c.ExcPct = nil }), "exc_pct", "length 0"},
		{"exc_pct > 1", ei(func(c *MultiAreaEIConfig) { c.ExcPct = []float64{0.5, 1.2} }), "exc_pct", "area 1 must be in [0, 1]"},
		{"exc_pct NaN", ei(func(c *MultiAreaEIConfig) { c.ExcPct = []float64{nan} }), "exc_pct", "[0, 1]"},
		{"input_spar > 1", ri(func(c *RandomInputConfig) { c.InputSpar = 1.1 }), "input_spar", "[0, 1]"},
		{"readout_spar < 0", ri(func(c *RandomInputConfig) { c.ReadoutSpar = -0.1 }), "readout_spar", "[0, 1]"},
		{"hidden_spar NaN", ri(func(c *RandomInputConfig) { c.HiddenSpar = nan }), "hidden_spar", "[0, 1]"},
		{"no overlap, too many", ri(func(c *RandomInputConfig) { c.Overlap, c.InputSpar, c.ReadoutSpar = false, 0.6, 0.5 }), "overlap", "6 + 5 must be ≤ hidden_size 10"},
		{"random input dims", ri(func(c *RandomInputConfig) { c.N = 0 }), "hidden_size", "≥ 1"},
		{"input_dims sum", mio(func(c *MultiIOConfig) { c.InputDims = []int{1, 1} }), "input_dims", "sum to 2, want input_dim 3"},
		{"input_dims zero", mio(func(c *MultiIOConfig) { c.InputDims = []int{3, 0} }), "input_dims", "size 0"},
		{"readout_dims sum", mio(func(c *MultiIOConfig) { c.ReadoutDims = []int{3} }), "readout_dims", "sum to 3, want readout_dim 2"},
		{"input_table length", mio(func(c *MultiIOConfig) { c.InputTable = make([]float64, 5) }), "input_table", "length 5, want groups×hidden_size = 1×4 = 4"},
		{"readout_table length", mio(func(c *MultiIOConfig) { c.ReadoutDims = []int{1, 1}; c.ReadoutTable = make([]float64, 4) }), "readout_table", "2×4 = 8"},
		{"input_table value", mio(func(c *MultiIOConfig) { c.InputTable = []float64{1, 0, 0.5, 1} }), "input_table", "entry (0, 2) is 0.5"},
		{"readout_table value", mio(func(c *MultiIOConfig) { c.ReadoutTable = []float64{1, -1, 0, 1} }), "readout_table", "want 0 or 1"},
		{"pycog pE", pc(func(c *PycogConfig) { c.ExcFrac = 1.5 }), "pE", "[0, 1]"},
		{"pycog p_exc", pc(func(c *PycogConfig) { c.Sparse, c.PExc = true, -1 }), "p_exc", "[0, 1]"},
		{"pycog p_inh", pc(func(c *PycogConfig) { c.Sparse, c.PInh = true, 2 }), "p_inh", "[0, 1]"},
		{"pycog NoEI sparse", pc(func(c *PycogConfig) { c.NoEI, c.Sparse = true, true }), "Crec", "exclude"},
		{"pycog dims", pc(func(c *PycogConfig) { c.N = -3 }), "hidden_size", "≥ 1"},
		{"PycogEI n", func() error { _, err := PycogEI(0, 0.8); return err }, "N", "≥ 1"},
		{"Balanced ei zero", func() error { _, err := BalancedCrec([]float64{1, 0, -1}); return err }, "ei", "entry 1 is 0, want +1 or -1"},
		{"Balanced ei empty", func() error { _, err := BalancedCrec(nil); return err }, "ei", "empty"},
		{"Sparse ei value", func() error { _, err := SparseCrec([]float64{1, 2}, 0.5, 0.5, false, 0); return err }, "ei", "entry 1 is 2"},
		{"Sparse p_exc", func() error { _, err := SparseCrec([]float64{1, -1}, 1.01, 0.5, false, 0); return err }, "p_exc", "[0, 1]"},
		{"Sparse p_inh", func() error { _, err := SparseCrec([]float64{1, -1}, 0.5, nan, false, 0); return err }, "p_inh", "[0, 1]"},
		{"area index", func() error {
			s, _ := MultiArea(DefaultMultiArea(1, 10, 1))
			_, err := s.AreaIndices(2)
			return err
		}, "area", "index 2 out of range [0, 2)"},
		{"area name", func() error {
			s, _ := MultiArea(DefaultMultiArea(1, 10, 1))
			_, err := s.AreaIndicesByName("PFC")
			return err
		}, "area", `unknown area "PFC"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParamError", err)
			}
			if pe.Param != tc.param || !strings.Contains(pe.Rule, tc.rule) {
				t.Errorf("got %q, want param %q and rule containing %q", err, tc.param, tc.rule)
			}
			if !strings.HasPrefix(err.Error(), "structure: "+tc.param+": ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestMasksValidate(t *testing.T) {
	good := func() *Masks {
		s, err := MultiAreaEI(DefaultMultiAreaEI(2, 10, 1))
		if err != nil {
			t.Fatal(err)
		}
		return &s.Masks
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		mutate func(m *Masks)
		param  string
	}{
		{"short input", func(m *Masks) { m.Input = m.Input[:5] }, "input_mask"},
		{"non-binary hidden", func(m *Masks) { m.Hidden[3] = 0.5 }, "hidden_mask"},
		{"sign where no synapse", func(m *Masks) {
			for k, v := range m.Hidden {
				if v == 0 {
					m.HiddenSign[k] = 1
					return
				}
			}
			t.Fatal("no absent synapse")
		}, "hidden_sign"},
		{"zero sign on synapse", func(m *Masks) { m.ReadoutSign[0] = 0 }, "readout_sign"},
		{"bad sign value", func(m *Masks) { m.InputSign[0] = 2 }, "input_sign"},
		{"missing sign mask", func(m *Masks) { m.InputSign = nil }, "input_sign"},
		{"unit sign zero", func(m *Masks) { m.UnitSign[4] = 0 }, "unit_sign"},
		{"unit sign length", func(m *Masks) { m.UnitSign = m.UnitSign[:9] }, "unit_sign"},
		{"scale mismatch", func(m *Masks) { m.HiddenScale = make([]float64, 100) }, "hidden_scale"},
		{"bad dims", func(m *Masks) { m.N = 0 }, "hidden_size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := good()
			tc.mutate(m)
			var pe *ParamError
			if err := m.Validate(); !errors.As(err, &pe) || pe.Param != tc.param {
				t.Errorf("got %v, want a ParamError for %s", err, tc.param)
			}
		})
	}
}
