// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// kernelInput returns n values with ±0, ±Inf, NaN and subnormals among
// ordinary ones.
func kernelInput(rng *rand.Rand, n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e-310, -1e-310, 1e-40, -1e-40}
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
		if rng.IntN(5) == 0 {
			v[i] = special[rng.IntN(len(special))]
		}
	}
	return v
}

// sameBits compares bit patterns, so that NaN equals NaN and −0 differs
// from +0.
func sameBits[T float32 | float64](a, b []T) bool {
	return slices.EqualFunc(a, b, func(x, y T) bool {
		return math.Float64bits(float64(x)) == math.Float64bits(float64(y)) || x != x && y != y
	})
}

// TestKernelsMatchLoops checks the ReLU, ReLU-derivative, leak and BPTT
// combine kernels (assembly where
// the CPU has it) against the Go loops bit for bit, for every length up to
// 40 (whole vectors and every tail) in both precisions.
func TestKernelsMatchLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for n := 0; n <= 40; n++ {
		in := [5][]float64{}
		for k := range in {
			in[k] = kernelInput(rng, n)
		}
		check64 := func(name string, got, want []float64) {
			if !sameBits(got, want) {
				t.Errorf("%s float64, n = %d: kernel %v, loop %v", name, n, got, want)
			}
		}
		check32 := func(name string, got, want []float32) {
			if !sameBits(got, want) {
				t.Errorf("%s float32, n = %d: kernel %v, loop %v", name, n, got, want)
			}
		}
		f32 := func(v []float64) []float32 {
			out := make([]float32, len(v))
			convert(out, v)
			return out
		}
		got, want := make([]float64, n), make([]float64, n)
		relu(in[0], got)
		reluLoop(in[0], want)
		check64("relu", got, want)
		got32, want32 := make([]float32, n), make([]float32, n)
		relu(f32(in[0]), got32)
		reluLoop(f32(in[0]), want32)
		check32("relu", got32, want32)

		got, want = slices.Clone(in[0]), slices.Clone(in[0])
		leak(got, in[1], in[2], in[3], in[4])
		leakLoop(want, in[1], in[2], in[3], in[4])
		check64("leak", got, want)
		got32, want32 = f32(in[0]), f32(in[0])
		leak(got32, f32(in[1]), f32(in[2]), f32(in[3]), f32(in[4]))
		leakLoop(want32, f32(in[1]), f32(in[2]), f32(in[3]), f32(in[4]))
		check32("leak", got32, want32)

		got, want = make([]float64, n), make([]float64, n)
		step(in[0], got)
		stepLoop(in[0], want)
		check64("step", got, want)
		got32, want32 = make([]float32, n), make([]float32, n)
		step(f32(in[0]), got32)
		stepLoop(f32(in[0]), want32)
		check32("step", got32, want32)

		got, want = make([]float64, n), make([]float64, n)
		combineRow(got, in[0], in[1], in[2], in[3], in[4])
		combineLoop(want, in[0], in[1], in[2], in[3], in[4])
		check64("combine", got, want)
		got32, want32 = make([]float32, n), make([]float32, n)
		combineRow(got32, f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3]), f32(in[4]))
		combineLoop(want32, f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3]), f32(in[4]))
		check32("combine", got32, want32)
	}
	for n := 0; n <= 40; n++ {
		in := [5][]float64{}
		for k := range in {
			in[k] = kernelInput(rng, n)
		}
		f32 := func(v []float64) []float32 {
			out := make([]float32, len(v))
			convert(out, v)
			return out
		}
		gb, ga := slices.Clone(in[0]), slices.Clone(in[1])
		wb, wa := slices.Clone(in[0]), slices.Clone(in[1])
		moments(gb, ga, in[2], in[3], in[4])
		momentsLoop(wb, wa, in[2], in[3], in[4])
		if !sameBits(gb, wb) || !sameBits(ga, wa) {
			t.Errorf("moments float64, n = %d: kernel %v %v, loop %v %v", n, gb, ga, wb, wa)
		}
		gb32, ga32 := f32(in[0]), f32(in[1])
		wb32, wa32 := f32(in[0]), f32(in[1])
		moments(gb32, ga32, f32(in[2]), f32(in[3]), f32(in[4]))
		momentsLoop(wb32, wa32, f32(in[2]), f32(in[3]), f32(in[4]))
		if !sameBits(gb32, wb32) || !sameBits(ga32, wa32) {
			t.Errorf("moments float32, n = %d: kernel %v %v, loop %v %v", n, gb32, ga32, wb32, wa32)
		}
	}
	if !hasAVX {
		t.Log("no AVX2 on this CPU: the kernels are the Go loops")
	}
}
