// SPDX-License-Identifier: MIT

package ctrnn

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// Reinitialize draws every weight afresh from the current settings and
// masks (scheme, E/I balance, spectral radius), restarting the generator
// from the model's seed, and resets biases to 0 and α and x0 to their
// configured values.
func (m *Model) Reinitialize() error {
	m.Reseed(m.cfg.Seed)
	clear(m.bIn)
	clear(m.bRec)
	clear(m.bOut)
	m.resetVectors()
	return m.initialize()
}

// newEngine builds the engine of the configured precision.
func (m *Model) newEngine() {
	i, n, o := m.Dims()
	if m.cfg.Precision == Float32 {
		m.run = newRunner[float32](i, n, o)
	} else {
		m.run = newRunner[float64](i, n, o)
	}
	m.stale = true
}
