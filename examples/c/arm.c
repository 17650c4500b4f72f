/* SPDX-License-Identifier: MIT */
/* arm.c: a closed-loop simulator in plain C (it also compiles as C++).
 *
 * A recurrent network drives a 1-D point mass (an "arm" with inertia and
 * friction) toward a target. Every simulation step the plant's state is
 * read back into the network (position error and velocity), one network
 * step runs through nn4n_model_step, and the network's output is applied
 * as the force.
 *
 * The network is first taught a stabilising controller through the C ABI:
 * nn4n_model_train on batches of random (error, velocity) inputs with the
 * target force kp·error − kd·velocity. Build against the installed library:
 *
 *   cc arm.c $(pkg-config --cflags --libs nn4n) -lm -o arm && ./arm
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <nn4n.h>

#define N_IN 2
#define N_HID 32
#define N_OUT 1
#define B 64
#define T 8

static const double kp = 2.0, kd = 1.5;

/* die reports a failed call with the library's message. */
static void check(int32_t status, const char* what) {
	if (status != NN4N_OK) {
		char msg[512];
		nn4n_last_error(msg, (int64_t)sizeof msg);
		fprintf(stderr, "arm: %s: %s: %s\n", what, nn4n_status_name(status), msg);
		exit(1);
	}
}

static double uniform(unsigned* s) {
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 8) & 0xffff) / 32768.0 - 1.0;
}

int main(void) {
	if (nn4n_abi_version() != NN4N_ABI_VERSION) {
		fprintf(stderr, "arm: library ABI %d, header ABI %d\n", (int)nn4n_abi_version(), NN4N_ABI_VERSION);
		return 1;
	}
	printf("nn4n %s, %d inputs, %d units\n", nn4n_version_string(), N_IN, N_HID);
	check(nn4n_set_num_threads(1), "set_num_threads");

	uint64_t net = 0, obj = 0, opt = 0;
	check(nn4n_model_create(N_IN, N_HID, N_OUT, NN4N_FLOAT64, 7, &net), "model_create");
	check(nn4n_model_set_str(net, "activation", "tanh"), "activation");
	check(nn4n_model_set_f64(net, "alpha", 1.0), "alpha"); /* a fast network: one step per control tick */
	check(nn4n_model_set_f64(net, "training", 0), "training");
	check(nn4n_model_set_f64(net, "train_bias_out", 1), "train_bias_out");
	check(nn4n_objective_create("mse", &obj), "objective_create");
	check(nn4n_optimizer_create("adam", &opt), "optimizer_create");
	check(nn4n_optimizer_set_f64(opt, "lr", 0.01), "lr");

	/* Teach the controller: inputs held for T steps, target force. */
	double* in = (double*)malloc(sizeof(double) * B * T * N_IN);
	double* tg = (double*)malloc(sizeof(double) * B * T * N_OUT);
	unsigned seed = 1;
	double loss = 0;
	for (int epoch = 0; epoch < 300; epoch++) {
		for (int b = 0; b < B; b++) {
			double e = uniform(&seed), v = uniform(&seed);
			for (int t = 0; t < T; t++) {
				in[(b * T + t) * N_IN] = e;
				in[(b * T + t) * N_IN + 1] = v;
				tg[b * T + t] = tanh(kp * e - kd * v);
			}
		}
		check(nn4n_model_train(net, obj, opt, in, B * T * N_IN, tg, B * T * N_OUT, NULL, 0, NULL, 0, B, T, 1, NULL), "train");
		check(nn4n_model_term(net, 0, NULL, 0, &loss), "term");
	}
	printf("controller trained: mse %.5f\n", loss);

	/* Closed loop: the plant integrates the network's force. */
	const double dt = 0.05, target = 0.8, friction = 0.5;
	double pos = -0.6, vel = 0.0, start = fabs(target - pos);
	double state[N_HID], u[N_IN], force[N_OUT];
	check(nn4n_model_get_array(net, "x0", state, N_HID), "x0");
	for (int step = 0; step <= 400; step++) {
		u[0] = target - pos; /* read the plant back every step */
		u[1] = vel;
		check(nn4n_model_step(net, 1, state, N_HID, u, N_IN, NULL, 0, force, N_OUT), "step");
		vel += dt * (force[0] - friction * vel);
		pos += dt * vel;
		if (step % 50 == 0) printf("t = %5.2f s  position %+.4f  velocity %+.4f  force %+.4f\n", step * dt, pos, vel, force[0]);
	}
	double err = fabs(target - pos);
	printf("final distance to target %.4f (started at %.4f)\n", err, start);

	free(in);
	free(tg);
	check(nn4n_optimizer_free(opt), "free");
	check(nn4n_objective_free(obj), "free");
	check(nn4n_model_free(net), "free");
	return err < 0.1 * start ? 0 : 2;
}
