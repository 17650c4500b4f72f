// SPDX-License-Identifier: MIT

// Package bench holds the engine-level (Go, no Python) benchmarks that
// bench/run.py runs next to the Python and PyTorch measurements: forward,
// train step and the bare per-step GEMM floor at the five (N, B, T) shapes
// of Shapes, and the simulator step B = 1, N = 256. The model is the one
// the Python side builds: MultiAreaEI masks (I = 4, O = 2, two areas,
// connectivity [0.1, 0.1], 80% E), ReLU, α = 0.1, nn4n's Dale mode "clip",
// noise off; train step = forward + RNNLoss (MSE) + BPTT + Adam.
//
//	go test -run '^$' -bench . ./bench/
package bench

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/internal/linalg"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
	"github.com/nn4n/nn4n/structure"
)

// Shapes are the five benchmark shapes (N, B, T), from a small network to N = 1024.
var Shapes = []struct{ N, B, T int }{{64, 16, 100}, {128, 32, 200}, {256, 64, 200}, {512, 64, 200}, {1024, 32, 100}}

const nIn, nOut = 4, 2

func name(n, nb, nt int, p ctrnn.Precision) string {
	return fmt.Sprintf("N=%d/B=%d/T=%d/%v", n, nb, nt, p)
}

// model builds the benchmark network: MultiAreaEI masks, nn4n settings.
func model(tb testing.TB, n int, p ctrnn.Precision) *ctrnn.Model {
	sc := structure.DefaultMultiAreaEI(nIn, n, nOut)
	sc.Seed = 1
	s, err := structure.MultiAreaEI(sc)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := ctrnn.Config{Activation: ctrnn.ReLU, Dale: ctrnn.Clip, Precision: p, Alpha: 0.1, Seed: 1}
	if err := s.Configure(&cfg); err != nil {
		tb.Fatal(err)
	}
	m, err := ctrnn.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func batch(nb, nt int) *ctrnn.Batch {
	r := rand.New(rand.NewPCG(1, 2))
	b := &ctrnn.Batch{B: nb, T: nt, Input: make([]float64, nb*nt*nIn), Target: make([]float64, nb*nt*nOut)}
	for i := range b.Input {
		b.Input[i] = r.Float64()
	}
	for i := range b.Target {
		b.Target[i] = r.NormFloat64()
	}
	return b
}

var precisions = []ctrnn.Precision{ctrnn.Float32, ctrnn.Float64}

// BenchmarkForward: an evaluation-mode forward pass of B trials of T steps,
// outputs only (what nn4n_model_forward does with rates = NULL).
func BenchmarkForward(b *testing.B) {
	for _, s := range Shapes {
		for _, p := range precisions {
			b.Run(name(s.N, s.B, s.T, p), func(b *testing.B) {
				m := model(b, s.N, p)
				m.SetTraining(false)
				bt := batch(s.B, s.T)
				out := &ctrnn.Trajectory{Outputs: make([]float64, s.B*s.T*nOut)}
				if err := m.ForwardInto(out, bt); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_ = m.ForwardInto(out, bt)
				}
			})
		}
	}
}

// BenchmarkTrainStep: forward + RNNLoss (MSE) + BPTT + Adam + projection.
func BenchmarkTrainStep(b *testing.B) {
	for _, s := range Shapes {
		for _, p := range precisions {
			b.Run(name(s.N, s.B, s.T, p), func(b *testing.B) {
				m := model(b, s.N, p)
				bt := batch(s.B, s.T)
				opt := optim.NewAdam()
				obj := loss.RNNLoss{}
				if _, err := m.TrainStep(bt, obj, opt); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_, _ = m.TrainStep(bt, obj, opt)
				}
			})
		}
	}
}

// BenchmarkStepGemm: the floor of a forward pass, T bare recurrent
// multiplies (B×N by N×N) through the engine's BLAS, with OpenBLAS on
// GOMAXPROCS threads (the engine itself runs it single-threaded in each of
// its workers).
func BenchmarkStepGemm(b *testing.B) {
	for _, s := range Shapes {
		b.Run(name(s.N, s.B, s.T, ctrnn.Float32), func(b *testing.B) { gemm[float32](b, s.N, s.B, s.T) })
		b.Run(name(s.N, s.B, s.T, ctrnn.Float64), func(b *testing.B) { gemm[float64](b, s.N, s.B, s.T) })
	}
}

func gemm[T linalg.Float](b *testing.B, n, nb, nt int) {
	w := make([]T, n*n)
	x := make([]T, (nt+1)*nb*n)
	for i := range w {
		w[i] = T(i%7) * 0.01
	}
	linalg.WithThreads(runtime.GOMAXPROCS(0), func() {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for t := 1; t <= nt; t++ {
				linalg.Gemm(false, true, nb, n, n, 1, x[(t-1)*nb*n:t*nb*n], n, w, n, 1, x[t*nb*n:(t+1)*nb*n], n)
			}
		}
	})
}

// BenchmarkStep: one simulator step of a single state (B = 1, N = 256),
// the engine call under nn4n_model_step.
func BenchmarkStep(b *testing.B) {
	for _, p := range precisions {
		b.Run(fmt.Sprintf("N=256/%v", p), func(b *testing.B) {
			m := model(b, 256, p)
			m.SetTraining(false)
			x, u, y := make([]float64, 256), make([]float64, nIn), make([]float64, nOut)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.Step(1, x, u, nil, y)
			}
		})
	}
}

// BenchmarkStepGemv: the floor of the simulator step B = 1, N = 256: the
// one product it cannot avoid, (N×(N+I))·z, through the engine's BLAS
// with OpenBLAS on GOMAXPROCS threads.
func BenchmarkStepGemv(b *testing.B) {
	b.Run("N=256/float64", func(b *testing.B) { gemv[float64](b, 256, 256+nIn) })
	b.Run("N=256/float32", func(b *testing.B) { gemv[float32](b, 256, 256+nIn) })
}

func gemv[T linalg.Float](b *testing.B, n, k int) {
	w, x, y := make([]T, n*k), make([]T, k), make([]T, n)
	for i := range w {
		w[i] = T(i%7) * 0.01
	}
	linalg.WithThreads(runtime.GOMAXPROCS(0), func() {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			linalg.Gemv(false, n, k, 1, w, k, x, 0, y)
		}
	})
}
