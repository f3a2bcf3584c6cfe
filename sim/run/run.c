/* The replication loop (include/asylsim/run.h): a pool of worker threads takes (scenario,
 * replication) jobs, this rank's share of them (parallel.h), from an atomic counter; each worker
 * keeps one model workspace per scenario and writes each replication into its own slot, so the
 * result does not depend on the thread count. The calling thread only watches: it polls the
 * caller's stop request and the memory guard, reports progress and joins. SIGINT, SIGTERM and
 * SIGHUP are blocked in the workers so that the handlers run in the calling thread. */
#include "asylsim/run.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asylsim/memory.h"
#include "asylsim/parallel.h"

typedef struct pool {
    const as_scenario *const *scn;
    size_t n_scn;
    as_run_set *sets;
    uint32_t reps;
    uint64_t seed;
    /* MPI (parallel.h): this rank runs items g = rank + j * ranks, j < total, of the n_scn * reps
     * items g = k * reps + r (scenario k, replication r): as_par_owner(k, reps, r) == rank. */
    uint32_t rank, ranks;
    uint64_t total;            /* jobs of this rank */
    uint64_t all;              /* jobs of all ranks, n_scn * reps */
    atomic_uint_fast64_t next; /* next job to take */
    atomic_uint_fast64_t done; /* jobs finished */
    atomic_uint_fast64_t events;
    atomic_int stop;    /* set on an error or a stop request */
    atomic_int running; /* workers still running */
    pthread_mutex_t mu; /* guards the first error */
    as_status st;
    as_error err;
} pool;

static void record_failure(pool *p, as_status st, const as_error *err)
{
    pthread_mutex_lock(&p->mu);
    /* The first real failure wins over "interrupted", which is only the echo of a stop. */
    if (p->st == AS_OK || (p->st == AS_ERR_INTERRUPTED && st != AS_ERR_INTERRUPTED)) {
        p->st = st;
        p->err = *err;
    }
    pthread_mutex_unlock(&p->mu);
    atomic_store(&p->stop, 1);
}

static void *worker(void *arg)
{
    pool *p = arg;
    as_model **models = calloc(p->n_scn, sizeof *models);
    if (!models) {
        as_error e;
        as_error_set(&e, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        record_failure(p, AS_ERR_NOMEM, &e);
    }
    while (models && !atomic_load(&p->stop)) {
        uint64_t j = atomic_fetch_add(&p->next, 1);
        if (j >= p->total) {
            break;
        }
        uint64_t g = p->rank + j * p->ranks;
        size_t i = (size_t)(g / p->reps);
        uint32_t r = (uint32_t)(g % p->reps);
        as_error e;
        if (!models[i]) {
            models[i] = as_model_create(p->scn[i], &e);
            if (!models[i]) {
                record_failure(p, e.code, &e);
                break;
            }
        }
        as_run_set *set = &p->sets[i];
        size_t n_months = (size_t)set->grid.n_months;
        as_obs obs = {set->grid.n_months, set->obs + (size_t)r * AS_N_INDICATORS * n_months,
                      set->budget + (size_t)r * AS_N_BUDGET_ROWS * n_months,
                      set->cohort + (size_t)r * AS_COHORT_CELLS};
        as_status st = as_model_run(models[i], p->seed, r, &obs, &p->stop, &e);
        if (st != AS_OK) {
            record_failure(p, st, &e);
            break;
        }
        atomic_fetch_add(&p->events, as_model_events(models[i]));
        /* Persons are a per-scenario total; the sum over replications is the same for any split. */
        pthread_mutex_lock(&p->mu);
        set->events += as_model_events(models[i]);
        set->persons += as_model_persons(models[i]);
        set->pending += as_model_pending_sum(models[i]);
        pthread_mutex_unlock(&p->mu);
        atomic_fetch_add(&p->done, 1);
    }
    if (models) {
        for (size_t i = 0; i < p->n_scn; i++) {
            as_model_destroy(models[i]);
        }
        free(models);
    }
    atomic_fetch_sub(&p->running, 1);
    return NULL;
}

void as_run_sets_free(as_run_set *sets, size_t n)
{
    if (!sets) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        free(sets[i].obs);
        free(sets[i].budget);
        free(sets[i].cohort);
        as_grid_finish(&sets[i].grid);
    }
    free(sets);
}

size_t as_run_set_blocks(as_run_set *s, double **base, size_t *per_rep)
{
    base[0] = s->obs;
    per_rep[0] = AS_N_INDICATORS * (size_t)s->grid.n_months;
    base[1] = s->budget;
    per_rep[1] = AS_N_BUDGET_ROWS * (size_t)s->grid.n_months;
    base[2] = s->cohort;
    per_rep[2] = AS_COHORT_CELLS;
    return 3;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Stops the run when this process's resident memory has passed o->max_rss (run.h). */
static void check_memory(pool *p, const as_run_opts *o)
{
    uint64_t rss = as_memory_rss();
    if (rss <= o->max_rss) {
        return;
    }
    char used[32], limit[32];
    as_memory_format(rss, used, sizeof used);
    as_memory_format(o->max_rss, limit, sizeof limit);
    as_error e;
    as_error_set(&e, AS_ERR_NOMEM, NULL, 0, NULL,
                 "stopped: the run's memory reached %s, past %s; its population grew beyond what "
                 "fits (lower --threads, the arrivals or the horizon)",
                 used, o->max_rss_what ? o->max_rss_what : limit);
    record_failure(p, AS_ERR_NOMEM, &e);
}

/* Runs this rank's share of the replications (all of them in one process) into *out. */
static as_status run_share(const as_scenario *const *scn,
                           size_t n,
                           const as_run_opts *o,
                           as_run_set **out,
                           as_error *err)
{
    *out = NULL;
    as_run_set *sets = calloc(n, sizeof *sets);
    if (!sets) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        sets[i].scn = scn[i];
        sets[i].reps = o->reps;
        if (as_grid_init(&sets[i].grid, scn[i]) != AS_OK) {
            as_run_sets_free(sets, n);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        size_t cells = (size_t)o->reps * AS_N_INDICATORS * (size_t)sets[i].grid.n_months;
        size_t bcells = (size_t)o->reps * AS_N_BUDGET_ROWS * (size_t)sets[i].grid.n_months;
        sets[i].obs = calloc(cells, sizeof *sets[i].obs);
        sets[i].budget = calloc(bcells, sizeof *sets[i].budget);
        sets[i].cohort = calloc((size_t)o->reps * AS_COHORT_CELLS, sizeof *sets[i].cohort);
        if (!sets[i].obs || !sets[i].budget || !sets[i].cohort) {
            as_run_sets_free(sets, n);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL,
                                "out of memory for %u replications of %s", (unsigned)o->reps,
                                as_scn_name(scn[i]));
        }
    }

    pool p = {.scn = scn, .n_scn = n, .sets = sets, .reps = o->reps, .seed = o->seed};
    p.rank = (uint32_t)as_par_rank();
    p.ranks = (uint32_t)as_par_size();
    p.all = (uint64_t)n * o->reps;
    p.total = p.rank < p.all ? (p.all - p.rank - 1) / p.ranks + 1 : 0;
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.events, 0);
    atomic_init(&p.stop, 0);
    pthread_mutex_init(&p.mu, NULL);
    p.st = AS_OK;

    unsigned nt = o->threads ? o->threads : 1;
    if (nt > p.total) {
        nt = (unsigned)p.total;
    }
    pthread_t *tid = calloc(nt ? nt : 1, sizeof *tid); /* nt = 0: a rank with no replication */
    if (!tid) {
        pthread_mutex_destroy(&p.mu);
        as_run_sets_free(sets, n);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    unsigned started = 0;
    atomic_init(&p.running, (int)nt);
    for (; started < nt; started++) {
        if (pthread_create(&tid[started], NULL, worker, &p) != 0) {
            break;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started < nt) {
        atomic_fetch_sub(&p.running, (int)(nt - started));
        if (started == 0) {
            as_error e;
            as_error_set(&e, AS_ERR_RUNTIME, NULL, 0, NULL, "cannot start a worker thread");
            record_failure(&p, AS_ERR_RUNTIME, &e);
        }
    }

    while (atomic_load(&p.running) > 0) {
        sleep_ms(50);
        if (o->should_stop && o->should_stop(o->ctx) && !atomic_load(&p.stop)) {
            as_error e;
            as_error_set(&e, AS_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
            record_failure(&p, AS_ERR_INTERRUPTED, &e);
        }
        if (o->max_rss > 0 && !atomic_load(&p.stop)) {
            check_memory(&p, o);
        }
        if (o->progress) { /* this rank's share, scaled to the whole job */
            uint64_t done = atomic_load(&p.done);
            o->progress(o->ctx, p.total ? done * p.all / p.total : 0, p.all);
        }
    }
    for (unsigned t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    free(tid);
    if (p.st == AS_OK && o->should_stop && o->should_stop(o->ctx)) {
        as_error_set(&p.err, AS_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
        p.st = AS_ERR_INTERRUPTED;
    }
    pthread_mutex_destroy(&p.mu);
    if (p.st != AS_OK) {
        *err = p.err;
        as_run_sets_free(sets, n);
        return p.st;
    }
    if (o->progress) {
        o->progress(o->ctx, p.all, p.all);
    }
    *out = sets;
    return AS_OK;
}

as_status as_run_scenarios(const as_scenario *const *scn,
                           size_t n,
                           const as_run_opts *o,
                           as_run_set **out,
                           as_error *err)
{
    as_status st = run_share(scn, n, o, out, err);
    /* MPI (parallel.h): every rank agrees on failure and rank 0 (every rank with o->everywhere)
     * receives every replication. */
    st = as_par_gather(*out, n, o->everywhere, st, err);
    if (st != AS_OK) {
        as_run_sets_free(*out, n);
        *out = NULL;
    }
    return st;
}
