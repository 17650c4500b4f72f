// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// RNNLoss is nn4n's fixed-menu criterion (nn4n/criterion/rnn_loss.py):
//
//	L = λ_mse·mean_{b,t,k}(y − ŷ)²
//	  + λ_in·‖W_in‖²_F/(N·I) + λ_hid·‖W_rec‖²_F/N² + λ_out·‖W_out‖²_F/(O·N)
//	  + λ_fr·‖m‖²/N + λ_fr_sd·sd(m) + λ_fr_cv·sd(m̃)/mean(m̃)
//
// where m_i = mean_{b,t} r_{b,t,i} is each unit's mean rate, m̃_i =
// mean_{b,t} |r_{b,t,i}| (nn4n writes sqrt(square(r))), and sd is the
// unbiased (n−1) standard deviation over the N units, torch.std's default.
// The weight terms read the effective weights by default: nn4n penalises
// its layers' weight tensors, which are the (projected) weights its
// dynamics use. The rate terms read the rates by default, nn4n's hidden
// states.
//
// nn4n's MSE has no error mask; set Masked to use Σ M(y−ŷ)²/Σ M instead.
//
// Evaluate reports "total", then "mse" (unless NoMSE) and every term whose
// λ is not zero ("in", "hid", "out", "fr", "fr_sd", "fr_cv"), each already
// multiplied by its λ as nn4n's stacked loss vector is. "in" is 0 when the
// model has no input. fr_sd and fr_cv need N ≥ 2, and fr_cv a non-zero mean;
// otherwise Evaluate returns an error where nn4n returns NaN. At sd = 0 the
// subgradient of sd is taken as 0, and sign(0) = 0 in the gradient of |r|.
type RNNLoss struct {
	// LambdaMSE multiplies the mean squared error; zero means 1, nn4n's
	// default.
	LambdaMSE float64
	// NoMSE drops the mean squared error term.
	NoMSE bool
	// Masked applies the batch's error mask to the mean squared error.
	Masked bool

	// LambdaIn, LambdaHid and LambdaOut multiply the size-normalised
	// squared Frobenius norms of W_in, W_rec and W_out.
	LambdaIn, LambdaHid, LambdaOut float64
	// LambdaFR multiplies ‖m‖²/N.
	LambdaFR float64
	// LambdaFRSD multiplies sd(m).
	LambdaFRSD float64
	// LambdaFRCV multiplies sd(m̃)/mean(m̃).
	LambdaFRCV float64

	// Weights selects the matrices; DefaultWeights means EffectiveWeights.
	Weights WeightSet
	// On selects the trajectory the rate terms read; the zero value is
	// Rates.
	On Signal
}

var _ ctrnn.Objective = RNNLoss{}

func (l RNNLoss) lambdaMSE() float64 {
	switch {
	case l.NoMSE:
		return 0
	case l.LambdaMSE == 0:
		return 1
	}
	return l.LambdaMSE
}

// Needs reports the trajectory the rate terms read, if any is enabled.
func (l RNNLoss) Needs() ctrnn.Needs {
	if l.LambdaFR != 0 || l.LambdaFRSD != 0 || l.LambdaFRCV != 0 {
		return l.On.needs()
	}
	return ctrnn.Needs{}
}

// Evaluate computes the loss and adds its gradients into g.
func (l RNNLoss) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	if g == nil {
		return nil, errors.New("loss: nil gradient")
	}
	if err := checkTrajectory(b, tr); err != nil {
		return nil, err
	}
	terms := []ctrnn.Term{{Name: "total"}}
	var total float64
	add := func(name string, v float64) {
		terms = append(terms, ctrnn.Term{Name: name, Value: v})
		total += v
	}

	if lm := l.lambdaMSE(); !l.NoMSE {
		v, err := MSE{Masked: l.Masked}.Add(b, tr, w, g, lm)
		if err != nil {
			return nil, err
		}
		add("mse", lm*v)
	}

	if l.LambdaIn != 0 || l.LambdaHid != 0 || l.LambdaOut != 0 {
		set, err := l.Weights.resolve(EffectiveWeights)
		if err != nil {
			return nil, err
		}
		ms, err := weights(w, g, set)
		if err != nil {
			return nil, err
		}
		for i, lam := range []float64{l.LambdaIn, l.LambdaHid, l.LambdaOut} {
			if lam == 0 {
				continue
			}
			name := [3]string{"in", "hid", "out"}[i]
			m := ms[i]
			if len(m.w) == 0 {
				add(name, 0)
				continue
			}
			// ‖W‖²_F/size is mean W²: the same value and gradient as
			// pycog's L2 penalty.
			add(name, lam*penalty(m.w, m.g, lam, false))
		}
	}

	if l.LambdaFR != 0 || l.LambdaFRSD != 0 || l.LambdaFRCV != 0 {
		x, gx, err := activity(b, tr, g, l.On)
		if err != nil {
			return nil, err
		}
		rows, n := tr.B*tr.T, tr.N
		if l.LambdaFR != 0 {
			m := unitMeans(x, rows, n, false)
			v, dm := meanSquare(m, l.LambdaFR)
			spreadUnitGrad(gx, x, dm, rows, n, false)
			add("fr", l.LambdaFR*v)
		}
		if l.LambdaFRSD != 0 {
			if n < 2 {
				return nil, fmt.Errorf("loss: fr_sd needs at least 2 units, have %d", n)
			}
			m := unitMeans(x, rows, n, false)
			mean, sd := meanStd(m)
			dm := make([]float64, n)
			addStdGrad(dm, m, mean, sd, l.LambdaFRSD)
			spreadUnitGrad(gx, x, dm, rows, n, false)
			add("fr_sd", l.LambdaFRSD*sd)
		}
		if l.LambdaFRCV != 0 {
			if n < 2 {
				return nil, fmt.Errorf("loss: fr_cv needs at least 2 units, have %d", n)
			}
			m := unitMeans(x, rows, n, true)
			v, dm, err := coefVar(m, l.LambdaFRCV)
			if err != nil {
				return nil, err
			}
			spreadUnitGrad(gx, x, dm, rows, n, true)
			add("fr_cv", l.LambdaFRCV*v)
		}
	}
	terms[0].Value = total
	return terms, nil
}

// meanSquare returns mean_i m_i² and scale times its gradient in m.
func meanSquare(m []float64, scale float64) (float64, []float64) {
	n := float64(len(m))
	dm := make([]float64, len(m))
	var v float64
	for i, mi := range m {
		v += mi * mi
		dm[i] = 2 * scale * mi / n
	}
	return v / n, dm
}

// coefVar returns sd(m)/mean(m) (unbiased sd) and scale times its
// gradient in m. A zero mean is an error.
func coefVar(m []float64, scale float64) (float64, []float64, error) {
	mean, sd := meanStd(m)
	if mean == 0 || math.IsNaN(mean) {
		return 0, nil, fmt.Errorf("loss: coefficient of variation undefined: mean rate is %v", mean)
	}
	dm := make([]float64, len(m))
	// d(sd/μ) = dsd/μ − sd/μ²·dμ, dμ/dm_i = 1/n.
	addStdGrad(dm, m, mean, sd, scale/mean)
	c := scale * sd / (mean * mean * float64(len(m)))
	for i := range dm {
		dm[i] -= c
	}
	return sd / mean, dm, nil
}
