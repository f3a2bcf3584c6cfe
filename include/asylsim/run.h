/* Runs: scenarios x replications on threads, and the aggregation of their observations into
 * means and 5/50/95 quantiles. Replication r of every scenario uses the streams of (seed, r), so
 * scenarios share common random numbers, and each replication's result lands in its own slot:
 * the outputs are byte-identical whatever the number of threads. */
#ifndef ASYLSIM_RUN_H
#define ASYLSIM_RUN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"
#include "asylsim/model.h"
#include "asylsim/scenario.h"

typedef struct as_run_opts {
    uint32_t reps; /* replications per scenario, >= 1 */
    uint64_t seed;
    unsigned threads; /* >= 1 */
    /* Polled while the replications run (may be NULL); non-zero stops the run with
     * AS_ERR_INTERRUPTED. Read from the calling thread only. */
    int (*should_stop)(void *ctx);
    /* Called from the calling thread about ten times a second and at the end (may be NULL).
     * done and total count the replications of all scenarios; under MPI, done is this rank's
     * count scaled to the whole job (an estimate until the final call). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    /* Resident memory of this process past which the run stops (0 = no guard; memory.h,
     * as_memory_guard): polled with should_stop, every 50 ms, it fails the run with AS_ERR_NOMEM
     * and a message that gives the memory reached and `max_rss_what` (what the limit is, e.g.
     * "--max-memory 4.0 GiB"; NULL for a plain figure). The workspaces grow by doubling, so the
     * process may pass the limit by one step of growth before the stop takes effect. */
    uint64_t max_rss;
    const char *max_rss_what;
    /* MPI (parallel.h): 0, only rank 0 ends with every replication (it alone writes); 1, every
     * rank does, so that every rank can take the same decisions from the results (calibration,
     * sensitivity). Nothing changes in one process. */
    int everywhere;
} as_run_opts;

/* The results of one scenario. */
typedef struct as_run_set {
    const as_scenario *scn; /* borrowed */
    as_grid grid;
    uint32_t reps;
    double *obs;      /* reps x AS_N_INDICATORS x n_months: [(r * AS_N_INDICATORS + i) *
                         n_months + m] */
    double *budget;   /* reps x AS_N_BUDGET_ROWS x n_months, likewise (EUR) */
    double *cohort;   /* reps x AS_COHORT_CELLS cohort sums */
    uint64_t events;  /* live events handled, all replications */
    uint64_t persons; /* persons created, all replications */
    uint64_t pending; /* live events pending at month ends, summed over months and replications */
} as_run_set;

/* Runs every scenario for o->reps replications on o->threads threads. On success *out is a new
 * array of n sets (free with as_run_sets_free). On failure *out is NULL and err says why
 * (AS_ERR_INTERRUPTED when should_stop said so). Under MPI it is collective: the (scenario,
 * replication) items are shared out over the ranks (parallel.h), every rank gets the agreed
 * status, and rank 0 (every rank with o->everywhere) gets every replication's results. */
as_status as_run_scenarios(const as_scenario *const *scn,
                           size_t n,
                           const as_run_opts *o,
                           as_run_set **out,
                           as_error *err) AS_MUST_CHECK;

void as_run_sets_free(as_run_set *sets, size_t n); /* NULL is fine */

/* The most result blocks a set has (see as_run_set_blocks). */
#define AS_RUN_MAX_BLOCKS 8

/* The per-replication result blocks of a set, for code that moves results between processes
 * (MPI): block b of replication r is the per_rep[b] doubles at base[b] + r * per_rep[b]. Returns
 * the number of blocks (<= AS_RUN_MAX_BLOCKS). New kinds of results add a block here, so movers
 * need no change. */
size_t as_run_set_blocks(as_run_set *s, double **base, size_t *per_rep);

/* One replication's value of indicator i in month m. */
static inline double as_run_value(const as_run_set *s, uint32_t r, int i, int m)
{
    return s->obs[((size_t)r * AS_N_INDICATORS + (size_t)i) * (size_t)s->grid.n_months + (size_t)m];
}

/* One replication's EUR of budget row b in month m. */
static inline double as_run_budget(const as_run_set *s, uint32_t r, int b, int m)
{
    return s->budget[((size_t)r * AS_N_BUDGET_ROWS + (size_t)b) * (size_t)s->grid.n_months +
                     (size_t)m];
}

/* One replication's cohort sum `sum` of cohort group `group` at month since status mm. */
static inline double as_run_cohort(const as_run_set *s, uint32_t r, int group, int sum, int mm)
{
    return s->cohort[(size_t)r * AS_COHORT_CELLS +
                     ((size_t)group * AS_COHORT_N + (size_t)sum) * (AS_COHORT_MONTHS + 1) +
                     (size_t)mm];
}

/* Mean and quantiles of a sample. */
typedef struct as_summary {
    double mean, p05, p50, p95;
} as_summary;

/* Summarises x[0..n-1] (n >= 1): the mean by compensated summation in index order, quantiles by
 * linear interpolation between order statistics (gsl_stats_quantile_from_sorted_data). `scratch`
 * must hold n doubles; x is not changed. */
void as_summarize(const double *x, size_t n, double *scratch, as_summary *out);

#endif
