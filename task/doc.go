// SPDX-License-Identifier: MIT

// Package task generates the cognitive tasks of Song, Yang & Wang (2016) as
// seeded minibatches, and scores a network's outputs on them.
//
// A Task, made by New, produces a Batch: inputs (B×T×I), targets (B×T×O) and
// an error mask (B×T×O), batch-first and row-major, together with each
// trial's Condition, its unpadded length and its epochs. Trials shorter than
// the longest of the batch are padded with zero targets and mask 0; the
// baseline input and the input noise fill the padding too, as in pycog.
//
// Time follows pycog: a trial of duration T ms has int(T/dt) steps, step
// k = 1, 2, … stands for time k·dt, and it belongs to an epoch (start, end]
// when start < k·dt <= end. Random durations are floored to multiples of dt.
// In the arrays, step k has index k-1.
//
// Inputs are u = [u0 + u_task + sqrt(2 τ_in/dt)·σ_in·ν]_+ with ν ~ N(0,1)
// drawn per step and channel; Options sets u0, τ_in and σ_in, and σ_in = 0
// switches the noise off.
//
// Task names, after pycog's examples/models: "rdm_dense", "rdm_nodale",
// "rdm_fixed" (one fixed-duration decision task; the names differ only in
// the network pycog trains on it), "rdm_varstim", "rdm_rt", "mante",
// "mante_areas", "multisensory", "romo" and "sinewave".
//
// Batch draws training trials (catch trials with the task's probability),
// Validation builds pycog's balanced validation set (trial b has condition
// b mod (#conditions+1), condition 0 being the catch trial), and Trials
// builds the conditions asked for, such as Coherent(0) for the 0 % point of
// a psychometric curve. Options.Test selects pycog's analysis timing.
//
// Every random draw comes from the *rand.Rand the caller passes (NewRand
// makes one from a seed), so the same seed gives the same batches.
//
// The metrics (Choices, PercentCorrect, MinConditionPercentCorrect,
// ByCondition, Psychometric, PsychometricBy, FitCumGauss, RMSE,
// AnalyzeMultisensory) take the outputs a network produced for a batch,
// B×T×O in the batch's layout, and the batch.
package task
