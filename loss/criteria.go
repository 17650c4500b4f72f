// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// Criterion is one term of a Composite. Every Criterion in this package is
// also a ctrnn.Objective on its own, reporting a single term named by its
// Kind.
type Criterion interface {
	// Kind returns the criterion's nn4n type key ("fr", "fr_dist",
	// "rnn_conn", "state_pred", "entropy", "hebbian", "cross_entropy",
	// "mse"); Composite uses it as the default term name.
	Kind() string
	// Needs reports the trajectories the criterion reads.
	Needs() ctrnn.Needs
	// Add returns the criterion's unweighted value C and adds scale·∂C/∂(·)
	// into g.
	Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error)
}

// evaluate runs c as a stand-alone objective.
func evaluate(c Criterion, b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	if g == nil {
		return nil, errors.New("loss: nil gradient")
	}
	v, err := c.Add(b, tr, w, g, 1)
	if err != nil {
		return nil, err
	}
	return []ctrnn.Term{{Name: c.Kind(), Value: v}}, nil
}

// Metric selects a norm or statistic of a criterion.
type Metric int

const (
	// DefaultMetric is the criterion's nn4n default: L2 for FiringRate,
	// SD for FiringRateDist, Fro for Connectivity.
	DefaultMetric Metric = iota
	// L1 is a mean (FiringRate) or sum (Connectivity) of absolute values.
	L1
	// L2 is a mean of squares (FiringRate).
	L2
	// Fro is the Frobenius norm √Σ W² (Connectivity), not squared.
	Fro
	// SD is the unbiased standard deviation (FiringRateDist).
	SD
	// CV is the coefficient of variation sd/mean (FiringRateDist).
	CV
	// MeanAD is the mean absolute deviation from the mean (FiringRateDist).
	MeanAD
	// MaxAD is the maximum absolute deviation from the mean
	// (FiringRateDist).
	MaxAD
)

// String returns nn4n's name of the metric.
func (m Metric) String() string {
	switch m {
	case DefaultMetric:
		return "default"
	case L1:
		return "l1"
	case L2:
		return "l2"
	case Fro:
		return "fro"
	case SD:
		return "sd"
	case CV:
		return "cv"
	case MeanAD:
		return "mean_ad"
	case MaxAD:
		return "max_ad"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// FiringRate is nn4n's FiringRateLoss: with m_i = mean_{b,t} r_{b,t,i}, the
// L2 metric (default) is mean_i m_i² and the L1 metric is mean_i |m_i|
// (subgradient sign(m_i), sign(0) = 0).
type FiringRate struct {
	// Metric is L1 or L2; DefaultMetric means L2.
	Metric Metric
	// On selects the trajectory; the zero value is Rates.
	On Signal
}

// Kind returns "fr".
func (FiringRate) Kind() string { return "fr" }

// Needs reports the trajectory On selects.
func (c FiringRate) Needs() ctrnn.Needs { return c.On.needs() }

// Evaluate runs the criterion as an objective.
func (c FiringRate) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c FiringRate) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	x, gx, err := activity(b, tr, g, c.On)
	if err != nil {
		return 0, err
	}
	rows, n := tr.B*tr.T, tr.N
	m := unitMeans(x, rows, n, false)
	var v float64
	var dm []float64
	switch c.Metric {
	case DefaultMetric, L2:
		v, dm = meanSquare(m, scale)
	case L1:
		dm = make([]float64, n)
		for i, mi := range m {
			v += math.Abs(mi)
			dm[i] = scale * sign(mi) / float64(n)
		}
		v /= float64(n)
	default:
		return 0, fmt.Errorf("loss: fr: metric %v is not l1 or l2", c.Metric)
	}
	spreadUnitGrad(gx, x, dm, rows, n, false)
	return v, nil
}

// FiringRateDist is nn4n's FiringRateDistLoss, a statistic of the unit
// mean rates m_i = mean_{b,t} r_{b,t,i} over the N units:
//
//	SD (default): sd(m), unbiased (n−1), torch.std's default
//	CV:           sd(m)/mean(m) (mean not in absolute value, as in nn4n)
//	MeanAD:       mean_i |m_i − m̄|
//	MaxAD:        max_i |m_i − m̄|
//
// Subgradients: sd at 0 has gradient 0; sign(0) = 0 in MeanAD and MaxAD;
// MaxAD splits its gradient equally between tied maximisers. SD and CV need
// N ≥ 2 and CV a non-zero mean; otherwise Add returns an error.
type FiringRateDist struct {
	// Metric is SD, CV, MeanAD or MaxAD; DefaultMetric means SD.
	Metric Metric
	// On selects the trajectory; the zero value is Rates.
	On Signal
}

// Kind returns "fr_dist".
func (FiringRateDist) Kind() string { return "fr_dist" }

// Needs reports the trajectory On selects.
func (c FiringRateDist) Needs() ctrnn.Needs { return c.On.needs() }

// Evaluate runs the criterion as an objective.
func (c FiringRateDist) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c FiringRateDist) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	x, gx, err := activity(b, tr, g, c.On)
	if err != nil {
		return 0, err
	}
	rows, n := tr.B*tr.T, tr.N
	m := unitMeans(x, rows, n, false)
	dm := make([]float64, n)
	var v float64
	switch c.Metric {
	case DefaultMetric, SD:
		if n < 2 {
			return 0, fmt.Errorf("loss: fr_dist sd needs at least 2 units, have %d", n)
		}
		mean, sd := meanStd(m)
		addStdGrad(dm, m, mean, sd, scale)
		v = sd
	case CV:
		if n < 2 {
			return 0, fmt.Errorf("loss: fr_dist cv needs at least 2 units, have %d", n)
		}
		v, dm, err = coefVar(m, scale)
		if err != nil {
			return 0, err
		}
	case MeanAD:
		mean := meanOf(m)
		// d/dm_j of mean_i|m_i − m̄| = (s_j − mean_i s_i)/n, s = sign(m − m̄).
		var ss float64
		for _, mi := range m {
			v += math.Abs(mi - mean)
			ss += sign(mi - mean)
		}
		v /= float64(n)
		fn := float64(n)
		for j, mj := range m {
			dm[j] = scale * (sign(mj-mean) - ss/fn) / fn
		}
	case MaxAD:
		mean := meanOf(m)
		for _, mi := range m {
			v = math.Max(v, math.Abs(mi-mean))
		}
		// Gradient of |m_j − m̄| for each maximiser j, shared equally.
		var tied []int
		for i, mi := range m {
			if math.Abs(mi-mean) == v {
				tied = append(tied, i)
			}
		}
		share := scale / float64(len(tied))
		fn := float64(n)
		for _, j := range tied {
			s := sign(m[j] - mean)
			dm[j] += share * s
			for i := range dm {
				dm[i] -= share * s / fn
			}
		}
	default:
		return 0, fmt.Errorf("loss: fr_dist: metric %v is not sd, cv, mean_ad or max_ad", c.Metric)
	}
	spreadUnitGrad(gx, x, dm, rows, n, false)
	return v, nil
}

func meanOf(m []float64) float64 {
	var s float64
	for _, v := range m {
		s += v
	}
	return s / float64(len(m))
}

// Layer selects the weight matrices of a Connectivity criterion.
type Layer int

const (
	// AllLayers sums the norms of W_in, W_rec and W_out (nn4n's "all").
	AllLayers Layer = iota
	// InputLayer is W_in (nn4n's "input").
	InputLayer
	// HiddenLayer is W_rec (nn4n's "hidden").
	HiddenLayer
	// ReadoutLayer is W_out (nn4n's "readout").
	ReadoutLayer
)

// String returns nn4n's name of the layer.
func (l Layer) String() string {
	switch l {
	case AllLayers:
		return "all"
	case InputLayer:
		return "input"
	case HiddenLayer:
		return "hidden"
	case ReadoutLayer:
		return "readout"
	}
	return fmt.Sprintf("Layer(%d)", int(l))
}

// Connectivity is nn4n's RNNConnectivityLoss: the unnormalised norm of one
// weight matrix, or the sum of the three norms for AllLayers. Fro (default)
// is √Σ W², not squared, with gradient W/‖W‖_F (0 at W = 0); L1 is Σ|W|
// with subgradient sign(W), sign(0) = 0. It reads the effective weights by
// default, the tensors nn4n penalises. An empty W_in (no inputs)
// contributes 0.
type Connectivity struct {
	// Layer selects the matrices; the zero value is AllLayers.
	Layer Layer
	// Metric is L1 or Fro; DefaultMetric means Fro.
	Metric Metric
	// Weights selects the weight set; DefaultWeights means
	// EffectiveWeights.
	Weights WeightSet
}

// Kind returns "rnn_conn".
func (Connectivity) Kind() string { return "rnn_conn" }

// Needs reports that Connectivity reads no trajectory.
func (Connectivity) Needs() ctrnn.Needs { return ctrnn.Needs{} }

// Evaluate runs the criterion as an objective.
func (c Connectivity) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c Connectivity) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	set, err := c.Weights.resolve(EffectiveWeights)
	if err != nil {
		return 0, err
	}
	var pick []int
	switch c.Layer {
	case AllLayers:
		pick = []int{0, 1, 2}
	case InputLayer:
		pick = []int{0}
	case HiddenLayer:
		pick = []int{1}
	case ReadoutLayer:
		pick = []int{2}
	default:
		return 0, fmt.Errorf("loss: rnn_conn: unknown layer %d", int(c.Layer))
	}
	switch c.Metric {
	case DefaultMetric, Fro, L1:
	default:
		return 0, fmt.Errorf("loss: rnn_conn: metric %v is not l1 or fro", c.Metric)
	}
	ms, err := weights(w, g, set)
	if err != nil {
		return 0, err
	}
	var v float64
	for _, i := range pick {
		m := ms[i]
		if c.Metric == L1 {
			for k, wk := range m.w {
				v += math.Abs(wk)
				m.g[k] += scale * sign(wk)
			}
			continue
		}
		var ss float64
		for _, wk := range m.w {
			ss += wk * wk
		}
		nrm := math.Sqrt(ss)
		v += nrm
		if nrm == 0 {
			continue
		}
		for k, wk := range m.w {
			m.g[k] += scale * wk / nrm
		}
	}
	return v, nil
}

// StatePrediction is nn4n's StatePredictionLoss with its axis fixed: the
// mean squared difference between the activity and itself Tau steps later,
//
//	mean_{b, t < T−τ, i} (s_{b,t,i} − s_{b,t+τ,i})²,
//
// differentiated through both copies, as nn4n does. nn4n slices the first
// (batch) axis of its batch-first tensor; this slices time. T must exceed
// Tau.
type StatePrediction struct {
	// Tau is the prediction horizon in steps; zero means 1, nn4n's default.
	Tau int
	// On selects the trajectory; the zero value is Rates (nn4n passes its
	// hidden states, which are rates).
	On Signal
}

// Kind returns "state_pred".
func (StatePrediction) Kind() string { return "state_pred" }

// Needs reports the trajectory On selects.
func (c StatePrediction) Needs() ctrnn.Needs { return c.On.needs() }

// Evaluate runs the criterion as an objective.
func (c StatePrediction) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c StatePrediction) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	tau := c.Tau
	if tau == 0 {
		tau = 1
	}
	if tau < 0 {
		return 0, fmt.Errorf("loss: state_pred: negative horizon %d", tau)
	}
	x, gx, err := activity(b, tr, g, c.On)
	if err != nil {
		return 0, err
	}
	if tr.T <= tau {
		return 0, fmt.Errorf("loss: state_pred: %d steps is not longer than the horizon %d", tr.T, tau)
	}
	n, T := tr.N, tr.T
	cnt := float64(tr.B * (T - tau) * n)
	var v float64
	for bi := 0; bi < tr.B; bi++ {
		for t := 0; t+tau < T; t++ {
			now := (bi*T + t) * n
			later := (bi*T + t + tau) * n
			for i := 0; i < n; i++ {
				d := x[now+i] - x[later+i]
				v += d * d
				gd := 2 * scale * d / cnt
				gx[now+i] += gd
				gx[later+i] -= gd
			}
		}
	}
	return v / cnt, nil
}

// EntropyEpsilon is the constant nn4n's EntropyLoss adds to the normaliser
// and inside the logarithm.
const EntropyEpsilon = 1e-8

// DefaultEntropyReg is nn4n's default weight of EntropyLoss's squared-norm
// term.
const DefaultEntropyReg = 10

// Entropy is nn4n's EntropyLoss. At every step (b, t) the activity is
// normalised across units, p_i = s_i/(Σ_j s_j + ε), and
//
//	L = mean_{b,t}[−Σ_i p_i log(p_i + ε)] + Reg·mean_{b,t} ‖s_{b,t}‖²
//
// with ε = EntropyEpsilon. The activity must be non-negative (rates of a
// non-negative activation); a negative entry is an error, where nn4n
// would return NaN.
type Entropy struct {
	// Reg weighs the squared-norm term; zero means DefaultEntropyReg, as
	// in nn4n.
	Reg float64
	// NoReg drops the squared-norm term.
	NoReg bool
	// On selects the trajectory; the zero value is Rates.
	On Signal
}

// Kind returns "entropy".
func (Entropy) Kind() string { return "entropy" }

// Needs reports the trajectory On selects.
func (c Entropy) Needs() ctrnn.Needs { return c.On.needs() }

func (c Entropy) reg() float64 {
	switch {
	case c.NoReg:
		return 0
	case c.Reg == 0:
		return DefaultEntropyReg
	}
	return c.Reg
}

// Evaluate runs the criterion as an objective.
func (c Entropy) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c Entropy) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	x, gx, err := activity(b, tr, g, c.On)
	if err != nil {
		return 0, err
	}
	for i, v := range x {
		if !(v >= 0) {
			return 0, fmt.Errorf("loss: entropy needs non-negative activity; entry %d is %v", i, v)
		}
	}
	const eps = EntropyEpsilon
	reg := c.reg()
	rows, n := tr.B*tr.T, tr.N
	inv := 1 / float64(rows)
	q := make([]float64, n)
	var h, sq float64
	for r := 0; r < rows; r++ {
		s := x[r*n : (r+1)*n]
		gs := gx[r*n : (r+1)*n]
		var sum float64
		for _, v := range s {
			sum += v
		}
		z := sum + eps
		// H = −Σ p log(p+ε); q_i = ∂H/∂p_i; ∂p_i/∂s_j = δ_ij/z − p_i/z.
		var qp float64
		for i, v := range s {
			p := v / z
			h -= p * math.Log(p+eps)
			q[i] = -math.Log(p+eps) - p/(p+eps)
			qp += q[i] * p
		}
		for j, v := range s {
			sq += v * v
			gs[j] += scale * inv * ((q[j]-qp)/z + 2*reg*v)
		}
	}
	return h*inv + reg*sq*inv, nil
}

// Hebbian is nn4n's HebbianLoss on the recurrent weights:
//
//	L = mean_{b,t} |Σ_{i,j} W_ij s_{b,t,i} s_{b,t,j}| = mean_{b,t} |s_bt·W·s_bt|
//
// with W = W_rec (post, pre), effective by default. The subgradient of |h|
// at h = 0 is taken as 0.
type Hebbian struct {
	// Weights selects W_rec's set; DefaultWeights means EffectiveWeights.
	Weights WeightSet
	// On selects the trajectory; the zero value is Rates.
	On Signal
}

// Kind returns "hebbian".
func (Hebbian) Kind() string { return "hebbian" }

// Needs reports the trajectory On selects.
func (c Hebbian) Needs() ctrnn.Needs { return c.On.needs() }

// Evaluate runs the criterion as an objective.
func (c Hebbian) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c Hebbian) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	set, err := c.Weights.resolve(EffectiveWeights)
	if err != nil {
		return 0, err
	}
	x, gx, err := activity(b, tr, g, c.On)
	if err != nil {
		return 0, err
	}
	ms, err := weights(w, g, set)
	if err != nil {
		return 0, err
	}
	rec := ms[1]
	n := tr.N
	if rec.rows != n {
		return 0, fmt.Errorf("loss: hebbian: W_rec is %d×%d but the trajectory has %d units", rec.rows, rec.cols, n)
	}
	rows := tr.B * tr.T
	inv := 1 / float64(rows)
	ws := make([]float64, n)  // W s
	wts := make([]float64, n) // Wᵀ s
	var v float64
	for r := 0; r < rows; r++ {
		s := x[r*n : (r+1)*n]
		for i := range ws {
			ws[i], wts[i] = 0, 0
		}
		for i := 0; i < n; i++ {
			row := rec.w[i*n : (i+1)*n]
			var acc float64
			for j, wij := range row {
				acc += wij * s[j]
				wts[j] += wij * s[i]
			}
			ws[i] = acc
		}
		var hb float64
		for i, si := range s {
			hb += si * ws[i]
		}
		v += math.Abs(hb)
		c := scale * inv * sign(hb)
		if c == 0 {
			continue
		}
		gs := gx[r*n : (r+1)*n]
		for i, si := range s {
			gs[i] += c * (ws[i] + wts[i])
			grow := rec.g[i*n : (i+1)*n]
			for j, sj := range s {
				grow[j] += c * si * sj
			}
		}
	}
	return v * inv, nil
}

// CrossEntropyClamp is the floor nn4n's CrossEntropyLoss clamps
// probabilities to before the logarithm.
const CrossEntropyClamp = 1e-12

// CrossEntropy is nn4n's CrossEntropyLoss with soft targets:
//
//	L = mean_{b,t}[−Σ_k ŷ_k log max(p_k, 1e-12)],  p = softmax(y)
//
// where y are the outputs and ŷ the batch's targets (each step a
// distribution over the O outputs). As in nn4n the softmax is applied to
// the outputs (a linear readout) and the gradient goes into
// ObjectiveGrad.Outputs. With FromLogits the softmax is applied to the
// logits and the gradient goes into ObjectiveGrad.Logits, which suits an
// engine whose own output head is a softmax. With NoSoftmax the outputs are
// taken as probabilities already, p = y. The clamp passes no gradient to a
// clamped p_k (torch.clamp's rule).
//
// If the batch has integer Labels and no targets, ŷ is one-hot, steps with
// a negative label are ignored, and the mean is over counted steps,
// weighted by the error mask at the label's output if a mask is given.
type CrossEntropy struct {
	// NoSoftmax takes the outputs as probabilities (nn4n's
	// apply_softmax=False).
	NoSoftmax bool
	// FromLogits applies the softmax to the logits instead of the
	// outputs. It cannot be combined with NoSoftmax.
	FromLogits bool
}

// Kind returns "cross_entropy".
func (CrossEntropy) Kind() string { return "cross_entropy" }

// Needs reports that CrossEntropy reads no rates or states.
func (CrossEntropy) Needs() ctrnn.Needs { return ctrnn.Needs{} }

// Evaluate runs the criterion as an objective.
func (c CrossEntropy) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c CrossEntropy) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	if c.NoSoftmax && c.FromLogits {
		return 0, errors.New("loss: cross_entropy: NoSoftmax and FromLogits are exclusive")
	}
	var a, ga []float64
	var err error
	if c.FromLogits {
		a, ga, err = logits(b, tr, g)
	} else {
		a, ga, err = outputs(b, tr, g)
	}
	if err != nil {
		return 0, err
	}
	o, steps := tr.O, tr.B*tr.T

	// Step weights and the target distribution of each step.
	var wst []float64
	var z float64
	var soft []float64
	var labels []int32
	if b.Target == nil && b.Labels != nil {
		labels, err = checkLabels(b, tr)
		if err != nil {
			return 0, err
		}
		wst, z, err = labelWeights(b, tr, labels)
		if err != nil {
			return 0, err
		}
	} else {
		soft, err = target(b, tr)
		if err != nil {
			return 0, err
		}
		z = float64(steps)
	}
	logFloor := math.Log(CrossEntropyClamp)
	tk := make([]float64, o)
	var v float64
	for s := 0; s < steps; s++ {
		ws := 1.0
		if labels != nil {
			ws = wst[s]
			if ws == 0 {
				continue
			}
			for k := range tk {
				tk[k] = 0
			}
			tk[labels[s]] = 1
		} else {
			copy(tk, soft[s*o:(s+1)*o])
		}
		row := a[s*o : (s+1)*o]
		grow := ga[s*o : (s+1)*o]
		c0 := scale * ws / z
		if c.NoSoftmax {
			for k, p := range row {
				if tk[k] == 0 {
					continue
				}
				if p >= CrossEntropyClamp {
					v -= ws * tk[k] * math.Log(p)
					grow[k] -= c0 * tk[k] / p
				} else {
					v -= ws * tk[k] * logFloor
				}
			}
			continue
		}
		lse := logSumExp(row)
		// ∂/∂a_j of −Σ_k t_k log p_k over unclamped k:
		// p_j·Σ_k t_k[active] − t_j[active_j].
		var act float64
		for k, ak := range row {
			lp := ak - lse
			if lp >= logFloor {
				v -= ws * tk[k] * lp
				act += tk[k]
				grow[k] -= c0 * tk[k]
			} else {
				v -= ws * tk[k] * logFloor
			}
		}
		if act != 0 {
			for k, ak := range row {
				grow[k] += c0 * act * math.Exp(ak-lse)
			}
		}
	}
	return v / z, nil
}

// MSE is PyTorch's MSELoss as nn4n's CompositeLoss uses it:
// mean_{b,t,k}(y − ŷ)² over every entry. With Masked it is the masked mean
// Σ M(y−ŷ)²/Σ M of SongYang's squared head (nn4n has no mask).
type MSE struct {
	// Masked applies the batch's error mask.
	Masked bool
}

// Kind returns "mse".
func (MSE) Kind() string { return "mse" }

// Needs reports that MSE reads no rates or states.
func (MSE) Needs() ctrnn.Needs { return ctrnn.Needs{} }

// Evaluate runs the criterion as an objective.
func (c MSE) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	return evaluate(c, b, tr, w, g)
}

// Add returns the criterion's value and adds scale times its gradient.
func (c MSE) Add(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, scale float64) (float64, error) {
	y, gy, err := outputs(b, tr, g)
	if err != nil {
		return 0, err
	}
	yh, err := target(b, tr)
	if err != nil {
		return 0, err
	}
	z := float64(len(y))
	if c.Masked {
		z, err = maskNorm(b, len(y))
		if err != nil {
			return 0, err
		}
	}
	var v float64
	for i := range y {
		m := 1.0
		if c.Masked {
			m = maskAt(b, i)
			if m == 0 {
				continue
			}
		}
		d := y[i] - yh[i]
		v += m * d * d
		gy[i] += 2 * scale * m * d / z
	}
	return v / z, nil
}
