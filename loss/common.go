// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// ErrEmptyMask is returned (wrapped) when an error mask, or a label array
// with its mask, selects no entry at all, so that a masked mean would be
// 0/0. Test for it with errors.Is.
var ErrEmptyMask = errors.New("loss: error mask selects no entry (all zero)")

// WeightSet selects which copy of the weights a weight term reads and
// which gradient buffers it adds into.
type WeightSet int

const (
	// DefaultWeights uses the objective's own default: the raw parameters
	// for SongYang (pycog penalises its trained matrices) and the effective
	// weights for nn4n's criteria (nn4n projects its parameters onto the
	// constraints, so its weights are the ones the dynamics use).
	DefaultWeights WeightSet = iota
	// RawWeights reads ctrnn.Weights.{In,Rec,Out}Raw and adds into the Raw
	// gradients.
	RawWeights
	// EffectiveWeights reads ctrnn.Weights.{In,Rec,Out}Eff and adds into
	// the Eff gradients.
	EffectiveWeights
)

// String returns the name of the weight set.
func (s WeightSet) String() string {
	switch s {
	case DefaultWeights:
		return "default"
	case RawWeights:
		return "raw"
	case EffectiveWeights:
		return "effective"
	}
	return fmt.Sprintf("WeightSet(%d)", int(s))
}

func (s WeightSet) resolve(def WeightSet) (WeightSet, error) {
	switch s {
	case DefaultWeights:
		return def, nil
	case RawWeights, EffectiveWeights:
		return s, nil
	}
	return 0, fmt.Errorf("loss: unknown weight set %d", int(s))
}

// Signal selects which per-unit trajectory an activity term reads.
type Signal int

const (
	// Rates is r = f(x), B×T×N. nn4n's criteria receive the hidden states
	// its CTRNN returns, which are rates, so this is the default.
	Rates Signal = iota
	// States is the state x, B×T×N.
	States
)

// String returns the name of the signal.
func (s Signal) String() string {
	switch s {
	case Rates:
		return "rates"
	case States:
		return "states"
	}
	return fmt.Sprintf("Signal(%d)", int(s))
}

func (s Signal) needs() ctrnn.Needs {
	if s == States {
		return ctrnn.Needs{States: true}
	}
	return ctrnn.Needs{Rates: true}
}

func orNeeds(a, b ctrnn.Needs) ctrnn.Needs {
	return ctrnn.Needs{Rates: a.Rates || b.Rates, States: a.States || b.States}
}

// checkTrajectory checks that the batch and the trajectory agree.
func checkTrajectory(b *ctrnn.Batch, tr *ctrnn.Trajectory) error {
	if b == nil || tr == nil {
		return errors.New("loss: nil batch or trajectory")
	}
	if b.B != tr.B || b.T != tr.T {
		return fmt.Errorf("loss: batch is %d×%d (B×T) but trajectory is %d×%d", b.B, b.T, tr.B, tr.T)
	}
	if tr.B <= 0 || tr.T <= 0 {
		return fmt.Errorf("loss: empty trajectory (B=%d, T=%d)", tr.B, tr.T)
	}
	return nil
}

// checkLen returns an error if len(x) != n.
func checkLen(what string, x []float64, n int) error {
	if len(x) != n {
		return fmt.Errorf("loss: %s has length %d, want %d", what, len(x), n)
	}
	return nil
}

// outputs returns tr.Outputs and g.Outputs after checking their shapes.
func outputs(b *ctrnn.Batch, tr *ctrnn.Trajectory, g *ctrnn.ObjectiveGrad) (y, gy []float64, err error) {
	if err := checkTrajectory(b, tr); err != nil {
		return nil, nil, err
	}
	n := tr.B * tr.T * tr.O
	if tr.O <= 0 {
		return nil, nil, fmt.Errorf("loss: trajectory has %d outputs", tr.O)
	}
	if err := checkLen("trajectory outputs (B×T×O)", tr.Outputs, n); err != nil {
		return nil, nil, err
	}
	if err := checkLen("output gradient (B×T×O)", g.Outputs, n); err != nil {
		return nil, nil, err
	}
	return tr.Outputs, g.Outputs, nil
}

// logits returns tr.Logits and g.Logits after checking their shapes.
func logits(b *ctrnn.Batch, tr *ctrnn.Trajectory, g *ctrnn.ObjectiveGrad) (a, ga []float64, err error) {
	if err := checkTrajectory(b, tr); err != nil {
		return nil, nil, err
	}
	n := tr.B * tr.T * tr.O
	if tr.O <= 0 {
		return nil, nil, fmt.Errorf("loss: trajectory has %d outputs", tr.O)
	}
	if err := checkLen("trajectory logits (B×T×O)", tr.Logits, n); err != nil {
		return nil, nil, err
	}
	if err := checkLen("logit gradient (B×T×O)", g.Logits, n); err != nil {
		return nil, nil, err
	}
	return tr.Logits, g.Logits, nil
}

// target returns b.Target after checking its shape.
func target(b *ctrnn.Batch, tr *ctrnn.Trajectory) ([]float64, error) {
	if b.Target == nil {
		return nil, errors.New("loss: batch has no targets")
	}
	if err := checkLen("batch targets (B×T×O)", b.Target, tr.B*tr.T*tr.O); err != nil {
		return nil, err
	}
	return b.Target, nil
}

// maskNorm checks the error mask (nil means every entry counts) and returns
// Σ M. It rejects a mask of the wrong shape, a negative or non-finite
// entry, and a mask with no positive entry.
func maskNorm(b *ctrnn.Batch, n int) (float64, error) {
	if b.Mask == nil {
		return float64(n), nil
	}
	if err := checkLen("error mask (B×T×O)", b.Mask, n); err != nil {
		return 0, err
	}
	var z float64
	for i, m := range b.Mask {
		if !(m >= 0) || math.IsInf(m, 1) {
			return 0, fmt.Errorf("loss: error mask entry %d is %v; entries must be finite and non-negative", i, m)
		}
		z += m
	}
	if z == 0 {
		return 0, fmt.Errorf("%w: the masked mean is undefined", ErrEmptyMask)
	}
	return z, nil
}

// maskAt returns the mask weight of entry i (1 when there is no mask).
func maskAt(b *ctrnn.Batch, i int) float64 {
	if b.Mask == nil {
		return 1
	}
	return b.Mask[i]
}

// activity returns the trajectory that sig selects and its gradient buffer.
func activity(b *ctrnn.Batch, tr *ctrnn.Trajectory, g *ctrnn.ObjectiveGrad, sig Signal) (x, gx []float64, err error) {
	if err := checkTrajectory(b, tr); err != nil {
		return nil, nil, err
	}
	if tr.N <= 0 {
		return nil, nil, fmt.Errorf("loss: trajectory has %d units", tr.N)
	}
	n := tr.B * tr.T * tr.N
	switch sig {
	case Rates:
		x, gx = tr.Rates, g.Rates
	case States:
		x, gx = tr.States, g.States
	default:
		return nil, nil, fmt.Errorf("loss: unknown signal %d", int(sig))
	}
	if err := checkLen("trajectory "+sig.String()+" (B×T×N)", x, n); err != nil {
		return nil, nil, err
	}
	if err := checkLen(sig.String()+" gradient (B×T×N)", gx, n); err != nil {
		return nil, nil, err
	}
	return x, gx, nil
}

// matrix is one weight matrix and its gradient buffer.
type matrix struct {
	name string // "in", "rec" or "out"
	w, g []float64
	rows int
	cols int
}

// weights returns W_in, W_rec and W_out of the selected set, in that order,
// after checking their shapes and gradient buffers. W_in may be empty when
// the model has no inputs.
func weights(w *ctrnn.Weights, g *ctrnn.ObjectiveGrad, set WeightSet) ([3]matrix, error) {
	var ms [3]matrix
	if w == nil {
		return ms, errors.New("loss: nil weights")
	}
	if w.N <= 0 || w.O <= 0 || w.I < 0 {
		return ms, fmt.Errorf("loss: bad weight dimensions I=%d N=%d O=%d", w.I, w.N, w.O)
	}
	switch set {
	case RawWeights:
		ms = [3]matrix{
			{"in", w.InRaw, g.InRaw, w.N, w.I},
			{"rec", w.RecRaw, g.RecRaw, w.N, w.N},
			{"out", w.OutRaw, g.OutRaw, w.O, w.N},
		}
	case EffectiveWeights:
		ms = [3]matrix{
			{"in", w.InEff, g.InEff, w.N, w.I},
			{"rec", w.RecEff, g.RecEff, w.N, w.N},
			{"out", w.OutEff, g.OutEff, w.O, w.N},
		}
	default:
		return ms, fmt.Errorf("loss: unknown weight set %d", int(set))
	}
	for _, m := range ms {
		n := m.rows * m.cols
		if err := checkLen(fmt.Sprintf("W_%s (%s)", m.name, set), m.w, n); err != nil {
			return ms, err
		}
		if err := checkLen(fmt.Sprintf("gradient of W_%s (%s)", m.name, set), m.g, n); err != nil {
			return ms, err
		}
	}
	return ms, nil
}

// sign returns the sign of v, with sign(0) = 0.
func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// unitMeans returns m_i = mean over the first (B·T) rows of x[·, i], with x
// a rows×n row-major array. If abs is true it averages |x| instead.
func unitMeans(x []float64, rows, n int, abs bool) []float64 {
	m := make([]float64, n)
	for r := 0; r < rows; r++ {
		row := x[r*n : (r+1)*n]
		for i, v := range row {
			if abs {
				v = math.Abs(v)
			}
			m[i] += v
		}
	}
	inv := 1 / float64(rows)
	for i := range m {
		m[i] *= inv
	}
	return m
}

// spreadUnitGrad adds dm_i·∂m_i/∂x into gx for m = unitMeans(x, rows, n,
// abs): every entry of column i receives dm_i/rows (times sign(x) when abs).
func spreadUnitGrad(gx, x, dm []float64, rows, n int, abs bool) {
	inv := 1 / float64(rows)
	for r := 0; r < rows; r++ {
		off := r * n
		for i, d := range dm {
			if d == 0 {
				continue
			}
			if abs {
				gx[off+i] += d * inv * sign(x[off+i])
			} else {
				gx[off+i] += d * inv
			}
		}
	}
}

// meanStd returns the mean and the unbiased (n−1) standard deviation of m,
// as torch.std computes by default.
func meanStd(m []float64) (mean, sd float64) {
	for _, v := range m {
		mean += v
	}
	mean /= float64(len(m))
	var ss float64
	for _, v := range m {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(m)-1))
}

// addStdGrad adds scale·∂sd/∂m into dm for the unbiased standard deviation
// sd of m with mean mean. At sd = 0 the subgradient 0 is used.
func addStdGrad(dm, m []float64, mean, sd, scale float64) {
	if sd == 0 {
		return
	}
	c := scale / (float64(len(m)-1) * sd)
	for i, v := range m {
		dm[i] += c * (v - mean)
	}
}
