// SPDX-License-Identifier: MIT

//go:build !purego

package ctrnn

import (
	"github.com/nn4n/nn4n/internal/linalg"
	"github.com/nn4n/nn4n/internal/linalg/kernel"
)

// The assembly of the kernels (kernels.go); every length is a multiple of
// the vector width.

//go:noescape
func step32AVX(x, out []float32)

//go:noescape
func step64AVX(x, out []float64)

//go:noescape
func combine32AVX(d, g, p, fp, keep, next []float32)

//go:noescape
func combine64AVX(d, g, p, fp, keep, next []float64)

//go:noescape
func moments32AVX(gb, ga, d, xt, xp []float32)

//go:noescape
func moments64AVX(gb, ga, d, xt, xp []float64)

//go:noescape
func relu32AVX(x, out []float32)

//go:noescape
func relu64AVX(x, out []float64)

//go:noescape
func leak32AVX(next, x, alpha, bias, keep []float32)

//go:noescape
func leak64AVX(next, x, alpha, bias, keep []float64)

// hasAVX reports whether the CPU runs the assembly: the CPU check of the
// product kernels, AVX2 and FMA (these kernels need only AVX2).
var hasAVX = kernel.Available

// The vector halves of the kernels (kernels.go) pass whole vectors to the
// assembly of their precision.

func reluVec[T linalg.Float](x, out []T) {
	switch x := any(x).(type) {
	case []float32:
		relu32AVX(x, any(out).([]float32))
	case []float64:
		relu64AVX(x, any(out).([]float64))
	}
}

func stepVec[T linalg.Float](x, out []T) {
	switch x := any(x).(type) {
	case []float32:
		step32AVX(x, any(out).([]float32))
	case []float64:
		step64AVX(x, any(out).([]float64))
	}
}

func leakVec[T linalg.Float](next, x, alpha, bias, keep []T) {
	switch n := any(next).(type) {
	case []float32:
		leak32AVX(n, any(x).([]float32), any(alpha).([]float32), any(bias).([]float32), any(keep).([]float32))
	case []float64:
		leak64AVX(n, any(x).([]float64), any(alpha).([]float64), any(bias).([]float64), any(keep).([]float64))
	}
}

func combineVec[T linalg.Float](d, g, p, fp, keep, next []T) {
	switch dd := any(d).(type) {
	case []float32:
		combine32AVX(dd, any(g).([]float32), any(p).([]float32), any(fp).([]float32), any(keep).([]float32), any(next).([]float32))
	case []float64:
		combine64AVX(dd, any(g).([]float64), any(p).([]float64), any(fp).([]float64), any(keep).([]float64), any(next).([]float64))
	}
}

func momentsVec[T linalg.Float](gb, ga, d, xt, xp []T) {
	switch b := any(gb).(type) {
	case []float32:
		moments32AVX(b, any(ga).([]float32), any(d).([]float32), any(xt).([]float32), any(xp).([]float32))
	case []float64:
		moments64AVX(b, any(ga).([]float64), any(d).([]float64), any(xt).([]float64), any(xp).([]float64))
	}
}
