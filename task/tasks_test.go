// SPDX-License-Identifier: MIT

package task

import (
	"math"
	"testing"
)

func TestRDMFixed(t *testing.T) {
	for _, name := range []string{"rdm_dense", "rdm_nodale", "rdm_fixed"} {
		tk := mustNew(t, name, quiet())
		if i, o := tk.Dims(); i != 2 || o != 2 {
			t.Fatalf("%s dims = %d, %d", name, i, o)
		}
		b, err := tk.Trials(NewRand(1), []Condition{
			{Coherence: 12.8, Sign: 1},
			{Coherence: 51.2, Sign: -1},
		})
		if err != nil {
			t.Fatal(err)
		}
		// 100 + 800 + 300 ms at 20 ms: 5 + 40 + 15 = 60 steps.
		if b.T != 60 || b.Trials[0].Steps != 60 {
			t.Fatalf("T = %d, steps %d, want 60", b.T, b.Trials[0].Steps)
		}
		wantEpochs(t, b.Trials[0], map[string][2]int{
			"fixation": {0, 5}, "stimulus": {5, 45}, "decision": {45, 60},
		})
		// s(±12.8) = (1 ± 0.128)/2 = 0.564 / 0.436; c = 51.2: 0.756 / 0.244.
		checkInputs(t, b, 0, 0, 0.2, during(5, 45, 0.564))
		checkInputs(t, b, 0, 1, 0.2, during(5, 45, 0.436))
		checkInputs(t, b, 1, 0, 0.2, during(5, 45, 0.244))
		checkInputs(t, b, 1, 1, 0.2, during(5, 45, 0.756))
		check2AFC(t, b, 0, 5, 45, 60, 0, 1)
		check2AFC(t, b, 1, 5, 45, 60, 1, 1)
		if c := b.Trials[1].Cond; c.Choice != 1 {
			t.Errorf("choice of sign -1 = %d, want 1", c.Choice)
		}
	}
	// Test timing: fixation 300 ms.
	o := quiet()
	o.Test = true
	b, err := mustNew(t, "rdm_dense", o).Trials(NewRand(1), []Condition{{Coherence: 3.2, Sign: 1}})
	if err != nil {
		t.Fatal(err)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 15}, "stimulus": {15, 55}, "decision": {55, 70},
	})
	check2AFC(t, b, 0, 15, 55, 70, 0, 1)
}

// TestEpochConvention checks start < k·dt <= end with a dt that divides
// nothing: dt = 7 ms.
func TestEpochConvention(t *testing.T) {
	o := quiet()
	o.Dt = 7
	b, err := mustNew(t, "rdm_dense", o).Trials(NewRand(1), []Condition{{Coherence: 3.2, Sign: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// Steps k = 1..171 (int(1200/7)); fixation k·7 <= 100 -> k <= 14;
	// stimulus 100 < 7k <= 900 -> 15..128; decision 129..171.
	if b.T != 171 {
		t.Fatalf("T = %d, want 171", b.T)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 14}, "stimulus": {14, 128}, "decision": {128, 171},
	})
}

func TestRDMVarstim(t *testing.T) {
	tk := mustNew(t, "rdm_varstim", quiet())
	b, err := tk.Batch(NewRand(3), 300)
	if err != nil {
		t.Fatal(err)
	}
	durs := map[int]bool{}
	for i, tr := range b.Trials {
		if tr.Cond.Catch {
			if tr.Steps != 100 {
				t.Errorf("catch trial %d has %d steps, want 100", i, tr.Steps)
			}
			continue
		}
		stim, _ := tr.Epoch("stimulus")
		d := stim.EndMs - stim.StartMs
		if d < 80 || d >= 1500 || math.Mod(d, 20) != 0 {
			t.Errorf("trial %d: stimulus duration %v ms, want a multiple of 20 in [80, 1500)", i, d)
		}
		durs[int(d)] = true
		n := stim.End - stim.Start
		if n != int(d)/20 || stim.Start != 5 || tr.Steps != 5+n+15 {
			t.Errorf("trial %d: stimulus steps [%d,%d), %d steps", i, stim.Start, stim.End, tr.Steps)
		}
		wantEpochs(t, tr, map[string][2]int{
			"fixation": {0, 5}, "stimulus": {5, 5 + n}, "decision": {5 + n, 20 + n},
		})
		checkInputs(t, b, i, 2, 0.2, during(5, 5+n, 1))
		v := strength(tr.Cond.Coherence)
		checkInputs(t, b, i, side(tr.Cond.Sign), 0.2, during(5, 5+n, v))
		check2AFC(t, b, i, 5, 5+n, 20+n, tr.Cond.Choice, 1)
	}
	if len(durs) < 10 {
		t.Errorf("only %d distinct stimulus durations", len(durs))
	}
	o := quiet()
	o.Test = true
	b, err = mustNew(t, "rdm_varstim", o).Trials(NewRand(1), []Condition{{Coherence: 6.4, Sign: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := b.Trials[0].Epoch("fixation"); f.End != 25 {
		t.Errorf("test fixation ends at step %d, want 25", f.End)
	}
}

func TestRDMRT(t *testing.T) {
	tk := mustNew(t, "rdm_rt", quiet())
	b, err := tk.Trials(NewRand(1), []Condition{{Coherence: 25.6, Sign: -1}})
	if err != nil {
		t.Fatal(err)
	}
	// fixation (0,100], stimulus (100,900], decision (400,900]: 45 steps.
	if b.T != 45 {
		t.Fatalf("T = %d, want 45", b.T)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 5}, "stimulus": {5, 45}, "decision": {20, 45},
	})
	checkInputs(t, b, 0, 0, 0.2, during(5, 45, 0.372))
	checkInputs(t, b, 0, 1, 0.2, during(5, 45, 0.628))
	checkInputs(t, b, 0, 2, 0.2, during(5, 45, 1))
	check2AFC(t, b, 0, 5, 20, 45, 1, 1.2)

	o := quiet()
	o.Test = true
	b, err = mustNew(t, "rdm_rt", o).Trials(NewRand(1), []Condition{{Coherence: 25.6, Sign: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// Test: fixation 300, stimulus 1500: decision (600, 1800].
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 15}, "stimulus": {15, 90}, "decision": {30, 90},
	})
}

func TestMante(t *testing.T) {
	tk := mustNew(t, "mante", quiet())
	if i, o := tk.Dims(); i != 6 || o != 2 {
		t.Fatalf("dims = %d, %d", i, o)
	}
	b, err := tk.Trials(NewRand(1), []Condition{
		{Context: "m", CohMotion: 15, SignMotion: -1, CohColour: 50, SignColour: 1},
		{Context: "c", CohMotion: 15, SignMotion: -1, CohColour: 50, SignColour: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.T != 60 {
		t.Fatalf("T = %d, want 60", b.T)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 5}, "stimulus": {5, 45}, "decision": {45, 60},
	})
	// Motion -15 %: channel 3 gets (1+0.15)/2 = 0.575, channel 2 0.425.
	// Colour +50 %: channel 4 gets 0.75, channel 5 0.25.
	for tr, ctx := range []int{0, 1} {
		checkInputs(t, b, tr, ctx, 0.2, during(5, 45, 1))
		checkInputs(t, b, tr, 1-ctx, 0.2, during(0, 0, 0))
		checkInputs(t, b, tr, 2, 0.2, during(5, 45, 0.425))
		checkInputs(t, b, tr, 3, 0.2, during(5, 45, 0.575))
		checkInputs(t, b, tr, 4, 0.2, during(5, 45, 0.75))
		checkInputs(t, b, tr, 5, 0.2, during(5, 45, 0.25))
	}
	// The cued modality decides: motion says 1, colour says 0.
	check2AFC(t, b, 0, 5, 45, 60, 1, 1)
	check2AFC(t, b, 1, 5, 45, 60, 0, 1)
	if b.Trials[0].Cond.Choice != 1 || b.Trials[1].Cond.Choice != 0 {
		t.Errorf("choices %d %d, want 1 0", b.Trials[0].Cond.Choice, b.Trials[1].Cond.Choice)
	}
	if got := SignedCoherence(b.Trials[0].Cond); got != -15 {
		t.Errorf("signed coherence = %v, want -15", got)
	}
	o := quiet()
	o.Test = true
	b, _ = mustNew(t, "mante_areas", o).Trials(NewRand(1), []Condition{b.Trials[0].Cond})
	if f, _ := b.Trials[0].Epoch("fixation"); f.End != 20 || b.T != 75 {
		t.Errorf("test fixation ends at step %d (T %d), want 20 (75)", f.End, b.T)
	}
}

func TestMultisensory(t *testing.T) {
	tk := mustNew(t, "multisensory", quiet())
	b, err := tk.Trials(NewRand(1), []Condition{
		{Modality: "v", Freq: 14},
		{Modality: "a", Freq: 10},
		{Modality: "va", Freq: 16},
	})
	if err != nil {
		t.Fatal(err)
	}
	// 100 + 1000 + 300 ms: 5 + 50 + 15 = 70 steps.
	if b.T != 70 {
		t.Fatalf("T = %d, want 70", b.T)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 5}, "stimulus": {5, 55}, "decision": {55, 70},
	})
	pos14, neg14 := 0.4+0.8*5/7.0, 0.4+0.8*2/7.0
	pos10, neg10 := 0.4+0.8*1/7.0, 0.4+0.8*6/7.0
	checkInputs(t, b, 0, 0, 0.2, during(5, 55, pos14))
	checkInputs(t, b, 0, 2, 0.2, during(5, 55, neg14))
	checkInputs(t, b, 0, 1, 0.2, during(0, 0, 0))
	checkInputs(t, b, 0, 3, 0.2, during(0, 0, 0))
	checkInputs(t, b, 0, 4, 0.2, during(5, 70, 1))
	checkInputs(t, b, 1, 1, 0.2, during(5, 55, pos10))
	checkInputs(t, b, 1, 3, 0.2, during(5, 55, neg10))
	checkInputs(t, b, 1, 0, 0.2, during(0, 0, 0))
	checkInputs(t, b, 2, 0, 0.2, during(5, 55, 1.2))
	checkInputs(t, b, 2, 1, 0.2, during(5, 55, 1.2))
	checkInputs(t, b, 2, 2, 0.2, during(5, 55, 0.4))
	checkInputs(t, b, 2, 3, 0.2, during(5, 55, 0.4))
	check2AFC(t, b, 0, 5, 55, 70, 0, 1)
	check2AFC(t, b, 1, 5, 55, 70, 1, 1)
	check2AFC(t, b, 2, 5, 55, 70, 0, 1)
	if Frequency(b.Trials[1].Cond) != 10 {
		t.Errorf("Frequency = %v", Frequency(b.Trials[1].Cond))
	}
}

func TestRomo(t *testing.T) {
	o := quiet()
	o.Test = true
	b, err := mustNew(t, "romo", o).Trials(NewRand(1), []Condition{{F1: 18, F2: 26}})
	if err != nil {
		t.Fatal(err)
	}
	// Test: 500 + 500 + 3000 + 500 + 300 ms = 240 steps.
	if b.T != 240 {
		t.Fatalf("T = %d, want 240", b.T)
	}
	wantEpochs(t, b.Trials[0], map[string][2]int{
		"fixation": {0, 25}, "f1": {25, 50}, "delay": {50, 200}, "f2": {200, 225}, "decision": {225, 240},
	})
	p := func(f float64) float64 { return 0.4 + 0.8*(f-10)/24 }
	n := func(f float64) float64 { return 0.4 + 0.8*(34-f)/24 }
	checkInputs(t, b, 0, 0, 0.2, func(s int) float64 {
		return during(25, 50, p(18))(s) + during(200, 225, p(26))(s)
	})
	checkInputs(t, b, 0, 1, 0.2, func(s int) float64 {
		return during(25, 50, n(18))(s) + during(200, 225, n(26))(s)
	})
	check2AFC(t, b, 0, 25, 225, 240, 1, 1)

	// Training: delay ~ U[2500, 3500) floored to 20 ms.
	b, err = mustNew(t, "romo", quiet()).Batch(NewRand(5), 200)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range b.Trials {
		if tr.Cond.Catch {
			if tr.Steps != 125 {
				t.Errorf("catch trial has %d steps, want 125", tr.Steps)
			}
			continue
		}
		d, _ := tr.Epoch("delay")
		ms := d.EndMs - d.StartMs
		if ms < 2500 || ms >= 3500 || math.Mod(ms, 20) != 0 || d.Start != 30 || d.End-d.Start != int(ms)/20 {
			t.Errorf("trial %d: delay %v ms, steps [%d,%d)", i, ms, d.Start, d.End)
		}
		if tr.Steps != 30+(d.End-d.Start)+40 {
			t.Errorf("trial %d: %d steps", i, tr.Steps)
		}
	}
}

func TestSinewave(t *testing.T) {
	tk := mustNew(t, "sinewave", DefaultOptions())
	b, err := tk.Batch(NewRand(1), 3)
	if err != nil {
		t.Fatal(err)
	}
	if b.T != 80 || b.I != 0 || b.O != 1 || len(b.Input) != 0 {
		t.Fatalf("T %d I %d O %d len(Input) %d", b.T, b.I, b.O, len(b.Input))
	}
	for s := 0; s < b.T; s++ {
		w := 0.9 * math.Sin(2*math.Pi*float64(s+1)*20/800)
		if !near(tg(b, 2, s, 0), w) || mk(b, 2, s, 0) != 1 {
			t.Fatalf("step %d: target %v mask %v, want %v 1", s, tg(b, 2, s, 0), mk(b, 2, s, 0), w)
		}
	}
	// t = 200 ms (step index 9) is the peak, t = 400 ms a zero crossing.
	if !near(tg(b, 0, 9, 0), 0.9) || math.Abs(tg(b, 0, 19, 0)) > 1e-12 {
		t.Errorf("target at 200 ms = %v, at 400 ms = %v", tg(b, 0, 9, 0), tg(b, 0, 19, 0))
	}
	if _, err := tk.Trials(NewRand(1), []Condition{Catch}); err == nil {
		t.Error("sinewave accepted a catch trial")
	}
}

func TestCatchAndPadding(t *testing.T) {
	for name, steps := range map[string]int{
		"rdm_dense": 100, "rdm_varstim": 100, "rdm_rt": 100, "mante": 100, "multisensory": 125, "romo": 125,
	} {
		tk := mustNew(t, name, quiet())
		b, err := tk.Trials(NewRand(1), []Condition{Catch, tk.Conditions()[1]})
		if err != nil {
			t.Fatal(err)
		}
		if b.Trials[0].Steps != steps || b.T != max(steps, b.Trials[1].Steps) {
			t.Errorf("%s: catch trial has %d steps (T %d), want %d", name, b.Trials[0].Steps, b.T, steps)
		}
		for s := 0; s < b.T; s++ {
			for tr := 0; tr < 2; tr++ {
				if s < b.Trials[tr].Steps {
					continue
				}
				for k := 0; k < b.O; k++ {
					if tg(b, tr, s, k) != 0 || mk(b, tr, s, k) != 0 {
						t.Fatalf("%s: padding of trial %d at step %d not zero", name, tr, s)
					}
				}
				for k := 0; k < b.I; k++ {
					if in(b, tr, s, k) != 0.2 {
						t.Fatalf("%s: padding input = %v, want the baseline", name, in(b, tr, s, k))
					}
				}
			}
			if s >= steps {
				continue
			}
			for k := 0; k < b.O; k++ {
				if tg(b, 0, s, k) != 0.2 || mk(b, 0, s, k) != 1 {
					t.Fatalf("%s: catch target/mask at step %d = %v/%v", name, s, tg(b, 0, s, k), mk(b, 0, s, k))
				}
			}
			for k := 0; k < b.I; k++ {
				if in(b, 0, s, k) != 0.2 {
					t.Fatalf("%s: catch input %d at step %d = %v, want the baseline", name, k, s, in(b, 0, s, k))
				}
			}
		}
		if len(b.Trials[0].Epochs) != 0 || b.Trials[0].Cond.Choice != -1 {
			t.Errorf("%s: catch trial %+v", name, b.Trials[0])
		}
	}
}

func TestZeroCoherence(t *testing.T) {
	b, err := mustNew(t, "rdm_dense", quiet()).Trials(NewRand(1), []Condition{{Coherence: 0, Sign: -1}})
	if err != nil {
		t.Fatal(err)
	}
	checkInputs(t, b, 0, 0, 0.2, during(5, 45, 0.5))
	checkInputs(t, b, 0, 1, 0.2, during(5, 45, 0.5))
	if c := b.Trials[0].Cond; c.Choice != -1 || SignedCoherence(c) != 0 {
		t.Errorf("0 %% condition %+v", c)
	}
}

func TestInputNoise(t *testing.T) {
	o := DefaultOptions()
	b, err := mustNew(t, "rdm_dense", o).Trials(NewRand(9), []Condition{Catch, Catch, Catch, Catch, Catch})
	if err != nil {
		t.Fatal(err)
	}
	var s, s2 float64
	for _, v := range b.Input {
		s += v
		s2 += v * v
	}
	n := float64(len(b.Input))
	mean := s / n
	sd := math.Sqrt(s2/n - mean*mean)
	// sqrt(2·100/20)·0.01 = 0.0316; 1000 samples: SE of the mean 0.001.
	if want := math.Sqrt(10) * 0.01; math.Abs(sd-want) > 0.1*want || math.Abs(mean-0.2) > 0.005 {
		t.Errorf("noise mean %v sd %v, want 0.2 and %v", mean, sd, want)
	}
	o.SigmaIn = 1
	b, _ = mustNew(t, "rdm_dense", o).Batch(NewRand(9), 20)
	for _, v := range b.Input {
		if v < 0 {
			t.Fatalf("input %v < 0: not rectified", v)
		}
	}
}
