/* The first-instance procedure (model.md §2.2): one FCFS queue served by procedure.caseworkers
 * (dated; a step never interrupts a case in service, it only changes how many cases may start).
 * Service time per case follows procedure.service_dist with median procedure.service_median_days;
 * each decision is refugee with procedure.p_refugee, alternative with procedure.p_alternative,
 * otherwise negative. A case is one person (PMLP counts decisions by person). The service time is
 * drawn from the person's SERVICE stream when service starts and the outcome from its OUTCOME
 * stream at the decision, so changing the staffing never changes who is granted status.
 * Appeals, departures during the procedure and Dublin transfers come with issue #4. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "asylsim/rng.h"

static void set_law(as_service_law *law, int dist, double median, double shape)
{
    law->dist = dist;
    law->median_days = median;
    law->shape = shape;
    switch (dist) {
    case AS_DIST_LOGNORMAL:
        law->param = log(median); /* zeta; sigma = shape */
        break;
    case AS_DIST_GAMMA:
        law->param = median / gsl_cdf_gamma_Pinv(0.5, shape, 1.0); /* scale */
        break;
    case AS_DIST_WEIBULL:
        law->param = median / pow(log(2.0), 1.0 / shape); /* scale */
        break;
    case AS_DIST_EXPONENTIAL:
    default:
        law->param = median / log(2.0); /* mean */
        break;
    }
}

static double draw_service(const as_service_law *law, gsl_rng *r)
{
    switch (law->dist) {
    case AS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, law->param, law->shape);
    case AS_DIST_GAMMA:
        return gsl_ran_gamma(r, law->shape, law->param);
    case AS_DIST_WEIBULL:
        return gsl_ran_weibull(r, law->param, law->shape);
    case AS_DIST_EXPONENTIAL:
    default:
        return gsl_ran_exponential(r, law->param);
    }
}

as_status as_procedure_setup(as_model *m, as_error *err)
{
    const as_scenario *s = m->scn;
    for (int ph = 0; ph < 2; ph++) {
        as_phase p = (as_phase)ph;
        set_law(&m->law[ph], as_scn_value(s, AS_S_PROCEDURE_SERVICE_DIST, p)->e,
                as_scn_value(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, p)->f,
                as_scn_value(s, AS_S_PROCEDURE_SERVICE_SHAPE, p)->f);
        m->p_refugee[ph] = as_scn_value(s, AS_S_PROCEDURE_P_REFUGEE, p)->f;
        m->p_alternative[ph] = as_scn_value(s, AS_S_PROCEDURE_P_ALTERNATIVE, p)->f;
    }
    const as_dated *cw = as_scn_dated(s, AS_S_PROCEDURE_CASEWORKERS);
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    m->cap_t = malloc((cw->n + 1) * sizeof *m->cap_t);
    m->cap_value = malloc((cw->n + 1) * sizeof *m->cap_value);
    m->fifo_cap = 1024;
    m->fifo = malloc(m->fifo_cap * sizeof *m->fifo);
    if (!m->cap_t || !m->cap_value || !m->fifo) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    /* Step 0 is the value on the first day; later steps inside the horizon follow. */
    m->cap_n = 0;
    m->cap_t[m->cap_n] = 0.0;
    m->cap_value[m->cap_n++] = (int64_t)llround(as_dated_at(cw, (double)lo));
    for (size_t i = 0; i < cw->n; i++) {
        if (cw->from_day[i] > lo && cw->from_day[i] < hi) {
            m->cap_t[m->cap_n] = (double)(cw->from_day[i] - lo);
            m->cap_value[m->cap_n++] = (int64_t)llround(cw->value[i]);
        }
    }
    return AS_OK;
}

void as_procedure_teardown(as_model *m)
{
    free(m->cap_t);
    free(m->cap_value);
    free(m->fifo);
    m->cap_t = NULL;
    m->cap_value = NULL;
    m->fifo = NULL;
}

static as_status fifo_push(as_model *m, uint32_t p)
{
    if (m->fifo_len == m->fifo_cap) {
        size_t cap = m->fifo_cap * 2;
        uint32_t *q = malloc(cap * sizeof *q);
        if (!q) {
            return AS_ERR_NOMEM;
        }
        for (size_t i = 0; i < m->fifo_len; i++) {
            q[i] = m->fifo[(m->fifo_head + i) % m->fifo_cap];
        }
        free(m->fifo);
        m->fifo = q;
        m->fifo_cap = cap;
        m->fifo_head = 0;
    }
    m->fifo[(m->fifo_head + m->fifo_len) % m->fifo_cap] = p;
    m->fifo_len++;
    return AS_OK;
}

static uint32_t fifo_pop(as_model *m)
{
    uint32_t p = m->fifo[m->fifo_head];
    m->fifo_head = (m->fifo_head + 1) % m->fifo_cap;
    m->fifo_len--;
    return p;
}

/* Starts cases while a caseworker is free and someone waits. */
static as_status start_services(as_model *m)
{
    double now = as_engine_now(m->eng);
    while (m->busy < m->caseworkers && m->fifo_len > 0) {
        uint32_t p = fifo_pop(m);
        m->pop.case_state[p] = AS_CASE_IN_SERVICE;
        m->busy++;
        as_rng_seek(m->rng, m->seed, m->rep, p, AS_STREAM_SERVICE, 0);
        double d = draw_service(&m->law[as_model_phase(m, now)], m->rng);
        as_status st = as_engine_schedule(m->eng, now + d, p, AS_P_DECISION);
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

as_status as_procedure_start(as_model *m)
{
    m->fifo_head = m->fifo_len = 0;
    m->busy = 0;
    m->caseworkers = m->cap_value[0];
    m->cap_next = 1;
    if (m->cap_next < m->cap_n) {
        return as_engine_schedule(m->eng, m->cap_t[m->cap_next], 0, AS_P_CAPACITY);
    }
    return AS_OK;
}

as_status as_procedure_enqueue(as_model *m, uint32_t p)
{
    m->pop.case_state[p] = AS_CASE_QUEUED;
    m->n_pending++;
    as_status st = fifo_push(m, p);
    return st != AS_OK ? st : start_services(m);
}

as_status as_procedure_on_capacity(as_model *m, const as_event *ev)
{
    (void)ev;
    m->caseworkers = m->cap_value[m->cap_next++];
    if (m->cap_next < m->cap_n) {
        as_status st = as_engine_schedule(m->eng, m->cap_t[m->cap_next], 0, AS_P_CAPACITY);
        if (st != AS_OK) {
            return st;
        }
    }
    return start_services(m);
}

as_status as_procedure_on_decision(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    m->busy--;
    m->n_pending--;
    m->pop.case_state[p] = AS_CASE_DECIDED;
    as_phase ph = as_model_phase(m, ev->time);
    as_rng_seek(m->rng, m->seed, m->rep, p, AS_STREAM_OUTCOME, 0);
    double u = gsl_rng_uniform(m->rng);
    if (u < m->p_refugee[ph]) {
        m->pop.legal[p] = AS_LEGAL_REFUGEE;
        as_observe_count(m, AS_IND_DECISIONS_REFUGEE, 1);
    } else if (u < m->p_refugee[ph] + m->p_alternative[ph]) {
        m->pop.legal[p] = AS_LEGAL_ALTERNATIVE;
        as_observe_count(m, AS_IND_DECISIONS_ALTERNATIVE, 1);
    } else {
        m->pop.legal[p] = AS_LEGAL_NEGATIVE;
        as_observe_count(m, AS_IND_DECISIONS_NEGATIVE, 1);
    }
    return start_services(m);
}
