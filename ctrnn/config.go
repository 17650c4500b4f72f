// SPDX-License-Identifier: MIT

package ctrnn

import (
	"fmt"
	"github.com/nn4n/nn4n/internal/errs"
	"math"
	"strings"
)

// Activation is a hidden-unit transfer function f.
type Activation int32

// Activations. The values are part of the C ABI and are never renumbered.
const (
	ReLU     Activation = 0
	Tanh     Activation = 1
	Sigmoid  Activation = 2
	ReTanh   Activation = 3 // max(tanh(x), 0)
	Softplus Activation = 4 // log(1 + eˣ)
	Linear   Activation = 5
)

var activationNames = []string{"relu", "tanh", "sigmoid", "retanh", "softplus", "linear"}

func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int32(a))
	}
	return activationNames[a]
}

// ParseActivation returns the activation named s ("relu" or pycog's
// "rectify", "tanh", "sigmoid", "retanh" or "rtanh", "softplus", "linear").
func ParseActivation(s string) (Activation, error) {
	switch strings.ToLower(s) {
	case "rectify":
		return ReLU, nil
	case "rtanh":
		return ReTanh, nil
	}
	for i, n := range activationNames {
		if strings.EqualFold(s, n) {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("ctrnn: unknown activation %q (want one of %s)", s, strings.Join(activationNames, ", "))
}

// Head is the output nonlinearity g.
type Head int32

// Output heads. The values are part of the C ABI.
const (
	LinearHead  Head = 0
	SigmoidHead Head = 1
	SoftmaxHead Head = 2
)

var headNames = []string{"linear", "sigmoid", "softmax"}

func (h Head) String() string {
	if h < 0 || int(h) >= len(headNames) {
		return fmt.Sprintf("Head(%d)", int32(h))
	}
	return headNames[h]
}

// ParseHead returns the output head named s.
func ParseHead(s string) (Head, error) {
	for i, n := range headNames {
		if strings.EqualFold(s, n) {
			return Head(i), nil
		}
	}
	return 0, fmt.Errorf("ctrnn: unknown output head %q (want one of %s)", s, strings.Join(headNames, ", "))
}

// DaleMode is how a weight with a sign mask is kept on the right side of
// zero. It applies only to weights that have a sign mask.
type DaleMode int32

// Dale mechanisms. The values are part of the C ABI.
const (
	// Rectify is pycog's W_eff = [M⊙W]₊·S; its gradient is ×1[M⊙W > 0], so a
	// raw weight that crosses zero stays there (learned pruning).
	Rectify DaleMode = 0
	// Abs is PsychRNN's W_eff = |M⊙W|·S; its gradient is ×sign(W).
	Abs DaleMode = 1
	// Clip is nn4n's projection: W_eff = M⊙W, and W is clamped onto the sign
	// constraints at creation and after every optimiser step.
	Clip DaleMode = 2
)

var daleNames = []string{"rectify", "abs", "clip"}

func (d DaleMode) String() string {
	if d < 0 || int(d) >= len(daleNames) {
		return fmt.Sprintf("DaleMode(%d)", int32(d))
	}
	return daleNames[d]
}

// ParseDaleMode returns the Dale mechanism named s.
func ParseDaleMode(s string) (DaleMode, error) {
	for i, n := range daleNames {
		if strings.EqualFold(s, n) {
			return DaleMode(i), nil
		}
	}
	return 0, fmt.Errorf("ctrnn: unknown Dale mode %q (want one of %s)", s, strings.Join(daleNames, ", "))
}

// Precision is the floating-point type of the compute. Parameters and the
// optimiser always keep float64; the engine works in the chosen precision.
type Precision int32

// Precisions. The values are part of the C ABI.
const (
	Float64 Precision = 0
	Float32 Precision = 1
)

func (p Precision) String() string {
	switch p {
	case Float64:
		return "float64"
	case Float32:
		return "float32"
	}
	return fmt.Sprintf("Precision(%d)", int32(p))
}

// Init names a weight initialisation scheme.
type Init int32

// Initialisation schemes. The values are part of the C ABI.
const (
	// InitUniform is nn4n's default: U(−1/√fan_in, 1/√fan_in).
	InitUniform Init = 0
	// InitNormal is N(0, 1/fan_in).
	InitNormal Init = 1
	// InitZero sets every weight to 0.
	InitZero Init = 2
	// InitPycog is Song et al.'s: W_in and W_out 0.1·U(−1,1); W_rec from
	// Gamma(k=2, θ=0.05) when it has a sign mask, else N(0,1) with a zero
	// diagonal; then W_rec is rescaled to spectral radius ρ0 (1.5 under
	// Dale's law, 1.1 without, unless Config.SpectralRadius is set).
	InitPycog Init = 3
)

var initNames = []string{"uniform", "normal", "zero", "pycog"}

func (i Init) String() string {
	if i < 0 || int(i) >= len(initNames) {
		return fmt.Sprintf("Init(%d)", int32(i))
	}
	return initNames[i]
}

// ParseInit returns the initialisation scheme named s.
func ParseInit(s string) (Init, error) {
	for i, n := range initNames {
		if strings.EqualFold(s, n) {
			return Init(i), nil
		}
	}
	return 0, fmt.Errorf("ctrnn: unknown initialisation %q (want one of %s)", s, strings.Join(initNames, ", "))
}

// Constraint holds the three masks of one weight matrix, each with the
// weight's shape (post, pre), row-major. Any of them may be nil.
type Constraint struct {
	// Sparsity is 0/1: entries with 0 are exactly 0 forever.
	Sparsity []float64
	// Sign is +1 (excitatory), −1 (inhibitory) or 0 (no synapse) per
	// synapse, or one value per presynaptic unit (length = columns).
	// A weight without a sign mask is unconstrained.
	Sign []float64
	// Plasticity in [0,1] scales the weight's updates; 0 fixes the weight.
	Plasticity []float64
}

// Config describes a model. The zero value of every optional field is a
// sensible default; see each field.
type Config struct {
	// Inputs (I), Units (N) and Outputs (O). I may be 0; N and O must be ≥ 1.
	Inputs, Units, Outputs int

	Activation Activation // default ReLU
	Head       Head       // default linear
	Dale       DaleMode   // default Rectify
	Precision  Precision  // default Float64
	Init       Init       // default InitUniform

	// Alpha is dt/τ for every unit (default 0.1, nn4n's 10/100).
	// Alphas, when set, gives one value per unit and overrides Alpha.
	Alpha  float64
	Alphas []float64
	// LearnAlpha makes α a trained parameter, kept in [AlphaMin, 1].
	LearnAlpha bool

	// PreNoise is nn4n's pre-activation noise σ_pre (added as α·σ_pre·ξ).
	// RecNoise is pycog's σ_rec (added to x as √(2α)·σ_rec·η).
	// PostNoise is nn4n's post-activation σ_post (added to r).
	PreNoise, RecNoise, PostNoise float64
	// InputBaseline u0 and InputNoise σ_in switch on pycog's input model
	// u = [u0 + u + √(2/α_in)·σ_in·ν]₊ with α_in = InputAlpha = dt/τ_in
	// (default: the mean of the initial α). Input noise is drawn only in
	// training mode.
	InputBaseline, InputNoise, InputAlpha float64

	// X0 is the initial state of every unit (pycog uses 0.1); TrainX0 makes
	// it a trained vector.
	X0      float64
	TrainX0 bool
	// TrainBiasIn, TrainBiasRec and TrainBiasOut make the biases trained
	// parameters; untrained biases stay at 0 unless set by hand.
	TrainBiasIn, TrainBiasRec, TrainBiasOut bool

	// SpectralRadius, when > 0, rescales the initial effective W_rec to it.
	SpectralRadius float64
	// Balance applies nn4n's E/I balance at initialisation: the larger of
	// the summed excitatory and inhibitory magnitudes of each signed weight
	// is scaled down to match the other.
	Balance bool

	// In, Rec and Out are the masks of W_in (N×I), W_rec (N×N), W_out (O×N).
	In, Rec, Out Constraint
	// RecInitScale (N×N, optional) multiplies the initial W_rec draw entry
	// by entry before the spectral rescaling: pycog's Crec values.
	RecInitScale []float64

	// Seed seeds the model's generator (initialisation and noise); at
	// most MaxSeed, so that the "seed" setting and a model file hold it
	// exactly.
	Seed uint64
}

// MaxSeed is the largest seed of a model: 2^53 − 1, the largest integer a
// double holds exactly.
const MaxSeed = 1<<53 - 1

// AlphaMin is the smallest α a learned α is allowed to reach.
const AlphaMin = 1e-4

// maxUnits bounds each dimension so that sizes cannot overflow.
const maxUnits = 1 << 20

// Validate reports the first problem with c, naming the field and the rule.
func (c *Config) Validate() error {
	switch {
	case c.Inputs < 0 || c.Inputs > maxUnits:
		return fmt.Errorf("ctrnn: Inputs = %d, want 0 ≤ Inputs ≤ %d", c.Inputs, maxUnits)
	case c.Units < 1 || c.Units > maxUnits:
		return fmt.Errorf("ctrnn: Units = %d, want 1 ≤ Units ≤ %d", c.Units, maxUnits)
	case c.Outputs < 1 || c.Outputs > maxUnits:
		return fmt.Errorf("ctrnn: Outputs = %d, want 1 ≤ Outputs ≤ %d", c.Outputs, maxUnits)
	case c.Activation < 0 || int(c.Activation) >= len(activationNames):
		return fmt.Errorf("ctrnn: unknown activation %d", c.Activation)
	case c.Head < 0 || int(c.Head) >= len(headNames):
		return fmt.Errorf("ctrnn: unknown output head %d", c.Head)
	case c.Dale < 0 || int(c.Dale) >= len(daleNames):
		return fmt.Errorf("ctrnn: unknown Dale mode %d", c.Dale)
	case c.Precision != Float64 && c.Precision != Float32:
		return fmt.Errorf("ctrnn: unknown precision %d", c.Precision)
	case c.Init < 0 || int(c.Init) >= len(initNames):
		return fmt.Errorf("ctrnn: unknown initialisation %d", c.Init)
	case c.Seed > MaxSeed:
		return errs.New(errs.Range, "ctrnn: Seed = %d, want 0 ≤ Seed ≤ 2^53 − 1", c.Seed)
	}
	if c.Alpha != 0 {
		if err := checkAlpha("Alpha", c.Alpha); err != nil {
			return err
		}
	}
	if c.Alphas != nil {
		if len(c.Alphas) != c.Units {
			return fmt.Errorf("ctrnn: len(Alphas) = %d, want Units = %d", len(c.Alphas), c.Units)
		}
		for i, a := range c.Alphas {
			if err := checkAlpha(fmt.Sprintf("Alphas[%d]", i), a); err != nil {
				return err
			}
		}
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"PreNoise", c.PreNoise}, {"RecNoise", c.RecNoise}, {"PostNoise", c.PostNoise}, {"InputNoise", c.InputNoise}, {"SpectralRadius", c.SpectralRadius}} {
		if !(p.v >= 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("ctrnn: %s = %v, want a finite value ≥ 0", p.name, p.v)
		}
	}
	if c.InputAlpha != 0 {
		if err := checkAlpha("InputAlpha", c.InputAlpha); err != nil {
			return err
		}
	}
	if !finite(c.InputBaseline) || !finite(c.X0) {
		return fmt.Errorf("ctrnn: InputBaseline and X0 must be finite")
	}
	if c.RecInitScale != nil {
		if len(c.RecInitScale) != c.Units*c.Units {
			return fmt.Errorf("ctrnn: RecInitScale has %d entries, want %d×%d", len(c.RecInitScale), c.Units, c.Units)
		}
		if k := firstNonFinite(c.RecInitScale); k >= 0 {
			return errs.New(errs.NotFinite, "ctrnn: RecInitScale[%d] = %v is not finite", k, c.RecInitScale[k])
		}
	}
	if err := c.In.validate("In", c.Units, c.Inputs); err != nil {
		return err
	}
	if err := c.Rec.validate("Rec", c.Units, c.Units); err != nil {
		return err
	}
	return c.Out.validate("Out", c.Outputs, c.Units)
}

func checkAlpha(name string, a float64) error {
	if !(a >= AlphaMin && a <= 1) {
		return fmt.Errorf("ctrnn: %s = %v, want %g ≤ α = dt/τ ≤ 1", name, a, AlphaMin)
	}
	return nil
}

// finite reports whether v is neither NaN nor ±Inf: v − v is 0 exactly
// for finite v and NaN otherwise (one subtraction, no branches on the
// class of v, which matters on a simulator's every step).
func finite(v float64) bool { return v-v == 0 }

func (c *Constraint) validate(name string, rows, cols int) error {
	n := rows * cols
	if c.Sparsity != nil {
		if len(c.Sparsity) != n {
			return fmt.Errorf("ctrnn: %s.Sparsity has %d entries, want %d×%d = %d", name, len(c.Sparsity), rows, cols, n)
		}
		for i, v := range c.Sparsity {
			if v != 0 && v != 1 {
				return fmt.Errorf("ctrnn: %s.Sparsity[%d,%d] = %v, want 0 or 1", name, i/cols, i%cols, v)
			}
		}
	}
	if c.Sign != nil {
		if len(c.Sign) != n && len(c.Sign) != cols {
			return fmt.Errorf("ctrnn: %s.Sign has %d entries, want %d×%d = %d (per synapse) or %d (per presynaptic unit)", name, len(c.Sign), rows, cols, n, cols)
		}
		for i, v := range c.Sign {
			if v != 0 && v != 1 && v != -1 {
				return fmt.Errorf("ctrnn: %s.Sign[%d] = %v, want +1, −1 or 0", name, i, v)
			}
		}
	}
	if c.Plasticity != nil {
		if len(c.Plasticity) != n {
			return fmt.Errorf("ctrnn: %s.Plasticity has %d entries, want %d×%d = %d", name, len(c.Plasticity), rows, cols, n)
		}
		for i, v := range c.Plasticity {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("ctrnn: %s.Plasticity[%d,%d] = %v, want a value in [0, 1]", name, i/cols, i%cols, v)
			}
		}
	}
	return nil
}
