/* Paired comparison of reforms with the baseline (design.md, "Runs, comparison, outputs"). All
 * scenarios of an invocation run with the same seed, so replication r of a reform and of the
 * baseline share their random streams: the difference reform - baseline is taken replication by
 * replication and then summarised (mean, 5/50/95 quantiles). Only means add up; quantiles of a
 * total come from per-replication totals. This module computes; the writers format. */
#ifndef ASYLSIM_COMPARE_H
#define ASYLSIM_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/run.h"

/* Calendar years of a grid: year, first and last period (inclusive). */
typedef struct as_year {
    int year;
    int m0, m1;
} as_year;

/* Fills up to `max` years of g; returns how many. */
int as_grid_years(const as_grid *g, as_year *years, int max);

/* The yearly value of indicator i in replication r: the sum over the year's months for a flow,
 * the year's last month for a stock, cumulative or year-to-date count. */
double as_year_value(const as_run_set *s, uint32_t r, int i, const as_year *y);

/* EUR of budget row b (or, with b = -1, every row) in replication r over periods m0..m1. */
double as_budget_sum(const as_run_set *s, uint32_t r, int b, int m0, int m1);

/* A cohort share (AS_COHORT_SHARES) of group g at month mm in replication r; NAN when its
 * denominator is 0. */
double as_cohort_share(const as_run_set *s, uint32_t r, int group, int share, int mm);

/* The headline of one reform against the baseline: effects on the persons granted status from
 * the reform start (cohort group 1) and the budget from the reform start to the horizon. */
typedef struct as_headline {
    /* Differences in share (0-1) at 12 and 24 months since status: housed, employed, in Latvia. */
    as_summary d_share[3][2];
    int has_share[3][2];
    /* Differences in the number housed and employed at 24 months since status. */
    as_summary d_housed24, d_employed24;
    /* Net budget difference (EUR, revenue netted) per year, averaged over the years from the
     * reform start to the horizon, and in total over that span. */
    as_summary net_per_year, net_total;
    /* Net budget difference over the span / extra persons housed (employed) at 24 months, per
     * replication; `na` unless the 5-95 band of the denominator lies above 0. */
    as_summary cost_per_housed, cost_per_employed;
    int cost_per_housed_na, cost_per_employed_na;
    int first_year, last_year; /* the span */
} as_headline;

/* Computes the headline of `reform` against `base` (same grid and replications). AS_ERR_NOMEM or
 * AS_OK. */
as_status
as_headline_compute(const as_run_set *base, const as_run_set *reform, as_headline *h) AS_MUST_CHECK;

/* The reform start's year and the horizon's last year of a set. */
void as_reform_span(const as_run_set *s, int *first_year, int *last_year);

#endif
