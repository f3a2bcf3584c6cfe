/* Fuzz target of the scenario loader: bytes -> as_scenario_load_mem -> an immutable scenario or a
 * clean error. The input stands for a top-level file "fuzz.cfg" in a folder that holds real base
 * and include files (tools/fuzz assembles it from scenarios/ and tests/bad/; the folder is
 * $ASYLSIM_FUZZ_DIR, else the AS_FUZZ_DIR the build defines, else the current folder), so
 * `base = "..."` and `@include "..."` resolve against files on disk.
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), it checks what the loader
 * promises (include/asylsim/scenario.h, style.md §4 and §9): a failure has a status, no scenario
 * and a one-line message; a success has every number finite and in its schema range, dated steps
 * in order, probabilities summing to 1; loading the same bytes twice gives the same settings
 * hash and run.* settings that agree; and every sweep value either yields a valid variant or a
 * clean error. The loader never prints: when standard output is a file (tools/fuzz and replay.c
 * arrange it), its size must not change during a load. A broken promise aborts, which libFuzzer
 * reports as a crash and saves as a reproducer. */
#include "fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/scenario.h"

#define FAIL(...) as_fuzz_fail("fuzz_scenario", __VA_ARGS__)

/* A failure: a status, no scenario, a non-empty message on one line. */
static void check_error(as_status st, const as_scenario *s, const as_error *err)
{
    as_fuzz_check_error("fuzz_scenario", st, s != NULL, "a scenario", err);
}

/* Number v of setting d: finite, in range, whole where required. */
static void check_number(const as_setting_def *d, double v)
{
    if (!isfinite(v)) {
        FAIL("%s: non-finite value accepted", d->name);
    }
    int below = (d->flags & AS_F_MIN_EXCL) ? !(v > d->min) : v < d->min;
    if (below || v > d->max) {
        FAIL("%s: %.17g accepted outside [%.17g, %.17g]", d->name, v, d->min, d->max);
    }
    if ((d->flags & AS_F_WHOLE) && !(floor(v) >= v && floor(v) <= v)) {
        FAIL("%s: %.17g accepted but must be whole", d->name, v);
    }
}

static void check_value(const as_setting_def *d, const as_value *v)
{
    switch (d->type) {
    case AS_T_INT:
        if ((double)v->i < d->min || (double)v->i > d->max) {
            FAIL("%s: %lld accepted outside [%.17g, %.17g]", d->name, (long long)v->i, d->min,
                 d->max);
        }
        break;
    case AS_T_FLOAT:
        check_number(d, v->f);
        break;
    case AS_T_BOOL:
        if (v->b != 0 && v->b != 1) {
            FAIL("%s: bool is %d", d->name, v->b);
        }
        break;
    case AS_T_ENUM: {
        int n_choices = 1;
        for (const char *c = d->choices; *c; c++) {
            n_choices += *c == '|';
        }
        if (v->e < 0 || v->e >= n_choices) {
            FAIL("%s: enum index %d of %d choices", d->name, v->e, n_choices);
        }
        break;
    }
    case AS_T_DATE:
        break;
    case AS_T_DATED:
        if (v->dated.n < 1 || !v->dated.value || !v->dated.from_day) {
            FAIL("%s: empty step function", d->name);
        }
        for (size_t k = 0; k < v->dated.n; k++) {
            check_number(d, v->dated.value[k]);
            if (k > 0 && v->dated.from_day[k] <= v->dated.from_day[k - 1]) {
                FAIL("%s: steps out of order", d->name);
            }
        }
        break;
    case AS_T_VECTOR:
    case AS_T_PROBS: {
        if (v->vec_n < 1 || (d->len > 0 && v->vec_n != (size_t)d->len)) {
            FAIL("%s: length %zu", d->name, v->vec_n);
        }
        double sum = 0;
        for (size_t k = 0; k < v->vec_n; k++) {
            check_number(d, v->vec[k]);
            sum += v->vec[k];
        }
        if (d->type == AS_T_PROBS && fabs(sum - 1.0) > 1e-9) {
            FAIL("%s: probabilities sum to %.17g", d->name, sum);
        }
        break;
    }
    }
}

/* The canonical settings text must be writable; its hash is returned. */
static uint64_t check_scenario(const as_scenario *s)
{
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        for (int p = 0; p < 2; p++) {
            check_value(&as_schema[id], as_scn_value(s, (as_setting_id)id, (as_phase)p));
        }
        int line = 0;
        const char *src = as_scn_source(s, (as_setting_id)id, &line);
        if (!src && line != 0) {
            FAIL("%s: source line %d without a file", as_schema[id].name, line);
        }
    }
    if (as_scn_date(s, AS_S_RUN_START) > as_scn_date(s, AS_S_RUN_END)) {
        FAIL("run.start after run.end accepted");
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        FAIL("open_memstream failed");
    }
    if (as_scenario_write_settings(s, f) != 0) {
        FAIL("as_scenario_write_settings failed");
    }
    fclose(f);
    free(text);
    return as_scenario_hash(s);
}

/* Every sweep value gives a valid variant or a clean error. */
static void check_sweep(const as_scenario *s)
{
    as_setting_id id;
    const double *values = NULL;
    size_t n = 0;
    if (!as_scn_sweep(s, &id, &values, &n)) {
        return;
    }
    for (size_t k = 0; k < n && k < 8; k++) {
        as_scenario *v = NULL;
        as_error err;
        as_status st = as_scenario_with_number(s, id, values[k], (int)(k % 2), "-sweep", &v, &err);
        if (st == AS_OK) {
            if (!v) {
                FAIL("with_number: AS_OK without a scenario");
            }
            (void)check_scenario(v);
            as_scenario_destroy(v);
        } else {
            check_error(st, v, &err);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = as_fuzz_dir();
    as_scenario *s = NULL;
    as_error err;
    long long out_before = as_fuzz_stdout_size();
    as_status st = as_scenario_load_mem("fuzz.cfg", data, size, dir, &s, &err);
    if (out_before >= 0 && as_fuzz_stdout_size() != out_before) {
        FAIL("the loader wrote to standard output (libconfig's scanner echoes what it cannot "
             "match)");
    }
    if (st != AS_OK) {
        check_error(st, s, &err);
        return 0;
    }
    if (!s) {
        FAIL("AS_OK without a scenario");
    }
    uint64_t h = check_scenario(s);
    check_sweep(s);

    /* The loader is a pure function of the bytes and the files. */
    as_scenario *again = NULL;
    st = as_scenario_load_mem("fuzz.cfg", data, size, dir, &again, &err);
    if (st != AS_OK || !again) {
        FAIL("second load of the same bytes failed");
    }
    if (as_scenario_hash(again) != h) {
        FAIL("second load of the same bytes gave another settings hash");
    }
    if (as_scenario_check_run(s, again, &err) != AS_OK) {
        FAIL("a scenario disagrees with itself on run.*");
    }
    as_scenario_destroy(again);
    as_scenario_destroy(s);
    return 0;
}
