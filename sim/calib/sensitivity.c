/* Sensitivity analysis (include/asylsim/calib.h): which assumptions drive chosen outputs.
 *
 * Parameters vary over [lower, upper] (linearly, or in log for a log-uniform range); a unit
 * coordinate x in [0, 1] maps onto that scale (as_param_from_unit). Every design point is a
 * scenario with the parameters set (as in calibration: a constant in both phases, or the base's
 * dated function scaled) and runs `replications` replications with the same seed (common random
 * numbers), so an output is a fixed function of the point: the mean over replications of an
 * indicator or budget total over a period.
 *   One at a time (OAT): the unchanged scenario, and each parameter alone at its lower and upper
 *   bound: the swings of the tornado plot. 2k + 1 points.
 *   Morris elementary effects (Morris 1991; mu* of Campolongo, Cariboni and Saltelli 2007): r
 *   trajectories on a grid of p levels with the step p / (2 (p - 1)); each moves one coordinate at
 *   a time. mu* = mean |EE|, sigma = sd(EE), in output units per whole range. r (k + 1) points.
 *   Sobol indices with Saltelli sampling: random matrices A and B (N x k) and A_B^i (A with column
 *   i of B); first order S_i by Saltelli et al. 2010 (mean f_B (f_ABi - f_A) / V), total ST_i by
 *   Jansen 1999 (mean (f_A - f_ABi)^2 / 2V), V the variance of f over A and B; 95% confidence
 *   half-widths from `bootstrap` resamples of the N rows. N (k + 2) points.
 * The random draws (trajectories, matrices, resamples) come from the algorithms' Philox stream
 * (internal.h), never from a model stream. */
#include "asylsim/calib.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "as_config.h"
#include "asylsim/calendar.h"
#include "asylsim/model.h"
#include "internal.h"

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

void as_sens_result_destroy(as_sens_result *r)
{
    if (!r) {
        return;
    }
    free(r->idx);
    free(r->center);
    free(r->variance);
    free(r);
}

/* ---- outputs ---- */

static as_status
bind_outputs(const as_sens_spec *sp, as_sens_output *outs, const as_scenario *s, as_error *err)
{
    as_grid g;
    if (as_grid_init(&g, s) != AS_OK) {
        return nomem(err);
    }
    as_status st = AS_OK;
    for (size_t k = 0; k < sp->n_outputs && st == AS_OK; k++) {
        as_sens_output *o = &outs[k];
        int kind = o->ind >= 0 && !o->agg_explicit ? (int)as_indicators[o->ind].kind : AS_KIND_FLOW;
        char msg[256];
        if (as_period_bind(&o->per, kind, &g, &o->span, msg, sizeof msg) != 0) {
            char name[64];
            snprintf(name, sizeof name, "outputs[%zu].period", k + 1);
            st = as_error_set(err, AS_ERR_INPUT, sp->path, o->file_line, name, "%s %s", o->period,
                              msg);
        }
        if (o->agg_explicit) {
            o->span.agg = o->agg;
        }
    }
    as_grid_finish(&g);
    return st;
}

/* The value of output o in replication r of set s. */
static double output_value(const as_sens_output *o, const as_run_set *s, uint32_t r)
{
    size_t nm = (size_t)s->grid.n_months;
    if (o->ind >= 0) {
        return as_span_apply(&o->span,
                             s->obs + ((size_t)r * AS_N_INDICATORS + (size_t)o->ind) * nm);
    }
    double v = 0;
    for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
        if ((!o->line[0] || strcmp(as_budget_rows[b].line, o->line) == 0) &&
            (!o->payer[0] || strcmp(as_budget_rows[b].payer, o->payer) == 0)) {
            v += as_span_apply(&o->span,
                               s->budget + ((size_t)r * AS_N_BUDGET_ROWS + (size_t)b) * nm);
        }
    }
    return v;
}

/* ---- evaluating design points ---- */

typedef struct sens {
    const as_sens_spec *sp;
    const as_sens_output *outs;
    const as_calib_opts *o;
    as_cal_base base;
    size_t k, n_out;
    uint64_t seed;
    as_sens_result *res;
    as_calib_progress prog;
    uint64_t sims_before;
    as_error *err;
} sens;

static void tick(void *ctx, uint64_t done)
{
    sens *s = ctx;
    s->prog.simulated = s->sims_before + done;
    if (s->o->progress) {
        s->o->progress(s->o->ctx, &s->prog);
    }
}

/* Evaluates n points: vals[i * k + j] is parameter j's value at point i (NAN: the base's own);
 * y[i * n_out + o] receives the outputs. */
static as_status evaluate(sens *s, const char *stage, const double *vals, size_t n, double *y)
{
    size_t k = s->k, B = s->sp->batch;
    as_scenario **scn = calloc(B, sizeof *scn);
    as_param *sub = malloc(k * sizeof *sub);
    double *sv = malloc(k * sizeof *sv);
    as_status st = scn && sub && sv ? AS_OK : nomem(s->err);
    s->prog.stage = stage;
    s->prog.total = n;
    s->prog.done = 0;
    for (size_t first = 0; st == AS_OK && first < n; first += B) {
        size_t nb = n - first < B ? n - first : B;
        size_t built = 0;
        for (; built < nb && st == AS_OK; built++) {
            const double *v = vals + (first + built) * k;
            size_t m = 0;
            for (size_t j = 0; j < k; j++) {
                if (!isnan(v[j])) {
                    sub[m] = s->sp->params[j];
                    sv[m++] = v[j];
                }
            }
            scn[built] = NULL;
            if (m > 0) {
                st = as_cal_candidate(&s->base, 0, sub, m, sv, &scn[built], s->err);
                if (st == AS_ERR_INPUT) {
                    char pre[160];
                    snprintf(pre, sizeof pre,
                             "%s point %zu is not a valid scenario (narrow the "
                             "ranges): ",
                             stage, first + built + 1);
                    as_cal_error_prefix(s->err, pre);
                    snprintf(s->err->file, sizeof s->err->file, "%s", s->sp->path);
                    s->err->line = 0;
                }
            }
        }
        if (st != AS_OK) {
            built -= built > 0;
        }
        as_run_set *sets = NULL;
        const as_scenario **run = NULL;
        if (st == AS_OK && !(run = malloc(nb * sizeof *run))) {
            st = nomem(s->err);
        }
        /* MPI: a rank that failed alone (out of memory) must not leave the others waiting in
         * the simulation's collectives. */
        st = as_par_agree(st, s->err);
        if (st == AS_OK) {
            /* The unchanged scenario stands in where no parameter is set. */
            for (size_t i = 0; i < nb; i++) {
                run[i] = scn[i] ? scn[i] : s->base.short_scn;
            }
            s->sims_before = s->res->simulations;
            st = as_cal_simulate(NULL, (as_scenario *const *)run, nb, s->sp->replications, s->seed,
                                 s->o, tick, s, &sets, s->err);
        }
        free(run);
        for (size_t i = 0; i < built; i++) {
            as_scenario_destroy(scn[i]);
            scn[i] = NULL;
        }
        if (st != AS_OK) {
            break;
        }
        s->res->simulations += (uint64_t)nb * s->sp->replications;
        s->res->points += nb;
        for (size_t i = 0; i < nb; i++) {
            for (size_t o = 0; o < s->n_out; o++) {
                double sum = 0;
                for (uint32_t r = 0; r < s->sp->replications; r++) {
                    sum += output_value(&s->outs[o], &sets[i], r);
                }
                y[(first + i) * s->n_out + o] = sum / s->sp->replications;
            }
        }
        as_run_sets_free(sets, nb);
        s->prog.done = first + nb;
        if (s->o->progress) {
            s->o->progress(s->o->ctx, &s->prog);
        }
    }
    free(scn);
    free(sub);
    free(sv);
    return st;
}

static as_sens_index *ix(sens *s, size_t o, size_t j)
{
    return &s->res->idx[o * s->k + j];
}

/* ---- one at a time ---- */

static as_status oat(sens *s)
{
    size_t k = s->k, n = 2 * k + 1;
    double *vals = malloc(n * k * sizeof *vals);
    double *y = malloc(n * s->n_out * sizeof *y);
    as_status st = vals && y ? AS_OK : nomem(s->err);
    if (st == AS_OK) {
        for (size_t i = 0; i < n * k; i++) {
            vals[i] = NAN;
        }
        for (size_t j = 0; j < k; j++) {
            vals[(1 + 2 * j) * k + j] = s->sp->params[j].lower;
            vals[(2 + 2 * j) * k + j] = s->sp->params[j].upper;
        }
        st = evaluate(s, "one-at-a-time", vals, n, y);
    }
    for (size_t o = 0; st == AS_OK && o < s->n_out; o++) {
        s->res->center[o] = y[o];
        for (size_t j = 0; j < k; j++) {
            ix(s, o, j)->low = y[(1 + 2 * j) * s->n_out + o];
            ix(s, o, j)->high = y[(2 + 2 * j) * s->n_out + o];
        }
    }
    free(vals);
    free(y);
    return st;
}

/* ---- Morris ---- */

static as_status morris(sens *s)
{
    size_t k = s->k, r = s->sp->morris_trajectories, n = r * (k + 1);
    unsigned p = s->sp->morris_levels;
    double delta = (double)p / (2.0 * (double)(p - 1));
    double *x = malloc(n * k * sizeof *x), *vals = malloc(n * k * sizeof *vals);
    double *y = malloc(n * s->n_out * sizeof *y);
    size_t *order = malloc(k * sizeof *order);
    int *moved = malloc(n * sizeof *moved); /* the coordinate point i moved, -1 for a start */
    gsl_rng *rng = as_cal_rng(s->seed, 1);
    as_status st = x && vals && y && order && moved && rng ? AS_OK : nomem(s->err);
    for (size_t t = 0; st == AS_OK && t < r; t++) {
        double *x0 = x + t * (k + 1) * k;
        for (size_t j = 0; j < k; j++) {
            /* A level from which the step stays inside [0, 1]: with p even, each level has one. */
            unsigned lv = (unsigned)gsl_rng_uniform_int(rng, p);
            x0[j] = (double)lv / (double)(p - 1);
            order[j] = j;
        }
        gsl_ran_shuffle(rng, order, k, sizeof *order);
        moved[t * (k + 1)] = -1;
        for (size_t step = 0; step < k; step++) {
            double *prev = x0 + step * k, *next = prev + k;
            memcpy(next, prev, k * sizeof *next);
            size_t j = order[step];
            next[j] = prev[j] + delta <= 1 + 1e-12 ? prev[j] + delta : prev[j] - delta;
            moved[t * (k + 1) + step + 1] = (int)j;
        }
    }
    for (size_t i = 0; st == AS_OK && i < n; i++) {
        for (size_t j = 0; j < k; j++) {
            vals[i * k + j] = as_param_from_unit(&s->sp->params[j], x[i * k + j]);
        }
    }
    if (st == AS_OK) {
        st = evaluate(s, "morris", vals, n, y);
    }
    for (size_t o = 0; st == AS_OK && o < s->n_out; o++) {
        for (size_t j = 0; j < k; j++) {
            ix(s, o, j)->mu = ix(s, o, j)->mu_star = ix(s, o, j)->sigma = 0;
        }
        /* Sums over trajectories, then mean and sd (n - 1). */
        double *sum = calloc(k, sizeof *sum), *sabs = calloc(k, sizeof *sabs),
               *ssq = calloc(k, sizeof *ssq);
        if (!sum || !sabs || !ssq) {
            free(sum);
            free(sabs);
            free(ssq);
            st = nomem(s->err);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (moved[i] < 0) {
                continue;
            }
            size_t j = (size_t)moved[i];
            double dx = x[i * k + j] - x[(i - 1) * k + j];
            double ee = (y[i * s->n_out + o] - y[(i - 1) * s->n_out + o]) / dx;
            sum[j] += ee;
            sabs[j] += fabs(ee);
            ssq[j] += ee * ee;
        }
        for (size_t j = 0; j < k; j++) {
            double m = sum[j] / (double)r;
            ix(s, o, j)->mu = m;
            ix(s, o, j)->mu_star = sabs[j] / (double)r;
            double var = (ssq[j] - (double)r * m * m) / (double)(r - 1);
            ix(s, o, j)->sigma = sqrt(var > 0 ? var : 0);
        }
        free(sum);
        free(sabs);
        free(ssq);
    }
    gsl_rng_free(rng);
    free(x);
    free(vals);
    free(y);
    free(order);
    free(moved);
    return st;
}

/* ---- Sobol ---- */

static double variance(const double *a, const double *b, size_t n, const size_t *pick)
{
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = pick ? pick[i] : i;
        m += a[r] + b[r];
    }
    m /= (double)(2 * n);
    for (size_t i = 0; i < n; i++) {
        size_t r = pick ? pick[i] : i;
        v += (a[r] - m) * (a[r] - m) + (b[r] - m) * (b[r] - m);
    }
    return v / (double)(2 * n - 1);
}

/* S_i and ST_i from the rows pick[0..n) (NULL: all rows). */
static void sobol_indices(const double *fa,
                          const double *fb,
                          const double *fab,
                          size_t n,
                          const size_t *pick,
                          double *s1,
                          double *st)
{
    double V = variance(fa, fb, n, pick);
    double a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = pick ? pick[i] : i;
        a += fb[r] * (fab[r] - fa[r]);
        b += (fa[r] - fab[r]) * (fa[r] - fab[r]);
    }
    *s1 = V > 0 ? a / (double)n / V : NAN;
    *st = V > 0 ? b / (2.0 * (double)n) / V : NAN;
}

static as_status sobol(sens *s)
{
    size_t k = s->k, N = s->sp->sobol_samples, n = N * (k + 2), no = s->n_out;
    double *A = malloc(N * k * sizeof *A), *Bm = malloc(N * k * sizeof *Bm);
    double *vals = malloc(n * k * sizeof *vals), *y = malloc(n * no * sizeof *y);
    double *fa = malloc(N * sizeof *fa), *fb = malloc(N * sizeof *fb),
           *fab = malloc(N * sizeof *fab);
    size_t *pick = malloc(N * sizeof *pick);
    uint32_t nboot = s->sp->bootstrap;
    double *bs1 = malloc((nboot ? nboot : 1) * sizeof *bs1);
    double *bst = malloc((nboot ? nboot : 1) * sizeof *bst);
    gsl_rng *rng = as_cal_rng(s->seed, 2);
    as_status st = A && Bm && vals && y && fa && fb && fab && pick && bs1 && bst && rng
                           ? AS_OK
                           : nomem(s->err);
    for (size_t i = 0; st == AS_OK && i < N * k; i++) {
        A[i] = gsl_rng_uniform(rng);
        Bm[i] = gsl_rng_uniform(rng);
    }
    /* Points: A rows, B rows, then A_B^i rows for each i. */
    for (size_t i = 0; st == AS_OK && i < N; i++) {
        for (size_t j = 0; j < k; j++) {
            const as_param *p = &s->sp->params[j];
            vals[i * k + j] = as_param_from_unit(p, A[i * k + j]);
            vals[(N + i) * k + j] = as_param_from_unit(p, Bm[i * k + j]);
            for (size_t c = 0; c < k; c++) {
                double u = c == j ? Bm[i * k + c] : A[i * k + c];
                vals[((2 + j) * N + i) * k + c] = as_param_from_unit(&s->sp->params[c], u);
            }
        }
    }
    if (st == AS_OK) {
        st = evaluate(s, "sobol", vals, n, y);
    }
    gsl_rng_free(rng);
    rng = st == AS_OK ? as_cal_rng(s->seed, 3) : NULL;
    if (st == AS_OK && !rng) {
        st = nomem(s->err);
    }
    for (size_t o = 0; st == AS_OK && o < no; o++) {
        for (size_t i = 0; i < N; i++) {
            fa[i] = y[i * no + o];
            fb[i] = y[(N + i) * no + o];
        }
        s->res->variance[o] = variance(fa, fb, N, NULL);
        for (size_t j = 0; j < k; j++) {
            for (size_t i = 0; i < N; i++) {
                fab[i] = y[((2 + j) * N + i) * no + o];
            }
            sobol_indices(fa, fb, fab, N, NULL, &ix(s, o, j)->s1, &ix(s, o, j)->st);
            for (uint32_t b = 0; b < nboot; b++) {
                for (size_t i = 0; i < N; i++) {
                    pick[i] = (size_t)gsl_rng_uniform_int(rng, N);
                }
                sobol_indices(fa, fb, fab, N, pick, &bs1[b], &bst[b]);
            }
            ix(s, o, j)->s1_conf = nboot > 1 ? 1.96 * gsl_stats_sd(bs1, 1, nboot) : NAN;
            ix(s, o, j)->st_conf = nboot > 1 ? 1.96 * gsl_stats_sd(bst, 1, nboot) : NAN;
        }
    }
    gsl_rng_free(rng);
    free(A);
    free(Bm);
    free(vals);
    free(y);
    free(fa);
    free(fb);
    free(fab);
    free(pick);
    free(bs1);
    free(bst);
    return st;
}

as_status as_sens_check(const as_sens_spec *sp, const char *scenario_path, as_error *err)
{
    as_cal_base b;
    as_status st = as_cal_base_init(&b, scenario_path, sp->run_end, err);
    if (st != AS_OK && err->file[0] == '\0') {
        snprintf(err->file, sizeof err->file, "%s", sp->path);
    }
    as_sens_output *outs = st == AS_OK ? malloc(sp->n_outputs * sizeof *outs) : NULL;
    if (st == AS_OK && !outs) {
        st = nomem(err);
    }
    if (st == AS_OK) {
        memcpy(outs, sp->outputs, sp->n_outputs * sizeof *outs);
        st = bind_outputs(sp, outs, b.short_scn, err);
    }
    free(outs);
    if (b.full) {
        as_cal_base_finish(&b);
    }
    return st;
}

as_status as_sens_run(const as_sens_spec *sp,
                      const char *scenario_path,
                      const as_calib_opts *o,
                      as_sens_result **out,
                      as_error *err)
{
    *out = NULL;
    sens s = {.sp = sp,
              .o = o,
              .k = sp->n_params,
              .n_out = sp->n_outputs,
              .seed = o->seed,
              .err = err};
    as_sens_output *outs = malloc(sp->n_outputs * sizeof *outs);
    as_sens_result *r = calloc(1, sizeof *r);
    if (!outs || !r) {
        free(outs);
        free(r);
        return nomem(err);
    }
    memcpy(outs, sp->outputs, sp->n_outputs * sizeof *outs);
    s.outs = outs;
    s.res = r;
    r->seed = o->seed;
    r->n_outputs = sp->n_outputs;
    r->n_params = sp->n_params;
    r->idx = malloc(sp->n_outputs * sp->n_params * sizeof *r->idx);
    r->center = malloc(sp->n_outputs * sizeof *r->center);
    r->variance = malloc(sp->n_outputs * sizeof *r->variance);
    as_status st = r->idx && r->center && r->variance ? AS_OK : nomem(err);
    for (size_t i = 0; st == AS_OK && i < sp->n_outputs * sp->n_params; i++) {
        r->idx[i] = (as_sens_index){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    }
    for (size_t i = 0; st == AS_OK && i < sp->n_outputs; i++) {
        r->center[i] = r->variance[i] = NAN;
    }
    if (st == AS_OK) {
        st = as_cal_base_init(&s.base, scenario_path, sp->run_end, err);
        if (st != AS_OK && err->file[0] == '\0') {
            snprintf(err->file, sizeof err->file, "%s", sp->path);
        }
        if (st == AS_OK) {
            snprintf(r->scenario, sizeof r->scenario, "%s", as_scn_name(s.base.full));
            r->scenario_hash = as_scenario_hash(s.base.full);
        }
    }
    if (st == AS_OK) {
        st = bind_outputs(sp, outs, s.base.short_scn, err);
    }
    s.prog.tolerance = s.prog.acceptance = NAN;
    if (st == AS_OK && sp->do_oat) {
        st = oat(&s);
    }
    if (st == AS_OK && sp->do_morris) {
        st = morris(&s);
    }
    if (st == AS_OK && sp->do_sobol) {
        st = sobol(&s);
    }
    if (s.base.full) {
        as_cal_base_finish(&s.base);
    }
    free(outs);
    if (st != AS_OK) {
        as_sens_result_destroy(r);
        return st;
    }
    *out = r;
    return AS_OK;
}

/* ---- writing ---- */

static void num(char *buf, size_t n, double x)
{
    if (isnan(x)) {
        buf[0] = '\0';
    } else {
        as_fmt_num(buf, n, x);
    }
}

static void param_name(const as_param *p, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", as_schema[p->id].name, p->scale ? ".scale" : "");
}

static as_status
write_indices(const as_sens_spec *sp, const as_sens_result *r, const as_outdir *od, as_error *err)
{
    static const char name[] = "sensitivity.csv";
    FILE *f = as_outdir_fopen(od, name, err);
    if (!f) {
        return err->code;
    }
    fputs("output,parameter,lower,upper,mu_star,mu,sigma,S1,S1_conf,ST,ST_conf,oat_low,oat_high\n",
          f);
    for (size_t o = 0; o < r->n_outputs; o++) {
        for (size_t j = 0; j < r->n_params && !ferror(f); j++) {
            const as_sens_index *x = &r->idx[o * r->n_params + j];
            const double v[] = {sp->params[j].lower,
                                sp->params[j].upper,
                                x->mu_star,
                                x->mu,
                                x->sigma,
                                x->s1,
                                x->s1_conf,
                                x->st,
                                x->st_conf,
                                x->low,
                                x->high};
            char pn[160];
            param_name(&sp->params[j], pn, sizeof pn);
            fprintf(f, "%s,%s", sp->outputs[o].name, pn);
            for (size_t c = 0; c < sizeof v / sizeof v[0]; c++) {
                char b[40];
                num(b, sizeof b, v[c]);
                fprintf(f, ",%s", b);
            }
            fputc('\n', f);
        }
    }
    return as_outdir_fclose(od, name, f, err);
}

static as_status
write_tornado(const as_sens_spec *sp, const as_sens_result *r, const as_outdir *od, as_error *err)
{
    static const char name[] = "tornado.csv";
    size_t k = r->n_params;
    double *swing = malloc(k * sizeof *swing);
    size_t *perm = malloc(k * sizeof *perm);
    FILE *f = swing && perm ? as_outdir_fopen(od, name, err) : NULL;
    if (!f) {
        free(swing);
        free(perm);
        return swing && perm ? err->code : nomem(err);
    }
    fputs("output,rank,parameter,center,low,high,swing\n", f);
    for (size_t o = 0; o < r->n_outputs; o++) {
        for (size_t j = 0; j < k; j++) {
            const as_sens_index *x = &r->idx[o * k + j];
            /* Largest first: sort the negated swings (a parameter without OAT counts as 0). */
            double w = fabs(x->high - x->low);
            swing[j] = isnan(w) ? 0 : -w;
        }
        gsl_sort_index(perm, swing, 1, k);
        for (size_t rank = 0; rank < k && !ferror(f); rank++) {
            size_t j = perm[rank];
            const as_sens_index *x = &r->idx[o * k + j];
            char pn[160], c[40], lo[40], hi[40], sw[40];
            param_name(&sp->params[j], pn, sizeof pn);
            num(c, sizeof c, r->center[o]);
            num(lo, sizeof lo, x->low);
            num(hi, sizeof hi, x->high);
            num(sw, sizeof sw, -swing[j]);
            fprintf(f, "%s,%zu,%s,%s,%s,%s,%s\n", sp->outputs[o].name, rank + 1, pn, c, lo, hi, sw);
        }
    }
    free(swing);
    free(perm);
    return as_outdir_fclose(od, name, f, err);
}

static as_status
write_manifest(const as_sens_spec *sp, const as_sens_result *r, const as_outdir *od, as_error *err)
{
    static const char name[] = "manifest.txt";
    FILE *f = as_outdir_fopen(od, name, err);
    if (!f) {
        return err->code;
    }
    const char *stem = strrchr(sp->path, '/') ? strrchr(sp->path, '/') + 1 : sp->path;
    fprintf(f, "asylsim %s\ncommand: sensitivity\nparameters file: %s\n", AS_VERSION, stem);
    fprintf(f, "scenario: %s, hash %016" PRIx64 "\n", r->scenario, r->scenario_hash);
    fprintf(f, "seed: %" PRIu64 "\nreplications per point: %u\n", r->seed,
            (unsigned)sp->replications);
    if (sp->run_end != INT32_MIN) {
        char d[11];
        as_date_format(sp->run_end, d);
        fprintf(f, "run_end: %s\n", d);
    }
    fprintf(f, "one-at-a-time: %s\n", sp->do_oat ? "yes" : "no");
    if (sp->do_morris) {
        fprintf(f, "morris: trajectories %u, levels %u\n", (unsigned)sp->morris_trajectories,
                (unsigned)sp->morris_levels);
    }
    if (sp->do_sobol) {
        fprintf(f, "sobol: samples %u, bootstrap %u\n", (unsigned)sp->sobol_samples,
                (unsigned)sp->bootstrap);
    }
    fprintf(f, "points: %" PRIu64 "\nsimulations: %" PRIu64 "\nparameters:\n", r->points,
            r->simulations);
    for (size_t j = 0; j < sp->n_params; j++) {
        char pn[160];
        param_name(&sp->params[j], pn, sizeof pn);
        fprintf(f, "  %s %s [%g, %g]\n", pn,
                sp->params[j].prior == AS_PRIOR_LOG_UNIFORM ? "log_uniform" : "uniform",
                sp->params[j].lower, sp->params[j].upper);
    }
    fputs("outputs:\n", f);
    for (size_t o = 0; o < sp->n_outputs; o++) {
        const as_sens_output *x = &sp->outputs[o];
        fprintf(f, "  %s: %s%s%s%s %s%s\n", x->name,
                x->ind >= 0 ? as_indicators[x->ind].name : "budget ",
                x->ind >= 0 ? "" : (x->line[0] ? x->line : "total"), x->payer[0] ? "/" : "",
                x->payer, x->period,
                x->agg_explicit ? (x->agg == AS_AGG_SUM ? " (sum)" : " (mean)") : "");
    }
    return as_outdir_fclose(od, name, f, err);
}

as_status
as_sens_write(const as_sens_spec *sp, const as_sens_result *r, const as_outdir *o, as_error *err)
{
    as_status st = write_indices(sp, r, o, err);
    if (st == AS_OK) {
        st = write_tornado(sp, r, o, err);
    }
    if (st == AS_OK) {
        st = write_manifest(sp, r, o, err);
    }
    return st;
}
