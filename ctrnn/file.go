package ctrnn

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/nn4n/nn4n/internal/errs"
	"math/rand/v2"
	"slices"

	"github.com/nn4n/nn4n/internal/npz"
)

// FileFormat and FileVersion identify nn4n model files.
const (
	FileFormat  = "nn4n-model"
	FileVersion = 1
)

// fileConfig is the JSON "config" entry of a model file.
type fileConfig struct {
	Format         string  `json:"format"`
	Version        int     `json:"version"`
	Inputs         int     `json:"inputs"`
	Units          int     `json:"units"`
	Outputs        int     `json:"outputs"`
	Activation     string  `json:"activation"`
	Head           string  `json:"head"`
	Dale           string  `json:"dale"`
	Precision      string  `json:"precision"`
	Init           string  `json:"init"`
	LearnAlpha     bool    `json:"learn_alpha"`
	PreNoise       float64 `json:"pre_noise"`
	RecNoise       float64 `json:"rec_noise"`
	PostNoise      float64 `json:"post_noise"`
	InputBaseline  float64 `json:"input_baseline"`
	InputNoise     float64 `json:"input_noise"`
	InputAlpha     float64 `json:"input_alpha"`
	TrainX0        bool    `json:"train_x0"`
	TrainBiasIn    bool    `json:"train_bias_in"`
	TrainBiasRec   bool    `json:"train_bias_rec"`
	TrainBiasOut   bool    `json:"train_bias_out"`
	SpectralRadius float64 `json:"spectral_radius"`
	Balance        bool    `json:"balance"`
	Seed           uint64  `json:"seed"`
	Training       bool    `json:"training"`
	// RNG is the generator's state, hex, so a resumed run draws the same
	// noise as an uninterrupted one.
	RNG string `json:"rng"`
}

// Save writes the model to path as an .npz file that numpy.load reads:
// every raw and effective weight, bias, α, x0 and present mask as a float64
// array, (post, pre) like the model, and a JSON "config" entry. The file is
// written to a temporary file and renamed, so an interrupted save leaves any
// previous file intact.
func (m *Model) Save(path string) error {
	state, err := m.pcg.MarshalBinary()
	if err != nil {
		return fmt.Errorf("ctrnn: saving the generator state: %v", err)
	}
	c := &m.cfg
	fc := fileConfig{Format: FileFormat, Version: FileVersion,
		Inputs: c.Inputs, Units: c.Units, Outputs: c.Outputs,
		Activation: c.Activation.String(), Head: c.Head.String(), Dale: c.Dale.String(),
		Precision: c.Precision.String(), Init: c.Init.String(), LearnAlpha: c.LearnAlpha,
		PreNoise: c.PreNoise, RecNoise: c.RecNoise, PostNoise: c.PostNoise,
		InputBaseline: c.InputBaseline, InputNoise: c.InputNoise, InputAlpha: c.InputAlpha,
		TrainX0: c.TrainX0, TrainBiasIn: c.TrainBiasIn, TrainBiasRec: c.TrainBiasRec, TrainBiasOut: c.TrainBiasOut,
		SpectralRadius: c.SpectralRadius, Balance: c.Balance, Seed: c.Seed, Training: m.training,
		RNG: hex.EncodeToString(state)}
	js, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	arrays := map[string]npz.Array{}
	for _, name := range ArrayNames {
		r, cols, err := m.Shape(name)
		if err != nil {
			return err
		}
		w, prefix, isLayer := m.layer(name)
		if isLayer && (prefix == "mask" && w.sparsity == nil || prefix == "sign" && w.sign == nil || prefix == "plasticity" && w.plasticity == nil) {
			continue // absent masks are absent from the file
		}
		v, err := m.Array(name)
		if err != nil {
			return err
		}
		shape := []int{r, cols}
		if _, isVec := m.vector(name); isVec {
			shape = []int{r}
		}
		arrays[name] = npz.Array{Shape: shape, Data: v}
	}
	return npz.Write(path, arrays, map[string]string{"config": string(js)})
}

// Load reads a model file written by Save, validating everything: the
// format and version, the configuration, every array's shape and values,
// that Clip-mode weights sit on their signs, and that the stored effective
// weights are those the raw weights and masks give. Any problem is an
// error that names it.
func Load(path string) (*Model, error) {
	// First pass: the config alone; every other entry is skipped once its
	// header is parsed, before its data is read.
	_, texts, err := npz.ReadWith(path, npz.Options{MaxBytes: maxConfigBytes,
		Check: func(name string, shape []int, text bool) (bool, error) {
			if name != "config" {
				return true, nil
			}
			if !text {
				return false, fmt.Errorf("config is an array of shape %v, not a text", shape)
			}
			return false, nil
		}})
	if err != nil {
		return nil, err
	}
	js, ok := texts["config"]
	if !ok {
		return nil, fmt.Errorf("ctrnn: %s has no config entry: not an nn4n model file", path)
	}
	var fc fileConfig
	dec := json.NewDecoder(bytes.NewReader([]byte(js)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return nil, fmt.Errorf("ctrnn: %s: config: %v", path, err)
	}
	if fc.Format != FileFormat {
		return nil, fmt.Errorf("ctrnn: %s: config format is %q, want %q", path, fc.Format, FileFormat)
	}
	if fc.Version < 1 || fc.Version > FileVersion {
		return nil, fmt.Errorf("ctrnn: %s: file version %d, this library reads 1 to %d", path, fc.Version, FileVersion)
	}
	cfg := Config{Inputs: fc.Inputs, Units: fc.Units, Outputs: fc.Outputs, LearnAlpha: fc.LearnAlpha,
		PreNoise: fc.PreNoise, RecNoise: fc.RecNoise, PostNoise: fc.PostNoise,
		InputBaseline: fc.InputBaseline, InputNoise: fc.InputNoise, InputAlpha: fc.InputAlpha,
		TrainX0: fc.TrainX0, TrainBiasIn: fc.TrainBiasIn, TrainBiasRec: fc.TrainBiasRec, TrainBiasOut: fc.TrainBiasOut,
		SpectralRadius: fc.SpectralRadius, Balance: fc.Balance, Seed: fc.Seed, Init: InitZero}
	if cfg.Activation, err = ParseActivation(fc.Activation); err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	if cfg.Head, err = ParseHead(fc.Head); err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	if cfg.Dale, err = ParseDaleMode(fc.Dale); err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	switch fc.Precision {
	case "float64":
		cfg.Precision = Float64
	case "float32":
		cfg.Precision = Float32
	default:
		return nil, fmt.Errorf("ctrnn: %s: unknown precision %q", path, fc.Precision)
	}
	init, err := ParseInit(fc.Init)
	if err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	// Second pass: every entry's name, kind and shape are checked against
	// the config before its data is read, and the memory budget bounds the
	// total (a model of these dimensions must fit anyway).
	shapes := fileShapes(cfg.Inputs, cfg.Units, cfg.Outputs)
	if err := checkModelMemory(cfg.Inputs, cfg.Units, cfg.Outputs, cfg.Precision); err != nil {
		return nil, fmt.Errorf("%w in %s", err, path)
	}
	arrays, _, err := npz.ReadWith(path, npz.Options{MaxBytes: min(MemoryLimit(), npz.DefaultMaxBytes),
		Check: func(name string, shape []int, text bool) (bool, error) {
			if name == "config" {
				return !text, nil // a non-text config was refused by the first pass
			}
			want, known := shapes[name]
			switch {
			case !known:
				return false, fmt.Errorf("unknown array %q", name)
			case text:
				return false, fmt.Errorf("%s is a text, want a float array of shape %v", name, want)
			case !slices.Equal(shape, want):
				return false, fmt.Errorf("%s has shape %v, want %v for the config's dimensions", name, shape, want)
			}
			return false, nil
		}})
	if err != nil {
		return nil, fmt.Errorf("ctrnn: %s: %v", path, err)
	}
	// Masks first, through the config so that they are validated.
	get := func(name string, rows, cols int, required bool) ([]float64, error) {
		a, ok := arrays[name]
		if !ok {
			if required {
				return nil, fmt.Errorf("ctrnn: %s has no %s array", path, name)
			}
			return nil, nil
		}
		want := []int{rows, cols}
		if cols < 0 {
			want = []int{rows}
		}
		if !slices.Equal(a.Shape, want) {
			return nil, fmt.Errorf("ctrnn: %s: %s has shape %v, want %v", path, name, a.Shape, want)
		}
		return a.Data, nil
	}
	i, n, o := cfg.Inputs, cfg.Units, cfg.Outputs
	dims := map[string][2]int{"in": {n, i}, "rec": {n, n}, "out": {o, n}}
	cons := map[string]*Constraint{"in": &cfg.In, "rec": &cfg.Rec, "out": &cfg.Out}
	for _, l := range []string{"in", "rec", "out"} {
		d := dims[l]
		c := cons[l]
		if c.Sparsity, err = get("mask_"+l, d[0], d[1], false); err != nil {
			return nil, err
		}
		if c.Sign, err = get("sign_"+l, d[0], d[1], false); err != nil {
			return nil, err
		}
		if c.Plasticity, err = get("plasticity_"+l, d[0], d[1], false); err != nil {
			return nil, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%v in %s", err, path)
	}
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	m.cfg.Init = init
	for name := range arrays {
		if !slices.Contains(ArrayNames, name) {
			return nil, fmt.Errorf("ctrnn: %s: unknown array %q", path, name)
		}
	}
	for _, l := range []string{"in", "rec", "out"} {
		d := dims[l]
		raw, err := get("w_"+l, d[0], d[1], true)
		if err != nil {
			return nil, err
		}
		if k := firstNonFinite(raw); k >= 0 {
			return nil, errs.New(errs.NotFinite, "ctrnn: %s: w_%s[%d] = %v is not finite", path, l, k, raw[k])
		}
		w, _, _ := m.layer("w_" + l)
		copy(w.raw, raw)
	}
	for _, name := range []string{"b_in", "b_rec", "b_out", "alpha", "x0"} {
		v, _ := m.vector(name)
		data, err := get(name, len(v), -1, true)
		if err != nil {
			return nil, err
		}
		if err := m.SetArray(name, data); err != nil {
			return nil, fmt.Errorf("%v in %s", err, path)
		}
	}
	for _, w := range m.weights() {
		before := slices.Clone(w.raw)
		w.project(m.cfg.Dale)
		if !slices.Equal(before, w.raw) {
			return nil, fmt.Errorf("ctrnn: %s: a weight has entries outside its sparsity or sign mask", path)
		}
	}
	m.refresh()
	for _, l := range []string{"in", "rec", "out"} {
		d := dims[l]
		eff, err := get("w_"+l+"_eff", d[0], d[1], true)
		if err != nil {
			return nil, err
		}
		w, _, _ := m.layer("w_" + l)
		if !slices.Equal(eff, w.eff) {
			return nil, fmt.Errorf("ctrnn: %s: w_%s_eff disagrees with w_%s under the masks and Dale mode %v: the file is inconsistent", path, l, l, m.cfg.Dale)
		}
	}
	state, err := hex.DecodeString(fc.RNG)
	if err == nil {
		err = m.pcg.UnmarshalBinary(state)
	}
	if err != nil {
		return nil, fmt.Errorf("ctrnn: %s: generator state %q: %v", path, fc.RNG, err)
	}
	m.rng = rand.New(m.pcg)
	m.training = fc.Training
	return m, nil
}

// maxConfigBytes bounds the config entry a model file may hold (1 MiB of
// text; a real one is under 1 KiB).
const maxConfigBytes = 1 << 20

// fileShapes returns the shape of every array a model file of these
// dimensions may hold.
func fileShapes(i, n, o int) map[string][]int {
	sh := map[string][]int{}
	for l, d := range map[string][]int{"in": {n, i}, "rec": {n, n}, "out": {o, n}} {
		for _, p := range []string{"w_", "mask_", "sign_", "plasticity_"} {
			sh[p+l] = d
		}
		sh["w_"+l+"_eff"] = d
	}
	for _, v := range []string{"b_in", "b_rec", "alpha", "x0"} {
		sh[v] = []int{n}
	}
	sh["b_out"] = []int{o}
	return sh
}
