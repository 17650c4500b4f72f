// SPDX-License-Identifier: MIT

package train

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
	"github.com/nn4n/nn4n/structure"
	"github.com/nn4n/nn4n/task"
)

func smallRun(t *testing.T) (*ctrnn.Model, Protocol) {
	t.Helper()
	tk, err := task.New("rdm_dense", task.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	sc := structure.DefaultPycog(2, 20, 2)
	sc.ExcReadout = true
	s, err := structure.Pycog(sc)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ctrnn.Config{Init: ctrnn.InitPycog, Alpha: 0.2, RecNoise: 0.15, X0: 0.1, TrainX0: true, Seed: 5}
	if err := s.Configure(&cfg); err != nil {
		t.Fatal(err)
	}
	m, err := ctrnn.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, Protocol{Task: tk, ValidEvery: 200, NValidation: 110, MaxTrials: 1000, Seed: 3}
}

// TestChunkedRunMatchesWhole checks that a run made one validation per call
// is identical to a run made in one call, and that the stop reason, best
// record and restored parameters are consistent.
func TestChunkedRunMatchesWhole(t *testing.T) {
	m1, p := smallRun(t)
	res, err := Run(context.Background(), m1, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != 6 || res.Reason != "1000 trials" {
		t.Fatalf("history of %d validations, reason %q; want 6 and the trial budget", len(res.History), res.Reason)
	}
	m2, p2 := smallRun(t)
	tr, err := NewTrainer(m2, p2)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for {
		done, err := tr.Run(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		calls++
		if done {
			break
		}
	}
	r2 := tr.Result()
	if calls < 6 {
		t.Errorf("%d calls for 6 validations", calls)
	}
	for k := range res.History {
		a, b := res.History[k], r2.History[k]
		if a.Loss != b.Loss || a.Perf != b.Perf || a.Trials != b.Trials {
			t.Fatalf("validation %d differs: %v vs %v", k, a, b)
		}
	}
	w1, _ := m1.Array("w_rec")
	w2, _ := m2.Array("w_rec")
	if !slices.Equal(w1, w2) {
		t.Error("final weights differ between whole and chunked runs")
	}
	// The model holds the best validation's parameters: validating again
	// with the same set gives the best loss.
	best := res.Best
	for _, r := range res.History {
		if r.Loss < best.Loss {
			t.Errorf("best loss %v is not the lowest (%v)", best.Loss, r.Loss)
		}
	}
}

// TestCancelResumes checks that a cancelled run returns the context's
// error and can be resumed.
func TestCancelResumes(t *testing.T) {
	m, p := smallRun(t)
	tr, err := NewTrainer(m, p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if done, err := tr.Run(ctx, 0); err != context.Canceled || done {
		t.Fatalf("cancelled run: done %v, err %v", done, err)
	}
	if done, err := tr.Run(context.Background(), 0); err != nil || !done {
		t.Fatalf("resumed run: done %v, err %v", done, err)
	}
}

func TestBadProtocol(t *testing.T) {
	m, p := smallRun(t)
	bad := []Protocol{{}, {Task: p.Task, Minibatch: -1}, {Task: p.Task, MinError: -1}}
	for _, b := range bad {
		if _, err := NewTrainer(m, b); err == nil {
			t.Errorf("NewTrainer accepted %+v", b)
		}
	}
	sine, _ := task.New("sinewave", task.DefaultOptions())
	if _, err := NewTrainer(m, Protocol{Task: sine}); err == nil {
		t.Error("a task with other dimensions was accepted")
	}
}

// TestSineWaveConverges trains pycog's sine-wave task (no input, N = 100
// under Dale's law, trained biases and x0) with the Song-Yang objective
// (λ_Ω = 2), SGD lr 0.01, clip 1, until validation RMSE ≤ 0.05. About two
// minutes on two cores; skipped with -short.
func TestSineWaveConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about two minutes")
	}
	tk, err := task.New("sinewave", task.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := PycogNetwork(tk, 0, 100, ctrnn.Float64)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), m, Protocol{Task: tk, Seed: 100, MinError: 0.05, MaxTrials: 600_000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s after %d trials, %.1f s; best %v", res.Reason, res.Best.Trials, res.Elapsed.Seconds(), res.Best)
	if !res.Converged || res.Best.RMSE > 0.05 {
		t.Fatalf("sine wave did not reach RMSE ≤ 0.05: %s, best %v", res.Reason, res.Best)
	}
	// The model holds the best parameters: a fresh noiseless validation
	// set scores close to the recorded RMSE.
	m.SetTraining(false)
	vb, _ := tk.Validation(task.NewRand(7), 50)
	_, y, err := m.Loss(Batch(vb), loss.SongYang{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := task.RMSE(y, vb); r > 0.06 {
		t.Errorf("restored model's RMSE is %v", r)
	}
}

// TestCheckpointResumesExactly checks that a run checkpointed after three
// validations and resumed from the files ends exactly as an uninterrupted
// run: same history, same final weights (SGD keeps no state).
func TestCheckpointResumesExactly(t *testing.T) {
	m1, p1 := smallRun(t)
	whole, err := Run(context.Background(), m1, p1)
	if err != nil {
		t.Fatal(err)
	}
	m2, p2 := smallRun(t)
	tr, err := NewTrainer(m2, p2)
	if err != nil {
		t.Fatal(err)
	}
	if done, err := tr.Run(context.Background(), 3); err != nil || done {
		t.Fatalf("first part: done %v err %v", done, err)
	}
	path := t.TempDir() + "/run.npz"
	if err := tr.Checkpoint(path); err != nil {
		t.Fatal(err)
	}
	_, p3 := smallRun(t)
	resumed, err := Resume(path, p3)
	if err != nil {
		t.Fatal(err)
	}
	if done, err := resumed.Run(context.Background(), 0); err != nil || !done {
		t.Fatalf("resumed part: done %v err %v", done, err)
	}
	got := resumed.Result()
	if len(got.History) != len(whole.History) {
		t.Fatalf("%d validations after resuming, %d uninterrupted", len(got.History), len(whole.History))
	}
	for k := range got.History {
		if got.History[k].Loss != whole.History[k].Loss || got.History[k].Perf != whole.History[k].Perf {
			t.Fatalf("validation %d: %v resumed, %v uninterrupted", k, got.History[k], whole.History[k])
		}
	}
	w1, _ := m1.Array("w_rec")
	w2, _ := resumed.Model().Array("w_rec")
	if !slices.Equal(w1, w2) {
		t.Error("final weights differ between resumed and uninterrupted runs")
	}
	if _, err := Resume(path, Protocol{Task: p3.Task, Seed: 99}); err == nil {
		t.Error("resuming with another seed was accepted")
	}
}

// TestRDMDenseReproducesSong2016 trains pycog's rdm_dense network (N = 100,
// 80/20 E/I, Dale rectify, readout from E, SGD, λ_Ω = 2) to pycog's
// criterion (mean of the last five validation accuracies > 85 %), then
// checks on 100 held-out trials per signed coherence (0 % included) that
// the psychometric curve rises (each point at least the previous one minus
// three binomial standard errors), that ±51.2 % is ≥ 95 % correct, and that
// the trained effective weights obey Dale's law and the masks exactly.
// About three minutes on two cores; skipped with -short.
func TestRDMDenseReproducesSong2016(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about three minutes")
	}
	tk, err := task.New("rdm_dense", task.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, s, err := PycogNetwork(tk, 0, 101, ctrnn.Float64)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), m, Protocol{Task: tk, Seed: 101, MaxTrials: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s after %d trials, %.1f s", res.Reason, res.History[len(res.History)-1].Trials, res.Elapsed.Seconds())
	if !res.Converged {
		t.Fatalf("rdm_dense did not reach the criterion: %s", res.Reason)
	}
	cohs := []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2}
	var conds []task.Condition
	for _, c := range cohs {
		for k := 0; k < 100; k++ {
			conds = append(conds, task.Coherent(c))
		}
	}
	b, err := tk.Trials(task.NewRand(7), conds)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := m.Forward(Batch(b), ctrnn.Needs{})
	if err != nil {
		t.Fatal(err)
	}
	pts, err := task.Psychometric(tr.Outputs, b, 0, task.SignedCoherence)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range pts {
		t.Logf("coherence %+5.1f%%: P(output 1) = %.2f", p.X, p.P())
		if k > 0 {
			prev := pts[k-1]
			se := math.Sqrt(prev.P()*(1-prev.P())/float64(prev.N) + p.P()*(1-p.P())/float64(p.N))
			if p.P() < prev.P()-3*math.Max(se, 0.01) {
				t.Errorf("the curve falls from %.2f at %v%% to %.2f at %v%%", prev.P(), prev.X, p.P(), p.X)
			}
		}
	}
	if lo, hi := pts[0], pts[len(pts)-1]; float64(lo.N-lo.K+hi.K)/float64(lo.N+hi.N) < 0.95 {
		t.Errorf("accuracy at ±51.2%% is %.2f, want ≥ 0.95", float64(lo.N-lo.K+hi.K)/float64(lo.N+hi.N))
	}
	for _, l := range []struct {
		name       string
		mask, sign []float64
	}{{"w_in_eff", s.Input, s.InputSign}, {"w_rec_eff", s.Hidden, s.HiddenSign}, {"w_out_eff", s.Readout, s.ReadoutSign}} {
		w, _ := m.Array(l.name)
		for k, v := range w {
			if l.mask[k] == 0 && v != 0 || l.sign[k]*v < 0 {
				t.Fatalf("%s[%d] = %v breaks mask %v / sign %v", l.name, k, v, l.mask[k], l.sign[k])
			}
		}
	}
}
