// SPDX-License-Identifier: MIT

package ctrnn

// Batch is one minibatch of trials, batch-first and row-major, as the
// objectives and the C ABI see it.
type Batch struct {
	B, T int
	// Input is B×T×I. It may be nil when the model has no inputs (I = 0).
	Input []float64
	// Target is B×T×O; it may be nil for objectives that use Labels.
	Target []float64
	// Mask is the error mask, B×T×O (or nil: every entry counts).
	Mask []float64
	// Labels holds one class index per step, B×T, for cross-entropy heads
	// (neurogym style); nil when targets are given. A negative label means
	// "ignore this step".
	Labels []int32
	// X0 is an optional initial state, B×N or N (shared). nil uses the
	// model's x0.
	X0 []float64
}

// Trajectory is what a forward pass produced, batch-first float64 copies of
// the engine's buffers, for objectives and callers to read.
type Trajectory struct {
	B, T, I, N, O int
	// Head is the model's output head, so objectives can check they suit it.
	Head Head
	// Outputs is y = g(W_out r + b_out), B×T×O.
	Outputs []float64
	// Logits is a = W_out r + b_out before the output head, B×T×O.
	Logits []float64
	// Rates is r, B×T×N. Filled when an objective Needs it or the caller asks.
	Rates []float64
	// States is x, B×T×N. Filled when an objective Needs it or the caller asks.
	States []float64
}

// Weights gives an objective read access to the model's weights. All
// matrices are stored (post, pre), row-major: In is N×I, Rec N×N, Out O×N.
// Raw are the trained parameters, Eff the weights the dynamics use.
type Weights struct {
	InRaw, RecRaw, OutRaw []float64
	InEff, RecEff, OutEff []float64
	I, N, O               int
}

// ObjectiveGrad receives an objective's gradients. Every slice is allocated
// and zeroed by the engine; objectives add into them.
type ObjectiveGrad struct {
	// Outputs is dL/dy, B×T×O.
	Outputs []float64
	// Logits is dL/da, B×T×O, for terms that differentiate through the head
	// themselves (softmax cross-entropy); it is added after the head's
	// backward pass.
	Logits []float64
	// Rates is dL/dr, B×T×N; nil unless the objective Needs rates.
	Rates []float64
	// States is dL/dx, B×T×N; nil unless the objective Needs states.
	States []float64
	// InEff, RecEff, OutEff are dL/dW for terms of the effective weights.
	InEff, RecEff, OutEff []float64
	// InRaw, RecRaw, OutRaw are dL/dW for terms of the raw parameters.
	InRaw, RecRaw, OutRaw []float64
}

// Term is one named, reported part of an objective's value.
type Term struct {
	Name  string
	Value float64
}

// Needs says which trajectories an objective reads, so the engine copies
// only those out of its workspaces.
type Needs struct {
	Rates, States bool
}

// Objective is what a training step minimises. Evaluate returns the terms
// (the first is the total the optimiser minimises) and adds dL/d(·) into g.
type Objective interface {
	Needs() Needs
	Evaluate(b *Batch, tr *Trajectory, w *Weights, g *ObjectiveGrad) ([]Term, error)
}

// OmegaRegularized is implemented by objectives that ask the engine for
// pycog's vanishing-gradient regulariser Ω (Pascanu et al. 2013). The engine
// computes Ω during the backward pass from v_t = ∂L/∂x_t, reports it as the
// term "omega" (not part of the total) and adds λ_Ω·∂Ω/∂W_rec (immediate
// derivative, v held fixed) to W_rec's gradient.
type OmegaRegularized interface {
	LambdaOmega() float64
}
