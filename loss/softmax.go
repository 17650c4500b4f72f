// SPDX-License-Identifier: MIT

package loss

import (
	"fmt"
	"math"

	"github.com/nn4n/nn4n/ctrnn"
)

// logSumExp returns log Σ_k exp(a_k), computed without overflow.
func logSumExp(a []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range a {
		if v > mx {
			mx = v
		}
	}
	if math.IsInf(mx, 0) {
		return mx
	}
	var s float64
	for _, v := range a {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// checkLabels checks b.Labels against the trajectory and returns it.
func checkLabels(b *ctrnn.Batch, tr *ctrnn.Trajectory) ([]int32, error) {
	if err := checkLen2("batch labels (B×T)", len(b.Labels), tr.B*tr.T); err != nil {
		return nil, err
	}
	for i, l := range b.Labels {
		if int(l) >= tr.O {
			return nil, fmt.Errorf("loss: label %d at step %d is out of range for %d outputs", l, i, tr.O)
		}
	}
	return b.Labels, nil
}

func checkLen2(what string, got, want int) error {
	if got != want {
		return fmt.Errorf("loss: %s has length %d, want %d", what, got, want)
	}
	return nil
}

// labelWeights returns the weight w_s of every step s = (b, t): 0 when the
// label is negative (ignored), else M[b, t, label] (1 with no mask). It
// returns the weights and their sum, or ErrEmptyMask if no step counts.
func labelWeights(b *ctrnn.Batch, tr *ctrnn.Trajectory, labels []int32) ([]float64, float64, error) {
	n := tr.B * tr.T * tr.O
	if b.Mask != nil {
		// Validate the mask's shape and entries; its own sum is irrelevant.
		if err := checkLen("error mask (B×T×O)", b.Mask, n); err != nil {
			return nil, 0, err
		}
		for i, m := range b.Mask {
			if !(m >= 0) || math.IsInf(m, 1) {
				return nil, 0, fmt.Errorf("loss: error mask entry %d is %v; entries must be finite and non-negative", i, m)
			}
		}
	}
	w := make([]float64, len(labels))
	var z float64
	for s, l := range labels {
		if l < 0 {
			continue
		}
		w[s] = maskAt(b, s*tr.O+int(l))
		z += w[s]
	}
	if z == 0 {
		return nil, 0, fmt.Errorf("%w: every label is ignored or masked", ErrEmptyMask)
	}
	return w, z, nil
}

// labelSoftmaxCE evaluates Σ_s w_s·(−log softmax(a_s)_{l_s}) / Σ_s w_s on
// the per-step vectors a (B×T×O, logits) and adds scale times its gradient,
// (w_s/Σw)·(softmax(a_s) − onehot(l_s)), into ga.
func labelSoftmaxCE(b *ctrnn.Batch, tr *ctrnn.Trajectory, a, ga []float64, scale float64) (float64, error) {
	labels, err := checkLabels(b, tr)
	if err != nil {
		return 0, err
	}
	w, z, err := labelWeights(b, tr, labels)
	if err != nil {
		return 0, err
	}
	o := tr.O
	var val float64
	for s, l := range labels {
		if w[s] == 0 {
			continue
		}
		row := a[s*o : (s+1)*o]
		lse := logSumExp(row)
		val += w[s] * (lse - row[l])
		c := scale * w[s] / z
		grow := ga[s*o : (s+1)*o]
		for k, v := range row {
			grow[k] += c * math.Exp(v-lse)
		}
		grow[l] -= c
	}
	return val / z, nil
}
