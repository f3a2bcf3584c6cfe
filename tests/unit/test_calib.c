/* Calibration and sensitivity (issue #7): the targets reader and the calibration and sensitivity
 * file validators on good and bad inputs (every message pinned), robustness against mutated
 * bytes, target values against the indicators they sum, and parameter recovery: targets
 * simulated from known values of three parameters of tests/calib/recovery.cfg are calibrated
 * back by ABC-SMC (each true value within the posterior mean +- AS_TEST_Z posterior sd, and the
 * posterior narrower than the prior) and by the simulated method of moments (within AS_TEST_Z
 * standard errors). Also: the result does not depend on the thread count, fitted.cfg loads and
 * holds the estimates, and a small sensitivity study ranks the parameter that matters first.
 * argv[1] is tests/calib. Seeds 20240701 (observations), 7 and 11 (calibrations). */
#include "asylsim/calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asylsim/model.h"
#include "asylsim/output.h"
#include "asylsim/run.h"
#include "testutil.h"

static const char *dir = "../tests/calib";

/* A temporary folder for the test's files, removed at the end. */
static char tmpdir[64];

static void fmt_err(const as_error *e, char *buf, size_t n)
{
    as_error_format(e, buf, n);
}

/* ---- targets ---- */

static as_targets *parse_targets(const char *text, as_error *err)
{
    as_targets *t = NULL;
    if (as_targets_parse_mem("t.csv", text, strlen(text), &t, err) != AS_OK) {
        return NULL;
    }
    return t;
}

static void test_targets_good(as_test_state *t)
{
    static const char text[] = "\xEF\xBB\xBF# a comment line\r\n"
                               "series,period,value,sd\r\n"
                               "\r\n"
                               "decisions_refugee,2016,47,8.3\r\n"
                               "pending,2016-12,151,\r\n"
                               "\"nva_placements\",\"2016/2021\",112,15.4\n"
                               "pmic_course_starts,2015-01/2022-09,707,75.5\n"
                               "employed_protected/adults_protected,2021-06,0.51,0.1\n"
                               "share_in_latvia@12,,0.385,0.05\n"
                               "   mentoring_clients_year , 2016/2021 , 2.385e2 , 50\n";
    as_error err;
    as_targets *ts = parse_targets(text, &err);
    AS_CHECK(t, ts != NULL, "good targets refused: %s", err.msg);
    if (!ts) {
        return;
    }
    AS_CHECK(t, as_targets_count(ts) == 7, "%zu targets, expected 7", as_targets_count(ts));
    const as_target *a = as_targets_get(ts, 0);
    AS_CHECK(t,
             a->ind == AS_IND_DECISIONS_REFUGEE && a->per.y0 == 2016 && a->per.mo0 == 0 &&
                     fabs(a->value - 47) < 1e-12 && fabs(a->sd - 8.3) < 1e-12 && a->line == 4,
             "row 1 parsed wrong");
    a = as_targets_get(ts, 1);
    AS_CHECK(t, a->ind == AS_IND_PENDING && a->per.mo0 == 12 && !(a->sd > 0), "row 2: no sd");
    a = as_targets_get(ts, 2);
    AS_CHECK(t, a->per.y0 == 2016 && a->per.y1 == 2021 && a->per.mo0 == 0, "row 3: year span");
    a = as_targets_get(ts, 3);
    AS_CHECK(t, a->per.y0 == 2015 && a->per.mo0 == 1 && a->per.y1 == 2022 && a->per.mo1 == 9,
             "row 4: month span");
    a = as_targets_get(ts, 4);
    AS_CHECK(t, a->ind == AS_IND_EMPLOYED_PROTECTED && a->ind2 == AS_IND_ADULTS_PROTECTED,
             "row 5: ratio");
    a = as_targets_get(ts, 5);
    AS_CHECK(t, a->share == AS_SH_IN_LATVIA && a->month == 12 && a->period[0] == '\0',
             "row 6: cohort share");
    a = as_targets_get(ts, 6);
    AS_CHECK(t, fabs(a->value - 238.5) < 1e-12 && a->line == 10, "row 7: spaces and exponent");
    as_targets_destroy(ts);
    /* The sd column is optional. */
    ts = parse_targets("series,period,value\npending,2019-12,41\n", &err);
    AS_CHECK(t, ts && as_targets_count(ts) == 1, "three-column file refused");
    as_targets_destroy(ts);
}

static void test_targets_bad(as_test_state *t)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
            {"", "t.csv: empty file"},
            {" \n\t\n", "t.csv: empty file"},
            {"series,period,value,sd\npending,2019-12,4\0001,\n",
             "t.csv: binary file (NUL byte on line 2), not text"},
            {"series,period,value,sd\npending,2019-12,\xC3\x28,\n",
             "t.csv:2: not UTF-8 text (byte 0xC3); save the file as UTF-8"},
            {"series,period,observed\n",
             "t.csv:1: the first line must be the header series,period,value,sd (sd optional)"},
            {"series,period,value,sd\n", "t.csv: no targets after the header"},
            {"# only a comment\n", "t.csv: no header and no targets"},
            {"series,period,value,sd\npendng,2019-12,41,\n",
             "t.csv:2: unknown series 'pendng' (did you mean pending?)"},
            {"series,period,value,sd\nfoo,2019,1,\n",
             "t.csv:2: unknown series 'foo' (series are the indicators of docs/model.md, A/B, or "
             "share_*@M)"},
            {"series,period,value,sd\nemployed/adults_protectd,2019,1,\n",
             "t.csv:2: unknown indicator 'adults_protectd' (did you mean adults_protected?)"},
            {"series,period,value,sd\nshare_in_latvja@3,,0.5,0.1\n",
             "t.csv:2: unknown cohort share 'share_in_latvja' (did you mean share_in_latvia?)"},
            {"series,period,value,sd\nshare_in_latvia@61,,0.5,0.1\n",
             "t.csv:2: share_in_latvia@61: the month since status after @ must be a whole number "
             "from 0 to 60"},
            {"series,period,value,sd\nshare_in_latvia@,,0.5,0.1\n",
             "t.csv:2: share_in_latvia@: the month since status after @ must be a whole number "
             "from 0 to 60"},
            {"series,period,value,sd\nshare_in_latvia@3,2019,0.5,0.1\n",
             "t.csv:2: share_in_latvia@3: a cohort share takes no period (the month since status "
             "follows @); leave the period empty"},
            {"series,period,value,sd\npending,,41,\n",
             "t.csv:2: pending: period is empty (YYYY, YYYY-MM or a span YYYY/YYYY)"},
            {"series,period,value,sd\npending,2019-13,41,\n",
             "t.csv:2: pending: '2019-13': period must be YYYY, YYYY-MM or a span YYYY/YYYY or "
             "YYYY-MM/YYYY-MM (months 01-12)"},
            {"series,period,value,sd\npending,19,41,\n",
             "t.csv:2: pending: '19': period must be YYYY, YYYY-MM or a span YYYY/YYYY or "
             "YYYY-MM/YYYY-MM (months 01-12)"},
            {"series,period,value,sd\npending,2019/2015,41,\n",
             "t.csv:2: pending: '2019/2015': the span ends before it starts"},
            {"series,period,value,sd\npending,2015/2019-12,41,\n",
             "t.csv:2: pending: '2015/2019-12': a span joins two years or two months, not a year "
             "and a month"},
            {"series,period,value,sd\npending,2019-12,,\n", "t.csv:2: pending: value is empty"},
            {"series,period,value,sd\npending,2019-12,nan,\n",
             "t.csv:2: pending: value 'nan' is not a finite number"},
            {"series,period,value,sd\npending,2019-12,0x10,\n",
             "t.csv:2: pending: value '0x10' is not a finite number"},
            {"series,period,value,sd\npending,2019-12,1e999,\n",
             "t.csv:2: pending: value '1e999' is not a finite number"},
            {"series,period,value,sd\npending,2019-12,41,0\n",
             "t.csv:2: pending: sd '0' must be a number above 0 (or empty for the default)"},
            {"series,period,value,sd\npending,2019-12,41,-3\n",
             "t.csv:2: pending: sd '-3' must be a number above 0 (or empty for the default)"},
            {"series,period,value,sd\npending,2019-12,0,\n",
             "t.csv:2: pending: a value of 0 needs an sd (the default sd is relative to the "
             "value)"},
            {"series,period,value,sd\npending,2019-12,41,\npending,2019-12,42,\n",
             "t.csv:3: pending: duplicate target (first on line 2)"},
            {"series,period,value,sd\npending,2019-12,41,,,\n",
             "t.csv:2: 6 fields; expected series,period,value,sd"},
            {"series,period,value,sd\npending,2019-12\n",
             "t.csv:2: 2 fields; expected series,period,value,sd"},
            {"series,period,value,sd\n\"pending,2019-12,41,\n",
             "t.csv:2: field 1: quote not closed on this line"},
            {"series,period,value,sd\n\"pending\"x,2019-12,41,\n",
             "t.csv:2: field 1: text after the closing quote"},
            {"series,period,value,sd\npen\"ding,2019-12,41,\n",
             "t.csv:2: field 1: a quote inside an unquoted field"},
            {"series,period,value,sd\npend ing,2019-12,41,\n",
             "t.csv:2: series 'pend ing': only letters, digits, _, / and @ are allowed"},
            {"series,period,value,sd\n,2019-12,41,\n", "t.csv:2: series is empty"},
            {"series,period,value,sd\na,b,c,d,e,f,g,h,i\n",
             "t.csv:2: too many fields (expected series,period,value,sd)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        as_error err;
        as_targets *ts = NULL;
        /* Bytes, not a C string: the NUL case has one inside. */
        size_t len = strlen(cases[k].text);
        if (strstr(cases[k].msg, "NUL byte")) {
            len = sizeof "series,period,value,sd\npending,2019-12,4\0001,\n" - 1;
        }
        as_status st = as_targets_parse_mem("t.csv", cases[k].text, len, &ts, &err);
        char got[1400];
        fmt_err(&err, got, sizeof got);
        AS_CHECK(t, st == AS_ERR_INPUT && ts == NULL && strcmp(got, cases[k].msg) == 0,
                 "case %zu: expected \"%s\", got \"%s\"", k, cases[k].msg,
                 st == AS_OK ? "(accepted)" : got);
        as_targets_destroy(ts);
    }
    /* A field longer than the reader keeps. */
    char big[600] = "series,period,value,sd\npending,2019-12,";
    size_t l = strlen(big);
    memset(big + l, '1', 300);
    strcpy(big + l + 300, ",\n");
    as_error err;
    as_targets *ts = parse_targets(big, &err);
    char got[1400];
    fmt_err(&err, got, sizeof got);
    AS_CHECK(t, !ts && strcmp(got, "t.csv:2: field 3 is too long (at most 127 characters)") == 0,
             "long field: %s", got);
    as_targets_destroy(ts);
}

/* A small deterministic generator for the mutation tests (not a model stream). */
static uint64_t next_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void test_mutated_bytes(as_test_state *t)
{
    static const char csv[] = "series,period,value,sd\n"
                              "decisions_refugee,2016,47,8.3\n"
                              "\"pending\",2016-12,151,\n"
                              "share_in_latvia@12,,0.385,0.05\n"
                              "employed_protected/adults_protected,2021-06,0.51,0.1\n";
    static const char cfg[] =
            "base = \"recovery.cfg\"; targets = \"t.csv\"; method = \"abc_smc\";\n"
            "seed = 7; run_end = \"2017-06-30\";\n"
            "parameters = ( { setting = \"procedure.p_refugee\"; "
            "prior = \"uniform\"; lower = 0.1; upper = 0.5; } );\n"
            "abc = { particles = 20; populations = 1; };\n";
    static const char alphabet[] = ",\"\n\r@/#0123456789.eE-+ {}()[];=:\\\0\xff\xc3\xa9"
                                   "ax";
    uint64_t s = 20240701;
    int survived = 0;
    for (int round = 0; round < 3000; round++) {
        const char *src = round % 2 ? cfg : csv;
        size_t n = round % 2 ? sizeof cfg - 1 : sizeof csv - 1;
        char buf[512];
        memcpy(buf, src, n);
        int edits = 1 + (int)(next_rand(&s) % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = next_rand(&s) % n;
            int what = (int)(next_rand(&s) % 3);
            char c = alphabet[next_rand(&s) % (sizeof alphabet - 1)];
            if (what == 0) {
                buf[at] = c;
            } else if (what == 1 && n + 1 < sizeof buf) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            } else if (n > 1) {
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            }
        }
        as_error err;
        if (round % 2) {
            as_calib_spec *sp = NULL;
            as_status st = as_calib_spec_parse_mem("c.cfg", buf, n, dir, &sp, &err);
            survived += st == AS_OK || st == AS_ERR_INPUT;
            as_calib_spec_destroy(sp);
        } else {
            as_targets *ts = NULL;
            as_status st = as_targets_parse_mem("t.csv", buf, n, &ts, &err);
            survived += st == AS_OK || st == AS_ERR_INPUT;
            as_targets_destroy(ts);
        }
    }
    AS_CHECK(t, survived == 3000, "%d of 3000 mutated inputs gave a status other than OK/INPUT",
             3000 - survived);
}

/* ---- calibration files ---- */

static const char good_cfg[] =
        "# a calibration\n"
        "base = \"recovery.cfg\";\n"
        "targets = \"t.csv\";\n"
        "method = \"smm\";\n"
        "seed = 4294967297L;\n"
        "run_end = \"2016-12-31\";\n"
        "default_rel_sd = 0.2;\n"
        "fit_replications = 30;\n"
        "parameters = (\n"
        "  { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = 0.1; upper = 0.5; },\n"
        "  { setting = \"movement.leave_status_month\"; scale = true; prior = \"log_uniform\";\n"
        "    lower = 0.5; upper = 2; }\n"
        ");\n"
        "abc = { populations = 3; particles = 50; replications = 1; batch = 10; quantile = 0.4;\n"
        "        min_acceptance = 0.05; max_simulations = 1000; };\n"
        "smm = { iterations = 10; replications = 5; tolerance = 0.01; step = 0.3;\n"
        "        jacobian_step = 0.2; };\n";

static void test_calib_file_good(as_test_state *t)
{
    as_calib_spec *sp = NULL;
    as_error err;
    as_status st = as_calib_spec_parse_mem("c.cfg", good_cfg, strlen(good_cfg), dir, &sp, &err);
    AS_CHECK(t, st == AS_OK, "good file refused: %s", err.msg);
    if (st != AS_OK) {
        return;
    }
    char want_base[512];
    snprintf(want_base, sizeof want_base, "%s/recovery.cfg", dir);
    AS_CHECK(t, strcmp(sp->base_path, want_base) == 0, "base %s", sp->base_path);
    AS_CHECK(t, sp->method == AS_CALIB_SMM && sp->seed == 4294967297ULL && sp->n_params == 2,
             "method, seed or parameters");
    AS_CHECK(t,
             sp->params[1].scale && sp->params[1].prior == AS_PRIOR_LOG_UNIFORM &&
                     fabs(sp->params[1].upper - 2) < 1e-12 && sp->params[1].line == 11,
             "scale parameter");
    AS_CHECK(t,
             sp->abc.populations == 3 && sp->abc.particles == 50 && sp->abc.batch == 10 &&
                     sp->abc.max_simulations == 1000 && fabs(sp->abc.quantile - 0.4) < 1e-12,
             "abc budget");
    AS_CHECK(t, sp->smm.iterations == 10 && sp->smm.replications == 5 && sp->fit_replications == 30,
             "smm budget");
    AS_CHECK(t, fabs(sp->default_rel_sd - 0.2) < 1e-12, "default_rel_sd");
    as_calib_spec_destroy(sp);
}

static void test_calib_file_bad(as_test_state *t)
{
    static const char head[] =
            "base = \"recovery.cfg\"; targets = \"t.csv\"; method = \"abc_smc\";\n";
    static const char param[] =
            "parameters = ( { setting = \"procedure.p_refugee\"; prior = \"uniform\"; "
            "lower = 0.1; upper = 0.5; } );\n";
    static const struct {
        const char *body, *msg;
    } cases[] = {
            {"metod = \"smm\";\n", "c.cfg:2: metod: unknown setting (did you mean method?)"},
            {"seed = 4294967297;\n",
             "c.cfg:2: integer 4294967297 does not fit in 32 bits (write 4294967297L for a "
             "64-bit integer)"},
            {"seed = -1;\n", "c.cfg:2: seed: -1 is out of range [0, 9223372036854775807]"},
            {"seed = 1.5;\n", "c.cfg:2: seed: expected a whole number, found the number 1.5"},
            {"run_end = \"2016-02-30\";\n",
             "c.cfg:2: run_end: \"2016-02-30\" is not a date \"YYYY-MM-DD\""},
            {"default_rel_sd = 0;\n", "c.cfg:2: default_rel_sd: 0 is out of range (0, 10]"},
            {"abc = { particles = 5; };\n",
             "c.cfg:2: abc.particles: 5 is out of range [10, 1000000]"},
            {"abc = { quantile = 1.0; };\n", "c.cfg:2: abc.quantile: 1 is out of range (0, 1)"},
            {"abc = { particle = 50; };\n",
             "c.cfg:2: abc.particle: unknown setting (did you mean abc.particles?)"},
            {"smm = 3;\n", "c.cfg:2: smm: expected a group { iterations = ...; ... }, found the "
                           "integer 3"},
            {"@include \"x.cfg\"\n", "c.cfg:2: @include is not allowed in this file"},
            {"/* open\n", "c.cfg:2: /* comment has no closing */; the rest of the file would be "
                          "ignored"},
            {"seed = ;\n", "c.cfg:2: syntax error"},
            {"seed \"x\";\n", "c.cfg:2: syntax error"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s", head, cases[k].body, param);
        as_calib_spec *sp = NULL;
        as_error err;
        as_status st = as_calib_spec_parse_mem("c.cfg", text, strlen(text), dir, &sp, &err);
        char got[1400];
        fmt_err(&err, got, sizeof got);
        AS_CHECK(t, st == AS_ERR_INPUT && !sp && strcmp(got, cases[k].msg) == 0,
                 "case %zu: expected \"%s\", got \"%s\"", k, cases[k].msg,
                 st == AS_OK ? "(accepted)" : got);
        as_calib_spec_destroy(sp);
    }
    /* Parameter lists. */
    static const struct {
        const char *params, *msg;
    } pcases[] = {
            {"parameters = ();\n",
             "c.cfg:2: parameters: expected a non-empty list ( { setting = ...; }, ... ), found a "
             "list"},
            {"parameters = ( { setting = \"procedure.p_refuge\"; prior = \"uniform\"; lower = 0.1; "
             "upper = 0.5; } );\n",
             "c.cfg:2: parameters[1].setting: \"procedure.p_refuge\" is not a setting (did you "
             "mean procedure.p_refugee?)"},
            {"parameters = ( { setting = \"procedure.service_dist\"; prior = \"uniform\"; "
             "lower = 0.1; upper = 0.5; } );\n",
             "c.cfg:2: parameters[1].setting: procedure.service_dist cannot be varied (only "
             "number, integer and dated settings outside run.*)"},
            {"parameters = ( { setting = \"run.reps\"; prior = \"uniform\"; lower = 1; "
             "upper = 5; } );\n",
             "c.cfg:2: parameters[1].setting: run.reps cannot be varied (only number, integer "
             "and dated settings outside run.*)"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; lower = 0.1; upper = 0.5; } );\n",
             "c.cfg:2: parameters[1]: needs setting, prior, lower and upper"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"normal\"; lower = 0.1; "
             "upper = 0.5; } );\n",
             "c.cfg:2: parameters[1].prior: expected \"uniform\" or \"log_uniform\", found the "
             "string \"normal\""},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = "
             "0.5; "
             "upper = 0.1; } );\n",
             "c.cfg:2: parameters[1].upper: upper (0.1) must be above lower (0.5)"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"log_uniform\"; "
             "lower = 0; upper = 0.5; } );\n",
             "c.cfg:2: parameters[1].lower: a log_uniform prior needs lower above 0, not 0"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = "
             "0.1; "
             "upper = 1.5; } );\n",
             "c.cfg:2: parameters[1].upper: 1.5 is out of range [0, 1] for procedure.p_refugee"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; scale = true; "
             "prior = \"uniform\"; lower = 0.1; upper = 0.5; } );\n",
             "c.cfg:2: parameters[1].scale: scale = true needs a dated setting; "
             "procedure.p_refugee is not one"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = "
             "0.1; "
             "upper = 0.5; bound = 1; } );\n",
             "c.cfg:2: parameters[1].bound: unknown setting"},
            {"parameters = ( { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = "
             "0.1; "
             "upper = 0.5; },\n { setting = \"procedure.p_refugee\"; prior = \"uniform\"; "
             "lower = 0.1; upper = 0.4; } );\n",
             "c.cfg:3: parameters[2].setting: procedure.p_refugee is already parameter 1 (line "
             "2)"},
    };
    for (size_t k = 0; k < sizeof pcases / sizeof pcases[0]; k++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s", head, pcases[k].params);
        as_calib_spec *sp = NULL;
        as_error err;
        as_status st = as_calib_spec_parse_mem("c.cfg", text, strlen(text), dir, &sp, &err);
        char got[1400];
        fmt_err(&err, got, sizeof got);
        AS_CHECK(t, st == AS_ERR_INPUT && !sp && strcmp(got, pcases[k].msg) == 0,
                 "parameter case %zu: expected \"%s\", got \"%s\"", k, pcases[k].msg,
                 st == AS_OK ? "(accepted)" : got);
        as_calib_spec_destroy(sp);
    }
    /* A missing setting. */
    as_calib_spec *sp = NULL;
    as_error err;
    as_status st = as_calib_spec_parse_mem("c.cfg", head, strlen(head), dir, &sp, &err);
    char got[1400];
    fmt_err(&err, got, sizeof got);
    AS_CHECK(t,
             st == AS_ERR_INPUT &&
                     strcmp(got, "c.cfg: parameters: missing (a calibration file needs base, "
                                 "targets, method and parameters)") == 0,
             "missing parameters: %s", got);
}

static void test_sensitivity_file(as_test_state *t)
{
    static const char good[] =
            "method = \"both\"; seed = 3; replications = 2; batch = 8;\n"
            "morris = { trajectories = 4; levels = 4; };\n"
            "sobol = { samples = 8; bootstrap = 20; };\n"
            "parameters = ( { setting = \"procedure.p_refugee\"; lower = 0.1; upper = 0.5; } );\n"
            "outputs = ( { name = \"refugees\"; indicator = \"decisions_refugee\"; "
            "period = \"2016\"; },\n"
            "  { name = \"cost\"; budget = \"reception/state\"; period = \"2015/2016\"; "
            "statistic = \"mean\"; } );\n";
    as_sens_spec *sp = NULL;
    as_error err;
    as_status st = as_sens_spec_parse_mem("s.cfg", good, strlen(good), &sp, &err);
    AS_CHECK(t,
             st == AS_OK && sp && sp->n_outputs == 2 && sp->outputs[1].agg == AS_AGG_MEAN &&
                     strcmp(sp->outputs[1].payer, "state") == 0 && sp->morris_levels == 4,
             "good sensitivity file: %s", st == AS_OK ? "wrong values" : err.msg);
    as_sens_spec_destroy(sp);
    static const struct {
        const char *text, *msg;
    } cases[] = {
            {"parameters = ( { setting = \"procedure.p_refugee\"; lower = 0.1; upper = 0.5; } );\n",
             "s.cfg: outputs: missing (a sensitivity file needs parameters and outputs)"},
            {"morris = { levels = 3; };\n", "s.cfg:1: morris.levels: must be even (a step of p / "
                                            "(2 (p - 1)) then pairs the levels)"},
            {"outputs = ( { name = \"x\"; indicator = \"pendin\"; period = \"2016\"; } );\n",
             "s.cfg:1: outputs[1].indicator: \"pendin\" is not an indicator (did you mean "
             "pending?)"},
            {"outputs = ( { name = \"x\"; budget = \"rent\"; period = \"2016\"; } );\n",
             "s.cfg:1: outputs[1].budget: \"rent\" is no budget line (\"total\", a line of "
             "budget.csv such as \"reception\", or \"reception/state\")"},
            {"outputs = ( { name = \"x y\"; budget = \"total\"; period = \"2016\"; } );\n",
             "s.cfg:1: outputs[1].name: expected a name of letters, digits and _ (at most 63), "
             "found the string \"x y\""},
            {"outputs = ( { name = \"x\"; budget = \"total\"; indicator = \"pending\"; "
             "period = \"2016\"; } );\n",
             "s.cfg:1: outputs[1]: needs name, period and one of indicator or budget"},
            {"outputs = ( { name = \"x\"; budget = \"total\"; period = \"2016\"; "
             "statistic = \"max\"; } );\n",
             "s.cfg:1: outputs[1].statistic: expected \"sum\" or \"mean\" (of the period's "
             "months), found the string \"max\""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[2048];
        const char *params =
                strstr(cases[k].text, "parameters")
                        ? ""
                        : "parameters = ( { setting = \"procedure.p_refugee\"; lower = 0.1; "
                          "upper = 0.5; } );\n";
        const char *outputs =
                strstr(cases[k].text, "outputs") || strstr(cases[k].text, "parameters")
                        ? ""
                        : "outputs = ( { name = \"x\"; budget = \"total\"; "
                          "period = \"2016\"; } );\n";
        snprintf(text, sizeof text, "%s%s%s", cases[k].text, params, outputs);
        sp = NULL;
        st = as_sens_spec_parse_mem("s.cfg", text, strlen(text), &sp, &err);
        char got[1400];
        fmt_err(&err, got, sizeof got);
        AS_CHECK(t, st == AS_ERR_INPUT && !sp && strcmp(got, cases[k].msg) == 0,
                 "case %zu: expected \"%s\", got \"%s\"", k, cases[k].msg,
                 st == AS_OK ? "(accepted)" : got);
        as_sens_spec_destroy(sp);
    }
}

/* ---- values from runs ---- */

static as_scenario *load_fixture(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/recovery.cfg", dir);
    as_scenario *s = NULL;
    as_error err;
    if (as_scenario_load(path, &s, &err) != AS_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.msg);
        exit(EXIT_FAILURE);
    }
    return s;
}

static as_run_set *run_fixture(const as_scenario *s, uint32_t reps, uint64_t seed)
{
    as_run_opts o = {.reps = reps, .seed = seed, .threads = 2};
    as_run_set *sets = NULL;
    as_error err;
    if (as_run_scenarios(&s, 1, &o, &sets, &err) != AS_OK) {
        fprintf(stderr, "run failed: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    return sets;
}

static void test_target_values(as_test_state *t)
{
    as_scenario *s = load_fixture();
    as_run_set *sets = run_fixture(s, 3, 5);
    as_error err;
    as_targets *ts = parse_targets("series,period,value,sd\n"
                                   "decisions_refugee,2016,1,\n"
                                   "pending,2016,1,\n"
                                   "pending,2015/2016,1,\n"
                                   "pending,2016-03/2016-05,1,\n"
                                   "arrivals,2016-03/2016-05,1,\n"
                                   "decisions_refugee/arrivals,2016,1,\n"
                                   "share_in_latvia@3,,0.5,0.1\n",
                                   &err);
    AS_CHECK(t, ts && as_targets_bind(ts, &sets[0].grid, &err) == AS_OK, "bind: %s", err.msg);
    for (uint32_t r = 0; ts && r < 3; r++) {
        double sum16 = 0, arr = 0, pend = 0;
        for (int m = 12; m < 24; m++) {
            sum16 += as_run_value(&sets[0], r, AS_IND_DECISIONS_REFUGEE, m);
        }
        for (int m = 14; m <= 16; m++) {
            arr += as_run_value(&sets[0], r, AS_IND_ARRIVALS, m);
            pend += as_run_value(&sets[0], r, AS_IND_PENDING, m) / 3;
        }
        double dec15 = as_run_value(&sets[0], r, AS_IND_PENDING, 11);
        double dec16 = as_run_value(&sets[0], r, AS_IND_PENDING, 23);
        AS_CHECK(t, fabs(as_target_value(as_targets_get(ts, 0), &sets[0], r) - sum16) < 1e-9,
                 "yearly flow is the sum of its months");
        AS_CHECK(t, fabs(as_target_value(as_targets_get(ts, 1), &sets[0], r) - dec16) < 1e-9,
                 "yearly stock is December");
        AS_CHECK(t,
                 fabs(as_target_value(as_targets_get(ts, 2), &sets[0], r) - (dec15 + dec16) / 2) <
                         1e-9,
                 "a year span of a stock is the mean of its Decembers");
        AS_CHECK(t, fabs(as_target_value(as_targets_get(ts, 3), &sets[0], r) - pend) < 1e-9,
                 "a month span of a stock is the mean of its months");
        AS_CHECK(t, fabs(as_target_value(as_targets_get(ts, 4), &sets[0], r) - arr) < 1e-9,
                 "a month span of a flow is the sum of its months");
        double arr16 = 0;
        for (int m = 12; m < 24; m++) {
            arr16 += as_run_value(&sets[0], r, AS_IND_ARRIVALS, m);
        }
        AS_CHECK(t,
                 fabs(as_target_value(as_targets_get(ts, 5), &sets[0], r) - sum16 / arr16) < 1e-12,
                 "a ratio is the ratio of the two in the replication");
        double den = as_run_cohort(&sets[0], r, 0, AS_CS_MEMBERS, 3);
        double num = as_run_cohort(&sets[0], r, 0, AS_CS_PRESENT, 3);
        AS_CHECK(t,
                 den > 0 && fabs(as_target_value(as_targets_get(ts, 6), &sets[0], r) - num / den) <
                                    1e-12,
                 "a cohort share is its two sums' ratio");
    }
    as_targets_destroy(ts);
    /* A period outside the simulated months names the target's line. */
    ts = parse_targets("series,period,value,sd\npending,2016-12,4,\npending,2018,1,\n", &err);
    as_status st = ts ? as_targets_bind(ts, &sets[0].grid, &err) : AS_ERR_RUNTIME;
    char got[1400];
    fmt_err(&err, got, sizeof got);
    AS_CHECK(t,
             st == AS_ERR_INPUT && strcmp(got, "t.csv:3: pending: period 2018 needs the months "
                                               "2018-12 to 2018-12, but the simulation "
                                               "covers 2015-01 to 2017-12") == 0,
             "outside: %s", got);
    as_targets_destroy(ts);
    ts = parse_targets("series,period,value,sd\narrivals,2017/2018,4,\n", &err);
    st = ts ? as_targets_bind(ts, &sets[0].grid, &err) : AS_ERR_RUNTIME;
    fmt_err(&err, got, sizeof got);
    AS_CHECK(t,
             st == AS_ERR_INPUT && strcmp(got, "t.csv:2: arrivals: period 2017/2018 needs the "
                                               "months 2017-01 to 2018-12, but the simulation "
                                               "covers 2015-01 to 2017-12") == 0,
             "outside: %s", got);
    as_targets_destroy(ts);
    as_run_sets_free(sets, 1);
    as_scenario_destroy(s);
}

/* ---- recovery ---- */

static const double truth[3] = {1.0, 0.25, 0.1};
static const char *const truth_names[3] = {"procedure.service_median_days", "procedure.p_refugee",
                                           "movement.leave_procedure_month"};

/* Simulates the targets from the true values: the observation is replication 0 of seed
 * 20240701, the sd of each target the spread of 200 other replications. Writes t.csv. */
static void write_truth_targets(char *path, size_t n)
{
    as_scenario *base = load_fixture(), *s = NULL, *next = NULL;
    as_error err;
    for (int j = 0; j < 3; j++) {
        if (as_scenario_with_number(s ? s : base, (as_setting_id)as_schema_find(truth_names[j]),
                                    truth[j], 0, NULL, &next, &err) != AS_OK) {
            fprintf(stderr, "truth: %s\n", err.msg);
            exit(EXIT_FAILURE);
        }
        as_scenario_destroy(s);
        s = next;
    }
    const uint32_t reps = 201;
    as_run_set *sets = run_fixture(s, reps, 20240701);
    static const char *const series[] = {"decisions_refugee", "decisions_negative",
                                         "left_during_procedure"};
    snprintf(path, n, "%s/t.csv", tmpdir);
    FILE *f = fopen(path, "w");
    if (!f) {
        exit(EXIT_FAILURE);
    }
    fputs("series,period,value,sd\n", f);
    as_targets *ts = NULL;
    char text[4096];
    size_t k = (size_t)snprintf(text, sizeof text, "series,period,value,sd\n");
    for (int y = 2015; y <= 2017; y++) {
        for (int i = 0; i < 3; i++) {
            k += (size_t)snprintf(text + k, sizeof text - k, "%s,%d,1,\n", series[i], y);
        }
        k += (size_t)snprintf(text + k, sizeof text - k, "pending,%d-06,1,\n", y);
    }
    if (as_targets_parse_mem("truth", text, k, &ts, &err) != AS_OK ||
        as_targets_bind(ts, &sets[0].grid, &err) != AS_OK) {
        fprintf(stderr, "truth targets: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    for (size_t i = 0; i < as_targets_count(ts); i++) {
        const as_target *tg = as_targets_get(ts, i);
        double m = 0, v = 0;
        for (uint32_t r = 1; r < reps; r++) {
            m += as_target_value(tg, &sets[0], r);
        }
        m /= reps - 1;
        for (uint32_t r = 1; r < reps; r++) {
            double d = as_target_value(tg, &sets[0], r) - m;
            v += d * d;
        }
        double sd = sqrt(v / (reps - 2));
        fprintf(f, "%s,%s,%.17g,%.17g\n", tg->series, tg->period, as_target_value(tg, &sets[0], 0),
                sd > 0.5 ? sd : 0.5);
    }
    fclose(f);
    as_targets_destroy(ts);
    as_run_sets_free(sets, 1);
    as_scenario_destroy(s);
    as_scenario_destroy(base);
}

static char targets_path[256];

static as_calib_spec *recovery_spec(const char *method_and_budget)
{
    char text[4096];
    snprintf(text, sizeof text,
             "base = \"recovery.cfg\";\n"
             "targets = \"%s\";\n"
             "%s\n"
             "fit_replications = 20;\n"
             "parameters = (\n"
             "  { setting = \"procedure.service_median_days\"; prior = \"log_uniform\"; "
             "lower = 0.3; upper = 3.0; },\n"
             "  { setting = \"procedure.p_refugee\"; prior = \"uniform\"; lower = 0.05; "
             "upper = 0.6; },\n"
             "  { setting = \"movement.leave_procedure_month\"; prior = \"log_uniform\"; "
             "lower = 0.02; upper = 0.5; }\n"
             ");\n",
             targets_path, method_and_budget);
    as_calib_spec *sp = NULL;
    as_error err;
    if (as_calib_spec_parse_mem("recovery-calib.cfg", text, strlen(text), dir, &sp, &err) !=
        AS_OK) {
        fprintf(stderr, "recovery spec: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    return sp;
}

static as_calib_result *calibrate(const as_calib_spec *sp, unsigned threads, as_calib **cal_out)
{
    as_calib *cal = NULL;
    as_calib_result *res = NULL;
    as_error err;
    if (as_calib_prepare(sp, &cal, &err) != AS_OK) {
        fprintf(stderr, "prepare: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    as_calib_opts o = {.threads = threads, .seed = sp->seed};
    if (as_calib_run(cal, &o, &res, &err) != AS_OK) {
        fprintf(stderr, "calibrate: %s\n", err.msg);
        exit(EXIT_FAILURE);
    }
    if (cal_out) {
        *cal_out = cal;
    } else {
        as_calib_destroy(cal);
    }
    return res;
}

/* The prior sd of parameter j of the recovery spec (log-uniform: of the value). */
static double prior_sd(const as_param *p)
{
    if (p->prior == AS_PRIOR_UNIFORM) {
        return (p->upper - p->lower) / sqrt(12);
    }
    double a = log(p->lower), b = log(p->upper), w = b - a;
    double m1 = (p->upper - p->lower) / w;
    double m2 = (p->upper * p->upper - p->lower * p->lower) / (2 * w);
    return sqrt(m2 - m1 * m1);
}

static void test_recovery_abc(as_test_state *t)
{
    as_calib_spec *sp = recovery_spec("method = \"abc_smc\"; seed = 7;\n"
                                      "abc = { populations = 3; particles = 100; replications = 2; "
                                      "batch = 25; quantile = 0.5; min_acceptance = 0.02; };");
    as_calib_result *r = calibrate(sp, 2, NULL);
    for (int j = 0; j < 3; j++) {
        double z = fabs(r->estimate[j] - truth[j]) / r->sd[j];
        printf("  ABC %-32s true %-6g posterior mean %.4g sd %.3g (prior sd %.3g) |z| %.2f\n",
               truth_names[j], truth[j], r->estimate[j], r->sd[j], prior_sd(&sp->params[j]), z);
        AS_CHECK(t, as_within_z(r->estimate[j], truth[j], r->sd[j]),
                 "%s: true %g outside %g +- %g x %g", truth_names[j], truth[j], r->estimate[j],
                 AS_TEST_Z, r->sd[j]);
        AS_CHECK(t, r->sd[j] < prior_sd(&sp->params[j]),
                 "%s: posterior sd %g not below the prior's %g", truth_names[j], r->sd[j],
                 prior_sd(&sp->params[j]));
    }
    for (size_t p = 0; p < r->n_populations; p++) {
        printf("  population %zu: tolerance %.3g, acceptance %.2f, ESS %.0f\n", p,
               r->populations[p].tolerance,
               (double)r->populations[p].accepted / (double)r->populations[p].candidates,
               r->populations[p].ess);
    }
    AS_CHECK(t, r->n_populations == 4, "%zu populations (%s)", r->n_populations, r->stop_reason);
    as_calib_result_destroy(r);
    as_calib_spec_destroy(sp);
}

static void test_recovery_smm(as_test_state *t)
{
    as_calib_spec *sp = recovery_spec("method = \"smm\"; seed = 11;\n"
                                      "smm = { iterations = 100; replications = 10; "
                                      "tolerance = 0.002; };");
    as_calib_result *r = calibrate(sp, 2, NULL);
    printf("  SMM objective %.3g after %u iterations (%s), %zu targets\n", r->objective,
           (unsigned)r->iterations, r->converged ? "converged" : "not converged", r->n_targets);
    for (int j = 0; j < 3; j++) {
        printf("  SMM %-32s true %-6g estimate %.4g se %.3g |z| %.2f\n", truth_names[j], truth[j],
               r->estimate[j], r->sd[j], fabs(r->estimate[j] - truth[j]) / r->sd[j]);
        AS_CHECK(t, isfinite(r->sd[j]) && r->sd[j] > 0, "%s: no standard error", truth_names[j]);
        AS_CHECK(t, as_within_z(r->estimate[j], truth[j], r->sd[j]),
                 "%s: true %g outside %g +- %g x %g", truth_names[j], truth[j], r->estimate[j],
                 AS_TEST_Z, r->sd[j]);
    }
    as_calib_result_destroy(r);
    as_calib_spec_destroy(sp);
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void test_threads_do_not_matter(as_test_state *t)
{
    as_calib_spec *sp = recovery_spec("method = \"abc_smc\"; seed = 3;\n"
                                      "abc = { populations = 1; particles = 20; replications = 2; "
                                      "batch = 7; };");
    as_calib_result *a = calibrate(sp, 1, NULL), *b = calibrate(sp, 3, NULL);
    AS_CHECK(t,
             a->n_particles == b->n_particles &&
                     same_doubles(a->particles, b->particles, a->n_particles * 3) &&
                     same_doubles(a->weights, b->weights, a->n_particles) &&
                     same_doubles(a->fit_mean, b->fit_mean, a->n_targets),
             "ABC with 1 and 3 threads differ");
    as_calib_result_destroy(a);
    as_calib_result_destroy(b);
    as_calib_spec_destroy(sp);
}

static void test_run_end_changes_nothing(as_test_state *t)
{
    /* The targets of 2015-2016 only: a calibration shortened to the end of 2016 sees the same
     * numbers as one over the whole run, so it finds the same estimates and fit, bit for bit. */
    char path[200];
    snprintf(path, sizeof path, "%s/t2016.csv", tmpdir);
    FILE *in = fopen(targets_path, "r"), *out = fopen(path, "w");
    char line[512];
    while (in && out && fgets(line, sizeof line, in)) {
        if (!strstr(line, ",2017")) {
            fputs(line, out);
        }
    }
    if (in) {
        fclose(in);
    }
    if (out) {
        fclose(out);
    }
    char saved[256];
    snprintf(saved, sizeof saved, "%s", targets_path);
    snprintf(targets_path, sizeof targets_path, "%s", path);
    as_calib_spec *full = recovery_spec("method = \"smm\"; seed = 13;\n"
                                        "smm = { iterations = 4; replications = 3; };");
    as_calib_spec *cut = recovery_spec("method = \"smm\"; seed = 13; run_end = \"2016-12-31\";\n"
                                       "smm = { iterations = 4; replications = 3; };");
    snprintf(targets_path, sizeof targets_path, "%s", saved);
    as_calib_result *a = calibrate(full, 2, NULL), *b = calibrate(cut, 2, NULL);
    AS_CHECK(t,
             same_doubles(a->estimate, b->estimate, 3) && same_doubles(a->sd, b->sd, 3) &&
                     same_doubles(a->fit_mean, b->fit_mean, a->n_targets) && a->n_targets == 8,
             "run_end changed the calibration");
    as_calib_result_destroy(a);
    as_calib_result_destroy(b);
    as_calib_spec_destroy(full);
    as_calib_spec_destroy(cut);
}

static void test_fitted_cfg(as_test_state *t)
{
    as_calib_spec *sp = recovery_spec("method = \"smm\"; seed = 5;\n"
                                      "smm = { iterations = 5; replications = 4; };");
    as_calib *cal = NULL;
    as_calib_result *r = calibrate(sp, 2, &cal);
    char out[256], fitted[300];
    snprintf(out, sizeof out, "%s/out", tmpdir);
    as_outdir *o = NULL;
    as_error err;
    as_status st = as_outdir_open(out, 0, &o, &err);
    if (st == AS_OK) {
        st = as_calib_write(cal, r, o, &err);
    }
    if (st == AS_OK) {
        st = as_outdir_commit(o, &err);
        o = NULL;
    }
    as_outdir_abort(o);
    AS_CHECK(t, st == AS_OK, "writing the outputs: %s", err.msg);
    snprintf(fitted, sizeof fitted, "%s/fitted.cfg", out);
    as_scenario *s = NULL;
    st = as_scenario_load(fitted, &s, &err);
    AS_CHECK(t, st == AS_OK, "fitted.cfg does not load: %s", err.msg);
    for (int j = 0; s && j < 3; j++) {
        as_setting_id id = (as_setting_id)as_schema_find(truth_names[j]);
        double v = as_schema[id].type == AS_T_DATED ? as_scn_dated(s, id)->value[0]
                                                    : as_scn_float(s, id);
        const as_dated *d = as_schema[id].type == AS_T_DATED ? as_scn_dated(s, id) : NULL;
        AS_CHECK(t, fabs(v - r->estimate[j]) <= 1e-12 * fabs(r->estimate[j]) && (!d || d->n == 1),
                 "%s: fitted.cfg holds %.17g, the estimate is %.17g", truth_names[j], v,
                 r->estimate[j]);
    }
    as_scenario_destroy(s);
    static const char *const files[] = {"estimates.csv", "fit.csv", "manifest.txt"};
    for (size_t k = 0; k < 3; k++) {
        char p[400];
        snprintf(p, sizeof p, "%s/%s", out, files[k]);
        AS_CHECK(t, access(p, R_OK) == 0, "%s missing", files[k]);
    }
    as_remove_tree(out);
    as_calib_result_destroy(r);
    as_calib_destroy(cal);
    as_calib_spec_destroy(sp);
}

static void test_sensitivity_ranks(as_test_state *t)
{
    /* p_refugee drives the refugee decisions, p_alternative only through the rest of the
     * pathway: both methods must rank p_refugee first. */
    static const char text[] =
            "seed = 9; replications = 2; batch = 16;\n"
            "morris = { trajectories = 6; levels = 4; };\n"
            "sobol = { samples = 16; bootstrap = 50; };\n"
            "parameters = (\n"
            "  { setting = \"procedure.p_refugee\"; lower = 0.1; upper = 0.4; },\n"
            "  { setting = \"procedure.p_alternative\"; lower = 0.1; upper = 0.4; }\n"
            ");\n"
            "outputs = ( { name = \"refugees\"; indicator = \"decisions_refugee\"; "
            "period = \"2016\"; } );\n";
    as_sens_spec *sp = NULL;
    as_error err;
    as_status st = as_sens_spec_parse_mem("s.cfg", text, strlen(text), &sp, &err);
    as_sens_result *r = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/recovery.cfg", dir);
    as_calib_opts o = {.threads = 2, .seed = 9};
    if (st == AS_OK) {
        st = as_sens_run(sp, path, &o, &r, &err);
    }
    AS_CHECK(t, st == AS_OK, "sensitivity: %s", err.msg);
    if (r) {
        const as_sens_index *a = &r->idx[0], *b = &r->idx[1];
        printf("  p_refugee: mu* %.3g ST %.3g swing %.3g; p_alternative: mu* %.3g ST %.3g swing "
               "%.3g\n",
               a->mu_star, a->st, a->high - a->low, b->mu_star, b->st, b->high - b->low);
        AS_CHECK(t, a->mu_star > b->mu_star && a->st > b->st && a->high > a->low,
                 "p_refugee not ranked first");
        AS_CHECK(t, r->points == 5 + 6 * 3 + 16 * 4, "%llu design points",
                 (unsigned long long)r->points);
    }
    as_sens_result_destroy(r);
    as_sens_spec_destroy(sp);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        dir = argv[1];
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/asylsim-calib-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    as_test_state t = {0};
    AS_RUN(&t, test_targets_good);
    AS_RUN(&t, test_targets_bad);
    AS_RUN(&t, test_mutated_bytes);
    AS_RUN(&t, test_calib_file_good);
    AS_RUN(&t, test_calib_file_bad);
    AS_RUN(&t, test_sensitivity_file);
    AS_RUN(&t, test_target_values);
    write_truth_targets(targets_path, sizeof targets_path);
    AS_RUN(&t, test_recovery_abc);
    AS_RUN(&t, test_recovery_smm);
    AS_RUN(&t, test_threads_do_not_matter);
    AS_RUN(&t, test_run_end_changes_nothing);
    AS_RUN(&t, test_fitted_cfg);
    AS_RUN(&t, test_sensitivity_ranks);
    as_remove_tree(tmpdir);
    return as_test_finish(&t);
}
