/* Covariates: what a household earns and pays, and the multipliers that the hazards of housing,
 * work and departure take from the household's state (model.md §1: baseline hazard x `hr_*`,
 * re-timed when a covariate changes). Every process that changes a household calls
 * as_covariates_changed(), which recomputes the multipliers of the household's risks and re-times
 * those that moved; the spent part of each risk's unit exponential is kept, so a change never
 * reshuffles draws and a higher hazard never delays an event. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

as_status as_dated_hazard(const as_model *m,
                          const as_dated *d,
                          double per_day,
                          as_hazard *h,
                          double **breaks,
                          double **rates)
{
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    *breaks = malloc((d->n + 1) * sizeof **breaks);
    *rates = malloc((d->n + 1) * sizeof **rates);
    if (!*breaks || !*rates) {
        return AS_ERR_NOMEM;
    }
    size_t n = 0;
    (*breaks)[n] = 0.0;
    (*rates)[n++] = as_dated_at(d, (double)lo) * per_day;
    for (size_t i = 0; i < d->n; i++) {
        if (d->from_day[i] > lo && d->from_day[i] < hi) {
            (*breaks)[n] = (double)(d->from_day[i] - lo);
            (*rates)[n++] = d->value[i] * per_day;
        }
    }
    *h = (as_hazard){.kind = AS_HAZARD_PIECEWISE,
                     .n_pieces = n,
                     .breaks_days = *breaks,
                     .rates_per_day = *rates};
    return AS_OK;
}

double as_household_wages(const as_model *m, uint32_t h)
{
    double w = 0;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        if (as_is_present(m, f + i) && m->pop.job[f + i]) {
            w += m->pop.wage[f + i];
        }
    }
    return w;
}

double as_household_rent(const as_model *m, unsigned n, double day)
{
    return as_dated_at(m->d_rent_base, day) +
           as_dated_at(m->d_rent_extra, day) * (n > 2 ? (double)(n - 2) : 0.0);
}

double as_household_income(const as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng), day = as_model_day(m, now);
    double w = as_household_wages(m, h);
    double income = w;
    unsigned n = as_hh_present(m, h), np = as_hh_protected_present(m, h);
    uint16_t f = m->hh.flags[h];
    if ((f & AS_HF_ON_BENEFIT) && np > 0) {
        income += (as_dated_at(m->d_monthly_adult, day) +
                   as_dated_at(m->d_monthly_next, day) * (double)(np - 1)) *
                  as_benefit_index(m, (int32_t)floor(day));
    }
    if ((f & AS_HF_ON_GMI) && n > 0) {
        double level = as_dated_at(m->d_gmi_first, day) +
                       as_dated_at(m->d_gmi_next, day) * (double)(n - 1);
        income += fmax(0.0, level - w);
    }
    if (m->hh.tenancy[h] == AS_TEN_GUARANTEED) {
        income += as_housing_subsidy(m, h, now);
    }
    return income;
}

int as_household_unaffordable(const as_model *m, uint32_t h)
{
    double now = as_engine_now(m->eng), day = as_model_day(m, now);
    const as_par *par = as_model_par(m, now);
    unsigned n = as_hh_present(m, h);
    if (n == 0) {
        return 0;
    }
    double cost = as_household_rent(m, n, day) +
                  as_dated_at(m->d_utilities, day) * (double)n *
                          (1.0 - (m->hh.tenancy[h] == AS_TEN_GUARANTEED
                                          ? as_tenancy_share(par->utilities_cover, m, h, now)
                                          : 0.0));
    return cost > par->affordability_limit * as_household_income(m, h);
}

/* Highest CEFR level among the household's adults present. */
static unsigned best_level(const as_model *m, uint32_t h)
{
    unsigned best = 0;
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (as_is_present(m, p) && (m->pop.flags[p] & AS_PF_ADULT) && m->pop.level[p] > best) {
            best = m->pop.level[p];
        }
    }
    return best;
}

/* Whether any member present works (*employed) and whether any is settled (*settled), in one
 * pass over the members. */
static void any_employed_settled(const as_model *m, uint32_t h, int *employed, int *settled)
{
    uint32_t f = m->hh.first[h];
    int e = 0, st = 0;
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        uint32_t p = f + i;
        if (as_is_present(m, p)) {
            e |= m->pop.job[p] != 0;
            st |= (m->pop.flags[p] & AS_PF_SETTLED) != 0;
        }
    }
    *employed = e;
    *settled = st;
}

static int has_children(const as_model *m, uint32_t h)
{
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; i < m->hh.size[h]; i++) {
        if (as_is_present(m, f + i) && !(m->pop.flags[f + i] & AS_PF_ADULT)) {
            return 1;
        }
    }
    return 0;
}

double as_search_multiplier(const as_model *m, uint32_t h)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    unsigned n = as_hh_present(m, h);
    double x = 1.0;
    if (has_children(m, h)) {
        x *= par->hr_children;
    }
    if (n > 2) {
        x *= as_pow_small(par->pow_extra_member, par->hr_extra_member, n - 2);
    }
    if (m->hh.flags[h] & AS_HF_POST_SOVIET) {
        x *= par->hr_post_soviet_housing;
    }
    if (!par->guarantee && as_household_unaffordable(m, h)) {
        x *= par->hr_unaffordable;
    }
    x *= as_pow_small(par->pow_level_housing, par->hr_level_housing, best_level(m, h));
    if (m->hh.flags[h] & AS_HF_MENTORED) {
        x *= par->hr_mentor_housing;
    }
    return x;
}

double as_leave_multiplier(const as_model *m, uint32_t h)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    uint16_t f = m->hh.flags[h];
    double x = 1.0;
    if (as_movement_phase(m, h) == 0) {
        if (f & AS_HF_RELOCATED) {
            x *= par->hr_relocated_applicant;
        }
    } else {
        if (as_hh_protected_present(m, h) > 0 && m->hh.tenancy[h] != AS_TEN_NONE) {
            x *= par->hr_housed;
        }
        if (f & AS_HF_ON_BENEFIT) {
            x *= par->hr_on_benefit;
        }
        if (as_household_unaffordable(m, h)) {
            x *= par->hr_inadequate;
        }
    }
    int employed, settled;
    any_employed_settled(m, h, &employed, &settled);
    if (employed) {
        x *= par->hr_employed;
    }
    if (f & AS_HF_POST_SOVIET) {
        x *= par->hr_post_soviet_leave;
    }
    if (f & AS_HF_MENTORED) {
        x *= par->hr_mentor_leave;
    }
    if (settled) {
        x *= par->hr_leave_settled;
    }
    return x;
}

double as_job_multiplier(const as_model *m, uint32_t p)
{
    const as_par *par = as_model_par(m, as_engine_now(m->eng));
    uint32_t h = m->pop.household[p];
    uint16_t pf = m->pop.flags[p];
    double x = as_pow_small(par->pow_level_job, par->hr_level_job, m->pop.level[p]);
    if (pf & AS_PF_BRIDGE) {
        x *= par->hr_bridge;
    }
    if (pf & AS_PF_NVA) {
        x *= par->hr_nva;
    }
    if (!(pf & AS_PF_ACCOUNT)) {
        x *= par->hr_cash_only;
    }
    if (m->hh.flags[h] & AS_HF_MENTORED) {
        x *= par->hr_mentor_job;
    }
    if (pf & AS_PF_FEMALE) {
        uint32_t f = m->hh.first[h];
        for (unsigned i = 0; i < m->hh.size[h]; i++) {
            uint32_t c = f + i;
            if (!(m->pop.flags[c] & AS_PF_ADULT) && m->pop.age[c] < 7 && as_is_present(m, c)) {
                x *= par->hr_mother;
                break;
            }
        }
    }
    return x;
}

as_status as_covariates_changed(as_model *m, uint32_t h)
{
    as_hh *hh = &m->hh;
    if (hh->dirty_next[h] == AS_NOT_LISTED) {
        hh->dirty_next[h] = AS_NO_SLOT;
        if (hh->dirty_tail == AS_NO_SLOT) {
            hh->dirty_head = h;
        } else {
            hh->dirty_next[hh->dirty_tail] = h;
        }
        hh->dirty_tail = h;
    }
    return AS_OK;
}

/* Re-times h's risks whose multiplier changed. */
static as_status retime(as_model *m, uint32_t h)
{
    as_status st = as_movement_update(m, h);
    if (st == AS_OK) {
        st = as_housing_update(m, h);
    }
    uint32_t f = m->hh.first[h];
    for (unsigned i = 0; st == AS_OK && i < m->hh.size[h]; i++) {
        st = as_employment_update(m, f + i);
    }
    return st;
}

as_status as_covariates_flush(as_model *m)
{
    as_hh *hh = &m->hh;
    while (hh->dirty_head != AS_NO_SLOT) {
        uint32_t h = hh->dirty_head;
        hh->dirty_head = hh->dirty_next[h];
        if (hh->dirty_head == AS_NO_SLOT) {
            hh->dirty_tail = AS_NO_SLOT;
        }
        hh->dirty_next[h] = AS_NOT_LISTED;
        as_status st = retime(m, h);
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}
