/* Employment and income (model.md §2.9).
 *
 * An adult present may work once allowed: status holders at once, applicants when
 * employment.work_permit_days pass without a decision (dated by the arrival day; the right ends
 * with a final negative). While allowed and without a job the person searches: a hazard
 * employment.find_month (dated) x employment.hr_per_level ^ CEFR level x hr_bridge_language x
 * hr_nva (registered) x hr_cash_only (no bank account yet) x mentoring.hr_job (mentored) x
 * hr_mother_young_child (a woman with a child under 7), sampled by integrated-hazard inversion and
 * re-timed when a covariate changes. A job is formal with 1 - informal_share, pays a lognormal
 * wage (median employment.wage_median_eur, sdlog 0.35) and ends with hazard
 * employment.loss_month. Jobs started while registered with NVA count in `nva_placements`. A
 * formal job starts the benefit's job-stop rule; formal wages pay income tax and social
 * contributions (budget.c). Draws: the person's JOB stream, substream 2 x job spell for the search
 * and 2 x spell + 1 for the job (formal, wage, loss). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/rng.h"

/* Log-sd of the wage (model.md §2.9). */
#define WAGE_SDLOG 0.35

as_status as_employment_setup(as_model *m, as_error *err)
{
    if (as_dated_hazard(m, m->d_find, 1.0 / AS_DAYS_PER_MONTH, &m->find_hazard, &m->find_breaks,
                        &m->find_rates) != AS_OK ||
        as_dated_hazard(m, m->d_loss, 1.0 / AS_DAYS_PER_MONTH, &m->loss_hazard, &m->loss_breaks,
                        &m->loss_rates) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

void as_employment_teardown(as_model *m)
{
    free(m->find_breaks);
    free(m->find_rates);
    free(m->loss_breaks);
    free(m->loss_rates);
    m->find_breaks = m->find_rates = m->loss_breaks = m->loss_rates = NULL;
}

static int may_search(const as_model *m, uint32_t p)
{
    return as_is_present(m, p) && (m->pop.flags[p] & AS_PF_ADULT) &&
           (m->pop.flags[p] & AS_PF_MAY_WORK) && m->pop.job[p] == 0;
}

as_status as_employment_update(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    as_risk *r = &m->pop.job_risk[p];
    if (m->pop.job[p]) {
        return AS_OK; /* employed: the loss risk does not depend on covariates */
    }
    if (!may_search(m, p)) {
        as_engine_cancel(m->eng, p, AS_P_JOB);
        return AS_OK;
    }
    double mult = as_job_multiplier(m, p);
    if (!as_engine_is_pending(m->eng, p, AS_P_JOB) && !(r->budget > 0 || r->mult > 0)) {
        as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_JOB, 2u * m->pop.job_spell[p]);
        as_risk_start(r, as_rng_exponential(m->rng, 1.0), now, mult);
    } else if (as_engine_is_pending(m->eng, p, AS_P_JOB)) {
        if (fabs(mult - r->mult) <= 1e-12 * as_fmax(1.0, mult)) {
            return AS_OK; /* nothing changed */
        }
        as_risk_retime(r, &m->find_hazard, now, mult);
    } else {
        /* A search interrupted (abroad, or not allowed for a while) resumes with what is left
         * of its unit exponential. */
        r->u_last = now;
        r->mult = mult;
    }
    double t = as_risk_fire_u(r, &m->find_hazard);
    if (!isfinite(t)) {
        as_engine_cancel(m->eng, p, AS_P_JOB);
        return AS_OK;
    }
    return as_engine_schedule(m->eng, t, p, AS_P_JOB);
}

/* Spends the search risk up to now before it pauses (departure, loss of the right to work). */
void as_employment_pause(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    as_risk *r = &m->pop.job_risk[p];
    if (m->pop.job[p] == 0 && as_engine_is_pending(m->eng, p, AS_P_JOB)) {
        as_risk_retime(r, &m->find_hazard, now, r->mult);
    }
    as_engine_cancel(m->eng, p, AS_P_JOB);
}

static void set_job(as_model *m, uint32_t p, uint8_t job, float wage)
{
    uint32_t h = m->pop.household[p];
    as_benefits_settle(m, h, as_engine_now(m->eng), 0);
    as_housing_settle(m, h, as_engine_now(m->eng));
    if (m->pop.job[p] == 1) {
        m->wages_formal -= m->pop.wage[p];
    }
    if (m->hh.flags[h] & AS_HF_ON_GMI) {
        m->gmi_wages -= as_household_wages(m, h);
    }
    as_person_begin(m, p);
    m->pop.job[p] = job;
    m->pop.wage[p] = wage;
    as_person_end(m, p);
    if (job == 1) {
        m->wages_formal += wage;
    }
    if (m->hh.flags[h] & AS_HF_ON_GMI) {
        m->gmi_wages += as_household_wages(m, h);
    }
}

as_status as_employment_end_job(as_model *m, uint32_t p)
{
    if (m->pop.job[p] == 0) {
        return AS_OK;
    }
    as_engine_cancel(m->eng, p, AS_P_JOB);
    set_job(m, p, 0, 0.0f);
    m->pop.job_spell[p]++;
    memset(&m->pop.job_risk[p], 0, sizeof m->pop.job_risk[p]);
    return AS_OK;
}

as_status as_employment_on_job(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    uint32_t h = m->pop.household[p];
    double now = ev->time;
    const as_par *par = as_model_par(m, now);
    as_status st;
    if (m->pop.job[p] == 0 && !may_search(m, p)) {
        return AS_OK; /* cannot happen: searches stop when the right to work or presence ends */
    }
    if (m->pop.job[p] == 0) {
        /* Found a job. */
        as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_JOB,
                    2u * m->pop.job_spell[p] + 1u);
        int formal = as_rng_uniform(m->rng) >= par->informal_share;
        double median = as_dated_at(m->d_wage, as_model_day(m, now));
        double wage = median * exp(WAGE_SDLOG * gsl_ran_gaussian_ziggurat(m->rng, 1.0));
        double e_loss = as_rng_exponential(m->rng, 1.0);
        if (m->pop.flags[p] & AS_PF_NVA) {
            /* A placement; the person is no longer a registered unemployed jobseeker. */
            as_observe_count(m, AS_IND_NVA_PLACEMENTS, 1);
            as_person_begin(m, p);
            m->pop.flags[p] &= (uint16_t)~AS_PF_NVA;
            as_person_end(m, p);
        }
        if (now < m->pop.first_job_t[p]) {
            m->pop.first_job_t[p] = now;
        }
        set_job(m, p, formal ? 1 : 2, (float)wage);
        as_risk_start(&m->pop.job_risk[p], e_loss, now, 1.0);
        double t = as_risk_fire_u(&m->pop.job_risk[p], &m->loss_hazard);
        st = isfinite(t) ? as_engine_schedule(m->eng, t, p, AS_P_JOB) : AS_OK;
        if (st == AS_OK) {
            st = as_language_on_job(m, p);
        }
        if (st == AS_OK && formal) {
            st = as_benefits_on_formal_job(m, h);
        }
    } else {
        /* Lost the job: search again with a new spell. */
        st = as_employment_end_job(m, p);
        if (st == AS_OK) {
            st = as_benefits_on_job_loss(m, h);
        }
        if (st == AS_OK) {
            st = as_language_on_job_loss(m, p);
        }
    }
    if (st == AS_OK) {
        st = as_benefits_update(m, h);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

as_status as_employment_allow(as_model *m, uint32_t p, int allowed)
{
    uint32_t h = m->pop.household[p];
    if (!(m->pop.flags[p] & AS_PF_ADULT)) {
        return AS_OK;
    }
    as_person_begin(m, p);
    if (allowed) {
        m->pop.flags[p] |= AS_PF_MAY_WORK;
    } else {
        m->pop.flags[p] &= (uint16_t)~AS_PF_MAY_WORK;
    }
    as_person_end(m, p);
    as_status st = AS_OK;
    if (!allowed) {
        as_employment_pause(m, p);
        st = as_employment_end_job(m, p);
        if (st == AS_OK) {
            st = as_benefits_update(m, h);
        }
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

as_status as_employment_on_permit(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    uint8_t cs = m->pop.case_state[p];
    if (!as_is_present(m, p) || m->pop.legal[p] != AS_LEGAL_APPLICANT ||
        !(cs == AS_CASE_QUEUED || cs == AS_CASE_IN_SERVICE || cs == AS_CASE_APPEAL)) {
        return AS_OK;
    }
    return as_employment_allow(m, p, 1);
}

as_status as_employment_on_arrival(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    if (!(m->pop.flags[p] & AS_PF_ADULT)) {
        return AS_OK;
    }
    double days = as_dated_at(m->d_work_permit, as_model_day(m, now));
    if (now + days < m->horizon) {
        return as_engine_schedule(m->eng, now + days, p, AS_P_PERMIT);
    }
    return AS_OK;
}

as_status as_employment_on_status(as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    if (!(m->pop.flags[p] & AS_PF_ADULT)) {
        return AS_OK;
    }
    as_rng_seek(m->rng, m->seed, m->rep, as_pid(m, p), AS_STREAM_NVA, 0);
    if (as_rng_uniform(m->rng) < par->nva_register_prob) {
        as_person_begin(m, p);
        m->pop.flags[p] |= AS_PF_NVA;
        as_person_end(m, p);
        uint32_t h = m->pop.household[p];
        as_household_begin(m, h);
        m->hh.flags[h] |= AS_HF_NVA;
        as_household_end_shared(m, h);
    }
    as_engine_cancel(m->eng, p, AS_P_PERMIT);
    return as_employment_allow(m, p, 1);
}
