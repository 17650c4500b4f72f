/* SPDX-License-Identifier: MIT */
/* fork.c detects a process forked after libnn4n.so was loaded. The Go
 * runtime's threads (scheduler, GC workers, sysmon) are not copied by
 * fork(), so entering a Go export in the child can block forever; every
 * public function of shim_gen.c checks nn4n_shim_forked first and returns
 * NN4N_ERR_FORK there without entering Go. The message is stored by
 * lasterr.c, which is plain C and works in the child. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include "nn4n.h"
#include "shim.h"

__attribute__((visibility("hidden"))) void nn4n_capi_set_error(const char* msg, size_t n);

volatile int nn4n_shim_forked;
static pid_t load_pid;

static void in_child(void) { nn4n_shim_forked = 1; }

/* The constructor records the loading process (for the message) and
 * registers the child handler: pthread_atfork covers fork() and every
 * wrapper of it in libc (system() and posix_spawn exec at once and never
 * call into nn4n). */
__attribute__((constructor)) static void nn4n_shim_init(void) {
	load_pid = getpid();
	pthread_atfork(NULL, NULL, in_child);
}

int32_t nn4n_shim_fork_error(const char* fn) {
	char msg[512];
	int n = snprintf(msg, sizeof msg,
		"%s: this process (pid %ld) is a child forked after libnn4n was loaded in process %ld; "
		"the Go runtime inside libnn4n does not survive fork(), so no nn4n call works here. "
		"Create models after fork (load the library in the child only, e.g. fork before dlopen "
		"or before the first use), or start workers with posix_spawn/exec instead of fork",
		fn, (long)getpid(), (long)load_pid);
	if (n < 0) {
		n = 0;
	}
	if ((size_t)n >= sizeof msg) {
		n = (int)sizeof msg - 1;
	}
	nn4n_capi_set_error(msg, (size_t)n);
	return NN4N_ERR_FORK;
}

const char* nn4n_shim_fork_string(void) {
	return "nn4n (unusable: process forked after the library was loaded)";
}
