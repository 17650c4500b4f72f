//go:build !amd64 || purego

package ctrnn

// hasAVX is false: the kernels are the Go loops.
const hasAVX = false

func relu32(x, out []float32) { reluLoop(x, out[:len(x)]) }

func relu64(x, out []float64) { reluLoop(x, out[:len(x)]) }

func leak32(next, x, alpha, bias, keep []float32) { leakLoop(next, x, alpha, bias, keep) }

func leak64(next, x, alpha, bias, keep []float64) { leakLoop(next, x, alpha, bias, keep) }

func step32(x, out []float32) { stepLoop(x, out) }

func step64(x, out []float64) { stepLoop(x, out) }

func combine32(d, g, p, fp, keep, next []float32) { combineLoop(d, g, p, fp, keep, next) }

func combine64(d, g, p, fp, keep, next []float64) { combineLoop(d, g, p, fp, keep, next) }

func moments32(gb, ga, d, xt, xp []float32) { momentsLoop(gb, ga, d, xt, xp) }

func moments64(gb, ga, d, xt, xp []float64) { momentsLoop(gb, ga, d, xt, xp) }
