# nn4n: build, test, demo and benchmarks. See README.md.
#
#   make                      build/libnn4n.so (+ build/nn4n.h) and every Go package
#   make install PREFIX=/usr/local [DESTDIR=…]   library, header and nn4n.pc
#   make test                 Go vet and tests, then the C ABI suites (tests/c/run.sh)
#   make bench                benchmarks, nn4n vs PyTorch nn4n side by side (docs/BENCHMARKS.md)
#   make demo                 the demo
#   make python               .venv with the Python binding (bindings/python) installed
#   make test-python          the Python binding's pytest suite
#   make test-matlab          the MATLAB binding's suite in GNU Octave (bindings/matlab/tests/run.sh)
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
LDFLAGS := -s -w -X main.version=$(VERSION) -extldflags '-Wl,-soname,$(SONAME)'
GO_SRC  := $(shell find . -name '*.go' -not -path './build/*' -not -name '*_test.go') go.mod go.sum \
           $(wildcard capi/*.c capi/*.h) include/nn4n.h

.PHONY: all lib deps test test-c test-python python bench demo install clean
.PHONY: test-matlab matlab-test matlab-proto matlab-mex test-bench

all: $(STAMP) lib
	$(GO) build ./...

lib: $(LIB)

# The library is linked in two parts (tools/gen_shim.py): ./capi as a Go
# c-archive whose exports objcopy renames nn4n_X -> nn4ngo_X, and capi/shim/,
# the C entry points nn4n_X that refuse to enter Go in a forked child
# (NN4N_ERR_FORK) and otherwise call nn4ngo_X. Only nn4n_* is exported.
# The cgo-generated header is deleted: include/nn4n.h is the only header.
$(LIB): $(STAMP) $(GO_SRC) $(wildcard capi/shim/*)
	@mkdir -p build
	python3 tools/gen_shim.py --check
	$(GO) build -buildmode=c-archive -trimpath -ldflags "$(LDFLAGS)" -o build/libnn4n_go.a ./capi
	objcopy --redefine-syms=capi/shim/renames.txt build/libnn4n_go.a build/libnn4n_go.renamed.a
	printf '{ global: nn4n_*; local: *; };\n' > build/libnn4n.map
	$(CC) -shared -fPIC -O2 -s -Iinclude -o $@ -Wl,-soname,$(SONAME) -Wl,-z,nodelete \
		-Wl,--version-script=build/libnn4n.map capi/shim/fork.c capi/shim/shim_gen.c \
		-Wl,--whole-archive build/libnn4n_go.renamed.a -Wl,--no-whole-archive -lopenblas -lpthread -lm
	rm -f build/libnn4n.h build/libnn4n_go.h build/libnn4n_go.a build/libnn4n_go.renamed.a
	cp include/nn4n.h build/nn4n.h
	ln -sf libnn4n.so build/$(SONAME)

# deps installs the system packages once per machine (scripts/ is idempotent).
deps: $(STAMP)
$(STAMP): scripts/install-deps.sh
	./scripts/install-deps.sh
	@mkdir -p build && touch $@

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(LIB) $(DESTDIR)$(PREFIX)/lib/libnn4n.so.$(VERSION)
	ln -sf libnn4n.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libnn4n.so
	install -m 644 include/nn4n.h $(DESTDIR)$(PREFIX)/include/nn4n.h
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
		'Name: nn4n' 'Description: continuous-time E/I recurrent networks (C ABI)' 'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lnn4n' 'Libs.private: -lopenblas -lpthread' \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nn4n.pc

test: $(STAMP) lib
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(MAKE) --no-print-directory test-c
	$(MAKE) --no-print-directory test-python
	$(MAKE) --no-print-directory test-matlab
	$(MAKE) --no-print-directory test-bench

# test-c runs the C ABI suites of tests/c (see tests/c/README.md).
test-c: lib
	GO="$(GO)" ./tests/c/run.sh

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

# MATLAB binding (bindings/matlab): the loadlibrary prototype file and the MEX
# table are generated from include/nn4n.h (test-matlab fails if the shipped
# ones differ); the Octave MEX gateway links build/libnn4n.so.
test-matlab: lib
	./bindings/matlab/tests/run.sh
matlab-test: test-matlab
matlab-proto:
	python3 bindings/matlab/tools/gen_interface.py
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

# demo trains pycog's E/I rdm_dense network from Python and writes demo/.
demo: python
	$(PY) examples/python/demo_rdm.py demo

clean:
	rm -rf build
