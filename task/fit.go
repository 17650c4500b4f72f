// SPDX-License-Identifier: MIT

package task

import (
	"errors"
	"math"
	"sort"
)

// CumGauss is the psychometric function P(x) = Φ((x − Mu)/Sigma), with Φ
// the standard normal distribution function.
type CumGauss struct {
	// Mu is the bias, the stimulus value where P = 1/2; Sigma is the
	// threshold, the distance from Mu to P = Φ(1) ≈ 0.84.
	Mu, Sigma float64
	// MuSE and SigmaSE are the asymptotic standard errors of Mu and Sigma
	// (from the inverse Fisher information at the fit).
	MuSE, SigmaSE float64
	// LogLik is the binomial log-likelihood at the fit, constant terms
	// left out.
	LogLik float64
}

// P returns Φ((x − Mu)/Sigma).
func (f CumGauss) P(x float64) float64 {
	return 0.5 * math.Erfc(-(x-f.Mu)/(f.Sigma*math.Sqrt2))
}

// phiTails returns the standard normal density at z, Φ(z) and 1 − Φ(z),
// the last two computed without cancellation.
func phiTails(z float64) (dens, p, q float64) {
	dens = math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	p = 0.5 * math.Erfc(-z/math.Sqrt2)
	q = 0.5 * math.Erfc(z/math.Sqrt2)
	return dens, p, q
}

const tiny = 1e-300

// cgLogLik returns the log-likelihood of points under Φ((x−mu)/sigma).
func cgLogLik(pts []PsychPoint, mu, sigma float64) float64 {
	var ll float64
	for _, pt := range pts {
		_, p, q := phiTails((pt.X - mu) / sigma)
		if pt.K > 0 {
			ll += float64(pt.K) * math.Log(max(p, tiny))
		}
		if pt.N > pt.K {
			ll += float64(pt.N-pt.K) * math.Log(max(q, tiny))
		}
	}
	return ll
}

// ErrSeparated is returned by FitCumGauss when the choices switch from one
// output to the other without overlap, so the maximum-likelihood threshold
// is 0 and the fit does not exist.
var ErrSeparated = errors.New("task: psychometric data are perfectly separated; sigma -> 0")

// FitCumGauss fits a cumulative Gaussian to psychometric points by maximum
// likelihood (binomial counts; Fisher scoring over Mu and log Sigma). The
// curve increases with the stimulus: fit the other output's choices when
// they decrease. It needs two distinct stimulus values and both choices
// among the trials, and returns ErrSeparated when the maximum does not
// exist because the choices do not overlap.
func FitCumGauss(pts []PsychPoint) (CumGauss, error) {
	var n, k int
	xmin, xmax := math.Inf(1), math.Inf(-1)
	var sx float64
	for _, pt := range pts {
		if pt.N < 0 || pt.K < 0 || pt.K > pt.N {
			return CumGauss{}, errors.New("task: psychometric point with invalid counts")
		}
		if math.IsNaN(pt.X) || math.IsInf(pt.X, 0) {
			return CumGauss{}, errors.New("task: psychometric point with non-finite stimulus")
		}
		if pt.N == 0 {
			continue
		}
		n += pt.N
		k += pt.K
		xmin, xmax = min(xmin, pt.X), max(xmax, pt.X)
		sx += pt.X
	}
	if n == 0 || !(xmax > xmin) {
		return CumGauss{}, errors.New("task: psychometric fit needs trials at two or more stimulus values")
	}
	if k == 0 || k == n {
		return CumGauss{}, errors.New("task: psychometric fit needs both choices among the trials")
	}
	if separated(pts) {
		return CumGauss{}, ErrSeparated
	}
	span := xmax - xmin
	// Start where pycog starts its least-squares fit: the mean and spread
	// of the stimulus values.
	var np int
	for _, pt := range pts {
		if pt.N > 0 {
			np++
		}
	}
	mu := sx / float64(np)
	var vx float64
	for _, pt := range pts {
		if pt.N > 0 {
			vx += (pt.X - mu) * (pt.X - mu)
		}
	}
	s := math.Log(max(math.Sqrt(vx/float64(np)), span/4))
	sMin, sMax := math.Log(1e-8*span), math.Log(1e8*span)

	ll := cgLogLik(pts, mu, math.Exp(s))
	for iter := 0; iter < 500; iter++ {
		sigma := math.Exp(s)
		// Score and Fisher information in (mu, s).
		var g0, g1, f00, f01, f11 float64
		for _, pt := range pts {
			if pt.N == 0 {
				continue
			}
			z := (pt.X - mu) / sigma
			d, p, q := phiTails(z)
			p, q = max(p, tiny), max(q, tiny)
			dl := d * (float64(pt.K)/p - float64(pt.N-pt.K)/q)
			info := float64(pt.N) * d * d / (p * q)
			dzmu, dzs := -1/sigma, -z
			g0 += dl * dzmu
			g1 += dl * dzs
			f00 += info * dzmu * dzmu
			f01 += info * dzmu * dzs
			f11 += info * dzs * dzs
		}
		det := f00*f11 - f01*f01
		if !(det > 1e-300*(f00*f11+1)) {
			// Fall back to a gradient step when the information is singular.
			f00, f01, f11, det = 1, 0, 1, 1
		}
		dmu := (f11*g0 - f01*g1) / det
		ds := (f00*g1 - f01*g0) / det
		step := 1.0
		var nmu, ns, nll float64
		for {
			nmu, ns = mu+step*dmu, min(max(s+step*ds, sMin), sMax)
			nll = cgLogLik(pts, nmu, math.Exp(ns))
			if nll >= ll-1e-12*math.Abs(ll) || step < 1e-12 {
				break
			}
			step /= 2
		}
		conv := math.Abs(nmu-mu) <= 1e-10*span && math.Abs(ns-s) <= 1e-10
		mu, s, ll = nmu, ns, nll
		if conv {
			break
		}
	}
	if s <= sMin+1e-6 {
		return CumGauss{}, ErrSeparated
	}
	if s >= sMax-1e-6 {
		return CumGauss{}, errors.New("task: psychometric data do not increase with the stimulus; sigma -> infinity")
	}
	fit := CumGauss{Mu: mu, Sigma: math.Exp(s), LogLik: ll}
	// Standard errors from the Fisher information in (mu, sigma).
	var f00, f01, f11 float64
	for _, pt := range pts {
		if pt.N == 0 {
			continue
		}
		z := (pt.X - mu) / fit.Sigma
		d, p, q := phiTails(z)
		info := float64(pt.N) * d * d / (max(p, tiny) * max(q, tiny))
		dzmu, dzsig := -1/fit.Sigma, -z/fit.Sigma
		f00 += info * dzmu * dzmu
		f01 += info * dzmu * dzsig
		f11 += info * dzsig * dzsig
	}
	if det := f00*f11 - f01*f01; det > 0 {
		fit.MuSE = math.Sqrt(f11 / det)
		fit.SigmaSE = math.Sqrt(f00 / det)
	} else {
		fit.MuSE, fit.SigmaSE = math.Inf(1), math.Inf(1)
	}
	return fit, nil
}

// separated reports whether the points, sorted by stimulus, choose one
// output only below some value and the other only above it, with at most
// one stimulus value of mixed choices in between: then no finite threshold
// maximises the likelihood.
func separated(pts []PsychPoint) bool {
	var ps []PsychPoint
	for _, pt := range pts {
		if pt.N > 0 {
			ps = append(ps, pt)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].X < ps[j].X })
	// Merge equal stimulus values.
	var m []PsychPoint
	for _, pt := range ps {
		if len(m) > 0 && m[len(m)-1].X == pt.X {
			m[len(m)-1].N += pt.N
			m[len(m)-1].K += pt.K
			continue
		}
		m = append(m, pt)
	}
	mono := func(low, high func(PsychPoint) bool) bool {
		i := 0
		for i < len(m) && low(m[i]) {
			i++
		}
		if i < len(m) && !high(m[i]) {
			i++ // one mixed value allowed
		}
		for ; i < len(m); i++ {
			if !high(m[i]) {
				return false
			}
		}
		return true
	}
	none := func(p PsychPoint) bool { return p.K == 0 }
	all := func(p PsychPoint) bool { return p.K == p.N }
	return mono(none, all) || mono(all, none)
}
