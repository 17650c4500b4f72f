// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"math"
	"testing"
)

func TestMultisensoryConditions(t *testing.T) {
	conds := MultisensoryConditions(2)
	if len(conds) != 3*8*2 {
		t.Fatalf("%d conditions, want 48", len(conds))
	}
	if c := conds[0]; c.Modality != "v" || c.Freq != 9 {
		t.Errorf("first condition %+v", c)
	}
	if c := conds[2*8]; c.Modality != "a" || c.Freq != 9 {
		t.Errorf("condition 16 = %+v, want a 9", c)
	}
	if c := conds[47]; c.Modality != "va" || c.Freq != 16 {
		t.Errorf("last condition %+v", c)
	}
	b, err := mustNew(t, "multisensory", quiet()).Trials(NewRand(1), conds)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range b.Trials {
		want := 1
		if tr.Cond.Freq > 12.5 {
			want = 0
		}
		if tr.Cond.Choice != want || tr.Cond.Catch {
			t.Errorf("trial %d: %+v, want choice %d", i, tr.Cond, want)
		}
	}
}

// msBatch returns a multisensory batch of n trials per condition and
// outputs in which k(modality, rate) of the n trials choose output 0.
func msBatch(t *testing.T, n int, k func(mod string, f float64) int) ([]float64, *Batch) {
	t.Helper()
	b, err := mustNew(t, "multisensory", quiet()).Trials(NewRand(2), MultisensoryConditions(n))
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, b.B*b.T*b.O)
	seen := map[Condition]int{}
	for i, tr := range b.Trials {
		c := tr.Cond
		if seen[c] < k(c.Modality, c.Freq) {
			setLast(y, b, i, 0.9, 0.1)
		} else {
			setLast(y, b, i, 0.1, 0.9)
		}
		seen[c]++
	}
	return y, b
}

func TestAnalyzeMultisensoryCounts(t *testing.T) {
	// Choices we control: visual chooses "high" on 2·(f−9) of 20 trials,
	// auditory on 20 − (16−f), and combined on all trials above 12.5 and
	// none below.
	kv := func(f float64) int { return int(2 * (f - 9)) }
	ka := func(f float64) int { return 20 - int(16-f) }
	kva := func(f float64) int {
		if f > 12.5 {
			return 20
		}
		return 0
	}
	y, b := msBatch(t, 20, func(m string, f float64) int {
		switch m {
		case "v":
			return kv(f)
		case "a":
			return ka(f)
		}
		return kva(f)
	})
	// PsychometricBy alone: one curve per modality, sorted by rate.
	curves, err := PsychometricBy(y, b, 0, Frequency, func(c Condition) string { return c.Modality })
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 3 {
		t.Fatalf("%d curves, want 3", len(curves))
	}
	r, err := AnalyzeMultisensory(y, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mod string
		k   func(float64) int
		got ModalityCurve
	}{{"v", kv, r.V}, {"a", ka, r.A}, {"va", kva, r.VA}} {
		if c.got.Modality != c.mod || len(c.got.Points) != 8 || len(curves[c.mod]) != 8 {
			t.Fatalf("%s: curve %+v", c.mod, c.got)
		}
		correct := 0
		for i, p := range c.got.Points {
			f := 9 + float64(i)
			if want := (PsychPoint{X: f, N: 20, K: c.k(f)}); p != want || curves[c.mod][i] != want {
				t.Errorf("%s point %d = %+v, want %+v", c.mod, i, p, want)
			}
			if f > 12.5 {
				correct += c.k(f)
			} else {
				correct += 20 - c.k(f)
			}
		}
		if c.got.N != 160 || c.got.Correct != correct {
			t.Errorf("%s: %d of %d correct, want %d of 160", c.mod, c.got.Correct, c.got.N, correct)
		}
	}
	if r.V.Correct != 112 || r.VA.Percent() != 100 {
		t.Errorf("v correct %d, va %v %%", r.V.Correct, r.VA.Percent())
	}
	// Visual and auditory overlap and can be fitted; combined is separated.
	if r.V.FitErr != nil || r.A.FitErr != nil || !errors.Is(r.VA.FitErr, ErrSeparated) {
		t.Fatalf("fit errors v %v, a %v, va %v", r.V.FitErr, r.A.FitErr, r.VA.FitErr)
	}
	if ok, err := r.Enhanced(); !ok || err != nil {
		t.Errorf("separated combined curve: Enhanced = %v, %v; want true", ok, err)
	}
	if _, err := r.Optimality(); err == nil {
		t.Error("Optimality without a combined threshold")
	}
	r.V.FitErr = ErrSeparated
	if _, err := r.Enhanced(); err == nil {
		t.Error("Enhanced without a visual threshold")
	}
}

func TestAnalyzeMultisensoryFits(t *testing.T) {
	phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
	const n = 200
	// σ_va = 1/sqrt(1/2² + 1/1.5²) = 1.2: an optimal integrator.
	for _, tc := range []struct {
		sv, sa, sva float64
		enhanced    bool
	}{{2, 1.5, 1.2, true}, {2, 1.5, 1.8, false}} {
		sigma := map[string]float64{"v": tc.sv, "a": tc.sa, "va": tc.sva}
		y, b := msBatch(t, n, func(m string, f float64) int {
			return int(math.Round(n * phi((f-12.5)/sigma[m])))
		})
		r, err := AnalyzeMultisensory(y, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Curves() {
			if c.FitErr != nil {
				t.Fatalf("%s: %v", c.Modality, c.FitErr)
			}
			if s := sigma[c.Modality]; math.Abs(c.Fit.Sigma-s) > 0.03*s || math.Abs(c.Fit.Mu-12.5) > 0.03 {
				t.Errorf("%s: fit mu %v sigma %v, want 12.5 %v", c.Modality, c.Fit.Mu, c.Fit.Sigma, s)
			}
		}
		o, err := r.Optimality()
		if err != nil {
			t.Fatal(err)
		}
		want := 1/(tc.sv*tc.sv) + 1/(tc.sa*tc.sa)
		if math.Abs(o.Predicted-want) > 0.05*want || math.Abs(o.Observed-1/(tc.sva*tc.sva)) > 0.05/(tc.sva*tc.sva) {
			t.Errorf("optimality %+v, want predicted %v observed %v", o, want, 1/(tc.sva*tc.sva))
		}
		if !(o.PredictedSE > 0 && o.ObservedSE > 0) {
			t.Errorf("standard errors %+v", o)
		}
		if optimal := math.Abs(o.Ratio()-1) < 0.1; optimal != tc.enhanced {
			t.Errorf("ratio %v for sigma_va %v", o.Ratio(), tc.sva)
		}
		if ok, err := r.Enhanced(); ok != tc.enhanced || err != nil {
			t.Errorf("sigma_va %v: Enhanced = %v, %v; want %v", tc.sva, ok, err, tc.enhanced)
		}
	}
}

func TestAnalyzeMultisensoryErrors(t *testing.T) {
	// Only two modalities.
	b, err := mustNew(t, "multisensory", quiet()).Trials(NewRand(3), MultisensoryConditions(3)[:2*8*3])
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, b.B*b.T*b.O)
	if _, err := AnalyzeMultisensory(y, b); err == nil {
		t.Error("batch without combined trials analysed")
	}
	// Not a multisensory batch.
	rb, _ := mustNew(t, "rdm_dense", quiet()).Trials(NewRand(1), []Condition{Coherent(6.4), Coherent(-6.4)})
	if _, err := AnalyzeMultisensory(make([]float64, rb.B*rb.T*rb.O), rb); err == nil {
		t.Error("rdm batch analysed as multisensory")
	}
	if _, err := PsychometricBy(make([]float64, rb.B*rb.T*rb.O), rb, 0, SignedCoherence, nil); err == nil {
		t.Error("nil group function accepted")
	}
}
