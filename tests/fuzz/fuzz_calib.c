/* Fuzz target of the calibration and sensitivity file readers: the same bytes go through
 * as_calib_spec_parse_mem and as_sens_spec_parse_mem, each giving a spec or a clean error. The
 * input stands for "fuzz.cfg" in a folder that holds real base scenarios and targets files
 * (tools/fuzz assembles it; $ASYLSIM_FUZZ_DIR, else the AS_FUZZ_DIR the build defines, else the
 * current folder), since a calibration file names both.
 *
 * Beyond the sanitizers it checks what calib.h promises: a failure has a status, no spec and a
 * one-line message; a calibration spec has at least one parameter, every parameter a known
 * setting with finite bounds, lower < upper and lower > 0 for a log-uniform prior, and every
 * budget inside the ranges calib.h documents; a sensitivity spec has parameters and outputs, at
 * least one method, an even number of Morris levels, and outputs that name an indicator or a
 * budget; parsing the same bytes twice gives the same spec. The readers never print. */
#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calib.h"
#include "asylsim/model.h"

#define TARGET    "fuzz_calib"
#define FAIL(...) as_fuzz_fail(TARGET, __VA_ARGS__)

static void check_params(const char *kind, const as_param *ps, size_t n)
{
    if (n == 0 || !ps) {
        FAIL("%s spec without parameters", kind);
    }
    for (size_t k = 0; k < n; k++) {
        const as_param *p = &ps[k];
        if ((int)p->id < 0 || (int)p->id >= AS_N_SETTINGS) {
            FAIL("%s parameter %zu: setting id %d", kind, k, (int)p->id);
        }
        if (p->prior != AS_PRIOR_UNIFORM && p->prior != AS_PRIOR_LOG_UNIFORM) {
            FAIL("%s parameter %zu: prior %d", kind, k, (int)p->prior);
        }
        if (!isfinite(p->lower) || !isfinite(p->upper) || !(p->lower < p->upper)) {
            FAIL("%s parameter %s: bounds [%g, %g] accepted", kind, as_schema[p->id].name, p->lower,
                 p->upper);
        }
        if (p->prior == AS_PRIOR_LOG_UNIFORM && !(p->lower > 0)) {
            FAIL("%s parameter %s: log-uniform with lower %g", kind, as_schema[p->id].name,
                 p->lower);
        }
        for (size_t j = 0; j < k; j++) {
            if (ps[j].id == p->id) {
                FAIL("%s parameter %s twice", kind, as_schema[p->id].name);
            }
        }
        /* The prior's end points map into the bounds. */
        double a = as_param_from_unit(p, 0.0), b = as_param_from_unit(p, 1.0);
        double tol_a = 1e-12 * fabs(p->lower), tol_b = 1e-12 * fabs(p->upper);
        if (!isfinite(a) || !isfinite(b) || a < p->lower - tol_a || b > p->upper + tol_b) {
            FAIL("%s parameter %s: prior maps to [%g, %g] outside [%g, %g]", kind,
                 as_schema[p->id].name, a, b, p->lower, p->upper);
        }
    }
}

static int in(double x, double lo, int lo_open, double hi, int hi_open)
{
    return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
}

static void check_calib(const as_calib_spec *s)
{
    check_params("calibration", s->params, s->n_params);
    if (!s->path || !s->base_path || !s->targets_path) {
        FAIL("calibration spec without its file, base or targets path");
    }
    if (s->method != AS_CALIB_ABC_SMC && s->method != AS_CALIB_SMM) {
        FAIL("method %d", (int)s->method);
    }
    const as_abc_budget *a = &s->abc;
    if (a->populations < 1 || a->populations > 100 || a->particles < 10 || a->replications < 1 ||
        a->batch < 1 || !in(a->quantile, 0, 1, 1, 1) || !in(a->min_acceptance, 0, 0, 1, 1)) {
        FAIL("abc budget out of its documented ranges");
    }
    const as_smm_budget *m = &s->smm;
    if (m->iterations < 1 || m->replications < 1 || !in(m->tolerance, 0, 1, 10, 0) ||
        !in(m->step, 0, 1, 10, 0) || !in(m->jacobian_step, 0, 1, 2, 0)) {
        FAIL("smm budget out of its documented ranges");
    }
    if (!in(s->default_rel_sd, 0, 1, 10, 0) || s->fit_replications < 1) {
        FAIL("default_rel_sd %g or fit_replications %u", s->default_rel_sd,
             (unsigned)s->fit_replications);
    }
}

static void check_sens(const as_sens_spec *s)
{
    check_params("sensitivity", s->params, s->n_params);
    if (s->n_outputs == 0 || !s->outputs) {
        FAIL("sensitivity spec without outputs");
    }
    if (!(s->do_morris || s->do_sobol || s->do_oat) || s->replications < 1 || s->batch < 1) {
        FAIL("sensitivity spec with no method, replication or batch");
    }
    if (s->do_morris &&
        (s->morris_trajectories < 2 || s->morris_levels < 2 || s->morris_levels % 2 != 0)) {
        FAIL("morris %u trajectories, %u levels", (unsigned)s->morris_trajectories,
             (unsigned)s->morris_levels);
    }
    if (s->do_sobol && s->sobol_samples < 4) {
        FAIL("sobol %u samples", (unsigned)s->sobol_samples);
    }
    for (size_t k = 0; k < s->n_outputs; k++) {
        const as_sens_output *o = &s->outputs[k];
        size_t len = strnlen(o->name, sizeof o->name);
        if (len == 0 || len == sizeof o->name ||
            strnlen(o->line, sizeof o->line) == sizeof o->line ||
            strnlen(o->payer, sizeof o->payer) == sizeof o->payer ||
            strnlen(o->period, sizeof o->period) == sizeof o->period) {
            FAIL("output %zu: a name or string empty or not terminated", k);
        }
        if (o->ind < -1 || o->ind >= AS_N_INDICATORS) {
            FAIL("output %s: indicator %d", o->name, o->ind);
        }
        for (size_t j = 0; j < k; j++) {
            if (strcmp(s->outputs[j].name, o->name) == 0) {
                FAIL("output %s twice", o->name);
            }
        }
    }
}

static int same_params(const as_param *a, const as_param *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (a[k].id != b[k].id || a[k].prior != b[k].prior || a[k].scale != b[k].scale ||
            memcmp(&a[k].lower, &b[k].lower, sizeof a[k].lower) != 0 ||
            memcmp(&a[k].upper, &b[k].upper, sizeof a[k].upper) != 0) {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = as_fuzz_dir();
    as_error err;
    long long out_before = as_fuzz_stdout_size();

    as_calib_spec *c = NULL;
    as_status st = as_calib_spec_parse_mem("fuzz.cfg", data, size, dir, &c, &err);
    if (st != AS_OK) {
        as_fuzz_check_error(TARGET, st, c != NULL, "a calibration spec", &err);
    } else {
        if (!c) {
            FAIL("AS_OK without a calibration spec");
        }
        check_calib(c);
        as_calib_spec *again = NULL;
        if (as_calib_spec_parse_mem("fuzz.cfg", data, size, dir, &again, &err) != AS_OK || !again ||
            again->n_params != c->n_params || !same_params(c->params, again->params, c->n_params) ||
            again->method != c->method || again->seed != c->seed ||
            strcmp(again->base_path, c->base_path) != 0) {
            FAIL("second parse of the same calibration bytes differs");
        }
        as_calib_spec_destroy(again);
        as_calib_spec_destroy(c);
    }

    as_sens_spec *s = NULL;
    st = as_sens_spec_parse_mem("fuzz.cfg", data, size, &s, &err);
    if (st != AS_OK) {
        as_fuzz_check_error(TARGET, st, s != NULL, "a sensitivity spec", &err);
    } else {
        if (!s) {
            FAIL("AS_OK without a sensitivity spec");
        }
        check_sens(s);
        as_sens_spec *again = NULL;
        if (as_sens_spec_parse_mem("fuzz.cfg", data, size, &again, &err) != AS_OK || !again ||
            again->n_params != s->n_params || again->n_outputs != s->n_outputs ||
            !same_params(s->params, again->params, s->n_params) || again->seed != s->seed) {
            FAIL("second parse of the same sensitivity bytes differs");
        }
        as_sens_spec_destroy(again);
        as_sens_spec_destroy(s);
    }
    if (out_before >= 0 && as_fuzz_stdout_size() != out_before) {
        FAIL("a reader wrote to standard output");
    }
    return 0;
}
