// SPDX-License-Identifier: MIT

// Package keys holds the tables that describe the settings of each nn4n
// object kind: name, type, default, bounds, one-line documentation and
// accessors. A table is the one place a setting is written; the C ABI
// serves every nn4n_<kind>_set_*/get_* and nn4n_<kind>_key_info from it.
package keys

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/nn4n/nn4n/internal/errs"
)

// Type is the type of a setting's value.
type Type string

// The types of a setting: F64 is read and set as a double; Str as a
// string; Enum as either, its numeric code or its name.
const (
	F64  Type = "f64"
	Str  Type = "str"
	Enum Type = "enum"
)

// FlagInfo is the type Infos reports for a key made by Flag: an F64 key
// whose value is 0 or 1, so that a binding can show it as a boolean.
const FlagInfo = "flag"

// Key is one setting of objects of type T.
type Key[T any] struct {
	Name string
	Type Type
	// Default is the value of a new object, as text.
	Default string
	// Lo and Hi bound an F64 or Enum value (inclusive unless LoOpen or
	// HiOpen); both zero means unbounded.
	Lo, Hi         float64
	LoOpen, HiOpen bool
	// Int requires an integer value.
	Int bool
	// ReadOnly keys have no setter.
	ReadOnly bool
	Doc      string

	Get func(*T) float64
	// Read replaces Get for a value that may not exist yet.
	Read   func(*T) (float64, error)
	Set    func(*T, float64) error
	GetStr func(*T) string
	SetStr func(*T, string) error
	// Restore, if not nil, replaces Set when an object is rebuilt from a
	// file: for keys that have no setter (dimensions) or whose setter acts
	// on a live object (a reseed).
	Restore func(*T, float64) error
}

// Info is the description of a key, independent of the object type.
type Info struct {
	Name, Type, Default, Doc string
	Lo, Hi                   float64
	ReadOnly                 bool
}

// Table is the list of keys of one kind of object.
type Table[T any] struct {
	// Kind names the object kind in messages ("model", "adam optimizer").
	Kind string
	Keys []Key[T]
}

// Flag is the bounds of a 0/1 setting.
func Flag[T any](k Key[T]) Key[T] {
	k.Lo, k.Hi, k.Int = 0, 1, true
	return k
}

// IsFlag reports whether k is a 0/1 setting made by Flag.
func (k *Key[T]) IsFlag() bool {
	return k.Type == F64 && k.Int && k.Lo == 0 && k.Hi == 1
}

func (k *Key[T]) bounded() bool { return k.Lo != 0 || k.Hi != 0 }

// bounds returns the interval of k as text, e.g. "0 ≤ eps" or "0 ≤ beta1 < 1".
func (k *Key[T]) bounds() string {
	lo, hi := "≤", "≤"
	if k.LoOpen {
		lo = "<"
	}
	if k.HiOpen {
		hi = "<"
	}
	var b strings.Builder
	if !math.IsInf(k.Lo, -1) {
		fmt.Fprintf(&b, "%v %s ", fmtf(k.Lo), lo)
	}
	b.WriteString(k.Name)
	if !math.IsInf(k.Hi, 1) {
		fmt.Fprintf(&b, " %s %v", hi, fmtf(k.Hi))
	}
	return b.String()
}

func fmtf(v float64) string {
	if math.Abs(v) >= 1<<20 && math.Abs(v) <= 1<<53 && v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// Check validates v for k: finite, an integer if k.Int, within bounds.
func (k *Key[T]) Check(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return errs.New(errs.NotFinite, "%s = %v is not finite", k.Name, v)
	}
	if k.Int && v != math.Trunc(v) {
		return errs.New(errs.Invalid, "%s = %v, want an integer", k.Name, v)
	}
	if k.bounded() && (v < k.Lo || v > k.Hi || k.LoOpen && v == k.Lo || k.HiOpen && v == k.Hi) {
		return errs.New(errs.Range, "%s = %v is out of range: want %s", k.Name, v, k.bounds())
	}
	return nil
}

// Lookup returns the key name, usable as type t (an Enum key serves both
// F64 and Str), or an UnknownKey error listing the nearest valid names.
func (t *Table[T]) Lookup(name string, typ Type) (*Key[T], error) {
	for i := range t.Keys {
		k := &t.Keys[i]
		if k.Name != name {
			continue
		}
		if k.Type == typ || k.Type == Enum {
			return k, nil
		}
		return nil, errs.New(errs.UnknownKey, "%s key %q is a %s key, not a %s key", t.Kind, name, k.Type, typ)
	}
	return nil, errs.New(errs.UnknownKey, "unknown %s key %q (%s)", t.Kind, name, t.nearest(name, typ))
}

// nearest lists the valid names closest to name, best first.
func (t *Table[T]) nearest(name string, typ Type) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, k := range t.Keys {
		if k.Type == typ || k.Type == Enum {
			cs = append(cs, cand{k.Name, distance(name, k.Name)})
		}
	}
	if len(cs) == 0 {
		return fmt.Sprintf("a %s has no %s keys", t.Kind, typ)
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	n := min(len(cs), 3)
	names := make([]string, n)
	for i := range names {
		names[i] = cs[i].name
	}
	all := make([]string, len(cs))
	for i, c := range cs {
		all[i] = c.name
	}
	sort.Strings(all)
	return fmt.Sprintf("nearest: %s; all %s keys: %s", strings.Join(names, ", "), typ, strings.Join(all, ", "))
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (t *Table[T]) readOnly(k *Key[T]) error {
	return errs.New(errs.ReadOnly, "%s key %s is read-only", t.Kind, k.Name)
}

// GetF64 returns the value of the numeric (or Enum code) key name of obj.
func (t *Table[T]) GetF64(obj *T, name string) (float64, error) {
	k, err := t.Lookup(name, F64)
	if err != nil {
		return 0, err
	}
	if k.Read != nil {
		return k.Read(obj)
	}
	return k.Get(obj), nil
}

// SetF64 validates v (finite, integer, bounds) and sets key name of obj.
func (t *Table[T]) SetF64(obj *T, name string, v float64) error {
	k, err := t.Lookup(name, F64)
	if err != nil {
		return err
	}
	if k.ReadOnly || k.Set == nil {
		return t.readOnly(k)
	}
	if err := k.Check(v); err != nil {
		return err
	}
	return k.Set(obj, v)
}

// GetStr returns the value of the string (or Enum name) key name of obj.
func (t *Table[T]) GetStr(obj *T, name string) (string, error) {
	k, err := t.Lookup(name, Str)
	if err != nil {
		return "", err
	}
	return k.GetStr(obj), nil
}

// SetStr sets the string (or Enum name) key name of obj.
func (t *Table[T]) SetStr(obj *T, name, v string) error {
	k, err := t.Lookup(name, Str)
	if err != nil {
		return err
	}
	if k.ReadOnly || k.SetStr == nil {
		return t.readOnly(k)
	}
	return k.SetStr(obj, v)
}

// Names lists the names of the keys in table order.
func (t *Table[T]) Names() []string {
	n := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		n[i] = k.Name
	}
	return n
}

// Infos describes every key in table order.
func (t *Table[T]) Infos() []Info {
	in := make([]Info, len(t.Keys))
	for i, k := range t.Keys {
		lo, hi := math.Inf(-1), math.Inf(1)
		if k.bounded() {
			lo, hi = k.Lo, k.Hi
		}
		typ := string(k.Type)
		if k.IsFlag() {
			typ = FlagInfo
		}
		in[i] = Info{Name: k.Name, Type: typ, Default: k.Default, Doc: k.Doc, Lo: lo, Hi: hi, ReadOnly: k.ReadOnly}
	}
	return in
}

// Choice parses a name among names, returning its index, or an Invalid
// error listing the names.
func Choice(key, v string, names ...string) (int, error) {
	for i, n := range names {
		if n == v {
			return i, nil
		}
	}
	return 0, errs.New(errs.Invalid, "%s = %q, want one of %s", key, v, strings.Join(names, ", "))
}

// Bool is 1 for true and 0 for false.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
