// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/nn4n/nn4n/internal/linalg"
	"github.com/nn4n/nn4n/optim"
)

// mse is Σ M(y−ŷ)²/ΣM with M = 1, the cheapest real objective.
type mse struct{}

func (mse) Needs() Needs { return Needs{} }

func (mse) Evaluate(b *Batch, tr *Trajectory, w *Weights, g *ObjectiveGrad) ([]Term, error) {
	var l float64
	k := 1 / float64(len(tr.Outputs))
	for i, y := range tr.Outputs {
		d := y - b.Target[i]
		l += d * d * k
		g.Outputs[i] += 2 * d * k
	}
	return []Term{{Name: "loss", Value: l}}, nil
}

// benchModel is an E/I (80/20) model with Dale rectify, pycog's init.
func benchModel(b *testing.B, n int, p Precision) *Model {
	sign := make([]float64, n)
	for j := range sign {
		sign[j] = 1
		if j >= n*4/5 {
			sign[j] = -1
		}
	}
	m, err := New(Config{Inputs: 4, Units: n, Outputs: 2, Precision: p, Init: InitPycog,
		Alpha: 0.2, RecNoise: 0.15, Rec: Constraint{Sign: sign}, Out: Constraint{Sign: sign}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

var benchShapes = []struct{ n, nb, nt int }{{64, 16, 100}, {256, 64, 200}, {1024, 32, 100}}

func shapeName(n, nb, nt int, p Precision) string {
	return fmt.Sprintf("N=%d/B=%d/T=%d/%v", n, nb, nt, p)
}

// BenchmarkForward times an evaluation-mode (noiseless) forward pass of B
// trials of T steps.
func BenchmarkForward(b *testing.B) {
	for _, s := range benchShapes {
		for _, p := range []Precision{Float64, Float32} {
			b.Run(shapeName(s.n, s.nb, s.nt, p), func(b *testing.B) {
				m := benchModel(b, s.n, p)
				m.SetTraining(false)
				batch := randomBatch(1, s.nb, s.nt, 4, 2)
				out := &Trajectory{Outputs: make([]float64, s.nb*s.nt*2)}
				if err := m.ForwardInto(out, batch); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_ = m.ForwardInto(out, batch)
				}
			})
		}
	}
}

// BenchmarkTrainStep times forward + objective + BPTT + Adam + projection.
func BenchmarkTrainStep(b *testing.B) {
	for _, s := range benchShapes {
		for _, p := range []Precision{Float64, Float32} {
			b.Run(shapeName(s.n, s.nb, s.nt, p), func(b *testing.B) {
				m := benchModel(b, s.n, p)
				batch := randomBatch(1, s.nb, s.nt, 4, 2)
				opt := optim.NewAdam()
				if _, err := m.TrainStep(batch, mse{}, opt); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_, _ = m.TrainStep(batch, mse{}, opt)
				}
			})
		}
	}
}

// BenchmarkStepGemm times T bare per-step recurrent multiplies (B×N by
// N×N) with OpenBLAS on GOMAXPROCS threads, the floor of a forward pass.
func BenchmarkStepGemm(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(shapeName(s.n, s.nb, s.nt, Float64), func(b *testing.B) { gemmBench[float64](b, s.n, s.nb, s.nt) })
		b.Run(shapeName(s.n, s.nb, s.nt, Float32), func(b *testing.B) { gemmBench[float32](b, s.n, s.nb, s.nt) })
	}
}

func gemmBench[T linalg.Float](b *testing.B, n, nb, nt int) {
	w := make([]T, n*n)
	x := make([]T, (nt+1)*nb*n)
	for i := range w {
		w[i] = T(i%7) * 0.01
	}
	b.ReportAllocs()
	linalg.WithThreads(runtime.GOMAXPROCS(0), func() {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for t := 1; t <= nt; t++ {
				linalg.Gemm(false, true, nb, n, n, 1, x[(t-1)*nb*n:t*nb*n], n, w, n, 1, x[t*nb*n:(t+1)*nb*n], n)
			}
		}
	})
}

// BenchmarkStep times one simulator step of a single state (B = 1).
func BenchmarkStep(b *testing.B) {
	for _, p := range []Precision{Float64, Float32} {
		b.Run(fmt.Sprintf("N=256/%v", p), func(b *testing.B) {
			m := benchModel(b, 256, p)
			m.SetTraining(false)
			x, u, y := make([]float64, 256), make([]float64, 4), make([]float64, 2)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.Step(1, x, u, nil, y)
			}
		})
	}
}

// BenchmarkVJP compares the vector-Jacobian product (Backward: upstream
// output gradient in, input, x0 and parameter gradients out) with the
// gradient of a training step (Gradient with mse), same model and batch.
func BenchmarkVJP(b *testing.B) {
	for _, s := range benchShapes {
		for _, p := range []Precision{Float64, Float32} {
			b.Run(shapeName(s.n, s.nb, s.nt, p)+"/backward", func(b *testing.B) {
				m := benchModel(b, s.n, p)
				batch := randomBatch(1, s.nb, s.nt, 4, 2)
				up := &Upstream{Outputs: batch.Target}
				y, gu, gx := make([]float64, s.nb*s.nt*2), make([]float64, s.nb*s.nt*4), make([]float64, s.nb*s.n)
				if _, err := m.Backward(batch, up, y, gu, gx); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_, _ = m.Backward(batch, up, y, gu, gx)
				}
			})
			b.Run(shapeName(s.n, s.nb, s.nt, p)+"/gradient", func(b *testing.B) {
				m := benchModel(b, s.n, p)
				batch := randomBatch(1, s.nb, s.nt, 4, 2)
				if _, err := m.Gradient(batch, mse{}); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					_, _ = m.Gradient(batch, mse{})
				}
			})
		}
	}
}

// BenchmarkStepBatch compares one step of 8 states in a single call with 8
// single-state calls (N = 256, no noise, GOMAXPROCS 1 as after nn4n_set_num_threads(1)); both report ns/state.
func BenchmarkStepBatch(b *testing.B) {
	const nb = 8
	for _, p := range []Precision{Float64, Float32} {
		for _, batched := range []bool{false, true} {
			name := fmt.Sprintf("N=256/%v/8-single-calls", p)
			if batched {
				name = fmt.Sprintf("N=256/%v/one-call-of-8", p)
			}
			b.Run(name, func(b *testing.B) {
				m := benchModel(b, 256, p)
				m.SetTraining(false)
				x, u, y := make([]float64, nb*256), make([]float64, nb*4), make([]float64, nb*2)
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if batched {
						_ = m.Step(nb, x, u, nil, y)
						continue
					}
					for k := 0; k < nb; k++ {
						_ = m.Step(1, x[k*256:(k+1)*256], u[k*4:(k+1)*4], nil, y[k*2:(k+1)*2])
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*nb), "ns/state")
			})
		}
	}
}
