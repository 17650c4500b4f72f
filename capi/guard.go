// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/bits"
	"runtime/debug"
	"strings"
	"unsafe"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/internal/errs"
	"github.com/nn4n/nn4n/loss"
)

// Status codes, as in nn4n.h (never renumbered).
const (
	stOK             = C.NN4N_OK
	stInvalid        = C.NN4N_ERR_INVALID_ARGUMENT
	stNull           = C.NN4N_ERR_NULL_POINTER
	stShape          = C.NN4N_ERR_SHAPE
	stHandle         = C.NN4N_ERR_INVALID_HANDLE
	stUnknownKey     = C.NN4N_ERR_UNKNOWN_KEY
	stNotFinite      = C.NN4N_ERR_NOT_FINITE
	stIO             = C.NN4N_ERR_IO
	stFormat         = C.NN4N_ERR_FORMAT
	stCancelled      = C.NN4N_ERR_CANCELLED
	stInternal       = C.NN4N_ERR_INTERNAL
	stBufferTooSmall = C.NN4N_ERR_BUFFER_TOO_SMALL
	stState          = C.NN4N_ERR_STATE
	stNumeric        = C.NN4N_ERR_NUMERIC
	stRange          = C.NN4N_ERR_RANGE
)

// Limits of nn4n.h.
const (
	maxDim   = C.NN4N_MAX_DIM
	maxBatch = C.NN4N_MAX_BATCH
	maxSteps = C.NN4N_MAX_STEPS
	// maxElems bounds every array the ABI reads or writes (8 TiB of doubles).
	maxElems = 1 << 40
)

// apiError is an error with its status code.
type apiError struct {
	code C.int32_t
	msg  string
}

func (e *apiError) Error() string { return e.msg }

// fail returns an error with a status code and a formatted message.
func fail(code C.int32_t, format string, args ...any) error {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// errorKinds maps each kind of error of the Go packages to its status, in
// the order classify tries them.
var errorKinds = []struct {
	kind   error
	status C.int32_t
}{
	{errs.NotFinite, stNotFinite},
	{errs.Shape, stShape},
	{errs.UnknownKey, stUnknownKey},
	{errs.Range, stRange},
	{errs.ReadOnly, stInvalid},
	{errs.State, stState},
	{errs.Numeric, stNumeric},
	{errs.Invalid, stInvalid},
	{loss.ErrEmptyMask, stNumeric},
	{ctrnn.ErrMemory, stMemory},
}

// classify maps an error from the Go packages to a status code: an
// apiError carries its own, a kind of package errs (or a sentinel of
// errorKinds) maps through the table, an fs.PathError is NN4N_ERR_IO and
// any other error NN4N_ERR_INVALID_ARGUMENT.
func classify(err error) C.int32_t {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.code
	}
	for _, k := range errorKinds {
		if errors.Is(err, k.kind) {
			return k.status
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return stIO
	}
	return stInvalid
}

// scope is one export call: its name and the handles it holds. Every
// export runs its body through scope.run, the one guard of the library.
type scope struct {
	fn   string
	held [6]*entry
	n    int
}

// run calls body and turns its outcome into a status: nil is NN4N_OK and
// clears the thread's last error; an error sets it; a panic is recovered
// into NN4N_ERR_INTERNAL with its message and stack, and poisons the
// handles the call held. Held handles are always released.
func (s *scope) run(fn string, body func() error) (status C.int32_t) {
	s.fn = fn
	defer func() {
		if r := recover(); r != nil {
			for _, e := range s.held[:s.n] {
				e.poisoned.Store(true)
			}
			status = setError(fn, stInternal, fmt.Sprintf("internal error (recovered panic): %v\n%s", r, debug.Stack()))
		}
		s.release()
	}()
	if err := body(); err != nil {
		return setError(fn, classify(err), err.Error())
	}
	C.nn4n_capi_clear_error()
	return stOK
}

func (s *scope) release() {
	for i := s.n - 1; i >= 0; i-- {
		s.held[i].mu.Unlock()
		s.held[i] = nil
	}
	s.n = 0
}

// setError stores "fn: msg" as the calling thread's last error.
func setError(fn string, code C.int32_t, msg string) C.int32_t {
	full := fn + ": " + msg
	C.nn4n_capi_set_error((*C.char)(unsafe.Pointer(unsafe.StringData(full))), C.size_t(len(full)))
	return code
}

// goString reads a required C string argument.
func goString(p *C.nn4n_cchar, what string) (string, error) {
	if p == nil {
		return "", fail(stNull, "%s is NULL", what)
	}
	return C.GoString((*C.char)(unsafe.Pointer(p))), nil
}

// dim checks a dimension argument: lo ≤ v ≤ hi.
func dim(v C.int64_t, what string, lo, hi int64) (int, error) {
	if int64(v) < lo || int64(v) > hi {
		if v < 0 {
			return 0, fail(stInvalid, "%s = %d is negative", what, int64(v))
		}
		return 0, fail(stInvalid, "%s = %d, want %d ≤ %s ≤ %d", what, int64(v), lo, what, hi)
	}
	return int(v), nil
}

// size multiplies dimensions with an overflow check against maxElems.
func size(what string, ds ...int) (int, error) {
	n := uint64(1)
	for _, d := range ds {
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > maxElems {
			return 0, fail(stInvalid, "%s would have more than 2^40 elements", what)
		}
		n = lo
	}
	return int(n), nil
}

// checkLen checks a length argument against the required length.
func checkLen(n C.int64_t, want int, what string) error {
	if n < 0 {
		return fail(stInvalid, "%s_len = %d is negative", what, int64(n))
	}
	if int64(n) != int64(want) {
		return fail(stShape, "%s_len = %d, want %d", what, int64(n), want)
	}
	return nil
}

// inArray returns the required input array p of n elements, which must be
// want, after checking the pointer and, when finite is set, every value.
// A length of 0 gives nil (p may then be NULL).
func inArray(p *C.nn4n_cdouble, n C.int64_t, want int, what string, finite bool) ([]float64, error) {
	if err := checkLen(n, want, what); err != nil {
		return nil, err
	}
	if want == 0 {
		return nil, nil
	}
	if p == nil {
		return nil, fail(stNull, "%s is NULL", what)
	}
	v := unsafe.Slice((*float64)(unsafe.Pointer(p)), want)
	if finite {
		if err := allFinite(v, what); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// optInArray is inArray for a nullable input: NULL with length 0 gives nil;
// otherwise the length must be one of wants.
func optInArray(p *C.nn4n_cdouble, n C.int64_t, what string, wants ...int) ([]float64, error) {
	if n < 0 {
		return nil, fail(stInvalid, "%s_len = %d is negative", what, int64(n))
	}
	if p == nil {
		if n != 0 {
			return nil, fail(stNull, "%s is NULL but %s_len = %d", what, what, int64(n))
		}
		return nil, nil
	}
	for _, w := range wants {
		if int64(n) == int64(w) {
			if w == 0 {
				return nil, nil
			}
			v := unsafe.Slice((*float64)(unsafe.Pointer(p)), w)
			return v, allFinite(v, what)
		}
	}
	return nil, fail(stShape, "%s_len = %d, want %s", what, int64(n), joinInts(wants))
}

// outArray returns the output buffer p of n elements; required buffers must
// be non-NULL with n = want; optional ones may be NULL with n = 0 (nil).
func outArray(p *C.double, n C.int64_t, want int, what string, required bool) ([]float64, error) {
	if n < 0 {
		return nil, fail(stInvalid, "%s_len = %d is negative", what, int64(n))
	}
	if p == nil {
		if required && want > 0 {
			return nil, fail(stNull, "%s is NULL", what)
		}
		if n != 0 {
			return nil, fail(stNull, "%s is NULL but %s_len = %d", what, what, int64(n))
		}
		return nil, nil
	}
	if int64(n) != int64(want) {
		return nil, fail(stShape, "%s_len = %d, want %d", what, int64(n), want)
	}
	if want == 0 {
		return []float64{}, nil
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), want), nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " or ")
}

func allFinite(v []float64, what string) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fail(stNotFinite, "%s[%d] = %v is not finite", what, i, x)
		}
	}
	return nil
}

func finite(v float64, what string) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fail(stNotFinite, "%s = %v is not finite", what, v)
	}
	return nil
}

// putString writes s with the string-output protocol of nn4n.h.
func putString(s string, buf *C.char, n C.int64_t, needed *C.int64_t) error {
	if n < 0 {
		return fail(stInvalid, "len = %d is negative", int64(n))
	}
	if needed != nil {
		*needed = C.int64_t(len(s) + 1)
	}
	if n == 0 {
		return nil
	}
	if buf == nil {
		return fail(stNull, "buf is NULL but len = %d", int64(n))
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	k := copy(dst[:len(dst)-1], s)
	dst[k] = 0
	if k < len(s) {
		return fail(stBufferTooSmall, "the string needs %d bytes, the buffer has %d", len(s)+1, int64(n))
	}
	return nil
}

// store writes v through a required out pointer.
func storeF64(p *C.double, v float64, what string) error {
	if p == nil {
		return fail(stNull, "%s is NULL", what)
	}
	*p = C.double(v)
	return nil
}

func storeI64(p *C.int64_t, v int, what string) error {
	if p == nil {
		return fail(stNull, "%s is NULL", what)
	}
	*p = C.int64_t(v)
	return nil
}

// flag reads a 0/1 setting.
func flag(key string, v float64) (bool, error) {
	if v != 0 && v != 1 {
		return false, fail(stInvalid, "%s = %v, want 0 or 1", key, v)
	}
	return v == 1, nil
}

// integer reads an integer setting in [lo, hi].
func integer(key string, v float64, lo, hi float64) (int, error) {
	if v != math.Trunc(v) || v < lo || v > hi {
		return 0, fail(stInvalid, "%s = %v, want an integer in [%v, %v]", key, v, lo, hi)
	}
	return int(v), nil
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// unknownKey is the error of a key that is not in known.
func unknownKey(what, key string, known []string) error {
	return fail(stUnknownKey, "unknown %s %q (known: %s)", what, key, strings.Join(known, ", "))
}

// set returns a function that stores a value in *dst unless err is set, so
// that a setter whose value is invalid changes nothing:
// return set(&x.Field)(parse(v)).
func set[T any](dst *T) func(T, error) error {
	return func(v T, err error) error {
		if err == nil {
			*dst = v
		}
		return err
	}
}

// keyed acquires handle h with get and reads the key argument: the
// prologue of every keyed export.
func keyed[T any](get func(C.uint64_t) (T, error), h C.uint64_t, key *C.nn4n_cchar) (T, string, error) {
	obj, err := get(h)
	if err != nil {
		return obj, "", err
	}
	k, err := goString(key, "key")
	return obj, k, err
}
