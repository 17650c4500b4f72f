/* SPDX-License-Identifier: MIT */
/* test_leak.c: create / configure / forward / free cycles. Run under
 * LeakSanitizer (10^5 cycles) and valgrind (fewer) by run.sh, which read
 * their leak reports; this program checks that no handle survives and that
 * the Go heap stays flat (nn4n_runtime_stats).
 * Usage: test_leak <cycles> */
#include <stdint.h>

#include "check.h"

static void cycle(long k) {
	uint64_t m = 0, o = 0, s = 0;
	double u[2 * 3 * 2], y[2 * 3 * 2], r[2 * 3 * 8], sign[8] = {1, 1, 1, 1, 1, 1, -1, -1};
	for (int i = 0; i < 12; i++) u[i] = 0.1 * (double)((k + i) % 7);
	char err[128];
	if (nn4n_model_create(2, 8, 2, k % 2 ? NN4N_FLOAT32 : NN4N_FLOAT64, (uint64_t)k, &m) != NN4N_OK) abort();
	nn4n_model_set_f64(m, "alpha", 0.2);
	nn4n_model_set_str(m, "activation", "tanh");
	nn4n_model_set_array(m, "sign_rec", sign, 8);
	nn4n_model_set_f64(m, "bogus", 1); /* an error path too */
	nn4n_last_error(err, sizeof err);
	if (nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 12, r, 48, NULL, 0) != NN4N_OK) abort();
	if (k % 10 == 0) {
		nn4n_objective_create("songyang", &o);
		nn4n_model_gradient(m, o, u, 12, y, 12, NULL, 0, NULL, 0, 2, 3);
		nn4n_objective_free(o);
		nn4n_structure_create("multi_area_ei", 2, 8, 2, &s);
		nn4n_structure_build(s);
		nn4n_structure_free(s);
	}
	nn4n_model_free(m);
	nn4n_model_free(m); /* double free: an error, not a crash */
}

int main(int argc, char** argv) {
	long n = argc > 1 ? atol(argv[1]) : 100000;
	long warm = n / 10 < 1000 ? n / 10 : 1000;
	for (long k = 0; k < warm; k++) cycle(k);
	int64_t live0 = -1, heap0 = 0, live = -1, heap = 0;
	OK(nn4n_runtime_stats(&live0, &heap0));
	for (long k = warm; k < n; k++) cycle(k);
	OK(nn4n_runtime_stats(&live, &heap));
	CHECK(live0 == 0 && live == 0);
	/* flat: within 1 MiB after the warm-up */
	CHECK(heap < heap0 + (1 << 20));
	printf("leak: %ld cycles, Go heap %ld -> %ld bytes, %ld live handles\n", n, (long)heap0, (long)heap, (long)live);
	return finish("leak");
}
