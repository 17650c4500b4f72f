// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"errors"
	"math"

	"github.com/nn4n/nn4n/analysis"
)

// system returns the model's noise-free update, mapping a noisy model in
// training mode to NN4N_ERR_STATE.
func system(mo *modelObj) (*analysis.System, error) {
	s, err := analysis.FromModel(mo.m)
	if errors.Is(err, analysis.ErrNoisy) {
		return nil, fail(stState, "%v", err)
	}
	return s, err
}

//export nn4n_model_jacobian
func nn4n_model_jacobian(h C.uint64_t, x *C.nn4n_cdouble, xLen C.int64_t, u *C.nn4n_cdouble, uLen C.int64_t,
	jx *C.double, jxLen C.int64_t, ju *C.double, juLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_jacobian", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		sys, err := system(mo)
		if err != nil {
			return err
		}
		xs, err := inArray(x, xLen, sys.N, "x", true)
		if err != nil {
			return err
		}
		us, err := inArray(u, uLen, sys.I, "u", true)
		if err != nil {
			return err
		}
		jxs, err := outArray(jx, jxLen, sys.N*sys.N, "jx", false)
		if err != nil {
			return err
		}
		jus, err := outArray(ju, juLen, sys.N*sys.I, "ju", false)
		if err != nil {
			return err
		}
		return sys.Jacobian(xs, us, jxs, jus)
	})
}

//export nn4n_model_fixed_points
func nn4n_model_fixed_points(h C.uint64_t, u *C.nn4n_cdouble, uLen C.int64_t, init *C.nn4n_cdouble, initLen, nInit C.int64_t,
	tol, slowQ C.double, maxIter C.int64_t, dedupTol, outlierScale C.double,
	ends *C.double, endsLen C.int64_t, q *C.double, qLen C.int64_t, iters *C.double, itersLen C.int64_t,
	converged *C.double, convergedLen C.int64_t, labels *C.double, labelsLen C.int64_t, nPoints *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_fixed_points", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		sys, err := system(mo)
		if err != nil {
			return err
		}
		p, err := dim(nInit, "n_init", 1, maxBatch)
		if err != nil {
			return err
		}
		pn, err := size("init", p, sys.N)
		if err != nil {
			return err
		}
		x0, err := inArray(init, initLen, pn, "init", true)
		if err != nil {
			return err
		}
		us, err := inArray(u, uLen, sys.I, "u", true)
		if err != nil {
			return err
		}
		for _, v := range []struct {
			name string
			v    C.double
		}{{"tol", tol}, {"slow_q", slowQ}, {"dedup_tol", dedupTol}, {"outlier_scale", outlierScale}} {
			if math.IsNaN(float64(v.v)) || math.IsInf(float64(v.v), 0) {
				return fail(stInvalid, "%s = %g is not finite", v.name, float64(v.v))
			}
		}
		if maxIter < 0 || maxIter > 1<<30 {
			return fail(stInvalid, "max_iter = %d, want 0 (default) to 2^30", int64(maxIter))
		}
		if float64(tol) < 0 || float64(dedupTol) < 0 {
			return fail(stInvalid, "tol = %g and dedup_tol = %g must be ≥ 0 (0 = default)", float64(tol), float64(dedupTol))
		}
		outs := make([][]float64, 5)
		for k, o := range []struct {
			p    *C.double
			n    C.int64_t
			want int
			name string
		}{{ends, endsLen, pn, "ends"}, {q, qLen, p, "q"}, {iters, itersLen, p, "iterations"}, {converged, convergedLen, p, "converged"}, {labels, labelsLen, p, "labels"}} {
			if outs[k], err = outArray(o.p, o.n, o.want, o.name, k != 0 && k != 2); err != nil {
				return err
			}
		}
		if nPoints == nil {
			return fail(stNull, "n_points is NULL")
		}
		r, err := sys.Find(x0, us, analysis.Options{Tol: float64(tol), SlowQ: float64(slowQ), MaxIter: int(maxIter),
			DedupTol: float64(dedupTol), OutlierScale: float64(outlierScale)})
		if err != nil {
			return err
		}
		for k, pt := range r.All {
			if outs[0] != nil {
				copy(outs[0][k*sys.N:(k+1)*sys.N], pt.X)
			}
			outs[1][k] = pt.Q
			if outs[2] != nil {
				outs[2][k] = float64(pt.Iters)
			}
			outs[3][k] = boolf(pt.Converged)
			outs[4][k] = float64(pt.Label)
		}
		return storeI64(nPoints, len(r.Points), "n_points")
	})
}

//export nn4n_model_linearize
func nn4n_model_linearize(h C.uint64_t, x *C.nn4n_cdouble, xLen C.int64_t, u *C.nn4n_cdouble, uLen C.int64_t,
	eigRe *C.double, eigReLen C.int64_t, eigIm *C.double, eigImLen C.int64_t,
	contRe *C.double, contReLen C.int64_t, contIm *C.double, contImLen C.int64_t, nUnstable *C.int64_t, top C.int64_t,
	rightRe *C.double, rightReLen C.int64_t, rightIm *C.double, rightImLen C.int64_t,
	leftRe *C.double, leftReLen C.int64_t, leftIm *C.double, leftImLen C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_model_linearize", func() error {
		mo, err := s.model(h)
		if err != nil {
			return err
		}
		sys, err := system(mo)
		if err != nil {
			return err
		}
		n := sys.N
		xs, err := inArray(x, xLen, n, "x", true)
		if err != nil {
			return err
		}
		us, err := inArray(u, uLen, sys.I, "u", true)
		if err != nil {
			return err
		}
		k, err := dim(top, "top", 0, int64(n))
		if err != nil {
			return err
		}
		type buf struct {
			p    *C.double
			n    C.int64_t
			want int
			name string
			req  bool
		}
		bufs := []buf{{eigRe, eigReLen, n, "eig_re", true}, {eigIm, eigImLen, n, "eig_im", true},
			{contRe, contReLen, n, "cont_re", false}, {contIm, contImLen, n, "cont_im", false},
			{rightRe, rightReLen, n * k, "right_re", false}, {rightIm, rightImLen, n * k, "right_im", false},
			{leftRe, leftReLen, n * k, "left_re", false}, {leftIm, leftImLen, n * k, "left_im", false}}
		outs := make([][]float64, len(bufs))
		for i, b := range bufs {
			if outs[i], err = outArray(b.p, b.n, b.want, b.name, b.req); err != nil {
				return err
			}
		}
		if nUnstable == nil {
			return fail(stNull, "n_unstable is NULL")
		}
		l, err := sys.Linearize(xs, us, k)
		if err != nil {
			return fail(stNumeric, "%v", err)
		}
		for i, v := range l.Eigenvalues {
			outs[0][i], outs[1][i] = real(v), imag(v)
			if outs[2] != nil {
				outs[2][i] = real(l.Continuous[i])
			}
			if outs[3] != nil {
				outs[3][i] = imag(l.Continuous[i])
			}
		}
		for r := 0; r < n && k > 0; r++ {
			for c := 0; c < k; c++ {
				rv, lv := l.Right.At(r, c), l.Left.At(r, c)
				for i, v := range []float64{real(rv), imag(rv), real(lv), imag(lv)} {
					if outs[4+i] != nil {
						outs[4+i][r*k+c] = v
					}
				}
			}
		}
		return storeI64(nUnstable, l.Unstable, "n_unstable")
	})
}
