/* The memory estimate of a run and the memory available to it (include/asylsim/memory.h). Reads
 * only the scenario and, for what is available, /proc/meminfo and the cgroup v2 limit; it neither
 * allocates model state nor runs anything. The CLI decides what to do with the answer. */
#include "asylsim/memory.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asylsim/calendar.h"
#include "asylsim/run.h"

/* Persons one workspace can index (uint32_t entity numbers). */
#define MAX_PERSONS 4294967295.0

/* Expected arrivals on each day from run.start to run.end, passed to `visit` in order: a
 * 100-year run is 36 525 steps, and the month weights only move arrivals within a year, so each
 * day carries its yearly rate / days of the year. */
static void each_day(const as_scenario *s, void (*visit)(void *ctx, double persons), void *ctx)
{
    const as_dated *rate = as_scn_dated(s, AS_S_ARRIVALS_APPLICANTS_PER_YEAR);
    const as_dated *proj = as_scn_dated(s, AS_S_ARRIVALS_PROJECTION);
    int32_t proj_from = as_scn_date(s, AS_S_ARRIVALS_PROJECTION_FROM);
    int32_t start = as_scn_date(s, AS_S_RUN_START);
    int32_t end = as_scn_date(s, AS_S_RUN_END);
    for (int32_t d = start; d <= end; d++) {
        int y, m, dd;
        as_civil_from_days(d, &y, &m, &dd);
        double per_year = as_dated_at(d >= proj_from ? proj : rate, (double)d);
        visit(ctx, per_year / (as_is_leap_year(y) ? 366.0 : 365.0));
    }
}

/* The initial population is created on run.start; relocated persons are carved out of the series
 * and transfers back re-enter the same persons, so neither adds any. */
static double initial_persons(const as_scenario *s)
{
    return (double)as_scn_int(s, AS_S_ARRIVALS_INITIAL_PENDING) +
           (double)as_scn_int(s, AS_S_ARRIVALS_INITIAL_PROTECTED);
}

static void add_day(void *ctx, double persons)
{
    *(double *)ctx += persons;
}

double as_memory_expected_persons(const as_scenario *s)
{
    double persons = 0;
    each_day(s, add_day, &persons);
    return persons + initial_persons(s);
}

/* The largest sum of AS_MEMORY_LEAST_DAYS consecutive days, kept in a ring. */
typedef struct window {
    double day[AS_MEMORY_LEAST_DAYS];
    double sum, max;
    long n;
} window;

static void window_day(void *ctx, double persons)
{
    window *w = ctx;
    size_t k = (size_t)(w->n % AS_MEMORY_LEAST_DAYS);
    w->sum += persons - (w->n >= AS_MEMORY_LEAST_DAYS ? w->day[k] : 0.0);
    w->day[k] = persons;
    w->n++;
    /* Re-summed every lap so that rounding cannot build up over a century of days. */
    if (k == AS_MEMORY_LEAST_DAYS - 1) {
        w->sum = 0;
        for (size_t i = 0; i < AS_MEMORY_LEAST_DAYS; i++) {
            w->sum += w->day[i];
        }
    }
    if (w->sum > w->max) {
        w->max = w->sum;
    }
}

double as_memory_least_persons(const as_scenario *s)
{
    window w;
    memset(&w, 0, sizeof w);
    each_day(s, window_day, &w);
    return w.max + initial_persons(s);
}

/* a * b, saturating at UINT64_MAX. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    if (a != 0 && b > UINT64_MAX / a) {
        return UINT64_MAX;
    }
    return a * b;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* x bytes as a saturated integer. */
static uint64_t bytes_of(double x)
{
    if (!(x > 0)) {
        return 0;
    }
    if (x >= 18446744073709551615.0) {
        return UINT64_MAX;
    }
    return (uint64_t)ceil(x);
}

void as_memory_estimate_run(const as_scenario *const *scn,
                            size_t n,
                            uint32_t reps,
                            unsigned threads,
                            as_memory_estimate *out)
{
    memset(out, 0, sizeof *out);
    out->reps = reps;
    uint64_t jobs = (uint64_t)n * reps;
    out->threads = threads < 1 ? 1 : threads;
    if (jobs < out->threads) {
        out->threads = (unsigned)(jobs ? jobs : 1);
    }
    uint64_t per_thread = 0, least_per_thread = 0;
    for (size_t i = 0; i < n; i++) {
        /* The doubles of every result block per replication, as the run allocates them. */
        as_run_set probe;
        memset(&probe, 0, sizeof probe);
        probe.grid.n_months = as_months_between(as_scn_date(scn[i], AS_S_RUN_START),
                                                as_scn_date(scn[i], AS_S_RUN_END)) +
                              1;
        double *base[AS_RUN_MAX_BLOCKS];
        size_t per_rep[AS_RUN_MAX_BLOCKS];
        size_t nb = as_run_set_blocks(&probe, base, per_rep);
        uint64_t doubles = 0;
        for (size_t b = 0; b < nb; b++) {
            doubles = add_sat(doubles, per_rep[b]);
        }
        out->results_bytes =
                add_sat(out->results_bytes, mul_sat(mul_sat(doubles, reps), sizeof(double)));

        double persons = as_memory_expected_persons(scn[i]);
        out->persons += persons;
        double least = as_memory_least_persons(scn[i]);
        if (persons > out->max_persons || !out->path) {
            out->max_persons = persons;
            out->least_persons = least;
            out->path = as_scn_path(scn[i]);
        }
        per_thread = add_sat(per_thread,
                             bytes_of(persons * AS_MEMORY_BYTES_PER_PERSON * AS_MEMORY_GROWTH));
        least_per_thread =
                add_sat(least_per_thread, bytes_of(least * AS_MEMORY_MIN_BYTES_PER_PERSON));
    }
    out->workspace_bytes = mul_sat(per_thread, out->threads);
    out->total_bytes =
            add_sat(add_sat(out->results_bytes, out->workspace_bytes), AS_MEMORY_BASE_BYTES);
    out->least_workspace_bytes = mul_sat(least_per_thread, out->threads);
    out->least_bytes =
            add_sat(add_sat(out->results_bytes, out->least_workspace_bytes), AS_MEMORY_BASE_BYTES);
}

/* The value in kB of `key` ("MemAvailable:") in a /proc/meminfo-style file; -1 if absent. */
static int64_t meminfo_kb(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    char line[256];
    int64_t kb = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0) {
            long long v;
            if (sscanf(line + klen, "%lld", &v) == 1 && v >= 0) {
                kb = (int64_t)v;
            }
            break;
        }
    }
    fclose(f);
    return kb;
}

/* The first number in file dir/name; -1 if absent or "max". */
static int64_t read_number(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    long long v = -1;
    if (fscanf(f, "%lld", &v) != 1 || v < 0) {
        v = -1;
    }
    fclose(f);
    return (int64_t)v;
}

uint64_t as_memory_available_from(const char *meminfo, const char *cgroup_dir)
{
    uint64_t avail = 0;
    int64_t kb = meminfo ? meminfo_kb(meminfo, "MemAvailable:") : -1;
    if (kb >= 0) {
        avail = mul_sat((uint64_t)kb, 1024);
    }
    if (cgroup_dir) {
        int64_t max = read_number(cgroup_dir, "memory.max");
        int64_t cur = read_number(cgroup_dir, "memory.current");
        if (max >= 0 && cur >= 0) {
            uint64_t room = max > cur ? (uint64_t)(max - cur) : 0;
            if (avail == 0 || room < avail) {
                avail = room;
            }
        }
    }
    return avail;
}

uint64_t as_memory_available(void)
{
    /* cgroup v2: one line "0::/path" in /proc/self/cgroup. */
    char dir[1024] = "";
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f) {
        char line[900];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "0::", 3) == 0) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", line + 3);
                break;
            }
        }
        fclose(f);
    }
    return as_memory_available_from("/proc/meminfo", dir[0] ? dir : NULL);
}

int as_memory_parse_size(const char *text, uint64_t *bytes)
{
    const char *p = text;
    if (!isdigit((unsigned char)*p)) {
        return -1;
    }
    /* Digits and an optional fraction, read exactly enough for sizes below 2^63. */
    double v = 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) {
            return -1;
        }
        for (double scale = 0.1; isdigit((unsigned char)*p); scale /= 10) {
            v += scale * (*p++ - '0');
        }
    }
    double mult = 1;
    switch (toupper((unsigned char)*p)) {
    case 'K':
        mult = 1024.0;
        break;
    case 'M':
        mult = 1024.0 * 1024;
        break;
    case 'G':
        mult = 1024.0 * 1024 * 1024;
        break;
    case 'T':
        mult = 1024.0 * 1024 * 1024 * 1024;
        break;
    default:
        break;
    }
    if (mult > 1) {
        p++;
        if (toupper((unsigned char)p[0]) == 'I' && toupper((unsigned char)p[1]) == 'B') {
            p += 2;
        }
    }
    if (toupper((unsigned char)*p) == 'B') {
        p++;
    }
    if (*p) {
        return -1;
    }
    double b = floor(v * mult);
    if (!(b >= 1) || b >= 9223372036854775808.0) {
        return -1;
    }
    *bytes = (uint64_t)b;
    return 0;
}

static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

void as_memory_format(uint64_t bytes, char *buf, size_t n)
{
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 6) {
        v /= 1024;
        u++;
    }
    if (u == 0) {
        snprintf(buf, n, "%" PRIu64 " B", bytes);
    } else if (v < 10) {
        snprintf(buf, n, "%.1f %s", v, units[u]);
    } else {
        snprintf(buf, n, "%.0f %s", v, units[u]);
    }
}

/* A count of persons for messages: "9500", "2.5 million", "10.0 billion". */
static void format_persons(double x, char *buf, size_t n)
{
    /* The thresholds sit where the rounded figure would reach the next unit. */
    if (x < 999999.5) {
        snprintf(buf, n, "%.0f", x);
    } else if (x < 999.95e6) {
        snprintf(buf, n, "%.1f million", x / 1e6);
    } else {
        snprintf(buf, n, "%.1f billion", x / 1e9);
    }
}

/* What dominates the least, and what to lower. */
static void advice(const as_memory_estimate *est, char *buf, size_t n)
{
    if (est->results_bytes >= est->least_workspace_bytes) {
        snprintf(buf, n, "mostly the results of %" PRIu32 " replications; lower --reps", est->reps);
        return;
    }
    char persons[32];
    format_persons(est->least_persons, persons, sizeof persons);
    snprintf(buf, n,
             "mostly the model workspaces of %u thread%s, each for at least the %s persons of "
             "the busiest %d days of arrivals; lower --threads or the arrivals",
             est->threads, est->threads == 1 ? "" : "s", persons, AS_MEMORY_LEAST_DAYS);
}

uint64_t as_memory_rss(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) {
        return 0;
    }
    unsigned long long size = 0, resident = 0;
    int got = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    if (got != 2 || page <= 0) {
        return 0;
    }
    return mul_sat(resident, (uint64_t)page);
}

uint64_t as_memory_guard(uint64_t limit, uint64_t available, uint64_t rss)
{
    uint64_t guard = limit;
    if (available > 0 && rss > 0) {
        uint64_t room = add_sat(rss, available);
        if (guard == 0 || room < guard) {
            guard = room;
        }
    }
    return guard;
}

as_status as_memory_check(const as_memory_estimate *est,
                          uint64_t limit,
                          const char *limit_name,
                          uint64_t available,
                          as_error *err)
{
    if (est->max_persons > MAX_PERSONS) {
        char persons[32];
        format_persons(est->max_persons, persons, sizeof persons);
        return as_error_set(err, AS_ERR_INPUT, est->path, 0, NULL,
                            "a replication would create about %s persons, more than the %.0f a "
                            "model workspace can number; lower the arrivals or shorten the horizon",
                            persons, MAX_PERSONS);
    }
    char need[32], have[32], why[240];
    as_memory_format(est->least_bytes, need, sizeof need);
    advice(est, why, sizeof why);
    if (limit > 0 && est->least_bytes > limit) {
        as_memory_format(limit, have, sizeof have);
        return as_error_set(err, AS_ERR_INPUT, est->path, 0, NULL,
                            "this run needs at least about %s of memory, more than %s %s (%s)",
                            need, limit_name, have, why);
    }
    if (available > 0 && est->least_bytes > available) {
        as_memory_format(available, have, sizeof have);
        return as_error_set(err, AS_ERR_INPUT, est->path, 0, NULL,
                            "this run needs at least about %s of memory, more than the %s "
                            "available (%s)",
                            need, have, why);
    }
    return AS_OK;
}
