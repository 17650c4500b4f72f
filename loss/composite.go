// SPDX-License-Identifier: MIT

package loss

import (
	"errors"
	"fmt"

	"github.com/nn4n/nn4n/ctrnn"
)

// Weighted is one named, weighted term of a Composite.
type Weighted struct {
	// Name is the term's report name; empty means the criterion's Kind.
	// Names must be unique within a Composite.
	Name string
	// Lambda multiplies the criterion; zero means 1, nn4n's default
	// "lambda". Remove a term to switch it off.
	Lambda float64
	// Criterion computes the term.
	Criterion Criterion
}

func (t Weighted) name() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Criterion.Kind()
}

func (t Weighted) lambda() float64 {
	if t.Lambda == 0 {
		return 1
	}
	return t.Lambda
}

// Composite is nn4n's CompositeLoss: L = Σ_i λ_i·C_i over its terms.
// Evaluate reports "total" and then, in order, each term under its name
// with its weighted value λ_i·C_i, as nn4n's loss dictionary does.
type Composite struct {
	// Terms are evaluated and reported in order.
	Terms []Weighted
}

var _ ctrnn.Objective = Composite{}

// Needs reports every trajectory any term reads.
func (c Composite) Needs() ctrnn.Needs {
	var n ctrnn.Needs
	for _, t := range c.Terms {
		if t.Criterion != nil {
			n = orNeeds(n, t.Criterion.Needs())
		}
	}
	return n
}

// Evaluate computes every term, adds λ_i times its gradient into g, and
// returns the total followed by the weighted terms. After an error g may
// hold part of the gradient and should be discarded.
func (c Composite) Evaluate(b *ctrnn.Batch, tr *ctrnn.Trajectory, w *ctrnn.Weights, g *ctrnn.ObjectiveGrad) ([]ctrnn.Term, error) {
	if g == nil {
		return nil, errors.New("loss: nil gradient")
	}
	if len(c.Terms) == 0 {
		return nil, errors.New("loss: composite has no terms")
	}
	seen := make(map[string]bool, len(c.Terms))
	for i, t := range c.Terms {
		if t.Criterion == nil {
			return nil, fmt.Errorf("loss: composite term %d has no criterion", i)
		}
		name := t.name()
		if name == "total" {
			return nil, errors.New(`loss: composite term name "total" is reserved`)
		}
		if seen[name] {
			return nil, fmt.Errorf("loss: composite term name %q is used twice", name)
		}
		seen[name] = true
	}
	terms := make([]ctrnn.Term, 1, len(c.Terms)+1)
	terms[0].Name = "total"
	for _, t := range c.Terms {
		lam := t.lambda()
		v, err := t.Criterion.Add(b, tr, w, g, lam)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name(), err)
		}
		terms = append(terms, ctrnn.Term{Name: t.name(), Value: lam * v})
		terms[0].Value += lam * v
	}
	return terms, nil
}
