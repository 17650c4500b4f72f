// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// setLast sets the outputs of trial i at its last unpadded step, and puts
// the opposite preference in every other step, padding included.
func setLast(y []float64, b *Batch, i int, out ...float64) {
	last := b.Trials[i].Steps - 1
	for s := 0; s < b.T; s++ {
		for k := range out {
			v := out[k]
			if s != last {
				v = out[len(out)-1-k]
			}
			y[(i*b.T+s)*b.O+k] = v
		}
	}
}

func TestTwoAFCMetrics(t *testing.T) {
	tk := mustNew(t, "rdm_dense", quiet())
	b, err := tk.Trials(NewRand(1), []Condition{
		Catch,                      // 100 steps: sets T; trials below are padded
		{Coherence: 12.8, Sign: 1}, // correct 0
		{Coherence: 12.8, Sign: -1},
		{Coherence: 3.2, Sign: 1},
		{Coherence: 12.8, Sign: 1},
		{Coherence: 0, Sign: 1}, // no correct choice
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.T != 100 || b.Trials[1].Steps != 60 {
		t.Fatalf("T %d, steps %d", b.T, b.Trials[1].Steps)
	}
	y := make([]float64, b.B*b.T*b.O)
	setLast(y, b, 0, 0.1, 0.9) // catch: ignored
	setLast(y, b, 1, 0.9, 0.1) // choice 0: correct
	setLast(y, b, 2, 0.8, 0.3) // choice 0: wrong
	setLast(y, b, 3, 0.1, 0.5) // choice 1: wrong
	setLast(y, b, 4, 1.0, 0.2) // choice 0: correct
	setLast(y, b, 5, 0.2, 1.0) // choice 1, no correct answer
	ch, err := Choices(y, b)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 0, 0, 1, 0, 1}; !equalInts(ch, want) {
		t.Errorf("choices %v, want %v", ch, want)
	}
	// Scorable: trials 1-4, 2 correct.
	pc, err := PercentCorrect(y, b)
	if err != nil || pc != 50 {
		t.Errorf("PercentCorrect = %v, %v; want 50", pc, err)
	}
	s, err := ByCondition(y, b)
	if err != nil || len(s) != 3 {
		t.Fatalf("ByCondition = %+v, %v", s, err)
	}
	if s[0].N != 2 || s[0].Correct != 2 || s[1].N != 1 || s[1].Correct != 0 || s[2].Percent() != 0 {
		t.Errorf("ByCondition = %+v", s)
	}
	mc, err := MinConditionPercentCorrect(y, b)
	if err != nil || mc != 0 {
		t.Errorf("MinConditionPercentCorrect = %v, %v; want 0", mc, err)
	}
	// Make trial 2 correct: minimum 0 (trial 3) remains, overall 75 %.
	setLast(y, b, 2, 0.3, 0.8)
	if pc, _ := PercentCorrect(y, b); pc != 75 {
		t.Errorf("PercentCorrect = %v, want 75", pc)
	}
	setLast(y, b, 3, 0.6, 0.5)
	if mc, _ := MinConditionPercentCorrect(y, b); mc != 100 {
		t.Errorf("MinConditionPercentCorrect = %v, want 100", mc)
	}

	// Psychometric curve of output 0 against signed coherence.
	pts, err := Psychometric(y, b, 0, SignedCoherence)
	if err != nil {
		t.Fatal(err)
	}
	want := []PsychPoint{{-12.8, 1, 0}, {0, 1, 0}, {3.2, 1, 1}, {12.8, 2, 2}}
	if len(pts) != len(want) {
		t.Fatalf("points %+v, want %+v", pts, want)
	}
	for i := range want {
		if pts[i] != want[i] {
			t.Errorf("point %d = %+v, want %+v", i, pts[i], want[i])
		}
	}

	if _, err := PercentCorrect(y[:10], b); err == nil {
		t.Error("wrong output length accepted")
	}
	if _, err := Psychometric(y, b, 2, SignedCoherence); err == nil {
		t.Error("choice 2 of 2 outputs accepted")
	}
	cb, _ := tk.Trials(NewRand(1), []Condition{Catch})
	if _, err := PercentCorrect(make([]float64, cb.B*cb.T*cb.O), cb); err == nil {
		t.Error("batch of catch trials scored")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRMSE(t *testing.T) {
	b, err := mustNew(t, "sinewave", DefaultOptions()).Batch(NewRand(1), 2)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(b.Target))
	for i := range y {
		y[i] = b.Target[i] + 0.1
		if i >= len(y)/2 {
			y[i] = b.Target[i] - 0.2
		}
	}
	// Half the entries off by 0.1, half by 0.2: sqrt((0.01+0.04)/2).
	r, err := RMSE(y, b)
	if err != nil || math.Abs(r-math.Sqrt(0.025)) > 1e-12 {
		t.Errorf("RMSE = %v, %v; want %v", r, err, math.Sqrt(0.025))
	}

	// Outside the mask errors do not count.
	b, _ = mustNew(t, "rdm_dense", quiet()).Trials(NewRand(1), []Condition{Catch, {Coherence: 6.4, Sign: 1}})
	y = make([]float64, len(b.Target))
	for i := range y {
		y[i] = b.Target[i] + 3
		if b.Mask[i] == 1 {
			y[i] = b.Target[i] - 0.3
		}
	}
	if r, _ := RMSE(y, b); math.Abs(r-0.3) > 1e-12 {
		t.Errorf("masked RMSE = %v, want 0.3", r)
	}
}

func TestFitCumGaussRecovers(t *testing.T) {
	const mu, sigma = 2.0, 10.0
	xs := []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2}
	f := CumGauss{Mu: mu, Sigma: sigma}

	// Exact expected proportions: recovered to high precision.
	var pts []PsychPoint
	for _, x := range xs {
		n := 10_000_000
		pts = append(pts, PsychPoint{X: x, N: n, K: int(math.Round(float64(n) * f.P(x)))})
	}
	fit, err := FitCumGauss(pts)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Mu-mu) > 1e-3 || math.Abs(fit.Sigma-sigma) > 1e-3 {
		t.Errorf("noiseless fit %+v, want mu %v sigma %v", fit, mu, sigma)
	}

	// Choices drawn from the curve: within 4 standard errors, over seeds.
	for seed := uint64(1); seed <= 5; seed++ {
		rng := NewRand(seed)
		pts = pts[:0]
		for _, x := range xs {
			p := PsychPoint{X: x, N: 400}
			for i := 0; i < p.N; i++ {
				if rng.Float64() < f.P(x) {
					p.K++
				}
			}
			pts = append(pts, p)
		}
		fit, err := FitCumGauss(pts)
		if err != nil {
			t.Fatal(err)
		}
		if fit.MuSE <= 0 || fit.MuSE > 1 || fit.SigmaSE <= 0 || fit.SigmaSE > 1.5 {
			t.Errorf("seed %d: standard errors %v %v", seed, fit.MuSE, fit.SigmaSE)
		}
		if math.Abs(fit.Mu-mu) > 4*fit.MuSE || math.Abs(fit.Sigma-sigma) > 4*fit.SigmaSE {
			t.Errorf("seed %d: fit %+v, want mu %v sigma %v", seed, fit, mu, sigma)
		}
		// The fit maximises the likelihood: nudges lower it.
		for _, d := range [][2]float64{{0.1, 0}, {-0.1, 0}, {0, 0.1}, {0, -0.1}} {
			if cgLogLik(pts, fit.Mu+d[0], fit.Sigma+d[1]) > fit.LogLik {
				t.Errorf("seed %d: likelihood higher at %v", seed, d)
			}
		}
	}
}

func TestFitCumGaussErrors(t *testing.T) {
	sep := []PsychPoint{{-2, 10, 0}, {-1, 10, 0}, {0, 10, 4}, {1, 10, 10}}
	if _, err := FitCumGauss(sep); !errors.Is(err, ErrSeparated) {
		t.Errorf("separated data: err = %v", err)
	}
	for _, pts := range [][]PsychPoint{
		nil,
		{{1, 10, 5}, {1, 10, 6}},
		{{1, 10, 0}, {2, 10, 0}},
		{{1, 10, 11}, {2, 10, 0}},
		{{math.NaN(), 10, 3}, {2, 10, 5}},
	} {
		if _, err := FitCumGauss(pts); err == nil {
			t.Errorf("%+v accepted", pts)
		}
	}
	// Overlap makes the fit finite.
	if _, err := FitCumGauss([]PsychPoint{{-1, 10, 1}, {0, 10, 4}, {1, 10, 9}}); err != nil {
		t.Error(err)
	}
}

// TestEndToEnd scores a validation set with ideal outputs (the targets).
func TestEndToEnd(t *testing.T) {
	for _, name := range []string{"rdm_varstim", "mante", "multisensory", "romo"} {
		tk := mustNew(t, name, DefaultOptions())
		b, err := tk.Validation(NewRand(2), tk.Spec().NValidation)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := PercentCorrect(b.Target, b)
		if err != nil || pc != 100 {
			t.Errorf("%s: targets score %v, %v", name, pc, err)
		}
		if r, _ := RMSE(b.Target, b); r != 0 {
			t.Errorf("%s: RMSE of the targets = %v", name, r)
		}
	}
}

func TestFitCumGaussRange(t *testing.T) {
	xs := []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2}
	for _, f := range []CumGauss{{Mu: -20, Sigma: 3}, {Mu: 0, Sigma: 60}, {Mu: 30, Sigma: 15}, {Mu: 0.5, Sigma: 1.5}} {
		var pts []PsychPoint
		for _, x := range xs {
			n := 1 << 24
			pts = append(pts, PsychPoint{X: x, N: n, K: int(math.Round(float64(n) * f.P(x)))})
		}
		fit, err := FitCumGauss(pts)
		if err != nil {
			t.Errorf("%+v: %v", f, err)
			continue
		}
		if math.Abs(fit.Mu-f.Mu) > 1e-2*f.Sigma || math.Abs(fit.Sigma/f.Sigma-1) > 1e-2 {
			t.Errorf("fit %+v, want %+v", fit, f)
		}
	}
	// Decreasing data have no increasing fit.
	if _, err := FitCumGauss([]PsychPoint{{-1, 10, 9}, {0, 10, 5}, {1, 10, 1}}); err == nil {
		t.Error("decreasing data fitted")
	}
}

func ExampleFitCumGauss() {
	// A psychometric curve at 0 % and ±3.2 … ±51.2 % coherence, 100 trials
	// per condition; y would come from running a network on b.
	tk, _ := New("rdm_dense", DefaultOptions())
	var conds []Condition
	for _, c := range []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2} {
		for i := 0; i < 100; i++ {
			conds = append(conds, Coherent(c))
		}
	}
	b, _ := tk.Trials(NewRand(1), conds)
	// Stand-in for a network: output 0 wins with probability Φ((c−1)/8).
	truth := CumGauss{Mu: 1, Sigma: 8}
	rng := NewRand(2)
	y := make([]float64, b.B*b.T*b.O)
	for i, tr := range b.Trials {
		last := (i*b.T + tr.Steps - 1) * b.O
		if rng.Float64() < truth.P(SignedCoherence(tr.Cond)) {
			y[last] = 1
		} else {
			y[last+1] = 1
		}
	}
	pts, _ := Psychometric(y, b, 0, SignedCoherence)
	fit, _ := FitCumGauss(pts)
	fmt.Printf("%d points; bias within 3 SE: %v\n", len(pts), math.Abs(fit.Mu-1) < 3*fit.MuSE)
	// Output: 11 points; bias within 3 SE: true
}
