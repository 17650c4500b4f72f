/* SPDX-License-Identifier: MIT */
/* reliability.c: the C door of tests/reliability (see run.sh).
 *   reliability files DIR GOOD   every hostile file of DIR/cases.tsv is
 *                                refused with its status and message, and
 *                                GOOD is unchanged
 *   reliability api              hostile arguments: huge dims, T·B
 *                                overflow, NULLs, negative lengths, limits
 *   reliability bomb FILE        loads a zip bomb; prints peak RSS
 *   reliability fullfs DIR       saves into a small (full) file system
 *   reliability saver PATH       saves two alternating models forever
 *   reliability killloop DIR K   K × (spawn saver, kill -9, load)
 *   reliability hammer THREADS CALLS  threads on one model and on one
 *                                model each; every result checked */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "../c/check.h"

extern char** environ;
static int cases; /* hostile cases of this run */

static long peak_rss_kb(void) {
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static uint64_t model(int64_t i, int64_t n, int64_t o, uint64_t seed) {
	uint64_t m = 0;
	if (nn4n_model_create(i, n, o, NN4N_FLOAT64, seed, &m) != NN4N_OK) {
		fprintf(stderr, "create: %s\n", lasterr());
		exit(2);
	}
	nn4n_model_set_f64(m, "training", 0);
	return m;
}

static char* slurp(const char* path, long* len) {
	FILE* f = fopen(path, "rb");
	if (!f) return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	char* b = malloc(*len + 1);
	if (fread(b, 1, *len, f) != (size_t)*len) *len = -1;
	fclose(f);
	return b;
}

static int lower_contains(const char* hay, const char* needle) {
	char h[65536], n[512];
	size_t i;
	for (i = 0; hay[i] && i < sizeof h - 1; i++) h[i] = (char)(hay[i] >= 'A' && hay[i] <= 'Z' ? hay[i] + 32 : hay[i]);
	h[i] = 0;
	for (i = 0; needle[i] && i < sizeof n - 1; i++) n[i] = (char)(needle[i] >= 'A' && needle[i] <= 'Z' ? needle[i] + 32 : needle[i]);
	n[i] = 0;
	return strstr(h, n) != NULL;
}

static int files(const char* dir, const char* good) {
	char path[4096], line[4096];
	long glen, glen2;
	char* before = slurp(good, &glen);
	snprintf(path, sizeof path, "%s/cases.tsv", dir);
	FILE* f = fopen(path, "r");
	if (!f || !before) {
		fprintf(stderr, "cannot read %s or %s\n", path, good);
		return 1;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char* file = strtok(line, "\t");
		char* status = strtok(NULL, "\t");
		char* want = strtok(NULL, "\t");
		if (!want) want = "";
		snprintf(path, sizeof path, "%s/%s", dir, file);
		uint64_t m = 77;
		long rss0 = peak_rss_kb();
		int32_t st = nn4n_model_load(path, &m);
		const char* msg = lasterr();
		cases++;
		if (st == NN4N_OK || strcmp(nn4n_status_name(st), status) != 0 || !lower_contains(msg, want) || m != 77) {
			n_fail++;
			fprintf(stderr, "%s: %s (\"%s\"), want %s with \"%s\"; handle %llu\n", file, nn4n_status_name(st), msg,
			        status, want, (unsigned long long)m);
		} else {
			n_pass++;
		}
		if (peak_rss_kb() - rss0 > 64 * 1024) {
			n_fail++;
			fprintf(stderr, "%s: peak RSS grew by %ld KiB\n", file, peak_rss_kb() - rss0);
		}
	}
	fclose(f);
	char* after = slurp(good, &glen2);
	CHECK(after && glen == glen2 && memcmp(before, after, glen) == 0);
	uint64_t m;
	OK(nn4n_model_load(good, &m));
	OK(nn4n_model_free(m));
	printf("files: %d hostile files refused\n", cases);
	return finish("files");
}

static int api(void) {
	uint64_t m = model(2, 8, 1, 3), h = 0;
	double buf[64] = {0};
	int64_t lim = 0, def = 0;
	/* N = 2^20 (8 TiB of w_rec) and others refused before allocating */
	long rss0 = peak_rss_kb();
	EXPECT(nn4n_model_create(1, 1 << 20, 1, NN4N_FLOAT64, 1, &h), NN4N_ERR_MEMORY);
	CHECK(lower_contains(lasterr(), "needs") && lower_contains(lasterr(), "memory limit"));
	EXPECT(nn4n_model_create(1, 1 << 20, 1, NN4N_FLOAT32, 1, &h), NN4N_ERR_MEMORY);
	EXPECT(nn4n_model_create(1 << 20, 1 << 16, 1 << 20, NN4N_FLOAT64, 1, &h), NN4N_ERR_MEMORY);
	EXPECT(nn4n_model_create(1, (1 << 20) + 1, 1, NN4N_FLOAT64, 1, &h), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(-1, 8, 1, NN4N_FLOAT64, 1, &h), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(INT64_MAX, INT64_MAX, INT64_MAX, NN4N_FLOAT64, 1, &h), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 8, 1, 7, 1, &h), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_create(1, 8, 1, NN4N_FLOAT64, 1, NULL), NN4N_ERR_NULL_POINTER);
	CHECK(h == 0);
	/* T·B = 2^44 overflows the ABI's element limit; T·B = 2^36 with no
	 * inputs and no outputs needs only workspaces, which the budget refuses */
	uint64_t m0 = model(0, 8, 1, 3);
	EXPECT(nn4n_model_forward(m0, NULL, 0, 1 << 20, 1 << 24, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m0, NULL, 0, 1 << 12, 1 << 24, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_MEMORY);
	CHECK(lower_contains(lasterr(), "B = 4096 trials"));
	EXPECT(nn4n_model_forward(m0, NULL, 0, (1 << 20) + 1, 1, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m0, NULL, 0, 1, (1 << 24) + 1, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m0, NULL, 0, -5, 3, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	CHECK(peak_rss_kb() - rss0 < 64 * 1024);
	/* lengths that lie, NULLs with lengths */
	EXPECT(nn4n_model_forward(m, buf, 64, 1, 4, NULL, 0, buf, 4, NULL, 0, NULL, 0), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_forward(m, NULL, 8, 1, 4, NULL, 0, buf, 4, NULL, 0, NULL, 0), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_forward(m, buf, -8, 1, 4, NULL, 0, buf, 4, NULL, 0, NULL, 0), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_forward(m, buf, 8, 1, 4, NULL, 0, NULL, 4, NULL, 0, NULL, 0), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_forward(0, buf, 8, 1, 4, NULL, 0, buf, 4, NULL, 0, NULL, 0), NN4N_ERR_INVALID_HANDLE);
	EXPECT(nn4n_model_forward(~0ull, buf, 8, 1, 4, NULL, 0, buf, 4, NULL, 0, NULL, 0), NN4N_ERR_INVALID_HANDLE);
	EXPECT(nn4n_model_save(m, NULL), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_save(m, ""), NN4N_ERR_INVALID_ARGUMENT);
	EXPECT(nn4n_model_save(m, "/nonexistent-dir/x.npz"), NN4N_ERR_IO);
	EXPECT(nn4n_model_load(NULL, &h), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_load("/dev/null", &h), NN4N_ERR_FORMAT);
	EXPECT(nn4n_model_load("/proc/self/mem", &h), NN4N_ERR_FORMAT);
	EXPECT(nn4n_model_set_array(m, "w_rec", NULL, 64), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_array(m, NULL, buf, 64), NN4N_ERR_NULL_POINTER);
	EXPECT(nn4n_model_set_array(m, "w_rec", buf, INT64_MAX), NN4N_ERR_SHAPE);
	EXPECT(nn4n_model_set_f64(m, "training", 0.0 / 0.0), NN4N_ERR_NOT_FINITE);
	/* the memory limit: settable, validated, restored */
	OK(nn4n_get_memory_limit(&lim, &def));
	CHECK(lim == def && def > 0);
	OK(nn4n_get_memory_limit(NULL, NULL));
	EXPECT(nn4n_set_memory_limit(-1), NN4N_ERR_INVALID_ARGUMENT);
	OK(nn4n_set_memory_limit(1 << 20));
	OK(nn4n_get_memory_limit(&lim, NULL));
	CHECK(lim == 1 << 20);
	EXPECT(nn4n_model_create(1, 400, 1, NN4N_FLOAT64, 1, &h), NN4N_ERR_MEMORY);
	CHECK(lower_contains(lasterr(), "1048576 bytes"));
	EXPECT(nn4n_model_forward(m0, NULL, 0, 256, 1000, NULL, 0, NULL, 0, NULL, 0, NULL, 0), NN4N_ERR_MEMORY);
	OK(nn4n_set_memory_limit(0));
	OK(nn4n_get_memory_limit(&lim, NULL));
	CHECK(lim == def);
	OK(nn4n_model_create(1, 400, 1, NN4N_FLOAT64, 1, &h));
	OK(nn4n_model_free(h));
	CHECK(strcmp(nn4n_status_name(NN4N_ERR_MEMORY), "NN4N_ERR_MEMORY") == 0);
	OK(nn4n_model_free(m));
	OK(nn4n_model_free(m0));
	printf("api: %d checks\n", n_pass + n_fail);
	return finish("api");
}

static int bomb(const char* path) {
	struct stat st;
	uint64_t m = 0;
	long rss0 = peak_rss_kb();
	int32_t s = nn4n_model_load(path, &m);
	long rss1 = peak_rss_kb();
	CHECK(s == NN4N_ERR_FORMAT);
	CHECK(stat(path, &st) == 0);
	printf("bomb: %s (%lld bytes on disk): %s; peak RSS %ld KiB before, %ld KiB after (+%ld KiB)\n", path,
	       (long long)st.st_size, nn4n_status_name(s), rss0, rss1, rss1 - rss0);
	CHECK(rss1 - rss0 < 32 * 1024);
	return finish("bomb");
}

/* count_temps counts the save's temporary files (".NAME.tmp-*") in dir and
 * removes them when rm is set. */
static int count_temps(const char* dir, int rm) {
	DIR* d = opendir(dir);
	struct dirent* e;
	int k = 0;
	char p[4096];
	while (d && (e = readdir(d))) {
		if (strstr(e->d_name, ".tmp-")) {
			k++;
			if (rm) {
				snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
				unlink(p);
			}
		}
	}
	if (d) closedir(d);
	return k;
}

static double w0(uint64_t m) { /* a checksum of w_rec */
	static double w[256 * 256];
	int64_t r = 0, c = 0;
	nn4n_model_shape(m, "w_rec", &r, &c);
	double sum = 0;
	if (r * c > 256 * 256 || nn4n_model_get_array(m, "w_rec", w, r * c) != NN4N_OK) return -1e300;
	for (int64_t k = 0; k < r * c; k++) sum += w[k] * (double)(k + 1);
	return sum;
}

/* fullfs: DIR is a small file system (run.sh mounts a 512 KiB tmpfs). A
 * small model fits; a large one does not: its save fails with NN4N_ERR_IO,
 * the small checkpoint is intact and no temporary file is left. */
static int fullfs(const char* dir) {
	char path[4096];
	long len0, len1;
	snprintf(path, sizeof path, "%s/ckpt.npz", dir);
	uint64_t small = model(2, 16, 1, 5), large = model(2, 300, 1, 6), back = 0;
	OK(nn4n_model_save(small, path));
	char* before = slurp(path, &len0);
	for (int k = 0; k < 20; k++) {
		cases++;
		EXPECT(nn4n_model_save(large, path), NN4N_ERR_IO);
		CHECK(k > 0 || lower_contains(lasterr(), "no space left"));
		char* after = slurp(path, &len1);
		CHECK(after && len0 == len1 && memcmp(before, after, len0) == 0);
		free(after);
		CHECK(count_temps(dir, 0) == 0);
	}
	OK(nn4n_model_load(path, &back));
	CHECK(w0(back) == w0(small));
	nn4n_model_free(back);
	/* a fresh path on the full file system: nothing is created */
	snprintf(path, sizeof path, "%s/new.npz", dir);
	cases++;
	EXPECT(nn4n_model_save(large, path), NN4N_ERR_IO);
	CHECK(access(path, F_OK) != 0 && count_temps(dir, 0) == 0);
	printf("fullfs: %d saves into a full file system refused, checkpoint intact\n", cases);
	return finish("fullfs");
}

static int saver(const char* path) {
	uint64_t a = model(2, 200, 1, 11), b = model(2, 200, 1, 12);
	for (unsigned k = 0;; k++) {
		if (nn4n_model_save(k % 2 ? b : a, path) != NN4N_OK) {
			fprintf(stderr, "saver: %s\n", lasterr());
			return 1;
		}
	}
}

/* killloop: K times, spawn a saver, let it run a random 5–80 ms, kill -9 it,
 * and load the checkpoint: it must always be one of the two models, whole. */
static int killloop(const char* self, const char* dir, int k) {
	char path[4096];
	snprintf(path, sizeof path, "%s/ckpt.npz", dir);
	uint64_t a = model(2, 200, 1, 11), b = model(2, 200, 1, 12);
	double wa = w0(a), wb = w0(b);
	OK(nn4n_model_save(a, path));
	srand(12345);
	int bad = 0, temps = 0, ms_total = 0, na = 0, nb = 0;
	for (int i = 0; i < k; i++) {
		pid_t pid;
		char* argv[] = {(char*)self, "saver", path, NULL};
		if (posix_spawn(&pid, self, NULL, NULL, argv, environ) != 0) {
			perror("posix_spawn");
			return 1;
		}
		int ms = 5 + rand() % 76;
		ms_total += ms;
		struct timespec ts = {0, ms * 1000000L};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int ws;
		waitpid(pid, &ws, 0);
		if (!WIFSIGNALED(ws)) {
			fprintf(stderr, "saver %d exited on its own (status %d)\n", i, ws);
			bad++;
		}
		temps += count_temps(dir, 1) > 0;
		uint64_t m = 0;
		if (nn4n_model_load(path, &m) != NN4N_OK) {
			fprintf(stderr, "kill %d: checkpoint does not load: %s\n", i, lasterr());
			bad++;
			continue;
		}
		double w = w0(m);
		na += w == wa;
		nb += w == wb;
		if (w != wa && w != wb) {
			fprintf(stderr, "kill %d: checkpoint is neither model\n", i);
			bad++;
		}
		nn4n_model_free(m);
	}
	CHECK(bad == 0);
	CHECK(wa != wb && nb > 0 && temps > 0); /* the saver did get to save, and was killed mid-save */
	printf("killloop: %d kill -9 during saves (%d left a temporary file: killed mid-save; checkpoint model A %d, B %d times), %d corrupt or lost checkpoints\n",
	       k, temps, na, nb, bad);
	return finish("killloop");
}

enum { HI = 3, HN = 16, HO = 2, HB = 2, HT = 5 };
static double hin[HB * HT * HI], href[HB * HT * HO];
static uint64_t shared;
static long calls_per_thread;
static long wrong;
static pthread_mutex_t wrong_mu = PTHREAD_MUTEX_INITIALIZER;

static void* hammer_thread(void* arg) {
	uint64_t own = model(HI, HN, HO, 9); /* same seed: same reference */
	double y[HB * HT * HO];
	long w = 0;
	for (long c = 0; c < calls_per_thread; c++) {
		uint64_t m = (c + (long)(intptr_t)arg) % 2 ? shared : own;
		if (nn4n_model_forward(m, hin, HB * HT * HI, HB, HT, NULL, 0, y, HB * HT * HO, NULL, 0, NULL, 0) != NN4N_OK ||
		    memcmp(y, href, sizeof y) != 0) {
			w++;
		}
	}
	nn4n_model_free(own);
	pthread_mutex_lock(&wrong_mu);
	wrong += w;
	pthread_mutex_unlock(&wrong_mu);
	return NULL;
}

static int hammer(int threads, long calls) {
	for (int i = 0; i < HB * HT * HI; i++) hin[i] = sin(0.3 * i);
	shared = model(HI, HN, HO, 9);
	OK(nn4n_model_forward(shared, hin, HB * HT * HI, HB, HT, NULL, 0, href, HB * HT * HO, NULL, 0, NULL, 0));
	calls_per_thread = calls / threads;
	pthread_t t[64];
	for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, hammer_thread, (void*)(intptr_t)i);
	for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
	CHECK(wrong == 0);
	printf("hammer: %d threads, %ld forward calls (half on one shared model, half on one model each), %ld wrong\n",
	       threads, calls_per_thread * threads, wrong);
	nn4n_model_free(shared);
	return finish("hammer");
}

/* signals: after the library has run, the handlers installed are exactly
 * those docs/GUARANTEES.md lists (the Go runtime's): SIGBUS, SIGFPE,
 * SIGSEGV, SIGPIPE and SIGURG; SIGINT, SIGTERM, SIGCHLD... stay the host's. */
static int signals(void) {
	uint64_t m = model(2, 8, 1, 1);
	double u[10] = {0}, y[5];
	OK(nn4n_model_forward(m, u, 10, 1, 5, NULL, 0, y, 5, NULL, 0, NULL, 0));
	nn4n_model_free(m);
	char got[512] = "";
	for (int sig = 1; sig < 32; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
			snprintf(got + strlen(got), sizeof got - strlen(got), "%d ", sig);
		}
	}
	char want[64];
	snprintf(want, sizeof want, "%d %d %d %d %d ", SIGBUS, SIGFPE, SIGSEGV, SIGPIPE, SIGURG);
	CHECK(strcmp(got, want) == 0);
	printf("signals: handlers installed for %s(want %s)\n", got, want);
	return finish("signals");
}

int main(int argc, char** argv) {
	const char* mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "files") && argc == 4) return files(argv[2], argv[3]);
	if (!strcmp(mode, "api")) return api();
	if (!strcmp(mode, "signals")) return signals();
	if (!strcmp(mode, "bomb") && argc == 3) return bomb(argv[2]);
	if (!strcmp(mode, "fullfs") && argc == 3) return fullfs(argv[2]);
	if (!strcmp(mode, "saver") && argc == 3) return saver(argv[2]);
	if (!strcmp(mode, "killloop") && argc == 4) return killloop(argv[0], argv[2], atoi(argv[3]));
	if (!strcmp(mode, "hammer") && argc == 4) return hammer(atoi(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of reliability.c\n");
	return 2;
}
