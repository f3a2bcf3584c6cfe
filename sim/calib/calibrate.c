/* Preparing and running a calibration (include/asylsim/calib.h): loads the base scenario (and
 * its copy shortened to run_end) and the targets, binds the targets to the simulated months,
 * fixes each target's sd, notes what the user should know about the setup, runs the method
 * (abc.c or smm.c) and then the fitted scenario for the fit table. Also the pieces both methods
 * share: simulating a batch of candidates and the distance of one replication to the targets. */
#include "asylsim/calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "internal.h"

struct as_calib {
    const as_calib_spec *spec; /* borrowed */
    as_cal_base base;
    as_targets *targets;
    double *sd;
    char **notes;
    size_t n_notes;
};

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

void as_calib_destroy(as_calib *c)
{
    if (!c) {
        return;
    }
    as_cal_base_finish(&c->base);
    as_targets_destroy(c->targets);
    free(c->sd);
    for (size_t k = 0; k < c->n_notes; k++) {
        free(c->notes[k]);
    }
    free(c->notes);
    free(c);
}

static as_status add_note(as_calib *c, const char *text, as_error *err)
{
    char **grown = realloc(c->notes, (c->n_notes + 1) * sizeof *grown);
    if (!grown) {
        return nomem(err);
    }
    c->notes = grown;
    c->notes[c->n_notes] = strdup(text);
    if (!c->notes[c->n_notes]) {
        return nomem(err);
    }
    c->n_notes++;
    return AS_OK;
}

as_status as_calib_prepare(const as_calib_spec *spec, as_calib **out, as_error *err)
{
    *out = NULL;
    as_calib *c = calloc(1, sizeof *c);
    if (!c) {
        return nomem(err);
    }
    c->spec = spec;
    as_status st = as_scn_stat_named(spec->base_path, "base scenario", spec->path, spec->base_line,
                                     "base", NULL, err);
    if (st == AS_OK) {
        st = as_scn_stat_named(spec->targets_path, "targets file", spec->path, spec->targets_line,
                               "targets", NULL, err);
    }
    if (st == AS_OK) {
        st = as_cal_base_init(&c->base, spec->base_path, spec->run_end, err);
    }
    if (st != AS_OK && err->file[0] == '\0') {
        snprintf(err->file, sizeof err->file, "%s", spec->path);
    }
    for (size_t k = 0; st == AS_OK && k < spec->n_params; k++) {
        const as_param *p = &spec->params[k];
        const as_setting_def *d = &as_schema[p->id];
        if (d->type == AS_T_DATED && !p->scale && as_scn_dated(c->base.full, p->id)->n > 1) {
            char note[512];
            snprintf(note, sizeof note,
                     "%s is dated in the base scenario (%zu steps); the fit replaces it by one "
                     "constant in both phases (scale = true would keep its shape)",
                     d->name, as_scn_dated(c->base.full, p->id)->n);
            st = add_note(c, note, err);
        }
    }
    if (st == AS_OK) {
        st = as_targets_load(spec->targets_path, &c->targets, err);
    }
    as_grid g = {0};
    if (st == AS_OK) {
        st = as_grid_init(&g, c->base.short_scn) == AS_OK ? AS_OK : nomem(err);
    }
    if (st == AS_OK) {
        st = as_targets_bind(c->targets, &g, err);
        as_grid_finish(&g);
    }
    if (st == AS_OK) {
        size_t n = as_targets_count(c->targets);
        c->sd = malloc(n * sizeof *c->sd);
        if (!c->sd) {
            st = nomem(err);
        }
        for (size_t k = 0; st == AS_OK && k < n; k++) {
            const as_target *t = as_targets_get(c->targets, k);
            c->sd[k] = t->sd > 0 ? t->sd : spec->default_rel_sd * fabs(t->value);
        }
    }
    if (st != AS_OK) {
        as_calib_destroy(c);
        return st;
    }
    *out = c;
    return AS_OK;
}

size_t as_calib_notes(const as_calib *c, const char *const **notes)
{
    *notes = (const char *const *)c->notes;
    return c->n_notes;
}

const as_calib_spec *as_calib_spec_of(const as_calib *c)
{
    return c->spec;
}

const as_targets *as_calib_targets(const as_calib *c)
{
    return c->targets;
}

double as_calib_target_sd(const as_calib *c, size_t i)
{
    return c->sd[i];
}

const as_scenario *as_calib_base(const as_calib *c)
{
    return c->base.full;
}

/* ---- shared by the methods ---- */

double as_cal_distance(const as_cal_problem *pb, const as_run_set *s, uint32_t r)
{
    size_t n = as_targets_count(pb->targets);
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        const as_target *t = as_targets_get(pb->targets, k);
        double v = as_target_value(t, s, r);
        if (!isfinite(v)) {
            return INFINITY;
        }
        double z = (v - t->value) / pb->sd[k];
        sum += z * z;
    }
    return sqrt(sum / (double)n);
}

typedef struct tick_ctx {
    const as_calib_opts *o;
    void (*tick)(void *ctx, uint64_t done);
    void *tick_ctx;
} tick_ctx;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    tick_ctx *t = ctx;
    if (t->tick) {
        t->tick(t->tick_ctx, done);
    }
}

static int on_stop(void *ctx)
{
    tick_ctx *t = ctx;
    return t->o->should_stop ? t->o->should_stop(t->o->ctx) : 0;
}

as_status as_cal_simulate(const as_cal_problem *pb,
                          as_scenario *const *scn,
                          size_t n,
                          uint32_t reps,
                          uint64_t seed,
                          const as_calib_opts *o,
                          void (*tick)(void *ctx, uint64_t done),
                          void *tick_ctx_arg,
                          as_run_set **sets,
                          as_error *err)
{
    (void)pb;
    tick_ctx t = {o, tick, tick_ctx_arg};
    as_run_opts ro = {
            .reps = reps,
            .seed = seed,
            .threads = o->threads ? o->threads : 1,
            .should_stop = on_stop,
            .progress = on_progress,
            .ctx = &t,
            .max_rss = o->max_rss,
            .max_rss_what = o->max_rss_what,
            /* MPI (parallel.h): every rank runs the method and must take the same decisions. */
            .everywhere = 1,
    };
    return as_run_scenarios((const as_scenario *const *)scn, n, &ro, sets, err);
}

void as_cal_weighted_quantiles(const double *x,
                               const double *w,
                               size_t n,
                               const double *q,
                               size_t nq,
                               double *out,
                               size_t *perm)
{
    gsl_sort_index(perm, x, 1, n);
    for (size_t j = 0; j < nq; j++) {
        /* The smallest x whose cumulative weight reaches q (the weights sum to 1). */
        double cum = 0;
        out[j] = x[perm[n - 1]];
        for (size_t k = 0; k < n; k++) {
            cum += w[perm[k]];
            if (cum >= q[j]) {
                out[j] = x[perm[k]];
                break;
            }
        }
    }
}

/* ---- running ---- */

void as_calib_result_destroy(as_calib_result *r)
{
    if (!r) {
        return;
    }
    free(r->estimate);
    free(r->sd);
    free(r->q05);
    free(r->q50);
    free(r->q95);
    free(r->particles);
    free(r->weights);
    free(r->distances);
    free(r->populations);
    free(r->fit_mean);
    free(r->fit_p05);
    free(r->fit_p95);
    free(r);
}

as_status
as_calib_fitted_scenario(const as_calib *c, const double *values, as_scenario **out, as_error *err)
{
    return as_cal_candidate(&c->base, 1, c->spec->params, c->spec->n_params, values, out, err);
}

typedef struct fit_tick {
    const as_calib_opts *o;
    uint64_t base, total;
} fit_tick;

static void fit_progress(void *ctx, uint64_t done)
{
    fit_tick *f = ctx;
    if (f->o->progress) {
        as_calib_progress p = {.stage = "fit",
                               .step = 1,
                               .steps = 1,
                               .done = done,
                               .total = f->total,
                               .simulated = f->base + done,
                               .tolerance = NAN,
                               .acceptance = NAN};
        f->o->progress(f->o->ctx, &p);
    }
}

/* Runs the estimate on the calibration horizon for spec->fit_replications and fills the fit. */
static as_status run_fit(as_calib *c,
                         const as_cal_problem *pb,
                         const as_calib_opts *o,
                         as_calib_result *r,
                         as_error *err)
{
    as_scenario *scn = NULL;
    as_status st = as_cal_candidate(&c->base, 0, c->spec->params, c->spec->n_params, r->estimate,
                                    &scn, err);
    st = as_par_agree(st, err); /* MPI: no rank waits in the fit run for one that failed */
    if (st != AS_OK) {
        as_scenario_destroy(scn);
        scn = NULL;
        /* The point estimate itself can fail a cross-check (a mean of valid particles need not
         * be valid): say which. */
        as_cal_error_prefix(err, "the estimate is not a valid scenario: ");
        snprintf(err->file, sizeof err->file, "%s", c->spec->path);
        err->line = 0;
        return st;
    }
    uint32_t reps = c->spec->fit_replications;
    fit_tick ft = {o, r->simulations, reps};
    as_run_set *sets = NULL;
    st = as_cal_simulate(pb, &scn, 1, reps, o->seed, o, fit_progress, &ft, &sets, err);
    as_scenario_destroy(scn);
    if (st != AS_OK) {
        return st;
    }
    r->simulations += reps;
    r->fit_reps = reps;
    size_t n = as_targets_count(c->targets);
    r->n_targets = n;
    r->fit_mean = malloc(n * sizeof *r->fit_mean);
    r->fit_p05 = malloc(n * sizeof *r->fit_p05);
    r->fit_p95 = malloc(n * sizeof *r->fit_p95);
    double *v = malloc(2 * (size_t)reps * sizeof *v);
    if (!r->fit_mean || !r->fit_p05 || !r->fit_p95 || !v) {
        free(v);
        as_run_sets_free(sets, 1);
        return nomem(err);
    }
    for (size_t k = 0; k < n; k++) {
        const as_target *t = as_targets_get(c->targets, k);
        size_t m = 0;
        for (uint32_t rep = 0; rep < reps; rep++) {
            double x = as_target_value(t, &sets[0], rep);
            if (isfinite(x)) {
                v[m++] = x;
            }
        }
        if (m == 0) {
            r->fit_mean[k] = r->fit_p05[k] = r->fit_p95[k] = NAN;
            continue;
        }
        as_summary sm;
        as_summarize(v, m, v + reps, &sm);
        r->fit_mean[k] = sm.mean;
        r->fit_p05[k] = sm.p05;
        r->fit_p95[k] = sm.p95;
    }
    free(v);
    as_run_sets_free(sets, 1);
    return AS_OK;
}

as_status as_calib_run(as_calib *c, const as_calib_opts *o, as_calib_result **out, as_error *err)
{
    *out = NULL;
    as_calib_result *r = calloc(1, sizeof *r);
    size_t k = c->spec->n_params;
    if (!r) {
        return nomem(err);
    }
    r->method = c->spec->method;
    r->seed = o->seed;
    r->n_params = k;
    r->estimate = calloc(k, sizeof *r->estimate);
    r->sd = calloc(k, sizeof *r->sd);
    r->q05 = calloc(k, sizeof *r->q05);
    r->q50 = calloc(k, sizeof *r->q50);
    r->q95 = calloc(k, sizeof *r->q95);
    if (!r->estimate || !r->sd || !r->q05 || !r->q50 || !r->q95) {
        as_calib_result_destroy(r);
        return nomem(err);
    }
    as_cal_problem pb = {c->spec, &c->base, c->targets, c->sd};
    as_status st = c->spec->method == AS_CALIB_ABC_SMC ? as_cal_abc(&pb, o, r, err)
                                                       : as_cal_smm(&pb, o, r, err);
    /* The estimate to 6 significant digits, as fitted.cfg writes it and the fit runs it. */
    for (size_t j = 0; st == AS_OK && j < k; j++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.6g", r->estimate[j]);
        r->estimate[j] = strtod(buf, NULL);
    }
    if (st == AS_OK) {
        st = run_fit(c, &pb, o, r, err);
    }
    if (st != AS_OK) {
        as_calib_result_destroy(r);
        return st;
    }
    *out = r;
    return AS_OK;
}
