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
	flag.Parse()
	if err := run(*name, *seed, *units, *f32); err != nil {
		log.Fatal(err)
	}
}

func run(name string, seed uint64, n int, f32 bool) error {
	tk, err := task.New(name, task.DefaultOptions())
	if err != nil {
		return err
	}
	spec := tk.Spec()
	if n == 0 {
		n = spec.N
	}
	in, out := tk.Dims()
	cfg := ctrnn.Config{Init: ctrnn.InitPycog, Alpha: 0.2, RecNoise: 0.15, X0: 0.1, TrainX0: true, Seed: seed}
	if f32 {
		cfg.Precision = ctrnn.Float32
	}
	sc := structure.DefaultPycog(in, n, out)
	sc.ExcReadout = true
	if name == "rdm_nodale" {
		sc.NoEI = true
	}
	if name == "sinewave" {
		cfg.TrainBiasRec, cfg.TrainBiasOut, cfg.RecNoise = true, true, 0.05
		sc.ExcReadout = false
	}
	s, err := structure.Pycog(sc)
	if err != nil {
		return err
	}
	if err := s.Configure(&cfg); err != nil {
		return err
	}
	m, err := ctrnn.New(cfg)
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
	return nil
}
