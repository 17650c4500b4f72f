// SPDX-License-Identifier: MIT

// Package structure generates the connectivity masks that give a
// continuous-time recurrent network its structure: nn4n's MultiArea,
// MultiAreaEI, RandomInput and MultiIO generators, and pycog's E/I
// assignment and recurrent connectivity (Crec).
//
// Every generator returns a *Structure: a Masks value (the 0/1 sparsity masks
// of the input, recurrent and readout weights and, for E/I structures, the
// matching sign masks and per-unit sign vector) together with the partition of
// the hidden units into named areas.
//
// # Orientation
//
// Masks are stored like the weights they apply to, (post, pre) as in
// torch.nn.Linear.weight, row-major: the input mask is N×I, the hidden mask
// N×N and the readout mask O×N. Entry (i, j) of the hidden mask is the
// synapse from unit j onto unit i. nn4n builds its masks in this orientation,
// returns them transposed, and its layers transpose them back; this package
// returns them once, in the orientation of the weights.
//
// # Areas
//
// Areas are contiguous blocks of hidden units, numbered from 0 in the order
// of their units and named "area_1", "area_2", … unless names are given. In an
// area-connectivity matrix P (n_areas×n_areas, (post, pre)), P[a][b] is the
// connection probability from area b onto area a. As in nn4n, the strictly
// lower triangle (a > b, from a lower-numbered area to a higher one) is the
// forward direction and the strictly upper triangle the backward direction.
//
// # Seeds and errors
//
// Random generators take a Seed and draw from math/rand/v2's PCG source; the
// same configuration and seed give identical masks. Invalid parameters return
// a *ParamError naming the parameter (by its nn4n name) and the rule it
// breaks; nothing in this package panics on user input.
//
// # Defaults
//
// The zero value of a configuration is not nn4n's default (Go booleans start
// false, nn4n's flags start true). Start from DefaultMultiArea,
// DefaultMultiAreaEI, DefaultRandomInput, DefaultMultiIO or DefaultPycog and
// change the fields you need.
package structure
