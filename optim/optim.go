// SPDX-License-Identifier: MIT

// Package optim updates a model's parameters from their gradients: plain SGD
// with pycog's global-norm clipping and NaN/Inf guard, and Adam with
// torch.optim.Adam's defaults and update rule.
//
// Every parameter carries a Scale (plasticity ⊙ sparsity): the optimiser
// multiplies its final step by it, so an entry with scale 0 never moves,
// whatever the optimiser's internal state, weight decay or guard does.
package optim

import (
	"fmt"
	"math"
)

// Param is one trained array with its gradient.
type Param struct {
	Name  string
	Value []float64 // updated in place
	Grad  []float64 // dL/dValue, same length
	// Scale multiplies every step (nil = all ones).
	Scale []float64
	// ShrinkOnGuard marks the parameter pycog shrinks when the gradient
	// norm is not finite (W_rec): its step becomes 0.02·Value.
	ShrinkOnGuard bool
}

// Info reports what one step did.
type Info struct {
	// GradNorm is the global L2 norm of the scaled gradients before clipping.
	GradNorm float64
	// Guarded is true when the NaN/Inf guard replaced the gradients.
	Guarded bool
}

// Optimizer updates parameters in place from their gradients.
type Optimizer interface {
	Step(ps []Param) (Info, error)
	// Reset forgets the optimiser's state (moments, step count).
	Reset()
}

// GuardLimit is the gradient norm above which pycog's guard fires.
const GuardLimit = 1e10

// guardShrink is pycog's W_rec step factor when the guard fires.
const guardShrink = 0.02

func scaled(p Param, i int) float64 {
	if p.Scale == nil {
		return p.Grad[i]
	}
	return p.Grad[i] * p.Scale[i]
}

func scaleAt(p Param, i int) float64 {
	if p.Scale == nil {
		return 1
	}
	return p.Scale[i]
}

// globalNorm is the L2 norm of all scaled gradients together.
func globalNorm(ps []Param) float64 {
	var s float64
	for _, p := range ps {
		if p.Scale == nil {
			for _, g := range p.Grad {
				s += g * g
			}
			continue
		}
		scale := p.Scale[:len(p.Grad)]
		for i, g := range p.Grad {
			g *= scale[i]
			s += g * g
		}
	}
	return math.Sqrt(s)
}

func check(ps []Param) error {
	for _, p := range ps {
		if len(p.Grad) != len(p.Value) || p.Scale != nil && len(p.Scale) != len(p.Value) {
			return fmt.Errorf("optim: parameter %q has %d values, %d gradients and %d scales", p.Name, len(p.Value), len(p.Grad), len(p.Scale))
		}
	}
	return nil
}

// guarded reports whether a gradient norm trips pycog's guard.
func guarded(norm float64) bool {
	return math.IsNaN(norm) || math.IsInf(norm, 0) || norm < 0 || norm > GuardLimit
}

// shrink applies the guard's step: W ← W − lr·0.02·W on ShrinkOnGuard
// parameters (scaled), nothing elsewhere.
func shrink(ps []Param, lr float64) {
	for _, p := range ps {
		if !p.ShrinkOnGuard {
			continue
		}
		for i := range p.Value {
			p.Value[i] -= lr * guardShrink * p.Value[i] * scaleAt(p, i)
		}
	}
}

// SGD is plain stochastic gradient descent, pycog's optimiser:
// θ ← θ − LR·clip(g), where clip rescales all gradients together to global
// norm MaxNorm when it is exceeded (MaxNorm 0 = no clipping). With Guard,
// a NaN, infinite or huge (> 1e10) norm skips the update and shrinks
// ShrinkOnGuard parameters by LR·0.02 instead.
type SGD struct {
	LR      float64
	MaxNorm float64
	Guard   bool
}

// NewSGD returns Song et al.'s settings: LR 0.01, MaxNorm 1, Guard on.
func NewSGD() *SGD { return &SGD{LR: 0.01, MaxNorm: 1, Guard: true} }

// Reset does nothing: SGD has no state.
func (o *SGD) Reset() {}

// Step updates ps in place.
func (o *SGD) Step(ps []Param) (Info, error) {
	if err := check(ps); err != nil {
		return Info{}, err
	}
	if !(o.LR >= 0) || !(o.MaxNorm >= 0) {
		return Info{}, fmt.Errorf("optim: SGD needs LR ≥ 0 and MaxNorm ≥ 0, have %v and %v", o.LR, o.MaxNorm)
	}
	norm := globalNorm(ps)
	if o.Guard && guarded(norm) {
		shrink(ps, o.LR)
		return Info{GradNorm: norm, Guarded: true}, nil
	}
	k := o.LR
	if o.MaxNorm > 0 && norm > o.MaxNorm {
		k *= o.MaxNorm / norm
	}
	for _, p := range ps {
		for i := range p.Value {
			p.Value[i] -= k * scaled(p, i)
		}
	}
	return Info{GradNorm: norm}, nil
}

// Adam is torch.optim.Adam (amsgrad off): with g ← g + WeightDecay·θ,
// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², and
// θ ← θ − LR/(1−β1ᵗ)·m/(√v/√(1−β2ᵗ) + Eps), the step scaled by Scale.
// MaxNorm > 0 clips the global norm first; Guard skips non-finite steps as
// SGD does.
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64
	MaxNorm                            float64
	Guard                              bool

	t    int
	m, v [][]float64
}

// NewAdam returns torch's defaults: LR 1e-3, β = (0.9, 0.999), Eps 1e-8,
// no weight decay, no clipping, guard on.
func NewAdam() *Adam { return &Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Guard: true} }

// Reset forgets the moments and the step count.
func (o *Adam) Reset() { o.t, o.m, o.v = 0, nil, nil }

// Step updates ps in place.
func (o *Adam) Step(ps []Param) (Info, error) {
	if err := check(ps); err != nil {
		return Info{}, err
	}
	if !(o.LR >= 0) || !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) || !(o.Eps > 0) || !(o.WeightDecay >= 0) || !(o.MaxNorm >= 0) {
		return Info{}, fmt.Errorf("optim: Adam needs LR ≥ 0, 0 ≤ β1, β2 < 1, Eps > 0, WeightDecay ≥ 0, MaxNorm ≥ 0")
	}
	if len(o.m) != len(ps) {
		o.Reset()
		o.m, o.v = make([][]float64, len(ps)), make([][]float64, len(ps))
	}
	for k, p := range ps {
		if len(o.m[k]) != len(p.Value) {
			o.m[k], o.v[k] = make([]float64, len(p.Value)), make([]float64, len(p.Value))
		}
	}
	norm := globalNorm(ps)
	if o.Guard && guarded(norm) {
		shrink(ps, o.LR)
		return Info{GradNorm: norm, Guarded: true}, nil
	}
	clip := 1.0
	if o.MaxNorm > 0 && norm > o.MaxNorm {
		clip = o.MaxNorm / norm
	}
	o.t++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.t))
	bc2 := math.Sqrt(1 - math.Pow(o.Beta2, float64(o.t)))
	step := o.LR / bc1
	for k, p := range ps {
		m, v := o.m[k], o.v[k]
		i := 0
		if n8 := len(p.Value) &^ 7; hasAdam8 && n8 > 0 {
			consts := [9]float64{clip, o.WeightDecay, o.Beta1, 1 - o.Beta1, o.Beta2, 1 - o.Beta2, step, bc2, o.Eps}
			var scale *float64
			if p.Scale != nil {
				scale = &p.Scale[0]
			}
			adam8(n8, &p.Value[0], &p.Grad[0], &m[0], &v[0], scale, &consts)
			i = n8
		}
		for ; i < len(p.Value); i++ {
			g := clip*p.Grad[i] + o.WeightDecay*p.Value[i]
			m[i] = o.Beta1*m[i] + (1-o.Beta1)*g
			v[i] = o.Beta2*v[i] + (1-o.Beta2)*g*g
			p.Value[i] -= step * m[i] / (math.Sqrt(v[i])/bc2 + o.Eps) * scaleAt(p, i)
		}
	}
	return Info{GradNorm: norm}, nil
}
