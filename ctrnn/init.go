// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// initialize draws the weights from the configured scheme, puts them on
// their constraints, balances E/I if asked and rescales W_rec's spectral
// radius.
func (m *Model) initialize() error {
	c := &m.cfg
	for k, w := range m.weights() {
		switch {
		case c.Init == InitPycog && k == 1 && w.sign != nil:
			// Gamma(k=2, θ=0.05) as a sum of two exponentials: mean 0.1.
			for i := range w.raw {
				w.raw[i] = 0.05 * (m.rng.ExpFloat64() + m.rng.ExpFloat64())
			}
		case c.Init == InitPycog && k == 1:
			for i := range w.raw {
				if i/w.cols != i%w.cols {
					w.raw[i] = m.rng.NormFloat64()
				}
			}
		case c.Init == InitPycog:
			for i := range w.raw {
				w.raw[i] = 0.1 * (2*m.rng.Float64() - 1)
			}
		case c.Init == InitUniform:
			bound := 1 / math.Sqrt(float64(max(w.cols, 1)))
			for i := range w.raw {
				w.raw[i] = bound * (2*m.rng.Float64() - 1)
			}
		case c.Init == InitNormal:
			sd := 1 / math.Sqrt(float64(max(w.cols, 1)))
			for i := range w.raw {
				w.raw[i] = sd * m.rng.NormFloat64()
			}
		case c.Init == InitZero:
			clear(w.raw)
		}
		// A signed weight takes its magnitude from the draw and its sign
		// from the mask (Clip) or from the transform (Rectify, Abs), so no
		// synapse starts dead.
		if w.sign != nil {
			for i, v := range w.raw {
				w.raw[i] = math.Abs(v)
				if c.Dale == Clip {
					w.raw[i] *= w.sign[i]
				}
			}
		}
	}
	if c.RecInitScale != nil {
		for i, v := range c.RecInitScale {
			m.wRec.raw[i] *= v
		}
	}
	m.project()
	if c.Balance {
		for _, w := range m.weights() {
			w.balance()
		}
		m.refresh()
	}
	rho := c.SpectralRadius
	if rho == 0 && c.Init == InitPycog {
		rho = 1.1
		if m.wRec.sign != nil {
			rho = 1.5
		}
	}
	if rho > 0 {
		r, err := spectralRadius(m.wRec.eff, m.cfg.Units)
		if err != nil {
			return err
		}
		if r > 0 {
			for i := range m.wRec.raw {
				m.wRec.raw[i] *= rho / r
			}
		}
		m.refresh()
	}
	return nil
}

// balance scales the larger of the summed excitatory and inhibitory
// effective magnitudes down to the other (nn4n's E/I balance). With one of
// them 0, the weight is divided by 10, as nn4n does.
func (w *weight) balance() {
	if w.sign == nil {
		return
	}
	var exc, inh float64
	for i, v := range w.eff {
		if w.sign[i] > 0 {
			exc += v
		} else if w.sign[i] < 0 {
			inh -= v
		}
	}
	switch {
	case exc == 0 || inh == 0:
		for i := range w.raw {
			w.raw[i] /= 10
		}
	case exc > inh:
		for i := range w.raw {
			if w.sign[i] > 0 {
				w.raw[i] *= inh / exc
			}
		}
	case inh > exc:
		for i := range w.raw {
			if w.sign[i] < 0 {
				w.raw[i] *= exc / inh
			}
		}
	}
}

// spectralRadius returns the largest eigenvalue modulus of the n×n matrix a.
func spectralRadius(a []float64, n int) (float64, error) {
	var eig mat.Eigen
	if !eig.Factorize(mat.NewDense(n, n, append([]float64(nil), a...)), mat.EigenNone) {
		return 0, fmt.Errorf("ctrnn: eigenvalue decomposition of W_rec failed")
	}
	var r float64
	for _, v := range eig.Values(nil) {
		r = max(r, math.Hypot(real(v), imag(v)))
	}
	return r, nil
}

// SpectralRadius returns the spectral radius of the effective W_rec.
func (m *Model) SpectralRadius() (float64, error) {
	return spectralRadius(m.wRec.eff, m.cfg.Units)
}
