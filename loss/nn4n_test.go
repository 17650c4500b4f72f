// SPDX-License-Identifier: MIT

package loss

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// rateFixture has B=1, T=2, N=3 rates [[1 2 3] [3 4 5]], so the unit means
// are m = (2, 3, 4).
func rateFixture() *fixture {
	f := blank(1, 2, 1, 3, 1)
	copy(f.tr.Rates, []float64{1, 2, 3, 3, 4, 5})
	copy(f.tr.States, []float64{-1, 2, -3, 3, -4, 5})
	return f
}

// closeTo reports whether a and b agree entrywise within tol (relative
// above 1).
func closeTo(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i], tol) {
			return false
		}
	}
	return true
}

func single(t *testing.T, obj ctrnn.Objective, f *fixture) (float64, *ctrnn.ObjectiveGrad) {
	t.Helper()
	terms, g := run(t, obj, f)
	if len(terms) != 1 {
		t.Fatalf("%T returned %d terms, want 1", obj, len(terms))
	}
	return terms[0].Value, g
}

func TestFiringRateHand(t *testing.T) {
	f := rateFixture()
	for _, tc := range []struct {
		obj  ctrnn.Objective
		want float64
	}{
		{FiringRate{}, (4.0 + 9 + 16) / 3},
		{FiringRate{Metric: L2}, (4.0 + 9 + 16) / 3},
		{FiringRate{Metric: L1}, (2.0 + 3 + 4) / 3},
		// States have unit means (1, −1, 1): L1 sees |·|.
		{FiringRate{Metric: L1, On: States}, 1},
		{FiringRateDist{}, 1}, // unbiased: √((1+0+1)/2)
		{FiringRateDist{Metric: CV}, 1.0 / 3},
		{FiringRateDist{Metric: MeanAD}, 2.0 / 3},
		{FiringRateDist{Metric: MaxAD}, 1},
		// States: mean 1/3, sd = √(((2/3)²+(4/3)²+(2/3)²)/2) = √(4/3); the
		// cv divides by the signed mean.
		{FiringRateDist{Metric: CV, On: States}, math.Sqrt(4.0/3) * 3},
	} {
		if got, _ := single(t, tc.obj, f); !near(got, tc.want, 1e-14) {
			t.Errorf("%+v = %v, want %v", tc.obj, got, tc.want)
		}
	}
	// MaxAD ties between units 0 and 2: the gradient is shared equally,
	// dm = (−½, 0, ½), and each of the two steps gets dm/2.
	_, g := single(t, FiringRateDist{Metric: MaxAD}, f)
	want := []float64{-0.25, 0, 0.25, -0.25, 0, 0.25}
	for i := range want {
		if !near(g.Rates[i], want[i], 1e-15) {
			t.Fatalf("max_ad gradient %v, want %v", g.Rates, want)
		}
	}
	// SD at zero spread: value 0 and subgradient 0, not NaN.
	copy(f.tr.Rates, []float64{1, 1, 1, 1, 1, 1})
	v, g := single(t, FiringRateDist{}, f)
	if v != 0 || norm(g.Rates) != 0 {
		t.Errorf("sd of equal rates = %v, gradient %v; want 0 and 0", v, g.Rates)
	}
}

func TestRNNLossHand(t *testing.T) {
	f := rateFixture()
	copy(f.tr.Outputs, []float64{1, 2})
	copy(f.w.InEff, []float64{1, -2, 0})
	copy(f.w.RecEff, []float64{1, 0, 0, 0, -3, 0, 0, 0, 2})
	copy(f.w.OutEff, []float64{2, 0, 1})
	l := RNNLoss{LambdaIn: 1, LambdaHid: 2, LambdaOut: 3, LambdaFR: 1, LambdaFRSD: 2, LambdaFRCV: 3}
	terms, _ := run(t, l, f)
	want := []ctrnn.Term{
		{Name: "mse", Value: (1.0 + 4) / 2},
		{Name: "in", Value: 1 * 5.0 / 3},    // ‖W_in‖²/(N·I)
		{Name: "hid", Value: 2 * 14.0 / 9},  // ‖W_rec‖²/N²
		{Name: "out", Value: 3 * 5.0 / 3},   // ‖W_out‖²/(O·N)
		{Name: "fr", Value: 1 * 29.0 / 3},   // ‖m‖²/N
		{Name: "fr_sd", Value: 2 * 1},       // unbiased sd of m
		{Name: "fr_cv", Value: 3 * 1.0 / 3}, // sd/mean of mean |r|
	}
	if got := names(terms); !reflect.DeepEqual(got, append([]string{"total"}, names(want)...)) {
		t.Fatalf("terms %v", got)
	}
	var sum float64
	for i, w := range want {
		if !near(terms[i+1].Value, w.Value, 1e-14) {
			t.Errorf("%s = %v, want %v", w.Name, terms[i+1].Value, w.Value)
		}
		sum += w.Value
	}
	if !near(terms[0].Value, sum, 1e-14) {
		t.Errorf("total = %v, want %v", terms[0].Value, sum)
	}

	// fr_cv averages |r|: on the states (−1 2 −3; 3 −4 5) it equals the
	// rates' 1/3, where fr_dist's cv would be 2√3.
	terms, _ = run(t, RNNLoss{NoMSE: true, LambdaFRCV: 1, On: States}, f)
	if got := value(t, terms, "fr_cv"); !near(got, 1.0/3, 1e-14) {
		t.Errorf("fr_cv on states = %v, want 1/3", got)
	}
	if got := names(terms); !reflect.DeepEqual(got, []string{"total", "fr_cv"}) {
		t.Errorf("NoMSE terms %v", got)
	}
	// λ_mse: zero means 1; an explicit value scales.
	terms, _ = run(t, RNNLoss{LambdaMSE: 4}, f)
	if got := value(t, terms, "mse"); got != 4*2.5 {
		t.Errorf("λ_mse=4: mse = %v, want 10", got)
	}
	// Masked MSE (nn4n has none): only the second step counts.
	f.b.Mask = []float64{0, 1}
	terms, _ = run(t, RNNLoss{Masked: true}, f)
	if got := value(t, terms, "mse"); got != 4 {
		t.Errorf("masked mse = %v, want 4", got)
	}
	// Unmasked by default even when the batch has a mask, as in nn4n.
	terms, _ = run(t, RNNLoss{}, f)
	if got := value(t, terms, "mse"); got != 2.5 {
		t.Errorf("default mse = %v, want 2.5", got)
	}
	if n := (RNNLoss{LambdaIn: 1}).Needs(); n.Rates || n.States {
		t.Errorf("weight-only Needs = %+v", n)
	}
	if n := (RNNLoss{LambdaFR: 1, On: States}).Needs(); n.Rates || !n.States {
		t.Errorf("state Needs = %+v", n)
	}
}

func TestConnectivityHand(t *testing.T) {
	f := blank(1, 1, 1, 2, 1)
	copy(f.w.InEff, []float64{1, -2})
	copy(f.w.RecEff, []float64{1, 0, 0, -3})
	copy(f.w.OutEff, []float64{2, 0})
	copy(f.w.RecRaw, []float64{3, 4, 0, 0})
	for _, tc := range []struct {
		obj  Connectivity
		want float64
	}{
		{Connectivity{}, math.Sqrt(5) + math.Sqrt(10) + 2},
		{Connectivity{Metric: L1}, 3 + 4 + 2},
		{Connectivity{Layer: InputLayer, Metric: L1}, 3},
		{Connectivity{Layer: HiddenLayer}, math.Sqrt(10)},
		{Connectivity{Layer: ReadoutLayer, Metric: Fro}, 2},
		{Connectivity{Layer: HiddenLayer, Weights: RawWeights}, 5},
	} {
		if got, _ := single(t, tc.obj, f); !near(got, tc.want, 1e-15) {
			t.Errorf("%+v = %v, want %v", tc.obj, got, tc.want)
		}
	}
	// Gradients: W/‖W‖_F, and sign(W) with sign(0) = 0.
	_, g := single(t, Connectivity{Layer: HiddenLayer, Weights: RawWeights}, f)
	if want := []float64{0.6, 0.8, 0, 0}; !reflect.DeepEqual(g.RecRaw, want) {
		t.Errorf("fro gradient %v, want %v", g.RecRaw, want)
	}
	_, g = single(t, Connectivity{Layer: HiddenLayer, Metric: L1}, f)
	if want := []float64{1, 0, 0, -1}; !reflect.DeepEqual(g.RecEff, want) {
		t.Errorf("l1 gradient %v, want %v", g.RecEff, want)
	}
	// A zero matrix has norm 0 and subgradient 0.
	f.w.OutEff = []float64{0, 0}
	v, g := single(t, Connectivity{Layer: ReadoutLayer}, f)
	if v != 0 || norm(g.OutEff) != 0 {
		t.Errorf("zero matrix: %v, gradient %v", v, g.OutEff)
	}
}

func TestStatePredictionHand(t *testing.T) {
	// Two trials, three steps, one unit. Trial 0 moves 0→1→3; trial 1 is
	// constant. Shifting time: ((0−1)² + (1−3)² + 0 + 0)/4. nn4n's batch
	// shift would compare trial 0 with trial 1 instead, (10²+9²+7²)/3.
	f := blank(2, 3, 0, 1, 1)
	copy(f.tr.Rates, []float64{0, 1, 3, 10, 10, 10})
	v, g := single(t, StatePrediction{}, f)
	if want := 5.0 / 4; v != want {
		t.Errorf("τ=1: %v, want %v (the batch-shift bug gives %v)", v, want, 230.0/3)
	}
	// d/ds of Σ(s_t − s_{t+1})²/4 for trial 0: (2(0−1), −2(0−1)+2(1−3), −2(1−3))/4.
	if want := []float64{-0.5, -0.5, 1, 0, 0, 0}; !reflect.DeepEqual(g.Rates, want) {
		t.Errorf("τ=1 gradient %v, want %v", g.Rates, want)
	}
	v, _ = single(t, StatePrediction{Tau: 2}, f)
	if want := 9.0 / 2; v != want {
		t.Errorf("τ=2: %v, want %v", v, want)
	}
	if _, err := (StatePrediction{Tau: 3}).Evaluate(&f.b, &f.tr, &f.w, f.grad()); err == nil {
		t.Error("τ=T gave no error")
	}
}

func TestEntropyHand(t *testing.T) {
	f := blank(1, 2, 0, 2, 1)
	copy(f.tr.Rates, []float64{1, 1, 2, 0})
	const eps = 1e-8
	z := 2 + eps
	h1 := -2 * (1 / z) * math.Log(1/z+eps)
	h2 := -(2 / z) * math.Log(2/z+eps) // the zero unit contributes 0·log ε = 0
	want := (h1+h2)/2 + 10*(2.0+4)/2
	v, _ := single(t, Entropy{}, f)
	if !near(v, want, 1e-15) {
		t.Errorf("entropy = %v, want %v", v, want)
	}
	if !near(v, math.Ln2/2+30, 1e-7) {
		t.Errorf("entropy = %v, want about ln2/2 + 30", v)
	}
	v, _ = single(t, Entropy{NoReg: true}, f)
	if !near(v, (h1+h2)/2, 1e-15) {
		t.Errorf("entropy without reg = %v, want %v", v, (h1+h2)/2)
	}
	v, _ = single(t, Entropy{Reg: 0.5}, f)
	if !near(v, (h1+h2)/2+0.5*3, 1e-15) {
		t.Errorf("entropy reg 0.5 = %v", v)
	}
}

func TestHebbianHand(t *testing.T) {
	// W = [[−1 1] [−1 2]] (post, pre). s = (1, 2): Σ W_ij s_i s_j =
	// −1 + 2 − 2 + 8 = 7. s = (3, 0): −9. Mean of |·| = 8 (the signed mean
	// would be −1).
	f := blank(1, 2, 0, 2, 1)
	copy(f.w.RecEff, []float64{-1, 1, -1, 2})
	copy(f.tr.Rates, []float64{1, 2, 3, 0})
	v, g := single(t, Hebbian{}, f)
	if v != 8 {
		t.Errorf("hebbian = %v, want 8", v)
	}
	// ∂/∂W_ij = mean_bt sign(h) s_i s_j = ((1 2; 2 4) − (9 0; 0 0))/2.
	if want := []float64{-4, 1, 1, 2}; !reflect.DeepEqual(g.RecEff, want) {
		t.Errorf("hebbian dW %v, want %v", g.RecEff, want)
	}
	// ∂/∂s = sign(h)(W + Wᵀ)s/2: step 0 (W+Wᵀ = (−2 0; 0 4)) → (−1, 4);
	// step 1 → −(−6, 0)/2 = (3, 0).
	if want := []float64{-1, 4, 3, 0}; !reflect.DeepEqual(g.Rates, want) {
		t.Errorf("hebbian ds %v, want %v", g.Rates, want)
	}
}

func TestCrossEntropyHand(t *testing.T) {
	// Step 0: softmax(0, ln 3) = (1/4, 3/4) against (½, ½). Step 1:
	// softmax(0, −100) puts e^−100 < 1e-12 on the target output, so the
	// clamp gives −log 1e-12 and no gradient.
	f := blank(1, 2, 0, 1, 2)
	copy(f.tr.Outputs, []float64{0, math.Log(3), 0, -100})
	copy(f.b.Target, []float64{0.5, 0.5, 0, 1})
	want := (-0.5*math.Log(0.25) - 0.5*math.Log(0.75) - math.Log(1e-12)) / 2
	v, g := single(t, CrossEntropy{}, f)
	if !near(v, want, 1e-15) {
		t.Errorf("cross_entropy = %v, want %v", v, want)
	}
	if wg := []float64{(0.25 - 0.5) / 2, (0.75 - 0.5) / 2, 0, 0}; !closeTo(g.Outputs, wg, 1e-15) {
		t.Errorf("gradient %v, want %v", g.Outputs, wg)
	}
	// The same on the logits.
	copy(f.tr.Logits, f.tr.Outputs)
	v, g = single(t, CrossEntropy{FromLogits: true}, f)
	if !near(v, want, 1e-15) || norm(g.Outputs) != 0 || norm(g.Logits) == 0 {
		t.Errorf("from logits: %v, dy %v, da %v", v, g.Outputs, g.Logits)
	}
	// Probabilities given directly.
	copy(f.tr.Outputs, []float64{0.25, 0.75, 1, 0})
	v, g = single(t, CrossEntropy{NoSoftmax: true}, f)
	if !near(v, want, 1e-15) {
		t.Errorf("no softmax = %v, want %v", v, want)
	}
	if wg := []float64{-0.5 / 0.25 / 2, -0.5 / 0.75 / 2, 0, 0}; !closeTo(g.Outputs, wg, 1e-15) {
		t.Errorf("no-softmax gradient %v, want %v", g.Outputs, wg)
	}
	// Labels (1, −1): one counted step.
	f.b.Target, f.b.Labels = nil, []int32{1, -1}
	copy(f.tr.Outputs, []float64{0, math.Log(3), 7, 7})
	v, _ = single(t, CrossEntropy{}, f)
	if !near(v, -math.Log(0.75), 1e-15) {
		t.Errorf("labels = %v, want %v", v, -math.Log(0.75))
	}
}

func TestMSEHand(t *testing.T) {
	f := blank(1, 2, 0, 1, 2)
	copy(f.tr.Outputs, []float64{1, 2, 3, 4})
	copy(f.b.Target, []float64{1, 0, 0, 0})
	f.b.Mask = []float64{1, 1, 0, 0}
	if v, _ := single(t, MSE{}, f); v != (0.0+4+9+16)/4 {
		t.Errorf("mse = %v, want 29/4 (nn4n ignores the mask)", v)
	}
	if v, _ := single(t, MSE{Masked: true}, f); v != 2 {
		t.Errorf("masked mse = %v, want 2", v)
	}
}

func TestCompositeHand(t *testing.T) {
	f := rateFixture()
	copy(f.tr.Outputs, []float64{1, 2})
	c := Composite{Terms: []Weighted{
		{Criterion: MSE{}},
		{Name: "loss_fr_1", Lambda: 2, Criterion: FiringRate{}},
		{Name: "loss_fr_2", Lambda: 0.5, Criterion: FiringRate{Metric: L1}},
		{Lambda: 3, Criterion: FiringRateDist{Metric: MaxAD}},
	}}
	terms, g := run(t, c, f)
	want := []ctrnn.Term{
		{Name: "total", Value: 2.5 + 2*29.0/3 + 0.5*3 + 3*1},
		{Name: "mse", Value: 2.5},
		{Name: "loss_fr_1", Value: 2 * 29.0 / 3},
		{Name: "loss_fr_2", Value: 0.5 * 3},
		{Name: "fr_dist", Value: 3},
	}
	if !reflect.DeepEqual(names(terms), names(want)) {
		t.Fatalf("terms %v, want %v", names(terms), names(want))
	}
	for i := range want {
		if !near(terms[i].Value, want[i].Value, 1e-14) {
			t.Errorf("%s = %v, want %v", want[i].Name, terms[i].Value, want[i].Value)
		}
	}
	// The gradient is the weighted sum of the parts' gradients.
	sum := make([]float64, len(g.Rates))
	for _, p := range []struct {
		lam float64
		c   ctrnn.Objective
	}{{2, FiringRate{}}, {0.5, FiringRate{Metric: L1}}, {3, FiringRateDist{Metric: MaxAD}}} {
		_, gp := run(t, p.c, f)
		for i := range sum {
			sum[i] += p.lam * gp.Rates[i]
		}
	}
	if relDiff(g.Rates, sum) > 1e-15 {
		t.Errorf("composite dr %v, want %v", g.Rates, sum)
	}

	for _, tc := range []struct {
		c     Composite
		match string
	}{
		{Composite{}, "no terms"},
		{Composite{Terms: []Weighted{{Criterion: MSE{}}, {Criterion: MSE{Masked: true}}}}, "twice"},
		{Composite{Terms: []Weighted{{Name: "total", Criterion: MSE{}}}}, "reserved"},
		{Composite{Terms: []Weighted{{Name: "x"}}}, "no criterion"},
		{Composite{Terms: []Weighted{{Name: "loss_sp", Criterion: StatePrediction{Tau: 5}}}}, "loss_sp: "},
	} {
		if _, err := tc.c.Evaluate(&f.b, &f.tr, &f.w, f.grad()); err == nil || !strings.Contains(err.Error(), tc.match) {
			t.Errorf("%+v: err = %v, want one mentioning %q", tc.c, err, tc.match)
		}
	}
	kinds := map[string]Criterion{
		"fr": FiringRate{}, "fr_dist": FiringRateDist{}, "rnn_conn": Connectivity{},
		"state_pred": StatePrediction{}, "entropy": Entropy{}, "hebbian": Hebbian{},
		"cross_entropy": CrossEntropy{}, "mse": MSE{},
	}
	for k, c := range kinds {
		if c.Kind() != k {
			t.Errorf("%T.Kind() = %q, want %q", c, c.Kind(), k)
		}
	}
}
