/* Candidate scenarios: the base scenario with parameter values applied. A plain parameter becomes
 * a constant in both phases through as_scenario_with_number, a `scale = true` parameter
 * multiplies every step of the base's dated function through as_scenario_with_dated (both with
 * the loader's own validation and cross-checks), so a candidate costs copies of the loaded base,
 * not a parse of its file (which took a sixth of a calibration's instructions when candidates
 * were loaded as layers). fitted.cfg is the layer text of the same values
 * (as_cal_overrides_text): `overrides_from = "start";` and the same scaled steps, which the loader
 * turns into the same scenario. Shortening a calibration to `run_end` is a layer loaded once:
 * run.end, and run.reform_start and arrivals.projection_from brought inside the horizon when they
 * lay beyond it (they change nothing before it). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "internal.h"

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

double as_cal_to_internal(const as_param *p, double v)
{
    return p->prior == AS_PRIOR_LOG_UNIFORM ? log(v) : v;
}

double as_cal_from_internal(const as_param *p, double u)
{
    return p->prior == AS_PRIOR_LOG_UNIFORM ? exp(u) : u;
}

static int is_whole(as_setting_id id)
{
    return as_schema[id].type == AS_T_INT || (as_schema[id].flags & AS_F_WHOLE);
}

/* ---- a growing string ---- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf *b, const char *fmt, ...)
{
    if (b->failed) {
        return;
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? 2 * b->cap : 1024) + (size_t)n;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->s = grown;
        b->cap = cap;
    }
}

/* A libconfig string literal of s. */
static void put_quoted(sbuf *b, const char *s)
{
    put(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            put(b, "\\%c", *p);
        } else if (*p < 0x20) {
            put(b, "\\x%02X", *p);
        } else {
            put(b, "%c", *p);
        }
    }
    put(b, "\"");
}

static void put_number(sbuf *b, double v)
{
    char num[64];
    as_cal_fmt_float(v, num, sizeof num);
    put(b, "%s", num);
}

/* A `scale = true` parameter's value for one step of the base's dated function: the base value
 * times v, kept to ten significant digits so that the candidate run and the fitted.cfg that
 * writes it are the same scenario, and rounded for whole-number settings. */
static double scaled_value(const as_param *p, double base, double v)
{
    char ten[32];
    snprintf(ten, sizeof ten, "%.10g", base * v);
    double x = strtod(ten, NULL);
    return is_whole(p->id) ? round(x) : x;
}

/* One parameter's setting line, inside its group. */
static void
put_param(sbuf *b, const as_scenario *full, const as_param *p, double v, const char *comment)
{
    const char *leaf = strchr(as_schema[p->id].name, '.') + 1;
    put(b, "  %s = ", leaf);
    const as_dated *d = as_schema[p->id].type == AS_T_DATED ? as_scn_dated(full, p->id) : NULL;
    if (p->scale && d && d->n > 1) {
        put(b, "(");
        for (size_t k = 0; k < d->n; k++) {
            char date[11];
            as_date_format(d->from_day[k], date);
            put(b, "%s(\"%s\", ", k ? ", " : " ", date);
            put_number(b, scaled_value(p, d->value[k], v));
            put(b, ")");
        }
        put(b, " );");
    } else {
        put_number(b, p->scale && d ? scaled_value(p, d->value[0], v)
                                    : (is_whole(p->id) ? round(v) : v));
        put(b, ";");
    }
    if (comment && comment[0]) {
        put(b, "  # %s", comment);
    }
    put(b, "\n");
}

char *as_cal_overrides_text(const as_scenario *full,
                            const as_param *params,
                            size_t n,
                            const double *values,
                            const char *const *comments)
{
    sbuf b = {0};
    int *done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        return NULL;
    }
    /* One group per setting group, in the order the parameters first name them. */
    for (size_t k = 0; k < n; k++) {
        if (done[k]) {
            continue;
        }
        const char *name = as_schema[params[k].id].name;
        size_t gl = (size_t)(strchr(name, '.') - name);
        put(&b, "%.*s = {\n", (int)gl, name);
        for (size_t j = k; j < n; j++) {
            const char *other = as_schema[params[j].id].name;
            if (!done[j] && strncmp(other, name, gl) == 0 && other[gl] == '.') {
                put_param(&b, full, &params[j], values[j], comments ? comments[j] : NULL);
                done[j] = 1;
            }
        }
        put(&b, "};\n");
    }
    free(done);
    if (b.failed || !b.s) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* The layer text over the base file that shortens it to b->run_end. */
static char *horizon_text(const as_cal_base *b)
{
    sbuf t = {0};
    const char *slash = strrchr(b->base_path, '/');
    put(&t, "base = ");
    put_quoted(&t, slash ? slash + 1 : b->base_path);
    put(&t, ";\noverrides_from = \"start\";\n");
    char date[11];
    int32_t after = b->run_end + 1;
    as_date_format(b->run_end, date);
    put(&t, "run = {\n  end = \"%s\";\n", date);
    if (as_scn_date(b->full, AS_S_RUN_REFORM_START) > after) {
        as_date_format(after, date);
        put(&t, "  reform_start = \"%s\";\n", date);
    }
    put(&t, "};\n");
    if (as_scn_date(b->full, AS_S_ARRIVALS_PROJECTION_FROM) > after) {
        as_date_format(after, date);
        put(&t, "arrivals = {\n  projection_from = \"%s\";\n};\n", date);
    }
    if (t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}

/* Loads the layer over the base; the folder of the base resolves its name. */
static as_status load_layer(
        const as_cal_base *b, const char *text, const char *name, as_scenario **out, as_error *err)
{
    char *dir = as_scn_dir_of(b->base_path);
    if (!dir) {
        return nomem(err);
    }
    as_status st = as_scenario_load_mem(name, text, strlen(text), dir[0] ? dir : NULL, out, err);
    free(dir);
    return st;
}

as_status as_cal_base_init(as_cal_base *b, const char *base_path, int32_t run_end, as_error *err)
{
    memset(b, 0, sizeof *b);
    b->base_path = base_path;
    b->run_end = run_end;
    as_status st = as_scenario_load(base_path, &b->full, err);
    if (st != AS_OK) {
        return st;
    }
    as_setting_id sid;
    const double *sv;
    size_t sn;
    if (as_scn_sweep(b->full, &sid, &sv, &sn)) {
        return as_error_set(err, AS_ERR_INPUT, base_path, 0, "sweep",
                            "a base scenario with a sweep cannot be calibrated; remove the sweep");
    }
    if (run_end == INT32_MIN) {
        b->short_scn = b->full;
        return AS_OK;
    }
    int32_t start = as_scn_date(b->full, AS_S_RUN_START), end = as_scn_date(b->full, AS_S_RUN_END);
    if (run_end < start || run_end > end) {
        char a[11], s0[11], s1[11];
        as_date_format(run_end, a);
        as_date_format(start, s0);
        as_date_format(end, s1);
        return as_error_set(err, AS_ERR_INPUT, NULL, 0, "run_end",
                            "%s lies outside the base scenario's run (%s to %s)", a, s0, s1);
    }
    if (run_end == end) {
        b->short_scn = b->full;
        return AS_OK;
    }
    char *text = horizon_text(b);
    if (!text) {
        return nomem(err);
    }
    st = load_layer(b, text, "base scenario shortened to run_end", &b->short_scn, err);
    free(text);
    return st;
}

void as_cal_base_finish(as_cal_base *b)
{
    if (b->short_scn != b->full) {
        as_scenario_destroy(b->short_scn);
    }
    as_scenario_destroy(b->full);
    memset(b, 0, sizeof *b);
}

/* The candidate with `scale = true` parameter p at v: every step of the base's function scaled
 * (scaled_value), the steps' days unchanged. */
static as_status with_scaled(const as_scenario *cur,
                             const as_cal_base *b,
                             const as_param *p,
                             double v,
                             as_scenario **out,
                             as_error *err)
{
    const as_dated *d = as_scn_dated(b->full, p->id);
    double *values = malloc(d->n * sizeof *values);
    if (!values) {
        return nomem(err);
    }
    for (size_t k = 0; k < d->n; k++) {
        values[k] = scaled_value(p, d->value[k], v);
    }
    as_status st = as_scenario_with_dated(cur, p->id, d->from_day, values, d->n, NULL, out, err);
    free(values);
    return st;
}

as_status as_cal_candidate(const as_cal_base *b,
                           int full,
                           const as_param *params,
                           size_t n,
                           const double *values,
                           as_scenario **out,
                           as_error *err)
{
    *out = NULL;
    const as_scenario *start = full ? b->full : b->short_scn;
    as_scenario *cur = NULL;
    as_status st = AS_OK;
    /* The scale parameters first, then the plain ones, as in fitted.cfg's layer. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n && st == AS_OK; k++) {
            if (params[k].scale != (pass == 0)) {
                continue;
            }
            as_scenario *next = NULL;
            if (params[k].scale) {
                st = with_scaled(cur ? cur : start, b, &params[k], values[k], &next, err);
            } else {
                double v = is_whole(params[k].id) ? round(values[k]) : values[k];
                st = as_scenario_with_number(cur ? cur : start, params[k].id, v, 0, NULL, &next,
                                             err);
            }
            as_scenario_destroy(cur);
            cur = next;
        }
    }
    if (st != AS_OK) {
        as_scenario_destroy(cur);
        return st;
    }
    *out = cur;
    return AS_OK;
}
