// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"slices"
	"strings"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"
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

// structureMakers set the default configuration of each kind.
var structureMakers = map[string]func(so *structureObj){
	structureKinds[0]: func(so *structureObj) { c := structure.DefaultMultiArea(so.i, so.n, so.o); so.ma = &c },
	structureKinds[1]: func(so *structureObj) {
		c := structure.DefaultMultiAreaEI(so.i, so.n, so.o)
		so.ei, so.ma = &c, &c.MultiAreaConfig
	},
	structureKinds[2]: func(so *structureObj) { c := structure.DefaultRandomInput(so.i, so.n, so.o); so.ri = &c },
	structureKinds[3]: func(so *structureObj) { c := structure.DefaultMultiIO(so.i, so.n, so.o); so.io = &c },
	structureKinds[4]: func(so *structureObj) { c := structure.DefaultPycog(so.i, so.n, so.o); so.pc = &c },
}

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
		mk, ok := structureMakers[k]
		if !ok {
			return unknownKey("structure kind", k, structureKinds)
		}
		mk(so)
		return putHandle(out, kindStructure, so)
	})
}

//export nn4n_structure_free
func nn4n_structure_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_structure_free", func() error { return free(h, kindStructure) })
}

type structureKey = keys.Key[structureObj]

// changes wraps a setter: any change drops the built structure.
func changes(set func(*structureObj, float64)) func(*structureObj, float64) error {
	return func(so *structureObj, v float64) error {
		set(so, v)
		so.built = nil
		return nil
	}
}

func structReal(name, def, doc string, f func(*structureObj) *float64) structureKey {
	return structureKey{Name: name, Type: keys.F64, Default: def, Doc: doc,
		Get: func(so *structureObj) float64 { return *f(so) },
		Set: changes(func(so *structureObj, v float64) { *f(so) = v })}
}

func structFlag(name, doc string, f func(*structureObj) *bool) structureKey {
	return keys.Flag(structureKey{Name: name, Type: keys.F64, Default: "(kind default)", Doc: doc,
		Get: func(so *structureObj) float64 { return boolf(*f(so)) },
		Set: changes(func(so *structureObj, v float64) { *f(so) = v == 1 })})
}

func structSeed(f func(*structureObj) *uint64) structureKey {
	return structureKey{Name: "seed", Type: keys.F64, Default: "(kind default)", Doc: "seed of the generator", Int: true, Lo: 0, Hi: maxSeed,
		Get: func(so *structureObj) float64 { return float64(*f(so)) },
		Set: changes(func(so *structureObj, v float64) { *f(so) = uint64(v) })}
}

func structDim(name, doc string, get func(*structureObj) float64) structureKey {
	return structureKey{Name: name, Type: keys.F64, ReadOnly: true, Doc: doc, Get: get}
}

// builtAreas reads n_areas of a kind that does not set it.
var builtAreas = structureKey{Name: "n_areas", Type: keys.F64, ReadOnly: true, Doc: "number of areas (known after nn4n_structure_build)",
	Read: func(so *structureObj) (float64, error) {
		if so.built == nil {
			return 0, errs.New(errs.State, "n_areas is known after nn4n_structure_build")
		}
		return float64(so.built.NAreas()), nil
	}}

// structureCommon are the keys of every structure kind.
var structureCommon = []structureKey{
	structDim("inputs", "number of inputs", func(so *structureObj) float64 { return float64(so.i) }),
	structDim("units", "number of hidden units", func(so *structureObj) float64 { return float64(so.n) }),
	structDim("outputs", "number of outputs", func(so *structureObj) float64 { return float64(so.o) }),
	structDim("built", "1 once nn4n_structure_build has run (a change resets it)", func(so *structureObj) float64 { return boolf(so.built != nil) }),
}

func structureTable(kind string, ks ...structureKey) *keys.Table[structureObj] {
	return &keys.Table[structureObj]{Kind: kind + " structure", Keys: append(slices.Clone(structureCommon), ks...)}
}

var multiAreaKeys = []structureKey{
	{Name: "n_areas", Type: keys.F64, Default: "(kind default)", Doc: "number of areas", Int: true, Lo: 0, Hi: maxDim,
		Get: func(so *structureObj) float64 {
			if so.built != nil {
				return float64(so.built.NAreas())
			}
			return float64(so.ma.NAreas)
		},
		Set: changes(func(so *structureObj, v float64) { so.ma.NAreas = int(v) })},
	structFlag("no_autapses", "no self-connections", func(so *structureObj) *bool { return &so.ma.NoAutapses }),
	structSeed(func(so *structureObj) *uint64 { return &so.ma.Seed }),
	{Name: "area_names", Type: keys.Str, Default: "", Doc: "comma-separated area names",
		GetStr: func(so *structureObj) string { return strings.Join(so.ma.AreaNames, ",") },
		SetStr: func(so *structureObj, v string) error {
			so.ma.AreaNames = nil
			if v != "" {
				so.ma.AreaNames = strings.Split(v, ",")
			}
			so.built = nil
			return nil
		}},
}

// structureTables are the key tables of the structure kinds.
var structureTables = map[string]*keys.Table[structureObj]{
	structureKinds[0]: structureTable(structureKinds[0], multiAreaKeys...),
	structureKinds[1]: structureTable(structureKinds[1], append(slices.Clone(multiAreaKeys),
		structFlag("inh_readout", "inhibitory units feed the readout", func(so *structureObj) *bool { return &so.ei.InhReadout }))...),
	structureKinds[2]: structureTable(structureKinds[2], builtAreas,
		structReal("input_spar", "(kind default)", "sparsity of the input weights", func(so *structureObj) *float64 { return &so.ri.InputSpar }),
		structReal("readout_spar", "(kind default)", "sparsity of the readout weights", func(so *structureObj) *float64 { return &so.ri.ReadoutSpar }),
		structReal("hidden_spar", "(kind default)", "sparsity of the hidden weights", func(so *structureObj) *float64 { return &so.ri.HiddenSpar }),
		structFlag("overlap", "input and readout units may overlap", func(so *structureObj) *bool { return &so.ri.Overlap }),
		structSeed(func(so *structureObj) *uint64 { return &so.ri.Seed })),
	structureKinds[3]: structureTable(structureKinds[3], builtAreas),
	structureKinds[4]: structureTable(structureKinds[4], builtAreas,
		structReal("exc_frac", "(kind default)", "fraction of excitatory units", func(so *structureObj) *float64 { return &so.pc.ExcFrac }),
		structFlag("no_ei", "no E/I split", func(so *structureObj) *bool { return &so.pc.NoEI }),
		structFlag("sparse", "sparse recurrent connectivity", func(so *structureObj) *bool { return &so.pc.Sparse }),
		structReal("p_exc", "(kind default)", "connection probability from excitatory units", func(so *structureObj) *float64 { return &so.pc.PExc }),
		structReal("p_inh", "(kind default)", "connection probability from inhibitory units", func(so *structureObj) *float64 { return &so.pc.PInh }),
		structFlag("allow_self", "allow self-connections", func(so *structureObj) *bool { return &so.pc.AllowSelf }),
		structFlag("exc_readout", "only excitatory units feed the readout", func(so *structureObj) *bool { return &so.pc.ExcReadout }),
		structSeed(func(so *structureObj) *uint64 { return &so.pc.Seed })),
}

func (so *structureObj) settings() (settings, error) {
	t, ok := structureTables[so.kind]
	if !ok {
		return nil, fail(stInternal, "no key table for structure kind %q", so.kind)
	}
	return bind(t, so), nil
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
