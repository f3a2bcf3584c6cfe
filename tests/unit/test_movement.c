/* Tests of departures and transfers back (sim/model/movement.c): with a constant applicant
 * hazard the share still present at each month end follows exp(-rate x days) (binomial, z = 5),
 * departures of undecided applicants count in left_during_procedure too, and with
 * p_transfer_back = 1 the same persons come back (transfers_back) and leave again.
 * argv[1] is the fixture folder (tests/model). */
#include "asylsim/model.h"

#include <math.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";
static const uint64_t seeds[3] = {7, 2385, 99991};

static void test_survival_curve(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "leave.cfg");
    const double n = 2000, rate = 0.1 / 30.4375;
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        mt_run(s, seeds[si], 1, 0, &x);
        int bad = 0;
        double left_proc = 0;
        for (int m = 0; m < 24; m++) {
            double days = (double)(x.grid.bound[m + 1] - x.grid.bound[0]);
            double p = exp(-rate * days);
            double present = mt_v(&x, 0, AS_IND_PRESENT, m);
            if (!as_within_z(present / n, p, sqrt(p * (1 - p) / n))) {
                bad++;
                AS_CHECK(t, 0, "seed %d month %d: %g present, expected %g", si, m, present, n * p);
            }
            left_proc += mt_v(&x, 0, AS_IND_LEFT_DURING_PROCEDURE, m);
            bad += fabs(mt_v(&x, 0, AS_IND_LEFT_LATVIA, m) + present - n) > 0;
        }
        AS_CHECK(t, bad == 0, "seed %d: %d months off the survival curve or the identity", si, bad);
        AS_CHECK(t, fabs(left_proc - mt_v(&x, 0, AS_IND_LEFT_LATVIA, 23)) < 0.5,
                 "every departure was during the procedure");
        mt_free(&x);
    }
    as_scenario_destroy(s);
}

/* The departure risk of applicants who become status holders counts its waiting under the
 * applicants' hazard, whatever else the grant changes first (tests/model/leave-grant.cfg: a year
 * of waiting at 0.01 a month, all granted early in January 2016, then 0.1 a month x 0.8 on
 * benefit: about 89% present at the end of 2015 and 95% of them a month later; a third of them
 * if the year were counted at the status holders' hazard). */
static void test_grant_keeps_applicant_hazard(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "leave-grant.cfg");
    for (int si = 0; si < 3; si++) {
        mt_runs x;
        mt_run(s, seeds[si], 1, 0, &x);
        double dec = mt_v(&x, 0, AS_IND_PRESENT, 11), jan = mt_v(&x, 0, AS_IND_PRESENT, 12);
        AS_CHECK(t, dec > 0.85 * 2000 && dec < 0.93 * 2000,
                 "seed %d: %g of 2000 present after the year of waiting, expected about 1,770", si,
                 dec);
        AS_CHECK(t, jan > 0.85 * dec && jan < 0.99 * dec,
                 "seed %d: %g of %g present a month after the grants, expected about 95%%", si, jan,
                 dec);
        mt_free(&x);
    }
    as_scenario_destroy(s);
}

static void test_transfers_back(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "leave-back.cfg");
    mt_runs x;
    mt_run(s, 2385, 1, 0, &x);
    double back = 0;
    for (int m = 0; m < x.n_months; m++) {
        back += mt_v(&x, 0, AS_IND_TRANSFERS_BACK, m);
    }
    double left = mt_v(&x, 0, AS_IND_LEFT_LATVIA, x.n_months - 1);
    double present = mt_v(&x, 0, AS_IND_PRESENT, x.n_months - 1);
    AS_CHECK(t, back > 1000, "persons transferred back: %g", back);
    AS_CHECK(t, left > 2000, "the same persons leave again (%g departures for 2000 persons)", left);
    AS_CHECK(t, fabs(present - (2000 + back - left)) < 0.5, "identity with transfers back");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_PENDING, x.n_months - 1) > 0.5,
             "returned applicants are pending again");
    mt_free(&x);
    as_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_survival_curve);
    AS_RUN(&t, test_grant_keeps_applicant_hazard);
    AS_RUN(&t, test_transfers_back);
    return as_test_finish(&t);
}
