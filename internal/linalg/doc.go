// Package linalg is nn4n's one door to BLAS: a generic matrix multiply over
// float32 and float64, and the choice of implementation.
//
// By default the package registers gonum/netlib (cgo, linked against
// OpenBLAS) as the implementation behind gonum's blas64 and blas32. Building
// with the tag purego uses gonum's pure-Go BLAS instead and needs no C
// library.
//
// OpenBLAS runs single-threaded: parallelism comes from the callers, which
// split batches between goroutines (see ctrnn).
package linalg
