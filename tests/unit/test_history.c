/* History: the shipped baseline against the official first-instance decisions 2015-2019
 * (issue #4): over 200 replications, at least 12 of the 15 yearly figures (refugee, alternative:
 * PMLP; negative: UNHCR first instance — the precedence rule of shared/data/README.md) lie inside
 * the baseline's own 5-95 band, and each outcome's 5-year total is within +-25% of the official
 * one. The report's pooled 13% / 15% of 2009-2022 applicants is printed as a check, not tested.
 * argv[2] is the shipped baseline. Seed 20150101. */
#include "asylsim/model.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "modelutil.h"
#include "testutil.h"

static const char *baseline = "../scenarios/baseline.cfg";

/* official_lv.csv: decisions_refugee and decisions_subsidiary (PMLP), decisions_negative (UNHCR
 * first instance), 2015..2019. */
static const double official[3][5] = {
        {6, 47, 39, 23, 37},
        {23, 107, 259, 24, 14},
        {134, 106, 78, 86, 104},
};
static const int ind[3] = {AS_IND_DECISIONS_REFUGEE, AS_IND_DECISIONS_ALTERNATIVE,
                           AS_IND_DECISIONS_NEGATIVE};
static const char *names[3] = {"refugee", "alternative", "negative"};

static void test_decisions_2015_2019(as_test_state *t)
{
    as_scenario *s = mt_load("", baseline);
    mt_runs x;
    const uint32_t reps = 200;
    mt_run(s, 20150101, reps, 0, &x);
    double v[200];
    int inside = 0;
    double arrivals = 0, granted[2] = {0, 0};
    for (int k = 0; k < 3; k++) {
        double total = 0, off_total = 0;
        for (int y = 0; y < 5; y++) {
            double year_sum = 0;
            for (uint32_t r = 0; r < reps; r++) {
                v[r] = mt_year_sum(&x, r, ind[k], 2015 + y);
                year_sum += v[r];
            }
            total += year_sum;
            gsl_sort(v, 1, reps);
            double lo = gsl_stats_quantile_from_sorted_data(v, 1, reps, 0.05);
            double hi = gsl_stats_quantile_from_sorted_data(v, 1, reps, 0.95);
            int ok = official[k][y] >= lo && official[k][y] <= hi;
            inside += ok;
            off_total += official[k][y];
            printf("  %d %-11s official %4.0f  simulated mean %6.1f  5-95 [%4.0f, %4.0f] %s\n",
                   2015 + y, names[k], official[k][y], year_sum / reps, lo, hi,
                   ok ? "inside" : "OUTSIDE");
        }
        double mean_total = total / reps;
        printf("  2015-2019 %-11s official %4.0f  simulated %6.1f (%+.0f%%)\n", names[k], off_total,
               mean_total, 100 * (mean_total / off_total - 1));
        AS_CHECK(t, fabs(mean_total / off_total - 1) <= 0.25,
                 "%s: 5-year total %.1f vs official %.0f", names[k], mean_total, off_total);
        if (k < 2) {
            granted[k] = mean_total;
        }
    }
    for (uint32_t r = 0; r < reps; r++) {
        for (int y = 2015; y <= 2019; y++) {
            arrivals += mt_year_sum(&x, r, AS_IND_ARRIVALS, y);
        }
    }
    arrivals /= reps;
    printf("  check (not a target): refugee %.0f%%, alternative %.0f%% of 2015-2019 applicants "
           "(report, 2009-2022 pooled: 13%%, 15%%)\n",
           100 * granted[0] / arrivals, 100 * granted[1] / arrivals);
    AS_CHECK(t, inside >= 12, "%d of 15 official figures inside the 5-95 band (need 12)", inside);
    mt_free(&x);
    as_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        baseline = argv[2];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_decisions_2015_2019);
    return as_test_finish(&t);
}
