/* SPDX-License-Identifier: MIT */
/* lasterr.c holds what the C side of the ABI keeps: the per-thread last
 * error message, the static status names and the version numbers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "capi.h"

/* NN4N_ERRBUF bounds a stored message; longer ones are truncated. */
#define NN4N_ERRBUF 16384

/* The message lives in a heap buffer per thread. Only a pointer is
 * thread-local: Go links libnn4n.so with the initial-exec TLS model
 * (STATIC_TLS), so every thread-local byte comes out of the small static
 * TLS surplus that a process dlopen-ing the library (Python, MATLAB) has
 * left; a large _Thread_local array there makes dlopen fail with "cannot
 * allocate memory in static TLS block". A pthread key frees the buffer when
 * its thread exits. */
struct errbuf {
	size_t len, cap;
	char msg[];
};

static _Thread_local struct errbuf* err_tls;
static pthread_key_t err_key;
static pthread_once_t err_once = PTHREAD_ONCE_INIT;

static void err_key_init(void) { pthread_key_create(&err_key, free); }

void nn4n_capi_set_error(const char* msg, size_t n) {
	if (n > NN4N_ERRBUF - 1) {
		n = NN4N_ERRBUF - 1;
	}
	struct errbuf* b = err_tls;
	if (b == NULL || b->cap < n + 1) {
		size_t cap = n + 1 < 256 ? 256 : n + 1;
		struct errbuf* nb = realloc(b, sizeof *nb + cap);
		if (nb == NULL) {
			return; /* out of memory: keep the old message */
		}
		nb->cap = cap;
		if (b == NULL) {
			pthread_once(&err_once, err_key_init);
		}
		pthread_setspecific(err_key, nb);
		err_tls = b = nb;
	}
	if (n > 0) {
		memcpy(b->msg, msg, n);
	}
	b->msg[n] = 0;
	b->len = n;
}

void nn4n_capi_clear_error(void) {
	struct errbuf* b = err_tls;
	if (b != NULL) {
		b->len = 0;
		b->msg[0] = 0;
	}
}

int64_t nn4n_last_error(char* buf, int64_t len) {
	struct errbuf* b = err_tls;
	size_t n = b == NULL ? 0 : b->len;
	if (buf != NULL && len > 0) {
		size_t k = n;
		if ((int64_t)k > len - 1) {
			k = (size_t)(len - 1);
		}
		if (k > 0) {
			memcpy(buf, b->msg, k);
		}
		buf[k] = 0;
	}
	return (int64_t)n + 1;
}

/* status_names[code], generated from include/nn4n.h by tools/gen_bindings.py. */
#include "status_names.h"

const char* nn4n_status_name(int32_t code) {
	if (code < 0 || code >= (int32_t)(sizeof status_names / sizeof status_names[0])) {
		return "NN4N_ERR_UNKNOWN_STATUS";
	}
	return status_names[code] != NULL ? status_names[code] : "NN4N_ERR_UNKNOWN_STATUS";
}

int32_t nn4n_abi_version(void) { return NN4N_ABI_VERSION; }

int64_t nn4n_version_number(void) { return NN4N_VERSION_NUMBER; }
