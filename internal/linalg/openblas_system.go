// SPDX-License-Identifier: MIT

//go:build !purego && !scipy_openblas

package linalg

// The system's OpenBLAS (libopenblas.so.0), the default build.

// #cgo LDFLAGS: -lopenblas
import "C"
