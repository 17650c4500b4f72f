#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/sdist/run.sh: the sdist (scripts/build-sdist.sh) built from source by
# pip in fresh venvs of a pyenv Python, with build isolation (pip fetches
# setuptools and wheel) and GOPROXY=off (the Go modules are vendored inside):
#  1. with Go removed from PATH, pip fails and names Go; with a BLAS that
#     does not link, it fails and names OpenBLAS;
#  2. with Go, the install links libnn4n.so against the system OpenBLAS
#     (NEEDED libopenblas.so.0, only nn4n_* exported), then
#     tests/wheel/train10.py --system-blas imports it, trains 10 updates and
#     checks the fork shim.
# Usage: tests/sdist/run.sh [sdist]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SDIST=${1:-$(ls build/dist/nn4n-*.tar.gz 2>/dev/null | head -1)}
[ -f "$SDIST" ] || { echo "test-sdist: no sdist in build/dist: run make sdist" >&2; exit 1; }
SDIST=$(readlink -f "$SDIST")
NUMPY=numpy==2.2.6
PY=$(ls -d /root/.pyenv/versions/3.12.* 2>/dev/null | sort -rV | head -1)/bin/python3
[ -x "$PY" ] || PY=/usr/bin/python3
W=build/sdist-test
rm -rf "$W" && mkdir -p "$W"
pass=0 failn=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; failn=$((failn + 1)); }
GO=$(command -v "${GO:-go}")

# 1. No Go: a clear failure. PATH keeps the venv, cc and binutils only.
"$PY" -m venv "$W/nogo"
"$W/nogo/bin/python" -m pip install -q --disable-pip-version-check "$NUMPY"
mkdir -p "$W/bin"
for t in cc gcc objcopy ar as ld bash sh; do ln -sf "$(command -v $t)" "$W/bin/$t"; done
if env -u GO PATH="$ROOT/$W/nogo/bin:$ROOT/$W/bin" "$W/nogo/bin/python" -m pip install --disable-pip-version-check \
	--no-deps "$SDIST" >"$W/nogo.log" 2>&1; then
	bad "pip install without Go succeeded"
elif grep -q "Go (go) is not on PATH" "$W/nogo.log"; then
	ok "without Go: $(grep -o 'nn4n: cannot build.*not on PATH' "$W/nogo.log" | head -1)"
else
	bad "without Go, pip's message does not name Go: $(tail -5 "$W/nogo.log")"
fi

# 1b. No OpenBLAS (BLAS_LIBS names a library that does not exist): a clear failure.
if GO="$GO" BLAS_LIBS=-lnn4n_no_such_blas "$W/nogo/bin/python" -m pip install --disable-pip-version-check \
	--no-deps "$SDIST" >"$W/noblas.log" 2>&1; then
	bad "pip install without the BLAS succeeded"
elif grep -q "OpenBLAS (its development files) is needed" "$W/noblas.log"; then
	ok "without OpenBLAS: $(grep -o 'nn4n: cannot build.*failed' "$W/noblas.log" | head -1)"
else
	bad "without OpenBLAS, pip's message does not name OpenBLAS: $(tail -5 "$W/noblas.log")"
fi

# 2. With Go: built from source, offline for Go.
"$PY" -m venv "$W/venv"
"$W/venv/bin/python" -m pip install -q --disable-pip-version-check "$NUMPY"
t0=$SECONDS
if GOPROXY=off GO="$GO" nice "$W/venv/bin/python" -m pip install -v --disable-pip-version-check --no-deps "$SDIST" \
	>"$W/build.log" 2>&1; then
	ok "pip install $(basename "$SDIST") built from source in $((SECONDS - t0)) s: $(grep -o 'nn4n: building.*' "$W/build.log" | head -1)"
else
	bad "pip install of the sdist: $(tail -20 "$W/build.log")"
fi
SITE=$("$W/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
SO=$SITE/nn4n/libnn4n.so
if [ -f "$SO" ]; then
	readelf -d "$SO" | grep -q 'NEEDED.*libopenblas\.so\.0' && ok "libnn4n.so needs the system libopenblas.so.0" ||
		bad "libnn4n.so does not need libopenblas.so.0"
	other=$(nm -D --defined-only "$SO" | awk '$3 !~ /^nn4n_/ {print $3}' | head -3)
	[ -z "$other" ] && ok "only nn4n_* exported" || bad "exports other than nn4n_*: $other"
	if env -u LD_LIBRARY_PATH -u NN4N_LIBRARY "$W/venv/bin/python" tests/wheel/train10.py "$SITE" --system-blas >"$W/train.log" 2>&1; then
		ok "train10.py --system-blas: $(grep -E 'updates|forked' "$W/train.log" | tr '\n' ' ')"
	else
		bad "train10.py --system-blas: $(tail -8 "$W/train.log")"
	fi
else
	bad "no $SO"
fi
echo "test-sdist: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
