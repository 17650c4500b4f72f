// SPDX-License-Identifier: MIT

package structure

import (
	"math"
	"slices"
	"testing"
)

// checkBinomial asserts that k successes out of n trials are within 5
// standard deviations of a Bernoulli(p) expectation (exact for p = 0 or 1).
func checkBinomial(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	switch p {
	case 0:
		if k != 0 {
			t.Errorf("%s: %d of %d set, want 0 (p = 0)", what, k, n)
		}
		return
	case 1:
		if k != n {
			t.Errorf("%s: %d of %d set, want all (p = 1)", what, k, n)
		}
		return
	}
	mean := float64(n) * p
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if math.Abs(float64(k)-mean) > 5*sd {
		t.Errorf("%s: %d of %d set, want %.1f ± %.1f (5σ, p = %v)", what, k, n, mean, 5*sd, p)
	}
}

// blockCount counts the nonzeros of the rows×cols block of the n-column
// row-major matrix m.
func blockCount(m []float64, n int, rows, cols []int) int {
	k := 0
	for _, i := range rows {
		for _, j := range cols {
			if m[i*n+j] != 0 {
				k++
			}
		}
	}
	return k
}

func mustAreas(t *testing.T, s *Structure) [][]int {
	t.Helper()
	out := make([][]int, s.NAreas())
	for a := range out {
		u, err := s.AreaIndices(a)
		if err != nil {
			t.Fatal(err)
		}
		out[a] = u
	}
	return out
}

func sameMasks(a, b *Masks) bool {
	return a.I == b.I && a.N == b.N && a.O == b.O &&
		slices.Equal(a.Input, b.Input) && slices.Equal(a.Hidden, b.Hidden) &&
		slices.Equal(a.Readout, b.Readout) && slices.Equal(a.InputSign, b.InputSign) &&
		slices.Equal(a.HiddenSign, b.HiddenSign) && slices.Equal(a.ReadoutSign, b.ReadoutSign) &&
		slices.Equal(a.UnitSign, b.UnitSign) && slices.Equal(a.HiddenScale, b.HiddenScale)
}

func countNonzero(x []float64) int {
	k := 0
	for _, v := range x {
		if v != 0 {
			k++
		}
	}
	return k
}
