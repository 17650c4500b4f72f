/* SPDX-License-Identifier: MIT */
/*
 * reference.c: expected values for the Octave tests, computed through the C ABI
 * directly (no MATLAB binding in between), for fixed seeds.
 *
 *   cc -std=c99 -I include reference.c -L build -lnn4n -o reference
 *   ./reference out.txt
 *
 * Each line of the output is "name rows cols v1 v2 ... v(rows*cols)", the
 * values of a row-major rows-by-cols array printed with 17 significant digits
 * (exact round trip). 3-d batch-first arrays B-by-T-by-X are written with
 * rows = B and cols = T*X. tests/test_reference.m redoes every step through
 * the +nn4n package and compares.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn4n.h"

static FILE *out;

static void check(int32_t st, const char *what)
{
    if (st != NN4N_OK) {
        char msg[1024];
        nn4n_last_error(msg, sizeof msg);
        fprintf(stderr, "reference: %s: %s (%s)\n", what, nn4n_status_name(st), msg);
        exit(1);
    }
}

static void put(const char *name, const double *v, int64_t rows, int64_t cols)
{
    int64_t i;
    fprintf(out, "%s %lld %lld", name, (long long)rows, (long long)cols);
    for (i = 0; i < rows * cols; i++) {
        fprintf(out, " %.17g", v[i]);
    }
    fprintf(out, "\n");
}

static void put_model_array(uint64_t m, const char *key, const char *name)
{
    int64_t r, c;
    double *buf;
    check(nn4n_model_shape(m, key, &r, &c), key);
    buf = calloc((size_t)(r * c + 1), sizeof(double));
    check(nn4n_model_get_array(m, key, buf, r * c), key);
    put(name, buf, r, c);
    free(buf);
}

static void put_grad(uint64_t m, const char *key, const char *name)
{
    int64_t r, c;
    double *buf;
    check(nn4n_model_shape(m, key, &r, &c), key);
    buf = calloc((size_t)(r * c + 1), sizeof(double));
    check(nn4n_model_get_grad(m, key, buf, r * c), key);
    put(name, buf, r, c);
    free(buf);
}

static void put_structure_array(uint64_t s, const char *key, const char *name)
{
    int64_t r, c;
    double *buf;
    check(nn4n_structure_shape(s, key, &r, &c), key);
    buf = calloc((size_t)(r * c + 1), sizeof(double));
    check(nn4n_structure_get_array(s, key, buf, r * c), key);
    put(name, buf, r, c);
    free(buf);
}

static void put_terms(uint64_t m, const char *prefix)
{
    int64_t n, k;
    check(nn4n_model_term_count(m, &n), "term_count");
    for (k = 0; k < n; k++) {
        char name[64], full[160];
        double v;
        check(nn4n_model_term(m, k, name, sizeof name, &v), "term");
        snprintf(full, sizeof full, "%s.%s", prefix, name);
        put(full, &v, 1, 1);
    }
}

enum { I = 3, N = 6, O = 2, B = 2, T = 5 };

int main(int argc, char **argv)
{
    uint64_t m, obj, opt, s, m2;
    double u[B * T * I], tg[B * T * O], y[B * T * O], r[B * T * N], x[B * T * N];
    double state[B * N], ustep[B * I], rs[B * N], ys[B * O], x0[N];
    double one;
    int64_t done;
    int b, t, i, k;

    if (argc != 2) {
        fprintf(stderr, "usage: reference out.txt\n");
        return 2;
    }
    out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return 1;
    }
    check(nn4n_set_num_threads(1), "set_num_threads");

    /* A: a model and its weights; a deterministic forward pass. */
    check(nn4n_model_create(I, N, O, NN4N_FLOAT64, 11, &m), "create");
    check(nn4n_model_set_str(m, "activation", "tanh"), "activation");
    check(nn4n_model_set_f64(m, "training", 0), "training");
    put_model_array(m, "w_in", "w_in");
    put_model_array(m, "w_rec", "w_rec");
    put_model_array(m, "w_out", "w_out");
    put_model_array(m, "alpha", "alpha");
    put_model_array(m, "x0", "x0");
    for (k = 0; k < B * T * I; k++) {
        u[k] = sin(0.3 * k + 0.1); /* u[(b*T + t)*I + i] */
    }
    for (k = 0; k < B * T * O; k++) {
        tg[k] = 0.5 * cos(0.2 * k);
    }
    put("u", u, B, T * I);
    put("target", tg, B, T * O);
    check(nn4n_model_forward(m, u, B * T * I, B, T, NULL, 0, y, B * T * O, r, B * T * N, x, B * T * N),
          "forward");
    put("y", y, B, T * O);
    put("r", r, B, T * N);
    put("x", x, B, T * N);

    /* x0 given per trial (B-by-N). */
    {
        double x0b[B * N], y2[B * T * O];
        for (k = 0; k < B * N; k++) {
            x0b[k] = 0.05 * (k + 1);
        }
        put("x0b", x0b, B, N);
        check(nn4n_model_forward(m, u, B * T * I, B, T, x0b, B * N, y2, B * T * O, NULL, 0, NULL, 0),
              "forward x0");
        put("y_x0b", y2, B, T * O);
    }

    /* B: one simulator step from x0 with the inputs of t = 0. */
    check(nn4n_model_get_array(m, "x0", x0, N), "x0");
    for (b = 0; b < B; b++) {
        for (i = 0; i < N; i++) {
            state[b * N + i] = x0[i];
        }
        for (i = 0; i < I; i++) {
            ustep[b * I + i] = u[(b * T + 0) * I + i];
        }
    }
    check(nn4n_model_step(m, B, state, B * N, ustep, B * I, rs, B * N, ys, B * O), "step");
    put("step_x", state, B, N);
    put("step_r", rs, B, N);
    put("step_y", ys, B, O);

    /* C: Song-Yang gradients (with a 0/1 error mask) and loss. */
    {
        double mask[B * T * O];
        for (b = 0; b < B; b++) {
            for (t = 0; t < T; t++) {
                for (k = 0; k < O; k++) {
                    mask[(b * T + t) * O + k] = t >= 2 ? 1.0 : 0.0;
                }
            }
        }
        put("mask", mask, B, T * O);
        check(nn4n_objective_create("songyang", &obj), "objective");
        check(nn4n_objective_set_f64(obj, "lambda2_r", 0.1), "lambda2_r");
        check(nn4n_model_gradient(m, obj, u, B * T * I, tg, B * T * O, mask, B * T * O, NULL, 0, B, T),
              "gradient");
        put_grad(m, "w_in", "g_w_in");
        put_grad(m, "w_rec", "g_w_rec");
        put_grad(m, "w_out", "g_w_out");
        put_terms(m, "gterm");
        check(nn4n_model_loss(m, obj, u, B * T * I, tg, B * T * O, mask, B * T * O, NULL, 0, B, T, y,
                              B * T * O), "loss");
        put_terms(m, "lterm");
    }

    /* D: three Adam updates (lr 0.01) on the batch. */
    check(nn4n_optimizer_create("adam", &opt), "optimizer");
    check(nn4n_optimizer_set_f64(opt, "lr", 0.01), "lr");
    check(nn4n_model_train(m, obj, opt, u, B * T * I, tg, B * T * O, NULL, 0, NULL, 0, B, T, 3, &done),
          "train");
    one = (double)done;
    put("train_done", &one, 1, 1);
    put_model_array(m, "w_rec", "trained_w_rec");
    put_model_array(m, "w_out", "trained_w_out");
    put_terms(m, "tterm");

    /* E: a multi-area E/I structure and a model built on it. */
    check(nn4n_structure_create("multi_area_ei", 2, 12, 1, &s), "structure");
    {
        double in_areas[1] = {0}, out_areas[1] = {1};
        check(nn4n_structure_set_f64(s, "n_areas", 2), "n_areas");
        check(nn4n_structure_set_f64(s, "seed", 5), "seed");
        check(nn4n_structure_set_array(s, "input_areas", in_areas, 1), "input_areas");
        check(nn4n_structure_set_array(s, "readout_areas", out_areas, 1), "readout_areas");
    }
    check(nn4n_structure_build(s), "build");
    put_structure_array(s, "input_mask", "s_input_mask");
    put_structure_array(s, "hidden_mask", "s_hidden_mask");
    put_structure_array(s, "readout_mask", "s_readout_mask");
    put_structure_array(s, "hidden_sign", "s_hidden_sign");
    put_structure_array(s, "unit_sign", "s_unit_sign");
    check(nn4n_model_create_from_structure(s, NN4N_FLOAT64, 9, &m2), "create_from_structure");
    put_model_array(m2, "w_rec_eff", "s_w_rec_eff");
    put_model_array(m2, "w_in_eff", "s_w_in_eff");

    /* F: task conditions and psychometric curves. mante: one trial per row
     * of a conditions table (a catch row last), seed 7. rdm_dense: 8 trials
     * at each of 5 signed coherences, seed 8, synthetic outputs whose
     * choices overlap between stimuli (so the fit exists), the curve of
     * output 0 and its fit. */
    {
        enum { C = NN4N_TASK_CONDITION_COLUMNS, MB = 5, PB = 40, NS = 5 };
        static const double mrow[MB][5] = {
            /* context, coh_motion, coh_colour, sign_motion, sign_colour */
            {1, 5, 15, 1, -1}, {2, 5, 15, 1, -1}, {1, 50, 5, -1, 1}, {2, 15, 50, -1, -1}, {0, 0, 0, 0, 0}};
        static const double sc[NS] = {-12.8, -3.2, 0, 3.2, 12.8};
        double req[PB * C], table[3 * NS], fit[4], *yp;
        uint64_t tk;
        int64_t rows, cols, points, Tp;
        const char *keys[4] = {"input", "target", "mask", "conditions"};

        memset(req, 0, sizeof req);
        for (b = 0; b < MB; b++) {
            for (k = 0; k < 5; k++) {
                req[b * C + 4 + k] = mrow[b][k];
            }
        }
        req[(MB - 1) * C + 0] = 1; /* catch */
        put("mante_request", req, MB, C);
        check(nn4n_task_create("mante", 20, &tk), "task mante");
        check(nn4n_task_sample_conditions(tk, req, MB * C, 7), "sample_conditions mante");
        for (k = 0; k < 4; k++) {
            char name[64];
            double *buf;
            check(nn4n_task_shape(tk, keys[k], &rows, &cols), keys[k]);
            buf = calloc((size_t)(rows * cols + 1), sizeof(double));
            check(nn4n_task_get_array(tk, keys[k], buf, rows * cols), keys[k]);
            snprintf(name, sizeof name, "mante_%s", keys[k]);
            put(name, buf, rows, cols);
            free(buf);
        }
        check(nn4n_task_free(tk), "free");

        memset(req, 0, sizeof req);
        for (b = 0; b < PB; b++) {
            double s_ = sc[b % NS];
            req[b * C + 2] = fabs(s_);
            req[b * C + 3] = s_ < 0 ? -1 : 1;
        }
        put("psy_request", req, PB, C);
        check(nn4n_task_create("rdm_dense", 20, &tk), "task rdm_dense");
        check(nn4n_task_sample_conditions(tk, req, PB * C, 8), "sample_conditions rdm_dense");
        check(nn4n_task_shape(tk, "target", &rows, &cols), "target");
        Tp = cols / O;
        yp = calloc((size_t)(PB * Tp * O), sizeof(double));
        for (b = 0; b < PB; b++) {
            for (t = 0; t < Tp; t++) {
                yp[(b * Tp + t) * O + 0] = sin(1.7 * b + 0.3) + 0.2 * sc[b % NS];
            }
        }
        put("psy_y", yp, PB, Tp * O);
        check(nn4n_task_psychometric(tk, yp, PB * Tp * O, 0, NULL, 0, &points, NULL, 0), "psychometric size");
        if (points != NS) {
            fprintf(stderr, "reference: psychometric: %lld points, want %d\n", (long long)points, NS);
            return 1;
        }
        check(nn4n_task_psychometric(tk, yp, PB * Tp * O, 0, table, 3 * NS, &points, fit, 4), "psychometric");
        put("psy_table", table, NS, 3);
        put("psy_fit", fit, 1, 4);
        free(yp);
        check(nn4n_task_free(tk), "free");
    }

    check(nn4n_model_free(m2), "free");
    check(nn4n_structure_free(s), "free");
    check(nn4n_optimizer_free(opt), "free");
    check(nn4n_objective_free(obj), "free");
    check(nn4n_model_free(m), "free");
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
