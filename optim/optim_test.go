// SPDX-License-Identifier: MIT

package optim

import (
	"math"
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
