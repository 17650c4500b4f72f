//go:build !purego

#include "textflag.h"

// The ATB tiles compute c[i·ldc + j] += Σ_p a[p·lda + i]·b[p·ldb + j] for
// i < 4 and j < the tile's columns, a 4×48 (float32) or 4×24 (float64)
// block of c in twelve ZMM registers, read from a and b in place: four
// consecutive elements of row p of a, broadcast, times a stretch of row p
// of b. Each element is summed from zero with fused multiply-adds in
// order of p and then added to c. The variants with fewer vectors (ATB_V2,
// ATB_V1) compute the first 32/16 float32 (16/8 float64) columns only; the
// last vector of a tile is loaded and stored under the mask in K1, so that
// a tile can end anywhere inside it.

// ATB_ROW accumulates the element of a at off(SI), broadcast, times the
// vectors of b in Z12–Z14 (NV of them: see the variants).
#define ATB_ROW3(BCAST, FMA, off, za, zb, zc) \
	BCAST off(SI), Z15 \
	FMA   Z12, Z15, za \
	FMA   Z13, Z15, zb \
	FMA   Z14, Z15, zc

#define ATB_ROW2(BCAST, FMA, off, za, zb, zc) \
	BCAST off(SI), Z15 \
	FMA   Z12, Z15, za \
	FMA   Z13, Z15, zb

#define ATB_ROW1(BCAST, FMA, off, za, zb, zc) \
	BCAST off(SI), Z15 \
	FMA   Z12, Z15, za

// ATB_LOAD loads row p of b from DI, the last vector under K1.
#define ATB_LOAD3(MOVE, MOVEZ) \
	MOVE  (DI), Z12         \
	MOVE  64(DI), Z13       \
	MOVEZ 128(DI), K1, Z14

#define ATB_LOAD2(MOVE, MOVEZ) \
	MOVE  (DI), Z12   \
	MOVEZ 64(DI), K1, Z13

#define ATB_LOAD1(MOVE, MOVEZ) \
	MOVEZ (DI), K1, Z12

// ATB_ADD adds one row of the tile to the row of c at R8, the last vector
// under K1.
#define ATB_ADD3(ADDV, MOVE, MOVEZ, za, zb, zc) \
	ADDV  (R8), za, za        \
	MOVE  za, (R8)            \
	ADDV  64(R8), zb, zb      \
	MOVE  zb, 64(R8)          \
	MOVEZ 128(R8), K1, Z15    \
	ADDV  Z15, zc, zc         \
	MOVE  zc, K1, 128(R8)

#define ATB_ADD2(ADDV, MOVE, MOVEZ, za, zb, zc) \
	ADDV  (R8), za, za        \
	MOVE  za, (R8)            \
	MOVEZ 64(R8), K1, Z15     \
	ADDV  Z15, zb, zb         \
	MOVE  zb, K1, 64(R8)

#define ATB_ADD1(ADDV, MOVE, MOVEZ, za, zb, zc) \
	MOVEZ (R8), K1, Z15       \
	ADDV  Z15, za, za         \
	MOVE  za, K1, (R8)

// ATB_TILE expects k in CX, a in SI, lda in DX, b in DI, ldb in BX, c in
// R8, ldc in R9 (strides in elements) and the mask in AX. SHIFT is log2
// of the element size, O1–O3 the byte offsets of a's elements 1–3.
#define ATB_TILE(SHIFT, O1, O2, O3, MOVE, MOVEZ, BCAST, FMA, ADDV, LOAD, ROW, ADD) \
	SHLQ  $SHIFT, DX             \
	SHLQ  $SHIFT, BX             \
	SHLQ  $SHIFT, R9             \
	KMOVW AX, K1                 \
	WZERO(Z0, Z1, Z2)            \
	WZERO(Z3, Z4, Z5)            \
	WZERO(Z6, Z7, Z8)            \
	WZERO(Z9, Z10, Z11)          \
	TESTQ CX, CX                 \
	JZ    adone                  \
aloop:                               \
	LOAD(MOVE, MOVEZ)            \
	ROW(BCAST, FMA, 0, Z0, Z1, Z2)   \
	ROW(BCAST, FMA, O1, Z3, Z4, Z5)  \
	ROW(BCAST, FMA, O2, Z6, Z7, Z8)  \
	ROW(BCAST, FMA, O3, Z9, Z10, Z11) \
	ADDQ  DX, SI                 \
	ADDQ  BX, DI                 \
	DECQ  CX                     \
	JNZ   aloop                  \
adone:                               \
	ADD(ADDV, MOVE, MOVEZ, Z0, Z1, Z2)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, MOVEZ, Z3, Z4, Z5)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, MOVEZ, Z6, Z7, Z8)  \
	ADDQ R9, R8                  \
	ADD(ADDV, MOVE, MOVEZ, Z9, Z10, Z11) \
	VZEROUPPER                   \
	RET

#define WZERO(za, zb, zc) \
	VPXORQ za, za, za \
	VPXORQ zb, zb, zb \
	VPXORQ zc, zc, zc

#define ATB_ARGS \
	MOVQ k+0(FP), CX    \
	MOVQ a+8(FP), SI    \
	MOVQ lda+16(FP), DX \
	MOVQ b+24(FP), DI   \
	MOVQ ldb+32(FP), BX \
	MOVQ c+40(FP), R8   \
	MOVQ ldc+48(FP), R9 \
	MOVWQZX mask+56(FP), AX

// func ATB32W3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)
TEXT ·ATB32W3(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(2, 4, 8, 12, VMOVUPS, VMOVUPS.Z, VBROADCASTSS, VFMADD231PS, VADDPS, ATB_LOAD3, ATB_ROW3, ATB_ADD3)

// func ATB32W2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)
TEXT ·ATB32W2(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(2, 4, 8, 12, VMOVUPS, VMOVUPS.Z, VBROADCASTSS, VFMADD231PS, VADDPS, ATB_LOAD2, ATB_ROW2, ATB_ADD2)

// func ATB32W1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, mask uint16)
TEXT ·ATB32W1(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(2, 4, 8, 12, VMOVUPS, VMOVUPS.Z, VBROADCASTSS, VFMADD231PS, VADDPS, ATB_LOAD1, ATB_ROW1, ATB_ADD1)

// func ATB64W3(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)
TEXT ·ATB64W3(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(3, 8, 16, 24, VMOVUPD, VMOVUPD.Z, VBROADCASTSD, VFMADD231PD, VADDPD, ATB_LOAD3, ATB_ROW3, ATB_ADD3)

// func ATB64W2(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)
TEXT ·ATB64W2(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(3, 8, 16, 24, VMOVUPD, VMOVUPD.Z, VBROADCASTSD, VFMADD231PD, VADDPD, ATB_LOAD2, ATB_ROW2, ATB_ADD2)

// func ATB64W1(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, mask uint16)
TEXT ·ATB64W1(SB), NOSPLIT, $0-58
	ATB_ARGS
	ATB_TILE(3, 8, 16, 24, VMOVUPD, VMOVUPD.Z, VBROADCASTSD, VFMADD231PD, VADDPD, ATB_LOAD1, ATB_ROW1, ATB_ADD1)
