/* Common random numbers (issue #6): the paired difference reform - baseline under the same seed
 * has a much smaller spread than the difference of independent runs (different seeds). The
 * indicator is the number of protected persons housed at the end of 2027 under the rent-guarantee
 * reform of tests/compare; the test asserts that the variance ratio is significant by an F test at
 * the suite's z = 5 and prints it. Also: the headline's cost per extra person is n/a exactly when
 * the band of extra persons contains 0. argv[1] is tests/compare. */
#include "asylsim/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";
enum {
    REPS = 80
};

static as_run_set *run_two(const as_scenario *a, const as_scenario *b, uint64_t seed)
{
    const as_scenario *s[2] = {a, b};
    as_run_opts o = {.reps = REPS, .seed = seed, .threads = 2};
    as_run_set *sets = NULL;
    as_error err;
    if (as_run_scenarios(s, b ? 2 : 1, &o, &sets, &err) != AS_OK) {
        fprintf(stderr, "run failed: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    return sets;
}

static int month_of(const as_run_set *s, const char *label)
{
    for (int m = 0; m < s->grid.n_months; m++) {
        char l[8];
        as_grid_label(&s->grid, m, l);
        if (strcmp(l, label) == 0) {
            return m;
        }
    }
    return -1;
}

static void test_paired_differences_are_tighter(as_test_state *t)
{
    as_scenario *base = mt_load(dir, "short-base.cfg");
    as_scenario *ref = mt_load(dir, "reform-guarantee.cfg");
    as_run_set *crn = run_two(base, ref, 11);
    as_run_set *other = run_two(ref, NULL, 12); /* the reform with other random numbers */
    int m = month_of(&crn[0], "2027-12");
    double paired[REPS], indep[REPS];
    for (uint32_t r = 0; r < REPS; r++) {
        double b = as_run_value(&crn[0], r, AS_IND_HOUSED, m);
        paired[r] = as_run_value(&crn[1], r, AS_IND_HOUSED, m) - b;
        indep[r] = as_run_value(&other[0], r, AS_IND_HOUSED, m) - b;
    }
    double vp = gsl_stats_variance(paired, 1, REPS), vi = gsl_stats_variance(indep, 1, REPS);
    double ratio = vp > 0 ? vi / vp : INFINITY;
    double p = isfinite(ratio) ? gsl_cdf_fdist_Q(ratio, REPS - 1, REPS - 1) : 0.0;
    printf("  housed at 2027-12, rent guarantee: sd of paired differences %.2f, of independent "
           "differences %.2f, variance ratio %.1f (F test p = %.2g)\n",
           sqrt(vp), sqrt(vi), ratio, p);
    AS_CHECK(t, p < as_test_p_min(), "variance ratio %g not significant (p = %g)", ratio, p);
    as_run_sets_free(crn, 2);
    as_run_sets_free(other, 1);
    as_scenario_destroy(base);
    as_scenario_destroy(ref);
}

static void test_identical_reform_headline_is_zero(as_test_state *t)
{
    as_scenario *base = mt_load(dir, "short-base.cfg");
    as_scenario *same = mt_load(dir, "reform-identical.cfg");
    as_run_set *sets = run_two(base, same, 11);
    as_headline h;
    AS_CHECK(t, as_headline_compute(&sets[0], &sets[1], &h) == AS_OK, "headline computed");
    AS_CHECK(t, !(fabs(h.net_per_year.mean) > 0) && !(fabs(h.net_total.p95) > 0), "no cost: %g",
             h.net_per_year.mean);
    AS_CHECK(t, h.cost_per_housed_na && h.cost_per_employed_na,
             "cost per extra person is n/a when nobody extra is housed or employed");
    for (int q = 0; q < 3; q++) {
        for (int j = 0; j < 2; j++) {
            AS_CHECK(t, !h.has_share[q][j] || !(fabs(h.d_share[q][j].mean) > 0),
                     "share difference %d/%d is zero", q, j);
        }
    }
    as_run_sets_free(sets, 2);
    as_scenario_destroy(base);
    as_scenario_destroy(same);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_paired_differences_are_tighter);
    AS_RUN(&t, test_identical_reform_headline_is_zero);
    return as_test_finish(&t);
}
