// SPDX-License-Identifier: MIT

package ctrnn

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/internal/errs"
)

// gradsOf returns copies of the gradients of every trained parameter.
func gradsOf(m *Model) [][]float64 {
	var g [][]float64
	for _, p := range m.Params() {
		g = append(g, slices.Clone(p.Grad))
	}
	return g
}

// lastStates returns each trial's state at the last step of a B×T×N array.
func lastStates(states []float64, nb, nt, n int) []float64 {
	x := make([]float64, 0, nb*n)
	for b := 0; b < nb; b++ {
		x = append(x, states[(b*nt+nt-1)*n:(b*nt+nt)*n]...)
	}
	return x
}

// TestCarryStateIsTruncatedBPTT checks "carry_state": a model's second
// gradient pass is, bit for bit, the gradient of the second batch started
// from the states where the trials of the first pass ended (read from a
// forward pass of a twin model), with every noise on, Ω, E/I masks, for
// both precisions and 1 or 2 workers; the first pass starts from x0.
func TestCarryStateIsTruncatedBPTT(t *testing.T) {
	defer func(w, p int) { minWork = w; runtime.GOMAXPROCS(p) }(minWork, runtime.GOMAXPROCS(0))
	for _, prec := range []Precision{Float64, Float32} {
		for _, procs := range []int{1, 2} {
			t.Run(fmt.Sprintf("%v/%d-threads", prec, procs), func(t *testing.T) {
				runtime.GOMAXPROCS(procs)
				minWork = 0
				cfg := testConfig(ReLU, LinearHead, Clip, 21)
				cfg.Precision = prec
				cfg.TrainX0 = true
				carrying, twin := mustNew(t, cfg), mustNew(t, cfg)
				randomizeParams(carrying, 21)
				randomizeParams(twin, 21)
				if err := carrying.SetScalar("carry_state", 1); err != nil {
					t.Fatal(err)
				}
				const nb, nt = 9, 13
				i, n, o := carrying.Dims()
				b1, b2 := randomBatch(1, nb, nt, i, o), randomBatch(2, nb, nt, i, o)
				obj := &probe{seed: 3, lambdaOmega: 0.5}

				carrying.Reseed(7)
				first := mustGradient(t, carrying, b1, obj)
				firstGrads := gradsOf(carrying)
				twin.Reseed(7)
				tr, err := twin.Forward(b1, Needs{States: true})
				if err != nil {
					t.Fatal(err)
				}
				twin.Reseed(7)
				if want := mustGradient(t, twin, b1, obj); first[0] != want[0] || !slices.EqualFunc(firstGrads, gradsOf(twin), slices.Equal) {
					t.Fatalf("the first pass did not start from x0: loss %v, want %v", first[0].Value, want[0].Value)
				}

				carrying.Reseed(8)
				got := mustGradient(t, carrying, b2, obj)
				c := *b2
				c.X0 = lastStates(tr.States, nb, nt, n)
				twin.Reseed(8)
				want := mustGradient(t, twin, &c, obj)
				if !slices.Equal(got, want) {
					t.Errorf("terms %v, want %v", got, want)
				}
				for k, g := range gradsOf(carrying) {
					if !slices.Equal(g, gradsOf(twin)[k]) {
						t.Errorf("gradient of %s differs from the pass started from the carried states", carrying.Params()[k].Name)
					}
				}
				if g := gradsOf(carrying)[len(firstGrads)-1]; carrying.Params()[len(firstGrads)-1].Name != "x0" || slices.ContainsFunc(g, func(v float64) bool { return v != 0 }) {
					t.Errorf("x0 received a gradient from a pass that started from carried states: %v", g)
				}
			})
		}
	}
}

// TestCarryStateContinuesTheStream checks that, without noise, two chunks
// of a trial trained one after the other with "carry_state" give the
// outputs of the whole trial run at once.
func TestCarryStateContinuesTheStream(t *testing.T) {
	cfg := testConfig(Tanh, LinearHead, Rectify, 5)
	m := mustNew(t, cfg)
	randomizeParams(m, 5)
	m.SetTraining(false)
	i, _, o := m.Dims()
	const nb, nt = 4, 30
	whole := randomBatch(9, nb, 2*nt, i, o)
	tr, err := m.Forward(whole, Needs{})
	if err != nil {
		t.Fatal(err)
	}
	chunk := func(k int) *Batch {
		c := &Batch{B: nb, T: nt}
		for b := 0; b < nb; b++ {
			from := (b*2*nt + k*nt) * i
			c.Input = append(c.Input, whole.Input[from:from+nt*i]...)
			from = (b*2*nt + k*nt) * o
			c.Target = append(c.Target, whole.Target[from:from+nt*o]...)
		}
		return c
	}
	if err := m.SetScalar("carry_state", 1); err != nil {
		t.Fatal(err)
	}
	obj := &probe{seed: 3}
	for k := range 2 {
		mustGradient(t, m, chunk(k), obj)
		for b := 0; b < nb; b++ {
			got := m.tr.Outputs[b*nt*o : (b+1)*nt*o]
			want := tr.Outputs[(b*2*nt+k*nt)*o : (b*2*nt+(k+1)*nt)*o]
			if e := relErr(got, want); !(e <= 1e-13) {
				t.Errorf("chunk %d, trial %d: outputs differ from the whole trial's (relative %.3g)", k, b, e)
			}
		}
	}
}

// TestCarryStateErrors checks a change of batch size, a carried state that
// is not finite, and that writing the setting starts new streams from x0.
func TestCarryStateErrors(t *testing.T) {
	cfg := testConfig(ReLU, LinearHead, Clip, 8)
	m := mustNew(t, cfg)
	if err := m.SetScalar("carry_state", 1); err != nil {
		t.Fatal(err)
	}
	i, _, o := m.Dims()
	obj := &probe{seed: 3}
	m.SetTraining(false)
	b := randomBatch(1, 5, 6, i, o)
	fresh := mustGradient(t, m, b, obj)
	carried := slices.Clone(m.carried)
	if _, err := m.Gradient(randomBatch(1, 4, 6, i, o), obj); !errors.Is(err, errs.Shape) {
		t.Errorf("a batch of 4 after one of 5: err = %v, want a shape error", err)
	}
	if !slices.Equal(m.carried, carried) {
		t.Error("a refused pass changed the carried states")
	}
	if again := mustGradient(t, m, b, obj); again[0] == fresh[0] {
		t.Error("the second pass of the same batch gave the first's loss: no state was carried")
	}
	m.carried[3] = math.NaN()
	if _, err := m.Gradient(b, obj); !errors.Is(err, errs.NotFinite) {
		t.Errorf("a NaN carried state: err = %v, want a not-finite error", err)
	}
	if v, err := m.Scalar("carry_state"); err != nil || v != 1 {
		t.Fatalf("carry_state = %v, %v", v, err)
	}
	if err := m.SetScalar("carry_state", 1); err != nil {
		t.Fatal(err)
	}
	if restarted := mustGradient(t, m, b, obj); restarted[0] != fresh[0] {
		t.Errorf("after writing carry_state the loss is %v, want the fresh stream's %v", restarted[0].Value, fresh[0].Value)
	}
	c := *b
	c.X0 = make([]float64, len(m.carried))
	for k := range c.X0 {
		c.X0[k] = cfg.X0
	}
	if own := mustGradient(t, m, &c, obj); own[0] != fresh[0] {
		t.Errorf("a batch's own x0 (the model's) gave loss %v, want %v", own[0].Value, fresh[0].Value)
	}
}

func mustNew(t *testing.T, cfg Config) *Model {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustGradient(t *testing.T, m *Model, b *Batch, obj Objective) []Term {
	t.Helper()
	terms, err := m.Gradient(b, obj)
	if err != nil {
		t.Fatal(err)
	}
	return terms
}
