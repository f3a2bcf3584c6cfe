/* The simulated method of moments: minimises J(theta) = sum_i ((obs_i - m_i(theta)) / sd_i)^2,
 * where m_i is the mean of target i over `replications` replications, with GSL's Nelder-Mead
 * simplex (gsl_multimin_fminimizer_nmsimplex2). Every candidate runs the same replications with
 * the same seed (common random numbers), so J is a fixed function of theta and differences
 * between candidates are not swamped by noise.
 *
 * The simplex works on phi = logit((u - lower_u) / (upper_u - lower_u)), u the value (uniform
 * prior) or its log (log-uniform prior), so every candidate lies inside its range. A candidate the
 * loader refuses (a cross-check) gets a large J.
 *
 * Standard errors come from a numerical Jacobian G = dm/dphi (central differences of
 * `jacobian_step` in phi, one as_run_scenarios call with the same seed): with the weights
 * W = diag(1 / sd^2) equal to the inverse covariance of the observed moments,
 * Var(phi) = (1 + 1/R) (G' W G)^-1 (the 1/R for the simulation noise of m), and se(theta) =
 * |dtheta/dphi| se(phi) (delta method). The 90% interval maps phi +- 1.645 se(phi) back, so it
 * stays inside the range. A singular G' W G (a parameter the targets do not move) gives NAN. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "internal.h"

/* J of a candidate the loader refuses, or with a target undefined in every replication. */
#define PENALTY 1e12

typedef struct smm {
    const as_cal_problem *pb;
    const as_calib_opts *o;
    size_t k, n_targets;
    double *lo, *hi; /* internal bounds */
    as_calib_result *res;
    as_calib_progress prog;
    uint64_t sims_before;
    as_status st; /* the first failure inside the objective (interrupt, memory) */
    as_error *err;
    double *means; /* n_targets scratch */
} smm;

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static double logistic(double x)
{
    return 1 / (1 + exp(-x));
}

static void values_of(const smm *s, const gsl_vector *phi, double *v)
{
    for (size_t j = 0; j < s->k; j++) {
        double u = s->lo[j] + (s->hi[j] - s->lo[j]) * logistic(gsl_vector_get(phi, j));
        v[j] = as_cal_from_internal(&s->pb->spec->params[j], u);
    }
}

static void tick(void *ctx, uint64_t done)
{
    smm *s = ctx;
    s->prog.simulated = s->sims_before + done;
    if (s->o->progress) {
        s->o->progress(s->o->ctx, &s->prog);
    }
}

/* Means over replications of every target in set `set` into m; -1 if one has no value. */
static int target_means(const smm *s, const as_run_set *set, uint32_t reps, double *m)
{
    for (size_t i = 0; i < s->n_targets; i++) {
        const as_target *t = as_targets_get(s->pb->targets, i);
        double sum = 0;
        uint32_t n = 0;
        for (uint32_t r = 0; r < reps; r++) {
            double x = as_target_value(t, set, r);
            if (isfinite(x)) {
                sum += x;
                n++;
            }
        }
        if (n == 0) {
            return -1;
        }
        m[i] = sum / n;
    }
    return 0;
}

static double objective_of(const smm *s, const double *m)
{
    double J = 0;
    for (size_t i = 0; i < s->n_targets; i++) {
        const as_target *t = as_targets_get(s->pb->targets, i);
        double z = (t->value - m[i]) / s->pb->sd[i];
        J += z * z;
    }
    return J;
}

/* Builds the candidates of phi[0..n) (NULL where refused) and simulates them in one call. */
static as_status
run_points(smm *s, const gsl_vector *const *phi, size_t n, as_scenario **scn, as_run_set **sets)
{
    const as_calib_spec *sp = s->pb->spec;
    double v[256];
    size_t made = 0;
    as_scenario **ok = calloc(n, sizeof *ok);
    as_status st = ok ? AS_OK : nomem(s->err);
    for (size_t i = 0; st == AS_OK && i < n; i++) {
        values_of(s, phi[i], v);
        as_error e;
        if (as_cal_candidate(s->pb->base, 0, sp->params, s->k, v, &scn[i], &e) == AS_ERR_NOMEM) {
            *s->err = e;
            st = AS_ERR_NOMEM;
        } else if (scn[i]) {
            ok[made++] = scn[i];
        }
    }
    *sets = NULL;
    /* MPI: a rank that failed alone (out of memory) must not leave the others waiting in the
     * simulation's collectives. */
    st = as_par_agree(st, s->err);
    if (st == AS_OK && made > 0) {
        s->sims_before = s->res->simulations;
        st = as_cal_simulate(s->pb, ok, made, sp->smm.replications, s->o->seed, s->o, tick, s, sets,
                             s->err);
        if (st == AS_OK) {
            s->res->simulations += (uint64_t)made * sp->smm.replications;
        }
    }
    free(ok);
    return st;
}

static double objective(const gsl_vector *phi, void *params)
{
    smm *s = params;
    if (s->st != AS_OK) {
        return PENALTY;
    }
    as_scenario *scn = NULL;
    as_run_set *sets = NULL;
    s->st = run_points(s, &phi, 1, &scn, &sets);
    double J = PENALTY;
    if (s->st == AS_OK && scn &&
        target_means(s, &sets[0], s->pb->spec->smm.replications, s->means) == 0) {
        J = objective_of(s, s->means);
    }
    as_run_sets_free(sets, scn ? 1 : 0);
    as_scenario_destroy(scn);
    return J;
}

/* phi of the starting point: the base's value when it is one number inside the range (1 for a
 * scale factor), else the middle of the range. */
static double start_phi(const smm *s, size_t j)
{
    const as_param *p = &s->pb->spec->params[j];
    const as_scenario *base = s->pb->base->full;
    double v = NAN;
    if (p->scale) {
        v = 1.0;
    } else if (as_schema[p->id].type == AS_T_DATED) {
        const as_dated *d = as_scn_dated(base, p->id);
        v = d->n == 1 ? d->value[0] : NAN;
    } else if (as_schema[p->id].type == AS_T_INT) {
        v = (double)as_scn_int(base, p->id);
    } else {
        v = as_scn_float(base, p->id);
    }
    if (!(v > p->lower && v < p->upper)) {
        return 0;
    }
    double x = (as_cal_to_internal(p, v) - s->lo[j]) / (s->hi[j] - s->lo[j]);
    return log(x / (1 - x));
}

/* Standard errors from the Jacobian at the estimate phi. */
static as_status standard_errors(smm *s, const gsl_vector *phi)
{
    size_t k = s->k, n = s->n_targets, np = 2 * k + 1;
    double h = s->pb->spec->smm.jacobian_step;
    uint32_t R = s->pb->spec->smm.replications;
    gsl_vector **pts = calloc(np, sizeof *pts);
    as_scenario **scn = calloc(np, sizeof *scn);
    double *m = malloc(np * n * sizeof *m);
    int *have = calloc(np, sizeof *have);
    gsl_matrix *G = gsl_matrix_alloc(n, k), *A = gsl_matrix_alloc(k, k);
    as_status st = pts && scn && m && have && G && A ? AS_OK : nomem(s->err);
    for (size_t i = 0; st == AS_OK && i < np; i++) {
        pts[i] = gsl_vector_alloc(k);
        if (!pts[i]) {
            st = nomem(s->err);
            break;
        }
        gsl_vector_memcpy(pts[i], phi);
        if (i > 0) {
            size_t j = (i - 1) / 2;
            *gsl_vector_ptr(pts[i], j) += (i % 2 ? h : -h);
        }
    }
    as_run_set *sets = NULL;
    if (st == AS_OK) {
        s->prog.stage = "jacobian";
        st = run_points(s, (const gsl_vector *const *)pts, np, scn, &sets);
    }
    size_t made = 0;
    for (size_t i = 0; st == AS_OK && i < np; i++) {
        if (scn[i]) {
            have[i] = target_means(s, &sets[made], R, m + i * n) == 0;
            made++;
        }
    }
    as_run_sets_free(sets, made);
    for (size_t i = 0; scn && i < np; i++) {
        as_scenario_destroy(scn[i]);
    }
    for (size_t j = 0; st == AS_OK && j < k; j++) {
        /* Central difference, or one-sided where a side was refused. */
        size_t up = 1 + 2 * j, dn = 2 + 2 * j;
        const double *a = have[up] ? m + up * n : m;
        const double *b = have[dn] ? m + dn * n : m;
        double span = (have[up] ? h : 0) + (have[dn] ? h : 0);
        for (size_t i = 0; i < n; i++) {
            gsl_matrix_set(G, i, j, span > 0 && have[0] ? (a[i] - b[i]) / span : 0);
        }
    }
    for (size_t j = 0; j < k; j++) {
        s->res->sd[j] = NAN;
    }
    if (st == AS_OK) {
        for (size_t r = 0; r < k; r++) {
            for (size_t c = 0; c < k; c++) {
                double x = 0;
                for (size_t i = 0; i < n; i++) {
                    double w = 1 / (s->pb->sd[i] * s->pb->sd[i]);
                    x += gsl_matrix_get(G, i, r) * w * gsl_matrix_get(G, i, c);
                }
                gsl_matrix_set(A, r, c, x);
            }
        }
        if (gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS &&
            gsl_linalg_cholesky_invert(A) == GSL_SUCCESS) {
            for (size_t j = 0; j < k; j++) {
                const as_param *p = &s->pb->spec->params[j];
                double var = (1 + 1.0 / R) * gsl_matrix_get(A, j, j);
                double se_phi = var > 0 ? sqrt(var) : NAN;
                double f = logistic(gsl_vector_get(phi, j));
                double du = (s->hi[j] - s->lo[j]) * f * (1 - f);
                double dtheta = p->prior == AS_PRIOR_LOG_UNIFORM ? s->res->estimate[j] * du : du;
                s->res->sd[j] = fabs(dtheta) * se_phi;
                double lo = gsl_vector_get(phi, j) - 1.6448536269514722 * se_phi;
                double hi = gsl_vector_get(phi, j) + 1.6448536269514722 * se_phi;
                if (isfinite(se_phi)) {
                    s->res->q05[j] = as_cal_from_internal(p, s->lo[j] + (s->hi[j] - s->lo[j]) *
                                                                                logistic(lo));
                    s->res->q95[j] = as_cal_from_internal(p, s->lo[j] + (s->hi[j] - s->lo[j]) *
                                                                                logistic(hi));
                }
            }
        }
    }
    for (size_t i = 0; pts && i < np; i++) {
        gsl_vector_free(pts[i]);
    }
    free(pts);
    free(scn);
    free(m);
    free(have);
    gsl_matrix_free(G);
    gsl_matrix_free(A);
    return st;
}

as_status
as_cal_smm(const as_cal_problem *pb, const as_calib_opts *o, as_calib_result *res, as_error *err)
{
    const as_calib_spec *sp = pb->spec;
    smm s = {.pb = pb,
             .o = o,
             .k = sp->n_params,
             .n_targets = as_targets_count(pb->targets),
             .res = res,
             .st = AS_OK,
             .err = err};
    if (s.k > 256) {
        return as_error_set(err, AS_ERR_INPUT, sp->path, 0, "parameters", "at most 256 parameters");
    }
    s.lo = malloc(s.k * sizeof *s.lo);
    s.hi = malloc(s.k * sizeof *s.hi);
    s.means = malloc(s.n_targets * sizeof *s.means);
    gsl_vector *x = gsl_vector_alloc(s.k), *step = gsl_vector_alloc(s.k);
    gsl_multimin_fminimizer *mz =
            gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, s.k);
    as_status st = s.lo && s.hi && s.means && x && step && mz ? AS_OK : nomem(err);
    for (size_t j = 0; st == AS_OK && j < s.k; j++) {
        s.lo[j] = as_cal_to_internal(&sp->params[j], sp->params[j].lower);
        s.hi[j] = as_cal_to_internal(&sp->params[j], sp->params[j].upper);
    }
    for (size_t j = 0; st == AS_OK && j < s.k; j++) {
        gsl_vector_set(x, j, start_phi(&s, j));
        gsl_vector_set(step, j, sp->smm.step);
    }
    gsl_multimin_function f = {objective, s.k, &s};
    s.prog = (as_calib_progress){.stage = "simplex",
                                 .steps = sp->smm.iterations,
                                 .total = sp->smm.replications,
                                 .tolerance = NAN,
                                 .acceptance = NAN};
    if (st == AS_OK && gsl_multimin_fminimizer_set(mz, &f, x, step) != GSL_SUCCESS) {
        st = s.st != AS_OK ? s.st
                           : as_error_set(err, AS_ERR_RUNTIME, sp->path, 0, NULL,
                                          "the simplex could not start");
    }
    if (st == AS_OK && s.st != AS_OK) {
        st = s.st;
    }
    res->converged = 0;
    for (uint32_t it = 1; st == AS_OK && it <= sp->smm.iterations; it++) {
        int rc = gsl_multimin_fminimizer_iterate(mz);
        if (s.st != AS_OK) {
            st = s.st;
            break;
        }
        res->iterations = it;
        s.prog.step = it;
        s.prog.tolerance = gsl_multimin_fminimizer_minimum(mz);
        if (o->progress) {
            o->progress(o->ctx, &s.prog);
        }
        if (rc != GSL_SUCCESS) {
            break; /* GSL_ENOPROG: no better point; the simplex stays where it is */
        }
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(mz), sp->smm.tolerance) ==
            GSL_SUCCESS) {
            res->converged = 1;
            break;
        }
    }
    if (st == AS_OK) {
        const gsl_vector *best = gsl_multimin_fminimizer_x(mz);
        res->objective = gsl_multimin_fminimizer_minimum(mz);
        values_of(&s, best, res->estimate);
        memcpy(res->q50, res->estimate, s.k * sizeof *res->estimate);
        for (size_t j = 0; j < s.k; j++) {
            res->q05[j] = res->q95[j] = NAN;
        }
        gsl_vector *b = gsl_vector_alloc(s.k);
        if (!b) {
            st = nomem(err);
        } else {
            gsl_vector_memcpy(b, best);
            st = standard_errors(&s, b);
            gsl_vector_free(b);
        }
    }
    gsl_multimin_fminimizer_free(mz);
    gsl_vector_free(x);
    gsl_vector_free(step);
    free(s.lo);
    free(s.hi);
    free(s.means);
    return st;
}
