// SPDX-License-Identifier: MIT

// Command capi is nn4n's C ABI, built with go build -buildmode=c-shared into
// libnn4n.so. Every export is declared in include/nn4n.h, which the cgo
// preamble includes so that the compiler rejects any mismatch; every export
// runs through scope.run, which validates pointers and lengths before memory
// is touched, maps errors to status codes and the thread's last error, and
// recovers panics. capi converts and calls the packages: it holds no
// numerics of its own.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

import (
	"runtime"
	"sync"

	"github.com/nn4n/nn4n/ctrnn"
	"github.com/nn4n/nn4n/internal/linalg"
)

// version is stamped by the Makefile with -ldflags "-X main.version=…".
var version = "0.1.0"

func main() {}

func init() { keepSecondP() }

// keepSecondP gives Go a second P when it has one (a machine, cgroup or
// GOMAXPROCS=1 of one CPU), for the reason nn4n_set_num_threads gives; the
// library still computes on one thread.
func keepSecondP() {
	if n := runtime.GOMAXPROCS(0); n < 2 {
		ctrnn.SetThreads(n)
		runtime.GOMAXPROCS(2)
	}
}

var versionOnce struct {
	sync.Once
	s *C.char
}

//export nn4n_version_string
func nn4n_version_string() *C.nn4n_cchar {
	versionOnce.Do(func() { versionOnce.s = C.CString(version) }) // allocated once, never freed
	return (*C.nn4n_cchar)(versionOnce.s)
}

//export nn4n_set_num_threads
func nn4n_set_num_threads(n C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_set_num_threads", func() error {
		k, err := dim(n, "n", 1, 4096)
		if err != nil {
			return err
		}
		// The engine computes on k threads (OpenBLAS stays single-threaded:
		// the engine splits batches); Go keeps a second P even for k = 1, so
		// that OpenBLAS calls longer than a sysmon tick are not retaken from
		// the caller (see ctrnn.SetThreads).
		ctrnn.SetThreads(k)
		runtime.GOMAXPROCS(max(k, 2))
		return nil
	})
}

//export nn4n_get_num_threads
func nn4n_get_num_threads(goThreads, blasThreads *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_get_num_threads", func() error {
		if goThreads != nil {
			*goThreads = C.int64_t(ctrnn.Threads())
		}
		if blasThreads != nil {
			*blasThreads = C.int64_t(linalg.Threads())
		}
		return nil
	})
}

//export nn4n_blas_info
func nn4n_blas_info(buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_blas_info", func() error { return putString(linalg.Info(), buf, n, needed) })
}

//export nn4n_runtime_stats
func nn4n_runtime_stats(live, heap *C.int64_t) C.int32_t {
	var s scope
	return s.run("nn4n_runtime_stats", func() error {
		if live != nil {
			*live = C.int64_t(liveHandles())
		}
		if heap != nil {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			*heap = C.int64_t(ms.HeapAlloc)
		}
		return nil
	})
}
