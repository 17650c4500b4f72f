// SPDX-License-Identifier: MIT

//go:build !amd64 || purego

// Package kernel holds the assembly product kernels of linalg.Packed,
// apart because a package that uses cgo cannot have Go assembly.
package kernel

// Available is false: there are no kernels on this architecture or build.
const Available = false

// Wide is false: there are no kernels on this architecture or build.
const Wide = false

// Tile32W is not available; it panics.
func Tile32W(k int, a *float32, lda int, w *float32, c *float32, ldc int) {
	panic("kernel: Tile32W unavailable")
}

// Tile64W is not available; it panics.
func Tile64W(k int, a *float64, lda int, w *float64, c *float64, ldc int) {
	panic("kernel: Tile64W unavailable")
}

// Tile32W32 is not available; it panics.
func Tile32W32(k int, a *float32, lda int, w *float32, c *float32, ldc int) {
	panic("kernel: Tile32W32 unavailable")
}

// Tile32W16 is not available; it panics.
func Tile32W16(k int, a *float32, lda int, w *float32, c *float32, ldc int) {
	panic("kernel: Tile32W16 unavailable")
}

// Tile64W16 is not available; it panics.
func Tile64W16(k int, a *float64, lda int, w *float64, c *float64, ldc int) {
	panic("kernel: Tile64W16 unavailable")
}

// Tile64W8 is not available; it panics.
func Tile64W8(k int, a *float64, lda int, w *float64, c *float64, ldc int) {
	panic("kernel: Tile64W8 unavailable")
}

// Tile32 is not available; it panics.
func Tile32(k int, a *float32, lda int, w *float32, c *float32, ldc int) {
	panic("kernel: Tile32 unavailable")
}

// Tile64 is not available; it panics.
func Tile64(k int, a *float64, lda int, w *float64, c *float64, ldc int) {
	panic("kernel: Tile64 unavailable")
}

// Rows64 is not available; it panics.
func Rows64(groups, k int, w *float64, ldw int, x *float64, y *float64) {
	panic("kernel: Rows64 unavailable")
}

// Rows32 is not available; it panics.
func Rows32(groups, k int, w *float32, ldw int, x *float32, y *float32) {
	panic("kernel: Rows32 unavailable")
}

// Tile32W16R8 is not available; it panics.
func Tile32W16R8(k int, a *float32, lda int, w *float32, c *float32, ldc int) {
	panic("kernel: Tile32W16R8 unavailable")
}

// Tile64W8R8 is not available; it panics.
func Tile64W8R8(k int, a *float64, lda int, w *float64, c *float64, ldc int) {
	panic("kernel: Tile64W8R8 unavailable")
}
