#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# octave_door.sh CASES_DIR GOOD: runs octave_door.m in octave-cli with the
# MATLAB binding on the path (building its MEX gateway if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mdir=$repo/bindings/matlab
OCTAVE=${OCTAVE:-octave-cli}
cases=$(cd "$1" && pwd)
good=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
if [ ! -f "$mdir/+nn4n/+internal/nn4n_mex.mex" ] || [ "$mdir/mex/nn4n_mex.c" -nt "$mdir/+nn4n/+internal/nn4n_mex.mex" ]; then
	(cd "$mdir" && "$OCTAVE" -q -f --no-history --eval 'addpath(pwd); nn4n.buildMex()')
fi
env=()
probe=$(cd "$mdir" && "$OCTAVE" -q -f --no-history --eval 'try, nn4n.version(); disp("nn4n-load-ok"); catch e, disp(e.message); end' 2>&1 || true)
grep -q nn4n-load-ok <<<"$probe" || env=(env "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536")
cd "$mdir"
"${env[@]}" "$OCTAVE" -q -f --no-history --eval "addpath('$mdir'); addpath('$here'); octave_door('$cases', '$good')"
