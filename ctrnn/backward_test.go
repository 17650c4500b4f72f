// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomUpstream returns upstream gradients for every trajectory of b.
func randomUpstream(seed uint64, b *Batch, n, o int, rates, states bool) *Upstream {
	rng := rand.New(rand.NewPCG(seed, 13))
	fill := func(k int) []float64 {
		v := make([]float64, k)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	up := &Upstream{Outputs: fill(b.B * b.T * o)}
	if rates {
		up.Rates = fill(b.B * b.T * n)
	}
	if states {
		up.States = fill(b.B * b.T * n)
	}
	return up
}

// checkBackward compares Backward's input, initial-state and parameter
// gradients with central differences of ℓ = ⟨G, trajectory⟩, noise held.
func checkBackward(t *testing.T, m *Model, b *Batch, up *Upstream) {
	t.Helper()
	i, n, o := m.Dims()
	obj := upstreamObjective{up}
	gu := make([]float64, b.B*b.T*i)
	gx0 := make([]float64, b.B*n)
	y := make([]float64, b.B*b.T*o)
	m.FreezeNoise(false)
	if _, err := m.Backward(b, up, y, gu, gx0); err != nil { // draws the key
		t.Fatal(err)
	}
	m.FreezeNoise(true)
	defer m.FreezeNoise(false)
	l, err := m.Backward(b, up, y, gu, gx0)
	if err != nil {
		t.Fatal(err)
	}
	if lf := lossOf(t, m, b, obj); lf != l {
		t.Errorf("Backward's value %v, forward's %v", l, lf)
	}
	fdOf := func(v []float64, after func()) []float64 {
		fd := make([]float64, len(v))
		for k := range v {
			old := v[k]
			v[k] = old + fdStep
			after()
			lp := lossOf(t, m, b, obj)
			v[k] = old - fdStep
			after()
			lm := lossOf(t, m, b, obj)
			v[k] = old
			after()
			fd[k] = (lp - lm) / (2 * fdStep)
		}
		return fd
	}
	if i > 0 {
		fd := fdOf(b.Input, func() {})
		if e := relErr(gu, fd); e > gradTol {
			t.Errorf("input: relative error %.3g > %g\n bptt %v\n fd   %v", e, gradTol, gu, fd)
		}
	}
	if b.X0 != nil {
		fd := fdOf(b.X0, func() {})
		if e := relErr(gx0, fd); e > gradTol {
			t.Errorf("x0: relative error %.3g > %g\n bptt %v\n fd   %v", e, gradTol, gx0, fd)
		}
	}
	for _, p := range m.Params() {
		fd := fdOf(p.Value, m.refresh)
		if e := relErr(p.Grad, fd); e > gradTol {
			t.Errorf("%s: relative error %.3g > %g\n bptt %v\n fd   %v", p.Name, e, gradTol, p.Grad, fd)
		}
	}
}

func TestBackwardFiniteDifferences(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		for _, act := range []Activation{ReLU, Tanh, Softplus} {
			for _, head := range []Head{LinearHead, SigmoidHead} {
				for _, extra := range []bool{false, true} {
					name := fmt.Sprintf("%v/%v/%v/rates+states=%v", dale, act, head, extra)
					t.Run(name, func(t *testing.T) {
						seed := uint64(dale)*100 + uint64(act)*10 + uint64(head) + 7
						m, err := New(testConfig(act, head, dale, seed))
						if err != nil {
							t.Fatal(err)
						}
						randomizeParams(m, seed)
						b := randomBatch(seed, 5, 6, 3, 2)
						if extra { // the batch's x0 replaces the model's
							b.X0 = make([]float64, 5*7)
							for k := range b.X0 {
								b.X0[k] = 0.3*float64(k%5-2) + 0.05 // away from ReLU's kink
							}
						}
						checkBackward(t, m, b, randomUpstream(seed, b, 7, 2, extra, extra))
					})
				}
			}
		}
	}
}

// TestBackwardNoInputs covers I = 0 (no input gradient) and a batch of one.
func TestBackwardNoInputs(t *testing.T) {
	cfg := Config{Inputs: 0, Units: 5, Outputs: 1, Activation: Tanh, Init: InitNormal,
		RecNoise: 0.1, TrainBiasRec: true, TrainX0: true, Seed: 3}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	randomizeParams(m, 3)
	b := randomBatch(3, 1, 9, 0, 1)
	checkBackward(t, m, b, randomUpstream(3, b, 5, 1, true, false))
}

// TestBackwardFloat32 checks that float32 agrees with float64 to 1e-4
// (relative, every gradient), in evaluation mode.
func TestBackwardFloat32(t *testing.T) {
	var res [2]struct {
		gu, gx0, y []float64
		grads      map[string][]float64
	}
	for k, prec := range []Precision{Float64, Float32} {
		cfg := testConfig(Tanh, LinearHead, Rectify, 5)
		cfg.Precision = prec
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		randomizeParams(m, 5)
		m.SetTraining(false)
		b := randomBatch(5, 9, 20, 3, 2)
		up := randomUpstream(5, b, 7, 2, true, true)
		r := &res[k]
		r.gu, r.gx0, r.y = make([]float64, 9*20*3), make([]float64, 9*7), make([]float64, 9*20*2)
		if _, err := m.Backward(b, up, r.y, r.gu, r.gx0); err != nil {
			t.Fatal(err)
		}
		r.grads = map[string][]float64{}
		for _, p := range m.Params() {
			r.grads[p.Name] = append([]float64(nil), p.Grad...)
		}
	}
	const tol = 1e-4
	for _, c := range []struct {
		name string
		a, b []float64
	}{{"outputs", res[0].y, res[1].y}, {"input", res[0].gu, res[1].gu}, {"x0", res[0].gx0, res[1].gx0}} {
		e := relErr(c.a, c.b)
		t.Logf("%s: float32 vs float64 relative error %.3g", c.name, e)
		if e > tol {
			t.Errorf("%s: float32 vs float64 relative error %.3g > %g", c.name, e, tol)
		}
	}
	for name, g := range res[0].grads {
		if e := relErr(g, res[1].grads[name]); e > tol {
			t.Errorf("%s: float32 vs float64 relative error %.3g > %g", name, e, tol)
		}
	}
}

// TestBackwardErrors checks that bad shapes are errors naming the array.
func TestBackwardErrors(t *testing.T) {
	m, err := New(Config{Inputs: 2, Units: 4, Outputs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(1, 2, 3, 2, 1)
	if _, err := m.Backward(b, &Upstream{Outputs: make([]float64, 5)}, nil, nil, nil); err == nil {
		t.Error("a short output gradient was accepted")
	}
	if _, err := m.Backward(b, nil, nil, make([]float64, 3), nil); err == nil {
		t.Error("a short input gradient buffer was accepted")
	}
	if _, err := m.Backward(b, nil, nil, nil, make([]float64, 4)); err == nil {
		t.Error("a short x0 gradient buffer was accepted")
	}
}
