//go:build !amd64 || purego

package ctrnn

func relu32(x, out []float32) { reluLoop(x, out[:len(x)]) }

func relu64(x, out []float64) { reluLoop(x, out[:len(x)]) }

func leak32(next, x, alpha, bias, keep []float32) { leakLoop(next, x, alpha, bias, keep) }

func leak64(next, x, alpha, bias, keep []float64) { leakLoop(next, x, alpha, bias, keep) }
