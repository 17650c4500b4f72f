// SPDX-License-Identifier: MIT

package ctrnn

import "math"

// Noise samples come from one stream per trial, keyed by a 64-bit key the
// model's generator draws once per pass and by the trial's index in the
// batch, so that a trial's noise does not depend on how the batch is split
// between workers.

// stream is a SplitMix64 sequence: a counter passed through a 64-bit
// finaliser, cheap enough to inline in the noise loops.
type stream struct{ s uint64 }

const golden = 0x9e3779b97f4a7c15

func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// newStream returns the stream of trial k under key.
func newStream(key, k uint64) stream { return stream{mix64(key ^ mix64(k+golden))} }

func (g *stream) next() uint64 {
	g.s += golden
	return mix64(g.s)
}

// uniform returns a sample of U(0, 1].
func (g *stream) uniform() float64 { return (float64(int64(g.next()>>11)) + 1) * 0x1p-53 }

// The ziggurat of Marsaglia and Tsang (2000) for the standard normal with
// 128 layers of equal area zigV: layer 0 is the base rectangle [0, zigR]
// plus the tail, layer k ≥ 1 spans [0, zigX[k]] under f(zigX[k+1]).
const (
	zigR = 3.442619855899
	zigV = 9.91256303526217e-3
)

var zigX, zigF [129]float64

func init() {
	f := func(x float64) float64 { return math.Exp(-x * x / 2) }
	zigX[0], zigX[1] = zigV/f(zigR), zigR
	for k := 1; k < 128; k++ {
		zigX[k+1] = math.Sqrt(-2 * math.Log(zigV/zigX[k]+f(zigX[k])))
	}
	zigX[128] = 0
	for k := range zigX {
		zigF[k] = f(zigX[k])
	}
}

// fillNormal fills dst with standard normal samples from g. The state stays
// in a register through the common path; bit 7 of a draw is the sign,
// applied to the sign bit without a branch (it is unpredictable).
func fillNormal[T ~float32 | ~float64](g *stream, dst []T) {
	s := g.s
	for i := range dst {
		for {
			s += golden
			u := mix64(s)
			k := u & 127
			x := float64(int64(u>>11)) * 0x1p-53 * zigX[k] // int64: the fast conversion
			if x >= zigX[k+1] {                            // outside the layer's core: ≈ 1.2 % of draws
				g.s = s
				if k == 0 {
					x = g.tail()
				} else if zigF[k]+g.uniform()*(zigF[k+1]-zigF[k]) >= math.Exp(-x*x/2) {
					s = g.s
					continue
				}
				s = g.s
			}
			dst[i] = T(math.Float64frombits(math.Float64bits(x) | (u&128)<<56))
			break
		}
	}
	g.s = s
}

// tail samples the normal beyond zigR (Marsaglia 1964).
func (g *stream) tail() float64 {
	for {
		a := -math.Log(g.uniform()) / zigR
		b := -math.Log(g.uniform())
		if b+b >= a*a {
			return zigR + a
		}
	}
}
