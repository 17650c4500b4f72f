#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the C ABI suites of nn4n, run by `make test` (after the Go tests)
# against build/libnn4n.so. See tests/c/README.md.
#   tests/c/run.sh          every suite
#   tests/c/run.sh bench    the simulator-step benchmark only
#   tests/c/run.sh closed-loop   the C++ 1 kHz closed-loop example only
#   tests/c/run.sh quick    make check's tier: lint, abi, panic, threads, fork,
#                           step32, analysis, shim (no sanitizers, fuzzers or valgrind)
# FUZZTIME (default 10s) bounds each Go fuzz target; LEAK_CYCLES (default
# 100000) the LeakSanitizer loop; VALGRIND_CYCLES (default 10000) valgrind's.
# PYTHON (default /usr/bin/python3) runs numpy_check.py; NN4N_REQUIRE_NUMPY=1
# (set by make test-c) turns a missing numpy into a failure instead of a skip.
set -uo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
ROOT=$PWD
OUT=build/test
mkdir -p "$OUT/scratch"
CC=${CC:-gcc}
CFLAGS="-std=c99 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Werror -Iinclude"
LINK="-Lbuild -lnn4n -lm -lpthread -Wl,-rpath,$ROOT/build"
pass=0
fail=0
failed=()

step() { # step NAME COMMAND...: runs one suite, logs to $OUT/NAME.log
	local name=$1
	shift
	local t0=$SECONDS
	if "$@" >"$OUT/$name.log" 2>&1; then
		pass=$((pass + 1))
		printf 'ok    %-12s %3ds  %s\n' "$name" $((SECONDS - t0)) "$(grep -E 'passed|bench:|leak:|lint_header:|definitely|skipped|deadline -> command|missed deadlines' "$OUT/$name.log" | tail -n 2 | tr '\n' ' ')"
	else
		fail=$((fail + 1))
		failed+=("$name")
		printf 'FAIL  %-12s %3ds\n' "$name" $((SECONDS - t0))
		tail -n 40 "$OUT/$name.log" | sed 's/^/      /'
	fi
}

build_bench() { $CC -O2 -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude tests/c/bench_step.c $LINK -o $OUT/bench_step; }

if [ "${1:-}" = bench ]; then
	build_bench || exit 1
	echo "default threads:" && $OUT/bench_step 100000
	echo "1 thread (nn4n_set_num_threads(1)):" && $OUT/bench_step 100000 1
	exit 0
fi

lint_negative() { # the lint must reject each forbidden construct
	local bad
	for bad in 'struct s { int a; };' 'union u { int a; double b; };' 'int32_t nn4n_x(bool b);' 'int32_t nn4n_y(int32_t n, ...);' \
		'int32_t nn4n_z(void (*cb)(void));' 'enum e { A };' 'int32_t nn4n_f(int32_t a : 3);' 'extern "C" int32_t nn4n_v(void);' \
		'typedef struct { int a; } nn4n_s; int32_t nn4n_w(nn4n_s s);'; do
		sed "s|#endif /\* NN4N_H \*/|$bad\n#endif|" include/nn4n.h >"$OUT/bad.h"
		if tests/c/lint_header.sh "$OUT/bad.h" >/dev/null 2>&1; then
			echo "lint_header accepted: $bad"
			return 1
		fi
	done
	echo "lint_header: 9 forbidden constructs rejected"
}

build_tests() {
	$CC $CFLAGS tests/c/test_abi.c $LINK -o $OUT/test_abi &&
		$CC $CFLAGS tests/c/test_threads.c $LINK -o $OUT/test_threads &&
		$CC $CFLAGS tests/c/test_leak.c $LINK -o $OUT/test_leak &&
		$CC $CFLAGS tests/c/test_fork.c $LINK -o $OUT/test_fork &&
		$CC $CFLAGS tests/c/test_step32.c $LINK -o $OUT/test_step32 &&
		$CC $CFLAGS tests/c/test_analysis.c $LINK -o $OUT/test_analysis &&
		$CC $CFLAGS -fsanitize=leak tests/c/test_leak.c $LINK -o $OUT/test_leak_lsan &&
		build_bench
}

numpy_check() { # PYTHON (make test: /usr/bin/python3, Debian's python3-numpy) must import numpy
	local py=${PYTHON:-/usr/bin/python3}
	if ! "$py" -c 'import numpy' 2>/dev/null; then
		if [ "${NN4N_REQUIRE_NUMPY:-0}" = 1 ]; then
			echo "numpy: $py cannot import numpy (NN4N_REQUIRE_NUMPY=1; scripts/install-deps.sh installs python3-numpy)"
			return 1
		fi
		echo "numpy: skipped ($py with numpy not found)"
		return 0
	fi
	"$py" tests/c/numpy_check.py $OUT/scratch/model.npz $OUT/scratch/model_w_rec.txt
}

panic_suite() {
	$GO build -tags nn4n_paniccheck -buildmode=c-shared -o $OUT/panic/libnn4n_paniccheck.so ./capi &&
		rm -f $OUT/panic/libnn4n_paniccheck.h &&
		$CC $CFLAGS -Icapi tests/c/test_panic.c -L$OUT/panic -l:libnn4n_paniccheck.so -lm -Wl,-rpath,$ROOT/$OUT/panic -o $OUT/test_panic &&
		$OUT/test_panic
}

cgocheck2_suite() { # the pointer-passing rules checked at run time
	mkdir -p $OUT/cgocheck2 &&
		GOEXPERIMENT=cgocheck2 $GO build -buildmode=c-shared -o $OUT/cgocheck2/libnn4n.so.0 ./capi &&
		rm -f $OUT/cgocheck2/libnn4n.so.h &&
		LD_LIBRARY_PATH=$ROOT/$OUT/cgocheck2 $OUT/test_abi $OUT/scratch &&
		LD_LIBRARY_PATH=$ROOT/$OUT/cgocheck2 $OUT/test_threads
}

tsan_suite() {
	if ! $CC $CFLAGS -fsanitize=thread tests/c/test_threads.c $LINK -o $OUT/test_threads_tsan; then
		echo "tsan: the compiler cannot build with -fsanitize=thread"
		return 1
	fi
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $OUT/test_threads_tsan
}

valgrind_suite() {
	valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file=$OUT/valgrind.txt \
		$OUT/test_leak "${VALGRIND_CYCLES:-10000}" || return 1
	grep -E "definitely lost" $OUT/valgrind.txt
	grep -qE "definitely lost: 0 bytes in 0 blocks" $OUT/valgrind.txt
}

example_suite() {
	rm -rf $OUT/stage &&
		make --no-print-directory install PREFIX=$ROOT/$OUT/stage &&
		PKG_CONFIG_PATH=$ROOT/$OUT/stage/lib/pkgconfig make --no-print-directory -C examples/c clean all &&
		examples/c/arm && examples/c/arm_cpp &&
		PKG_CONFIG_PATH=$ROOT/$OUT/stage/lib/pkgconfig make --no-print-directory -C examples/cpp clean closed_loop
}

closed_loop_suite() { # examples/cpp/closed_loop.cpp: train → .npz → load → 1 kHz loop, latency report
	${CXX:-g++} -std=c++17 -O2 -Wall -Wextra -Werror -Iinclude examples/cpp/closed_loop.cpp $LINK -o $OUT/closed_loop &&
		rm -f $OUT/closed_loop.npz && $OUT/closed_loop $OUT/closed_loop.npz 2000 && test -s $OUT/closed_loop.npz
}
if [ "${1:-}" = closed-loop ]; then
	closed_loop_suite
	exit
fi

step lint tests/c/lint_header.sh include/nn4n.h build/libnn4n.so
step lint-self lint_negative
step build build_tests
step abi $OUT/test_abi $OUT/scratch
step numpy numpy_check
step panic panic_suite
step threads $OUT/test_threads
step fork timeout 10 $OUT/test_fork
step step32 $OUT/test_step32
step analysis $OUT/test_analysis
step shim python3 tools/gen_shim.py --check
if [ "${1:-}" != quick ]; then
step tsan tsan_suite
step race $GO test -race -count=1 -run 'TestConcurrent|TestStep' ./capi
step cgocheck2 cgocheck2_suite
step lsan $OUT/test_leak_lsan "${LEAK_CYCLES:-100000}"
step valgrind valgrind_suite
step fuzz-load $GO test -run '^$' -fuzz '^FuzzModelLoad$' -fuzztime "${FUZZTIME:-10s}" ./capi
step fuzz-keys $GO test -run '^$' -fuzz '^FuzzSetters$' -fuzztime "${FUZZTIME:-10s}" ./capi
step example example_suite
step closed-loop closed_loop_suite
step bench $OUT/bench_step 20000 1
fi

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]} (logs in $OUT/)"
echo "c-abi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
