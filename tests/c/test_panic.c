/* SPDX-License-Identifier: MIT */
/* test_panic.c: a panic injected inside an export (library built with
 * -tags nn4n_paniccheck) comes back as NN4N_ERR_INTERNAL with the panic
 * message and a stack in the last error; the process goes on, the library
 * keeps working, and a handle held during the panic is poisoned until
 * freed. */
#include "check.h"
#include "nn4n_testhooks.h"

int main(void) {
	for (int32_t how = 0; how < 3; how++) {
		EXPECT(nn4n_debug_panic(0, how), NN4N_ERR_INTERNAL);
		const char* msg = lasterr();
		CHECK(strstr(msg, "recovered panic") != NULL);
		CHECK(strstr(msg, "goroutine") != NULL); /* the stack */
		if (how == 0) CHECK(strstr(msg, "injected panic") != NULL);
		if (how == 1) CHECK(strstr(msg, "nil pointer") != NULL);
		if (how == 2) CHECK(strstr(msg, "index out of range") != NULL);
	}
	/* the library still works */
	uint64_t m = 0, o = 0;
	OK(nn4n_model_create(1, 4, 1, NN4N_FLOAT64, 1, &m));
	OK(nn4n_objective_create("mse", &o));
	double u[3] = {1, 2, 3}, y[3];
	OK(nn4n_model_forward(m, u, 3, 1, 3, NULL, 0, y, 3, NULL, 0, NULL, 0));
	/* a panic while the model is held poisons it (and only it) */
	EXPECT(nn4n_debug_panic(m, 0), NN4N_ERR_INTERNAL);
	EXPECT(nn4n_model_forward(m, u, 3, 1, 3, NULL, 0, y, 3, NULL, 0, NULL, 0), NN4N_ERR_INTERNAL);
	CHECK(strstr(lasterr(), "free it") != NULL);
	EXPECT(nn4n_model_set_f64(m, "alpha", 0.2), NN4N_ERR_INTERNAL);
	OK(nn4n_objective_set_f64(o, "masked", 1));
	OK(nn4n_model_free(m));
	EXPECT(nn4n_model_free(m), NN4N_ERR_INVALID_HANDLE);
	/* and the lock was released: a new model on this thread works */
	OK(nn4n_model_create(1, 4, 1, NN4N_FLOAT64, 1, &m));
	OK(nn4n_model_forward(m, u, 3, 1, 3, NULL, 0, y, 3, NULL, 0, NULL, 0));
	OK(nn4n_model_free(m));
	OK(nn4n_objective_free(o));
	return finish("panic");
}
