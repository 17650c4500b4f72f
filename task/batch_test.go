// SPDX-License-Identifier: MIT

package task

import (
	"math"
	"reflect"
	"testing"
)

func TestCatchFrequency(t *testing.T) {
	for name, p := range map[string]float64{
		"rdm_dense": 1.0 / 11, "rdm_rt": 5.0 / 11, "rdm_varstim": 1.0 / 11,
		"mante": 1.0 / 73, "multisensory": 0.2, "romo": 1.0 / 11, "sinewave": 0,
	} {
		tk := mustNew(t, name, quiet())
		if tk.Spec().CatchProb != p {
			t.Errorf("%s: CatchProb %v, want %v", name, tk.Spec().CatchProb, p)
		}
		const n = 5000
		b, err := tk.Batch(NewRand(17), n)
		if err != nil {
			t.Fatal(err)
		}
		var catches int
		counts := map[Condition]int{}
		for _, tr := range b.Trials {
			if tr.Cond.Catch {
				catches++
			} else {
				counts[tr.Cond]++
			}
		}
		sd := math.Sqrt(n * p * (1 - p))
		if math.Abs(float64(catches)-n*p) > 4*sd+0.5 {
			t.Errorf("%s: %d catch trials of %d, want %v ± %v", name, catches, n, n*p, 4*sd)
		}
		// The other conditions are drawn uniformly from the training set.
		nc := len(tk.Conditions())
		if p > 0 {
			nc--
		}
		if len(counts) != nc {
			t.Errorf("%s: %d distinct conditions drawn, want %d", name, len(counts), nc)
		}
		m := float64(n-catches) / float64(nc)
		for c, k := range counts {
			if math.Abs(float64(k)-m) > 5*math.Sqrt(m)+0.5 {
				t.Errorf("%s: condition %+v drawn %d times, want about %v", name, c, k, m)
			}
		}
	}
}

func TestValidation(t *testing.T) {
	for name, want := range map[string]struct{ nc, nval int }{
		"rdm_dense": {11, 1100}, "rdm_varstim": {11, 1100}, "rdm_rt": {11, 1100},
		"mante": {73, 3650}, "multisensory": {25, 2500}, "romo": {11, 1100}, "sinewave": {1, 50},
	} {
		tk := mustNew(t, name, DefaultOptions())
		conds := tk.Conditions()
		if len(conds) != want.nc || tk.Spec().NValidation != want.nval {
			t.Errorf("%s: %d conditions, NValidation %d; want %d, %d", name, len(conds), tk.Spec().NValidation, want.nc, want.nval)
		}
		if (tk.Spec().CatchProb > 0) != conds[0].Catch {
			t.Errorf("%s: condition 0 = %+v", name, conds[0])
		}
		rng := NewRand(4)
		b, err := tk.Validation(rng, tk.Spec().NValidation)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[Condition]int{}
		for i, tr := range b.Trials {
			if tr.Cond != conds[i%len(conds)] {
				t.Fatalf("%s: trial %d has %+v, want %+v", name, i, tr.Cond, conds[i%len(conds)])
			}
			counts[tr.Cond]++
		}
		if len(counts) != len(conds) {
			t.Errorf("%s: %d distinct conditions, want %d", name, len(counts), len(conds))
		}
		for c, k := range counts {
			if k != want.nval/want.nc {
				t.Errorf("%s: condition %+v appears %d times, want %d", name, c, k, want.nval/want.nc)
			}
		}
		// Fresh noise per call.
		b2, err := tk.Validation(rng, tk.Spec().NValidation)
		if err != nil {
			t.Fatal(err)
		}
		if name != "sinewave" && reflect.DeepEqual(b.Input, b2.Input) {
			t.Errorf("%s: two validation calls gave the same inputs", name)
		}
	}
	// pycog's order (Fortran unravel): coherence fastest, then sign.
	c := mustNew(t, "rdm_dense", DefaultOptions()).Conditions()
	if c[1] != (Condition{Choice: 0, Coherence: 3.2, Sign: 1}) ||
		c[5] != (Condition{Choice: 0, Coherence: 51.2, Sign: 1}) ||
		c[6] != (Condition{Choice: 1, Coherence: 3.2, Sign: -1}) {
		t.Errorf("rdm conditions %+v", c)
	}
	// mante: the context varies fastest.
	c = mustNew(t, "mante", DefaultOptions()).Conditions()
	if c[1].Context != "m" || c[2].Context != "c" || c[3].CohMotion != 15 || c[7].CohColour != 15 ||
		c[19].SignMotion != -1 || c[37].SignColour != -1 || c[36].SignColour != 1 {
		t.Errorf("mante conditions out of pycog's order: %+v %+v %+v", c[1], c[2], c[3])
	}
	// romo: pairs fastest, '>' first.
	c = mustNew(t, "romo", DefaultOptions()).Conditions()
	if c[1] != (Condition{F1: 18, F2: 10}) || c[6] != (Condition{F1: 10, F2: 18, Choice: 1}) {
		t.Errorf("romo conditions %+v %+v", c[1], c[6])
	}
	c = mustNew(t, "multisensory", DefaultOptions()).Conditions()
	if c[1] != (Condition{Modality: "v", Freq: 9, Choice: 1}) || c[3].Modality != "va" || c[4].Freq != 10 {
		t.Errorf("multisensory conditions %+v", c[1:5])
	}
}

func TestDeterminism(t *testing.T) {
	for _, name := range Names() {
		tk := mustNew(t, name, DefaultOptions())
		a, err := tk.Batch(NewRand(42), 30)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := tk.Batch(NewRand(42), 30)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: same seed gave different batches", name)
		}
		c, _ := tk.Batch(NewRand(43), 30)
		if name != "sinewave" && reflect.DeepEqual(a, c) {
			t.Errorf("%s: seeds 42 and 43 gave the same batch", name)
		}
		v1, _ := tk.Validation(NewRand(7), 40)
		v2, _ := tk.Validation(NewRand(7), 40)
		if !reflect.DeepEqual(v1, v2) {
			t.Errorf("%s: same seed gave different validation sets", name)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, dt := range []float64{0, -20, math.NaN(), math.Inf(1)} {
		o := DefaultOptions()
		o.Dt = dt
		if _, err := New("rdm_dense", o); err == nil {
			t.Errorf("dt = %v accepted", dt)
		}
	}
	o := DefaultOptions()
	o.Dt = 1500
	if _, err := mustNew(t, "rdm_dense", o).Batch(NewRand(1), 5); err == nil {
		t.Error("dt longer than a trial accepted")
	}
	o = DefaultOptions()
	o.SigmaIn = -1
	if _, err := New("romo", o); err == nil {
		t.Error("negative sigma_in accepted")
	}
	o = DefaultOptions()
	o.TauIn = 0
	if _, err := New("romo", o); err == nil {
		t.Error("tau_in = 0 with noise accepted")
	}
	if _, err := New("nope", DefaultOptions()); err == nil {
		t.Error("unknown task accepted")
	}
	tk := mustNew(t, "rdm_dense", DefaultOptions())
	rng := NewRand(1)
	for _, n := range []int{0, -5} {
		if _, err := tk.Batch(rng, n); err == nil {
			t.Errorf("batch size %d accepted", n)
		}
		if _, err := tk.Validation(rng, n); err == nil {
			t.Errorf("validation size %d accepted", n)
		}
	}
	if _, err := tk.Batch(nil, 3); err == nil {
		t.Error("nil rng accepted")
	}
	if _, err := tk.Trials(rng, nil); err == nil {
		t.Error("empty request accepted")
	}
	bad := map[string][]Condition{
		"rdm_dense": {
			{Coherence: 12.8}, {Coherence: 120, Sign: 1}, {Coherence: -1, Sign: 1},
			{Coherence: 12.8, Sign: 1, Context: "m"}, {Catch: true, Coherence: 3.2},
		},
		"mante": {
			{Context: "x", CohMotion: 5, CohColour: 5, SignMotion: 1, SignColour: 1},
			{Context: "m", CohMotion: 5, CohColour: 5, SignMotion: 1},
			{Coherence: 3.2, Sign: 1},
		},
		"multisensory": {{Modality: "z", Freq: 10}, {Modality: "v", Freq: 12.5}, {Modality: "v", Freq: -3}},
		"romo":         {{F1: 20, F2: 20}, {F1: 0, F2: 10}, {F1: 20, F2: 10, Freq: 3}},
		"sinewave":     {Catch, {Coherence: 3.2, Sign: 1}},
	}
	for name, cs := range bad {
		tk := mustNew(t, name, DefaultOptions())
		for _, c := range cs {
			if _, err := tk.Trials(rng, []Condition{c}); err == nil {
				t.Errorf("%s accepted %+v", name, c)
			}
		}
	}
}

func TestSpecDone(t *testing.T) {
	rdm := mustNew(t, "rdm_dense", DefaultOptions()).Spec()
	if !rdm.Done([]float64{50, 86, 86, 86, 86, 86}) || rdm.Done([]float64{85, 85, 85, 85, 85}) ||
		rdm.Done([]float64{100, 100, 100, 60, 60}) || rdm.Done(nil) {
		t.Error("rdm stop rule wrong")
	}
	romo := mustNew(t, "romo", DefaultOptions()).Spec()
	if !romo.Done([]float64{10, 85}) || romo.Done([]float64{90, 84.9}) || romo.Metric != MinConditionMetric {
		t.Error("romo stop rule wrong")
	}
	sine := mustNew(t, "sinewave", DefaultOptions()).Spec()
	if !sine.Done([]float64{0.3, 0.05}) || sine.Done([]float64{0.01, 0.06}) || !sine.Continuous {
		t.Error("sinewave stop rule wrong")
	}
}
