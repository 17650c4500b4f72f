/* SPDX-License-Identifier: MIT */
/* test_step32.c: nn4n_model_step_f32 through the C ABI: bit for bit what
 * nn4n_model_step gives on a float32 model from the same float32 values
 * (single and batched states), and its error statuses. */
#include "check.h"

int main(void) {
	enum { I = 3, N = 32, O = 2, B = 4 };
	uint64_t m = 0, m64 = 0;
	OK(nn4n_model_create(I, N, O, NN4N_FLOAT32, 11, &m));
	OK(nn4n_model_set_f64(m, "training", 0));
	for (int nb = 1; nb <= B; nb += B - 1) {
		double x[B * N], u[B * I], r[B * N], y[B * O];
		float xf[B * N], uf[B * I], rf[B * N], yf[B * O];
		for (int k = 0; k < nb * N; k++) xf[k] = (float)(0.1 * ((k * 7) % 13) - 0.6), x[k] = xf[k];
		int same = 1;
		for (int s = 0; s < 20; s++) {
			for (int k = 0; k < nb * I; k++) uf[k] = (float)(0.05 * ((s + k) % 9)), u[k] = uf[k];
			OK(nn4n_model_step(m, nb, x, nb * N, u, nb * I, r, nb * N, y, nb * O));
			OK(nn4n_model_step_f32(m, nb, xf, nb * N, uf, nb * I, rf, nb * N, yf, nb * O));
			for (int k = 0; k < nb * N; k++) same &= (double)xf[k] == x[k] && (double)rf[k] == r[k];
			for (int k = 0; k < nb * O; k++) same &= (double)yf[k] == y[k];
		}
		CHECK(same);
		CHECK(yf[0] != 0 || yf[1] != 0);
	}
	float xf[N] = {0}, uf[I] = {0}, yf[O];
	OK(nn4n_model_step_f32(m, 1, xf, N, uf, I, NULL, 0, NULL, 0));
	EXPECT(nn4n_model_step_f32(m, 1, NULL, N, uf, I, NULL, 0, yf, O), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_step_f32(m, 1, xf, N - 1, uf, I, NULL, 0, yf, O), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_step_f32(m, 0, xf, N, uf, I, NULL, 0, yf, O), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_step_f32(0, 1, xf, N, uf, I, NULL, 0, yf, O), NN4N_ERR_INVALID_HANDLE);
	uf[1] = NAN;
	EXPECT(nn4n_model_step_f32(m, 1, xf, N, uf, I, NULL, 0, yf, O), NN4N_ERR_NOT_FINITE);
	uf[1] = 0;
	OK(nn4n_model_create(I, N, O, NN4N_FLOAT64, 11, &m64));
	EXPECT(nn4n_model_step_f32(m64, 1, xf, N, uf, I, NULL, 0, yf, O), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(strstr(lasterr(), "float64") != NULL);
	OK(nn4n_model_free(m64));
	OK(nn4n_model_free(m));
	return finish("step32");
}
