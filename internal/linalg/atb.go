// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"
	"unsafe"

	"github.com/nn4n/nn4n/internal/linalg/kernel"
)

// ATB computes weight gradients c += aᵀ·b, sums over the steps and trials
// of a batch, on AVX-512 kernels. While a row of b is shorter than a page
// (atbStride), its tiles (kernel.ATB32W3 …) read a and b where they lie,
// a block of rows at a time: 1.5–2× OpenBLAS's rate from N = 64 to
// 512 in float32. Longer rows put the rows of a block in the same few
// cache sets; then a block of atbBlock rows of a is transposed and one of
// b packed as panels for the packed product's kernel, copies that pay off
// from ATBMin. An ATB holds its blocks between calls; one goroutine uses
// it at a time.
type ATB[T Float] struct {
	at []T // a block of a, transposed (m×kb), or its last columns (kb×4)
	p  Packed[T]
}

// HasATB reports whether ATB has its kernels (AVX-512) on this CPU and
// build; without them Add calls BLAS (tests turn it off).
var HasATB = kernel.Wide

// atbBlock is the rows of a and b in a block of the copying kernel.
const atbBlock = 256

// atbBlockRows returns the rows of a and b in a block of the in-place
// kernel for rows of b of stride bytes: 64 rows of a 48-column panel of b
// take 12 KiB of L1 (2026-12-07, BenchmarkATB: 64 rows 200, 128 rows
// 160–190 GFLOPS at N = 64–128), but rows 1 KiB or more apart fall into
// few of its sets, and a block keeps to 64·512 bytes of stride (N = 256:
// 32 rows 170–205, 64 rows 125–135 GFLOPS).
func atbBlockRows(stride int) int {
	if stride <= 512 {
		return 64
	}
	return max(16, 64*512/stride)
}

// atbStride is the row length of b, in bytes, from which Add copies its
// blocks: at 4 KiB (N = 1024 in float32, 512 in float64) the in-place
// kernel ran at 100 against 150 GFLOPS with copies (float32) and 54
// against 66 (float64).
const atbStride = 4096

// ATBMin is the least m·n for which Add runs its copying kernel, when b's
// rows reach atbStride (a variable for tests): copying the blocks costs in
// proportion to (m+n)·k, the product m·n·k, and at 256×256 the kernel
// with its copies was slower than OpenBLAS (85–91 against 98–100 GFLOPS
// in float32; 2026-12-07, BenchmarkATB).
var ATBMin = 512 * 512

// Add sets c += aᵀ·b for a k×m (row stride lda), b k×n (row stride n) and
// c m×n (row stride ldc). Each element is summed over a block of rows in
// order, then added to c block after block.
func (w *ATB[T]) Add(m, n, k int, a []T, lda int, b []T, c []T, ldc int) {
	if m < 0 || n < 0 || k < 0 || lda < m || ldc < n ||
		k > 0 && (len(a) < (k-1)*lda+m || len(b) < k*n) || m > 0 && len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("linalg: ATB of %d×%d by %d×%d with %d (stride %d), %d and %d (stride %d) values",
			k, m, k, n, len(a), lda, len(b), len(c), ldc))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	var zero T
	switch {
	case !HasATB || !kernel.Wide:
	case n*int(unsafe.Sizeof(zero)) < atbStride:
		w.addInPlace(m, n, k, a, lda, b, c, ldc)
		return
	case m*n >= ATBMin:
		w.addCopied(m, n, k, a, lda, b, c, ldc)
		return
	}
	Gemm(true, false, m, n, k, 1, a, lda, b, n, 1, c, ldc)
}

// addCopied is Add on the packed product's kernel.
func (w *ATB[T]) addCopied(m, n, k int, a []T, lda int, b []T, c []T, ldc int) {
	w.at = grow(w.at, m*min(k, atbBlock))
	for s0 := 0; s0 < k; s0 += atbBlock {
		kb := min(atbBlock, k-s0)
		at := w.at[:m*kb]
		for s := range kb {
			for i, v := range a[(s0+s)*lda : (s0+s)*lda+m] {
				at[i*kb+s] = v
			}
		}
		w.p.pack(b[s0*n:(s0+kb)*n], n, kb, true, true)
		w.p.MulT(m, at, kb, c, ldc)
	}
}

// addInPlace is Add on the ATB tiles of package kernel, which read a and b
// where they lie: for each block of rows (atbBlockRows), each panel of up
// to 48 (float32) or 24 (float64) columns of b, which stays in cache while every
// four columns of a run over it, and each four columns of a. The columns
// of a left after the last four are copied, zero-padded, into a block of
// four, whose tile goes through a scratch tile.
func (w *ATB[T]) addInPlace(m, n, k int, a []T, lda int, b []T, c []T, ldc int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	nr, vec := 192/size, 64/size
	m4 := m &^ 3
	var scratch [4 * 48]T
	rows := atbBlockRows(n * size)
	for s0 := 0; s0 < k; s0 += rows {
		kb := min(rows, k-s0)
		ab, bb := a[s0*lda:], b[s0*n:]
		if m4 < m {
			w.at = grow(w.at, 4*kb)
			for s := range kb {
				row := w.at[4*s : 4*s+4]
				clear(row[copy(row, ab[s*lda+m4:s*lda+m]):])
			}
		}
		for j0, cols := 0, 0; j0 < n; j0 += cols {
			cols = min(nr, n-j0)
			if rest := n - j0; rest > nr && rest <= nr+vec {
				// Two tiles of two vectors rather than one of three and
				// one of a single vector, which waits on its four
				// accumulators' latency.
				cols = 2 * vec
			}
			nv := (cols + vec - 1) / vec
			mask := uint16(1<<(cols-(nv-1)*vec) - 1) // the last vector's columns
			for i := 0; i < m4; i += 4 {
				atbTile(nv, kb, &ab[i], lda, &bb[j0], n, &c[i*ldc+j0], ldc, mask)
			}
			if m4 < m {
				clear(scratch[:])
				atbTile(nv, kb, &w.at[0], 4, &bb[j0], n, &scratch[0], nr, mask)
				for r := range m - m4 {
					row := c[(m4+r)*ldc+j0 : (m4+r)*ldc+j0+cols]
					for j, v := range scratch[r*nr : r*nr+cols] {
						row[j] += v
					}
				}
			}
		}
	}
}

// atbTile is the kernel of addInPlace: the tile of nv vectors of columns.
func atbTile[T Float](nv, k int, a *T, lda int, b *T, ldb int, c *T, ldc int, mask uint16) {
	switch a := any(a).(type) {
	case *float32:
		b, c := any(b).(*float32), any(c).(*float32)
		switch nv {
		case 3:
			kernel.ATB32W3(k, a, lda, b, ldb, c, ldc, mask)
		case 2:
			kernel.ATB32W2(k, a, lda, b, ldb, c, ldc, mask)
		default:
			kernel.ATB32W1(k, a, lda, b, ldb, c, ldc, mask)
		}
	case *float64:
		b, c := any(b).(*float64), any(c).(*float64)
		switch nv {
		case 3:
			kernel.ATB64W3(k, a, lda, b, ldb, c, ldc, mask)
		case 2:
			kernel.ATB64W2(k, a, lda, b, ldb, c, ldc, mask)
		default:
			kernel.ATB64W1(k, a, lda, b, ldb, c, ldc, mask)
		}
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
