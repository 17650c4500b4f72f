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
// does not depend on where the tile lies in the product.

// func tile32(k int, a *float32, lda int, w *float32, c *float32, ldc int)
// nr = 24.
TEXT ·Tile32(SB), NOSPLIT, $0-48
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), SI
	MOVQ   lda+16(FP), DX
	MOVQ   w+24(FP), DI
	MOVQ   c+32(FP), R8
	MOVQ   ldc+40(FP), R9
	SHLQ   $2, DX
	SHLQ   $2, R9
	LEAQ   (SI)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	LEAQ   (R11)(DX*1), R12
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	XORQ   AX, AX
t32loop:
	TESTQ        CX, CX
	JZ           t32done
	VMOVUPS      (DI), Y12
	VMOVUPS      32(DI), Y13
	VMOVUPS      64(DI), Y14
	VBROADCASTSS (SI)(AX*1), Y15
	VFMADD231PS  Y12, Y15, Y0
	VFMADD231PS  Y13, Y15, Y1
	VFMADD231PS  Y14, Y15, Y2
	VBROADCASTSS (R10)(AX*1), Y15
	VFMADD231PS  Y12, Y15, Y3
	VFMADD231PS  Y13, Y15, Y4
	VFMADD231PS  Y14, Y15, Y5
	VBROADCASTSS (R11)(AX*1), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VFMADD231PS  Y14, Y15, Y8
	VBROADCASTSS (R12)(AX*1), Y15
	VFMADD231PS  Y12, Y15, Y9
	VFMADD231PS  Y13, Y15, Y10
	VFMADD231PS  Y14, Y15, Y11
	ADDQ         $4, AX
	ADDQ         $96, DI
	DECQ         CX
	JMP          t32loop
t32done:
	VADDPS  (R8), Y0, Y0
	VMOVUPS Y0, (R8)
	VADDPS  32(R8), Y1, Y1
	VMOVUPS Y1, 32(R8)
	VADDPS  64(R8), Y2, Y2
	VMOVUPS Y2, 64(R8)
	ADDQ    R9, R8
	VADDPS  (R8), Y3, Y3
	VMOVUPS Y3, (R8)
	VADDPS  32(R8), Y4, Y4
	VMOVUPS Y4, 32(R8)
	VADDPS  64(R8), Y5, Y5
	VMOVUPS Y5, 64(R8)
	ADDQ    R9, R8
	VADDPS  (R8), Y6, Y6
	VMOVUPS Y6, (R8)
	VADDPS  32(R8), Y7, Y7
	VMOVUPS Y7, 32(R8)
	VADDPS  64(R8), Y8, Y8
	VMOVUPS Y8, 64(R8)
	ADDQ    R9, R8
	VADDPS  (R8), Y9, Y9
	VMOVUPS Y9, (R8)
	VADDPS  32(R8), Y10, Y10
	VMOVUPS Y10, 32(R8)
	VADDPS  64(R8), Y11, Y11
	VMOVUPS Y11, 64(R8)
	VZEROUPPER
	RET

// func tile64(k int, a *float64, lda int, w *float64, c *float64, ldc int)
// nr = 12.
TEXT ·Tile64(SB), NOSPLIT, $0-48
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), SI
	MOVQ   lda+16(FP), DX
	MOVQ   w+24(FP), DI
	MOVQ   c+32(FP), R8
	MOVQ   ldc+40(FP), R9
	SHLQ   $3, DX
	SHLQ   $3, R9
	LEAQ   (SI)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	LEAQ   (R11)(DX*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	XORQ   AX, AX
t64loop:
	TESTQ        CX, CX
	JZ           t64done
	VMOVUPD      (DI), Y12
	VMOVUPD      32(DI), Y13
	VMOVUPD      64(DI), Y14
	VBROADCASTSD (SI)(AX*1), Y15
	VFMADD231PD  Y12, Y15, Y0
	VFMADD231PD  Y13, Y15, Y1
	VFMADD231PD  Y14, Y15, Y2
	VBROADCASTSD (R10)(AX*1), Y15
	VFMADD231PD  Y12, Y15, Y3
	VFMADD231PD  Y13, Y15, Y4
	VFMADD231PD  Y14, Y15, Y5
	VBROADCASTSD (R11)(AX*1), Y15
	VFMADD231PD  Y12, Y15, Y6
	VFMADD231PD  Y13, Y15, Y7
	VFMADD231PD  Y14, Y15, Y8
	VBROADCASTSD (R12)(AX*1), Y15
	VFMADD231PD  Y12, Y15, Y9
	VFMADD231PD  Y13, Y15, Y10
	VFMADD231PD  Y14, Y15, Y11
	ADDQ         $8, AX
	ADDQ         $96, DI
	DECQ         CX
	JMP          t64loop
t64done:
	VADDPD  (R8), Y0, Y0
	VMOVUPD Y0, (R8)
	VADDPD  32(R8), Y1, Y1
	VMOVUPD Y1, 32(R8)
	VADDPD  64(R8), Y2, Y2
	VMOVUPD Y2, 64(R8)
	ADDQ    R9, R8
	VADDPD  (R8), Y3, Y3
	VMOVUPD Y3, (R8)
	VADDPD  32(R8), Y4, Y4
	VMOVUPD Y4, 32(R8)
	VADDPD  64(R8), Y5, Y5
	VMOVUPD Y5, 64(R8)
	ADDQ    R9, R8
	VADDPD  (R8), Y6, Y6
	VMOVUPD Y6, (R8)
	VADDPD  32(R8), Y7, Y7
	VMOVUPD Y7, 32(R8)
	VADDPD  64(R8), Y8, Y8
	VMOVUPD Y8, 64(R8)
	ADDQ    R9, R8
	VADDPD  (R8), Y9, Y9
	VMOVUPD Y9, (R8)
	VADDPD  32(R8), Y10, Y10
	VMOVUPD Y10, 32(R8)
	VADDPD  64(R8), Y11, Y11
	VMOVUPD Y11, 64(R8)
	VZEROUPPER
	RET

// The row kernels below compute y[i] += Σ_p w[i·ldw + p]·x[p] for i < 4·groups
// and p < k, k a multiple of 4: four rows at a time, each summed in two
// vector accumulators (even and odd blocks of columns, fused multiply-adds
// in order; float32's last 8 and 4 columns into the first), added, then
// reduced across lanes in a fixed pattern, so that a row's result does not
// depend on the rows around it.

// func Rows64(groups, k int, w *float64, ldw int, x *float64, y *float64)
TEXT ·Rows64(SB), NOSPLIT, $0-48
	MOVQ groups+0(FP), BX
	MOVQ k+8(FP), CX
	MOVQ w+16(FP), SI
	MOVQ ldw+24(FP), DX
	MOVQ x+32(FP), R8
	MOVQ y+40(FP), DI
	SHLQ $3, DX
	SHLQ $3, CX          // k in bytes
r64group:
	TESTQ  BX, BX
	JZ     r64done
	LEAQ   (SI)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	LEAQ   (R11)(DX*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   AX, AX
r64pair:
	LEAQ        64(AX), R9
	CMPQ        R9, CX
	JA          r64single
	VMOVUPD     (R8)(AX*1), Y8
	VMOVUPD     32(R8)(AX*1), Y9
	VFMADD231PD (SI)(AX*1), Y8, Y0
	VFMADD231PD (R10)(AX*1), Y8, Y1
	VFMADD231PD (R11)(AX*1), Y8, Y2
	VFMADD231PD (R12)(AX*1), Y8, Y3
	VFMADD231PD 32(SI)(AX*1), Y9, Y4
	VFMADD231PD 32(R10)(AX*1), Y9, Y5
	VFMADD231PD 32(R11)(AX*1), Y9, Y6
	VFMADD231PD 32(R12)(AX*1), Y9, Y7
	MOVQ        R9, AX
	JMP         r64pair
r64single:
	CMPQ        AX, CX
	JAE         r64reduce
	VMOVUPD     (R8)(AX*1), Y8
	VFMADD231PD (SI)(AX*1), Y8, Y0
	VFMADD231PD (R10)(AX*1), Y8, Y1
	VFMADD231PD (R11)(AX*1), Y8, Y2
	VFMADD231PD (R12)(AX*1), Y8, Y3
r64reduce:
	VADDPD     Y4, Y0, Y0
	VADDPD     Y5, Y1, Y1
	VADDPD     Y6, Y2, Y2
	VADDPD     Y7, Y3, Y3
	VHADDPD    Y1, Y0, Y0      // [r0 01, r1 01, r0 23, r1 23]
	VHADDPD    Y3, Y2, Y2      // [r2 01, r3 01, r2 23, r3 23]
	VPERM2F128 $0x20, Y2, Y0, Y1 // the 01 sums of rows 0–3
	VPERM2F128 $0x31, Y2, Y0, Y3 // the 23 sums
	VADDPD     Y3, Y1, Y1
	VADDPD     (DI), Y1, Y1
	VMOVUPD    Y1, (DI)
	ADDQ       $32, DI
	LEAQ       (R12)(DX*1), SI
	DECQ       BX
	JMP        r64group
r64done:
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
r32group:
	TESTQ  BX, BX
	JZ     r32done
	LEAQ   (SI)(DX*1), R10
	LEAQ   (R10)(DX*1), R11
	LEAQ   (R11)(DX*1), R12
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ   AX, AX
r32pair:
	LEAQ        64(AX), R9
	CMPQ        R9, CX
	JA          r32single
	VMOVUPS     (R8)(AX*1), Y8
	VMOVUPS     32(R8)(AX*1), Y9
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS (R10)(AX*1), Y8, Y1
	VFMADD231PS (R11)(AX*1), Y8, Y2
	VFMADD231PS (R12)(AX*1), Y8, Y3
	VFMADD231PS 32(SI)(AX*1), Y9, Y4
	VFMADD231PS 32(R10)(AX*1), Y9, Y5
	VFMADD231PS 32(R11)(AX*1), Y9, Y6
	VFMADD231PS 32(R12)(AX*1), Y9, Y7
	MOVQ        R9, AX
	JMP         r32pair
r32single:
	LEAQ        32(AX), R9
	CMPQ        R9, CX
	JA          r32quad
	VMOVUPS     (R8)(AX*1), Y8
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS (R10)(AX*1), Y8, Y1
	VFMADD231PS (R11)(AX*1), Y8, Y2
	VFMADD231PS (R12)(AX*1), Y8, Y3
	MOVQ        R9, AX
r32quad:
	VADDPS      Y4, Y0, Y0
	VADDPS      Y5, Y1, Y1
	VADDPS      Y6, Y2, Y2
	VADDPS      Y7, Y3, Y3
	CMPQ        AX, CX
	JAE         r32reduce
	VXORPS      Y4, Y4, Y4
	VXORPS      Y5, Y5, Y5
	VXORPS      Y6, Y6, Y6
	VXORPS      Y7, Y7, Y7
	VMOVUPS     (R8)(AX*1), X8
	VFMADD231PS (SI)(AX*1), X8, X4
	VFMADD231PS (R10)(AX*1), X8, X5
	VFMADD231PS (R11)(AX*1), X8, X6
	VFMADD231PS (R12)(AX*1), X8, X7
	VADDPS      Y4, Y0, Y0
	VADDPS      Y5, Y1, Y1
	VADDPS      Y6, Y2, Y2
	VADDPS      Y7, Y3, Y3
r32reduce:
	VHADDPS      Y1, Y0, Y0    // per 128-bit half: [r0 01, r0 23, r1 01, r1 23]
	VHADDPS      Y3, Y2, Y2    // [r2 01, r2 23, r3 01, r3 23]
	VHADDPS      Y2, Y0, Y0    // [r0, r1, r2, r3] of each half
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VADDPS       (DI), X0, X0
	VMOVUPS      X0, (DI)
	ADDQ         $16, DI
	LEAQ         (R12)(DX*1), SI
	DECQ         BX
	JMP          r32group
r32done:
	VZEROUPPER
	RET
