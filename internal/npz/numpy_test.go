// SPDX-License-Identifier: MIT

package npz

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	numpyOnce sync.Once
	numpyPy   string
	numpyWhy  string
)

// needNumpy returns a python3 that can import numpy, or skips the test.
func needNumpy(t *testing.T) string {
	t.Helper()
	numpyOnce.Do(func() {
		py, err := exec.LookPath("python3")
		if err != nil {
			numpyWhy = "python3 not found in PATH"
			return
		}
		out, err := exec.Command(py, "-c", "import numpy; print(numpy.__version__)").CombinedOutput()
		if err != nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			numpyWhy = "python3 cannot import numpy (pip install numpy to run it): " + lines[len(lines)-1]
			return
		}
		numpyPy = py
	})
	if numpyPy == "" {
		t.Skip("skipping numpy interoperability test: " + numpyWhy)
	}
	return numpyPy
}

func runPython(t *testing.T, py, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(py, append([]string{"-c", script}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python failed: %v\n%s", err, stderr.String())
	}
	return out
}

// numpyReads loads our file with a plain numpy.load (no allow_pickle) and
// reports every entry's dtype, shape, raw bytes and, for unicode entries,
// str(value); it also reports whether np.save writes exactly our .npy bytes
// for the array it loaded.
const numpyReads = `
import sys, json, io, zipfile
import numpy as np
path = sys.argv[1]
out = {}
zf = zipfile.ZipFile(path)
assert zf.testzip() is None
with np.load(path) as f:
    for k in f.files:
        a = f[k]
        e = {"dtype": a.dtype.str, "shape": list(a.shape), "hex": a.tobytes().hex()}
        if a.dtype.kind == "U":
            e["str"] = str(a)
            e["json"] = json.loads(str(a)) if k == "config" else None
        b = io.BytesIO()
        np.save(b, a)
        e["same_as_np_save"] = b.getvalue() == zf.read(k + ".npy")
        out[k] = e
print(json.dumps(out))
`

func TestNumpyReadsOurs(t *testing.T) {
	py := needNumpy(t)
	arrays, texts := fixtures()
	path := filepath.Join(t.TempDir(), "model.npz")
	if err := Write(path, arrays, texts); err != nil {
		t.Fatal(err)
	}
	var got map[string]struct {
		Dtype string
		Shape []int
		Hex   string
		Str   *string
		JSON  any
		Same  bool `json:"same_as_np_save"`
	}
	if err := json.Unmarshal(runPython(t, py, numpyReads, path), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(arrays)+len(texts) {
		t.Errorf("numpy sees %d entries, want %d", len(got), len(arrays)+len(texts))
	}
	for name, a := range arrays {
		e, ok := got[name]
		if !ok {
			t.Errorf("numpy does not see %q", name)
			continue
		}
		if e.Dtype != "<f8" {
			t.Errorf("%s: numpy dtype %s", name, e.Dtype)
		}
		raw, err := hex.DecodeString(e.Hex)
		if err != nil {
			t.Fatal(err)
		}
		back := Array{Shape: e.Shape, Data: dtype{kind: 'f', size: 8}.decode(nil, raw)}
		if !sameArray(back, a) {
			t.Errorf("%s: numpy has %v %v, want %v %v", name, back.Shape, back.Data, a.Shape, a.Data)
		}
		if !e.Same {
			t.Errorf("%s: np.save writes different .npy bytes than ours", name)
		}
	}
	for name, s := range texts {
		e, ok := got[name]
		if !ok {
			t.Errorf("numpy does not see %q", name)
			continue
		}
		if e.Str == nil || *e.Str != s || len(e.Shape) != 0 || !strings.HasPrefix(e.Dtype, "<U") {
			t.Errorf("%s: numpy has dtype %s shape %v str %v, want 0-d <U %q", name, e.Dtype, e.Shape, e.Str, s)
		}
		if !e.Same {
			t.Errorf("%s: np.save writes different .npy bytes than ours", name)
		}
	}
	if cfg, ok := got["config"].JSON.(map[string]any); !ok || cfg["activation"] != "relu" {
		t.Errorf("json.loads(str(npz['config'])) = %v", got["config"].JSON)
	}
}

// numpyWrites writes files the way numpy users do.
const numpyWrites = `
import sys, json, zipfile
import numpy as np
from numpy.lib import format as fmt
d = sys.argv[1]
special = np.frombuffer(bytes.fromhex(sys.argv[2]), dtype="<f8")
m = np.arange(12, dtype=np.float64).reshape(3, 4) / 8 - 0.5
common = dict(
    special=special,
    m=m,
    f4=m.astype(np.float32),
    i8=np.arange(-3, 3, dtype=np.int64).reshape(2, 3),
    i4=np.arange(-3, 3, dtype=np.int32),
    big=m.astype(">f8"),
    fort=np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)),
    mask=np.array([[True, False], [False, True]]),
    zerod=np.float64(-0.0),
    empty=np.zeros((0, 3)),
    config=json.dumps({"n_rec": 3, "name": "α 🧠"}),
)
np.savez(d + "/plain.npz", **common)
np.savez_compressed(d + "/compressed.npz", **common)
with zipfile.ZipFile(d + "/versions.npz", "w") as zf:
    for v in [(1, 0), (2, 0), (3, 0)]:
        with zf.open("v%d.npy" % v[0], "w") as f:
            fmt.write_array(f, m, version=v)
`

func TestReadNumpyFiles(t *testing.T) {
	py := needNumpy(t)
	dir := t.TempDir()
	special := testArrays()["special"]
	runPython(t, py, numpyWrites, dir, hex.EncodeToString(f8(special.Data...)))

	m := make([]float64, 12)
	for i := range m {
		m[i] = float64(i)/8 - 0.5
	}
	seq := func(lo, hi int) []float64 {
		var s []float64
		for i := lo; i < hi; i++ {
			s = append(s, float64(i))
		}
		return s
	}
	want := map[string]Array{
		"special": special,
		"m":       {Shape: []int{3, 4}, Data: m},
		"f4":      {Shape: []int{3, 4}, Data: m}, // exact in float32
		"i8":      {Shape: []int{2, 3}, Data: seq(-3, 3)},
		"i4":      {Shape: []int{6}, Data: seq(-3, 3)},
		"big":     {Shape: []int{3, 4}, Data: m},
		"fort":    {Shape: []int{2, 3, 4}, Data: seq(0, 24)},
		"mask":    {Shape: []int{2, 2}, Data: []float64{1, 0, 0, 1}},
		"zerod":   {Shape: []int{}, Data: []float64{math.Copysign(0, -1)}},
		"empty":   {Shape: []int{0, 3}, Data: nil},
	}
	wantT := map[string]string{"config": `{"n_rec": 3, "name": "\u03b1 \ud83e\udde0"}`}
	for _, name := range []string{"plain.npz", "compressed.npz"} {
		arrays, texts, err := Read(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkSame(t, want, wantT, arrays, texts)
	}
	arrays, texts, err := Read(filepath.Join(dir, "versions.npz"))
	if err != nil {
		t.Fatal(err)
	}
	mm := want["m"]
	checkSame(t, map[string]Array{"v1": mm, "v2": mm, "v3": mm}, map[string]string{}, arrays, texts)

	// What we read from numpy's file, we write back readable by numpy.
	plain, _, err := Read(filepath.Join(dir, "plain.npz"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ours.npz")
	if err := Write(out, plain, wantT); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	check := `
import sys, numpy as np
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
for k in a.files:
    x, y = a[k], b[k]
    assert x.shape == y.shape, k
    if x.dtype.kind == "U":
        assert str(x) == str(y), k
    else:
        assert x.astype("<f8").tobytes() == y.tobytes(), k
print("ok")
`
	if got := strings.TrimSpace(string(runPython(t, py, check, filepath.Join(dir, "plain.npz"), out))); got != "ok" {
		t.Errorf("python check: %q", got)
	}
}
