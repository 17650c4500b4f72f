// SPDX-License-Identifier: MIT

package npz

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadWithLimits checks ReadWith's decoded-size limit, its ratio limit
// on deflated entries and its per-entry filter.
func TestReadWithLimits(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.npz")
	if err := Write(p, map[string]Array{"a": {Shape: []int{4}, Data: []float64{1, 2, 3, 4}}, "b": {Shape: []int{2}, Data: []float64{5, 6}}},
		map[string]string{"t": "hello"}); err != nil {
		t.Fatal(err)
	}
	// 32 + 16 decoded float64 bytes and 20 text bytes = 68.
	if _, _, err := ReadWith(p, Options{MaxBytes: 68}); err != nil {
		t.Errorf("limit 68: %v", err)
	}
	if _, _, err := ReadWith(p, Options{MaxBytes: 67}); err == nil || !strings.Contains(err.Error(), "over the read limit of 67 bytes") {
		t.Errorf("limit 67: %v", err)
	}
	var seen []string
	arrays, texts, err := ReadWith(p, Options{MaxBytes: 20, Check: func(name string, shape []int, text bool) (bool, error) {
		seen = append(seen, name)
		return name != "t", nil
	}})
	if err != nil || len(arrays) != 0 || texts["t"] != "hello" || strings.Join(seen, ",") != "a,b,t" {
		t.Errorf("skipping arrays: %v %v %v %v", arrays, texts, seen, err)
	}
	refuse := errors.New("no b here")
	if _, _, err := ReadWith(p, Options{Check: func(name string, _ []int, _ bool) (bool, error) {
		if name == "b" {
			return false, refuse
		}
		return false, nil
	}}); !errors.Is(err, refuse) && (err == nil || !strings.Contains(err.Error(), "b.npy: no b here")) {
		t.Errorf("refusing b: %v", err)
	}
	// A deflated 8 MiB of zeros compresses ~1000:1: over a 100:1 limit.
	bomb := makeZip(t, rawEntry{name: "z.npy", data: append(encodeHeader("<f8", []int{1 << 20}), make([]byte, 8<<20)...), deflate: true})
	bp := filepath.Join(dir, "bomb.npz")
	if err := os.WriteFile(bp, bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadWith(bp, Options{MaxRatio: 100}); err == nil || !strings.Contains(err.Error(), "exceeds 100:1") {
		t.Errorf("ratio 100: %v", err)
	}
	if _, _, err := ReadWith(bp, Options{MaxBytes: 1 << 20}); err == nil || !strings.Contains(err.Error(), "over the read limit") {
		t.Errorf("bomb under 1 MiB: %v", err)
	}
	if a, _, err := ReadWith(bp, Options{}); err != nil || len(a["z"].Data) != 1<<20 {
		t.Errorf("bomb under the defaults: %v", err)
	}
}
