# nn4n: build, test, demo and benchmarks. See README.md.

GO      ?= go
STAMP   := build/.deps

.PHONY: all deps test bench demo clean

all: $(STAMP)
	$(GO) build ./...

# deps installs the system packages once per machine (scripts/ is idempotent).
deps: $(STAMP)
$(STAMP): scripts/install-deps.sh
	./scripts/install-deps.sh
	@mkdir -p build && touch $@

test: $(STAMP)
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench: $(STAMP)
	$(GO) test -run '^$$' -bench . -benchmem ./ctrnn/

demo: $(STAMP)
	$(GO) run ./examples/go/train -task rdm_dense -seed 101

clean:
	rm -rf build
