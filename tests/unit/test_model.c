/* Whole-model properties: the accounting identity of design.md at every month of every
 * replication (from the written indicators, on top of the recount the debug checks make inside),
 * no negative stock, cumulative counts that never fall, housed <= protected_in_latvia,
 * reproducibility, and a reform layer that changes nothing before run.reform_start.
 * argv[1] is the fixture folder (tests/model), argv[2] the shipped baseline. */
#include "asylsim/model.h"

#include <math.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";
static const char *baseline = "../scenarios/baseline.cfg";

static int check_accounting(as_test_state *t, const as_scenario *s, const mt_runs *x)
{
    double initial = (double)as_scn_int(s, AS_S_ARRIVALS_INITIAL_PENDING) +
                     (double)as_scn_int(s, AS_S_ARRIVALS_INITIAL_PROTECTED);
    int bad = 0;
    for (uint32_t r = 0; r < x->reps; r++) {
        double arrivals = 0, back = 0, prev_left = 0, prev_ret = 0, prev_dub = 0;
        for (int mo = 0; mo < x->n_months; mo++) {
            arrivals += mt_v(x, r, AS_IND_ARRIVALS, mo);
            back += mt_v(x, r, AS_IND_TRANSFERS_BACK, mo);
            double left = mt_v(x, r, AS_IND_LEFT_LATVIA, mo);
            double ret = mt_v(x, r, AS_IND_RETURNED, mo);
            double dub = mt_v(x, r, AS_IND_DUBLIN_OUT, mo);
            double present = mt_v(x, r, AS_IND_PRESENT, mo);
            double want = initial + arrivals + back - left - ret - dub;
            if (fabs(present - want) > 0) {
                if (bad++ < 5) {
                    AS_CHECK(t, 0, "replication %u month %d: present %g, identity %g", (unsigned)r,
                             mo, present, want);
                }
            }
            if (left < prev_left || ret < prev_ret || dub < prev_dub) {
                bad++;
                AS_CHECK(t, 0, "replication %u month %d: a cumulative count fell", (unsigned)r, mo);
            }
            prev_left = left;
            prev_ret = ret;
            prev_dub = dub;
            for (int i = 0; i < AS_N_INDICATORS; i++) {
                if (mt_v(x, r, i, mo) < 0) {
                    bad++;
                    AS_CHECK(t, 0, "replication %u month %d: %s is negative", (unsigned)r, mo,
                             as_indicators[i].name);
                }
            }
            if (mt_v(x, r, AS_IND_HOUSED, mo) > mt_v(x, r, AS_IND_PROTECTED_IN_LATVIA, mo)) {
                bad++;
                AS_CHECK(t, 0, "replication %u month %d: housed > protected_in_latvia", (unsigned)r,
                         mo);
            }
            if (mt_v(x, r, AS_IND_PENDING, mo) + mt_v(x, r, AS_IND_IN_APPEAL, mo) +
                        mt_v(x, r, AS_IND_PROTECTED_IN_LATVIA, mo) >
                present) {
                bad++;
                AS_CHECK(t, 0, "replication %u month %d: stocks exceed present", (unsigned)r, mo);
            }
        }
    }
    return bad;
}

static void test_accounting_baseline(as_test_state *t)
{
    as_scenario *s = mt_load("", baseline);
    mt_runs x;
    mt_run(s, 2385, 20, 0, &x);
    AS_CHECK(t, check_accounting(t, s, &x) == 0, "accounting violations in the baseline");
    double left = 0, back = 0, ret = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        left += mt_v(&x, r, AS_IND_LEFT_LATVIA, x.n_months - 1);
        ret += mt_v(&x, r, AS_IND_RETURNED, x.n_months - 1);
        for (int mo = 0; mo < x.n_months; mo++) {
            back += mt_v(&x, r, AS_IND_TRANSFERS_BACK, mo);
        }
    }
    /* The identity is only a test if every term moves. */
    AS_CHECK(t, left > 0 && back > 0 && ret > 0, "departures %g, transfers back %g, returns %g",
             left, back, ret);
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_accounting_dublin(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "dublin.cfg");
    mt_runs x;
    mt_run(s, 7, 20, 0, &x);
    AS_CHECK(t, check_accounting(t, s, &x) == 0, "accounting violations with Dublin transfers");
    double dub = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        dub += mt_v(&x, r, AS_IND_DUBLIN_OUT, x.n_months - 1);
    }
    AS_CHECK(t, dub > 0, "Dublin transfers out happen (%g)", dub);
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_reproducible(as_test_state *t)
{
    as_scenario *s = mt_load("", baseline);
    mt_runs a, b, c;
    mt_run(s, 2385, 3, 0, &a);
    mt_run(s, 2385, 3, 0, &b);
    mt_run(s, 2386, 3, 0, &c);
    size_t n = (size_t)3 * AS_N_INDICATORS * (size_t)a.n_months;
    size_t nb = (size_t)3 * AS_N_BUDGET_ROWS * (size_t)a.n_months;
    AS_CHECK(t, memcmp(a.v, b.v, n * sizeof *a.v) == 0, "same seed, same indicators");
    AS_CHECK(t, memcmp(a.budget, b.budget, nb * sizeof *a.budget) == 0, "same seed, same budget");
    AS_CHECK(t, memcmp(a.v, c.v, n * sizeof *a.v) != 0, "another seed differs");
    mt_free(&a);
    mt_free(&b);
    mt_free(&c);
    as_scenario_destroy(s);
}

static void test_reform_changes_nothing_before_its_start(as_test_state *t)
{
    /* The reform layer raises p_refugee from 2017-01-01 (month 24): months 0..23 are identical
     * in every replication, indicators and budget alike; afterwards refugee decisions rise. */
    as_scenario *base = mt_load(dir, "short.cfg");
    as_scenario *ref = mt_load(dir, "short-reform.cfg");
    mt_runs a, b;
    mt_run(base, 99991, 20, 0, &a);
    mt_run(ref, 99991, 20, 0, &b);
    int diff_before = 0;
    double ra = 0, rb = 0;
    for (uint32_t r = 0; r < a.reps; r++) {
        for (int mo = 0; mo < a.n_months; mo++) {
            for (int i = 0; i < AS_N_INDICATORS; i++) {
                if (mo < 24) {
                    diff_before += fabs(mt_v(&a, r, i, mo) - mt_v(&b, r, i, mo)) > 0;
                } else if (i == AS_IND_DECISIONS_REFUGEE) {
                    ra += mt_v(&a, r, i, mo);
                    rb += mt_v(&b, r, i, mo);
                }
            }
            for (int k = 0; k < AS_N_BUDGET_ROWS && mo < 24; k++) {
                diff_before += fabs(mt_b(&a, r, k, mo) - mt_b(&b, r, k, mo)) > 0;
            }
        }
    }
    AS_CHECK(t, diff_before == 0, "%d cells differ before the reform start", diff_before);
    AS_CHECK(t, rb > ra, "more refugee decisions after it (%g vs %g)", rb, ra);
    mt_free(&a);
    mt_free(&b);
    as_scenario_destroy(base);
    as_scenario_destroy(ref);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    if (argc > 2) {
        baseline = argv[2];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_accounting_baseline);
    AS_RUN(&t, test_accounting_dublin);
    AS_RUN(&t, test_reproducible);
    AS_RUN(&t, test_reform_changes_nothing_before_its_start);
    return as_test_finish(&t);
}
