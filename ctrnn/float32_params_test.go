// SPDX-License-Identifier: MIT

package ctrnn

import (
	"slices"
	"testing"
)

// TestFloat32DependsOnFloat32Params checks that a float32 model computes
// bit-identical outputs, rates and states from its parameters and from their
// float32 roundings (what a torch float32 state_dict holds): the engine
// rounds every parameter before combining it with another.
func TestFloat32DependsOnFloat32Params(t *testing.T) {
	for _, dale := range []DaleMode{Rectify, Abs, Clip} {
		t.Run(dale.String(), func(t *testing.T) {
			cfg := testConfig(Tanh, LinearHead, dale, 31)
			cfg.Precision = Float32
			var models [2]*Model
			for k := range models {
				m, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				models[k] = m
			}
			randomizeParams(models[0], 31)
			inexact := 0
			for k, p := range models[0].Params() {
				q := models[1].Params()[k]
				for i, v := range p.Value {
					q.Value[i] = float64(float32(v))
					if q.Value[i] != v {
						inexact++
					}
				}
			}
			if inexact == 0 {
				t.Fatal("every parameter is already a float32 value: the test would prove nothing")
			}
			models[1].project()
			b := randomBatch(31, 3, 25, 3, 2)
			var trs [2]*Trajectory
			for k, m := range models {
				m.SetTraining(true) // noise on, the same draws in both
				m.Reseed(5)
				tr, err := m.Forward(b, Needs{Rates: true, States: true})
				if err != nil {
					t.Fatal(err)
				}
				trs[k] = tr
			}
			for _, c := range []struct {
				name string
				a, b []float64
			}{{"outputs", trs[0].Outputs, trs[1].Outputs}, {"rates", trs[0].Rates, trs[1].Rates},
				{"states", trs[0].States, trs[1].States}} {
				if !slices.Equal(c.a, c.b) {
					t.Errorf("%s differ (relative %.3g) between the parameters and their float32 roundings",
						c.name, relErr(c.a, c.b))
				}
			}
		})
	}
}
