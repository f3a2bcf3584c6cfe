/* Aggregation over replications (include/asylsim/run.h): the mean by compensated summation in
 * replication order, so it does not depend on which thread ran what, and the 5/50/95 quantiles
 * by linear interpolation between order statistics (design.md, "Runs, comparison, outputs"). */
#include "asylsim/run.h"

#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "asylsim/ksum.h"

void as_summarize(const double *x, size_t n, double *scratch, as_summary *out)
{
    as_ksum s = {0, 0};
    for (size_t i = 0; i < n; i++) {
        as_ksum_add(&s, x[i]);
    }
    out->mean = as_ksum_value(&s) / (double)n;
    memcpy(scratch, x, n * sizeof *scratch);
    gsl_sort(scratch, 1, n);
    out->p05 = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.05);
    out->p50 = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.50);
    out->p95 = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.95);
}
