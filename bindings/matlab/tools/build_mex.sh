#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build_mex.sh builds the Octave MEX gateway of the nn4n MATLAB binding:
#   bindings/matlab/+nn4n/+internal/nn4n_mex.mex  from  bindings/matlab/mex/nn4n_mex.c
# linked against build/libnn4n.so (or $NN4N_LIBDIR/libnn4n.so), with an rpath to
# that directory, and -z nodelete so that the Go runtime inside libnn4n is never
# unloaded. MATLAB users do not need it (they use calllib); to build the same
# gateway with MATLAB's mex, run nn4n.buildMex in MATLAB.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
libdir=${NN4N_LIBDIR:-$repo/build}
incdir=${NN4N_INCDIR:-$repo/include}
out=$here/+nn4n/+internal/nn4n_mex.mex
MKOCTFILE=${MKOCTFILE:-mkoctfile}

if [ ! -e "$libdir/libnn4n.so" ]; then
	echo "build_mex: $libdir/libnn4n.so not found (run make first)" >&2
	exit 1
fi
if ! command -v "$MKOCTFILE" >/dev/null; then
	echo "build_mex: $MKOCTFILE not found (install octave-dev: make deps)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
CFLAGS="${CFLAGS:--O2} -std=c99 -Wall -Wextra -Wno-unused-parameter" \
	"$MKOCTFILE" --mex -I"$incdir" -I"$here/mex" \
	-o "$tmp/nn4n_mex.mex" "$here/mex/nn4n_mex.c" \
	-L"$libdir" -lnn4n -Wl,-rpath,"$libdir" -Wl,-z,nodelete
# Replace atomically: a running Octave may hold the old file open.
mv -f "$tmp/nn4n_mex.mex" "$out"
echo "build_mex: wrote $out"
