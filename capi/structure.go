package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"slices"
	"strings"

	"github.com/nn4n/nn4n/structure"
)

// structureObj is what a structure handle holds: a generator configuration
// and, after nn4n_structure_build, its result.
type structureObj struct {
	kind    string
	i, n, o int
	ma      *structure.MultiAreaConfig // multi_area, and multi_area_ei's embedded config
	ei      *structure.MultiAreaEIConfig
	ri      *structure.RandomInputConfig
	io      *structure.MultiIOConfig
	pc      *structure.PycogConfig
	built   *structure.Structure
}

var structureKinds = []string{"multi_area", "multi_area_ei", "random_input", "multi_io", "pycog"}

var structureMaskKeys = []string{"input_mask", "hidden_mask", "readout_mask", "input_sign", "hidden_sign", "readout_sign", "unit_sign", "hidden_scale"}

var structureIndexKeys = []string{"input", "non_input", "readout", "excitatory", "inhibitory", "area"}

const maxSeed = 1 << 53

func (s *scope) structure(h C.uint64_t) (*structureObj, error) {
	e, err := s.acquire(h, kindStructure)
	if err != nil {
		return nil, err
	}
	return e.obj.(*structureObj), nil
}

//export nn4n_structure_create
func nn4n_structure_create(kind *C.nn4n_cchar, nIn, nHid, nOut C.int64_t, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_create", func() error {
		k, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		if out == nil {
			return fail(stNull, "structure (out) is NULL")
		}
		i, err := dim(nIn, "n_in", 0, maxDim)
		if err != nil {
			return err
		}
		n, err := dim(nHid, "n_hid", 1, maxDim)
		if err != nil {
			return err
		}
		o, err := dim(nOut, "n_out", 0, maxDim)
		if err != nil {
			return err
		}
		if _, err := size("hidden_mask", n, n); err != nil {
			return err
		}
		so := &structureObj{kind: k, i: i, n: n, o: o}
		switch k {
		case "multi_area":
			c := structure.DefaultMultiArea(i, n, o)
			so.ma = &c
		case "multi_area_ei":
			c := structure.DefaultMultiAreaEI(i, n, o)
			so.ei, so.ma = &c, &c.MultiAreaConfig
		case "random_input":
			c := structure.DefaultRandomInput(i, n, o)
			so.ri = &c
		case "multi_io":
			c := structure.DefaultMultiIO(i, n, o)
			so.io = &c
		case "pycog":
			c := structure.DefaultPycog(i, n, o)
			so.pc = &c
		default:
			return unknownKey("structure kind", k, structureKinds)
		}
		return putHandle(out, kindStructure, so)
	})
}

//export nn4n_structure_free
func nn4n_structure_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_free", func() error { return free(h, kindStructure) })
}

// scalar returns the address of a numeric key: a float, an int, a flag or
// a seed; exactly one is non-nil.
func (so *structureObj) scalar(k string) (f *float64, i *int, b *bool, seed *uint64, keys []string) {
	switch {
	case so.ma != nil:
		keys = []string{"n_areas", "no_autapses", "seed"}
		switch k {
		case "n_areas":
			i = &so.ma.NAreas
		case "no_autapses":
			b = &so.ma.NoAutapses
		case "seed":
			seed = &so.ma.Seed
		}
		if so.ei != nil {
			keys = append(keys, "inh_readout")
			if k == "inh_readout" {
				b = &so.ei.InhReadout
			}
		}
	case so.ri != nil:
		keys = []string{"input_spar", "readout_spar", "hidden_spar", "overlap", "seed"}
		switch k {
		case "input_spar":
			f = &so.ri.InputSpar
		case "readout_spar":
			f = &so.ri.ReadoutSpar
		case "hidden_spar":
			f = &so.ri.HiddenSpar
		case "overlap":
			b = &so.ri.Overlap
		case "seed":
			seed = &so.ri.Seed
		}
	case so.pc != nil:
		keys = []string{"exc_frac", "no_ei", "sparse", "p_exc", "p_inh", "allow_self", "exc_readout", "seed"}
		switch k {
		case "exc_frac":
			f = &so.pc.ExcFrac
		case "no_ei":
			b = &so.pc.NoEI
		case "sparse":
			b = &so.pc.Sparse
		case "p_exc":
			f = &so.pc.PExc
		case "p_inh":
			f = &so.pc.PInh
		case "allow_self":
			b = &so.pc.AllowSelf
		case "exc_readout":
			b = &so.pc.ExcReadout
		case "seed":
			seed = &so.pc.Seed
		}
	}
	return
}

//export nn4n_structure_set_f64
func nn4n_structure_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run("nn4n_structure_set_f64", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		v := float64(value)
		f, i, b, seed, keys := so.scalar(k)
		switch {
		case f == nil && i == nil && b == nil && seed == nil:
			return unknownKey(so.kind+" numeric key", k, keys)
		}
		if err := finite(v, k); err != nil {
			return err
		}
		switch {
		case f != nil:
			*f = v
		case i != nil:
			if err := set(i)(integer(k, v, 0, maxDim)); err != nil {
				return err
			}
		case b != nil:
			if err := set(b)(flag(k, v)); err != nil {
				return err
			}
		default:
			n, err := integer(k, v, 0, maxSeed)
			if err != nil {
				return err
			}
			*seed = uint64(n)
		}
		so.built = nil
		return nil
	})
}

//export nn4n_structure_get_f64
func nn4n_structure_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_structure_get_f64", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		var v float64
		switch k {
		case "inputs":
			v = float64(so.i)
		case "units":
			v = float64(so.n)
		case "outputs":
			v = float64(so.o)
		case "built":
			v = boolf(so.built != nil)
		default:
			if k == "n_areas" && so.built != nil {
				v = float64(so.built.NAreas())
				break
			}
			f, i, b, seed, keys := so.scalar(k)
			switch {
			case f != nil:
				v = *f
			case i != nil:
				v = float64(*i)
			case b != nil:
				v = boolf(*b)
			case seed != nil:
				v = float64(*seed)
			case k == "n_areas":
				return fail(stState, "n_areas is known after nn4n_structure_build")
			default:
				return unknownKey(so.kind+" numeric key", k, append([]string{"inputs", "units", "outputs", "built", "n_areas"}, keys...))
			}
		}
		*value = C.double(v)
		return nil
	})
}

//export nn4n_structure_set_str
func nn4n_structure_set_str(h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	var s scope
	return s.run("nn4n_structure_set_str", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		v, err := goString(value, "value")
		if err != nil {
			return err
		}
		if so.ma == nil || k != "area_names" {
			var keys []string
			if so.ma != nil {
				keys = []string{"area_names"}
			}
			return unknownKey(so.kind+" str key", k, keys)
		}
		so.ma.AreaNames = nil
		if v != "" {
			so.ma.AreaNames = strings.Split(v, ",")
		}
		so.built = nil
		return nil
	})
}

func ints(key string, v []float64, lo, hi float64) ([]int, error) {
	out := make([]int, len(v))
	for j, x := range v {
		k, err := integer(key, x, lo, hi)
		if err != nil {
			return nil, fail(stInvalid, "%s[%d] = %v, want an integer in [%v, %v]", key, j, x, lo, hi)
		}
		out[j] = k
	}
	return out, nil
}

//export nn4n_structure_set_array
func nn4n_structure_set_array(h C.uint64_t, key *C.nn4n_cchar, values *C.nn4n_cdouble, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_set_array", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		var keys []string
		switch {
		case so.ma != nil:
			keys = []string{"area_sizes", "area_connectivities", "input_areas", "readout_areas"}
			if so.ei != nil {
				keys = append(keys, "exc_pct", "inter_area_connections")
			}
		case so.io != nil:
			keys = []string{"input_dims", "readout_dims", "input_table", "readout_table"}
		}
		if !slices.Contains(keys, k) {
			return unknownKey(so.kind+" array key", k, keys)
		}
		if n < 0 {
			return fail(stInvalid, "len = %d is negative", int64(n))
		}
		if n > maxElems {
			return fail(stInvalid, "len = %d is too large", int64(n))
		}
		v, err := inArray(values, n, int(n), "values", true)
		if err != nil {
			return err
		}
		v = slices.Clone(v)
		if v == nil {
			v = []float64{}
		}
		switch k {
		case "area_sizes":
			err = set(&so.ma.AreaSizes)(ints(k, v, -maxDim, maxDim))
		case "area_connectivities":
			so.ma.Connectivity = v
		case "input_areas":
			err = set(&so.ma.InputAreas)(ints(k, v, -maxDim, maxDim))
		case "readout_areas":
			err = set(&so.ma.ReadoutAreas)(ints(k, v, -maxDim, maxDim))
		case "exc_pct":
			so.ei.ExcPct = v
		case "inter_area_connections":
			if len(v) != 4 {
				return fail(stShape, "inter_area_connections needs 4 flags (exc→exc, exc→inh, inh→exc, inh→inh), got %d", len(v))
			}
			var f [4]bool
			for j, x := range v {
				if f[j], err = flag(k, x); err != nil {
					return err
				}
			}
			so.ei.InterArea = f
		case "input_dims":
			err = set(&so.io.InputDims)(ints(k, v, -maxDim, maxDim))
		case "readout_dims":
			err = set(&so.io.ReadoutDims)(ints(k, v, -maxDim, maxDim))
		case "input_table":
			so.io.InputTable = v
		case "readout_table":
			so.io.ReadoutTable = v
		}
		if err != nil {
			return err
		}
		so.built = nil
		return nil
	})
}

//export nn4n_structure_build
func nn4n_structure_build(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_build", func() error {
		so, err := s.structure(h)
		if err != nil {
			return err
		}
		var st *structure.Structure
		switch {
		case so.ei != nil:
			st, err = structure.MultiAreaEI(*so.ei)
		case so.ma != nil:
			st, err = structure.MultiArea(*so.ma)
		case so.ri != nil:
			st, err = structure.RandomInput(*so.ri)
		case so.io != nil:
			st, err = structure.MultiIO(*so.io)
		default:
			st, err = structure.Pycog(*so.pc)
		}
		if err != nil {
			return err
		}
		so.built = st
		return nil
	})
}

// mask returns a built mask and its shape.
func (so *structureObj) mask(k string) ([]float64, int, int, error) {
	if !slices.Contains(structureMaskKeys, k) {
		return nil, 0, 0, unknownKey("structure array", k, structureMaskKeys)
	}
	if so.built == nil {
		return nil, 0, 0, fail(stState, "the structure is not built: call nn4n_structure_build first")
	}
	m := &so.built.Masks
	var v []float64
	r, c := 0, 0
	switch k {
	case "input_mask", "input_sign":
		v, r, c = m.Input, m.N, m.I
		if k == "input_sign" {
			v = m.InputSign
		}
	case "hidden_mask", "hidden_sign", "hidden_scale":
		v, r, c = m.Hidden, m.N, m.N
		if k == "hidden_sign" {
			v = m.HiddenSign
		} else if k == "hidden_scale" {
			v = m.HiddenScale
		}
	case "readout_mask", "readout_sign":
		v, r, c = m.Readout, m.O, m.N
		if k == "readout_sign" {
			v = m.ReadoutSign
		}
	case "unit_sign":
		v, r, c = m.UnitSign, m.N, 1
	}
	if v == nil {
		return nil, 0, 0, nil
	}
	return v, r, c, nil
}

//export nn4n_structure_shape
func nn4n_structure_shape(h C.uint64_t, key *C.nn4n_cchar, rows, cols *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_shape", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		if rows == nil || cols == nil {
			return fail(stNull, "rows or cols (out) is NULL")
		}
		_, r, c, err := so.mask(k)
		if err != nil {
			return err
		}
		*rows, *cols = C.int64_t(r), C.int64_t(c)
		return nil
	})
}

//export nn4n_structure_get_array
func nn4n_structure_get_array(h C.uint64_t, key *C.nn4n_cchar, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_get_array", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		v, r, c, err := so.mask(k)
		if err != nil {
			return err
		}
		dst, err := outArray(out, n, r*c, "out", true)
		if err != nil {
			return err
		}
		copy(dst, v)
		return nil
	})
}

// indices returns an index list of the built structure.
func (so *structureObj) indices(k string, area C.int64_t) ([]int, error) {
	if !slices.Contains(structureIndexKeys, k) {
		return nil, unknownKey("index list", k, structureIndexKeys)
	}
	if so.built == nil {
		return nil, fail(stState, "the structure is not built: call nn4n_structure_build first")
	}
	m := &so.built.Masks
	switch k {
	case "input":
		return m.InputIndices(), nil
	case "non_input":
		return m.NonInputIndices(), nil
	case "readout":
		return m.ReadoutIndices(), nil
	case "excitatory":
		return m.ExcitatoryIndices(), nil
	case "inhibitory":
		return m.InhibitoryIndices(), nil
	}
	if area < 0 || int64(area) >= int64(so.built.NAreas()) {
		return nil, fail(stInvalid, "area = %d, want 0 ≤ area < %d", int64(area), so.built.NAreas())
	}
	return so.built.AreaIndices(int(area))
}

//export nn4n_structure_index_count
func nn4n_structure_index_count(h C.uint64_t, key *C.nn4n_cchar, area C.int64_t, count *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_index_count", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		if count == nil {
			return fail(stNull, "count (out) is NULL")
		}
		idx, err := so.indices(k, area)
		if err != nil {
			return err
		}
		*count = C.int64_t(len(idx))
		return nil
	})
}

//export nn4n_structure_indices
func nn4n_structure_indices(h C.uint64_t, key *C.nn4n_cchar, area C.int64_t, out *C.double, n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_indices", func() error {
		so, k, err := keyed(s.structure, h, key)
		if err != nil {
			return err
		}
		idx, err := so.indices(k, area)
		if err != nil {
			return err
		}
		dst, err := outArray(out, n, len(idx), "out", true)
		if err != nil {
			return err
		}
		for j, u := range idx {
			dst[j] = float64(u)
		}
		return nil
	})
}

//export nn4n_structure_area_name
func nn4n_structure_area_name(h C.uint64_t, area C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_area_name", func() error {
		so, err := s.structure(h)
		if err != nil {
			return err
		}
		if so.built == nil {
			return fail(stState, "the structure is not built: call nn4n_structure_build first")
		}
		names := so.built.Areas()
		if area < 0 || int64(area) >= int64(len(names)) {
			return fail(stInvalid, "area = %d, want 0 ≤ area < %d", int64(area), len(names))
		}
		return putString(names[area], buf, n, needed)
	})
}
