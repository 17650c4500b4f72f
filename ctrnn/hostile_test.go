// SPDX-License-Identifier: MIT

package ctrnn

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/nn4n/nn4n/internal/npz"
)

// zipEntry is one member of a crafted archive: raw bytes, or zeros streamed
// after a header (a zip bomb), stored or deflated.
type zipEntry struct {
	name    string
	data    []byte
	zeros   int64 // zero bytes appended to data, streamed
	deflate bool
}

// writeZip writes a crafted archive to path.
func writeZip(t *testing.T, path string, entries ...zipEntry) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		m := zip.Store
		if e.deflate {
			m = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
		zero := make([]byte, 1<<20)
		for rem := e.zeros; rem > 0; rem -= int64(len(zero)) {
			w.Write(zero[:min(rem, int64(len(zero)))])
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// npyHeader returns a version 1.0 .npy header for descr and a shape literal.
func npyHeader(descr, shape string) []byte {
	d := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n"
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(b[8:], uint16(len(d)))
	return append(b, d...)
}

// goodEntries returns the members of a saved model file, raw, by name.
func goodEntries(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

// TestLoadHostileFiles feeds Load crafted model files (zip bombs, huge
// shapes, object and pickle dtypes, wrong dtypes and kinds, duplicates,
// truncated members, huge dimensions in the config) and checks that each is
// refused with an error naming the problem, decompressing and allocating
// next to nothing.
func TestLoadHostileFiles(t *testing.T) {
	m, err := New(testConfig(ReLU, LinearHead, Clip, 3))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npz")
	if err := m.Save(good); err != nil {
		t.Fatal(err)
	}
	members := goodEntries(t, good)
	// with returns the good members with some replaced (nil data: dropped)
	// and extra ones appended.
	with := func(repl map[string]*zipEntry, extra ...zipEntry) []zipEntry {
		var es []zipEntry
		for name, b := range members {
			if r, ok := repl[name]; ok {
				if r != nil {
					r.name = name
					es = append(es, *r)
				}
				continue
			}
			es = append(es, zipEntry{name: name, data: b})
		}
		return append(es, extra...)
	}
	_, texts, err := npz.Read(good)
	if err != nil {
		t.Fatal(err)
	}
	cfg := texts["config"]
	bigCfg := strings.Replace(cfg, `"units":7`, `"units":1048576`, 1)
	if bigCfg == cfg {
		t.Fatal("config has no units 7")
	}
	bigUnits := npyHeader("<U"+strconv.Itoa(len(bigCfg)), "()")
	for _, r := range bigCfg {
		bigUnits = binary.LittleEndian.AppendUint32(bigUnits, uint32(r))
	}
	const bomb = 256 << 20 // 256 MiB of zeros deflate to ~256 KiB
	cases := []struct {
		name    string
		entries []zipEntry
		want    string
	}{
		{"bomb in w_rec, shape huge", with(map[string]*zipEntry{"w_rec.npy": {data: npyHeader("<f8", "(4096, 8192)"), zeros: bomb, deflate: true}}), "w_rec has shape [4096 8192], want [7 7]"},
		{"bomb as unknown member", with(nil, zipEntry{name: "junk.npy", data: npyHeader("<f8", "(33554432,)"), zeros: bomb, deflate: true}), `unknown array "junk"`},
		{"bomb as config text", with(map[string]*zipEntry{"config.npy": {data: npyHeader("<U16777216", "()"), zeros: 1 << 26, deflate: true}}), "over the read limit"},
		{"huge shape", with(map[string]*zipEntry{"w_in.npy": {data: npyHeader("<f8", "(2147483647, 2147483647)")}}), "more than"},
		{"64+ dims", with(map[string]*zipEntry{"w_in.npy": {data: npyHeader("<f8", "("+strings.Repeat("1, ", 65)+")")}}), "dimensions"},
		{"object dtype", with(map[string]*zipEntry{"w_rec.npy": {data: append(npyHeader("|O", "(7, 7)"), make([]byte, 392)...)}}), "object arrays need pickle"},
		{"pickle payload", with(map[string]*zipEntry{"b_in.npy": {data: append(npyHeader("|O", "(7,)"), []byte("\x80\x04\x95cos\nsystem\n(S'echo pwned'\ntR.")...)}}), "pickle"},
		{"bare pickle member", with(nil, zipEntry{name: "w_extra.pkl", data: []byte("\x80\x04K\x01.")}), "not a .npy entry"},
		{"complex dtype", with(map[string]*zipEntry{"w_rec.npy": {data: append(npyHeader("<c16", "(7, 7)"), make([]byte, 784)...)}}), `unsupported dtype "<c16"`},
		{"structured dtype", with(map[string]*zipEntry{"w_rec.npy": {data: append(npyHeader("V8", "(7, 7)"), make([]byte, 392)...)}}), "unsupported dtype"},
		{"text as weight", with(map[string]*zipEntry{"w_out.npy": {data: append(npyHeader("<U1", "()"), 'x', 0, 0, 0)}}), "w_out is a text"},
		{"config as array", with(map[string]*zipEntry{"config.npy": {data: append(npyHeader("<f8", "(1,)"), make([]byte, 8)...)}}), "config is an array"},
		{"truncated member", with(map[string]*zipEntry{"w_rec.npy": {data: append(npyHeader("<f8", "(7, 7)"), make([]byte, 391)...)}}), "data has 391 bytes"},
		{"member longer than its shape", with(map[string]*zipEntry{"alpha.npy": {data: append(npyHeader("<f8", "(7,)"), make([]byte, 64)...)}}), "data has 64 bytes"},
		{"duplicate member", with(nil, zipEntry{name: "w_rec.npy", data: members["w_rec.npy"]}), "duplicate entry"},
		{"missing config", with(map[string]*zipEntry{"config.npy": nil}), "no config entry"},
		{"config units 2^20", with(map[string]*zipEntry{"config.npy": {data: bigUnits}}), "memory limit"},
		{"garbage header", with(map[string]*zipEntry{"x0.npy": {data: []byte("\x93NUMPY\x01\x00\x10\x00{'descr': evil}")}}), "x0.npy"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".npz")
		writeZip(t, p, c.entries...)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Load(p)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
			continue
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
			t.Errorf("%s: Load allocated %d bytes before refusing", c.name, alloc)
		}
		if c.name == "config units 2^20" && !errors.Is(err, ErrMemory) {
			t.Errorf("%s: %v does not wrap ErrMemory", c.name, err)
		}
	}
	if _, err := Load(good); err != nil {
		t.Fatalf("the good file no longer loads: %v", err)
	}
}

// TestMemoryBudget checks that New, Forward, Gradient and Loss refuse
// dimensions whose allocations exceed the budget, before allocating, with an
// error naming the bytes and the limit, and that the limit is settable.
func TestMemoryBudget(t *testing.T) {
	defer SetMemoryLimit(0)
	if d := DefaultMemoryLimit(); d == 0 || MemoryLimit() != d {
		t.Fatalf("default limit %d, in effect %d", d, MemoryLimit())
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := New(Config{Inputs: 1, Units: 1 << 20, Outputs: 1})
	runtime.ReadMemStats(&after)
	var me *MemoryError
	if !errors.As(err, &me) || !errors.Is(err, ErrMemory) || me.Need < 8<<40 || !strings.Contains(err.Error(), "memory limit") {
		t.Fatalf("N = 2^20: %v", err)
	}
	if after.TotalAlloc-before.TotalAlloc > 1<<20 {
		t.Errorf("N = 2^20 allocated %d bytes before refusing", after.TotalAlloc-before.TotalAlloc)
	}
	m, err := New(Config{Inputs: 0, Units: 4, Outputs: 1})
	if err != nil {
		t.Fatal(err)
	}
	// T·B beyond any memory: 2^20 trials × 2^24 steps with no inputs.
	huge := &Batch{B: 1 << 20, T: 1 << 24}
	if _, err := m.Forward(huge, Needs{}); !errors.Is(err, ErrMemory) {
		t.Errorf("forward of T·B = 2^44: %v", err)
	}
	if _, err := m.Forward(huge, Needs{Rates: true}); !errors.Is(err, ErrMemory) {
		t.Errorf("forward with rates of T·B = 2^44: %v", err)
	}
	obj := &probe{seed: 1}
	if _, err := m.Gradient(huge, obj); !errors.Is(err, ErrMemory) {
		t.Errorf("gradient of T·B = 2^44: %v", err)
	}
	if _, _, err := m.Loss(huge, obj); !errors.Is(err, ErrMemory) {
		t.Errorf("loss of T·B = 2^44: %v", err)
	}
	// A small limit refuses what the default accepts, and 0 restores it.
	SetMemoryLimit(1 << 20)
	if MemoryLimit() != 1<<20 {
		t.Fatalf("limit %d after SetMemoryLimit(1 MiB)", MemoryLimit())
	}
	if _, err := New(Config{Inputs: 2, Units: 300, Outputs: 1}); !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), "1048576 bytes") {
		t.Errorf("300 units under 1 MiB: %v", err)
	}
	small := &Batch{B: 64, T: 1000}
	if _, err := m.Forward(small, Needs{States: true}); !errors.Is(err, ErrMemory) {
		t.Errorf("64×1000 batch with history under 1 MiB: %v", err)
	}
	SetMemoryLimit(0)
	if _, err := New(Config{Inputs: 2, Units: 300, Outputs: 1}); err != nil {
		t.Errorf("300 units under the default limit: %v", err)
	}
	if _, err := m.Forward(small, Needs{States: true}); err != nil {
		t.Errorf("64×1000 batch under the default limit: %v", err)
	}
	var buf bytes.Buffer
	buf.WriteString((&MemoryError{What: "x", Need: 3 << 30, Limit: 1 << 30}).Error())
	if !strings.Contains(buf.String(), "3221225472 bytes (3 GiB)") || !strings.Contains(buf.String(), "1073741824 bytes (1 GiB)") {
		t.Errorf("message %q", buf.String())
	}
}

// TestPostNoiseSkipsR0 checks the documented fact that σ_post noise is
// added to r_t for t ≥ 1 only: r₀ = f(x₀) is noiseless, so with post noise
// alone x₁ is the same in training and evaluation mode, and x₂ is not.
func TestPostNoiseSkipsR0(t *testing.T) {
	m, err := New(Config{Inputs: 2, Units: 6, Outputs: 1, PostNoise: 0.5, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetArray("x0", []float64{0.3, -0.2, 0.5, 0.1, 0.7, -0.4}); err != nil {
		t.Fatal(err)
	}
	b := &Batch{B: 1, T: 3, Input: make([]float64, 6)}
	run := func(training bool) []float64 {
		m.SetTraining(training)
		tr, err := m.Forward(b, Needs{States: true})
		if err != nil {
			t.Fatal(err)
		}
		return tr.States
	}
	noisy, clean := run(true), run(false)
	for j := 0; j < 6; j++ {
		if noisy[j] != clean[j] {
			t.Fatalf("x_1[%d]: %v with post noise, %v without: r_0 got noise", j, noisy[j], clean[j])
		}
	}
	same := true
	for j := 6; j < 12; j++ {
		same = same && noisy[j] == clean[j]
	}
	if same {
		t.Fatal("x_2 is identical with and without post noise: the noise is not applied at all")
	}
}
