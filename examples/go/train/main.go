// SPDX-License-Identifier: MIT

// Command train trains one of Song et al.'s (2016) tasks with pycog's
// protocol and settings, printing a progress line per validation:
//
//	go run ./examples/go/train -task rdm_dense -seed 101
//
// After training it checks Dale's law in the trained weights and, for the
// rdm tasks, prints a held-out psychometric curve with a cumulative-
// Gaussian fit; for multisensory, one curve per modality (visual, auditory,
// both) with pycog's optimality test and the enhancement criterion
// sigma_va < min(sigma_v, sigma_a). With -load it skips training and runs
// the checks and the analysis on a saved model:
//
//	go run ./examples/go/train -task multisensory -seed 111 -load multisensory111.npz
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/signal"
	"strings"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/structure"
	"github.com/nn4n/nn4n/task"
	"github.com/nn4n/nn4n/train"
)

func main() {
	name := flag.String("task", "rdm_dense", "task: "+fmt.Sprint(task.Names()))
	seed := flag.Uint64("seed", 101, "seed of the weights and the minibatches")
	units := flag.Int("n", 0, "recurrent units (0 = the task's pycog value)")
	f32 := flag.Bool("float32", false, "compute in float32")
	save := flag.String("save", "", "write the trained model to this .npz file")
	load := flag.String("load", "", "skip training: run the checks and the analysis on this saved .npz model")
	heldOut := flag.Int("heldout", 100, "held-out trials per condition of the psychometric analysis")
	flag.Parse()
	if *load != "" && *save != "" {
		log.Fatal("-load and -save exclude each other")
	}
	if *heldOut < 1 {
		log.Fatal("-heldout must be >= 1")
	}
	if err := run(*name, *seed, *units, *f32, *save, *load, *heldOut); err != nil {
		log.Fatal(err)
	}
}

func run(name string, seed uint64, n int, f32 bool, save, load string, heldOut int) error {
	tk, err := task.New(name, task.DefaultOptions())
	if err != nil {
		return err
	}
	spec := tk.Spec()
	precision := ctrnn.Float64
	if f32 {
		precision = ctrnn.Float32
	}
	if load != "" {
		return analyseSaved(load, tk, seed, precision, heldOut)
	}
	m, s, err := train.PycogNetwork(tk, n, seed, precision)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p := train.Protocol{Task: tk, Seed: seed, Progress: func(r train.Record) { fmt.Println(r) }}
	if spec.Metric == task.RMSEMetric {
		p.MinError = spec.Threshold
	}
	res, err := train.Run(ctx, m, p)
	if err != nil {
		return err
	}
	last := res.History[len(res.History)-1]
	fmt.Printf("%s: %s after %d trials in %.1f s (converged %v); best: %s\n", name, res.Reason, last.Trials, res.Elapsed.Seconds(), res.Converged, res.Best)
	if err := checkDale(m, s); err != nil {
		return err
	}
	if save != "" {
		if err := m.Save(save); err != nil {
			return err
		}
	}
	return analyse(m, tk, seed, heldOut)
}

// analyse runs the task's held-out analysis, if it has one.
func analyse(m *ctrnn.Model, tk task.Task, seed uint64, heldOut int) error {
	switch name := tk.Name(); {
	case strings.HasPrefix(name, "rdm"):
		return psychometric(m, tk, seed, heldOut)
	case name == "multisensory":
		return multisensory(m, seed, heldOut)
	}
	return nil
}

// analyseSaved loads a model saved by -save, checks that it fits the task
// and pycog's network for it (masks and Dale's law, against the structure
// PycogNetwork builds for the model's number of units), scores a fresh
// validation set with the task's metric and runs the analysis.
func analyseSaved(path string, tk task.Task, seed uint64, precision ctrnn.Precision, heldOut int) error {
	m, err := ctrnn.Load(path)
	if err != nil {
		return err
	}
	i, n, o := m.Dims()
	if in, out := tk.Dims(); i != in || o != out {
		return fmt.Errorf("%s has %d inputs and %d outputs; %s has %d and %d", path, i, o, tk.Name(), in, out)
	}
	alpha, err := m.Array("alpha")
	if err != nil {
		return err
	}
	for _, a := range alpha {
		if want := tk.Options().Dt / 100; math.Abs(a-want) > 1e-6*want {
			fmt.Printf("warning: %s has alpha %v; pycog's network for dt %v ms has %v\n", path, a, tk.Options().Dt, want)
			break
		}
	}
	_, s, err := train.PycogNetwork(tk, n, seed, precision)
	if err != nil {
		return err
	}
	fmt.Printf("%s: loaded %s (N = %d)\n", tk.Name(), path, n)
	if err := checkDale(m, s); err != nil {
		return err
	}
	spec := tk.Spec()
	vb, err := tk.Validation(task.NewRand(seed+2000), spec.NValidation)
	if err != nil {
		return err
	}
	y, err := forward(m, vb)
	if err != nil {
		return err
	}
	var perf float64
	switch spec.Metric {
	case task.PercentCorrectMetric:
		perf, err = task.PercentCorrect(y, vb)
	case task.MinConditionMetric:
		perf, err = task.MinConditionPercentCorrect(y, vb)
	case task.RMSEMetric:
		perf, err = task.RMSE(y, vb)
	}
	if err != nil {
		return err
	}
	fmt.Printf("fresh validation set (%d trials): %s %.2f (pycog's criterion %v)\n", vb.B, spec.Metric, perf, spec.Threshold)
	return analyse(m, tk, seed, heldOut)
}

// forwardChunk bounds the trials per forward pass: the engine keeps every
// step of every trial of a batch.
const forwardChunk = 256

// forward runs m on b, noise on as pycog's analysis runs, in chunks of
// trials, and returns the B×T×O outputs.
func forward(m *ctrnn.Model, b *task.Batch) ([]float64, error) {
	full := train.Batch(b)
	y := make([]float64, 0, b.B*b.T*b.O)
	for lo := 0; lo < b.B; lo += forwardChunk {
		hi := min(lo+forwardChunk, b.B)
		in, out := b.T*b.I, b.T*b.O
		part := &ctrnn.Batch{B: hi - lo, T: b.T, Input: full.Input[lo*in : hi*in],
			Target: full.Target[lo*out : hi*out], Mask: full.Mask[lo*out : hi*out]}
		tr, err := m.Forward(part, ctrnn.Needs{})
		if err != nil {
			return nil, err
		}
		y = append(y, tr.Outputs...)
	}
	return y, nil
}

// checkDale verifies that every effective weight has the sign its mask
// gives and that absent synapses are exactly 0.
func checkDale(m *ctrnn.Model, s *structure.Structure) error {
	for _, l := range []struct {
		name       string
		mask, sign []float64
	}{
		{"w_in_eff", s.Input, s.InputSign}, {"w_rec_eff", s.Hidden, s.HiddenSign}, {"w_out_eff", s.Readout, s.ReadoutSign},
	} {
		w, err := m.Array(l.name)
		if err != nil {
			return err
		}
		for k, v := range w {
			if l.mask[k] == 0 && v != 0 || l.sign != nil && (l.sign[k] > 0 && v < 0 || l.sign[k] < 0 && v > 0) {
				return fmt.Errorf("%s[%d] = %v breaks its mask", l.name, k, v)
			}
		}
	}
	fmt.Println("Dale's law and sparsity hold exactly in the trained effective weights")
	return nil
}

// psychometric scores held-out trials (heldOut per signed coherence, 0 %
// and ±3.2…51.2 %) and fits a cumulative Gaussian to P(choice 0).
func psychometric(m *ctrnn.Model, tk task.Task, seed uint64, heldOut int) error {
	var conds []task.Condition
	cohs := []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2}
	for _, c := range cohs {
		for k := 0; k < heldOut; k++ {
			conds = append(conds, task.Coherent(c))
		}
	}
	b, err := tk.Trials(task.NewRand(seed+1000), conds)
	if err != nil {
		return err
	}
	y, err := forward(m, b)
	if err != nil {
		return err
	}
	pts, err := task.Psychometric(y, b, 0, task.SignedCoherence)
	if err != nil {
		return err
	}
	fit, err := task.FitCumGauss(pts)
	if err != nil {
		return err
	}
	for _, p := range pts {
		fmt.Printf("coherence %+6.1f%%  P(choice 0) %.2f  (n=%d)\n", p.X, p.P(), p.N)
	}
	fmt.Printf("cumulative Gaussian: bias %.2f%% ± %.2f, threshold %.2f%% ± %.2f\n", fit.Mu, fit.MuSE, fit.Sigma, fit.SigmaSE)
	return nil
}

// multisensory runs pycog's analysis of the multisensory task
// (analysis/multisensory.py) on held-out trials with pycog's test timing
// (500 ms fixation): heldOut trials per modality (v, a, va) and rate
// (9…16 events/s), P(choice "high") against the rate per modality, a
// cumulative Gaussian per modality, the optimality test
// 1/sigma_v² + 1/sigma_a² vs 1/sigma_va² and the enhancement criterion
// sigma_va < min(sigma_v, sigma_a).
func multisensory(m *ctrnn.Model, seed uint64, heldOut int) error {
	opt := task.DefaultOptions()
	opt.Test = true
	tk, err := task.New("multisensory", opt)
	if err != nil {
		return err
	}
	b, err := tk.Trials(task.NewRand(seed+1000), task.MultisensoryConditions(heldOut))
	if err != nil {
		return err
	}
	y, err := forward(m, b)
	if err != nil {
		return err
	}
	r, err := task.AnalyzeMultisensory(y, b)
	if err != nil {
		return err
	}
	curves := r.Curves()
	fmt.Printf("multisensory held-out: %d trials per modality and rate, test timing; P(choice 0 = \"high\")\n", heldOut)
	fmt.Println("rate (events/s)      v      a     va")
	for k, p := range r.V.Points {
		fmt.Printf("%15g", p.X)
		for _, c := range curves {
			fmt.Printf("  %5.2f", c.Points[k].P())
		}
		fmt.Println()
	}
	for _, c := range curves {
		fmt.Printf("%-2s %6.2f%% correct  ", c.Modality, c.Percent())
		if c.FitErr != nil {
			fmt.Printf("cumulative Gaussian: %v\n", c.FitErr)
			continue
		}
		fmt.Printf("cumulative Gaussian: mu %.3f ± %.3f, sigma_%s %.4f ± %.4f\n", c.Fit.Mu, c.Fit.MuSE, c.Modality, c.Fit.Sigma, c.Fit.SigmaSE)
	}
	if o, err := r.Optimality(); err != nil {
		fmt.Printf("optimality test: %v\n", err)
	} else {
		fmt.Printf("optimality test: 1/sigma_v^2 + 1/sigma_a^2 = %.4f ± %.4f, 1/sigma_va^2 = %.4f ± %.4f (ratio %.3f; 1 = optimal)\n",
			o.Predicted, o.PredictedSE, o.Observed, o.ObservedSE, o.Ratio())
	}
	if ok, err := r.Enhanced(); err != nil {
		fmt.Printf("enhancement sigma_va < min(sigma_v, sigma_a): undetermined: %v\n", err)
	} else {
		verdict := "holds"
		if !ok {
			verdict = "FAILS"
		}
		fmt.Printf("enhancement sigma_va < min(sigma_v, sigma_a): %s", verdict)
		if r.VA.FitErr == nil {
			single := r.V.Fit
			if r.A.Fit.Sigma < single.Sigma {
				single = r.A.Fit
			}
			// The margin in standard errors of the difference.
			z := (single.Sigma - r.VA.Fit.Sigma) / math.Hypot(single.SigmaSE, r.VA.Fit.SigmaSE)
			fmt.Printf(" (%.4f vs %.4f, margin %.1f SE)", r.VA.Fit.Sigma, single.Sigma, z)
		} else {
			fmt.Print(" (combined choices do not overlap: sigma_va -> 0)")
		}
		fmt.Println()
	}
	return nil
}
