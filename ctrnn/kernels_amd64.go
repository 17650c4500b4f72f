//go:build !purego

package ctrnn

// The elementwise kernels of the time loop in AVX2 assembly
// (kernels_amd64.s), with the Go loops as the fallback on CPUs without
// AVX2. They round exactly as the Go loops do (no fused multiply-add).

//go:noescape
func cpuHasAVX2() bool

//go:noescape
func step32AVX(x, out []float32)

//go:noescape
func step64AVX(x, out []float64)

//go:noescape
func combine32AVX(d, g, p, fp, keep, next []float32)

//go:noescape
func combine64AVX(d, g, p, fp, keep, next []float64)

//go:noescape
func moments32AVX(gb, ga, d, xt, xp []float32)

//go:noescape
func moments64AVX(gb, ga, d, xt, xp []float64)

//go:noescape
func relu32AVX(x, out []float32)

//go:noescape
func relu64AVX(x, out []float64)

//go:noescape
func leak32AVX(next, x, alpha, bias, keep []float32)

//go:noescape
func leak64AVX(next, x, alpha, bias, keep []float64)

var hasAVX = cpuHasAVX2()

func relu32(x, out []float32) {
	out = out[:len(x)]
	if hasAVX {
		relu32AVX(x, out)
		return
	}
	reluLoop(x, out)
}

func relu64(x, out []float64) {
	out = out[:len(x)]
	if hasAVX {
		relu64AVX(x, out)
		return
	}
	reluLoop(x, out)
}

func leak32(next, x, alpha, bias, keep []float32) {
	n := len(next)
	x, alpha, bias, keep = x[:n], alpha[:n], bias[:n], keep[:n]
	if hasAVX {
		leak32AVX(next, x, alpha, bias, keep)
		return
	}
	leakLoop(next, x, alpha, bias, keep)
}

func leak64(next, x, alpha, bias, keep []float64) {
	n := len(next)
	x, alpha, bias, keep = x[:n], alpha[:n], bias[:n], keep[:n]
	if hasAVX {
		leak64AVX(next, x, alpha, bias, keep)
		return
	}
	leakLoop(next, x, alpha, bias, keep)
}

// The kernels below leave the last len mod 8 (float32) or mod 4
// (float64) elements to the Go loop.

func step32(x, out []float32) {
	out = out[:len(x)]
	k := 0
	if hasAVX {
		k = len(x) &^ 7
		step32AVX(x[:k], out[:k])
	}
	stepLoop(x[k:], out[k:])
}

func step64(x, out []float64) {
	out = out[:len(x)]
	k := 0
	if hasAVX {
		k = len(x) &^ 3
		step64AVX(x[:k], out[:k])
	}
	stepLoop(x[k:], out[k:])
}

func combine32(d, g, p, fp, keep, next []float32) {
	n := len(d)
	g, p, fp, keep, next = g[:n], p[:n], fp[:n], keep[:n], next[:n]
	k := 0
	if hasAVX {
		k = n &^ 7
		combine32AVX(d[:k], g, p, fp, keep, next)
	}
	combineLoop(d[k:], g[k:], p[k:], fp[k:], keep[k:], next[k:])
}

func combine64(d, g, p, fp, keep, next []float64) {
	n := len(d)
	g, p, fp, keep, next = g[:n], p[:n], fp[:n], keep[:n], next[:n]
	k := 0
	if hasAVX {
		k = n &^ 3
		combine64AVX(d[:k], g, p, fp, keep, next)
	}
	combineLoop(d[k:], g[k:], p[k:], fp[k:], keep[k:], next[k:])
}

func moments32(gb, ga, d, xt, xp []float32) {
	n := len(gb)
	ga, d, xt, xp = ga[:n], d[:n], xt[:n], xp[:n]
	k := 0
	if hasAVX {
		k = n &^ 7
		moments32AVX(gb[:k], ga, d, xt, xp)
	}
	momentsLoop(gb[k:], ga[k:], d[k:], xt[k:], xp[k:])
}

func moments64(gb, ga, d, xt, xp []float64) {
	n := len(gb)
	ga, d, xt, xp = ga[:n], d[:n], xt[:n], xp[:n]
	k := 0
	if hasAVX {
		k = n &^ 3
		moments64AVX(gb[:k], ga, d, xt, xp)
	}
	momentsLoop(gb[k:], ga[k:], d[k:], xt[k:], xp[k:])
}
