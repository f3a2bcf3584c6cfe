/* One replication of the person pathway (include/asylsim/model.h): sets the processes up, runs the
 * engine month by month — events strictly before each month boundary, then the stock snapshot at
 * the boundary — and dispatches each event through a const table of handlers (style.md §6). */
#include "asylsim/model.h"

#include <stdlib.h>
#include <string.h>

#include "asylsim/rng.h"
#include "internal.h"

typedef as_status (*as_handler)(as_model *m, const as_event *ev);

static const as_handler handlers[AS_P_N] = {
        [AS_P_ARRIVAL] = as_arrivals_on_arrival,
        [AS_P_CAPACITY] = as_procedure_on_capacity,
        [AS_P_DECISION] = as_procedure_on_decision,
};

/* How often the stop flag is polled, in events. */
#define STOP_POLL_EVENTS 4096u

as_phase as_model_phase(const as_model *m, double t)
{
    return t >= m->reform_t ? AS_PHASE_AFTER : AS_PHASE_BEFORE;
}

as_model *as_model_create(const as_scenario *s, as_error *err)
{
    as_model *m = calloc(1, sizeof *m);
    if (!m) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    m->scn = s;
    if (as_grid_init(&m->grid, s) != AS_OK) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        free(m);
        return NULL;
    }
    m->start_day = m->grid.bound[0];
    m->horizon = (double)(m->grid.bound[m->grid.n_months] - m->start_day);
    m->reform_t = (double)(as_scn_date(s, AS_S_RUN_REFORM_START) - m->start_day);
    (void)as_pop_init(&m->pop);
    m->eng = as_engine_create(AS_P_N, 1024);
    m->rng = as_rng_create();
    m->rng_seq = as_rng_create();
    if (!m->eng || !m->rng || !m->rng_seq) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        as_model_destroy(m);
        return NULL;
    }
    if (as_arrivals_setup(m, err) != AS_OK || as_procedure_setup(m, err) != AS_OK) {
        as_model_destroy(m);
        return NULL;
    }
    return m;
}

void as_model_destroy(as_model *m)
{
    if (!m) {
        return;
    }
    as_arrivals_teardown(m);
    as_procedure_teardown(m);
    as_engine_destroy(m->eng);
    if (m->rng) {
        gsl_rng_free(m->rng);
    }
    if (m->rng_seq) {
        gsl_rng_free(m->rng_seq);
    }
    as_pop_finish(&m->pop);
    as_grid_finish(&m->grid);
    free(m);
}

static void reset(as_model *m, uint64_t seed, uint32_t rep, as_obs *obs)
{
    m->seed = seed;
    m->rep = rep;
    m->obs = obs;
    m->month = 0;
    m->events = 0;
    as_engine_reset(m->eng);
    as_pop_clear(&m->pop);
    m->n_present = m->n_pending = 0;
    m->initial_population = m->cum_arrivals = m->cum_transfers_back = 0;
    m->cum_left = m->cum_returned = m->cum_dublin_out = 0;
    memset(obs->v, 0, sizeof(double) * AS_N_INDICATORS * (size_t)obs->n_months);
}

as_status as_model_run(as_model *m,
                       uint64_t seed,
                       uint32_t rep,
                       as_obs *obs,
                       const atomic_int *stop,
                       as_error *err)
{
    if (obs->n_months != m->grid.n_months) {
        return as_error_set(err, AS_ERR_RUNTIME, NULL, 0, NULL,
                            "observation array has %d months, the scenario %d", obs->n_months,
                            m->grid.n_months);
    }
    reset(m, seed, rep, obs);
    as_status st = as_engine_reserve(m->eng, 1);
    if (st == AS_OK) {
        st = as_procedure_start(m);
    }
    if (st == AS_OK) {
        st = as_arrivals_start(m);
    }
    for (m->month = 0; st == AS_OK && m->month < m->grid.n_months; m->month++) {
        double boundary = (double)(m->grid.bound[m->month + 1] - m->start_day);
        as_event ev;
        while (st == AS_OK && as_engine_next(m->eng, boundary, &ev)) {
            st = handlers[ev.process](m, &ev);
            m->events++;
            if (stop && (m->events % STOP_POLL_EVENTS) == 0 &&
                atomic_load_explicit(stop, memory_order_relaxed)) {
                st = AS_ERR_INTERRUPTED;
            }
        }
        if (st == AS_OK && stop && atomic_load_explicit(stop, memory_order_relaxed)) {
            st = AS_ERR_INTERRUPTED;
        }
        if (st == AS_OK) {
            as_observe_stocks(m);
            as_observe_check(m);
        }
    }
    m->month = 0;
    switch (st) {
    case AS_OK:
        return AS_OK;
    case AS_ERR_INTERRUPTED:
        return as_error_set(err, st, NULL, 0, NULL, "interrupted");
    case AS_ERR_NOMEM:
        return as_error_set(err, st, NULL, 0, NULL, "out of memory in replication %u of %s",
                            (unsigned)rep, as_scn_name(m->scn));
    default:
        return as_error_set(err, st, NULL, 0, NULL, "replication %u of %s failed", (unsigned)rep,
                            as_scn_name(m->scn));
    }
}

uint64_t as_model_events(const as_model *m)
{
    return m->events;
}

uint64_t as_model_persons(const as_model *m)
{
    return m->pop.n;
}
