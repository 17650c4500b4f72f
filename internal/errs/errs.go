// SPDX-License-Identifier: MIT

// Package errs holds the kinds of error the nn4n packages return, so that
// the C ABI maps an error to its status code with errors.Is instead of
// reading its message. A package wraps a kind with New or with %w:
//
//	return errs.New(errs.Range, "eps = %v, want > 0", v)
//	return fmt.Errorf("ctrnn: %w: alpha = %v", errs.NotFinite, v)
package errs

import (
	"errors"
	"fmt"
)

// Kind is the class of an error; the kinds are sentinel values compared
// with errors.Is.
type Kind struct{ name string }

func (k *Kind) Error() string { return k.name }

// The kinds of error. Each maps to one NN4N_ERR_* status in capi.
var (
	Invalid    = &Kind{"invalid argument"}
	NotFinite  = &Kind{"not finite"}
	Shape      = &Kind{"shape mismatch"}
	UnknownKey = &Kind{"unknown key"}
	Range      = &Kind{"out of range"}
	ReadOnly   = &Kind{"read-only"}
	State      = &Kind{"invalid state"}
	Numeric    = &Kind{"numeric failure"}
)

// kindError is a message with its kind.
type kindError struct {
	kind *Kind
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// New returns an error of kind k with a formatted message. The message is
// the whole text: the kind's name is not added to it.
func New(k *Kind, format string, args ...any) error {
	return &kindError{kind: k, msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the first kind of kinds that err is, or nil.
func KindOf(err error, kinds ...*Kind) *Kind {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
