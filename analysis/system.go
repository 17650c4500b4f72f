// SPDX-License-Identifier: MIT

// Package analysis studies the dynamics of trained models: the noise-free
// update map, its exact Jacobians, fixed and slow points found by a damped
// Newton (Levenberg–Marquardt) search from many initial states, and the
// linearisation around each point (Sussillo & Barak 2013).
//
// Everything is float64, whatever the model's compute precision.
package analysis

import (
	"errors"
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/internal/linalg"
)

// ErrNoisy is wrapped by the error FromModel returns for a model in
// training mode with noise switched on.
var ErrNoisy = errors.New("analysis: noisy model")

// System is the noise-free update of a model,
//
//	F(x; u) = (1−α)⊙x + α⊙(W_rec f(x) + b_rec + W_in v(u) + b_in),
//
// with the effective weights, per-unit α and v(u) = u, or pycog's
// [u0 + u]₊ when the model has an input baseline or input noise. A System
// is a copy: later changes to the model do not affect it. Its methods are
// safe for concurrent use.
type System struct {
	I, N  int
	Act   ctrnn.Activation
	Alpha []float64 // N
	WRec  []float64 // N×N, effective, (post, pre)
	WIn   []float64 // N×I, effective, (post, pre)
	Bias  []float64 // b_rec + b_in, N
	// InputOn applies pycog's input model v = [U0 + u]₊.
	InputOn bool
	U0      float64
}

// FromModel returns the noise-free update of m. A model in training mode
// with any noise switched on is rejected: its update is stochastic, and
// its fixed points are those of the evaluation mode, so call
// m.SetTraining(false) first (the noise settings themselves are ignored by
// a model in evaluation mode).
func FromModel(m *ctrnn.Model) (*System, error) {
	if m == nil {
		return nil, fmt.Errorf("analysis: model is nil")
	}
	cfg := m.Config()
	if m.Training() {
		for _, v := range []struct {
			name string
			v    float64
		}{{"pre_noise", cfg.PreNoise}, {"rec_noise", cfg.RecNoise}, {"post_noise", cfg.PostNoise}, {"input_noise", cfg.InputNoise}} {
			if v.v != 0 {
				return nil, fmt.Errorf("%w: model is in training mode with %s = %g: fixed points are of the noise-free update; switch training off first", ErrNoisy, v.name, v.v)
			}
		}
	}
	i, n, _ := m.Dims()
	s := &System{I: i, N: n, Act: cfg.Activation, InputOn: cfg.InputBaseline != 0 || cfg.InputNoise != 0, U0: cfg.InputBaseline}
	var err error
	get := func(name string) []float64 {
		if err != nil {
			return nil
		}
		var v []float64
		v, err = m.Array(name)
		return v
	}
	s.Alpha, s.WRec, s.WIn = get("alpha"), get("w_rec_eff"), get("w_in_eff")
	bRec, bIn := get("b_rec"), get("b_in")
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	s.Bias = make([]float64, n)
	for j := range s.Bias {
		s.Bias[j] = bRec[j] + bIn[j]
	}
	return s, s.Validate()
}

// Validate reports the first inconsistency in s's dimensions or values.
func (s *System) Validate() error {
	if s.N < 1 || s.I < 0 {
		return fmt.Errorf("analysis: N = %d, I = %d: want N ≥ 1, I ≥ 0", s.N, s.I)
	}
	for _, a := range []struct {
		name string
		v    []float64
		n    int
	}{{"Alpha", s.Alpha, s.N}, {"WRec", s.WRec, s.N * s.N}, {"WIn", s.WIn, s.N * s.I}, {"Bias", s.Bias, s.N}} {
		if len(a.v) != a.n {
			return fmt.Errorf("analysis: len(%s) = %d, want %d", a.name, len(a.v), a.n)
		}
		if k := firstNonFinite(a.v); k >= 0 {
			return fmt.Errorf("analysis: %s[%d] = %g is not finite", a.name, k, a.v[k])
		}
	}
	for j, a := range s.Alpha {
		if !(a > 0 && a <= 1) {
			return fmt.Errorf("analysis: Alpha[%d] = %g, want 0 < α ≤ 1", j, a)
		}
	}
	return nil
}

func firstNonFinite(v []float64) int {
	for k, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return k
		}
	}
	return -1
}

// drive returns c = b + W_in v(u) and the gate ∂v/∂u (1 or 0 per input),
// checking u. A nil u is the zero input.
func (s *System) drive(u []float64) (c, gate []float64, err error) {
	if u == nil {
		u = make([]float64, s.I)
	}
	if len(u) != s.I {
		return nil, nil, fmt.Errorf("analysis: input u has length %d, want the model's %d inputs", len(u), s.I)
	}
	if k := firstNonFinite(u); k >= 0 {
		return nil, nil, fmt.Errorf("analysis: input u[%d] = %g is not finite", k, u[k])
	}
	v := make([]float64, s.I)
	gate = make([]float64, s.I)
	for k, x := range u {
		v[k], gate[k] = x, 1
		if s.InputOn {
			v[k] = x + s.U0
			if v[k] <= 0 {
				v[k], gate[k] = 0, 0
			}
		}
	}
	c = append([]float64(nil), s.Bias...)
	if s.I > 0 {
		linalg.Gemv(false, s.N, s.I, 1, s.WIn, s.I, v, 1, c)
	}
	return c, gate, nil
}

// stepRows sets out = F(x) for the p rows of x (p×N), given c from drive.
// r receives f(x) and d, when non-nil, f'(x). The recurrent product of all
// rows is one matrix multiply.
func (s *System) stepRows(p int, x, c, out, r, d []float64) {
	n := s.N
	s.Act.Eval(x[:p*n], r, d)
	linalg.Gemm(false, true, p, n, n, 1, r, n, s.WRec, n, 0, out, n)
	for b := 0; b < p; b++ {
		xo, o := x[b*n:(b+1)*n], out[b*n:(b+1)*n]
		for j, a := range s.Alpha {
			o[j] = (1-a)*xo[j] + a*(o[j]+c[j])
		}
	}
}

// Step sets out (p×N) = F(x; u) for the p = len(x)/N states in x.
func (s *System) Step(x, u, out []float64) error {
	p, err := s.rows(x, "x")
	if err != nil {
		return err
	}
	if len(out) != len(x) {
		return fmt.Errorf("analysis: len(out) = %d, want len(x) = %d", len(out), len(x))
	}
	c, _, err := s.drive(u)
	if err != nil {
		return err
	}
	s.stepRows(p, x, c, out, make([]float64, len(x)), nil)
	return nil
}

func (s *System) rows(x []float64, name string) (int, error) {
	if len(x) == 0 || len(x)%s.N != 0 {
		return 0, fmt.Errorf("analysis: %s has length %d, want a positive multiple of N = %d", name, len(x), s.N)
	}
	if k := firstNonFinite(x); k >= 0 {
		return 0, fmt.Errorf("analysis: %s[%d] (state %d, unit %d) = %g is not finite", name, k, k/s.N, k%s.N, x[k])
	}
	return len(x) / s.N, nil
}

// Jacobian sets jx (N×N, row-major, may be nil) to ∂F/∂x = diag(1−α) +
// diag(α) W_rec diag(f'(x)) and ju (N×I, may be nil) to ∂F/∂u =
// diag(α) W_in diag(∂v/∂u) at the state x and constant input u.
func (s *System) Jacobian(x, u, jx, ju []float64) error {
	if len(x) != s.N {
		return fmt.Errorf("analysis: state x has length %d, want N = %d", len(x), s.N)
	}
	if _, err := s.rows(x, "x"); err != nil {
		return err
	}
	_, gate, err := s.drive(u)
	if err != nil {
		return err
	}
	if jx != nil && len(jx) != s.N*s.N {
		return fmt.Errorf("analysis: len(jx) = %d, want N×N = %d", len(jx), s.N*s.N)
	}
	if ju != nil && len(ju) != s.N*s.I {
		return fmt.Errorf("analysis: len(ju) = %d, want N×I = %d", len(ju), s.N*s.I)
	}
	if jx != nil {
		r, d := make([]float64, s.N), make([]float64, s.N)
		s.Act.Eval(x, r, d)
		s.jacobianX(d, jx)
	}
	if ju != nil {
		for j, a := range s.Alpha {
			for k, g := range gate {
				ju[j*s.I+k] = a * s.WIn[j*s.I+k] * g
			}
		}
	}
	return nil
}

// jacobianX sets jx = diag(1−α) + diag(α) W diag(d).
func (s *System) jacobianX(d, jx []float64) {
	n := s.N
	for j, a := range s.Alpha {
		row, w := jx[j*n:(j+1)*n], s.WRec[j*n:(j+1)*n]
		for k := range row {
			row[k] = a * w[k] * d[k]
		}
		row[j] += 1 - a
	}
}
