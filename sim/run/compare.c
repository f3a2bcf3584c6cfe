/* Paired differences of a reform against the baseline (include/asylsim/compare.h): yearly
 * values, budget sums, cohort shares and the headline of the comparison, each computed
 * replication by replication before it is summarised. */
#include "asylsim/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "asylsim/ksum.h"

int as_grid_years(const as_grid *g, as_year *years, int max)
{
    int n = 0;
    for (int m = 0; m < g->n_months; m++) {
        int y, mo, d;
        as_civil_from_days(g->bound[m], &y, &mo, &d);
        if (n > 0 && years[n - 1].year == y) {
            years[n - 1].m1 = m;
        } else if (n < max) {
            years[n].year = y;
            years[n].m0 = years[n].m1 = m;
            n++;
        }
    }
    return n;
}

double as_year_value(const as_run_set *s, uint32_t r, int i, const as_year *y)
{
    if (as_indicators[i].kind == AS_KIND_FLOW) {
        as_ksum k = {0, 0};
        for (int m = y->m0; m <= y->m1; m++) {
            as_ksum_add(&k, as_run_value(s, r, i, m));
        }
        return as_ksum_value(&k);
    }
    return as_run_value(s, r, i, y->m1);
}

double as_budget_sum(const as_run_set *s, uint32_t r, int b, int m0, int m1)
{
    as_ksum k = {0, 0};
    int b0 = b < 0 ? 0 : b, b1 = b < 0 ? AS_N_BUDGET_ROWS - 1 : b;
    for (int row = b0; row <= b1; row++) {
        for (int m = m0; m <= m1; m++) {
            as_ksum_add(&k, as_run_budget(s, r, row, m));
        }
    }
    return as_ksum_value(&k);
}

double as_cohort_share(const as_run_set *s, uint32_t r, int group, int share, int mm)
{
    double den = as_run_cohort(s, r, group, as_cohort_shares[share].den, mm);
    if (!(den > 0)) {
        return NAN;
    }
    return as_run_cohort(s, r, group, as_cohort_shares[share].num, mm) / den;
}

void as_reform_span(const as_run_set *s, int *first_year, int *last_year)
{
    int y, mo, d;
    as_civil_from_days(as_scn_date(s->scn, AS_S_RUN_REFORM_START), &y, &mo, &d);
    *first_year = y;
    as_civil_from_days(s->grid.bound[s->grid.n_months] - 1, &y, &mo, &d);
    *last_year = y;
}

/* The first period on or after the reform start. */
static int reform_period(const as_run_set *s)
{
    int32_t day = as_scn_date(s->scn, AS_S_RUN_REFORM_START);
    for (int m = 0; m < s->grid.n_months; m++) {
        if (day < s->grid.bound[m + 1]) {
            return m;
        }
    }
    return s->grid.n_months;
}

/* Summarises the finite values of x[0..n-1]; returns how many there were. */
static size_t summarize_finite(double *x, size_t n, double *scratch, as_summary *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            x[k++] = x[i];
        }
    }
    if (k > 0) {
        as_summarize(x, k, scratch, out);
    } else {
        memset(out, 0, sizeof *out);
    }
    return k;
}

as_status as_headline_compute(const as_run_set *base, const as_run_set *reform, as_headline *h)
{
    memset(h, 0, sizeof *h);
    uint32_t reps = base->reps < reform->reps ? base->reps : reform->reps;
    double *x = malloc(4 * (size_t)reps * sizeof *x);
    if (!x) {
        return AS_ERR_NOMEM;
    }
    double *scratch = x + reps, *num = x + 2 * (size_t)reps, *den = x + 3 * (size_t)reps;
    static const int shares[3] = {AS_SH_HOUSED, AS_SH_EMPLOYED, AS_SH_IN_LATVIA};
    static const int months[2] = {12, 24};
    for (int k = 0; k < 3; k++) {
        for (int j = 0; j < 2; j++) {
            for (uint32_t r = 0; r < reps; r++) {
                x[r] = as_cohort_share(reform, r, 1, shares[k], months[j]) -
                       as_cohort_share(base, r, 1, shares[k], months[j]);
            }
            h->has_share[k][j] = summarize_finite(x, reps, scratch, &h->d_share[k][j]) > 0;
        }
    }
    as_reform_span(base, &h->first_year, &h->last_year);
    int m0 = reform_period(base), m1 = base->grid.n_months - 1;
    double years = (double)(h->last_year - h->first_year + 1);
    for (uint32_t r = 0; r < reps; r++) {
        num[r] = m0 <= m1
                         ? as_budget_sum(reform, r, -1, m0, m1) - as_budget_sum(base, r, -1, m0, m1)
                         : 0.0;
        x[r] = num[r] / years;
    }
    as_summarize(x, reps, scratch, &h->net_per_year);
    as_summarize(num, reps, scratch, &h->net_total);
    /* Extra persons housed / employed 24 months after status, and the cost per extra person. */
    for (int which = 0; which < 2; which++) {
        int sum = which == 0 ? AS_CS_HOUSED : AS_CS_EMPLOYED;
        for (uint32_t r = 0; r < reps; r++) {
            den[r] = as_run_cohort(reform, r, 1, sum, 24) - as_run_cohort(base, r, 1, sum, 24);
        }
        as_summary *d = which == 0 ? &h->d_housed24 : &h->d_employed24;
        memcpy(x, den, reps * sizeof *x);
        as_summarize(x, reps, scratch, d);
        /* A cost per extra person needs extra persons: n/a unless the whole 5-95 band of the
         * difference is above 0 (a reform that may house or employ fewer has none to divide by). */
        int na = !(d->p05 > 0);
        for (uint32_t r = 0; r < reps; r++) {
            x[r] = fabs(den[r]) > 0 ? num[r] / den[r] : NAN;
        }
        as_summary *c = which == 0 ? &h->cost_per_housed : &h->cost_per_employed;
        na |= summarize_finite(x, reps, scratch, c) == 0;
        if (which == 0) {
            h->cost_per_housed_na = na;
        } else {
            h->cost_per_employed_na = na;
        }
    }
    free(x);
    return AS_OK;
}
