// SPDX-License-Identifier: MIT

package loss

import (
	"math"
	"strings"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"
)

var inf = math.Inf(1)

// weight is a λ ≥ 0 stored in *f.
func weight[T any](name, def, doc string, f func(*T) *float64) keys.Key[T] {
	return keys.Key[T]{Name: name, Type: keys.F64, Default: def, Doc: doc, Lo: 0, Hi: inf,
		Get: func(o *T) float64 { return *f(o) },
		Set: func(o *T, v float64) error { *f(o) = v; return nil }}
}

func flagKey[T any](name, doc string, f func(*T) *bool) keys.Key[T] {
	return keys.Flag(keys.Key[T]{Name: name, Type: keys.F64, Default: "0", Doc: doc,
		Get: func(o *T) float64 { return keys.Bool(*f(o)) },
		Set: func(o *T, v float64) error { *f(o) = v == 1; return nil }})
}

func weightsKey[T any](def WeightSet, f func(*T) *WeightSet) keys.Key[T] {
	return keys.Key[T]{Name: "weights", Type: keys.Str, Default: def.String(), Doc: "which weights are penalised (raw or effective)",
		GetStr: func(o *T) string {
			if w := *f(o); w != DefaultWeights {
				return w.String()
			}
			return def.String()
		},
		SetStr: func(o *T, v string) error {
			switch v {
			case "default":
				*f(o) = DefaultWeights
			case "raw":
				*f(o) = RawWeights
			case "effective":
				*f(o) = EffectiveWeights
			default:
				return errs.New(errs.Invalid, "weights = %q, want raw or effective", v)
			}
			return nil
		}}
}

func onKey[T any](f func(*T) *Signal) keys.Key[T] {
	return keys.Key[T]{Name: "on", Type: keys.Str, Default: Rates.String(), Doc: "the signal penalised (rates or states)",
		GetStr: func(o *T) string { return f(o).String() },
		SetStr: func(o *T, v string) error {
			for _, s := range []Signal{Rates, States} {
				if s.String() == v {
					*f(o) = s
					return nil
				}
			}
			return errs.New(errs.Invalid, "on = %q, want rates or states", v)
		}}
}

func metricKey[T any](f func(*T) *Metric, allowed ...Metric) keys.Key[T] {
	names := make([]string, len(allowed))
	for i, m := range allowed {
		names[i] = m.String()
	}
	return keys.Key[T]{Name: "metric", Type: keys.Str, Default: names[0], Doc: "the norm (" + strings.Join(names, ", ") + ")",
		GetStr: func(o *T) string {
			if m := *f(o); m != DefaultMetric {
				return m.String()
			}
			return names[0]
		},
		SetStr: func(o *T, v string) error {
			for _, m := range allowed {
				if m.String() == v {
					*f(o) = m
					return nil
				}
			}
			return errs.New(errs.Invalid, "metric = %q, want one of %s", v, strings.Join(names, ", "))
		}}
}

var headNames = map[Head]string{Squared: "squared", BinaryCrossEntropy: "bce", SoftmaxCrossEntropy: "softmax_ce"}

// SongYangKeys is the table of the "songyang" objective's settings.
var SongYangKeys = keys.Table[SongYang]{Kind: "songyang objective", Keys: []keys.Key[SongYang]{
	weight("lambda1_in", "0", "L1 weight of W_in", func(s *SongYang) *float64 { return &s.Lambda1In }),
	weight("lambda1_rec", "0", "L1 weight of W_rec", func(s *SongYang) *float64 { return &s.Lambda1Rec }),
	weight("lambda1_out", "0", "L1 weight of W_out", func(s *SongYang) *float64 { return &s.Lambda1Out }),
	weight("lambda2_in", "0", "L2 weight of W_in", func(s *SongYang) *float64 { return &s.Lambda2In }),
	weight("lambda2_rec", "0", "L2 weight of W_rec", func(s *SongYang) *float64 { return &s.Lambda2Rec }),
	weight("lambda2_out", "0", "L2 weight of W_out", func(s *SongYang) *float64 { return &s.Lambda2Out }),
	weight("lambda2_r", "0", "L2 weight of the rates", func(s *SongYang) *float64 { return &s.Lambda2Rate }),
	{Name: "lambda_omega", Type: keys.F64, Default: "2", Doc: "weight of the vanishing-gradient regulariser Ω; 0 switches it off", Lo: 0, Hi: inf,
		Get: func(s *SongYang) float64 { return s.LambdaOmega() },
		Set: func(s *SongYang, v float64) error { s.Omega, s.NoOmega = v, v == 0; return nil }},
	{Name: "head", Type: keys.Str, Default: "squared", Doc: "the error term (squared, bce, softmax_ce)",
		GetStr: func(s *SongYang) string { return headNames[s.Head] },
		SetStr: func(s *SongYang, v string) error {
			switch v {
			case "squared", "mse":
				s.Head = Squared
			case "bce":
				s.Head = BinaryCrossEntropy
			case "softmax_ce", "softmax-ce":
				s.Head = SoftmaxCrossEntropy
			default:
				return errs.New(errs.Invalid, "head = %q, want squared, bce or softmax_ce", v)
			}
			return nil
		}},
	weightsKey(RawWeights, func(s *SongYang) *WeightSet { return &s.Weights }),
}}

// RNNLossKeys is the table of the "rnnloss" objective's settings.
var RNNLossKeys = keys.Table[RNNLoss]{Kind: "rnnloss objective", Keys: []keys.Key[RNNLoss]{
	{Name: "lambda_mse", Type: keys.F64, Default: "1", Doc: "weight of the MSE term; 0 switches it off", Lo: 0, Hi: inf,
		Get: func(l *RNNLoss) float64 {
			switch {
			case l.NoMSE:
				return 0
			case l.LambdaMSE == 0:
				return 1
			}
			return l.LambdaMSE
		},
		Set: func(l *RNNLoss, v float64) error { l.LambdaMSE, l.NoMSE = v, v == 0; return nil }},
	flagKey("masked", "weigh the MSE by the mask", func(l *RNNLoss) *bool { return &l.Masked }),
	weight("lambda_in", "0", "weight of the input-layer penalty", func(l *RNNLoss) *float64 { return &l.LambdaIn }),
	weight("lambda_hid", "0", "weight of the hidden-layer penalty", func(l *RNNLoss) *float64 { return &l.LambdaHid }),
	weight("lambda_out", "0", "weight of the readout penalty", func(l *RNNLoss) *float64 { return &l.LambdaOut }),
	weight("lambda_fr", "0", "weight of the firing-rate penalty", func(l *RNNLoss) *float64 { return &l.LambdaFR }),
	weight("lambda_fr_sd", "0", "weight of the firing-rate SD penalty", func(l *RNNLoss) *float64 { return &l.LambdaFRSD }),
	weight("lambda_fr_cv", "0", "weight of the firing-rate CV penalty", func(l *RNNLoss) *float64 { return &l.LambdaFRCV }),
	weightsKey(EffectiveWeights, func(l *RNNLoss) *WeightSet { return &l.Weights }),
	onKey(func(l *RNNLoss) *Signal { return &l.On }),
}}

// FiringRateKeys is the table of the "fr" criterion.
var FiringRateKeys = keys.Table[FiringRate]{Kind: "fr criterion", Keys: []keys.Key[FiringRate]{
	metricKey(func(c *FiringRate) *Metric { return &c.Metric }, L2, L1),
	onKey(func(c *FiringRate) *Signal { return &c.On }),
}}

// FiringRateDistKeys is the table of the "fr_dist" criterion.
var FiringRateDistKeys = keys.Table[FiringRateDist]{Kind: "fr_dist criterion", Keys: []keys.Key[FiringRateDist]{
	metricKey(func(c *FiringRateDist) *Metric { return &c.Metric }, SD, CV, MeanAD, MaxAD),
	onKey(func(c *FiringRateDist) *Signal { return &c.On }),
}}

// ConnectivityKeys is the table of the "rnn_conn" criterion.
var ConnectivityKeys = keys.Table[Connectivity]{Kind: "rnn_conn criterion", Keys: []keys.Key[Connectivity]{
	{Name: "layer", Type: keys.Str, Default: AllLayers.String(), Doc: "the weights penalised (all, input, hidden, readout)",
		GetStr: func(c *Connectivity) string { return c.Layer.String() },
		SetStr: func(c *Connectivity, v string) error {
			for _, l := range []Layer{AllLayers, InputLayer, HiddenLayer, ReadoutLayer} {
				if l.String() == v {
					c.Layer = l
					return nil
				}
			}
			return errs.New(errs.Invalid, "layer = %q, want all, input, hidden or readout", v)
		}},
	metricKey(func(c *Connectivity) *Metric { return &c.Metric }, Fro, L1),
	weightsKey(EffectiveWeights, func(c *Connectivity) *WeightSet { return &c.Weights }),
}}

// StatePredictionKeys is the table of the "state_pred" criterion.
var StatePredictionKeys = keys.Table[StatePrediction]{Kind: "state_pred criterion", Keys: []keys.Key[StatePrediction]{
	{Name: "tau", Type: keys.F64, Default: "1", Doc: "prediction horizon in steps", Int: true, Lo: 1, Hi: 1 << 24,
		Get: func(c *StatePrediction) float64 { return float64(max(c.Tau, 1)) },
		Set: func(c *StatePrediction, v float64) error { c.Tau = int(v); return nil }},
	onKey(func(c *StatePrediction) *Signal { return &c.On }),
}}

// EntropyKeys is the table of the "entropy" criterion.
var EntropyKeys = keys.Table[Entropy]{Kind: "entropy criterion", Keys: []keys.Key[Entropy]{
	{Name: "reg", Type: keys.F64, Default: "10", Doc: "weight of the squared-norm term; 0 switches it off", Lo: 0, Hi: inf,
		Get: func(c *Entropy) float64 {
			switch {
			case c.NoReg:
				return 0
			case c.Reg == 0:
				return DefaultEntropyReg
			}
			return c.Reg
		},
		Set: func(c *Entropy, v float64) error { c.Reg, c.NoReg = v, v == 0; return nil }},
	onKey(func(c *Entropy) *Signal { return &c.On }),
}}

// HebbianKeys is the table of the "hebbian" criterion.
var HebbianKeys = keys.Table[Hebbian]{Kind: "hebbian criterion", Keys: []keys.Key[Hebbian]{
	weightsKey(EffectiveWeights, func(c *Hebbian) *WeightSet { return &c.Weights }),
	onKey(func(c *Hebbian) *Signal { return &c.On }),
}}

// exclusive sets *f to v unless v and the other flag are both set.
func exclusive(name, other string, f, o *bool, v float64) error {
	if v == 1 && *o {
		return errs.New(errs.Invalid, "%s and %s cannot both be 1", other, name)
	}
	*f = v == 1
	return nil
}

// CrossEntropyKeys is the table of the "cross_entropy" criterion.
var CrossEntropyKeys = keys.Table[CrossEntropy]{Kind: "cross_entropy criterion", Keys: []keys.Key[CrossEntropy]{
	keys.Flag(keys.Key[CrossEntropy]{Name: "no_softmax", Type: keys.F64, Default: "0", Doc: "the outputs are probabilities already",
		Get: func(c *CrossEntropy) float64 { return keys.Bool(c.NoSoftmax) },
		Set: func(c *CrossEntropy, v float64) error {
			return exclusive("from_logits", "no_softmax", &c.NoSoftmax, &c.FromLogits, v)
		}}),
	keys.Flag(keys.Key[CrossEntropy]{Name: "from_logits", Type: keys.F64, Default: "0", Doc: "the outputs are logits",
		Get: func(c *CrossEntropy) float64 { return keys.Bool(c.FromLogits) },
		Set: func(c *CrossEntropy, v float64) error {
			return exclusive("from_logits", "no_softmax", &c.FromLogits, &c.NoSoftmax, v)
		}}),
}}

// MSEKeys is the table of the "mse" criterion.
var MSEKeys = keys.Table[MSE]{Kind: "mse criterion", Keys: []keys.Key[MSE]{
	flagKey("masked", "weigh by the mask", func(c *MSE) *bool { return &c.Masked }),
}}
