// SPDX-License-Identifier: MIT

//go:build !purego

package optim

import "github.com/nn4n/nn4n/internal/linalg/kernel"

// hasAdam8 reports whether adam8 runs on this CPU (AVX-512); tests turn
// it off to compare with the loop.
var hasAdam8 = kernel.Wide

// adam8 is Adam.Step's update of n parameters (n a multiple of 8), eight
// at a time on AVX-512 registers with the loop's operations in its order,
// so every value gets the loop's bits; scale nil means all ones.
//
//go:noescape
func adam8(n int, val, grad, m, v, scale *float64, k *[9]float64)
