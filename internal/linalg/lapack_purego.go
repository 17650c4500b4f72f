// SPDX-License-Identifier: MIT

//go:build purego

package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
)

// LUWork is the workspace of LUSolve for one matrix size.
type LUWork struct {
	n     int
	ipiv  []int
	iwork []int
	work  []float64
}

// NewLUWork returns a workspace for n×n systems.
func NewLUWork(n int) *LUWork {
	return &LUWork{n: n, ipiv: make([]int, n), iwork: make([]int, n), work: make([]float64, 4*n)}
}

// LUSolve solves A x = b in place (b becomes x) by LU with partial
// pivoting, A n×n row-major and overwritten by its factors. It returns the
// reciprocal condition number of A in the ∞-norm, and false when A is
// exactly singular.
func (w *LUWork) LUSolve(a, b []float64) (rcond float64, ok bool) {
	n := w.n
	var impl gonum.Implementation
	anorm := impl.Dlange(lapack.MaxRowSum, n, n, a, n, nil)
	if !impl.Dgetrf(n, n, a, n, w.ipiv) {
		return 0, false
	}
	rcond = impl.Dgecon(lapack.MaxRowSum, n, a, n, anorm, w.work, w.iwork)
	impl.Dgetrs(blas.NoTrans, n, 1, a, n, w.ipiv, b, 1)
	return rcond, true
}

// CholSolve solves S x = b in place for the symmetric positive definite n×n
// S (either triangle may be read; overwritten), returning false when S is
// not positive definite.
func CholSolve(n int, s, b []float64) bool {
	var impl gonum.Implementation
	if !impl.Dpotrf(blas.Upper, n, s, n) {
		return false
	}
	impl.Dpotrs(blas.Upper, n, 1, s, n, b, 1)
	return true
}
