/* The asylum procedure (model.md §2.2).
 *
 * First decisions come from one FCFS queue served by procedure.caseworkers (dated; a step never
 * interrupts a case in service, it only changes how many cases may start). A case is one person
 * (PMLP counts decisions by person); its service time follows procedure.service_dist with median
 * procedure.service_median_days, times procedure.service_factor_post_soviet for post-Soviet
 * origin. A decision is refugee, alternative or negative with the origin group's probabilities
 * (relocated persons have their own, post-Soviet applicants' grant probabilities are scaled by
 * procedure.status_factor_post_soviet). The outcome uniform is the household's, so a family gets
 * one decision. A negative decision is appealed with procedure.p_appeal; an appeal lasts an
 * exponential time with median procedure.appeal_median_days and grants status with
 * procedure.p_appeal_granted; a final negative is returned after an exponential time with median
 * procedure.removal_median_days unless the household leaves first (absconding, movement.c).
 * With procedure.priority_relocated, relocated applicants have a queue of their own that is served
 * first. A share procedure.p_dublin_out of households is transferred out under Dublin instead.
 *
 * A departure interrupts the case (as_procedure_pause); a transfer back resumes it where it was
 * (queued again at the back, or a fresh appeal or removal time). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "asylsim/rng.h"

static double draw_service(const as_par *par, gsl_rng *r)
{
    switch (par->service_dist) {
    case AS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, par->service_param, par->service_shape);
    case AS_DIST_GAMMA:
        return gsl_ran_gamma(r, par->service_shape, par->service_param);
    case AS_DIST_WEIBULL:
        return gsl_ran_weibull(r, par->service_param, par->service_shape);
    case AS_DIST_EXPONENTIAL:
    default:
        return as_rng_exponential(r, par->service_param);
    }
}

as_status as_procedure_setup(as_model *m, as_error *err)
{
    const as_dated *cw = m->d_caseworkers;
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    m->cw_t = malloc((cw->n + 1) * sizeof *m->cw_t);
    m->cw_value = malloc((cw->n + 1) * sizeof *m->cw_value);
    if (!m->cw_t || !m->cw_value) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    /* Step 0 is the value on the first day; later steps inside the horizon follow. */
    m->cw_n = 0;
    m->cw_t[m->cw_n] = 0.0;
    m->cw_value[m->cw_n++] = (int64_t)llround(as_dated_at(cw, (double)lo));
    for (size_t i = 0; i < cw->n; i++) {
        if (cw->from_day[i] > lo && cw->from_day[i] < hi) {
            m->cw_t[m->cw_n] = (double)(cw->from_day[i] - lo);
            m->cw_value[m->cw_n++] = (int64_t)llround(cw->value[i]);
        }
    }
    return AS_OK;
}

void as_procedure_teardown(as_model *m)
{
    free(m->cw_t);
    free(m->cw_value);
    m->cw_t = NULL;
    m->cw_value = NULL;
    as_fifo_free(&m->queue);
    as_fifo_free(&m->queue_hi);
}

/* Starts cases while a caseworker is free and someone waits. */
static as_status start_services(as_model *m)
{
    double now = as_engine_now(m->eng);
    uint32_t p;
    uint16_t ticket;
    while (m->busy < m->caseworkers && (as_fifo_pop(&m->queue_hi, m->pop.refs, &p, &ticket) ||
                                        as_fifo_pop(&m->queue, m->pop.refs, &p, &ticket))) {
        if (ticket != m->pop.ticket[p] || m->pop.case_state[p] != AS_CASE_QUEUED ||
            (m->pop.flags[p] & AS_PF_PAUSED)) {
            continue; /* left, or queued again since */
        }
        as_person_begin(m, p);
        m->pop.case_state[p] = AS_CASE_IN_SERVICE;
        as_person_end(m, p);
        m->busy++;
        if (now >= m->warm_days) {
            m->qstats.sum_wait += now - m->pop.queued_t[p];
            m->qstats.n_started++;
        }
        const as_par *par = as_model_par(m, now);
        as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_SERVICE, m->pop.spell[p]);
        double d = draw_service(par, m->rng);
        if (m->hh.flags[m->pop.household[p]] & AS_HF_POST_SOVIET) {
            d *= par->service_factor_post_soviet;
        }
        as_status st = as_engine_schedule(m->eng, now + d, p, AS_P_DECISION);
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

as_status as_procedure_start(as_model *m)
{
    m->queue.head = m->queue.len = 0;
    m->queue_hi.head = m->queue_hi.len = 0;
    m->busy = 0;
    m->caseworkers = m->cw_value[0];
    m->cw_next = 1;
    if (m->cw_next < m->cw_n) {
        return as_engine_schedule(m->eng, m->cw_t[m->cw_next], 0, AS_P_CASEWORKERS);
    }
    return AS_OK;
}

static as_status enqueue(as_model *m, uint32_t p)
{
    as_person_begin(m, p);
    m->pop.case_state[p] = AS_CASE_QUEUED;
    m->pop.ticket[p]++;
    m->pop.queued_t[p] = as_engine_now(m->eng);
    as_person_end(m, p);
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    int high = par->priority_relocated && (m->hh.flags[m->pop.household[p]] & AS_HF_RELOCATED);
    as_status st = as_fifo_push(high ? &m->queue_hi : &m->queue, m->pop.refs, p, m->pop.ticket[p]);
    return st != AS_OK ? st : start_services(m);
}

static as_status
start_timer(as_model *m, uint32_t p, unsigned stream, unsigned process, double mean_days)
{
    double now = as_engine_now(m->eng);
    as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), stream, m->pop.spell[p]);
    double d = as_rng_exponential(m->rng, mean_days);
    return as_engine_schedule(m->eng, now + d, p, process);
}

as_status as_procedure_open(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    uint8_t cs = m->pop.case_state[p];
    if (cs == AS_CASE_NONE) {
        uint32_t h = m->pop.household[p];
        as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_DUBLIN, 0);
        if (as_rng_uniform(m->rng) < par->p_dublin_out) {
            as_person_begin(m, p);
            m->pop.case_state[p] = AS_CASE_DUBLIN;
            as_person_end(m, p);
            return start_timer(m, p, AS_STREAM_REMOVAL, AS_P_DUBLIN, par->removal_mean_days);
        }
        return enqueue(m, p);
    }
    if (!(m->pop.flags[p] & AS_PF_PAUSED)) {
        return AS_OK;
    }
    /* Resumed after a transfer back: a new spell of the interrupted step. */
    as_person_begin(m, p);
    m->pop.flags[p] &= (uint16_t)~AS_PF_PAUSED;
    m->pop.spell[p]++;
    as_person_end(m, p);
    switch (cs) {
    case AS_CASE_QUEUED:
    case AS_CASE_IN_SERVICE:
        return enqueue(m, p);
    case AS_CASE_APPEAL:
        return start_timer(m, p, AS_STREAM_APPEAL, AS_P_APPEAL, par->appeal_mean_days);
    case AS_CASE_FINAL_NEGATIVE:
        return start_timer(m, p, AS_STREAM_REMOVAL, AS_P_REMOVAL, par->removal_mean_days);
    case AS_CASE_DUBLIN:
        return start_timer(m, p, AS_STREAM_REMOVAL, AS_P_DUBLIN, par->removal_mean_days);
    default:
        return AS_OK;
    }
}

as_status as_procedure_pause(as_model *m, uint32_t p)
{
    uint8_t cs = m->pop.case_state[p];
    switch (cs) {
    case AS_CASE_QUEUED:
        break; /* its queue entry goes stale */
    case AS_CASE_IN_SERVICE:
        as_engine_cancel(m->eng, p, AS_P_DECISION);
        m->busy--;
        break;
    case AS_CASE_APPEAL:
        as_engine_cancel(m->eng, p, AS_P_APPEAL);
        break;
    case AS_CASE_FINAL_NEGATIVE:
        as_engine_cancel(m->eng, p, AS_P_REMOVAL);
        break;
    case AS_CASE_DUBLIN:
        as_engine_cancel(m->eng, p, AS_P_DUBLIN);
        break;
    default:
        return AS_OK;
    }
    as_person_begin(m, p);
    m->pop.flags[p] |= AS_PF_PAUSED;
    m->pop.ticket[p]++;
    as_person_end(m, p);
    return cs == AS_CASE_IN_SERVICE ? start_services(m) : AS_OK;
}

as_status as_procedure_on_caseworkers(as_model *m, const as_event *ev)
{
    (void)ev;
    m->caseworkers = m->cw_value[m->cw_next++];
    if (m->cw_next < m->cw_n) {
        as_status st = as_engine_schedule(m->eng, m->cw_t[m->cw_next], 0, AS_P_CASEWORKERS);
        if (st != AS_OK) {
            return st;
        }
    }
    return start_services(m);
}

/* Grants status `legal` to applicant p now. */
static as_status grant(as_model *m, uint32_t p, uint8_t legal)
{
    double now = as_engine_now(m->eng);
    uint32_t h = m->pop.household[p];
    int old_phase = as_movement_phase(m, h);
    as_benefits_settle(m, h, now, 0);
    as_person_begin(m, p);
    m->pop.legal[p] = legal;
    m->pop.case_state[p] = AS_CASE_GRANTED;
    m->pop.status_t[p] = now;
    if (m->pop.place[p] == AS_PLACE_RECEPTION) {
        m->pop.flags[p] |= AS_PF_IN_PMIC_AT_STATUS;
    } else if (m->pop.lodging[p] == AS_LODGING_WAIT_LIST ||
               m->pop.lodging[p] == AS_LODGING_MUNICIPAL) {
        m->pop.lodging[p] = AS_LODGING_OWN; /* in the community already: now on its own */
    }
    as_person_end(m, p);
    int first_status = isnan(m->hh.status_t[h]);
    if (first_status) {
        m->hh.status_t[h] = now;
    }
    /* The departure risk moves to the status holders' hazard first: what it spent since its last
     * update was spent under the applicants' one, and a re-time by another process's change
     * (employment, benefits) must not integrate the past under the new hazard. */
    as_status st = first_status ? as_movement_retime(m, h, old_phase) : AS_OK;
    if (st == AS_OK) {
        st = as_cohorts_on_status(m, p);
    }
    if (st == AS_OK) {
        st = as_employment_on_status(m, p);
    }
    if (st == AS_OK) {
        st = as_benefits_on_status(m, p);
    }
    if (st == AS_OK && first_status) {
        st = as_mentoring_on_status(m, h);
    }
    if (st == AS_OK) {
        st = as_housing_on_status(m, h);
    }
    if (st == AS_OK) {
        st = as_language_on_status(m, p);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

/* The grant probabilities of p's origin group in the phase of time t. */
static void grant_probs(const as_model *m, uint32_t p, double t, double *ref, double *alt)
{
    const as_par *par = as_model_par(m, t);
    uint16_t hf = m->hh.flags[m->pop.household[p]];
    if (hf & AS_HF_RELOCATED) {
        *ref = par->p_refugee_relocated;
        *alt = par->p_alternative_relocated;
    } else if (hf & AS_HF_POST_SOVIET) {
        *ref = par->p_refugee * par->status_factor_post_soviet;
        *alt = par->p_alternative * par->status_factor_post_soviet;
    } else {
        *ref = par->p_refugee;
        *alt = par->p_alternative;
    }
}

static double household_uniform(as_model *m, uint32_t p, unsigned substream)
{
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, m->pop.household[p]), AS_STREAM_OUTCOME,
                substream);
    return as_rng_uniform(m->rng);
}

static as_status final_negative(as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    as_person_begin(m, p);
    m->pop.case_state[p] = AS_CASE_FINAL_NEGATIVE;
    as_person_end(m, p);
    as_status st = as_employment_allow(m, p, 0); /* the right to work ends */
    return st != AS_OK ? st
                       : start_timer(m, p, AS_STREAM_REMOVAL, AS_P_REMOVAL, par->removal_mean_days);
}

as_status as_procedure_on_decision(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    m->busy--;
    double ref, alt;
    grant_probs(m, p, ev->time, &ref, &alt);
    double u = household_uniform(m, p, 0);
    as_status st;
    if (u < ref) {
        as_observe_count(m, AS_IND_DECISIONS_REFUGEE, 1);
        st = grant(m, p, AS_LEGAL_REFUGEE);
    } else if (u < ref + alt) {
        as_observe_count(m, AS_IND_DECISIONS_ALTERNATIVE, 1);
        st = grant(m, p, AS_LEGAL_ALTERNATIVE);
    } else {
        as_observe_count(m, AS_IND_DECISIONS_NEGATIVE, 1);
        const as_par *par = as_model_par(m, ev->time);
        if (household_uniform(m, p, 1) < par->p_appeal) {
            as_person_begin(m, p);
            m->pop.case_state[p] = AS_CASE_APPEAL;
            as_person_end(m, p);
            st = start_timer(m, p, AS_STREAM_APPEAL, AS_P_APPEAL, par->appeal_mean_days);
        } else {
            st = final_negative(m, p);
        }
    }
    return st != AS_OK ? st : start_services(m);
}

as_status as_procedure_on_appeal(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    const as_par *par = as_model_par(m, ev->time);
    double ref, alt;
    grant_probs(m, p, ev->time, &ref, &alt);
    double u = household_uniform(m, p, 2);
    if (u < par->p_appeal_granted) {
        as_observe_count(m, AS_IND_APPEALS_GRANTED, 1);
        double share_ref = ref + alt > 0 ? ref / (ref + alt) : 0.0;
        return grant(m, p,
                     u < par->p_appeal_granted * share_ref ? AS_LEGAL_REFUGEE
                                                           : AS_LEGAL_ALTERNATIVE);
    }
    as_observe_count(m, AS_IND_APPEALS_REJECTED, 1);
    return final_negative(m, p);
}

/* p leaves for good: returned (place returned) or transferred out (place left). */
static as_status exit_for_good(as_model *m, uint32_t p, uint8_t place)
{
    uint32_t h = m->pop.household[p];
    double now = as_engine_now(m->eng);
    int was_in_pmic = m->pop.place[p] == AS_PLACE_RECEPTION;
    as_benefits_settle(m, h, now, 0);
    as_housing_settle(m, h, now);
    as_employment_pause(m, p);
    as_status st0 = as_employment_end_job(m, p);
    if (st0 == AS_OK) {
        st0 = as_language_leave(m, p, 1);
    }
    if (st0 == AS_OK) {
        st0 = as_school_on_departure(m, p);
    }
    if (st0 != AS_OK) {
        return st0;
    }
    as_person_begin(m, p);
    m->pop.place[p] = place;
    m->pop.lodging[p] = AS_LODGING_NONE;
    m->pop.case_state[p] = AS_CASE_CLOSED;
    if (was_in_pmic) {
        m->pop.pmic_left_t[p] = now;
    }
    as_person_end(m, p);
    as_status st = as_benefits_update(m, h);
    if (st == AS_OK && as_hh_present(m, h) == 0) {
        as_engine_cancel(m->eng, h, AS_P_LEAVE);
        st = as_housing_on_departure(m, h);
        if (st == AS_OK) {
            st = as_mentoring_close(m, h);
        }
    }
    if (st == AS_OK && as_hh_present(m, h) > 0) {
        st = as_covariates_changed(m, h);
    }
    return st == AS_OK && was_in_pmic ? as_reception_fill(m) : st;
}

as_status as_procedure_on_removal(as_model *m, const as_event *ev)
{
    m->cum_returned++;
    return exit_for_good(m, ev->entity, AS_PLACE_RETURNED);
}

as_status as_procedure_on_dublin(as_model *m, const as_event *ev)
{
    m->cum_dublin_out++;
    return exit_for_good(m, ev->entity, AS_PLACE_LEFT);
}
