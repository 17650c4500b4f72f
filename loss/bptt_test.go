// SPDX-License-Identifier: MIT

package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// bpttModel returns a small noisy E/I model with every mask kind, learnable
// α, trained x0 and biases, and generic parameter values.
func bpttModel(t *testing.T, head ctrnn.Head, act ctrnn.Activation) *ctrnn.Model {
	t.Helper()
	const ni, n, no = 3, 6, 3
	rng := rand.New(rand.NewPCG(1, 2))
	mask := func(k int) []float64 {
		m := make([]float64, k)
		for i := range m {
			if rng.Float64() < 0.8 {
				m[i] = 1
			}
		}
		return m
	}
	sign := []float64{1, 1, 1, 1, -1, -1}
	m, err := ctrnn.New(ctrnn.Config{Inputs: ni, Units: n, Outputs: no, Activation: act, Head: head,
		Init: ctrnn.InitNormal, Alphas: []float64{0.2, 0.3, 0.5, 0.1, 0.4, 1}, LearnAlpha: true,
		PreNoise: 0.05, RecNoise: 0.1, PostNoise: 0.02, X0: 0.3, TrainX0: true,
		TrainBiasIn: true, TrainBiasRec: true, TrainBiasOut: true,
		Rec:  ctrnn.Constraint{Sparsity: mask(n * n), Sign: sign},
		Out:  ctrnn.Constraint{Sparsity: mask(no * n), Sign: sign},
		In:   ctrnn.Constraint{Plasticity: []float64{0.5, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		for i := range p.Value {
			if p.Name == "alpha" {
				p.Value[i] = 0.2 + 0.6*rng.Float64()
			} else {
				p.Value[i] = 0.7 * rng.NormFloat64()
			}
		}
	}
	m.Project()
	return m
}

// checkBPTT compares the model's BPTT gradients of obj with central finite
// differences of its total, through the whole network, noise held fixed.
// The metric per parameter is ‖g − g_fd‖/max(‖g‖, ‖g_fd‖) < 1e-6.
func checkBPTT(t *testing.T, m *ctrnn.Model, b *ctrnn.Batch, obj ctrnn.Objective) {
	t.Helper()
	if _, err := m.Gradient(b, obj); err != nil {
		t.Fatal(err)
	}
	m.FreezeNoise(true)
	defer m.FreezeNoise(false)
	if _, err := m.Gradient(b, obj); err != nil {
		t.Fatal(err)
	}
	grads := map[string][]float64{}
	for _, p := range m.Params() {
		grads[p.Name] = append([]float64(nil), p.Grad...)
	}
	total := func() float64 {
		terms, err := m.Gradient(b, obj)
		if err != nil {
			t.Fatal(err)
		}
		return terms[0].Value
	}
	const h = 1e-6
	for _, p := range m.Params() {
		fd := make([]float64, len(p.Value))
		for i := range p.Value {
			v := p.Value[i]
			p.Value[i] = v + h
			m.Project()
			lp := total()
			p.Value[i] = v - h
			m.Project()
			lm := total()
			p.Value[i] = v
			m.Project()
			fd[i] = (lp - lm) / (2 * h)
		}
		var d, na, nb float64
		for i, g := range grads[p.Name] {
			d += (g - fd[i]) * (g - fd[i])
			na += g * g
			nb += fd[i] * fd[i]
		}
		if den := math.Sqrt(math.Max(na, nb)); den > 0 && math.Sqrt(d)/den > 1e-6 {
			t.Errorf("%s: relative error %.3g\n bptt %v\n fd   %v", p.Name, math.Sqrt(d)/den, grads[p.Name], fd)
		}
	}
}

func bpttBatch(nb, nt, ni, no int, labels bool) *ctrnn.Batch {
	rng := rand.New(rand.NewPCG(8, 9))
	b := &ctrnn.Batch{B: nb, T: nt, Input: make([]float64, nb*nt*ni), Target: make([]float64, nb*nt*no), Mask: make([]float64, nb*nt*no)}
	for i := range b.Input {
		b.Input[i] = rng.Float64()
	}
	for i := range b.Target {
		b.Target[i] = 0.2 + 0.6*rng.Float64()
		if rng.Float64() < 0.7 {
			b.Mask[i] = 1
		}
	}
	if labels {
		b.Target, b.Mask = nil, nil
		b.Labels = make([]int32, nb*nt)
		for i := range b.Labels {
			b.Labels[i] = int32(rng.IntN(no+1)) - 1
		}
	}
	return b
}

// TestObjectivesThroughBPTT checks every objective, with every term on,
// against finite differences through the full network. Ω is excluded here
// (its gradient is pycog's immediate one, not a derivative of the total;
// ctrnn tests it separately).
func TestObjectivesThroughBPTT(t *testing.T) {
	allRates := []Weighted{
		{Criterion: FiringRate{Metric: L1}}, {Name: "fr2", Lambda: 0.5, Criterion: FiringRate{Metric: L2}},
		{Criterion: FiringRateDist{Metric: SD}}, {Name: "cv", Criterion: FiringRateDist{Metric: CV}},
		{Name: "mad", Criterion: FiringRateDist{Metric: MeanAD}}, {Name: "xad", Criterion: FiringRateDist{Metric: MaxAD}},
		{Criterion: Connectivity{Layer: AllLayers, Metric: Fro}}, {Name: "l1", Criterion: Connectivity{Layer: HiddenLayer, Metric: L1}},
		{Criterion: StatePrediction{Tau: 2}}, {Name: "sp_x", Criterion: StatePrediction{On: States}},
		{Criterion: Entropy{}}, {Criterion: Hebbian{}}, {Criterion: MSE{Masked: true}},
	}
	cases := []struct {
		name   string
		head   ctrnn.Head
		act    ctrnn.Activation
		labels bool
		obj    ctrnn.Objective
	}{
		{"songyang", ctrnn.LinearHead, ctrnn.ReLU, false, SongYang{NoOmega: true, Lambda1In: 0.1, Lambda1Rec: 0.2, Lambda1Out: 0.3, Lambda2In: 0.4, Lambda2Rec: 0.5, Lambda2Out: 0.6, Lambda2Rate: 0.7}},
		{"songyang-eff", ctrnn.LinearHead, ctrnn.Tanh, false, SongYang{NoOmega: true, Lambda1Rec: 0.2, Lambda2Out: 0.6, Lambda2Rate: 0.7, Weights: EffectiveWeights}},
		{"songyang-bce", ctrnn.SigmoidHead, ctrnn.Softplus, false, SongYang{NoOmega: true, Head: BinaryCrossEntropy, Lambda2Rate: 0.1}},
		{"songyang-ce", ctrnn.SoftmaxHead, ctrnn.ReLU, false, SongYang{NoOmega: true, Head: SoftmaxCrossEntropy}},
		{"songyang-labels", ctrnn.SoftmaxHead, ctrnn.Tanh, true, SongYang{NoOmega: true, Head: SoftmaxCrossEntropy}},
		{"rnnloss", ctrnn.LinearHead, ctrnn.Softplus, false, RNNLoss{LambdaIn: 0.1, LambdaHid: 0.2, LambdaOut: 0.3, LambdaFR: 0.4, LambdaFRSD: 0.5, LambdaFRCV: 0.6}},
		{"composite", ctrnn.LinearHead, ctrnn.Softplus, false, Composite{Terms: allRates}},
		{"composite-ce", ctrnn.SoftmaxHead, ctrnn.Sigmoid, false, Composite{Terms: []Weighted{{Criterion: CrossEntropy{}}, {Criterion: FiringRate{Metric: L2}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := bpttModel(t, c.head, c.act)
			i, _, o := m.Dims()
			checkBPTT(t, m, bpttBatch(2, 5, i, o, c.labels), c.obj)
		})
	}
}
