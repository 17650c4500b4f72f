/* SPDX-License-Identifier: MIT */
/*
 * nn4n_mex.c: the MEX gateway that gives GNU Octave (which has no loadlibrary
 * or calllib) the same call path as MATLAB's calllib on libnn4n.so.
 *
 *   [ret, p1, p2, ...] = nn4n_mex('nn4n_function', arg1, ..., argN)
 *
 * takes the arguments of the C function in order and returns what calllib
 * returns with the prototype file nn4n_proto.m: first the function's return
 * value (int32 status, int64 or char), then the final value of every pointer
 * argument, in argument order:
 *   const char*   the string passed in (char row)
 *   char* (buffer) the string the function wrote (a char array of n
 *                 characters passed in gives an n+1-byte buffer, as calllib)
 *   const double* [] (calllib gives back the array passed in, unchanged; the
 *                 gateway does not copy a possibly large input to say so)
 *   double*       a copy of the array passed in, overwritten by the function
 *                 (same size and shape)
 *   int64_t* uint64_t* int32_t*   likewise, of class int64/uint64/int32
 * An empty array ([]) passed for a pointer passes NULL. Input arrays are read
 * in place (no copy); they must be real double (non-sparse).
 *
 * With no argument, nn4n_mex returns its table: a struct array with fields
 * name, nout (outputs of a call, as above) and nargs, for tests that compare it
 * with the prototype file.
 *
 * The function table (names and argument types) is generated from
 * include/nn4n.h by tools/gen_bindings.py into
 * nn4n_mex_table.h, like the MATLAB prototype file, so both paths agree.
 * One entry is written by hand and is not in the table: '@train', the fast
 * path of net.train (see train_entry below).
 *
 * The library contains a Go runtime, which must never be unloaded: the
 * gateway locks itself (mexLock) on first use, and is linked with
 * -Wl,-z,nodelete, so "clear all" and "clear mex" never unload it.
 *
 * Build: bindings/matlab/tools/build_mex.sh (Octave: mkoctfile --mex) or, in
 * MATLAB, nn4n.buildMex (mex).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mex.h"
#include "nn4n.h"

enum {
    NN4N_T_I32 = 1,
    NN4N_T_I64,
    NN4N_T_U64,
    NN4N_T_F64,
    NN4N_T_CSTR,
    NN4N_T_SBUF,
    NN4N_T_CPD,
    NN4N_T_PD,
    NN4N_T_PI64,
    NN4N_T_PU64,
    NN4N_T_PI32
};

typedef union {
    int32_t i32;
    int64_t i64;
    uint64_t u64;
    double f64;
    const char *cs;
    char *s;
    const double *cpd;
    double *pd;
    int64_t *pi64;
    uint64_t *pu64;
    int32_t *pi32;
} nn4n_mex_slot;

/* One function: name, return type code, argument count and type codes. The
 * size of args is set by the generated table (NN4N_MEX_MAXARGS). */
#define NN4N_MEX_ARGS_CAP 32
typedef struct {
    const char *name;
    int ret;
    int nargs;
    int args[NN4N_MEX_ARGS_CAP];
} nn4n_mex_fn;

#include "nn4n_mex_table.h"

#if NN4N_MEX_MAXARGS > NN4N_MEX_ARGS_CAP
#error "raise NN4N_MEX_ARGS_CAP"
#endif

static int locked = 0;

static void fail(const char *id, const char *fmt, const char *fname, int argno)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, fname, argno);
    mexErrMsgIdAndTxt(id, "%s", msg);
}

static int is_pointer(int t)
{
    return t >= NN4N_T_CSTR;
}

/* scalar reads any real numeric or logical scalar into a double, checking it. */
static double scalar(const mxArray *a, const char *fname, int argno)
{
    if (!(mxIsNumeric(a) || mxIsLogical(a)) || mxIsComplex(a) || mxGetNumberOfElements(a) != 1) {
        fail("nn4n:mex:argument", "%s: argument %d must be a real numeric scalar", fname, argno);
    }
    return mxGetScalar(a);
}

static int64_t int64_arg(const mxArray *a, const char *fname, int argno)
{
    double v;
    if (mxGetNumberOfElements(a) == 1 && !mxIsComplex(a)) {
        if (mxIsInt64(a)) {
            return *(const int64_t *)mxGetData(a);
        }
        if (mxIsUint64(a)) {
            uint64_t u = *(const uint64_t *)mxGetData(a);
            if (u > (uint64_t)INT64_MAX) {
                fail("nn4n:mex:argument", "%s: argument %d does not fit int64", fname, argno);
            }
            return (int64_t)u;
        }
    }
    v = scalar(a, fname, argno);
    if (v != v || v < -9223372036854775808.0 || v >= 9223372036854775808.0 || v != (double)(int64_t)v) {
        fail("nn4n:mex:argument", "%s: argument %d must be an integer", fname, argno);
    }
    return (int64_t)v;
}

static uint64_t uint64_arg(const mxArray *a, const char *fname, int argno)
{
    double v;
    if (mxGetNumberOfElements(a) == 1 && !mxIsComplex(a)) {
        if (mxIsUint64(a)) {
            return *(const uint64_t *)mxGetData(a);
        }
        if (mxIsInt64(a)) {
            int64_t i = *(const int64_t *)mxGetData(a);
            if (i < 0) {
                fail("nn4n:mex:argument", "%s: argument %d must not be negative", fname, argno);
            }
            return (uint64_t)i;
        }
    }
    v = scalar(a, fname, argno);
    if (v != v || v < 0 || v >= 18446744073709551616.0 || v != (double)(uint64_t)v) {
        fail("nn4n:mex:argument", "%s: argument %d must be a non-negative integer", fname, argno);
    }
    return (uint64_t)v;
}

static mxClassID class_of(int t)
{
    switch (t) {
    case NN4N_T_PI64:
        return mxINT64_CLASS;
    case NN4N_T_PU64:
        return mxUINT64_CLASS;
    case NN4N_T_PI32:
        return mxINT32_CLASS;
    default:
        return mxDOUBLE_CLASS;
    }
}

static size_t elem_size(int t)
{
    return t == NN4N_T_PI32 ? 4 : 8;
}

/* out_array makes the output copy of an in/out array argument, of the
 * pointer's class, with the input's dimensions and values. */
static mxArray *out_array(const mxArray *in, int t, const char *fname, int argno)
{
    mxClassID cls = class_of(t);
    size_t n = mxGetNumberOfElements(in);
    mxArray *out;
    if (mxIsComplex(in) || mxIsSparse(in) || !(mxIsNumeric(in) || mxIsLogical(in))) {
        fail("nn4n:mex:argument", "%s: argument %d must be a real full numeric array", fname, argno);
    }
    out = mxCreateNumericArray(mxGetNumberOfDimensions(in), mxGetDimensions(in), cls, mxREAL);
    if (n == 0) {
        return out;
    }
    if (mxGetClassID(in) == cls) {
        memcpy(mxGetData(out), mxGetData(in), n * elem_size(t));
    } else {
        size_t i;
        for (i = 0; i < n; i++) {
            /* Converted through double: exact for the values these out-parameters
             * are initialised with (zeros). */
            double v;
            switch (mxGetClassID(in)) {
            case mxDOUBLE_CLASS:
                v = ((const double *)mxGetData(in))[i];
                break;
            case mxINT64_CLASS:
                v = (double)((const int64_t *)mxGetData(in))[i];
                break;
            case mxUINT64_CLASS:
                v = (double)((const uint64_t *)mxGetData(in))[i];
                break;
            case mxINT32_CLASS:
                v = (double)((const int32_t *)mxGetData(in))[i];
                break;
            default:
                v = mxGetScalar(in); /* a scalar of another class */
                if (n != 1) {
                    fail("nn4n:mex:argument", "%s: argument %d has an unsupported class", fname, argno);
                }
            }
            switch (cls) {
            case mxINT64_CLASS:
                ((int64_t *)mxGetData(out))[i] = (int64_t)v;
                break;
            case mxUINT64_CLASS:
                ((uint64_t *)mxGetData(out))[i] = v < 0 ? 0 : (uint64_t)v;
                break;
            case mxINT32_CLASS:
                ((int32_t *)mxGetData(out))[i] = (int32_t)v;
                break;
            default:
                ((double *)mxGetData(out))[i] = v;
            }
        }
    }
    return out;
}

static void table(mxArray *plhs[])
{
    const char *fields[] = {"name", "nargs", "nout"};
    mxArray *t = mxCreateStructMatrix(NN4N_MEX_NFUNCS, 1, 3, fields);
    int k, i;
    for (k = 0; k < NN4N_MEX_NFUNCS; k++) {
        const nn4n_mex_fn *fn = &nn4n_mex_fns[k];
        int nout = fn->ret ? 1 : 0;
        for (i = 0; i < fn->nargs; i++) {
            nout += is_pointer(fn->args[i]);
        }
        mxSetField(t, k, "name", mxCreateString(fn->name));
        mxSetField(t, k, "nargs", mxCreateDoubleScalar(fn->nargs));
        mxSetField(t, k, "nout", mxCreateDoubleScalar(nout));
    }
    plhs[0] = t;
}

/* A real, full double array of at most 3 dimensions, as [X T B]: its T and
 * B, and whether its first dimension is x and it is not empty. */
static int sequence_dims(const mxArray *a, size_t x, size_t *t, size_t *b)
{
    const mwSize *d;
    mwSize nd;
    if (!mxIsDouble(a) || mxIsComplex(a) || mxIsSparse(a)) {
        return 0;
    }
    nd = mxGetNumberOfDimensions(a);
    d = mxGetDimensions(a);
    if (nd > 3 || (size_t)d[0] != x) {
        return 0;
    }
    *t = (size_t)d[1];
    *b = nd == 3 ? (size_t)d[2] : 1;
    return *t > 0 && *b > 0;
}

/* "@train": net.train's fast path (+nn4n/CTRNN.m) in one gateway call:
 *   [st, done, values, count] = nn4n_mex('@train', model, objective, optimizer,
 *                                        u, target, mask, I, O, updates, values)
 * Checks that u is a real double [I T B] array and target (and mask unless
 * empty) real double [O T B] arrays; if not, st = -1 and nothing is called
 * (the binding then takes its full path, which says what is wrong). Else it
 * calls nn4n_model_train and, when that succeeds, nn4n_model_terms for the
 * term values (no names): st is the first failing status (0 = OK), done the
 * updates made, values a copy of the values argument holding count terms.
 * nn4n_mex('@train') alone returns 1, so that the binding can tell a gateway
 * that has this entry from an older build. Only what the C functions
 * already check is left to them. */
static void train_entry(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    size_t t, b, tt, tb, mt, mb, nvalues;
    int32_t st = -1;
    int64_t done = 0, count = 0;
    uint64_t model, objective, optimizer;
    size_t inputs, outputs;
    int64_t updates;
    const mxArray *u, *target, *mask;
    mxArray *values;
    if (nrhs == 1) {
        plhs[0] = mxCreateDoubleScalar(1);
        return;
    }
    if (nrhs != 11 || nlhs > 4) {
        mexErrMsgIdAndTxt("nn4n:mex:nargs", "@train takes 10 arguments and gives at most 4 outputs");
    }
    model = uint64_arg(prhs[1], "@train", 1);
    objective = uint64_arg(prhs[2], "@train", 2);
    optimizer = uint64_arg(prhs[3], "@train", 3);
    u = prhs[4];
    target = prhs[5];
    mask = prhs[6];
    inputs = (size_t)uint64_arg(prhs[7], "@train", 7);
    outputs = (size_t)uint64_arg(prhs[8], "@train", 8);
    updates = int64_arg(prhs[9], "@train", 9);
    if (!mxIsDouble(prhs[10]) || mxIsComplex(prhs[10]) || mxIsSparse(prhs[10])) {
        mexErrMsgIdAndTxt("nn4n:mex:argument", "@train: argument 10 must be a real double array");
    }
    values = mxDuplicateArray(prhs[10]);
    nvalues = mxGetNumberOfElements(values);
    if (sequence_dims(u, inputs, &t, &b) && sequence_dims(target, outputs, &tt, &tb) && tt == t && tb == b &&
        (mxIsEmpty(mask) || (sequence_dims(mask, outputs, &mt, &mb) && mt == t && mb == b))) {
        st = nn4n_model_train(model, objective, optimizer, mxGetPr(u), (int64_t)mxGetNumberOfElements(u),
                              mxGetPr(target), (int64_t)mxGetNumberOfElements(target),
                              mxIsEmpty(mask) ? NULL : mxGetPr(mask), (int64_t)mxGetNumberOfElements(mask),
                              NULL, 0, (int64_t)b, (int64_t)t, updates, &done);
        if (st == 0) {
            st = nn4n_model_terms(model, NULL, 0, nvalues > 0 ? mxGetPr(values) : NULL, (int64_t)nvalues,
                                  &count);
        }
    }
    plhs[0] = mxCreateNumericMatrix(1, 1, mxINT32_CLASS, mxREAL);
    *(int32_t *)mxGetData(plhs[0]) = st;
    if (nlhs > 1) {
        plhs[1] = mxCreateDoubleScalar((double)done);
    }
    if (nlhs > 2) {
        plhs[2] = values;
    } else {
        mxDestroyArray(values);
    }
    if (nlhs > 3) {
        plhs[3] = mxCreateDoubleScalar((double)count);
    }
}

static int lookup(const char *name)
{
    int k;
    for (k = 0; k < NN4N_MEX_NFUNCS; k++) {
        if (strcmp(nn4n_mex_fns[k].name, name) == 0) {
            return k;
        }
    }
    return -1;
}

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char fname[96];
    const nn4n_mex_fn *fn;
    nn4n_mex_slot a[NN4N_MEX_ARGS_CAP];
    nn4n_mex_slot r;
    mxArray *outs[NN4N_MEX_ARGS_CAP + 1];
    char *strings[NN4N_MEX_ARGS_CAP];
    int nout = 0, i, k, want;

    if (!locked) {
        mexLock();
        locked = 1;
    }
    if (nrhs == 0) {
        table(plhs);
        return;
    }
    if (!mxIsChar(prhs[0]) || mxGetString(prhs[0], fname, sizeof fname) != 0) {
        mexErrMsgIdAndTxt("nn4n:mex:usage", "usage: [ret, ptr_args...] = nn4n_mex('nn4n_function', args...)");
    }
    if (strcmp(fname, "@train") == 0) {
        train_entry(nlhs, plhs, nrhs, prhs);
        return;
    }
    k = lookup(fname);
    if (k < 0) {
        mexErrMsgIdAndTxt("nn4n:mex:unknownFunction", "nn4n_mex: no function %s in nn4n.h", fname);
    }
    fn = &nn4n_mex_fns[k];
    if (nrhs - 1 != fn->nargs) {
        mexErrMsgIdAndTxt("nn4n:mex:nargs", "%s takes %d arguments, got %d", fname, fn->nargs, nrhs - 1);
    }
    want = nlhs < 1 ? 1 : nlhs;

    memset(a, 0, sizeof a);
    memset(outs, 0, sizeof outs);
    memset(strings, 0, sizeof strings);
    /* Outputs come in calllib's order: the return value, then each pointer. */
    if (fn->ret) {
        nout++;
    }
    for (i = 0; i < fn->nargs; i++) {
        const mxArray *in = prhs[i + 1];
        int t = fn->args[i];
        int argno = i + 1;
        int slot_out = is_pointer(t) ? nout++ : -1;
        switch (t) {
        case NN4N_T_I32: {
            int64_t v = int64_arg(in, fname, argno);
            if (v < INT32_MIN || v > INT32_MAX) {
                fail("nn4n:mex:argument", "%s: argument %d does not fit int32", fname, argno);
            }
            a[i].i32 = (int32_t)v;
            break;
        }
        case NN4N_T_I64:
            a[i].i64 = int64_arg(in, fname, argno);
            break;
        case NN4N_T_U64:
            a[i].u64 = uint64_arg(in, fname, argno);
            break;
        case NN4N_T_F64:
            a[i].f64 = scalar(in, fname, argno);
            break;
        case NN4N_T_CSTR:
            if (mxIsChar(in)) {
                strings[i] = mxArrayToString(in);
                if (strings[i] == NULL) {
                    fail("nn4n:mex:argument", "%s: argument %d: cannot read the string", fname, argno);
                }
                a[i].cs = strings[i];
            } else if (mxIsEmpty(in)) {
                a[i].cs = NULL;
            } else {
                fail("nn4n:mex:argument", "%s: argument %d must be a char row", fname, argno);
            }
            if (slot_out < want) {
                outs[slot_out] = mxIsChar(in) ? mxDuplicateArray(in) : mxCreateDoubleMatrix(0, 0, mxREAL);
            }
            break;
        case NN4N_T_SBUF: {
            size_t n;
            if (!mxIsChar(in) && !mxIsEmpty(in)) {
                fail("nn4n:mex:argument", "%s: argument %d must be a char array (the buffer)", fname, argno);
            }
            n = mxGetNumberOfElements(in);
            strings[i] = (char *)mxCalloc(n + 1, 1);
            if (mxIsChar(in) && n > 0) {
                mxGetString(in, strings[i], n + 1);
            }
            a[i].s = strings[i];
            break;
        }
        case NN4N_T_CPD:
            if (mxIsEmpty(in)) {
                a[i].cpd = NULL;
            } else if (!mxIsDouble(in) || mxIsComplex(in) || mxIsSparse(in)) {
                fail("nn4n:mex:argument", "%s: argument %d must be a real full double array", fname, argno);
            } else {
                a[i].cpd = (const double *)mxGetData(in);
            }
            break;
        case NN4N_T_PD:
        case NN4N_T_PI64:
        case NN4N_T_PU64:
        case NN4N_T_PI32:
            outs[slot_out] = out_array(in, t, fname, argno);
            a[i].pd = mxIsEmpty(in) ? NULL : (double *)mxGetData(outs[slot_out]);
            break;
        default:
            mexErrMsgIdAndTxt("nn4n:mex:internal", "%s: unknown argument type %d", fname, t);
        }
    }

    memset(&r, 0, sizeof r);
    nn4n_mex_invoke(k, a, &r);

    nout = 0;
    switch (fn->ret) {
    case NN4N_T_I32:
        outs[nout] = mxCreateNumericMatrix(1, 1, mxINT32_CLASS, mxREAL);
        *(int32_t *)mxGetData(outs[nout]) = r.i32;
        nout++;
        break;
    case NN4N_T_I64:
        outs[nout] = mxCreateNumericMatrix(1, 1, mxINT64_CLASS, mxREAL);
        *(int64_t *)mxGetData(outs[nout]) = r.i64;
        nout++;
        break;
    case NN4N_T_CSTR:
        outs[nout] = mxCreateString(r.cs ? r.cs : "");
        nout++;
        break;
    default:
        break;
    }
    for (i = 0; i < fn->nargs; i++) {
        int t = fn->args[i];
        if (!is_pointer(t)) {
            continue;
        }
        if (t == NN4N_T_SBUF) {
            outs[nout] = mxCreateString(strings[i]);
        }
        nout++;
    }
    for (i = 0; i < fn->nargs; i++) {
        if (strings[i] != NULL) {
            mxFree(strings[i]);
        }
    }
    if (nlhs > nout) {
        mexErrMsgIdAndTxt("nn4n:mex:nargout", "%s gives at most %d outputs", fname, nout);
    }
    for (i = 0; i < nout; i++) {
        if (i < want) {
            plhs[i] = outs[i] != NULL ? outs[i] : mxCreateDoubleMatrix(0, 0, mxREAL);
        } else if (outs[i] != NULL) {
            mxDestroyArray(outs[i]);
        }
    }
}
