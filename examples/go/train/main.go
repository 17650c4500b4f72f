// Command train trains one of Song et al.'s (2016) tasks with pycog's
// protocol and settings, printing a progress line per validation:
//
//	go run ./examples/go/train -task rdm_dense -seed 101
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"nn4n/ctrnn"
	"nn4n/structure"
	"nn4n/task"
	"nn4n/train"
)

func main() {
	name := flag.String("task", "rdm_dense", "task: "+fmt.Sprint(task.Names()))
	seed := flag.Uint64("seed", 101, "seed of the weights and the minibatches")
	units := flag.Int("n", 0, "recurrent units (0 = the task's pycog value)")
	f32 := flag.Bool("float32", false, "compute in float32")
	save := flag.String("save", "", "write the trained model to this .npz file")
	flag.Parse()
	if err := run(*name, *seed, *units, *f32, *save); err != nil {
		log.Fatal(err)
	}
}

func run(name string, seed uint64, n int, f32 bool, save string) error {
	tk, err := task.New(name, task.DefaultOptions())
	if err != nil {
		return err
	}
	spec := tk.Spec()
	precision := ctrnn.Float64
	if f32 {
		precision = ctrnn.Float32
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
	if spec.Metric == task.PercentCorrectMetric && name[:3] == "rdm" {
		return psychometric(m, tk, seed)
	}
	return nil
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

// psychometric scores 100 held-out trials per signed coherence (0 % and
// ±3.2…51.2 %) and fits a cumulative Gaussian to P(choice 0).
func psychometric(m *ctrnn.Model, tk task.Task, seed uint64) error {
	var conds []task.Condition
	cohs := []float64{-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2}
	for _, c := range cohs {
		for k := 0; k < 100; k++ {
			conds = append(conds, task.Coherent(c))
		}
	}
	b, err := tk.Trials(task.NewRand(seed+1000), conds)
	if err != nil {
		return err
	}
	tr, err := m.Forward(train.Batch(b), ctrnn.Needs{})
	if err != nil {
		return err
	}
	pts, err := task.Psychometric(tr.Outputs, b, 0, task.SignedCoherence)
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
