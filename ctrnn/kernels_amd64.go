//go:build !purego

package ctrnn

// The elementwise kernels of the time loop in AVX assembly
// (kernels_amd64.s), with the Go loops as the fallback on CPUs without
// AVX. They round exactly as the Go loops do (no fused multiply-add).

//go:noescape
func cpuHasAVX() bool

//go:noescape
func relu32AVX(x, out []float32)

//go:noescape
func relu64AVX(x, out []float64)

//go:noescape
func leak32AVX(next, x, alpha, bias, keep []float32)

//go:noescape
func leak64AVX(next, x, alpha, bias, keep []float64)

var hasAVX = cpuHasAVX()

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
