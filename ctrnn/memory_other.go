// SPDX-License-Identifier: MIT

//go:build !linux

package ctrnn

// physicalMemory returns 0: the RAM size is not read on this system.
func physicalMemory() uint64 { return 0 }
