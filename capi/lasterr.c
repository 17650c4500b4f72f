/* lasterr.c holds what the C side of the ABI keeps: the per-thread last
 * error message, the static status names and the version numbers. */
#include <string.h>
#include "capi.h"

/* NN4N_ERRBUF bounds a stored message; longer ones are truncated. */
#define NN4N_ERRBUF 16384

static _Thread_local char err_buf[NN4N_ERRBUF];
static _Thread_local size_t err_len;

void nn4n_capi_set_error(const char* msg, size_t n) {
	if (n > NN4N_ERRBUF - 1) {
		n = NN4N_ERRBUF - 1;
	}
	if (n > 0) {
		memcpy(err_buf, msg, n);
	}
	err_buf[n] = 0;
	err_len = n;
}

void nn4n_capi_clear_error(void) {
	err_len = 0;
	err_buf[0] = 0;
}

int64_t nn4n_last_error(char* buf, int64_t len) {
	if (buf != NULL && len > 0) {
		size_t k = err_len;
		if ((int64_t)k > len - 1) {
			k = (size_t)(len - 1);
		}
		memcpy(buf, err_buf, k);
		buf[k] = 0;
	}
	return (int64_t)err_len + 1;
}

static const char* const status_names[] = {
	"NN4N_OK",
	"NN4N_ERR_INVALID_ARGUMENT",
	"NN4N_ERR_NULL_POINTER",
	"NN4N_ERR_SHAPE",
	"NN4N_ERR_INVALID_HANDLE",
	"NN4N_ERR_UNKNOWN_KEY",
	"NN4N_ERR_NOT_FINITE",
	"NN4N_ERR_IO",
	"NN4N_ERR_FORMAT",
	"NN4N_ERR_CANCELLED",
	"NN4N_ERR_INTERNAL",
	"NN4N_ERR_BUFFER_TOO_SMALL",
	"NN4N_ERR_STATE",
	"NN4N_ERR_NUMERIC",
};

const char* nn4n_status_name(int32_t code) {
	if (code < 0 || code >= (int32_t)(sizeof status_names / sizeof status_names[0])) {
		return "NN4N_ERR_UNKNOWN_STATUS";
	}
	return status_names[code];
}

int32_t nn4n_abi_version(void) { return NN4N_ABI_VERSION; }

int64_t nn4n_version_number(void) { return NN4N_VERSION_NUMBER; }
