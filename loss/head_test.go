// SPDX-License-Identifier: MIT

package loss

import (
	"strings"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// suited gives tr the output head obj needs, for fixtures built by hand.
func suited(obj ctrnn.Objective, tr *ctrnn.Trajectory) ctrnn.Objective {
	tr.Head = ctrnn.LinearHead
	if s, ok := obj.(SongYang); ok {
		switch s.Head {
		case BinaryCrossEntropy:
			tr.Head = ctrnn.SigmoidHead
		case SoftmaxCrossEntropy:
			tr.Head = ctrnn.SoftmaxHead
		}
	}
	return obj
}

// TestHeadMismatch checks that a cross-entropy objective refuses a model
// whose output head does not produce probabilities of its kind.
func TestHeadMismatch(t *testing.T) {
	f := newFixture(1, 2, 3, 2, 4, 3)
	for _, h := range []Head{BinaryCrossEntropy, SoftmaxCrossEntropy} {
		f.tr.Head = ctrnn.LinearHead
		_, err := (SongYang{Head: h}).Evaluate(&f.b, &f.tr, &f.w, f.grad())
		if err == nil || !strings.Contains(err.Error(), "output head") {
			t.Errorf("%v on a linear head: error %v", h, err)
		}
	}
}
