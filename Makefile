# nn4n: build, test, demo and benchmarks. See README.md.
#
#   make                      build/libnn4n.so (+ build/nn4n.h) and every Go package
#   make install PREFIX=/usr/local [DESTDIR=…]   shared library, static archive, header,
#                             nn4n.pc and lib/cmake/nn4n (find_package(nn4n): nn4n::nn4n)
#   make test-install         install into a temp prefix; examples/cmake and the README's cc line
#   make check                the fast tier (~2 min): generators --check, go vet, go test -short,
#                             the purego build and its -short tests, the quick C suites, a Python smoke
#   make test                 the full gate: Go vet and tests, then the C ABI suites (tests/c/run.sh) ...
#   make bench                benchmarks, nn4n vs PyTorch nn4n side by side (docs/BENCHMARKS.md)
#   make bench-peers          nn4n vs JAX and PyTorch 2 (eager, torch.compile), venvs of their own
#                             in build/bench-venvs (docs/BENCHMARKS.md; never part of make test)
#   make demo                 the demo
#   make flipflop             3-bit flip-flop fixed points and spectra (build/flipflop/)
#   make context              context-dependent task: fixed points per context, input sweeps (build/context/)
#   make python               .venv with the Python binding (bindings/python) installed
#   make test-python          the Python binding's pytest suite
#   make wheel                build/dist/nn4n-*-py3-none-manylinux_2_17_x86_64.whl (docs/PACKAGING.md)
#   make test-wheel           that wheel in a fresh venv of another Python, system OpenBLAS masked
#   make bench-wheel          the wheel's OpenBLAS vs the system one, 256x64x200 forward/train
#   make sdist                build/dist/nn4n-*.tar.gz: pip builds it from source (Go, cc, OpenBLAS)
#   make test-sdist           that sdist pip-installed in fresh venvs, with and without Go (~3 min)
#   make test-matlab          the MATLAB binding's suite in GNU Octave (bindings/matlab/tests/run.sh)
#   make test-reliability     hostile input, full disk, kill -9 and thread hammer on every door (tests/reliability)
#   make soak                 the long reliability run: fuzzers and a mixed-load soak with RSS/fd sampling
#   make matlab-proto         regenerate the MATLAB prototype file and MEX table from include/nn4n.h

GO      ?= go
STAMP   := build/.deps
PREFIX  ?= /usr/local

# The version comes from include/nn4n.h, the one place it is written.
VMAJOR  := $(shell sed -n 's/^\#define NN4N_VERSION_MAJOR \([0-9]*\)$$/\1/p' include/nn4n.h)
VMINOR  := $(shell sed -n 's/^\#define NN4N_VERSION_MINOR \([0-9]*\)$$/\1/p' include/nn4n.h)
VPATCH  := $(shell sed -n 's/^\#define NN4N_VERSION_PATCH \([0-9]*\)$$/\1/p' include/nn4n.h)
VERSION := $(VMAJOR).$(VMINOR).$(VPATCH)
SONAME  := libnn4n.so.$(VMAJOR)
LIB     := build/libnn4n.so
ARCHIVE := build/archive/libnn4n.a
GO_SRC  := $(shell find . -name '*.go' -not -path './build/*' -not -name '*_test.go') go.mod go.sum \
           $(wildcard capi/*.c capi/*.h) include/nn4n.h

.PHONY: all lib deps test test-c test-python python bench demo install clean
.PHONY: test-matlab matlab-test matlab-proto matlab-mex test-bench wheel test-wheel test-install flipflop context test-reliability soak neurogym-table
.PHONY: bindings check-bindings check sdist test-sdist bench-wheel bench-peers

all: $(STAMP) lib
	$(GO) build ./...

lib: $(LIB)

# The library is linked in two parts (tools/gen_shim.py) by
# scripts/link-lib.sh, the one recipe shared with the wheel and the sdist:
# ./capi as a Go c-archive whose exports objcopy renames nn4n_X -> nn4ngo_X,
# and capi/shim/, the C entry points nn4n_X that refuse to enter Go in a
# forked child (NN4N_ERR_FORK) and otherwise call nn4ngo_X. Only nn4n_* is
# exported. The same objects make the static archive $(ARCHIVE).
# include/nn4n.h is the only header.
$(LIB) $(ARCHIVE) &: $(STAMP) $(GO_SRC) $(wildcard capi/shim/*) scripts/link-lib.sh
	@mkdir -p build
	python3 tools/gen_shim.py --check
	GO="$(GO)" CC="$(CC)" ./scripts/link-lib.sh $(LIB) $(ARCHIVE)
	cp include/nn4n.h build/nn4n.h
	ln -sf libnn4n.so build/$(SONAME)

# deps installs the system packages once per machine (scripts/ is idempotent).
deps: $(STAMP)
$(STAMP): scripts/install-deps.sh
	./scripts/install-deps.sh
	@mkdir -p build && touch $@

install: lib $(ARCHIVE)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/cmake/nn4n
	install -m 755 $(LIB) $(DESTDIR)$(PREFIX)/lib/libnn4n.so.$(VERSION)
	install -m 644 $(ARCHIVE) $(DESTDIR)$(PREFIX)/lib/libnn4n.a
	for f in nn4nConfig nn4nConfigVersion; do \
		sed 's/@VERSION@/$(VERSION)/g; s/@VMAJOR@/$(VMAJOR)/g' cmake/$$f.cmake.in \
			> $(DESTDIR)$(PREFIX)/lib/cmake/nn4n/$$f.cmake || exit 1; done
	ln -sf libnn4n.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libnn4n.so
	install -m 644 include/nn4n.h $(DESTDIR)$(PREFIX)/include/nn4n.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
		'Name: nn4n' 'Description: continuous-time E/I recurrent networks (C ABI)' 'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -Wl,-rpath,$${libdir} -lnn4n' \
		'Libs.private: -lopenblas -lpthread -lm -ldl' \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nn4n.pc

test: $(STAMP) lib
	python3 tools/gen_bindings.py --check
	python3 tools/gen_matlab_keys.py --check
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory test-c
	$(MAKE) --no-print-directory test-install
	$(MAKE) --no-print-directory test-python
	$(MAKE) --no-print-directory test-matlab
	$(MAKE) --no-print-directory test-bench
	$(MAKE) --no-print-directory test-wheel
	$(MAKE) --no-print-directory test-reliability

# check: the fast tier. The purego build (internal/linalg/purego.go: gonum's
# pure-Go BLAS, no cgo) is compiled and its -short tests run; capi needs cgo
# and drops out of it. PY_SMOKE are the Python tests without the parity and
# convergence runs.
PUREGO_PKGS = $(shell CGO_ENABLED=0 $(GO) list -tags purego ./... | grep -v '/capi$$')
PY_SMOKE := test_abi_table.py test_errors.py test_keys.py test_loader_advice.py test_native.py
check: $(STAMP) lib
	python3 tools/gen_bindings.py --check
	python3 tools/gen_shim.py --check
	python3 tools/gen_matlab_keys.py --check
	$(GO) vet ./...
	$(GO) test -short -count=1 ./...
	CGO_ENABLED=0 $(GO) vet -tags purego $(PUREGO_PKGS)
	CGO_ENABLED=0 $(GO) test -short -count=1 -tags purego $(PUREGO_PKGS)
	GO="$(GO)" PYTHON=/usr/bin/python3 ./tests/c/run.sh quick
	$(MAKE) --no-print-directory python
	cd bindings/python/tests && $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider $(PY_SMOKE)

# test-reliability: every front door (C, Python, Octave) under hostile files
# and arguments, a full tmpfs, kill -9 during saves, an 8-thread hammer
# (tests/reliability/run.sh, ~1 min). soak: the long version (SOAK_MINUTES).
test-reliability: lib python
	PYTHON=/usr/bin/python3 ./tests/reliability/run.sh
soak: lib python
	./tests/reliability/soak.sh

# test-c runs the C ABI suites of tests/c (see tests/c/README.md).
test-c: lib
	GO="$(GO)" PYTHON=/usr/bin/python3 NN4N_REQUIRE_NUMPY=1 ./tests/c/run.sh

# test-install: make install into a temporary prefix, then examples/cmake
# (find_package(nn4n), shared and static) and the README's one-line cc build
# run without LD_LIBRARY_PATH (tests/install/run.sh).
test-install: lib $(ARCHIVE)
	GO="$(GO)" ./tests/install/run.sh

# Python binding: a venv that sees Debian's python3-torch (system site packages),
# PyTorch nn4n 1.1.1 in its own folder (it is also called nn4n) for the parity
# tests, neurogym without its numpy-2 pin, then the binding with libnn4n.so
# bundled.
VENV      := .venv
PY        := $(VENV)/bin/python
PYSTAMP   := $(VENV)/.nn4n-deps

$(PYSTAMP): $(STAMP) bindings/python/requirements-dev.txt
	/usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -c 'import numpy; print("numpy==" + numpy.__version__)' > $(VENV)/constraints.txt
	$(PY) -m pip install -q -c $(VENV)/constraints.txt -r bindings/python/requirements-dev.txt
	$(PY) -m pip install -q --no-deps neurogym==2.3.1
	$(PY) -m pip install -q --no-deps --upgrade --target $(VENV)/nn4n-torch-1.1.1 nn4n==1.1.1
	touch $@

python: lib $(PYSTAMP)
	cp $(LIB) bindings/python/nn4n/libnn4n.so
	$(PY) -m pip install -q --no-deps --no-build-isolation --force-reinstall ./bindings/python

test-python: python
	NN4N_TORCH_REF=$(CURDIR)/$(VENV)/nn4n-torch-1.1.1 $(PY) -m pytest -q -p no:cacheprovider \
		bindings/python/tests; rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "test-python: no tests ran" >&2; exit 1; fi; exit $$rc

# wheel: the manylinux wheel, OpenBLAS (scipy-openblas32) inside, built by
# zig cc for glibc 2.17 in its own tool venv build/wheel-venv (docs/PACKAGING.md).
WHEEL_STAMP := build/dist/.stamp
wheel: $(WHEEL_STAMP)
$(WHEEL_STAMP): $(GO_SRC) $(wildcard capi/shim/*) scripts/link-lib.sh scripts/build-wheel.sh bindings/python/setup.py bindings/python/pyproject.toml \
		$(wildcard bindings/python/nn4n/*.py)
	GO="$(GO)" ./scripts/build-wheel.sh
	touch $@

test-wheel: wheel
	./tests/wheel/run.sh

# bench-wheel: forward/train at N=256 B=64 T=200 float32, the wheel's
# libnn4n.so (scipy-openblas32) against build/libnn4n.so (system OpenBLAS),
# interleaved rounds (bench/wheel_blas.py, ~1-3 min; not in make test).
bench-wheel: test-wheel python
	$(PY) bench/wheel_blas.py $(LIB) $$(ls -d build/wheel-test/venv-*/lib/python*/site-packages/nn4n/libnn4n.so | head -1)

# sdist: build/dist/nn4n-<ver>.tar.gz, the Python package with the Go sources
# and vendored modules under native/; pip builds it with the system's Go, cc
# and OpenBLAS (scripts/build-sdist.sh). test-sdist (~3 min, not in make test):
# pip install of it in fresh venvs, with and without Go (tests/sdist/run.sh).
sdist:
	GO="$(GO)" ./scripts/build-sdist.sh
test-sdist: sdist
	GO="$(GO)" ./tests/sdist/run.sh

# MATLAB binding (bindings/matlab): the loadlibrary prototype file and the MEX
# table are generated from include/nn4n.h (test-matlab fails if the shipped
# ones differ); the Octave MEX gateway links build/libnn4n.so.
test-matlab: lib
	./bindings/matlab/tests/run.sh
matlab-test: test-matlab
# bindings regenerates every binding table from include/nn4n.h (Python
# _abi.py, MATLAB prototype file, constants and error ids, Octave MEX table)
# and nn4n.CTRNN's setting properties from the library's key table;
# check-bindings fails when one is stale.
bindings:
	python3 tools/gen_bindings.py
	$(MAKE) --no-print-directory lib
	python3 tools/gen_matlab_keys.py
check-bindings: lib
	python3 tools/gen_bindings.py --check
	python3 tools/gen_matlab_keys.py --check
matlab-proto: bindings
matlab-mex: lib
	./bindings/matlab/tools/build_mex.sh

# bench: the engine's Go benchmarks and the C ABI step, then bench/run.py:
# nn4n against PyTorch nn4n 1.1.1 side by side in one run (interleaved
# rounds, rdm_dense to criterion, profiles), written to docs/BENCHMARKS.md
# (see bench/README.md). BENCH_QUICK=1: a ~2-minute smoke run whose report
# goes to build/bench/BENCHMARKS.quick.md. test-bench: a ~10 s check that
# every bench script runs (part of make test).
bench: $(STAMP) lib python
ifneq ($(BENCH_QUICK),1)
	$(GO) test -run '^$$' -bench . -benchmem ./ctrnn/
	GO="$(GO)" ./tests/c/run.sh bench
endif
	GO="$(GO)" $(PY) bench/run.py

test-bench: lib python
	GO="$(GO)" $(PY) bench/run.py --smoke

# bench-peers: the same workload written idiomatically in JAX (jit, lax.scan,
# optax) and PyTorch 2 (eager and torch.compile), identical weights and data,
# numerics checked against nn4n before timing (bench/peers/run.py, ~15 min).
# bench/peers/setup_venvs.sh installs torch and JAX into build/bench-venvs
# (idempotent; downloads several GB the first time). PEERS_ARGS passes options
# (--smoke, --shapes 64x16x100,...). Not part of make test.
bench-peers: lib python
	./bench/peers/setup_venvs.sh
	$(PY) bench/peers/run.py $(PEERS_ARGS)

# neurogym-table trains the neurogym tasks of examples/python/neurogym_table.py
# with the default recipe (~5 min) and prints the table of docs/RESULTS.md.
neurogym-table: python
	$(PY) examples/python/neurogym_table.py --updates 2000 --seed 0 --out build/neurogym_table.md

# demo trains pycog's E/I rdm_dense network from Python and writes demo/.
demo: python
	$(PY) examples/python/demo_rdm.py demo

# flipflop trains a 3-bit flip-flop and writes its fixed points and spectra
# (examples/python/flipflop_fixed_points.py) to build/flipflop/.
flipflop: python
	$(PY) examples/python/flipflop_fixed_points.py --out build/flipflop

# context trains a context-dependent integration network (Mante et al. 2013) and
# writes its input-conditioned fixed points and input sweeps
# (examples/python/context_fixed_points.py) to build/context/.
context: python
	$(PY) examples/python/context_fixed_points.py --out build/context

clean:
	rm -rf build
