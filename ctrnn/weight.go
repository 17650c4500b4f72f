// SPDX-License-Identifier: MIT

package ctrnn

import "math"

// weight is one constrained weight matrix, stored (post, pre) row-major.
type weight struct {
	rows, cols int
	raw        []float64 // the trained parameter
	sparsity   []float64 // 0/1, nil = dense
	sign       []float64 // ±1/0 per synapse, nil = unsigned
	plasticity []float64 // [0,1], nil = all 1
	eff        []float64 // the weight the dynamics use
	grad       []float64 // dL/draw, before plasticity
	effGrad    []float64 // dL/deff, workspace
}

func newWeight(rows, cols int, c Constraint) *weight {
	n := rows * cols
	w := &weight{
		rows: rows, cols: cols,
		raw:     make([]float64, n),
		eff:     make([]float64, n),
		grad:    make([]float64, n),
		effGrad: make([]float64, n),
	}
	w.setConstraint(c)
	return w
}

// setConstraint copies c's masks, expanding a per-presynaptic sign vector.
func (w *weight) setConstraint(c Constraint) {
	w.sparsity = clone(c.Sparsity)
	w.plasticity = clone(c.Plasticity)
	w.sign = expandSign(c.Sign, w.rows, w.cols)
}

func expandSign(s []float64, rows, cols int) []float64 {
	if s == nil {
		return nil
	}
	if len(s) == rows*cols {
		return clone(s)
	}
	full := make([]float64, rows*cols)
	for i := 0; i < rows; i++ {
		copy(full[i*cols:(i+1)*cols], s)
	}
	return full
}

func clone(s []float64) []float64 {
	if s == nil {
		return nil
	}
	return append([]float64(nil), s...)
}

// exists reports whether synapse i can be non-zero.
func (w *weight) exists(i int) bool {
	return (w.sparsity == nil || w.sparsity[i] != 0) && (w.sign == nil || w.sign[i] != 0)
}

// project zeroes absent synapses and, in Clip mode, clamps raw onto its
// signs, so that raw itself is a valid weight. In Rectify and Abs modes the
// sign lives in the transform, so only absent synapses are touched.
func (w *weight) project(mode DaleMode) {
	for i := range w.raw {
		if !w.exists(i) {
			w.raw[i] = 0
			continue
		}
		if w.sign != nil && mode == Clip {
			if w.sign[i] > 0 && w.raw[i] < 0 || w.sign[i] < 0 && w.raw[i] > 0 {
				w.raw[i] = 0
			}
		}
	}
}

// effective computes eff from raw.
func (w *weight) effective(mode DaleMode) {
	for i, v := range w.raw {
		if w.sparsity != nil {
			v *= w.sparsity[i]
		}
		if w.sign != nil {
			switch mode {
			case Rectify:
				v = math.Max(v, 0) * w.sign[i]
			case Abs:
				v = math.Abs(v) * w.sign[i]
			case Clip:
				if w.sign[i] == 0 {
					v = 0
				}
			}
		}
		w.eff[i] = v
	}
}

// chain sets grad = dL/draw from effGrad = dL/deff through the sparsity
// mask and the Dale transform (plasticity is applied by the optimiser).
func (w *weight) chain(mode DaleMode) {
	for i, g := range w.effGrad {
		v := w.raw[i]
		if w.sparsity != nil {
			g *= w.sparsity[i]
			v *= w.sparsity[i]
		}
		if w.sign != nil {
			switch mode {
			case Rectify:
				if v > 0 {
					g *= w.sign[i]
				} else {
					g = 0
				}
			case Abs:
				if v >= 0 {
					g *= w.sign[i]
				} else {
					g *= -w.sign[i]
				}
			case Clip:
				if w.sign[i] == 0 {
					g = 0
				}
			}
		}
		w.grad[i] = g
	}
}

// scale is the factor the optimiser applies to every update of raw:
// plasticity ⊙ sparsity, or nil when every entry is 1.
func (w *weight) scale() []float64 {
	if w.sparsity == nil && w.plasticity == nil {
		return nil
	}
	s := make([]float64, len(w.raw))
	for i := range s {
		s[i] = 1
		if w.sparsity != nil {
			s[i] *= w.sparsity[i]
		}
		if w.plasticity != nil {
			s[i] *= w.plasticity[i]
		}
	}
	return s
}
