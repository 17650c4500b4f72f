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

// The kernels below exist in both precisions. Each body is a macro of the
// element size (SCALE, the index scale; WIDTH, elements per vector) and
// the instructions of its type, run over AX = 0, WIDTH, … < CX; the
// arguments are loaded by the TEXT blocks.

// SUMPROD: dst = (a + b)*c + d*e, the shape of BPTT's combine step and of
// the leaky update; a may be dst.
#define SUMPROD(SCALE, WIDTH, MOVE, ADD, MUL, a, b, c, d, e, dst) \
	XORQ AX, AX                  \
loop:                                \
	CMPQ AX, CX                  \
	JAE  done                    \
	MOVE (a)(AX*SCALE), Y0       \
	ADD  (b)(AX*SCALE), Y0, Y0   \
	MUL  (c)(AX*SCALE), Y0, Y0   \
	MOVE (d)(AX*SCALE), Y1       \
	MUL  (e)(AX*SCALE), Y1, Y1   \
	ADD  Y1, Y0, Y0              \
	MOVE Y0, (dst)(AX*SCALE)     \
	ADDQ $WIDTH, AX              \
	JMP  loop                    \
done:                                \
	VZEROUPPER                   \
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
	SUMPROD(4, 8, VMOVUPS, VADDPS, VMULPS, SI, R8, R9, R10, R11, DI)

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
	SUMPROD(8, 4, VMOVUPD, VADDPD, VMULPD, SI, R8, R9, R10, R11, DI)

// RELU: out (DI) = max(0, x (SI)); a NaN in x is kept (it is the second
// source of MAX).
#define RELU(SCALE, WIDTH, MOVE, ZERO, MAX) \
	ZERO Y0, Y0, Y0               \
	XORQ AX, AX                   \
loop:                                 \
	CMPQ AX, CX                   \
	JAE  done                     \
	MOVE (SI)(AX*SCALE), Y1       \
	MAX  Y1, Y0, Y2               \
	MOVE Y2, (DI)(AX*SCALE)       \
	ADDQ $WIDTH, AX               \
	JMP  loop                     \
done:                                 \
	VZEROUPPER                    \
	RET

// func relu32AVX(x, out []float32)
// out = max(0, x), NaN kept; len(x) is a multiple of 8.
TEXT ·relu32AVX(SB), NOSPLIT, $0-48
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ out_base+24(FP), DI
	RELU(4, 8, VMOVUPS, VXORPS, VMAXPS)

// func relu64AVX(x, out []float64)
// As relu32AVX; len(x) is a multiple of 4.
TEXT ·relu64AVX(SB), NOSPLIT, $0-48
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ out_base+24(FP), DI
	RELU(8, 4, VMOVUPD, VXORPD, VMAXPD)

// func leak32AVX(next, x, alpha, bias, keep []float32)
// next = alpha*(next + bias) + keep*x; len(next) is a multiple of 8.
TEXT ·leak32AVX(SB), NOSPLIT, $0-120
	MOVQ next_base+0(FP), DI
	MOVQ next_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ alpha_base+48(FP), R8
	MOVQ bias_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	SUMPROD(4, 8, VMOVUPS, VADDPS, VMULPS, DI, R9, R8, SI, R10, DI)

// func leak64AVX(next, x, alpha, bias, keep []float64)
// As leak32AVX; len(next) is a multiple of 4.
TEXT ·leak64AVX(SB), NOSPLIT, $0-120
	MOVQ next_base+0(FP), DI
	MOVQ next_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ alpha_base+48(FP), R8
	MOVQ bias_base+72(FP), R9
	MOVQ keep_base+96(FP), R10
	SUMPROD(8, 4, VMOVUPD, VADDPD, VMULPD, DI, R9, R8, SI, R10, DI)

// MOMENTS: gb (DI) += d (SI), ga (R11) += d*(xt (R8) − xp (R9)).
#define MOMENTS(SCALE, WIDTH, MOVE, ADD, SUB, MUL) \
	XORQ AX, AX                   \
loop:                                 \
	CMPQ AX, CX                   \
	JAE  done                     \
	MOVE (SI)(AX*SCALE), Y0       \
	ADD  (DI)(AX*SCALE), Y0, Y1   \
	MOVE Y1, (DI)(AX*SCALE)       \
	MOVE (R8)(AX*SCALE), Y2       \
	SUB  (R9)(AX*SCALE), Y2, Y2   \
	MUL  Y2, Y0, Y2               \
	ADD  (R11)(AX*SCALE), Y2, Y2  \
	MOVE Y2, (R11)(AX*SCALE)      \
	ADDQ $WIDTH, AX               \
	JMP  loop                     \
done:                                 \
	VZEROUPPER                    \
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
	MOMENTS(4, 8, VMOVUPS, VADDPS, VSUBPS, VMULPS)

// func moments64AVX(gb, ga, d, xt, xp []float64)
// As moments32AVX; len(gb) is a multiple of 4.
TEXT ·moments64AVX(SB), NOSPLIT, $0-120
	MOVQ gb_base+0(FP), DI
	MOVQ gb_len+8(FP), CX
	MOVQ ga_base+24(FP), R11
	MOVQ d_base+48(FP), SI
	MOVQ xt_base+72(FP), R8
	MOVQ xp_base+96(FP), R9
	MOMENTS(8, 4, VMOVUPD, VADDPD, VSUBPD, VMULPD)
