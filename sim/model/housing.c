/* Housing (model.md §2.8).
 *
 * When a member of a household in the reception centre is granted status, the household is
 * offered, in this order, a halfway / social flat (housing.halfway_units, dated, one household
 * each, for three years), a host family (housing.host_places, dated, single adults only, for
 * housing.host_months), or searches the private market. The search is a Weibull hazard (shape
 * 0.9) with median housing.search_median_months since its start, times hr_children,
 * hr_extra_member per member above two, hr_post_soviet, hr_unaffordable (cost share above
 * housing.affordability_limit; not with housing.guarantee), hr_per_level per CEFR step of the best
 * adult and mentoring.hr_housing, re-timed when any of them changes. A tenancy found is
 * `guaranteed` with housing.guarantee or a housing subsidy, private otherwise; it is lost with
 * housing.tenancy_loss_month (x hr_arrears when unaffordable) to a crisis centre, from where the
 * household searches again. After a placement the household moves to a tenancy of its own.
 *
 * The cash gate (housing.cash_gate; model.md §2.8: "blocked while cash < deposit + first rent"): a
 * private-market search makes no progress (hazard 0) while the household's cash is below what a
 * landlord asks up front, the rent of its size x (1 + deposit_months); not with the state
 * guarantee, which stands in for it. Cash is the one-off support when it is paid (benefits.c) plus,
 * at each month end while blocked, housing.savings_share of the month's income (benefit, GMI,
 * wages); renting spends the up-front sum. Blocked households wait in m->cash_wait.
 * reception.status_holders_may_stay = false moves the household out at once (to a crisis centre,
 * searching); reception.max_stay_after_status_days ends the stay the same way.
 *
 * Costs (housing_support, state), settled lazily like the benefit: the housing subsidy per person
 * (x subsidy_taper by tenancy year) and utilities_cover x utilities in a guaranteed tenancy,
 * host_pay_eur_month per host placement, halfway_cover x (rent + utilities) per halfway flat,
 * insurance_eur_year per guaranteed tenancy or host placement. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#include "asylsim/rng.h"

/* Weibull shape of the search (model.md §2.8). */
#define SEARCH_SHAPE 0.9
/* A halfway flat is for three years (halfway_cover has three years). */
#define HALFWAY_YEARS 3

as_status as_housing_setup(as_model *m, as_error *err)
{
    m->search_hazard = (as_hazard){.kind = AS_HAZARD_WEIBULL, .shape = SEARCH_SHAPE};
    if (as_dated_hazard(m, m->d_tenancy_loss, 1.0 / AS_DAYS_PER_MONTH, &m->tenancy_hazard,
                        &m->tenancy_breaks, &m->tenancy_rates) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

void as_housing_teardown(as_model *m)
{
    free(m->tenancy_breaks);
    free(m->tenancy_rates);
    free(m->programme);
    free(m->cash_wait);
    m->tenancy_breaks = m->tenancy_rates = NULL;
    m->programme = NULL;
    m->cash_wait = NULL;
    m->n_programme = m->cap_programme = 0;
    m->n_cash_wait = m->cap_cash_wait = 0;
}

void as_housing_start(as_model *m)
{
    m->host_used = m->halfway_used = 0;
    m->n_programme = 0;
    m->n_cash_wait = 0;
}

/* What a landlord asks of h up front at time t: the rent of its size x (1 + deposit_months). */
static double upfront(const as_model *m, uint32_t h, double t)
{
    const as_par *par = as_model_par(m, t);
    return as_household_rent(m, as_hh_present(m, h), as_model_day(m, t)) *
           (1.0 + par->deposit_months);
}

/* 1 if the cash gate blocks h's private-market search at time t. */
static int cash_blocked(const as_model *m, uint32_t h, double t)
{
    const as_par *par = as_model_par(m, t);
    return par->cash_gate && !par->guarantee && m->hh.cash[h] < upfront(m, h, t);
}

/* Marks h's search as waiting for cash, with one entry in the cash wait list. */
static as_status cash_wait_add(as_model *m, uint32_t h)
{
    m->hh.flags[h] |= AS_HF_CASH_WAIT; /* counts nothing: no begin/end needed */
    if (m->hh.flags[h] & AS_HF_CASH_LISTED) {
        return AS_OK;
    }
    if (as_hh_list_push(m, &m->cash_wait, &m->n_cash_wait, &m->cap_cash_wait, h) != AS_OK) {
        return AS_ERR_NOMEM;
    }
    m->hh.flags[h] |= AS_HF_CASH_LISTED;
    return AS_OK;
}

/* The search multiplier of h now, 0 while the cash gate blocks it (then h waits in the list). */
static as_status search_mult(as_model *m, uint32_t h, double now, double *mult)
{
    if (cash_blocked(m, h, now)) {
        *mult = 0.0;
        return cash_wait_add(m, h);
    }
    *mult = as_search_multiplier(m, h);
    return AS_OK;
}

/* Tenancy year (0, 1, 2; 3 and more after) of h at time t. */
static int tenancy_year(const as_model *m, uint32_t h, double t)
{
    double y = floor((t - m->hh.tenancy_t[h]) / AS_DAYS_PER_YEAR);
    return y < 0 ? 0 : (y > 3 ? 3 : (int)y);
}

double as_tenancy_share(const double *vec3, const as_model *m, uint32_t h, double t)
{
    int y = tenancy_year(m, h, t);
    return y < 3 ? vec3[y] : 0.0;
}

double as_housing_subsidy(const as_model *m, uint32_t h, double t)
{
    const as_par *par = as_model_par(m, t);
    return as_dated_at(m->d_subsidy, as_model_day(m, t)) *
           as_tenancy_share(par->subsidy_taper, m, h, t) * (double)as_hh_present(m, h);
}

/* EUR per day the state pays for h's housing at time t. */
static double support_per_day(const as_model *m, uint32_t h, double t)
{
    const as_par *par = as_model_par(m, t);
    double day = as_model_day(m, t);
    unsigned n = as_hh_present(m, h);
    if (n == 0) {
        return 0.0;
    }
    double insurance = as_dated_at(m->d_insurance, day) / AS_DAYS_PER_YEAR;
    switch (m->hh.tenancy[h]) {
    case AS_TEN_GUARANTEED:
        return (as_housing_subsidy(m, h, t) + as_tenancy_share(par->utilities_cover, m, h, t) *
                                                      as_dated_at(m->d_utilities, day) *
                                                      (double)n) /
                       AS_DAYS_PER_MONTH +
               insurance;
    case AS_TEN_HOST:
        return as_dated_at(m->d_host_pay, day) / AS_DAYS_PER_MONTH + insurance;
    case AS_TEN_HALFWAY:
        return as_tenancy_share(par->halfway_cover, m, h, t) *
               (as_household_rent(m, n, day) + as_dated_at(m->d_utilities, day) * (double)n) /
               AS_DAYS_PER_MONTH;
    default:
        return 0.0;
    }
}

void as_housing_settle(as_model *m, uint32_t h, double t)
{
    uint8_t ten = m->hh.tenancy[h];
    if (ten != AS_TEN_GUARANTEED && ten != AS_TEN_HOST && ten != AS_TEN_HALFWAY) {
        return;
    }
    double from = m->hh.housing_paid_t[h];
    while (from < t) {
        /* Split at tenancy anniversaries, where the shares change. */
        double next =
                m->hh.tenancy_t[h] +
                AS_DAYS_PER_YEAR * (floor((from - m->hh.tenancy_t[h]) / AS_DAYS_PER_YEAR) + 1);
        if (!(next > from)) {
            next = t; /* a boundary lost to rounding (from is on an anniversary): no split */
        }
        double to = next < t ? next : t;
        as_budget_book(m, AS_BR_HOUSING_SUPPORT_STATE, support_per_day(m, h, from) * (to - from));
        from = to;
    }
    m->hh.housing_paid_t[h] = t;
}

void as_housing_month_end(as_model *m, double t)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n_programme; i++) {
        uint32_t h = m->programme[i];
        as_housing_settle(m, h, t);
        uint8_t ten = m->hh.tenancy[h];
        if ((ten == AS_TEN_GUARANTEED || ten == AS_TEN_HOST || ten == AS_TEN_HALFWAY) &&
            as_hh_present(m, h) > 0) {
            m->programme[k++] = h;
        } else {
            m->hh.refs[h]--;
        }
    }
    m->n_programme = k;
}

static unsigned in_reception(const as_model *m, uint32_t h)
{
    unsigned n = 0;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        n += m->pop.place[f + i] == AS_PLACE_RECEPTION;
    }
    return n;
}

/* Sets h's tenancy now (settling the old one's costs first). */
static as_status set_tenancy(as_model *m, uint32_t h, uint8_t ten)
{
    double now = as_engine_now(m->eng);
    as_housing_settle(m, h, now);
    uint8_t old = m->hh.tenancy[h];
    if (old == AS_TEN_HOST) {
        m->host_used--;
    } else if (old == AS_TEN_HALFWAY) {
        m->halfway_used--;
    }
    as_household_begin(m, h);
    m->hh.tenancy[h] = ten;
    m->hh.tenancy_t[h] = now;
    as_household_end_shared(m, h);
    m->hh.housing_paid_t[h] = now;
    m->hh.tenancy_spell[h]++;
    if (ten == AS_TEN_HOST) {
        m->host_used++;
    } else if (ten == AS_TEN_HALFWAY) {
        m->halfway_used++;
    }
    if (ten != AS_TEN_NONE && ten != AS_TEN_CRISIS && now < m->hh.first_tenancy_t[h]) {
        m->hh.first_tenancy_t[h] = now;
    }
    if (ten == AS_TEN_GUARANTEED || ten == AS_TEN_HOST || ten == AS_TEN_HALFWAY) {
        return as_hh_list_push(m, &m->programme, &m->n_programme, &m->cap_programme, h);
    }
    return AS_OK;
}

/* Moves every member of h in the reception centre to the community. */
static as_status leave_centre(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    uint32_t f = m->hh.first[h];
    int moved = 0;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (m->pop.place[p] != AS_PLACE_RECEPTION) {
            continue;
        }
        as_person_begin(m, p);
        m->pop.place[p] = AS_PLACE_COMMUNITY;
        m->pop.lodging[p] = AS_LODGING_OWN;
        m->pop.pmic_left_t[p] = now;
        as_person_end(m, p);
        moved = 1;
        as_status st = as_language_leave(m, p, 0);
        if (st != AS_OK) {
            return st;
        }
    }
    as_engine_cancel(m->eng, h, AS_P_MAX_STAY);
    return moved ? as_reception_fill(m) : AS_OK;
}

static as_status start_loss(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_TENANCY, m->hh.tenancy_spell[h]);
    double mult = as_household_unaffordable(m, h) ? par->hr_arrears : 1.0;
    as_risk_start(&m->hh.loss[h], as_rng_exponential(m->rng, 1.0), now, mult);
    double t = as_risk_fire_u(&m->hh.loss[h], &m->tenancy_hazard);
    return isfinite(t) ? as_engine_schedule(m->eng, t, h, AS_P_TENANCY_LOSS) : AS_OK;
}

static as_status start_search(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if (as_engine_is_pending(m->eng, h, AS_P_HOUSING) || (m->hh.flags[h] & AS_HF_CASH_WAIT)) {
        return AS_OK; /* searching already (a blocked search is searching too) */
    }
    as_rng_seek(m->rng, m->seed, m->rep, as_hid(m, h), AS_STREAM_HOUSING, m->hh.search_spell[h]++);
    m->hh.search_t[h] = now;
    as_risk *r = &m->hh.search[h];
    double mult;
    as_status st = search_mult(m, h, now, &mult);
    if (st != AS_OK) {
        return st;
    }
    as_risk_start(r, as_rng_exponential(m->rng, 1.0), 0.0, mult);
    as_hazard hz = m->search_hazard;
    hz.scale_days = par->search_scale_days;
    double u = as_risk_fire_u(r, &hz);
    return isfinite(u) ? as_engine_schedule(m->eng, now + u, h, AS_P_HOUSING) : AS_OK;
}

/* Private tenancy (with the guarantee or subsidy when the scenario has one). */
static as_status rent(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    int programme = par->guarantee || as_dated_at(m->d_subsidy, as_model_day(m, now)) > 0;
    if (par->cash_gate && !par->guarantee) {
        m->hh.cash[h] = fmax(0.0, m->hh.cash[h] - upfront(m, h, now)); /* paid to the landlord */
    }
    m->hh.flags[h] &= (uint16_t)~AS_HF_CASH_WAIT; /* no longer searching */
    as_status st = set_tenancy(m, h, programme ? AS_TEN_GUARANTEED : AS_TEN_PRIVATE);
    if (st == AS_OK) {
        st = leave_centre(m, h);
    }
    if (st == AS_OK) {
        st = start_loss(m, h);
    }
    return st != AS_OK ? st : as_school_on_housed(m, h);
}

as_status as_housing_on_status(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    double day = as_model_day(m, now);
    if (m->hh.tenancy[h] != AS_TEN_NONE) {
        return AS_OK;
    }
    if (in_reception(m, h) == 0) {
        /* In the community already (it waited for a bed): housed where it is. */
        as_status st = set_tenancy(m, h, AS_TEN_PRIVATE);
        return st != AS_OK ? st : as_school_on_housed(m, h);
    }
    if (m->halfway_used < (int64_t)llround(as_dated_at(m->d_halfway_units, day))) {
        as_status st = set_tenancy(m, h, AS_TEN_HALFWAY);
        if (st == AS_OK) {
            st = leave_centre(m, h);
        }
        if (st == AS_OK && now + HALFWAY_YEARS * AS_DAYS_PER_YEAR < m->horizon) {
            st = as_engine_schedule(m->eng, now + HALFWAY_YEARS * AS_DAYS_PER_YEAR, h,
                                    AS_P_PROGRAMME_END);
        }
        return st != AS_OK ? st : as_school_on_housed(m, h);
    }
    if (as_hh_present(m, h) == 1 && (m->pop.flags[m->hh.first[h]] & AS_PF_ADULT) &&
        m->host_used < (int64_t)llround(as_dated_at(m->d_host_places, day))) {
        as_status st = set_tenancy(m, h, AS_TEN_HOST);
        if (st == AS_OK) {
            st = leave_centre(m, h);
        }
        if (st == AS_OK && now + par->host_days < m->horizon) {
            st = as_engine_schedule(m->eng, now + par->host_days, h, AS_P_PROGRAMME_END);
        }
        return st != AS_OK ? st : as_school_on_housed(m, h);
    }
    if (!par->status_holders_may_stay) {
        as_status st = set_tenancy(m, h, AS_TEN_CRISIS);
        if (st == AS_OK) {
            st = leave_centre(m, h);
        }
        if (st == AS_OK) {
            st = as_school_on_housed(m, h);
        }
        return st != AS_OK ? st : start_search(m, h);
    }
    as_status st = start_search(m, h);
    if (st == AS_OK && par->max_stay_days > 0 && !as_engine_is_pending(m->eng, h, AS_P_MAX_STAY) &&
        now + par->max_stay_days < m->horizon) {
        st = as_engine_schedule(m->eng, now + par->max_stay_days, h, AS_P_MAX_STAY);
    }
    return st;
}

as_status as_housing_on_found(as_model *m, const as_event *ev)
{
    as_status st = rent(m, ev->entity);
    return st != AS_OK ? st : as_covariates_changed(m, ev->entity);
}

as_status as_housing_on_max_stay(as_model *m, const as_event *ev)
{
    uint32_t h = ev->entity;
    if (m->hh.tenancy[h] != AS_TEN_NONE) {
        return AS_OK;
    }
    as_status st = set_tenancy(m, h, AS_TEN_CRISIS);
    if (st == AS_OK) {
        st = leave_centre(m, h);
    }
    if (st == AS_OK) {
        st = as_school_on_housed(m, h);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

as_status as_housing_on_loss(as_model *m, const as_event *ev)
{
    uint32_t h = ev->entity;
    as_status st = set_tenancy(m, h, AS_TEN_CRISIS);
    if (st == AS_OK) {
        st = start_search(m, h);
    }
    return st != AS_OK ? st : as_covariates_changed(m, h);
}

as_status as_housing_on_programme_end(as_model *m, const as_event *ev)
{
    as_status st = rent(m, ev->entity);
    return st != AS_OK ? st : as_covariates_changed(m, ev->entity);
}

as_status as_housing_update(as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng);
    const as_par *par = as_model_par(m, now);
    if ((m->hh.flags[h] & AS_HF_CASH_WAIT) || as_engine_is_pending(m->eng, h, AS_P_HOUSING)) {
        as_risk *r = &m->hh.search[h];
        double mult;
        as_status st0 = search_mult(m, h, now, &mult);
        if (st0 != AS_OK) {
            return st0;
        }
        if (fabs(mult - r->mult) > 1e-12 * as_fmax(1.0, mult)) {
            as_hazard hz = m->search_hazard;
            hz.scale_days = par->search_scale_days;
            double u_now = now - m->hh.search_t[h];
            as_risk_retime(r, &hz, u_now, mult);
            double u = as_risk_fire_u(r, &hz);
            double t = m->hh.search_t[h] + u;
            if (isfinite(t)) {
                as_status st = as_engine_schedule(m->eng, t, h, AS_P_HOUSING);
                if (st != AS_OK) {
                    return st;
                }
            } else {
                as_engine_cancel(m->eng, h, AS_P_HOUSING);
            }
        }
    }
    if (as_engine_is_pending(m->eng, h, AS_P_TENANCY_LOSS)) {
        as_risk *r = &m->hh.loss[h];
        double mult = as_household_unaffordable(m, h) ? par->hr_arrears : 1.0;
        if (fabs(mult - r->mult) > 1e-12 * as_fmax(1.0, mult)) {
            as_risk_retime(r, &m->tenancy_hazard, now, mult);
            double t = as_risk_fire_u(r, &m->tenancy_hazard);
            if (isfinite(t)) {
                return as_engine_schedule(m->eng, t, h, AS_P_TENANCY_LOSS);
            }
            as_engine_cancel(m->eng, h, AS_P_TENANCY_LOSS);
        }
    }
    return AS_OK;
}

as_status as_housing_on_return(as_model *m, uint32_t h)
{
    as_status st = set_tenancy(m, h, AS_TEN_CRISIS);
    if (st == AS_OK) {
        st = as_school_on_housed(m, h);
    }
    return st != AS_OK ? st : start_search(m, h);
}

as_status as_housing_cash_month_end(as_model *m, double t)
{
    const as_par *par = as_model_par(m, t);
    size_t k = 0, n = m->n_cash_wait;
    as_status st = AS_OK;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = m->cash_wait[i];
        int waiting = st == AS_OK && (m->hh.flags[h] & AS_HF_CASH_WAIT);
        int keep = 0;
        if (waiting) {
            m->hh.cash[h] += par->savings_share * as_household_income(m, h);
            keep = cash_blocked(m, h, t);
        }
        if (keep) {
            m->cash_wait[k++] = h;
            continue;
        }
        if (waiting) {
            st = as_housing_update(m, h); /* unblocked: the search goes on from here */
        }
        m->hh.flags[h] &= (uint16_t) ~(AS_HF_CASH_WAIT | AS_HF_CASH_LISTED);
        m->hh.refs[h]--;
    }
    /* as_housing_update adds nobody here (every household it re-times is unblocked), so the
     * list's tail beyond n is empty. */
    m->n_cash_wait = k;
    return st;
}

/* The household left Latvia: its housing ends (costs settled, places freed). */
as_status as_housing_on_departure(as_model *m, uint32_t h)
{
    as_engine_cancel(m->eng, h, AS_P_HOUSING);
    m->hh.flags[h] &= (uint16_t)~AS_HF_CASH_WAIT; /* the search ends (its list entry goes at the
                                                     month end) */
    as_engine_cancel(m->eng, h, AS_P_MAX_STAY);
    as_engine_cancel(m->eng, h, AS_P_TENANCY_LOSS);
    as_engine_cancel(m->eng, h, AS_P_PROGRAMME_END);
    return set_tenancy(m, h, AS_TEN_NONE);
}
