//go:build !purego

package linalg

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
// int openblas_get_num_threads(void);
// char* openblas_get_config(void);
// char* openblas_get_corename(void);
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
	// nn4n parallelises over the trials of a batch with goroutines, each
	// calling OpenBLAS on its own thread; OpenBLAS's own threads would
	// compete with them (and spin while idle), so they are off by default.
	C.openblas_set_num_threads(1)
}

// SetThreads sets the number of threads OpenBLAS uses (n ≥ 1) in each
// call. Only for measuring BLAS itself: nn4n's engine expects 1.
func SetThreads(n int) {
	if n < 1 {
		n = 1
	}
	C.openblas_set_num_threads(C.int(n))
}

// Threads returns the number of threads OpenBLAS uses.
func Threads() int { return int(C.openblas_get_num_threads()) }

// Info describes the BLAS in use: "OpenBLAS <config> (core <name>)".
func Info() string {
	return "OpenBLAS " + C.GoString(C.openblas_get_config()) + " (core " + C.GoString(C.openblas_get_corename()) + ")"
}
