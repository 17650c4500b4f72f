// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"sort"
	"testing"
)

// normal returns one standard normal sample of g.
func (g *stream) normal() float64 {
	var x [1]float64
	fillNormal(g, x[:])
	return x[0]
}

// TestNormalStream checks the ziggurat sampler against the standard
// normal: moments, tail masses and a Kolmogorov–Smirnov statistic.
func TestNormalStream(t *testing.T) {
	const n = 1 << 20
	g := newStream(12345, 0)
	xs := make([]float64, n)
	var m1, m2, m4 float64
	var beyond3, beyondR int
	for i := range xs {
		x := g.normal()
		xs[i] = x
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
		if math.Abs(x) > 3 {
			beyond3++
		}
		if math.Abs(x) > zigR {
			beyondR++
		}
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	// Standard errors at n = 2^20: mean 1e-3, variance 1.4e-3, 4th moment 0.01.
	if math.Abs(m1) > 5e-3 || math.Abs(m2-1) > 7e-3 || math.Abs(m4-3) > 0.05 {
		t.Errorf("moments: mean %.4f, variance %.4f, 4th moment %.4f; want 0, 1, 3", m1, m2, m4)
	}
	for _, c := range []struct {
		name  string
		got   int
		level float64
	}{{"|x| > 3", beyond3, 3}, {"|x| > R (the tail)", beyondR, zigR}} {
		p := math.Erfc(c.level / math.Sqrt2)
		want := p * n
		if math.Abs(float64(c.got)-want) > 5*math.Sqrt(want) {
			t.Errorf("%s: %d samples, want %.0f ± %.0f", c.name, c.got, want, 5*math.Sqrt(want))
		}
	}
	sort.Float64s(xs)
	var d float64
	for i, x := range xs {
		cdf := 0.5 * math.Erfc(-x/math.Sqrt2)
		d = max(d, math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n))
	}
	if d > 1.63/math.Sqrt(n) { // KS critical value at the 1 % level
		t.Errorf("Kolmogorov–Smirnov D = %.2e, above the 1 %% critical value %.2e", d, 1.63/math.Sqrt(n))
	}
}

// TestStreamsIndependentOfOrder checks that a trial's stream depends only
// on the key and the trial's index, and that neighbouring trials differ.
func TestStreamsIndependentOfOrder(t *testing.T) {
	a, b := newStream(7, 3), newStream(7, 3)
	c, d := newStream(7, 4), newStream(8, 3)
	for i := 0; i < 100; i++ {
		va, vb, vc, vd := a.normal(), b.normal(), c.normal(), d.normal()
		if va != vb {
			t.Fatalf("sample %d: two streams of the same key and trial differ: %v vs %v", i, va, vb)
		}
		if va == vc || va == vd {
			t.Fatalf("sample %d: streams of another trial or key repeat the value %v", i, va)
		}
	}
}

// TestStepMatchesComparison checks the branch-free ReLU derivative against
// v > 0 on the edge cases of both precisions.
func TestStepMatchesComparison(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-300, -1e-300, 0.5, -0.5}
	out := make([]float64, len(xs))
	step(xs, out)
	xs32 := make([]float32, len(xs))
	for i, v := range xs {
		xs32[i] = float32(v)
	}
	xs32 = append(xs32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32)
	out32 := make([]float32, len(xs32))
	step(xs32, out32)
	for i, v := range xs {
		if want := b2f(v > 0); out[i] != want {
			t.Errorf("float64 step(%v) = %v, want %v", v, out[i], want)
		}
	}
	for i, v := range xs32 {
		if want := float32(b2f(v > 0)); out32[i] != want {
			t.Errorf("float32 step(%v) = %v, want %v", v, out32[i], want)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// BenchmarkNormal times blocks of 1000 standard normal samples from a
// trial stream, as the noise buffers are filled; ns/op is per sample.
func BenchmarkNormal(b *testing.B) {
	g := newStream(1, 2)
	buf := make([]float32, 1000)
	for i := 0; i < b.N; i += len(buf) {
		fillNormal(&g, buf)
	}
	sinkFloat = float64(buf[0])
}

var sinkFloat float64
