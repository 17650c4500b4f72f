// SPDX-License-Identifier: MIT

package analysis

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"gonum.org/v1/gonum/mat"
)

func randSystem(t *testing.T, act ctrnn.Activation, n, in int, seed uint64, inputOn bool) *System {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	s := &System{I: in, N: n, Act: act, Alpha: make([]float64, n), WRec: make([]float64, n*n), WIn: make([]float64, n*in), Bias: make([]float64, n), InputOn: inputOn, U0: 0.2}
	for j := range s.Alpha {
		s.Alpha[j] = 0.05 + 0.5*rng.Float64()
		s.Bias[j] = 0.3 * rng.NormFloat64()
	}
	for k := range s.WRec {
		s.WRec[k] = 1.5 * rng.NormFloat64() / math.Sqrt(float64(n))
	}
	for k := range s.WIn {
		s.WIn[k] = rng.NormFloat64()
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLinearFixedPoint: with f = identity, x* = (I − W)⁻¹ b.
func TestLinearFixedPoint(t *testing.T) {
	n, in := 12, 3
	s := randSystem(t, ctrnn.Linear, n, in, 7, false)
	for k := range s.WRec {
		s.WRec[k] *= 0.5
	}
	u := []float64{0.4, -1, 0.25}
	c, _, _ := s.drive(u)
	a := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		for k := 0; k < n; k++ {
			a.Set(j, k, -s.WRec[j*n+k])
		}
		a.Set(j, j, a.At(j, j)+1)
	}
	var want mat.VecDense
	if err := want.SolveVec(a, mat.NewVecDense(n, c)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	x0 := make([]float64, 5*n)
	for k := range x0 {
		x0[k] = 3 * rng.NormFloat64()
	}
	r, err := s.Find(x0, u, Options{OutlierScale: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 1 || r.Duplicates != 4 {
		t.Fatalf("got %d points (%d duplicates), want 1 (4)", len(r.Points), r.Duplicates)
	}
	for j := 0; j < n; j++ {
		if d := math.Abs(r.Points[0].X[j] - want.AtVec(j)); d > 1e-10 {
			t.Fatalf("x*[%d] = %v, want %v (|Δ| = %g)", j, r.Points[0].X[j], want.AtVec(j), d)
		}
	}
	if !r.Points[0].Converged || r.Points[0].Q >= 1e-12 || r.Points[0].Count != 5 {
		t.Fatalf("point %+v", r.Points[0])
	}
}

// TestOneUnitTanh: x = w tanh(x) with w > 1 has roots 0 and ±x*; 0 is
// unstable, ±x* stable.
func TestOneUnitTanh(t *testing.T) {
	w := 2.0
	s := &System{N: 1, Act: ctrnn.Tanh, Alpha: []float64{0.2}, WRec: []float64{w}, Bias: []float64{0}}
	// Positive root of x = w tanh x by bisection.
	lo, hi := 0.5, w+1
	for k := 0; k < 200; k++ {
		m := (lo + hi) / 2
		if m-w*math.Tanh(m) < 0 {
			lo = m
		} else {
			hi = m
		}
	}
	root := (lo + hi) / 2
	var x0 []float64
	for v := -4.0; v <= 4; v += 0.1 {
		x0 = append(x0, v)
	}
	r, err := s.Find(x0, nil, Options{OutlierScale: -1, DedupTol: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 3 {
		t.Fatalf("got %d fixed points %+v, want 3", len(r.Points), r.Points)
	}
	want := map[float64]int{-root: Stable, 0: Saddle, root: Stable}
	found := 0
	for _, pt := range r.Points {
		for x, class := range want {
			if math.Abs(pt.X[0]-x) < 1e-10 {
				found++
				l, err := s.Linearize(pt.X, nil, 1)
				if err != nil {
					t.Fatal(err)
				}
				// One unit: an unstable point has all (one) modes unstable.
				wantClass := class
				if x == 0 {
					wantClass = Unstable
				}
				if l.Class != wantClass {
					t.Errorf("x* = %v: class %d, want %d (λ = %v)", x, l.Class, wantClass, l.Eigenvalues)
				}
				lam := 1 - 0.2 + 0.2*w*(1-math.Tanh(x)*math.Tanh(x))
				if math.Abs(real(l.Eigenvalues[0])-lam) > 1e-12 {
					t.Errorf("x* = %v: λ = %v, want %v", x, l.Eigenvalues[0], lam)
				}
				if cont := (lam - 1) / 0.2; math.Abs(real(l.Continuous[0])-cont) > 1e-12 {
					t.Errorf("x* = %v: continuous λ = %v, want %v", x, l.Continuous[0], cont)
				}
			}
		}
	}
	if found != 3 {
		t.Fatalf("points %+v are not at 0, ±%v", r.Points, root)
	}
}

// TestJacobianFD checks ∂F/∂x and ∂F/∂u against central differences.
func TestJacobianFD(t *testing.T) {
	for _, act := range []ctrnn.Activation{ctrnn.Tanh, ctrnn.Sigmoid, ctrnn.Softplus, ctrnn.ReTanh, ctrnn.ReLU, ctrnn.Linear} {
		for _, inputOn := range []bool{false, true} {
			n, in := 9, 4
			s := randSystem(t, act, n, in, uint64(act)+11, inputOn)
			rng := rand.New(rand.NewPCG(5, uint64(act)))
			x, u := make([]float64, n), make([]float64, in)
			for k := range x {
				x[k] = rng.NormFloat64()
				// Keep away from the kinks of relu and retanh.
				if math.Abs(x[k]) < 0.01 {
					x[k] = 0.5
				}
			}
			for k := range u {
				u[k] = rng.NormFloat64()
				if math.Abs(u[k]+s.U0) < 0.01 {
					u[k] = 1
				}
			}
			jx, ju := make([]float64, n*n), make([]float64, n*in)
			if err := s.Jacobian(x, u, jx, ju); err != nil {
				t.Fatal(err)
			}
			h := 1e-5
			fp, fm := make([]float64, n), make([]float64, n)
			check := func(name string, v []float64, j []float64, cols, k int) {
				old := v[k]
				v[k] = old + h
				if err := s.Step(x, u, fp); err != nil {
					t.Fatal(err)
				}
				v[k] = old - h
				s.Step(x, u, fm)
				v[k] = old
				for r := 0; r < n; r++ {
					fd := (fp[r] - fm[r]) / (2 * h)
					if d := math.Abs(fd - j[r*cols+k]); d > 1e-8 {
						t.Errorf("%v input=%v %s[%d,%d] = %v, finite difference %v", act, inputOn, name, r, k, j[r*cols+k], fd)
					}
				}
			}
			for k := 0; k < n; k++ {
				check("∂F/∂x", x, jx, n, k)
			}
			for k := 0; k < in; k++ {
				check("∂F/∂u", u, ju, in, k)
			}
		}
	}
}

// TestEigenvectors: J r = λ r and lᴴ J = λ lᴴ for the top modes.
func TestEigenvectors(t *testing.T) {
	n := 10
	s := randSystem(t, ctrnn.Tanh, n, 0, 21, false)
	x := make([]float64, n)
	for k := range x {
		x[k] = 0.1 * float64(k)
	}
	l, err := s.Linearize(x, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	j := make([]float64, n*n)
	s.Jacobian(x, nil, j, nil)
	for k := 0; k < 3; k++ {
		lam := l.Eigenvalues[k]
		for r := 0; r < n; r++ {
			var jr, lj complex128
			for c := 0; c < n; c++ {
				jr += complex(j[r*n+c], 0) * l.Right.At(c, k)
				lj += complex(j[c*n+r], 0) * l.Left.At(c, k) // (Jᵀ l)_r; lᴴJ = λlᴴ ⇔ Jᵀ l̄ = λ l̄
			}
			_ = lj
			if d := cmplxAbs(jr - lam*l.Right.At(r, k)); d > 1e-10 {
				t.Fatalf("mode %d: (J r − λ r)[%d] = %g", k, r, d)
			}
		}
		// Left: Jᵀ conj(l) = λ conj(l).
		for r := 0; r < n; r++ {
			var v complex128
			for c := 0; c < n; c++ {
				v += complex(j[c*n+r], 0) * conj(l.Left.At(c, k))
			}
			if d := cmplxAbs(v - lam*conj(l.Left.At(r, k))); d > 1e-10 {
				t.Fatalf("mode %d: left eigenvector residual %g at %d", k, d, r)
			}
		}
	}
	for k := 1; k < n; k++ {
		if cmplxAbs(l.Eigenvalues[k]) > cmplxAbs(l.Eigenvalues[k-1])+1e-15 {
			t.Fatalf("eigenvalues not sorted by modulus: %v", l.Eigenvalues)
		}
	}
}

func cmplxAbs(z complex128) float64 { return math.Hypot(real(z), imag(z)) }
func conj(z complex128) complex128  { return complex(real(z), -imag(z)) }

// TestFindRandomTanh: on a random tanh network every kept point is a
// fixed point of Step to the tolerance.
func TestFindRandomTanh(t *testing.T) {
	n := 30
	s := randSystem(t, ctrnn.Tanh, n, 2, 9, false)
	rng := rand.New(rand.NewPCG(8, 8))
	x0 := make([]float64, 64*n)
	for k := range x0 {
		x0[k] = rng.NormFloat64()
	}
	u := []float64{0.3, -0.2}
	r, err := s.Find(x0, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) == 0 {
		t.Fatal("no fixed points found")
	}
	f := make([]float64, n)
	for _, pt := range r.Points {
		s.Step(pt.X, u, f)
		var q float64
		for j := range f {
			q += (f[j] - pt.X[j]) * (f[j] - pt.X[j]) / 2
		}
		if !pt.Converged || q >= 1e-12 || math.Abs(q-pt.Q) > 1e-13 {
			t.Fatalf("point q = %g (reported %g, converged %v)", q, pt.Q, pt.Converged)
		}
	}
	if got := len(r.Points) + r.NotConverged + r.Outliers + r.Duplicates; got != 64 {
		t.Fatalf("accounting: %d points + %d + %d + %d ≠ 64", len(r.Points), r.NotConverged, r.Outliers, r.Duplicates)
	}
}

// TestNotConverged: a linear network with an eigenvalue of W at exactly 1
// and a drive along it has no fixed point; every search must say so.
func TestNotConverged(t *testing.T) {
	s := &System{N: 2, Act: ctrnn.Linear, Alpha: []float64{0.1, 0.1}, WRec: []float64{1, 0, 0, 0.5}, Bias: []float64{1, 0}}
	r, err := s.Find([]float64{0, 0, 1, 1, -3, 2}, nil, Options{MaxIter: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 0 || r.NotConverged != 3 {
		t.Fatalf("got %d points, %d not converged; want 0, 3", len(r.Points), r.NotConverged)
	}
	for _, pt := range r.All {
		if pt.Converged || pt.Q < 1e-12 {
			t.Fatalf("search reported %+v", pt)
		}
	}
	// Slow points: with SlowQ above the floor of q (½·(α·1)² = 0.005), they are kept.
	r, _ = s.Find([]float64{0, 0}, nil, Options{MaxIter: 20, SlowQ: 0.01})
	if len(r.Points) != 1 || r.Points[0].Converged {
		t.Fatalf("slow point: %+v", r.Points)
	}
}

func TestBadInput(t *testing.T) {
	s := randSystem(t, ctrnn.Tanh, 4, 2, 1, false)
	cases := []struct {
		name string
		err  error
		want string
	}{}
	add := func(name string, err error, want string) {
		cases = append(cases, struct {
			name string
			err  error
			want string
		}{name, err, want})
	}
	_, err := s.Find(make([]float64, 8), []float64{1}, Options{})
	add("short u", err, "input u has length 1, want the model's 2 inputs")
	_, err = s.Find([]float64{0, 0, 0, math.NaN(), 0, 0, 0, 0}, nil, Options{})
	add("NaN state", err, "initial states[3] (state 0, unit 3) = NaN is not finite")
	_, err = s.Find(make([]float64, 7), nil, Options{})
	add("ragged states", err, "want a positive multiple of N = 4")
	_, err = s.Find(make([]float64, 4), []float64{math.Inf(1), 0}, Options{})
	add("Inf u", err, "input u[0] = +Inf is not finite")
	_, err = s.Find(make([]float64, 4), nil, Options{Tol: -1})
	add("bad tol", err, "Tol = -1")
	err = s.Jacobian(make([]float64, 3), nil, nil, nil)
	add("short x", err, "state x has length 3, want N = 4")

	m, merr := ctrnn.New(ctrnn.Config{Inputs: 2, Units: 4, Outputs: 1, RecNoise: 0.05})
	if merr != nil {
		t.Fatal(merr)
	}
	_, err = FromModel(m)
	add("noisy model in training", err, "training mode with rec_noise = 0.05")
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
	m.SetTraining(false)
	if _, err := FromModel(m); err != nil {
		t.Fatalf("evaluation-mode model: %v", err)
	}
}

// TestFromModelStep: F agrees with the model's own noise-free Step.
func TestFromModelStep(t *testing.T) {
	for _, baseline := range []float64{0, 0.2} {
		m, err := ctrnn.New(ctrnn.Config{Inputs: 3, Units: 8, Outputs: 2, Activation: ctrnn.Tanh, Alphas: []float64{.1, .2, .3, .4, .5, .6, .7, .8},
			TrainBiasRec: true, TrainBiasIn: true, InputBaseline: baseline, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		m.SetArray("b_rec", []float64{.1, -.2, .3, 0, 0, .1, .2, -.1})
		m.SetArray("b_in", []float64{.05, 0, 0, -.3, 0, .1, 0, 0})
		m.SetTraining(false)
		s, err := FromModel(m)
		if err != nil {
			t.Fatal(err)
		}
		x := []float64{.1, -.5, .9, .2, -.1, 0.3, 1.2, -0.7, 0, .2, .2, .2, .2, .2, .2, .2}
		u := []float64{0.5, -0.4, 0.1}
		want := append([]float64(nil), x...)
		if err := m.Step(2, want, append(append([]float64(nil), u...), u...), nil, nil); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, len(x))
		if err := s.Step(x, u, got); err != nil {
			t.Fatal(err)
		}
		for k := range got {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Fatalf("baseline %v: F[%d] = %v, model Step %v", baseline, k, got[k], want[k])
			}
		}
	}
}

func TestSweep(t *testing.T) {
	s := &System{I: 1, N: 1, Act: ctrnn.Tanh, Alpha: []float64{0.5}, WRec: []float64{2}, WIn: []float64{1}, Bias: []float64{0}}
	sw, err := s.Sweep([]float64{-3, 0, 3}, []float64{0}, []float64{2}, 5, Options{OutlierScale: -1})
	if err != nil {
		t.Fatal(err)
	}
	// At u = 0 three points; at u = 2 (beyond the bifurcation at u ≈ 0.73 for
	// w = 2) one; each point solves x = 2 tanh x + u.
	if len(sw[0].Result.Points) != 3 || len(sw[4].Result.Points) != 1 {
		t.Fatalf("points at u=0: %d, at u=2: %d; want 3 and 1", len(sw[0].Result.Points), len(sw[4].Result.Points))
	}
	for _, st := range sw {
		for _, pt := range st.Result.Points {
			if d := math.Abs(2*math.Tanh(pt.X[0]) + st.U[0] - pt.X[0]); d > 1e-6 {
				t.Fatalf("u = %v: x = %v is not a fixed point (%g)", st.U, pt.X, d)
			}
		}
	}
}

func TestLabels(t *testing.T) {
	w := 2.0
	s := &System{N: 1, Act: ctrnn.Tanh, Alpha: []float64{0.2}, WRec: []float64{w}, Bias: []float64{0}}
	r, err := s.Find([]float64{-2, -1.9, 0.01, 1.8, 2.1, 1e6}, nil, Options{MaxIter: 50})
	if err != nil {
		t.Fatal(err)
	}
	// 1e6 converges to +x* quickly (tanh saturates) but is far from the
	// data only in the start; the end is a duplicate of +x*.
	count := map[int]int{}
	for _, pt := range r.All {
		if pt.Label < 0 {
			t.Fatalf("search %d: label %d (q = %g)", pt.Start, pt.Label, pt.Q)
		}
		if d := math.Abs(pt.X[0] - r.Points[pt.Label].X[0]); d > 1e-6 {
			t.Fatalf("search %d labelled %d but %g away", pt.Start, pt.Label, d)
		}
		count[pt.Label]++
	}
	for k, pt := range r.Points {
		if count[k] != pt.Count {
			t.Fatalf("point %d: count %d, labels %d", k, pt.Count, count[k])
		}
	}
	// Outliers: reference data near the origin only.
	r, _ = s.Find([]float64{-2, 0.01, 2}, nil, Options{Data: []float64{-0.01, 0.01, 0.02, -0.02}})
	if len(r.Points) != 1 || r.Outliers != 2 || r.All[0].Label != LabelOutlier {
		t.Fatalf("outliers: %d points, %d outliers, labels %v %v", len(r.Points), r.Outliers, r.All[0].Label, r.All[2].Label)
	}
}
