/* Money: scripted households receive exactly the euros of a hand computation from the rules
 * (sim/model/benefits.c, budget.c), and the budget rows add up to the total.
 *
 * Family (tests/model/money-family.cfg): 2 adults + 2 children, refugee status at the start,
 * 2018-03-14, staying in the reception centre, registered with NVA, claiming GMI, no income.
 *   one-off, paid when the account opens on 2018-04-04 (21 days):
 *       278 + 3 x 194 - 4 persons x 21 days x 3.00 EUR in the centre = 608.00
 *   monthly benefit, 10 months paid on 2018-04-14 ... 2019-01-14: 10 x (139 + 3 x 97) = 4300.00
 *   GMI from the month end after the last benefit month, 2019-02-01, to 2020-01-01 (334 days):
 *       (53 + 3 x 53) x 334 / 30.4375
 *   other municipal assistance: 4 x 900 x 334 / 365.25
 *   reception: 4 persons x 25 EUR x 658 days (2018-03-14 to 2020-01-01)
 * Single (money-single.cfg): one adult, alternative status at the start, 2016-05-10, waiting in
 * the community (no bed), the 2016 regime:
 *   one-off 0; monthly benefit 9 x 139 = 1251.00 (2016-06-10 ... 2017-02-10);
 *   GMI 49.80 x 306 / 30.4375 (2017-03-01 to 2018-01-01); assistance 900 x 306 / 365.25.
 * The decision comes at once (service median 1e-6 days), so the allowance is under a cent. */
#include "asylsim/model.h"

#include <math.h>

#include "asylsim/calendar.h"
#include "modelutil.h"
#include "testutil.h"

static const char *dir = ".";

/* Total EUR of a budget row over the whole run (one replication). */
static double row_total(const mt_runs *x, int row)
{
    double s = 0;
    for (int m = 0; m < x->n_months; m++) {
        s += mt_b(x, 0, row, m);
    }
    return s;
}

static int close_to(double got, double want)
{
    return fabs(got - want) <= 1e-6 * fmax(1.0, fabs(want));
}

static int month_index(const mt_runs *x, const char *label)
{
    for (int m = 0; m < x->n_months; m++) {
        char l[8];
        as_grid_label(&x->grid, m, l);
        if (strcmp(l, label) == 0) {
            return m;
        }
    }
    return -1;
}

static void test_family_2018(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "money-family.cfg");
    mt_runs x;
    mt_run(s, 2385, 1, 0, &x);
    double stay = (double)(as_days_from_civil(2020, 1, 1) - as_days_from_civil(2018, 3, 14));
    double gmi_days = (double)(as_days_from_civil(2020, 1, 1) - as_days_from_civil(2019, 2, 1));
    struct {
        int row;
        double want;
    } rows[] = {
            {AS_BR_ONE_OFF_SUPPORT_STATE, 278.0 + 3 * 194.0 - 4 * 21 * 3.0},
            {AS_BR_MONTHLY_BENEFIT_STATE, 10 * (139.0 + 3 * 97.0)},
            {AS_BR_GMI_MUNICIPALITY, (53.0 + 3 * 53.0) * gmi_days / 30.4375},
            {AS_BR_MUNICIPAL_ASSISTANCE_STATE, 4 * 900.0 * gmi_days / 365.25},
            {AS_BR_RECEPTION_STATE, 4 * 25.0 * stay},
            {AS_BR_RECEPTION_MUNICIPALITY, 0.0},
    };
    double total = 0, want_total = 0;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        double got = row_total(&x, rows[k].row);
        AS_CHECK(t, close_to(got, rows[k].want), "%s/%s: %.6f EUR, hand computation %.6f",
                 as_budget_rows[rows[k].row].line, as_budget_rows[rows[k].row].payer, got,
                 rows[k].want);
        want_total += rows[k].want;
    }
    double allowance = row_total(&x, AS_BR_ALLOWANCE_STATE);
    AS_CHECK(t, allowance >= 0 && allowance < 0.01, "allowance %.6f (decided at once)", allowance);
    for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
        total += row_total(&x, b);
    }
    AS_CHECK(t, fabs(total - want_total - allowance) < 1e-6 * want_total,
             "rows add up to the total: %.6f vs %.6f", total, want_total + allowance);
    /* The timeline behind the money. */
    int dec18 = month_index(&x, "2018-12"), jan19 = month_index(&x, "2019-01");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_ON_BENEFIT, dec18) > 3.5, "on benefit at the end of 2018");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_ON_BENEFIT, jan19) < 0.5, "off benefit after 10 months");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_ON_GMI, jan19) > 3.5, "on GMI from 2019-02-01");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_IN_RECEPTION, x.n_months - 1) > 3.5,
             "still in the reception centre at the end");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_PROTECTED_IN_LATVIA, x.n_months - 1) > 3.5, "4 refugees");
    /* Where the money lands: the one-off in April 2018, the last benefit month in January 2019. */
    AS_CHECK(t, close_to(mt_b(&x, 0, AS_BR_ONE_OFF_SUPPORT_STATE, month_index(&x, "2018-04")), 608),
             "one-off booked in April 2018");
    AS_CHECK(t, close_to(mt_b(&x, 0, AS_BR_MONTHLY_BENEFIT_STATE, jan19), 430),
             "tenth month booked in January 2019");
    mt_free(&x);
    as_scenario_destroy(s);
}

static void test_single_2016(as_test_state *t)
{
    as_scenario *s = mt_load(dir, "money-single.cfg");
    mt_runs x;
    mt_run(s, 7, 1, 0, &x);
    double gmi_days = (double)(as_days_from_civil(2018, 1, 1) - as_days_from_civil(2017, 3, 1));
    struct {
        int row;
        double want;
    } rows[] = {
            {AS_BR_ONE_OFF_SUPPORT_STATE, 0.0},
            {AS_BR_MONTHLY_BENEFIT_STATE, 9 * 139.0},
            {AS_BR_GMI_MUNICIPALITY, 49.8 * gmi_days / 30.4375},
            {AS_BR_MUNICIPAL_ASSISTANCE_STATE, 900.0 * gmi_days / 365.25},
            {AS_BR_RECEPTION_STATE, 0.0},
            {AS_BR_RECEPTION_MUNICIPALITY, 0.0},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        double got = row_total(&x, rows[k].row);
        AS_CHECK(t, close_to(got, rows[k].want), "%s/%s: %.6f EUR, hand computation %.6f",
                 as_budget_rows[rows[k].row].line, as_budget_rows[rows[k].row].payer, got,
                 rows[k].want);
    }
    AS_CHECK(t, row_total(&x, AS_BR_ALLOWANCE_STATE) < 0.01, "allowance under a cent");
    AS_CHECK(t, mt_v(&x, 0, AS_IND_HOUSED, x.n_months - 1) > 0.5, "housed in the community");
    mt_free(&x);
    as_scenario_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    as_test_state t = {0};
    AS_RUN(&t, test_family_2018);
    AS_RUN(&t, test_single_2016);
    return as_test_finish(&t);
}
