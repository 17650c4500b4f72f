/* SPDX-License-Identifier: MIT */
/* test_analysis.c: the analysis functions through the C ABI
 * (nn4n_model_jacobian, nn4n_model_fixed_points, nn4n_model_linearize):
 * a linear network's unique fixed point against (I − W)⁻¹ c solved here,
 * the three fixed points of a one-unit tanh network with w = 2 and their
 * stability, ∂F/∂x and ∂F/∂u against central differences of
 * nn4n_model_step, J r = λ r for the returned eigenvectors, a search that
 * cannot converge reported per point, and the error statuses. */
#include "check.h"

enum { I = 2, N = 6, O = 1 };

/* solve overwrites b with the solution of a x = b (n×n, row-major,
 * Gaussian elimination with partial pivoting); returns 0 if singular. */
static int solve(double* a, double* b, int n) {
	for (int c = 0; c < n; c++) {
		int p = c;
		for (int r = c + 1; r < n; r++)
			if (fabs(a[r * n + c]) > fabs(a[p * n + c])) p = r;
		if (fabs(a[p * n + c]) < 1e-300) return 0;
		for (int k = 0; k < n; k++) {
			double t = a[c * n + k];
			a[c * n + k] = a[p * n + k], a[p * n + k] = t;
		}
		double t = b[c];
		b[c] = b[p], b[p] = t;
		for (int r = c + 1; r < n; r++) {
			double f = a[r * n + c] / a[c * n + c];
			for (int k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
			b[r] -= f * b[c];
		}
	}
	for (int r = n - 1; r >= 0; r--) {
		for (int k = r + 1; k < n; k++) b[r] -= a[r * n + k] * b[k];
		b[r] /= a[r * n + r];
	}
	return 1;
}

/* model makes an evaluation-mode model with the given activation and
 * deterministic weights: W_rec scaled by wscale, per-unit α. */
static uint64_t model(const char* act, double wscale) {
	uint64_t m = 0;
	OK(nn4n_model_create(I, N, O, NN4N_FLOAT64, 5, &m));
	OK(nn4n_model_set_str(m, "activation", act));
	OK(nn4n_model_set_str(m, "dale", "clip"));
	double w[N * N], win[N * I], brec[N], bin[N], alpha[N];
	for (int j = 0; j < N; j++) {
		for (int k = 0; k < N; k++) w[j * N + k] = wscale * sin(1.0 + 3.0 * j + 7.0 * k) / sqrt((double)N);
		for (int k = 0; k < I; k++) win[j * I + k] = cos(2.0 * j + k);
		brec[j] = 0.1 * sin(5.0 * j), bin[j] = 0.05 * cos(3.0 * j);
		alpha[j] = 0.1 + 0.08 * j;
	}
	OK(nn4n_model_set_array(m, "w_rec", w, N * N));
	OK(nn4n_model_set_array(m, "w_in", win, N * I));
	OK(nn4n_model_set_array(m, "b_rec", brec, N));
	OK(nn4n_model_set_array(m, "b_in", bin, N));
	OK(nn4n_model_set_array(m, "alpha", alpha, N));
	OK(nn4n_model_set_f64(m, "training", 0));
	return m;
}

static void linear_fixed_point(void) {
	uint64_t m = model("linear", 0.5);
	double w[N * N], win[N * I], brec[N], bin[N], u[I] = {0.4, -1.0};
	OK(nn4n_model_get_array(m, "w_rec_eff", w, N * N));
	OK(nn4n_model_get_array(m, "w_in_eff", win, N * I));
	OK(nn4n_model_get_array(m, "b_rec", brec, N));
	OK(nn4n_model_get_array(m, "b_in", bin, N));
	/* x* = W x* + c, c = b_rec + b_in + W_in u: (I − W) x* = c. */
	double a[N * N], want[N];
	for (int j = 0; j < N; j++) {
		want[j] = brec[j] + bin[j];
		for (int k = 0; k < I; k++) want[j] += win[j * I + k] * u[k];
		for (int k = 0; k < N; k++) a[j * N + k] = (j == k) - w[j * N + k];
	}
	CHECK(solve(a, want, N));
	enum { P = 5 };
	double init[P * N], ends[P * N], q[P], it[P], conv[P], lab[P];
	for (int k = 0; k < P * N; k++) init[k] = 3.0 * sin(0.7 * k + 0.3);
	int64_t np = -1;
	OK(nn4n_model_fixed_points(m, u, I, init, P * N, P, 0, 0, 0, 0, -1, ends, P * N, q, P, it, P, conv, P, lab, P, &np));
	CHECK(np == 1);
	double maxd = 0;
	for (int p = 0; p < P; p++) {
		CHECK(conv[p] == 1 && lab[p] == 0 && q[p] < 1e-12 && it[p] >= 1);
		for (int j = 0; j < N; j++) maxd = fmax(maxd, fabs(ends[p * N + j] - want[j]));
	}
	CHECK_NEAR(maxd, 0, 1e-10);
	/* Linear: J = diag(1−α) + diag(α) W everywhere; all |λ| < 1 here. */
	double er[N], ei[N], cr[N], ci[N];
	int64_t nu = -1;
	OK(nn4n_model_linearize(m, ends, N, u, I, er, N, ei, N, cr, N, ci, N, &nu, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0));
	CHECK(nu == 0);
	for (int j = 1; j < N; j++) CHECK(hypot(er[j], ei[j]) <= hypot(er[j - 1], ei[j - 1]) + 1e-15);
	OK(nn4n_model_free(m));
}

/* one_unit: x = 2 tanh x has roots 0 (unstable) and ±r (stable). */
static void one_unit(void) {
	uint64_t m = 0;
	OK(nn4n_model_create(0, 1, 1, NN4N_FLOAT64, 1, &m));
	OK(nn4n_model_set_str(m, "activation", "tanh"));
	OK(nn4n_model_set_str(m, "dale", "clip"));
	double w = 2, zero = 0, alpha = 0.2;
	OK(nn4n_model_set_array(m, "w_rec", &w, 1));
	OK(nn4n_model_set_array(m, "b_rec", &zero, 1));
	OK(nn4n_model_set_array(m, "b_in", &zero, 1));
	OK(nn4n_model_set_array(m, "alpha", &alpha, 1));
	OK(nn4n_model_set_f64(m, "training", 0));
	double lo = 0.5, hi = 3;
	for (int k = 0; k < 200; k++) {
		double mid = (lo + hi) / 2;
		if (mid - w * tanh(mid) < 0)
			lo = mid;
		else
			hi = mid;
	}
	double root = (lo + hi) / 2;
	enum { P = 81 };
	double init[P], ends[P], q[P], conv[P], lab[P];
	for (int k = 0; k < P; k++) init[k] = -4 + 0.1 * k;
	int64_t np = -1;
	OK(nn4n_model_fixed_points(m, NULL, 0, init, P, P, 1e-12, 0, 0, 1e-6, -1, ends, P, q, P, NULL, 0, conv, P, lab, P, &np));
	CHECK(np == 3);
	int seen[3] = {0, 0, 0};
	for (int p = 0; p < P; p++) {
		CHECK(conv[p] == 1 && lab[p] >= 0 && lab[p] < 3);
		double x = ends[p];
		int which = fabs(x + root) < 1e-10 ? 0 : fabs(x) < 1e-10 ? 1 : fabs(x - root) < 1e-10 ? 2 : -1;
		CHECK(which >= 0);
		if (which < 0) continue;
		if (!seen[which]) {
			seen[which] = 1;
			double er, ei, cr, ci, rr, ri, lr, li;
			int64_t nu = -1;
			OK(nn4n_model_linearize(m, &x, 1, NULL, 0, &er, 1, &ei, 1, &cr, 1, &ci, 1, &nu, 1, &rr, 1, &ri, 1, &lr, 1, &li, 1));
			double t = tanh(x), lam = 1 - alpha + alpha * w * (1 - t * t);
			CHECK_NEAR(er, lam, 1e-12);
			CHECK_NEAR(cr, (lam - 1) / alpha, 1e-12);
			CHECK(ei == 0 && ci == 0);
			CHECK(nu == (which == 1 ? 1 : 0));
			CHECK_NEAR(hypot(rr, ri), 1, 1e-12);
		}
	}
	CHECK(seen[0] && seen[1] && seen[2]);
	OK(nn4n_model_free(m));
}

/* jacobian_fd: ∂F/∂x and ∂F/∂u against central differences of the
 * model's own noise-free step, for tanh and softplus. */
static void jacobian_fd(void) {
	const char* acts[] = {"tanh", "softplus", "sigmoid"};
	for (int a = 0; a < 3; a++) {
		uint64_t m = model(acts[a], 1.5);
		double x[N], u[I] = {0.3, -0.8}, jx[N * N], ju[N * I];
		for (int j = 0; j < N; j++) x[j] = sin(1.3 * j + 0.2);
		OK(nn4n_model_jacobian(m, x, N, u, I, jx, N * N, ju, N * I));
		const double h = 1e-5;
		double maxd = 0;
		for (int k = 0; k < N + I; k++) {
			double xp[N], xm[N], up[I], um[I];
			memcpy(xp, x, sizeof x), memcpy(xm, x, sizeof x), memcpy(up, u, sizeof u), memcpy(um, u, sizeof u);
			if (k < N)
				xp[k] += h, xm[k] -= h;
			else
				up[k - N] += h, um[k - N] -= h;
			OK(nn4n_model_step(m, 1, xp, N, up, I, NULL, 0, NULL, 0));
			OK(nn4n_model_step(m, 1, xm, N, um, I, NULL, 0, NULL, 0));
			for (int r = 0; r < N; r++) {
				double fd = (xp[r] - xm[r]) / (2 * h);
				double an = k < N ? jx[r * N + k] : ju[r * I + (k - N)];
				maxd = fmax(maxd, fabs(fd - an));
			}
		}
		CHECK_NEAR(maxd, 0, 1e-8);
		/* Only one of the two outputs. */
		OK(nn4n_model_jacobian(m, x, N, u, I, NULL, 0, ju, N * I));
		OK(nn4n_model_jacobian(m, x, N, u, I, jx, N * N, NULL, 0));
		/* Eigenvectors: J r = λ r for the top 2 modes (complex). */
		double er[N], ei[N], rr[N * 2], ri[N * 2], lr[N * 2], li[N * 2];
		int64_t nu = -1;
		OK(nn4n_model_linearize(m, x, N, u, I, er, N, ei, N, NULL, 0, NULL, 0, &nu, 2, rr, N * 2, ri, N * 2, lr, N * 2, li,
		                        N * 2));
		CHECK(nu >= 0 && nu <= N);
		double res = 0;
		for (int c = 0; c < 2; c++) {
			for (int r = 0; r < N; r++) {
				double sr = 0, si = 0, tr = 0, ti = 0;
				for (int k = 0; k < N; k++) {
					sr += jx[r * N + k] * rr[k * 2 + c], si += jx[r * N + k] * ri[k * 2 + c];
					/* (Jᵀ conj(l))_r = λ conj(l)_r */
					tr += jx[k * N + r] * lr[k * 2 + c], ti -= jx[k * N + r] * li[k * 2 + c];
				}
				double lre = er[c], lim = ei[c];
				res = fmax(res, hypot(sr - (lre * rr[r * 2 + c] - lim * ri[r * 2 + c]), si - (lre * ri[r * 2 + c] + lim * rr[r * 2 + c])));
				res = fmax(res, hypot(tr - (lre * lr[r * 2 + c] + lim * li[r * 2 + c]), ti - (-lre * li[r * 2 + c] + lim * lr[r * 2 + c])));
			}
		}
		CHECK_NEAR(res, 0, 1e-10);
		OK(nn4n_model_free(m));
	}
}

/* not_converged: a linear unit with w = 1 and a drive has no fixed point;
 * every search says so (converged 0, label −1); slow_q keeps slow points. */
static void not_converged(void) {
	uint64_t m = 0;
	OK(nn4n_model_create(0, 1, 1, NN4N_FLOAT64, 1, &m));
	OK(nn4n_model_set_str(m, "activation", "linear"));
	OK(nn4n_model_set_str(m, "dale", "clip"));
	double w = 1, b = 1, zero = 0;
	OK(nn4n_model_set_array(m, "w_rec", &w, 1));
	OK(nn4n_model_set_array(m, "b_rec", &b, 1));
	OK(nn4n_model_set_array(m, "b_in", &zero, 1));
	OK(nn4n_model_set_f64(m, "alpha", 0.1));
	OK(nn4n_model_set_f64(m, "training", 0));
	double init[3] = {0, 1, -3}, q[3], conv[3], lab[3];
	int64_t np = -1;
	OK(nn4n_model_fixed_points(m, NULL, 0, init, 3, 3, 0, 0, 20, 0, 0, NULL, 0, q, 3, NULL, 0, conv, 3, lab, 3, &np));
	CHECK(np == 0);
	for (int p = 0; p < 3; p++) CHECK(conv[p] == 0 && lab[p] == -1 && q[p] >= 1e-12);
	/* q's floor is ½(α·b)² = 0.005: with slow_q = 0.01 the points are kept, unconverged. */
	OK(nn4n_model_fixed_points(m, NULL, 0, init, 3, 3, 0, 0.01, 20, 0, -1, NULL, 0, q, 3, NULL, 0, conv, 3, lab, 3, &np));
	CHECK(np >= 1);
	for (int p = 0; p < 3; p++) CHECK(conv[p] == 0 && lab[p] >= 0 && q[p] <= 0.01);
	OK(nn4n_model_free(m));
}

static void bad_input(void) {
	uint64_t m = model("tanh", 1.0);
	double x[N] = {0}, u[I] = {0}, jx[N * N], q[1], conv[1], lab[1], er[N], ei[N];
	int64_t np, nu;
	/* A model in training mode with noise is refused. */
	OK(nn4n_model_set_f64(m, "rec_noise", 0.05));
	OK(nn4n_model_set_f64(m, "training", 1));
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_STATE);
	CHECK(strstr(lasterr(), "training") != NULL);
	EXPECT(nn4n_model_jacobian(m, x, N, u, I, jx, N * N, NULL, 0), NN4N_ERR_STATE);
	OK(nn4n_model_set_f64(m, "training", 0));
	OK(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np));
	/* Wrong-length u, NaN states, NULL outputs, bad settings. */
	EXPECT(nn4n_model_fixed_points(m, u, I - 1, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_SHAPE);
	CHECK(strstr(lasterr(), "u") != NULL);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N - 1, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_SHAPE);
	x[2] = NAN;
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_NOT_FINITE);
	CHECK(strstr(lasterr(), "init") != NULL);
	EXPECT(nn4n_model_jacobian(m, x, N, u, I, jx, N * N, NULL, 0), NN4N_ERR_NOT_FINITE);
	x[2] = 0;
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, NULL, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, NULL),
	       NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 0, 0, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, -1, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, NAN, 0, 0, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_fixed_points(m, u, I, x, N, 1, 0, 0, -1, 0, 0, NULL, 0, q, 1, NULL, 0, conv, 1, lab, 1, &np),
	       NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_jacobian(m, x, N, u, I, jx, N * N - 1, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_linearize(m, x, N, u, I, er, N, ei, N, NULL, 0, NULL, 0, &nu, N + 1, NULL, 0, NULL, 0, NULL, 0,
	                            NULL, 0),
	       NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_linearize(m, x, N, u, I, NULL, N, ei, N, NULL, 0, NULL, 0, &nu, 0, NULL, 0, NULL, 0, NULL, 0, NULL,
	                            0),
	       NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_jacobian(0, x, N, u, I, jx, N * N, NULL, 0), NN4N_ERR_INVALID_HANDLE);
	OK(nn4n_model_free(m));
}

int main(void) {
	linear_fixed_point();
	one_unit();
	jacobian_fd();
	not_converged();
	bad_input();
	return finish("analysis");
}
