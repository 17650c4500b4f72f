// SPDX-License-Identifier: MIT

package task

import (
	"math"
	"testing"
)

// quiet returns the default options with the input noise off.
func quiet() Options {
	o := DefaultOptions()
	o.SigmaIn = 0
	return o
}

func mustNew(t *testing.T, name string, opt Options) Task {
	t.Helper()
	tk, err := New(name, opt)
	if err != nil {
		t.Fatalf("New(%q): %v", name, err)
	}
	return tk
}

func in(b *Batch, trial, step, ch int) float64 { return b.Input[(trial*b.T+step)*b.I+ch] }
func tg(b *Batch, trial, step, ch int) float64 { return b.Target[(trial*b.T+step)*b.O+ch] }
func mk(b *Batch, trial, step, ch int) float64 { return b.Mask[(trial*b.T+step)*b.O+ch] }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// wantEpochs checks the step ranges of a trial's epochs.
func wantEpochs(t *testing.T, tr Trial, want map[string][2]int) {
	t.Helper()
	if len(tr.Epochs) != len(want) {
		t.Errorf("got %d epochs %+v, want %d", len(tr.Epochs), tr.Epochs, len(want))
	}
	for name, w := range want {
		e, ok := tr.Epoch(name)
		if !ok {
			t.Errorf("epoch %q missing", name)
			continue
		}
		if e.Start != w[0] || e.End != w[1] {
			t.Errorf("epoch %q = steps [%d,%d), want [%d,%d)", name, e.Start, e.End, w[0], w[1])
		}
	}
}

// checkInputs checks input channel ch of trial 0 against want(step), which
// excludes the baseline.
func checkInputs(t *testing.T, b *Batch, trial, ch int, base float64, want func(step int) float64) {
	t.Helper()
	for s := 0; s < b.T; s++ {
		if got, w := in(b, trial, s, ch), base+want(s); !near(got, w) {
			t.Errorf("trial %d input %d at step %d = %v, want %v", trial, ch, s, got, w)
			return
		}
	}
}

// during returns a function that is v on [lo, hi) and 0 elsewhere.
func during(lo, hi int, v float64) func(int) float64 {
	return func(s int) float64 {
		if s >= lo && s < hi {
			return v
		}
		return 0
	}
}

// check2AFC checks targets and mask of a non-catch trial: lo on [0,fixEnd),
// decision on [decLo, decHi) with the given correct output and hi level,
// mask 0 elsewhere and in padding.
func check2AFC(t *testing.T, b *Batch, trial, fixEnd, decLo, decHi, correct int, hiLevel float64) {
	t.Helper()
	for s := 0; s < b.T; s++ {
		for k := 0; k < 2; k++ {
			var wy, wm float64
			switch {
			case s < fixEnd:
				wy, wm = 0.2, 1
			case s >= decLo && s < decHi:
				wy, wm = 0.2, 1
				if k == correct {
					wy = hiLevel
				}
			}
			if gy, gm := tg(b, trial, s, k), mk(b, trial, s, k); !near(gy, wy) || gm != wm {
				t.Errorf("trial %d output %d step %d: target %v mask %v, want %v %v", trial, k, s, gy, gm, wy, wm)
				return
			}
		}
	}
}
