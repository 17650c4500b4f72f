// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/internal/linalg/kernel"
)

// TestPackedMulT checks c += a·wᵀ against a float64 reference for every
// row count 0–9 (whole tiles, last rows, fewer than four rows), column
// counts across whole and partial panels, strides past the row lengths
// (whose padding must stay untouched), that splitting the rows between two
// calls gives bit-identical results, and that PackT of wᵀ gives the same
// product (bit for bit with the kernel, which packs both alike).
func TestPackedMulT(t *testing.T) {
	t.Logf("assembly kernel: %v, AVX-512: %v", kernel.Available, kernel.Wide)
	defer func(w bool) { UseWide = w }(UseWide)
	for _, wide := range []bool{false, true} {
		if wide && !kernel.Wide {
			continue
		}
		UseWide = wide
		testPacked[float64](t, 1e-14)
		testPacked[float32](t, 1e-5)
	}
}

// TestPackedWideBits checks that the AVX-512 kernel gives the AVX2
// kernel's product bit for bit, over shapes that take every path of MulT
// (whole and partial panels of both widths, last panels of a third and two
// thirds of a wide panel, last rows, fewer than four rows) and long sums,
// where a change of order would show.
func TestPackedWideBits(t *testing.T) {
	if !kernel.Wide {
		t.Skip("no AVX-512 on this CPU or build")
	}
	defer func(w bool) { UseWide = w }(UseWide)
	testWideBits[float32](t)
	testWideBits[float64](t)
}

func testWideBits[T Float](t *testing.T) {
	fill := normals[T](7, 8)
	for _, n := range []int{1, 11, 24, 32, 40, 47, 48, 49, 64, 80, 100, 256} {
		for _, k := range []int{1, 5, 64, 100, 257} {
			for _, m := range []int{1, 3, 4, 6, 16, 33} {
				lda, ldc := k+1, n+3
				a, w, c0 := fill(m*lda), fill(n*k), fill(m*ldc)
				var narrow, wide Packed[T]
				UseWide = false
				narrow.Pack(w, n, k)
				UseWide = true
				wide.Pack(w, n, k)
				if !wide.wide || narrow.wide {
					t.Fatal("Pack did not lay out the panels of the kernel asked for")
				}
				c, cw := slices.Clone(c0), slices.Clone(c0)
				narrow.MulT(m, a, lda, c, ldc)
				wide.MulT(m, a, lda, cw, ldc)
				for i := range c {
					if math.Float64bits(float64(c[i])) != math.Float64bits(float64(cw[i])) {
						t.Fatalf("%T m=%d n=%d k=%d: element %d is %v with AVX-512, %v with AVX2",
							w, m, n, k, i, cw[i], c[i])
					}
				}
			}
		}
	}
}

// normals returns a function that fills new slices with standard normal
// samples drawn from a generator seeded with s1, s2.
func normals[T Float](s1, s2 uint64) func(n int) []T {
	rng := rand.New(rand.NewPCG(s1, s2))
	return func(n int) []T {
		s := make([]T, n)
		for i := range s {
			s[i] = T(rng.NormFloat64())
		}
		return s
	}
}

func testPacked[T Float](t *testing.T, tol float64) {
	fill := normals[T](3, 4)
	for _, n := range []int{1, 5, 12, 13, 24, 25, 49} {
		for _, k := range []int{0, 1, 7, 33} {
			for m := 0; m <= 9; m++ {
				lda, ldc := k+3, n+2
				a, w := fill(max(0, m*lda)), fill(n*k)
				c0 := fill(max(0, m*ldc))
				var p, pt Packed[T]
				p.Pack(w, n, k)
				c := slices.Clone(c0)
				p.MulT(m, a, lda, c, ldc)
				// The same product from the transpose of w.
				wt := make([]T, k*n)
				for j := range n {
					for s := range k {
						wt[s*n+j] = w[j*k+s]
					}
				}
				pt.PackT(wt, k, n)
				ct := slices.Clone(c0)
				pt.MulT(m, a, lda, ct, ldc)
				if !slices.Equal(ct, c) && kernel.Available {
					t.Fatalf("%T m=%d n=%d k=%d: the product from PackT differs from Pack's", w, m, n, k)
				}
				name := fmt.Sprintf("%T m=%d n=%d k=%d", w, m, n, k)
				for i := 0; i < m; i++ {
					for j := 0; j < ldc; j++ {
						got, gotT := float64(c[i*ldc+j]), float64(ct[i*ldc+j])
						if j >= n {
							if got != float64(c0[i*ldc+j]) || gotT != got {
								t.Fatalf("%s: padding c[%d][%d] changed", name, i, j)
							}
							continue
						}
						want, size := float64(c0[i*ldc+j]), math.Abs(float64(c0[i*ldc+j]))
						for s := 0; s < k; s++ {
							v := float64(a[i*lda+s]) * float64(w[j*k+s])
							want += v
							size += math.Abs(v)
						}
						if math.Abs(got-want) > tol*size || math.Abs(gotT-want) > tol*size {
							t.Fatalf("%s: c[%d][%d] = %v (from PackT %v), want %v", name, i, j, got, gotT, want)
						}
					}
				}
				for s := 1; s < m; s++ {
					split := slices.Clone(c0)
					p.MulT(s, a, lda, split, ldc)
					p.MulT(m-s, a[s*lda:], lda, split[s*ldc:], ldc)
					if !slices.Equal(split, c) {
						t.Fatalf("%s: rows split at %d differ from one call", name, s)
					}
				}
			}
		}
	}
}

// TestPackedBadShape checks that a product with too little memory panics
// in Go rather than reading past a slice in the kernel.
func TestPackedBadShape(t *testing.T) {
	var p Packed[float64]
	p.Pack(make([]float64, 12*5), 12, 5)
	defer func() {
		if recover() == nil {
			t.Error("MulT with a short a did not panic")
		}
	}()
	p.MulT(4, make([]float64, 3*5+4), 5, make([]float64, 4*12), 12)
}

// BenchmarkMulT compares the packed product with BLAS's on the per-step
// shapes of a forward pass split between two workers.
func BenchmarkMulT(b *testing.B) {
	for _, s := range []struct{ m, n int }{{10, 100}, {8, 64}, {16, 64}, {16, 128}, {32, 256}, {32, 512}, {16, 1024}} {
		for _, wide := range []bool{false, true} {
			if wide && !kernel.Wide {
				continue
			}
			k := map[bool]string{false: "avx2", true: "avx512"}[wide]
			b.Run(fmt.Sprintf("packed-%s/f32/%dx%d", k, s.m, s.n), func(b *testing.B) { benchMulT[float32](b, s.m, s.n, true, wide) })
			b.Run(fmt.Sprintf("packed-%s/f64/%dx%d", k, s.m, s.n), func(b *testing.B) { benchMulT[float64](b, s.m, s.n, true, wide) })
		}
		b.Run(fmt.Sprintf("blas/f32/%dx%d", s.m, s.n), func(b *testing.B) { benchMulT[float32](b, s.m, s.n, false, false) })
		b.Run(fmt.Sprintf("blas/f64/%dx%d", s.m, s.n), func(b *testing.B) { benchMulT[float64](b, s.m, s.n, false, false) })
	}
}

func benchMulT[T Float](b *testing.B, m, n int, packed, wide bool) {
	w, a, c := make([]T, n*n), make([]T, m*n), make([]T, m*n)
	for i := range w {
		w[i] = T(i%7) * 0.01
	}
	defer func(w bool) { UseWide = w }(UseWide)
	UseWide = wide
	var p Packed[T]
	p.Pack(w, n, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if packed {
			p.MulT(m, a, n, c, n)
		} else {
			Gemm(false, true, m, n, n, 1, a, n, w, n, 1, c, n)
		}
	}
	b.ReportMetric(float64(m*n*n)*2*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}

// TestMulVec checks y += w·x against a float64 reference for row counts
// 0–13 (whole groups of four, last rows, fewer than four) and column
// counts around the kernel's vector widths, with a row stride past the
// row length, and that, with the kernel, splitting the rows between two
// calls gives bit-identical results.
func TestMulVec(t *testing.T) {
	testMulVec[float64](t, 1e-14)
	testMulVec[float32](t, 1e-5)
}

func testMulVec[T Float](t *testing.T, tol float64) {
	fill := normals[T](5, 6)
	for _, k := range []int{0, 1, 3, 4, 5, 8, 9, 12, 16, 17, 28, 33, 260} {
		for n := 0; n <= 13; n++ {
			ldw := k + 2
			w, x, y0 := fill(max(0, n*ldw)), fill(k), fill(n)
			y := slices.Clone(y0)
			MulVec(n, k, w, ldw, x, y)
			name := fmt.Sprintf("%T n=%d k=%d", w, n, k)
			for i := range n {
				want, size := float64(y0[i]), math.Abs(float64(y0[i]))
				for p := range k {
					v := float64(w[i*ldw+p]) * float64(x[p])
					want += v
					size += math.Abs(v)
				}
				if got := float64(y[i]); math.Abs(got-want) > tol*size {
					t.Fatalf("%s: y[%d] = %v, want %v", name, i, got, want)
				}
			}
			for s := 1; s < n && kernel.Available; s++ {
				split := slices.Clone(y0)
				MulVec(s, k, w, ldw, x, split)
				MulVec(n-s, k, w[s*ldw:], ldw, x, split[s:])
				if !slices.Equal(split, y) {
					t.Fatalf("%s: rows split at %d differ from one call", name, s)
				}
			}
		}
	}
}

// BenchmarkMulVec compares MulVec with BLAS's product on the simulator
// step's matrix, N = 256 units by N + 4 inputs.
func BenchmarkMulVec(b *testing.B) {
	b.Run("kernel/f64", func(b *testing.B) { benchMulVec[float64](b, true) })
	b.Run("blas/f64", func(b *testing.B) { benchMulVec[float64](b, false) })
	b.Run("kernel/f32", func(b *testing.B) { benchMulVec[float32](b, true) })
	b.Run("blas/f32", func(b *testing.B) { benchMulVec[float32](b, false) })
}

func benchMulVec[T Float](b *testing.B, own bool) {
	const n, k = 256, 260
	w, x, y := make([]T, n*k), make([]T, k), make([]T, n)
	for i := range w {
		w[i] = T(i%7) * 0.01
	}
	for i := 0; i < b.N; i++ {
		if own {
			MulVec(n, k, w, k, x, y)
		} else {
			Gemv(false, n, k, 1, w, k, x, 1, y)
		}
	}
}
