/* Tests of the scenario loader (as_scenario_*, as_scn_*): every type of setting, defaults,
 * inheritance (reform layers, start layers, phases, the merged dated function), includes, the BOM,
 * renormalised probabilities, as_scenario_with_number, the canonical settings text and its hash,
 * as_dated_at, the run.* agreement check, and load_mem on garbage. Fixture files live in
 * tests/unit/scenarios/; the error messages of bad files are pinned by the corpus in tests/bad/. */
#include "asylsim/scenario.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "testutil.h"

/* The path of fixture `name`: tests/unit/scenarios/ beside this source file (meson compiles it
 * by a path relative to the build folder, where meson test runs it). */
static void fixture(char *buf, size_t n, const char *name)
{
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    snprintf(buf, n, "%.*sscenarios%s%s", slash ? (int)(slash - here + 1) : 0, here,
             name[0] ? "/" : "", name);
}

static as_scenario *load(as_test_state *t, const char *name)
{
    char path[600];
    fixture(path, sizeof path, name);
    as_scenario *s = NULL;
    as_error err;
    as_status st = as_scenario_load(path, &s, &err);
    if (st != AS_OK) {
        char msg[1400];
        as_error_format(&err, msg, sizeof msg);
        AS_CHECK(t, 0, "loading %s: %s", name, msg);
        return NULL;
    }
    return s;
}

static as_scenario *load_text(const char *text, as_error *err)
{
    as_scenario *s = NULL;
    char dir[600];
    fixture(dir, sizeof dir, "");
    if (as_scenario_load_mem("mem.cfg", text, strlen(text), dir, &s, err) != AS_OK) {
        return NULL;
    }
    return s;
}

static int32_t day(const char *iso)
{
    int32_t d = 0;
    int rc = as_date_parse(iso, &d);
    assert(rc == 0);
    (void)rc;
    return d;
}

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12 * (fabs(a) + fabs(b) + 1.0);
}

static double dated(const as_scenario *s, as_setting_id id, as_phase p, const char *iso)
{
    return as_dated_at(&as_scn_value(s, id, p)->dated, day(iso));
}

/* ---- the schema ---- */

static void test_schema_table(as_test_state *t)
{
    for (int i = 0; i < AS_N_SETTINGS; i++) {
        const as_setting_def *d = &as_schema[i];
        AS_CHECK(t, as_schema_find(d->name) == i, "%s found at its index", d->name);
        AS_CHECK(t, strchr(d->name, '.') != NULL, "%s has a group", d->name);
        AS_CHECK(t, d->type != AS_T_ENUM || d->choices[0], "%s has choices", d->name);
        AS_CHECK(t, !(d->max < d->min), "%s range", d->name);
    }
    AS_CHECK(t, as_schema_find("procedure.casewrokers") == -1, "unknown name");
    AS_CHECK(t, as_schema_find("procedure") == -1, "a group is not a setting");
}

static void test_defaults_when_absent(as_test_state *t)
{
    as_scenario *s = load(t, "empty-settings.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, as_scn_int(s, AS_S_RUN_REPS) == 100, "run.reps default");
    AS_CHECK(t, as_scn_int(s, AS_S_RUN_SEED) == 1, "run.seed default");
    AS_CHECK(t, as_scn_date(s, AS_S_RUN_START) == day("2015-01-01"), "run.start default");
    AS_CHECK(t, as_scn_date(s, AS_S_RUN_REFORM_START) == day("2026-01-01"), "reform_start");
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_P_REFUGEE), 0.14), "p_refugee");
    AS_CHECK(t, as_scn_enum(s, AS_S_PROCEDURE_SERVICE_DIST) == 0, "exponential");
    const as_dated *cw = as_scn_dated(s, AS_S_PROCEDURE_CASEWORKERS);
    AS_CHECK(t, cw->n == 1 && close_to(cw->value[0], 4.0), "caseworkers constant 4");
    size_t n = 0;
    const double *w = as_scn_vector(s, AS_S_ARRIVALS_MONTH_WEIGHTS, &n);
    AS_CHECK(t, n == 12 && close_to(w[0], 1.0) && close_to(w[11], 1.0), "month weights");
    const double *p = as_scn_vector(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, &n);
    AS_CHECK(t, n == 6 && close_to(p[0], 0.55) && close_to(p[5], 0.07), "household probs");
    int line = -1;
    AS_CHECK(t, as_scn_source(s, AS_S_RUN_REPS, &line) == NULL && line == 0, "no source");
    AS_CHECK(t, !as_scn_has_reform(s), "no reform");
    AS_CHECK(t, strcmp(as_scn_name(s), "empty-settings") == 0, "name is the stem");
    as_setting_id id;
    const double *v;
    AS_CHECK(t, !as_scn_sweep(s, &id, &v, &n), "no sweep");
    as_scenario_destroy(s);
}

/* ---- one file ---- */

static void test_load_every_type(as_test_state *t)
{
    as_scenario *s = load(t, "all-types.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, as_scn_int(s, AS_S_RUN_REPS) == 250, "INT");
    AS_CHECK(t, as_scn_int(s, AS_S_RUN_SEED) == 8589934592LL, "64-bit INT");
    AS_CHECK(t, as_scn_date(s, AS_S_RUN_END) == day("2028-02-29"), "DATE (leap day)");
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS), 2.385), "FLOAT");
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_SERVICE_SHAPE), 2.0), "FLOAT from int");
    AS_CHECK(t, as_scn_enum(s, AS_S_PROCEDURE_SERVICE_DIST) == 3, "ENUM weibull");
    const as_dated *a = as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
    AS_CHECK(t, a->n == 3, "DATED steps: %zu", a->n);
    if (a->n == 3) {
        AS_CHECK(t, a->from_day[0] == day("2016-01-01") && a->from_day[2] == day("2019-07-01"),
                 "DATED days");
        AS_CHECK(t, close_to(a->value[1], 400.0) && close_to(a->value[2], 2.385),
                 "DATED values (integer literal accepted)");
    }
    const as_dated *pr = as_scn_dated(s, AS_S_ARRIVALS_PROJECTION);
    AS_CHECK(t, pr->n == 1 && close_to(pr->value[0], 900.0), "DATED constant");
    size_t n = 0;
    const double *w = as_scn_vector(s, AS_S_ARRIVALS_MONTH_WEIGHTS, &n);
    AS_CHECK(t, n == 12 && close_to(w[0], 1.0) && close_to(w[11], 12.0), "VECTOR from ints");
    const double *p = as_scn_vector(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, &n);
    AS_CHECK(t, n == 6 && close_to(p[1], 0.25) && close_to(p[5], 0.03125), "PROBS");
    AS_CHECK(t,
             close_to(as_scn_float(s, AS_S_PROCEDURE_P_REFUGEE) +
                              as_scn_float(s, AS_S_PROCEDURE_P_ALTERNATIVE),
                      1.0),
             "shares summing to exactly 1 are fine");
    int line = 0;
    const char *src = as_scn_source(s, AS_S_PROCEDURE_SERVICE_SHAPE, &line);
    AS_CHECK(t, src && strstr(src, "all-types.cfg") && line == 20, "source %s:%d", src, line);
    AS_CHECK(t, strcmp(as_scn_name(s), "all-types") == 0, "name");
    as_scenario_destroy(s);
}

static void test_bom_stripped(as_test_state *t)
{
    as_scenario *s = load(t, "bom.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, close_to(as_scn_dated(s, AS_S_PROCEDURE_CASEWORKERS)->value[0], 5.0), "value");
    int line = 0;
    (void)as_scn_source(s, AS_S_PROCEDURE_CASEWORKERS, &line);
    AS_CHECK(t, line == 2, "line numbers unchanged by the BOM: %d", line);
    as_scenario_destroy(s);
}

static void test_probs_renormalised(as_test_state *t)
{
    as_scenario *s = load(t, "probs-near.cfg");
    if (!s) {
        return;
    }
    size_t n = 0;
    const double *p = as_scn_vector(s, AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, &n);
    double sum = 0.0;
    for (size_t k = 0; k < n; k++) {
        sum += p[k];
    }
    AS_CHECK(t, n == 6 && fabs(sum - 1.0) <= 4 * 2.2e-16, "sum %.17g", sum);
    AS_CHECK(t, p[0] < 0.5 && close_to(p[0], 0.5 / (1.0 + 6e-10)), "divided by the sum");
    as_scenario_destroy(s);
    /* Beyond 1e-9 the same file is refused. */
    as_error err;
    s = load_text("arrivals = { household_size_probs = [0.5, 0.1, 0.1, 0.1, 0.1, 0.100000002]; "
                  "};",
                  &err);
    AS_CHECK(t, !s && strstr(err.msg, "sum to"), "refused: %s", err.msg);
    as_scenario_destroy(s);
}

static void test_include_against_top_folder(as_test_state *t)
{
    as_scenario *s = load(t, "include-top.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, close_to(as_scn_dated(s, AS_S_PROCEDURE_CASEWORKERS)->value[0], 12.0), "first");
    AS_CHECK(t, as_scn_enum(s, AS_S_PROCEDURE_SERVICE_DIST) == 1, "nested include: lognormal");
    int line = 0;
    const char *src = as_scn_source(s, AS_S_PROCEDURE_SERVICE_DIST, &line);
    char want[600];
    fixture(want, sizeof want, "inc/more.cfg");
    AS_CHECK(t, src && strcmp(src, want) == 0 && line == 1, "source %s:%d", src, line);
    as_scenario_destroy(s);
}

/* ---- inheritance ---- */

static void test_reform_layer_phases(as_test_state *t)
{
    as_scenario *s = load(t, "reform.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, as_scn_has_reform(s), "has a reform");
    AS_CHECK(t, close_to(as_scn_value(s, AS_S_PROCEDURE_P_REFUGEE, AS_PHASE_BEFORE)->f, 0.2),
             "before: the base's p_refugee");
    AS_CHECK(t, close_to(as_scn_value(s, AS_S_PROCEDURE_P_REFUGEE, AS_PHASE_AFTER)->f, 0.3),
             "after: the reform's p_refugee");
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS), 3.5), "inherited");
    AS_CHECK(t,
             as_scn_value(s, AS_S_RUN_REPS, AS_PHASE_BEFORE)->i == 20 &&
                     as_scn_value(s, AS_S_RUN_REPS, AS_PHASE_AFTER)->i == 20,
             "run.* from a reform layer holds in both phases");
    AS_CHECK(t, as_scn_int(s, AS_S_RUN_SEED) == 7, "run.seed inherited");
    /* caseworkers: 4 before 2026-01-01, 8 from it, in both phases. */
    for (int p = 0; p < 2; p++) {
        AS_CHECK(t, close_to(dated(s, AS_S_PROCEDURE_CASEWORKERS, p, "2025-12-31"), 4.0),
                 "phase %d before", p);
        AS_CHECK(t, close_to(dated(s, AS_S_PROCEDURE_CASEWORKERS, p, "2026-01-01"), 8.0),
                 "phase %d from", p);
    }
    int line = 0;
    const char *src = as_scn_source(s, AS_S_PROCEDURE_CASEWORKERS, &line);
    AS_CHECK(t, src && strstr(src, "reform.cfg") && line == 10, "source %s:%d", src, line);
    src = as_scn_source(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, &line);
    AS_CHECK(t, src && strstr(src, "baseline.cfg") && line == 12, "source %s:%d", src, line);
    as_scenario_destroy(s);
}

static void test_merged_dated_function(as_test_state *t)
{
    as_scenario *s = load(t, "reform.cfg");
    if (!s) {
        return;
    }
    /* Baseline 150 (2015), 400 (2017), 500 (2027); reform 900 (2020), 1000 (2028); reform start
     * 2026-01-01: the base's steps before it, the reform's value at it and its later steps. */
    const struct {
        const char *iso;
        double v;
    } want[] = {
            {"2010-06-01", 150.0}, {"2016-12-31", 150.0},  {"2017-01-01", 400.0},
            {"2025-12-31", 400.0}, {"2026-01-01", 900.0},  {"2027-06-01", 900.0},
            {"2027-12-31", 900.0}, {"2028-01-01", 1000.0}, {"2040-01-01", 1000.0},
    };
    for (int p = 0; p < 2; p++) {
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
            double v = dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR, p, want[k].iso);
            AS_CHECK(t, close_to(v, want[k].v), "phase %d %s: %g != %g", p, want[k].iso, v,
                     want[k].v);
        }
    }
    const as_dated *d = as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
    AS_CHECK(t, d->n == 4, "four steps: %zu", d->n);
    /* A fraction of a day counts as that day. */
    AS_CHECK(t, close_to(as_dated_at(d, day("2026-01-01") - 0.25), 400.0), "fraction before");
    AS_CHECK(t, close_to(as_dated_at(d, day("2026-01-01") + 0.75), 900.0), "fraction after");
    as_scenario_destroy(s);
}

static void test_overrides_from_start(as_test_state *t)
{
    as_scenario *s = load(t, "calibrated.cfg");
    if (!s) {
        return;
    }
    for (int p = 0; p < 2; p++) {
        AS_CHECK(t, close_to(as_scn_value(s, AS_S_PROCEDURE_P_REFUGEE, p)->f, 0.25),
                 "phase %d: a start layer overrides both phases", p);
        AS_CHECK(t, close_to(as_scn_value(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, p)->f, 5.0),
                 "phase %d median", p);
    }
    AS_CHECK(t,
             close_to(dated(s, AS_S_PROCEDURE_CASEWORKERS, 0, "2025-01-01"), 4.0) &&
                     close_to(dated(s, AS_S_PROCEDURE_CASEWORKERS, 0, "2026-01-01"), 8.0),
             "the reform layer below still applies from the reform start");
    AS_CHECK(t, as_scn_has_reform(s), "still a reform");
    AS_CHECK(t, strcmp(as_scn_name(s), "calibrated") == 0, "name");
    as_scenario_destroy(s);

    s = load(t, "sub/child.cfg");
    if (!s) {
        return;
    }
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_SERVICE_SHAPE), 1.5), "own value");
    AS_CHECK(t, close_to(as_scn_float(s, AS_S_PROCEDURE_P_REFUGEE), 0.2), "base found via ../");
    AS_CHECK(t, !as_scn_has_reform(s), "start layers only: no reform");
    AS_CHECK(t, strcmp(as_scn_name(s), "child") == 0, "name without folder");
    as_scenario_destroy(s);
}

/* ---- derived scenarios ---- */

static void test_with_number(as_test_state *t)
{
    as_scenario *s = load(t, "reform.cfg");
    if (!s) {
        return;
    }
    as_scenario *c = NULL;
    as_error err;
    as_status st =
            as_scenario_with_number(s, AS_S_PROCEDURE_CASEWORKERS, 10.0, 0, "-cw10", &c, &err);
    AS_CHECK(t, st == AS_OK && c, "both phases");
    if (c) {
        AS_CHECK(t, strcmp(as_scn_name(c), "reform-cw10") == 0, "name + suffix");
        AS_CHECK(t,
                 close_to(dated(c, AS_S_PROCEDURE_CASEWORKERS, 0, "2020-01-01"), 10.0) &&
                         close_to(dated(c, AS_S_PROCEDURE_CASEWORKERS, 1, "2030-01-01"), 10.0),
                 "constant 10");
        AS_CHECK(t, as_scn_source(c, AS_S_PROCEDURE_CASEWORKERS, NULL) == NULL, "no file");
        AS_CHECK(t, close_to(dated(s, AS_S_PROCEDURE_CASEWORKERS, 0, "2020-01-01"), 4.0),
                 "the original is unchanged");
        as_scenario_destroy(c);
    }
    st = as_scenario_with_number(s, AS_S_PROCEDURE_CASEWORKERS, 10.0, 1, NULL, &c, &err);
    AS_CHECK(t, st == AS_OK && c, "after only");
    if (c) {
        AS_CHECK(t,
                 close_to(dated(c, AS_S_PROCEDURE_CASEWORKERS, 0, "2025-12-31"), 4.0) &&
                         close_to(dated(c, AS_S_PROCEDURE_CASEWORKERS, 0, "2026-01-01"), 10.0),
                 "merged at the reform start");
        AS_CHECK(t, strcmp(as_scn_name(c), "reform") == 0, "no suffix");
        as_scenario_destroy(c);
    }
    st = as_scenario_with_number(s, AS_S_PROCEDURE_P_REFUGEE, 0.35, 1, "", &c, &err);
    AS_CHECK(t,
             st == AS_OK && c && close_to(as_scn_value(c, AS_S_PROCEDURE_P_REFUGEE, 0)->f, 0.2) &&
                     close_to(as_scn_value(c, AS_S_PROCEDURE_P_REFUGEE, 1)->f, 0.35),
             "FLOAT after only");
    as_scenario_destroy(c);
    st = as_scenario_with_number(s, AS_S_RUN_REPS, 7.0, 1, "", &c, &err);
    AS_CHECK(t, st == AS_OK && c && as_scn_value(c, AS_S_RUN_REPS, 0)->i == 7,
             "run.* always both phases");
    as_scenario_destroy(c);

    /* Refusals: range, whole numbers, INT, cross-checks; *out stays NULL. */
    c = (as_scenario *)&err;
    st = as_scenario_with_number(s, AS_S_PROCEDURE_P_REFUGEE, 1.4, 0, "", &c, &err);
    AS_CHECK(t,
             st == AS_ERR_INPUT && !c && strcmp(err.setting, "procedure.p_refugee") == 0 &&
                     strcmp(err.msg, "1.4 is out of range [0, 1]") == 0,
             "range: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_PROCEDURE_CASEWORKERS, 2.5, 0, "", &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "whole"), "whole: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_RUN_REPS, 3.5, 0, "", &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "whole"), "INT: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, 0.0, 0, "", &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "(0, 3650]"), "exclusive: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_PROCEDURE_SERVICE_SHAPE, 0.01, 0, "", &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "[0.05, 100]"), "shape floor: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_PROCEDURE_P_ALTERNATIVE, 0.9, 0, "", &c, &err);
    AS_CHECK(t,
             st == AS_ERR_INPUT && strstr(err.msg, "exceeds 1") &&
                     strcmp(err.setting, "procedure.p_alternative") == 0 && err.line == 0,
             "cross-check names the new value: %s", err.msg);
    st = as_scenario_with_number(s, AS_S_PROCEDURE_P_ALTERNATIVE, NAN, 0, "", &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "finite"), "NaN: %s", err.msg);
    as_scenario_destroy(s);
}

/* as_scenario_with_dated gives the scenario a layer with overrides_from = "start" and the same
 * steps would: the same settings (hash), steps that repeat dropped, one step a constant. */
static void test_with_dated(as_test_state *t)
{
    as_scenario *s = load(t, "baseline.cfg");
    if (!s) {
        return;
    }
    as_error err;
    as_scenario *layer = load_text(
            "base = \"baseline.cfg\";\noverrides_from = \"start\";\n"
            "arrivals = { applicants_per_year = ( (\"2015-01-01\", 300.0), (\"2017-01-01\", 800.0),"
            " (\"2027-01-01\", 800.0) ); };\n",
            &err);
    AS_CHECK(t, layer != NULL, "the layer loads: %s", err.msg);
    const int32_t days[3] = {day("2015-01-01"), day("2017-01-01"), day("2027-01-01")};
    const double values[3] = {300.0, 800.0, 800.0};
    as_scenario *c = NULL;
    as_status st = as_scenario_with_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR, days, values, 3,
                                          "-x2", &c, &err);
    AS_CHECK(t, st == AS_OK && c, "three steps: %s", st == AS_OK ? "" : err.msg);
    if (c && layer) {
        AS_CHECK(t, as_scenario_hash(c) == as_scenario_hash(layer), "same settings as the layer");
        const as_dated *d = as_scn_dated(c, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
        AS_CHECK(t, d->n == 2 && d->from_day[1] == days[1] && close_to(d->value[1], 800.0),
                 "the repeated step is dropped: %zu steps", d->n);
        AS_CHECK(t, strcmp(as_scn_name(c), "baseline-x2") == 0, "name + suffix");
        AS_CHECK(t, !as_scn_has_reform(c), "both phases");
        AS_CHECK(t, close_to(as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR)->value[0], 150.0),
                 "the original is unchanged");
    }
    as_scenario_destroy(c);
    as_scenario_destroy(layer);

    const int32_t one_day[1] = {day("2015-01-01")};
    const double one[1] = {6.0};
    st = as_scenario_with_dated(s, AS_S_PROCEDURE_CASEWORKERS, one_day, one, 1, NULL, &c, &err);
    AS_CHECK(t,
             st == AS_OK && c && as_scn_dated(c, AS_S_PROCEDURE_CASEWORKERS)->n == 1 &&
                     as_scn_dated(c, AS_S_PROCEDURE_CASEWORKERS)->from_day[0] == INT32_MIN,
             "one step is a constant");
    as_scenario_destroy(c);

    /* Refusals; *out stays NULL. */
    const int32_t back[2] = {day("2017-01-01"), day("2015-01-01")};
    const double two[2] = {5.0, 6.0};
    c = (as_scenario *)&err;
    st = as_scenario_with_dated(s, AS_S_PROCEDURE_CASEWORKERS, back, two, 2, NULL, &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && !c && strstr(err.msg, "increasing"), "order: %s", err.msg);
    const double half[2] = {5.0, 6.5};
    st = as_scenario_with_dated(s, AS_S_PROCEDURE_CASEWORKERS, days, half, 2, NULL, &c, &err);
    AS_CHECK(t,
             st == AS_ERR_INPUT && !c && strstr(err.msg, "whole") &&
                     strcmp(err.setting, "procedure.caseworkers") == 0,
             "whole: %s", err.msg);
    const double nan2[2] = {5.0, NAN};
    st = as_scenario_with_dated(s, AS_S_PROCEDURE_CASEWORKERS, days, nan2, 2, NULL, &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && !c && strstr(err.msg, "finite"), "NaN: %s", err.msg);
    st = as_scenario_with_dated(s, AS_S_PROCEDURE_CASEWORKERS, days, two, 0, NULL, &c, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && !c, "no step: %s", err.msg);
    as_scenario_destroy(s);
}

static void test_sweep(as_test_state *t)
{
    as_scenario *s = load(t, "sweep.cfg");
    if (!s) {
        return;
    }
    as_setting_id id = AS_S_RUN_REPS;
    const double *v = NULL;
    size_t n = 0;
    AS_CHECK(t, as_scn_sweep(s, &id, &v, &n) == 1, "has a sweep");
    AS_CHECK(t, id == AS_S_PROCEDURE_CASEWORKERS && n == 3 && close_to(v[2], 8.0), "values");
    as_scenario *c = NULL;
    as_error err;
    if (as_scenario_with_number(s, id, v[0], 0, "-2", &c, &err) == AS_OK) {
        AS_CHECK(t, !as_scn_sweep(c, &id, &v, &n), "a variant has no sweep");
        AS_CHECK(t, strcmp(as_scn_name(c), "sweep-2") == 0, "variant name");
    } else {
        AS_CHECK(t, 0, "variant: %s", err.msg);
    }
    as_scenario_destroy(c);
    as_scenario_destroy(s);
}

/* ---- canonical text and hash ---- */

static char *settings_text(const as_scenario *s)
{
    FILE *f = tmpfile();
    if (!f) {
        return NULL;
    }
    char *text = NULL;
    if (as_scenario_write_settings(s, f) == 0) {
        long len = ftell(f);
        text = calloc((size_t)len + 1, 1);
        rewind(f);
        if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

static void test_write_settings_known_text(as_test_state *t)
{
    as_scenario *s = load(t, "all-types.cfg");
    if (!s) {
        return;
    }
    const char want[] =
            "run.reps = 250\n"
            "run.seed = 8589934592L\n"
            "run.start = \"2016-03-01\"\n"
            "run.end = \"2028-02-29\"\n"
            "run.reform_start = \"2024-07-01\"\n"
            "arrivals.applicants_per_year = ( (\"2016-01-01\", 150.0), (\"2017-01-01\", 400.0), "
            "(\"2019-07-01\", 2.385) )\n"
            "arrivals.projection = 900.0\n"
            "arrivals.projection_from = \"2025-01-01\"\n"
            "arrivals.month_weights = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, "
            "12.0]\n"
            "arrivals.household_size_probs = [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.03125]\n"
            "procedure.caseworkers = 7.0\n"
            "procedure.service_dist = \"weibull\"\n"
            "procedure.service_median_days = 2.385\n"
            "procedure.service_shape = 2.0\n"
            "procedure.p_refugee = 0.25\n"
            "procedure.p_alternative = 0.75\n";
    /* Every line above appears, whole and in this order (later issues add settings between
     * them, so the test does not pin the full text). */
    char *got = settings_text(s);
    int in_order = got != NULL;
    const char *at = got;
    for (const char *line = want; in_order && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = (size_t)(eol - line) + 1;
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        const char *hit = at;
        while ((hit = strstr(hit, buf)) != NULL && hit != got && hit[-1] != '\n') {
            hit++;
        }
        in_order = hit != NULL;
        at = hit ? hit + len : at;
        line = eol + 1;
    }
    AS_CHECK(t, in_order, "text:\n%s", got ? got : "(none)");
    free(got);
    as_scenario_destroy(s);

    /* A reform writes its after-phase values; a dated setting is merged, written once. */
    s = load(t, "reform.cfg");
    if (!s) {
        return;
    }
    got = settings_text(s);
    AS_CHECK(t,
             got && strstr(got, "procedure.p_refugee = 0.2\n"
                                "procedure.p_refugee@reform_start = 0.3\n"),
             "after-phase line");
    AS_CHECK(t,
             got && strstr(got, "procedure.caseworkers = ( (\"2015-01-01\", 4.0), "
                                "(\"2026-01-01\", 8.0) )\n"),
             "merged dated function");
    AS_CHECK(t, got && !strstr(got, "caseworkers@"), "no after line for a dated setting");
    free(got);
    as_scenario_destroy(s);
}

static void test_hash_stable_and_sensitive(as_test_state *t)
{
    as_scenario *a = load(t, "all-types.cfg");
    as_scenario *b = load(t, "all-types.cfg");
    if (!a || !b) {
        as_scenario_destroy(a);
        as_scenario_destroy(b);
        return;
    }
    uint64_t h = as_scenario_hash(a);
    AS_CHECK(t, h == as_scenario_hash(b), "same file, same hash");
    char *text = settings_text(a);
    uint64_t fnv = 14695981039346656037ULL;
    for (const char *p = text ? text : ""; *p; p++) {
        fnv = (fnv ^ (unsigned char)*p) * 1099511628211ULL;
    }
    AS_CHECK(t, text && fnv == h, "FNV-1a of the settings text");
    free(text);
    as_scenario *c = NULL;
    as_error err;
    if (as_scenario_with_number(a, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, 2.386, 0, "", &c, &err) ==
        AS_OK) {
        AS_CHECK(t, as_scenario_hash(c) != h, "a changed value changes the hash");
        as_scenario_destroy(c);
    }
    if (as_scenario_with_number(a, AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, 2.385, 0, "-x", &c, &err) ==
        AS_OK) {
        AS_CHECK(t, as_scenario_hash(c) == h, "the same value (and any name) keeps it");
        as_scenario_destroy(c);
    }
    as_scenario_destroy(a);
    as_scenario_destroy(b);
}

/* ---- dated functions ---- */

static void test_dated_at_steps(as_test_state *t)
{
    const int32_t days[3] = {100, 200, 300};
    const double vals[3] = {1.5, 2.385, 7.0};
    as_dated d = {3, days, vals};
    AS_CHECK(t, close_to(as_dated_at(&d, -1e9), 1.5), "long before the first step");
    AS_CHECK(t, close_to(as_dated_at(&d, 99.999), 1.5), "just before the first step");
    AS_CHECK(t, close_to(as_dated_at(&d, 100.0), 1.5), "at the first step");
    AS_CHECK(t, close_to(as_dated_at(&d, 199.5), 1.5), "before the second");
    AS_CHECK(t, close_to(as_dated_at(&d, 200.0), 2.385), "at the second");
    AS_CHECK(t, close_to(as_dated_at(&d, 299.0), 2.385), "the day before the third");
    AS_CHECK(t, close_to(as_dated_at(&d, 300.0), 7.0), "at the last");
    AS_CHECK(t, close_to(as_dated_at(&d, 1e9), 7.0), "after the last");
    AS_CHECK(t, close_to(as_dated_at(&d, INFINITY), 7.0), "at infinity");
    const int32_t one_day[1] = {INT32_MIN};
    const double one[1] = {4.25};
    as_dated c = {1, one_day, one};
    AS_CHECK(t, close_to(as_dated_at(&c, 0.0), 4.25) && close_to(as_dated_at(&c, -5e6), 4.25),
             "a constant");
}

/* ---- agreement of run.* settings ---- */

static void test_check_run(as_test_state *t)
{
    as_scenario *base = load(t, "baseline.cfg");
    as_scenario *reform = load(t, "reform.cfg");
    as_scenario *cal = load(t, "calibrated.cfg");
    if (base && reform && cal) {
        as_error err;
        as_status st = as_scenario_check_run(base, reform, &err);
        AS_CHECK(t,
                 st == AS_ERR_INPUT && strcmp(err.setting, "run.reps") == 0 && err.line == 4 &&
                         strstr(err.file, "reform.cfg") && strstr(err.msg, "(20 here, 100 in "),
                 "reps differs: %s:%d: %s", err.file, err.line, err.msg);
        st = as_scenario_check_run(reform, cal, &err);
        AS_CHECK(t, st == AS_OK, "equal values set in the chain are fine");
        st = as_scenario_check_run(base, cal, &err);
        AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.file, "reform.cfg"),
                 "the chain's file is named");
        st = as_scenario_check_run(reform, base, &err);
        AS_CHECK(t, st == AS_OK, "run.* left at the default is not checked");
    }
    as_scenario_destroy(base);
    as_scenario_destroy(reform);
    as_scenario_destroy(cal);
}

/* ---- loading from memory ---- */

static void test_load_mem_matches_file(as_test_state *t)
{
    char path[600];
    fixture(path, sizeof path, "reform.cfg");
    FILE *f = fopen(path, "rb");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) {
        fclose(f);
    }
    as_scenario *m = NULL, *s = load(t, "reform.cfg");
    as_error err;
    char dir[600];
    fixture(dir, sizeof dir, "");
    as_status st = as_scenario_load_mem("reform.cfg", buf, n, dir, &m, &err);
    AS_CHECK(t, st == AS_OK && m && s && as_scenario_hash(m) == as_scenario_hash(s),
             "same settings from memory: %s", err.msg);
    AS_CHECK(t, m && strcmp(as_scn_path(m), "reform.cfg") == 0, "path as given");
    as_scenario_destroy(m);
    as_scenario_destroy(s);
}

static void test_integer_prescan(as_test_state *t)
{
    const struct {
        const char *text;
        const char *msg; /* NULL: valid */
    } cases[] = {
            {"run = { reps = 2147483647; };", "2147483647 is out of range"},
            {"run = { seed = 2147483647; };", NULL},
            {"run = { seed = 2147483648; };", "integer 2147483648 does not fit in 32 bits"},
            {"run = { seed = 4294967297; };", "(write 4294967297L for a 64-bit integer)"},
            {"run = { seed = 0x7FFFFFFF; };", NULL},
            {"run = { seed = 0xFFFFFFFF; };", "integer 0xFFFFFFFF does not fit in 32 bits"},
            {"run = { seed = 0xFFFFFFFFL; };", NULL},
            {"run = { seed = 9223372036854775807L; };", "is out of range [0, "},
            {"run = { seed = 9223372036854775808L; };", "does not fit in 64 bits"},
            {"run = { seed = 0x8000000000000000L; };", "does not fit in 64 bits"},
            {"run = { seed = 99999999999999999999; };", "does not fit in 64 bits"},
            {"run = { seed = 5LL; };", NULL},
            {"# seed = 99999999999;\n/* 99999999999 */ // 99999999999\nrun = { seed = 3; };", NULL},
            {"arrivals = { applicants_per_year = ( (\"2015-01-01\", 99999999999) ); };",
             "arrivals.applicants_per_year: integer"},
            {"procedure = { p_refugee = 1e400; };", "must be a finite number"},
            {"procedure = { p_refugee = 1.5e-3; service_median_days = 2e1; };", NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        as_error err;
        as_scenario *s = load_text(cases[k].text, &err);
        char msg[1400] = "";
        if (!s) {
            as_error_format(&err, msg, sizeof msg);
        }
        if (cases[k].msg) {
            AS_CHECK(t, !s && strstr(msg, cases[k].msg), "case %zu: %s", k, msg);
        } else {
            AS_CHECK(t, s != NULL, "case %zu: %s", k, msg);
        }
        as_scenario_destroy(s);
    }
}

static void test_errors_located(as_test_state *t)
{
    as_error err;
    as_scenario *s = NULL;
    s = load_text("run = { reps = 5; };\nprocedure = {\n  casewrokers = 4.0; };", &err);
    AS_CHECK(t,
             !s && err.code == AS_ERR_INPUT && strcmp(err.file, "mem.cfg") == 0 && err.line == 3 &&
                     strcmp(err.setting, "procedure.casewrokers") == 0 &&
                     strcmp(err.msg, "unknown setting (did you mean procedure.caseworkers?)") == 0,
             "%s:%d: %s: %s", err.file, err.line, err.setting, err.msg);
    char path[600];
    fixture(path, sizeof path, "no-such-file.cfg");
    s = (as_scenario *)&err;
    as_status st = as_scenario_load(path, &s, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && !s && strcmp(err.file, path) == 0 && err.line == 0,
             "missing file: %s", err.msg);
}

/* A small deterministic generator (xorshift64*), so the garbage is the same on every run. */
static uint64_t next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717ULL;
}

static void try_garbage(as_test_state *t, const char *buf, size_t n, int *n_ok)
{
    as_scenario *s = NULL;
    as_error err;
    as_error_clear(&err);
    as_status st = as_scenario_load_mem("garbage.cfg", buf, n, NULL, &s, &err);
    if (st == AS_OK) {
        AS_CHECK(t, s != NULL, "ok gives a scenario");
        (*n_ok)++;
    } else {
        AS_CHECK(t, !s && err.msg[0] && st == err.code, "an error has a message");
    }
    as_scenario_destroy(s);
}

static void test_load_mem_garbage(as_test_state *t)
{
    const char *const tokens[] = {"run",
                                  "arrivals",
                                  "procedure",
                                  "reps",
                                  "seed",
                                  "caseworkers",
                                  "applicants_per_year",
                                  "household_size_probs",
                                  "sweep",
                                  "setting",
                                  "values",
                                  "overrides_from",
                                  "=",
                                  ":",
                                  ";",
                                  ",",
                                  "{",
                                  "}",
                                  "[",
                                  "]",
                                  "(",
                                  ")",
                                  "\"2015-01-01\"",
                                  "\"2026-13-01\"",
                                  "\"start\"",
                                  "\"gamma\"",
                                  "1",
                                  "-3",
                                  "2.385",
                                  "1e400",
                                  "4294967297",
                                  "7L",
                                  "0x1F",
                                  "true",
                                  "\n",
                                  " ",
                                  "#c\n",
                                  "/*",
                                  "*/",
                                  "\"",
                                  "\xef\xbb\xbf",
                                  "\xff",
                                  "p_refugee",
                                  "0.5"};
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    char buf[512];
    int n_ok = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(next(&x) % sizeof buf);
        for (size_t k = 0; k < n; k++) {
            buf[k] = (char)(next(&x) & 0xFF);
        }
        try_garbage(t, buf, n, &n_ok);
    }
    /* Token soup reaches the parser and the validator more often than random bytes. */
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, count = (size_t)(next(&x) % 40);
        for (size_t k = 0; k < count; k++) {
            const char *tok = tokens[next(&x) % (sizeof tokens / sizeof tokens[0])];
            size_t len = strlen(tok);
            if (n + len + 1 >= sizeof buf) {
                break;
            }
            memcpy(buf + n, tok, len);
            n += len;
            buf[n++] = ' ';
        }
        try_garbage(t, buf, n, &n_ok);
    }
    /* Mutations of a valid file: flip, drop and duplicate bytes. */
    char path[600];
    fixture(path, sizeof path, "all-types.cfg");
    FILE *f = fopen(path, "rb");
    char orig[2048];
    size_t olen = f ? fread(orig, 1, sizeof orig, f) : 0;
    if (f) {
        fclose(f);
    }
    AS_CHECK(t, olen > 0, "read %s", path);
    for (int round = 0; olen > 0 && round < 3000; round++) {
        memcpy(buf, orig, olen < sizeof buf ? olen : sizeof buf);
        size_t n = olen < sizeof buf ? olen : sizeof buf;
        for (int m = 0; m < 1 + (int)(next(&x) % 3); m++) {
            size_t at = (size_t)(next(&x) % n);
            buf[at] = (char)(next(&x) & 0xFF);
        }
        try_garbage(t, buf, n, &n_ok);
    }
    AS_CHECK(t, n_ok > 0, "some inputs are valid");
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_schema_table);
    AS_RUN(&t, test_defaults_when_absent);
    AS_RUN(&t, test_load_every_type);
    AS_RUN(&t, test_bom_stripped);
    AS_RUN(&t, test_probs_renormalised);
    AS_RUN(&t, test_include_against_top_folder);
    AS_RUN(&t, test_reform_layer_phases);
    AS_RUN(&t, test_merged_dated_function);
    AS_RUN(&t, test_overrides_from_start);
    AS_RUN(&t, test_with_number);
    AS_RUN(&t, test_with_dated);
    AS_RUN(&t, test_sweep);
    AS_RUN(&t, test_write_settings_known_text);
    AS_RUN(&t, test_hash_stable_and_sensitive);
    AS_RUN(&t, test_dated_at_steps);
    AS_RUN(&t, test_check_run);
    AS_RUN(&t, test_load_mem_matches_file);
    AS_RUN(&t, test_integer_prescan);
    AS_RUN(&t, test_errors_located);
    AS_RUN(&t, test_load_mem_garbage);
    return as_test_finish(&t);
}
