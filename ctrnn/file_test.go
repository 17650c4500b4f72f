// SPDX-License-Identifier: MIT

package ctrnn

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nn4n/nn4n/internal/npz"
)

// TestSaveLoadRoundTrip checks that a loaded model has every array, setting
// and generator state of the saved one: the files are byte-identical and
// both models continue with identical noisy outputs.
func TestSaveLoadRoundTrip(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		cfg := testConfig(Softplus, SoftmaxHead, dale, 17)
		cfg.Precision = Float32
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		randomizeParams(m, 17)
		b := randomBatch(17, 2, 5, 3, 2)
		if _, err := m.Forward(b, Needs{}); err != nil { // advance the generator
			t.Fatal(err)
		}
		dir := t.TempDir()
		p1, p2 := filepath.Join(dir, "a.npz"), filepath.Join(dir, "b.npz")
		if err := m.Save(p1); err != nil {
			t.Fatal(err)
		}
		l, err := Load(p1)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Save(p2); err != nil {
			t.Fatal(err)
		}
		f1, _ := os.ReadFile(p1)
		f2, _ := os.ReadFile(p2)
		if !bytes.Equal(f1, f2) {
			t.Errorf("%v: saving the loaded model gives a different file", dale)
		}
		for _, name := range ArrayNames {
			a, _ := m.Array(name)
			c, _ := l.Array(name)
			if !slices.Equal(a, c) {
				t.Errorf("%v: %s differs after load", dale, name)
			}
		}
		for _, key := range ScalarNames {
			a, _ := m.Scalar(key)
			c, _ := l.Scalar(key)
			if a != c {
				t.Errorf("%v: setting %s is %v, was %v", dale, key, c, a)
			}
		}
		o1, _ := m.Forward(b, Needs{})
		o2, _ := l.Forward(b, Needs{})
		if !slices.Equal(o1.Outputs, o2.Outputs) {
			t.Errorf("%v: loaded model's next noisy pass differs", dale)
		}
	}
}

// TestLoadRejectsBadFiles checks the errors for truncated, corrupted and
// inconsistent files.
func TestLoadRejectsBadFiles(t *testing.T) {
	m, err := New(testConfig(ReLU, LinearHead, Clip, 3))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npz")
	if err := m.Save(good); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	arrays, texts, err := npz.Read(good)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(name string, f func(a map[string]npz.Array, tx map[string]string)) string {
		a := map[string]npz.Array{}
		for k, v := range arrays {
			a[k] = npz.Array{Shape: slices.Clone(v.Shape), Data: slices.Clone(v.Data)}
		}
		tx := map[string]string{"config": texts["config"]}
		f(a, tx)
		p := filepath.Join(dir, name)
		if err := npz.Write(p, a, tx); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path, want string
	}{
		{"truncated", write("t.npz", data[:len(data)/2]), "npz"},
		{"corrupt", write("c.npz", append(slices.Clone(data[:200]), append([]byte{data[200] ^ 0xff}, data[201:]...)...)), "npz"},
		{"missing weight", edit("m.npz", func(a map[string]npz.Array, _ map[string]string) { delete(a, "w_rec") }), "no w_rec array"},
		{"wrong shape", edit("s.npz", func(a map[string]npz.Array, _ map[string]string) {
			a["b_out"] = npz.Array{Shape: []int{5}, Data: make([]float64, 5)}
		}), "b_out has shape"},
		{"nan", edit("n.npz", func(a map[string]npz.Array, _ map[string]string) { a["w_out"].Data[0] = a["w_out"].Data[0] / 0 * 0 }), "not finite"},
		{"eff mismatch", edit("e.npz", func(a map[string]npz.Array, _ map[string]string) { a["w_rec_eff"].Data[0] += 1 }), "w_rec_eff disagrees"},
		{"sign violated", edit("v.npz", func(a map[string]npz.Array, _ map[string]string) {
			for k, s := range a["sign_rec"].Data {
				if s < 0 && a["mask_rec"].Data[k] == 1 {
					a["w_rec"].Data[k] = 1
					return
				}
			}
		}), "outside its sparsity or sign mask"},
		{"bad alpha", edit("al.npz", func(a map[string]npz.Array, _ map[string]string) { a["alpha"].Data[0] = 2 }), "alpha[0]"},
		{"unknown array", edit("u.npz", func(a map[string]npz.Array, _ map[string]string) {
			a["w_extra"] = npz.Array{Shape: []int{1}, Data: []float64{1}}
		}), "unknown array"},
		{"no config", edit("nc.npz", func(_ map[string]npz.Array, tx map[string]string) { delete(tx, "config") }), "no config entry"},
		{"bad config", edit("bc.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = strings.Replace(tx["config"], `"relu"`, `"gelu"`, 1)
		}), "unknown activation"},
		{"future version", edit("fv.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = strings.Replace(tx["config"], `"version":1`, `"version":9`, 1)
		}), "file version 9"},
		{"bad sign", edit("bs.npz", func(a map[string]npz.Array, _ map[string]string) { a["sign_out"].Data[0] = 3 }), "Sign"},
		{"missing dimension", edit("mk.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = regexp.MustCompile(`"units":[^,]*,`).ReplaceAllString(tx["config"], "")
		}), `config: no "units"`},
		{"unknown key", edit("uk.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = strings.Replace(tx["config"], `"rng":`, `"tau":20,"rng":`, 1)
		}), `unknown key "tau"`},
		{"wrong type", edit("wt.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = regexp.MustCompile(`"train_x0":[a-z]*`).ReplaceAllString(tx["config"], `"train_x0":"no"`)
		}), "train_x0: json"},
		{"out of range", edit("or.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = regexp.MustCompile(`"rec_noise":[^,]*,`).ReplaceAllString(tx["config"], `"rec_noise":-1,`)
		}), "rec_noise = -1 is out of range"},
		{"fractional units", edit("fu.npz", func(_ map[string]npz.Array, tx map[string]string) {
			tx["config"] = strings.Replace(tx["config"], `"units":`, `"units":0.5+`, 1)
		}), "config"},
	}
	for _, c := range cases {
		_, err := Load(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "absent.npz")); err == nil {
		t.Error("loading a missing file succeeded")
	}
}

// TestConfigIsAViewOfKeys checks that a file's config holds exactly the
// keys of Keys (but the array summaries alpha and x0) with the model's
// values, so a new setting is saved and loaded without another line.
func TestConfigIsAViewOfKeys(t *testing.T) {
	m, err := New(Config{Inputs: 2, Units: 4, Outputs: 3, Seed: MaxSeed, RecNoise: 0.25, Activation: 1, TrainX0: true})
	if err != nil {
		t.Fatal(err)
	}
	for key, v := range map[string]float64{"training": 0, "bptt_checkpoint": 3, "learn_alpha": 1} {
		if err := m.SetScalar(key, v); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "m.npz")
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	_, texts, err := npz.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(texts["config"]), &cfg); err != nil {
		t.Fatal(err)
	}
	want := []string{"format", "rng", "version"}
	for _, name := range ScalarNames {
		if name != "alpha" && name != "x0" {
			want = append(want, name)
		}
	}
	got := slices.Sorted(maps.Keys(cfg))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("config keys %v, want %v", got, want)
	}
	if cfg["activation"] != "tanh" || cfg["rec_noise"] != 0.25 || cfg["train_x0"] != true || cfg["outputs"] != 3.0 {
		t.Errorf("config values %v", cfg)
	}
	back, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ScalarNames {
		a, _ := m.Scalar(name)
		b, _ := back.Scalar(name)
		if a != b {
			t.Errorf("%s: %v saved, %v loaded", name, a, b)
		}
	}
	// A file written before a setting existed loads with its default.
	old := regexp.MustCompile(`"learn_alpha":true,`).ReplaceAllString(texts["config"], "")
	arrays, _, err := npz.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	p2 := filepath.Join(t.TempDir(), "old.npz")
	if err := npz.Write(p2, arrays, map[string]string{"config": old}); err != nil {
		t.Fatal(err)
	}
	if o, err := Load(p2); err != nil {
		t.Errorf("a config without learn_alpha: %v", err)
	} else if v, _ := o.Scalar("learn_alpha"); v != 0 {
		t.Errorf("learn_alpha missing from the file loaded as %v, want its default 0", v)
	}
	if back.cfg.Seed != MaxSeed {
		t.Errorf("seed %d loaded, want %d", back.cfg.Seed, uint64(MaxSeed))
	}
	if _, err := New(Config{Inputs: 1, Units: 2, Outputs: 1, Seed: MaxSeed + 1}); err == nil || !strings.Contains(err.Error(), "Seed") {
		t.Errorf("a seed of 2^53 gave %v, want an error naming Seed", err)
	}
}

// TestSettings checks the keyed settings: values round-trip, bad values and
// keys are rejected without changing anything.
func TestSettings(t *testing.T) {
	m, err := New(Config{Inputs: 2, Units: 4, Outputs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for key, v := range map[string]float64{"activation": 1, "head": 2, "dale": 2, "precision": 1, "alpha": 0.3,
		"learn_alpha": 1, "rec_noise": 0.2, "x0": 0.1, "train_x0": 1, "seed": 9, "training": 0} {
		if err := m.SetScalar(key, v); err != nil {
			t.Fatalf("SetScalar(%s, %v): %v", key, v, err)
		}
		if got, _ := m.Scalar(key); got != v {
			t.Errorf("%s = %v after setting %v", key, got, v)
		}
	}
	before, _ := m.Array("w_rec")
	for key, v := range map[string]float64{"activation": 9, "alpha": 0, "learn_alpha": 0.5, "units": 3, "nope": 1, "rec_noise": -1} {
		if err := m.SetScalar(key, v); err == nil {
			t.Errorf("SetScalar(%s, %v) accepted", key, v)
		}
	}
	if err := m.SetOption("activation", "softplus"); err != nil {
		t.Fatal(err)
	}
	if s, _ := m.Option("activation"); s != "softplus" {
		t.Errorf("activation is %s", s)
	}
	if err := m.SetOption("dale", "nope"); err == nil {
		t.Error("unknown Dale mode accepted")
	}
	after, _ := m.Array("w_rec")
	if !slices.Equal(before, after) {
		t.Error("rejected settings changed the weights")
	}
}
