// SPDX-License-Identifier: MIT

package linalg

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLUSolveAndCholSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 17, 100} {
		a := make([]float64, n*n)
		x := make([]float64, n)
		for k := range a {
			a[k] = rng.NormFloat64()
		}
		for k := range x {
			x[k] = rng.NormFloat64()
		}
		b := make([]float64, n)
		Gemv(false, n, n, 1, a, n, x, 0, b)
		lu := append([]float64(nil), a...)
		w := NewLUWork(n)
		rc, ok := w.LUSolve(lu, b)
		if !ok || !(rc > 0 && rc <= 1) {
			t.Fatalf("n=%d: ok %v rcond %g", n, ok, rc)
		}
		for k := range x {
			if math.Abs(b[k]-x[k]) > 1e-12/rc {
				t.Fatalf("n=%d: LU x[%d] = %v, want %v", n, k, b[k], x[k])
			}
		}
		// S = AᵀA + I is positive definite.
		s := make([]float64, n*n)
		Gemm(true, false, n, n, n, 1, a, n, a, n, 0, s, n)
		for j := 0; j < n; j++ {
			s[j*n+j]++
		}
		Gemv(false, n, n, 1, s, n, x, 0, b)
		if !CholSolve(n, append([]float64(nil), s...), b) {
			t.Fatalf("n=%d: Cholesky failed", n)
		}
		for k := range x {
			if math.Abs(b[k]-x[k]) > 1e-8 {
				t.Fatalf("n=%d: Cholesky x[%d] = %v, want %v", n, k, b[k], x[k])
			}
		}
	}
	// Singular and indefinite inputs are reported.
	// A singular matrix: an exact zero pivot (not ok) or a tiny rcond.
	if rc, ok := NewLUWork(2).LUSolve([]float64{1, 2, 2, 4}, []float64{1, 1}); ok && rc > 1e-14 {
		t.Fatalf("singular matrix: ok with rcond %g", rc)
	}
	if CholSolve(2, []float64{1, 2, 2, 1}, []float64{1, 1}) {
		t.Fatal("indefinite matrix accepted by CholSolve")
	}
}
