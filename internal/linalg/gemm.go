// SPDX-License-Identifier: MIT

package linalg

import (
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// inflight counts the BLAS calls running, for WithThreads.
var inflight atomic.Int64

// Float is the set of compute precisions.
type Float interface {
	~float32 | ~float64
}

// Gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices, with
// op(x) = xᵀ when the matching trans flag is set. op(a) is m×k, op(b) k×n
// and c m×n; lda, ldb and ldc are the row strides. Callers check shapes:
// a mismatch panics inside BLAS.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scale(beta, c, m, n, ldc)
		return
	}
	inflight.Add(1)
	defer inflight.Add(-1)
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	switch a := any(a).(type) {
	case []float64:
		blas64.Implementation().Dgemm(tA, tB, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		blas32.Implementation().Sgemm(tA, tB, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

// scale sets c = beta·c, the product of an empty inner dimension.
func scale[T Float](beta T, c []T, m, n, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// Gemv computes y = alpha·op(a)·x + beta·y for a row-major m×n matrix a
// (op(a) = aᵀ when trans is set) and contiguous vectors.
func Gemv[T Float](trans bool, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if m == 0 || n == 0 {
		if m > 0 && !trans || n > 0 && trans {
			scale(beta, y, 1, len(y), len(y))
		}
		return
	}
	inflight.Add(1)
	defer inflight.Add(-1)
	t := blas.NoTrans
	if trans {
		t = blas.Trans
	}
	switch a := any(a).(type) {
	case []float64:
		blas64.Implementation().Dgemv(t, m, n, float64(alpha), a, lda, any(x).([]float64), 1, float64(beta), any(y).([]float64), 1)
	case []float32:
		blas32.Implementation().Sgemv(t, m, n, float32(alpha), a, lda, any(x).([]float32), 1, float32(beta), any(y).([]float32), 1)
	}
}
