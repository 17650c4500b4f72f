// SPDX-License-Identifier: MIT

// Package loss provides the objectives that nn4n trains continuous-time
// recurrent networks with. Every objective is a plain value that satisfies
// ctrnn.Objective: it returns named terms (the first is the total the
// optimiser minimises) and adds exact analytic gradients into the engine's
// ctrnn.ObjectiveGrad.
//
// Two families are provided.
//
// SongYang is the objective of Song, Yang & Wang (2016) as pycog implements
// it: a squared error (or binary or categorical cross-entropy) averaged over
// the entries selected by the error mask, L = Σ M⊙ℓ(y, ŷ) / Σ M, plus L1 and
// L2 penalties on W_in, W_rec and W_out, an L2 rate penalty, and pycog's Ω
// vanishing-gradient regulariser, which the engine computes inside BPTT
// from the multiplier that SongYang reports through LambdaOmega. The old
// nn4n "SongYangLoss" (an unmasked mean squared error with Frobenius
// penalties) is not this objective; RNNLoss covers nn4n's successor to it.
//
// RNNLoss and Composite port nn4n's criteria (NN4Neurosim/nn4n,
// nn4n/criterion). RNNLoss is nn4n's fixed-menu loss. Composite is nn4n's
// CompositeLoss: a list of named, weighted Criterion values drawn from
// FiringRate, FiringRateDist, Connectivity, StatePrediction, Entropy,
// Hebbian, CrossEntropy and MSE, each reported separately. Where nn4n's
// code is ambiguous or wrong the choice made here is stated in the type's
// documentation; StatePrediction in particular shifts along time, where
// nn4n shifts the batch axis.
//
// Conventions. Arrays are batch-first and row-major float64: outputs,
// logits, targets and masks are B×T×O, rates and states B×T×N, and
// weights are stored (post, pre): W_in is N×I, W_rec N×N, W_out O×N. Where
// a term is not differentiable (|·| at 0, max over ties, a norm or a
// standard deviation at 0) the subgradient used is documented on the type:
// sign(0) = 0, as PyTorch and Theano differentiate |·|, and a norm or a
// standard deviation at 0 gets the gradient 0.
//
// Integer class labels (ctrnn.Batch.Labels, one per step, negative to
// ignore a step) are accepted by the softmax cross-entropy of SongYang and
// by CrossEntropy in place of targets, as neurogym datasets supply them.
package loss
