// SPDX-License-Identifier: MIT

//go:build !purego && scipy_openblas

package linalg

// The OpenBLAS of the scipy-openblas32 wheel (the wheel build, see
// docs/PACKAGING.md): libscipy_openblas.so, whose symbols carry the prefix
// scipy_. The build passes -L to it in CGO_LDFLAGS and, in CGO_CFLAGS,
// -include of a header of #defines (cblas_sgemm → scipy_cblas_sgemm, …)
// generated from the library by scripts/build-wheel.sh, which renames the
// calls of this package and of gonum/netlib alike.

// #cgo LDFLAGS: -lscipy_openblas
import "C"
