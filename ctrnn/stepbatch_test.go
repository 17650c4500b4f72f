// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/internal/linalg"
)

// TestStepBatchMatchesSingle checks that one Step of nb states equals nb
// single-state Steps from the same states: bit for bit below 4 states with
// nn4n's kernels (each state's products are the single step's row kernel;
// the BLAS fallback, without AVX2/FMA or in the purego build, may depend on
// alignment) and, from 4 states
// on, where the states share each pass over the weights (linalg.Packed) and
// the products sum in another order, within 1e-12·max(1,|v|) (float64) and
// 1e-5·max(1,|v|) (float32) for every state, rate and output v over 20
// steps, the tolerance include/nn4n.h states; widths that fill the packed
// kernel's tiles and that leave edges.
func TestStepBatchMatchesSingle(t *testing.T) {
	for _, p := range []Precision{Float64, Float32} {
		for _, n := range []int{7, 37, 256} {
			m, err := New(Config{Inputs: 3, Units: n, Outputs: 2, Precision: p, Init: InitPycog, Alpha: 0.2, Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			m.SetTraining(false)
			tol := 1e-12
			if p == Float32 {
				tol = 1e-5
			}
			rng := rand.New(rand.NewPCG(uint64(n), 9))
			worst := 0.0
			for _, nb := range []int{1, 2, 3, 4, 5, 7, 8, 9, 12} {
				xb, ub := make([]float64, nb*n), make([]float64, nb*3)
				rb, yb := make([]float64, nb*n), make([]float64, nb*2)
				for k := range xb {
					xb[k] = rng.NormFloat64()
					if p == Float32 {
						xb[k] = float64(float32(xb[k]))
					}
				}
				xs := append([]float64(nil), xb...)
				rs, ys := make([]float64, nb*n), make([]float64, nb*2)
				for s := 0; s < 20; s++ {
					for k := range ub {
						ub[k] = rng.Float64()
					}
					if err := m.Step(nb, xb, ub, rb, yb); err != nil {
						t.Fatal(err)
					}
					for b := 0; b < nb; b++ {
						if err := m.Step(1, xs[b*n:(b+1)*n], ub[b*3:(b+1)*3], rs[b*n:(b+1)*n], ys[b*2:(b+1)*2]); err != nil {
							t.Fatal(err)
						}
					}
					bitwise := nb < 4 && linalg.HasPacked
					for a, c := range [][2][]float64{{xb, xs}, {rb, rs}, {yb, ys}} {
						for k, v := range c[0] {
							d := math.Abs(v-c[1][k]) / math.Max(1, math.Abs(c[1][k]))
							worst = math.Max(worst, d)
							if bitwise && v != c[1][k] || d > tol {
								t.Fatalf("%v N=%d nb=%d step %d %s[%d]: batched %v, single %v", p, n, nb, s, []string{"state", "rate", "output"}[a], k, v, c[1][k])
							}
						}
					}
				}
			}
			t.Logf("%v N=%d: largest batched-vs-single difference %.3g (relative to max(1,|v|))", p, n, worst)
		}
	}
}
