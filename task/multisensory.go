// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"fmt"
	"math"
)

// MultisensoryConditions returns n trials of every multisensory condition,
// modality by modality ("v", "a", "va") and within one modality by rate
// (9 to 16 events/s): the held-out set of pycog's analysis
// (analysis/multisensory.py), which runs 150 trials per condition.
func MultisensoryConditions(n int) []Condition {
	var out []Condition
	for _, m := range modalities {
		for f := msFmin; f <= msFmax; f++ {
			for k := 0; k < n; k++ {
				out = append(out, Condition{Modality: m, Freq: f})
			}
		}
	}
	return out
}

// ModalityCurve is the psychometric curve of one multisensory modality.
type ModalityCurve struct {
	Modality string
	// Points give P(choice 0), the "high" choice, against the rate in
	// events/s, sorted by rate.
	Points []PsychPoint
	// N is the number of trials with a correct choice and Correct the
	// number answered correctly.
	N, Correct int
	// Fit is the cumulative Gaussian fitted to Points; FitErr the fit's
	// error (ErrSeparated when the choices do not overlap), Fit being zero
	// then.
	Fit    CumGauss
	FitErr error
}

// Percent returns 100·Correct/N.
func (c ModalityCurve) Percent() float64 { return 100 * float64(c.Correct) / float64(c.N) }

// Integration is the analysis of multisensory integration of Song et al.
// (2016), Fig. 6, after pycog's analysis/multisensory.py: one
// psychometric curve per modality with its cumulative-Gaussian threshold
// σ. An optimal (Bayesian) integrator has 1/σ_va² = 1/σ_v² + 1/σ_a².
type Integration struct {
	V, A, VA ModalityCurve
}

// curve returns the curve of modality m, nil for an unknown modality.
func (r *Integration) curve(m string) *ModalityCurve {
	switch m {
	case "v":
		return &r.V
	case "a":
		return &r.A
	case "va":
		return &r.VA
	}
	return nil
}

// Curves returns the visual, auditory and combined curves, in that order.
func (r *Integration) Curves() []ModalityCurve { return []ModalityCurve{r.V, r.A, r.VA} }

// AnalyzeMultisensory scores a multisensory batch (such as Trials of
// MultisensoryConditions) with the network outputs y: for each modality
// the percent correct, P(choice 0) against the rate, and a cumulative-
// Gaussian fit (FitCumGauss). It fails when a modality has no trials;
// a failed fit is recorded in the curve's FitErr instead.
func AnalyzeMultisensory(y []float64, b *Batch) (*Integration, error) {
	curves, err := PsychometricBy(y, b, 0, Frequency, func(c Condition) string { return c.Modality })
	if err != nil {
		return nil, err
	}
	ch, err := Choices(y, b)
	if err != nil {
		return nil, err
	}
	r := &Integration{}
	for _, m := range modalities {
		c := r.curve(m)
		c.Modality, c.Points = m, curves[m]
		if len(c.Points) == 0 {
			return nil, fmt.Errorf("task: no trials of modality %q", m)
		}
		c.Fit, c.FitErr = FitCumGauss(c.Points)
	}
	for i, tr := range b.Trials {
		cond := tr.Cond
		c := r.curve(cond.Modality)
		if cond.Catch || cond.Choice < 0 || c == nil {
			continue
		}
		c.N++
		if ch[i] == cond.Choice {
			c.Correct++
		}
	}
	return r, nil
}

// Optimality compares the combined threshold with the optimal integrator's
// prediction: Predicted = 1/σ_v² + 1/σ_a², Observed = 1/σ_va², each with
// its standard error from the fits' (delta method: SE(1/σ²) = 2·SE(σ)/σ³).
type Optimality struct {
	Predicted, PredictedSE float64
	Observed, ObservedSE   float64
}

// Ratio returns Observed/Predicted: 1 for an optimal integrator, below 1
// for a sub-optimal one.
func (o Optimality) Ratio() float64 { return o.Observed / o.Predicted }

// Optimality returns pycog's "optimality test". It needs the three fits.
func (r *Integration) Optimality() (Optimality, error) {
	for _, c := range r.Curves() {
		if c.FitErr != nil {
			return Optimality{}, fmt.Errorf("task: no threshold for modality %q: %w", c.Modality, c.FitErr)
		}
	}
	inv := func(f CumGauss) (v, se float64) {
		return 1 / (f.Sigma * f.Sigma), 2 * f.SigmaSE / (f.Sigma * f.Sigma * f.Sigma)
	}
	v, sv := inv(r.V.Fit)
	a, sa := inv(r.A.Fit)
	va, sva := inv(r.VA.Fit)
	return Optimality{Predicted: v + a, PredictedSE: math.Hypot(sv, sa), Observed: va, ObservedSE: sva}, nil
}

// Enhanced reports multisensory enhancement, σ_va < min(σ_v, σ_a): the
// combined curve is steeper than either single-modality curve. The single-
// modality fits must exist; a combined curve whose choices do not overlap
// (ErrSeparated, σ_va → 0) counts as enhanced.
func (r *Integration) Enhanced() (bool, error) {
	for _, c := range []ModalityCurve{r.V, r.A} {
		if c.FitErr != nil {
			return false, fmt.Errorf("task: no threshold for modality %q: %w", c.Modality, c.FitErr)
		}
	}
	if errors.Is(r.VA.FitErr, ErrSeparated) {
		return true, nil
	}
	if r.VA.FitErr != nil {
		return false, fmt.Errorf("task: no threshold for modality \"va\": %w", r.VA.FitErr)
	}
	return r.VA.Fit.Sigma < min(r.V.Fit.Sigma, r.A.Fit.Sigma), nil
}
