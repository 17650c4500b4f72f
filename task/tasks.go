// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Target levels of the two-choice tasks.
const (
	lo = 0.2
	hi = 1.0
)

// rdmCohs are the training coherences of the rdm tasks in percent
// (pycog's 1, 2, 4, 8, 16 times 3.2).
var rdmCohs = []float64{3.2 * 1, 3.2 * 2, 3.2 * 4, 3.2 * 8, 3.2 * 16}

// manteCohs are mante's coherences in percent (pycog's 1, 3, 10 times 5).
var manteCohs = []float64{5 * 1, 5 * 3, 5 * 10}

var signs = []int{1, -1}

var modalities = []string{"v", "a", "va"}

// romoPairs are romo's (larger, smaller) frequency pairs in Hz.
var romoPairs = [][2]float64{{18, 10}, {22, 14}, {26, 18}, {30, 22}, {34, 26}}

// Multisensory and romo tuning ranges.
const (
	msFmin, msFmax, msBoundary = 9.0, 16.0, 12.5
	romoFmin, romoFmax         = 10.0, 34.0
)

// strength maps a coherence in percent to the input of the channel it
// favours; the other channel gets strength(-coh).
func strength(coh float64) float64 { return (1 + coh/100) / 2 }

var registry = map[string]func(name string, opt Options) Task{
	"rdm_dense":    newRDM,
	"rdm_nodale":   newRDM,
	"rdm_fixed":    newRDM,
	"rdm_varstim":  newRDM,
	"rdm_rt":       newRDM,
	"mante":        newMante,
	"mante_areas":  newMante,
	"multisensory": newMultisensory,
	"romo":         newRomo,
	"sinewave":     newSinewave,
}

var errForeign = errors.New("sets fields the task does not use")

func checkCoh(coh float64) error {
	if !(coh >= 0 && coh <= 100) {
		return fmt.Errorf("coherence %v outside [0, 100]", coh)
	}
	return nil
}

func checkSign(s int) error {
	if s != 1 && s != -1 {
		return fmt.Errorf("sign %d is not +1 or -1", s)
	}
	return nil
}

// same reports whether a request holds only the fields of its checked form.
func same(req, checked Condition) bool {
	req.Choice, checked.Choice = 0, 0
	return req == checked
}

func newRDM(name string, opt Options) Task {
	in, pcatch := 2, 1.0/11
	switch name {
	case "rdm_varstim":
		in = 3
	case "rdm_rt":
		in, pcatch = 3, 5.0/11
	}
	g := &gen{
		name: name, opt: opt, catchT: 2000, lo: lo,
		spec: Spec{
			Name: name, In: in, Out: 2, N: 100, CatchProb: pcatch,
			Minibatch: 20, NValidation: 1100,
			Metric: PercentCorrectMetric, Window: 5, Threshold: 85,
		},
	}
	g.conds = []Condition{Catch}
	for _, s := range signs {
		for _, c := range rdmCohs {
			g.conds = append(g.conds, Condition{Choice: side(s), Coherence: c, Sign: s})
		}
	}
	g.draw = func(rng *rand.Rand) Condition {
		c := rdmCohs[rng.IntN(len(rdmCohs))]
		s := signs[rng.IntN(len(signs))]
		return Condition{Choice: side(s), Coherence: c, Sign: s}
	}
	g.norm = func(req Condition) (Condition, error) {
		if err := checkCoh(req.Coherence); err != nil {
			return req, err
		}
		if err := checkSign(req.Sign); err != nil {
			return req, err
		}
		c := Condition{Choice: side(req.Sign), Coherence: req.Coherence, Sign: req.Sign}
		if c.Coherence == 0 {
			c.Choice = -1
		}
		if !same(req, c) {
			return req, errForeign
		}
		return c, nil
	}
	switch name {
	case "rdm_varstim":
		g.layout = layoutVarstim
	case "rdm_rt":
		g.layout = layoutRT
	default:
		g.layout = layoutRDM
	}
	return g
}

// rdmStimulus sets the two motion channels over the stimulus epoch.
func rdmStimulus(d *trialData, stim Epoch, c Condition) {
	k := side(c.Sign)
	d.input(stim, k, strength(c.Coherence))
	d.input(stim, 1-k, strength(-c.Coherence))
}

func layoutRDM(g *gen, _ *rand.Rand, c Condition) *trialData {
	fixation, stimulus, decision := 100.0, 800.0, 300.0
	if g.opt.Test {
		fixation = 300
	}
	T := fixation + stimulus + decision
	d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
	fix := d.epoch("fixation", 0, fixation)
	stim := d.epoch("stimulus", fixation, fixation+stimulus)
	dec := d.epoch("decision", fixation+stimulus, T)
	rdmStimulus(d, stim, c)
	decision2AFC(d, fix, dec, side(c.Sign), lo, hi)
	return d
}

func layoutVarstim(g *gen, rng *rand.Rand, c Condition) *trialData {
	fixation, decision := 100.0, 300.0
	if g.opt.Test {
		fixation = 500
	}
	stimulus := truncExp(rng, g.opt.Dt, 330, 80, 1500)
	T := fixation + stimulus + decision
	d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
	fix := d.epoch("fixation", 0, fixation)
	stim := d.epoch("stimulus", fixation, fixation+stimulus)
	dec := d.epoch("decision", fixation+stimulus, T)
	rdmStimulus(d, stim, c)
	d.input(stim, 2, 1)
	decision2AFC(d, fix, dec, side(c.Sign), lo, hi)
	return d
}

func layoutRT(g *gen, _ *rand.Rand, c Condition) *trialData {
	fixation, stimulus, noReward := 100.0, 800.0, 300.0
	if g.opt.Test {
		fixation, stimulus = 300, 1500
	}
	T := fixation + stimulus
	d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
	fix := d.epoch("fixation", 0, fixation)
	stim := d.epoch("stimulus", fixation, T)
	dec := d.epoch("decision", fixation+noReward, T)
	rdmStimulus(d, stim, c)
	d.input(stim, 2, 1)
	decision2AFC(d, fix, dec, side(c.Sign), lo, 1.2)
	return d
}

func newMante(name string, opt Options) Task {
	ctxs := []string{"m", "c"}
	g := &gen{
		name: name, opt: opt, catchT: 2000, lo: lo,
		spec: Spec{
			Name: name, In: 6, Out: 2, N: 150, CatchProb: 1.0 / 73,
			Minibatch: 50, NValidation: 3650,
			Metric: PercentCorrectMetric, Window: 5, Threshold: 90,
		},
	}
	mk := func(ctx string, cm, cc float64, sm, sc int) Condition {
		c := Condition{Context: ctx, CohMotion: cm, CohColour: cc, SignMotion: sm, SignColour: sc}
		coh, s := cm, sm
		if ctx == "c" {
			coh, s = cc, sc
		}
		c.Choice = side(s)
		if coh == 0 {
			c.Choice = -1
		}
		return c
	}
	// pycog's order: the context varies fastest, then the motion and colour
	// coherences, then their signs.
	g.conds = []Condition{Catch}
	for _, sc := range signs {
		for _, sm := range signs {
			for _, cc := range manteCohs {
				for _, cm := range manteCohs {
					for _, ctx := range ctxs {
						g.conds = append(g.conds, mk(ctx, cm, cc, sm, sc))
					}
				}
			}
		}
	}
	g.draw = func(rng *rand.Rand) Condition {
		ctx := ctxs[rng.IntN(2)]
		cm := manteCohs[rng.IntN(len(manteCohs))]
		cc := manteCohs[rng.IntN(len(manteCohs))]
		sm := signs[rng.IntN(2)]
		sc := signs[rng.IntN(2)]
		return mk(ctx, cm, cc, sm, sc)
	}
	g.norm = func(req Condition) (Condition, error) {
		if req.Context != "m" && req.Context != "c" {
			return req, fmt.Errorf("context %q is not \"m\" or \"c\"", req.Context)
		}
		for _, err := range []error{
			checkCoh(req.CohMotion), checkCoh(req.CohColour),
			checkSign(req.SignMotion), checkSign(req.SignColour),
		} {
			if err != nil {
				return req, err
			}
		}
		c := mk(req.Context, req.CohMotion, req.CohColour, req.SignMotion, req.SignColour)
		if !same(req, c) {
			return req, errForeign
		}
		return c, nil
	}
	g.layout = func(g *gen, _ *rand.Rand, c Condition) *trialData {
		fixation, stimulus, decision := 100.0, 800.0, 300.0
		if g.opt.Test {
			fixation = 400
		}
		T := fixation + stimulus + decision
		d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
		fix := d.epoch("fixation", 0, fixation)
		stim := d.epoch("stimulus", fixation, fixation+stimulus)
		dec := d.epoch("decision", fixation+stimulus, T)
		target := side(c.SignMotion)
		if c.Context == "m" {
			d.input(stim, 0, 1)
		} else {
			d.input(stim, 1, 1)
			target = side(c.SignColour)
		}
		km, kc := side(c.SignMotion), side(c.SignColour)
		d.input(stim, 2+km, strength(c.CohMotion))
		d.input(stim, 2+1-km, strength(-c.CohMotion))
		d.input(stim, 4+kc, strength(c.CohColour))
		d.input(stim, 4+1-kc, strength(-c.CohColour))
		decision2AFC(d, fix, dec, target, lo, hi)
		return d
	}
	return g
}

// Multisensory input channels.
const (
	visualPos = iota
	auditoryPos
	visualNeg
	auditoryNeg
	msStart
)

func newMultisensory(name string, opt Options) Task {
	g := &gen{
		name: name, opt: opt, catchT: 2500, lo: lo,
		spec: Spec{
			Name: name, In: 5, Out: 2, N: 150, CatchProb: 5.0 / 25,
			Minibatch: 20, NValidation: 2500,
			Metric: PercentCorrectMetric, Window: 5, Threshold: 90,
		},
	}
	mk := func(mod string, f float64) Condition {
		c := Condition{Modality: mod, Freq: f, Choice: 1}
		if f > msBoundary {
			c.Choice = 0
		}
		return c
	}
	g.conds = []Condition{Catch}
	for f := msFmin; f <= msFmax; f++ {
		for _, m := range modalities {
			g.conds = append(g.conds, mk(m, f))
		}
	}
	g.draw = func(rng *rand.Rand) Condition {
		m := modalities[rng.IntN(len(modalities))]
		f := msFmin + float64(rng.IntN(int(msFmax-msFmin)+1))
		return mk(m, f)
	}
	g.norm = func(req Condition) (Condition, error) {
		switch req.Modality {
		case "v", "a", "va":
		default:
			return req, fmt.Errorf("modality %q is not \"v\", \"a\" or \"va\"", req.Modality)
		}
		if !(req.Freq > 0) || math.IsInf(req.Freq, 0) || req.Freq == msBoundary {
			return req, fmt.Errorf("frequency %v is not positive, finite and off the boundary %v", req.Freq, msBoundary)
		}
		c := mk(req.Modality, req.Freq)
		if !same(req, c) {
			return req, errForeign
		}
		return c, nil
	}
	g.layout = func(g *gen, _ *rand.Rand, c Condition) *trialData {
		fixation, stimulus, decision := 100.0, 1000.0, 300.0
		if g.opt.Test {
			fixation = 500
		}
		T := fixation + stimulus + decision
		d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
		fix := d.epoch("fixation", 0, fixation)
		stim := d.epoch("stimulus", fixation, fixation+stimulus)
		dec := d.epoch("decision", fixation+stimulus, T)
		pos := 0.4 + 0.8*(c.Freq-msFmin)/(msFmax-msFmin)
		neg := 0.4 + 0.8*(msFmax-c.Freq)/(msFmax-msFmin)
		if c.Modality != "a" {
			d.input(stim, visualPos, pos)
			d.input(stim, visualNeg, neg)
		}
		if c.Modality != "v" {
			d.input(stim, auditoryPos, pos)
			d.input(stim, auditoryNeg, neg)
		}
		d.input(stim, msStart, 1)
		d.input(dec, msStart, 1)
		decision2AFC(d, fix, dec, c.Choice, lo, hi)
		return d
	}
	return g
}

func newRomo(name string, opt Options) Task {
	g := &gen{
		name: name, opt: opt, catchT: 2500, lo: lo,
		spec: Spec{
			Name: name, In: 2, Out: 2, N: 500, CatchProb: 1.0 / 11,
			Minibatch: 20, NValidation: 1100,
			Metric: MinConditionMetric, Window: 1, Threshold: 85, Inclusive: true,
		},
	}
	mk := func(f1, f2 float64) Condition {
		c := Condition{F1: f1, F2: f2, Choice: 1}
		if f1 > f2 {
			c.Choice = 0
		}
		return c
	}
	g.conds = []Condition{Catch}
	for _, gt := range []bool{true, false} {
		for _, p := range romoPairs {
			if gt {
				g.conds = append(g.conds, mk(p[0], p[1]))
			} else {
				g.conds = append(g.conds, mk(p[1], p[0]))
			}
		}
	}
	g.draw = func(rng *rand.Rand) Condition {
		p := romoPairs[rng.IntN(len(romoPairs))]
		if rng.IntN(2) == 0 {
			return mk(p[0], p[1])
		}
		return mk(p[1], p[0])
	}
	g.norm = func(req Condition) (Condition, error) {
		for _, f := range []float64{req.F1, req.F2} {
			if !(f > 0) || math.IsInf(f, 0) {
				return req, fmt.Errorf("frequency %v is not positive and finite", f)
			}
		}
		if req.F1 == req.F2 {
			return req, fmt.Errorf("f1 = f2 = %v has no correct choice", req.F1)
		}
		c := mk(req.F1, req.F2)
		if !same(req, c) {
			return req, errForeign
		}
		return c, nil
	}
	g.layout = func(g *gen, rng *rand.Rand, c Condition) *trialData {
		fixation, f1, f2, decision := 100.0, 500.0, 500.0, 300.0
		var delay float64
		if g.opt.Test {
			fixation, delay = 500, 3000
		} else {
			delay = uniformDt(rng, g.opt.Dt, 2500, 3500)
		}
		t1 := fixation + f1
		t2 := t1 + delay
		t3 := t2 + f2
		T := t3 + decision
		d := newTrialData(g.opt.Dt, T, g.spec.In, g.spec.Out)
		fix := d.epoch("fixation", 0, fixation)
		e1 := d.epoch("f1", fixation, t1)
		d.epoch("delay", t1, t2)
		e2 := d.epoch("f2", t2, t3)
		dec := d.epoch("decision", t3, T)
		pos := func(f float64) float64 { return 0.4 + 0.8*(f-romoFmin)/(romoFmax-romoFmin) }
		neg := func(f float64) float64 { return 0.4 + 0.8*(romoFmax-f)/(romoFmax-romoFmin) }
		d.input(e1, 0, pos(c.F1))
		d.input(e1, 1, neg(c.F1))
		d.input(e2, 0, pos(c.F2))
		d.input(e2, 1, neg(c.F2))
		decision2AFC(d, fix, dec, c.Choice, lo, hi)
		return d
	}
	return g
}

// Sine-wave generation: period 800 ms, two periods per trial.
const (
	sinePeriod = 800.0
	sineAmp    = 0.9
)

func newSinewave(name string, opt Options) Task {
	sine := Condition{Choice: -1}
	g := &gen{
		name: name, opt: opt,
		spec: Spec{
			Name: name, In: 0, Out: 1, N: 100, Minibatch: 20, NValidation: 50,
			Metric: RMSEMetric, Window: 1, Threshold: 0.05, Continuous: true,
		},
		conds: []Condition{sine},
	}
	g.draw = func(*rand.Rand) Condition { return sine }
	g.norm = func(req Condition) (Condition, error) {
		if !same(req, sine) {
			return req, errForeign
		}
		return sine, nil
	}
	g.layout = func(g *gen, _ *rand.Rand, _ Condition) *trialData {
		d := newTrialData(g.opt.Dt, 2*sinePeriod, 0, 1)
		for i := range d.y {
			t := float64(i+1) * g.opt.Dt
			d.y[i] = sineAmp * math.Sin(2*math.Pi*t/sinePeriod)
			d.m[i] = 1
		}
		return d
	}
	return g
}
