// SPDX-License-Identifier: MIT

package npz

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Array is an n-dimensional array of float64 in C (row-major) order.
// len(Data) is the product of Shape; a 0-d array has an empty Shape and one
// element.
type Array struct {
	Shape []int
	Data  []float64
}

// maxNameLen is the longest entry name, without the ".npy" suffix.
const maxNameLen = 200

// validName reports whether name may be used as an entry name.
func validName(name string) bool {
	if name == "" || len(name) > maxNameLen || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// dosDate is the MS-DOS date 1980-01-01, the timestamp of every entry.
const dosDate = 1<<5 | 1

// Write atomically writes arrays and texts to an .npz file at path. Entry
// names are the map keys with ".npy" appended; arrays are stored as '<f8'
// and texts as 0-d '<U' arrays (see the package documentation). The output
// depends only on the arguments. Everything is validated before the file is
// touched; on any error the file at path, if any, is left as it was.
func Write(path string, arrays map[string]Array, texts map[string]string) error {
	return write(path, arrays, texts, nil)
}

// write is Write with an optional wrapper around the temporary file's
// writer, used by tests to simulate a failure mid-way.
func write(path string, arrays map[string]Array, texts map[string]string, wrap func(io.Writer) io.Writer) (err error) {
	names, err := entryNames(arrays, texts)
	if err != nil {
		return err
	}

	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, tmp, err := createTemp(dir, base)
	if err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	var w io.Writer = f
	if wrap != nil {
		w = wrap(w)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := encode(bw, names, arrays, texts); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		// Keep the permissions of the file being replaced.
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			return fmt.Errorf("npz: %w", err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	// Make the rename durable. Not every platform can sync a directory;
	// the file itself is already complete, so failure here is ignored.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// entryNames validates arrays and texts for writing and returns their
// names in sorted order.
func entryNames(arrays map[string]Array, texts map[string]string) ([]string, error) {
	names := make([]string, 0, len(arrays)+len(texts))
	for name, a := range arrays {
		if !validName(name) {
			return nil, fmt.Errorf("npz: invalid entry name %q", name)
		}
		if err := checkArray(a); err != nil {
			return nil, fmt.Errorf("npz: %s: %v", name, err)
		}
		names = append(names, name)
	}
	for name, t := range texts {
		if !validName(name) {
			return nil, fmt.Errorf("npz: invalid entry name %q", name)
		}
		if _, ok := arrays[name]; ok {
			return nil, fmt.Errorf("npz: %s: name used by both an array and a text", name)
		}
		if err := checkText(t); err != nil {
			return nil, fmt.Errorf("npz: %s: %v", name, err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// encode writes the zip archive of the named, already validated entries
// to w.
func encode(w io.Writer, names []string, arrays map[string]Array, texts map[string]string) error {
	zw := zip.NewWriter(w)
	for _, name := range names {
		fh := &zip.FileHeader{Name: name + ".npy", Method: zip.Store, ModifiedDate: dosDate}
		fh.SetMode(0o644)
		ew, err := zw.CreateHeader(fh)
		if err != nil {
			return fmt.Errorf("npz: %s.npy: %w", name, err)
		}
		if a, ok := arrays[name]; ok {
			err = writeArray(ew, a)
		} else {
			err = writeText(ew, texts[name])
		}
		if err != nil {
			return fmt.Errorf("npz: %s.npy: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	return nil
}

// createTemp creates a new file in dir named after base. Unlike
// os.CreateTemp it asks for mode 0666 so the umask applies as it would to
// a file created directly.
func createTemp(dir, base string) (*os.File, string, error) {
	for range 10000 {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("cannot create a temporary file in %s", dir)
}

// checkArray validates a for writing.
func checkArray(a Array) error {
	if len(a.Shape) > maxDims {
		return fmt.Errorf("%d dimensions, at most %d allowed", len(a.Shape), maxDims)
	}
	for _, d := range a.Shape {
		if d < 0 || d > maxElements {
			return fmt.Errorf("invalid shape %s", shapeString(a.Shape))
		}
	}
	n, err := count(a.Shape)
	if err != nil {
		return err
	}
	if len(a.Data) != n {
		return fmt.Errorf("shape %s needs %d elements, Data has %d", shapeString(a.Shape), n, len(a.Data))
	}
	return nil
}

// checkText validates t for writing.
func checkText(t string) error {
	if !utf8.ValidString(t) {
		return errors.New("text is not valid UTF-8")
	}
	if strings.HasSuffix(t, "\x00") {
		return errors.New("text ends in NUL, which numpy would drop")
	}
	if n := utf8.RuneCountInString(t); n > maxTextChars {
		return fmt.Errorf("text has %d code points, at most %d allowed", n, maxTextChars)
	}
	return nil
}

// writeArray writes a as a '<f8' .npy file.
func writeArray(w io.Writer, a Array) error {
	shape := a.Shape
	if shape == nil {
		shape = []int{}
	}
	if _, err := w.Write(encodeHeader("<f8", shape)); err != nil {
		return err
	}
	buf := make([]byte, 0, 8*min(len(a.Data), 8192))
	for i, v := range a.Data {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		if len(buf) == cap(buf) || i == len(a.Data)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// writeText writes t as a 0-d '<U' .npy file.
func writeText(w io.Writer, t string) error {
	n := utf8.RuneCountInString(t)
	data := make([]byte, 0, 4*max(n, 1))
	for _, r := range t {
		data = binary.LittleEndian.AppendUint32(data, uint32(r))
	}
	if n == 0 {
		// numpy stores "" as '<U1' holding one NUL.
		n = 1
		data = append(data, 0, 0, 0, 0)
	}
	if _, err := w.Write(encodeHeader("<U"+strconv.Itoa(n), []int{})); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

// Read reads the .npz file at path, validating it completely. It returns
// the arrays and the texts by entry name (without ".npy"); on error both
// maps are nil and the error names the entry and the problem.
func Read(path string) (arrays map[string]Array, texts map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("npz: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("npz: %w", err)
	}
	if st.IsDir() {
		return nil, nil, fmt.Errorf("npz: %w", &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory")})
	}
	return read(f, st.Size(), Options{})
}

// Options bound and filter what [ReadWith] reads. The zero value gives
// [Read]'s behaviour.
type Options struct {
	// MaxBytes bounds the memory the decoded archive takes: the sum over the
	// entries read of 8 bytes per array element and the raw bytes of each
	// text. An entry that would pass it is refused before its data is read.
	// Zero means DefaultMaxBytes.
	MaxBytes uint64
	// MaxRatio bounds uncompressed/compressed bytes of a deflated entry of
	// more than 1 MiB. Zero means 1032, deflate's own limit.
	MaxRatio uint64
	// Check, if not nil, is called with each entry's name (without ".npy"),
	// shape and kind after its header is parsed and before its data is read
	// or counted against MaxBytes. It returns skip to leave the entry out of
	// the result unread, or an error to refuse the archive.
	Check func(name string, shape []int, text bool) (skip bool, err error)
}

// DefaultMaxBytes is the decoded size Read accepts at most: 4 GiB.
const DefaultMaxBytes = 1 << 32

// ReadWith is like Read with the bounds and the filter of opt. Errors from
// opt.Check are returned wrapped with the entry name.
func ReadWith(path string, opt Options) (arrays map[string]Array, texts map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("npz: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("npz: %w", err)
	}
	if st.IsDir() {
		return nil, nil, fmt.Errorf("npz: %w", &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory")})
	}
	return read(f, st.Size(), opt)
}

// ReadBytes is like Read for an .npz file held in memory. The returned
// arrays do not share memory with b.
func ReadBytes(b []byte) (arrays map[string]Array, texts map[string]string, err error) {
	return read(bytes.NewReader(b), int64(len(b)), Options{})
}

// read reads an .npz archive of the given size from r.
func read(r io.ReaderAt, size int64, opt Options) (map[string]Array, map[string]string, error) {
	if opt.MaxBytes == 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.MaxRatio == 0 {
		opt.MaxRatio = maxDeflateRatio
	}
	var total uint64 // decoded bytes so far
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("npz: not a valid zip archive: %v", err)
	}
	arrays := map[string]Array{}
	texts := map[string]string{}
	seen := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, nil, fmt.Errorf("npz: %q: not a .npy entry", f.Name)
		}
		if !validName(name) {
			return nil, nil, fmt.Errorf("npz: %q: invalid entry name", f.Name)
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("npz: %s: duplicate entry", f.Name)
		}
		seen[name] = true
		a, t, isText, skip, err := readEntry(f, size, name, &opt, &total)
		if err != nil {
			return nil, nil, fmt.Errorf("npz: %s: %v", f.Name, err)
		}
		if skip {
			continue
		}
		if isText {
			texts[name] = t
		} else {
			arrays[name] = a
		}
	}
	return arrays, texts, nil
}

// maxDeflateRatio bounds the expansion of deflate: 258 bytes per 2 bits is
// 1032:1.
const maxDeflateRatio = 1032

// readEntry reads one .npy entry of an archive of the given size.
func readEntry(f *zip.File, size int64, name string, opt *Options, total *uint64) (a Array, text string, isText, skip bool, err error) {
	usize := f.UncompressedSize64
	switch f.Method {
	case zip.Store:
		if usize != f.CompressedSize64 {
			return a, "", false, false, fmt.Errorf("stored entry has %d compressed and %d uncompressed bytes", f.CompressedSize64, usize)
		}
	case zip.Deflate:
		if usize/maxDeflateRatio > f.CompressedSize64 {
			return a, "", false, false, fmt.Errorf("claims %d uncompressed bytes from %d compressed bytes", usize, f.CompressedSize64)
		}
		if usize > 1<<20 && usize/opt.MaxRatio > f.CompressedSize64 {
			return a, "", false, false, fmt.Errorf("compression ratio of %d uncompressed to %d compressed bytes exceeds %d:1", usize, f.CompressedSize64, opt.MaxRatio)
		}
	default:
		return a, "", false, false, fmt.Errorf("unsupported compression method %d", f.Method)
	}
	if f.CompressedSize64 > uint64(size) {
		return a, "", false, false, fmt.Errorf("compressed size %d exceeds the file size %d", f.CompressedSize64, size)
	}
	rc, err := f.Open()
	if err != nil {
		return a, "", false, false, err
	}
	defer rc.Close()

	// Preamble: magic, version, header length.
	var pre [12]byte
	if usize < 10 {
		return a, "", false, false, fmt.Errorf("entry has %d bytes, too short for a .npy header", usize)
	}
	if _, err := io.ReadFull(rc, pre[:10]); err != nil {
		return a, "", false, false, readErr(err)
	}
	if string(pre[:6]) != magic {
		return a, "", false, false, errors.New("not a .npy file (bad magic)")
	}
	major, minor := pre[6], pre[7]
	var hlen, prelen uint64
	switch {
	case major == 1 && minor == 0:
		hlen, prelen = uint64(binary.LittleEndian.Uint16(pre[8:])), 10
	case (major == 2 || major == 3) && minor == 0:
		if usize < 12 {
			return a, "", false, false, fmt.Errorf("entry has %d bytes, too short for a .npy header", usize)
		}
		if _, err := io.ReadFull(rc, pre[10:12]); err != nil {
			return a, "", false, false, readErr(err)
		}
		hlen, prelen = uint64(binary.LittleEndian.Uint32(pre[8:])), 12
	default:
		return a, "", false, false, fmt.Errorf("unsupported .npy format version %d.%d", major, minor)
	}
	if hlen > maxHeaderLen {
		return a, "", false, false, fmt.Errorf("header length %d exceeds the limit of %d", hlen, maxHeaderLen)
	}
	if prelen+hlen > usize {
		return a, "", false, false, fmt.Errorf("header length %d exceeds the entry size %d", hlen, usize)
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(rc, hb); err != nil {
		return a, "", false, false, readErr(err)
	}
	if major == 3 && !utf8.Valid(hb) {
		return a, "", false, false, errors.New("header is not valid UTF-8")
	}
	h, err := parseHeader(string(hb))
	if err != nil {
		return a, "", false, false, err
	}
	dt, err := parseDescr(h.descr)
	if err != nil {
		return a, "", false, false, err
	}
	n, err := count(h.shape)
	if err != nil {
		return a, "", false, false, err
	}
	if dt.isText() && len(h.shape) != 0 {
		return a, "", false, false, fmt.Errorf("text entry of dtype %s must be 0-d, has shape %s", dt.descr, shapeString(h.shape))
	}
	need := uint64(n) * uint64(dt.size)
	if have := usize - prelen - hlen; have != need {
		return a, "", false, false, fmt.Errorf("data has %d bytes, shape %s of %s needs %d", have, shapeString(h.shape), dt.descr, need)
	}

	if opt.Check != nil {
		skip, err := opt.Check(name, h.shape, dt.isText())
		if err != nil || skip {
			return a, "", false, skip, err
		}
	}
	decoded := uint64(n) * 8
	if dt.isText() {
		decoded = need
	}
	if *total+decoded > opt.MaxBytes {
		return a, "", false, false, fmt.Errorf("shape %s of %s decodes to %d bytes, over the read limit of %d bytes (%d already read)", shapeString(h.shape), dt.descr, decoded, opt.MaxBytes, *total)
	}
	*total += decoded
	if dt.isText() {
		raw := make([]byte, need)
		if _, err := io.ReadFull(rc, raw); err != nil {
			return a, "", false, false, readErr(err)
		}
		if err := checkEOF(rc); err != nil {
			return a, "", false, false, err
		}
		text, err = decodeText(dt, raw)
		return a, text, true, false, err
	}

	// The declared size is backed by compressed bytes within the file, so
	// stored data can be allocated at once; deflated data grows as it is
	// actually decompressed.
	prealloc := n
	if f.Method != zip.Store {
		prealloc = min(n, 1<<16)
	}
	data := make([]float64, 0, prealloc)
	buf := make([]byte, min(need, 1<<16))
	for rem := need; rem > 0; {
		k := min(rem, uint64(len(buf)))
		if _, err := io.ReadFull(rc, buf[:k]); err != nil {
			return a, "", false, false, readErr(err)
		}
		data = dt.decode(data, buf[:k])
		rem -= k
	}
	if err := checkEOF(rc); err != nil {
		return a, "", false, false, err
	}
	if h.fortran {
		data = fromFortran(h.shape, data)
	}
	return Array{Shape: h.shape, Data: data}, "", false, false, nil
}

// readErr describes an error from reading entry data.
func readErr(err error) error {
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return errors.New("CRC-32 mismatch, entry is corrupt")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("entry is truncated")
	}
	return err
}

// checkEOF reads to the end of an entry, which makes archive/zip verify
// its size and CRC.
func checkEOF(r io.Reader) error {
	var b [1]byte
	n, err := io.ReadFull(r, b[:])
	if n > 0 {
		return errors.New("entry has more data than declared")
	}
	if err != io.EOF {
		return readErr(err)
	}
	return nil
}

// decodeText decodes the data of a 0-d '<U' or '|S' array, dropping
// trailing NULs as numpy does.
func decodeText(dt dtype, raw []byte) (string, error) {
	if dt.kind == 'S' {
		raw = bytes.TrimRight(raw, "\x00")
		if !utf8.Valid(raw) {
			return "", errors.New("byte-string text is not valid UTF-8")
		}
		return string(raw), nil
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if dt.big {
		bo = binary.BigEndian
	}
	end := len(raw)
	for end >= 4 && bo.Uint32(raw[end-4:]) == 0 {
		end -= 4
	}
	var b strings.Builder
	b.Grow(end / 4)
	for i := 0; i < end; i += 4 {
		c := bo.Uint32(raw[i:])
		if c > utf8.MaxRune || (0xd800 <= c && c <= 0xdfff) {
			return "", fmt.Errorf("text has invalid code point %#x at index %d", c, i/4)
		}
		b.WriteRune(rune(c))
	}
	return b.String(), nil
}
