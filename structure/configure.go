// SPDX-License-Identifier: MIT

package structure

import (
	"fmt"

	"github.com/nn4n/nn4n/ctrnn"
)

// Configure puts the masks into a model configuration: its dimensions, the
// sparsity mask and (when the structure is E/I) the sign mask of each of the
// three weights, and pycog's Crec values as the initial scale of W_rec.
// Dimensions already set in cfg must agree with the masks. Plasticity masks
// are left as they are.
func (m *Masks) Configure(cfg *ctrnn.Config) error {
	if err := m.Validate(); err != nil {
		return err
	}
	for _, d := range []struct {
		name       string
		have, want int
	}{{"Inputs", cfg.Inputs, m.I}, {"Units", cfg.Units, m.N}, {"Outputs", cfg.Outputs, m.O}} {
		if d.have != 0 && d.have != d.want {
			return fmt.Errorf("structure: config has %s = %d, the masks have %d", d.name, d.have, d.want)
		}
	}
	cfg.Inputs, cfg.Units, cfg.Outputs = m.I, m.N, m.O
	cfg.In.Sparsity, cfg.Rec.Sparsity, cfg.Out.Sparsity = clone(m.Input), clone(m.Hidden), clone(m.Readout)
	cfg.In.Sign, cfg.Rec.Sign, cfg.Out.Sign = clone(m.InputSign), clone(m.HiddenSign), clone(m.ReadoutSign)
	cfg.RecInitScale = clone(m.HiddenScale)
	return nil
}

func clone(s []float64) []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s...)
}
