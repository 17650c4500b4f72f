// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"math"
	"strings"

	"github.com/nn4n/nn4n/internal/keys"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/loss"
)

// objectiveObj is what an objective handle holds: the configuration of a
// loss value, turned into a ctrnn.Objective when a call needs one.
type objectiveObj struct {
	kind  string
	sy    *loss.SongYang
	rl    *loss.RNNLoss
	crit  any         // pointer to a criterion, for a single-criterion kind
	terms []*termSpec // composite
}

// termSpec is one term of a composite objective.
type termSpec struct {
	name, kind string
	lambda     float64
	crit       any // pointer to a criterion
}

var objectiveKinds = []string{"songyang", "rnnloss", "composite", "fr", "fr_dist", "rnn_conn", "state_pred", "entropy", "hebbian", "cross_entropy", "mse"}

var criterionKinds = objectiveKinds[3:]

// criterionMakers make a criterion of each kind, as a pointer.
var criterionMakers = map[string]func() any{
	criterionKinds[0]: func() any { return &loss.FiringRate{} },
	criterionKinds[1]: func() any { return &loss.FiringRateDist{} },
	criterionKinds[2]: func() any { return &loss.Connectivity{} },
	criterionKinds[3]: func() any { return &loss.StatePrediction{} },
	criterionKinds[4]: func() any { return &loss.Entropy{} },
	criterionKinds[5]: func() any { return &loss.Hebbian{} },
	criterionKinds[6]: func() any { return &loss.CrossEntropy{} },
	criterionKinds[7]: func() any { return &loss.MSE{} },
}

// newCriterion returns a pointer to a criterion of the given kind.
func newCriterion(kind string) (any, error) {
	if mk, ok := criterionMakers[kind]; ok {
		return mk(), nil
	}
	return nil, unknownKey("criterion kind", kind, criterionKinds)
}

// criterionSettings binds a criterion pointer to its key table.
func criterionSettings(c any) settings {
	switch c := c.(type) {
	case *loss.FiringRate:
		return bind(&loss.FiringRateKeys, c)
	case *loss.FiringRateDist:
		return bind(&loss.FiringRateDistKeys, c)
	case *loss.Connectivity:
		return bind(&loss.ConnectivityKeys, c)
	case *loss.StatePrediction:
		return bind(&loss.StatePredictionKeys, c)
	case *loss.Entropy:
		return bind(&loss.EntropyKeys, c)
	case *loss.Hebbian:
		return bind(&loss.HebbianKeys, c)
	case *loss.CrossEntropy:
		return bind(&loss.CrossEntropyKeys, c)
	case *loss.MSE:
		return bind(&loss.MSEKeys, c)
	}
	panic(fmt.Sprintf("capi: unknown criterion type %T", c))
}

// criterionValue dereferences a criterion pointer.
func criterionValue(c any) loss.Criterion {
	switch c := c.(type) {
	case *loss.FiringRate:
		return *c
	case *loss.FiringRateDist:
		return *c
	case *loss.Connectivity:
		return *c
	case *loss.StatePrediction:
		return *c
	case *loss.Entropy:
		return *c
	case *loss.Hebbian:
		return *c
	case *loss.CrossEntropy:
		return *c
	case *loss.MSE:
		return *c
	}
	panic(fmt.Sprintf("capi: unknown criterion type %T", c))
}

// build returns the objective the configuration describes.
func (o *objectiveObj) build() (ctrnn.Objective, error) {
	switch {
	case o.sy != nil:
		return *o.sy, nil
	case o.rl != nil:
		return *o.rl, nil
	case o.crit != nil:
		return criterionValue(o.crit).(ctrnn.Objective), nil
	}
	var c loss.Composite
	for _, t := range o.terms {
		if t.lambda > 0 {
			c.Terms = append(c.Terms, loss.Weighted{Name: t.name, Lambda: t.lambda, Criterion: criterionValue(t.crit)})
		}
	}
	if len(c.Terms) == 0 {
		return nil, fail(stState, "the composite objective has no term with lambda > 0: add one with nn4n_objective_add_term")
	}
	return c, nil
}

func (s *scope) objectiveObj(h C.uint64_t) (*objectiveObj, error) {
	e, err := s.acquire(h, kindObjective)
	if err != nil {
		return nil, err
	}
	return e.obj.(*objectiveObj), nil
}

//export nn4n_objective_create
func nn4n_objective_create(kind *C.nn4n_cchar, out *C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_objective_create", func() error {
		k, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		if out == nil {
			return fail(stNull, "objective (out) is NULL")
		}
		o := &objectiveObj{kind: k}
		switch k {
		case objectiveKinds[0]:
			o.sy = &loss.SongYang{}
		case objectiveKinds[1]:
			o.rl = &loss.RNNLoss{}
		case objectiveKinds[2]:
		default:
			c, err := newCriterion(k)
			if err != nil {
				return unknownKey("objective kind", k, objectiveKinds)
			}
			o.crit = c
		}
		return putHandle(out, kindObjective, o)
	})
}

//export nn4n_objective_free
func nn4n_objective_free(h C.uint64_t) C.int32_t {
	var s scope
	return s.run("nn4n_objective_free", func() error { return free(h, kindObjective) })
}

func validTermName(n string) bool {
	if n == "" || len(n) > 63 {
		return false
	}
	for _, r := range n {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

//export nn4n_objective_add_term
func nn4n_objective_add_term(h C.uint64_t, name, kind *C.nn4n_cchar, lambda C.double) C.int32_t {
	var s scope
	return s.run("nn4n_objective_add_term", func() error {
		o, err := s.objectiveObj(h)
		if err != nil {
			return err
		}
		k, err := goString(kind, "kind")
		if err != nil {
			return err
		}
		n := k
		if name != nil {
			if n = C.GoString((*C.char)(name)); n == "" {
				n = k
			}
		}
		if o.kind != composite {
			return fail(stState, "the objective is of kind %q; terms are added to a \"composite\" objective", o.kind)
		}
		c, err := newCriterion(k)
		if err != nil {
			return err
		}
		if !validTermName(n) {
			return fail(stInvalid, "term name %q: want 1 to 63 letters, digits or '_'", n)
		}
		for _, t := range o.terms {
			if t.name == n {
				return fail(stInvalid, "the objective already has a term named %q", n)
			}
		}
		l := float64(lambda)
		if err := finite(l, "lambda"); err != nil {
			return err
		}
		if l < 0 {
			return fail(stInvalid, "lambda = %v, want ≥ 0", l)
		}
		o.terms = append(o.terms, &termSpec{name: n, kind: k, lambda: l, crit: c})
		return nil
	})
}

const composite = "composite"

// objectiveSettings are the settings of an objective: the key table of its
// kind plus the read-only "kind", or for a composite objective "kind" and
// "<term>.lambda", "<term>.kind" and "<term>.<key>" for each term.
type objectiveSettings struct{ o *objectiveObj }

func (o *objectiveObj) settings() (settings, error) { return objectiveSettings{o}, nil }

// kindInfo describes the read-only "kind" key.
var kindInfo = keys.Info{Name: "kind", Type: string(keys.Str), ReadOnly: true, Doc: "the objective (or term) kind", Lo: math.Inf(-1), Hi: math.Inf(1)}

func (o *objectiveObj) own() settings {
	switch {
	case o.sy != nil:
		return bind(&loss.SongYangKeys, o.sy)
	case o.rl != nil:
		return bind(&loss.RNNLossKeys, o.rl)
	}
	return criterionSettings(o.crit)
}

// target resolves a key of a composite objective to its term and the key
// within the term.
func (o *objectiveObj) target(key string) (*termSpec, string, error) {
	name, sub, ok := strings.Cut(key, ".")
	if !ok {
		return nil, "", fail(stUnknownKey, "key %q: a composite objective's keys are \"<term>.<key>\"", key)
	}
	for _, t := range o.terms {
		if t.name == name {
			return t, sub, nil
		}
	}
	names := make([]string, len(o.terms))
	for i, t := range o.terms {
		names[i] = t.name
	}
	return nil, "", unknownKey("term", name, names)
}

// termLambda is the table of a term's own key.
var termLambda = keys.Table[termSpec]{Kind: "term", Keys: []keys.Key[termSpec]{
	{Name: "lambda", Type: keys.F64, Default: "(set by nn4n_objective_add_term)", Doc: "weight of the term; 0 leaves it out", Lo: 0, Hi: math.Inf(1),
		Get: func(t *termSpec) float64 { return t.lambda },
		Set: func(t *termSpec, v float64) error { t.lambda = v; return nil }},
}}

// resolve returns the settings that serve key and the key within them;
// str is the kind when key names a "kind".
func (s objectiveSettings) resolve(key string) (st settings, sub string, kind string, err error) {
	o := s.o
	if key == kindInfo.Name {
		return nil, key, o.kind, nil
	}
	if o.kind != composite {
		return o.own(), key, "", nil
	}
	t, sub, err := o.target(key)
	switch {
	case err != nil:
		return nil, "", "", err
	case sub == kindInfo.Name:
		return nil, key, t.kind, nil
	case sub == termLambda.Keys[0].Name:
		return bind(&termLambda, t), sub, "", nil
	}
	return criterionSettings(t.crit), sub, "", nil
}

func (s objectiveSettings) getF64(k string) (float64, error) {
	st, sub, kind, err := s.resolve(k)
	if err != nil {
		return 0, err
	}
	if st == nil {
		return 0, fail(stUnknownKey, "%s (%s) is a str key", k, kind)
	}
	return st.getF64(sub)
}

func (s objectiveSettings) setF64(k string, v float64) error {
	st, sub, _, err := s.resolve(k)
	if err != nil {
		return err
	}
	if st == nil {
		return fail(stUnknownKey, "%s is a read-only str key", k)
	}
	return st.setF64(sub, v)
}

func (s objectiveSettings) getStr(k string) (string, error) {
	st, sub, kind, err := s.resolve(k)
	if err != nil || st == nil {
		return kind, err
	}
	return st.getStr(sub)
}

func (s objectiveSettings) setStr(k, v string) error {
	st, sub, _, err := s.resolve(k)
	if err != nil {
		return err
	}
	if st == nil {
		return fail(stInvalid, "%s is read-only", k)
	}
	return st.setStr(sub, v)
}

func (s objectiveSettings) infos() []keys.Info {
	o := s.o
	in := []keys.Info{kindInfo}
	if o.kind != composite {
		return append(in, o.own().infos()...)
	}
	for _, t := range o.terms {
		for _, ti := range append(append([]keys.Info{kindInfo}, termLambda.Infos()...), criterionSettings(t.crit).infos()...) {
			ti.Name = t.name + "." + ti.Name
			in = append(in, ti)
		}
	}
	return in
}
