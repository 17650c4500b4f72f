#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the reliability suite (issue 23), run by `make test` via
# `make test-reliability`: every front door (C, Python, Octave) under hostile
# files and arguments, a full file system, kill -9 during saves and an
# 8-thread hammer. Bounded to a few minutes; `make soak` runs the long
# versions. KILLS (default 200) and HAMMER_CALLS (default 400000) scale it.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=build/reliability
PY=${PYTHON:-/usr/bin/python3}
rm -rf "$OUT" && mkdir -p "$OUT/cases" "$OUT/fs" "$OUT/kill"
CC=${CC:-gcc}
pass=0
fail=0
failed=()
step() { # step NAME COMMAND...
	local name=$1 t0=$SECONDS
	shift
	if "$@" >"$OUT/$name.log" 2>&1; then
		pass=$((pass + 1))
		printf 'ok    %-10s %3ds  %s\n' "$name" $((SECONDS - t0)) "$(grep -E '^[a-z -]+: [0-9A-Za-z]' "$OUT/$name.log" | grep -v 'passed, 0 failed' | tail -n 1)"
	else
		fail=$((fail + 1))
		failed+=("$name")
		printf 'FAIL  %-10s %3ds\n' "$name" $((SECONDS - t0))
		tail -n 30 "$OUT/$name.log" | sed 's/^/      /'
	fi
}
BIN=$OUT/reliability
build() {
	$CC -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -Iinclude \
		tests/reliability/reliability.c -Lbuild -lnn4n -lm -lpthread -Wl,-rpath,$ROOT/build -o $BIN &&
		$CC -Iinclude -x c - -Lbuild -lnn4n -Wl,-rpath,$ROOT/build -o $OUT/mkgood <<'C'
#include "nn4n.h"
int main(int c, char** v) { uint64_t m; (void)c; nn4n_model_create(3, 7, 2, NN4N_FLOAT64, 1, &m); return nn4n_model_save(m, v[1]); }
C
}
cases() { $OUT/mkgood $OUT/good.npz && "$PY" tests/reliability/gen_cases.py $OUT/good.npz $OUT/cases; }
bombs() {
	local f
	for f in bomb_w_rec bomb_unknown bomb_config; do $BIN bomb $OUT/cases/$f.npz || return 1; done
}
fullfs() { # a 512 KiB tmpfs in a private mount namespace; fails (never skips) where none can be made
	if unshare -m true 2>/dev/null; then
		unshare -m sh -c "mount -t tmpfs -o size=512k none $OUT/fs && $BIN fullfs $OUT/fs"
	else
		echo "fullfs: cannot mount a tmpfs here (unshare -m failed); the injected write errors of internal/npz TestInterruptedWrite cover it"
		return 1
	fi
}
step build build
step cases cases
step c-files $BIN files $OUT/cases $OUT/good.npz
step c-api $BIN api
step signals $BIN signals
step c-bomb bombs
step fullfs fullfs
step killloop $BIN killloop $OUT/kill "${KILLS:-200}"
step hammer $BIN hammer 8 "${HAMMER_CALLS:-400000}"
if [ -x .venv/bin/python ]; then
	step python .venv/bin/python tests/reliability/py_door.py $OUT/cases $OUT/good.npz
else
	step python sh -c 'echo "python door: .venv missing (make python)"; exit 1'
fi
step octave ./tests/reliability/octave_door.sh $OUT/cases $OUT/good.npz
[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]} (logs in $OUT/)"
echo "reliability: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
