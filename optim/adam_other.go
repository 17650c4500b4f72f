// SPDX-License-Identifier: MIT

//go:build !amd64 || purego

package optim

// hasAdam8 is false: there is no adam8 on this architecture or build.
var hasAdam8 = false

// adam8 is not available; it panics.
func adam8(n int, val, grad, m, v, scale *float64, k *[9]float64) {
	panic("optim: adam8 unavailable")
}
