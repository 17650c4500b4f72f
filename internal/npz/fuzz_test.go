// SPDX-License-Identifier: MIT

package npz

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzReadBytes checks that ReadBytes never panics on arbitrary input, that
// whatever it accepts is self-consistent, and that writing it back and
// reading again gives the same arrays and texts bit for bit. Each input is
// tried twice: as a whole archive, and as the payload of a single entry of a
// well-formed zip, so that mutations reach the .npy parser past the CRC.
func FuzzReadBytes(f *testing.F) {
	arrays, texts := fixtures()
	valid := encodeBytes(f, arrays, texts)
	small := encodeBytes(f, map[string]Array{"w": {Shape: []int{2, 2}, Data: []float64{1, -0.0, 3, 4}}}, map[string]string{"config": "{}"})
	seeds := [][]byte{
		valid,
		small,
		encodeBytes(f, nil, nil),
		makeZip(f,
			rawEntry{name: "f4.npy", data: npy(1, dict("<f4", "False", "(2,)"), make([]byte, 8))},
			rawEntry{name: "i8.npy", data: npy(2, dict("<i8", "True", "(2, 1)"), make([]byte, 16)), deflate: true},
			rawEntry{name: "b.npy", data: npy(3, dict("|b1", "True", "(2, 2)"), []byte{0, 1, 1, 0})},
			rawEntry{name: "s.npy", data: npy(1, dict("|S3", "False", "()"), []byte("ab\x00"))},
			rawEntry{name: "u.npy", data: npy(1, dict(">U1", "False", "()"), []byte{0, 0, 0, 'x'})},
		),
		makeZip(f, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(65536, 65536)"), nil)}),
		makeZip(f, rawEntry{name: "a.npy", data: npy(1, dict("<f8", "False", "(3,)"), f8(1, 2, 3)), deflate: true}),
		valid[:len(valid)/2],
		valid[len(valid)/3:],
		[]byte("PK\x05\x06" + string(make([]byte, 18))),
		npy(1, dict("<f8", "False", "(2, 3)"), make([]byte, 48)),
		npy(1, dict("<f4", "True", "(2, 2)"), make([]byte, 16)),
		npy(2, dict("<U2", "False", "()"), []byte{'h', 0, 0, 0, 0xff, 0xff, 0, 0}),
		npy(3, dict(">i2", "False", "(0, 4)"), nil),
		encodeHeader("<f8", []int{}),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// Single-byte mutations of a small valid file.
	for _, i := range []int{0, 10, 30, 40, 60, 70, 100, 120, len(small) - 40, len(small) - 22, len(small) - 10} {
		if i >= 0 && i < len(small) {
			c := bytes.Clone(small)
			c[i] ^= 0xff
			f.Add(c)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFuzz(t, b)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "x.npy", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		checkFuzz(t, buf.Bytes())
	})
}

// checkFuzz reads b and checks what it accepts.
func checkFuzz(t *testing.T, b []byte) {
	t.Helper()
	arrays, texts, err := ReadBytes(b)
	if err != nil {
		if arrays != nil || texts != nil {
			t.Fatal("maps returned with an error")
		}
		return
	}
	for name, a := range arrays {
		n, err := count(a.Shape)
		if err != nil || n != len(a.Data) {
			t.Fatalf("%s: shape %v with %d elements", name, a.Shape, len(a.Data))
		}
	}
	names, err := entryNames(arrays, texts)
	if err != nil {
		t.Fatalf("accepted input cannot be written back: %v", err)
	}
	var buf bytes.Buffer
	if err := encode(&buf, names, arrays, texts); err != nil {
		t.Fatal(err)
	}
	a2, t2, err := ReadBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("re-encoded file does not read: %v", err)
	}
	checkSame(t, arrays, texts, a2, t2)
}
