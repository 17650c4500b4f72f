/* SPDX-License-Identifier: MIT */
/*
 * nn4n.h — the C ABI of nn4n, continuous-time E/I recurrent networks
 * (Song, Yang & Wang 2016) trained with exact BPTT.
 *
 * This is the only published header of libnn4n.so. It is plain C99 and is
 * read unchanged by C, C++, Python ctypes, MATLAB loadlibrary and MEX
 * gateways.
 *
 * ------------------------------------------------------------------------
 * CONVENTIONS (they hold for every function below unless it says otherwise)
 * ------------------------------------------------------------------------
 *
 * Types. Signatures use only int32_t, int64_t, uint64_t, double,
 *   const double*, double*, const char*, char* followed by its length, and
 *   pointers to int64_t / uint64_t / int32_t / double for out-parameters.
 *   No structs, unions, enums, bool, varargs or function pointers.
 *
 * Status. Every function returns an int32_t status, NN4N_OK (0) on success,
 *   except the pure queries nn4n_version_string, nn4n_version_number,
 *   nn4n_abi_version, nn4n_status_name and nn4n_last_error. Status codes are
 *   never renumbered; nn4n_status_name(code) names them.
 *
 * Last error. A failing call stores a message for the calling thread;
 *   nn4n_last_error copies it. A successful call clears it. Messages say
 *   which argument or key is wrong and why. Nothing is ever printed to
 *   stdout or stderr.
 *
 * Handles. Objects are uint64_t handles. 0 is never a valid handle. Each
 *   kind (model, objective, optimizer, structure, task, trainer) has its own
 *   table; a handle carries its kind and is never reused after it is freed.
 *   A freed, unknown or wrong-kind handle gives NN4N_ERR_INVALID_HANDLE,
 *   never a crash. nn4n_<kind>_free(0) does nothing and returns NN4N_OK; a
 *   second free of the same handle returns NN4N_ERR_INVALID_HANDLE.
 *   Handles use all 64 bits (the kind is in the high bits): keep them in a
 *   64-bit integer, never in a double.
 *
 * Threads. Any function may be called from any thread. Distinct handles
 *   run concurrently. A handle is used by one thread at a time: each handle
 *   has a lock, and a second thread calling into a handle that is busy
 *   BLOCKS until the first call returns (it does not fail). The exceptions
 *   are nn4n_model_cancel and nn4n_trainer_cancel, which never wait and may
 *   be called while another thread is inside nn4n_model_train or
 *   nn4n_trainer_run. A call that uses several handles (train, trainer run)
 *   takes their locks in the fixed order trainer, model, task, objective,
 *   optimizer, so concurrent calls cannot deadlock.
 *
 * Arrays. Every array is double, contiguous and row-major (C order);
 *   batch-first: an input is B×T×I, element (b,t,i) at (b*T+t)*I+i.
 *   Every array pointer is followed by its length in elements (not bytes);
 *   the length must equal the size the documentation gives, else
 *   NN4N_ERR_SHAPE. MATLAB is column-major: a MATLAB array of size [I T B]
 *   has the memory of a row-major B×T×I array.
 *   Weights are stored (post, pre) like torch.nn.Linear.weight:
 *   w_in is N×I, w_rec N×N, w_out O×N; masks have their weight's shape.
 *
 * Pointers. "in" pointers are read during the call only; "out" pointers
 *   are written during the call only. "nullable" says NULL is allowed (and
 *   what it means); every other pointer must be non-NULL, else
 *   NN4N_ERR_NULL_POINTER. An array pointer whose required length is 0
 *   (for example an input when the model has no inputs) may be NULL.
 *   Strings are NUL-terminated UTF-8.
 *
 * Ownership. The caller allocates every output buffer, after querying its
 *   shape (nn4n_*_shape, *_count) when it is not known. The library copies
 *   what it needs before returning, keeps no caller pointer after a call
 *   returns, and allocates nothing the caller must free. The strings
 *   returned by nn4n_version_string and nn4n_status_name are static: never
 *   free them.
 *
 * String outputs. A function that writes a string takes (char* buf,
 *   int64_t len, int64_t* needed): it writes at most len bytes including a
 *   terminating NUL, stores in *needed (nullable) the buffer size the full
 *   string needs (its length + 1), and returns NN4N_ERR_BUFFER_TOO_SMALL if
 *   the string was truncated. buf may be NULL when len is 0 (a size query,
 *   which returns NN4N_OK).
 *
 * Dimensions and lengths. Negative dimensions or lengths, and dimensions
 *   above the limits below, give NN4N_ERR_INVALID_ARGUMENT before any
 *   memory is touched. Sizes are computed with overflow checks.
 *
 * Non-finite values. NaN and ±Inf are rejected with NN4N_ERR_NOT_FINITE
 *   wherever a value enters the library: inputs, targets, masks, initial
 *   states, simulator states, weights, masks and every f64 setting. Outputs
 *   are finite unless the model itself diverges (a model whose weights make
 *   the state overflow is not detected in forward or step; training steps
 *   are protected by the optimizer's guard).
 *
 * Labels. Integer class labels (one per step, B×T) cross the ABI as
 *   doubles holding integers: a non-integral or out-of-range label gives
 *   NN4N_ERR_INVALID_ARGUMENT; a negative label means "ignore this step".
 *
 * Panics. No Go panic reaches the host: an internal error returns
 *   NN4N_ERR_INTERNAL with the panic message and stack in the last error.
 *   A handle that was in use when the panic happened is poisoned: every
 *   later call on it except *_free returns NN4N_ERR_INTERNAL.
 *
 * Process. The library contains a Go runtime: load it once per process and
 *   never unload it (no dlclose, no unloadlibrary). In a child forked
 *   after loading, every call returns NN4N_ERR_FORK at once (load or
 *   create models after fork, or use posix_spawn/exec). Signal handlers
 *   installed by the host after loading need SA_ONSTACK.
 *
 * Real-time hosts. Loading starts the Go runtime: a few threads (3-6,
 *   scheduler, GC, sysmon) and Go's handlers for SIGSEGV, SIGBUS, SIGFPE,
 *   SIGPIPE and SIGURG (a host that relies on SIGSEGV, e.g. a JVM, must
 *   install its handler with SA_ONSTACK and chain). For a step loop call
 *   nn4n_set_num_threads(1) first: the default lets a helper thread share
 *   a single state's product, which on a loaded machine has a much longer
 *   p99 latency than one thread (figures: docs/BENCHMARKS.md, measured by
 *   tests/c/run.sh bench). A step loop from x0 agrees with
 *   nn4n_model_forward within 1e-12·max(1,|v|) (float64) and 1e-5·max(1,|v|)
 *   (float32) for every state and output v, not
 *   bit for bit (ctrnn TestStepMatchesForward); batches of four or more
 *   states differ from single steps in the last bits (nn4n_model_step).
 */
#ifndef NN4N_H
#define NN4N_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

#define NN4N_VERSION_MAJOR 0
#define NN4N_VERSION_MINOR 1
#define NN4N_VERSION_PATCH 0
/* NN4N_VERSION_NUMBER is MAJOR*10000 + MINOR*100 + PATCH. */
#define NN4N_VERSION_NUMBER (NN4N_VERSION_MAJOR * 10000 + NN4N_VERSION_MINOR * 100 + NN4N_VERSION_PATCH)
/* NN4N_ABI_VERSION changes whenever an existing signature or meaning
 * changes; bindings compare it with nn4n_abi_version() when they load. */
#define NN4N_ABI_VERSION 1

/* ----------------------------------------------------------- status codes */

#define NN4N_OK 0
/* An argument has a value the function does not accept (a negative or too
 * large dimension, an unknown option value, a probability outside [0,1]). */
#define NN4N_ERR_INVALID_ARGUMENT 1
/* A pointer that must not be NULL is NULL. */
#define NN4N_ERR_NULL_POINTER 2
/* An array length does not match the shape the call needs. */
#define NN4N_ERR_SHAPE 3
/* A handle is 0, unknown, freed, or of another kind. */
#define NN4N_ERR_INVALID_HANDLE 4
/* A key (setting, array, term, kind or name) is not known. */
#define NN4N_ERR_UNKNOWN_KEY 5
/* A value is NaN or infinite. */
#define NN4N_ERR_NOT_FINITE 6
/* A file could not be opened, read, written or renamed. */
#define NN4N_ERR_IO 7
/* A file is not a valid nn4n model file (truncated, corrupt, inconsistent). */
#define NN4N_ERR_FORMAT 8
/* A long call stopped early because *_cancel was called. */
#define NN4N_ERR_CANCELLED 9
/* A bug inside the library (a recovered panic). */
#define NN4N_ERR_INTERNAL 10
/* A string output was truncated to fit the caller's buffer. */
#define NN4N_ERR_BUFFER_TOO_SMALL 11
/* The object is not ready for the call (e.g. a structure not built yet, a
 * task with no sample, a trainer setting changed after the run started). */
#define NN4N_ERR_STATE 12
/* The computation failed on valid arguments (e.g. an objective whose error
 * mask selects nothing, an eigenvalue decomposition that did not converge). */
#define NN4N_ERR_NUMERIC 13
/* A numeric setting is outside its bounds (the message states them;
 * nn4n_<kind>_key_info reports them). */
#define NN4N_ERR_RANGE 14
/* The process is a child forked after the library was loaded: the Go
 * runtime does not survive fork(), so every call except nn4n_last_error,
 * nn4n_status_name and the version numbers returns this at once (without
 * entering Go; the last error names the fix: load or create models after
 * fork, or start workers with posix_spawn/exec). */
#define NN4N_ERR_FORK 15
/* The call would allocate more than the library's memory limit (see
 * nn4n_set_memory_limit); nothing was allocated. The message names the
 * bytes needed and the limit. */
#define NN4N_ERR_MEMORY 16

/* ------------------------------------------------------------- constants */

/* Compute precisions (model setting "precision"). */
#define NN4N_FLOAT64 0
#define NN4N_FLOAT32 1

/* Limits. Each of n_in, n_hid, n_out is at most NN4N_MAX_DIM, a batch at
 * most NN4N_MAX_BATCH trials and a trial at most NN4N_MAX_STEPS steps. */
#define NN4N_MAX_DIM 1048576
#define NN4N_MAX_BATCH 1048576
#define NN4N_MAX_STEPS 16777216

/* Number of columns of the task "conditions" table and of the trainer
 * "history" table (see nn4n_task_get_array and nn4n_trainer_get_array). */
#define NN4N_TASK_CONDITION_COLUMNS 14
#define NN4N_TRAINER_HISTORY_COLUMNS 7

/* ================================================================ library */

/* nn4n_version_string returns the library version, e.g. "0.1.0" (a build
 * may append "+<commit>"). Static string: never free it. Never NULL. */
const char* nn4n_version_string(void);

/* nn4n_version_number returns MAJOR*10000 + MINOR*100 + PATCH of the
 * loaded library (compare with NN4N_VERSION_NUMBER). */
int64_t nn4n_version_number(void);

/* nn4n_abi_version returns the ABI version of the loaded library; a binding
 * built against NN4N_ABI_VERSION must refuse a library that differs. */
int32_t nn4n_abi_version(void);

/* nn4n_status_name returns the name of a status code ("NN4N_OK",
 * "NN4N_ERR_SHAPE", …), or "NN4N_ERR_UNKNOWN_STATUS" for a code that is not
 * defined. Static string: never free it. Never NULL. */
const char* nn4n_status_name(int32_t code);

/* nn4n_last_error copies the calling thread's last error message into buf
 * (out, nullable when len is 0), truncated to len-1 bytes and always
 * NUL-terminated when len ≥ 1, and returns the buffer size the whole
 * message needs (its length + 1; 1 when there is no message). The message
 * belongs to the last failing call of this thread and is cleared by every
 * successful call. A negative len is treated as 0. */
int64_t nn4n_last_error(char* buf, int64_t len);

/* nn4n_set_num_threads sets the number of threads the library computes
 * with to n (1 ≤ n ≤ 4096). Process-wide. Go's GOMAXPROCS becomes
 * max(n, 2): with a single P, Go's monitor thread takes it from the caller
 * during every OpenBLAS call longer than its tick and the caller must win
 * it back (measured: two single-threaded processes on two cores ran 1.65×
 * the work of one instead of 1.89×); the second P stays idle. A process
 * whose Go starts with one P (one CPU) gets the second P at load and
 * computes on one thread. A batch is split into up to n blocks of at least
 * 4 trials run in parallel, each running its per-step recurrent products
 * on nn4n's own kernel (CPUs with AVX2 and FMA, or AVX-512; elsewhere
 * OpenBLAS) and the rest on OpenBLAS single-threaded (with AVX-512, the
 * weight gradients and the thin input and readout products on nn4n's
 * kernels too, except W_in's and W_out's gradients from N = 1024 in
 * float32, 512 in float64, and the Ω regulariser's product). Outputs do
 * not depend on n (a trial's noise depends only on the seed and its index
 * in the batch; without the kernel, to rounding); gradients, summed over
 * the blocks, agree to rounding (tested to 1e-13 relative in float64, 1e-5
 * in float32, for 1–3 blocks) and are bit-identical for the same seed and
 * n. A simulator's step (nn4n_model_step) of a single state runs on the
 * calling thread; with n ≥ 2 and at least 128 KiB of weights (N ≳ 128 in
 * float64, 180 in float32) it shares its product with one helper thread of
 * the library, which spins for 50 µs after each step to be ready for the
 * next and then sleeps. Results are bit-identical with or without the
 * helper; n = 1 keeps every step on the calling thread. */
int32_t nn4n_set_num_threads(int64_t n);

/* nn4n_get_num_threads stores the number of threads the library computes
 * with (nn4n_set_num_threads; by default Go's GOMAXPROCS, the number of
 * CPUs) in *go_threads and OpenBLAS's thread count per call (1) in
 * *blas_threads (both out, each nullable). */
int32_t nn4n_get_num_threads(int64_t* go_threads, int64_t* blas_threads);

/* nn4n_blas_info writes a description of the BLAS in use, e.g.
 * "OpenBLAS 0.3.21 ... (core Zen)", with the string-output protocol. */
int32_t nn4n_blas_info(char* buf, int64_t len, int64_t* needed);

/* nn4n_runtime_stats is a diagnostic query: it runs Go's garbage collector
 * and stores the number of live handles of every kind in *live_handles and
 * the bytes of live Go heap in *go_heap_bytes (both out, each nullable).
 * Leak tests call it before and after a loop. */
int32_t nn4n_runtime_stats(int64_t* live_handles, int64_t* go_heap_bytes);

/* nn4n_set_memory_limit sets the library-wide memory budget to bytes
 * (≥ 0; 0 restores the default, half of the machine's physical memory).
 * Model creation and loading, forward passes, gradients, losses and
 * training steps compute the bytes they would allocate before allocating
 * and return NN4N_ERR_MEMORY above the budget, so that dimensions too large
 * for the machine are refused instead of exhausting it. The budget bounds
 * each call, not the sum over live models. Process-wide. */
int32_t nn4n_set_memory_limit(int64_t bytes);

/* nn4n_get_memory_limit stores the budget in effect in *bytes and the
 * default in *default_bytes (both out, each nullable). */
int32_t nn4n_get_memory_limit(int64_t* bytes, int64_t* default_bytes);

/* ================================================================= models
 *
 * A model is a continuous-time RNN with I inputs, N hidden units and O
 * outputs (DESIGN.md):
 *   x_t = (1-α)⊙x_{t-1} + α⊙(W_rec r_{t-1} + b_rec + W_in u_t + b_in + noise)
 *   r_t = f(x_t),   y_t = g(W_out r_t + b_out)
 * The model owns a seeded generator (initialisation and noise): the same
 * seed and thread count give bit-identical results. A new model is in
 * training mode (noise on); set "training" to 0 for deterministic runs.
 */

/* nn4n_model_create makes a model with n_in ≥ 0 inputs, 1 ≤ n_hid hidden
 * units and 1 ≤ n_out outputs (each ≤ NN4N_MAX_DIM), compute precision
 * NN4N_FLOAT64 or NN4N_FLOAT32, weights drawn from seed (< 2^53) with the default
 * settings (ReLU, linear head, Dale mode "rectify", init "uniform",
 * α = 0.1, no masks). *model (out) receives the handle; free it with
 * nn4n_model_free. */
int32_t nn4n_model_create(int64_t n_in, int64_t n_hid, int64_t n_out, int32_t precision, uint64_t seed,
                          uint64_t* model);

/* nn4n_model_create_from_structure makes a model whose dimensions, sparsity
 * masks, sign masks (Dale's law, for E/I structures) and pycog Crec initial
 * scale come from a built structure, so that the masks are in place before
 * the weights are drawn. Otherwise as nn4n_model_create. The structure must
 * have at least one output. The structure handle stays valid and owned by
 * the caller. */
int32_t nn4n_model_create_from_structure(uint64_t structure, int32_t precision, uint64_t seed, uint64_t* model);

/* nn4n_model_free frees a model. 0 is a no-op. */
int32_t nn4n_model_free(uint64_t model);

/* nn4n_model_set_f64 sets a numeric setting. Keys (booleans are 0 or 1,
 * enumerations their numeric code or, better, their name through
 * nn4n_model_set_str):
 *   "activation" "head" "dale" "precision" "init"   enumerations
 *   "alpha"            α = dt/τ of every unit, in [1e-4, 1] (get: the mean)
 *   "learn_alpha"      train α (kept in [1e-4, 1])
 *   "pre_noise" "rec_noise" "post_noise"   σ_pre, σ_rec (pycog), σ_post ≥ 0
 *   "input_baseline" "input_noise" "input_alpha"   pycog's input model
 *   "x0"               initial state of every unit (get: the mean)
 *   "train_x0" "train_bias_in" "train_bias_rec" "train_bias_out"
 *   "spectral_radius"  ρ for the next nn4n_model_reinitialize (0 = scheme's)
 *   "balance"          nn4n's E/I balance at the next reinitialize
 *   "seed"             restarts the generator (integer in [0, 2^53))
 *   "training"         1 = noise on, 0 = evaluation
 * Read-only: "inputs" "units" "outputs". Unknown key → NN4N_ERR_UNKNOWN_KEY;
 * NaN/Inf → NN4N_ERR_NOT_FINITE; an invalid value → INVALID_ARGUMENT; on
 * error nothing changes. */
int32_t nn4n_model_set_f64(uint64_t model, const char* key, double value);

/* nn4n_model_get_f64 stores the setting key (keys of nn4n_model_set_f64)
 * in *value (out). */
int32_t nn4n_model_get_f64(uint64_t model, const char* key, double* value);

/* nn4n_model_set_str sets an enumerated setting by name:
 *   "activation"  relu (pycog: rectify), tanh, sigmoid, retanh (rtanh),
 *                 softplus, linear
 *   "head"        linear, sigmoid, softmax
 *   "dale"        rectify, abs, clip
 *   "precision"   float64, float32
 *   "init"        uniform, normal, zero, pycog (takes effect at
 *                 nn4n_model_reinitialize)
 * Unknown key → UNKNOWN_KEY; unknown value → INVALID_ARGUMENT. */
int32_t nn4n_model_set_str(uint64_t model, const char* key, const char* value);

/* nn4n_model_get_str writes the name of an enumerated setting (keys of
 * nn4n_model_set_str) with the string-output protocol. */
int32_t nn4n_model_get_str(uint64_t model, const char* key, char* buf, int64_t len, int64_t* needed);

/* nn4n_model_key_count stores in *count the number of keys of the model's
 * settings table (the keys of nn4n_model_set_f64 and nn4n_model_set_str).
 * Every kind has the same pair (nn4n_<kind>_key_count / _key_info); a
 * handle is passed because an objective's, optimizer's or structure's keys
 * depend on the kind it was created as. */
int32_t nn4n_model_key_count(uint64_t model, int64_t* count);

/* nn4n_model_key_info describes key index (0 ≤ index < count): it writes
 * "name\ttype\taccess\tdefault\tdoc" to buf with the string-output
 * protocol (type is f64, flag (an f64 that is 0 or 1), str or enum, an
 * enum being settable as its code with set_f64 or its name with set_str;
 * access is rw or ro) and stores the
 * bounds of a numeric key in *lo and *hi (-inf and +inf when unbounded;
 * either may be NULL). A set_f64 outside [lo, hi] returns NN4N_ERR_RANGE. */
int32_t nn4n_model_key_info(uint64_t model, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* nn4n_model_shape stores the shape of array key in *rows and *cols (both
 * out, non-NULL); vectors are n×1; an absent sign mask is 0×0. Keys:
 *   "w_in" N×I, "w_rec" N×N, "w_out" O×N          raw (trained) weights
 *   "w_in_eff" "w_rec_eff" "w_out_eff"            effective weights (read-only)
 *   "b_in" N, "b_rec" N, "b_out" O, "alpha" N, "x0" N
 *   "mask_in" "mask_rec" "mask_out"               0/1 sparsity masks
 *   "sign_in" "sign_rec" "sign_out"               +1/-1/0 Dale sign masks
 *   "plasticity_in" "plasticity_rec" "plasticity_out"   [0,1] gradient scale */
int32_t nn4n_model_shape(uint64_t model, const char* key, int64_t* rows, int64_t* cols);

/* nn4n_model_get_array copies array key into out (out, len = rows*cols).
 * An absent sparsity or plasticity mask reads as ones. */
int32_t nn4n_model_get_array(uint64_t model, const char* key, double* out, int64_t len);

/* nn4n_model_set_array replaces array key with a copy of values (in,
 * len = rows*cols; a sign mask may also give one value per presynaptic
 * unit, len = cols). Every constraint is re-applied (in Dale mode "clip" a
 * weight is projected onto its signs). A mask set with len 0 (values may
 * be NULL) is removed. Effective weights are read-only (INVALID_ARGUMENT).
 * On error nothing changes. */
int32_t nn4n_model_set_array(uint64_t model, const char* key, const double* values, int64_t len);

/* nn4n_model_reinitialize draws every weight afresh from the current
 * settings and masks, restarting the generator from the model's seed;
 * biases are reset to 0 and α, x0 to their settings. */
int32_t nn4n_model_reinitialize(uint64_t model);

/* nn4n_model_spectral_radius stores the spectral radius of the effective
 * W_rec in *rho (out). */
int32_t nn4n_model_spectral_radius(uint64_t model, double* rho);

/* nn4n_model_forward runs the model over a batch of `batch` trials of
 * `steps` steps (B, T ≥ 1).
 *   input    in, B×T×I, input_len = B*T*I (NULL allowed when I = 0)
 *   x0       in, nullable: initial states, x0_len = N (shared) or B*N;
 *            NULL (x0_len 0) uses the model's x0
 *   outputs  out, nullable: y, B×T×O, outputs_len = B*T*O
 *   rates    out, nullable: r, B×T×N, rates_len = B*T*N
 *   states   out, nullable: x, B×T×N, states_len = B*T*N
 * A NULL output must come with length 0. Noise follows "training". */
int32_t nn4n_model_forward(uint64_t model, const double* input, int64_t input_len, int64_t batch, int64_t steps,
                           const double* x0, int64_t x0_len, double* outputs, int64_t outputs_len, double* rates,
                           int64_t rates_len, double* states, int64_t states_len);

/* nn4n_model_step advances `batch` (≥ 1) independent states by one step,
 * for simulators that own the time loop. It allocates nothing once it has
 * run at a batch size. Four or more states share each pass over the
 * weights, so a batch costs less per state than single calls (figures:
 * docs/BENCHMARKS.md, tests/c/run.sh bench). Fewer than four states give
 * bit for bit what single steps give (on CPUs with AVX2 and FMA, where nn4n
 * uses its own kernels); from four on the products sum in
 * another order, within 1e-12·max(1,|v|) (float64) and 1e-5·max(1,|v|)
 * (float32) of single steps (ctrnn TestStepBatchMatchesSingle).
 *   state    in/out, batch×N, state_len = batch*N: read as x_{t-1},
 *            overwritten with x_t (r_{t-1} is taken as f(x_{t-1}))
 *   input    in, batch×I, input_len = batch*I (NULL allowed when I = 0)
 *   rates    out, nullable, batch×N: r_t
 *   outputs  out, nullable, batch×O: y_t
 * Noise follows "training". Start from state = x0 (nn4n_model_get_array
 * "x0") to reproduce nn4n_model_forward step by step, to the tolerance
 * stated under "Real-time hosts" (not bit for bit). */
int32_t nn4n_model_step(uint64_t model, int64_t batch, double* state, int64_t state_len, const double* input,
                        int64_t input_len, double* rates, int64_t rates_len, double* outputs, int64_t outputs_len);

/* nn4n_model_step_f32 is nn4n_model_step with float (32-bit) state, input,
 * rates and outputs, for models of precision NN4N_FLOAT32 (a float64 model
 * gives NN4N_ERR_INVALID_ARGUMENT): no value is converted, the state is
 * advanced in place. Given the same float32 values it returns bit for bit
 * what nn4n_model_step returns on that model. A non-finite input or state
 * gives NN4N_ERR_NOT_FINITE. */
int32_t nn4n_model_step_f32(uint64_t model, int64_t batch, float* state, int64_t state_len, const float* input,
                            int64_t input_len, float* rates, int64_t rates_len, float* outputs, int64_t outputs_len);

/* nn4n_model_gradient runs the batch forward, evaluates the objective and
 * back-propagates through time, storing the gradients in the model (read
 * them with nn4n_model_get_grad) and the objective's terms (read them with
 * nn4n_model_term_count / nn4n_model_term). Parameters do not change.
 *   input   in, B×T×I (NULL allowed when I = 0)
 *   target  in, nullable, B×T×O (NULL with len 0 when labels are given)
 *   mask    in, nullable, B×T×O error mask (NULL: every entry counts)
 *   labels  in, nullable, B×T integer classes as doubles (negative =
 *           ignore the step), for softmax cross-entropy objectives
 * objective is an objective handle. */
int32_t nn4n_model_gradient(uint64_t model, uint64_t objective, const double* input, int64_t input_len,
                            const double* target, int64_t target_len, const double* mask, int64_t mask_len,
                            const double* labels, int64_t labels_len, int64_t batch, int64_t steps);

/* nn4n_model_backward is the vector-Jacobian product of a forward pass: it
 * runs the batch forward (with the noise nn4n_model_forward would draw from
 * the model's generator in its current state; set "seed" before both to
 * replay a pass) and back-propagates through time (exact BPTT through the
 * same masked, Dale-constrained dynamics) the upstream gradients of a
 * scalar l = <grad_outputs, y> + <grad_rates, r> + <grad_states, x>. One
 * forward and one backward pass, in the model's precision. The gradients of
 * every trained parameter are stored in the model as by nn4n_model_gradient
 * (read them with nn4n_model_get_grad; term 0, "vjp", is l). Parameters do
 * not change.
 *   input         in, B×T×I (NULL allowed when I = 0)
 *   x0            in, nullable, N (shared) or B×N initial states (NULL: the
 *                 model's x0, which then receives its gradient when trained)
 *   grad_outputs  in, nullable, B×T×O dl/dy (NULL: zero)
 *   grad_rates    in, nullable, B×T×N dl/dr (NULL: zero)
 *   grad_states   in, nullable, B×T×N dl/dx (NULL: zero)
 *   outputs       out, nullable, B×T×O: y of the pass
 *   grad_input    out, nullable, B×T×I: dl/du
 *   grad_x0       out, nullable, B×N: dl/dx0 of every trial's initial state
 * Output buffers must not overlap the inputs. */
int32_t nn4n_model_backward(uint64_t model, const double* input, int64_t input_len, int64_t batch, int64_t steps,
                            const double* x0, int64_t x0_len, const double* grad_outputs, int64_t grad_outputs_len,
                            const double* grad_rates, int64_t grad_rates_len, const double* grad_states,
                            int64_t grad_states_len, double* outputs, int64_t outputs_len, double* grad_input,
                            int64_t grad_input_len, double* grad_x0, int64_t grad_x0_len);

/* nn4n_model_loss evaluates the objective on a batch without
 * back-propagating (a validation pass); the terms are then readable with
 * nn4n_model_term. Arguments as nn4n_model_gradient, plus
 *   outputs  out, nullable, B×T×O: the outputs of the pass. */
int32_t nn4n_model_loss(uint64_t model, uint64_t objective, const double* input, int64_t input_len,
                        const double* target, int64_t target_len, const double* mask, int64_t mask_len,
                        const double* labels, int64_t labels_len, int64_t batch, int64_t steps, double* outputs,
                        int64_t outputs_len);

/* nn4n_model_get_grad copies the last gradient of trained parameter key
 * ("w_in", "w_rec", "w_out", and "b_in", "b_rec", "b_out", "alpha", "x0"
 * when they are trained), scaled by its plasticity and sparsity masks, into
 * out (out, len = the parameter's size, see nn4n_model_shape). A parameter
 * that is not trained → UNKNOWN_KEY. */
int32_t nn4n_model_get_grad(uint64_t model, const char* key, double* out, int64_t len);

/* nn4n_model_train runs n_updates ≥ 1 optimiser steps on one batch
 * (arguments as nn4n_model_gradient; optimizer is an optimizer handle),
 * re-applying every constraint after each step. Between updates it checks
 * the model's cancel flag: if set, it stops and returns NN4N_ERR_CANCELLED
 * (the updates already made stay). *updates_done (out, nullable) receives
 * the number of updates made. The terms of the last update (those of the
 * objective, then "grad_norm", and "omega" when the objective uses Ω) are
 * readable with nn4n_model_term. */
int32_t nn4n_model_train(uint64_t model, uint64_t objective, uint64_t optimizer, const double* input,
                         int64_t input_len, const double* target, int64_t target_len, const double* mask,
                         int64_t mask_len, const double* labels, int64_t labels_len, int64_t batch, int64_t steps,
                         int64_t n_updates, int64_t* updates_done);

/* nn4n_model_cancel asks a running (or the next) nn4n_model_train on this
 * model to stop before its next update. It never waits for the model's lock
 * and may be called from any thread. The request is consumed by the train
 * call that returns NN4N_ERR_CANCELLED. */
int32_t nn4n_model_cancel(uint64_t model);

/* nn4n_model_term_count stores in *count (out) the number of terms of the
 * last gradient, loss or train call (0 before any). */
int32_t nn4n_model_term_count(uint64_t model, int64_t* count);

/* nn4n_model_term reads term k (0 ≤ k < count; term 0 is the total): its
 * name into name_buf (out, nullable when name_len is 0, NUL-terminated,
 * truncated to name_len with NN4N_ERR_BUFFER_TOO_SMALL; names are shorter
 * than 64 bytes) and its value into *value (out, nullable). */
int32_t nn4n_model_term(uint64_t model, int64_t k, char* name_buf, int64_t name_len, double* value);

/* nn4n_model_terms reads every term of the last gradient, loss or train
 * call in one call (for hosts where each call is costly, e.g. an
 * interpreter): *count (out) receives the number of terms; values (out,
 * nullable when values_len is 0) their values in the order of
 * nn4n_model_term, with values_len ≥ count (else NN4N_ERR_BUFFER_TOO_SMALL,
 * *count still set); names_buf (out, nullable when names_len is 0) their
 * names separated by tabs, NUL-terminated, truncated to names_len with
 * NN4N_ERR_BUFFER_TOO_SMALL (values are written first). */
int32_t nn4n_model_terms(uint64_t model, char* names_buf, int64_t names_len, double* values, int64_t values_len,
                         int64_t* count);

/* nn4n_model_save writes the model to path (in, UTF-8) as an .npz file that
 * numpy.load reads: every weight, effective weight, bias, α, x0 and present
 * mask as a float64 array, and a JSON "config" entry (with the generator
 * state). The file is written to a temporary file and renamed, so an
 * interrupted save never damages a previous file. Errors: NN4N_ERR_IO. */
int32_t nn4n_model_save(uint64_t model, const char* path);

/* nn4n_model_load reads a file written by nn4n_model_save and stores a new
 * model handle in *model (out). A missing or unreadable file gives
 * NN4N_ERR_IO; a truncated, corrupt or inconsistent file gives
 * NN4N_ERR_FORMAT with a message naming the problem. */
int32_t nn4n_model_load(const char* path, uint64_t* model);

/* ============================================================= objectives
 *
 * An objective is what training minimises. Kinds (nn4n_objective_create):
 *   "songyang"  Song, Yang & Wang (2016) as pycog: masked loss + L1/L2
 *               penalties + rate penalty + Ω regulariser. f64 keys:
 *               lambda1_in lambda1_rec lambda1_out lambda2_in lambda2_rec
 *               lambda2_out lambda2_r (≥ 0, default 0), lambda_omega (≥ 0,
 *               default 2; 0 switches Ω off). str keys: head = squared |
 *               bce | softmax_ce; weights = raw (default) | effective.
 *   "rnnloss"   nn4n's RNNLoss. f64 keys: lambda_mse (default 1; 0 drops
 *               the MSE), masked (0/1), lambda_in lambda_hid lambda_out
 *               lambda_fr lambda_fr_sd lambda_fr_cv. str keys: weights =
 *               effective (default) | raw; on = rates | states.
 *   "composite" nn4n's CompositeLoss: starts empty; add terms with
 *               nn4n_objective_add_term, configure a term with the keys
 *               "<term name>.<key>" (and "<term name>.lambda").
 *   a criterion, alone or as a composite term:
 *     "fr"            str metric = l2 (default) | l1; on
 *     "fr_dist"       str metric = sd (default) | cv | mean_ad | max_ad; on
 *     "rnn_conn"      str layer = all | input | hidden | readout; metric =
 *                     fro (default) | l1; weights
 *     "state_pred"    f64 tau (steps ≥ 1, default 1); str on
 *     "entropy"       f64 reg (≥ 0, default 10; 0 drops it); str on
 *     "hebbian"       str weights, on
 *     "cross_entropy" f64 no_softmax, from_logits (0/1)
 *     "mse"           f64 masked (0/1)
 * Every value set is the value used (no hidden "0 means default").
 */

/* nn4n_objective_create makes an objective of the given kind (in) with its
 * defaults; *objective (out) receives the handle. Unknown kind →
 * UNKNOWN_KEY. */
int32_t nn4n_objective_create(const char* kind, uint64_t* objective);

/* nn4n_objective_free frees an objective. 0 is a no-op. */
int32_t nn4n_objective_free(uint64_t objective);

/* nn4n_objective_add_term appends a criterion of the given kind (one of the
 * criterion kinds above) to a "composite" objective, reported under name
 * (in, nullable: NULL or "" uses the kind; names are unique, at most 63
 * bytes of letters, digits and '_'), weighted by lambda (finite, ≥ 0; a
 * term with lambda 0 is neither evaluated nor reported). Not a composite →
 * NN4N_ERR_STATE; duplicate name → INVALID_ARGUMENT. */
int32_t nn4n_objective_add_term(uint64_t objective, const char* name, const char* kind, double lambda);

/* nn4n_objective_set_f64 / _get_f64 set and read a numeric key (see the
 * kinds above; for a composite, "<term>.<key>"). */
int32_t nn4n_objective_set_f64(uint64_t objective, const char* key, double value);
int32_t nn4n_objective_get_f64(uint64_t objective, const char* key, double* value);

/* nn4n_objective_set_str / _get_str set and read a named key. get_str also
 * answers "kind" (read-only) and, for a composite, "<term>.kind". */
int32_t nn4n_objective_set_str(uint64_t objective, const char* key, const char* value);
int32_t nn4n_objective_get_str(uint64_t objective, const char* key, char* buf, int64_t len, int64_t* needed);

/* nn4n_objective_key_count / _key_info list the objective's keys as nn4n_model_key_count
 * and nn4n_model_key_info do the model's. A composite objective lists "kind" and, per term,
 * "<term>.kind", "<term>.lambda" and "<term>.<key>". */
int32_t nn4n_objective_key_count(uint64_t objective, int64_t* count);
int32_t nn4n_objective_key_info(uint64_t objective, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* ============================================================= optimizers
 *
 * Kinds: "sgd" (pycog: lr 0.01, max_norm 1, guard 1) and "adam"
 * (torch defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8,
 * weight_decay 0, max_norm 0, guard 1). f64 keys: lr, max_norm (global-norm
 * clipping, 0 = off), guard (0/1: skip a NaN/Inf/huge gradient and shrink
 * W_rec instead), and for adam beta1, beta2, eps, weight_decay.
 * An optimizer keeps state (Adam's moments): use one per model.
 */

/* nn4n_optimizer_create makes an optimizer of the given kind; *optimizer
 * (out) receives the handle. */
int32_t nn4n_optimizer_create(const char* kind, uint64_t* optimizer);

/* nn4n_optimizer_free frees an optimizer. 0 is a no-op. */
int32_t nn4n_optimizer_free(uint64_t optimizer);

/* nn4n_optimizer_set_f64 / _get_f64 set and read a key (above). */
int32_t nn4n_optimizer_set_f64(uint64_t optimizer, const char* key, double value);
int32_t nn4n_optimizer_get_f64(uint64_t optimizer, const char* key, double* value);

/* nn4n_optimizer_key_count / _key_info list the optimizer's keys as nn4n_model_key_count
 * and nn4n_model_key_info do the model's. */
int32_t nn4n_optimizer_key_count(uint64_t optimizer, int64_t* count);
int32_t nn4n_optimizer_key_info(uint64_t optimizer, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* nn4n_optimizer_reset forgets the optimizer's state (moments, step count). */
int32_t nn4n_optimizer_reset(uint64_t optimizer);

/* ============================================================= structures
 *
 * Mask generators. Kinds (nn4n_structure_create) and their keys:
 *   "multi_area"     f64: n_areas (default 2), no_autapses, seed;
 *                    arrays: area_sizes, area_connectivities ([fwd, bwd],
 *                    [fwd, bwd, within] or a full n_areas×n_areas matrix,
 *                    default [0.1, 0.1]), input_areas, readout_areas
 *                    (area indices from 0; len 0 = none; unset = all);
 *                    str: area_names (comma-separated).
 *   "multi_area_ei"  the keys of multi_area, plus arrays exc_pct (one value
 *                    or one per area, default [0.8]), inter_area_connections
 *                    (4 flags: exc→exc, exc→inh, inh→exc, inh→inh, default
 *                    all 1); f64 inh_readout (default 1).
 *   "random_input"   f64: input_spar, readout_spar, hidden_spar (default 1),
 *                    overlap (default 1), seed.
 *   "multi_io"       arrays: input_dims, readout_dims, input_table
 *                    (groups×N), readout_table (groups×N).
 *   "pycog"          f64: exc_frac (default 0.8), no_ei, sparse, p_exc,
 *                    p_inh (default 1), allow_self, exc_readout, seed.
 * Integer-valued keys and arrays must hold integers. Set keys, then call
 * nn4n_structure_build; setting a key after a build requires a new build.
 */

/* nn4n_structure_create makes a structure generator of the given kind with
 * n_in ≥ 0 inputs, n_hid ≥ 1 hidden units and n_out ≥ 0 outputs, at its
 * defaults; *structure (out) receives the handle. */
int32_t nn4n_structure_create(const char* kind, int64_t n_in, int64_t n_hid, int64_t n_out, uint64_t* structure);

/* nn4n_structure_free frees a structure. 0 is a no-op. */
int32_t nn4n_structure_free(uint64_t structure);

/* nn4n_structure_set_f64 / _get_f64 set and read a numeric key. get_f64
 * also answers "inputs", "units", "outputs", "built" (0/1) and, after a
 * build, "n_areas". */
int32_t nn4n_structure_set_f64(uint64_t structure, const char* key, double value);
int32_t nn4n_structure_get_f64(uint64_t structure, const char* key, double* value);

/* nn4n_structure_set_str sets a named key ("area_names"). */
int32_t nn4n_structure_set_str(uint64_t structure, const char* key, const char* value);

/* nn4n_structure_key_count / _key_info list the structure's keys as nn4n_model_key_count
 * and nn4n_model_key_info do the model's. */
int32_t nn4n_structure_key_count(uint64_t structure, int64_t* count);
int32_t nn4n_structure_key_info(uint64_t structure, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* nn4n_structure_set_array sets an array key (in, len values; len 0 sets an
 * empty list, values may then be NULL). */
int32_t nn4n_structure_set_array(uint64_t structure, const char* key, const double* values, int64_t len);

/* nn4n_structure_build generates the masks from the current keys. Invalid
 * parameters → INVALID_ARGUMENT naming the parameter. */
int32_t nn4n_structure_build(uint64_t structure);

/* nn4n_structure_shape stores the shape of a built mask in *rows and *cols
 * (out, non-NULL). Keys: "input_mask" N×I, "hidden_mask" N×N,
 * "readout_mask" O×N, "input_sign" "hidden_sign" "readout_sign" (0×0 when
 * the structure has no E/I signs), "unit_sign" N×1 (0×0 without signs),
 * "hidden_scale" N×N (pycog's Crec; 0×0 otherwise). Not built →
 * NN4N_ERR_STATE. */
int32_t nn4n_structure_shape(uint64_t structure, const char* key, int64_t* rows, int64_t* cols);

/* nn4n_structure_get_array copies a built mask into out (out, len =
 * rows*cols). */
int32_t nn4n_structure_get_array(uint64_t structure, const char* key, double* out, int64_t len);

/* nn4n_structure_index_count stores in *count (out) the number of units of
 * an index list of the built structure. Keys: "input" (units receiving an
 * input), "non_input", "readout", "excitatory", "inhibitory", and "area"
 * (the units of area number `area`, 0 ≤ area < n_areas; ignored for the
 * other keys). */
int32_t nn4n_structure_index_count(uint64_t structure, const char* key, int64_t area, int64_t* count);

/* nn4n_structure_indices copies that index list (0-based unit indices, in
 * increasing order, as doubles) into out (out, len = count). */
int32_t nn4n_structure_indices(uint64_t structure, const char* key, int64_t area, double* out, int64_t len);

/* nn4n_structure_area_name writes the name of area `area` of the built
 * structure with the string-output protocol. */
int32_t nn4n_structure_area_name(uint64_t structure, int64_t area, char* buf, int64_t len, int64_t* needed);

/* ================================================================== tasks
 *
 * The cognitive tasks of Song et al. (2016) as seeded batch generators.
 * Names: "rdm_dense", "rdm_nodale", "rdm_fixed", "rdm_varstim", "rdm_rt",
 * "mante", "mante_areas", "multisensory", "romo", "sinewave", and
 * multitasks "multi:<name>,<name>[,...]" (two or more choice tasks, i.e.
 * not sinewave, behind one rule input each, Yang et al. 2019: inputs are
 * the widest task's inputs, then one rule input per task in the order
 * listed, baseline + 1 on the steps of that task's trials; each trial is
 * a trial of one task, drawn uniformly; outputs are the largest task's).
 * A multitask's conditions table does not name the task of a row (read it
 * from the rule inputs), so nn4n_task_sample_conditions refuses it.
 * f64 keys: dt (ms, default 20), baseline (u0, default 0.2), tau_in (ms,
 * default 100), sigma_in (default 0.01; 0 = no input noise), test (0/1:
 * pycog's analysis timing). Read-only: inputs, outputs, n_units (pycog's
 * N), minibatch, n_validation, catch_prob, threshold, n_conditions, and
 * after a sample batch, steps.
 */

/* nn4n_task_create makes the task `name` with dt in ms (dt > 0; pycog uses
 * 20) and the other options at their defaults. */
int32_t nn4n_task_create(const char* name, double dt, uint64_t* task);

/* nn4n_task_free frees a task. 0 is a no-op. */
int32_t nn4n_task_free(uint64_t task);

/* nn4n_task_set_f64 / _get_f64 set and read a key (above). Setting an
 * option discards the current sample. */
int32_t nn4n_task_set_f64(uint64_t task, const char* key, double value);
int32_t nn4n_task_get_f64(uint64_t task, const char* key, double* value);

/* nn4n_task_key_count / _key_info list the task's keys as nn4n_model_key_count
 * and nn4n_model_key_info do the model's. */
int32_t nn4n_task_key_count(uint64_t task, int64_t* count);
int32_t nn4n_task_key_info(uint64_t task, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* nn4n_task_sample draws n ≥ 1 trials into the task handle, replacing the
 * previous sample; kind is "train" (training trials, catch trials with the
 * task's probability) or "validation" (pycog's balanced set: trial b has
 * condition b mod n_conditions, condition 0 the catch trial). The same seed
 * gives the same trials. Trials have different lengths: query the shapes
 * with nn4n_task_shape, then copy with nn4n_task_get_array. */
int32_t nn4n_task_sample(uint64_t task, const char* kind, int64_t n, uint64_t seed);

/* nn4n_task_sample_conditions makes one trial per row of `conditions` (in,
 * len = B*NN4N_TASK_CONDITION_COLUMNS, B ≥ 1, the table layout of
 * nn4n_task_get_array) into the task handle, replacing the previous
 * sample: a psychometric set, or conditions outside the training set (a 0 %
 * coherence, say). Columns 1 (choice) and 13 (steps) are ignored; the task
 * sets them. A row with catch = 1 is a catch trial. Columns a task does not
 * use must be 0; a row the task cannot make gives NN4N_ERR_INVALID_ARGUMENT
 * naming the row. The same seed gives the same noise and durations. */
int32_t nn4n_task_sample_conditions(uint64_t task, const double* conditions, int64_t len, uint64_t seed);

/* nn4n_task_shape stores the shape of an array of the current sample in
 * *rows and *cols (out, non-NULL); 3-d arrays are reported as rows = B,
 * cols = T*I (or T*O). Keys: "input" (B×T×I), "target" (B×T×O), "mask"
 * (B×T×O), "conditions" (B×NN4N_TASK_CONDITION_COLUMNS). No sample →
 * NN4N_ERR_STATE. */
int32_t nn4n_task_shape(uint64_t task, const char* key, int64_t* rows, int64_t* cols);

/* nn4n_task_get_array copies an array of the current sample into out (out,
 * len = rows*cols). The columns of "conditions" are:
 *   0 catch (0/1)        1 choice (correct output, -1 none)
 *   2 coherence (%)      3 sign (+1/-1, 0 unused)
 *   4 context (0 none, 1 motion "m", 2 colour "c")
 *   5 coh_motion  6 coh_colour  7 sign_motion  8 sign_colour     (mante)
 *   9 modality (0 none, 1 "v", 2 "a", 3 "va")  10 freq (multisensory)
 *   11 f1  12 f2 (romo, Hz)   13 steps (the trial's unpadded length) */
int32_t nn4n_task_get_array(uint64_t task, const char* key, double* out, int64_t len);

/* nn4n_task_score scores outputs (in, B×T×O of the current sample, len =
 * B*T*O) with metric "percent_correct", "min_condition_percent_correct" or
 * "rmse", storing it in *value (out). */
int32_t nn4n_task_score(uint64_t task, const char* metric, const double* outputs, int64_t len, double* value);

/* nn4n_task_psychometric groups the current sample's non-catch trials by
 * stimulus — the signed coherence (rdm, mante: in %) or the frequency
 * (multisensory: Hz; romo: f1 − f2) — and counts how often output `choice`
 * (0-based) was chosen, the argmax at each trial's last step. outputs (in,
 * B×T×O, len = B*T*O) are the model's outputs for the sample. *points (out,
 * non-NULL) receives the number of distinct stimuli P. table (out, len =
 * 3*P) receives rows (stimulus, trials, choices) sorted by stimulus; pass
 * table = NULL with table_len = 0 to query P first. fit (out, nullable,
 * fit_len = 4 or 0) receives the maximum-likelihood cumulative Gaussian
 * Φ((x − μ)/σ): μ, σ and their standard errors; a fit that does not exist
 * (choices that separate perfectly, or fall with the stimulus) gives
 * NN4N_ERR_NUMERIC after the table is filled. sinewave has no choices. */
int32_t nn4n_task_psychometric(uint64_t task, const double* outputs, int64_t len, int64_t choice, double* table,
                               int64_t table_len, int64_t* points, double* fit, int64_t fit_len);

/* =============================================================== trainers
 *
 * pycog's training protocol on (model, task, objective, optimizer): fresh
 * minibatches, a validation every valid_every trials, the task's stop rule,
 * the best parameters kept. Run it in chunks (nn4n_trainer_run) so that a
 * host can show progress and stop. f64 protocol keys (0 = pycog's default;
 * fixed once the run has started, else NN4N_ERR_STATE): minibatch,
 * valid_every (default 10000), n_validation, max_trials (default 1e7),
 * min_error (stop at validation RMSE ≤ it; 0 = off), patience (default
 * 100), seed (training batches; validation uses seed+1). Read-only:
 * finished, converged, trials and updates (at the last validation),
 * n_validations, best_loss (NN4N_ERR_STATE before the first validation),
 * elapsed (seconds).
 */

/* nn4n_trainer_create makes a trainer over a model and a task (the task
 * and its options are copied now: later nn4n_task_set_f64 calls on the task
 * handle do not affect the trainer, and the task handle may be freed). objective
 * (nullable handle: 0 = "songyang" defaults) is copied now: later changes
 * to the objective handle do not affect the trainer. optimizer (0 = "sgd"
 * defaults, owned by the trainer) is used by reference: its state is
 * shared. The model and optimizer handles must stay alive while the
 * trainer runs (a freed one gives NN4N_ERR_INVALID_HANDLE at run). The
 * task's inputs carry its baseline and noise, so the model should have
 * input_baseline = input_noise = 0. Dimensions must agree (SHAPE). */
int32_t nn4n_trainer_create(uint64_t model, uint64_t task, uint64_t objective, uint64_t optimizer,
                            uint64_t* trainer);

/* nn4n_trainer_free frees a trainer (not its model, task or optimizer). */
int32_t nn4n_trainer_free(uint64_t trainer);

/* nn4n_trainer_set_f64 / _get_f64 set and read a key (above). */
int32_t nn4n_trainer_set_f64(uint64_t trainer, const char* key, double value);
int32_t nn4n_trainer_get_f64(uint64_t trainer, const char* key, double* value);

/* nn4n_trainer_get_str writes "reason" (why the run ended, "" while it
 * runs) with the string-output protocol. */
int32_t nn4n_trainer_get_str(uint64_t trainer, const char* key, char* buf, int64_t len, int64_t* needed);

/* nn4n_trainer_key_count / _key_info list the trainer's keys as nn4n_model_key_count
 * and nn4n_model_key_info do the model's. */
int32_t nn4n_trainer_key_count(uint64_t trainer, int64_t* count);
int32_t nn4n_trainer_key_info(uint64_t trainer, int64_t index, char* buf, int64_t len, int64_t* needed, double* lo, double* hi);

/* nn4n_trainer_run trains until the run ends or max_validations more
 * validations have been made (≤ 0: no limit), returning right after the
 * last of them so that the caller can report it (the first validation runs
 * before any update); call it again to continue (a chunked run equals an
 * uninterrupted one). *done (out,
 * nullable) is 1 when the run has ended (the model then holds the best
 * parameters seen), else 0. It returns NN4N_ERR_CANCELLED when
 * nn4n_trainer_cancel stopped it between updates (calling it again
 * resumes). */
int32_t nn4n_trainer_run(uint64_t trainer, int64_t max_validations, int32_t* done);

/* nn4n_trainer_cancel asks a running (or the next) nn4n_trainer_run to stop
 * before its next update. It never waits and may be called from any
 * thread. */
int32_t nn4n_trainer_cancel(uint64_t trainer);

/* nn4n_trainer_shape stores the shape of "history" (one row per validation,
 * NN4N_TRAINER_HISTORY_COLUMNS columns) in *rows and *cols (out, non-NULL). */
int32_t nn4n_trainer_shape(uint64_t trainer, const char* key, int64_t* rows, int64_t* cols);

/* nn4n_trainer_get_array copies "history" into out (out, len = rows*cols).
 * Columns: 0 trials, 1 updates, 2 loss, 3 rmse, 4 perf (the task's
 * metric), 5 best (0/1), 6 elapsed (seconds since the run started). */
int32_t nn4n_trainer_get_array(uint64_t trainer, const char* key, double* out, int64_t len);

/* =============================================================== analysis
 *
 * Dynamics of a trained model (Sussillo & Barak 2013): the noise-free
 * update F(x; u) = (1−α)⊙x + α⊙(W_rec f(x) + b_rec + W_in v(u) + b_in),
 * v(u) = u or pycog's [u0 + u]₊, its exact Jacobians, fixed and slow points,
 * linearisation. A model in training mode with any noise on gives
 * NN4N_ERR_STATE: switch "training" off first. u is a constant input
 * (in, u_len = I; NULL allowed when I = 0).
 */

/* nn4n_model_jacobian writes ∂F/∂x at the state x (in, x_len = N) into jx
 * (out, nullable, N×N row-major, jx_len = N*N) and ∂F/∂u into ju (out,
 * nullable, N×I, ju_len = N*I). */
int32_t nn4n_model_jacobian(uint64_t model, const double* x, int64_t x_len, const double* u, int64_t u_len, double* jx,
                            int64_t jx_len, double* ju, int64_t ju_len);

/* nn4n_model_fixed_points searches for fixed points of F(·; u) from n_init
 * (≥ 1) initial states init (in, n_init×N, init_len = n_init*N) by
 * Levenberg–Marquardt on F(x) − x with the exact Jacobian (gradient
 * descent on q when no damping helps). Settings (0 = default): tol, the q =
 * ½‖F(x) − x‖² of convergence (1e-12); slow_q, also keep unconverged slow
 * points with q ≤ slow_q (0: off); max_iter (100); dedup_tol, the
 * distance under which two points are one (1e-6); outlier_scale, drop
 * points farther from the centroid of init than outlier_scale times its
 * RMS radius (10; < 0: keep all). Per search k (outputs, each n_init long
 * unless stated): ends (nullable, n_init×N) its final state, q its q,
 * iterations (nullable) the iterations used, converged 1 if q < tol else 0,
 * labels the index of the kept point it ended at (kept points are numbered
 * by increasing q; the search with the smallest q in a label is that
 * point), −1 not converged (and not slow), −2 an outlier. *n_points (out)
 * receives the number of kept points. */
int32_t nn4n_model_fixed_points(uint64_t model, const double* u, int64_t u_len, const double* init, int64_t init_len,
                                int64_t n_init, double tol, double slow_q, int64_t max_iter, double dedup_tol,
                                double outlier_scale, double* ends, int64_t ends_len, double* q, int64_t q_len,
                                double* iterations, int64_t iterations_len, double* converged, int64_t converged_len,
                                double* labels, int64_t labels_len, int64_t* n_points);

/* nn4n_model_linearize eigen-decomposes ∂F/∂x at (x, u): eig_re and eig_im
 * (out, N each) receive the eigenvalues sorted by decreasing modulus;
 * cont_re, cont_im (out, nullable, N each) the continuous-time view (λ −
 * 1)/ᾱ (ᾱ the mean α; units of 1/τ); *n_unstable (out) the number with
 * |λ| > 1 (0 stable, N unstable, else a saddle). The right and left
 * eigenvectors of the first top (0..N) modes, unit-norm, go into right_re,
 * right_im, left_re, left_im (out, nullable, N×top row-major: column c is
 * mode c; J r = λ r and lᴴ J = λ lᴴ). A decomposition that fails gives
 * NN4N_ERR_NUMERIC. */
int32_t nn4n_model_linearize(uint64_t model, const double* x, int64_t x_len, const double* u, int64_t u_len,
                             double* eig_re, int64_t eig_re_len, double* eig_im, int64_t eig_im_len, double* cont_re,
                             int64_t cont_re_len, double* cont_im, int64_t cont_im_len, int64_t* n_unstable,
                             int64_t top, double* right_re, int64_t right_re_len, double* right_im,
                             int64_t right_im_len, double* left_re, int64_t left_re_len, double* left_im,
                             int64_t left_im_len);

#ifdef __cplusplus
}
#endif

#endif /* NN4N_H */
