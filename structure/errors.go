// SPDX-License-Identifier: MIT

package structure

import "fmt"

// ParamError reports an invalid generator parameter.
type ParamError struct {
	// Param is the parameter's name as nn4n spells it (for example
	// "area_connectivities" or "exc_pct").
	Param string
	// Rule is the rule the value breaks, with the offending value.
	Rule string
}

// Error implements the error interface.
func (e *ParamError) Error() string {
	return "structure: " + e.Param + ": " + e.Rule
}

func paramErr(param, format string, args ...any) error {
	return &ParamError{Param: param, Rule: fmt.Sprintf(format, args...)}
}

// checkProb returns an error unless p is in [0, 1] (NaN is rejected).
func checkProb(param string, p float64) error {
	if !(p >= 0 && p <= 1) {
		return paramErr(param, "must be in [0, 1], got %v", p)
	}
	return nil
}

// checkDims validates the three layer sizes.
func checkDims(i, n, o int) error {
	if i < 0 {
		return paramErr("input_dim", "must be ≥ 0, got %d", i)
	}
	if n < 1 {
		return paramErr("hidden_size", "must be ≥ 1, got %d", n)
	}
	if o < 0 {
		return paramErr("readout_dim", "must be ≥ 0, got %d", o)
	}
	return nil
}
