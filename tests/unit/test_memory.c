/* Tests of the memory estimate (sim/run/memory.c): expected persons from the arrivals series,
 * the least persons (the busiest 30 days), results and workspace bytes at least and at most, the
 * thread cap, sizes parsed and printed, the refusals of as_memory_check with their messages, the
 * guard's limit, this process's resident memory, and MemAvailable and the cgroup limit read from
 * files. */
#include "asylsim/memory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asylsim/model.h"
#include "testutil.h"

static as_scenario *load_text(as_test_state *t, const char *text)
{
    as_scenario *s = NULL;
    as_error err;
    if (as_scenario_load_mem("mem.cfg", text, strlen(text), NULL, &s, &err) != AS_OK) {
        char msg[1400];
        as_error_format(&err, msg, sizeof msg);
        AS_CHECK(t, 0, "loading: %s", msg);
        return NULL;
    }
    return s;
}

/* Relative agreement to a few ulps of the operands (GSL gsl_fcmp spirit): the sums here are of
 * hundreds of terms. */
static int close_to(double x, double want)
{
    return fabs(x - want) <= 1e-12 * fabs(want) * 400;
}

/* One year (2019, not a leap year) at 365 persons a year: 1 person a day; no initial
 * population. */
static const char *one_year = "run = { start = \"2019-01-01\"; end = \"2019-12-31\";\n"
                              "        reform_start = \"2020-01-01\"; };\n"
                              "arrivals = { applicants_per_year = 365.0; projection = 0.0;\n"
                              "             projection_from = \"2020-01-01\";\n"
                              "             initial_pending = 0; initial_protected = 0; };\n";

static void test_expected_persons_constant(as_test_state *t)
{
    as_scenario *s = load_text(t, one_year);
    if (!s) {
        return;
    }
    double p = as_memory_expected_persons(s);
    AS_CHECK(t, close_to(p, 365.0), "expected 365 persons, got %.17g", p);
    as_scenario_destroy(s);
}

static void test_expected_persons_projection_and_leap_year(as_test_state *t)
{
    /* 2020 is a leap year: 732 a year until 2020-07-01 (182 days of 366), then the projection,
     * 0 a year. */
    as_scenario *s = load_text(t, "run = { start = \"2020-01-01\"; end = \"2020-12-31\";\n"
                                  "        reform_start = \"2021-01-01\"; };\n"
                                  "arrivals = { applicants_per_year = 732.0; projection = 0.0;\n"
                                  "             projection_from = \"2020-07-01\";\n"
                                  "             initial_pending = 0; initial_protected = 0; };\n");
    if (!s) {
        return;
    }
    double p = as_memory_expected_persons(s);
    AS_CHECK(t, close_to(p, 182.0 * 732.0 / 366.0), "expected 364 persons, got %.17g", p);
    as_scenario_destroy(s);
}

static void test_expected_persons_initial_population(as_test_state *t)
{
    /* 365 arrivals and an initial population of 235 applicants and 168 status holders. */
    as_scenario *s =
            load_text(t, "run = { start = \"2019-01-01\"; end = \"2019-12-31\";\n"
                         "        reform_start = \"2020-01-01\"; };\n"
                         "arrivals = { applicants_per_year = 365.0; projection = 0.0;\n"
                         "             projection_from = \"2020-01-01\";\n"
                         "             initial_pending = 235; initial_protected = 168; };\n");
    if (!s) {
        return;
    }
    double p = as_memory_expected_persons(s);
    AS_CHECK(t, close_to(p, 768.0), "expected 768 persons, got %.17g", p);
    as_scenario_destroy(s);
}

static void test_least_persons(as_test_state *t)
{
    static const struct {
        const char *what, *text;
        double want;
    } cases[] = {
            {"one a day: the busiest 30 days hold 30", NULL, 30.0},
            {"365 a year, then 3650 (10 a day) from July, and 7 initial: any 30 days from July on",
             "run = { start = \"2019-01-01\"; end = \"2019-12-31\"; reform_start = \"2020-01-01\"; "
             "};\n"
             "arrivals = { applicants_per_year = 365.0; projection = 3650.0;\n"
             "  projection_from = \"2019-07-01\"; initial_pending = 4; initial_protected = 3; };\n",
             307.0},
            {"a burst of 10 days at 100 a day inside 1 a day: 10 x 100 + 20 x 1",
             "run = { start = \"2019-01-01\"; end = \"2019-12-31\"; reform_start = \"2020-01-01\"; "
             "};\n"
             "arrivals = { applicants_per_year = ( (\"2019-01-01\", 365.0),\n"
             "  (\"2019-05-01\", 36500.0), (\"2019-05-11\", 365.0) ); projection = 0.0;\n"
             "  projection_from = \"2020-01-01\"; initial_pending = 0; initial_protected = 0; };\n",
             1020.0},
            {"a run shorter than the window (10 days): all of its arrivals",
             "run = { start = \"2019-01-01\"; end = \"2019-01-10\"; reform_start = \"2019-01-11\"; "
             "};\n"
             "arrivals = { applicants_per_year = 365.0; projection = 0.0;\n"
             "  projection_from = \"2019-01-11\"; initial_pending = 0; initial_protected = 0; };\n",
             10.0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        as_scenario *s = load_text(t, cases[k].text ? cases[k].text : one_year);
        if (!s) {
            continue;
        }
        double p = as_memory_least_persons(s);
        AS_CHECK(t, close_to(p, cases[k].want), "%s: want %g, got %.17g", cases[k].what,
                 cases[k].want, p);
        as_scenario_destroy(s);
    }
}

static void test_results_scale_with_reps_and_months(as_test_state *t)
{
    as_scenario *y1 = load_text(t, one_year);
    as_scenario *y2 = load_text(t, "run = { start = \"2019-01-01\"; end = \"2020-12-31\";\n"
                                   "        reform_start = \"2021-01-01\"; };\n"
                                   "arrivals = { applicants_per_year = 365.0;\n"
                                   "             projection_from = \"2021-01-01\"; };\n");
    if (!y1 || !y2) {
        as_scenario_destroy(y1);
        as_scenario_destroy(y2);
        return;
    }
    const as_scenario *a[1] = {y1}, *b[1] = {y2};
    as_memory_estimate e1, e10, e2;
    as_memory_estimate_run(a, 1, 1, 1, &e1);
    as_memory_estimate_run(a, 1, 10, 1, &e10);
    as_memory_estimate_run(b, 1, 1, 1, &e2);
    /* At least the indicators: 12 months x 8 bytes each. */
    AS_CHECK(t, e1.results_bytes >= (uint64_t)AS_N_INDICATORS * 12 * 8,
             "one replication of 12 months: %llu bytes", (unsigned long long)e1.results_bytes);
    AS_CHECK(t, e10.results_bytes == 10 * e1.results_bytes, "10 reps: %llu, 1 rep: %llu",
             (unsigned long long)e10.results_bytes, (unsigned long long)e1.results_bytes);
    /* The monthly blocks (indicators, budget rows) double with the months; the cohort block
     * (months since status) does not depend on the horizon. */
    uint64_t per_month = (uint64_t)(AS_N_INDICATORS + AS_N_BUDGET_ROWS) * 8;
    AS_CHECK(t, e2.results_bytes - e1.results_bytes == 12 * per_month,
             "24 months: %llu, 12 months: %llu", (unsigned long long)e2.results_bytes,
             (unsigned long long)e1.results_bytes);
    AS_CHECK(t, e10.total_bytes == e10.results_bytes + e10.workspace_bytes + AS_MEMORY_BASE_BYTES,
             "total is the sum of its parts");
    AS_CHECK(t,
             e10.least_bytes ==
                     e10.results_bytes + e10.least_workspace_bytes + AS_MEMORY_BASE_BYTES,
             "least is the sum of its parts");
    AS_CHECK(t, e10.least_workspace_bytes == 30u * AS_MEMORY_MIN_BYTES_PER_PERSON,
             "least workspace %llu: 30 persons", (unsigned long long)e10.least_workspace_bytes);
    AS_CHECK(t, e10.least_bytes < e10.total_bytes, "least %llu < most %llu",
             (unsigned long long)e10.least_bytes, (unsigned long long)e10.total_bytes);
    as_scenario_destroy(y1);
    as_scenario_destroy(y2);
}

static void test_workspaces_per_thread(as_test_state *t)
{
    as_scenario *s = load_text(t, one_year);
    if (!s) {
        return;
    }
    const as_scenario *a[2] = {s, s};
    as_memory_estimate e;
    as_memory_estimate_run(a, 1, 3, 8, &e);
    /* 3 jobs: only 3 of the 8 threads run. */
    AS_CHECK(t, e.threads == 3, "threads %u, want 3", e.threads);
    uint64_t one = (uint64_t)ceil(365.0 * AS_MEMORY_BYTES_PER_PERSON * AS_MEMORY_GROWTH);
    AS_CHECK(t, e.workspace_bytes >= 3 * (one - 1) && e.workspace_bytes <= 3 * (one + 1),
             "workspaces %llu, want 3 x %llu", (unsigned long long)e.workspace_bytes,
             (unsigned long long)one);
    /* Two scenarios: each thread keeps a workspace for each. */
    as_memory_estimate e2;
    as_memory_estimate_run(a, 2, 3, 8, &e2);
    AS_CHECK(t, e2.threads == 6, "threads %u, want 6", e2.threads);
    AS_CHECK(t, e2.workspace_bytes >= 12 * (one - 1) && e2.workspace_bytes <= 12 * (one + 1),
             "workspaces %llu, want 6 threads x 2 scenarios x %llu",
             (unsigned long long)e2.workspace_bytes, (unsigned long long)one);
    AS_CHECK(t, close_to(e2.persons, 730.0) && close_to(e2.max_persons, 365.0),
             "persons %.17g (want 730), max %.17g (want 365)", e2.persons, e2.max_persons);
    AS_CHECK(t, e2.least_workspace_bytes == 12u * 30u * AS_MEMORY_MIN_BYTES_PER_PERSON,
             "least workspaces %llu: 6 threads x 2 scenarios x 30 persons",
             (unsigned long long)e2.least_workspace_bytes);
    AS_CHECK(t, close_to(e2.least_persons, 30.0), "least persons %.17g", e2.least_persons);
    as_scenario_destroy(s);
}

static void test_parse_size(as_test_state *t)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } good[] = {
            {"1048576", 1048576}, {"500M", 500ull << 20}, {"4G", 4ull << 30}, {"1.5g", 3ull << 29},
            {"2KiB", 2048},       {"3kb", 3072},          {"1T", 1ull << 40}, {"7B", 7},
            {"0.5K", 512},
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        uint64_t b = 0;
        int rc = as_memory_parse_size(good[k].text, &b);
        AS_CHECK(t, rc == 0 && b == good[k].bytes, "'%s': rc %d, %llu bytes, want %llu",
                 good[k].text, rc, (unsigned long long)b, (unsigned long long)good[k].bytes);
    }
    static const char *const bad[] = {
            "",     "M",   "-1",  "0",   "0M",  "5Q",  "1e3",          "4 G",
            "4G ",  " 4G", ".5G", "1.G", "4GG", "5iB", "99999999999T", "9223372036854775808",
            "1,5G",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint64_t b = 0;
        AS_CHECK(t, as_memory_parse_size(bad[k], &b) == -1, "'%s' accepted as %llu", bad[k],
                 (unsigned long long)b);
    }
}

static void test_format(as_test_state *t)
{
    static const struct {
        uint64_t bytes;
        const char *text;
    } cases[] = {
            {0, "0 B"},
            {512, "512 B"},
            {1536, "1.5 KiB"},
            {500ull << 20, "500 MiB"},
            {(uint64_t)(2.34 * (1ull << 30)), "2.3 GiB"},
            {UINT64_MAX, "16 EiB"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char buf[32];
        as_memory_format(cases[k].bytes, buf, sizeof buf);
        AS_CHECK(t, strcmp(buf, cases[k].text) == 0, "%llu: '%s', want '%s'",
                 (unsigned long long)cases[k].bytes, buf, cases[k].text);
    }
}

static void test_check_refuses(as_test_state *t)
{
    /* At least 3 GiB and a bit (results), at most 43 GiB (workspaces if nobody left). */
    as_memory_estimate e = {.results_bytes = 3ull << 30,
                            .least_workspace_bytes = 1ull << 20,
                            .least_bytes = (3ull << 30) + (1ull << 20),
                            .workspace_bytes = 40ull << 30,
                            .total_bytes = 43ull << 30,
                            .persons = 1000,
                            .max_persons = 1000,
                            .least_persons = 80,
                            .threads = 2,
                            .reps = 50000,
                            .path = "big.cfg"};
    as_error err;
    AS_CHECK(t, as_memory_check(&e, 0, "--max-memory", 0, &err) == AS_OK, "no limit known");
    AS_CHECK(t, as_memory_check(&e, 4ull << 30, "--max-memory", 8ull << 30, &err) == AS_OK,
             "the least fits both (the most does not: the guard's business)");
    as_status st = as_memory_check(&e, 500ull << 20, "--max-memory", 8ull << 30, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strcmp(err.file, "big.cfg") == 0,
             "over the limit: status %d, file '%s'", (int)st, err.file);
    AS_CHECK(t,
             strcmp(err.msg, "this run needs at least about 3.0 GiB of memory, more than "
                             "--max-memory 500 MiB (mostly the results of 50000 replications; "
                             "lower --reps)") == 0,
             "message: %s", err.msg);
    st = as_memory_check(&e, 0, "--max-memory", 2ull << 30, &err);
    AS_CHECK(t, st == AS_ERR_INPUT && strstr(err.msg, "more than the 2.0 GiB available"),
             "over what is available: %d %s", (int)st, err.msg);

    e.least_workspace_bytes = 40ull << 30;
    e.least_bytes = e.results_bytes + e.least_workspace_bytes;
    e.least_persons = 2.5e7;
    st = as_memory_check(&e, 1ull << 30, "--max-memory", 0, &err);
    AS_CHECK(t,
             st == AS_ERR_INPUT &&
                     strstr(err.msg, "model workspaces of 2 threads, each for at least the 25.0 "
                                     "million persons of the busiest 30 days of arrivals"),
             "workspaces dominate: %s", err.msg);

    e.max_persons = 5e9;
    st = as_memory_check(&e, 0, "--max-memory", 0, &err);
    AS_CHECK(t,
             st == AS_ERR_INPUT && strstr(err.msg, "about 5.0 billion persons, more than the "
                                                   "4294967295 a model workspace"),
             "too many persons: %s", err.msg);
}

static void test_guard(as_test_state *t)
{
    uint64_t g = 1ull << 30;
    AS_CHECK(t, as_memory_guard(0, 0, 0) == 0, "nothing known: no guard");
    AS_CHECK(t, as_memory_guard(0, 0, 5 * g) == 0, "resident memory alone: no guard");
    AS_CHECK(t, as_memory_guard(0, 3 * g, 0) == 0, "available alone: no guard");
    AS_CHECK(t, as_memory_guard(4 * g, 0, 0) == 4 * g, "the limit alone");
    AS_CHECK(t, as_memory_guard(0, 3 * g, g) == 4 * g, "held + available");
    AS_CHECK(t, as_memory_guard(8 * g, 3 * g, g) == 4 * g, "held + available below the limit");
    AS_CHECK(t, as_memory_guard(2 * g, 3 * g, g) == 2 * g, "the limit below held + available");
    AS_CHECK(t, as_memory_guard(0, UINT64_MAX, g) == UINT64_MAX, "saturates");
    /* This process's resident memory: some MiB, and it grows when pages are touched. */
    uint64_t before = as_memory_rss();
    if (access("/proc/self/statm", R_OK) != 0) {
        AS_CHECK(t, before == 0, "no /proc: 0");
        return;
    }
    size_t n = 64u << 20;
    volatile char *block = malloc(n);
    AS_CHECK(t, block != NULL, "malloc");
    if (!block) {
        return;
    }
    for (size_t i = 0; i < n; i += 4096) { /* volatile: the stores are not optimised away */
        block[i] = 1;
    }
    uint64_t after = as_memory_rss();
    AS_CHECK(t, before > (1u << 20) && after >= before + n / 2,
             "resident %llu before, %llu after touching 64 MiB", (unsigned long long)before,
             (unsigned long long)after);
    free((void *)block);
}

/* Writes `text` to dir/name. */
static int put(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    fputs(text, f);
    return fclose(f);
}

static void test_available_from_files(as_test_state *t)
{
    char dir[] = "/tmp/asylsim-test-memory-XXXXXX";
    if (!mkdtemp(dir)) {
        AS_CHECK(t, 0, "mkdtemp failed");
        return;
    }
    char meminfo[600];
    snprintf(meminfo, sizeof meminfo, "%s/meminfo", dir);
    AS_CHECK(t,
             put(dir, "meminfo",
                 "MemTotal:       16384 kB\nMemFree:         1024 kB\n"
                 "MemAvailable:    2048 kB\n") == 0,
             "writing meminfo");
    AS_CHECK(t, as_memory_available_from(meminfo, NULL) == 2048 * 1024, "MemAvailable");
    AS_CHECK(t, as_memory_available_from(meminfo, dir) == 2048 * 1024,
             "no cgroup files: MemAvailable alone");
    AS_CHECK(t, put(dir, "memory.max", "1048576\n") == 0, "writing memory.max");
    AS_CHECK(t, put(dir, "memory.current", "524288\n") == 0, "writing memory.current");
    AS_CHECK(t, as_memory_available_from(meminfo, dir) == 524288, "the cgroup room is smaller");
    AS_CHECK(t, put(dir, "memory.max", "max\n") == 0, "writing memory.max");
    AS_CHECK(t, as_memory_available_from(meminfo, dir) == 2048 * 1024, "cgroup without a limit");
    char none[700];
    snprintf(none, sizeof none, "%s/no-such-file", dir);
    AS_CHECK(t, as_memory_available_from(none, NULL) == 0, "nothing readable: 0");
    AS_CHECK(t, as_memory_available() > 0 || access("/proc/meminfo", R_OK) != 0,
             "this machine's /proc/meminfo");
    const char *names[] = {"meminfo", "memory.max", "memory.current"};
    for (size_t k = 0; k < 3; k++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    as_test_state t = {0};
    AS_RUN(&t, test_expected_persons_constant);
    AS_RUN(&t, test_expected_persons_projection_and_leap_year);
    AS_RUN(&t, test_expected_persons_initial_population);
    AS_RUN(&t, test_least_persons);
    AS_RUN(&t, test_results_scale_with_reps_and_months);
    AS_RUN(&t, test_workspaces_per_thread);
    AS_RUN(&t, test_parse_size);
    AS_RUN(&t, test_format);
    AS_RUN(&t, test_check_refuses);
    AS_RUN(&t, test_guard);
    AS_RUN(&t, test_available_from_files);
    return as_test_finish(&t);
}
