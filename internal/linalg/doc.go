// SPDX-License-Identifier: MIT

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
//
// Packed serves the one product BLAS does poorly here: a small batch of
// rows times the same matrix at every time step, which BLAS repacks on
// every call. It keeps the matrix packed and multiplies with an AVX2/FMA
// or AVX-512 kernel of its own (package kernel), falling back to BLAS
// elsewhere. ATB runs large weight gradients on the AVX-512 kernel.
package linalg
