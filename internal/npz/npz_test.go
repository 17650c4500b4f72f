// SPDX-License-Identifier: MIT

package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testArrays returns arrays covering the awkward float64 values and shapes.
func testArrays() map[string]Array {
	special := []float64{
		math.Float64frombits(0x7ff8000000000123), // quiet NaN with payload
		math.Float64frombits(0x7ff0000000000001), // signalling NaN
		math.Float64frombits(0xfff8000000000abc), // negative NaN with payload
		math.Copysign(0, -1),
		0,
		math.SmallestNonzeroFloat64,
		math.Float64frombits(0x000fffffffffffff), // largest subnormal
		-math.SmallestNonzeroFloat64,
		math.Inf(1),
		math.Inf(-1),
		math.MaxFloat64,
		-1.5,
	}
	mat := make([]float64, 7*7)
	for i := range mat {
		mat[i] = float64(i)*0.1 - 2
	}
	cube := make([]float64, 2*3*4)
	for i := range cube {
		cube[i] = float64(i * i)
	}
	return map[string]Array{
		"special": {Shape: []int{len(special)}, Data: special},
		"w_rec":   {Shape: []int{7, 7}, Data: mat},
		"cube":    {Shape: []int{2, 3, 4}, Data: cube},
		"alpha":   {Shape: []int{}, Data: []float64{0.2}},
		"empty0":  {Shape: []int{0}, Data: []float64{}},
		"empty3":  {Shape: []int{3, 0, 2}, Data: nil},
		"ndim12":  {Shape: []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}, Data: []float64{1, 2, 3}},
	}
}

func testTexts() map[string]string {
	return map[string]string{
		"config": `{"n_rec": 7, "activation": "relu", "dale": "ei", "note": "α=0.2, 🧠"}`,
		"empty":  "",
		"nul":    "a\x00b",
	}
}

// fixtures returns the test arrays and texts.
func fixtures() (map[string]Array, map[string]string) {
	return testArrays(), testTexts()
}

// sameArray reports whether a and b have equal shapes and bit-identical data.
func sameArray(a, b Array) bool {
	if len(a.Shape) != len(b.Shape) || len(a.Data) != len(b.Data) {
		return false
	}
	for i := range a.Shape {
		if a.Shape[i] != b.Shape[i] {
			return false
		}
	}
	for i := range a.Data {
		if math.Float64bits(a.Data[i]) != math.Float64bits(b.Data[i]) {
			return false
		}
	}
	return true
}

func checkSame(t *testing.T, wantA map[string]Array, wantT map[string]string, gotA map[string]Array, gotT map[string]string) {
	t.Helper()
	if len(gotA) != len(wantA) || len(gotT) != len(wantT) {
		t.Fatalf("got %d arrays and %d texts, want %d and %d", len(gotA), len(gotT), len(wantA), len(wantT))
	}
	for name, w := range wantA {
		g, ok := gotA[name]
		if !ok {
			t.Errorf("array %q missing", name)
			continue
		}
		if !sameArray(g, w) {
			t.Errorf("array %q: got %v %v, want %v %v", name, g.Shape, g.Data, w.Shape, w.Data)
		}
	}
	for name, w := range wantT {
		if g, ok := gotT[name]; !ok || g != w {
			t.Errorf("text %q: got %q (present %v), want %q", name, g, ok, w)
		}
	}
}

func encodeBytes(t testing.TB, arrays map[string]Array, texts map[string]string) []byte {
	t.Helper()
	names, err := entryNames(arrays, texts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := encode(&buf, names, arrays, texts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	arrays, texts := fixtures()
	path := filepath.Join(t.TempDir(), "model.npz")
	if err := Write(path, arrays, texts); err != nil {
		t.Fatal(err)
	}
	gotA, gotT, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, arrays, texts, gotA, gotT)

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotA, gotT, err = ReadBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, arrays, texts, gotA, gotT)
	if s := gotA["alpha"].Shape; s == nil || len(s) != 0 {
		t.Errorf("0-d shape = %#v, want empty non-nil", s)
	}
	if !bytes.Equal(b, encodeBytes(t, arrays, texts)) {
		t.Error("Write and encode differ")
	}

	// A nil Shape is a 0-d array too.
	if err := Write(path, map[string]Array{"x": {Data: []float64{3}}}, nil); err != nil {
		t.Fatal(err)
	}
	gotA, _, err = Read(path)
	if err != nil || len(gotA["x"].Shape) != 0 || gotA["x"].Data[0] != 3 {
		t.Errorf("nil shape: got %v, %v", gotA, err)
	}

	// An empty archive is valid.
	if err := Write(path, nil, nil); err != nil {
		t.Fatal(err)
	}
	gotA, gotT, err = Read(path)
	if err != nil || len(gotA) != 0 || len(gotT) != 0 {
		t.Errorf("empty archive: got %v %v %v", gotA, gotT, err)
	}
}

func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	arrays, texts := fixtures()
	var files [][]byte
	for i := range 5 {
		// Fresh maps each time so insertion and iteration order vary.
		a, x := fixtures()
		p := filepath.Join(dir, fmt.Sprintf("m%d.npz", i))
		if err := Write(p, a, x); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	for i := 1; i < len(files); i++ {
		if !bytes.Equal(files[0], files[i]) {
			t.Fatalf("write %d differs from write 0", i)
		}
	}
	// Re-writing what was read gives the same bytes.
	gotA, gotT, err := ReadBytes(files[0])
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, arrays, texts, gotA, gotT)
	p := filepath.Join(dir, "again.npz")
	if err := Write(p, gotA, gotT); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, files[0]) {
		t.Error("re-written file differs")
	}
	// Entries are in sorted order.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(zr.File); i++ {
		if zr.File[i-1].Name >= zr.File[i].Name {
			t.Errorf("entries not sorted: %q before %q", zr.File[i-1].Name, zr.File[i].Name)
		}
	}
}

func TestEncodeHeader(t *testing.T) {
	// Preambles numpy 2.4 np.save writes for the same arrays.
	for _, c := range []struct {
		descr string
		shape []int
		want  string
	}{
		{"<U1", []int{}, "{'descr': '<U1', 'fortran_order': False, 'shape': (), }" + strings.Repeat(" ", 62) + "\n"},
		{"<f8", []int{2, 3}, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" + strings.Repeat(" ", 58) + "\n"},
		{"<f8", []int{}, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }" + strings.Repeat(" ", 62) + "\n"},
		{"<f8", []int{0}, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }" + strings.Repeat(" ", 60) + "\n"},
	} {
		got := encodeHeader(c.descr, c.shape)
		want := "\x93NUMPY\x01\x00" + string(binary.LittleEndian.AppendUint16(nil, uint16(len(c.want)))) + c.want
		if string(got) != want {
			t.Errorf("%s %v:\n got %q\nwant %q", c.descr, c.shape, got, want)
		}
		if len(got)%64 != 0 {
			t.Errorf("%s %v: preamble length %d not a multiple of 64", c.descr, c.shape, len(got))
		}
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.npz")
	ok := Array{Shape: []int{2}, Data: []float64{1, 2}}
	for _, c := range []struct {
		arrays map[string]Array
		texts  map[string]string
		want   string
	}{
		{map[string]Array{"w": {Shape: []int{7, 7}, Data: make([]float64, 48)}}, nil, "npz: w: shape (7, 7) needs 49 elements, Data has 48"},
		{map[string]Array{"w": {Shape: []int{-1}, Data: nil}}, nil, "npz: w: invalid shape (-1,)"},
		{map[string]Array{"w": {Shape: []int{1 << 20, 1 << 20}}}, nil, "more than 2147483648 elements"},
		{map[string]Array{"w": {Shape: make([]int, 65)}}, nil, "65 dimensions"},
		{map[string]Array{"w": {}}, nil, "npz: w: shape () needs 1 elements, Data has 0"},
		{map[string]Array{"": ok}, nil, `invalid entry name ""`},
		{map[string]Array{"a/b": ok}, nil, `invalid entry name "a/b"`},
		{map[string]Array{".hidden": ok}, nil, "invalid entry name"},
		{map[string]Array{strings.Repeat("x", 201): ok}, nil, "invalid entry name"},
		{nil, map[string]string{"é": "x"}, "invalid entry name"},
		{map[string]Array{"c": ok}, map[string]string{"c": "x"}, "npz: c: name used by both an array and a text"},
		{nil, map[string]string{"config": "\xff"}, "npz: config: text is not valid UTF-8"},
		{nil, map[string]string{"config": "ab\x00"}, "npz: config: text ends in NUL"},
	} {
		err := Write(path, c.arrays, c.texts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want error containing %q", err, c.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed writes left %d files behind", len(entries))
	}
}

// failAfter is a writer that fails after n bytes.
type failAfter struct {
	w io.Writer
	n int
}

var errInjected = errors.New("injected write failure")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n, _ := f.w.Write(p[:f.n])
		f.n = 0
		return n, errInjected
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestInterruptedWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.npz")
	old := map[string]Array{"w": {Shape: []int{2}, Data: []float64{1, 2}}}
	if err := Write(path, old, map[string]string{"config": "{}"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	arrays, texts := fixtures()
	full := len(encodeBytes(t, arrays, texts))
	for _, n := range []int{0, 1, 100, full / 2, full - 1} {
		err := write(path, arrays, texts, func(w io.Writer) io.Writer { return &failAfter{w: w, n: n} })
		if !errors.Is(err, errInjected) {
			t.Errorf("failing after %d bytes: got %v, want the injected error", n, err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("failing after %d bytes damaged the previous file (err %v)", n, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("failing after %d bytes left %d files in the directory", n, len(entries))
		}
	}
	// A successful write replaces the file and keeps its mode.
	if err := Write(path, arrays, texts); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept from the replaced file", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the directory after a write, want 1", len(entries))
	}

	// A failing rename (the destination is a non-empty directory) removes
	// the temporary file.
	dest := filepath.Join(dir, "isdir.npz")
	if err := os.MkdirAll(filepath.Join(dest, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(dest, arrays, texts); err == nil {
		t.Error("write over a directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("failed rename left %d entries in the directory, want 2", len(entries))
	}
	os.RemoveAll(dest)

	// Writing into a directory that does not exist fails cleanly.
	if err := Write(filepath.Join(dir, "nope", "m.npz"), arrays, texts); err == nil {
		t.Error("write into a missing directory succeeded")
	}

	// A read-only directory: the write fails and the old file stays.
	if os.Geteuid() == 0 {
		t.Log("running as root: skipping the read-only directory case (root ignores permissions)")
		return
	}
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	rpath := filepath.Join(ro, "m.npz")
	if err := Write(rpath, old, nil); err != nil {
		t.Fatal(err)
	}
	want, _ = os.ReadFile(rpath)
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	if err := Write(rpath, arrays, texts); err == nil {
		t.Error("write into a read-only directory succeeded")
	}
	if got, _ := os.ReadFile(rpath); !bytes.Equal(got, want) {
		t.Error("failed write into a read-only directory damaged the file")
	}
}

func TestTruncated(t *testing.T) {
	arrays, texts := fixtures()
	b := encodeBytes(t, arrays, texts)
	for n := 0; n < len(b); n++ {
		if _, _, err := ReadBytes(b[:n]); err == nil {
			t.Fatalf("prefix of %d of %d bytes read without error", n, len(b))
		}
	}
	// A truncated file on disk.
	path := filepath.Join(t.TempDir(), "t.npz")
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Read(path); err == nil || !strings.Contains(err.Error(), "not a valid zip archive") {
		t.Errorf("truncated file: got %v", err)
	}
	if _, _, err := Read(filepath.Join(t.TempDir(), "missing.npz")); err == nil {
		t.Error("reading a missing file succeeded")
	}
}

func TestCorruptBytes(t *testing.T) {
	arrays := map[string]Array{"w_rec": {Shape: []int{7, 7}, Data: make([]float64, 49)}}
	b := encodeBytes(t, arrays, nil)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	off, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	// Every single-byte corruption: never a panic, and an error whenever
	// the .npy bytes themselves change.
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0x5a
		_, _, err := ReadBytes(c)
		if i >= int(off) && i < int(off)+int(zr.File[0].CompressedSize64) && err == nil {
			t.Errorf("corrupt data byte %d read without error", i)
		}
	}
	// A flipped data byte is a CRC error naming the entry.
	c := bytes.Clone(b)
	c[len(b)-200] ^= 1
	_, _, err = ReadBytes(c)
	if err == nil || err.Error() != "npz: w_rec.npy: CRC-32 mismatch, entry is corrupt" {
		t.Errorf("got %v", err)
	}
	if _, _, err := ReadBytes([]byte("not a zip at all")); err == nil || !strings.Contains(err.Error(), "not a valid zip archive") {
		t.Errorf("got %v", err)
	}
}

// rawEntry is a zip entry with arbitrary content.
type rawEntry struct {
	name    string
	data    []byte
	deflate bool
}

// makeZip builds a zip archive of raw entries.
func makeZip(t testing.TB, entries ...rawEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
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
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// npy builds a .npy file with the given version and header dict text.
func npy(major byte, dict string, data []byte) []byte {
	b := []byte(magic)
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(dict)))
	}
	b = append(b, dict...)
	return append(b, data...)
}

func dict(descr, fortran, shape string) string {
	return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n"
}

func f8(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func TestReadErrors(t *testing.T) {
	good := npy(1, dict("<f8", "False", "(2,)"), f8(1, 2))
	for _, c := range []struct {
		name string
		zip  []byte
		want string
	}{
		{"data length", makeZip(t, rawEntry{name: "w_rec.npy", data: npy(1, dict("<f8", "False", "(7, 7)"), make([]byte, 384))}),
			"npz: w_rec.npy: data has 384 bytes, shape (7, 7) of <f8 needs 392"},
		{"data too long", makeZip(t, rawEntry{name: "b.npy", data: npy(1, dict("<f8", "False", "(2,)"), make([]byte, 17))}),
			"npz: b.npy: data has 17 bytes, shape (2,) of <f8 needs 16"},
		{"duplicate", makeZip(t, rawEntry{name: "a.npy", data: good}, rawEntry{name: "a.npy", data: good}),
			"npz: a.npy: duplicate entry"},
		{"not npy", makeZip(t, rawEntry{name: "readme.txt", data: []byte("hi")}),
			`npz: "readme.txt": not a .npy entry`},
		{"bad name", makeZip(t, rawEntry{name: "../a.npy", data: good}),
			"invalid entry name"},
		{"bad magic", makeZip(t, rawEntry{name: "a.npy", data: append([]byte("\x93NUMPX"), good[6:]...)}),
			"npz: a.npy: not a .npy file (bad magic)"},
		{"short", makeZip(t, rawEntry{name: "a.npy", data: good[:8]}),
			"npz: a.npy: entry has 8 bytes, too short for a .npy header"},
		{"version 4", makeZip(t, rawEntry{name: "a.npy", data: npy(4, dict("<f8", "False", "(2,)"), f8(1, 2))}),
			"npz: a.npy: unsupported .npy format version 4.0"},
		{"version 1.1", makeZip(t, rawEntry{name: "a.npy", data: append(append([]byte(magic), 1, 1), good[8:]...)}),
			"unsupported .npy format version 1.1"},
		{"huge header", makeZip(t, rawEntry{name: "a.npy", data: append(append([]byte(magic), 2, 0), 0xff, 0xff, 0xff, 0xff)}),
			"npz: a.npy: header length 4294967295 exceeds the limit of 65536"},
		{"header past end", makeZip(t, rawEntry{name: "a.npy", data: append(append([]byte(magic), 1, 0), 0xff, 0x00, '{')}),
			"header length 255 exceeds the entry size 11"},
		{"complex", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<c16", "False", "(1,)"), make([]byte, 16))}),
			`npz: a.npy: unsupported dtype "<c16"`},
		{"object", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("|O", "False", "(1,)"), make([]byte, 8))}),
			`unsupported dtype "|O"`},
		{"f2", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f2", "False", "(1,)"), make([]byte, 2))}),
			`unsupported dtype "<f2": only f4 and f8 floats`},
		{"datetime", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<M8[s]", "False", "(1,)"), make([]byte, 8))}),
			`unsupported dtype "<M8[s]"`},
		{"pipe f8", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("|f8", "False", "(1,)"), make([]byte, 8))}),
			`byte order '|' on a multi-byte type`},
		{"structured", makeZip(t, rawEntry{name: "a.npy", data: npy(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", make([]byte, 8))}),
			"structured arrays"},
		{"missing key", makeZip(t, rawEntry{name: "a.npy", data: npy(1, "{'descr': '<f8', 'shape': (1,), }", make([]byte, 8))}),
			`npz: a.npy: header has no key "fortran_order"`},
		{"extra key", makeZip(t, rawEntry{name: "a.npy", data: npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", make([]byte, 8))}),
			`header has unexpected key "x"`},
		{"duplicate key", makeZip(t, rawEntry{name: "a.npy", data: npy(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", make([]byte, 8))}),
			`header has key "descr" twice`},
		{"int shape", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(3)"), make([]byte, 24))}),
			"header shape: (n) is an int, not a tuple"},
		{"negative", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(-3,)"), nil)}),
			"header shape: negative dimension"},
		{"huge dim", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(1099511627776,)"), nil)}),
			"header shape: dimension 1099511627776 too large"},
		{"huge count", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(65536, 65536)"), nil)}),
			"npz: a.npy: shape (65536, 65536) has more than 2147483648 elements"},
		{"fortran bad", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "yes", "(1,)"), make([]byte, 8))}),
			"fortran_order is not True or False"},
		{"not dict", makeZip(t, rawEntry{name: "a.npy", data: npy(1, "hello", nil)}),
			"header is not a dict"},
		{"trailing", makeZip(t, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(1,)")+"x", make([]byte, 8))}),
			"trailing characters"},
		{"text shape", makeZip(t, rawEntry{name: "config.npy", data: npy(1, dict("<U1", "False", "(2,)"), make([]byte, 8))}),
			"npz: config.npy: text entry of dtype <U1 must be 0-d, has shape (2,)"},
		{"text code point", makeZip(t, rawEntry{name: "config.npy", data: npy(1, dict("<U1", "False", "()"), []byte{0, 0xd8, 0, 0})}),
			"npz: config.npy: text has invalid code point 0xd800 at index 0"},
		{"text bytes", makeZip(t, rawEntry{name: "config.npy", data: npy(1, dict("|S2", "False", "()"), []byte{0xff, 0})}),
			"byte-string text is not valid UTF-8"},
		{"huge text", makeZip(t, rawEntry{name: "config.npy", data: npy(1, dict("<U99999999", "False", "()"), nil)}),
			"text longer than 16777216 code points"},
	} {
		_, _, err := ReadBytes(c.zip)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want error containing %q", c.name, err, c.want)
		}
	}
}

// patchCentral sets the uncompressed size of the first central-directory
// record of b.
func patchCentral(t *testing.T, b []byte, usize uint32) []byte {
	i := bytes.Index(b, []byte("PK\x01\x02"))
	if i < 0 {
		t.Fatal("no central directory")
	}
	c := bytes.Clone(b)
	binary.LittleEndian.PutUint32(c[i+24:], usize)
	return c
}

func TestReadLyingSizes(t *testing.T) {
	data := npy(1, dict("<f8", "False", "(4,)"), f8(1, 2, 3, 4))
	stored := makeZip(t, rawEntry{name: "a.npy", data: data})
	_, _, err := ReadBytes(patchCentral(t, stored, 1<<31))
	if err == nil || !strings.Contains(err.Error(), "stored entry has") {
		t.Errorf("stored: got %v", err)
	}
	deflated := makeZip(t, rawEntry{name: "a.npy", data: data, deflate: true})
	_, _, err = ReadBytes(patchCentral(t, deflated, 0xfffffff0))
	if err == nil || !strings.Contains(err.Error(), "claims 4294967280 uncompressed bytes") {
		t.Errorf("deflate: got %v", err)
	}
	// A plausible but wrong size: caught by the shape check or the stream.
	_, _, err = ReadBytes(patchCentral(t, deflated, uint32(len(data)+8)))
	if err == nil || !strings.Contains(err.Error(), "data has 40 bytes, shape (4,) of <f8 needs 32") {
		t.Errorf("deflate +8: got %v", err)
	}
}

func TestReadDtypes(t *testing.T) {
	le := binary.LittleEndian
	be := binary.BigEndian
	var f4, i8, i4, i2, bf8 []byte
	for _, v := range []float64{-2, 0.5, 3} {
		f4 = le.AppendUint32(f4, math.Float32bits(float32(v)))
		bf8 = be.AppendUint64(bf8, math.Float64bits(v))
	}
	for _, v := range []int64{-2, 0, 1 << 40} {
		i8 = le.AppendUint64(i8, uint64(v))
	}
	for _, v := range []int32{-2, 0, 7} {
		i4 = le.AppendUint32(i4, uint32(v))
	}
	for _, v := range []int16{-2, 0, 7} {
		i2 = be.AppendUint16(i2, uint16(v))
	}
	// C order of the 2×3 array [[0 1 2] [3 4 5]] stored in Fortran order.
	fort := f8(0, 3, 1, 4, 2, 5)
	// 2×3×2 array with element (i,j,k) = 100i+10j+k, Fortran order.
	var fort3 []float64
	for k := range 2 {
		for j := range 3 {
			for i := range 2 {
				fort3 = append(fort3, float64(100*i+10*j+k))
			}
		}
	}
	var want3 []float64
	for i := range 2 {
		for j := range 3 {
			for k := range 2 {
				want3 = append(want3, float64(100*i+10*j+k))
			}
		}
	}
	u := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = le.AppendUint32(b, uint32(r))
		}
		return b
	}
	z := makeZip(t,
		rawEntry{name: "f4.npy", data: npy(1, dict("<f4", "False", "(3,)"), f4)},
		rawEntry{name: "i8.npy", data: npy(2, dict("<i8", "False", "(3,)"), i8)},
		rawEntry{name: "i4.npy", data: npy(3, dict("<i4", "False", "(3, 1)"), i4), deflate: true},
		rawEntry{name: "i2.npy", data: npy(1, dict(">i2", "False", "(3,)"), i2)},
		rawEntry{name: "bf8.npy", data: npy(1, dict(">f8", "False", "(3,)"), bf8)},
		rawEntry{name: "u1.npy", data: npy(1, dict("|u1", "False", "(3,)"), []byte{0, 7, 255})},
		rawEntry{name: "i1.npy", data: npy(1, dict("|i1", "False", "(3,)"), []byte{0, 7, 255})},
		rawEntry{name: "b1.npy", data: npy(1, dict("|b1", "False", "(3,)"), []byte{0, 1, 2})},
		rawEntry{name: "fort.npy", data: npy(1, dict("<f8", "True", "(2, 3)"), fort)},
		rawEntry{name: "fort3.npy", data: npy(1, dict("<f8", "True", "(2, 3, 2)"), f8(fort3...))},
		rawEntry{name: "fort1.npy", data: npy(1, dict("<f8", "True", "(2,)"), f8(1, 2))},
		rawEntry{name: "dq.npy", data: npy(1, `{"descr": "<f8", "shape": (1, 2,), "fortran_order": False}`, f8(1, 2))},
		rawEntry{name: "config.npy", data: npy(1, dict("<U12", "False", "()"), append(u("{\"a\": \"é😀\"}"), 0, 0, 0, 0))},
		rawEntry{name: "bytes.npy", data: npy(1, dict("|S4", "False", "()"), []byte("ab\x00\x00"))},
		rawEntry{name: "bigu.npy", data: npy(1, dict(">U2", "False", "()"), []byte{0, 0, 0, 'h', 0, 0, 0, 'i'})},
	)
	arrays, texts, err := ReadBytes(z)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Array{
		"f4":    {Shape: []int{3}, Data: []float64{-2, 0.5, 3}},
		"i8":    {Shape: []int{3}, Data: []float64{-2, 0, 1 << 40}},
		"i4":    {Shape: []int{3, 1}, Data: []float64{-2, 0, 7}},
		"i2":    {Shape: []int{3}, Data: []float64{-2, 0, 7}},
		"bf8":   {Shape: []int{3}, Data: []float64{-2, 0.5, 3}},
		"u1":    {Shape: []int{3}, Data: []float64{0, 7, 255}},
		"i1":    {Shape: []int{3}, Data: []float64{0, 7, -1}},
		"b1":    {Shape: []int{3}, Data: []float64{0, 1, 1}},
		"fort":  {Shape: []int{2, 3}, Data: []float64{0, 1, 2, 3, 4, 5}},
		"fort3": {Shape: []int{2, 3, 2}, Data: want3},
		"fort1": {Shape: []int{2}, Data: []float64{1, 2}},
		"dq":    {Shape: []int{1, 2}, Data: []float64{1, 2}},
	}
	checkSame(t, want, map[string]string{"config": `{"a": "é😀"}`, "bytes": "ab", "bigu": "hi"}, arrays, texts)
}
