// SPDX-License-Identifier: MIT

//go:build !amd64 || purego

package kernel

// ATB32W3 is not available; it panics.
func ATB32W3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16) {
	panic("kernel: ATB32W3 unavailable")
}

// ATB32W2 is not available; it panics.
func ATB32W2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16) {
	panic("kernel: ATB32W2 unavailable")
}

// ATB32W1 is not available; it panics.
func ATB32W1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16) {
	panic("kernel: ATB32W1 unavailable")
}

// ATB64W3 is not available; it panics.
func ATB64W3(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16) {
	panic("kernel: ATB64W3 unavailable")
}

// ATB64W2 is not available; it panics.
func ATB64W2(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16) {
	panic("kernel: ATB64W2 unavailable")
}

// ATB64W1 is not available; it panics.
func ATB64W1(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16) {
	panic("kernel: ATB64W1 unavailable")
}
