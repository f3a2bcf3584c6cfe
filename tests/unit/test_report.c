/* The report's outcome figures against the shipped baseline (issue #5): each passes when it lies
 * inside the baseline's 5-95 band over 200 replications, seed 20220930 (the report's cut-off,
 * 2022 Q3). One test per figure; the figures and their lines are model.md's (seed = the report):
 *   mentoring clients 117-316 a year 2016-2021 (seed l. 2408-2456), against 390 planned;
 *   707 participants of the reception-centre course 2015 - 2022 Q3 (Table 13, seed l. 3989-4003);
 *   112 job placements by NVA 2016-2021 (seed l. 4734-4773);
 *   49% unemployed among beneficiaries in the UNHCR 2021 survey (survey definition, seed l. 4432);
 *   the relocation cohort: 308 of the 487 beneficiaries served by mentors had left by April 2017,
 *   21 of the first 23 relocated persons had left in 2016 (official_lv.csv).
 * argv[2] is the shipped baseline. The relocation figures need the state of each person on a
 * given day, so they run the baseline to that day (run.end) and read the population. */
#include "asylsim/model.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "../../sim/model/internal.h"
#include "modelutil.h"
#include "testutil.h"

static const char *baseline = "../scenarios/baseline.cfg";
static const char *dir = ".";
enum {
    REPS = 200
};
static const uint64_t SEED = 20220930;

static mt_runs runs;
static as_scenario *scn;

static int band_check(as_test_state *t, const char *what, double *v, double figure)
{
    gsl_sort(v, 1, REPS);
    double lo = gsl_stats_quantile_from_sorted_data(v, 1, REPS, 0.05);
    double hi = gsl_stats_quantile_from_sorted_data(v, 1, REPS, 0.95);
    double mean = gsl_stats_mean(v, 1, REPS);
    int ok = figure >= lo && figure <= hi;
    printf("  %s: report %g, simulated mean %.3g, 5-95 [%.3g, %.3g] %s\n", what, figure, mean, lo,
           hi, ok ? "inside" : "OUTSIDE");
    AS_CHECK(t, ok, "%s: %g outside [%g, %g]", what, figure, lo, hi);
    return ok;
}

static int month_of(const char *label)
{
    for (int m = 0; m < runs.n_months; m++) {
        char l[8];
        as_grid_label(&runs.grid, m, l);
        if (strcmp(l, label) == 0) {
            return m;
        }
    }
    return -1;
}

static void test_mentoring_clients_2016_2021(as_test_state *t)
{
    /* The reported range 117-316 is the lowest and highest year: each simulated year's band must
     * overlap it. */
    for (int y = 2016; y <= 2021; y++) {
        double v[REPS];
        for (uint32_t r = 0; r < REPS; r++) {
            v[r] = mt_year_end(&runs, r, AS_IND_MENTORING_CLIENTS_YEAR, y);
        }
        gsl_sort(v, 1, REPS);
        double lo = gsl_stats_quantile_from_sorted_data(v, 1, REPS, 0.05);
        double hi = gsl_stats_quantile_from_sorted_data(v, 1, REPS, 0.95);
        int ok = hi >= 117 && lo <= 316;
        printf("  %d mentoring clients: 5-95 [%.0f, %.0f] %s 117-316\n", y, lo, hi,
               ok ? "overlaps" : "MISSES");
        AS_CHECK(t, ok, "%d: [%g, %g] misses 117-316", y, lo, hi);
    }
}

static void test_pmic_course_participants_707(as_test_state *t)
{
    double v[REPS];
    int m0 = month_of("2015-01"), m1 = month_of("2022-09");
    for (uint32_t r = 0; r < REPS; r++) {
        v[r] = 0;
        for (int m = m0; m <= m1; m++) {
            v[r] += mt_v(&runs, r, AS_IND_PMIC_COURSE_STARTS, m);
        }
    }
    band_check(t, "course participants 2015-2022 Q3", v, 707);
}

static void test_nva_placements_112(as_test_state *t)
{
    double v[REPS];
    for (uint32_t r = 0; r < REPS; r++) {
        v[r] = 0;
        for (int y = 2016; y <= 2021; y++) {
            v[r] += mt_year_sum(&runs, r, AS_IND_NVA_PLACEMENTS, y);
        }
    }
    band_check(t, "NVA placements 2016-2021", v, 112);
}

static void test_unemployed_2021_49pct(as_test_state *t)
{
    double v[REPS];
    int m = month_of("2021-06");
    for (uint32_t r = 0; r < REPS; r++) {
        double adults = mt_v(&runs, r, AS_IND_ADULTS_PROTECTED, m);
        v[r] = adults > 0 ? 1 - mt_v(&runs, r, AS_IND_EMPLOYED_PROTECTED, m) / adults : 0;
    }
    band_check(t, "share not working, adult beneficiaries mid-2021", v, 0.49);
}

/* Runs the baseline to `end` (a fixture with run.end set) and computes, per replication, a share
 * from the population on that day. */
static void relocation_shares(const char *fixture, int first_23, double *v)
{
    as_scenario *s = mt_load(dir, fixture);
    as_error err;
    as_model *m = as_model_create(s, &err);
    as_grid g;
    if (!m || as_grid_init(&g, s) != AS_OK) {
        fprintf(stderr, "cannot create the model\n");
        exit(EXIT_FAILURE);
    }
    as_model_keep_departed(m, 1); /* every person, in creation order */
    size_t per = AS_N_INDICATORS * (size_t)g.n_months, perb = AS_N_BUDGET_ROWS * (size_t)g.n_months;
    double *ind = calloc(per, sizeof *ind), *bud = calloc(perb, sizeof *bud);
    for (uint32_t r = 0; r < REPS; r++) {
        as_obs obs = {g.n_months, ind, bud, NULL};
        if (as_model_run(m, SEED, r, &obs, NULL, &err) != AS_OK) {
            fprintf(stderr, "replication failed: %s\n", err.msg);
            exit(EXIT_FAILURE);
        }
        double left = 0, n = 0;
        for (size_t p = 0; p < m->pop.n && (!first_23 || n < 23); p++) {
            int relocated = (m->hh.flags[m->pop.household[p]] & AS_HF_RELOCATED) != 0;
            int served = m->pop.mentor_year[p] != 0 && m->pop.legal[p] != AS_LEGAL_APPLICANT;
            if (first_23 ? relocated : served) {
                n++;
                left += m->pop.place[p] == AS_PLACE_LEFT;
            }
        }
        v[r] = n > 0 ? left / n : 0;
    }
    free(ind);
    free(bud);
    as_grid_finish(&g);
    as_model_destroy(m);
    as_scenario_destroy(s);
}

static void test_mentored_beneficiaries_left_by_april_2017(as_test_state *t)
{
    double v[REPS];
    relocation_shares("to-2017-04.cfg", 0, v);
    band_check(t, "beneficiaries served by mentors who had left by April 2017", v, 308.0 / 487.0);
}

static void test_first_23_relocated_left_2016(as_test_state *t)
{
    double v[REPS];
    relocation_shares("to-2016-12.cfg", 1, v);
    band_check(t, "first 23 relocated persons who had left by the end of 2016", v, 21.0 / 23.0);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    if (argc > 2) {
        baseline = argv[2];
    }
    scn = mt_load("", baseline);
    mt_run(scn, SEED, REPS, 0, &runs);
    as_test_state t = {0};
    AS_RUN(&t, test_mentoring_clients_2016_2021);
    AS_RUN(&t, test_pmic_course_participants_707);
    AS_RUN(&t, test_nva_placements_112);
    AS_RUN(&t, test_unemployed_2021_49pct);
    AS_RUN(&t, test_mentored_beneficiaries_left_by_april_2017);
    AS_RUN(&t, test_first_23_relocated_left_2016);
    mt_free(&runs);
    as_scenario_destroy(scn);
    return as_test_finish(&t);
}
