/* The budget lines (model.md §2.13): every euro the model pays is booked to a (line, payer) row in
 * the month it is paid. One-off payments (clothing card, one-off support, benefit months) are
 * booked where they happen; daily costs are accrued, not scheduled: the running counts of
 * population.c (beds occupied, applicants paid the allowance, persons on GMI...) are integrated
 * into person-days between events, and at each tick — every month start and every step of a
 * dated price — the person-days are priced and booked. Prices are therefore exact to the day with
 * no event per person per day. The same holds for the staff cost of mentoring (staff-days), the
 * schooling support (child-days) and the taxes on formal wages (wage-days), which are booked as
 * negative euros on the revenue rows.
 *
 * Indexation: a price under `cpi` indexation is multiplied, from each 1 January after the
 * indexation starts (run.start, or run.reform_start when only a reform sets it), by
 * 1 + budget.cpi_growth as dated on that 1 January. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"

const as_budget_row_def as_budget_rows[AS_N_BUDGET_ROWS] = {
#define AS_X_DEF(id, line, payer, annotation) {line, payer, annotation},
        AS_BUDGET_ROWS(AS_X_DEF)
#undef AS_X_DEF
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void add_steps(const as_dated *d, int32_t lo, int32_t hi, double *t, size_t *n)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->from_day[i] > lo && d->from_day[i] < hi) {
            t[(*n)++] = (double)(d->from_day[i] - lo);
        }
    }
}

/* First day an indexation setting is active: run.start when the before-phase value is on,
 * run.reform_start when only the after-phase one is, INT32_MAX when neither. */
static int32_t index_base(const as_model *m, int before_on, int after_on)
{
    if (before_on) {
        return m->start_day;
    }
    if (after_on) {
        return as_scn_date(m->scn, AS_S_RUN_REFORM_START);
    }
    return INT32_MAX;
}

as_status as_budget_setup(as_model *m, as_error *err)
{
    int32_t lo = m->grid.bound[0], hi = m->grid.bound[m->grid.n_months];
    const as_dated *prices[] = {m->d_bed_cost,       m->d_allowance, m->d_in_kind,
                                m->d_gmi_first,      m->d_gmi_next,  m->d_municipal,
                                m->d_social_workers, m->d_mentors,   m->d_worker_cost,
                                m->d_mentor_cost,    m->d_vat,       m->d_eu_mentoring,
                                m->d_school_cost,    m->d_pit,       m->d_ssc,
                                m->d_pit_muni};
    size_t cap = (size_t)m->grid.n_months + 2;
    for (size_t k = 0; k < sizeof prices / sizeof prices[0]; k++) {
        cap += prices[k]->n;
    }
    double *t = malloc(cap * sizeof *t);
    m->ticks.t = malloc(cap * sizeof *m->ticks.t);
    m->ticks.is_month_end = malloc(cap);
    m->ticks.month_of = malloc(cap * sizeof *m->ticks.month_of);
    int y0, y1, mo, d;
    as_civil_from_days(lo, &y0, &mo, &d);
    as_civil_from_days(hi, &y1, &mo, &d);
    m->cpi_year0 = y0;
    m->cpi_years = y1 - y0 + 1;
    m->cpi_index = malloc((size_t)m->cpi_years * sizeof *m->cpi_index);
    if (!t || !m->ticks.t || !m->ticks.is_month_end || !m->ticks.month_of || !m->cpi_index) {
        free(t);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    size_t n = 0;
    for (int k = 1; k <= m->grid.n_months; k++) {
        t[n++] = (double)(m->grid.bound[k] - lo);
    }
    for (size_t k = 0; k < sizeof prices / sizeof prices[0]; k++) {
        add_steps(prices[k], lo, hi, t, &n);
    }
    /* The day after mentoring.funded_until, when the staff cost stops. */
    for (int ph = 0; ph < 2; ph++) {
        int32_t fu = m->par[ph].mentoring_funded_until;
        if (fu != INT32_MIN && fu + 1 > lo && fu + 1 < hi && n < cap) {
            t[n++] = (double)(fu + 1 - lo);
        }
    }
    qsort(t, n, sizeof *t, cmp_double);
    size_t j = 0;
    int month = 0;
    for (size_t i = 0; i < n; i++) {
        if (j > 0 && !(t[i] > m->ticks.t[j - 1])) {
            continue; /* duplicate */
        }
        m->ticks.t[j] = t[i];
        m->ticks.month_of[j] = month;
        int end = !(t[i] < (double)(m->grid.bound[month + 1] - lo));
        m->ticks.is_month_end[j] = (uint8_t)end;
        month += end;
        j++;
    }
    m->ticks.n = j;
    free(t);

    /* CPI index by year: cpi_index[k] = product of (1 + growth on 1 January) from year y0 + 1 to
     * y0 + k. Ratios of it give the index between two years. */
    m->cpi_index[0] = 1.0;
    for (int k = 1; k < m->cpi_years; k++) {
        double g = as_dated_at(m->d_cpi, (double)as_days_from_civil(y0 + k, 1, 1));
        m->cpi_index[k] = m->cpi_index[k - 1] * (1.0 + g);
    }
    m->allowance_index_base = index_base(m, m->par[0].allowance_cpi, m->par[1].allowance_cpi);
    m->benefit_index_base =
            index_base(m, m->par[0].benefit_index != 0, m->par[1].benefit_index != 0);
    return AS_OK;
}

void as_budget_teardown(as_model *m)
{
    free(m->ticks.t);
    free(m->ticks.is_month_end);
    free(m->ticks.month_of);
    free(m->cpi_index);
    memset(&m->ticks, 0, sizeof m->ticks);
    m->cpi_index = NULL;
}

void as_budget_start(as_model *m)
{
    m->accrue_t = 0.0;
    memset(m->person_days, 0, sizeof m->person_days);
    m->gmi_first_days = 0.0;
    m->gmi_wage_days = m->wage_days = 0.0;
    m->gmi_wages = m->wages_formal = 0.0;
}

double as_allowance_index(const as_model *m, int32_t day)
{
    if (day < m->allowance_index_base) {
        return 1.0;
    }
    const as_par *par = &m->par[(double)(day - m->start_day) >= m->reform_t];
    if (!par->allowance_cpi) {
        return 1.0;
    }
    int yb, y, mo, d;
    as_civil_from_days(m->allowance_index_base, &yb, &mo, &d);
    as_civil_from_days(day, &y, &mo, &d);
    int kb = yb - m->cpi_year0, k = y - m->cpi_year0;
    if (kb < 0 || k >= m->cpi_years) {
        return 1.0;
    }
    return m->cpi_index[k] / m->cpi_index[kb];
}

void as_budget_accrue(as_model *m, double t)
{
    double dt = t - m->accrue_t;
    if (!(dt > 0)) {
        return;
    }
    for (int c = 0; c < AS_C_N; c++) {
        m->person_days[c] += m->cnt_d[c] * dt;
    }
    m->gmi_first_days += (double)m->gmi_households * dt;
    m->gmi_wage_days += m->gmi_wages * dt;
    m->wage_days += m->wages_formal * dt;
    m->accrue_t = t;
}

void as_budget_book(as_model *m, as_budget_row_id r, double eur)
{
    m->obs->budget[(size_t)r * (size_t)m->obs->n_months + (size_t)m->month] += eur;
}

void as_budget_book_accruals(as_model *m, double interval_start)
{
    double day = as_model_day(m, interval_start);
    int32_t iday = (int32_t)floor(day);
    const double *pd = m->person_days;
    double bed = as_dated_at(m->d_bed_cost, day);
    double allow = as_allowance_index(m, iday);
    as_budget_book(m, AS_BR_RECEPTION_STATE, pd[AS_C_IN_RECEPTION] * bed);
    as_budget_book(m, AS_BR_RECEPTION_MUNICIPALITY, pd[AS_C_MUNICIPAL_BEDS] * bed);
    as_budget_book(m, AS_BR_ALLOWANCE_STATE,
                   allow * (pd[AS_C_ALLOWANCE] * as_dated_at(m->d_allowance, day) +
                            pd[AS_C_IN_KIND] * as_dated_at(m->d_in_kind, day)));
    double next_days = pd[AS_C_ON_GMI] - m->gmi_first_days;
    as_budget_book(m, AS_BR_GMI_MUNICIPALITY,
                   (m->gmi_first_days * as_dated_at(m->d_gmi_first, day) +
                    next_days * as_dated_at(m->d_gmi_next, day)) /
                           AS_DAYS_PER_MONTH);
    as_budget_book(m, AS_BR_MUNICIPAL_ASSISTANCE_STATE,
                   pd[AS_C_ON_GMI] * as_dated_at(m->d_municipal, day) / AS_DAYS_PER_YEAR);
    as_budget_book(m, AS_BR_GMI_MUNICIPALITY, -m->gmi_wage_days / AS_DAYS_PER_MONTH);

    /* Mentoring staff: employed whether or not clients come, until mentoring.funded_until. */
    double staff_days = m->accrue_t - interval_start;
    const as_par *par = as_model_par(m, interval_start);
    if (par->mentoring_funded_until == INT32_MIN || iday <= par->mentoring_funded_until) {
        double month_cost =
                as_dated_at(m->d_social_workers, day) * as_dated_at(m->d_worker_cost, day) +
                as_dated_at(m->d_mentors, day) * as_dated_at(m->d_mentor_cost, day);
        double eur = month_cost * par->pay_multiplier * (1 + as_dated_at(m->d_vat, day)) *
                     staff_days / AS_DAYS_PER_MONTH;
        double esf = as_dated_at(m->d_eu_mentoring, day);
        as_budget_book(m, AS_BR_MENTORING_STATE, eur * (1 - esf));
        as_budget_book(m, AS_BR_MENTORING_ESF, eur * esf);
    }

    /* Schooling support: IZM before status, the municipality after. */
    double school = as_dated_at(m->d_school_cost, day) / AS_DAYS_PER_MONTH;
    as_budget_book(m, AS_BR_EDUCATION_MINORS_STATE, pd[AS_C_SCHOOL_IZM] * school);
    as_budget_book(m, AS_BR_EDUCATION_MINORS_MUNICIPALITY, pd[AS_C_SCHOOL_MUNI] * school);

    /* Revenue from formal wages, booked as negative euros (model.md §2.13). */
    double wage_months = m->wage_days / AS_DAYS_PER_MONTH;
    double pit = wage_months * as_dated_at(m->d_pit, day);
    double muni = as_dated_at(m->d_pit_muni, day);
    as_budget_book(m, AS_BR_PIT_REVENUE_STATE, -pit * (1 - muni));
    as_budget_book(m, AS_BR_PIT_REVENUE_MUNICIPALITY, -pit * muni);
    as_budget_book(m, AS_BR_SSC_REVENUE_STATE, -wage_months * as_dated_at(m->d_ssc, day));

    memset(m->person_days, 0, sizeof m->person_days);
    m->gmi_first_days = 0.0;
    m->gmi_wage_days = 0.0;
    m->wage_days = 0.0;
}
