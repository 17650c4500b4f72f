// SPDX-License-Identifier: MIT

package ctrnn

import (
	"math"
	"strings"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"
)

// edit is a pending change of a model's settings: the accessors of Keys
// read and change c, a copy of the configuration, and record in apply what
// to do to the model once the new configuration is validated. Load fills
// an edit before the model exists and runs the applies once it does.
type edit struct {
	m     *Model
	c     Config
	apply func()
	// reseed marks an edit that only reseeds the generator: the weights,
	// kept projected, are neither projected nor reloaded again, which for
	// a large network costs more than a forward pass (the Python CTRNN
	// reseeds before each one).
	reseed bool
}

type modelKey = keys.Key[edit]

// flagKey is a 0/1 setting stored in the bool *f(c).
func flagKey(name, doc string, f func(*Config) *bool) modelKey {
	return keys.Flag(modelKey{Name: name, Type: keys.F64, Default: "0", Doc: doc,
		Get: func(e *edit) float64 { return keys.Bool(*f(&e.c)) },
		Set: func(e *edit, v float64) error { *f(&e.c) = v == 1; return nil }})
}

// realKey is a real setting stored in *f(c), in [lo, hi].
func realKey(name, def, doc string, lo, hi float64, f func(*Config) *float64) modelKey {
	return modelKey{Name: name, Type: keys.F64, Default: def, Doc: doc, Lo: lo, Hi: hi,
		Get: func(e *edit) float64 { return *f(&e.c) },
		Set: func(e *edit, v float64) error { *f(&e.c) = v; return nil }}
}

// enumKey is an enumerated setting: its code in [0, len(names)) as f64,
// its name as str.
func enumKey(name, doc string, names []string, get func(*Config) int32, set func(*Config, int32), parse func(string) (int32, error)) modelKey {
	return modelKey{Name: name, Type: keys.Enum, Default: names[0], Int: true, Lo: 0, Hi: float64(len(names) - 1),
		Doc:    doc + " (" + strings.Join(names, ", ") + ")",
		Get:    func(e *edit) float64 { return float64(get(&e.c)) },
		Set:    func(e *edit, v float64) error { set(&e.c, int32(v)); return nil },
		GetStr: func(e *edit) string { return names[get(&e.c)] },
		SetStr: func(e *edit, s string) error {
			code, err := parse(s)
			if err != nil {
				return errs.New(errs.Invalid, "%v", err)
			}
			set(&e.c, code)
			return nil
		}}
}

// dimKey is a dimension *f(c), fixed when the model is made.
func dimKey(name, doc string, f func(*Config) *int) modelKey {
	return modelKey{Name: name, Type: keys.F64, Int: true, ReadOnly: true, Doc: doc + " (fixed at creation)",
		Get:     func(e *edit) float64 { return float64(*f(&e.c)) },
		Restore: func(e *edit, v float64) error { *f(&e.c) = int(v); return nil }}
}

func wrap[T ~int32](p func(string) (T, error)) func(string) (int32, error) {
	return func(s string) (int32, error) { v, err := p(s); return int32(v), err }
}

// Keys is the table of a model's scalar settings, the one place each is
// named: nn4n_model_set_f64/get_f64/set_str/get_str and
// nn4n_model_key_info serve it. Booleans are 0 or 1; enumerations take
// their numeric codes or their names.
var Keys = keys.Table[edit]{Kind: "model", Keys: []modelKey{
	dimKey("inputs", "number of inputs I", func(c *Config) *int { return &c.Inputs }),
	dimKey("units", "number of recurrent units N", func(c *Config) *int { return &c.Units }),
	dimKey("outputs", "number of outputs O", func(c *Config) *int { return &c.Outputs }),
	enumKey("activation", "recurrent nonlinearity f", activationNames,
		func(c *Config) int32 { return int32(c.Activation) }, func(c *Config, v int32) { c.Activation = Activation(v) }, wrap(ParseActivation)),
	enumKey("head", "output nonlinearity g", headNames,
		func(c *Config) int32 { return int32(c.Head) }, func(c *Config, v int32) { c.Head = Head(v) }, wrap(ParseHead)),
	enumKey("dale", "how signed weights are kept to their sign", daleNames,
		func(c *Config) int32 { return int32(c.Dale) }, func(c *Config, v int32) { c.Dale = DaleMode(v) }, wrap(ParseDaleMode)),
	enumKey("precision", "arithmetic of the engine", []string{"float64", "float32"},
		func(c *Config) int32 { return int32(c.Precision) }, func(c *Config, v int32) { c.Precision = Precision(v) }, parsePrecision),
	enumKey("init", "weight initialisation scheme, used at the next reinitialize", initNames,
		func(c *Config) int32 { return int32(c.Init) }, func(c *Config, v int32) { c.Init = Init(v) }, wrap(ParseInit)),
	{Name: "alpha", Type: keys.F64, Default: "0.1", Lo: AlphaMin, Hi: 1, Doc: "dt/τ of every unit (reads the mean)",
		Get: func(e *edit) float64 { return mean(e.m.alpha) },
		Set: func(e *edit, v float64) error {
			e.c.Alpha, e.c.Alphas = v, nil
			e.apply = func() {
				for j := range e.m.alpha {
					e.m.alpha[j] = v
				}
			}
			return nil
		}},
	flagKey("learn_alpha", "train α, kept in [AlphaMin, 1]", func(c *Config) *bool { return &c.LearnAlpha }),
	realKey("pre_noise", "0", "pre-activation noise σ_pre (nn4n)", 0, math.Inf(1), func(c *Config) *float64 { return &c.PreNoise }),
	realKey("rec_noise", "0", "recurrent noise σ_rec (pycog)", 0, math.Inf(1), func(c *Config) *float64 { return &c.RecNoise }),
	realKey("post_noise", "0", "post-activation noise σ_post (nn4n)", 0, math.Inf(1), func(c *Config) *float64 { return &c.PostNoise }),
	realKey("input_baseline", "0", "input baseline u0 (pycog input model)", math.Inf(-1), math.Inf(1), func(c *Config) *float64 { return &c.InputBaseline }),
	realKey("input_noise", "0", "input noise σ_in (pycog input model, training mode only)", 0, math.Inf(1), func(c *Config) *float64 { return &c.InputNoise }),
	realKey("input_alpha", "0", "dt/τ_in of the input model; 0 means the mean initial α", 0, 1, func(c *Config) *float64 { return &c.InputAlpha }),
	{Name: "x0", Type: keys.F64, Default: "0", Lo: math.Inf(-1), Hi: math.Inf(1), Doc: "initial state of every unit (reads the mean)",
		Get: func(e *edit) float64 { return mean(e.m.x0) },
		Set: func(e *edit, v float64) error {
			e.c.X0 = v
			e.apply = func() {
				for j := range e.m.x0 {
					e.m.x0[j] = v
				}
			}
			return nil
		}},
	flagKey("train_x0", "train the initial state", func(c *Config) *bool { return &c.TrainX0 }),
	flagKey("train_bias_in", "train the input bias", func(c *Config) *bool { return &c.TrainBiasIn }),
	flagKey("train_bias_rec", "train the recurrent bias", func(c *Config) *bool { return &c.TrainBiasRec }),
	flagKey("train_bias_out", "train the readout bias", func(c *Config) *bool { return &c.TrainBiasOut }),
	realKey("spectral_radius", "0", "spectral radius of the initial effective W_rec; 0 keeps the draw", 0, math.Inf(1), func(c *Config) *float64 { return &c.SpectralRadius }),
	flagKey("balance", "E/I balance at initialisation", func(c *Config) *bool { return &c.Balance }),
	{Name: "seed", Type: keys.F64, Default: "0", Int: true, Lo: 0, Hi: MaxSeed, Doc: "seed of the model's generator; setting it reseeds",
		Get: func(e *edit) float64 { return float64(e.c.Seed) },
		Set: func(e *edit, v float64) error {
			e.apply = func() { e.m.Reseed(uint64(v)) }
			e.reseed = true
			return nil
		},
		Restore: func(e *edit, v float64) error { e.c.Seed = uint64(v); return nil }},
	{Name: "bptt_checkpoint", Type: keys.F64, Default: "0", Int: true, Lo: 0, Hi: 1 << 30,
		Doc: "0: BPTT keeps every step; k ≥ 1: it keeps every k-th state and recomputes the steps between, " +
			"~(T/k + 5k)·B·N values instead of ~4·T·B·N for one more forward pass (k ≈ √(T/5) is least; " +
			"rounded up to a block of a few steps; objectives that read rates or states keep every step)",
		Get: func(e *edit) float64 { return float64(e.m.checkpoint) },
		Set: func(e *edit, v float64) error {
			e.apply = func() { e.m.checkpoint = int(v) }
			return nil
		}},
	keys.Flag(modelKey{Name: "carry_state", Type: keys.F64, Default: "0",
		Doc: "1: each gradient or train pass (nn4n_model_gradient, nn4n_model_train, a trainer's updates) starts " +
			"trial b where trial b of the previous one ended (truncated BPTT over continuous streams: the " +
			"gradient stops at the chunk boundary; forward, loss and backward passes neither use nor move the " +
			"streams); the first pass starts from x0, and writing the setting starts new streams",
		Get: func(e *edit) float64 { return keys.Bool(e.m.carry) },
		Set: func(e *edit, v float64) error {
			e.apply = func() { e.m.carry, e.m.carried = v == 1, nil }
			return nil
		}}),
	keys.Flag(modelKey{Name: "training", Type: keys.F64, Default: "0", Doc: "training mode: input noise is drawn",
		Get: func(e *edit) float64 { return keys.Bool(e.m.training) },
		Set: func(e *edit, v float64) error {
			e.apply = func() { e.m.training = v == 1 }
			return nil
		}}),
}}

func parsePrecision(s string) (int32, error) {
	switch strings.ToLower(s) {
	case "float64", "double":
		return int32(Float64), nil
	case "float32", "single":
		return int32(Float32), nil
	}
	return 0, errs.New(errs.Invalid, "ctrnn: unknown precision %q (want float64 or float32)", s)
}

// KeyInfo describes every scalar setting of a model, in table order.
func KeyInfo() []keys.Info { return Keys.Infos() }

// Scalar returns the value of the setting key.
func (m *Model) Scalar(key string) (float64, error) {
	return Keys.GetF64(&edit{m: m, c: m.cfg}, key)
}

// SetScalar changes the setting key after validating v; on error nothing
// changes. Changing the Dale mode re-applies the constraints; changing the
// precision rebuilds the engine; "init", "spectral_radius" and "balance"
// take effect at the next Reinitialize.
func (m *Model) SetScalar(key string, v float64) error {
	e := &edit{m: m, c: m.cfg}
	if err := Keys.SetF64(e, key, v); err != nil {
		return err
	}
	return m.commit(e)
}

// SetOption sets an enumerated setting by name: "activation" (relu, tanh,
// …), "head" (linear, sigmoid, softmax), "dale" (rectify, abs, clip),
// "precision" (float64, float32), "init" (uniform, normal, zero, pycog).
func (m *Model) SetOption(key, value string) error {
	e := &edit{m: m, c: m.cfg}
	if err := Keys.SetStr(e, key, value); err != nil {
		return err
	}
	return m.commit(e)
}

// Option returns the name of an enumerated setting's current value.
func (m *Model) Option(key string) (string, error) {
	return Keys.GetStr(&edit{m: m, c: m.cfg}, key)
}

// commit validates the edited configuration and applies it.
func (m *Model) commit(e *edit) error {
	if err := e.c.Validate(); err != nil {
		return err
	}
	old := m.cfg
	m.cfg = e.c
	if e.apply != nil {
		e.apply()
	}
	if e.reseed {
		return nil
	}
	if m.cfg.Precision != old.Precision {
		m.newEngine()
	}
	m.params = nil
	m.project()
	return nil
}

// ScalarNames lists the keys of Scalar and SetScalar in table order.
var ScalarNames = Keys.Names()
