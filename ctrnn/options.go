package ctrnn

import (
	"fmt"
	"math"
	"strings"
)

// ScalarNames lists the keys of Scalar and SetScalar. Booleans are 0 or 1;
// enumerations take their numeric codes (or names through SetOption).
// "inputs", "units" and "outputs" are read-only; "alpha" and "x0" set every
// unit and read the mean.
var ScalarNames = []string{
	"inputs", "units", "outputs",
	"activation", "head", "dale", "precision", "init",
	"alpha", "learn_alpha", "pre_noise", "rec_noise", "post_noise",
	"input_baseline", "input_noise", "input_alpha",
	"x0", "train_x0", "train_bias_in", "train_bias_rec", "train_bias_out",
	"spectral_radius", "balance", "seed", "training",
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// Scalar returns the value of the setting key.
func (m *Model) Scalar(key string) (float64, error) {
	c := &m.cfg
	switch key {
	case "inputs":
		return float64(c.Inputs), nil
	case "units":
		return float64(c.Units), nil
	case "outputs":
		return float64(c.Outputs), nil
	case "activation":
		return float64(c.Activation), nil
	case "head":
		return float64(c.Head), nil
	case "dale":
		return float64(c.Dale), nil
	case "precision":
		return float64(c.Precision), nil
	case "init":
		return float64(c.Init), nil
	case "alpha":
		return mean(m.alpha), nil
	case "learn_alpha":
		return boolf(c.LearnAlpha), nil
	case "pre_noise":
		return c.PreNoise, nil
	case "rec_noise":
		return c.RecNoise, nil
	case "post_noise":
		return c.PostNoise, nil
	case "input_baseline":
		return c.InputBaseline, nil
	case "input_noise":
		return c.InputNoise, nil
	case "input_alpha":
		return c.InputAlpha, nil
	case "x0":
		return mean(m.x0), nil
	case "train_x0":
		return boolf(c.TrainX0), nil
	case "train_bias_in":
		return boolf(c.TrainBiasIn), nil
	case "train_bias_rec":
		return boolf(c.TrainBiasRec), nil
	case "train_bias_out":
		return boolf(c.TrainBiasOut), nil
	case "spectral_radius":
		return c.SpectralRadius, nil
	case "balance":
		return boolf(c.Balance), nil
	case "seed":
		return float64(c.Seed), nil
	case "training":
		return boolf(m.training), nil
	}
	return 0, unknownScalar(key)
}

func unknownScalar(key string) error {
	return fmt.Errorf("ctrnn: unknown setting %q (known: %s)", key, strings.Join(ScalarNames, ", "))
}

// SetScalar changes the setting key after validating v; on error nothing
// changes. Changing the Dale mode re-applies the constraints; changing the
// precision rebuilds the engine; "init", "spectral_radius" and "balance"
// take effect at the next Reinitialize.
func (m *Model) SetScalar(key string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("ctrnn: %s = %v is not finite", key, v)
	}
	c := m.cfg
	enum := func(n int) (int32, error) {
		if v != math.Trunc(v) || v < 0 || int(v) >= n {
			return 0, fmt.Errorf("ctrnn: %s = %v, want an integer code in [0, %d)", key, v, n)
		}
		return int32(v), nil
	}
	flag := func() (bool, error) {
		if v != 0 && v != 1 {
			return false, fmt.Errorf("ctrnn: %s = %v, want 0 or 1", key, v)
		}
		return v == 1, nil
	}
	var err error
	var b bool
	var code int32
	switch key {
	case "inputs", "units", "outputs":
		return fmt.Errorf("ctrnn: %s is fixed when the model is created", key)
	case "activation":
		code, err = enum(len(activationNames))
		c.Activation = Activation(code)
	case "head":
		code, err = enum(len(headNames))
		c.Head = Head(code)
	case "dale":
		code, err = enum(len(daleNames))
		c.Dale = DaleMode(code)
	case "precision":
		code, err = enum(2)
		c.Precision = Precision(code)
	case "init":
		code, err = enum(len(initNames))
		c.Init = Init(code)
	case "alpha":
		err = checkAlpha("alpha", v)
		c.Alpha, c.Alphas = v, nil
	case "learn_alpha":
		c.LearnAlpha, err = flag()
	case "pre_noise":
		c.PreNoise = v
	case "rec_noise":
		c.RecNoise = v
	case "post_noise":
		c.PostNoise = v
	case "input_baseline":
		c.InputBaseline = v
	case "input_noise":
		c.InputNoise = v
	case "input_alpha":
		err = checkAlpha("input_alpha", v)
		c.InputAlpha = v
	case "x0":
		c.X0 = v
	case "train_x0":
		c.TrainX0, err = flag()
	case "train_bias_in":
		c.TrainBiasIn, err = flag()
	case "train_bias_rec":
		c.TrainBiasRec, err = flag()
	case "train_bias_out":
		c.TrainBiasOut, err = flag()
	case "spectral_radius":
		c.SpectralRadius = v
	case "balance":
		c.Balance, err = flag()
	case "seed":
		if v < 0 || v != math.Trunc(v) || v >= 1<<53 {
			err = fmt.Errorf("ctrnn: seed = %v, want an integer in [0, 2⁵³)", v)
		}
	case "training":
		b, err = flag()
	default:
		return unknownScalar(key)
	}
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	old := m.cfg
	m.cfg = c
	switch key {
	case "alpha":
		for j := range m.alpha {
			m.alpha[j] = v
		}
	case "x0":
		for j := range m.x0 {
			m.x0[j] = v
		}
	case "seed":
		m.Reseed(uint64(v))
	case "training":
		m.training = b
	case "precision":
		if c.Precision != old.Precision {
			m.newEngine()
		}
	}
	m.params = nil
	m.project()
	return nil
}

// SetOption sets an enumerated setting by name: "activation" (relu, tanh,
// …), "head" (linear, sigmoid, softmax), "dale" (rectify, abs, clip),
// "precision" (float64, float32), "init" (uniform, normal, zero, pycog).
func (m *Model) SetOption(key, value string) error {
	var code int32
	var err error
	switch key {
	case "activation":
		var a Activation
		a, err = ParseActivation(value)
		code = int32(a)
	case "head":
		var h Head
		h, err = ParseHead(value)
		code = int32(h)
	case "dale":
		var d DaleMode
		d, err = ParseDaleMode(value)
		code = int32(d)
	case "precision":
		switch strings.ToLower(value) {
		case "float64", "double":
			code = int32(Float64)
		case "float32", "single":
			code = int32(Float32)
		default:
			err = fmt.Errorf("ctrnn: unknown precision %q (want float64 or float32)", value)
		}
	case "init":
		var i Init
		i, err = ParseInit(value)
		code = int32(i)
	default:
		return fmt.Errorf("ctrnn: %q is not a named setting (named: activation, head, dale, precision, init)", key)
	}
	if err != nil {
		return err
	}
	return m.SetScalar(key, float64(code))
}

// Option returns the name of an enumerated setting's current value.
func (m *Model) Option(key string) (string, error) {
	switch key {
	case "activation":
		return m.cfg.Activation.String(), nil
	case "head":
		return m.cfg.Head.String(), nil
	case "dale":
		return m.cfg.Dale.String(), nil
	case "precision":
		return m.cfg.Precision.String(), nil
	case "init":
		return m.cfg.Init.String(), nil
	}
	return "", fmt.Errorf("ctrnn: %q is not a named setting (named: activation, head, dale, precision, init)", key)
}

// Reinitialize draws every weight afresh from the current settings and
// masks (scheme, E/I balance, spectral radius), restarting the generator
// from the model's seed, and resets biases to 0 and α and x0 to their
// configured values.
func (m *Model) Reinitialize() error {
	m.Reseed(m.cfg.Seed)
	clear(m.bIn)
	clear(m.bRec)
	clear(m.bOut)
	m.resetVectors()
	return m.initialize()
}

// newEngine builds the engine of the configured precision.
func (m *Model) newEngine() {
	i, n, o := m.Dims()
	if m.cfg.Precision == Float32 {
		m.run = newRunner[float32](i, n, o)
	} else {
		m.run = newRunner[float64](i, n, o)
	}
	m.stale = true
}
