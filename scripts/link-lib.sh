#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# link-lib.sh: the one recipe that links libnn4n (used by `make lib`,
# `make install`, scripts/build-wheel.sh and the sdist's setup.py).
#
#   scripts/link-lib.sh SO [ARCHIVE]
#
# ./capi is built once as a Go c-archive; objcopy renames its exports
# nn4n_X -> nn4ngo_X (capi/shim/renames.txt, tools/gen_shim.py); the C entry
# points of capi/shim/ (nn4n_X: NN4N_ERR_FORK in a forked child, else
# nn4ngo_X) are compiled with $CC and
#  - linked with it into the shared library SO (soname libnn4n.so.MAJOR,
#    only nn4n_* exported), and
#  - if ARCHIVE is given, added to the renamed archive, giving the static
#    library (link it with $BLAS_LIBS -lpthread -lm -ldl).
# Environment: GO (go), CC (cc; the compiler and linker, e.g. zig cc),
# GO_TAGS (build tags), CGO_CFLAGS / CGO_LDFLAGS (passed to cgo),
# BLAS_LIBS (-lopenblas), OBJCOPY (objcopy), AR (ar).
set -euo pipefail
SO=${1:?usage: link-lib.sh SO [ARCHIVE]}
A=${2:-}
cd "$(dirname "$0")/.."
GO=${GO:-go}
CC=${CC:-cc}
OBJCOPY=${OBJCOPY:-objcopy}
AR=${AR:-ar}
BLAS_LIBS=${BLAS_LIBS:--lopenblas}
for t in "$GO" "${CC%% *}" "$OBJCOPY" "$AR"; do
	command -v "$t" >/dev/null || { echo "link-lib: $t not found" >&2; exit 1; }
done
VMAJOR=$(sed -n 's/^#define NN4N_VERSION_MAJOR \([0-9]*\)$/\1/p' include/nn4n.h)
VMINOR=$(sed -n 's/^#define NN4N_VERSION_MINOR \([0-9]*\)$/\1/p' include/nn4n.h)
VPATCH=$(sed -n 's/^#define NN4N_VERSION_PATCH \([0-9]*\)$/\1/p' include/nn4n.h)
VERSION=$VMAJOR.$VMINOR.$VPATCH
T=$(dirname "$SO")/.link-lib.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
export CC CGO_ENABLED=1
"$GO" build ${GO_TAGS:+-tags "$GO_TAGS"} -buildmode=c-archive -trimpath \
	-ldflags "-s -w -X main.version=$VERSION" -o "$T/go.a" ./capi
"$OBJCOPY" --redefine-syms=capi/shim/renames.txt "$T/go.a" "$T/go.renamed.a"
for c in fork shim_gen; do
	$CC -c -fPIC -O2 -Iinclude -o "$T/nn4n_shim_$c.o" "capi/shim/$c.c"
done
printf '{ global: nn4n_*; local: *; };\n' > "$T/libnn4n.map"
$CC -shared -fPIC -O2 -s -o "$SO" -Wl,-soname,libnn4n.so.$VMAJOR -Wl,-z,nodelete \
	-Wl,--version-script="$T/libnn4n.map" "$T/nn4n_shim_fork.o" "$T/nn4n_shim_shim_gen.o" \
	-Wl,--whole-archive "$T/go.renamed.a" -Wl,--no-whole-archive \
	${CGO_LDFLAGS:-} $BLAS_LIBS -lpthread -lm -ldl
if [ -n "$A" ]; then
	mkdir -p "$(dirname "$A")"
	cp "$T/go.renamed.a" "$T/out.a"
	"$AR" rcs "$T/out.a" "$T/nn4n_shim_fork.o" "$T/nn4n_shim_shim_gen.o"
	mv "$T/out.a" "$A"
fi
