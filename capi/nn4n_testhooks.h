/* SPDX-License-Identifier: MIT */
/* nn4n_testhooks.h declares the exports that exist only in a library built
 * with -tags nn4n_paniccheck (build/test/libnn4n_paniccheck.so). They are
 * not part of the ABI and not in nn4n.h. */
#ifndef NN4N_TESTHOOKS_H
#define NN4N_TESTHOOKS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* nn4n_debug_panic panics inside the export guard: kind 0 panics with a
 * message, 1 dereferences a nil pointer, 2 indexes out of range. With a
 * live handle of any kind, the panic happens while that handle is held,
 * which poisons it. It returns what the guard made of the panic. */
int32_t nn4n_debug_panic(uint64_t handle, int32_t kind);

#ifdef __cplusplus
}
#endif

#endif
