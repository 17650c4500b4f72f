// SPDX-License-Identifier: MIT

package linalg

import (
	"fmt"
	"unsafe"

	"github.com/nn4n/nn4n/internal/linalg/kernel"
)

// Packed is an n×k matrix w kept for repeated products c += a·wᵀ, such as
// the recurrent weights of a forward pass, multiplied once per time step.
// Where the CPU has AVX2 and FMA it is stored as panels of nr rows of w,
// each k-major and zero-padded, the layout of a 4×nr product kernel; BLAS
// would repack w on every call. Elsewhere MulT calls BLAS. A panel is 96
// bytes of each column of w for the AVX2 kernel and 192 for the AVX-512
// one, which gives every element of the product the same bits.
//
// A Packed is read-only once packed: any number of goroutines may call MulT
// on it at once.
type Packed[T Float] struct {
	n, k   int
	w      []T  // the matrix, for BLAS
	trans  bool // w holds the transpose (k×n)
	panels []T  // ⌈n/nr⌉ panels of k×nr
	wide   bool // the panels are the AVX-512 kernel's
}

// HasPacked reports whether Packed has its product kernel on this CPU and
// build; without it MulT calls BLAS. Callers choose their split of the
// work by it (tests turn it off to run the BLAS paths).
var HasPacked = kernel.Available

// UseWide reports whether Pack lays out panels for the AVX-512 kernels,
// which it does where the CPU has them (tests turn it off to compare the
// two kernels).
var UseWide = kernel.Wide

// panelRows returns nr, the rows of w in a panel: 96 bytes of each column,
// or 192 for the wide kernel.
func panelRows[T Float](wide bool) int {
	var zero T
	if wide {
		return 192 / int(unsafe.Sizeof(zero))
	}
	return 96 / int(unsafe.Sizeof(zero))
}

// Pack sets p to w, n×k and row-major. p keeps w for BLAS: the caller must
// not change w while p is in use, and packs again when it does.
func (p *Packed[T]) Pack(w []T, n, k int) { p.pack(w, n, k, false, UseWide) }

// PackT sets p to the transpose of w, which is k×n and row-major, so that
// MulT computes c += a·w. As with Pack, p keeps w.
func (p *Packed[T]) PackT(w []T, k, n int) { p.pack(w, n, k, true, UseWide) }

// pack packs w (its transpose if trans) for the wide kernel if wide and
// the CPU has it.
func (p *Packed[T]) pack(w []T, n, k int, trans, wide bool) {
	if n < 0 || k < 0 || len(w) < n*k {
		panic(fmt.Sprintf("linalg: packing a %d×%d matrix from %d values", n, k, len(w)))
	}
	p.n, p.k, p.w, p.trans = n, k, w[:n*k], trans
	if !kernel.Available {
		return
	}
	p.wide = wide && kernel.Wide
	nr := panelRows[T](p.wide)
	size := (n + nr - 1) / nr * nr * k
	if cap(p.panels) < size {
		p.panels = make([]T, size)
	}
	p.panels = p.panels[:size]
	for q := 0; q*nr < n; q++ {
		panel := p.panels[q*nr*k : (q+1)*nr*k]
		if trans {
			// Column s of the panel is a stretch of row s of w.
			for s := range k {
				dst := panel[s*nr : (s+1)*nr]
				clear(dst[copy(dst, w[s*n+q*nr:s*n+min(n, (q+1)*nr)]):])
			}
			continue
		}
		for j := range nr {
			row := q*nr + j
			if row >= n {
				for s := range k {
					panel[s*nr+j] = 0
				}
				continue
			}
			for s, v := range w[row*k : (row+1)*k] {
				panel[s*nr+j] = v
			}
		}
	}
}

// MulT sets c += a·wᵀ for a m×k (row stride lda) and c m×n (row stride
// ldc), w being the n×k matrix of Pack or the transpose of PackT's. Each
// element of the product is summed in the same order whatever m and the
// element's place, so splitting the rows of a between calls gives
// bit-identical results.
func (p *Packed[T]) MulT(m int, a []T, lda int, c []T, ldc int) {
	n, k := p.n, p.k
	if m < 0 || lda < k || ldc < n || m > 0 && (len(a) < (m-1)*lda+k || len(c) < (m-1)*ldc+n) {
		panic(fmt.Sprintf("linalg: MulT of %d rows by a %d×%d matrix with %d (stride %d) and %d (stride %d) values",
			m, n, k, len(a), lda, len(c), ldc))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if !kernel.Available {
		if p.trans {
			Gemm(false, false, m, n, k, 1, a, lda, p.w, n, 1, c, ldc)
		} else {
			Gemm(false, true, m, n, k, 1, a, lda, p.w, k, 1, c, ldc)
		}
		return
	}
	nr := panelRows[T](p.wide)
	for q := 0; q*nr < n; q++ {
		j0, panel := q*nr, &p.panels[q*nr*k]
		cols := min(nr, n-j0)
		i := 0
		if p.wide && 3*cols == nr {
			// A third of a panel, eight rows at a time (see tile8).
			for ; i+8 <= m; i += 8 {
				tile8(k, &a[i*lda], lda, panel, &c[i*ldc+j0], ldc)
			}
		}
		for ; i+4 <= m; i += 4 {
			if cols == nr || narrow(p.wide, nr, cols) {
				tile(p.wide, cols, nr, k, &a[i*lda], lda, panel, &c[i*ldc+j0], ldc)
			} else {
				p.edge(a[i*lda:], lda, panel, c[i*ldc+j0:], ldc, 0, 4, cols)
			}
		}
		switch {
		case i == m:
		case m >= 4:
			// The last rows, from the tile of the last four.
			b := m - 4
			p.edge(a[b*lda:], lda, panel, c[b*ldc+j0:], ldc, i-b, 4, cols)
		default:
			// Fewer than four rows: a tile per row, which a stride of 0
			// repeats four times.
			for r := range m {
				p.edge(a[r*lda:], 0, panel, c[r*ldc+j0:], ldc, 0, 1, cols)
			}
		}
	}
}

// edge runs the tile of the four rows of a from a[0] (stride lda) through a
// scratch block and adds its rows lo…hi−1, columns 0…cols−1, to the rows of
// c from c[0] (stride ldc).
func (p *Packed[T]) edge(a []T, lda int, panel *T, c []T, ldc int, lo, hi, cols int) {
	var scratch [4 * 48]T // 4 rows of nr ≤ 48
	nr, tc := panelRows[T](p.wide), cols
	if !narrow(p.wide, nr, cols) {
		tc = nr
	}
	tile(p.wide, tc, nr, p.k, &a[0], lda, panel, &scratch[0], nr)
	for r := lo; r < hi; r++ {
		row := c[r*ldc : r*ldc+cols]
		for j, v := range scratch[r*nr : r*nr+cols] {
			row[j] += v
		}
	}
}

// narrow reports whether the wide kernel has a tile of exactly cols of the
// nr columns of a panel (a third or two thirds of it), which the last
// panel of a matrix runs on instead of computing the whole panel.
func narrow(wide bool, nr, cols int) bool {
	return wide && (3*cols == nr || 3*cols == 2*nr)
}

// tile is the kernel of MulT (see package kernel): the AVX-512 one if wide,
// computing cols of the panel's nr columns (nr, or a third or two thirds
// of it with the wide kernel).
func tile[T Float](wide bool, cols, nr, k int, a *T, lda int, w *T, c *T, ldc int) {
	switch a := any(a).(type) {
	case *float32:
		w, c := any(w).(*float32), any(c).(*float32)
		switch {
		case !wide:
			kernel.Tile32(k, a, lda, w, c, ldc)
		case cols == nr:
			kernel.Tile32W(k, a, lda, w, c, ldc)
		case 3*cols == 2*nr:
			kernel.Tile32W32(k, a, lda, w, c, ldc)
		default:
			kernel.Tile32W16(k, a, lda, w, c, ldc)
		}
	case *float64:
		w, c := any(w).(*float64), any(c).(*float64)
		switch {
		case !wide:
			kernel.Tile64(k, a, lda, w, c, ldc)
		case cols == nr:
			kernel.Tile64W(k, a, lda, w, c, ldc)
		case 3*cols == 2*nr:
			kernel.Tile64W16(k, a, lda, w, c, ldc)
		default:
			kernel.Tile64W8(k, a, lda, w, c, ldc)
		}
	}
}

// tile8 is the wide kernel for the first vector of a panel's columns and
// eight rows, whose eight accumulators keep the fused multiply-adds busy
// where a tile of four rows waits on their latency (N = 64 in float32
// ends with such a third of a panel).
func tile8[T Float](k int, a *T, lda int, w *T, c *T, ldc int) {
	switch a := any(a).(type) {
	case *float32:
		kernel.Tile32W16R8(k, a, lda, any(w).(*float32), any(c).(*float32), ldc)
	case *float64:
		kernel.Tile64W8R8(k, a, lda, any(w).(*float64), any(c).(*float64), ldc)
	}
}

// MulVec sets y += w·x for w n×k (row stride ldw), x of k values and y of
// n: the matrix-vector product of a simulator step. With the kernel, each
// y[i] is summed in an order of its own row, so that splitting the rows
// between calls gives bit-identical results; without it MulVec calls BLAS.
func MulVec[T Float](n, k int, w []T, ldw int, x, y []T) {
	if n < 0 || k < 0 || ldw < k || len(x) < k || len(y) < n || n > 0 && len(w) < (n-1)*ldw+k {
		panic(fmt.Sprintf("linalg: MulVec of a %d×%d matrix with %d values (stride %d), x of %d, y of %d",
			n, k, len(w), ldw, len(x), len(y)))
	}
	if n == 0 || k == 0 {
		return
	}
	if !kernel.Available {
		Gemv(false, n, k, 1, w, ldw, x, 1, y)
		return
	}
	kq := k &^ 3 // the kernel's columns: a multiple of 4
	if groups := n / 4; groups > 0 {
		rows(groups, kq, &w[0], ldw, &x[0], &y[0])
	}
	if rem := n % 4; rem > 0 {
		// The last rows, from the four rows that end them, or, with fewer
		// than four, row by row (a stride of 0 repeats one row).
		var out [4]T
		if n >= 4 {
			rows(1, kq, &w[(n-4)*ldw], ldw, &x[0], &out[0])
			for j := 4 - rem; j < 4; j++ {
				y[n-4+j] += out[j]
			}
		} else {
			for i := range n {
				out = [4]T{}
				rows(1, kq, &w[i*ldw], 0, &x[0], &out[0])
				y[i] += out[0]
			}
		}
	}
	if kq < k {
		for i := range n {
			s := y[i]
			for p := kq; p < k; p++ {
				s += w[i*ldw+p] * x[p]
			}
			y[i] = s
		}
	}
}

// rows is the kernel of MulVec (see package kernel).
func rows[T Float](groups, k int, w *T, ldw int, x, y *T) {
	if k == 0 {
		return
	}
	switch w := any(w).(type) {
	case *float32:
		kernel.Rows32(groups, k, w, ldw, any(x).(*float32), any(y).(*float32))
	case *float64:
		kernel.Rows64(groups, k, w, ldw, any(x).(*float64), any(y).(*float64))
	}
}
