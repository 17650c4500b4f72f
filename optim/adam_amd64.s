//go:build !purego

#include "textflag.h"

// ADAM8 updates eight parameters at AX with the gradients at BX, the
// moments at CX (m) and DX (v) and, with SCALE, the scales at R8, in the
// order of operations of Adam.Step's loop (no fused multiply-adds):
// g = clip·grad + wd·θ, m = β1·m + (1−β1)·g, v = β2·v + ((1−β2)·g)·g,
// θ = θ − ((step·m)/(√v/bc2 + eps))·scale.
#define ADAM8(SCALE) \
	VMOVUPD (BX), Z0        \
	VMOVUPD (AX), Z1        \
	VMULPD  Z16, Z0, Z0     \
	VMULPD  Z17, Z1, Z2     \
	VADDPD  Z2, Z0, Z0      \
	VMOVUPD (CX), Z3        \
	VMULPD  Z18, Z3, Z3     \
	VMULPD  Z19, Z0, Z4     \
	VADDPD  Z4, Z3, Z3      \
	VMOVUPD Z3, (CX)        \
	VMOVUPD (DX), Z5        \
	VMULPD  Z20, Z5, Z5     \
	VMULPD  Z21, Z0, Z6     \
	VMULPD  Z0, Z6, Z6      \
	VADDPD  Z6, Z5, Z5      \
	VMOVUPD Z5, (DX)        \
	VMULPD  Z22, Z3, Z7     \
	VSQRTPD Z5, Z8          \
	VDIVPD  Z23, Z8, Z8     \
	VADDPD  Z24, Z8, Z8     \
	VDIVPD  Z8, Z7, Z7      \
	SCALE                   \
	VSUBPD  Z7, Z1, Z1      \
	VMOVUPD Z1, (AX)

#define WITH_SCALE \
	VMOVUPD (R8), Z9 \
	VMULPD  Z9, Z7, Z7

#define NO_SCALE

// func adam8(n int, val, grad, m, v, scale *float64, k *[9]float64)
// n is a multiple of 8; scale may be nil (all ones). k holds clip, wd,
// β1, 1−β1, β2, 1−β2, step, bc2, eps.
TEXT ·adam8(SB), NOSPLIT, $0-56
	MOVQ n+0(FP), SI
	MOVQ val+8(FP), AX
	MOVQ grad+16(FP), BX
	MOVQ m+24(FP), CX
	MOVQ v+32(FP), DX
	MOVQ scale+40(FP), R8
	MOVQ k+48(FP), DI
	VBROADCASTSD 0(DI), Z16
	VBROADCASTSD 8(DI), Z17
	VBROADCASTSD 16(DI), Z18
	VBROADCASTSD 24(DI), Z19
	VBROADCASTSD 32(DI), Z20
	VBROADCASTSD 40(DI), Z21
	VBROADCASTSD 48(DI), Z22
	VBROADCASTSD 56(DI), Z23
	VBROADCASTSD 64(DI), Z24
	SHRQ $3, SI
	TESTQ R8, R8
	JZ   plain
scaled:
	TESTQ SI, SI
	JZ    done
	ADAM8(WITH_SCALE)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $64, CX
	ADDQ $64, DX
	ADDQ $64, R8
	DECQ SI
	JMP  scaled
plain:
	TESTQ SI, SI
	JZ    done
	ADAM8(NO_SCALE)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $64, CX
	ADDQ $64, DX
	DECQ SI
	JMP  plain
done:
	VZEROUPPER
	RET
