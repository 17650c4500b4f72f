// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// blank returns a fixture of the given size with every array zero and no
// mask.
func blank(B, T, I, N, O int) *fixture {
	f := &fixture{}
	f.b = ctrnn.Batch{B: B, T: T, Target: make([]float64, B*T*O)}
	f.tr = ctrnn.Trajectory{B: B, T: T, I: I, N: N, O: O,
		Outputs: make([]float64, B*T*O), Logits: make([]float64, B*T*O),
		Rates: make([]float64, B*T*N), States: make([]float64, B*T*N)}
	f.w = ctrnn.Weights{I: I, N: N, O: O,
		InRaw: make([]float64, N*I), RecRaw: make([]float64, N*N), OutRaw: make([]float64, O*N),
		InEff: make([]float64, N*I), RecEff: make([]float64, N*N), OutEff: make([]float64, O*N)}
	return f
}

// run evaluates obj on f with a fresh gradient and fails the test on error.
func run(t *testing.T, obj ctrnn.Objective, f *fixture) ([]ctrnn.Term, *ctrnn.ObjectiveGrad) {
	t.Helper()
	g := f.grad()
	terms, err := suited(obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, g)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return terms, g
}

func names(terms []ctrnn.Term) []string {
	var s []string
	for _, t := range terms {
		s = append(s, t.Name)
	}
	return s
}

func value(t *testing.T, terms []ctrnn.Term, name string) float64 {
	t.Helper()
	for _, tm := range terms {
		if tm.Name == name {
			return tm.Value
		}
	}
	t.Fatalf("no term %q in %v", name, names(terms))
	return 0
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// TestSongYangMaskedMean checks that the loss is exactly the mean over the
// masked entries, with a padded trial (NaN beyond its end) and a catch trial.
func TestSongYangMaskedMean(t *testing.T) {
	const B, T, O = 3, 4, 2
	f := blank(B, T, 0, 2, O)
	f.b.Mask = make([]float64, B*T*O)
	nan := math.NaN()
	for b := 0; b < B; b++ {
		for s := 0; s < T; s++ {
			for k := 0; k < O; k++ {
				i := (b*T+s)*O + k
				f.tr.Outputs[i] = 0.1*float64(i) - 0.7
				f.b.Target[i] = 0.2
				switch b {
				case 0: // a normal trial: steps 1 and 3 (fixation and decision) count
					if s == 1 || s == 3 {
						f.b.Mask[i] = 1
						if s == 3 && k == 0 {
							f.b.Target[i] = 1
						}
					}
				case 1: // padded after step 1: garbage must not leak
					if s <= 1 {
						f.b.Mask[i] = 1
					} else {
						f.b.Target[i], f.tr.Outputs[i] = nan, nan
					}
				case 2: // a catch trial: targets lo, every step counts
					f.b.Mask[i] = 1
				}
			}
		}
	}
	var sum float64
	var cnt int
	for i, m := range f.b.Mask {
		if m == 1 {
			d := f.tr.Outputs[i] - f.b.Target[i]
			sum += d * d
			cnt++
		}
	}
	want := sum / float64(cnt)
	terms, g := run(t, SongYang{}, f)
	if got := value(t, terms, "task"); got != want {
		t.Errorf("task = %v, want the mean over %d masked entries %v", got, cnt, want)
	}
	if got := value(t, terms, "total"); got != want {
		t.Errorf("total = %v, want %v", got, want)
	}
	if got := value(t, terms, "rmse"); got != math.Sqrt(want) {
		t.Errorf("rmse = %v, want %v", got, math.Sqrt(want))
	}
	for i, m := range f.b.Mask {
		wg := 0.0
		if m == 1 {
			wg = 2 * (f.tr.Outputs[i] - f.b.Target[i]) / float64(cnt)
		}
		if !near(g.Outputs[i], wg, 1e-15) {
			t.Errorf("dL/dy[%d] = %v, want %v", i, g.Outputs[i], wg)
		}
	}
	if want := []string{"total", "task", "rmse"}; !reflect.DeepEqual(names(terms), want) {
		t.Errorf("terms %v, want %v", names(terms), want)
	}
}

func TestSongYangHand(t *testing.T) {
	// Squared, weighted mask: (0.5·1² + 2·3²)/(0.5+2+0).
	f := blank(1, 3, 0, 1, 1)
	copy(f.tr.Outputs, []float64{1, 3, 5})
	f.b.Mask = []float64{0.5, 2, 0}
	terms, _ := run(t, SongYang{}, f)
	if got, want := value(t, terms, "task"), (0.5*1+2*9)/2.5; !near(got, want, 1e-15) {
		t.Errorf("weighted-mask task = %v, want %v", got, want)
	}
	// No mask: every entry counts.
	f.b.Mask = nil
	terms, _ = run(t, SongYang{}, f)
	if got, want := value(t, terms, "task"), (1.0+9+25)/3; !near(got, want, 1e-15) {
		t.Errorf("unmasked task = %v, want %v", got, want)
	}

	// Binary cross-entropy, pycog's ε form.
	f = blank(1, 2, 0, 1, 1)
	copy(f.tr.Outputs, []float64{0.25, 0.5})
	copy(f.b.Target, []float64{1, 0})
	terms, g := run(t, SongYang{Head: BinaryCrossEntropy}, f)
	want := (-math.Log(0.25+1e-10) - math.Log(1-0.5+1e-10)) / 2
	if got := value(t, terms, "task"); !near(got, want, 1e-15) {
		t.Errorf("bce = %v, want %v", got, want)
	}
	if !near(g.Outputs[0], -1/(0.25+1e-10)/2, 1e-15) || !near(g.Outputs[1], 1/(0.5+1e-10)/2, 1e-15) {
		t.Errorf("bce gradient %v", g.Outputs)
	}
	if got, want := value(t, terms, "rmse"), math.Sqrt((0.75*0.75+0.25)/2); !near(got, want, 1e-15) {
		t.Errorf("bce rmse = %v, want %v", got, want)
	}

	// Softmax cross-entropy with a one-hot target: pycog divides by Σ M over
	// both outputs. p = softmax(0, ln 3) = (1/4, 3/4).
	f = blank(1, 1, 0, 1, 2)
	copy(f.tr.Logits, []float64{0, math.Log(3)})
	copy(f.tr.Outputs, []float64{0.25, 0.75})
	copy(f.b.Target, []float64{0, 1})
	terms, g = run(t, SongYang{Head: SoftmaxCrossEntropy}, f)
	if got, want := value(t, terms, "task"), -math.Log(0.75)/2; !near(got, want, 1e-15) {
		t.Errorf("softmax ce = %v, want %v", got, want)
	}
	if !near(g.Logits[0], 0.25/2, 1e-15) || !near(g.Logits[1], -0.25/2, 1e-15) {
		t.Errorf("softmax ce gradient %v, want (p−t)/ΣM = [0.125 -0.125]", g.Logits)
	}
	if norm(g.Outputs) != 0 {
		t.Errorf("softmax ce wrote dL/dy %v", g.Outputs)
	}
}

func TestSongYangLabels(t *testing.T) {
	f := blank(1, 3, 0, 1, 2)
	f.b.Target = nil
	f.b.Labels = []int32{1, 0, -1}
	copy(f.tr.Logits, []float64{0, math.Log(3), 0, math.Log(3), 5, 5})
	terms, g := run(t, SongYang{Head: SoftmaxCrossEntropy}, f)
	want := (-math.Log(0.75) - math.Log(0.25)) / 2
	if got := value(t, terms, "task"); !near(got, want, 1e-15) {
		t.Errorf("label ce = %v, want %v", got, want)
	}
	wg := []float64{0.25 / 2, -0.25 / 2, (0.25 - 1) / 2, 0.75 / 2, 0, 0}
	for i := range wg {
		if !near(g.Logits[i], wg[i], 1e-15) {
			t.Errorf("label ce gradient %v, want %v", g.Logits, wg)
			break
		}
	}
	if want := []string{"total", "task"}; !reflect.DeepEqual(names(terms), want) {
		t.Errorf("terms %v, want %v", names(terms), want)
	}
	// The mask at the label's output weighs the step: step 0 drops out.
	f.b.Mask = []float64{1, 0, 1, 1, 1, 1}
	terms, _ = run(t, SongYang{Head: SoftmaxCrossEntropy}, f)
	if got, want := value(t, terms, "task"), -math.Log(0.25); !near(got, want, 1e-15) {
		t.Errorf("masked label ce = %v, want %v", got, want)
	}
}

func TestSongYangPenalties(t *testing.T) {
	f := blank(1, 2, 1, 2, 1)
	copy(f.tr.Outputs, []float64{1, 2})
	copy(f.w.InRaw, []float64{1, -2})
	copy(f.w.RecRaw, []float64{1, 0, 0, -3})
	copy(f.w.OutRaw, []float64{2, 0})
	copy(f.tr.Rates, []float64{1, 2, 3, 4})
	s := SongYang{Lambda1Rec: 1, Lambda2In: 1, Lambda2Out: 0.5, Lambda2Rate: 2}
	terms, g := run(t, s, f)
	wantNames := []string{"total", "task", "l1_rec", "l2_in", "l2_out", "l2_rate", "rmse"}
	if !reflect.DeepEqual(names(terms), wantNames) {
		t.Fatalf("terms %v, want %v", names(terms), wantNames)
	}
	want := map[string]float64{
		"task":    (1.0 + 4) / 2,
		"l1_rec":  1 * (1.0 + 3) / 4,
		"l2_in":   1 * (1.0 + 4) / 2,
		"l2_out":  0.5 * 4 / 2,
		"l2_rate": 2 * (1.0 + 4 + 9 + 16) / 4,
	}
	var sum float64
	for k, v := range want {
		if got := value(t, terms, k); !near(got, v, 1e-15) {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
		sum += v
	}
	if got := value(t, terms, "total"); !near(got, sum, 1e-15) {
		t.Errorf("total = %v, want %v", got, sum)
	}
	// L1 subgradient: sign(W)/size with sign(0) = 0.
	if wg := []float64{0.25, 0, 0, -0.25}; !reflect.DeepEqual(g.RecRaw, wg) {
		t.Errorf("l1_rec gradient %v, want %v", g.RecRaw, wg)
	}
	if norm(g.RecEff)+norm(g.InEff)+norm(g.OutEff) != 0 {
		t.Error("raw penalties wrote effective gradients")
	}

	// Effective weights instead.
	f.w.RecEff = []float64{2, 2, 2, 2}
	s = SongYang{Lambda1Rec: 1, Weights: EffectiveWeights}
	terms, g = run(t, s, f)
	if got := value(t, terms, "l1_rec"); got != 2 {
		t.Errorf("effective l1_rec = %v, want 2", got)
	}
	if norm(g.RecRaw) != 0 {
		t.Error("effective penalty wrote raw gradient")
	}

	// No inputs: W_in is empty and its penalty is skipped.
	f = blank(1, 1, 0, 2, 1)
	terms, _ = run(t, SongYang{Lambda1In: 1, Lambda2In: 1}, f)
	if want := []string{"total", "task", "rmse"}; !reflect.DeepEqual(names(terms), want) {
		t.Errorf("no-input terms %v, want %v", names(terms), want)
	}
}

func TestSongYangOmegaAndNeeds(t *testing.T) {
	var o ctrnn.OmegaRegularized = SongYang{}
	if got := o.LambdaOmega(); got != 2 {
		t.Errorf("default λ_Ω = %v, want 2", got)
	}
	if got := (SongYang{Omega: 0.5}).LambdaOmega(); got != 0.5 {
		t.Errorf("λ_Ω = %v, want 0.5", got)
	}
	if got := (SongYang{Omega: 0.5, NoOmega: true}).LambdaOmega(); got != 0 {
		t.Errorf("NoOmega λ_Ω = %v, want 0", got)
	}
	if n := (SongYang{}).Needs(); n.Rates || n.States {
		t.Errorf("plain Needs = %+v, want none", n)
	}
	if n := (SongYang{Lambda2Rate: 1}).Needs(); !n.Rates || n.States {
		t.Errorf("rate-penalty Needs = %+v, want rates", n)
	}
}

func TestEmptyMask(t *testing.T) {
	f := blank(2, 2, 0, 1, 2)
	f.b.Mask = make([]float64, 8)
	for _, obj := range []ctrnn.Objective{
		SongYang{}, SongYang{Head: BinaryCrossEntropy}, SongYang{Head: SoftmaxCrossEntropy},
		MSE{Masked: true}, RNNLoss{Masked: true},
		Composite{Terms: []Weighted{{Criterion: MSE{Masked: true}}}},
	} {
		g := f.grad()
		terms, err := suited(obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, g)
		if !errors.Is(err, ErrEmptyMask) {
			t.Errorf("%T: err = %v, want ErrEmptyMask", obj, err)
		}
		if terms != nil {
			t.Errorf("%T: returned terms %v with the error", obj, terms)
		}
		for _, v := range g.Outputs {
			if math.IsNaN(v) {
				t.Errorf("%T: NaN in the gradient", obj)
				break
			}
		}
	}
	// Labels that are all ignored, or all masked.
	f.b.Target = nil
	f.b.Mask = nil
	f.b.Labels = []int32{-1, -1, -1, -1}
	for _, obj := range []ctrnn.Objective{SongYang{Head: SoftmaxCrossEntropy}, CrossEntropy{}} {
		if _, err := suited(obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, f.grad()); !errors.Is(err, ErrEmptyMask) {
			t.Errorf("%T, ignored labels: err = %v, want ErrEmptyMask", obj, err)
		}
	}
	f.b.Labels = []int32{0, 1, 0, 1}
	f.b.Mask = []float64{0, 1, 1, 0, 0, 1, 1, 0}
	if _, err := suited(SongYang{Head: SoftmaxCrossEntropy}, &f.tr).Evaluate(&f.b, &f.tr, &f.w, f.grad()); !errors.Is(err, ErrEmptyMask) {
		t.Errorf("masked labels: err = %v, want ErrEmptyMask", err)
	}
}

func TestShapeErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		obj   ctrnn.Objective
		edit  func(f *fixture, g *ctrnn.ObjectiveGrad)
		match string
	}{
		{"target", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.b.Target = f.b.Target[1:] }, "targets"},
		{"no-target", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.b.Target = nil }, "no targets"},
		{"mask", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.b.Mask = []float64{1} }, "mask"},
		{"negative-mask", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.b.Mask = make([]float64, len(f.b.Target))
			f.b.Mask[0], f.b.Mask[1] = 1, -1
		}, "non-negative"},
		{"nan-mask", MSE{Masked: true}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.b.Mask = make([]float64, len(f.b.Target))
			f.b.Mask[0] = math.NaN()
		}, "non-negative"},
		{"bce-range", SongYang{Head: BinaryCrossEntropy}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.tr.Outputs[3] = 1.5 }, "sigmoid"},
		{"outputs", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.tr.Outputs = f.tr.Outputs[2:] }, "outputs"},
		{"output-grad", MSE{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { g.Outputs = nil }, "output gradient"},
		{"batch", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.b.B = 3 }, "batch is"},
		{"logits", SongYang{Head: SoftmaxCrossEntropy}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.tr.Logits = nil }, "logits"},
		{"labels-head", SongYang{}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.b.Target, f.b.Labels = nil, []int32{0, 0, 0, 0}
		}, "softmax"},
		{"labels-len", SongYang{Head: SoftmaxCrossEntropy}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.b.Target, f.b.Labels = nil, []int32{0}
		}, "labels"},
		{"labels-range", CrossEntropy{}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.b.Target, f.b.Labels = nil, []int32{0, 2, 0, 0}
		}, "out of range"},
		{"rates", SongYang{Lambda2Rate: 1}, func(f *fixture, g *ctrnn.ObjectiveGrad) { g.Rates = nil }, "rates gradient"},
		{"weights", SongYang{Lambda1Rec: 1}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.w.RecRaw = f.w.RecRaw[1:] }, "W_rec"},
		{"weight-grad", RNNLoss{LambdaOut: 1}, func(f *fixture, g *ctrnn.ObjectiveGrad) { g.OutEff = nil }, "W_out"},
		{"hebbian-units", Hebbian{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.tr.N = 1 }, "rates"},
		{"state_pred-short", StatePrediction{Tau: 2}, func(f *fixture, g *ctrnn.ObjectiveGrad) {}, "horizon"},
		{"entropy-negative", Entropy{}, func(f *fixture, g *ctrnn.ObjectiveGrad) { f.tr.Rates[1] = -0.5 }, "non-negative"},
		{"fr_sd-one-unit", FiringRateDist{}, func(f *fixture, g *ctrnn.ObjectiveGrad) {
			f.tr.N, f.tr.Rates, g.Rates = 1, f.tr.Rates[:4], g.Rates[:4]
		}, "2 units"},
		{"cv-zero-mean", FiringRateDist{Metric: CV}, func(f *fixture, g *ctrnn.ObjectiveGrad) {}, "mean rate is 0"},
		{"ce-flags", CrossEntropy{NoSoftmax: true, FromLogits: true}, func(f *fixture, g *ctrnn.ObjectiveGrad) {}, "exclusive"},
		{"bad-metric", FiringRate{Metric: Fro}, func(f *fixture, g *ctrnn.ObjectiveGrad) {}, "metric"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := blank(2, 2, 1, 2, 2)
			g := f.grad()
			tc.edit(f, g)
			terms, err := suited(tc.obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, g)
			if err == nil {
				t.Fatalf("no error; terms %v", terms)
			}
			if !strings.Contains(err.Error(), tc.match) {
				t.Errorf("error %q does not mention %q", err, tc.match)
			}
		})
	}
}
