//go:build !purego

#include "textflag.h"

// func cpuHasFMA() bool
// AVX2 and FMA3, with the OS saving YMM state.
TEXT ·cpuHasFMA(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18001000, CX // FMA (bit 12), OSXSAVE (bit 27), AVX (bit 28)
	CMPL CX, $0x18001000
	JNE  no
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX       // AVX2 (leaf 7, EBX bit 5)
	JZ   no
	XORL CX, CX
	XGETBV               // XCR0: XMM (bit 1) and YMM (bit 2) state
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// The tiles below compute c[i·ldc + j] += Σ_p a[i·lda + p]·w[p·nr + j] for
// i < 4 and j < nr, a 4×nr block of c held in twelve registers, from four
// rows of a and one panel of the packed matrix (96 bytes per p). Every
// element is summed in order of p with fused multiply-adds, so the result
// does not depend on where the tile lies in the product. TILE is the body
// of both precisions, given the element size as a shift and in bytes, and
// the instructions of its type.

// FOUR_ROWS points R10–R12 at the three rows after SI, DX bytes apart.
#define FOUR_ROWS \
	LEAQ (SI)(DX*1), R10  \
	LEAQ (R10)(DX*1), R11 \
	LEAQ (R11)(DX*1), R12

// ZERO8 clears Y0–Y7 with ZERO, the xor of the type.
#define ZERO8(ZERO) \
	ZERO Y0, Y0, Y0 \
	ZERO Y1, Y1, Y1 \
	ZERO Y2, Y2, Y2 \
	ZERO Y3, Y3, Y3 \
	ZERO Y4, Y4, Y4 \
	ZERO Y5, Y5, Y5 \
	ZERO Y6, Y6, Y6 \
	ZERO Y7, Y7, Y7

// TILE_ADD adds the three accumulators of one row of the tile to the row
// of c at R8.
#define TILE_ADD(ADD, MOVE, ya, yb, yc) \
	ADD  (R8), ya, ya   \
	MOVE ya, (R8)       \
	ADD  32(R8), yb, yb \
	MOVE yb, 32(R8)     \
	ADD  64(R8), yc, yc \
	MOVE yc, 64(R8)

// TILE_ROW accumulates one element of a row of a (at row+AX), broadcast,
// times the panel's 24/12 values in Y12–Y14.
#define TILE_ROW(BCAST, FMA, row, ya, yb, yc) \
	BCAST (row)(AX*1), Y15 \
	FMA   Y12, Y15, ya     \
	FMA   Y13, Y15, yb     \
	FMA   Y14, Y15, yc

// TILE expects k in CX, a in SI, lda in DX, w in DI, c in R8, ldc in R9.
#define TILE(SHIFT, SIZE, ZERO, MOVE, BCAST, FMA, ADD) \
	SHLQ $SHIFT, DX              \
	SHLQ $SHIFT, R9              \
	FOUR_ROWS                    \
	ZERO8(ZERO)                  \
	ZERO Y8, Y8, Y8              \
	ZERO Y9, Y9, Y9              \
	ZERO Y10, Y10, Y10           \
	ZERO Y11, Y11, Y11           \
	XORQ AX, AX                  \
loop:                                \
	TESTQ CX, CX                 \
	JZ    done                   \
	MOVE  (DI), Y12              \
	MOVE  32(DI), Y13            \
	MOVE  64(DI), Y14            \
	TILE_ROW(BCAST, FMA, SI, Y0, Y1, Y2)   \
	TILE_ROW(BCAST, FMA, R10, Y3, Y4, Y5)  \
	TILE_ROW(BCAST, FMA, R11, Y6, Y7, Y8)  \
	TILE_ROW(BCAST, FMA, R12, Y9, Y10, Y11) \
	ADDQ  $SIZE, AX              \
	ADDQ  $96, DI                \
	DECQ  CX                     \
	JMP   loop                   \
done:                                \
	TILE_ADD(ADD, MOVE, Y0, Y1, Y2)   \
	ADDQ R9, R8                       \
	TILE_ADD(ADD, MOVE, Y3, Y4, Y5)   \
	ADDQ R9, R8                       \
	TILE_ADD(ADD, MOVE, Y6, Y7, Y8)   \
	ADDQ R9, R8                       \
	TILE_ADD(ADD, MOVE, Y9, Y10, Y11) \
	VZEROUPPER                        \
	RET

// func Tile32(k int, a *float32, lda int, w *float32, c *float32, ldc int)
// nr = 24.
TEXT ·Tile32(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	TILE(2, 4, VXORPS, VMOVUPS, VBROADCASTSS, VFMADD231PS, VADDPS)

// func Tile64(k int, a *float64, lda int, w *float64, c *float64, ldc int)
// nr = 12.
TEXT ·Tile64(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	TILE(3, 8, VXORPD, VMOVUPD, VBROADCASTSD, VFMADD231PD, VADDPD)

// The row kernels below compute y[i] += Σ_p w[i·ldw + p]·x[p] for i < 4·groups
// and p < k, k a multiple of 4: four rows at a time, each summed in two
// vector accumulators (even and odd blocks of columns, fused multiply-adds
// in order; float32's last 8 and 4 columns into the first), added, then
// reduced across lanes in a fixed pattern, so that a row's result does not
// depend on the rows around it.

// ROWS_START points R10–R12 at the three rows after SI (row stride DX
// bytes), clears the accumulators Y0–Y7 and AX, the byte offset of the
// column.
#define ROWS_START(ZERO) \
	FOUR_ROWS   \
	ZERO8(ZERO) \
	XORQ AX, AX

// ROWS_VECTOR accumulates the vector of x at offset AX+off (in reg) times
// the four rows' into a0–a3.
#define ROWS_VECTOR(MOVE, FMA, off, reg, a0, a1, a2, a3) \
	MOVE off(R8)(AX*1), reg     \
	FMA  off(SI)(AX*1), reg, a0  \
	FMA  off(R10)(AX*1), reg, a1 \
	FMA  off(R11)(AX*1), reg, a2 \
	FMA  off(R12)(AX*1), reg, a3

// ROWS_PAIRS runs over pairs of vectors (64 bytes) of the row while they
// last, the first of each pair into Y0–Y3 and the second into Y4–Y7.
#define ROWS_PAIRS(MOVE, FMA) \
pairs:                         \
	LEAQ 64(AX), R9            \
	CMPQ R9, CX                \
	JA   pairsDone             \
	ROWS_VECTOR(MOVE, FMA, 0, Y8, Y0, Y1, Y2, Y3)  \
	ROWS_VECTOR(MOVE, FMA, 32, Y9, Y4, Y5, Y6, Y7) \
	MOVQ R9, AX                \
	JMP  pairs                 \
pairsDone:

// ROWS_NEXT adds the four sums in ysum (an X register for float32) to y at DI,
// moves DI past them (by step bytes) and SI to the next four rows, and
// loops to group.
#define ROWS_NEXT(ADD, MOVE, ysum, step) \
	ADD  (DI), ysum, ysum \
	MOVE ysum, (DI)       \
	ADDQ $step, DI        \
	LEAQ (R12)(DX*1), SI  \
	DECQ BX               \
	JMP  group

// func Rows64(groups, k int, w *float64, ldw int, x *float64, y *float64)
TEXT ·Rows64(SB), NOSPLIT, $0-48
	MOVQ groups+0(FP), BX
	MOVQ k+8(FP), CX
	MOVQ w+16(FP), SI
	MOVQ ldw+24(FP), DX
	MOVQ x+32(FP), R8
	MOVQ y+40(FP), DI
	SHLQ $3, DX
	SHLQ $3, CX // k in bytes
group:
	TESTQ BX, BX
	JZ    done
	ROWS_START(VXORPD)
	ROWS_PAIRS(VMOVUPD, VFMADD231PD)
	CMPQ  AX, CX
	JAE   reduce
	ROWS_VECTOR(VMOVUPD, VFMADD231PD, 0, Y8, Y0, Y1, Y2, Y3)
reduce:
	VADDPD     Y4, Y0, Y0
	VADDPD     Y5, Y1, Y1
	VADDPD     Y6, Y2, Y2
	VADDPD     Y7, Y3, Y3
	VHADDPD    Y1, Y0, Y0        // [r0 01, r1 01, r0 23, r1 23]
	VHADDPD    Y3, Y2, Y2        // [r2 01, r3 01, r2 23, r3 23]
	VPERM2F128 $0x20, Y2, Y0, Y1 // the 01 sums of rows 0–3
	VPERM2F128 $0x31, Y2, Y0, Y3 // the 23 sums
	VADDPD     Y3, Y1, Y1
	ROWS_NEXT(VADDPD, VMOVUPD, Y1, 32)
done:
	VZEROUPPER
	RET

// func Rows32(groups, k int, w *float32, ldw int, x *float32, y *float32)
TEXT ·Rows32(SB), NOSPLIT, $0-48
	MOVQ groups+0(FP), BX
	MOVQ k+8(FP), CX
	MOVQ w+16(FP), SI
	MOVQ ldw+24(FP), DX
	MOVQ x+32(FP), R8
	MOVQ y+40(FP), DI
	SHLQ $2, DX
	SHLQ $2, CX
group:
	TESTQ BX, BX
	JZ    done
	ROWS_START(VXORPS)
	ROWS_PAIRS(VMOVUPS, VFMADD231PS)
	LEAQ  32(AX), R9
	CMPQ  R9, CX
	JA    quad
	ROWS_VECTOR(VMOVUPS, VFMADD231PS, 0, Y8, Y0, Y1, Y2, Y3)
	MOVQ  R9, AX
quad:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	CMPQ   AX, CX
	JAE    reduce
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	ROWS_VECTOR(VMOVUPS, VFMADD231PS, 0, X8, X4, X5, X6, X7)
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
reduce:
	VHADDPS      Y1, Y0, Y0 // per 128-bit half: [r0 01, r0 23, r1 01, r1 23]
	VHADDPS      Y3, Y2, Y2 // [r2 01, r2 23, r3 01, r3 23]
	VHADDPS      Y2, Y0, Y0 // [r0, r1, r2, r3] of each half
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	ROWS_NEXT(VADDPS, VMOVUPS, X0, 16)
done:
	VZEROUPPER
	RET

// func cpuHasAVX512() bool
// AVX-512 F with the OS saving opmask and ZMM state, as well as what
// cpuHasFMA asks for.
TEXT ·cpuHasAVX512(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18001000, CX // FMA, OSXSAVE, AVX
	CMPL CX, $0x18001000
	JNE  no512
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x10020, BX    // AVX2 (bit 5) and AVX-512 F (bit 16)
	CMPL BX, $0x10020
	JNE  no512
	XORL CX, CX
	XGETBV               // XCR0: XMM, YMM, opmask, ZMM_Hi256, Hi16_ZMM
	ANDL $0xe6, AX
	CMPL AX, $0xe6
	JNE  no512
	MOVB $1, ret+0(FP)
	RET
no512:
	MOVB $0, ret+0(FP)
	RET

// The wide tiles are the tiles above on ZMM registers: panels of 192 bytes
// (48 float32 or 24 float64 per p), each element summed from zero with
// fused multiply-adds in order of p and then added to c, as in TILE, so
// that both give the same bits. The narrow variants (NARROW = 1 or 2)
// compute only the first 64·NARROW bytes of each row of the tile, for the
// last panel of a matrix whose rows end there.

// WZERO clears the accumulators of one row of the tile.
#define WZERO(za, zb, zc) \
	VPXORQ za, za, za \
	VPXORQ zb, zb, zb \
	VPXORQ zc, zc, zc

// WTILE_ADD adds the accumulators of one row of the tile to the row of c
// at R8, NARROW (0: all three) of them.
#define WTILE_ADD(ADD, MOVE, za, zb, zc) \
	ADD  (R8), za, za    \
	MOVE za, (R8)        \
	ADD  64(R8), zb, zb  \
	MOVE zb, 64(R8)      \
	ADD  128(R8), zc, zc \
	MOVE zc, 128(R8)

#define WTILE_ADD2(ADD, MOVE, za, zb, zc) \
	ADD  (R8), za, za    \
	MOVE za, (R8)        \
	ADD  64(R8), zb, zb  \
	MOVE zb, 64(R8)

#define WTILE_ADD1(ADD, MOVE, za, zb, zc) \
	ADD  (R8), za, za    \
	MOVE za, (R8)

// WTILE_ROW accumulates one element of a row of a (at row+AX), broadcast,
// times the panel's values in Z12–Z14.
#define WTILE_ROW(BCAST, FMA, row, za, zb, zc) \
	BCAST (row)(AX*1), Z15 \
	FMA   Z12, Z15, za     \
	FMA   Z13, Z15, zb     \
	FMA   Z14, Z15, zc

#define WTILE_ROW2(BCAST, FMA, row, za, zb, zc) \
	BCAST (row)(AX*1), Z15 \
	FMA   Z12, Z15, za     \
	FMA   Z13, Z15, zb

#define WTILE_ROW1(BCAST, FMA, row, za, zb, zc) \
	BCAST (row)(AX*1), Z15 \
	FMA   Z12, Z15, za

// WTILE expects the registers of TILE; LOAD loads the panel's vectors of
// one p, ROW and ADD are WTILE_ROW and WTILE_ADD or their narrow variants.
#define WTILE(SHIFT, SIZE, MOVE, BCAST, FMA, ADDV, LOAD, ROW, ADD) \
	SHLQ $SHIFT, DX              \
	SHLQ $SHIFT, R9              \
	FOUR_ROWS                    \
	WZERO(Z0, Z1, Z2)            \
	WZERO(Z3, Z4, Z5)            \
	WZERO(Z6, Z7, Z8)            \
	WZERO(Z9, Z10, Z11)          \
	XORQ AX, AX                  \
wloop:                               \
	TESTQ CX, CX                 \
	JZ    wdone                  \
	LOAD(MOVE)                   \
	ROW(BCAST, FMA, SI, Z0, Z1, Z2)   \
	ROW(BCAST, FMA, R10, Z3, Z4, Z5)  \
	ROW(BCAST, FMA, R11, Z6, Z7, Z8)  \
	ROW(BCAST, FMA, R12, Z9, Z10, Z11) \
	ADDQ  $SIZE, AX              \
	ADDQ  $192, DI               \
	DECQ  CX                     \
	JMP   wloop                  \
wdone:                               \
	ADD(ADDV, MOVE, Z0, Z1, Z2)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, Z3, Z4, Z5)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, Z6, Z7, Z8)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, Z9, Z10, Z11) \
	VZEROUPPER                   \
	RET

#define WLOAD3(MOVE) \
	MOVE (DI), Z12    \
	MOVE 64(DI), Z13  \
	MOVE 128(DI), Z14

#define WLOAD2(MOVE) \
	MOVE (DI), Z12    \
	MOVE 64(DI), Z13

#define WLOAD1(MOVE) \
	MOVE (DI), Z12

// func Tile32W(k int, a *float32, lda int, w *float32, c *float32, ldc int)
// nr = 48.
TEXT ·Tile32W(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(2, 4, VMOVUPS, VBROADCASTSS, VFMADD231PS, VADDPS, WLOAD3, WTILE_ROW, WTILE_ADD)

// func Tile32W32(k int, a *float32, lda int, w *float32, c *float32, ldc int)
TEXT ·Tile32W32(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(2, 4, VMOVUPS, VBROADCASTSS, VFMADD231PS, VADDPS, WLOAD2, WTILE_ROW2, WTILE_ADD2)

// func Tile32W16(k int, a *float32, lda int, w *float32, c *float32, ldc int)
TEXT ·Tile32W16(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(2, 4, VMOVUPS, VBROADCASTSS, VFMADD231PS, VADDPS, WLOAD1, WTILE_ROW1, WTILE_ADD1)

// func Tile64W(k int, a *float64, lda int, w *float64, c *float64, ldc int)
// nr = 24.
TEXT ·Tile64W(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(3, 8, VMOVUPD, VBROADCASTSD, VFMADD231PD, VADDPD, WLOAD3, WTILE_ROW, WTILE_ADD)

// func Tile64W16(k int, a *float64, lda int, w *float64, c *float64, ldc int)
TEXT ·Tile64W16(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(3, 8, VMOVUPD, VBROADCASTSD, VFMADD231PD, VADDPD, WLOAD2, WTILE_ROW2, WTILE_ADD2)

// func Tile64W8(k int, a *float64, lda int, w *float64, c *float64, ldc int)
TEXT ·Tile64W8(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	MOVQ c+32(FP), R8
	MOVQ ldc+40(FP), R9
	WTILE(3, 8, VMOVUPD, VBROADCASTSD, VFMADD231PD, VADDPD, WLOAD1, WTILE_ROW1, WTILE_ADD1)

// The eight-row tiles compute the first vector of a panel's columns (16
// float32 or 8 float64) for eight rows of a, in eight accumulators: four
// rows of one vector leave the loop waiting on the latency of their four
// fused multiply-adds. Each element is summed as in WTILE. The rows of a
// are SI, R10–R14, BX and R8 (c's pointer, reloaded after the loop).

#define W8ROW(BCAST, FMA, row, z) \
	BCAST (row)(AX*1), Z15 \
	FMA   Z12, Z15, z

#define W8ADD(ADDV, MOVE, z) \
	ADDV (R8), z, z \
	MOVE z, (R8)    \
	ADDQ R9, R8

#define WTILE8(SHIFT, SIZE, MOVE, BCAST, FMA, ADDV) \
	SHLQ $SHIFT, DX              \
	FOUR_ROWS                    \
	LEAQ (R12)(DX*1), R13        \
	LEAQ (R13)(DX*1), R14        \
	LEAQ (R14)(DX*1), BX         \
	LEAQ (BX)(DX*1), R8          \
	VPXORQ Z0, Z0, Z0            \
	VPXORQ Z1, Z1, Z1            \
	VPXORQ Z2, Z2, Z2            \
	VPXORQ Z3, Z3, Z3            \
	VPXORQ Z4, Z4, Z4            \
	VPXORQ Z5, Z5, Z5            \
	VPXORQ Z6, Z6, Z6            \
	VPXORQ Z7, Z7, Z7            \
	XORQ AX, AX                  \
w8loop:                              \
	TESTQ CX, CX                 \
	JZ    w8done                 \
	MOVE  (DI), Z12              \
	W8ROW(BCAST, FMA, SI, Z0)    \
	W8ROW(BCAST, FMA, R10, Z1)   \
	W8ROW(BCAST, FMA, R11, Z2)   \
	W8ROW(BCAST, FMA, R12, Z3)   \
	W8ROW(BCAST, FMA, R13, Z4)   \
	W8ROW(BCAST, FMA, R14, Z5)   \
	W8ROW(BCAST, FMA, BX, Z6)    \
	W8ROW(BCAST, FMA, R8, Z7)    \
	ADDQ  $SIZE, AX              \
	ADDQ  $192, DI               \
	DECQ  CX                     \
	JMP   w8loop                 \
w8done:                              \
	MOVQ c+32(FP), R8            \
	MOVQ ldc+40(FP), R9          \
	SHLQ $SHIFT, R9              \
	W8ADD(ADDV, MOVE, Z0)        \
	W8ADD(ADDV, MOVE, Z1)        \
	W8ADD(ADDV, MOVE, Z2)        \
	W8ADD(ADDV, MOVE, Z3)        \
	W8ADD(ADDV, MOVE, Z4)        \
	W8ADD(ADDV, MOVE, Z5)        \
	W8ADD(ADDV, MOVE, Z6)        \
	W8ADD(ADDV, MOVE, Z7)        \
	VZEROUPPER                   \
	RET

// func Tile32W16R8(k int, a *float32, lda int, w *float32, c *float32, ldc int)
TEXT ·Tile32W16R8(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	WTILE8(2, 4, VMOVUPS, VBROADCASTSS, VFMADD231PS, VADDPS)

// func Tile64W8R8(k int, a *float64, lda int, w *float64, c *float64, ldc int)
TEXT ·Tile64W8R8(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	MOVQ w+24(FP), DI
	WTILE8(3, 8, VMOVUPD, VBROADCASTSD, VFMADD231PD, VADDPD)
