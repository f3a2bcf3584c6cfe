/* Leaving Latvia and coming back (model.md §2.11, first part).
 *
 * Each household has one departure risk: a unit exponential drawn from its LEAVE stream when the
 * risk starts, spent against the dated hazard of its legal phase — movement.leave_procedure_month
 * while no member holds status, movement.leave_status_month once one does. When the phase changes
 * the budget already spent is kept and the event is re-timed (integrated-hazard sampling), so a
 * reform that changes one hazard moves this household's departure and nothing else. During the
 * procedure the departure competes with the decision, the appeal and the removal: it is the
 * UNHCR "otherwise closed" count; relocated applicants' hazard is multiplied by
 * movement.hr_relocated_applicant. The other covariate effects on the hazard (housed, employed,
 * benefit, mentoring...) come with issue #5.
 *
 * A departure takes every present member abroad (place left_latvia) and interrupts their cases. A
 * share movement.p_transfer_back of departed households is transferred back after an exponential
 * time with median movement.transfer_back_median_months: the same persons re-enter (flow
 * transfers_back), applicants resume their procedure, status holders keep their status and live in
 * the community (seed l. 3108-3113: returnees are not taken to the reception centre). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "asylsim/rng.h"

static as_status build_hazard(as_model *m, const as_dated *d, int k)
{
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    m->leave_breaks[k] = malloc((d->n + 1) * sizeof *m->leave_breaks[k]);
    m->leave_rates[k] = malloc((d->n + 1) * sizeof *m->leave_rates[k]);
    if (!m->leave_breaks[k] || !m->leave_rates[k]) {
        return AS_ERR_NOMEM;
    }
    size_t n = 0;
    m->leave_breaks[k][n] = 0.0;
    m->leave_rates[k][n++] = as_dated_at(d, (double)lo) / AS_DAYS_PER_MONTH;
    for (size_t i = 0; i < d->n; i++) {
        if (d->from_day[i] > lo && d->from_day[i] < hi) {
            m->leave_breaks[k][n] = (double)(d->from_day[i] - lo);
            m->leave_rates[k][n++] = d->value[i] / AS_DAYS_PER_MONTH;
        }
    }
    m->leave_hazard[k] = (as_hazard){
            .kind = AS_HAZARD_PIECEWISE,
            .n_pieces = n,
            .breaks_days = m->leave_breaks[k],
            .rates_per_day = m->leave_rates[k],
    };
    return AS_OK;
}

as_status as_movement_setup(as_model *m, as_error *err)
{
    if (build_hazard(m, m->d_leave_procedure, 0) != AS_OK ||
        build_hazard(m, m->d_leave_status, 1) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

void as_movement_teardown(as_model *m)
{
    for (int k = 0; k < 2; k++) {
        free(m->leave_breaks[k]);
        free(m->leave_rates[k]);
        m->leave_breaks[k] = m->leave_rates[k] = NULL;
    }
}

int as_movement_phase(const as_model *m, uint32_t h)
{
    return isnan(m->hh.status_t[h]) ? 0 : 1;
}

static as_status schedule_leave(as_model *m, uint32_t h)
{
    const as_risk *r = &m->hh.leave[h];
    double t = as_risk_fire_u(r, &m->leave_hazard[as_movement_phase(m, h)]);
    if (!isfinite(t)) {
        as_engine_cancel(m->eng, h, AS_P_LEAVE);
        return AS_OK;
    }
    return as_engine_schedule(m->eng, t, h, AS_P_LEAVE);
}

/* The covariate multiplier of h's departure hazard now (covariates.c). */
static double multiplier(const as_model *m, uint32_t h)
{
    return as_leave_multiplier(m, h);
}

as_status as_movement_update(as_model *m, uint32_t h)
{
    if (!as_engine_is_pending(m->eng, h, AS_P_LEAVE)) {
        return AS_OK;
    }
    double mult = multiplier(m, h);
    as_risk *r = &m->hh.leave[h];
    if (fabs(mult - r->mult) <= 1e-12 * as_fmax(1.0, mult)) {
        return AS_OK;
    }
    as_risk_retime(r, &m->leave_hazard[as_movement_phase(m, h)], as_engine_now(m->eng), mult);
    return schedule_leave(m, h);
}

as_status as_movement_start(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_LEAVE, m->hh.leave_spell[h]);
    as_risk_start(&m->hh.leave[h], as_rng_exponential(m->rng, 1.0), now, multiplier(m, h));
    return schedule_leave(m, h);
}

as_status as_movement_retime(as_model *m, uint32_t h, int old_phase)
{
    double now = as_engine_now(m->eng);
    as_risk *r = &m->hh.leave[h];
    const as_hazard *old_h = &m->leave_hazard[old_phase];
    double spent =
            r->mult * (as_hazard_cumulative(old_h, now) - as_hazard_cumulative(old_h, r->u_last));
    r->budget = as_fmax(0.0, r->budget - spent);
    r->u_last = now;
    r->mult = multiplier(m, h);
    return schedule_leave(m, h);
}

as_status as_movement_on_leave(as_model *m, const as_event *ev)
{
    uint32_t h = ev->entity;
    double now = ev->time;
    uint32_t f = m->hh.first[h];
    int freed_bed = 0;
    as_benefits_settle(m, h, now, 0);
    as_status st0 = as_housing_on_departure(m, h);
    if (st0 == AS_OK) {
        st0 = as_mentoring_close(m, h);
    }
    if (st0 != AS_OK) {
        return st0;
    }
    m->hh.left_t[h] = now;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (!as_is_present(m, p)) {
            continue;
        }
        uint8_t cs = m->pop.case_state[p];
        if (m->pop.legal[p] == AS_LEGAL_APPLICANT &&
            (cs == AS_CASE_QUEUED || cs == AS_CASE_IN_SERVICE || cs == AS_CASE_APPEAL)) {
            as_observe_count(m, AS_IND_LEFT_DURING_PROCEDURE, 1);
        }
        as_status st = as_procedure_pause(m, p);
        if (st == AS_OK) {
            as_employment_pause(m, p);
            st = as_employment_end_job(m, p);
        }
        if (st == AS_OK) {
            st = as_language_leave(m, p, 1);
        }
        if (st == AS_OK) {
            st = as_school_on_departure(m, p);
        }
        if (st != AS_OK) {
            return st;
        }
        as_person_begin(m, p);
        if (m->pop.place[p] == AS_PLACE_RECEPTION) {
            m->pop.pmic_left_t[p] = now;
            freed_bed = 1;
        }
        m->pop.place[p] = AS_PLACE_LEFT;
        m->pop.lodging[p] = AS_LODGING_NONE;
        as_person_end(m, p);
        m->cum_left++;
    }
    as_status stb = as_benefits_update(m, h);
    if (stb == AS_OK) {
        /* Searches re-timed while the members were still leaving are cancelled now. */
        stb = as_covariates_changed(m, h);
    }
    if (stb != AS_OK) {
        return stb;
    }
    unsigned departure = m->hh.leave_spell[h]++;
    const as_par *par = as_model_par(m, now);
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_TRANSFER_BACK, departure);
    double u = as_rng_uniform(m->rng);
    double delay = as_rng_exponential(m->rng, par->transfer_back_mean_days);
    as_status st = AS_OK;
    if (u < par->p_transfer_back && now + delay < m->horizon) {
        st = as_engine_schedule(m->eng, now + delay, h, AS_P_TRANSFER_BACK);
    }
    if (st == AS_OK && freed_bed) {
        st = as_reception_fill(m);
    }
    return st;
}

as_status as_movement_on_transfer_back(as_model *m, const as_event *ev)
{
    uint32_t h = ev->entity;
    uint32_t f = m->hh.first[h];
    as_benefits_settle(m, h, ev->time, 0); /* months abroad are not paid */
    as_benefits_on_return(m, h, ev->time - m->hh.left_t[h]);
    unsigned back = 0;
    int protected_back = 0;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (m->pop.place[p] != AS_PLACE_LEFT || m->pop.case_state[p] == AS_CASE_CLOSED) {
            continue; /* never left with the household, or transferred out under Dublin */
        }
        back++;
        m->cum_transfers_back++;
        as_observe_count(m, AS_IND_TRANSFERS_BACK, 1);
        as_status st;
        if (m->pop.legal[p] == AS_LEGAL_APPLICANT) {
            st = as_reception_admit(m, p);
            if (st == AS_OK) {
                st = as_procedure_open(m, p);
            }
        } else {
            as_person_begin(m, p);
            m->pop.place[p] = AS_PLACE_COMMUNITY;
            m->pop.lodging[p] = AS_LODGING_OWN;
            as_person_end(m, p);
            protected_back = 1;
            st = as_language_on_return(m, p);
        }
        if (st == AS_OK) {
            st = as_school_on_entry(m, p);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    if (!back) {
        return AS_OK;
    }
    as_status st = AS_OK;
    if (protected_back) {
        /* Returned status holders live in the community (a crisis centre) and search. */
        st = as_housing_on_return(m, h);
    }
    if (st == AS_OK) {
        st = as_benefits_update(m, h);
    }
    if (st == AS_OK) {
        st = as_movement_start(m, h);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}
