/* Benefits after status (model.md §2.5) and the guaranteed minimum income.
 *
 * The household is the unit. Its first grant opens a benefit episode: the entitlement day is the
 * day of that grant, the number of paid months is benefits.months_refugee or
 * benefits.months_alternative (by the first grantee's status) as dated on that day, and the months
 * fall within benefits.window_months of it. Month k is paid on the k-th monthly anniversary of
 * the entitlement (monthly in arrears, no pro-rating — an assumption of model.md) if the household
 * is then eligible: a status holder present and, with benefits.require_nva, registered with NVA.
 * The amount is benefits.monthly_adult_eur for the first status holder plus
 * benefits.monthly_next_eur for each further status holder present, as dated on the payment day,
 * times the indexation. Anniversaries are settled lazily — before any change that could change
 * eligibility, and at each month end — so a payment is never an event and still lands on its day.
 *
 * Each status holder's one-off support (benefits.one_off_adult_eur for the household's first
 * adult, benefits.one_off_next_eur for the others, as dated on the entitlement day; or, with
 * one_off_rule = move_in, deposit + first rent + start-up goods for the household's first adult) is
 * paid when the bank account opens, benefits.bank_account_delay_days after status, minus
 * benefits.pmic_deduction_eur_day for each day spent in the reception centre after status.
 *
 * When no episode is active, a household with a status holder present that claims GMI (take-up
 * drawn once, benefits.gmi_takeup) receives benefits.gmi_first_eur + benefits.gmi_next_eur per
 * further member present, accrued per day in budget.c, with benefits.municipal_eur_person_year of
 * other municipal assistance per person. Income from work and the job rules come with issue #5. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "asylsim/calendar.h"
#include "asylsim/rng.h"

as_status as_benefits_setup(as_model *m, as_error *err)
{
    (void)err;
    m->episodes = NULL;
    m->n_episodes = m->cap_episodes = 0;
    return AS_OK;
}

void as_benefits_teardown(as_model *m)
{
    free(m->episodes);
    m->episodes = NULL;
    m->n_episodes = m->cap_episodes = 0;
}

void as_benefits_start(as_model *m)
{
    m->n_episodes = 0;
    m->gmi_households = 0;
}

double as_benefit_index(const as_model *m, int32_t day)
{
    if (day < m->benefit_index_base) {
        return 1.0;
    }
    const as_par *par = &m->par[(double)(day - m->start_day) >= m->reform_t];
    if (par->benefit_index == 1) {
        int yb, y, mo, d;
        as_civil_from_days(m->benefit_index_base, &yb, &mo, &d);
        as_civil_from_days(day, &y, &mo, &d);
        int kb = yb - m->cpi_year0, k = y - m->cpi_year0;
        if (kb < 0 || k >= m->cpi_years) {
            return 1.0;
        }
        return m->cpi_index[k] / m->cpi_index[kb];
    }
    if (par->benefit_index == 2) {
        double base = as_dated_at(m->d_min_wage, (double)m->benefit_index_base);
        return base > 0 ? as_dated_at(m->d_min_wage, (double)day) / base : 1.0;
    }
    return 1.0;
}

/* Hours a week from which a course counts as education that stops the benefit (without
 * benefits.keep_during_training): full-time study, an assumption. */
#define FULL_TIME_COURSE_HOURS 20.0

static int eligible(const as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng), day = as_model_day(m, now);
    const as_par *par = as_model_par(m, now);
    unsigned n = as_hh_present(m, h);
    if (as_hh_protected_present(m, h) == 0 || (m->hh.flags[h] & AS_HF_STOPPED)) {
        return 0;
    }
    if (par->require_nva && !(m->hh.flags[h] & AS_HF_NVA)) {
        return 0;
    }
    if (as_household_wages(m, h) > as_dated_at(m->d_means_limit, day) * (double)n) {
        return 0; /* means test: income per member above the limit */
    }
    if (!par->keep_during_training && as_dated_at(m->d_post_hours, day) >= FULL_TIME_COURSE_HOURS) {
        uint32_t f = m->hh.first[h];
        for (unsigned i = 0; i < m->hh.size[h]; i++) {
            if (as_is_present(m, f + i) && m->pop.course[f + i] == AS_COURSE_POST) {
                return 0;
            }
        }
    }
    return 1;
}

as_status as_benefits_on_status(as_model *m, uint32_t p)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    uint32_t h = m->pop.household[p];
    if (m->hh.head[h] == UINT32_MAX) {
        m->hh.head[h] = p; /* the first status holder is paid the first-adult amounts */
    }
    if (m->hh.ent_months[h] == 0 && !(m->hh.flags[h] & AS_HF_BENEFIT)) {
        /* The household's first grant: open the episode and draw the NVA registration and the
         * GMI take-up, once. */
        int32_t day = (int32_t)floor(as_model_day(m, now));
        const as_dated *months =
                m->pop.legal[p] == AS_LEGAL_REFUGEE ? m->d_months_refugee : m->d_months_alternative;
        double n_months = as_dated_at(months, (double)day);
        as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_BENEFIT, 0);
        double u_gmi = as_rng_uniform(m->rng);
        as_household_begin(m, h);
        m->hh.ent_day[h] = day;
        m->hh.ent_months[h] = (uint16_t)(n_months > 600 ? 600 : n_months);
        m->hh.paid[h] = 0;
        m->hh.next_k[h] = 1;
        m->hh.next_day[h] = as_add_months(day, 1);
        m->hh.flags[h] |= AS_HF_BENEFIT;
        if (u_gmi < par->gmi_takeup) {
            m->hh.flags[h] |= AS_HF_GMI_TAKEUP;
        }
        as_household_end_shared(m, h);
        if (as_hh_list_push(m, &m->episodes, &m->n_episodes, &m->cap_episodes, h) != AS_OK) {
            return AS_ERR_NOMEM;
        }
    }
    as_status st = as_benefits_update(m, h);
    if (st != AS_OK) {
        return st;
    }
    double t = now + par->bank_account_delay_days;
    if (t < m->horizon) {
        return as_engine_schedule(m->eng, t, p, AS_P_ACCOUNT);
    }
    return AS_OK;
}

as_status as_benefits_on_account(as_model *m, const as_event *ev)
{
    uint32_t p = ev->entity;
    uint32_t h = m->pop.household[p];
    if (!as_is_present(m, p)) {
        return AS_OK; /* left before the account opened */
    }
    as_person_begin(m, p);
    m->pop.flags[p] |= AS_PF_ACCOUNT;
    as_person_end(m, p);
    as_status st0 = as_employment_update(m, p);
    if (st0 != AS_OK) {
        return st0;
    }
    double status_t = m->pop.status_t[p];
    const as_par *par = as_model_par(m, status_t);
    double ent_day = floor(as_model_day(m, status_t));
    int is_head = m->hh.head[h] == p;
    double amount;
    if (par->one_off_move_in) {
        if (!is_head) {
            return AS_OK;
        }
        unsigned n = as_hh_present(m, h);
        double rent = as_dated_at(m->d_rent_base, ent_day) +
                      as_dated_at(m->d_rent_extra, ent_day) * (n > 2 ? (double)(n - 2) : 0.0);
        amount = rent * (1.0 + par->deposit_months) + as_dated_at(m->d_goods, ent_day);
    } else {
        amount = as_dated_at(is_head ? m->d_one_off_adult : m->d_one_off_next, ent_day);
    }
    if (m->pop.flags[p] & AS_PF_IN_PMIC_AT_STATUS) {
        double until = m->pop.place[p] == AS_PLACE_RECEPTION ? ev->time : m->pop.pmic_left_t[p];
        double days = until > status_t ? until - status_t : 0.0;
        amount -= days * as_dated_at(m->d_pmic_deduction, ent_day);
    }
    if (amount > 0) {
        int32_t today = (int32_t)floor(as_model_day(m, ev->time));
        double paid = amount * as_benefit_index(m, today);
        as_budget_book(m, AS_BR_ONE_OFF_SUPPORT_STATE, paid);
        m->hh.cash[h] += paid; /* towards the up-front rent (housing.cash_gate) */
        return as_housing_update(m, h);
    }
    return AS_OK;
}

/* Ends h's episode. */
static void end_episode(as_model *m, uint32_t h)
{
    as_household_begin(m, h);
    m->hh.flags[h] &= (uint16_t) ~(AS_HF_BENEFIT | AS_HF_ON_BENEFIT | AS_HF_STOPPED);
    as_household_end_shared(m, h);
    as_engine_cancel(m->eng, h, AS_P_BENEFIT_STOP);
}

/* Registration with NVA was the benefit's condition: it lapses at the first month end after the
 * episode ended (an assumption; the report counts NVA's clients only while they are registered
 * unemployed). At a month end, not whenever the episode is settled, so that its timing does not
 * depend on unrelated events. */
static void lapse_nva(as_model *m, uint32_t h)
{
    as_household_begin(m, h);
    m->hh.flags[h] &= (uint16_t)~AS_HF_NVA;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        m->pop.flags[f + i] &= (uint16_t)~AS_PF_NVA;
    }
    as_household_end(m, h);
}

void as_benefits_settle(as_model *m, uint32_t h, double t, int strictly_before)
{
    if (!(m->hh.flags[h] & AS_HF_BENEFIT)) {
        return;
    }
    const as_par *par = as_model_par(m, t);
    int ok = eligible(m, h);
    unsigned n = as_hh_protected_present(m, h);
    for (;;) {
        int k = m->hh.next_k[h];
        if (k > par->window_months || m->hh.paid[h] >= m->hh.ent_months[h]) {
            end_episode(m, h);
            return;
        }
        int32_t a = m->hh.next_day[h];
#if AS_DEBUG_CHECKS
        assert(a == as_add_months(m->hh.ent_day[h], k));
#endif
        double ta = (double)(a - m->start_day);
        if (strictly_before ? !(ta < t) : !(ta <= t)) {
            return;
        }
        if (ok && n > 0) {
            double eur = as_dated_at(m->d_monthly_adult, (double)a) +
                         as_dated_at(m->d_monthly_next, (double)a) * (double)(n - 1);
            as_budget_book(m, AS_BR_MONTHLY_BENEFIT_STATE, eur * as_benefit_index(m, a));
            m->hh.paid[h]++;
        }
        m->hh.next_k[h] = (uint16_t)(k + 1);
        m->hh.next_day[h] = as_add_months(m->hh.ent_day[h], k + 1);
    }
}

as_status as_benefits_update(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng), day = as_model_day(m, now);
    uint16_t f = m->hh.flags[h];
    uint16_t want = f & (uint16_t) ~(AS_HF_ON_BENEFIT | AS_HF_ON_GMI);
    if (as_hh_protected_present(m, h) > 0) {
        if (f & AS_HF_BENEFIT) {
            if (eligible(m, h)) {
                want |= AS_HF_ON_BENEFIT;
            }
        } else if (f & AS_HF_GMI_TAKEUP) {
            unsigned n = as_hh_present(m, h);
            double level = as_dated_at(m->d_gmi_first, day) +
                           as_dated_at(m->d_gmi_next, day) * (double)(n - 1);
            if (as_household_wages(m, h) < level) {
                want |= AS_HF_ON_GMI;
            }
        }
    }
    if (want == f) {
        return AS_OK;
    }
    if (f & AS_HF_ON_GMI) {
        m->gmi_wages -= as_household_wages(m, h);
    }
    as_household_begin(m, h);
    m->hh.flags[h] = want;
    as_household_end_shared(m, h);
    if (want & AS_HF_ON_GMI) {
        m->gmi_wages += as_household_wages(m, h);
    }
    m->gmi_households += (int64_t)((want & AS_HF_ON_GMI) != 0) - (int64_t)((f & AS_HF_ON_GMI) != 0);
    return as_covariates_changed(m, h);
}

as_status as_benefits_on_formal_job(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (!par->job_stop_rule || !(m->hh.flags[h] & AS_HF_BENEFIT) ||
        as_engine_is_pending(m->eng, h, AS_P_BENEFIT_STOP)) {
        return AS_OK;
    }
    double t = now + par->stop_after_job_days;
    return t < m->horizon ? as_engine_schedule(m->eng, t, h, AS_P_BENEFIT_STOP) : AS_OK;
}

as_status as_benefits_on_stop(as_model *m, const as_event *ev)
{
    uint32_t h = ev->entity;
    uint32_t f = m->hh.first[h];
    int formal = 0;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        formal |= as_is_present(m, f + i) && m->pop.job[f + i] == 1;
    }
    if (!formal || !(m->hh.flags[h] & AS_HF_BENEFIT)) {
        return AS_OK; /* the job ended before the stop */
    }
    as_benefits_settle(m, h, ev->time, 0);
    m->hh.flags[h] |= AS_HF_STOPPED;
    return as_benefits_update(m, h);
}

as_status as_benefits_on_job_loss(as_model *m, uint32_t h)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    uint32_t f = m->hh.first[h];
    int formal = 0;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        formal |= as_is_present(m, f + i) && m->pop.job[f + i] == 1;
    }
    if (!formal) {
        as_engine_cancel(m->eng, h, AS_P_BENEFIT_STOP);
    }
    if (!formal && par->resume_after_job_loss && (m->hh.flags[h] & AS_HF_STOPPED)) {
        as_benefits_settle(m, h, as_engine_now(m->eng), 0);
        m->hh.flags[h] &= (uint16_t)~AS_HF_STOPPED;
    }
    return as_benefits_update(m, h);
}

void as_benefits_on_return(as_model *m, uint32_t h, double days_abroad)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    if ((m->hh.flags[h] & AS_HF_BENEFIT) && days_abroad > par->benefit_lost_days) {
        end_episode(m, h);
    }
}

as_status as_benefits_month_end(as_model *m, double t)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n_episodes; i++) {
        uint32_t h = m->episodes[i];
        as_benefits_settle(m, h, t, 1);
        as_status st = as_benefits_update(m, h);
        if (st != AS_OK) {
            return st;
        }
        if (m->hh.flags[h] & AS_HF_BENEFIT) {
            m->episodes[k++] = h;
            continue;
        }
        m->hh.refs[h]--;
        if (m->hh.flags[h] & AS_HF_NVA) {
            lapse_nva(m, h);
            st = as_covariates_changed(m, h);
            if (st != AS_OK) {
                return st;
            }
        }
    }
    m->n_episodes = k;
    return AS_OK;
}
