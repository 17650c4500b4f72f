// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"testing"
)

// omegaReference computes pycog's Ω from scratch for the float64 engine's
// last backward pass, with v_t = δx_t and x_t held fixed and W_rec's
// effective weights taken from w: Σ_{t,b} (‖q‖²/‖v‖² − 1)² / K with
// q = (1−α)⊙v + (α⊙v)·W ⊙ f'(x_t), over the K pairs with ‖v‖² ≥ 1e-20.
func omegaReference(m *Model, e *engine[float64], wEff []float64) float64 {
	nb, nt, n := e.nB, e.nT, e.nN
	fp := make([]float64, n)
	var sum float64
	k := 0
	for t := 1; t <= nt; t++ {
		for b := 0; b < nb; b++ {
			o := ((t-1)*nb + b) * n
			v := e.d[o : o+n]
			derivative(m.cfg.Activation, e.x[o+nb*n:o+nb*n+n], e.fx[o+nb*n:o+nb*n+n], fp)
			var nv, nq float64
			for i := 0; i < n; i++ {
				var p float64
				for j := 0; j < n; j++ {
					p += m.alpha[j] * v[j] * wEff[j*n+i]
				}
				q := (1-m.alpha[i])*v[i] + p*fp[i]
				nq += q * q
				nv += v[i] * v[i]
			}
			if nv >= omegaBound {
				sum += (nq/nv - 1) * (nq/nv - 1)
				k++
			}
		}
	}
	if k == 0 {
		return 0
	}
	return sum / float64(k)
}

// TestOmegaImmediateGradient checks Ω's value against a direct computation
// and its immediate W_rec gradient against central differences of Ω with v
// and x held fixed, through every Dale mode's transform.
func TestOmegaImmediateGradient(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		for _, act := range []Activation{ReLU, Tanh, Softplus} {
			t.Run(dale.String()+"/"+act.String(), func(t *testing.T) {
				cfg := testConfig(act, LinearHead, dale, 31)
				cfg.LearnAlpha = false
				m, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				randomizeParams(m, 31)
				b := randomBatch(31, 3, 6, 3, 2)
				m.FreezeNoise(true)
				obj := &probe{seed: 31}
				if _, err := m.Gradient(b, obj); err != nil {
					t.Fatal(err)
				}
				plain := append([]float64(nil), m.wRec.grad...)
				const lambda = 2
				obj.lambdaOmega = lambda
				terms, err := m.Gradient(b, obj)
				if err != nil {
					t.Fatal(err)
				}
				r := m.run.(*batchRunner[float64])
				if r.n != 1 {
					t.Fatalf("the test batch ran on %d workers, want 1", r.n)
				}
				e := r.workers[0]
				last := terms[len(terms)-1]
				if last.Name != "omega" {
					t.Fatalf("last term is %q, want omega", last.Name)
				}
				want := omegaReference(m, e, m.wRec.eff)
				if math.Abs(last.Value-want) > 1e-12*math.Max(1, want) || want == 0 {
					t.Fatalf("Ω = %v, reference %v", last.Value, want)
				}
				got := make([]float64, len(plain))
				for i := range got {
					got[i] = (m.wRec.grad[i] - plain[i]) / lambda
				}
				w := &weight{rows: m.wRec.rows, cols: m.wRec.cols, sparsity: m.wRec.sparsity, sign: m.wRec.sign,
					raw: append([]float64(nil), m.wRec.raw...), eff: make([]float64, len(m.wRec.eff))}
				fd := make([]float64, len(got))
				for i := range w.raw {
					v := w.raw[i]
					w.raw[i] = v + fdStep
					w.effective(dale)
					op := omegaReference(m, e, w.eff)
					w.raw[i] = v - fdStep
					w.effective(dale)
					om := omegaReference(m, e, w.eff)
					w.raw[i] = v
					fd[i] = (op - om) / (2 * fdStep)
				}
				if err := relErr(got, fd); err > gradTol {
					t.Errorf("∂Ω/∂W_rec: relative error %.3g > %g", err, gradTol)
				}
			})
		}
	}
}

// TestOmegaZeroForOrthogonal checks Ω = 0 when every step Jacobian
// preserves norms: linear units, α = 1 and an orthogonal W_rec.
func TestOmegaZeroForOrthogonal(t *testing.T) {
	const n = 4
	m, err := New(Config{Inputs: 1, Units: n, Outputs: 1, Activation: Linear, Alpha: 1, Init: InitNormal, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	// A rotation by 0.3 rad in two planes.
	c, s := math.Cos(0.3), math.Sin(0.3)
	copy(m.wRec.raw, []float64{c, -s, 0, 0, s, c, 0, 0, 0, 0, c, -s, 0, 0, s, c})
	m.refresh()
	b := randomBatch(2, 2, 5, 1, 1)
	terms, err := m.Gradient(b, &probe{seed: 2, lambdaOmega: 2, noWeigh: true})
	if err != nil {
		t.Fatal(err)
	}
	if om := terms[len(terms)-1]; om.Name != "omega" || math.Abs(om.Value) > 1e-24 {
		t.Fatalf("Ω = %v (%s), want 0", om.Value, om.Name)
	}
}
