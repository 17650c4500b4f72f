// SPDX-License-Identifier: MIT

package optim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-15*math.Max(1, math.Abs(b)) }

// TestSGDClipsGlobalNorm checks pycog's clipping: gradients of norm 5 are
// rescaled together to norm 1 before the step; norm 0.5 is left alone.
func TestSGDClipsGlobalNorm(t *testing.T) {
	w, b := []float64{1, 1}, []float64{1}
	ps := []Param{{Name: "w", Value: w, Grad: []float64{3, 0}}, {Name: "b", Value: b, Grad: []float64{4}}}
	info, err := NewSGD().Step(ps)
	if err != nil {
		t.Fatal(err)
	}
	// lr 0.01, scale 1/5: w0 = 1 − 0.01·0.6, b = 1 − 0.01·0.8.
	if info.GradNorm != 5 || info.Guarded || !near(w[0], 1-0.006) || w[1] != 1 || !near(b[0], 1-0.008) {
		t.Fatalf("after a clipped step: w %v b %v info %+v", w, b, info)
	}
	ps[0].Grad, ps[1].Grad = []float64{0.3, 0}, []float64{0.4}
	if _, err := NewSGD().Step(ps); err != nil {
		t.Fatal(err)
	}
	if !near(w[0], 1-0.006-0.003) || !near(b[0], 1-0.008-0.004) {
		t.Fatalf("an unclipped step changed the gradient: w %v b %v", w, b)
	}
}

// TestGuard checks pycog's NaN/Inf guard: no gradient is applied, W_rec
// shrinks by lr·0.02·W_rec (times its scale), everything else stays.
func TestGuard(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), 2e10} {
		for _, opt := range []Optimizer{NewSGD(), NewAdam()} {
			rec, out := []float64{2, -4, 6}, []float64{1, 2}
			ps := []Param{
				{Name: "w_rec", Value: rec, Grad: []float64{1, bad, 1}, Scale: []float64{1, 1, 0}, ShrinkOnGuard: true},
				{Name: "w_out", Value: out, Grad: []float64{1, 1}},
			}
			info, err := opt.Step(ps)
			if err != nil {
				t.Fatal(err)
			}
			lr := 0.01
			if _, ok := opt.(*Adam); ok {
				lr = 1e-3
			}
			if !info.Guarded || !near(rec[0], 2-lr*0.02*2) || !near(rec[1], -4+lr*0.02*4) || rec[2] != 6 || out[0] != 1 || out[1] != 2 {
				t.Fatalf("%T with gradient %v: rec %v out %v info %+v", opt, bad, rec, out, info)
			}
		}
	}
	// Without the guard a NaN gradient goes through.
	w := []float64{1}
	if _, err := (&SGD{LR: 1}).Step([]Param{{Value: w, Grad: []float64{math.NaN()}}}); err != nil || !math.IsNaN(w[0]) {
		t.Fatalf("unguarded NaN step: w %v err %v", w, err)
	}
}

// TestAdamMatchesTorch checks three steps against torch.optim.Adam's update
// written out by hand (defaults, weight decay 0.1 on the second parameter).
func TestAdamMatchesTorch(t *testing.T) {
	o := NewAdam()
	o.WeightDecay = 0.1
	w := []float64{0.5, -1}
	grads := [][]float64{{0.1, -0.2}, {0.3, 0.05}, {-0.2, 0.4}}
	m, v := []float64{0, 0}, []float64{0, 0}
	want := []float64{0.5, -1}
	for step, g := range grads {
		if _, err := o.Step([]Param{{Value: w, Grad: g}}); err != nil {
			t.Fatal(err)
		}
		k := float64(step + 1)
		for i := range want {
			gi := g[i] + 0.1*want[i]
			m[i] = 0.9*m[i] + 0.1*gi
			v[i] = 0.999*v[i] + 0.001*gi*gi
			mh := m[i] / (1 - math.Pow(0.9, k))
			vh := v[i] / (1 - math.Pow(0.999, k))
			want[i] -= 1e-3 * mh / (math.Sqrt(vh) + 1e-8)
		}
		for i := range w {
			if math.Abs(w[i]-want[i]) > 1e-15 {
				t.Fatalf("step %d: w %v, torch's rule gives %v", step+1, w, want)
			}
		}
	}
}

// TestScaleFreezes checks that a zero scale keeps an entry fixed under both
// optimisers, weight decay included, and that scale 0.5 halves SGD steps.
func TestScaleFreezes(t *testing.T) {
	for _, opt := range []Optimizer{&SGD{LR: 0.1}, &Adam{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.5}} {
		w := []float64{1, 1, 1}
		for k := 0; k < 10; k++ {
			if _, err := opt.Step([]Param{{Value: w, Grad: []float64{1, 1, 1}, Scale: []float64{0, 0.5, 1}}}); err != nil {
				t.Fatal(err)
			}
		}
		if w[0] != 1 || !(w[1] < 1 && w[2] < w[1]) {
			t.Errorf("%T: w = %v", opt, w)
		}
		if _, ok := opt.(*SGD); ok && !near(1-w[1], (1-w[2])/2) {
			t.Errorf("SGD: scale 0.5 moved %v, scale 1 moved %v", 1-w[1], 1-w[2])
		}
	}
}

func TestBadSettings(t *testing.T) {
	ps := []Param{{Value: []float64{1}, Grad: []float64{1, 2}}}
	if _, err := NewSGD().Step(ps); err == nil {
		t.Error("mismatched gradient length accepted")
	}
	ok := []Param{{Value: []float64{1}, Grad: []float64{1}}}
	for _, o := range []Optimizer{&SGD{LR: -1}, &Adam{LR: 1, Beta1: 1, Beta2: 0.9, Eps: 1}, &Adam{LR: 1, Beta1: 0.9, Beta2: 0.9, Eps: 0}} {
		if _, err := o.Step(ok); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

// TestAdamKernelBits checks that Adam's AVX-512 update (adam8) gives the
// scalar loop's parameters and moments bit for bit, over lengths with and
// without a remainder of eight, with and without scales, weight decay and
// clipping, and several steps.
func TestAdamKernelBits(t *testing.T) {
	if !hasAdam8 {
		t.Skip("no AVX-512 on this CPU or build")
	}
	defer func(h bool) { hasAdam8 = h }(hasAdam8)
	rng := rand.New(rand.NewPCG(5, 6))
	params := func() []Param {
		var ps []Param
		for k, n := range []int{1, 7, 8, 9, 64, 100} {
			p := Param{Name: fmt.Sprint(k), Value: make([]float64, n), Grad: make([]float64, n)}
			for i := range n {
				p.Value[i] = rng.NormFloat64()
				p.Grad[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4))
			}
			if k%2 == 1 {
				p.Scale = make([]float64, n)
				for i := range n {
					p.Scale[i] = float64(rng.IntN(3)) / 2
				}
			}
			ps = append(ps, p)
		}
		return ps
	}
	for _, o := range []Adam{*NewAdam(), {LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6, WeightDecay: 0.1, MaxNorm: 0.5}} {
		a, b := params(), params()
		for k := range a { // the same start
			copy(b[k].Value, a[k].Value)
			copy(b[k].Grad, a[k].Grad)
			if a[k].Scale != nil {
				copy(b[k].Scale, a[k].Scale)
			}
		}
		oa, ob := o, o
		for step := range 4 {
			hasAdam8 = true
			if _, err := oa.Step(a); err != nil {
				t.Fatal(err)
			}
			hasAdam8 = false
			if _, err := ob.Step(b); err != nil {
				t.Fatal(err)
			}
			for k := range a {
				for i := range a[k].Value {
					if math.Float64bits(a[k].Value[i]) != math.Float64bits(b[k].Value[i]) ||
						math.Float64bits(oa.m[k][i]) != math.Float64bits(ob.m[k][i]) ||
						math.Float64bits(oa.v[k][i]) != math.Float64bits(ob.v[k][i]) {
						t.Fatalf("step %d, param %d[%d]: kernel %v (m %v, v %v), loop %v (m %v, v %v)", step, k, i,
							a[k].Value[i], oa.m[k][i], oa.v[k][i], b[k].Value[i], ob.m[k][i], ob.v[k][i])
					}
				}
			}
		}
	}
}

// BenchmarkAdam times one Adam step over the parameters of an N = 128
// network (16,384 scaled weights and 1,280 others), with the AVX-512
// update and with the loop.
func BenchmarkAdam(b *testing.B) {
	for _, kernel := range []bool{true, false} {
		if kernel && !hasAdam8 {
			continue
		}
		b.Run(map[bool]string{true: "kernel", false: "loop"}[kernel], func(b *testing.B) {
			defer func(h bool) { hasAdam8 = h }(hasAdam8)
			hasAdam8 = kernel
			var ps []Param
			for k, n := range []int{128 * 128, 128 * 4, 2 * 128, 128, 128, 2} {
				p := Param{Value: make([]float64, n), Grad: make([]float64, n)}
				for i := range n {
					p.Value[i], p.Grad[i] = float64(i%7)*0.1, float64(i%5)*0.01
				}
				if k == 0 {
					p.Scale = make([]float64, n)
					for i := range n {
						p.Scale[i] = float64(i % 2)
					}
				}
				ps = append(ps, p)
			}
			o := NewAdam()
			for i := 0; i < b.N; i++ {
				if _, err := o.Step(ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
