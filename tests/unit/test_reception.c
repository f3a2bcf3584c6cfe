/* Tests of the reception centre (sim/model/reception.c) and its costs (budget.c): occupancy never
 * exceeds the beds except after a step down (and then does not rise while at or above the new
 * number), the overflow waits in the
 * community (wait list) or in municipal accommodation paid by the municipality, and the
 * bed-day costs equal the occupied person-days priced at the bed-day cost.
 * argv[1] is the fixture folder (tests/model). */
#include "asylsim/model.h"

#include <math.h>

#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";

static double beds_at(int m)
{
    /* beds.cfg: 20 to June 2016, 10 from July 2016, 40 from 2017 (stocks at month ends). */
    return m < 18 ? 20 : (m < 24 ? 10 : 40);
}

static void test_occupancy_within_beds(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "beds.cfg");
    mt_runs x;
    mt_run(s, 2385, 10, 0, &x);
    int bad = 0;
    double waiting = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        for (int m = 0; m < x.n_months; m++) {
            double occ = mt_v(&x, r, AS_IND_IN_RECEPTION, m);
            /* After the step down in July 2016 the centre may hold more than 10 until people
             * leave; it never admits above the beds. */
            double limit = m >= 18 && m < 24 ? 20 : beds_at(m);
            if (occ > limit) {
                bad++;
                AS_CHECK(t, 0, "replication %u month %d: %g in %g beds", (unsigned)r, m, occ,
                         limit);
            }
            waiting += mt_v(&x, r, AS_IND_APPLICANTS_IN_COMMUNITY, m);
            /* After the step down nobody is admitted while 10 or more are in: it only falls. */
            double prev = m > 0 ? mt_v(&x, r, AS_IND_IN_RECEPTION, m - 1) : 0;
            if (m >= 19 && m < 24 && prev >= 10 && occ > prev) {
                bad++;
                AS_CHECK(t, 0, "replication %u month %d: %g in after %g with 10 beds", (unsigned)r,
                         m, occ, prev);
            }
        }
        if (mt_v(&x, r, AS_IND_IN_RECEPTION, 30) < 39.5) {
            bad++; /* 40 beds, a long queue: full */
            AS_CHECK(t, 0, "replication %u: %g in 40 beds with a queue", (unsigned)r,
                     mt_v(&x, r, AS_IND_IN_RECEPTION, 30));
        }
    }
    AS_CHECK(t, bad == 0, "%d months above the beds, or beds left empty with a queue", bad);
    AS_CHECK(t, waiting > 0, "the overflow waits in the community");
    /* Nothing is paid to municipalities with a wait list. */
    double muni = 0;
    for (int m = 0; m < x.n_months; m++) {
        muni += mt_b(&x, 0, AS_BR_RECEPTION_MUNICIPALITY, m);
    }
    AS_CHECK(t, fabs(muni) < 1e-9, "no municipal cost with a wait list (%g)", muni);
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_municipal_overflow_paid(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "beds-municipal.cfg");
    mt_runs x;
    mt_run(s, 7, 5, 0, &x);
    double muni = 0, state = 0, full_state = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        for (int m = 0; m < x.n_months; m++) {
            muni += mt_b(&x, r, AS_BR_RECEPTION_MUNICIPALITY, m);
            state += mt_b(&x, r, AS_BR_RECEPTION_STATE, m);
        }
    }
    /* The state pays at most beds x 30 EUR x days. */
    for (int m = 0; m < x.n_months; m++) {
        double days = (double)(x.grid.bound[m + 1] - x.grid.bound[m]);
        full_state += x.reps * 30.0 * days * (m >= 18 && m < 24 ? 20 : beds_at(m));
    }
    AS_CHECK(t, muni > 0, "municipalities pay for the overflow (%g EUR)", muni);
    AS_CHECK(t, state <= full_state * (1 + 1e-12), "state %g EUR within the beds' %g", state,
             full_state);
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_bed_days_priced(as_test_state *t)
{
    /* leave.cfg keeps 2000 applicants in a centre of 5000 beds until they leave: the state's
     * reception cost of month m is 25 EUR (the default) x the occupied person-days, which for a
     * constant departure hazard and no arrivals is 2000 x the integral of the survival curve;
     * the simulated cost must match the simulated stock path: cost(m) lies between 25 x days x
     * the stock at the end and 25 x days x the stock at the start of the month. */
    as_scenario *s = mt_load(dir, "leave.cfg");
    mt_runs x;
    mt_run(s, 99991, 3, 0, &x);
    int bad = 0;
    for (uint32_t r = 0; r < x.reps; r++) {
        double before = 2000;
        for (int m = 0; m < x.n_months; m++) {
            double days = (double)(x.grid.bound[m + 1] - x.grid.bound[m]);
            double after = mt_v(&x, r, AS_IND_IN_RECEPTION, m);
            double cost = mt_b(&x, r, AS_BR_RECEPTION_STATE, m);
            bad += cost < 25 * days * after - 1e-6 || cost > 25 * days * before + 1e-6;
            before = after;
        }
    }
    AS_CHECK(t, bad == 0, "%d months with a bed-day cost outside its stock bounds", bad);
    mt_free(&x);
    as_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_occupancy_within_beds);
    AS_RUN(&t, test_municipal_overflow_paid);
    AS_RUN(&t, test_bed_days_priced);
    return as_test_finish(&t);
}
