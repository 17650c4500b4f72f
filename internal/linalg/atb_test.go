// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// TestATB checks c += aᵀ·b against a float64 reference, with the kernels
// and with BLAS, over shapes with rows and columns left over by the tiles,
// sums of one block and of several, rows of b long enough for the copying
// kernel, and row strides past the row lengths of a and c, whose padding
// must stay untouched.
func TestATB(t *testing.T) {
	defer func(h bool, m int) { HasATB, ATBMin = h, m }(HasATB, ATBMin)
	ATBMin = 0
	for _, own := range []bool{false, true} {
		if own && !HasATB {
			continue
		}
		HasATB = own
		testATB[float64](t, 1e-13)
		testATB[float32](t, 1e-5)
	}
}

func testATB[T Float](t *testing.T, tol float64) {
	fill := normals[T](9, 10)
	var w ATB[T]
	for _, m := range []int{1, 4, 7, 24, 50} {
		for _, n := range []int{1, 8, 16, 24, 48, 53, 100, 1030} {
			for _, k := range []int{1, 3, 40, atbBlock + 5} {
				if n > 100 && (m > 7 || k > 40) {
					continue
				}
				lda, ldc := m+1, n+3
				a, b, c0 := fill(k*lda), fill(k*n), fill(m*ldc)
				c := slices.Clone(c0)
				w.Add(m, n, k, a, lda, b, c, ldc)
				name := fmt.Sprintf("%T m=%d n=%d k=%d kernel=%v", a, m, n, k, HasATB)
				for i := range m {
					for j := range ldc {
						got := float64(c[i*ldc+j])
						if j >= n {
							if got != float64(c0[i*ldc+j]) {
								t.Fatalf("%s: padding c[%d][%d] changed", name, i, j)
							}
							continue
						}
						want, size := float64(c0[i*ldc+j]), math.Abs(float64(c0[i*ldc+j]))
						for s := range k {
							v := float64(a[s*lda+i]) * float64(b[s*n+j])
							want += v
							size += math.Abs(v)
						}
						if math.Abs(got-want) > tol*size {
							t.Fatalf("%s: c[%d][%d] = %v, want %v", name, i, j, got, want)
						}
					}
				}
			}
		}
	}
}

// TestATBInPlaceBits checks the in-place kernel bit for bit against a
// plain reference that sums each element of a block of rows from
// zero with fused multiply-adds in order and adds it to c: in float64
// against math.FMA, in float32 on small integers, whose sums are exact in
// any order (a float32 FMA has no plain Go equivalent). The shapes take
// every tile (three, two and one vectors of columns, masked last vectors,
// columns of a left after the last four), sums of one and of several
// blocks, and blocks shortened for long rows of b.
func TestATBInPlaceBits(t *testing.T) {
	if !HasATB {
		t.Skip("no AVX-512 on this CPU or build")
	}
	for _, m := range []int{1, 2, 3, 4, 5, 8, 13, 64} {
		for _, n := range []int{1, 2, 7, 8, 9, 16, 17, 24, 31, 32, 33, 47, 48, 49, 64, 100, 130, 300} {
			for _, k := range []int{1, 2, 63, 64, 65, 200} {
				inPlaceBits[float64](t, m, n, k, normals[float64](5, uint64(m*1000+n)))
				inPlaceBits[float32](t, m, n, k, integers[float32](uint64(m*1000+n)))
			}
		}
	}
}

// integers returns a filler with small integers, whose products and sums
// in the tests are exact in float32.
func integers[T Float](seed uint64) func(n int) []T {
	rng := rand.New(rand.NewPCG(seed, 3))
	return func(n int) []T {
		s := make([]T, n)
		for i := range s {
			s[i] = T(rng.IntN(9) - 4)
		}
		return s
	}
}

func inPlaceBits[T Float](t *testing.T, m, n, k int, fill func(int) []T) {
	lda, ldc := m+2, n+1
	a, b, c := fill(k*lda), fill(k*n), fill(m*ldc)
	want := slices.Clone(c)
	var zero T
	rows := atbBlockRows(n * int(unsafe.Sizeof(zero)))
	for s0 := 0; s0 < k; s0 += rows {
		for i := range m {
			for j := range n {
				var acc float64
				for s := s0; s < min(k, s0+rows); s++ {
					acc = math.FMA(float64(a[s*lda+i]), float64(b[s*n+j]), acc)
				}
				want[i*ldc+j] += T(acc)
			}
		}
	}
	var w ATB[T]
	w.Add(m, n, k, a, lda, b, c, ldc)
	for i, v := range c {
		if math.Float64bits(float64(v)) != math.Float64bits(float64(want[i])) {
			t.Fatalf("%T m=%d n=%d k=%d: c[%d][%d] = %v, want %v", v, m, n, k, i/ldc, i%ldc, v, want[i])
		}
	}
}

// BenchmarkATB compares ATB's kernels with BLAS on the weight gradients of
// the train-step benchmarks split between two workers (N×N from T·B/2
// steps and trials).
func BenchmarkATB(b *testing.B) {
	for _, s := range []struct{ n, k int }{{64, 800}, {128, 3200}, {256, 6400}, {512, 6400}, {1024, 1600}} {
		for _, own := range []bool{true, false} {
			if own && !HasATB {
				continue
			}
			name := map[bool]string{true: "kernel", false: "blas"}[own]
			b.Run(fmt.Sprintf("%s/f32/%dx%dx%d", name, s.n, s.n, s.k), func(b *testing.B) { benchATB[float32](b, s.n, s.k, own) })
			b.Run(fmt.Sprintf("%s/f64/%dx%dx%d", name, s.n, s.n, s.k), func(b *testing.B) { benchATB[float64](b, s.n, s.k, own) })
		}
	}
}

func benchATB[T Float](b *testing.B, n, k int, own bool) {
	defer func(h bool) { HasATB = h }(HasATB)
	HasATB = own
	d, r, c := make([]T, n*k), make([]T, n*k), make([]T, n*n)
	for i := range d {
		d[i], r[i] = T(i%7)*0.01, T(i%5)*0.01
	}
	var w ATB[T]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Add(n, n, k, d, n, r, c, n)
	}
	b.ReportMetric(float64(n*n*k)*2*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
