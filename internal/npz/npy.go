// SPDX-License-Identifier: MIT

package npz

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Limits enforced before any allocation.
const (
	maxHeaderLen = 1 << 16 // bytes in a .npy header dictionary
	maxDims      = 64      // numpy's NPY_MAXDIMS
	maxElements  = 1 << 31 // elements in one array
	maxTextChars = 1 << 24 // code points (or bytes, for |S) in one text
)

// magic is the first six bytes of every .npy file.
const magic = "\x93NUMPY"

// dtype is a parsed numpy descr.
type dtype struct {
	descr string // as written in the header
	kind  byte   // 'f', 'i', 'u', 'b', 'U' or 'S'
	size  int    // item size in bytes
	big   bool   // big-endian
}

// isText reports whether entries of this dtype are text entries.
func (d dtype) isText() bool { return d.kind == 'U' || d.kind == 'S' }

// parseDescr parses a numpy descr string such as "<f8" or "<U12".
func parseDescr(s string) (dtype, error) {
	d := dtype{descr: s}
	if strings.HasPrefix(strings.TrimLeft(s, "<>|="), "O") {
		return d, fmt.Errorf("unsupported dtype %q: object arrays need pickle, which is never loaded", s)
	}
	if len(s) < 3 {
		return d, fmt.Errorf("unsupported dtype %q", s)
	}
	order, kind, num := s[0], s[1], s[2:]
	if order != '<' && order != '>' && order != '|' {
		return d, fmt.Errorf("unsupported dtype %q: byte order %q", s, order)
	}
	if len(num) > 10 || (len(num) > 1 && num[0] == '0') {
		return d, fmt.Errorf("unsupported dtype %q", s)
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return d, fmt.Errorf("unsupported dtype %q", s)
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return d, fmt.Errorf("unsupported dtype %q", s)
	}
	d.kind = kind
	d.big = order == '>'
	switch kind {
	case 'f':
		if n != 4 && n != 8 {
			return d, fmt.Errorf("unsupported dtype %q: only f4 and f8 floats", s)
		}
		d.size = n
	case 'i', 'u':
		if n != 1 && n != 2 && n != 4 && n != 8 {
			return d, fmt.Errorf("unsupported dtype %q", s)
		}
		d.size = n
	case 'b':
		if n != 1 {
			return d, fmt.Errorf("unsupported dtype %q", s)
		}
		d.size = 1
	case 'U':
		if n > maxTextChars {
			return d, fmt.Errorf("dtype %q: text longer than %d code points", s, maxTextChars)
		}
		d.size = 4 * n
	case 'S':
		if n > maxTextChars {
			return d, fmt.Errorf("dtype %q: text longer than %d bytes", s, maxTextChars)
		}
		d.size = n
	case 'O':
		return d, fmt.Errorf("unsupported dtype %q: object arrays need pickle", s)
	default:
		return d, fmt.Errorf("unsupported dtype %q", s)
	}
	if order == '|' && d.size > 1 && kind != 'S' {
		return d, fmt.Errorf("unsupported dtype %q: byte order '|' on a multi-byte type", s)
	}
	return d, nil
}

// header is a parsed .npy header dictionary.
type header struct {
	descr   string
	fortran bool
	shape   []int
}

// parseHeader parses the Python dict literal of a .npy header, for example
//
//	{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
//
// It accepts exactly the keys descr, fortran_order and shape, each once, and
// numpy's literal syntax for their values; whitespace (including the trailing
// padding and newline) may surround tokens.
func parseHeader(s string) (header, error) {
	p := &hparser{s: s}
	var h header
	seen := map[string]bool{}
	p.ws()
	if !p.eat('{') {
		return h, errors.New("header is not a dict")
	}
	for {
		p.ws()
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, fmt.Errorf("header key: %v", err)
		}
		if seen[key] {
			return h, fmt.Errorf("header has key %q twice", key)
		}
		seen[key] = true
		p.ws()
		if !p.eat(':') {
			return h, fmt.Errorf("header: missing ':' after %q", key)
		}
		p.ws()
		switch key {
		case "descr":
			if p.peek() == '[' {
				return h, errors.New("unsupported dtype: structured arrays")
			}
			h.descr, err = p.str()
			if err != nil {
				return h, fmt.Errorf("header descr: %v", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.fortran = true
			case p.word("False"):
				h.fortran = false
			default:
				return h, errors.New("header fortran_order is not True or False")
			}
		case "shape":
			h.shape, err = p.tuple()
			if err != nil {
				return h, fmt.Errorf("header shape: %v", err)
			}
		default:
			return h, fmt.Errorf("header has unexpected key %q", key)
		}
		p.ws()
		if p.eat(',') {
			continue
		}
		p.ws()
		if !p.eat('}') {
			return h, errors.New("header: expected ',' or '}'")
		}
		break
	}
	p.ws()
	if p.i != len(p.s) {
		return h, errors.New("header: trailing characters after dict")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("header has no key %q", k)
		}
	}
	return h, nil
}

// hparser is a cursor over a header string.
type hparser struct {
	s string
	i int
}

func (p *hparser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *hparser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *hparser) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *hparser) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str parses a single- or double-quoted string literal without escapes.
func (p *hparser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", errors.New("expected a string")
	}
	j := strings.IndexByte(p.s[p.i+1:], q)
	if j < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+j]
	if strings.ContainsAny(v, "\\\n\r") {
		return "", errors.New("unsupported escape in string")
	}
	p.i += j + 2
	return v, nil
}

// tuple parses a Python tuple of non-negative ints: (), (3,), (2, 3) or
// (2, 3,). A parenthesised single int without comma is not a tuple.
func (p *hparser) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("not a tuple")
	}
	shape := []int{}
	for {
		p.ws()
		if p.eat(')') {
			// "()" or a tuple ending in a comma such as "(3,)".
			return shape, nil
		}
		if len(shape) == maxDims {
			return nil, fmt.Errorf("more than %d dimensions", maxDims)
		}
		n, err := p.int()
		if err != nil {
			return nil, err
		}
		shape = append(shape, n)
		p.ws()
		if p.eat(',') {
			continue
		}
		if !p.eat(')') {
			return nil, errors.New("expected ',' or ')'")
		}
		if len(shape) == 1 {
			return nil, errors.New("(n) is an int, not a tuple; want (n,)")
		}
		return shape, nil
	}
}

// int parses a non-negative decimal int no larger than maxElements.
func (p *hparser) int() (int, error) {
	j := p.i
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	digits := p.s[p.i:j]
	if digits == "" {
		if p.peek() == '-' {
			return 0, errors.New("negative dimension")
		}
		return 0, errors.New("expected a dimension")
	}
	if len(digits) > 1 && digits[0] == '0' {
		return 0, fmt.Errorf("invalid dimension %s", digits)
	}
	if len(digits) > 12 {
		return 0, fmt.Errorf("dimension %s too large", digits)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n > maxElements {
		return 0, fmt.Errorf("dimension %s too large", digits)
	}
	if j < len(p.s) && (p.s[j] == 'L' || p.s[j] == 'l') {
		j++ // Python 2 long suffix, written by very old numpy
	}
	p.i = j
	return n, nil
}

// count returns the number of elements of shape, or an error if it exceeds
// maxElements. Each dimension must already be in [0, maxElements].
func count(shape []int) (int, error) {
	n := 1
	zero := false
	for _, d := range shape {
		if d == 0 {
			zero = true
			continue
		}
		if n > maxElements/d {
			return 0, fmt.Errorf("shape %s has more than %d elements", shapeString(shape), maxElements)
		}
		n *= d
	}
	if zero {
		return 0, nil
	}
	return n, nil
}

// shapeString formats shape as Python does a tuple.
func shapeString(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// encodeHeader returns the full .npy preamble (magic, version 1.0, header
// length and the padded header dictionary) exactly as numpy.save writes it.
func encodeHeader(descr string, shape []int) []byte {
	const align = 64
	const growthAxisMaxDigits = 21
	dict := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }"
	if len(shape) > 0 {
		dict += strings.Repeat(" ", growthAxisMaxDigits-len(strconv.Itoa(shape[0])))
	}
	hlen := len(dict) + 1
	pad := align - (len(magic)+2+2+hlen)%align
	if len(magic)+2+2+hlen+pad > math.MaxUint16 {
		// Cannot happen with maxDims dimensions; numpy would switch to 2.0.
		panic("npz: header too long")
	}
	out := make([]byte, 0, len(magic)+4+hlen+pad)
	out = append(out, magic...)
	out = append(out, 1, 0)
	out = binary.LittleEndian.AppendUint16(out, uint16(hlen+pad))
	out = append(out, dict...)
	for range pad {
		out = append(out, ' ')
	}
	return append(out, '\n')
}

// decode appends the elements in raw, a whole number of items of d, to dst
// as float64.
func (d dtype) decode(dst []float64, raw []byte) []float64 {
	var bo binary.ByteOrder = binary.LittleEndian
	if d.big {
		bo = binary.BigEndian
	}
	switch d.kind {
	case 'f':
		if d.size == 8 {
			for i := 0; i+8 <= len(raw); i += 8 {
				dst = append(dst, math.Float64frombits(bo.Uint64(raw[i:])))
			}
		} else {
			for i := 0; i+4 <= len(raw); i += 4 {
				dst = append(dst, float64(math.Float32frombits(bo.Uint32(raw[i:]))))
			}
		}
	case 'i':
		switch d.size {
		case 1:
			for _, b := range raw {
				dst = append(dst, float64(int8(b)))
			}
		case 2:
			for i := 0; i+2 <= len(raw); i += 2 {
				dst = append(dst, float64(int16(bo.Uint16(raw[i:]))))
			}
		case 4:
			for i := 0; i+4 <= len(raw); i += 4 {
				dst = append(dst, float64(int32(bo.Uint32(raw[i:]))))
			}
		case 8:
			for i := 0; i+8 <= len(raw); i += 8 {
				dst = append(dst, float64(int64(bo.Uint64(raw[i:]))))
			}
		}
	case 'u':
		switch d.size {
		case 1:
			for _, b := range raw {
				dst = append(dst, float64(b))
			}
		case 2:
			for i := 0; i+2 <= len(raw); i += 2 {
				dst = append(dst, float64(bo.Uint16(raw[i:])))
			}
		case 4:
			for i := 0; i+4 <= len(raw); i += 4 {
				dst = append(dst, float64(bo.Uint32(raw[i:])))
			}
		case 8:
			for i := 0; i+8 <= len(raw); i += 8 {
				dst = append(dst, float64(bo.Uint64(raw[i:])))
			}
		}
	case 'b':
		for _, b := range raw {
			if b != 0 {
				dst = append(dst, 1)
			} else {
				dst = append(dst, 0)
			}
		}
	}
	return dst
}

// fromFortran returns the Fortran-ordered (column-major) elements of an
// array of the given shape reordered into C (row-major) order.
func fromFortran(shape []int, data []float64) []float64 {
	if len(shape) < 2 || len(data) == 0 {
		return data
	}
	out := make([]float64, len(data))
	// C strides.
	stride := make([]int, len(shape))
	s := 1
	for k := len(shape) - 1; k >= 0; k-- {
		stride[k] = s
		s *= shape[k]
	}
	idx := make([]int, len(shape))
	c := 0
	for _, v := range data {
		out[c] = v
		// Advance the multi-index in Fortran order (first axis fastest).
		for k := 0; k < len(shape); k++ {
			idx[k]++
			c += stride[k]
			if idx[k] < shape[k] {
				break
			}
			c -= idx[k] * stride[k]
			idx[k] = 0
		}
	}
	return out
}
