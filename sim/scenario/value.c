/* Values of a loaded scenario: the accessors of scenario.h, dated step functions (evaluation,
 * normalisation, the merge at the reform start), the canonical settings text with its FNV-1a hash,
 * as_scenario_with_number and as_scenario_check_run. Reading files is load.c's job, checking a
 * value against the schema validate.c's. */
#include "asylsim/scenario.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "internal.h"

int as_scn_same(double a, double b)
{
    return !(a < b) && !(a > b);
}

/* ---- owned values ---- */

void as_sval_free(as_sval *v)
{
    free(v->days);
    free(v->nums);
    memset(v, 0, sizeof *v);
}

as_status as_sval_copy(as_sval *dst, const as_sval *src)
{
    *dst = *src;
    dst->days = NULL;
    dst->nums = NULL;
    if (src->days) {
        dst->days = malloc(src->n * sizeof *dst->days);
        if (!dst->days) {
            goto nomem;
        }
        memcpy(dst->days, src->days, src->n * sizeof *dst->days);
    }
    if (src->nums) {
        dst->nums = malloc(src->n * sizeof *dst->nums);
        if (!dst->nums) {
            goto nomem;
        }
        memcpy(dst->nums, src->nums, src->n * sizeof *dst->nums);
    }
    return AS_OK;
nomem:
    as_sval_free(dst);
    return AS_ERR_NOMEM;
}

int as_sval_equal(as_type t, const as_sval *a, const as_sval *b)
{
    switch (t) {
    case AS_T_INT:
        return a->i == b->i;
    case AS_T_FLOAT:
        return as_scn_same(a->f, b->f);
    case AS_T_BOOL:
        return a->b == b->b;
    case AS_T_ENUM:
        return a->e == b->e;
    case AS_T_DATE:
        return a->date == b->date;
    case AS_T_DATED:
    case AS_T_VECTOR:
    case AS_T_PROBS:
        if (a->n != b->n) {
            return 0;
        }
        for (size_t k = 0; k < a->n; k++) {
            if (!as_scn_same(a->nums[k], b->nums[k])) {
                return 0;
            }
            if (t == AS_T_DATED && a->days[k] != b->days[k]) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

/* ---- dated step functions ---- */

static double dated_at(size_t n, const int32_t *days, const double *vals, double day)
{
    assert(n >= 1);
    /* Most settings are not dated (one step): no search. The profile of bench/baseline had this
     * function at 5% of all instructions, most of it in floor() and the search. */
    if (n == 1) {
        return vals[0];
    }
    /* lo = number of steps that start on or before day floor(day); a whole number k is <= floor(x)
     * exactly when k <= x, so no floor() is needed (NaN compares false either way). */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((double)days[mid] <= day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? vals[0] : vals[lo - 1];
}

double as_dated_search(const as_dated *d, double day)
{
    return dated_at(d->n, d->from_day, d->value, day);
}

double as_sval_dated_at(const as_sval *v, double day)
{
    return dated_at(v->n, v->days, v->nums, day);
}

void as_sval_normalise_dated(as_sval *v)
{
    size_t k = 0;
    for (size_t j = 0; j < v->n; j++) {
        if (k > 0 && as_scn_same(v->nums[j], v->nums[k - 1])) {
            continue;
        }
        v->days[k] = v->days[j];
        v->nums[k] = v->nums[j];
        k++;
    }
    v->n = k;
    if (k == 1) {
        v->days[0] = INT32_MIN;
    }
}

as_status as_sval_merge_dated(
        const as_sval *before, const as_sval *after, int32_t reform, int32_t first, as_sval *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = before->n + after->n + 2;
    out->days = malloc(cap * sizeof *out->days);
    out->nums = malloc(cap * sizeof *out->nums);
    if (!out->days || !out->nums) {
        as_sval_free(out);
        return AS_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t j = 0; j < before->n; j++) {
        if (before->days[j] < reform) {
            /* A constant's INT32_MIN becomes a real day, so the result can be written. */
            out->days[k] = before->days[j] == INT32_MIN ? first : before->days[j];
            out->nums[k++] = before->nums[j];
        }
    }
    if (k == 0) {
        out->days[k] = first;
        out->nums[k++] = before->nums[0];
    }
    out->days[k] = reform;
    out->nums[k++] = as_sval_dated_at(after, reform);
    for (size_t j = 0; j < after->n; j++) {
        if (after->days[j] > reform && after->days[j] != INT32_MIN) {
            out->days[k] = after->days[j];
            out->nums[k++] = after->nums[j];
        }
    }
    out->n = k;
    as_sval_normalise_dated(out);
    return AS_OK;
}

/* ---- scenario bookkeeping ---- */

int as_scn_intern(as_scenario *s, const char *file)
{
    for (size_t k = 0; k < s->n_files; k++) {
        if (strcmp(s->files[k], file) == 0) {
            return (int)k;
        }
    }
    char **grown = realloc(s->files, (s->n_files + 1) * sizeof *grown);
    if (!grown) {
        return -1;
    }
    s->files = grown;
    s->files[s->n_files] = strdup(file);
    if (!s->files[s->n_files]) {
        return -1;
    }
    return (int)s->n_files++;
}

void as_scn_publish(as_scenario *s)
{
    s->has_reform = 0;
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        as_type t = as_schema[id].type;
        if (!as_sval_equal(t, &s->val[0][id], &s->val[1][id]) || s->dated_reform[id]) {
            s->has_reform = 1;
        }
        for (int p = 0; p < 2; p++) {
            const as_sval *v = &s->val[p][id];
            as_value *pv = &s->pub[p][id];
            memset(pv, 0, sizeof *pv);
            pv->i = v->i;
            pv->f = v->f;
            pv->b = v->b;
            pv->e = v->e;
            pv->date = v->date;
            if (t == AS_T_DATED) {
                pv->dated.n = v->n;
                pv->dated.from_day = v->days;
                pv->dated.value = v->nums;
            } else if (t == AS_T_VECTOR || t == AS_T_PROBS) {
                pv->vec = v->nums;
                pv->vec_n = v->n;
            }
        }
    }
}

void as_scn_clear(as_scenario *s)
{
    for (int p = 0; p < 2; p++) {
        for (int id = 0; id < AS_N_SETTINGS; id++) {
            as_sval_free(&s->val[p][id]);
        }
    }
    for (size_t k = 0; k < s->n_files; k++) {
        free(s->files[k]);
    }
    free(s->files);
    free(s->sweep);
    free(s->path);
    free(s->name);
    memset(s, 0, sizeof *s);
}

void as_scenario_destroy(as_scenario *s)
{
    if (!s) {
        return;
    }
    as_scn_clear(s);
    free(s);
}

/* ---- accessors ---- */

const as_value *as_scn_value(const as_scenario *s, as_setting_id id, as_phase phase)
{
    assert(id >= 0 && id < AS_N_SETTINGS && (phase == AS_PHASE_BEFORE || phase == AS_PHASE_AFTER));
    return &s->pub[phase][id];
}

int64_t as_scn_int(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_INT);
    return s->pub[0][id].i;
}

double as_scn_float(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_FLOAT);
    return s->pub[0][id].f;
}

int as_scn_bool(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_BOOL);
    return s->pub[0][id].b;
}

int as_scn_enum(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_ENUM);
    return s->pub[0][id].e;
}

int32_t as_scn_date(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_DATE);
    return s->pub[0][id].date;
}

const as_dated *as_scn_dated(const as_scenario *s, as_setting_id id)
{
    assert(as_schema[id].type == AS_T_DATED);
    return &s->pub[0][id].dated;
}

const double *as_scn_vector(const as_scenario *s, as_setting_id id, size_t *n)
{
    assert(as_schema[id].type == AS_T_VECTOR || as_schema[id].type == AS_T_PROBS);
    if (n) {
        *n = s->pub[0][id].vec_n;
    }
    return s->pub[0][id].vec;
}

int as_scn_has_reform(const as_scenario *s)
{
    return s->has_reform;
}

const char *as_scn_name(const as_scenario *s)
{
    return s->name;
}

const char *as_scn_path(const as_scenario *s)
{
    return s->path;
}

const char *as_scn_source(const as_scenario *s, as_setting_id id, int *line)
{
    /* The after phase always holds the latest assignment: every layer writes it. */
    const as_ssrc *src = &s->src[AS_PHASE_AFTER][id];
    if (line) {
        *line = src->file >= 0 ? src->line : 0;
    }
    return src->file >= 0 ? s->files[src->file] : NULL;
}

int as_scn_sweep(const as_scenario *s, as_setting_id *id, const double **values, size_t *n)
{
    if (!s->has_sweep) {
        return 0;
    }
    *id = s->sweep_id;
    *values = s->sweep;
    *n = s->sweep_n;
    return 1;
}

/* ---- numbers and the canonical text ---- */

void as_scn_fmt_number(double x, int as_float, char *buf, size_t n)
{
    if (isfinite(x) && fabs(x) < 1e15 && as_scn_same(x, floor(x))) {
        snprintf(buf, n, as_float ? "%.1f" : "%.0f", x);
        return;
    }
    /* The shortest %g that reads back as the same double (at most 17 digits). */
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, x);
        if (!isfinite(x) || as_scn_same(strtod(buf, NULL), x)) {
            break;
        }
    }
    if (as_float && isfinite(x) && !strpbrk(buf, ".eE")) {
        size_t k = strlen(buf);
        snprintf(buf + k, n > k ? n - k : 0, ".0");
    }
}

/* Where canonical text goes: a FILE, an FNV-1a hash, or a fixed buffer (cut when full). */
typedef struct sink {
    FILE *f;
    uint64_t hash;
    char *buf;
    size_t cap, len;
    int failed;
} sink;

static void put(sink *k, const char *text)
{
    size_t n = strlen(text);
    if (k->f) {
        if (fwrite(text, 1, n, k->f) != n) {
            k->failed = 1;
        }
    } else if (k->buf) {
        for (size_t j = 0; j < n && k->len + 1 < k->cap; j++) {
            k->buf[k->len++] = text[j];
        }
        k->buf[k->len] = '\0';
    } else {
        for (size_t j = 0; j < n; j++) {
            k->hash ^= (unsigned char)text[j];
            k->hash *= 1099511628211ULL;
        }
    }
}

static void put_number(sink *k, double x)
{
    char b[64];
    as_scn_fmt_number(x, 1, b, sizeof b);
    put(k, b);
}

static void put_date(sink *k, int32_t day)
{
    char b[16] = "\"\"";
    if (day != INT32_MIN) {
        char iso[11];
        as_date_format(day, iso);
        snprintf(b, sizeof b, "\"%s\"", iso);
    }
    put(k, b);
}

/* Writes value v of setting id in libconfig syntax. */
static void put_value(sink *k, as_setting_id id, const as_sval *v)
{
    const as_setting_def *d = &as_schema[id];
    char b[64];
    switch (d->type) {
    case AS_T_INT:
        /* libconfig reads integers beyond 32 bits only with the L suffix. */
        snprintf(b, sizeof b, "%" PRId64 "%s", v->i,
                 (v->i < INT32_MIN || v->i > INT32_MAX) ? "L" : "");
        put(k, b);
        break;
    case AS_T_FLOAT:
        put_number(k, v->f);
        break;
    case AS_T_BOOL:
        put(k, v->b ? "true" : "false");
        break;
    case AS_T_ENUM: {
        const char *p = d->choices;
        for (int j = 0; j < v->e && p; j++) {
            p = strchr(p, '|');
            p = p ? p + 1 : NULL;
        }
        size_t len = p ? strcspn(p, "|") : 0;
        snprintf(b, sizeof b, "\"%.*s\"", (int)len, p ? p : "");
        put(k, b);
        break;
    }
    case AS_T_DATE:
        put_date(k, v->date);
        break;
    case AS_T_DATED:
        if (v->n == 1) {
            put_number(k, v->nums[0]);
            break;
        }
        put(k, "(");
        for (size_t j = 0; j < v->n; j++) {
            put(k, j ? ", (" : " (");
            put_date(k, v->days[j]);
            put(k, ", ");
            put_number(k, v->nums[j]);
            put(k, ")");
        }
        put(k, " )");
        break;
    case AS_T_VECTOR:
    case AS_T_PROBS:
        put(k, "[");
        for (size_t j = 0; j < v->n; j++) {
            if (j) {
                put(k, ", ");
            }
            put_number(k, v->nums[j]);
        }
        put(k, "]");
        break;
    }
}

static void put_settings(sink *k, const as_scenario *s)
{
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        put(k, as_schema[id].name);
        put(k, " = ");
        put_value(k, (as_setting_id)id, &s->val[0][id]);
        put(k, "\n");
        if (!as_sval_equal(as_schema[id].type, &s->val[0][id], &s->val[1][id])) {
            put(k, as_schema[id].name);
            put(k, "@reform_start = ");
            put_value(k, (as_setting_id)id, &s->val[1][id]);
            put(k, "\n");
        }
    }
    if (s->has_sweep) {
        put(k, "sweep.setting = \"");
        put(k, as_schema[s->sweep_id].name);
        put(k, "\"\nsweep.values = [");
        for (size_t j = 0; j < s->sweep_n; j++) {
            if (j) {
                put(k, ", ");
            }
            put_number(k, s->sweep[j]);
        }
        put(k, "]\n");
    }
}

int as_scenario_write_settings(const as_scenario *s, FILE *f)
{
    sink k = {.f = f};
    put_settings(&k, s);
    return k.failed || ferror(f) ? -1 : 0;
}

uint64_t as_scenario_hash(const as_scenario *s)
{
    sink k = {.hash = 14695981039346656037ULL};
    put_settings(&k, s);
    return k.hash;
}

/* ---- derived scenarios ---- */

/* A deep copy of s without its sweep (a variant is one concrete scenario). */
static as_status copy_scenario(const as_scenario *s, const char *suffix, as_scenario **out)
{
    as_scenario *c = calloc(1, sizeof *c);
    if (!c) {
        return AS_ERR_NOMEM;
    }
    size_t nl = strlen(s->name), sl = suffix ? strlen(suffix) : 0;
    c->path = strdup(s->path);
    c->name = malloc(nl + sl + 1);
    c->files = s->n_files ? calloc(s->n_files, sizeof *c->files) : NULL;
    if (!c->path || !c->name || (s->n_files && !c->files)) {
        goto nomem;
    }
    memcpy(c->name, s->name, nl);
    memcpy(c->name + nl, suffix ? suffix : "", sl + 1);
    for (size_t k = 0; k < s->n_files; k++) {
        c->files[k] = strdup(s->files[k]);
        c->n_files = k + 1;
        if (!c->files[k]) {
            goto nomem;
        }
    }
    memcpy(c->src, s->src, sizeof c->src);
    memcpy(c->dated_reform, s->dated_reform, sizeof c->dated_reform);
    for (int p = 0; p < 2; p++) {
        for (int id = 0; id < AS_N_SETTINGS; id++) {
            if (as_sval_copy(&c->val[p][id], &s->val[p][id]) != AS_OK) {
                goto nomem;
            }
        }
    }
    *out = c;
    return AS_OK;
nomem:
    as_scenario_destroy(c);
    return AS_ERR_NOMEM;
}

/* Sets setting id of the copy c to nv in phases from..1 (copied), checks c across settings and
 * publishes it as *out; destroys c on failure. */
static as_status finish_derived(as_scenario *c,
                                as_setting_id id,
                                int from,
                                const as_sval *nv,
                                as_scenario **out,
                                as_error *err)
{
    for (int p = from; p < 2; p++) {
        as_sval_free(&c->val[p][id]);
        if (as_sval_copy(&c->val[p][id], nv) != AS_OK) {
            as_error_set(err, AS_ERR_NOMEM, c->path, 0, NULL, "out of memory");
            as_scenario_destroy(c);
            return AS_ERR_NOMEM;
        }
        c->src[p][id] = (as_ssrc){.file = -1, .line = 0, .order = INT64_MAX};
    }
    as_status st = as_scn_cross_check(c, err);
    if (st != AS_OK) {
        as_scenario_destroy(c);
        return st;
    }
    as_scn_publish(c);
    *out = c;
    return AS_OK;
}

as_status as_scenario_with_number(const as_scenario *s,
                                  as_setting_id id,
                                  double v,
                                  int after_only,
                                  const char *suffix,
                                  as_scenario **out,
                                  as_error *err)
{
    assert(id >= 0 && id < AS_N_SETTINGS);
    const as_setting_def *d = &as_schema[id];
    assert(d->type == AS_T_FLOAT || d->type == AS_T_INT || d->type == AS_T_DATED);
    *out = NULL;
    char msg[256];
    if (as_scn_number_problem(id, v, msg, sizeof msg)) {
        return as_error_set(err, AS_ERR_INPUT, s->path, 0, d->name, "%s", msg);
    }
    as_scenario *c = NULL;
    if (copy_scenario(s, suffix, &c) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, s->path, 0, NULL, "out of memory");
    }
    /* run.* settings hold for the whole run, whatever the caller asks. */
    int from = after_only && !(d->flags & AS_F_RUN) ? 1 : 0;
    as_sval nv = {0};
    if (d->type == AS_T_DATED) {
        as_sval constant = {.n = 1};
        int32_t day = INT32_MIN;
        double num = v;
        constant.days = &day;
        constant.nums = &num;
        as_status st;
        if (from == 1) {
            int32_t reform = c->val[0][AS_S_RUN_REFORM_START].date;
            int32_t start = c->val[0][AS_S_RUN_START].date;
            st = as_sval_merge_dated(&c->val[0][id], &constant, reform,
                                     start < reform ? start : reform - 1, &nv);
            c->dated_reform[id] |= !as_sval_equal(d->type, &nv, &c->val[0][id]);
        } else {
            st = as_sval_copy(&nv, &constant);
            c->dated_reform[id] = 0;
        }
        if (st != AS_OK) {
            as_scenario_destroy(c);
            return as_error_set(err, AS_ERR_NOMEM, s->path, 0, NULL, "out of memory");
        }
        /* A dated setting keeps one merged function in both phases. */
        from = 0;
    } else if (d->type == AS_T_INT) {
        nv.i = (int64_t)v;
    } else {
        nv.f = v;
    }
    as_status st = finish_derived(c, id, from, &nv, out, err);
    as_sval_free(&nv);
    return st;
}

as_status as_scenario_with_dated(const as_scenario *s,
                                 as_setting_id id,
                                 const int32_t *days,
                                 const double *values,
                                 size_t n,
                                 const char *suffix,
                                 as_scenario **out,
                                 as_error *err)
{
    assert(id >= 0 && id < AS_N_SETTINGS);
    const as_setting_def *d = &as_schema[id];
    assert(d->type == AS_T_DATED);
    *out = NULL;
    if (n == 0) {
        return as_error_set(err, AS_ERR_INPUT, s->path, 0, d->name, "needs at least one step");
    }
    char msg[256];
    for (size_t k = 0; k < n; k++) {
        if (as_scn_number_problem(id, values[k], msg, sizeof msg)) {
            return as_error_set(err, AS_ERR_INPUT, s->path, 0, d->name, "%s", msg);
        }
        if (k > 0 && days[k] <= days[k - 1]) {
            return as_error_set(err, AS_ERR_INPUT, s->path, 0, d->name,
                                "steps must be in increasing date order");
        }
    }
    /* The caller's arrays, copied and normalised as the loader does a file's steps. */
    const as_sval borrowed = {
            .n = n, .days = (int32_t *)(uintptr_t)days, .nums = (double *)(uintptr_t)values};
    as_sval steps;
    as_scenario *c = NULL;
    if (as_sval_copy(&steps, &borrowed) != AS_OK) {
        return as_error_set(err, AS_ERR_NOMEM, s->path, 0, NULL, "out of memory");
    }
    as_sval_normalise_dated(&steps);
    if (copy_scenario(s, suffix, &c) != AS_OK) {
        as_sval_free(&steps);
        return as_error_set(err, AS_ERR_NOMEM, s->path, 0, NULL, "out of memory");
    }
    c->dated_reform[id] = 0;
    as_status st = finish_derived(c, id, 0, &steps, out, err);
    as_sval_free(&steps);
    return st;
}

as_status as_scenario_check_run(const as_scenario *first, const as_scenario *other, as_error *err)
{
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        const as_setting_def *d = &as_schema[id];
        const as_ssrc *src = &other->src[0][id];
        if (!(d->flags & AS_F_RUN) || src->file < 0 ||
            as_sval_equal(d->type, &first->val[0][id], &other->val[0][id])) {
            continue;
        }
        char mine[64] = "", theirs[64] = "";
        sink a = {.buf = mine, .cap = sizeof mine};
        sink b = {.buf = theirs, .cap = sizeof theirs};
        put_value(&a, (as_setting_id)id, &other->val[0][id]);
        put_value(&b, (as_setting_id)id, &first->val[0][id]);
        return as_error_set(
                err, AS_ERR_INPUT, other->files[src->file], src->line, d->name,
                "differs from the first scenario (%s here, %s in %s); run.* settings come "
                "from the first file",
                mine, theirs, first->path);
    }
    as_error_clear(err);
    return AS_OK;
}
