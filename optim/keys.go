// SPDX-License-Identifier: MIT

package optim

import (
	"math"

	"github.com/nn4n/nn4n/internal/keys"
)

var inf = math.Inf(1)

func real[T any](name, def, doc string, lo, hi float64, loOpen, hiOpen bool, f func(*T) *float64) keys.Key[T] {
	return keys.Key[T]{Name: name, Type: keys.F64, Default: def, Doc: doc, Lo: lo, Hi: hi, LoOpen: loOpen, HiOpen: hiOpen,
		Get: func(o *T) float64 { return *f(o) },
		Set: func(o *T, v float64) error { *f(o) = v; return nil }}
}

func flag[T any](name, def, doc string, f func(*T) *bool) keys.Key[T] {
	return keys.Flag(keys.Key[T]{Name: name, Type: keys.F64, Default: def, Doc: doc,
		Get: func(o *T) float64 { return keys.Bool(*f(o)) },
		Set: func(o *T, v float64) error { *f(o) = v == 1; return nil }})
}

// SGDKeys is the table of an SGD optimizer's settings.
var SGDKeys = keys.Table[SGD]{Kind: "sgd optimizer", Keys: []keys.Key[SGD]{
	real("lr", "0.01", "learning rate", 0, inf, false, false, func(o *SGD) *float64 { return &o.LR }),
	real("max_norm", "1", "gradient norm clip; 0 switches clipping off", 0, inf, false, false, func(o *SGD) *float64 { return &o.MaxNorm }),
	flag("guard", "1", "skip steps whose gradient is not finite", func(o *SGD) *bool { return &o.Guard }),
}}

// AdamKeys is the table of an Adam optimizer's settings.
var AdamKeys = keys.Table[Adam]{Kind: "adam optimizer", Keys: []keys.Key[Adam]{
	real("lr", "0.001", "learning rate", 0, inf, false, false, func(o *Adam) *float64 { return &o.LR }),
	real("max_norm", "0", "gradient norm clip; 0 switches clipping off", 0, inf, false, false, func(o *Adam) *float64 { return &o.MaxNorm }),
	flag("guard", "1", "skip steps whose gradient is not finite", func(o *Adam) *bool { return &o.Guard }),
	real("beta1", "0.9", "decay of the first moment", 0, 1, false, true, func(o *Adam) *float64 { return &o.Beta1 }),
	real("beta2", "0.999", "decay of the second moment", 0, 1, false, true, func(o *Adam) *float64 { return &o.Beta2 }),
	real("eps", "1e-08", "denominator offset", 0, inf, true, false, func(o *Adam) *float64 { return &o.Eps }),
	real("weight_decay", "0", "decoupled weight decay", 0, inf, false, false, func(o *Adam) *float64 { return &o.WeightDecay }),
}}
