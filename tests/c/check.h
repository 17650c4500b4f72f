/* SPDX-License-Identifier: MIT */
/* check.h: a tiny assertion layer shared by the C suites of tests/c.
 * Every EXPECT counts one check; failures print the call, the status and
 * the library's last error, and the suite goes on. */
#ifndef NN4N_TEST_CHECK_H
#define NN4N_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn4n.h"

static int n_pass, n_fail;

static char last_msg[65536];

static const char* lasterr(void) {
	nn4n_last_error(last_msg, (int64_t)sizeof last_msg);
	return last_msg;
}

/* expect_status checks that a call returned want; a failing status must
 * come with a message that names the function; a success must leave no
 * message. */
static void expect_status(int32_t got, int32_t want, const char* call, const char* file, int line) {
	const char* msg = lasterr();
	int ok = got == want;
	if (ok && want != NN4N_OK && (strncmp(msg, "nn4n_", 5) != 0 || strlen(msg) < 12)) {
		ok = 0;
		fprintf(stderr, "%s:%d: %s: status right but message not useful: \"%s\"\n", file, line, call, msg);
	}
	if (ok && want == NN4N_OK && msg[0] != 0) {
		ok = 0;
		fprintf(stderr, "%s:%d: %s: success left a message: \"%s\"\n", file, line, call, msg);
	}
	if (ok) {
		n_pass++;
		return;
	}
	n_fail++;
	if (got != want) {
		fprintf(stderr, "%s:%d: %s\n    returned %s, want %s; last error: %s\n", file, line, call, nn4n_status_name(got),
		        nn4n_status_name(want), msg);
	}
}

#define EXPECT(call, want) expect_status((call), (want), #call, __FILE__, __LINE__)
#define OK(call) EXPECT(call, NN4N_OK)

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (cond) {                                                           \
			n_pass++;                                                     \
		} else {                                                              \
			n_fail++;                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                     \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                                            \
	do {                                                                                             \
		double a_ = (a), b_ = (b);                                                               \
		if (fabs(a_ - b_) <= (tol)) {                                                            \
			n_pass++;                                                                        \
		} else {                                                                                 \
			n_fail++;                                                                        \
			fprintf(stderr, "%s:%d: %s = %.17g, want %s = %.17g (tol %g)\n", __FILE__, __LINE__, #a, a_, #b, \
			        b_, (double)(tol));                                                      \
		}                                                                                        \
	} while (0)

/* finish prints the closing line the test runners read and returns the
 * exit status. */
static int finish(const char* suite) {
	printf("%s: %d passed, %d failed\n", suite, n_pass, n_fail);
	return n_fail == 0 ? 0 : 1;
}

#endif
