// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"github.com/nn4n/nn4n/internal/errs"
	"strings"
)

// ArrayNames lists the keys of Array, SetArray and Shape. Weights are
// (post, pre): w_in N×I, w_rec N×N, w_out O×N; masks have their weight's
// shape. The *_eff keys are read-only.
var ArrayNames = []string{
	"w_in", "w_rec", "w_out", "w_in_eff", "w_rec_eff", "w_out_eff",
	"b_in", "b_rec", "b_out", "alpha", "x0",
	"mask_in", "mask_rec", "mask_out", "sign_in", "sign_rec", "sign_out",
	"plasticity_in", "plasticity_rec", "plasticity_out",
}

// layer returns the weight a mask or weight key refers to, and the key's
// prefix ("w", "mask", "sign", "plasticity").
func (m *Model) layer(name string) (*weight, string, bool) {
	k := strings.LastIndexByte(name, '_')
	if k < 0 {
		return nil, "", false
	}
	prefix, which := name[:k], name[k+1:]
	if prefix == "w_in" || prefix == "w_rec" || prefix == "w_out" { // w_*_eff
		prefix, which = "w_eff", strings.TrimPrefix(prefix, "w_")
	}
	var w *weight
	switch which {
	case "in":
		w = m.wIn
	case "rec":
		w = m.wRec
	case "out":
		w = m.wOut
	default:
		return nil, "", false
	}
	switch prefix {
	case "w", "w_eff", "mask", "sign", "plasticity":
		return w, prefix, true
	}
	return nil, "", false
}

// vector returns the parameter vector a key names.
func (m *Model) vector(name string) ([]float64, bool) {
	switch name {
	case "b_in":
		return m.bIn, true
	case "b_rec":
		return m.bRec, true
	case "b_out":
		return m.bOut, true
	case "alpha":
		return m.alpha, true
	case "x0":
		return m.x0, true
	}
	return nil, false
}

// Shape returns the rows and columns of the array name (vectors are n×1).
// An absent sign mask has shape 0×0.
func (m *Model) Shape(name string) (rows, cols int, err error) {
	if v, ok := m.vector(name); ok {
		return len(v), 1, nil
	}
	w, prefix, ok := m.layer(name)
	if !ok {
		return 0, 0, unknownArray(name)
	}
	if prefix == "sign" && w.sign == nil {
		return 0, 0, nil
	}
	return w.rows, w.cols, nil
}

func unknownArray(name string) error {
	return fmt.Errorf("ctrnn: unknown array %q (known: %s)", name, strings.Join(ArrayNames, ", "))
}

// Array returns a copy of the array name, row-major. An absent sparsity or
// plasticity mask reads as all ones, an absent sign mask as empty.
func (m *Model) Array(name string) ([]float64, error) {
	r, c, err := m.Shape(name)
	if err != nil {
		return nil, err
	}
	v := make([]float64, r*c)
	return v, m.ArrayInto(name, v)
}

// ArrayInto copies the array name into dst, which must hold its Shape's
// rows×cols values: Array without allocating.
func (m *Model) ArrayInto(name string, dst []float64) error {
	r, c, err := m.Shape(name)
	if err != nil {
		return err
	}
	if len(dst) != r*c {
		return fmt.Errorf("ctrnn: %s has %d×%d values, the destination %d", name, r, c, len(dst))
	}
	if v, ok := m.vector(name); ok {
		copy(dst, v)
		return nil
	}
	w, prefix, _ := m.layer(name)
	switch prefix {
	case "w":
		copy(dst, w.raw)
	case "w_eff":
		copy(dst, w.eff)
	case "mask", "plasticity":
		src := w.sparsity
		if prefix == "plasticity" {
			src = w.plasticity
		}
		if src == nil {
			for i := range dst {
				dst[i] = 1
			}
		} else {
			copy(dst, src)
		}
	default: // sign
		copy(dst, w.sign)
	}
	return nil
}

// SetArray replaces the array name with a copy of v after validating it
// completely; on error nothing changes. Setting a weight or mask re-applies
// every constraint (so in Clip mode a weight is projected onto its signs).
// A mask set to an empty slice is removed.
func (m *Model) SetArray(name string, v []float64) error {
	if vec, ok := m.vector(name); ok {
		if len(v) != len(vec) {
			return fmt.Errorf("ctrnn: %s needs %d values, got %d", name, len(vec), len(v))
		}
		if k := firstNonFinite(v); k >= 0 {
			return errs.New(errs.NotFinite, "ctrnn: %s[%d] = %v is not finite", name, k, v[k])
		}
		if name == "alpha" {
			for k, a := range v {
				if err := checkAlpha(fmt.Sprintf("alpha[%d]", k), a); err != nil {
					return err
				}
			}
		}
		copy(vec, v)
		m.stale = true
		return nil
	}
	w, prefix, ok := m.layer(name)
	if !ok {
		return unknownArray(name)
	}
	n := w.rows * w.cols
	switch prefix {
	case "w_eff":
		return fmt.Errorf("ctrnn: %s is read-only: set %s", name, strings.TrimSuffix(name, "_eff"))
	case "w":
		if len(v) != n {
			return fmt.Errorf("ctrnn: %s is %d×%d and needs %d values, got %d", name, w.rows, w.cols, n, len(v))
		}
		if k := firstNonFinite(v); k >= 0 {
			return errs.New(errs.NotFinite, "ctrnn: %s[%d,%d] = %v is not finite", name, k/w.cols, k%w.cols, v[k])
		}
		copy(w.raw, v)
	default:
		c := Constraint{Sparsity: w.sparsity, Sign: w.sign, Plasticity: w.plasticity}
		var field *[]float64
		switch prefix {
		case "mask":
			field = &c.Sparsity
		case "sign":
			field = &c.Sign
		default:
			field = &c.Plasticity
		}
		*field = v
		if len(v) == 0 {
			*field = nil
		}
		if err := c.validate(name, w.rows, w.cols); err != nil {
			return err
		}
		w.setConstraint(c)
		m.params = nil
	}
	m.project()
	return nil
}
