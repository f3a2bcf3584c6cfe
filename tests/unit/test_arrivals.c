/* Tests of arrivals (sim/model/arrivals.c): the expected persons per year equal the series
 * (compound Poisson: households x size, variance = households x E[size^2]); relocation batches
 * arrive whole on the first of each month of the window; relocation is carved out of the series,
 * not added. argv[1] is the fixture folder (tests/model). */
#include "asylsim/model.h"

#include <math.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";
static const uint64_t seeds[3] = {7, 2385, 99991};

/* Mean household size and mean squared size under the default probabilities. */
static void size_moments(const as_scenario *s, double *es, double *es2)
{
    size_t n;
    const double *p = as_scn_vector(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, &n);
    *es = *es2 = 0;
    for (size_t k = 0; k < n; k++) {
        *es += (double)(k + 1) * p[k];
        *es2 += (double)((k + 1) * (k + 1)) * p[k];
    }
}

static void test_persons_match_series(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "short.cfg");
    double es, es2;
    size_moments(s, &es, &es2);
    const uint32_t reps = 200;
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        mt_run(s, seeds[si], reps, 0, &x);
        for (int year = 2015; year <= 2017; year++) {
            double sum = 0;
            for (uint32_t r = 0; r < reps; r++) {
                sum += mt_year_sum(&x, r, AS_IND_ARRIVALS, year);
            }
            double mean = sum / reps, se = sqrt(300.0 / es * es2) / sqrt((double)reps);
            AS_CHECK(t, as_within_z(mean, 300.0, se), "seed %d year %d: %g persons vs 300 (se %g)",
                     si, year, mean, se);
        }
        mt_free(&x);
    }
    as_scenario_destroy(s);
}

static void test_relocation_batches(as_test_state *t)
{
    /* 374 persons in 20 monthly batches (Feb 2016 .. Sep 2017) of 18 or 19, in every
     * replication, and nobody else. */
    as_scenario *s = mt_load(dir, "reloc-only.cfg");
    mt_runs x;
    mt_run(s, 7, 5, 0, &x);
    int bad = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        double total = 0;
        for (int m = 0; m < x.n_months; m++) {
            double a = mt_v(&x, r, AS_IND_ARRIVALS, m);
            int in_window = m >= 1 && m <= 20; /* 2016-02 .. 2017-09 */
            total += a;
            if (in_window ? (a < 18 || a > 19) : a > 0) {
                bad++;
            }
        }
        bad += fabs(total - 374) > 0;
    }
    AS_CHECK(t, bad == 0, "%d months or totals off the batch plan", bad);
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_relocation_carved_out(as_test_state *t)
{
    /* Over the two years the expected total is the series, 350 + 395, not the series + 374. */
    as_scenario *s = mt_load(dir, "reloc-carved.cfg");
    double es, es2;
    size_moments(s, &es, &es2);
    const uint32_t reps = 200;
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        mt_run(s, seeds[si], reps, 0, &x);
        double sum = 0;
        for (uint32_t r = 0; r < reps; r++) {
            sum += mt_year_sum(&x, r, AS_IND_ARRIVALS, 2016) +
                   mt_year_sum(&x, r, AS_IND_ARRIVALS, 2017);
        }
        double spontaneous = 745.0 - 374.0;
        double se = sqrt(spontaneous / es * es2) / sqrt((double)reps);
        AS_CHECK(t, as_within_z(sum / reps, 745.0, se), "seed %d: %g persons in 2016-2017 vs 745",
                 si, sum / reps);
        mt_free(&x);
    }
    as_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_persons_match_series);
    AS_RUN(&t, test_relocation_batches);
    AS_RUN(&t, test_relocation_carved_out);
    return as_test_finish(&t);
}
