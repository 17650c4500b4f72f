// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"unsafe"

	"github.com/nn4n/nn4n/internal/linalg"
)

// The elementwise kernels of the time loop. Each hands the leading whole
// 32-byte vectors to AVX2 assembly (kernels_amd64.s) when the CPU has it
// and the rest, or everything, to its Go loop. The assembly rounds as the
// loops do (no fused multiply-add); a test compares them bit for bit. The
// Go compiler leaves these loops scalar, at 1.2–3.5 ns per element.

// vectorPart returns how many leading elements of n the assembly takes.
func vectorPart[T linalg.Float](n int) int {
	if !hasAVX {
		return 0
	}
	var zero T
	return n &^ (32/int(unsafe.Sizeof(zero)) - 1)
}

// relu sets out = max(x, 0).
func relu[T linalg.Float](x, out []T) {
	out = out[:len(x)]
	if k := vectorPart[T](len(x)); k > 0 {
		reluVec(x[:k], out[:k])
		x, out = x[k:], out[k:]
	}
	reluLoop(x, out)
}

// step sets out = 1 where x > 0 and 0 elsewhere: ReLU's derivative.
func step[T linalg.Float](x, out []T) {
	out = out[:len(x)]
	if k := vectorPart[T](len(x)); k > 0 {
		stepVec(x[:k], out[:k])
		x, out = x[k:], out[k:]
	}
	stepLoop(x, out)
}

// leak sets next = α⊙(next + b) + (1−α)⊙x, with keep = 1 − α.
func leak[T linalg.Float](next, x, alpha, bias, keep []T) {
	n := len(next)
	x, alpha, bias, keep = x[:n], alpha[:n], bias[:n], keep[:n]
	if k := vectorPart[T](n); k > 0 {
		leakVec(next[:k], x, alpha, bias, keep)
		next, x, alpha, bias, keep = next[k:], x[k:], alpha[k:], bias[k:], keep[k:]
	}
	leakLoop(next, x, alpha, bias, keep)
}

// combineRow sets d = (g + p)⊙fp + keep⊙next: BPTT's δx for one trial.
func combineRow[T linalg.Float](d, g, p, fp, keep, next []T) {
	n := len(d)
	g, p, fp, keep, next = g[:n], p[:n], fp[:n], keep[:n], next[:n]
	if k := vectorPart[T](n); k > 0 {
		combineVec(d[:k], g, p, fp, keep, next)
		d, g, p, fp, keep, next = d[k:], g[k:], p[k:], fp[k:], keep[k:], next[k:]
	}
	combineLoop(d, g, p, fp, keep, next)
}

// moments adds d to gb and d⊙(xt − xp) to ga: one trial's share of the
// bias and α gradients.
func moments[T linalg.Float](gb, ga, d, xt, xp []T) {
	n := len(gb)
	ga, d, xt, xp = ga[:n], d[:n], xt[:n], xp[:n]
	if k := vectorPart[T](n); k > 0 {
		momentsVec(gb[:k], ga, d, xt, xp)
		gb, ga, d, xt, xp = gb[k:], ga[k:], d[k:], xt[k:], xp[k:]
	}
	momentsLoop(gb, ga, d, xt, xp)
}

// reluLoop is relu in Go, with the assembly's conventions: a NaN stays
// NaN, −0 stays −0.
func reluLoop[T linalg.Float](x, out []T) {
	out = out[:len(x)]
	for i, v := range x {
		if v >= 0 || v != v {
			out[i] = v
		} else {
			out[i] = 0
		}
	}
}

// stepLoop is step in Go. It reads the sign and magnitude bits without a
// branch (the signs of a network's states are unpredictable and a
// mispredicted branch costs more than the arithmetic), so a NaN with the
// sign bit clear counts as positive, as in the assembly.
func stepLoop[T linalg.Float](x, out []T) {
	out = out[:len(x)]
	var zero T
	wide := unsafe.Sizeof(zero) == 8
	for i, v := range x {
		b := int64(int32(math.Float32bits(float32(v))))
		if wide {
			b = int64(math.Float64bits(float64(v)))
		}
		// −b has its top bit set iff b > 0 or b is −0.0's bits, which ^b excludes.
		out[i] = T(uint64(-b&^b) >> 63)
	}
}

// leakLoop is leak in Go.
func leakLoop[T linalg.Float](next, x, alpha, bias, keep []T) {
	x, alpha, bias, keep = x[:len(next)], alpha[:len(next)], bias[:len(next)], keep[:len(next)]
	for j, v := range next {
		next[j] = alpha[j]*(v+bias[j]) + keep[j]*x[j]
	}
}

// combineLoop is combineRow in Go.
func combineLoop[T linalg.Float](d, g, p, fp, keep, next []T) {
	g, p, fp, keep, next = g[:len(d)], p[:len(d)], fp[:len(d)], keep[:len(d)], next[:len(d)]
	for j := range d {
		d[j] = (g[j]+p[j])*fp[j] + keep[j]*next[j]
	}
}

// momentsLoop is moments in Go.
func momentsLoop[T linalg.Float](gb, ga, d, xt, xp []T) {
	ga, d, xt, xp = ga[:len(gb)], d[:len(gb)], xt[:len(gb)], xp[:len(gb)]
	for j, v := range d {
		gb[j] += v
		ga[j] += v * (xt[j] - xp[j])
	}
}
