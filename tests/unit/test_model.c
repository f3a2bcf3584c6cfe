/* Tests of the first model slice (arrivals and first decisions): expected arrivals against the
 * series, decision shares against the outcome probabilities, the accounting of every month, zero
 * caseworkers, reproducibility, and a reform that changes nothing before run.reform_start.
 * Tolerances come from the sample size with AS_TEST_Z (style.md §9). argv[1] is the folder of the
 * fixture scenarios (tests/model). */
#include "asylsim/model.h"

#include <stdlib.h>
#include <string.h>

#include "asylsim/scenario.h"
#include "testutil.h"

static const char *fixtures = ".";

static as_scenario *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fixtures, name);
    as_scenario *s = NULL;
    as_error err;
    if (as_scenario_load(path, &s, &err) != AS_OK) {
        char buf[1400];
        as_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "cannot load %s: %s\n", path, buf);
        exit(EXIT_FAILURE);
    }
    return s;
}

/* Runs `reps` replications of s; returns a new array reps x AS_N_INDICATORS x n_months. */
static double *run_reps(const as_scenario *s, uint64_t seed, uint32_t reps, int *n_months)
{
    as_error err;
    as_model *m = as_model_create(s, &err);
    as_grid g;
    if (!m || as_grid_init(&g, s) != AS_OK) {
        fprintf(stderr, "cannot create the model\n");
        exit(EXIT_FAILURE);
    }
    *n_months = g.n_months;
    size_t per = AS_N_INDICATORS * (size_t)g.n_months;
    double *v = calloc(per * reps, sizeof *v);
    for (uint32_t r = 0; r < reps; r++) {
        as_obs obs = {g.n_months, v + per * r};
        if (as_model_run(m, seed, r, &obs, NULL, &err) != AS_OK) {
            fprintf(stderr, "replication %u failed: %s\n", (unsigned)r, err.msg);
            exit(EXIT_FAILURE);
        }
    }
    as_grid_finish(&g);
    as_model_destroy(m);
    return v;
}

static double at(const double *v, int n_months, uint32_t r, int ind, int mo)
{
    return v[((size_t)r * AS_N_INDICATORS + (size_t)ind) * (size_t)n_months + (size_t)mo];
}

static const uint64_t seeds[3] = {7, 2385, 99991};

static void test_arrivals_match_series(as_test_state *t)
{
    /* 300 persons a year in households of mean size 2.27 (the default probabilities): persons per
     * year are compound Poisson, variance = households x E[size^2]. */
    as_scenario *s = load("short.cfg");
    static const double probs[6] = {0.55, 0.1, 0.1, 0.1, 0.08, 0.07};
    double es = 0, es2 = 0;
    for (int k = 0; k < 6; k++) {
        es += (k + 1) * probs[k];
        es2 += (k + 1) * (k + 1) * probs[k];
    }
    const uint32_t reps = 200;
    for (int si = 0; si < 3; si++) {
        int nm;
        double *v = run_reps(s, seeds[si], reps, &nm);
        for (int year = 0; year < 3; year++) {
            double sum = 0;
            for (uint32_t r = 0; r < reps; r++) {
                for (int mo = 12 * year; mo < 12 * year + 12; mo++) {
                    sum += at(v, nm, r, AS_IND_ARRIVALS, mo);
                }
            }
            double mean = sum / reps;
            double sd = sqrt(300.0 / es * es2);
            AS_CHECK(t, as_within_z(mean, 300.0, sd / sqrt((double)reps)),
                     "seed %d year %d: mean persons %g vs 300 (se %g)", si, year, mean,
                     sd / sqrt((double)reps));
        }
        free(v);
    }
    as_scenario_destroy(s);
}

static void test_decision_shares(as_test_state *t)
{
    as_scenario *s = load("short.cfg");
    for (int si = 0; si < 3; si++) {
        int nm;
        double *v = run_reps(s, seeds[si], 100, &nm);
        double ref = 0, alt = 0, neg = 0;
        for (uint32_t r = 0; r < 100; r++) {
            for (int mo = 0; mo < 24; mo++) { /* before the reform start */
                ref += at(v, nm, r, AS_IND_DECISIONS_REFUGEE, mo);
                alt += at(v, nm, r, AS_IND_DECISIONS_ALTERNATIVE, mo);
                neg += at(v, nm, r, AS_IND_DECISIONS_NEGATIVE, mo);
            }
        }
        double n = ref + alt + neg;
        AS_CHECK(t, n > 1000, "decisions taken: %g", n);
        AS_CHECK(t, as_within_z(ref / n, 0.2, sqrt(0.2 * 0.8 / n)), "refugee share %g", ref / n);
        AS_CHECK(t, as_within_z(alt / n, 0.3, sqrt(0.3 * 0.7 / n)), "alternative share %g",
                 alt / n);
        free(v);
    }
    as_scenario_destroy(s);
}

static void test_accounting_every_month(as_test_state *t)
{
    /* Nobody leaves yet: present = cumulative arrivals, pending = arrivals - decisions, both
     * exactly, at every month of every replication; no negative stock or flow. */
    as_scenario *s = load("short.cfg");
    int nm;
    double *v = run_reps(s, 7, 50, &nm);
    int bad = 0;
    for (uint32_t r = 0; r < 50; r++) {
        double arrivals = 0, decisions = 0;
        for (int mo = 0; mo < nm; mo++) {
            arrivals += at(v, nm, r, AS_IND_ARRIVALS, mo);
            decisions += at(v, nm, r, AS_IND_DECISIONS_REFUGEE, mo) +
                         at(v, nm, r, AS_IND_DECISIONS_ALTERNATIVE, mo) +
                         at(v, nm, r, AS_IND_DECISIONS_NEGATIVE, mo);
            for (int i = 0; i < AS_N_INDICATORS; i++) {
                bad += at(v, nm, r, i, mo) < 0;
            }
            bad += fabs(at(v, nm, r, AS_IND_PRESENT, mo) - arrivals) > 0;
            bad += fabs(at(v, nm, r, AS_IND_PENDING, mo) - (arrivals - decisions)) > 0;
        }
    }
    AS_CHECK(t, bad == 0, "%d accounting violations", bad);
    free(v);
    as_scenario_destroy(s);
}

static void test_zero_caseworkers(as_test_state *t)
{
    as_scenario *s = load("no-caseworkers.cfg");
    int nm;
    double *v = run_reps(s, 2385, 10, &nm);
    double decisions = 0, arrivals = 0;
    for (uint32_t r = 0; r < 10; r++) {
        for (int mo = 0; mo < nm; mo++) {
            decisions += at(v, nm, r, AS_IND_DECISIONS_REFUGEE, mo) +
                         at(v, nm, r, AS_IND_DECISIONS_ALTERNATIVE, mo) +
                         at(v, nm, r, AS_IND_DECISIONS_NEGATIVE, mo);
            arrivals += at(v, nm, r, AS_IND_ARRIVALS, mo);
        }
    }
    double pending_end = 0;
    for (uint32_t r = 0; r < 10; r++) {
        pending_end += at(v, nm, r, AS_IND_PENDING, nm - 1);
    }
    AS_CHECK(t, decisions < 0.5, "no decision without caseworkers (%g)", decisions);
    AS_CHECK(t, fabs(pending_end - arrivals) < 0.5, "everyone pending: %g vs %g", pending_end,
             arrivals);
    free(v);
    as_scenario_destroy(s);
}

static void test_reproducible(as_test_state *t)
{
    as_scenario *s = load("short.cfg");
    int nm;
    double *a = run_reps(s, 2385, 3, &nm);
    double *b = run_reps(s, 2385, 3, &nm);
    double *c = run_reps(s, 2386, 3, &nm);
    size_t bytes = sizeof(double) * 3 * AS_N_INDICATORS * (size_t)nm;
    AS_CHECK(t, memcmp(a, b, bytes) == 0, "same seed, same replications, same numbers");
    AS_CHECK(t, memcmp(a, c, bytes) != 0, "another seed differs");
    free(a);
    free(b);
    free(c);
    as_scenario_destroy(s);
}

static void test_reform_changes_nothing_before_its_start(as_test_state *t)
{
    /* The reform layer raises p_refugee from 2017-01-01 (month 24): months 0..23 are identical
     * in every replication, and afterwards the refugee share rises. */
    as_scenario *base = load("short.cfg");
    as_scenario *ref = load("short-reform.cfg");
    int nm;
    double *a = run_reps(base, 99991, 20, &nm);
    double *b = run_reps(ref, 99991, 20, &nm);
    int diff_before = 0;
    double ra = 0, rb = 0;
    for (uint32_t r = 0; r < 20; r++) {
        for (int i = 0; i < AS_N_INDICATORS; i++) {
            for (int mo = 0; mo < nm; mo++) {
                if (mo < 24) {
                    diff_before += fabs(at(a, nm, r, i, mo) - at(b, nm, r, i, mo)) > 0;
                } else if (i == AS_IND_DECISIONS_REFUGEE) {
                    ra += at(a, nm, r, i, mo);
                    rb += at(b, nm, r, i, mo);
                }
            }
        }
    }
    AS_CHECK(t, diff_before == 0, "%d cells differ before the reform start", diff_before);
    AS_CHECK(t, rb > ra, "more refugee decisions after it (%g vs %g)", rb, ra);
    free(a);
    free(b);
    as_scenario_destroy(base);
    as_scenario_destroy(ref);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        fixtures = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_arrivals_match_series);
    AS_RUN(&t, test_decision_shares);
    AS_RUN(&t, test_accounting_every_month);
    AS_RUN(&t, test_zero_caseworkers);
    AS_RUN(&t, test_reproducible);
    AS_RUN(&t, test_reform_changes_nothing_before_its_start);
    return as_test_finish(&t);
}
