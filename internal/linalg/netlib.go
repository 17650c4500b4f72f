// SPDX-License-Identifier: MIT

//go:build !purego

package linalg

// // The library to link: openblas_system.go or openblas_scipy.go.
// void openblas_set_num_threads(int);
// int blas_thread_shutdown_(void) __attribute__((weak)); // OpenBLAS's pthreads server
// static void stopServer(void) { if (blas_thread_shutdown_) blas_thread_shutdown_(); }
// int openblas_get_num_threads(void);
// char* openblas_get_config(void);
// char* openblas_get_corename(void);
import "C"

import (
	"sync"

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
	C.stopServer()
}

// region serialises multi-threaded regions.
var region sync.Mutex

// WithThreads runs f with OpenBLAS on n threads (n ≤ 1: f runs as is).
// Regions run one at a time. Afterwards OpenBLAS is single-threaded again
// and, unless another goroutine's call is still running, its worker
// threads are stopped: idle, they keep waking up and take CPU from the
// callers' own threads.
func WithThreads(n int, f func()) {
	if n <= 1 {
		f()
		return
	}
	region.Lock()
	defer region.Unlock()
	C.openblas_set_num_threads(C.int(n))
	defer func() {
		// A call that starts from here on reads 1 thread; one that is
		// still running may be using the workers, so they stay.
		C.openblas_set_num_threads(1)
		if inflight.Load() == 0 {
			C.stopServer()
		}
	}()
	f()
}

// Threads returns the number of threads OpenBLAS uses.
func Threads() int { return int(C.openblas_get_num_threads()) }

// Info describes the BLAS in use: "OpenBLAS <config> (core <name>)".
func Info() string {
	return "OpenBLAS " + C.GoString(C.openblas_get_config()) + " (core " + C.GoString(C.openblas_get_corename()) + ")"
}
