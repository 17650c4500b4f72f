// SPDX-License-Identifier: MIT

package analysis

import (
	"math/rand/v2"
	"testing"

	"github.com/nn4n/nn4n/ctrnn"
)

// BenchmarkFind100 times Find on a random 100-unit tanh network from 256
// initial states, one worker (ns/op is per search of the batch).
func BenchmarkFind100(b *testing.B) {
	t := &testing.T{}
	s := randSystem(t, ctrnn.Tanh, 100, 0, 17, false)
	rng := rand.New(rand.NewPCG(2, 2))
	x0 := make([]float64, 256*100)
	for k := range x0 {
		x0[k] = 2 * rng.NormFloat64()
	}
	b.ResetTimer()
	var iters int
	for i := 0; i < b.N; i++ {
		r, err := s.Find(x0, nil, Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range r.All {
			iters += p.Iters
		}
	}
	b.ReportMetric(float64(iters)/float64(b.N*256), "iters/search")
}
