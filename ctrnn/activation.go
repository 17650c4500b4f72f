// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"

	"github.com/nn4n/nn4n/internal/linalg"
)

// activate sets out = f(x). One loop per function keeps the hot loops free
// of per-element calls through a function value.
func activate[T linalg.Float](f Activation, x, out []T) {
	out = out[:len(x)]
	switch f {
	case ReLU:
		relu(x, out)
	case Tanh:
		for i, v := range x {
			out[i] = T(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range x {
			out[i] = T(sigmoid(float64(v)))
		}
	case ReTanh:
		for i, v := range x {
			out[i] = T(math.Tanh(math.Max(float64(v), 0)))
		}
	case Softplus:
		for i, v := range x {
			out[i] = T(softplus(float64(v)))
		}
	case Linear:
		copy(out, x)
	}
}

// derivative sets out = f'(x), given fx = f(x).
func derivative[T linalg.Float](f Activation, x, fx, out []T) {
	out = out[:len(x)]
	switch f {
	case ReLU:
		step(x, out)
	case Tanh:
		for i, v := range fx[:len(x)] {
			out[i] = 1 - v*v
		}
	case Sigmoid:
		for i, v := range fx[:len(x)] {
			out[i] = v * (1 - v)
		}
	case ReTanh:
		for i, v := range x {
			if v > 0 {
				out[i] = 1 - fx[i]*fx[i]
			} else {
				out[i] = 0
			}
		}
	case Softplus:
		// f = log(1+eˣ) ⇒ e^(−f) = 1/(1+eˣ) ⇒ f' = σ(x) = 1 − e^(−f).
		for i, v := range fx[:len(x)] {
			out[i] = T(-math.Expm1(-float64(v)))
		}
	case Linear:
		for i := range out {
			out[i] = 1
		}
	}
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// headForward sets y = g(a) for rows of length o.
func headForward[T linalg.Float](h Head, a, y []T, o int) {
	switch h {
	case LinearHead:
		copy(y, a)
	case SigmoidHead:
		for i, v := range a {
			y[i] = T(sigmoid(float64(v)))
		}
	case SoftmaxHead:
		for s := 0; s < len(a); s += o {
			row, out := a[s:s+o], y[s:s+o]
			m := row[0]
			for _, v := range row[1:] {
				m = max(m, v)
			}
			var sum float64
			for k, v := range row {
				e := math.Exp(float64(v - m))
				out[k] = T(e)
				sum += e
			}
			for k := range out {
				out[k] = T(float64(out[k]) / sum)
			}
		}
	}
}

// headBackward sets ga = J_gᵀ·gy for rows of length o.
func headBackward[T linalg.Float](h Head, y, gy, ga []T, o int) {
	switch h {
	case LinearHead:
		copy(ga, gy)
	case SigmoidHead:
		for i, v := range y {
			ga[i] = gy[i] * v * (1 - v)
		}
	case SoftmaxHead:
		for s := 0; s < len(y); s += o {
			yr, gr, out := y[s:s+o], gy[s:s+o], ga[s:s+o]
			var dot T
			for k := range yr {
				dot += gr[k] * yr[k]
			}
			for k := range yr {
				out[k] = yr[k] * (gr[k] - dot)
			}
		}
	}
}
