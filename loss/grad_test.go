// SPDX-License-Identifier: MIT

package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// fixture is a small random batch, trajectory and weight set. Outputs lie
// in (0.05, 0.95) so that the binary cross-entropy is smooth; rates are
// positive; every other array is Gaussian.
type fixture struct {
	b  ctrnn.Batch
	tr ctrnn.Trajectory
	w  ctrnn.Weights
}

func uniform(rng *rand.Rand, n int, lo, hi float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*rng.Float64()
	}
	return x
}

func gauss(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func newFixture(seed uint64, B, T, I, N, O int) *fixture {
	rng := rand.New(rand.NewPCG(seed, 7))
	f := &fixture{}
	f.b = ctrnn.Batch{B: B, T: T}
	f.tr = ctrnn.Trajectory{B: B, T: T, I: I, N: N, O: O}
	f.w = ctrnn.Weights{I: I, N: N, O: O}
	n := B * T * O
	f.b.Target = uniform(rng, n, 0, 1)
	f.b.Mask = make([]float64, n)
	for i := range f.b.Mask {
		if rng.Float64() < 0.7 {
			f.b.Mask[i] = 1
		}
	}
	f.b.Mask[0] = 1
	f.tr.Outputs = uniform(rng, n, 0.05, 0.95)
	f.tr.Logits = gauss(rng, n)
	f.tr.Rates = uniform(rng, B*T*N, 0.05, 1.5)
	f.tr.States = gauss(rng, B*T*N)
	f.w.InRaw, f.w.RecRaw, f.w.OutRaw = gauss(rng, N*I), gauss(rng, N*N), gauss(rng, O*N)
	f.w.InEff, f.w.RecEff, f.w.OutEff = gauss(rng, N*I), gauss(rng, N*N), gauss(rng, O*N)
	return f
}

// softTargets replaces the targets by a distribution over the outputs at
// every step.
func (f *fixture) softTargets() {
	O := f.tr.O
	for s := 0; s < f.tr.B*f.tr.T; s++ {
		row := f.b.Target[s*O : (s+1)*O]
		var sum float64
		for _, v := range row {
			sum += v
		}
		for k := range row {
			row[k] /= sum
		}
	}
}

func (f *fixture) grad() *ctrnn.ObjectiveGrad {
	tr, w := &f.tr, &f.w
	n := tr.B * tr.T * tr.O
	h := tr.B * tr.T * tr.N
	return &ctrnn.ObjectiveGrad{
		Outputs: make([]float64, n), Logits: make([]float64, n),
		Rates: make([]float64, h), States: make([]float64, h),
		InEff: make([]float64, w.N*w.I), RecEff: make([]float64, w.N*w.N), OutEff: make([]float64, w.O*w.N),
		InRaw: make([]float64, w.N*w.I), RecRaw: make([]float64, w.N*w.N), OutRaw: make([]float64, w.O*w.N),
	}
}

// input pairs a differentiable array with its gradient buffer.
type input struct {
	name string
	x, g []float64
}

func (f *fixture) inputs(g *ctrnn.ObjectiveGrad) []input {
	return []input{
		{"outputs", f.tr.Outputs, g.Outputs},
		{"logits", f.tr.Logits, g.Logits},
		{"rates", f.tr.Rates, g.Rates},
		{"states", f.tr.States, g.States},
		{"in_raw", f.w.InRaw, g.InRaw},
		{"rec_raw", f.w.RecRaw, g.RecRaw},
		{"out_raw", f.w.OutRaw, g.OutRaw},
		{"in_eff", f.w.InEff, g.InEff},
		{"rec_eff", f.w.RecEff, g.RecEff},
		{"out_eff", f.w.OutEff, g.OutEff},
	}
}

// reporter is the part of testing.T the gradient checker uses, so that a
// test can run the checker against a recorder.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// recorder is a reporter that remembers whether anything failed.
type recorder struct{ failed bool }

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func (f *fixture) value(t reporter, obj ctrnn.Objective) float64 {
	t.Helper()
	terms, err := suited(obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, f.grad())
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
		return math.NaN()
	}
	return terms[0].Value
}

func norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// relDiff is ‖g−h‖/max(‖g‖, ‖h‖), 0 when both vanish.
func relDiff(g, h []float64) float64 {
	d := make([]float64, len(g))
	for i := range g {
		d[i] = g[i] - h[i]
	}
	den := math.Max(norm(g), norm(h))
	if den == 0 {
		return 0
	}
	return norm(d) / den
}

// checkGrad compares the analytic gradient of obj's total with central
// finite differences for every input, and requires the inputs named in
// want (and only those) to have a non-zero gradient.
func checkGrad(t reporter, obj ctrnn.Objective, f *fixture, want ...string) {
	t.Helper()
	checkGradStep(t, obj, f, 1e-5, 1, want...)
}

// checkGradStep is checkGrad with steps h = rel·max(floor, |x|). It uses
// the fourth-order central stencil
//
//	f'(x) ≈ (8(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))) / 12h,
//
// whose small truncation error allows the larger relative steps that inputs
// far below 1 need to keep rounding error down.
func checkGradStep(t reporter, obj ctrnn.Objective, f *fixture, rel, floor float64, want ...string) {
	t.Helper()
	g := f.grad()
	if _, err := suited(obj, &f.tr).Evaluate(&f.b, &f.tr, &f.w, g); err != nil {
		t.Fatalf("Evaluate: %v", err)
		return
	}
	wanted := make(map[string]bool)
	for _, w := range want {
		wanted[w] = true
	}
	for _, in := range f.inputs(g) {
		fd := make([]float64, len(in.x))
		for i, v := range in.x {
			h := rel * math.Max(floor, math.Abs(v))
			at := func(x float64) float64 {
				in.x[i] = x
				return f.value(t, obj)
			}
			// Differences first, so that an input the value does not
			// depend on gets exactly 0.
			d1 := at(v+h) - at(v-h)
			d2 := at(v+2*h) - at(v-2*h)
			fd[i] = (8*d1 - d2) / (12 * h)
			in.x[i] = v
		}
		if e := relDiff(in.g, fd); e > 1e-6 {
			t.Errorf("%s: relative gradient error %.3g > 1e-6\n analytic %v\n numeric  %v", in.name, e, in.g, fd)
		}
		nonzero := norm(in.g) != 0
		if nonzero != wanted[in.name] {
			t.Errorf("%s: non-zero gradient is %t, want %t", in.name, nonzero, wanted[in.name])
		}
	}
}

func TestGradSongYang(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  SongYang
		soft bool
		want []string
	}{
		{"squared", SongYang{}, false, []string{"outputs"}},
		{"bce", SongYang{Head: BinaryCrossEntropy}, false, []string{"outputs"}},
		{"softmax", SongYang{Head: SoftmaxCrossEntropy}, true, []string{"logits"}},
		{"softmax-unnormalised-targets", SongYang{Head: SoftmaxCrossEntropy}, false, []string{"logits"}},
		{"penalties-raw", SongYang{
			Lambda1In: 0.3, Lambda1Rec: 0.2, Lambda1Out: 0.1,
			Lambda2In: 0.5, Lambda2Rec: 0.7, Lambda2Out: 0.9, Lambda2Rate: 0.4,
		}, false, []string{"outputs", "rates", "in_raw", "rec_raw", "out_raw"}},
		{"penalties-eff", SongYang{
			Weights: EffectiveWeights, Lambda1Rec: 0.2, Lambda2In: 0.5, Lambda2Out: 0.9,
		}, false, []string{"outputs", "in_eff", "rec_eff", "out_eff"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(1, 2, 4, 3, 5, 3)
			if tc.soft {
				f.softTargets()
			}
			checkGrad(t, tc.obj, f, tc.want...)
		})
	}
}

func TestGradLabels(t *testing.T) {
	f := newFixture(2, 2, 4, 2, 3, 3)
	f.b.Target = nil
	f.b.Labels = []int32{0, 1, 2, -1, 2, 2, -1, 0}
	t.Run("songyang", func(t *testing.T) { checkGrad(t, SongYang{Head: SoftmaxCrossEntropy}, f, "logits") })
	t.Run("songyang-nomask", func(t *testing.T) {
		g := *f
		g.b.Mask = nil
		checkGrad(t, SongYang{Head: SoftmaxCrossEntropy}, &g, "logits")
	})
	t.Run("cross_entropy", func(t *testing.T) { checkGrad(t, CrossEntropy{}, f, "outputs") })
	t.Run("cross_entropy-logits", func(t *testing.T) { checkGrad(t, CrossEntropy{FromLogits: true}, f, "logits") })
	t.Run("cross_entropy-probs", func(t *testing.T) { checkGrad(t, CrossEntropy{NoSoftmax: true}, f, "outputs") })
}

func TestGradRNNLoss(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  RNNLoss
		want []string
	}{
		{"mse", RNNLoss{}, []string{"outputs"}},
		{"mse-masked-scaled", RNNLoss{LambdaMSE: 2.5, Masked: true}, []string{"outputs"}},
		{"weights-eff", RNNLoss{LambdaIn: 0.3, LambdaHid: 0.5, LambdaOut: 0.7}, []string{"outputs", "in_eff", "rec_eff", "out_eff"}},
		{"weights-raw", RNNLoss{NoMSE: true, Weights: RawWeights, LambdaIn: 0.3, LambdaHid: 0.5, LambdaOut: 0.7}, []string{"in_raw", "rec_raw", "out_raw"}},
		{"fr", RNNLoss{NoMSE: true, LambdaFR: 0.8}, []string{"rates"}},
		{"fr_sd", RNNLoss{NoMSE: true, LambdaFRSD: 0.8}, []string{"rates"}},
		{"fr_cv", RNNLoss{NoMSE: true, LambdaFRCV: 0.8}, []string{"rates"}},
		{"fr_cv-states", RNNLoss{NoMSE: true, LambdaFRCV: 0.8, On: States}, []string{"states"}},
		{"all", RNNLoss{LambdaIn: 0.3, LambdaHid: 0.5, LambdaOut: 0.7, LambdaFR: 0.2, LambdaFRSD: 0.4, LambdaFRCV: 0.6, On: States},
			[]string{"outputs", "states", "in_eff", "rec_eff", "out_eff"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(3, 2, 4, 3, 5, 2)
			checkGrad(t, tc.obj, f, tc.want...)
		})
	}
}

func TestGradCriteria(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  ctrnn.Objective
		soft bool
		want []string
	}{
		{"fr-l2", FiringRate{}, false, []string{"rates"}},
		{"fr-l1", FiringRate{Metric: L1, On: States}, false, []string{"states"}},
		{"fr_dist-sd", FiringRateDist{}, false, []string{"rates"}},
		{"fr_dist-cv", FiringRateDist{Metric: CV}, false, []string{"rates"}},
		{"fr_dist-mean_ad", FiringRateDist{Metric: MeanAD}, false, []string{"rates"}},
		{"fr_dist-max_ad", FiringRateDist{Metric: MaxAD}, false, []string{"rates"}},
		{"fr_dist-max_ad-states", FiringRateDist{Metric: MaxAD, On: States}, false, []string{"states"}},
		{"rnn_conn-all-fro", Connectivity{}, false, []string{"in_eff", "rec_eff", "out_eff"}},
		{"rnn_conn-all-l1-raw", Connectivity{Metric: L1, Weights: RawWeights}, false, []string{"in_raw", "rec_raw", "out_raw"}},
		{"rnn_conn-input", Connectivity{Layer: InputLayer}, false, []string{"in_eff"}},
		{"rnn_conn-hidden-l1", Connectivity{Layer: HiddenLayer, Metric: L1}, false, []string{"rec_eff"}},
		{"rnn_conn-readout", Connectivity{Layer: ReadoutLayer}, false, []string{"out_eff"}},
		{"state_pred", StatePrediction{}, false, []string{"rates"}},
		{"state_pred-tau2-states", StatePrediction{Tau: 2, On: States}, false, []string{"states"}},
		{"entropy", Entropy{}, false, []string{"rates"}},
		{"entropy-noreg", Entropy{NoReg: true}, false, []string{"rates"}},
		{"hebbian", Hebbian{}, false, []string{"rates", "rec_eff"}},
		{"hebbian-raw-states", Hebbian{Weights: RawWeights, On: States}, false, []string{"states", "rec_raw"}},
		{"cross_entropy", CrossEntropy{}, true, []string{"outputs"}},
		{"cross_entropy-logits", CrossEntropy{FromLogits: true}, true, []string{"logits"}},
		{"cross_entropy-probs", CrossEntropy{NoSoftmax: true}, true, []string{"outputs"}},
		{"mse", MSE{}, false, []string{"outputs"}},
		{"mse-masked", MSE{Masked: true}, false, []string{"outputs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(4, 2, 4, 3, 5, 3)
			if tc.soft {
				f.softTargets()
			}
			checkGrad(t, tc.obj, f, tc.want...)
		})
	}
}

// TestGradEntropySmall uses rates of order ε = 1e-8, where the ε in
// nn4n's normaliser and logarithm changes the gradient.
func TestGradEntropySmall(t *testing.T) {
	f := newFixture(7, 2, 3, 2, 4, 2)
	for i := range f.tr.Rates {
		f.tr.Rates[i] *= 2e-8
	}
	checkGradStep(t, Entropy{}, f, 1e-3, 1e-8, "rates")

	// Units far quieter than the rest, p_i of order ε. The squared-norm
	// term is left out: its size would swamp the finite differences of the
	// quiet units in rounding error.
	f = newFixture(8, 2, 3, 2, 4, 2)
	for i := 0; i < len(f.tr.Rates); i += 3 {
		f.tr.Rates[i] *= 1e-8
	}
	checkGradStep(t, Entropy{NoReg: true}, f, 1e-2, 1e-8, "rates")
}

func TestGradComposite(t *testing.T) {
	c := Composite{Terms: []Weighted{
		{Criterion: MSE{}},
		{Name: "loss_fr_1", Lambda: 0.5, Criterion: FiringRate{}},
		{Name: "loss_fr_2", Lambda: 0.25, Criterion: FiringRate{Metric: L1, On: States}},
		{Lambda: 0.3, Criterion: FiringRateDist{Metric: CV}},
		{Lambda: 0.2, Criterion: Connectivity{Weights: RawWeights}},
		{Lambda: 0.7, Criterion: StatePrediction{Tau: 2}},
		{Lambda: 0.01, Criterion: Entropy{}},
		{Lambda: 0.1, Criterion: Hebbian{}},
		{Lambda: 1.5, Criterion: CrossEntropy{FromLogits: true}},
	}}
	f := newFixture(5, 2, 4, 3, 4, 2)
	f.softTargets()
	checkGrad(t, c, f, "outputs", "logits", "rates", "states", "in_raw", "rec_raw", "out_raw", "rec_eff")
	if n := c.Needs(); !n.Rates || !n.States {
		t.Errorf("Needs = %+v, want rates and states", n)
	}
}

// TestGradCheckCanFail makes sure the checker rejects a wrong gradient.
func TestGradCheckCanFail(t *testing.T) {
	f := newFixture(6, 2, 3, 2, 3, 2)
	r := &recorder{}
	checkGrad(r, halfGrad{}, f, "outputs")
	if !r.failed {
		t.Error("checkGrad accepted a gradient a quarter of the true one")
	}
	r = &recorder{}
	checkGrad(r, MSE{}, f, "outputs", "rates")
	if !r.failed {
		t.Error("checkGrad accepted a missing rate gradient")
	}
}

// halfGrad is MSE with its gradient deliberately halved.
type halfGrad struct{}

func (halfGrad) Needs() ctrnn.Needs { return ctrnn.Needs{} }
func (halfGrad) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	v, err := MSE{}.Add(b, tr, w, g, 0.5)
	return []ctrnn.Term{{Name: "mse", Value: 2 * v}}, err
}
