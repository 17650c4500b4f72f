// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/optim"
)

// f32Tol is the stated agreement of float32 compute with float64:
// ‖a−b‖/max(‖a‖,‖b‖) per array.
const f32Tol = 1e-4

// TestFloat32MatchesFloat64 runs the same model, noise and batch in both
// precisions and compares outputs, rates and every gradient.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, act := range []Activation{ReLU, Tanh, Softplus} {
		for _, head := range []Head{LinearHead, SoftmaxHead} {
			t.Run(act.String()+"/"+head.String(), func(t *testing.T) {
				cfg := testConfig(act, head, Rectify, 21)
				cfg.Units = 7
				models := make([]*Model, 2)
				for k, p := range []Precision{Float64, Float32} {
					cfg.Precision = p
					m, err := New(cfg)
					if err != nil {
						t.Fatal(err)
					}
					randomizeParams(m, 21)
					models[k] = m
				}
				b := randomBatch(21, 4, 30, 3, 2)
				var trs [2]*Trajectory
				var grads [2][][]float64
				for k, m := range models {
					tr, err := m.Forward(b, Needs{Rates: true, States: true})
					if err != nil {
						t.Fatal(err)
					}
					trs[k] = tr
					m.Reseed(21) // same noise for the gradient pass in both
					if _, err := m.Gradient(b, &probe{seed: 21, lambdaOmega: 2}); err != nil {
						t.Fatal(err)
					}
					for _, p := range m.Params() {
						grads[k] = append(grads[k], p.Grad)
					}
				}
				for _, c := range []struct {
					name string
					a, b []float64
				}{{"outputs", trs[0].Outputs, trs[1].Outputs}, {"rates", trs[0].Rates, trs[1].Rates}, {"states", trs[0].States, trs[1].States}} {
					if e := relErr(c.a, c.b); e > f32Tol {
						t.Errorf("%s: float32 vs float64 relative error %.3g > %g", c.name, e, f32Tol)
					}
				}
				for i, p := range models[0].Params() {
					if e := relErr(grads[0][i], grads[1][i]); e > f32Tol {
						t.Errorf("grad %s: float32 vs float64 relative error %.3g > %g", p.Name, e, f32Tol)
					}
				}
			})
		}
	}
}

// trainRun trains a fresh model for a few Adam steps and returns its
// outputs, gradients and weights.
func trainRun(t *testing.T, cfg Config) (out []float64, grad []float64, weights []float64) {
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(4, 5, 20, cfg.Inputs, cfg.Outputs)
	opt := optim.NewAdam()
	for k := 0; k < 5; k++ {
		if _, err := m.TrainStep(b, &probe{seed: 4, lambdaOmega: 2}, opt); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := m.Forward(b, Needs{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		grad = append(grad, p.Grad...)
		weights = append(weights, p.Value...)
	}
	return tr.Outputs, grad, weights
}

// TestSeedReproducible checks that the same seed gives bit-identical
// outputs, gradients and trained weights, and another seed does not.
func TestSeedReproducible(t *testing.T) {
	for _, p := range []Precision{Float64, Float32} {
		cfg := testConfig(Tanh, LinearHead, Rectify, 77)
		cfg.Precision = p
		o1, g1, w1 := trainRun(t, cfg)
		o2, g2, w2 := trainRun(t, cfg)
		if !slices.Equal(o1, o2) || !slices.Equal(g1, g2) || !slices.Equal(w1, w2) {
			t.Errorf("%v: two runs with seed 77 differ", p)
		}
		cfg.Seed = 78
		o3, _, w3 := trainRun(t, cfg)
		if slices.Equal(o1, o3) || slices.Equal(w1, w3) {
			t.Errorf("%v: seeds 77 and 78 give identical runs", p)
		}
	}
}

// TestConstraintsHoldUnderTraining takes 1000 optimiser steps with random
// gradients in each Dale mode and checks signs, sparsity zeros and fixed
// weights exactly after every step.
func TestConstraintsHoldUnderTraining(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		for _, opt := range []optim.Optimizer{&optim.SGD{LR: 0.5, MaxNorm: 0, Guard: true}, &optim.Adam{LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, Guard: true}} {
			cfg := testConfig(ReLU, LinearHead, dale, 5)
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ws := m.weights()
			cons := []Constraint{cfg.In, cfg.Rec, cfg.Out}
			initial := [3][]float64{}
			for k, w := range ws {
				initial[k] = append([]float64(nil), w.raw...)
			}
			check := func(step int) {
				for k, w := range ws {
					sign := expandSign(cons[k].Sign, w.rows, w.cols)
					for i, v := range w.eff {
						switch {
						case cons[k].Sparsity[i] == 0 && (v != 0 || w.raw[i] != 0):
							t.Fatalf("%v step %d: weight %d entry %d is %v outside the sparsity mask", dale, step, k, i, v)
						case sign[i] > 0 && v < 0, sign[i] < 0 && v > 0:
							t.Fatalf("%v step %d: weight %d entry %d = %v violates sign %v", dale, step, k, i, v, sign[i])
						case cons[k].Plasticity[i] == 0 && w.raw[i] != initial[k][i]:
							t.Fatalf("%v step %d: fixed weight %d entry %d moved from %v to %v", dale, step, k, i, initial[k][i], w.raw[i])
						}
					}
				}
			}
			check(0)
			rng := newTestRand(5)
			for step := 1; step <= 1000; step++ {
				ps := m.Params()
				for _, p := range ps {
					for i := range p.Grad {
						p.Grad[i] = rng.NormFloat64()
					}
				}
				if step%250 == 0 { // exercise the NaN guard too
					ps[1].Grad[0] = math.NaN()
				}
				if _, err := opt.Step(ps); err != nil {
					t.Fatal(err)
				}
				m.Project()
				check(step)
			}
		}
	}
}

// TestStepMatchesForward checks that stepping states one step at a time,
// as a simulator does, reproduces a noiseless forward pass, for one state
// (a matrix-vector product) and two (a matrix product).
func TestStepMatchesForward(t *testing.T) {
	for _, c := range []struct {
		p  Precision
		nb int
	}{{Float64, 1}, {Float32, 1}, {Float64, 2}, {Float32, 2}, {Float64, 5}, {Float32, 5}, {Float64, 8}, {Float32, 8}} {
		p, nb := c.p, c.nb
		cfg := testConfig(Softplus, SigmoidHead, Abs, 8)
		cfg.Precision = p
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		randomizeParams(m, 8)
		m.SetTraining(false)
		const nt = 12
		i, n, o := m.Dims()
		b := randomBatch(8, nb, nt, i, o)
		tr, err := m.Forward(b, Needs{Rates: true, States: true})
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, nb*n)
		for k := range x {
			x[k] = m.x0[k%n]
		}
		u, r, y := make([]float64, nb*i), make([]float64, nb*n), make([]float64, nb*o)
		tol := 1e-12
		if p == Float32 {
			tol = 1e-5
		}
		for s := 0; s < nt; s++ {
			for k := 0; k < nb; k++ {
				copy(u[k*i:(k+1)*i], b.Input[(k*nt+s)*i:(k*nt+s+1)*i])
			}
			if err := m.Step(nb, x, u, r, y); err != nil {
				t.Fatal(err)
			}
			for k := 0; k < nb; k++ {
				for j := 0; j < n; j++ {
					if d := math.Abs(x[k*n+j] - tr.States[(k*nt+s)*n+j]); d > tol*math.Max(1, math.Abs(x[k*n+j])) {
						t.Fatalf("%v step %d trial %d unit %d: state %v, forward %v", p, s, k, j, x[k*n+j], tr.States[(k*nt+s)*n+j])
					}
				}
				for j := 0; j < o; j++ {
					if d := math.Abs(y[k*o+j] - tr.Outputs[(k*nt+s)*o+j]); d > tol*math.Max(1, math.Abs(y[k*o+j])) {
						t.Fatalf("%v step %d: output %v, forward %v", p, s, y[k*o+j], tr.Outputs[(k*nt+s)*o+j])
					}
				}
			}
		}
		if allocs := testing.AllocsPerRun(100, func() { _ = m.Step(nb, x, u, r, y) }); allocs != 0 {
			t.Errorf("%v: Step allocates %v times per call", p, allocs)
		}
	}
}

// TestNoiseOnlyInTraining checks nn4n's defect is not repeated: noise is on
// in training mode from the start, and off in evaluation mode.
func TestNoiseOnlyInTraining(t *testing.T) {
	cfg := Config{Inputs: 1, Units: 10, Outputs: 1, PreNoise: 0.1, PostNoise: 0.1, Seed: 3}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(3, 2, 10, 1, 1)
	run := func() []float64 {
		tr, err := m.Forward(b, Needs{})
		if err != nil {
			t.Fatal(err)
		}
		return tr.Outputs
	}
	if a, c := run(), run(); slices.Equal(a, c) {
		t.Error("training mode: two passes are identical, noise is off")
	}
	m.SetTraining(false)
	if a, c := run(), run(); !slices.Equal(a, c) {
		t.Error("evaluation mode: two passes differ, noise is on")
	}
}

// TestBadInputs checks that malformed batches and configs return errors.
func TestBadInputs(t *testing.T) {
	for _, cfg := range []Config{
		{Inputs: -1, Units: 3, Outputs: 1},
		{Inputs: 1, Units: 0, Outputs: 1},
		{Inputs: 1, Units: 3, Outputs: 1, Alpha: 1.5},
		{Inputs: 1, Units: 3, Outputs: 1, PreNoise: math.NaN()},
		{Inputs: 1, Units: 3, Outputs: 1, Rec: Constraint{Sign: []float64{1, 2, 1}}},
		{Inputs: 1, Units: 3, Outputs: 1, Rec: Constraint{Sparsity: []float64{1, 0}}},
		{Inputs: 1, Units: 3, Outputs: 1, Out: Constraint{Plasticity: []float64{0.5, 2, 0}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted an invalid config", cfg)
		}
	}
	m, err := New(Config{Inputs: 2, Units: 3, Outputs: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*Batch{
		nil,
		{B: 0, T: 1},
		{B: 1, T: 2, Input: make([]float64, 3)},
		{B: 1, T: 1, Input: []float64{1, math.Inf(1)}},
		{B: 1, T: 1, Input: []float64{1, 1}, X0: []float64{1}},
	} {
		if _, err := m.Forward(b, Needs{}); err == nil {
			t.Errorf("Forward(%+v) accepted an invalid batch", b)
		}
	}
}

// TestReseedKeepsPacking checks that setting "seed", which the Python
// CTRNN does before every forward pass, leaves the loaded parameters alone
// (no projection, no reloading of the packed weights) and that outputs
// stay those of a model that was never reseeded.
func TestReseedKeepsPacking(t *testing.T) {
	cfg := testConfig(ReLU, LinearHead, Clip, 71)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	b := randomBatch(71, 5, 7, cfg.Inputs, cfg.Outputs)
	want, err := m.Forward(b, Needs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetScalar("seed", 12345); err != nil {
		t.Fatal(err)
	}
	if m.stale {
		t.Error("setting the seed marked the parameters stale")
	}
	if s, _ := m.Scalar("seed"); s != 12345 {
		t.Errorf("seed reads %v after setting 12345", s)
	}
	got, err := m.Forward(b, Needs{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Outputs, want.Outputs) {
		t.Error("outputs changed after a reseed in evaluation mode")
	}
}
