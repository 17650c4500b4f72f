/* SPDX-License-Identifier: MIT */
/* test_threads.c: concurrency through the C ABI with plain pthreads.
 *  - two threads on two handles run concurrently and each equals the
 *    single-threaded result;
 *  - two threads on one handle are serialised by the handle's lock: 2K
 *    one-update train calls from two threads equal 2K updates on one
 *    thread, and concurrent forwards equal the reference;
 *  - nn4n_model_cancel and nn4n_trainer_cancel stop a train / run in
 *    progress on another thread without waiting for its lock;
 *  - the last error is per thread.
 * Built twice by run.sh: plain, and with -fsanitize=thread when it works. */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "check.h"

enum { I = 2, N = 24, O = 2, B = 4, T = 20, K = 15 };
static double u[B * T * I], tg[B * T * O];

static uint64_t new_model(void) {
	uint64_t m = 0;
	if (nn4n_model_create(I, N, O, NN4N_FLOAT64, 42, &m) != NN4N_OK) abort();
	nn4n_model_set_f64(m, "training", 0);
	nn4n_model_set_str(m, "activation", "tanh");
	return m;
}

static uint64_t obj, opt_template;

static int train_n(uint64_t m, uint64_t opt, int n) {
	for (int k = 0; k < n; k++) {
		if (nn4n_model_train(m, obj, opt, u, B * T * I, tg, B * T * O, NULL, 0, NULL, 0, B, T, 1, NULL) != NN4N_OK) return 1;
	}
	return 0;
}

static void weights(uint64_t m, double* w) { nn4n_model_get_array(m, "w_rec", w, N * N); }

static void forward(uint64_t m, double* y) {
	nn4n_model_forward(m, u, B * T * I, B, T, NULL, 0, y, B * T * O, NULL, 0, NULL, 0);
}

/* Two handles, one per thread. */
struct own {
	double w[N * N], y[B * T * O];
	int err;
};

static void* own_handle(void* arg) {
	struct own* r = arg;
	uint64_t m = new_model(), opt = 0;
	nn4n_optimizer_create("sgd", &opt);
	r->err = train_n(m, opt, K);
	weights(m, r->w);
	forward(m, r->y);
	nn4n_optimizer_free(opt);
	nn4n_model_free(m);
	return NULL;
}

/* One handle shared by two threads. */
struct shared {
	uint64_t m, opt;
	double y[B * T * O];
	int err, forwards_equal;
	const double* ref;
};

struct trainer_arg {
	const struct shared* s;
	int err;
};

static void* shared_train(void* arg) {
	struct trainer_arg* a = arg;
	a->err = train_n(a->s->m, a->s->opt, K);
	return NULL;
}

static void* shared_forward(void* arg) {
	struct shared* s = arg;
	s->forwards_equal = 1;
	for (int k = 0; k < 50; k++) {
		double y[B * T * O];
		forward(s->m, y);
		s->forwards_equal &= memcmp(y, s->ref, sizeof y) == 0;
	}
	return NULL;
}

/* Cancellation. */
struct cancel {
	uint64_t m, tr;
	int32_t status;
	int64_t done;
};

static void* long_train(void* arg) {
	struct cancel* c = arg;
	c->status = nn4n_model_train(c->m, obj, opt_template, u, B * T * I, tg, B * T * O, NULL, 0, NULL, 0, B, T, 100000000, &c->done);
	return NULL;
}

static void* long_run(void* arg) {
	struct cancel* c = arg;
	int32_t done = 0;
	c->status = nn4n_trainer_run(c->tr, 0, &done);
	return NULL;
}

static void* error_thread(void* arg) {
	int* ok = arg;
	char buf[256];
	nn4n_model_set_f64(0, "alpha", 0.1); /* an error on this thread only */
	nn4n_last_error(buf, sizeof buf);
	*ok = strstr(buf, "handle is 0") != NULL;
	return NULL;
}

static void sleep_ms(long ms) {
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(void) {
	for (int i = 0; i < B * T * I; i++) u[i] = 0.5 * sin(0.3 * i);
	for (int i = 0; i < B * T * O; i++) tg[i] = 0.2 * cos(0.7 * i);
	OK(nn4n_objective_create("songyang", &obj));
	OK(nn4n_optimizer_create("sgd", &opt_template));

	/* single-threaded references: K and 2K updates */
	double wK[N * N], yK[B * T * O], w2K[N * N];
	uint64_t m = new_model(), opt = 0;
	OK(nn4n_optimizer_create("sgd", &opt));
	CHECK(train_n(m, opt, K) == 0);
	weights(m, wK);
	forward(m, yK);
	CHECK(train_n(m, opt, K) == 0);
	weights(m, w2K);
	OK(nn4n_model_free(m));
	OK(nn4n_optimizer_free(opt));

	/* two threads, two handles */
	struct own r1 = {{0}, {0}, 0}, r2 = {{0}, {0}, 0};
	pthread_t t1, t2;
	pthread_create(&t1, NULL, own_handle, &r1);
	pthread_create(&t2, NULL, own_handle, &r2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(r1.err == 0 && r2.err == 0);
	CHECK(memcmp(r1.w, wK, sizeof wK) == 0 && memcmp(r2.w, wK, sizeof wK) == 0);
	CHECK(memcmp(r1.y, yK, sizeof yK) == 0 && memcmp(r2.y, yK, sizeof yK) == 0);

	/* two threads, one handle: training serialised */
	struct shared s = {0};
	s.m = new_model();
	OK(nn4n_optimizer_create("sgd", &s.opt));
	struct trainer_arg a1 = {&s, 0}, a2 = {&s, 0};
	pthread_create(&t1, NULL, shared_train, &a1);
	pthread_create(&t2, NULL, shared_train, &a2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(a1.err == 0 && a2.err == 0);
	double w[N * N];
	weights(s.m, w);
	CHECK(memcmp(w, w2K, sizeof w) == 0);
	OK(nn4n_model_free(s.m));
	/* two threads, one handle: forwards */
	struct shared f1 = {0}, f2 = {0};
	f1.m = f2.m = new_model();
	OK(nn4n_optimizer_create("sgd", &f1.opt));
	CHECK(train_n(f1.m, f1.opt, K) == 0);
	f1.ref = f2.ref = yK;
	pthread_create(&t1, NULL, shared_forward, &f1);
	pthread_create(&t2, NULL, shared_forward, &f2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(f1.forwards_equal && f2.forwards_equal);
	OK(nn4n_model_free(f1.m));
	OK(nn4n_optimizer_free(f1.opt));
	OK(nn4n_optimizer_free(s.opt));

	/* cancel a long train from this thread while another holds the model */
	struct cancel c = {0};
	c.m = new_model();
	pthread_create(&t1, NULL, long_train, &c);
	sleep_ms(200);
	double t0 = now();
	OK(nn4n_model_cancel(c.m)); /* must not wait for the model's lock */
	CHECK(now() - t0 < 1.0); /* the train would hold the lock for minutes */
	pthread_join(t1, NULL);
	CHECK(c.status == NN4N_ERR_CANCELLED);
	CHECK(c.done > 0 && c.done < 100000000);
	OK(nn4n_model_free(c.m));

	/* cancel a trainer run */
	uint64_t task = 0;
	OK(nn4n_task_create("rdm_fixed", 20, &task));
	OK(nn4n_model_create(2, 16, 2, NN4N_FLOAT64, 3, &c.m));
	OK(nn4n_trainer_create(c.m, task, 0, 0, &c.tr));
	OK(nn4n_trainer_set_f64(c.tr, "minibatch", 2));
	OK(nn4n_trainer_set_f64(c.tr, "n_validation", 11));
	OK(nn4n_trainer_set_f64(c.tr, "valid_every", 1000000));
	pthread_create(&t1, NULL, long_run, &c);
	sleep_ms(300);
	t0 = now();
	OK(nn4n_trainer_cancel(c.tr));
	CHECK(now() - t0 < 1.0); /* the train would hold the lock for minutes */
	pthread_join(t1, NULL);
	CHECK(c.status == NN4N_ERR_CANCELLED);
	double trials = 0;
	OK(nn4n_trainer_get_f64(c.tr, "n_validations", &trials));
	CHECK(trials == 1);
	OK(nn4n_trainer_free(c.tr));
	OK(nn4n_model_free(c.m));
	OK(nn4n_task_free(task));

	/* the last error is per thread */
	EXPECT(nn4n_model_get_f64(0, "alpha", NULL), NN4N_ERR_INVALID_HANDLE);
	int ok = 0;
	pthread_create(&t1, NULL, error_thread, &ok);
	pthread_join(t1, NULL);
	CHECK(ok);
	char buf[256];
	nn4n_last_error(buf, sizeof buf);
	CHECK(strstr(buf, "nn4n_model_get_f64") != NULL);

	OK(nn4n_objective_free(obj));
	OK(nn4n_optimizer_free(opt_template));
	int64_t live = -1;
	OK(nn4n_runtime_stats(&live, NULL));
	CHECK(live == 0);
	return finish("threads");
}
