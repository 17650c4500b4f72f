// SPDX-License-Identifier: MIT

//go:build purego

package linalg

// WithThreads runs f: gonum's pure-Go BLAS runs in the caller's goroutine.
func WithThreads(n int, f func()) { f() }

// Threads returns 1: the pure-Go BLAS has no thread pool of its own.
func Threads() int { return 1 }

// Info describes the BLAS in use.
func Info() string { return "gonum pure-Go BLAS (build tag purego)" }
