#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/install/run.sh: `make install` into a temporary prefix, then
#  1. the installed files: versioned shared library with its soname, static
#     archive, header, nn4n.pc, lib/cmake/nn4n/nn4nConfig{,Version}.cmake;
#  2. examples/cmake configured with find_package(nn4n 0.1) against that
#     prefix, built (C, C++ and the static archive) and run;
#  3. find_package(nn4n 99) is refused (the version file works);
#  4. the README's one-line cc build with pkg-config, run;
#  5. tests/c/test_fork.c linked against the static archive, run.
# Every program runs with LD_LIBRARY_PATH unset: the rpath must find the
# library. arm.c exits non-zero unless the loop reaches its target.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MAKE=${MAKE:-make}
mkdir -p build
P=$(mktemp -d "$ROOT/build/install-test.XXXXXX")
trap 'rm -rf "$P"' EXIT
pass=0 failn=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; failn=$((failn + 1)); }
run() { # name, command...: run with LD_LIBRARY_PATH unset, must exit 0
	local name=$1; shift
	if out=$(env -u LD_LIBRARY_PATH "$@" 2>&1); then ok "$name: $(tail -1 <<<"$out")"; else bad "$name (exit $?): $(tail -3 <<<"$out")"; fi
}

"$MAKE" --no-print-directory -s install PREFIX="$P" >/dev/null
V=$(sed -n 's/^Version: //p' "$P/lib/pkgconfig/nn4n.pc")
for f in "include/nn4n.h" "lib/libnn4n.so.$V" "lib/libnn4n.so.${V%%.*}" lib/libnn4n.so lib/libnn4n.a \
	lib/pkgconfig/nn4n.pc lib/cmake/nn4n/nn4nConfig.cmake lib/cmake/nn4n/nn4nConfigVersion.cmake; do
	[ -e "$P/$f" ] && ok "installed $f" || bad "missing $f"
done
soname=$(objdump -p "$P/lib/libnn4n.so.$V" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "libnn4n.so.${V%%.*}" ] && ok "soname $soname" || bad "soname '$soname'"
nm "$P/lib/libnn4n.a" >"$P/nm.txt" 2>/dev/null || true
grep -q ' T nn4n_model_forward$' "$P/nm.txt" && ok "libnn4n.a exports nn4n_model_forward" \
	|| bad "libnn4n.a has no nn4n_model_forward"

B=$P/cmake-build
if cmake -S examples/cmake -B "$B" -DCMAKE_PREFIX_PATH="$P" >"$P/cmake.log" 2>&1 &&
	nice cmake --build "$B" -j2 >>"$P/cmake.log" 2>&1; then
	ok "examples/cmake configures and builds with find_package(nn4n)"
	for exe in arm arm_cpp arm_static; do
		[ -x "$B/$exe" ] && run "examples/cmake $exe" "$B/$exe" || bad "examples/cmake: no $exe"
	done
	readelf -d "$B/arm" | grep >/dev/null "R.*PATH.*$P/lib" && ok "arm's rpath has $P/lib" || bad "arm has no rpath to $P/lib"
	objdump -p "$B/arm_static" | grep >/dev/null 'NEEDED.*libnn4n' && bad "arm_static needs libnn4n.so" || ok "arm_static links no libnn4n.so"
else
	bad "examples/cmake: $(tail -5 "$P/cmake.log")"
fi

# The static archive has the fork shim (scripts/link-lib.sh): tests/c/test_fork.c
# linked against it alone (no libnn4n.so) passes.
if cc -std=c99 -D_POSIX_C_SOURCE=200809L -O1 -I"$P/include" tests/c/test_fork.c "$P/lib/libnn4n.a" \
	-lopenblas -lpthread -lm -ldl -o "$P/test_fork_static" 2>"$P/fork.log"; then
	run "test_fork against libnn4n.a" "$P/test_fork_static"
else
	bad "test_fork against libnn4n.a: $(tail -3 "$P/fork.log")"
fi

mkdir -p "$P/v99"
printf '%s\n' 'cmake_minimum_required(VERSION 3.16)' 'project(v99 C)' 'find_package(nn4n 99 REQUIRED)' > "$P/v99/CMakeLists.txt"
if cmake -S "$P/v99" -B "$P/v99/b" -DCMAKE_PREFIX_PATH="$P" >"$P/v99.log" 2>&1; then
	bad "find_package(nn4n 99) accepted version $V"
else
	grep -q "$V" "$P/v99.log" && ok "find_package(nn4n 99) refused, naming $V" || bad "find_package(nn4n 99): $(tail -3 "$P/v99.log")"
fi

# The README's command, verbatim apart from the prefix.
if PKG_CONFIG_PATH="$P/lib/pkgconfig" sh -c 'cc examples/c/arm.c $(pkg-config --cflags --libs nn4n) -lm -o "$1"' sh "$P/arm-readme" 2>"$P/cc.log"; then
	run "README cc line" "$P/arm-readme"
else
	bad "README cc line: $(tail -3 "$P/cc.log")"
fi
echo "test-install: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
