// SPDX-License-Identifier: MIT

//go:build !purego

package linalg

// The LAPACK routines come from the OpenBLAS the build links
// (openblas_system.go or openblas_scipy.go).

/*
#include <stddef.h>
void dgetrf_(int* m, int* n, double* a, int* lda, int* ipiv, int* info);
void dgetrs_(char* trans, int* n, int* nrhs, double* a, int* lda, int* ipiv, double* b, int* ldb, int* info, size_t);
void dgecon_(char* norm, int* n, double* a, int* lda, double* anorm, double* rcond, double* work, int* iwork, int* info, size_t);
void dpotrf_(char* uplo, int* n, double* a, int* lda, int* info, size_t);
void dpotrs_(char* uplo, int* n, int* nrhs, double* a, int* lda, double* b, int* ldb, int* info, size_t);

// lu_solve factors the column-major n×n matrix a (= Aᵀ for a row-major A)
// and solves A x = b (trans 'T'); rcond receives the reciprocal 1-norm
// condition number of Aᵀ (the ∞-norm one of A). Returns LAPACK's info.
static int lu_solve(int n, double* a, int* ipiv, double* b, double anorm, double* rcond, double* work, int* iwork) {
	int info = 0, one = 1;
	dgetrf_(&n, &n, a, &n, ipiv, &info);
	if (info != 0) return info;
	char norm = '1', trans = 'T';
	dgecon_(&norm, &n, a, &n, &anorm, rcond, work, iwork, &info, 1);
	if (info != 0) return info;
	dgetrs_(&trans, &n, &one, a, &n, ipiv, b, &n, &info, 1);
	return info;
}

// chol_solve factors the symmetric positive definite a and solves a x = b.
static int chol_solve(int n, double* a, double* b) {
	int info = 0, one = 1;
	char uplo = 'L';
	dpotrf_(&uplo, &n, a, &n, &info, 1);
	if (info != 0) return info;
	dpotrs_(&uplo, &n, &one, a, &n, b, &n, &info, 1);
	return info;
}
*/
import "C"

import "unsafe"

// LUWork is the workspace of LUSolve for one matrix size.
type LUWork struct {
	n     int
	ipiv  []C.int
	iwork []C.int
	work  []float64
}

// NewLUWork returns a workspace for n×n systems.
func NewLUWork(n int) *LUWork {
	return &LUWork{n: n, ipiv: make([]C.int, n), iwork: make([]C.int, n), work: make([]float64, 4*n)}
}

// LUSolve solves A x = b in place (b becomes x) by LU with partial
// pivoting, A n×n row-major and overwritten by its factors. It returns the
// reciprocal condition number of A in the ∞-norm, and false when A is
// exactly singular.
func (w *LUWork) LUSolve(a, b []float64) (rcond float64, ok bool) {
	n := w.n
	a, b = a[:n*n], b[:n]
	var anorm float64 // ∞-norm of A = 1-norm of the column-major Aᵀ
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range a[i*n : (i+1)*n] {
			s += max(v, -v)
		}
		anorm = max(anorm, s)
	}
	var rc C.double
	info := C.lu_solve(C.int(n), (*C.double)(unsafe.Pointer(&a[0])), &w.ipiv[0], (*C.double)(unsafe.Pointer(&b[0])),
		C.double(anorm), &rc, (*C.double)(unsafe.Pointer(&w.work[0])), &w.iwork[0])
	return float64(rc), info == 0
}

// CholSolve solves S x = b in place for the symmetric positive definite n×n
// S (either triangle may be read; overwritten), returning false when S is
// not positive definite.
func CholSolve(n int, s, b []float64) bool {
	s, b = s[:n*n], b[:n]
	return C.chol_solve(C.int(n), (*C.double)(unsafe.Pointer(&s[0])), (*C.double)(unsafe.Pointer(&b[0]))) == 0
}
