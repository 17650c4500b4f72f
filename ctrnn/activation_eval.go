// SPDX-License-Identifier: MIT

package ctrnn

// Eval sets fx = f(x) and, when dfx is non-nil, dfx = f'(x), in float64 with
// the same code the engine runs. fx and dfx must be at least as long as x.
// The derivative of ReLU and ReTanh at 0 is taken as 0, as in the backward
// pass.
func (a Activation) Eval(x, fx, dfx []float64) {
	activate(a, x, fx[:len(x)])
	if dfx != nil {
		derivative(a, x, fx[:len(x)], dfx[:len(x)])
	}
}
