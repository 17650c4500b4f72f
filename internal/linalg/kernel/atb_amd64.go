// SPDX-License-Identifier: MIT

//go:build !purego

package kernel

// ATB32W3 sets c[i·ldc + j] += Σ_p a[p·lda + i]·b[p·ldb + j] for i < 4,
// p < k and the 48 columns j < 48 of which the last 16 are those set in
// mask (bit j − 32), reading a and b in place: the tile of a product aᵀ·b.
// Each element is summed from zero with fused multiply-adds in order of p
// and then added to c. Only the columns in the mask are read from b and c
// and written. It needs AVX-512 (Wide); callers check that the memory it
// reads and writes exists.
//
//go:noescape
func ATB32W3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)

// ATB32W2 is ATB32W3 for 32 columns, the last 16 those set in mask.
//
//go:noescape
func ATB32W2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)

// ATB32W1 is ATB32W3 for 16 columns, those set in mask.
//
//go:noescape
func ATB32W1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)

// ATB64W3 is ATB32W3 for float64: 24 columns, the last 8 those set in the
// low 8 bits of mask.
//
//go:noescape
func ATB64W3(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)

// ATB64W2 is ATB64W3 for 16 columns, the last 8 those set in mask.
//
//go:noescape
func ATB64W2(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)

// ATB64W1 is ATB64W3 for 8 columns, those set in mask.
//
//go:noescape
func ATB64W1(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)
