// SPDX-License-Identifier: MIT

package analysis

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Stability classes of a point of the discrete-time map.
const (
	Stable   = 0 // every |λ| < 1 (|λ| = 1 counts as not unstable)
	Saddle   = 1 // some but not all |λ| > 1
	Unstable = 2 // every |λ| > 1
)

// Linearization is the linear dynamics around a point.
type Linearization struct {
	// Eigenvalues of J = ∂F/∂x, sorted by decreasing modulus.
	Eigenvalues []complex128
	// Continuous holds (λ − 1)/ᾱ for each eigenvalue, ᾱ the mean α: for a
	// uniform α these are the eigenvalues of (J − I)/α, the continuous-time
	// Jacobian in units of 1/τ (Re < 0 decays).
	Continuous []complex128
	// Unstable is the number of eigenvalues with |λ| > 1; Class is Stable,
	// Saddle or Unstable.
	Unstable, Class int
	// Right and Left hold the eigenvectors of the first len(columns)
	// eigenvalues as columns (N×top): J r = λ r and lᴴ J = λ lᴴ, each of
	// unit norm.
	Right, Left *mat.CDense
}

// Linearize eigen-decomposes the Jacobian at (x, u), returning the left
// and right eigenvectors of the top ≤ N modes (top ≤ 0: none).
func (s *System) Linearize(x, u []float64, top int) (*Linearization, error) {
	n := s.N
	j := make([]float64, n*n)
	if err := s.Jacobian(x, u, j, nil); err != nil {
		return nil, err
	}
	top = min(max(top, 0), n)
	var eig mat.Eigen
	kind := mat.EigenNone
	if top > 0 {
		kind = mat.EigenLeft | mat.EigenRight
	}
	if !eig.Factorize(mat.NewDense(n, n, j), kind) {
		return nil, fmt.Errorf("analysis: the eigen-decomposition of the Jacobian did not converge")
	}
	vals := eig.Values(nil)
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return cmplx.Abs(vals[order[a]]) > cmplx.Abs(vals[order[b]]) })
	var abar float64
	for _, a := range s.Alpha {
		abar += a / float64(n)
	}
	l := &Linearization{Eigenvalues: make([]complex128, n), Continuous: make([]complex128, n)}
	for k, o := range order {
		l.Eigenvalues[k] = vals[o]
		l.Continuous[k] = (vals[o] - 1) / complex(abar, 0)
		if cmplx.Abs(vals[o]) > 1 {
			l.Unstable++
		}
	}
	switch l.Unstable {
	case 0:
		l.Class = Stable
	case n:
		l.Class = Unstable
	default:
		l.Class = Saddle
	}
	if top > 0 {
		var right, left mat.CDense
		eig.VectorsTo(&right)
		eig.LeftVectorsTo(&left)
		l.Right, l.Left = mat.NewCDense(n, top, nil), mat.NewCDense(n, top, nil)
		for k := 0; k < top; k++ {
			for _, pair := range []struct{ src, dst *mat.CDense }{{&right, l.Right}, {&left, l.Left}} {
				var norm float64
				for r := 0; r < n; r++ {
					v := pair.src.At(r, order[k])
					norm += real(v)*real(v) + imag(v)*imag(v)
				}
				sc := complex(1/math.Sqrt(max(norm, 1e-300)), 0)
				for r := 0; r < n; r++ {
					pair.dst.Set(r, k, pair.src.At(r, order[k])*sc)
				}
			}
		}
	}
	return l, nil
}

// SweepPoint is the search at one input of a sweep.
type SweepPoint struct {
	U      []float64
	Result *Result
}

// Sweep runs Find at steps ≥ 2 inputs evenly spaced on the line from u0 to
// u1 (inclusive), continuing each search from the initial states x0 and
// the points found at the previous input: a line attractor shows as a
// family of points moving with u (Mante et al. 2013).
func (s *System) Sweep(x0, u0, u1 []float64, steps int, opt Options) ([]SweepPoint, error) {
	if steps < 2 {
		return nil, fmt.Errorf("analysis: sweep steps = %d, want ≥ 2", steps)
	}
	if len(u0) != s.I || len(u1) != s.I {
		return nil, fmt.Errorf("analysis: sweep ends have lengths %d and %d, want the model's %d inputs", len(u0), len(u1), s.I)
	}
	if opt.Data == nil {
		opt.Data = x0
	}
	out := make([]SweepPoint, steps)
	var prev []float64
	for k := range out {
		t := float64(k) / float64(steps-1)
		u := make([]float64, s.I)
		for i := range u {
			u[i] = (1-t)*u0[i] + t*u1[i]
		}
		init := append(append([]float64(nil), x0...), prev...)
		r, err := s.Find(init, u, opt)
		if err != nil {
			return nil, fmt.Errorf("analysis: sweep step %d: %w", k, err)
		}
		out[k] = SweepPoint{U: u, Result: r}
		prev = prev[:0]
		for _, pt := range r.Points {
			prev = append(prev, pt.X...)
		}
	}
	return out, nil
}
