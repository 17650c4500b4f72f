// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/internal/linalg"
)

// segmentOf returns the checkpoint segment of the first worker's last pass
// (0: every step kept).
func segmentOf(m *Model) int {
	switch r := m.run.(type) {
	case *batchRunner[float64]:
		return r.workers[0].seg
	case *batchRunner[float32]:
		return r.workers[0].seg
	}
	return -1
}

type gradResult struct {
	terms   []Term
	grads   [][]float64
	outputs []float64
	gu, gx0 []float64
	seg     int
}

// gradientsWith runs Gradient (probe objective on outputs and logits, Ω)
// and Backward (upstream output gradients: input and x₀ gradients) with
// "bptt_checkpoint" = k, noise drawn from the same seed.
func gradientsWith(t *testing.T, m *Model, b *Batch, k int, up *Upstream) gradResult {
	t.Helper()
	if err := m.SetScalar("bptt_checkpoint", float64(k)); err != nil {
		t.Fatal(err)
	}
	var r gradResult
	m.Reseed(77)
	terms, err := m.Gradient(b, &probe{seed: 5, lambdaOmega: 0.7, noRates: true, noStates: true})
	if err != nil {
		t.Fatal(err)
	}
	r.seg = segmentOf(m)
	r.terms = terms
	for _, p := range m.Params() {
		if bad := firstNonFinite(p.Grad); bad >= 0 || relErr(p.Grad, make([]float64, len(p.Grad))) == 0 {
			t.Fatalf("k = %d: grad %s is zero or not finite (first non-finite at %d)", k, p.Name, bad)
		}
		r.grads = append(r.grads, slices.Clone(p.Grad))
	}
	i, n, o := m.Dims()
	r.outputs = make([]float64, b.B*b.T*o)
	r.gu, r.gx0 = make([]float64, b.B*b.T*i), make([]float64, b.B*n)
	m.Reseed(78)
	if _, err := m.Backward(b, up, r.outputs, r.gu, r.gx0); err != nil {
		t.Fatal(err)
	}
	if s := segmentOf(m); s != r.seg {
		t.Fatalf("k = %d: Backward ran with segment %d, Gradient with %d", k, s, r.seg)
	}
	return r
}

// TestCheckpointedBPTTMatchesFull compares checkpointed BPTT with BPTT that
// keeps every step, for segment lengths from 1 step to longer than the
// trial, every noise on, the pycog input model, Ω, a softmax head and the
// E/I masks of testConfig: parameter, input and x₀ gradients to 1e-12
// (float64) and 2e-5 (float32) relative, outputs and objective terms
// likewise. The batch of 9 trials runs on 1 and on 2 workers.
func TestCheckpointedBPTTMatchesFull(t *testing.T) {
	defer func(w, f, p int) { minWork, minForwardWork = w, f; runtime.GOMAXPROCS(p) }(minWork, minForwardWork, runtime.GOMAXPROCS(0))
	for _, prec := range []Precision{Float64, Float32} {
		for _, procs := range []int{1, 2} {
			t.Run(fmt.Sprintf("%v/%d-threads", prec, procs), func(t *testing.T) {
				runtime.GOMAXPROCS(procs)
				minWork, minForwardWork = 0, 0
				cfg := testConfig(ReLU, SoftmaxHead, Clip, 61)
				cfg.Precision = prec
				m, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				randomizeParams(m, 61)
				const nt = 37
				b := randomBatch(61, 9, nt, cfg.Inputs, cfg.Outputs)
				_, n, o := m.Dims()
				up := randomUpstream(62, b, n, o, false, false)
				full := gradientsWith(t, m, b, 0, up)
				if full.seg != 0 {
					t.Fatalf("bptt_checkpoint = 0 ran checkpointed (segment %d)", full.seg)
				}
				tol := 1e-12
				if prec == Float32 {
					tol = 2e-5
				}
				for _, k := range []int{1, 2, 5, 8, 36, 37, 100} {
					got := gradientsWith(t, m, b, k, up)
					switch {
					case k >= nt && got.seg != 0:
						t.Errorf("k = %d ≥ T: ran checkpointed (segment %d)", k, got.seg)
					case k < nt && (got.seg < k || got.seg >= nt):
						t.Errorf("k = %d: segment %d, want k rounded up to a block, < T", k, got.seg)
					}
					// Bit-identical when k is at least the forward pass's block of
					// steps; a shorter k shortens the block, and the products over a
					// block may then round otherwise.
					if e := relErr(got.outputs, full.outputs); !(e <= tol/100) {
						t.Errorf("k = %d: outputs differ (relative %.3g)", k, e)
					}
					for i, term := range full.terms {
						if e := relErr([]float64{got.terms[i].Value}, []float64{term.Value}); !(e <= tol) {
							t.Errorf("k = %d: term %s = %v, full BPTT %v", k, term.Name, got.terms[i].Value, term.Value)
						}
					}
					for i, p := range m.Params() {
						if e := relErr(got.grads[i], full.grads[i]); !(e <= tol) || len(got.grads[i]) == 0 {
							t.Errorf("k = %d: grad %s differs from full BPTT's by %.3g > %g", k, p.Name, e, tol)
						}
					}
					for _, c := range []struct {
						name string
						a, b []float64
					}{{"input gradient", got.gu, full.gu}, {"x0 gradient", got.gx0, full.gx0}} {
						if e := relErr(c.a, c.b); !(e <= tol) {
							t.Errorf("k = %d: %s differs from full BPTT's by %.3g > %g", k, c.name, e, tol)
						}
					}
				}
			})
		}
	}
}

// TestCheckpointedGradientFiniteDifferences checks checkpointed BPTT (a
// segment of 2 steps, so several segments and a short last one) against
// central differences in float64, with and without the packed kernel (Ω's
// gradient is pycog's immediate one, not a derivative: it is compared
// with full BPTT's above).
func TestCheckpointedGradientFiniteDifferences(t *testing.T) {
	defer func(k bool) { linalg.HasPacked = k }(linalg.HasPacked)
	for _, packed := range []bool{linalg.HasPacked, false} {
		linalg.HasPacked = packed
		for _, head := range []Head{LinearHead, SoftmaxHead} {
			t.Run(fmt.Sprintf("packed=%v/%v", packed, head), func(t *testing.T) {
				m, err := New(testConfig(Softplus, head, Rectify, 71))
				if err != nil {
					t.Fatal(err)
				}
				randomizeParams(m, 71)
				if err := m.SetScalar("bptt_checkpoint", 2); err != nil {
					t.Fatal(err)
				}
				b := randomBatch(71, 5, 7, 3, 2)
				obj := &probe{seed: 71, noRates: true, noStates: true}
				if _, err := m.Gradient(b, obj); err != nil {
					t.Fatal(err)
				}
				if s := segmentOf(m); s != 2 {
					t.Fatalf("segment %d, want a checkpointed pass of 2 steps", s)
				}
				checkGradient(t, m, b, obj)
			})
		}
	}
}

// TestCheckpointFallsBackForRatesAndStates: an objective that reads rates
// keeps every step, with the same gradients.
func TestCheckpointFallsBackForRatesAndStates(t *testing.T) {
	m, err := New(testConfig(Tanh, LinearHead, Clip, 81))
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(81, 3, 20, 3, 2)
	if err := m.SetScalar("bptt_checkpoint", 3); err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Scalar("bptt_checkpoint"); v != 3 {
		t.Fatalf("bptt_checkpoint reads %v, want 3", v)
	}
	m.Reseed(1)
	if _, err := m.Gradient(b, &probe{seed: 81}); err != nil {
		t.Fatal(err)
	}
	if s := segmentOf(m); s != 0 {
		t.Errorf("an objective reading rates and states ran checkpointed (segment %d)", s)
	}
	for _, bad := range []float64{-1, 2.5, 1 << 31} {
		if err := m.SetScalar("bptt_checkpoint", bad); err == nil {
			t.Errorf("bptt_checkpoint = %v accepted", bad)
		}
	}
}

// TestCheckpointedBPTTLongTrial: T = 16000 steps (B = 4, N = 32, float64,
// every noise on), checkpointed every 57 steps against full BPTT: every
// parameter gradient to 1e-12 relative.
func TestCheckpointedBPTTLongTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds: not in -short")
	}
	cfg := testConfig(ReLU, LinearHead, Clip, 91)
	cfg.Units, cfg.Alphas, cfg.Rec, cfg.Out, cfg.In = 32, nil, Constraint{}, Constraint{}, Constraint{}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := randomBatch(91, 4, 16000, cfg.Inputs, cfg.Outputs)
	full := gradientsWith(t, m, b, 0, randomUpstream(92, b, 32, cfg.Outputs, false, false))
	got := gradientsWith(t, m, b, 57, randomUpstream(92, b, 32, cfg.Outputs, false, false))
	if got.seg < 57 || got.seg >= b.T {
		t.Fatalf("segment %d, want a checkpointed pass", got.seg)
	}
	for i, p := range m.Params() {
		if e := relErr(got.grads[i], full.grads[i]); !(e <= 1e-12) {
			t.Errorf("grad %s differs from full BPTT's by %.3g > 1e-12", p.Name, e)
		}
	}
	for _, c := range []struct {
		name string
		a, b []float64
	}{{"input gradient", got.gu, full.gu}, {"x0 gradient", got.gx0, full.gx0}} {
		if e := relErr(c.a, c.b); !(e <= 1e-12) {
			t.Errorf("%s differs from full BPTT's by %.3g > 1e-12", c.name, e)
		}
	}
}
