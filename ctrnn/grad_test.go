// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gradTol is the bound on ‖g − g_fd‖/max(‖g‖, ‖g_fd‖) in float64.
const gradTol = 1e-6

// fdStep is the central-difference step.
const fdStep = 1e-6

// testConfig returns a small model with every mask kind on every weight.
func testConfig(act Activation, head Head, dale DaleMode, seed uint64) Config {
	const ni, n, no = 3, 7, 2
	rng := rand.New(rand.NewPCG(seed, 3))
	mask := func(rows, cols int, density float64) []float64 {
		m := make([]float64, rows*cols)
		for i := range m {
			if rng.Float64() < density {
				m[i] = 1
			}
		}
		return m
	}
	plastic := func(rows, cols int) []float64 {
		p := make([]float64, rows*cols)
		for i := range p {
			p[i] = []float64{0, 0.5, 1, 1}[rng.IntN(4)]
		}
		return p
	}
	unitSign := make([]float64, n)
	for j := range unitSign {
		unitSign[j] = 1
		if j >= 5 {
			unitSign[j] = -1
		}
	}
	inSign := make([]float64, n*ni)
	for i := range inSign {
		inSign[i] = 1
	}
	return Config{
		Inputs: ni, Units: n, Outputs: no,
		Activation: act, Head: head, Dale: dale, Init: InitNormal,
		Alphas:     []float64{0.1, 0.2, 0.3, 0.15, 0.5, 0.25, 1},
		LearnAlpha: true,
		PreNoise:   0.1, RecNoise: 0.15, PostNoise: 0.05,
		InputBaseline: 0.2, InputNoise: 0.01,
		X0: 0.1, TrainX0: true,
		TrainBiasIn: true, TrainBiasRec: true, TrainBiasOut: true,
		In:   Constraint{Sparsity: mask(n, ni, 0.8), Sign: inSign, Plasticity: plastic(n, ni)},
		Rec:  Constraint{Sparsity: mask(n, n, 0.7), Sign: unitSign, Plasticity: plastic(n, n)},
		Out:  Constraint{Sparsity: mask(no, n, 0.9), Sign: unitSign, Plasticity: plastic(no, n)},
		Seed: seed,
	}
}

// randomizeParams gives every trained parameter a generic value (away from
// kinks) so that finite differences see every path.
func randomizeParams(m *Model, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 5))
	for _, p := range m.Params() {
		for i := range p.Value {
			switch p.Name {
			case "alpha":
				p.Value[i] = 0.1 + 0.8*rng.Float64()
			case "w_rec":
				p.Value[i] = 0.6 * rng.NormFloat64()
			default:
				p.Value[i] = 0.5 * rng.NormFloat64()
			}
		}
	}
	m.project()
}

// checkGradient compares every parameter's BPTT gradient with central
// differences of the objective, noise samples held fixed.
func checkGradient(t *testing.T, m *Model, b *Batch, obj Objective) {
	t.Helper()
	m.FreezeNoise(false)
	if _, err := m.Gradient(b, obj); err != nil {
		t.Fatal(err)
	}
	m.FreezeNoise(true)
	defer m.FreezeNoise(false)
	if _, err := m.Gradient(b, obj); err != nil { // same noise as the FD passes
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		fd := make([]float64, len(p.Value))
		for i := range p.Value {
			v := p.Value[i]
			p.Value[i] = v + fdStep
			m.refresh()
			lp := lossOf(t, m, b, obj)
			p.Value[i] = v - fdStep
			m.refresh()
			lm := lossOf(t, m, b, obj)
			p.Value[i] = v
			m.refresh()
			fd[i] = (lp - lm) / (2 * fdStep)
		}
		if e := relErr(p.Grad, fd); e > gradTol {
			t.Errorf("%s: relative error %.3g > %g\n bptt %v\n fd   %v", p.Name, e, gradTol, p.Grad, fd)
		}
	}
}

func TestGradientFiniteDifferences(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		for _, act := range []Activation{ReLU, Tanh, Sigmoid, ReTanh, Softplus, Linear} {
			for _, head := range []Head{LinearHead, SigmoidHead, SoftmaxHead} {
				name := fmt.Sprintf("%v/%v/%v", dale, act, head)
				t.Run(name, func(t *testing.T) {
					seed := uint64(dale)*100 + uint64(act)*10 + uint64(head)
					m, err := New(testConfig(act, head, dale, seed))
					if err != nil {
						t.Fatal(err)
					}
					randomizeParams(m, seed)
					// Five trials: the packed product kernel's path (a tile
					// of four and a last row); the smaller batches of the
					// tests below take BLAS's.
					b := randomBatch(seed, 5, 6, 3, 2)
					checkGradient(t, m, b, &probe{seed: seed})
				})
			}
		}
	}
}

// TestGradientNoInputsBatchX0 checks the path where the batch carries one
// initial state per trial (so the model's trained x0 gets no gradient) and
// the model has no inputs.
func TestGradientNoInputsBatchX0(t *testing.T) {
	cfg := Config{Inputs: 0, Units: 5, Outputs: 1, Activation: Tanh, Init: InitNormal,
		RecNoise: 0.1, TrainBiasRec: true, TrainBiasOut: true, TrainX0: true, Seed: 9}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	randomizeParams(m, 9)
	b := randomBatch(9, 2, 8, 0, 1)
	b.X0 = make([]float64, 2*5)
	for i := range b.X0 {
		b.X0[i] = 0.1 * float64(i)
	}
	checkGradient(t, m, b, &probe{seed: 9})
}
