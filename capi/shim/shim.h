/* shim.h: the fork guard shared by fork.c and the generated shim_gen.c
 * (library-internal; see tools/gen_shim.py). */
#ifndef NN4N_SHIM_H
#define NN4N_SHIM_H

#include <stdint.h>

/* nn4n_shim_forked is nonzero in a child forked after the library loaded. */
extern __attribute__((visibility("hidden"))) volatile int nn4n_shim_forked;

/* nn4n_shim_fork_error stores the fork message as the thread's last error
 * (C side, no Go) and returns NN4N_ERR_FORK. */
__attribute__((visibility("hidden"))) int32_t nn4n_shim_fork_error(const char* fn);

/* nn4n_shim_fork_string is what string-returning functions give there. */
__attribute__((visibility("hidden"))) const char* nn4n_shim_fork_string(void);

#endif
