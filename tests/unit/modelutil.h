/* Helpers of the model tests: load a fixture scenario (folder given on the command line) and run
 * replications into arrays. Header-only so each test program stands alone. */
#ifndef ASYLSIM_MODELUTIL_H
#define ASYLSIM_MODELUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/model.h"
#include "asylsim/scenario.h"

/* The results of `reps` replications: v[(r * AS_N_INDICATORS + i) * n_months + m] and
 * budget[(r * AS_N_BUDGET_ROWS + b) * n_months + m]. */
typedef struct mt_runs {
    uint32_t reps;
    int n_months;
    as_grid grid;
    double *v, *budget;
    as_queue_stats *qstats; /* one per replication */
} mt_runs;

static inline as_scenario *mt_load(const char *dir, const char *name)
{
    char path[1024];
    if (name[0] == '/' || !dir || !dir[0]) {
        snprintf(path, sizeof path, "%s", name); /* a path of its own */
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, name);
    }
    as_scenario *s = NULL;
    as_error err;
    if (as_scenario_load(path, &s, &err) != AS_OK) {
        char buf[1400];
        as_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "cannot load %s: %s\n", path, buf);
        exit(EXIT_FAILURE);
    }
    return s;
}

static inline void
mt_run(const as_scenario *s, uint64_t seed, uint32_t reps, double warm_days, mt_runs *out)
{
    as_error err;
    as_model *m = as_model_create(s, &err);
    if (!m || as_grid_init(&out->grid, s) != AS_OK) {
        fprintf(stderr, "cannot create the model: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    as_model_set_warmup(m, warm_days);
    int nm = out->grid.n_months;
    out->reps = reps;
    out->n_months = nm;
    size_t per = AS_N_INDICATORS * (size_t)nm, perb = AS_N_BUDGET_ROWS * (size_t)nm;
    out->v = calloc(per * reps, sizeof *out->v);
    out->budget = calloc(perb * reps, sizeof *out->budget);
    out->qstats = calloc(reps, sizeof *out->qstats);
    for (uint32_t r = 0; r < reps; r++) {
        as_obs obs = {nm, out->v + per * r, out->budget + perb * r, NULL};
        if (as_model_run(m, seed, r, &obs, NULL, &err) != AS_OK) {
            fprintf(stderr, "replication %u failed: %s\n", (unsigned)r, err.msg);
            exit(EXIT_FAILURE);
        }
        as_model_queue_stats(m, &out->qstats[r]);
    }
    as_model_destroy(m);
}

static inline void mt_free(mt_runs *x)
{
    free(x->v);
    free(x->budget);
    free(x->qstats);
    as_grid_finish(&x->grid);
}

static inline double mt_v(const mt_runs *x, uint32_t r, int ind, int m)
{
    return x->v[((size_t)r * AS_N_INDICATORS + (size_t)ind) * (size_t)x->n_months + (size_t)m];
}

static inline double mt_b(const mt_runs *x, uint32_t r, int row, int m)
{
    return x->budget[((size_t)r * AS_N_BUDGET_ROWS + (size_t)row) * (size_t)x->n_months +
                     (size_t)m];
}

/* Sum of indicator `ind` over the months of calendar year `year` in replication r (flows). */
static inline double mt_year_sum(const mt_runs *x, uint32_t r, int ind, int year)
{
    double s = 0;
    for (int m = 0; m < x->n_months; m++) {
        char label[8];
        as_grid_label(&x->grid, m, label);
        if (atoi(label) == year) {
            s += mt_v(x, r, ind, m);
        }
    }
    return s;
}

/* Value of stock `ind` at the end of December of `year` in replication r. */
static inline double mt_year_end(const mt_runs *x, uint32_t r, int ind, int year)
{
    for (int m = 0; m < x->n_months; m++) {
        char label[8];
        as_grid_label(&x->grid, m, label);
        if (atoi(label) == year && strcmp(label + 5, "12") == 0) {
            return mt_v(x, r, ind, m);
        }
    }
    return NAN;
}

#endif
