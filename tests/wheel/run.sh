#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/wheel/run.sh: the manylinux wheel (scripts/build-wheel.sh) installed
# into a fresh venv of another Python minor version than the one that built
# it, with no LD_LIBRARY_PATH and the system's OpenBLAS and libgfortran
# hidden (a private mount namespace masks them, when unshare is allowed),
# then: every bundled .so resolves inside the wheel or to glibc/libgcc, the
# process maps the wheel's OpenBLAS and no other, 10 training updates run
# and lower the loss.  Usage: tests/wheel/run.sh [wheel]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WHEEL=${1:-$(ls build/dist/nn4n-*-py3-none-manylinux*_x86_64.whl 2>/dev/null | head -1)}
[ -f "$WHEEL" ] || { echo "test-wheel: no wheel in build/dist: run make wheel" >&2; exit 1; }
BUILDER=$(build/wheel-venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
NUMPY=numpy==2.2.6     # wheels for CPython 3.10-3.13

# An interpreter of another minor version (pyenv's), newest first.
PY=
for v in $(ls -d /root/.pyenv/versions/3.1[0-3].* 2>/dev/null | sort -rV); do
	[ "$(basename "$v" | cut -d. -f1-2)" != "$BUILDER" ] && [ -x "$v/bin/python3" ] && { PY=$v/bin/python3; break; }
done
[ -n "$PY" ] || { echo "test-wheel: no Python 3.10-3.13 other than $BUILDER under /root/.pyenv/versions" >&2; exit 1; }
VER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
echo "test-wheel: built with Python $BUILDER, installing into Python $VER: $(basename "$WHEEL")"

V=build/wheel-test/venv-$VER
rm -rf "$V" && "$PY" -m venv "$V"
"$V/bin/python" -m pip install -q --disable-pip-version-check "$NUMPY"
"$V/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$WHEEL"
SITE=$("$V/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

fail=0
# 1. ldd of every bundled shared object, with LD_LIBRARY_PATH unset.
# Outside the wheel: the loader and the system libraries of auditwheel's
# manylinux_2_17 policy (its lib_whitelist: glibc's, libgcc_s, libz, ...).
ALLOWED=$(build/wheel-venv/bin/python -c '
import json, os, auditwheel
p = json.load(open(os.path.join(os.path.dirname(auditwheel.__file__), "policy", "manylinux-policy.json")))
w = [x["lib_whitelist"] for x in p if x["name"] == "manylinux_2_17"][0]
print("^(linux-vdso\\.so\\.1|ld-linux-x86-64\\.so\\.2|" + "|".join(n.replace(".", "\\.") for n in w) + ")$")')
n=0
while IFS= read -r so; do
	n=$((n + 1))
	out=$(env -u LD_LIBRARY_PATH ldd "$so")
	if grep -q "not found" <<<"$out"; then echo "FAIL ldd $so: $(grep 'not found' <<<"$out")"; fail=1; fi
	while read -r name _ path _; do
		case $path in
		"$SITE"/*) ;;
		*) grep -Eq "$ALLOWED" <<<"$name" || { echo "FAIL ldd $so: $name resolves outside the wheel ($path)"; fail=1; } ;;
		esac
	done < <(grep '=>' <<<"$out")
done < <(find "$SITE/nn4n" "$SITE/nn4n.libs" -name '*.so*' -type f)
[ "$n" -ge 4 ] || { echo "FAIL: $n shared objects in the wheel (libnn4n, OpenBLAS, gfortran, quadmath expected)"; fail=1; }
echo "test-wheel: ldd of $n bundled shared objects checked"

# 2. Import and train with the system libraries masked.
MASK=()
for f in /usr/lib/x86_64-linux-gnu/libopenblas.so.0 /usr/lib/x86_64-linux-gnu/libgfortran.so.5 \
	/usr/lib/x86_64-linux-gnu/libquadmath.so.0 /usr/lib/x86_64-linux-gnu/libblas.so.3; do
	[ -e "$f" ] && MASK+=("$(readlink -f "$f")")
done
RUN=(env -u LD_LIBRARY_PATH -u NN4N_LIBRARY "$V/bin/python" "$ROOT/tests/wheel/train10.py" "$SITE")
if unshare -m --propagation private true 2>/dev/null; then
	# shellcheck disable=SC2016
	unshare -m --propagation private bash -c 'for f in "${@:2:$1}"; do mount --bind /dev/null "$f"; done
		shift $(($1 + 1)); exec "$@"' mask "${#MASK[@]}" "${MASK[@]}" "${RUN[@]}" --masked "${MASK[@]}" || fail=1
else
	echo "test-wheel: unshare not permitted: running without masking (ldd check above still holds)"
	"${RUN[@]}" || fail=1
fi
if [ $fail -ne 0 ]; then echo "0 passed, 1 failed"; exit 1; fi
echo "1 passed, 0 failed"
