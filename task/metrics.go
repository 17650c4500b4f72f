// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// checkOutputs checks that y has the shape B×T×O of the batch.
func checkOutputs(y []float64, b *Batch) error {
	if b == nil {
		return errors.New("task: nil batch")
	}
	if len(y) != b.B*b.T*b.O {
		return fmt.Errorf("task: outputs have %d values, want B·T·O = %d·%d·%d = %d",
			len(y), b.B, b.T, b.O, b.B*b.T*b.O)
	}
	return nil
}

// Choices returns each trial's choice: the index of the largest output at
// the trial's last unpadded step (the first index on ties). y is B×T×O.
func Choices(y []float64, b *Batch) ([]int, error) {
	if err := checkOutputs(y, b); err != nil {
		return nil, err
	}
	if b.O == 0 {
		return nil, errors.New("task: batch has no outputs")
	}
	ch := make([]int, b.B)
	for i, tr := range b.Trials {
		if tr.Steps < 1 {
			return nil, fmt.Errorf("task: trial %d has no steps", i)
		}
		row := y[(i*b.T+tr.Steps-1)*b.O : (i*b.T+tr.Steps)*b.O]
		k := 0
		for j, v := range row {
			if v > row[k] {
				k = j
			}
		}
		ch[i] = k
	}
	return ch, nil
}

// ConditionScore is the performance on one condition.
type ConditionScore struct {
	Cond Condition
	// N is the number of trials and Correct the number answered correctly.
	N, Correct int
}

// Percent returns 100·Correct/N.
func (s ConditionScore) Percent() float64 { return 100 * float64(s.Correct) / float64(s.N) }

// ByCondition returns the number of trials and of correct choices for each
// condition with a correct choice (Choice >= 0; catch trials and stimuli
// without evidence are left out), in order of first appearance.
func ByCondition(y []float64, b *Batch) ([]ConditionScore, error) {
	ch, err := Choices(y, b)
	if err != nil {
		return nil, err
	}
	idx := map[Condition]int{}
	var out []ConditionScore
	for i, tr := range b.Trials {
		c := tr.Cond
		if c.Catch || c.Choice < 0 {
			continue
		}
		k, ok := idx[c]
		if !ok {
			k = len(out)
			idx[c] = k
			out = append(out, ConditionScore{Cond: c})
		}
		out[k].N++
		if ch[i] == c.Choice {
			out[k].Correct++
		}
	}
	if len(out) == 0 {
		return nil, errors.New("task: no scorable trials (all catch or without a correct choice)")
	}
	return out, nil
}

// PercentCorrect returns the percentage of correct choices (Choices) over
// the trials with a correct choice; catch trials are excluded.
func PercentCorrect(y []float64, b *Batch) (float64, error) {
	s, err := ByCondition(y, b)
	if err != nil {
		return 0, err
	}
	var n, k int
	for _, c := range s {
		n += c.N
		k += c.Correct
	}
	return 100 * float64(k) / float64(n), nil
}

// MinConditionPercentCorrect returns the smallest percent correct over the
// conditions of the batch (ByCondition).
func MinConditionPercentCorrect(y []float64, b *Batch) (float64, error) {
	s, err := ByCondition(y, b)
	if err != nil {
		return 0, err
	}
	m := math.Inf(1)
	for _, c := range s {
		m = min(m, c.Percent())
	}
	return m, nil
}

// RMSE returns sqrt(Σ M·(y−target)² / Σ M) over the batch, the error pycog
// reports for regression tasks.
func RMSE(y []float64, b *Batch) (float64, error) {
	if err := checkOutputs(y, b); err != nil {
		return 0, err
	}
	var se, sm float64
	for i, m := range b.Mask {
		d := y[i] - b.Target[i]
		se += m * d * d
		sm += m
	}
	if sm == 0 {
		return 0, errors.New("task: mask is empty")
	}
	return math.Sqrt(se / sm), nil
}

// PsychPoint is one point of a psychometric curve: K of N trials at
// stimulus value X chose the output asked for.
type PsychPoint struct {
	X    float64
	N, K int
}

// P returns K/N.
func (p PsychPoint) P() float64 { return float64(p.K) / float64(p.N) }

// Psychometric returns, for each value of x(condition) over the non-catch
// trials, how often the output choice was chosen, sorted by X. For the rdm
// tasks pass x = SignedCoherence and choice = 0, since positive coherence
// favours output 0; for multisensory and romo, x = Frequency.
func Psychometric(y []float64, b *Batch, choice int, x func(Condition) float64) ([]PsychPoint, error) {
	curves, err := PsychometricBy(y, b, choice, x, func(Condition) string { return "" })
	if err != nil {
		return nil, err
	}
	return curves[""], nil
}

// PsychometricBy is Psychometric with the non-catch trials split by
// group(condition): one curve per group value, each sorted by X. Group by
// the modality (func(c Condition) string { return c.Modality }) for
// multisensory's visual, auditory and combined curves. A group without
// trials has no entry.
func PsychometricBy(y []float64, b *Batch, choice int, x func(Condition) float64, group func(Condition) string) (map[string][]PsychPoint, error) {
	if x == nil {
		return nil, errors.New("task: nil stimulus function")
	}
	if group == nil {
		return nil, errors.New("task: nil group function")
	}
	ch, err := Choices(y, b)
	if err != nil {
		return nil, err
	}
	if choice < 0 || choice >= b.O {
		return nil, fmt.Errorf("task: choice %d outside [0, %d)", choice, b.O)
	}
	type key struct {
		g string
		x float64
	}
	idx := map[key]int{}
	curves := map[string][]PsychPoint{}
	for i, tr := range b.Trials {
		if tr.Cond.Catch {
			continue
		}
		v := x(tr.Cond)
		if math.IsNaN(v) {
			return nil, fmt.Errorf("task: stimulus value of trial %d is NaN", i)
		}
		g := group(tr.Cond)
		k, ok := idx[key{g, v}]
		if !ok {
			k = len(curves[g])
			idx[key{g, v}] = k
			curves[g] = append(curves[g], PsychPoint{X: v})
		}
		pts := curves[g]
		pts[k].N++
		if ch[i] == choice {
			pts[k].K++
		}
	}
	if len(curves) == 0 {
		return nil, errors.New("task: no non-catch trials")
	}
	for _, pts := range curves {
		sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
	}
	return curves, nil
}
