/* Cohorts (model.md §4): every person first granted status inside the horizon, followed by
 * calendar months since the month of the grant (m = 0 is the end of that month). At each month
 * end the members granted 0..AS_COHORT_MONTHS months earlier are counted (present, housed, adult,
 * employed, A2+); the denominator of month m is the members granted at least m months before the
 * horizon end, so nobody in a share is censored. Persons are kept in grant order, so the members
 * of a grant month are a contiguous run. */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

const as_cohort_share_def as_cohort_shares[AS_N_COHORT_SHARES] = {
#define AS_X_DEF(id, name, num, den) {name, num, den},
        AS_COHORT_SHARES(AS_X_DEF)
#undef AS_X_DEF
};

#define COHORT_CELLS AS_COHORT_CELLS

as_status as_cohorts_setup(as_model *m, as_error *err)
{
    m->cohort_month_start = calloc((size_t)m->grid.n_months + 2, sizeof *m->cohort_month_start);
    m->cohort_acc = calloc(COHORT_CELLS, sizeof *m->cohort_acc);
    if (!m->cohort_month_start || !m->cohort_acc) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    return AS_OK;
}

void as_cohorts_teardown(as_model *m)
{
    free(m->cohort);
    free(m->cohort_month_start);
    free(m->cohort_acc);
    m->cohort = NULL;
    m->cohort_month_start = NULL;
    m->cohort_acc = NULL;
}

void as_cohorts_start(as_model *m)
{
    m->n_cohort = 0;
    m->cohort_base = 0;
    m->cohort_filled = 0;
    m->cohort_month_start[0] = 0;
    memset(m->cohort_acc, 0, COHORT_CELLS * sizeof *m->cohort_acc);
}

/* Marks the start of every month up to `month` (exclusive of later grants). */
static void fill_starts(as_model *m, int month)
{
    while (m->cohort_filled < month) {
        m->cohort_filled++;
        m->cohort_month_start[m->cohort_filled] = m->n_cohort;
    }
}

as_status as_cohorts_on_status(as_model *m, uint32_t p)
{
    assert(m->pop.cohort_at[p] == AS_NO_SLOT); /* first granted once */
    if (m->n_cohort - m->cohort_base == m->cap_cohort) {
        size_t cap = m->cap_cohort ? 2 * m->cap_cohort : 1024;
        uint32_t *c = realloc(m->cohort, cap * sizeof *c);
        if (!c) {
            return AS_ERR_NOMEM;
        }
        m->cohort = c;
        m->cap_cohort = cap;
    }
    fill_starts(m, m->month);
    m->pop.cohort_at[p] = (uint32_t)m->n_cohort;
    m->cohort[m->n_cohort++ - m->cohort_base] = p;
    return AS_OK;
}

static double *cell(as_model *m, int group, as_cohort_sum s, int mm)
{
    return &m->cohort_acc[((size_t)group * AS_COHORT_N + (size_t)s) * (AS_COHORT_MONTHS + 1) +
                          (size_t)mm];
}

/* The period containing run.reform_start: grants from it on form cohort group 1. */
static int reform_month(const as_model *m)
{
    int32_t day = m->start_day + (int32_t)m->reform_t;
    for (int k = 0; k < m->grid.n_months; k++) {
        if (day < m->grid.bound[k + 1]) {
            return k;
        }
    }
    return m->grid.n_months;
}

void as_cohorts_observe(as_model *m)
{
    int k = m->month;
    int kr = reform_month(m);
    fill_starts(m, k + 1);
    int g0 = k - AS_COHORT_MONTHS > 0 ? k - AS_COHORT_MONTHS : 0;
    for (int g = g0; g <= k; g++) {
        int mm = k - g;
        int groups = g >= kr ? 2 : 1;
        /* Whole numbers, summed apart and added once: exact, as adding 1 at a time was. */
        int64_t present = 0, housed = 0, adults = 0, employed = 0, a2 = 0;
        const as_pop *pp = &m->pop;
        for (size_t i = m->cohort_month_start[g]; i < m->cohort_month_start[g + 1]; i++) {
            uint32_t p = m->cohort[i - m->cohort_base];
            if (p == AS_NO_SLOT || !as_is_present(m, p)) {
                continue;
            }
            present++;
            housed += pp->place[p] == AS_PLACE_COMMUNITY && as_is_protected(m, p);
            if (pp->flags[p] & AS_PF_ADULT) {
                adults++;
                employed += pp->job[p] != 0;
                a2 += pp->level[p] >= 2;
            }
        }
        for (int grp = 0; grp < groups; grp++) {
            *cell(m, grp, AS_CS_PRESENT, mm) += (double)present;
            *cell(m, grp, AS_CS_HOUSED, mm) += (double)housed;
            *cell(m, grp, AS_CS_ADULTS_PRESENT, mm) += (double)adults;
            *cell(m, grp, AS_CS_EMPLOYED, mm) += (double)employed;
            *cell(m, grp, AS_CS_A2_PLUS, mm) += (double)a2;
        }
    }
    /* Grants of months before k + 1 - AS_COHORT_MONTHS are never read again: drop them once they
     * are at least half of what is kept (amortised O(1) per grant), so the list stays within the
     * window. */
    int keep = k + 1 - AS_COHORT_MONTHS;
    size_t from = keep > 0 ? m->cohort_month_start[keep] : 0;
    if (from > m->cohort_base && from - m->cohort_base >= m->n_cohort - from) {
        memmove(m->cohort, m->cohort + (from - m->cohort_base),
                (m->n_cohort - from) * sizeof *m->cohort);
        m->cohort_base = from;
    }
}

void as_cohorts_finish(as_model *m)
{
    int n = m->grid.n_months;
    fill_starts(m, n);
    int kr = reform_month(m);
    size_t before = m->cohort_month_start[kr < n ? kr : n];
    for (int mm = 0; mm <= AS_COHORT_MONTHS; mm++) {
        int last = n - 1 - mm; /* grant months observed mm months later */
        size_t members = last >= 0 ? m->cohort_month_start[last + 1] : 0;
        *cell(m, 0, AS_CS_MEMBERS, mm) = (double)members;
        *cell(m, 1, AS_CS_MEMBERS, mm) = members > before ? (double)(members - before) : 0.0;
    }
    if (m->obs->cohort) {
        memcpy(m->obs->cohort, m->cohort_acc, COHORT_CELLS * sizeof *m->cohort_acc);
    }
}
