package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"strings"

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

// newCriterion returns a pointer to a criterion of the given kind.
func newCriterion(kind string) (any, error) {
	switch kind {
	case "fr":
		return &loss.FiringRate{}, nil
	case "fr_dist":
		return &loss.FiringRateDist{}, nil
	case "rnn_conn":
		return &loss.Connectivity{}, nil
	case "state_pred":
		return &loss.StatePrediction{}, nil
	case "entropy":
		return &loss.Entropy{}, nil
	case "hebbian":
		return &loss.Hebbian{}, nil
	case "cross_entropy":
		return &loss.CrossEntropy{}, nil
	case "mse":
		return &loss.MSE{}, nil
	}
	return nil, unknownKey("criterion kind", kind, criterionKinds)
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
		case "songyang":
			o.sy = &loss.SongYang{}
		case "rnnloss":
			o.rl = &loss.RNNLoss{}
		case "composite":
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
		if o.kind != "composite" {
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

// target resolves a key to the value it configures: the objective itself,
// or for a composite "<term>.<key>" the term.
func (o *objectiveObj) target(key string) (t *termSpec, sub string, err error) {
	if o.kind != "composite" {
		return nil, key, nil
	}
	name, sub, ok := strings.Cut(key, ".")
	if !ok {
		if key == "kind" {
			return nil, key, nil
		}
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

func nonNegative(key string, v float64) (float64, error) {
	if v < 0 {
		return 0, fail(stInvalid, "%s = %v, want ≥ 0", key, v)
	}
	return v, nil
}

//export nn4n_objective_set_f64
func nn4n_objective_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run("nn4n_objective_set_f64", func() error {
		o, k, err := keyed(s.objectiveObj, h, key)
		if err != nil {
			return err
		}
		t, sub, err := o.target(k)
		if err != nil {
			return err
		}
		v := float64(value)
		if err := finite(v, k); err != nil {
			return err
		}
		switch {
		case t != nil && sub == "lambda":
			return set(&t.lambda)(nonNegative(k, v))
		case t != nil:
			return setCriterionF64(t.crit, sub, v)
		case o.sy != nil:
			return setSongYang(o.sy, k, v)
		case o.rl != nil:
			return setRNNLoss(o.rl, k, v)
		}
		return setCriterionF64(o.crit, k, v)
	})
}

//export nn4n_objective_get_f64
func nn4n_objective_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run("nn4n_objective_get_f64", func() error {
		o, k, err := keyed(s.objectiveObj, h, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		t, sub, err := o.target(k)
		if err != nil {
			return err
		}
		var v float64
		switch {
		case t != nil && sub == "lambda":
			v = t.lambda
		case t != nil:
			v, err = getCriterionF64(t.crit, sub)
		case o.sy != nil:
			v, err = getSongYang(o.sy, k)
		case o.rl != nil:
			v, err = getRNNLoss(o.rl, k)
		default:
			v, err = getCriterionF64(o.crit, k)
		}
		if err != nil {
			return err
		}
		*value = C.double(v)
		return nil
	})
}

//export nn4n_objective_set_str
func nn4n_objective_set_str(h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	var s scope
	return s.run("nn4n_objective_set_str", func() error {
		o, k, err := keyed(s.objectiveObj, h, key)
		if err != nil {
			return err
		}
		v, err := goString(value, "value")
		if err != nil {
			return err
		}
		t, sub, err := o.target(k)
		if err != nil {
			return err
		}
		if sub == "kind" {
			return fail(stInvalid, "%s is read-only", k)
		}
		switch {
		case t != nil:
			return setCriterionStr(t.crit, sub, v)
		case o.sy != nil:
			switch k {
			case "head":
				switch v {
				case "squared", "mse":
					o.sy.Head = loss.Squared
				case "bce":
					o.sy.Head = loss.BinaryCrossEntropy
				case "softmax_ce", "softmax-ce":
					o.sy.Head = loss.SoftmaxCrossEntropy
				default:
					return fail(stInvalid, "head = %q, want squared, bce or softmax_ce", v)
				}
				return nil
			case "weights":
				return set(&o.sy.Weights)(parseWeights(v))
			}
			return unknownKey("songyang str key", k, []string{"head", "weights"})
		case o.rl != nil:
			switch k {
			case "weights":
				return set(&o.rl.Weights)(parseWeights(v))
			case "on":
				return set(&o.rl.On)(parseSignal(v))
			}
			return unknownKey("rnnloss str key", k, []string{"weights", "on"})
		}
		return setCriterionStr(o.crit, k, v)
	})
}

//export nn4n_objective_get_str
func nn4n_objective_get_str(h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_objective_get_str", func() error {
		o, k, err := keyed(s.objectiveObj, h, key)
		if err != nil {
			return err
		}
		t, sub, err := o.target(k)
		if err != nil {
			return err
		}
		var v string
		switch {
		case sub == "kind" && t != nil:
			v = t.kind
		case sub == "kind":
			v = o.kind
		case t != nil:
			v, err = getCriterionStr(t.crit, sub)
		case o.sy != nil:
			switch k {
			case "head":
				v = map[loss.Head]string{loss.Squared: "squared", loss.BinaryCrossEntropy: "bce", loss.SoftmaxCrossEntropy: "softmax_ce"}[o.sy.Head]
			case "weights":
				v = weightsName(o.sy.Weights, loss.RawWeights)
			default:
				err = unknownKey("songyang str key", k, []string{"kind", "head", "weights"})
			}
		case o.rl != nil:
			switch k {
			case "weights":
				v = weightsName(o.rl.Weights, loss.EffectiveWeights)
			case "on":
				v = o.rl.On.String()
			default:
				err = unknownKey("rnnloss str key", k, []string{"kind", "weights", "on"})
			}
		default:
			v, err = getCriterionStr(o.crit, k)
		}
		if err != nil {
			return err
		}
		return putString(v, buf, n, needed)
	})
}

var songYangKeys = []string{"lambda1_in", "lambda1_rec", "lambda1_out", "lambda2_in", "lambda2_rec", "lambda2_out", "lambda2_r", "lambda_omega"}

func songYangField(sy *loss.SongYang, k string) *float64 {
	switch k {
	case "lambda1_in":
		return &sy.Lambda1In
	case "lambda1_rec":
		return &sy.Lambda1Rec
	case "lambda1_out":
		return &sy.Lambda1Out
	case "lambda2_in":
		return &sy.Lambda2In
	case "lambda2_rec":
		return &sy.Lambda2Rec
	case "lambda2_out":
		return &sy.Lambda2Out
	case "lambda2_r":
		return &sy.Lambda2Rate
	}
	return nil
}

func setSongYang(sy *loss.SongYang, k string, v float64) error {
	if k == "lambda_omega" {
		if _, err := nonNegative(k, v); err != nil {
			return err
		}
		sy.Omega, sy.NoOmega = v, v == 0
		return nil
	}
	f := songYangField(sy, k)
	if f == nil {
		return unknownKey("songyang key", k, songYangKeys)
	}
	return set(f)(nonNegative(k, v))
}

func getSongYang(sy *loss.SongYang, k string) (float64, error) {
	if k == "lambda_omega" {
		return sy.LambdaOmega(), nil
	}
	f := songYangField(sy, k)
	if f == nil {
		return 0, unknownKey("songyang key", k, songYangKeys)
	}
	return *f, nil
}

var rnnLossKeys = []string{"lambda_mse", "masked", "lambda_in", "lambda_hid", "lambda_out", "lambda_fr", "lambda_fr_sd", "lambda_fr_cv"}

func rnnLossField(l *loss.RNNLoss, k string) *float64 {
	switch k {
	case "lambda_in":
		return &l.LambdaIn
	case "lambda_hid":
		return &l.LambdaHid
	case "lambda_out":
		return &l.LambdaOut
	case "lambda_fr":
		return &l.LambdaFR
	case "lambda_fr_sd":
		return &l.LambdaFRSD
	case "lambda_fr_cv":
		return &l.LambdaFRCV
	}
	return nil
}

func setRNNLoss(l *loss.RNNLoss, k string, v float64) error {
	var err error
	switch k {
	case "lambda_mse":
		if _, err = nonNegative(k, v); err != nil {
			return err
		}
		l.LambdaMSE, l.NoMSE = v, v == 0
		return nil
	case "masked":
		return set(&l.Masked)(flag(k, v))
	}
	f := rnnLossField(l, k)
	if f == nil {
		return unknownKey("rnnloss key", k, rnnLossKeys)
	}
	return set(f)(nonNegative(k, v))
}

func getRNNLoss(l *loss.RNNLoss, k string) (float64, error) {
	switch k {
	case "lambda_mse":
		if l.NoMSE {
			return 0, nil
		}
		if l.LambdaMSE == 0 {
			return 1, nil
		}
		return l.LambdaMSE, nil
	case "masked":
		return boolf(l.Masked), nil
	}
	f := rnnLossField(l, k)
	if f == nil {
		return 0, unknownKey("rnnloss key", k, rnnLossKeys)
	}
	return *f, nil
}

func parseWeights(v string) (loss.WeightSet, error) {
	switch v {
	case "default":
		return loss.DefaultWeights, nil
	case "raw":
		return loss.RawWeights, nil
	case "effective":
		return loss.EffectiveWeights, nil
	}
	return 0, fail(stInvalid, "weights = %q, want raw or effective", v)
}

func weightsName(w loss.WeightSet, def loss.WeightSet) string {
	if w == loss.DefaultWeights {
		w = def
	}
	return w.String()
}

func parseSignal(v string) (loss.Signal, error) {
	switch v {
	case "rates":
		return loss.Rates, nil
	case "states":
		return loss.States, nil
	}
	return 0, fail(stInvalid, "on = %q, want rates or states", v)
}

func parseMetric(v string, allowed ...loss.Metric) (loss.Metric, error) {
	names := make([]string, len(allowed))
	for i, m := range allowed {
		names[i] = m.String()
		if m.String() == v {
			return m, nil
		}
	}
	return 0, fail(stInvalid, "metric = %q, want one of %s", v, strings.Join(names, ", "))
}

func metricName(m, def loss.Metric) string {
	if m == loss.DefaultMetric {
		m = def
	}
	return m.String()
}

// criterionKeys lists the f64 and str keys of a criterion.
func criterionKeys(c any) (f64, str []string) {
	switch c.(type) {
	case *loss.FiringRate, *loss.FiringRateDist:
		return nil, []string{"metric", "on"}
	case *loss.Connectivity:
		return nil, []string{"layer", "metric", "weights"}
	case *loss.StatePrediction:
		return []string{"tau"}, []string{"on"}
	case *loss.Entropy:
		return []string{"reg"}, []string{"on"}
	case *loss.Hebbian:
		return nil, []string{"weights", "on"}
	case *loss.CrossEntropy:
		return []string{"no_softmax", "from_logits"}, nil
	case *loss.MSE:
		return []string{"masked"}, nil
	}
	return nil, nil
}

func setCriterionF64(c any, k string, v float64) error {
	var err error
	switch c := c.(type) {
	case *loss.StatePrediction:
		if k == "tau" {
			return set(&c.Tau)(integer(k, v, 1, 1<<24))
		}
	case *loss.Entropy:
		if k == "reg" {
			if _, err = nonNegative(k, v); err != nil {
				return err
			}
			c.Reg, c.NoReg = v, v == 0
			return nil
		}
	case *loss.CrossEntropy:
		var b bool
		if k == "no_softmax" || k == "from_logits" {
			if b, err = flag(k, v); err != nil {
				return err
			}
			other := c.FromLogits
			if k == "from_logits" {
				other = c.NoSoftmax
			}
			if b && other {
				return fail(stInvalid, "no_softmax and from_logits cannot both be 1")
			}
			if k == "no_softmax" {
				c.NoSoftmax = b
			} else {
				c.FromLogits = b
			}
			return nil
		}
	case *loss.MSE:
		if k == "masked" {
			return set(&c.Masked)(flag(k, v))
		}
	}
	f64, _ := criterionKeys(c)
	return unknownKey("numeric key of criterion "+criterionValue(c).Kind(), k, f64)
}

func getCriterionF64(c any, k string) (float64, error) {
	switch c := c.(type) {
	case *loss.StatePrediction:
		if k == "tau" {
			return float64(max(c.Tau, 1)), nil
		}
	case *loss.Entropy:
		if k == "reg" {
			switch {
			case c.NoReg:
				return 0, nil
			case c.Reg == 0:
				return loss.DefaultEntropyReg, nil
			}
			return c.Reg, nil
		}
	case *loss.CrossEntropy:
		switch k {
		case "no_softmax":
			return boolf(c.NoSoftmax), nil
		case "from_logits":
			return boolf(c.FromLogits), nil
		}
	case *loss.MSE:
		if k == "masked" {
			return boolf(c.Masked), nil
		}
	}
	f64, _ := criterionKeys(c)
	return 0, unknownKey("numeric key of criterion "+criterionValue(c).Kind(), k, f64)
}

func setCriterionStr(c any, k, v string) error {
	switch c := c.(type) {
	case *loss.FiringRate:
		switch k {
		case "metric":
			return set(&c.Metric)(parseMetric(v, loss.L2, loss.L1))
		case "on":
			return set(&c.On)(parseSignal(v))
		}
	case *loss.FiringRateDist:
		switch k {
		case "metric":
			return set(&c.Metric)(parseMetric(v, loss.SD, loss.CV, loss.MeanAD, loss.MaxAD))
		case "on":
			return set(&c.On)(parseSignal(v))
		}
	case *loss.Connectivity:
		switch k {
		case "metric":
			return set(&c.Metric)(parseMetric(v, loss.Fro, loss.L1))
		case "weights":
			return set(&c.Weights)(parseWeights(v))
		case "layer":
			for _, l := range []loss.Layer{loss.AllLayers, loss.InputLayer, loss.HiddenLayer, loss.ReadoutLayer} {
				if l.String() == v {
					c.Layer = l
					return nil
				}
			}
			return fail(stInvalid, "layer = %q, want all, input, hidden or readout", v)
		}
	case *loss.StatePrediction:
		if k == "on" {
			return set(&c.On)(parseSignal(v))
		}
	case *loss.Entropy:
		if k == "on" {
			return set(&c.On)(parseSignal(v))
		}
	case *loss.Hebbian:
		switch k {
		case "weights":
			return set(&c.Weights)(parseWeights(v))
		case "on":
			return set(&c.On)(parseSignal(v))
		}
	}
	_, str := criterionKeys(c)
	return unknownKey("str key of criterion "+criterionValue(c).Kind(), k, str)
}

func getCriterionStr(c any, k string) (string, error) {
	switch c := c.(type) {
	case *loss.FiringRate:
		switch k {
		case "metric":
			return metricName(c.Metric, loss.L2), nil
		case "on":
			return c.On.String(), nil
		}
	case *loss.FiringRateDist:
		switch k {
		case "metric":
			return metricName(c.Metric, loss.SD), nil
		case "on":
			return c.On.String(), nil
		}
	case *loss.Connectivity:
		switch k {
		case "metric":
			return metricName(c.Metric, loss.Fro), nil
		case "weights":
			return weightsName(c.Weights, loss.EffectiveWeights), nil
		case "layer":
			return c.Layer.String(), nil
		}
	case *loss.StatePrediction:
		if k == "on" {
			return c.On.String(), nil
		}
	case *loss.Entropy:
		if k == "on" {
			return c.On.String(), nil
		}
	case *loss.Hebbian:
		switch k {
		case "weights":
			return weightsName(c.Weights, loss.EffectiveWeights), nil
		case "on":
			return c.On.String(), nil
		}
	}
	_, str := criterionKeys(c)
	return "", unknownKey("str key of criterion "+criterionValue(c).Kind(), k, append([]string{"kind"}, str...))
}
