// SPDX-License-Identifier: MIT

// Package ctrnn is nn4n's continuous-time recurrent network: the model, its
// settings, the forward pass, backpropagation through time and training.
//
// # Equations
//
// A Model has I inputs, N recurrent units and O outputs. With α = dt/τ per
// unit (Config.Alpha, Config.Alphas), f the recurrent nonlinearity
// (Activation) and g the output head (Head), one step is
//
//	x_{t+1} = (1−α)⊙x_t + α⊙(W_rec r_t + W_in u_{t+1} + b_rec + b_in + σ_pre ξ) + √(2α) σ_rec η
//	r_t     = f(x_t) + σ_post ζ_t
//	y_t     = g(W_out r_t + b_out)
//
// with ξ, η, ζ independent standard normal draws of the model's generator
// (noise.go) and x_0 the model's x0 or a caller's initial state. The weights the
// dynamics use are the effective ones: each raw matrix times its 0/1
// sparsity mask, with Dale's law kept through the sign masks in the
// DaleMode chosen (Constraint). pycog's input model (input_baseline,
// input_noise, input_alpha) adds a rectified, noisy, filtered input.
//
// # Layouts
//
// Every array is row-major and batch-first. A Batch holds Input B×T×I,
// Target and Mask B×T×O, or Labels B×T (one class per step, negative to
// ignore), and an optional X0 (B×N or N). A Trajectory holds Outputs and
// Logits B×T×O and, when asked for, Rates and States B×T×N. Weights are
// stored (post, pre): W_in N×I, W_rec N×N, W_out O×N.
//
// # Precision
//
// Parameters, gradients and the optimiser state are always float64. The
// engine (engine.go, one generic implementation over linalg.Float) runs in
// the Precision of the Config, float64 or float32: a float32 model converts
// its parameters once per change and its buffers at the boundary, and its
// results agree with float64 to the tolerances stated in the tests
// (step32_test.go, grad_test.go).
//
// # Settings
//
// Keys is the table of the scalar settings (name, type, default, bounds,
// doc); the C ABI's nn4n_model_set_*/get_*/key_info serve that one table.
// Errors wrap the kinds of internal/errs.
package ctrnn
