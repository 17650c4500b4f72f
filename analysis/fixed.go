// SPDX-License-Identifier: MIT

package analysis

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/internal/linalg"
)

// Options control a fixed-point search. The zero value gives the defaults.
type Options struct {
	// Tol is the q = ½‖F(x) − x‖² below which a point has converged
	// (default 1e-12).
	Tol float64
	// MaxIter bounds the Newton/LM iterations per initial state (default 100).
	MaxIter int
	// Polish is the number of extra Newton/LM iterations taken once q <
	// Tol, each kept only when it lowers q: Newton converges quadratically,
	// so they take a converged point to rounding level (default 2; a
	// negative value takes none).
	Polish int
	// SlowQ, when > Tol, also keeps unconverged slow points with q ≤ SlowQ.
	SlowQ float64
	// DedupTol is the Euclidean distance below which two kept points are
	// one (default 1e-6); the one with the smaller q stays.
	DedupTol float64
	// OutlierScale excludes kept points farther from the centroid of the
	// reference data than OutlierScale times the data's RMS distance to
	// it (default 10; a negative value keeps every point).
	OutlierScale float64
	// Data are the reference states (rows of N) for outliers; nil uses the
	// initial states.
	Data []float64
	// Workers is the number of goroutines (default ctrnn.Threads()).
	Workers int
}

func (o Options) withDefaults() Options {
	if o.Tol == 0 {
		o.Tol = 1e-12
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100
	}
	if o.Polish == 0 {
		o.Polish = 2
	}
	if o.DedupTol == 0 {
		o.DedupTol = 1e-6
	}
	if o.OutlierScale == 0 {
		o.OutlierScale = 10
	}
	if o.Workers <= 0 {
		o.Workers = ctrnn.Threads()
	}
	return o
}

func (o Options) validate() error {
	switch {
	case !(o.Tol > 0) || math.IsInf(o.Tol, 0):
		return fmt.Errorf("analysis: Tol = %g, want a finite value > 0", o.Tol)
	case o.MaxIter < 1:
		return fmt.Errorf("analysis: MaxIter = %d, want ≥ 1", o.MaxIter)
	case math.IsNaN(o.SlowQ) || o.SlowQ < 0:
		return fmt.Errorf("analysis: SlowQ = %g, want ≥ 0", o.SlowQ)
	case !(o.DedupTol > 0):
		return fmt.Errorf("analysis: DedupTol = %g, want > 0", o.DedupTol)
	case math.IsNaN(o.OutlierScale):
		return fmt.Errorf("analysis: OutlierScale is NaN")
	}
	return nil
}

// Point is the end of one search.
type Point struct {
	X []float64
	// Q is ½‖F(X) − X‖² (+Inf when the search diverged).
	Q float64
	// Iters is the number of Newton/LM iterations (Jacobians) used.
	Iters int
	// Converged reports Q < Tol.
	Converged bool
	// Start is the index of the initial state the search began from.
	Start int
	// Count is how many searches ended at this point (in Points).
	Count int
	// Label (in All) is the index in Points of the point this search ended
	// at, LabelNotConverged or LabelOutlier.
	Label int
}

// Labels of searches whose end was not kept.
const (
	LabelNotConverged = -1
	LabelOutlier      = -2
)

// Result is what Find returns.
type Result struct {
	// All holds one Point per initial state, in order, converged or not.
	All []Point
	// Points are the kept points: converged (or slow, q ≤ SlowQ), not
	// outliers, deduplicated, sorted by q.
	Points []Point
	// NotConverged, Outliers and Duplicates count the searches that were
	// dropped for each reason.
	NotConverged, Outliers, Duplicates int
}

// Find searches for fixed points of F(·; u) from the initial states x0
// (rows of N) with Levenberg–Marquardt on F(x) − x using the exact
// Jacobian: each iteration solves (J−I)δ = −(F−x) (the Newton step) and,
// when that step does not lower q, the damped system
// ((J−I)ᵀ(J−I) + λI)δ = −(J−I)ᵀ(F−x) with λ raised tenfold until q falls;
// when no λ helps it falls back to a backtracking gradient step on q. A
// search stops at q < Tol, after MaxIter iterations, or when it cannot
// lower q (a local minimum of q: a slow point). Searches run in parallel.
func (s *System) Find(x0, u []float64, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if err := opt.validate(); err != nil {
		return nil, err
	}
	p, err := s.rows(x0, "initial states")
	if err != nil {
		return nil, err
	}
	c, _, err := s.drive(u)
	if err != nil {
		return nil, err
	}
	data := opt.Data
	if data == nil {
		data = x0
	}
	if _, err := s.rows(data, "Data"); err != nil {
		return nil, err
	}
	res := &Result{All: make([]Point, p)}
	var wg sync.WaitGroup
	next := make(chan int, p)
	for k := 0; k < p; k++ {
		next <- k
	}
	close(next)
	for w := 0; w < min(opt.Workers, p); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := newWorkspace(s.N)
			for k := range next {
				res.All[k] = s.search(ws, x0[k*s.N:(k+1)*s.N], c, opt)
				res.All[k].Start = k
			}
		}()
	}
	wg.Wait()
	s.selectPoints(res, data, opt)
	return res, nil
}

type workspace struct {
	x, xn, g, gn, r, d, delta, grad []float64
	a, m, gram                      []float64 // N×N: J − I, the factored copy, (J − I)ᵀ(J − I)
	gramOK                          bool
	lu                              *linalg.LUWork
}

func newWorkspace(n int) *workspace {
	v := func() []float64 { return make([]float64, n) }
	return &workspace{x: v(), xn: v(), g: v(), gn: v(), r: v(), d: v(), delta: v(), grad: v(),
		a: make([]float64, n*n), m: make([]float64, n*n), gram: make([]float64, n*n), lu: linalg.NewLUWork(n)}
}

// residual sets g = F(x) − x (and ws.d = f'(x)) and returns q.
func (s *System) residual(ws *workspace, x, c, g []float64) float64 {
	s.stepRows(1, x, c, g, ws.r, ws.d)
	var q float64
	for j := range g {
		g[j] -= x[j]
		q += g[j] * g[j]
	}
	q /= 2
	if math.IsNaN(q) {
		q = math.Inf(1)
	}
	return q
}

func (s *System) search(ws *workspace, start, c []float64, opt Options) Point {
	n := s.N
	copy(ws.x, start)
	q := s.residual(ws, ws.x, c, ws.g)
	lambda := 0.0
	it := 0
	polish := max(opt.Polish, 0)
	for ; it < opt.MaxIter+polish && !math.IsInf(q, 0); it++ {
		if q < opt.Tol {
			if polish == 0 {
				break
			}
			polish--
		} else if it >= opt.MaxIter {
			break
		}
		// A = J − I, from f'(x) left in ws.d by the last residual at x.
		s.jacobianX(ws.d, ws.a)
		ws.gramOK = false
		ad := ws.a
		for j := 0; j < n; j++ {
			ad[j*n+j]--
		}
		// grad q = Aᵀg.
		linalg.Gemv(true, n, n, 1, ws.a, n, ws.g, 0, ws.grad)
		var scale float64 // max diag(AᵀA), λ's natural unit
		for k := 0; k < n; k++ {
			var v float64
			for j := 0; j < n; j++ {
				v += ad[j*n+k] * ad[j*n+k]
			}
			scale = max(scale, v)
		}
		scale = max(scale, 1e-300)
		accepted := false
		polishing := q < opt.Tol
		if polishing {
			lambda = 0 // polish with the plain Newton step only
		}
		for !accepted && lambda <= 1e12*scale {
			ok := s.solveStep(ws, lambda)
			if ok {
				for j := range ws.xn {
					ws.xn[j] = ws.x[j] + ws.delta[j]
				}
				if qn := s.residual(ws, ws.xn, c, ws.gn); qn < q {
					ws.x, ws.xn = ws.xn, ws.x
					ws.g, ws.gn = ws.gn, ws.g
					q = qn
					accepted = true
					if lambda /= 10; lambda < 1e-9*scale {
						lambda = 0
					}
					break
				}
			}
			if polishing {
				break
			}
			if lambda == 0 {
				lambda = 1e-6 * scale
			} else {
				lambda *= 10
			}
		}
		if !accepted && polishing {
			it++
			break // at rounding level
		}
		if !accepted {
			// Gradient-descent fallback with backtracking.
			lambda = 0
			t := 1 / scale
			for k := 0; k < 60 && !accepted; k++ {
				for j := range ws.xn {
					ws.xn[j] = ws.x[j] - t*ws.grad[j]
				}
				if qn := s.residual(ws, ws.xn, c, ws.gn); qn < q {
					ws.x, ws.xn = ws.xn, ws.x
					ws.g, ws.gn = ws.gn, ws.g
					q = qn
					accepted = true
				}
				t /= 2
			}
			if !accepted {
				it++
				break // a local minimum of q (stalled), or rounding level
			}
		}
		// ws.d must hold f'(x) for the accepted x.
		s.Act.Eval(ws.x, ws.r, ws.d)
	}
	return Point{X: append([]float64(nil), ws.x...), Q: q, Iters: it, Converged: q < opt.Tol}
}

// solveStep sets ws.delta to the LM step for damping λ (λ = 0: Newton).
func (s *System) solveStep(ws *workspace, lambda float64) bool {
	n := s.N
	if lambda == 0 {
		copy(ws.m, ws.a)
		for j, v := range ws.g {
			ws.delta[j] = -v
		}
		rc, ok := ws.lu.LUSolve(ws.m, ws.delta)
		return ok && rc > 1e-14 && finiteAll(ws.delta)
	}
	if !ws.gramOK { // AᵀA, once per Jacobian
		linalg.Gemm(true, false, n, n, n, 1, ws.a, n, ws.a, n, 0, ws.gram, n)
		ws.gramOK = true
	}
	copy(ws.m, ws.gram)
	for j := 0; j < n; j++ {
		ws.m[j*n+j] += lambda
	}
	for j, v := range ws.grad {
		ws.delta[j] = -v
	}
	return linalg.CholSolve(n, ws.m, ws.delta) && finiteAll(ws.delta)
}

func finiteAll(v []float64) bool { return firstNonFinite(v) < 0 }

// selectPoints fills res.Points from res.All.
func (s *System) selectPoints(res *Result, data []float64, opt Options) {
	n := s.N
	rows := len(data) / n
	centre := make([]float64, n)
	for b := 0; b < rows; b++ {
		for j := 0; j < n; j++ {
			centre[j] += data[b*n+j] / float64(rows)
		}
	}
	var rms float64
	for b := 0; b < rows; b++ {
		rms += sqDist(data[b*n:(b+1)*n], centre) / float64(rows)
	}
	rms = math.Sqrt(rms)
	limit := max(opt.Tol, opt.SlowQ)
	var cand []int
	for k := range res.All {
		pt := &res.All[k]
		switch {
		case !(pt.Converged || pt.Q <= limit):
			res.NotConverged++
			pt.Label = LabelNotConverged
		case opt.OutlierScale >= 0 && math.Sqrt(sqDist(pt.X, centre)) > opt.OutlierScale*max(rms, 1e-12):
			res.Outliers++
			pt.Label = LabelOutlier
		default:
			cand = append(cand, k)
		}
	}
	sort.SliceStable(cand, func(a, b int) bool { return res.All[cand[a]].Q < res.All[cand[b]].Q })
	tol2 := opt.DedupTol * opt.DedupTol
	for _, c := range cand {
		pt := &res.All[c]
		pt.Label = -1
		for k := range res.Points {
			if sqDist(pt.X, res.Points[k].X) < tol2 {
				res.Points[k].Count++
				pt.Label = k
				break
			}
		}
		if pt.Label >= 0 {
			res.Duplicates++
			continue
		}
		pt.Label = len(res.Points)
		kept := *pt
		kept.X = append([]float64(nil), pt.X...)
		kept.Count = 1
		res.Points = append(res.Points, kept)
	}
}

func sqDist(a, b []float64) float64 {
	var d float64
	for j := range a {
		e := a[j] - b[j]
		d += e * e
	}
	return d
}
