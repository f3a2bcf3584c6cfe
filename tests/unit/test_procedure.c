/* Tests of the first-instance procedure (sim/model/procedure.c): outcome shares, no decisions
 * without caseworkers, and the queue against the M/M/c (Erlang C) formulas for the mean number
 * waiting and the mean wait, with replications as independent batch means (>= 20, z = 5).
 * argv[1] is the fixture folder (tests/model). */
#include "asylsim/model.h"

#include <math.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";
static const uint64_t seeds[3] = {7, 2385, 99991};

static void test_decision_shares(as_test_state *t)
{
    /* One-person households: each decision is an independent draw. Months before the reform
     * start (2017-01-01) only. */
    as_scenario *s = mt_load(dir, "singles.cfg");
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        mt_run(s, seeds[si], 60, 0, &x);
        double ref = 0, alt = 0, neg = 0;
        for (uint32_t r = 0; r < x.reps; r++) {
            for (int mo = 0; mo < 24; mo++) {
                ref += mt_v(&x, r, AS_IND_DECISIONS_REFUGEE, mo);
                alt += mt_v(&x, r, AS_IND_DECISIONS_ALTERNATIVE, mo);
                neg += mt_v(&x, r, AS_IND_DECISIONS_NEGATIVE, mo);
            }
        }
        double n = ref + alt + neg;
        AS_CHECK(t, n > 5000, "decisions taken: %g", n);
        AS_CHECK(t, as_within_z(ref / n, 0.2, sqrt(0.2 * 0.8 / n)), "refugee share %g", ref / n);
        AS_CHECK(t, as_within_z(alt / n, 0.3, sqrt(0.3 * 0.7 / n)), "alternative share %g",
                 alt / n);
        mt_free(&x);
    }
    as_scenario_destroy(s);
}

static void test_zero_caseworkers(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "no-caseworkers.cfg");
    mt_runs x;
    mt_run(s, 2385, 10, 0, &x);
    double decisions = 0, pending_end = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        for (int mo = 0; mo < x.n_months; mo++) {
            decisions += mt_v(&x, r, AS_IND_DECISIONS_REFUGEE, mo) +
                         mt_v(&x, r, AS_IND_DECISIONS_ALTERNATIVE, mo) +
                         mt_v(&x, r, AS_IND_DECISIONS_NEGATIVE, mo);
        }
        pending_end += mt_v(&x, r, AS_IND_PENDING, x.n_months - 1);
    }
    AS_CHECK(t, decisions < 0.5, "no decision without caseworkers (%g)", decisions);
    AS_CHECK(t, pending_end > 100, "applicants pile up (%g pending at the end)", pending_end);
    mt_free(&x);
    as_scenario_destroy(s);
}

/* Erlang C: the probability of waiting in an M/M/c queue with offered load a = lambda / mu. */
static double erlang_c(int c, double a)
{
    double term = 1, sum = 1; /* k = 0 */
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double last = term * a / c / (1 - a / c); /* a^c / (c! (1 - rho)) */
    return last / (sum + last);
}

static void test_queue_against_erlang_c(as_test_state *t)
{
    /* mmc.cfg: lambda = 300 / 365.25 a day, 3 servers, mean service 2.922 days: rho = 0.8. */
    const int c = 3;
    const double lambda = 300.0 / 365.25;
    const double mu = log(2.0) / 2.0254143806;
    const double a = lambda / mu, rho = a / c;
    double pw = erlang_c(c, a);
    double lq = pw * rho / (1 - rho);
    double wq = pw / (c * mu - lambda);
    as_scenario *s = mt_load(dir, "mmc.cfg");
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        const uint32_t batches = 24;
        mt_run(s, seeds[si], batches, 365.0, &x);
        double sl = 0, sl2 = 0, sw = 0, sw2 = 0;
        for (uint32_t r = 0; r < batches; r++) {
            double l = x.qstats[r].area_waiting / x.qstats[r].span_days;
            double w = x.qstats[r].sum_wait / (double)x.qstats[r].n_started;
            sl += l;
            sl2 += l * l;
            sw += w;
            sw2 += w * w;
        }
        double ml = sl / batches, mw = sw / batches;
        double sel = sqrt((sl2 / batches - ml * ml) / (batches - 1));
        double sew = sqrt((sw2 / batches - mw * mw) / (batches - 1));
        AS_CHECK(t, as_within_z(ml, lq, sel),
                 "seed %d: mean number waiting %g vs Erlang C %g (se %g)", si, ml, lq, sel);
        AS_CHECK(t, as_within_z(mw, wq, sew), "seed %d: mean wait %g days vs Erlang C %g (se %g)",
                 si, mw, wq, sew);
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
    AS_RUN(&t, test_decision_shares);
    AS_RUN(&t, test_zero_caseworkers);
    AS_RUN(&t, test_queue_against_erlang_c);
    return as_test_finish(&t);
}
