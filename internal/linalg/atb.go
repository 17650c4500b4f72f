// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"

	"github.com/nn4n/nn4n/internal/linalg/kernel"
)

// ATB computes weight gradients c += aᵀ·b, sums over the steps and trials
// of a batch, on the packed product's kernel: a block of atbBlock rows of
// a (transposed) and of b (packed as panels) at a time, both of which
// stay in cache while every tile of c runs over them. OpenBLAS copies its
// operands too, but its kernel runs at half the packed kernel's rate on
// AVX-512. An ATB holds the blocks between calls; one goroutine uses it
// at a time.
type ATB[T Float] struct {
	at []T // a block of a, transposed: m×kb
	p  Packed[T]
}

// HasATB reports whether ATB has its kernel (AVX-512) on this CPU and
// build; without it Add calls BLAS (tests turn it off).
var HasATB = kernel.Wide

// atbBlock is the rows of a and b in a block.
const atbBlock = 256

// ATBMin is the least m·n for which Add runs its kernel (a variable for
// tests): copying the blocks costs in proportion to (m+n)·k, the product
// m·n·k, and at 256×256 the kernel with its copies was slower than
// OpenBLAS (85–91 against 98–100 GFLOPS in float32; 2026-12-07,
// BenchmarkATB).
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
	if !HasATB || !kernel.Wide || m*n < ATBMin {
		Gemm(true, false, m, n, k, 1, a, lda, b, n, 1, c, ldc)
		return
	}
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

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
