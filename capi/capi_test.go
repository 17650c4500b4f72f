// SPDX-License-Identifier: MIT

package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// Status codes as plain ints (the test files cannot use cgo).
const (
	tOK         = 0
	tInvalid    = 1
	tNull       = 2
	tShape      = 3
	tHandle     = 4
	tUnknownKey = 5
	tNotFinite  = 6
	tIO         = 7
	tFormat     = 8
	tInternal   = 10
	tState      = 12
	tNumeric    = 13
	tRange      = 14
)

func newModel(t testing.TB, seed uint64) uint64 {
	t.Helper()
	h, st, msg := hookModelCreate(2, 16, 2, 0, seed)
	if st != tOK {
		t.Fatalf("create: %d %s", st, msg)
	}
	if st, msg := hookSetF64("model", h, "training", 0); st != tOK {
		t.Fatalf("training: %s", msg)
	}
	return h
}

func batch() (u, y []float64) {
	u, y = make([]float64, 3*10*2), make([]float64, 3*10*2)
	for i := range u {
		u[i] = math.Sin(0.37 * float64(i))
		y[i] = 0.3 * math.Cos(0.11*float64(i))
	}
	return u, y
}

// TestConcurrentHandles runs the handle tables, locks and cancel flags from
// many goroutines; make test runs it under the race detector. Results equal
// the single-threaded ones.
func TestConcurrentHandles(t *testing.T) {
	u, y := batch()
	obj, _, _ := hookCreate("objective", "songyang")
	defer hookFree("objective", obj)
	train := func(m uint64, n int) {
		opt, _, _ := hookCreate("optimizer", "sgd")
		defer hookFree("optimizer", opt)
		for k := 0; k < n; k++ {
			if st, msg := hookTrain(m, obj, opt, u, y, 3, 10, 1); st != tOK {
				t.Errorf("train: %s", msg)
			}
		}
	}
	ref := newModel(t, 1)
	train(ref, 10)
	want, _, _ := hookGetArray(ref, "w_rec", 256)
	wantY, _, _ := hookForward(ref, u, 3, 10, 2)
	hookFree("model", ref)

	// Two goroutines, two handles.
	var wg sync.WaitGroup
	got := make([][]float64, 2)
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newModel(t, 1)
			defer hookFree("model", m)
			train(m, 10)
			got[g], _, _ = hookGetArray(m, "w_rec", 256)
		}()
	}
	wg.Wait()
	for g := range got {
		if !slices.Equal(got[g], want) {
			t.Errorf("goroutine %d: weights differ from the single-threaded run", g)
		}
	}

	// Four goroutines on one handle: forwards, steps, getters and a free at the end.
	m := newModel(t, 1)
	train(m, 10)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				switch g % 2 {
				case 0:
					yy, st, msg := hookForward(m, u, 3, 10, 2)
					if st != tOK || !slices.Equal(yy, wantY) {
						t.Errorf("forward on a shared handle: %d %s", st, msg)
					}
				case 1:
					x, out := make([]float64, 16), make([]float64, 2)
					if st, msg := hookStep(m, 1, x, u[:2], out); st != tOK {
						t.Errorf("step: %s", msg)
					}
					if _, st, _ := hookGetF64("model", m, "alpha"); st != tOK {
						t.Errorf("get_f64 failed")
					}
				}
			}
		}()
	}
	wg.Wait()
	// Frees racing with calls: every call either works or sees a freed handle.
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 50; k++ {
				if _, st, _ := hookForward(m, u, 3, 10, 2); st != tOK && st != tHandle {
					t.Errorf("forward during free: status %d", st)
				}
			}
		}()
	}
	if st, _ := hookFree("model", m); st != tOK {
		t.Error("free failed")
	}
	wg.Wait()
	if n := hookLiveHandles(); n != 1 { // the objective
		t.Errorf("%d live handles, want 1", n)
	}
}

// FuzzModelLoad feeds arbitrary bytes to nn4n_model_load: the status is
// NN4N_OK, NN4N_ERR_FORMAT or NN4N_ERR_IO with a message, never a crash or
// NN4N_ERR_INTERNAL.
func FuzzModelLoad(f *testing.F) {
	dir := f.TempDir()
	m, _, _ := hookModelCreate(2, 5, 2, 0, 3)
	hookSetStr("model", m, "dale", "clip")
	hookSetArray("model", m, "sign_rec", []float64{1, 1, 1, -1, -1})
	good := filepath.Join(dir, "good.npz")
	if st, msg := hookSave(m, good); st != tOK {
		f.Fatal(msg)
	}
	hookFree("model", m)
	data, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, n := range []int{0, 30, len(data) / 2, len(data) - 22} {
		f.Add(data[:n])
	}
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, fmt.Sprintf("m%d.npz", n.Add(1)))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
		h, st, msg := hookLoad(p)
		switch st {
		case tOK:
			if _, st, msg := hookForward(h, make([]float64, 2), 1, 1, 2); st != tOK {
				t.Fatalf("a loaded model does not run: %s", msg)
			}
			hookFree("model", h)
		case tFormat, tIO:
			if len(msg) < 20 {
				t.Fatalf("status %d with message %q", st, msg)
			}
		default:
			t.Fatalf("status %d: %s", st, msg)
		}
	})
}

var fuzzKinds = []string{"model", "objective", "optimizer", "task", "structure"}

// FuzzSetters feeds arbitrary keys and values to the keyed setters and
// getters of every kind: each returns a documented status (never
// NN4N_ERR_INTERNAL), and the model still runs afterwards.
func FuzzSetters(f *testing.F) {
	for _, s := range []struct {
		kind    uint8
		key     string
		v       float64
		str     string
		arr     []byte
		compose bool
	}{
		{0, "alpha", 0.3, "tanh", nil, false},
		{0, "activation", 1, "softplus", nil, false},
		{0, "sign_rec", 0, "", []byte{1, 255, 0, 1}, false},
		{0, "w_rec", math.NaN(), "", []byte{3, 4}, false},
		{0, "dale", 2, "clip", nil, false},
		{0, "precision", 1, "float32", nil, false},
		{1, "t.metric", 0, "l1", nil, true},
		{1, "lambda_omega", 0, "", nil, false},
		{2, "lr", -1, "", nil, false},
		{3, "sigma_in", 0.1, "", nil, false},
		{4, "area_connectivities", 0.5, "a,b", []byte{0, 128, 255}, false},
		{4, "n_areas", 3, "", nil, false},
	} {
		f.Add(s.kind, s.key, s.v, s.str, s.arr, s.compose)
	}
	f.Fuzz(func(t *testing.T, which uint8, key string, v float64, str string, arr []byte, compose bool) {
		kind := fuzzKinds[int(which)%len(fuzzKinds)]
		m := newModel(t, 1)
		defer hookFree("model", m)
		h := m
		if kind != "model" {
			name := map[string]string{"objective": "songyang", "optimizer": "adam", "task": "rdm_fixed", "structure": "multi_area_ei"}[kind]
			if kind == "objective" && compose {
				name = "composite"
			}
			var st int32
			var msg string
			if h, st, msg = hookCreate(kind, name); st != tOK {
				t.Fatalf("create %s: %s", kind, msg)
			}
			defer hookFree(kind, h)
			if name == "composite" {
				hookAddTerm(h, "t", "fr", 1)
			}
		}
		vals := make([]float64, len(arr))
		for i, b := range arr {
			vals[i] = float64(int(b)-128) / 64
		}
		allowed := []int32{tOK, tInvalid, tShape, tUnknownKey, tNotFinite, tState, tRange}
		check := func(what string, st int32, msg string) {
			if !slices.Contains(allowed, st) {
				t.Fatalf("%s %s(%q): status %d: %s", kind, what, key, st, msg)
			}
			if st != tOK && len(msg) < 12 {
				t.Fatalf("%s %s(%q): status %d without a message", kind, what, key, st)
			}
		}
		st, msg := hookSetF64(kind, h, key, v)
		check("set_f64", st, msg)
		_, st, msg = hookGetF64(kind, h, key)
		check("get_f64", st, msg)
		if kind == "model" || kind == "objective" || kind == "structure" {
			st, msg = hookSetStr(kind, h, key, str)
			check("set_str", st, msg)
		}
		if kind == "model" || kind == "structure" {
			st, msg = hookSetArray(kind, h, key, vals)
			check("set_array", st, msg)
		}
		if kind == "structure" {
			st, msg = hookBuild(h)
			check("build", st, msg)
		}
		if _, st, msg := hookForward(m, make([]float64, 2*3*2), 2, 3, 2); st != tOK {
			t.Fatalf("the model no longer runs: %s", msg)
		}
	})
}

// TestStepAllocatesNothing checks the simulator hot path: once warmed up,
// nn4n_model_step makes no Go heap allocation.
func TestStepAllocatesNothing(t *testing.T) {
	for _, prec := range []int32{0, 1} {
		h, _, _ := hookModelCreate(4, 64, 2, prec, 1)
		hookSetF64("model", h, "training", 0)
		x, u, y := make([]float64, 64), []float64{0.1, 0.2, 0.3, 0.4}, make([]float64, 2)
		if n := hookStepMallocs(h, x, u, y, 1000); n > 10 {
			t.Errorf("precision %d: 1000 steps made %d allocations", prec, n)
		}
		hookFree("model", h)
	}
}
