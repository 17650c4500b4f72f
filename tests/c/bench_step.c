/* SPDX-License-Identifier: MIT */
/* bench_step.c: the simulator step through the C ABI, B = 1, N = 256,
 * I = 4, O = 2, noise off, float64 and float32: the mean time per step of a
 * loop, the distribution of single steps (each timed), and the cost of the
 * ABI itself (a call that does no numerics).
 * Usage: bench_step [steps] [threads]   (threads 0 = the library default) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nn4n.h"

static int by_value(const void* a, const void* b) {
	double x = *(const double*)a, y = *(const double*)b;
	return (x > y) - (x < y);
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char** argv) {
	long n = argc > 1 ? atol(argv[1]) : 20000;
	if (n < 1) n = 1;
	int threads = argc > 2 ? atoi(argv[2]) : 0;
	if (threads > 0 && nn4n_set_num_threads(threads) != NN4N_OK) return 1;
	int64_t gt = 0, bt = 0;
	nn4n_get_num_threads(&gt, &bt);
	for (int32_t prec = 0; prec < 2; prec++) {
		uint64_t m = 0;
		if (nn4n_model_create(4, 256, 2, prec, 1, &m) != NN4N_OK) return 1;
		nn4n_model_set_f64(m, "training", 0);
		double x[256] = {0}, u[4] = {0.1, 0.2, 0.3, 0.4}, y[2];
		for (long k = 0; k < 1000; k++) nn4n_model_step(m, 1, x, 256, u, 4, NULL, 0, y, 2);
		double t0 = now();
		for (long k = 0; k < n; k++) {
			if (nn4n_model_step(m, 1, x, 256, u, 4, NULL, 0, y, 2) != NN4N_OK) return 1;
		}
		double dt = (now() - t0) / (double)n;
		printf("bench: nn4n_model_step B=1 N=256 I=4 O=2 relu %s threads=%ld BLAS threads=%ld: %.2f us/step\n",
		       prec ? "float32" : "float64", (long)gt, (long)bt, dt * 1e6);
		double* t = malloc((size_t)n * sizeof *t);
		if (t == NULL) return 1;
		for (long k = 0; k < n; k++) {
			double a = now();
			nn4n_model_step(m, 1, x, 256, u, 4, NULL, 0, y, 2);
			t[k] = (now() - a) * 1e6;
		}
		qsort(t, (size_t)n, sizeof *t, by_value);
		printf("bench: single steps %s: p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.1f us\n", prec ? "float32" : "float64",
		       t[n / 2], t[n * 9 / 10], t[n * 99 / 100], t[n * 999 / 1000], t[n - 1]);
		if (prec == NN4N_FLOAT32) {
			/* float I/O: nn4n_model_step_f32, nothing converted. */
			float xf[256] = {0}, uf[4] = {0.1f, 0.2f, 0.3f, 0.4f}, yf[2];
			for (long k = 0; k < 1000; k++) nn4n_model_step_f32(m, 1, xf, 256, uf, 4, NULL, 0, yf, 2);
			for (long k = 0; k < n; k++) {
				double a = now();
				if (nn4n_model_step_f32(m, 1, xf, 256, uf, 4, NULL, 0, yf, 2) != NN4N_OK) return 1;
				t[k] = (now() - a) * 1e6;
			}
			qsort(t, (size_t)n, sizeof *t, by_value);
			printf("bench: single steps float32 I/O (nn4n_model_step_f32): p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.1f us\n",
			       t[n / 2], t[n * 9 / 10], t[n * 99 / 100], t[n * 999 / 1000], t[n - 1]);
		}
		/* Batch of 8 states per call against 8 single calls: per-state cost,
		 * the median over calls (robust on a shared machine) and the mean. */
		{
			double* xb = calloc(8 * 256, sizeof *xb);
			double ub[32], yb[16];
			if (xb == NULL) return 1;
			for (int k = 0; k < 32; k++) ub[k] = 0.1 * (k % 4 + 1);
			long nbat = n / 8 > 100 ? n / 8 : 100;
			double* tb = malloc((size_t)nbat * sizeof *tb);
			double* ts = malloc((size_t)nbat * sizeof *ts);
			if (tb == NULL || ts == NULL) return 1;
			for (long k = 0; k < 100; k++) nn4n_model_step(m, 8, xb, 8 * 256, ub, 32, NULL, 0, yb, 16);
			double sb = 0, ss = 0;
			for (long k = 0; k < nbat; k++) {
				double a = now();
				if (nn4n_model_step(m, 8, xb, 8 * 256, ub, 32, NULL, 0, yb, 16) != NN4N_OK) return 1;
				tb[k] = (now() - a) * 1e6 / 8;
				a = now();
				for (int b = 0; b < 8; b++) {
					if (nn4n_model_step(m, 1, xb + 256 * b, 256, ub + 4 * b, 4, NULL, 0, yb + 2 * b, 2) != NN4N_OK) return 1;
				}
				ts[k] = (now() - a) * 1e6 / 8;
				sb += tb[k], ss += ts[k];
			}
			qsort(tb, (size_t)nbat, sizeof *tb, by_value);
			qsort(ts, (size_t)nbat, sizeof *ts, by_value);
			printf("bench: batch of 8 states %s: p50 %.2f (mean %.2f) us/state batched, p50 %.2f (mean %.2f) us/state as 8 single calls\n",
			       prec ? "float32" : "float64", tb[nbat / 2], sb / nbat, ts[nbat / 2], ss / nbat);
			free(tb);
			free(ts);
			free(xb);
		}
		free(t);
		int64_t cnt = 0;
		t0 = now();
		for (long k = 0; k < n; k++) nn4n_model_term_count(m, &cnt);
		printf("bench: ABI overhead (nn4n_model_term_count, same handle): %.3f us/call\n", (now() - t0) / (double)n * 1e6);
		nn4n_model_free(m);
	}
	return 0;
}
