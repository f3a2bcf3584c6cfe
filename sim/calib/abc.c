/* ABC-SMC by population Monte Carlo (Beaumont, Cornuet, Marin and Robert 2009, "Adaptive
 * approximate Bayesian computation", Biometrika 96:983-990), with an adaptive tolerance schedule
 * and several replications per candidate (Del Moral, Doucet and Jasra 2012).
 *
 * Parameters live in internal coordinates u (the value, or its log for a log-uniform prior), where
 * every prior is uniform on a box; a candidate the scenario loader refuses (a cross-check such as
 * p_refugee + p_alternative <= 1) has prior density 0 and is drawn again before any simulation.
 *   Population 0: `particles` candidates from the prior, all kept with weight 1 (tolerance
 *   infinite); the first tolerance is the `quantile` of their distances.
 *   Population t: draw a particle of t - 1 by weight, perturb it with a normal kernel of twice the
 *   weighted covariance of population t - 1, simulate `replications` replications; keep it when
 *   k > 0 of them lie within the tolerance, with weight (k / R) / sum_j W_j K(u | u_j) (the prior
 *   is constant on its support). Repeat until `particles` are kept; the next tolerance is the
 *   `quantile` of the kept replications' distances.
 * A population that keeps fewer than `min_acceptance` of its candidates ends the run; the last
 * complete population is the posterior. The distance of a replication is the root mean square of
 * the targets' z = (simulated - observed) / sd.
 *
 * Candidates are simulated in batches of `batch` scenarios per as_run_scenarios call, which gives
 * replication r of every scenario of a call the same random numbers: each batch therefore has a
 * seed of its own (as_cal_mix_seed of the calibration seed, population and batch), so candidates of
 * different batches are independent while those of one batch share noise. Every particle's
 * marginal distribution is still the ABC posterior; the sharing makes particles of a batch
 * correlated, which a smaller batch reduces (at the cost of more calls). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>

#include "internal.h"

/* Candidates drawn (outside the box or refused) per candidate kept, before giving up. */
#define MAX_DRAWS_PER_CANDIDATE 10000

typedef struct pop {
    size_t n;
    double *u;     /* n x k internal coordinates */
    double *w;     /* normalised weights */
    double *f;     /* share of replications within the tolerance */
    double *dmin;  /* smallest distance of its replications */
    double *dkept; /* its replications' distances within the tolerance (R each, NAN padding) */
} pop;

typedef struct abc {
    const as_cal_problem *pb;
    const as_calib_opts *o;
    size_t k;
    uint32_t N, R;
    double *lo, *hi;
    gsl_rng *rng;
    as_calib_result *res;
    as_calib_progress prog;
    uint64_t sims_before; /* replications run before the current call */
    int budget_out;       /* max_simulations reached */
    as_error *err;
} abc;

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static void pop_free(pop *p)
{
    free(p->u);
    free(p->w);
    free(p->f);
    free(p->dmin);
    free(p->dkept);
    memset(p, 0, sizeof *p);
}

static int pop_alloc(pop *p, size_t n, size_t k, uint32_t R)
{
    p->n = 0;
    p->u = malloc(n * k * sizeof *p->u);
    p->w = malloc(n * sizeof *p->w);
    p->f = malloc(n * sizeof *p->f);
    p->dmin = malloc(n * sizeof *p->dmin);
    p->dkept = malloc(n * R * sizeof *p->dkept);
    return p->u && p->w && p->f && p->dmin && p->dkept ? 0 : -1;
}

static void values_of(const abc *a, const double *u, double *v)
{
    for (size_t j = 0; j < a->k; j++) {
        v[j] = as_cal_from_internal(&a->pb->spec->params[j], u[j]);
    }
}

static void report(abc *a)
{
    if (a->o->progress) {
        a->o->progress(a->o->ctx, &a->prog);
    }
}

static void tick(void *ctx, uint64_t done)
{
    abc *a = ctx;
    a->prog.simulated = a->sims_before + done;
    report(a);
}

/* The normal kernel: lower Cholesky factor L of 2 x the weighted covariance of p. */
static int kernel(const abc *a, const pop *p, gsl_matrix *L)
{
    size_t k = a->k;
    double mean[64];
    for (size_t j = 0; j < k; j++) {
        mean[j] = 0;
        for (size_t i = 0; i < p->n; i++) {
            mean[j] += p->w[i] * p->u[i * k + j];
        }
    }
    for (size_t r = 0; r < k; r++) {
        for (size_t c = 0; c <= r; c++) {
            double s = 0;
            for (size_t i = 0; i < p->n; i++) {
                s += p->w[i] * (p->u[i * k + r] - mean[r]) * (p->u[i * k + c] - mean[c]);
            }
            gsl_matrix_set(L, r, c, 2 * s);
            gsl_matrix_set(L, c, r, 2 * s);
        }
    }
    /* A degenerate population (all particles equal in some direction): add a little variance,
     * growing, relative to the prior box. */
    gsl_matrix *copy = gsl_matrix_alloc(k, k);
    if (!copy) {
        return -1;
    }
    gsl_matrix_memcpy(copy, L);
    for (double jitter = 0; jitter<1; jitter = jitter> 0 ? jitter * 100 : 1e-12) {
        gsl_matrix_memcpy(L, copy);
        for (size_t j = 0; j < k; j++) {
            double w = a->hi[j] - a->lo[j];
            *gsl_matrix_ptr(L, j, j) += jitter * w * w;
        }
        if (gsl_linalg_cholesky_decomp1(L) == GSL_SUCCESS) {
            gsl_matrix_free(copy);
            for (size_t r = 0; r < k; r++) {
                for (size_t c = r + 1; c < k; c++) {
                    gsl_matrix_set(L, r, c, 0);
                }
            }
            return 0;
        }
    }
    gsl_matrix_free(copy);
    return -1;
}

/* log sum_j W_j exp(-|L^-1 (u - u_j)|^2 / 2) over population p (the kernel's constant cancels). */
static double log_kernel_mix(const abc *a, const pop *p, const gsl_matrix *L, const double *u)
{
    size_t k = a->k;
    double best = -INFINITY;
    double *terms = malloc(p->n * sizeof *terms);
    if (!terms) {
        return NAN;
    }
    for (size_t j = 0; j < p->n; j++) {
        double y[64], d2 = 0;
        /* Forward substitution L y = u - u_j. */
        for (size_t r = 0; r < k; r++) {
            double s = u[r] - p->u[j * k + r];
            for (size_t c = 0; c < r; c++) {
                s -= gsl_matrix_get(L, r, c) * y[c];
            }
            y[r] = s / gsl_matrix_get(L, r, r);
            d2 += y[r] * y[r];
        }
        terms[j] = p->w[j] > 0 ? log(p->w[j]) - d2 / 2 : -INFINITY;
        if (terms[j] > best) {
            best = terms[j];
        }
    }
    double s = 0;
    for (size_t j = 0; j < p->n; j++) {
        s += exp(terms[j] - best);
    }
    free(terms);
    return best + log(s);
}

/* Draws one candidate into u: from the prior (prev NULL) or the kernel around prev; a valid
 * scenario into *scn. AS_ERR_INPUT if no valid candidate turns up. */
static as_status propose(abc *a,
                         const pop *prev,
                         const gsl_ran_discrete_t *pick,
                         const gsl_matrix *L,
                         double *u,
                         as_scenario **scn)
{
    size_t k = a->k;
    double v[64], z[64];
    for (int draw = 0; draw < MAX_DRAWS_PER_CANDIDATE; draw++) {
        int inside = 1;
        if (!prev) {
            for (size_t j = 0; j < k; j++) {
                u[j] = a->lo[j] + (a->hi[j] - a->lo[j]) * gsl_rng_uniform(a->rng);
            }
        } else {
            size_t i = gsl_ran_discrete(a->rng, pick);
            for (size_t j = 0; j < k; j++) {
                z[j] = gsl_ran_ugaussian(a->rng);
            }
            for (size_t r = 0; r < k; r++) {
                double s = prev->u[i * k + r];
                for (size_t c = 0; c <= r; c++) {
                    s += gsl_matrix_get(L, r, c) * z[c];
                }
                u[r] = s;
                inside &= u[r] >= a->lo[r] && u[r] <= a->hi[r];
            }
        }
        if (!inside) {
            continue;
        }
        values_of(a, u, v);
        as_error e;
        as_status st = as_cal_candidate(a->pb->base, 0, a->pb->spec->params, k, v, scn, &e);
        if (st == AS_OK) {
            return AS_OK;
        }
        if (st != AS_ERR_INPUT) {
            *a->err = e;
            return st;
        }
    }
    return as_error_set(a->err, AS_ERR_INPUT, a->pb->spec->path, 0, "parameters",
                        "%d draws in a row gave no valid scenario; check the priors against the "
                        "cross-checks (e.g. p_refugee + p_alternative <= 1)",
                        MAX_DRAWS_PER_CANDIDATE);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b ? 1 : 0;
}

/* Quantile q of the n values at x (sorted in place; infinities last). */
static double quantile(double *x, size_t n, double q)
{
    qsort(x, n, sizeof *x, cmp_double);
    size_t i = (size_t)floor(q * (double)(n - 1));
    return x[i];
}

/* Runs one population: fills cur with up to N particles. `eps` INFINITY for the prior. Returns
 * AS_OK with cur->n == N, or cur->n < N when the candidate cap was reached. */
static as_status population(abc *a,
                            uint32_t t,
                            double eps,
                            const pop *prev,
                            pop *cur,
                            uint64_t *candidates,
                            uint64_t *sims)
{
    const as_calib_spec *sp = a->pb->spec;
    size_t k = a->k, N = a->N, R = a->R;
    double min_acc = sp->abc.min_acceptance;
    uint64_t cap = prev ? (min_acc > 0 ? (uint64_t)ceil((double)N / min_acc) : 1000 * (uint64_t)N)
                        : (uint64_t)N;
    size_t B = sp->abc.batch;
    gsl_matrix *L = NULL;
    gsl_ran_discrete_t *pick = NULL;
    as_scenario **scn = calloc(B, sizeof *scn);
    double *bu = malloc(B * k * sizeof *bu);
    as_status st = scn && bu ? AS_OK : nomem(a->err);
    if (st == AS_OK && prev) {
        L = gsl_matrix_alloc(k, k);
        pick = gsl_ran_discrete_preproc(prev->n, prev->w);
        if (!L || !pick) {
            st = nomem(a->err);
        } else if (kernel(a, prev, L) != 0) {
            st = as_error_set(a->err, AS_ERR_RUNTIME, sp->path, 0, NULL,
                              "the population's covariance has no Cholesky factor");
        }
    }
    cur->n = 0;
    *candidates = 0;
    *sims = 0;
    a->prog.stage = prev ? "population" : "prior";
    a->prog.step = t;
    a->prog.done = 0;
    a->prog.total = N;
    a->prog.tolerance = eps;
    a->prog.acceptance = NAN;
    for (uint64_t batch = 0; st == AS_OK && cur->n < N && *candidates < cap; batch++) {
        size_t nb = B;
        if (!prev && nb > N - cur->n) {
            nb = N - cur->n;
        }
        if (nb > cap - *candidates) {
            nb = (size_t)(cap - *candidates);
        }
        uint64_t max_sims = sp->abc.max_simulations;
        if (max_sims > 0 && a->res->simulations + (uint64_t)nb * R > max_sims) {
            a->budget_out = 1;
            break;
        }
        size_t made = 0;
        for (; made < nb && st == AS_OK; made++) {
            st = propose(a, prev, pick, L, bu + made * k, &scn[made]);
        }
        if (st != AS_OK) {
            made -= made > 0;
        }
        as_run_set *sets = NULL;
        /* MPI: a rank that failed alone (out of memory) must not leave the others waiting in
         * the simulation's collectives. */
        st = as_par_agree(st, a->err);
        if (st == AS_OK) {
            a->sims_before = a->res->simulations;
            st = as_cal_simulate(a->pb, scn, nb, a->R, as_cal_mix_seed(a->o->seed, t, batch), a->o,
                                 tick, a, &sets, a->err);
        }
        for (size_t i = 0; i < made; i++) {
            as_scenario_destroy(scn[i]);
            scn[i] = NULL;
        }
        if (st != AS_OK) {
            break;
        }
        a->res->simulations += (uint64_t)nb * R;
        *sims += (uint64_t)nb * R;
        *candidates += nb;
        for (size_t i = 0; i < nb && cur->n < N; i++) {
            size_t in = 0;
            double dmin = INFINITY;
            double *dk = cur->dkept + cur->n * R;
            for (uint32_t r = 0; r < R; r++) {
                double d = as_cal_distance(a->pb, &sets[i], r);
                dmin = d < dmin ? d : dmin;
                dk[r] = NAN;
                if (d <= eps) {
                    dk[in++] = d;
                }
            }
            if (in == 0) {
                continue;
            }
            memcpy(cur->u + cur->n * k, bu + i * k, k * sizeof *bu);
            cur->f[cur->n] = (double)in / (double)R;
            cur->dmin[cur->n] = dmin;
            cur->n++;
        }
        as_run_sets_free(sets, nb);
        a->prog.done = cur->n;
        a->prog.acceptance = (double)cur->n / (double)*candidates;
        report(a);
    }
    /* Weights: (k / R) / sum_j W_j K(u | u_j), normalised through logs. */
    if (st == AS_OK && cur->n > 0) {
        double top = -INFINITY;
        for (size_t i = 0; i < cur->n; i++) {
            double lw = log(cur->f[i]);
            if (prev) {
                lw -= log_kernel_mix(a, prev, L, cur->u + i * k);
            }
            cur->w[i] = lw;
            top = lw > top ? lw : top;
        }
        double s = 0;
        for (size_t i = 0; i < cur->n; i++) {
            cur->w[i] = exp(cur->w[i] - top);
            s += cur->w[i];
        }
        for (size_t i = 0; i < cur->n; i++) {
            cur->w[i] /= s;
        }
    }
    gsl_matrix_free(L);
    gsl_ran_discrete_free(pick);
    free(scn);
    free(bu);
    return st;
}

static double ess_of(const pop *p)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++) {
        s += p->w[i] * p->w[i];
    }
    return s > 0 ? 1 / s : 0;
}

/* The next tolerance: the quantile of the kept replications' distances. */
static double next_tolerance(const abc *a, const pop *p)
{
    size_t n = 0;
    double *d = malloc(p->n * a->R * sizeof *d);
    if (!d) {
        return NAN;
    }
    for (size_t i = 0; i < p->n * a->R; i++) {
        if (!isnan(p->dkept[i])) {
            d[n++] = p->dkept[i];
        }
    }
    double q = n ? quantile(d, n, a->pb->spec->abc.quantile) : INFINITY;
    free(d);
    return q;
}

/* Fills the result from the final population. */
static as_status finish(abc *a, const pop *p)
{
    as_calib_result *r = a->res;
    size_t k = a->k, n = p->n;
    r->n_particles = n;
    r->particles = malloc(n * k * sizeof *r->particles);
    r->weights = malloc(n * sizeof *r->weights);
    r->distances = malloc(n * sizeof *r->distances);
    double *col = malloc(n * sizeof *col);
    size_t *perm = malloc(n * sizeof *perm);
    if (!r->particles || !r->weights || !r->distances || !col || !perm) {
        free(col);
        free(perm);
        return nomem(a->err);
    }
    for (size_t i = 0; i < n; i++) {
        values_of(a, p->u + i * k, r->particles + i * k);
    }
    memcpy(r->weights, p->w, n * sizeof *p->w);
    memcpy(r->distances, p->dmin, n * sizeof *p->dmin);
    static const double qs[3] = {0.05, 0.5, 0.95};
    for (size_t j = 0; j < k; j++) {
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++) {
            col[i] = r->particles[i * k + j];
            m += p->w[i] * col[i];
        }
        for (size_t i = 0; i < n; i++) {
            v += p->w[i] * (col[i] - m) * (col[i] - m);
        }
        r->estimate[j] = m;
        r->sd[j] = sqrt(v);
        double q[3];
        as_cal_weighted_quantiles(col, p->w, n, qs, 3, q, perm);
        r->q05[j] = q[0];
        r->q50[j] = q[1];
        r->q95[j] = q[2];
    }
    free(col);
    free(perm);
    return AS_OK;
}

as_status
as_cal_abc(const as_cal_problem *pb, const as_calib_opts *o, as_calib_result *res, as_error *err)
{
    const as_calib_spec *sp = pb->spec;
    abc a = {.pb = pb,
             .o = o,
             .k = sp->n_params,
             .N = sp->abc.particles,
             .R = sp->abc.replications,
             .res = res,
             .err = err};
    if (a.k > 64) {
        return as_error_set(err, AS_ERR_INPUT, sp->path, 0, "parameters",
                            "ABC-SMC takes at most 64 parameters");
    }
    a.lo = malloc(a.k * sizeof *a.lo);
    a.hi = malloc(a.k * sizeof *a.hi);
    res->populations = calloc(sp->abc.populations + 1, sizeof *res->populations);
    pop prev = {0}, cur = {0};
    as_status st = a.lo && a.hi && res->populations ? AS_OK : nomem(err);
    if (st == AS_OK && (pop_alloc(&prev, a.N, a.k, a.R) || pop_alloc(&cur, a.N, a.k, a.R))) {
        st = nomem(err);
    }
    for (size_t j = 0; st == AS_OK && j < a.k; j++) {
        a.lo[j] = as_cal_to_internal(&sp->params[j], sp->params[j].lower);
        a.hi[j] = as_cal_to_internal(&sp->params[j], sp->params[j].upper);
    }
    a.prog.steps = sp->abc.populations;
    a.prog.simulated = 0;
    double eps = INFINITY;
    res->stop_reason = "all populations done";
    for (uint32_t t = 0; st == AS_OK && t <= sp->abc.populations; t++) {
        gsl_rng_free(a.rng);
        a.rng = as_cal_rng(o->seed, t);
        if (!a.rng) {
            st = nomem(err);
            break;
        }
        uint64_t cand = 0, sims = 0;
        st = population(&a, t, eps, t ? &prev : NULL, &cur, &cand, &sims);
        if (st != AS_OK) {
            break;
        }
        if (cur.n < a.N && t == 0) {
            st = as_error_set(err, AS_ERR_INPUT, sp->path, 0, "abc.max_simulations",
                              "too small for even the prior population (%u particles x %u "
                              "replications)",
                              (unsigned)a.N, (unsigned)a.R);
            break;
        }
        if (cur.n < a.N) {
            res->stop_reason = a.budget_out ? "max_simulations reached"
                                            : "a population accepted fewer candidates than "
                                              "min_acceptance";
            break;
        }
        as_abc_population *rec = &res->populations[res->n_populations++];
        rec->tolerance = eps;
        rec->candidates = cand;
        rec->accepted = (uint32_t)cur.n;
        rec->ess = ess_of(&cur);
        rec->simulations = sims;
        pop swap = prev;
        prev = cur;
        cur = swap;
        eps = next_tolerance(&a, &prev);
        if (!isfinite(eps)) {
            st = as_error_set(err, AS_ERR_INPUT, sp->path, 0, NULL,
                              "most simulations leave a target undefined (a ratio or cohort share "
                              "with nobody in its denominator); check the targets");
        }
    }
    if (st == AS_OK) {
        st = finish(&a, &prev);
    }
    gsl_rng_free(a.rng);
    pop_free(&prev);
    pop_free(&cur);
    free(a.lo);
    free(a.hi);
    return st;
}
