// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// DefaultLambdaOmega is pycog's multiplier of the Ω regulariser (Song, Yang
// & Wang 2016, Table 1).
const DefaultLambdaOmega = 2

// BCEEpsilon is the constant pycog adds inside the logarithms of its binary
// cross-entropy, −ŷ log(y+ε) − (1−ŷ) log(1−y+ε).
const BCEEpsilon = 1e-10

// Head selects the per-entry loss of SongYang, which pycog ties to the
// output activation.
type Head int

const (
	// Squared is (y − ŷ)², used with linear or rectified outputs. Its
	// gradient goes into ObjectiveGrad.Outputs.
	Squared Head = iota
	// BinaryCrossEntropy is pycog's −ŷ log(y+ε) − (1−ŷ) log(1−y+ε) with
	// ε = BCEEpsilon, for sigmoid outputs. Its gradient goes into
	// ObjectiveGrad.Outputs. A counted output outside [−ε, 1+ε], where a
	// logarithm is undefined, is an error.
	BinaryCrossEntropy
	// SoftmaxCrossEntropy is −ŷ_k log softmax(a)_k per entry, for softmax
	// outputs. It reads the logits a and puts its gradient into
	// ObjectiveGrad.Logits, computing log softmax exactly and stably
	// (pycog writes log(y_k + 1e-10) on the probabilities instead; the two
	// differ only where y_k is below about 1e-8).
	SoftmaxCrossEntropy
)

// String returns the name of the head.
func (h Head) String() string {
	switch h {
	case Squared:
		return "squared"
	case BinaryCrossEntropy:
		return "bce"
	case SoftmaxCrossEntropy:
		return "softmax-ce"
	}
	return fmt.Sprintf("Head(%d)", int(h))
}

// SongYang is the objective of Song, Yang & Wang (2016) as pycog implements
// it (pycog/trainer.py):
//
//	L = Σ_{b,t,k} M·ℓ(y, ŷ) / Σ M
//	  + λ1_in·mean|W_in| + λ1_rec·mean|W_rec| + λ1_out·mean|W_out|
//	  + λ2_in·mean W_in² + λ2_rec·mean W_rec² + λ2_out·mean W_out²
//	  + λ2_r·mean r²
//
// with M the error mask of the batch (nil means every entry counts; padding
// and catch-trial conventions are expressed through M), ŷ the targets and
// ℓ chosen by Head. Each mean is over every entry of its matrix or over the
// whole B×T×N rate array; W_in is skipped when the model has no input. The
// weight penalties read the raw parameters by default, as pycog does; set
// Weights to EffectiveWeights to penalise the weights the dynamics use.
//
// The Ω regulariser is not computed here: the engine computes it during
// BPTT, with the multiplier LambdaOmega returns, and reports it as its own
// term.
//
// With Head = SoftmaxCrossEntropy the batch may give integer Labels (B×T,
// negative = ignore) instead of targets (targets win when both are
// given); the task loss is then
//
//	Σ_{b,t} w_bt·(−log softmax(a_bt)_{l_bt}) / Σ w,  w_bt = 1[l_bt ≥ 0]·M_{b,t,l_bt}
//
// (M = 1 with no mask), the mean over counted steps that PyTorch's and
// neurogym's cross-entropy use. pycog has no labels; its one-hot form,
// with targets, divides by Σ M over all O outputs instead.
//
// Evaluate reports, in order: "total"; "task" (the masked loss); each
// penalty whose λ is not zero, already multiplied by its λ ("l1_in",
// "l1_rec", "l1_out", "l2_in", "l2_rec", "l2_out", "l2_rate"); and, when
// targets are given, "rmse" = √(Σ M (y−ŷ)² / Σ M), pycog's reported error,
// for every head. An error mask that selects nothing is an error wrapping
// ErrEmptyMask, never a NaN.
//
// The L1 penalties use the subgradient sign(W)/size with sign(0) = 0.
type SongYang struct {
	// Head is the per-entry loss; the zero value is Squared.
	Head Head

	// Lambda1In, Lambda1Rec and Lambda1Out multiply mean|W| (pycog's
	// lambda1_in, lambda1_rec, lambda1_out).
	Lambda1In, Lambda1Rec, Lambda1Out float64
	// Lambda2In, Lambda2Rec and Lambda2Out multiply mean W² (pycog's
	// lambda2_in, lambda2_rec, lambda2_out).
	Lambda2In, Lambda2Rec, Lambda2Out float64
	// Lambda2Rate multiplies mean r² (pycog's lambda2_r).
	Lambda2Rate float64

	// Weights selects the matrices the penalties read; DefaultWeights
	// means RawWeights.
	Weights WeightSet

	// Omega is λ_Ω, the multiplier of Ω; zero means DefaultLambdaOmega.
	Omega float64
	// NoOmega turns the Ω regulariser off (LambdaOmega returns 0).
	NoOmega bool
}

var (
	_ ctrnn.Objective        = SongYang{}
	_ ctrnn.OmegaRegularized = SongYang{}
)

// LambdaOmega returns λ_Ω: 0 if NoOmega is set, DefaultLambdaOmega if
// Omega is zero, Omega otherwise.
func (s SongYang) LambdaOmega() float64 {
	switch {
	case s.NoOmega:
		return 0
	case s.Omega == 0:
		return DefaultLambdaOmega
	}
	return s.Omega
}

// Needs reports that SongYang reads rates only when Lambda2Rate is set.
func (s SongYang) Needs() ctrnn.Needs {
	return ctrnn.Needs{Rates: s.Lambda2Rate != 0}
}

// Evaluate computes the objective and adds its gradients into g.
func (s SongYang) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	if g == nil {
		return nil, errors.New("loss: nil gradient")
	}
	if err := checkTrajectory(b, tr); err != nil {
		return nil, err
	}
	if s.LambdaOmega() < 0 {
		return nil, fmt.Errorf("loss: λ_Ω = %v is negative", s.LambdaOmega())
	}
	set, err := s.Weights.resolve(RawWeights)
	if err != nil {
		return nil, err
	}
	if want, ok := map[Head]ctrnn.Head{BinaryCrossEntropy: ctrnn.SigmoidHead, SoftmaxCrossEntropy: ctrnn.SoftmaxHead}[s.Head]; ok && tr.Head != want {
		return nil, fmt.Errorf("loss: the %v objective needs the model's %v output head, the model has %v", s.Head, want, tr.Head)
	}

	terms := []ctrnn.Term{{Name: "total"}, {Name: "task"}}
	var rmse float64
	haveRMSE := false
	var task float64
	switch {
	case b.Target == nil && b.Labels != nil:
		if s.Head != SoftmaxCrossEntropy {
			return nil, fmt.Errorf("loss: integer labels need the softmax cross-entropy head, not %v", s.Head)
		}
		a, ga, err := logits(b, tr, g)
		if err != nil {
			return nil, err
		}
		task, err = labelSoftmaxCE(b, tr, a, ga, 1)
		if err != nil {
			return nil, err
		}
	default:
		task, rmse, err = s.task(b, tr, g)
		if err != nil {
			return nil, err
		}
		haveRMSE = true
	}
	terms[1].Value = task
	total := task

	// Weight penalties.
	type pen struct {
		name   string
		lambda float64
		m      int // 0 in, 1 rec, 2 out
		l1     bool
	}
	pens := []pen{
		{"l1_in", s.Lambda1In, 0, true},
		{"l1_rec", s.Lambda1Rec, 1, true},
		{"l1_out", s.Lambda1Out, 2, true},
		{"l2_in", s.Lambda2In, 0, false},
		{"l2_rec", s.Lambda2Rec, 1, false},
		{"l2_out", s.Lambda2Out, 2, false},
	}
	var ms [3]matrix
	loaded := false
	for _, p := range pens {
		if p.lambda == 0 {
			continue
		}
		if !loaded {
			ms, err = weights(w, g, set)
			if err != nil {
				return nil, err
			}
			loaded = true
		}
		m := ms[p.m]
		if len(m.w) == 0 {
			continue // no inputs: pycog has no W_in to penalise
		}
		v := p.lambda * penalty(m.w, m.g, p.lambda, p.l1)
		terms = append(terms, ctrnn.Term{Name: p.name, Value: v})
		total += v
	}

	// Rate penalty.
	if s.Lambda2Rate != 0 {
		r, gr, err := activity(b, tr, g, Rates)
		if err != nil {
			return nil, err
		}
		v := s.Lambda2Rate * penalty(r, gr, s.Lambda2Rate, false)
		terms = append(terms, ctrnn.Term{Name: "l2_rate", Value: v})
		total += v
	}

	terms[0].Value = total
	if haveRMSE {
		terms = append(terms, ctrnn.Term{Name: "rmse", Value: rmse})
	}
	return terms, nil
}

// penalty returns mean|x| (l1) or mean x² and adds lambda times its
// gradient into gx.
func penalty(x, gx []float64, lambda float64, l1 bool) float64 {
	n := float64(len(x))
	var v float64
	if l1 {
		c := lambda / n
		for i, xi := range x {
			v += math.Abs(xi)
			gx[i] += c * sign(xi)
		}
	} else {
		c := 2 * lambda / n
		for i, xi := range x {
			v += xi * xi
			gx[i] += c * xi
		}
	}
	return v / n
}

// task evaluates the masked task loss against targets, adds its gradient,
// and returns the loss and the masked RMSE of the outputs.
func (s SongYang) task(b *ctrnn.Batch, tr *ctrnn.Trajectory, g *ctrnn.ObjectiveGrad) (loss, rmse float64, err error) {
	y, gy, err := outputs(b, tr, g)
	if err != nil {
		return 0, 0, err
	}
	yh, err := target(b, tr)
	if err != nil {
		return 0, 0, err
	}
	z, err := maskNorm(b, len(y))
	if err != nil {
		return 0, 0, err
	}
	// Entries with M = 0 are skipped, not multiplied by 0, so padding may
	// hold any value (even NaN) without reaching the loss.
	var sq float64
	for i := range y {
		m := maskAt(b, i)
		if m == 0 {
			continue
		}
		d := y[i] - yh[i]
		sq += m * d * d
	}
	switch s.Head {
	case Squared:
		loss = sq / z
		for i := range y {
			m := maskAt(b, i)
			if m == 0 {
				continue
			}
			gy[i] += 2 * m * (y[i] - yh[i]) / z
		}
	case BinaryCrossEntropy:
		const eps = BCEEpsilon
		for i := range y {
			m := maskAt(b, i)
			if m == 0 {
				continue
			}
			if y[i] <= -eps || y[i] >= 1+eps {
				return 0, 0, fmt.Errorf("loss: binary cross-entropy needs outputs in [0, 1] (a sigmoid head); output %d is %v", i, y[i])
			}
			t := yh[i]
			loss += m * (-t*math.Log(y[i]+eps) - (1-t)*math.Log(1-y[i]+eps))
			gy[i] += m * (-t/(y[i]+eps) + (1-t)/(1-y[i]+eps)) / z
		}
		loss /= z
	case SoftmaxCrossEntropy:
		a, ga, err := logits(b, tr, g)
		if err != nil {
			return 0, 0, err
		}
		o := tr.O
		for st := 0; st < tr.B*tr.T; st++ {
			row := a[st*o : (st+1)*o]
			// Per step: Σ_k M_k ŷ_k (lse − a_k); its gradient in a_j is
			// softmax_j·Σ_k M_k ŷ_k − M_j ŷ_j.
			var c float64
			for k := range row {
				i := st*o + k
				if m := maskAt(b, i); m != 0 {
					c += m * yh[i]
				}
			}
			if c == 0 {
				continue
			}
			lse := logSumExp(row)
			grow := ga[st*o : (st+1)*o]
			for k, v := range row {
				i := st*o + k
				if m := maskAt(b, i); m != 0 {
					loss += m * yh[i] * (lse - v)
					grow[k] -= m * yh[i] / z
				}
				grow[k] += c * math.Exp(v-lse) / z
			}
		}
		loss /= z
	default:
		return 0, 0, fmt.Errorf("loss: unknown head %d", int(s.Head))
	}
	return loss, math.Sqrt(sq / z), nil
}
