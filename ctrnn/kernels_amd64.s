//go:build !purego

#include "textflag.h"

// func step32AVX(x, out []float32)
// out = 1 where the bits of x, as a signed integer, are > 0 (x > 0 or a
// positive NaN), else 0; len(x) is a multiple of 8.
TEXT ·step32AVX(SB), NOSPLIT, $0-48
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	MOVQ         out_base+24(FP), DI
	VPXOR        Y0, Y0, Y0
	MOVL         $0x3f800000, AX
	MOVD         AX, X5
	VPBROADCASTD X5, Y5
	XORQ         AX, AX
s32loop:
	CMPQ      AX, CX
	JAE       s32done
	VMOVDQU   (SI)(AX*4), Y1
	VPCMPGTD  Y0, Y1, Y2
	VPAND     Y5, Y2, Y2
	VMOVDQU   Y2, (DI)(AX*4)
	ADDQ      $8, AX
	JMP       s32loop
s32done:
	VZEROUPPER
	RET

// func step64AVX(x, out []float64)
// As step32AVX; len(x) is a multiple of 4.
TEXT ·step64AVX(SB), NOSPLIT, $0-48
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	MOVQ         out_base+24(FP), DI
	VPXOR        Y0, Y0, Y0
	MOVQ         $0x3ff0000000000000, AX
	MOVQ         AX, X5
	VPBROADCASTQ X5, Y5
	XORQ         AX, AX
s64loop:
	CMPQ      AX, CX
	JAE       s64done
	VMOVDQU   (SI)(AX*8), Y1
	VPCMPGTQ  Y0, Y1, Y2
	VPAND     Y5, Y2, Y2
	VMOVDQU   Y2, (DI)(AX*8)
	ADDQ      $4, AX
	JMP       s64loop
s64done:
	VZEROUPPER
	RET

// func combine32AVX(d, g, p, fp, keep, next []float32)
// d = (g + p)*fp + keep*next; len(d) is a multiple of 8.
TEXT ·combine32AVX(SB), NOSPLIT, $0-144
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ p_base+48(FP), R8
	MOVQ fp_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	MOVQ next_base+120(FP), R11
	XORQ AX, AX
c32loop:
	CMPQ    AX, CX
	JAE     c32done
	VMOVUPS (SI)(AX*4), Y0
	VADDPS  (R8)(AX*4), Y0, Y0
	VMULPS  (R9)(AX*4), Y0, Y0
	VMOVUPS (R10)(AX*4), Y1
	VMULPS  (R11)(AX*4), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     c32loop
c32done:
	VZEROUPPER
	RET

// func combine64AVX(d, g, p, fp, keep, next []float64)
// As combine32AVX; len(d) is a multiple of 4.
TEXT ·combine64AVX(SB), NOSPLIT, $0-144
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ p_base+48(FP), R8
	MOVQ fp_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	MOVQ next_base+120(FP), R11
	XORQ AX, AX
c64loop:
	CMPQ    AX, CX
	JAE     c64done
	VMOVUPD (SI)(AX*8), Y0
	VADDPD  (R8)(AX*8), Y0, Y0
	VMULPD  (R9)(AX*8), Y0, Y0
	VMOVUPD (R10)(AX*8), Y1
	VMULPD  (R11)(AX*8), Y1, Y1
	VADDPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     c64loop
c64done:
	VZEROUPPER
	RET

// func relu32AVX(x, out []float32)
// out = max(0, x); a NaN in x is kept (it is the second source of VMAXPS);
// len(x) is a multiple of 8.
TEXT ·relu32AVX(SB), NOSPLIT, $0-48
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   out_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	XORQ   AX, AX
r32loop:
	CMPQ    AX, CX
	JAE     r32done
	VMOVUPS (SI)(AX*4), Y1
	VMAXPS  Y1, Y0, Y2
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     r32loop
r32done:
	VZEROUPPER
	RET

// func relu64AVX(x, out []float64)
// As relu32AVX; len(x) is a multiple of 4.
TEXT ·relu64AVX(SB), NOSPLIT, $0-48
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   out_base+24(FP), DI
	VXORPD Y0, Y0, Y0
	XORQ   AX, AX
r64loop:
	CMPQ    AX, CX
	JAE     r64done
	VMOVUPD (SI)(AX*8), Y1
	VMAXPD  Y1, Y0, Y2
	VMOVUPD Y2, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     r64loop
r64done:
	VZEROUPPER
	RET

// func leak32AVX(next, x, alpha, bias, keep []float32)
// next = alpha*(next + bias) + keep*x; len(next) is a multiple of 8.
TEXT ·leak32AVX(SB), NOSPLIT, $0-120
	MOVQ next_base+0(FP), DI
	MOVQ next_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ alpha_base+48(FP), R8
	MOVQ bias_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	XORQ AX, AX
l32loop:
	CMPQ    AX, CX
	JAE     l32done
	VMOVUPS (DI)(AX*4), Y0
	VADDPS  (R9)(AX*4), Y0, Y0
	VMULPS  (R8)(AX*4), Y0, Y0
	VMOVUPS (SI)(AX*4), Y1
	VMULPS  (R10)(AX*4), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     l32loop
l32done:
	VZEROUPPER
	RET

// func leak64AVX(next, x, alpha, bias, keep []float64)
// As leak32AVX; len(next) is a multiple of 4.
TEXT ·leak64AVX(SB), NOSPLIT, $0-120
	MOVQ next_base+0(FP), DI
	MOVQ next_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ alpha_base+48(FP), R8
	MOVQ bias_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	XORQ AX, AX
l64loop:
	CMPQ    AX, CX
	JAE     l64done
	VMOVUPD (DI)(AX*8), Y0
	VADDPD  (R9)(AX*8), Y0, Y0
	VMULPD  (R8)(AX*8), Y0, Y0
	VMOVUPD (SI)(AX*8), Y1
	VMULPD  (R10)(AX*8), Y1, Y1
	VADDPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     l64loop
l64done:
	VZEROUPPER
	RET

// func moments32AVX(gb, ga, d, xt, xp []float32)
// gb += d, ga += d*(xt − xp); len(gb) is a multiple of 8.
TEXT ·moments32AVX(SB), NOSPLIT, $0-120
	MOVQ gb_base+0(FP), DI
	MOVQ gb_len+8(FP), CX
	MOVQ ga_base+24(FP), R11
	MOVQ d_base+48(FP), SI
	MOVQ xt_base+72(FP), R8
	MOVQ xp_base+96(FP), R9
	XORQ AX, AX
m32loop:
	CMPQ    AX, CX
	JAE     m32done
	VMOVUPS (SI)(AX*4), Y0
	VADDPS  (DI)(AX*4), Y0, Y1
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS (R8)(AX*4), Y2
	VSUBPS  (R9)(AX*4), Y2, Y2
	VMULPS  Y2, Y0, Y2
	VADDPS  (R11)(AX*4), Y2, Y2
	VMOVUPS Y2, (R11)(AX*4)
	ADDQ    $8, AX
	JMP     m32loop
m32done:
	VZEROUPPER
	RET

// func moments64AVX(gb, ga, d, xt, xp []float64)
// As moments32AVX; len(gb) is a multiple of 4.
TEXT ·moments64AVX(SB), NOSPLIT, $0-120
	MOVQ gb_base+0(FP), DI
	MOVQ gb_len+8(FP), CX
	MOVQ ga_base+24(FP), R11
	MOVQ d_base+48(FP), SI
	MOVQ xt_base+72(FP), R8
	MOVQ xp_base+96(FP), R9
	XORQ AX, AX
m64loop:
	CMPQ    AX, CX
	JAE     m64done
	VMOVUPD (SI)(AX*8), Y0
	VADDPD  (DI)(AX*8), Y0, Y1
	VMOVUPD Y1, (DI)(AX*8)
	VMOVUPD (R8)(AX*8), Y2
	VSUBPD  (R9)(AX*8), Y2, Y2
	VMULPD  Y2, Y0, Y2
	VADDPD  (R11)(AX*8), Y2, Y2
	VMOVUPD Y2, (R11)(AX*8)
	ADDQ    $4, AX
	JMP     m64loop
m64done:
	VZEROUPPER
	RET
