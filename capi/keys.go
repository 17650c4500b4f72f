// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"strings"

	"github.com/nn4n/nn4n/internal/keys"
	"github.com/nn4n/nn4n/optim"
)

// settings is the key-table view of one object: all the generic binder
// below needs to serve nn4n_<kind>_set_f64/get_f64/set_str/get_str and
// nn4n_<kind>_key_count/key_info.
type settings interface {
	getF64(k string) (float64, error)
	setF64(k string, v float64) error
	getStr(k string) (string, error)
	setStr(k, v string) error
	infos() []keys.Info
}

// view binds a key table to one object.
type view[T any] struct {
	t   *keys.Table[T]
	obj *T
}

func bind[T any](t *keys.Table[T], obj *T) settings { return view[T]{t, obj} }

func (v view[T]) getF64(k string) (float64, error) { return v.t.GetF64(v.obj, k) }
func (v view[T]) setF64(k string, x float64) error { return v.t.SetF64(v.obj, k, x) }
func (v view[T]) getStr(k string) (string, error)  { return v.t.GetStr(v.obj, k) }
func (v view[T]) setStr(k, x string) error         { return v.t.SetStr(v.obj, k, x) }
func (v view[T]) infos() []keys.Info               { return v.t.Infos() }

// settable is an object handle's payload that has settings.
type settable interface {
	settings() (settings, error)
}

// settingsOf acquires handle h of kind k and returns its settings.
func (s *scope) settingsOf(h C.uint64_t, k kind) (settings, error) {
	e, err := s.acquire(h, k)
	if err != nil {
		return nil, err
	}
	switch o := e.obj.(type) {
	case settable:
		return o.settings()
	case optim.Optimizer:
		return optimizerSettings(o)
	}
	return nil, fail(stInternal, "a %v handle has no settings", k)
}

// keyedSettings is the prologue of every keyed export: the settings of h
// and the key.
func (s *scope) keyedSettings(h C.uint64_t, k kind, key *C.nn4n_cchar) (settings, string, error) {
	st, err := s.settingsOf(h, k)
	if err != nil {
		return nil, "", err
	}
	name, err := goString(key, "key")
	return st, name, err
}

func setF64(fn string, k kind, h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, name, err := s.keyedSettings(h, k, key)
		if err != nil {
			return err
		}
		return st.setF64(name, float64(value))
	})
}

func getF64(fn string, k kind, h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, name, err := s.keyedSettings(h, k, key)
		if err != nil {
			return err
		}
		if value == nil {
			return fail(stNull, "value (out) is NULL")
		}
		v, err := st.getF64(name)
		if err != nil {
			return err
		}
		*value = C.double(v)
		return nil
	})
}

func setStr(fn string, k kind, h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, name, err := s.keyedSettings(h, k, key)
		if err != nil {
			return err
		}
		v, err := goString(value, "value")
		if err != nil {
			return err
		}
		return st.setStr(name, v)
	})
}

func getStr(fn string, k kind, h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, name, err := s.keyedSettings(h, k, key)
		if err != nil {
			return err
		}
		v, err := st.getStr(name)
		if err != nil {
			return err
		}
		return putString(v, buf, n, needed)
	})
}

func keyCount(fn string, k kind, h C.uint64_t, count *C.int64_t) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, err := s.settingsOf(h, k)
		if err != nil {
			return err
		}
		return storeI64(count, len(st.infos()), "count")
	})
}

// keyInfoText is the text nn4n_<kind>_key_info writes: five tab-separated
// fields, name, type, access, default and doc.
func keyInfoText(in keys.Info) string {
	access := "rw"
	if in.ReadOnly {
		access = "ro"
	}
	return strings.Join([]string{in.Name, in.Type, access, in.Default, in.Doc}, "\t")
}

func keyInfo(fn string, k kind, h C.uint64_t, i C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	var s scope
	return s.run(fn, func() error {
		st, err := s.settingsOf(h, k)
		if err != nil {
			return err
		}
		in := st.infos()
		if i < 0 || int64(i) >= int64(len(in)) {
			return fail(stInvalid, "key index %d, want 0 ≤ index < %d", int64(i), len(in))
		}
		info := in[i]
		if lo != nil {
			*lo = C.double(info.Lo)
		}
		if hi != nil {
			*hi = C.double(info.Hi)
		}
		return putString(keyInfoText(info), buf, n, needed)
	})
}

// funcs is settings made of functions, for objects whose setters do more
// than store a value (the model validates and applies its configuration).
type funcs struct {
	gf func(string) (float64, error)
	sf func(string, float64) error
	gs func(string) (string, error)
	ss func(string, string) error
	in func() []keys.Info
}

func (f funcs) getF64(k string) (float64, error) { return f.gf(k) }
func (f funcs) setF64(k string, v float64) error { return f.sf(k, v) }
func (f funcs) getStr(k string) (string, error)  { return f.gs(k) }
func (f funcs) setStr(k, v string) error         { return f.ss(k, v) }
func (f funcs) infos() []keys.Info               { return f.in() }
