/* Fuzz target of the calibration targets reader: bytes -> as_targets_parse_mem -> a list of
 * targets or a clean error, then as_targets_bind on the monthly grid 2015-01 .. 2030-12 (the
 * baseline's), which must accept or refuse each period cleanly.
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), it checks what calib.h
 * promises: a failure has a status, no list and a one-line message naming the file; a success
 * has at least one target, each with a printable series name that names exactly one indicator
 * (with an optional ratio denominator) or one cohort share at a month 0..AS_COHORT_MONTHS, a
 * period that parses again to the same months (none for a cohort share), a finite value, an sd
 * that is 0 (the default, and then the value is not 0) or finite and above 0, lines in
 * increasing order and no (series, period) twice; parsing the same bytes twice gives the same
 * list; a bound span lies inside the grid. The reader never prints: when standard output is a
 * file (replay.c arranges it), its size must not change. A broken promise aborts. */
#include "fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "asylsim/calib.h"
#include "asylsim/model.h"

#define FAIL(...) as_fuzz_fail("fuzz_targets", __VA_ARGS__)

#define GRID_MONTHS (16 * 12) /* 2015-01 .. 2030-12 */

/* A failure (as_fuzz_check_error) whose message names the file. */
static void check_error(as_status st, const void *obj, const as_error *err)
{
    as_fuzz_check_error("fuzz_targets", st, obj != NULL, "a list", err);
    char buf[1400];
    as_error_format(err, buf, sizeof buf);
    if (st == AS_ERR_INPUT && strncmp(buf, "fuzz.csv", 8) != 0) {
        FAIL("message does not name the file: %s", buf);
    }
}

static void check_target(const as_target *t, int prev_line)
{
    size_t len = strnlen(t->series, sizeof t->series);
    if (len == 0 || len == sizeof t->series) {
        FAIL("line %d: series empty or not terminated", t->line);
    }
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)t->series[k];
        if (c < 0x21 || c > 0x7E) {
            FAIL("line %d: series has byte 0x%02x", t->line, c);
        }
    }
    if (t->line <= prev_line) {
        FAIL("line %d after line %d", t->line, prev_line);
    }
    if (!isfinite(t->value)) {
        FAIL("line %d: value not finite", t->line);
    }
    int sd_zero = !(fabs(t->sd) > 0);
    if (!sd_zero && !(isfinite(t->sd) && t->sd > 0)) {
        FAIL("line %d: sd %g accepted", t->line, t->sd);
    }
    if (sd_zero && !(fabs(t->value) > 0)) {
        FAIL("line %d: value 0 without an sd accepted", t->line);
    }
    int is_ind = t->ind >= 0, is_share = t->share >= 0;
    if (is_ind == is_share || t->ind >= AS_N_INDICATORS || t->share >= AS_N_COHORT_SHARES) {
        FAIL("line %d: ind %d, share %d", t->line, t->ind, t->share);
    }
    if (t->ind2 >= AS_N_INDICATORS || (t->ind2 >= 0 && !is_ind)) {
        FAIL("line %d: ratio denominator %d", t->line, t->ind2);
    }
    if (is_share) {
        if (t->period[0] || t->month < 0 || t->month > AS_COHORT_MONTHS) {
            FAIL("line %d: cohort share with period '%.24s', month %d", t->line, t->period,
                 t->month);
        }
        return;
    }
    as_period p;
    char msg[200];
    if (strnlen(t->period, sizeof t->period) == sizeof t->period ||
        as_period_parse(t->period, &p, msg, sizeof msg) != 0) {
        FAIL("line %d: accepted period does not parse again", t->line);
    }
    if (p.y0 != t->per.y0 || p.mo0 != t->per.mo0 || p.y1 != t->per.y1 || p.mo1 != t->per.mo1) {
        FAIL("line %d: period parses to other months", t->line);
    }
}

static int same_target(const as_target *a, const as_target *b)
{
    return strcmp(a->series, b->series) == 0 && strcmp(a->period, b->period) == 0 &&
           memcmp(&a->value, &b->value, sizeof a->value) == 0 &&
           memcmp(&a->sd, &b->sd, sizeof a->sd) == 0 && a->line == b->line && a->ind == b->ind &&
           a->ind2 == b->ind2 && a->share == b->share && a->month == b->month;
}

static void check_span(const as_target *t, const as_span *sp)
{
    if (sp->m0 < 0 || sp->m1 >= GRID_MONTHS || sp->m0 > sp->m1 || sp->step < 1) {
        FAIL("line %d: span %d..%d step %d outside %d months", t->line, sp->m0, sp->m1, sp->step,
             GRID_MONTHS);
    }
}

static void check_bind(as_targets *ts)
{
    int32_t bound[GRID_MONTHS + 1];
    for (int m = 0; m <= GRID_MONTHS; m++) {
        bound[m] = as_days_from_civil(2015 + m / 12, 1 + m % 12, 1);
    }
    as_grid g = {.n_months = GRID_MONTHS, .bound = bound};
    as_error err;
    as_status st = as_targets_bind(ts, &g, &err);
    if (st != AS_OK) {
        check_error(st, NULL, &err);
        return;
    }
    for (size_t k = 0; k < as_targets_count(ts); k++) {
        const as_target *t = as_targets_get(ts, k);
        if (t->share >= 0) {
            continue;
        }
        check_span(t, &t->span);
        if (t->ind2 >= 0) {
            check_span(t, &t->span2);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_targets *ts = NULL;
    as_error err;
    long long out_before = as_fuzz_stdout_size();
    as_status st = as_targets_parse_mem("fuzz.csv", data, size, &ts, &err);
    if (out_before >= 0 && as_fuzz_stdout_size() != out_before) {
        FAIL("the reader wrote to standard output");
    }
    if (st != AS_OK) {
        check_error(st, ts, &err);
        return 0;
    }
    if (!ts || as_targets_count(ts) == 0) {
        FAIL("AS_OK without targets");
    }
    if (strcmp(as_targets_file(ts), "fuzz.csv") != 0) {
        FAIL("the list names another file");
    }
    size_t n = as_targets_count(ts);
    int prev = 0;
    for (size_t k = 0; k < n; k++) {
        const as_target *t = as_targets_get(ts, k);
        check_target(t, prev);
        prev = t->line;
        for (size_t j = 0; j < k; j++) {
            const as_target *u = as_targets_get(ts, j);
            if (strcmp(u->series, t->series) == 0 && strcmp(u->period, t->period) == 0) {
                FAIL("lines %d and %d: the same target twice", u->line, t->line);
            }
        }
    }

    /* The reader is a pure function of the bytes. */
    as_targets *again = NULL;
    st = as_targets_parse_mem("fuzz.csv", data, size, &again, &err);
    if (st != AS_OK || !again || as_targets_count(again) != n) {
        FAIL("second parse of the same bytes differs");
    }
    for (size_t k = 0; k < n; k++) {
        if (!same_target(as_targets_get(ts, k), as_targets_get(again, k))) {
            FAIL("second parse: target %zu differs", k);
        }
    }
    as_targets_destroy(again);
    check_bind(ts);
    as_targets_destroy(ts);
    return 0;
}
