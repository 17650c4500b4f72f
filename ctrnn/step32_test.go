// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math/rand/v2"
	"testing"
)

// TestStepF32 checks that StepF32 on a float32 model gives bit for bit what
// Step gives from the same float32 values, single and batched, that it
// allocates nothing and that a float64 model refuses it.
func TestStepF32(t *testing.T) {
	cfg := testConfig(Softplus, SigmoidHead, Abs, 8)
	cfg.Precision = Float32
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	randomizeParams(m, 8)
	m.SetTraining(false)
	i, n, o := m.Dims()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, nb := range []int{1, 3, 8} {
		x64, u64 := make([]float64, nb*n), make([]float64, nb*i)
		r64, y64 := make([]float64, nb*n), make([]float64, nb*o)
		x32, u32 := make([]float32, nb*n), make([]float32, nb*i)
		r32, y32 := make([]float32, nb*n), make([]float32, nb*o)
		for k := range x32 {
			x32[k] = float32(rng.NormFloat64())
			x64[k] = float64(x32[k])
		}
		for s := 0; s < 10; s++ {
			for k := range u32 {
				u32[k] = float32(rng.Float64())
				u64[k] = float64(u32[k])
			}
			if err := m.Step(nb, x64, u64, r64, y64); err != nil {
				t.Fatal(err)
			}
			if err := m.StepF32(nb, x32, u32, r32, y32); err != nil {
				t.Fatal(err)
			}
			for k := range x32 {
				if float64(x32[k]) != x64[k] || float64(r32[k]) != r64[k] {
					t.Fatalf("nb %d step %d unit %d: StepF32 state %v rate %v, Step %v %v", nb, s, k, x32[k], r32[k], x64[k], r64[k])
				}
			}
			for k := range y32 {
				if float64(y32[k]) != y64[k] {
					t.Fatalf("nb %d step %d output %d: StepF32 %v, Step %v", nb, s, k, y32[k], y64[k])
				}
			}
		}
		if allocs := testing.AllocsPerRun(100, func() { _ = m.StepF32(nb, x32, u32, r32, y32) }); allocs != 0 {
			t.Errorf("StepF32 of %d states allocates %v times per call", nb, allocs)
		}
		if err := m.StepF32(nb, x32[1:], u32, nil, nil); err == nil {
			t.Errorf("StepF32 accepted a short state")
		}
	}
	cfg.Precision = Float64
	m64, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m64.StepF32(1, make([]float32, n), make([]float32, i), nil, nil); err == nil {
		t.Errorf("StepF32 on a float64 model: no error")
	}
}
