// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestATB checks c += aᵀ·b against a float64 reference, with the kernel
// and with BLAS, over shapes with rows and columns left over by the tiles,
// sums of one block and of several, and row strides past the row lengths
// of a and c, whose padding must stay untouched.
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
		for _, n := range []int{1, 8, 16, 24, 48, 53, 100} {
			for _, k := range []int{1, 3, 40, atbBlock + 5} {
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

// BenchmarkATB compares ATB's kernel with BLAS on the weight gradients of
// the train-step benchmarks split between two workers (N×N from T·B/2
// steps and trials).
func BenchmarkATB(b *testing.B) {
	for _, s := range []struct{ n, k int }{{256, 6400}, {512, 6400}, {1024, 1600}} {
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
