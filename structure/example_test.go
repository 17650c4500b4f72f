// SPDX-License-Identifier: MIT

package structure_test

import (
	"fmt"

	"github.com/nn4n/nn4n/structure"
)

func ExampleMultiAreaEI() {
	c := structure.DefaultMultiAreaEI(2, 20, 1) // 2 inputs, 20 units, 1 output
	c.AreaNames = []string{"sensory", "motor"}
	c.Connectivity = []float64{0.3, 0.05, 0.5} // forward, backward, within
	c.InputAreas = []int{0}
	c.ReadoutAreas = []int{1}
	c.InhReadout = false
	c.InterArea[structure.InhToExc] = false // no long-range inhibition onto E units
	c.Seed = 1

	s, err := structure.MultiAreaEI(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	motor, _ := s.AreaIndicesByName("motor")
	fmt.Println("areas:", s.Areas())
	fmt.Println("motor units:", motor)
	fmt.Println("input units:", s.InputIndices())
	fmt.Println("readout units:", s.ReadoutIndices())
	fmt.Println("inhibitory units:", s.InhibitoryIndices())
	fmt.Println("W_rec mask shape:", s.N, "x", s.N, "entries", len(s.Hidden))

	c.Connectivity = []float64{0.3, 0.05, 1.5}
	_, err = structure.MultiAreaEI(c)
	fmt.Println(err)
	// Output:
	// areas: [sensory motor]
	// motor units: [10 11 12 13 14 15 16 17 18 19]
	// input units: [0 1 2 3 4 5 6 7 8 9]
	// readout units: [10 11 12 13 14 15 16 17]
	// inhibitory units: [8 9 18 19]
	// W_rec mask shape: 20 x 20 entries 400
	// structure: area_connectivities: entry 2 must be in [0, 1], got 1.5
}
