// SPDX-License-Identifier: MIT

//go:build !purego

// Package kernel holds the assembly product kernels of linalg.Packed,
// apart because a package that uses cgo cannot have Go assembly.
package kernel

//go:noescape
func cpuHasFMA() bool

// Tile32 sets c[i·ldc + j] += Σ_p a[i·lda + p]·w[p·24 + j] for i < 4,
// j < 24 and p < k, with fused multiply-adds in order of p. Callers check
// that the memory it reads and writes exists.
//
//go:noescape
func Tile32(k int, a *float32, lda int, w *float32, c *float32, ldc int)

// Tile64 is Tile32 for float64, with panels of 12: w[p·12 + j], j < 12.
//
//go:noescape
func Tile64(k int, a *float64, lda int, w *float64, c *float64, ldc int)

// Tile32W is Tile32 on AVX-512 registers, with panels of 48:
// w[p·48 + j], j < 48. Each element gets the bits Tile32 gives it.
//
//go:noescape
func Tile32W(k int, a *float32, lda int, w *float32, c *float32, ldc int)

// Tile64W is Tile64 on AVX-512 registers, with panels of 24: w[p·24 + j],
// j < 24. Each element gets the bits Tile64 gives it.
//
//go:noescape
func Tile64W(k int, a *float64, lda int, w *float64, c *float64, ldc int)

// Tile32W32 is Tile32W for the first 32 columns of the panel only:
// c[i·ldc + j] for j < 32.
//
//go:noescape
func Tile32W32(k int, a *float32, lda int, w *float32, c *float32, ldc int)

// Tile32W16 is Tile32W for the first 16 columns of the panel only.
//
//go:noescape
func Tile32W16(k int, a *float32, lda int, w *float32, c *float32, ldc int)

// Tile64W16 is Tile64W for the first 16 columns of the panel only.
//
//go:noescape
func Tile64W16(k int, a *float64, lda int, w *float64, c *float64, ldc int)

// Tile64W8 is Tile64W for the first 8 columns of the panel only.
//
//go:noescape
func Tile64W8(k int, a *float64, lda int, w *float64, c *float64, ldc int)

// Tile32W16R8 is Tile32W16 for eight rows of a and c (i < 8).
//
//go:noescape
func Tile32W16R8(k int, a *float32, lda int, w *float32, c *float32, ldc int)

// Tile64W8R8 is Tile64W8 for eight rows of a and c (i < 8).
//
//go:noescape
func Tile64W8R8(k int, a *float64, lda int, w *float64, c *float64, ldc int)

//go:noescape
func cpuHasAVX512() bool

// Wide reports whether the CPU runs the wide kernels Tile32W and Tile64W:
// AVX-512 F, with the OS saving ZMM state, besides what Available asks.
var Wide = cpuHasAVX512()

// Available reports whether the CPU runs the kernels: AVX2 and FMA, with
// the OS saving YMM state.
var Available = cpuHasFMA()

// Rows64 sets y[i] += Σ_p w[i·ldw + p]·x[p] for i < 4·groups and p < k, k a
// multiple of 4, each row summed in a fixed order of its own.
//
//go:noescape
func Rows64(groups, k int, w *float64, ldw int, x *float64, y *float64)

// Rows32 is Rows64 for float32.
//
//go:noescape
func Rows32(groups, k int, w *float32, ldw int, x *float32, y *float32)
