// SPDX-License-Identifier: MIT

//go:build !amd64 || purego

package ctrnn

import "github.com/nn4n/nn4n/internal/linalg"

// hasAVX is false: every kernel runs its Go loop, and the vector halves
// below, which vectorPart never hands anything, are those loops too.
const hasAVX = false

func reluVec[T linalg.Float](x, out []T) { reluLoop(x, out) }

func stepVec[T linalg.Float](x, out []T) { stepLoop(x, out) }

func leakVec[T linalg.Float](next, x, alpha, bias, keep []T) { leakLoop(next, x, alpha, bias, keep) }

func combineVec[T linalg.Float](d, g, p, fp, keep, next []T) { combineLoop(d, g, p, fp, keep, next) }

func momentsVec[T linalg.Float](gb, ga, d, xt, xp []T) { momentsLoop(gb, ga, d, xt, xp) }
