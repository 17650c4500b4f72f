// SPDX-License-Identifier: MIT

package ctrnn

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/internal/keys"
	"github.com/nn4n/nn4n/internal/npz"
)

// FileFormat and FileVersion identify nn4n model files.
const (
	FileFormat  = "nn4n-model"
	FileVersion = 1
)

// savedKey reports whether a model file's config holds the key k: every
// scalar setting of Keys but those that summarise an array the file stores
// in full (alpha and x0).
func savedKey(k *modelKey) bool { return !slices.Contains(ArrayNames, k.Name) }

// configJSON returns the JSON "config" entry of m's file, a view of Keys:
// the format and version, every saved key in table order (enumerations by
// name, flags as booleans, numbers as numbers), and "rng", the generator's
// state in hex, so a resumed run draws the same noise as an uninterrupted one.
func (m *Model) configJSON() ([]byte, error) {
	state, err := m.pcg.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("ctrnn: saving the generator state: %v", err)
	}
	e := &edit{m: m, c: m.cfg}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"format":%q,"version":%d`, FileFormat, FileVersion)
	for i := range Keys.Keys {
		k := &Keys.Keys[i]
		if !savedKey(k) {
			continue
		}
		var v any
		switch {
		case k.Type == keys.Enum:
			v = k.GetStr(e)
		case k.IsFlag():
			v = k.Get(e) == 1
		default:
			v = k.Get(e)
		}
		js, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("ctrnn: saving %s: %v", k.Name, err)
		}
		fmt.Fprintf(&b, `,%q:%s`, k.Name, js)
	}
	fmt.Fprintf(&b, `,"rng":%q}`, hex.EncodeToString(state))
	return b.Bytes(), nil
}

// parseConfig reads a file's config entry through Keys: every saved key
// must be of its type and within its bounds, a key the file lacks (one
// newer than the file) takes its default, and no other key may be there.
// It returns the edit holding the configuration, the changes to apply to
// the model once it is made (e.m set: the training mode, …), and the
// generator state.
func parseConfig(path, js string) (*edit, []func(), []byte, error) {
	bad := func(format string, args ...any) (*edit, []func(), []byte, error) {
		return nil, nil, nil, fmt.Errorf("ctrnn: %s: config: "+format, append([]any{path}, args...)...)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		return bad("%v", err)
	}
	var format, rng string
	var version int
	for _, f := range []struct {
		name string
		dst  any
	}{{"format", &format}, {"version", &version}, {"rng", &rng}} {
		if msg, ok := raw[f.name]; !ok {
			return bad("no %q", f.name)
		} else if err := json.Unmarshal(msg, f.dst); err != nil {
			return bad("%s: %v", f.name, err)
		}
		delete(raw, f.name)
	}
	if format != FileFormat {
		return nil, nil, nil, fmt.Errorf("ctrnn: %s: config format is %q, want %q", path, format, FileFormat)
	}
	if version < 1 || version > FileVersion {
		return nil, nil, nil, fmt.Errorf("ctrnn: %s: file version %d, this library reads 1 to %d", path, version, FileVersion)
	}
	e := &edit{}
	var applies []func()
	for i := range Keys.Keys {
		k := &Keys.Keys[i]
		if !savedKey(k) {
			continue
		}
		msg, ok := raw[k.Name]
		if !ok {
			if k.Default == "" {
				return bad("no %q", k.Name)
			}
			msg = json.RawMessage(k.Default)
			if k.Type == keys.Enum {
				msg, _ = json.Marshal(k.Default)
			} else if k.IsFlag() {
				msg = json.RawMessage(strconv.FormatBool(k.Default == "1"))
			}
		}
		delete(raw, k.Name)
		var err error
		switch {
		case k.Type == keys.Enum:
			var s string
			if err = json.Unmarshal(msg, &s); err == nil {
				err = k.SetStr(e, s)
			}
		case k.IsFlag():
			var f bool
			if err = json.Unmarshal(msg, &f); err == nil {
				err = restore(k, e, keys.Bool(f))
			}
		default:
			var v float64
			if err = json.Unmarshal(msg, &v); err == nil {
				if err = k.Check(v); err == nil {
					err = restore(k, e, v)
				}
			}
		}
		if err != nil {
			return bad("%s: %v", k.Name, err)
		}
		if e.apply != nil {
			applies, e.apply = append(applies, e.apply), nil
		}
	}
	for name := range raw {
		return bad("unknown key %q", name)
	}
	state, err := hex.DecodeString(rng)
	if err != nil {
		return bad("generator state %q: %v", rng, err)
	}
	return e, applies, state, nil
}

// restore sets k to v in e as a file does.
func restore(k *modelKey, e *edit, v float64) error {
	if k.Restore != nil {
		return k.Restore(e, v)
	}
	return k.Set(e, v)
}

// Save writes the model to path as an .npz file that numpy.load reads:
// every raw and effective weight, bias, α, x0 and present mask as a float64
// array, (post, pre) like the model, and a JSON "config" entry. The file is
// written to a temporary file and renamed, so an interrupted save leaves any
// previous file intact.
func (m *Model) Save(path string) error {
	js, err := m.configJSON()
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
	e, applies, state, err := parseConfig(path, js)
	if err != nil {
		return nil, err
	}
	cfg := e.c
	// The weights come from the file: the model is made without a draw and
	// given back its initialisation scheme afterwards.
	init := cfg.Init
	cfg.Init = InitZero
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
	if err := m.pcg.UnmarshalBinary(state); err != nil {
		return nil, fmt.Errorf("ctrnn: %s: generator state %x: %v", path, state, err)
	}
	m.rng = rand.New(m.pcg)
	e.m = m
	for _, apply := range applies {
		apply()
	}
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
