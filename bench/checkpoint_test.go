// SPDX-License-Identifier: MIT

package bench

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/optim"
)

// LongTrials are the trial lengths of the long-trial benchmarks (N = 256,
// B = 16).
var LongTrials = []int{1000, 4000, 16000}

// checkpointFor is the segment length used for a trial of nt steps:
// ⌈√(T/5)⌉, where the saved states and a segment's workspaces
// (ctrnn/checkpoint.go) cost the least.
func checkpointFor(nt int) int { return int(math.Ceil(math.Sqrt(float64(nt) / 5))) }

// longModel is the benchmark network with its initial W_rec rescaled to
// spectral radius 0.9: the benchmark draw's grows without bound over
// thousands of steps (|y| ~ 1e62 at T = 1000, NaN by T = 16000).
func longModel(tb testing.TB, p ctrnn.Precision, k int) *ctrnn.Model {
	m := model(tb, 256, p)
	if err := m.SetScalar("spectral_radius", 0.9); err != nil {
		tb.Fatal(err)
	}
	if err := m.Reinitialize(); err != nil {
		tb.Fatal(err)
	}
	if err := m.SetScalar("bptt_checkpoint", float64(k)); err != nil {
		tb.Fatal(err)
	}
	return m
}

// firstStepBytes runs one train step on a fresh model and returns the bytes
// it allocated (the workspaces of the pass, which later steps reuse).
func firstStepBytes(tb testing.TB, m *ctrnn.Model, bt *ctrnn.Batch, opt optim.Optimizer) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := m.TrainStep(bt, loss.RNNLoss{}, opt); err != nil {
		tb.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// BenchmarkLongTrial: a train step (forward + RNNLoss + BPTT + Adam) of
// longModel at N = 256, B = 16 and T = 1000, 4000, 16000, BPTT keeping every step
// ("full") or checkpointed every ⌈√(T/5)⌉ steps ("ckpt"). MiB is what the
// first step allocated (its workspaces), over the model's set-up.
//
//	go test -run '^$' -bench LongTrial -benchtime 3x ./bench/
func BenchmarkLongTrial(b *testing.B) {
	for _, nt := range LongTrials {
		for _, p := range precisions {
			for _, k := range []int{0, checkpointFor(nt)} {
				mode := "full"
				if k > 0 {
					mode = fmt.Sprintf("ckpt=%d", k)
				}
				b.Run(name(256, 16, nt, p)+"/"+mode, func(b *testing.B) {
					m := longModel(b, p, k)
					bt := batch(16, nt)
					opt := optim.NewAdam()
					mib := float64(firstStepBytes(b, m, bt, opt)) / (1 << 20)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						_, _ = m.TrainStep(bt, loss.RNNLoss{}, opt)
					}
					b.ReportMetric(mib, "MiB")
				})
			}
		}
	}
}

// longRuns reports whether NN4N_LONG=1 asks for the long tests.
func longRuns() bool { return os.Getenv("NN4N_LONG") == "1" }

// TestLongTrialCheckpoint is the T = 16000 comparison of checkpointed and
// full BPTT at N = 256, B = 16 in float64, behind NN4N_LONG=1 (about 2 GiB
// and a minute): gradients to 1e-12 relative, and the first step's
// allocations of the checkpointed pass at most 1/8 of the full one's. It
// logs both figures.
func TestLongTrialCheckpoint(t *testing.T) {
	if testing.Short() || !longRuns() {
		t.Skip("NN4N_LONG=1 runs it")
	}
	const nt = 16000
	grads := func(k int) ([][]float64, uint64) {
		m := longModel(t, ctrnn.Float64, k)
		bt := batch(16, nt)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		terms, err := m.Gradient(bt, loss.RNNLoss{})
		if err != nil {
			t.Fatal(err)
		}
		if l := terms[0].Value; math.IsNaN(l) || math.IsInf(l, 0) {
			t.Fatalf("k = %d: loss %v", k, l)
		}
		runtime.ReadMemStats(&after)
		var g [][]float64
		for _, p := range m.Params() {
			g = append(g, slices.Clone(p.Grad))
		}
		return g, after.TotalAlloc - before.TotalAlloc
	}
	full, fullBytes := grads(0)
	k := checkpointFor(nt)
	ck, ckBytes := grads(k)
	t.Logf("T = %d, N = 256, B = 16, float64: full BPTT allocated %.1f MiB, checkpointed (k = %d) %.1f MiB (1/%.1f)",
		nt, float64(fullBytes)/(1<<20), k, float64(ckBytes)/(1<<20), float64(fullBytes)/float64(ckBytes))
	if ckBytes*8 > fullBytes {
		t.Errorf("checkpointed pass allocated %d bytes, more than 1/8 of full BPTT's %d", ckBytes, fullBytes)
	}
	for i := range full {
		var num, den float64
		for j, v := range full[i] {
			num = max(num, math.Abs(ck[i][j]-v))
			den = max(den, math.Abs(v))
		}
		if !(den > 0 && num <= 1e-12*den) || math.IsInf(den, 0) { // NaN fails too
			t.Errorf("parameter %d: checkpointed gradient differs by %.3g (max |g| %.3g)", i, num, den)
		}
		t.Logf("parameter %d: max |Δg| / max |g| = %.3g", i, num/den)
	}
}
