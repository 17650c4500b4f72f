/* SPDX-License-Identifier: MIT */
/* capi.h is included by every cgo preamble of package capi: the public
 * header (so that cgo checks every export against it), the typedefs that
 * give exported Go functions const-qualified C parameter types, and the
 * library-internal helpers of lasterr.c (hidden: not exported from the .so). */
#ifndef NN4N_CAPI_H
#define NN4N_CAPI_H

#include <stddef.h>
#include <stdlib.h>
#include "nn4n.h"

typedef const char nn4n_cchar;
typedef const double nn4n_cdouble;
typedef const float nn4n_cfloat;

__attribute__((visibility("hidden"))) void nn4n_capi_set_error(const char* msg, size_t n);
__attribute__((visibility("hidden"))) void nn4n_capi_clear_error(void);

#endif
