/* SPDX-License-Identifier: MIT */
/* test_abi.c: the C ABI suite. It is compiled against include/nn4n.h alone
 * and linked to libnn4n.so, calls every exported function, checks every
 * documented error status (NULL pointers, wrong lengths, negative and huge
 * dimensions, NaN/Inf, unknown keys, invalid / freed / wrong-kind handles,
 * double free, free(0)) and checks numbers against hand computations.
 *
 * Usage: test_abi <scratch directory> */
#include <stdint.h>

#include "check.h"

static const char* dir = "/tmp";
static char path_buf[4096];

static const char* path(const char* name) {
	snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
	return path_buf;
}

/* Bad handles of one kind: 0, never issued, freed, of another kind. */
typedef struct {
	uint64_t v[5];
} bad_handles;

static const double NaN_ = 0.0 / 0.0;
#define INF_ (1.0 / 0.0)

/* BADH runs expr with H set to every bad handle and expects
 * NN4N_ERR_INVALID_HANDLE. */
#define BADH(bad, expr)                                          \
	do {                                                     \
		for (int k_ = 0; k_ < 5; k_++) {                 \
			uint64_t H = (bad).v[k_];                \
			EXPECT(expr, NN4N_ERR_INVALID_HANDLE);   \
		}                                                \
	} while (0)

static void test_library(void) {
	const char* v = nn4n_version_string();
	CHECK(v != NULL && strlen(v) >= 5);
	CHECK(v == nn4n_version_string()); /* static, allocated once */
	char want[64];
	snprintf(want, sizeof want, "%d.%d.%d", NN4N_VERSION_MAJOR, NN4N_VERSION_MINOR, NN4N_VERSION_PATCH);
	CHECK(strncmp(v, want, strlen(want)) == 0);
	CHECK(nn4n_version_number() == NN4N_VERSION_NUMBER);
	CHECK(nn4n_abi_version() == NN4N_ABI_VERSION);
	CHECK(strcmp(nn4n_status_name(NN4N_OK), "NN4N_OK") == 0);
	CHECK(strcmp(nn4n_status_name(NN4N_ERR_SHAPE), "NN4N_ERR_SHAPE") == 0);
	CHECK(strcmp(nn4n_status_name(NN4N_ERR_NUMERIC), "NN4N_ERR_NUMERIC") == 0);
	CHECK(strcmp(nn4n_status_name(-1), "NN4N_ERR_UNKNOWN_STATUS") == 0);
	CHECK(strcmp(nn4n_status_name(1000), "NN4N_ERR_UNKNOWN_STATUS") == 0);
	for (int32_t c = 0; c <= NN4N_ERR_RANGE; c++) {
		CHECK(strncmp(nn4n_status_name(c), "NN4N_", 5) == 0);
	}

	/* last error: per call, cleared on success, truncation, size query. */
	EXPECT(nn4n_set_num_threads(0), NN4N_ERR_INVALID_ARGUMENT);
	int64_t need = nn4n_last_error(NULL, 0);
	CHECK(need > 10);
	char small[8];
	CHECK(nn4n_last_error(small, 8) == need);
	CHECK(strlen(small) == 7);
	CHECK(nn4n_last_error(small, -5) == need);
	CHECK(nn4n_last_error(small, 1) == need && small[0] == 0);
	EXPECT(nn4n_set_num_threads(-3), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_set_num_threads(1000000), NN4N_ERR_INVALID_ARGUMENT);
	OK(nn4n_set_num_threads(2));
	CHECK(nn4n_last_error(NULL, 0) == 1);
	int64_t g = 0, b = 0;
	OK(nn4n_get_num_threads(&g, &b));
	CHECK(g == 2 && b == 1);
	OK(nn4n_get_num_threads(NULL, NULL));

	int64_t n = 0;
	OK(nn4n_blas_info(NULL, 0, &n));
	CHECK(n > 5);
	char info[512];
	OK(nn4n_blas_info(info, sizeof info, NULL));
	CHECK(strstr(info, "BLAS") != NULL);
	EXPECT(nn4n_blas_info(info, 4, &n), NN4N_ERR_BUFFER_TOO_SMALL);
	CHECK(strlen(info) == 3);
	EXPECT(nn4n_blas_info(NULL, 10, &n), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_blas_info(info, -1, &n), NN4N_ERR_INVALID_ARGUMENT);

	int64_t live = -1, heap = -1;
	OK(nn4n_runtime_stats(&live, &heap));
	CHECK(live >= 0 && heap > 0);
	OK(nn4n_runtime_stats(NULL, NULL));
}

/* A 1-input, 2-unit, 1-output tanh model with hand-set weights; forward is
 * checked against the equations computed here. */
static void test_forward_values(void) {
	uint64_t m = 0;
	OK(nn4n_model_create(1, 2, 1, NN4N_FLOAT64, 7, &m));
	CHECK(m != 0);
	OK(nn4n_model_set_str(m, "activation", "tanh"));
	OK(nn4n_model_set_f64(m, "training", 0));
	OK(nn4n_model_set_f64(m, "alpha", 0.5));
	const double w_in[2] = {0.5, -0.25}, w_rec[4] = {0.1, -0.3, 0.2, 0.4}, w_out[2] = {1.5, -0.7};
	const double b_rec[2] = {0.05, -0.02}, b_in[2] = {0.01, 0.03}, b_out[1] = {0.2}, x0[2] = {0.3, -0.1};
	OK(nn4n_model_set_array(m, "w_in", w_in, 2));
	OK(nn4n_model_set_array(m, "w_rec", w_rec, 4));
	OK(nn4n_model_set_array(m, "w_out", w_out, 2));
	OK(nn4n_model_set_array(m, "b_rec", b_rec, 2));
	OK(nn4n_model_set_array(m, "b_in", b_in, 2));
	OK(nn4n_model_set_array(m, "b_out", b_out, 1));
	OK(nn4n_model_set_array(m, "x0", x0, 2));

	enum { B = 2, T = 4 };
	double u[B * T], y[B * T], r[B * T * 2], xs[B * T * 2];
	for (int i = 0; i < B * T; i++) u[i] = 0.3 * sin(1.0 + i);
	OK(nn4n_model_forward(m, u, B * T, B, T, NULL, 0, y, B * T, r, B * T * 2, xs, B * T * 2));

	double maxerr = 0;
	for (int bb = 0; bb < B; bb++) {
		double x[2] = {x0[0], x0[1]};
		for (int t = 0; t < T; t++) {
			double rp[2] = {tanh(x[0]), tanh(x[1])}, xn[2];
			for (int j = 0; j < 2; j++) {
				double a = w_rec[j * 2] * rp[0] + w_rec[j * 2 + 1] * rp[1] + b_rec[j] + w_in[j] * u[bb * T + t] + b_in[j];
				xn[j] = 0.5 * x[j] + 0.5 * a;
			}
			x[0] = xn[0], x[1] = xn[1];
			double rr[2] = {tanh(x[0]), tanh(x[1])};
			double yy = w_out[0] * rr[0] + w_out[1] * rr[1] + b_out[0];
			maxerr = fmax(maxerr, fabs(yy - y[bb * T + t]));
			for (int j = 0; j < 2; j++) {
				maxerr = fmax(maxerr, fabs(rr[j] - r[(bb * T + t) * 2 + j]));
				maxerr = fmax(maxerr, fabs(x[j] - xs[(bb * T + t) * 2 + j]));
			}
		}
	}
	CHECK_NEAR(maxerr, 0, 1e-14);

	/* The simulator step reproduces forward. */
	double st[B * 2], sr[B * 2], sy[B], su[B];
	for (int bb = 0; bb < B; bb++) st[bb * 2] = x0[0], st[bb * 2 + 1] = x0[1];
	double steperr = 0;
	for (int t = 0; t < T; t++) {
		for (int bb = 0; bb < B; bb++) su[bb] = u[bb * T + t];
		OK(nn4n_model_step(m, B, st, B * 2, su, B, sr, B * 2, sy, B));
		for (int bb = 0; bb < B; bb++) {
			steperr = fmax(steperr, fabs(sy[bb] - y[bb * T + t]));
			steperr = fmax(steperr, fabs(st[bb * 2 + 1] - xs[(bb * T + t) * 2 + 1]));
		}
	}
	CHECK_NEAR(steperr, 0, 1e-14);
	OK(nn4n_model_step(m, B, st, B * 2, su, B, NULL, 0, NULL, 0));

	/* Per-trial x0 (B×N) and shared x0 (N). */
	double x0b[B * 2] = {0.3, -0.1, 0.3, -0.1}, y2[B * T];
	OK(nn4n_model_forward(m, u, B * T, B, T, x0b, B * 2, y2, B * T, NULL, 0, NULL, 0));
	CHECK(memcmp(y, y2, sizeof y) == 0);
	OK(nn4n_model_forward(m, u, B * T, B, T, x0, 2, y2, B * T, NULL, 0, NULL, 0));
	CHECK(memcmp(y, y2, sizeof y) == 0);

	/* float32 agrees to single precision. */
	OK(nn4n_model_set_str(m, "precision", "float32"));
	OK(nn4n_model_forward(m, u, B * T, B, T, NULL, 0, y2, B * T, NULL, 0, NULL, 0));
	double e32 = 0;
	for (int i = 0; i < B * T; i++) e32 = fmax(e32, fabs(y2[i] - y[i]));
	CHECK(e32 < 1e-5);
	char buf[32];
	OK(nn4n_model_get_str(m, "precision", buf, sizeof buf, NULL));
	CHECK(strcmp(buf, "float32") == 0);
	OK(nn4n_model_free(m));
}

/* Error paths of every model function. */
static void test_model_errors(const bad_handles* bm) {
	uint64_t m = 0;
	/* create: negative, zero, huge dimensions, bad precision, NULL out. */
	EXPECT(nn4n_model_create(-1, 4, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 0, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, -4, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 4, 0, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, INT64_MAX, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(INT64_MIN, 4, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, NN4N_MAX_DIM + 1, 1, 0, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 4, 1, 2, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 4, 1, -1, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 4, 1, 0, 1, NULL), NN4N_ERR_NULL_POINTER);
	CHECK(m == 0);
	OK(nn4n_model_create(2, 4, 3, NN4N_FLOAT64, 11, &m));
	OK(nn4n_model_set_f64(m, "training", 0));

	/* keyed scalars */
	double v = 0;
	EXPECT(nn4n_model_set_f64(m, "no_such_key", 1), NN4N_ERR_UNKNOWN_KEY);
	CHECK(strstr(lasterr(), "no_such_key") != NULL && strstr(lasterr(), "alpha") != NULL);
	EXPECT(nn4n_model_set_f64(m, NULL, 1), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_f64(m, "alpha", NaN_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_model_set_f64(m, "rec_noise", INF_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_model_set_f64(m, "alpha", 2), NN4N_ERR_RANGE);
	EXPECT(nn4n_model_set_f64(m, "alpha", -0.1), NN4N_ERR_RANGE);
	EXPECT(nn4n_model_set_f64(m, "units", 10), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_set_f64(m, "learn_alpha", 0.5), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_set_f64(m, "seed", -1), NN4N_ERR_RANGE);
	OK(nn4n_model_get_f64(m, "alpha", &v));
	CHECK_NEAR(v, 0.1, 0);
	OK(nn4n_model_set_f64(m, "alpha", 0.2));
	OK(nn4n_model_get_f64(m, "alpha", &v));
	CHECK_NEAR(v, 0.2, 0);
	OK(nn4n_model_get_f64(m, "units", &v));
	CHECK(v == 4);
	EXPECT(nn4n_model_get_f64(m, "units", NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_get_f64(m, NULL, &v), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_get_f64(m, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);

	/* keyed strings */
	EXPECT(nn4n_model_set_str(m, "activation", "bogus"), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_set_str(m, "bogus", "relu"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_set_str(m, "alpha", "relu"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_set_str(m, NULL, "relu"), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_str(m, "activation", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_model_set_str(m, "dale", "clip"));
	char s[64];
	int64_t need = 0;
	OK(nn4n_model_get_str(m, "dale", s, sizeof s, &need));
	CHECK(strcmp(s, "clip") == 0 && need == 5);
	OK(nn4n_model_get_str(m, "dale", NULL, 0, &need));
	CHECK(need == 5);
	EXPECT(nn4n_model_get_str(m, "dale", s, 3, &need), NN4N_ERR_BUFFER_TOO_SMALL);
	CHECK(strcmp(s, "cl") == 0);
	EXPECT(nn4n_model_get_str(m, "dale", NULL, 3, &need), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_get_str(m, "dale", s, -1, &need), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_get_str(m, "nope", s, sizeof s, &need), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_get_str(m, NULL, s, sizeof s, &need), NN4N_ERR_NULL_POINTER);

	/* arrays */
	int64_t r = 0, c = 0;
	OK(nn4n_model_shape(m, "w_in", &r, &c));
	CHECK(r == 4 && c == 2);
	OK(nn4n_model_shape(m, "b_out", &r, &c));
	CHECK(r == 3 && c == 1);
	OK(nn4n_model_shape(m, "sign_rec", &r, &c));
	CHECK(r == 0 && c == 0);
	EXPECT(nn4n_model_shape(m, "w_bogus", &r, &c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_shape(m, "w_in", NULL, &c), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_shape(m, "w_in", &r, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_shape(m, NULL, &r, &c), NN4N_ERR_NULL_POINTER);
	double w[16], w2[16];
	OK(nn4n_model_get_array(m, "w_rec", w, 16));
	EXPECT(nn4n_model_get_array(m, "w_rec", w, 15), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_get_array(m, "w_rec", w, 17), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_get_array(m, "w_rec", w, -16), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_get_array(m, "w_rec", NULL, 16), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_get_array(m, "bogus", w, 16), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_get_array(m, NULL, w, 16), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_array(m, "w_rec", w, 15), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_set_array(m, "w_rec", w, INT64_MAX), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_set_array(m, "w_rec", w, -1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_set_array(m, "w_rec", NULL, 16), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_array(m, "w_rec", NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_set_array(m, "w_rec_eff", w, 16), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_set_array(m, "bogus", w, 16), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_set_array(m, NULL, w, 16), NN4N_ERR_NULL_POINTER);
	memcpy(w2, w, sizeof w);
	w2[5] = NaN_;
	EXPECT(nn4n_model_set_array(m, "w_rec", w2, 16), NN4N_ERR_NOT_FINITE);
	w2[5] = -INF_;
	EXPECT(nn4n_model_set_array(m, "w_rec", w2, 16), NN4N_ERR_NOT_FINITE);
	OK(nn4n_model_get_array(m, "w_rec", w2, 16));
	CHECK(memcmp(w, w2, sizeof w) == 0); /* nothing changed */
	/* masks: set, read back, remove; sign mask per presynaptic unit */
	double mask[16], sign4[4] = {1, 1, 1, -1}, mask_bad[16];
	for (int i = 0; i < 16; i++) mask[i] = (i % 5) != 0, mask_bad[i] = 2;
	OK(nn4n_model_set_array(m, "mask_rec", mask, 16));
	EXPECT(nn4n_model_set_array(m, "mask_rec", mask_bad, 16), NN4N_ERR_INVALID_ARGUMENT);
	OK(nn4n_model_get_array(m, "w_rec", w, 16));
	CHECK(w[0] == 0 && w[5] == 0 && w[10] == 0 && w[15] == 0);
	OK(nn4n_model_set_array(m, "sign_rec", sign4, 4));
	OK(nn4n_model_shape(m, "sign_rec", &r, &c));
	CHECK(r == 4 && c == 4);
	OK(nn4n_model_get_array(m, "w_rec_eff", w, 16));
	int signs_ok = 1;
	for (int i = 0; i < 4; i++) signs_ok &= w[i * 4 + 3] <= 0 && w[i * 4] >= 0;
	CHECK(signs_ok);
	OK(nn4n_model_set_array(m, "sign_rec", NULL, 0));
	OK(nn4n_model_shape(m, "sign_rec", &r, &c));
	CHECK(r == 0 && c == 0);
	OK(nn4n_model_set_array(m, "mask_rec", NULL, 0));
	EXPECT(nn4n_model_set_array(m, "alpha", sign4, 4), NN4N_ERR_INVALID_ARGUMENT); /* -1 is not a valid α */

	OK(nn4n_model_reinitialize(m));
	OK(nn4n_model_set_str(m, "init", "pycog"));
	OK(nn4n_model_reinitialize(m));
	double rho = 0;
	OK(nn4n_model_spectral_radius(m, &rho));
	CHECK(rho > 0);
	EXPECT(nn4n_model_spectral_radius(m, NULL), NN4N_ERR_NULL_POINTER);

	/* forward: B×T×I = 2×3×2 */
	double u[12] = {0}, y[18], rr[24], xs[24], x0[8] = {0};
	OK(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 18, rr, 24, xs, 24));
	OK(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, NULL, 0, NULL, 0, NULL, 0));
	EXPECT(nn4n_model_forward(m, u, 11, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, u, -12, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, NULL, 12, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_forward(m, u, 12, 0, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, u, 12, -2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, u, 12, 2, -3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, u, 12, INT64_MAX, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, u, 12, NN4N_MAX_BATCH, NN4N_MAX_STEPS, NULL, 0, y, 18, NULL, 0, NULL, 0),
	       NN4N_ERR_INVALID_ARGUMENT); /* over 2^40 elements: refused before any allocation */
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 17, NULL, 0, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, NULL, 18, NULL, 0, NULL, 0), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 18, rr, 23, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 18, NULL, 0, xs, 25), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, x0, 5, y, 18, NULL, 0, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 4, y, 18, NULL, 0, NULL, 0), NN4N_ERR_NULL_POINTER);
	OK(nn4n_model_forward(m, u, 12, 2, 3, x0, 4, y, 18, NULL, 0, NULL, 0));
	OK(nn4n_model_forward(m, u, 12, 2, 3, x0, 8, y, 18, NULL, 0, NULL, 0));
	u[7] = NaN_;
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_NOT_FINITE);
	u[7] = INF_;
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0), NN4N_ERR_NOT_FINITE);
	u[7] = 0;
	x0[3] = NaN_;
	EXPECT(nn4n_model_forward(m, u, 12, 2, 3, x0, 4, y, 18, NULL, 0, NULL, 0), NN4N_ERR_NOT_FINITE);
	x0[3] = 0;

	/* step */
	double st[8] = {0}, su[4] = {0}, sr[8], sy[6];
	OK(nn4n_model_step(m, 2, st, 8, su, 4, sr, 8, sy, 6));
	EXPECT(nn4n_model_step(m, 0, st, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_step(m, -1, st, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_step(m, INT64_MAX, st, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_step(m, 2, NULL, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_step(m, 2, st, 7, su, 4, sr, 8, sy, 6), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_step(m, 2, st, -8, su, 4, sr, 8, sy, 6), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_step(m, 2, st, 8, NULL, 4, sr, 8, sy, 6), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 3, sr, 8, sy, 6), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 4, sr, 9, sy, 6), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 4, NULL, 8, sy, 6), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 4, sr, 8, sy, 5), NN4N_ERR_SHAPE);
	su[1] = NaN_;
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_NOT_FINITE);
	su[1] = 0;
	st[2] = INF_;
	EXPECT(nn4n_model_step(m, 2, st, 8, su, 4, sr, 8, sy, 6), NN4N_ERR_NOT_FINITE);
	st[2] = 0;

	/* terms before any training call */
	int64_t nt = -1;
	OK(nn4n_model_term_count(m, &nt));
	CHECK(nt == 0);
	EXPECT(nn4n_model_term_count(m, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_term(m, 0, s, sizeof s, &v), NN4N_ERR_INVALID_ARGUMENT);
	nt = -1;
	OK(nn4n_model_terms(m, NULL, 0, NULL, 0, &nt));
	CHECK(nt == 0);
	EXPECT(nn4n_model_terms(m, NULL, 0, NULL, 0, NULL), NN4N_ERR_NULL_POINTER);

	/* cancel with nothing running is a pending request, consumed by train */
	OK(nn4n_model_cancel(m));

	/* bad handles for every model function */
	BADH(*bm, nn4n_model_set_f64(H, "alpha", 0.2));
	BADH(*bm, nn4n_model_get_f64(H, "alpha", &v));
	BADH(*bm, nn4n_model_set_str(H, "activation", "relu"));
	BADH(*bm, nn4n_model_get_str(H, "activation", s, sizeof s, &need));
	BADH(*bm, nn4n_model_shape(H, "w_in", &r, &c));
	BADH(*bm, nn4n_model_get_array(H, "w_rec", w, 16));
	BADH(*bm, nn4n_model_set_array(H, "w_rec", w, 16));
	BADH(*bm, nn4n_model_reinitialize(H));
	BADH(*bm, nn4n_model_spectral_radius(H, &rho));
	BADH(*bm, nn4n_model_forward(H, u, 12, 2, 3, NULL, 0, y, 18, NULL, 0, NULL, 0));
	BADH(*bm, nn4n_model_step(H, 2, st, 8, su, 4, sr, 8, sy, 6));
	BADH(*bm, nn4n_model_term_count(H, &nt));
	BADH(*bm, nn4n_model_term(H, 0, s, sizeof s, &v));
	BADH(*bm, nn4n_model_terms(H, s, sizeof s, &v, 1, &nt));
	BADH(*bm, nn4n_model_cancel(H));
	BADH(*bm, nn4n_model_save(H, path("never.npz")));
	BADH(*bm, nn4n_model_get_grad(H, "w_out", w, 12));
	BADH(*bm, nn4n_model_create_from_structure(H, 0, 1, &m));
	OK(nn4n_model_free(m));
}

/* Objectives, optimizers, gradients and training through the ABI. */
static void test_training(const bad_handles* bm, const bad_handles* bo, const bad_handles* bopt) {
	uint64_t m = 0, obj = 0, opt = 0, comp = 0;
	OK(nn4n_model_create(1, 3, 1, NN4N_FLOAT64, 5, &m));
	OK(nn4n_model_set_f64(m, "training", 0));
	OK(nn4n_model_set_str(m, "activation", "tanh"));
	OK(nn4n_model_set_f64(m, "train_bias_out", 1));

	/* objective keys */
	EXPECT(nn4n_objective_create("bogus", &obj), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_create(NULL, &obj), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_objective_create("songyang", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_objective_create("songyang", &obj));
	double v = -1;
	OK(nn4n_objective_get_f64(obj, "lambda_omega", &v));
	CHECK(v == 2);
	OK(nn4n_objective_set_f64(obj, "lambda_omega", 0));
	OK(nn4n_objective_get_f64(obj, "lambda_omega", &v));
	CHECK(v == 0);
	OK(nn4n_objective_set_f64(obj, "lambda2_rec", 1e-3));
	EXPECT(nn4n_objective_set_f64(obj, "lambda2_rec", -1), NN4N_ERR_RANGE);
	EXPECT(nn4n_objective_set_f64(obj, "lambda2_rec", NaN_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_objective_set_f64(obj, "bogus", 1), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_set_f64(obj, NULL, 1), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_objective_get_f64(obj, "lambda2_rec", NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_objective_get_f64(obj, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_objective_set_str(obj, "weights", "effective"));
	EXPECT(nn4n_objective_set_str(obj, "head", "bogus"), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_objective_set_str(obj, "bogus", "x"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_set_str(obj, "head", NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_objective_set_str(obj, "kind", "mse"), NN4N_ERR_INVALID_ARGUMENT);
	char s[64];
	OK(nn4n_objective_get_str(obj, "kind", s, sizeof s, NULL));
	CHECK(strcmp(s, "songyang") == 0);
	OK(nn4n_objective_get_str(obj, "head", s, sizeof s, NULL));
	CHECK(strcmp(s, "squared") == 0);
	EXPECT(nn4n_objective_get_str(obj, "bogus", s, sizeof s, NULL), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_add_term(obj, "fr", "fr", 1), NN4N_ERR_STATE);

	/* composite */
	OK(nn4n_objective_create("composite", &comp));
	OK(nn4n_objective_add_term(comp, "task", "mse", 1));
	OK(nn4n_objective_add_term(comp, NULL, "fr", 0.1));
	OK(nn4n_objective_add_term(comp, "off", "hebbian", 0)); /* lambda 0: not evaluated */
	EXPECT(nn4n_objective_add_term(comp, "task", "mse", 1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_objective_add_term(comp, "x", "bogus", 1), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_add_term(comp, "bad name", "mse", 1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_objective_add_term(comp, "y", "mse", -1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_objective_add_term(comp, "y", "mse", INF_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_objective_add_term(comp, "y", NULL, 1), NN4N_ERR_NULL_POINTER);
	OK(nn4n_objective_set_str(comp, "fr.metric", "l1"));
	EXPECT(nn4n_objective_set_str(comp, "fr.metric", "sd"), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_objective_set_str(comp, "nope.metric", "l1"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_objective_set_str(comp, "metric", "l1"), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_objective_set_f64(comp, "task.masked", 1));
	OK(nn4n_objective_set_f64(comp, "fr.lambda", 0.2));
	OK(nn4n_objective_get_f64(comp, "fr.lambda", &v));
	CHECK(v == 0.2);
	EXPECT(nn4n_objective_set_f64(comp, "fr.tau", 2), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_objective_get_str(comp, "fr.kind", s, sizeof s, NULL));
	CHECK(strcmp(s, "fr") == 0);
	OK(nn4n_objective_get_str(comp, "fr.metric", s, sizeof s, NULL));
	CHECK(strcmp(s, "l1") == 0);

	/* optimizers */
	EXPECT(nn4n_optimizer_create("rmsprop", &opt), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_optimizer_create(NULL, &opt), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_optimizer_create("sgd", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_optimizer_create("adam", &opt));
	OK(nn4n_optimizer_get_f64(opt, "beta2", &v));
	CHECK(v == 0.999);
	OK(nn4n_optimizer_set_f64(opt, "lr", 0.01));
	EXPECT(nn4n_optimizer_set_f64(opt, "beta1", 1), NN4N_ERR_RANGE);
	EXPECT(nn4n_optimizer_set_f64(opt, "eps", 0), NN4N_ERR_RANGE);
	EXPECT(nn4n_optimizer_set_f64(opt, "lr", -1), NN4N_ERR_RANGE);
	EXPECT(nn4n_optimizer_set_f64(opt, "lr", NaN_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_optimizer_set_f64(opt, "guard", 2), NN4N_ERR_RANGE);
	EXPECT(nn4n_optimizer_set_f64(opt, "momentum", 0.9), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_optimizer_set_f64(opt, NULL, 0.9), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_optimizer_get_f64(opt, "lr", NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_optimizer_get_f64(opt, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_optimizer_reset(opt));

	/* a batch: B=2, T=5, I=1, O=1 */
	enum { B = 2, T = 5 };
	double u[B * T], tg[B * T], mk[B * T], lab[B * T];
	for (int i = 0; i < B * T; i++) u[i] = (i % 3) * 0.5, tg[i] = 0.3 * ((i % 2) ? 1 : -1), mk[i] = i % T >= 2, lab[i] = 0;

	/* gradient checked against central differences of the loss */
	OK(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T));
	int64_t nt = 0;
	OK(nn4n_model_term_count(m, &nt));
	CHECK(nt >= 2);
	char name[64];
	double total = 0;
	OK(nn4n_model_term(m, 0, name, sizeof name, &total));
	CHECK(strcmp(name, "total") == 0 && total > 0);
	OK(nn4n_model_term(m, 1, NULL, 0, NULL));
	EXPECT(nn4n_model_term(m, 0, name, 3, NULL), NN4N_ERR_BUFFER_TOO_SMALL);
	EXPECT(nn4n_model_term(m, nt, name, sizeof name, &v), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_term(m, -1, name, sizeof name, &v), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_term(m, 0, NULL, 4, &v), NN4N_ERR_NULL_POINTER);
	{
		/* every term in one call: the values and names of nn4n_model_term */
		double vals[16], one = 0;
		char names[512], want[512] = "";
		int64_t cnt = -1;
		OK(nn4n_model_terms(m, names, sizeof names, vals, 16, &cnt));
		CHECK(cnt == nt);
		for (int64_t k = 0; k < nt && k < 16; k++) {
			char nk[64];
			OK(nn4n_model_term(m, k, nk, sizeof nk, &one));
			CHECK(vals[k] == one);
			if (k > 0) strcat(want, "\t");
			strcat(want, nk);
		}
		CHECK(strcmp(names, want) == 0);
		cnt = -1;
		OK(nn4n_model_terms(m, NULL, 0, vals, 16, &cnt));
		CHECK(cnt == nt);
		cnt = -1;
		EXPECT(nn4n_model_terms(m, NULL, 0, vals, 1, &cnt), NN4N_ERR_BUFFER_TOO_SMALL);
		CHECK(cnt == nt);
		EXPECT(nn4n_model_terms(m, names, 4, vals, 16, &cnt), NN4N_ERR_BUFFER_TOO_SMALL);
		CHECK(strlen(names) == 3 && vals[0] == total);
		EXPECT(nn4n_model_terms(m, NULL, 4, vals, 16, &cnt), NN4N_ERR_NULL_POINTER);
		EXPECT(nn4n_model_terms(m, NULL, 0, NULL, 3, &cnt), NN4N_ERR_NULL_POINTER);
		EXPECT(nn4n_model_terms(m, NULL, 0, vals, -1, &cnt), NN4N_ERR_INVALID_ARGUMENT);
	}
	double g[3], wout[3], b_out[1], gb[1];
	OK(nn4n_model_get_grad(m, "w_out", g, 3));
	OK(nn4n_model_get_grad(m, "b_out", gb, 1));
	EXPECT(nn4n_model_get_grad(m, "w_out", g, 2), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_get_grad(m, "w_out", NULL, 3), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_get_grad(m, "b_in", g, 3), NN4N_ERR_UNKNOWN_KEY); /* not trained */
	EXPECT(nn4n_model_get_grad(m, "bogus", g, 3), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_model_get_grad(m, NULL, g, 3), NN4N_ERR_NULL_POINTER);
	OK(nn4n_model_get_array(m, "w_out", wout, 3));
	OK(nn4n_model_get_array(m, "b_out", b_out, 1));
	double fderr = 0;
	for (int j = 0; j < 4; j++) {
		const double h = 1e-6;
		double lp, lm, *p = j < 3 ? &wout[j] : &b_out[0];
		const char* key = j < 3 ? "w_out" : "b_out";
		double* arr = j < 3 ? wout : b_out;
		int64_t len = j < 3 ? 3 : 1;
		double orig = *p;
		*p = orig + h;
		OK(nn4n_model_set_array(m, key, arr, len));
		OK(nn4n_model_loss(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, NULL, 0));
		OK(nn4n_model_term(m, 0, NULL, 0, &lp));
		*p = orig - h;
		OK(nn4n_model_set_array(m, key, arr, len));
		OK(nn4n_model_loss(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, NULL, 0));
		OK(nn4n_model_term(m, 0, NULL, 0, &lm));
		*p = orig;
		OK(nn4n_model_set_array(m, key, arr, len));
		double fd = (lp - lm) / (2 * h), an = j < 3 ? g[j] : gb[0];
		fderr = fmax(fderr, fabs(fd - an) / fmax(1e-8, fabs(fd) + fabs(an)));
	}
	CHECK(fderr < 1e-5);

	/* loss error paths */
	double y[B * T];
	OK(nn4n_model_loss(m, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, y, B * T));
	EXPECT(nn4n_model_loss(m, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, y, B * T - 1), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_loss(m, obj, u, B * T, NULL, 0, NULL, 0, NULL, 0, B, T, y, B * T), NN4N_ERR_NULL_POINTER);
	double zero[B * T] = {0};
	EXPECT(nn4n_model_loss(m, obj, u, B * T, tg, B * T, zero, B * T, NULL, 0, B, T, NULL, 0), NN4N_ERR_NUMERIC);

	/* gradient error paths */
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T - 1, NULL, 0, NULL, 0, B, T), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, mk, 3, NULL, 0, B, T), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_gradient(m, obj, NULL, B * T, tg, B * T, NULL, 0, NULL, 0, B, T), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, -B, T), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, 0), NN4N_ERR_INVALID_ARGUMENT);
	tg[3] = NaN_;
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T), NN4N_ERR_NOT_FINITE);
	tg[3] = 0.3;
	mk[4] = INF_;
	EXPECT(nn4n_model_gradient(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T), NN4N_ERR_NOT_FINITE);
	mk[4] = 1;
	EXPECT(nn4n_model_gradient(m, opt, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T), NN4N_ERR_INVALID_HANDLE);

	/* labels: integers as doubles; softmax cross-entropy on 2 outputs */
	uint64_t m2 = 0, ce = 0;
	OK(nn4n_model_create(1, 3, 2, NN4N_FLOAT64, 9, &m2));
	OK(nn4n_model_set_str(m2, "head", "softmax"));
	OK(nn4n_objective_create("songyang", &ce));
	OK(nn4n_objective_set_str(ce, "head", "softmax_ce"));
	for (int i = 0; i < B * T; i++) lab[i] = (i % 3) - 1; /* -1 ignored, 0, 1 */
	OK(nn4n_model_gradient(m2, ce, u, B * T, NULL, 0, NULL, 0, lab, B * T, B, T));
	lab[2] = 0.5;
	EXPECT(nn4n_model_gradient(m2, ce, u, B * T, NULL, 0, NULL, 0, lab, B * T, B, T), NN4N_ERR_INVALID_ARGUMENT);
	lab[2] = 2;
	EXPECT(nn4n_model_gradient(m2, ce, u, B * T, NULL, 0, NULL, 0, lab, B * T, B, T), NN4N_ERR_INVALID_ARGUMENT);
	lab[2] = NaN_;
	EXPECT(nn4n_model_gradient(m2, ce, u, B * T, NULL, 0, NULL, 0, lab, B * T, B, T), NN4N_ERR_NOT_FINITE);
	lab[2] = 1;
	EXPECT(nn4n_model_gradient(m2, ce, u, B * T, NULL, 0, NULL, 0, lab, B * T - 1, B, T), NN4N_ERR_SHAPE);
	OK(nn4n_model_free(m2));
	OK(nn4n_objective_free(ce));

	/* train: the pending cancel from above is not on this model; the loss falls */
	double first = 0, last = 0;
	int64_t done = -1;
	OK(nn4n_model_loss(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, NULL, 0));
	OK(nn4n_model_term(m, 0, NULL, 0, &first));
	OK(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 50, &done));
	CHECK(done == 50);
	OK(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 50, NULL));
	OK(nn4n_model_loss(m, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, NULL, 0));
	OK(nn4n_model_term(m, 0, NULL, 0, &last));
	CHECK(last < first);
	OK(nn4n_model_train(m, comp, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 3, &done));
	OK(nn4n_model_term_count(m, &nt));
	CHECK(nt == 4); /* total, task, fr, grad_norm ("off" has lambda 0) */
	OK(nn4n_model_term(m, 2, name, sizeof name, NULL));
	CHECK(strcmp(name, "fr") == 0);
	EXPECT(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 0, &done), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, -1, &done), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_train(m, obj, obj, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 1, &done), NN4N_ERR_INVALID_HANDLE);
	EXPECT(nn4n_model_train(m, opt, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 1, &done), NN4N_ERR_INVALID_HANDLE);
	EXPECT(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T + 1, mk, B * T, NULL, 0, B, T, 1, &done), NN4N_ERR_SHAPE);
	OK(nn4n_model_cancel(m));
	EXPECT(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 5, &done), NN4N_ERR_CANCELLED);
	CHECK(done == 0);
	OK(nn4n_model_train(m, obj, opt, u, B * T, tg, B * T, mk, B * T, NULL, 0, B, T, 1, &done)); /* consumed */

	/* an empty composite cannot be used */
	uint64_t empty = 0;
	OK(nn4n_objective_create("composite", &empty));
	EXPECT(nn4n_model_gradient(m, empty, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T), NN4N_ERR_STATE);
	OK(nn4n_objective_free(empty));
	/* single criteria as objectives */
	const char* kinds[] = {"fr", "fr_dist", "rnn_conn", "state_pred", "entropy", "hebbian", "cross_entropy", "mse", "rnnloss"};
	for (int k = 0; k < 9; k++) {
		uint64_t o = 0;
		OK(nn4n_objective_create(kinds[k], &o));
		OK(nn4n_objective_get_str(o, "kind", s, sizeof s, NULL));
		CHECK(strcmp(s, kinds[k]) == 0);
		OK(nn4n_model_gradient(m, o, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T));
		OK(nn4n_objective_free(o));
	}

	/* bad handles */
	BADH(*bo, nn4n_objective_add_term(H, "t", "mse", 1));
	BADH(*bo, nn4n_objective_set_f64(H, "lambda2_rec", 1));
	BADH(*bo, nn4n_objective_get_f64(H, "lambda2_rec", &v));
	BADH(*bo, nn4n_objective_set_str(H, "head", "squared"));
	BADH(*bo, nn4n_objective_get_str(H, "head", s, sizeof s, NULL));
	BADH(*bopt, nn4n_optimizer_set_f64(H, "lr", 0.1));
	BADH(*bopt, nn4n_optimizer_get_f64(H, "lr", &v));
	BADH(*bopt, nn4n_optimizer_reset(H));
	BADH(*bm, nn4n_model_gradient(H, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T));
	BADH(*bm, nn4n_model_loss(H, obj, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, NULL, 0));
	BADH(*bm, nn4n_model_train(H, obj, opt, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, 1, NULL));
	BADH(*bo, nn4n_model_gradient(m, H, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T));
	BADH(*bo, nn4n_model_loss(m, H, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, NULL, 0));
	BADH(*bo, nn4n_model_train(m, H, opt, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, 1, NULL));
	BADH(*bopt, nn4n_model_train(m, obj, H, u, B * T, tg, B * T, NULL, 0, NULL, 0, B, T, 1, NULL));

	OK(nn4n_objective_free(obj));
	OK(nn4n_objective_free(comp));
	OK(nn4n_optimizer_free(opt));
	OK(nn4n_model_free(m));
}

/* Model files: bit-identical round trip, IO and FORMAT errors. */
static void test_files(const bad_handles* bm) {
	uint64_t m = 0, l = 0;
	OK(nn4n_model_create(2, 5, 2, NN4N_FLOAT64, 3, &m));
	OK(nn4n_model_set_str(m, "dale", "clip"));
	double sign[5] = {1, 1, 1, -1, -1};
	OK(nn4n_model_set_array(m, "sign_rec", sign, 5));
	OK(nn4n_model_set_f64(m, "rec_noise", 0.1));
	OK(nn4n_model_save(m, path("model.npz")));
	OK(nn4n_model_load(path("model.npz"), &l));
	CHECK(l != 0 && l != m);
	const char* keys[] = {"w_in", "w_rec", "w_out", "w_in_eff", "w_rec_eff", "w_out_eff", "b_in", "b_rec", "b_out", "alpha", "x0",
	                      "mask_in", "mask_rec", "mask_out", "sign_rec", "plasticity_rec"};
	int same = 1;
	for (int k = 0; k < 16; k++) {
		int64_t r1, c1, r2, c2;
		OK(nn4n_model_shape(m, keys[k], &r1, &c1));
		OK(nn4n_model_shape(l, keys[k], &r2, &c2));
		CHECK(r1 == r2 && c1 == c2);
		double a[64], b[64];
		if (r1 * c1 > 64) continue;
		OK(nn4n_model_get_array(m, keys[k], a, r1 * c1));
		OK(nn4n_model_get_array(l, keys[k], b, r1 * c1));
		same &= memcmp(a, b, sizeof(double) * (size_t)(r1 * c1)) == 0;
	}
	CHECK(same);
	/* the generator state is saved too: the same noisy forward */
	double u[2 * 3 * 2] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2}, y1[12], y2[12];
	OK(nn4n_model_forward(m, u, 12, 2, 3, NULL, 0, y1, 12, NULL, 0, NULL, 0));
	OK(nn4n_model_forward(l, u, 12, 2, 3, NULL, 0, y2, 12, NULL, 0, NULL, 0));
	CHECK(memcmp(y1, y2, sizeof y1) == 0);
	char s[64];
	OK(nn4n_model_get_str(l, "dale", s, sizeof s, NULL));
	CHECK(strcmp(s, "clip") == 0);
	OK(nn4n_model_free(l));
	/* a CSV of w_rec for the numpy check */
	double wr[25];
	OK(nn4n_model_get_array(m, "w_rec", wr, 25));
	FILE* f = fopen(path("model_w_rec.txt"), "w");
	for (int i = 0; i < 25; i++) fprintf(f, "%.17g\n", wr[i]);
	fclose(f);

	/* errors */
	EXPECT(nn4n_model_save(m, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_save(m, ""), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_save(m, "/nonexistent-dir/x/model.npz"), NN4N_ERR_IO);
	EXPECT(nn4n_model_load(NULL, &l), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_load(path("model.npz"), NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_load(path("does-not-exist.npz"), &l), NN4N_ERR_IO);
	EXPECT(nn4n_model_load("", &l), NN4N_ERR_INVALID_ARGUMENT);

	/* truncated, corrupted, garbage files */
	FILE* in = fopen(path("model.npz"), "rb");
	fseek(in, 0, SEEK_END);
	long size = ftell(in);
	fseek(in, 0, SEEK_SET);
	unsigned char* data = malloc((size_t)size);
	CHECK(fread(data, 1, (size_t)size, in) == (size_t)size);
	fclose(in);
	long cuts[] = {0, 10, size / 3, size / 2, size - 30, size - 1};
	for (int k = 0; k < 6; k++) {
		f = fopen(path("trunc.npz"), "wb");
		fwrite(data, 1, (size_t)cuts[k], f);
		fclose(f);
		EXPECT(nn4n_model_load(path("trunc.npz"), &l), NN4N_ERR_FORMAT);
	}
	CHECK(strstr(lasterr(), "zip") != NULL);
	int corrupt_format = 1;
	for (long off = 40; off < size - 200; off += size / 7) {
		unsigned char keep = data[off];
		data[off] ^= 0x5a;
		f = fopen(path("corrupt.npz"), "wb");
		fwrite(data, 1, (size_t)size, f);
		fclose(f);
		uint64_t h = 0;
		int32_t st = nn4n_model_load(path("corrupt.npz"), &h);
		if (st == NN4N_ERR_FORMAT) {
			corrupt_format &= strlen(lasterr()) > 20;
		} else if (st == NN4N_OK) {
			/* a flipped byte the format does not read (a zip timestamp):
			 * the model must then be the one saved */
			double w1[25];
			corrupt_format &= nn4n_model_get_array(h, "w_rec", w1, 25) == NN4N_OK && memcmp(w1, wr, sizeof wr) == 0;
			nn4n_model_free(h);
		} else {
			corrupt_format = 0;
			fprintf(stderr, "corrupt byte %ld: %s: %s\n", off, nn4n_status_name(st), lasterr());
		}
		data[off] = keep;
	}
	CHECK(corrupt_format);
	f = fopen(path("garbage.npz"), "wb");
	fputs("this is not a model file", f);
	fclose(f);
	EXPECT(nn4n_model_load(path("garbage.npz"), &l), NN4N_ERR_FORMAT);
	CHECK(strstr(lasterr(), "garbage.npz") != NULL || strstr(lasterr(), "zip") != NULL);
	free(data);
	/* an interrupted save never damages the previous file: a failing save
	 * into a directory that is not writable leaves the old file */
	OK(nn4n_model_load(path("model.npz"), &l));
	OK(nn4n_model_free(l));

	BADH(*bm, nn4n_model_save(H, path("bad.npz")));
	OK(nn4n_model_free(m));
}

/* Structures, and models made from them. */
static void test_structures(const bad_handles* bs) {
	uint64_t st = 0, m = 0;
	EXPECT(nn4n_structure_create("bogus", 2, 8, 1, &st), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_create(NULL, 2, 8, 1, &st), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_structure_create("multi_area", 2, 8, 1, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_structure_create("multi_area", -2, 8, 1, &st), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_create("multi_area", 2, 0, 1, &st), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_create("multi_area", 2, INT64_MAX, 1, &st), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_create("multi_area", 2, 8, -1, &st), NN4N_ERR_INVALID_ARGUMENT);
	OK(nn4n_structure_create("multi_area_ei", 2, 10, 2, &st));
	double v = 0;
	int64_t r = 0, c = 0, n = 0;
	EXPECT(nn4n_structure_shape(st, "hidden_mask", &r, &c), NN4N_ERR_STATE);
	EXPECT(nn4n_model_create_from_structure(st, 0, 1, &m), NN4N_ERR_STATE);
	EXPECT(nn4n_structure_get_f64(st, "n_areas", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_structure_set_f64(st, "seed", 4));
	OK(nn4n_structure_set_f64(st, "n_areas", 2));
	EXPECT(nn4n_structure_set_f64(st, "n_areas", 1.5), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_set_f64(st, "seed", NaN_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_structure_set_f64(st, "hidden_spar", 0.5), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_set_f64(st, NULL, 0.5), NN4N_ERR_NULL_POINTER);
	double sizes[2] = {6, 4}, conn[3] = {0.5, 0.2, 1}, exc[1] = {0.5}, inter[3] = {1, 1, 1}, bad[2] = {NaN_, 1};
	OK(nn4n_structure_set_array(st, "area_sizes", sizes, 2));
	OK(nn4n_structure_set_array(st, "area_connectivities", conn, 3));
	OK(nn4n_structure_set_array(st, "exc_pct", exc, 1));
	EXPECT(nn4n_structure_set_array(st, "inter_area_connections", inter, 3), NN4N_ERR_SHAPE);
	EXPECT(nn4n_structure_set_array(st, "area_connectivities", bad, 2), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_structure_set_array(st, "area_sizes", conn, 2), NN4N_ERR_INVALID_ARGUMENT); /* 0.5 is not an integer */
	EXPECT(nn4n_structure_set_array(st, "bogus", sizes, 2), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_set_array(st, "area_sizes", NULL, 2), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_structure_set_array(st, "area_sizes", sizes, -2), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_set_array(st, NULL, sizes, 2), NN4N_ERR_NULL_POINTER);
	OK(nn4n_structure_set_str(st, "area_names", "sensory,motor"));
	EXPECT(nn4n_structure_set_str(st, "bogus", "x"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_set_str(st, "area_names", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_structure_build(st));
	OK(nn4n_structure_get_f64(st, "built", &v));
	CHECK(v == 1);
	OK(nn4n_structure_get_f64(st, "n_areas", &v));
	CHECK(v == 2);
	EXPECT(nn4n_structure_get_f64(st, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_structure_shape(st, "hidden_mask", &r, &c));
	CHECK(r == 10 && c == 10);
	OK(nn4n_structure_shape(st, "unit_sign", &r, &c));
	CHECK(r == 10 && c == 1);
	OK(nn4n_structure_shape(st, "hidden_scale", &r, &c));
	CHECK(r == 0 && c == 0);
	EXPECT(nn4n_structure_shape(st, "bogus", &r, &c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_shape(st, "hidden_mask", NULL, &c), NN4N_ERR_NULL_POINTER);
	double hm[100], hs[100], us[10];
	OK(nn4n_structure_get_array(st, "hidden_mask", hm, 100));
	OK(nn4n_structure_get_array(st, "hidden_sign", hs, 100));
	OK(nn4n_structure_get_array(st, "unit_sign", us, 10));
	EXPECT(nn4n_structure_get_array(st, "hidden_mask", hm, 99), NN4N_ERR_SHAPE);
	EXPECT(nn4n_structure_get_array(st, "hidden_mask", NULL, 100), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_structure_get_array(st, "bogus", hm, 100), NN4N_ERR_UNKNOWN_KEY);
	/* area 0 (6 units, 3 excitatory), area 1 (4 units, 2 excitatory) */
	OK(nn4n_structure_index_count(st, "area", 1, &n));
	CHECK(n == 4);
	double idx[10];
	OK(nn4n_structure_indices(st, "area", 1, idx, 4));
	CHECK(idx[0] == 6 && idx[3] == 9);
	OK(nn4n_structure_index_count(st, "excitatory", 0, &n));
	CHECK(n == 5);
	OK(nn4n_structure_indices(st, "excitatory", 0, idx, 5));
	CHECK(idx[0] == 0 && idx[2] == 2 && idx[3] == 6 && us[0] == 1 && us[3] == -1);
	OK(nn4n_structure_index_count(st, "input", 0, &n));
	CHECK(n == 10);
	EXPECT(nn4n_structure_index_count(st, "area", 2, &n), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_index_count(st, "area", -1, &n), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_index_count(st, "bogus", 0, &n), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_index_count(st, "input", 0, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_structure_indices(st, "excitatory", 0, idx, 4), NN4N_ERR_SHAPE);
	EXPECT(nn4n_structure_indices(st, "excitatory", 0, NULL, 5), NN4N_ERR_NULL_POINTER);
	char name[32];
	int64_t need = 0;
	OK(nn4n_structure_area_name(st, 1, name, sizeof name, &need));
	CHECK(strcmp(name, "motor") == 0 && need == 6);
	EXPECT(nn4n_structure_area_name(st, 2, name, sizeof name, &need), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_structure_area_name(st, 0, name, 3, &need), NN4N_ERR_BUFFER_TOO_SMALL);

	/* the model gets the masks before its weights are drawn */
	EXPECT(nn4n_model_create_from_structure(st, 5, 1, &m), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create_from_structure(st, 0, 1, NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_model_create_from_structure(st, NN4N_FLOAT64, 1, &m));
	double mm[100], ms[100], we[100];
	OK(nn4n_model_get_array(m, "mask_rec", mm, 100));
	OK(nn4n_model_get_array(m, "sign_rec", ms, 100));
	OK(nn4n_model_get_array(m, "w_rec_eff", we, 100));
	int agree = 1;
	for (int i = 0; i < 100; i++) {
		agree &= mm[i] == hm[i] && ms[i] == hs[i];
		agree &= hm[i] != 0 || we[i] == 0;
		agree &= hs[i] >= 0 || we[i] <= 0;
		agree &= hs[i] <= 0 || we[i] >= 0;
	}
	CHECK(agree);
	OK(nn4n_model_free(m));

	/* a rebuild is needed after a change */
	OK(nn4n_structure_set_f64(st, "inh_readout", 0));
	EXPECT(nn4n_structure_get_array(st, "hidden_mask", hm, 100), NN4N_ERR_STATE);
	EXPECT(nn4n_structure_indices(st, "input", 0, idx, 10), NN4N_ERR_STATE);
	EXPECT(nn4n_structure_area_name(st, 0, name, sizeof name, &need), NN4N_ERR_STATE);
	/* an invalid parameter fails the build with its name */
	double sizes_bad[2] = {6, 5};
	OK(nn4n_structure_set_array(st, "area_sizes", sizes_bad, 2));
	EXPECT(nn4n_structure_build(st), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "n_areas") != NULL || strstr(lasterr(), "area") != NULL);

	/* the other kinds */
	const char* kinds[] = {"multi_area", "random_input", "multi_io", "pycog"};
	for (int k = 0; k < 4; k++) {
		uint64_t o = 0;
		OK(nn4n_structure_create(kinds[k], 3, 12, 2, &o));
		OK(nn4n_structure_build(o));
		OK(nn4n_model_create_from_structure(o, NN4N_FLOAT32, 2, &m));
		OK(nn4n_model_free(m));
		OK(nn4n_structure_free(o));
	}
	uint64_t pc = 0;
	OK(nn4n_structure_create("pycog", 3, 10, 2, &pc));
	OK(nn4n_structure_set_f64(pc, "exc_readout", 1));
	EXPECT(nn4n_structure_set_str(pc, "area_names", "a"), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_structure_set_array(pc, "area_sizes", sizes, 2), NN4N_ERR_UNKNOWN_KEY);
	OK(nn4n_structure_build(pc));
	OK(nn4n_structure_shape(pc, "hidden_scale", &r, &c));
	CHECK(r == 10 && c == 10);
	OK(nn4n_structure_index_count(pc, "readout", 0, &n));
	CHECK(n == 8);
	OK(nn4n_structure_free(pc));

	BADH(*bs, nn4n_structure_set_f64(H, "seed", 1));
	BADH(*bs, nn4n_structure_get_f64(H, "seed", &v));
	BADH(*bs, nn4n_structure_set_str(H, "area_names", "a,b"));
	BADH(*bs, nn4n_structure_set_array(H, "area_sizes", sizes, 2));
	BADH(*bs, nn4n_structure_build(H));
	BADH(*bs, nn4n_structure_shape(H, "hidden_mask", &r, &c));
	BADH(*bs, nn4n_structure_get_array(H, "hidden_mask", hm, 100));
	BADH(*bs, nn4n_structure_index_count(H, "input", 0, &n));
	BADH(*bs, nn4n_structure_indices(H, "input", 0, idx, 10));
	BADH(*bs, nn4n_structure_area_name(H, 0, name, sizeof name, &need));
	BADH(*bs, nn4n_model_create_from_structure(H, 0, 1, &m));
	OK(nn4n_structure_free(st));
}

/* Tasks and trainers. */
static void test_tasks(const bad_handles* bt, const bad_handles* btr) {
	uint64_t t = 0, m = 0, tr = 0, opt = 0;
	EXPECT(nn4n_task_create("bogus", 20, &t), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_create(NULL, 20, &t), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_create("rdm_dense", 20, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_create("rdm_dense", 0, &t), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_create("rdm_dense", -20, &t), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_create("rdm_dense", NaN_, &t), NN4N_ERR_NOT_FINITE);
	OK(nn4n_task_create("rdm_dense", 20, &t));
	double v = 0, ni = 0, no = 0;
	OK(nn4n_task_get_f64(t, "inputs", &ni));
	OK(nn4n_task_get_f64(t, "outputs", &no));
	CHECK(ni == 2 && no == 2);
	EXPECT(nn4n_task_get_f64(t, "steps", &v), NN4N_ERR_STATE);
	EXPECT(nn4n_task_get_f64(t, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_get_f64(t, "dt", NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_set_f64(t, "inputs", 3), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_set_f64(t, "bogus", 3), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_set_f64(t, "sigma_in", -1), NN4N_ERR_RANGE);
	EXPECT(nn4n_task_set_f64(t, "sigma_in", INF_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_task_set_f64(t, NULL, 1), NN4N_ERR_NULL_POINTER);
	OK(nn4n_task_set_f64(t, "sigma_in", 0));
	int64_t r = 0, c = 0;
	EXPECT(nn4n_task_shape(t, "input", &r, &c), NN4N_ERR_STATE);
	EXPECT(nn4n_task_sample(t, "bogus", 4, 1), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_sample(t, NULL, 4, 1), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_sample(t, "train", 0, 1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_sample(t, "train", -4, 1), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_sample(t, "train", INT64_MAX, 1), NN4N_ERR_INVALID_ARGUMENT);
	OK(nn4n_task_sample(t, "validation", 11, 3));
	OK(nn4n_task_shape(t, "conditions", &r, &c));
	CHECK(r == 11 && c == NN4N_TASK_CONDITION_COLUMNS);
	double cond[11 * NN4N_TASK_CONDITION_COLUMNS];
	OK(nn4n_task_get_array(t, "conditions", cond, r * c));
	CHECK(cond[0] == 1 && cond[1] == -1); /* trial 0 is the catch trial */
	CHECK(cond[NN4N_TASK_CONDITION_COLUMNS + 0] == 0 && cond[NN4N_TASK_CONDITION_COLUMNS + 2] > 0);
	OK(nn4n_task_shape(t, "input", &r, &c));
	double steps = 0;
	OK(nn4n_task_get_f64(t, "steps", &steps));
	CHECK(r == 11 && c == (int64_t)steps * 2);
	double* in = malloc(sizeof(double) * (size_t)(r * c));
	double* tg = malloc(sizeof(double) * (size_t)(r * c));
	double* mk = malloc(sizeof(double) * (size_t)(r * c));
	OK(nn4n_task_get_array(t, "input", in, r * c));
	OK(nn4n_task_get_array(t, "target", tg, r * c));
	OK(nn4n_task_get_array(t, "mask", mk, r * c));
	EXPECT(nn4n_task_get_array(t, "input", in, r * c - 1), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_get_array(t, "input", NULL, r * c), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_get_array(t, "bogus", in, r * c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_shape(t, "bogus", &r, &c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_shape(t, "input", NULL, &c), NN4N_ERR_NULL_POINTER);
	/* scoring the targets themselves: RMSE 0 */
	OK(nn4n_task_score(t, "rmse", tg, r * c, &v));
	CHECK_NEAR(v, 0, 1e-12);
	OK(nn4n_task_score(t, "percent_correct", tg, r * c, &v));
	EXPECT(nn4n_task_score(t, "bogus", tg, r * c, &v), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_task_score(t, "rmse", tg, r * c - 2, &v), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_score(t, "rmse", NULL, r * c, &v), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_score(t, "rmse", tg, r * c, NULL), NN4N_ERR_NULL_POINTER);
	tg[5] = NaN_;
	EXPECT(nn4n_task_score(t, "rmse", tg, r * c, &v), NN4N_ERR_NOT_FINITE);
	/* the same seed gives the same trials */
	double* in2 = malloc(sizeof(double) * (size_t)(r * c));
	OK(nn4n_task_sample(t, "validation", 11, 3));
	OK(nn4n_task_get_array(t, "input", in2, r * c));
	CHECK(memcmp(in, in2, sizeof(double) * (size_t)(r * c)) == 0);
	free(in), free(tg), free(mk), free(in2);

	/* chosen conditions: ±51.2 % and 0 %, two trials each, and a catch trial */
	enum { NC = NN4N_TASK_CONDITION_COLUMNS };
	double want[7 * NC];
	memset(want, 0, sizeof want);
	const double cohs[6] = {51.2, 51.2, -51.2, -51.2, 0, 0};
	for (int k = 0; k < 6; k++) {
		want[k * NC + 2] = cohs[k] < 0 ? -cohs[k] : cohs[k];
		want[k * NC + 3] = cohs[k] < 0 ? -1 : 1;
	}
	want[6 * NC + 0] = 1;
	OK(nn4n_task_sample_conditions(t, want, 7 * NC, 9));
	double got[7 * NC];
	OK(nn4n_task_get_array(t, "conditions", got, 7 * NC));
	CHECK(got[2] == 51.2 && got[1] == 0 && got[2 * NC + 1] == 1 && got[4 * NC + 1] == -1 && got[6 * NC] == 1);
	EXPECT(nn4n_task_sample_conditions(t, want, 7 * NC - 1, 9), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_sample_conditions(t, want, 0, 9), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_sample_conditions(t, NULL, 7 * NC, 9), NN4N_ERR_NULL_POINTER);
	want[3] = 0.5; /* a sign that is not an integer */
	EXPECT(nn4n_task_sample_conditions(t, want, 7 * NC, 9), NN4N_ERR_INVALID_ARGUMENT);
	want[3] = 1, want[10] = 12; /* a frequency on an rdm trial */
	EXPECT(nn4n_task_sample_conditions(t, want, 7 * NC, 9), NN4N_ERR_INVALID_ARGUMENT);
	want[10] = 0, want[2] = NaN_;
	EXPECT(nn4n_task_sample_conditions(t, want, 7 * NC, 9), NN4N_ERR_NOT_FINITE);
	want[2] = 51.2;
	OK(nn4n_task_sample_conditions(t, want, 7 * NC, 9));
	/* outputs that choose output 0 when the sign is positive and output 1
	 * otherwise, at the last step of each trial */
	OK(nn4n_task_shape(t, "target", &r, &c));
	double* y = calloc((size_t)(r * c), sizeof(double));
	for (int k = 0; k < 7; k++) {
		int64_t last = (int64_t)got[k * NC + 13] - 1;
		y[k * c + last * 2 + (want[k * NC + 3] > 0 ? 0 : 1)] = 1;
	}
	int64_t points = -1;
	OK(nn4n_task_psychometric(t, y, r * c, 0, NULL, 0, &points, NULL, 0));
	CHECK(points == 3);
	double table[9], fit[4];
	EXPECT(nn4n_task_psychometric(t, y, r * c, 0, table, 9, &points, fit, 4), NN4N_ERR_NUMERIC); /* separated */
	CHECK(table[0] == -51.2 && table[1] == 2 && table[2] == 0 && table[3] == 0 && table[5] == 2 && table[8] == 2);
	EXPECT(nn4n_task_psychometric(t, y, r * c, 0, table, 8, &points, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_psychometric(t, y, r * c, 0, table, 9, NULL, NULL, 0), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_task_psychometric(t, y, r * c, 2, table, 9, &points, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_task_psychometric(t, y, r * c - 1, 0, table, 9, &points, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_task_psychometric(t, y, r * c, 0, table, 9, &points, fit, 3), NN4N_ERR_SHAPE);
	/* one wrong choice at +51.2 % and one right at 0 % make a fit exist */
	int64_t last0 = (int64_t)got[0 * NC + 13] - 1;
	y[0 * c + last0 * 2] = 0, y[0 * c + last0 * 2 + 1] = 1;
	OK(nn4n_task_psychometric(t, y, r * c, 0, table, 9, &points, fit, 4));
	CHECK(fit[1] > 0 && fit[2] > 0 && fit[3] > 0);
	y[0] = NaN_;
	EXPECT(nn4n_task_psychometric(t, y, r * c, 0, table, 9, &points, fit, 4), NN4N_ERR_NOT_FINITE);
	free(y);
	uint64_t t4 = 0;
	OK(nn4n_task_create("sinewave", 20, &t4));
	double none[NC] = {0};
	OK(nn4n_task_sample_conditions(t4, none, NC, 1));
	OK(nn4n_task_shape(t4, "target", &r, &c));
	double* ys = calloc((size_t)(r * c), sizeof(double));
	EXPECT(nn4n_task_psychometric(t4, ys, r * c, 0, NULL, 0, &points, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	free(ys);
	OK(nn4n_task_free(t4));
	OK(nn4n_task_create("sinewave", 20, &t4));
	EXPECT(nn4n_task_psychometric(t4, none, 1, 0, NULL, 0, &points, NULL, 0), NN4N_ERR_STATE);
	OK(nn4n_task_free(t4));

	/* a trainer over (model, task): chunked, cancellable, history */
	OK(nn4n_model_create(2, 16, 2, NN4N_FLOAT64, 1, &m));
	uint64_t t3 = 0;
	OK(nn4n_task_create("sinewave", 20, &t3));
	EXPECT(nn4n_trainer_create(m, t3, 0, 0, &tr), NN4N_ERR_SHAPE); /* sinewave has no input */
	OK(nn4n_task_free(t3));
	EXPECT(nn4n_trainer_create(m, t, 0, 0, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_trainer_create(t, m, 0, 0, &tr), NN4N_ERR_INVALID_HANDLE);
	OK(nn4n_optimizer_create("sgd", &opt));
	OK(nn4n_trainer_create(m, t, 0, opt, &tr));
	EXPECT(nn4n_trainer_set_f64(tr, "minibatch", 1.5), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_trainer_set_f64(tr, "minibatch", NaN_), NN4N_ERR_NOT_FINITE);
	EXPECT(nn4n_trainer_set_f64(tr, "trials", 3), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_trainer_set_f64(tr, "bogus", 3), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_trainer_set_f64(tr, NULL, 3), NN4N_ERR_NULL_POINTER);
	OK(nn4n_trainer_set_f64(tr, "minibatch", 4));
	OK(nn4n_trainer_set_f64(tr, "valid_every", 8));
	OK(nn4n_trainer_set_f64(tr, "n_validation", 11));
	OK(nn4n_trainer_set_f64(tr, "max_trials", 24));
	OK(nn4n_trainer_set_f64(tr, "seed", 5));
	OK(nn4n_trainer_get_f64(tr, "valid_every", &v));
	CHECK(v == 8);
	EXPECT(nn4n_trainer_get_f64(tr, "best_loss", &v), NN4N_ERR_STATE);
	EXPECT(nn4n_trainer_get_f64(tr, "bogus", &v), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_trainer_get_f64(tr, "trials", NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_trainer_shape(tr, "history", &r, &c));
	CHECK(r == 0 && c == NN4N_TRAINER_HISTORY_COLUMNS);
	OK(nn4n_trainer_cancel(tr));
	int32_t done = -1;
	EXPECT(nn4n_trainer_run(tr, 1, &done), NN4N_ERR_CANCELLED);
	CHECK(done == 0);
	EXPECT(nn4n_trainer_set_f64(tr, "minibatch", 8), NN4N_ERR_STATE);
	OK(nn4n_trainer_run(tr, 2, &done));
	CHECK(done == 0);
	OK(nn4n_trainer_run(tr, 0, &done));
	CHECK(done == 1);
	OK(nn4n_trainer_run(tr, 0, &done)); /* finished: nothing to do */
	CHECK(done == 1);
	OK(nn4n_trainer_shape(tr, "history", &r, &c));
	CHECK(r == 4); /* validations at 0, 8, 16, 24 trials */
	double hist[4 * NN4N_TRAINER_HISTORY_COLUMNS];
	OK(nn4n_trainer_get_array(tr, "history", hist, r * c));
	CHECK(hist[0] == 0 && hist[NN4N_TRAINER_HISTORY_COLUMNS] == 8 && hist[3 * NN4N_TRAINER_HISTORY_COLUMNS + 1] == 6);
	EXPECT(nn4n_trainer_get_array(tr, "history", hist, r * c + 1), NN4N_ERR_SHAPE);
	EXPECT(nn4n_trainer_get_array(tr, "bogus", hist, r * c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_trainer_get_array(tr, "history", NULL, r * c), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_trainer_shape(tr, "bogus", &r, &c), NN4N_ERR_UNKNOWN_KEY);
	EXPECT(nn4n_trainer_shape(tr, "history", &r, NULL), NN4N_ERR_NULL_POINTER);
	OK(nn4n_trainer_get_f64(tr, "n_validations", &v));
	CHECK(v == 4);
	OK(nn4n_trainer_get_f64(tr, "finished", &v));
	CHECK(v == 1);
	char reason[128];
	OK(nn4n_trainer_get_str(tr, "reason", reason, sizeof reason, NULL));
	CHECK(strstr(reason, "24 trials") != NULL);
	EXPECT(nn4n_trainer_get_str(tr, "bogus", reason, sizeof reason, NULL), NN4N_ERR_UNKNOWN_KEY);
	/* a trainer whose optimizer was freed reports it */
	uint64_t tr2 = 0;
	OK(nn4n_trainer_create(m, t, 0, opt, &tr2));
	OK(nn4n_optimizer_free(opt));
	EXPECT(nn4n_trainer_run(tr2, 1, &done), NN4N_ERR_INVALID_HANDLE);
	OK(nn4n_trainer_free(tr2));

	BADH(*bt, nn4n_task_set_f64(H, "dt", 10));
	BADH(*bt, nn4n_task_get_f64(H, "dt", &v));
	BADH(*bt, nn4n_task_sample(H, "train", 2, 1));
	BADH(*bt, nn4n_task_shape(H, "input", &r, &c));
	BADH(*bt, nn4n_task_get_array(H, "input", hist, 4));
	BADH(*bt, nn4n_task_score(H, "rmse", hist, 4, &v));
	BADH(*bt, nn4n_task_sample_conditions(H, hist, NN4N_TASK_CONDITION_COLUMNS, 1));
	BADH(*bt, nn4n_task_psychometric(H, hist, 4, 0, NULL, 0, &r, NULL, 0));
	BADH(*bt, nn4n_trainer_create(m, H, 0, 0, &tr2));
	BADH(*btr, nn4n_trainer_set_f64(H, "seed", 1));
	BADH(*btr, nn4n_trainer_get_f64(H, "seed", &v));
	BADH(*btr, nn4n_trainer_get_str(H, "reason", reason, sizeof reason, NULL));
	BADH(*btr, nn4n_trainer_run(H, 1, &done));
	BADH(*btr, nn4n_trainer_cancel(H));
	BADH(*btr, nn4n_trainer_shape(H, "history", &r, &c));
	BADH(*btr, nn4n_trainer_get_array(H, "history", hist, 4));
	OK(nn4n_trainer_free(tr));
	OK(nn4n_task_free(t));
	OK(nn4n_model_free(m));
}

/* free: 0 is a no-op, double free and wrong kinds are INVALID_HANDLE. */
/* A multitask ("multi:<task>,<task>", issue 22): one rule input per task
 * after the widest task's inputs, on for each trial's steps; scoring the
 * targets gives 100 %; bad lists and a conditions table (which names no
 * task) are refused with the reason. */
static void test_multitask(void) {
	uint64_t a = 0, b = 0, t = 0;
	double ia = 0, ib = 0, ni = 0, no = 0, v = 0;
	OK(nn4n_task_create("rdm_fixed", 20, &a));
	OK(nn4n_task_create("romo", 20, &b));
	OK(nn4n_task_get_f64(a, "inputs", &ia));
	OK(nn4n_task_get_f64(b, "inputs", &ib));
	OK(nn4n_task_create("multi:rdm_fixed,romo", 20, &t));
	OK(nn4n_task_get_f64(t, "inputs", &ni));
	OK(nn4n_task_get_f64(t, "outputs", &no));
	int nw = (int)(ia > ib ? ia : ib);
	CHECK(ni == nw + 2 && no == 2);
	OK(nn4n_task_set_f64(t, "sigma_in", 0));
	enum { NB = 24, NC = NN4N_TASK_CONDITION_COLUMNS };
	OK(nn4n_task_sample(t, "train", NB, 5));
	int64_t r = 0, c = 0, rt = 0, ct = 0;
	OK(nn4n_task_shape(t, "input", &r, &c));
	OK(nn4n_task_shape(t, "target", &rt, &ct));
	int T = (int)(c / (int64_t)ni), I = (int)ni;
	double* in = malloc(sizeof(double) * (size_t)(r * c));
	double* tg = malloc(sizeof(double) * (size_t)(rt * ct));
	double cond[NB * NC];
	OK(nn4n_task_get_array(t, "input", in, r * c));
	OK(nn4n_task_get_array(t, "target", tg, rt * ct));
	OK(nn4n_task_get_array(t, "conditions", cond, NB * NC));
	int used[2] = {0, 0};
	for (int i = 0; i < NB; i++) {
		int steps = (int)cond[i * NC + 13], k = in[(i * T) * I + nw] > 1 ? 0 : 1;
		used[k]++;
		for (int s = 0; s < T; s++) {
			const double* row = in + (i * T + s) * I;
			double r0 = row[nw] - 0.2, r1 = row[nw + 1] - 0.2; /* baseline 0.2 */
			if (s < steps)
				CHECK(fabs(r0 + r1 - 1) < 1e-12 && fabs(r0 * r1) < 1e-12 && fabs(k == 0 ? r0 - 1 : r1 - 1) < 1e-12);
			else
				CHECK(fabs(r0) < 1e-12 && fabs(r1) < 1e-12);
		}
	}
	CHECK(used[0] > 0 && used[1] > 0);
	OK(nn4n_task_score(t, "percent_correct", tg, rt * ct, &v));
	CHECK_NEAR(v, 100, 1e-12);
	EXPECT(nn4n_task_sample_conditions(t, cond, NC, 1), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "not one of the tasks") != NULL);
	free(in), free(tg);
	uint64_t bad = 0;
	EXPECT(nn4n_task_create("multi:rdm_fixed", 20, &bad), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "at least 2 tasks") != NULL);
	EXPECT(nn4n_task_create("multi:rdm_fixed,sinewave", 20, &bad), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "not a choice task") != NULL);
	EXPECT(nn4n_task_create("multi:rdm_fixed,nope", 20, &bad), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "nope") != NULL);
	OK(nn4n_task_free(t));
	OK(nn4n_task_free(a));
	OK(nn4n_task_free(b));
}

static void test_free(void) {
	uint64_t h[6] = {0};
	OK(nn4n_model_create(2, 2, 2, 0, 1, &h[0]));
	OK(nn4n_objective_create("mse", &h[1]));
	OK(nn4n_optimizer_create("sgd", &h[2]));
	OK(nn4n_structure_create("multi_io", 1, 2, 1, &h[3]));
	OK(nn4n_task_create("rdm_fixed", 20, &h[4]));
	OK(nn4n_trainer_create(h[0], h[4], 0, 0, &h[5]));
	int32_t (*frees[6])(uint64_t) = {nn4n_model_free, nn4n_objective_free, nn4n_optimizer_free,
	                                 nn4n_structure_free, nn4n_task_free, nn4n_trainer_free};
	for (int k = 0; k < 6; k++) {
		OK(frees[k](0));
		EXPECT(frees[k](h[(k + 1) % 6]), NN4N_ERR_INVALID_HANDLE); /* wrong kind */
		EXPECT(frees[k](12345), NN4N_ERR_INVALID_HANDLE);
		EXPECT(frees[k](UINT64_MAX), NN4N_ERR_INVALID_HANDLE);
	}
	for (int k = 5; k >= 0; k--) {
		OK(frees[k](h[k]));
		EXPECT(frees[k](h[k]), NN4N_ERR_INVALID_HANDLE); /* double free */
		CHECK(strstr(lasterr(), "freed") != NULL);
	}
	/* handles are never reused */
	uint64_t again = 0;
	OK(nn4n_model_create(1, 2, 1, 0, 1, &again));
	CHECK(again != h[0]);
	OK(nn4n_model_free(again));
}

int main(int argc, char** argv) {
	if (argc > 1) dir = argv[1];
	/* One live and one freed handle of every kind, for the BADH checks. */
	uint64_t m, o, p, s, t, tr, fm, fo, fp, fs, ft, ftr;
	OK(nn4n_model_create(2, 4, 2, 0, 1, &m));
	OK(nn4n_objective_create("songyang", &o));
	OK(nn4n_optimizer_create("sgd", &p));
	OK(nn4n_structure_create("multi_area", 2, 4, 2, &s));
	OK(nn4n_task_create("rdm_fixed", 20, &t));
	OK(nn4n_trainer_create(m, t, 0, 0, &tr));
	OK(nn4n_model_create(2, 4, 2, 0, 1, &fm));
	OK(nn4n_objective_create("songyang", &fo));
	OK(nn4n_optimizer_create("sgd", &fp));
	OK(nn4n_structure_create("multi_area", 2, 4, 2, &fs));
	OK(nn4n_task_create("rdm_fixed", 20, &ft));
	OK(nn4n_trainer_create(m, t, 0, 0, &ftr));
	OK(nn4n_model_free(fm));
	OK(nn4n_objective_free(fo));
	OK(nn4n_optimizer_free(fp));
	OK(nn4n_structure_free(fs));
	OK(nn4n_task_free(ft));
	OK(nn4n_trainer_free(ftr));
	bad_handles bm = {{0, 99, fm, o, UINT64_MAX}}, bo = {{0, 7, fo, p, m}}, bp = {{0, 1, fp, m, o}},
	            bs = {{0, 3, fs, t, m}}, bt = {{0, 5, ft, s, tr}}, btr = {{0, 2, ftr, m, t}};

	int64_t live0 = 0, live = -1;
	OK(nn4n_runtime_stats(&live0, NULL));
#define NO_LEAK(call)                                   \
	do {                                            \
		call;                                   \
		OK(nn4n_runtime_stats(&live, NULL));    \
		if (live != live0) fprintf(stderr, "%s leaves %ld handles\n", #call, (long)(live - live0)); \
		CHECK(live == live0);                   \
	} while (0)
	NO_LEAK(test_library());
	NO_LEAK(test_forward_values());
	NO_LEAK(test_model_errors(&bm));
	NO_LEAK(test_training(&bm, &bo, &bp));
	NO_LEAK(test_files(&bm));
	NO_LEAK(test_structures(&bs));
	NO_LEAK(test_tasks(&bt, &btr));
	NO_LEAK(test_multitask());
	NO_LEAK(test_free());

	OK(nn4n_trainer_free(tr));
	OK(nn4n_model_free(m));
	OK(nn4n_objective_free(o));
	OK(nn4n_optimizer_free(p));
	OK(nn4n_structure_free(s));
	OK(nn4n_task_free(t));
	OK(nn4n_runtime_stats(&live, NULL));
	CHECK(live == 0);
	return finish("abi");
}
