/* SPDX-License-Identifier: MIT */
/* test_fork.c: fork() after the library was loaded and used. The child's
 * calls must return NN4N_ERR_FORK at once with a message naming the fix
 * (they must not enter the Go runtime, whose threads the child lacks, and
 * hang); the C-only functions keep working there; the parent is unaffected.
 * Each child must exit within 1 s, else it is killed and the check fails. */
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* child_checks runs in the child; its exit status is its failure count. */
static int child_checks(uint64_t m) {
	double x[16] = {0}, u[2] = {0.5, -0.5}, y[1];
	char msg[4096];
	int bad = 0;
	int32_t st = nn4n_model_step(m, 1, x, 16, u, 2, NULL, 0, y, 1);
	nn4n_last_error(msg, sizeof msg);
	if (st != NN4N_ERR_FORK) {
		fprintf(stderr, "child: nn4n_model_step returned %s, want NN4N_ERR_FORK\n", nn4n_status_name(st));
		bad++;
	}
	if (strncmp(msg, "nn4n_model_step: ", 17) != 0 || strstr(msg, "fork") == NULL ||
	    strstr(msg, "posix_spawn") == NULL || strstr(msg, "after fork") == NULL) {
		fprintf(stderr, "child: message does not name the call and the fix: \"%s\"\n", msg);
		bad++;
	}
	uint64_t m2 = 0;
	st = nn4n_model_create(2, 8, 1, NN4N_FLOAT64, 1, &m2);
	if (st != NN4N_ERR_FORK || m2 != 0) {
		fprintf(stderr, "child: nn4n_model_create returned %s (handle %llu)\n", nn4n_status_name(st),
		        (unsigned long long)m2);
		bad++;
	}
	if (nn4n_set_num_threads(1) != NN4N_ERR_FORK || nn4n_model_free(m) != NN4N_ERR_FORK) {
		fprintf(stderr, "child: set_num_threads/model_free did not return NN4N_ERR_FORK\n");
		bad++;
	}
	if (strcmp(nn4n_status_name(NN4N_ERR_FORK), "NN4N_ERR_FORK") != 0 || nn4n_abi_version() != NN4N_ABI_VERSION ||
	    nn4n_version_string() == NULL) {
		fprintf(stderr, "child: the C-side functions do not work\n");
		bad++;
	}
	return bad;
}

/* run_child forks, runs child_checks and checks it ended within limit s. */
static void run_child(uint64_t m, double limit) {
	fflush(NULL);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		n_fail++;
		return;
	}
	if (pid == 0) {
		_exit(child_checks(m));
	}
	int status = 0;
	pid_t got = 0;
	while ((got = waitpid(pid, &status, WNOHANG)) == 0 && now() - t0 < limit) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	double dt = now() - t0;
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fprintf(stderr, "fork child still running after %.1f s (hang): killed\n", limit);
		n_fail++;
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("fork child finished in %.3f ms\n", 1e3 * dt);
}

int main(void) {
	CHECK(strcmp(nn4n_status_name(NN4N_ERR_FORK), "NN4N_ERR_FORK") == 0);
	CHECK(strcmp(nn4n_status_name(14), "NN4N_ERR_UNKNOWN_STATUS") == 0 ||
	      strcmp(nn4n_status_name(14), "NN4N_ERR_RANGE") == 0);
	uint64_t m = 0;
	OK(nn4n_model_create(2, 16, 1, NN4N_FLOAT64, 7, &m));
	OK(nn4n_model_set_f64(m, "training", 0));
	double x[16] = {0}, u[2] = {0.5, -0.5}, y[1] = {0};
	for (int k = 0; k < 10; k++) OK(nn4n_model_step(m, 1, x, 16, u, 2, NULL, 0, y, 1));
	double y_before = y[0];

	run_child(m, 1.0);
	/* A second fork while the parent's Go runtime is busy in other threads
	 * does not change the outcome. */
	run_child(m, 1.0);

	/* The parent keeps working: same model, new model, same numbers. */
	for (int k = 0; k < 10; k++) OK(nn4n_model_step(m, 1, x, 16, u, 2, NULL, 0, y, 1));
	CHECK(y[0] != y_before);
	uint64_t m2 = 0;
	OK(nn4n_model_create(2, 16, 1, NN4N_FLOAT64, 7, &m2));
	OK(nn4n_model_set_f64(m2, "training", 0));
	double x2[16] = {0}, y2[1] = {0};
	for (int k = 0; k < 20; k++) OK(nn4n_model_step(m2, 1, x2, 16, u, 2, NULL, 0, y2, 1));
	CHECK(y2[0] == y[0]);
	OK(nn4n_model_free(m2));
	OK(nn4n_model_free(m));
	return finish("fork");
}
