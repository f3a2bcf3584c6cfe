/* Candidate scenarios: the base scenario with parameter values applied. A plain parameter becomes
 * a constant in both phases through as_scenario_with_number (the loader's own validation and
 * cross-checks); a `scale = true` parameter multiplies every step of the base's dated function,
 * which the public API can only express as a layer, so such candidates are loaded from a small
 * in-memory layer (`base = ...; overrides_from = "start";` plus the scaled steps) with
 * as_scenario_load_mem. The same layer text, with every parameter, is fitted.cfg. Shortening a
 * calibration to `run_end` is a layer too: run.end, and run.reform_start and
 * arrivals.projection_from brought inside the horizon when they lay beyond it (they change
 * nothing before it). */
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
            /* Ten significant digits: the candidate is loaded from this very text, so the
             * scenario run and the one fitted.cfg writes are the same. */
            char ten[32];
            snprintf(ten, sizeof ten, "%.10g", d->value[k] * v);
            double x = strtod(ten, NULL);
            put(b, "%s(\"%s\", ", k ? ", " : " ", date);
            put_number(b, is_whole(p->id) ? round(x) : x);
            put(b, ")");
        }
        put(b, " );");
    } else {
        double x = v;
        if (p->scale && d) {
            char ten[32];
            snprintf(ten, sizeof ten, "%.10g", d->value[0] * v);
            x = strtod(ten, NULL);
        }
        put_number(b, is_whole(p->id) ? round(x) : x);
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

/* The layer text over the base file: the horizon (when `horizon`) and the scale parameters. */
static char *layer_text(
        const as_cal_base *b, int horizon, const as_param *params, size_t n, const double *values)
{
    sbuf t = {0};
    const char *slash = strrchr(b->base_path, '/');
    put(&t, "base = ");
    put_quoted(&t, slash ? slash + 1 : b->base_path);
    put(&t, ";\noverrides_from = \"start\";\n");
    if (horizon) {
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
    }
    for (size_t k = 0; k < n; k++) {
        if (params[k].scale) {
            /* One group per parameter: libconfig refuses a group named twice, and a scale
             * parameter never shares its setting with another parameter. */
            const char *name = as_schema[params[k].id].name;
            put(&t, "%.*s = {\n", (int)(strchr(name, '.') - name), name);
            put_param(&t, b->full, &params[k], values[k], NULL);
            put(&t, "};\n");
        }
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

as_status as_cal_base_init(as_cal_base *b,
                           const char *base_path,
                           int32_t run_end,
                           const as_param *params,
                           size_t n_params,
                           as_error *err)
{
    memset(b, 0, sizeof *b);
    b->base_path = base_path;
    b->run_end = run_end;
    for (size_t k = 0; k < n_params; k++) {
        b->any_scale |= params[k].scale;
    }
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
    char *text = layer_text(b, 1, NULL, 0, NULL);
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

as_status as_cal_candidate(const as_cal_base *b,
                           int full,
                           const as_param *params,
                           size_t n,
                           const double *values,
                           as_scenario **out,
                           as_error *err)
{
    *out = NULL;
    as_scenario *cur = NULL;
    as_status st = AS_OK;
    if (b->any_scale) {
        int horizon = !full && b->short_scn != b->full;
        char *text = layer_text(b, horizon, params, n, values);
        if (!text) {
            return nomem(err);
        }
        st = load_layer(b, text, "candidate scenario", &cur, err);
        free(text);
        if (st != AS_OK) {
            return st;
        }
    }
    const as_scenario *start = full ? b->full : b->short_scn;
    for (size_t k = 0; k < n && st == AS_OK; k++) {
        if (params[k].scale) {
            continue;
        }
        double v = is_whole(params[k].id) ? round(values[k]) : values[k];
        as_scenario *next = NULL;
        st = as_scenario_with_number(cur ? cur : start, params[k].id, v, 0, NULL, &next, err);
        as_scenario_destroy(cur);
        cur = next;
    }
    if (st != AS_OK) {
        as_scenario_destroy(cur);
        return st;
    }
    *out = cur;
    return AS_OK;
}
