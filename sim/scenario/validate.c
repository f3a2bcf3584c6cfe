/* Validation against the schema: one libconfig setting becomes one checked value (type, range,
 * whole numbers, finite numbers, ISO dates, dated step functions, vector lengths, probabilities),
 * "did you mean" suggestions for unknown names, and the cross-setting checks that need the whole
 * resolved chain. Walking a file's tree is layer.c's job; messages follow style.md §9 and say
 * what was expected and what was found. */
#include "asylsim/scenario.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "internal.h"

/* Probabilities that sum to within this of 1 are renormalised; beyond, refused. */
#define PROBS_SUM_TOL 1e-9
/* p_refugee + p_alternative may exceed 1 by at most this (rounding of decimal shares). */
#define SHARE_SUM_TOL 1e-9

/* ---- describing values ---- */

/* Copies s into buf in double quotes, escaping quotes, backslashes and control characters, and
 * cutting long strings (never inside a UTF-8 sequence). */
static void quote(const char *s, char *buf, size_t n)
{
    assert(n >= 16);
    size_t k = 0;
    buf[k++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (k + 8 >= n || k > 48) {
            /* Back up to the start of a UTF-8 sequence before cutting. */
            while (k > 1 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80) {
                k--;
            }
            if (k > 1 && ((unsigned char)buf[k - 1] & 0xC0) == 0xC0) {
                k--;
            }
            memcpy(buf + k, "...", 3);
            k += 3;
            break;
        }
        if (*p == '"' || *p == '\\') {
            buf[k++] = '\\';
            buf[k++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7F) {
            k += (size_t)snprintf(buf + k, n - k, "\\x%02X", *p);
        } else {
            buf[k++] = (char)*p;
        }
    }
    buf[k++] = '"';
    buf[k] = '\0';
}

void as_scn_describe(const config_setting_t *cs, char *buf, size_t n)
{
    char v[96];
    switch (config_setting_type(cs)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, n, "an integer (%d)", config_setting_get_int(cs));
        return;
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "an integer (%lldL)", config_setting_get_int64(cs));
        return;
    case CONFIG_TYPE_FLOAT:
        as_scn_fmt_number(config_setting_get_float(cs), 1, v, sizeof v);
        snprintf(buf, n, "a float (%s)", v);
        return;
    case CONFIG_TYPE_STRING:
        quote(config_setting_get_string(cs), v, sizeof v);
        snprintf(buf, n, "a string (%s)", v);
        return;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "a boolean (%s)", config_setting_get_bool(cs) ? "true" : "false");
        return;
    case CONFIG_TYPE_GROUP:
        snprintf(buf, n, "a group { ... }");
        return;
    case CONFIG_TYPE_ARRAY:
        snprintf(buf, n, "an array [ ... ]");
        return;
    case CONFIG_TYPE_LIST:
        snprintf(buf, n, "a list ( ... )");
        return;
    default:
        snprintf(buf, n, "nothing");
        return;
    }
}

/* A value as it would be written in a file, aggregates abbreviated: 4.0, "2015-01-01", ( ... ). */
static void literal(const config_setting_t *cs, char *buf, size_t n)
{
    switch (config_setting_type(cs)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, n, "%d", config_setting_get_int(cs));
        return;
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "%lldL", config_setting_get_int64(cs));
        return;
    case CONFIG_TYPE_FLOAT:
        as_scn_fmt_number(config_setting_get_float(cs), 1, buf, n);
        return;
    case CONFIG_TYPE_STRING:
        quote(config_setting_get_string(cs), buf, n);
        return;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "%s", config_setting_get_bool(cs) ? "true" : "false");
        return;
    case CONFIG_TYPE_GROUP:
        snprintf(buf, n, "{ ... }");
        return;
    case CONFIG_TYPE_ARRAY:
        snprintf(buf, n, "[ ... ]");
        return;
    default:
        snprintf(buf, n, "( ... )");
        return;
    }
}

/* What setting d expects, for "expected ..." in messages. */
static void expected(const as_setting_def *d, char *buf, size_t n)
{
    switch (d->type) {
    case AS_T_INT:
        snprintf(buf, n, "an integer");
        return;
    case AS_T_FLOAT:
        snprintf(buf, n, "a number");
        return;
    case AS_T_BOOL:
        snprintf(buf, n, "true or false");
        return;
    case AS_T_ENUM: {
        size_t k = (size_t)snprintf(buf, n, "one of");
        for (const char *p = d->choices; *p && k < n;) {
            size_t len = strcspn(p, "|");
            k += (size_t)snprintf(buf + k, n - k, "%s \"%.*s\"", p == d->choices ? "" : ",",
                                  (int)len, p);
            p += len + (p[len] == '|');
        }
        return;
    }
    case AS_T_DATE:
        snprintf(buf, n, "a date \"YYYY-MM-DD\"%s",
                 (d->flags & AS_F_EMPTY_OK) ? " or \"\" (never)" : "");
        return;
    case AS_T_DATED:
        snprintf(buf, n, "a number or a list of (\"YYYY-MM-DD\", number) pairs");
        return;
    case AS_T_VECTOR:
    case AS_T_PROBS:
        if (d->len > 0) {
            snprintf(buf, n, "an array of %d %s", d->len,
                     d->type == AS_T_PROBS ? "probabilities" : "numbers");
        } else {
            snprintf(buf, n, "an array of %s", d->type == AS_T_PROBS ? "probabilities" : "numbers");
        }
        return;
    }
}

static as_status
wrong_type(const as_setting_def *d, const config_setting_t *cs, const char *file, as_error *err)
{
    char want[160], got[128];
    expected(d, want, sizeof want);
    as_scn_describe(cs, got, sizeof got);
    return as_error_set(err, AS_ERR_INPUT, file, config_setting_source_line(cs), d->name,
                        "expected %s, found %s", want, got);
}

static int is_number(const config_setting_t *cs)
{
    int t = config_setting_type(cs);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double number_of(const config_setting_t *cs)
{
    return config_setting_type(cs) == CONFIG_TYPE_FLOAT ? config_setting_get_float(cs)
                                                        : (double)config_setting_get_int64(cs);
}

/* ---- numbers ---- */

int as_scn_number_problem(as_setting_id id, double v, char *msg, size_t n)
{
    const as_setting_def *d = &as_schema[id];
    if (!isfinite(v)) {
        snprintf(msg, n, "must be a finite number");
        return -1;
    }
    char val[64], lo[64], hi[64];
    int whole = d->type == AS_T_INT || (d->flags & AS_F_WHOLE);
    as_scn_fmt_number(v, 0, val, sizeof val);
    if (whole && !as_scn_same(v, floor(v))) {
        snprintf(msg, n, "%s is not a whole number", val);
        return -1;
    }
    int excl = (d->flags & AS_F_MIN_EXCL) != 0;
    if (v < d->min || v > d->max || (excl && !(v > d->min))) {
        as_scn_fmt_number(d->min, 0, lo, sizeof lo);
        as_scn_fmt_number(d->max, 0, hi, sizeof hi);
        snprintf(msg, n, "%s is out of range %s%s, %s]", val, excl ? "(" : "[", lo, hi);
        return -1;
    }
    return 0;
}

/* Checks number element cs of setting id; `what` prefixes the message ("element 3: "). */
static as_status check_number(as_setting_id id,
                              const config_setting_t *cs,
                              double v,
                              const char *file,
                              const char *what,
                              as_error *err)
{
    char msg[300];
    if (as_scn_number_problem(id, v, msg, sizeof msg)) {
        return as_error_set(err, AS_ERR_INPUT, file, config_setting_source_line(cs),
                            as_schema[id].name, "%s%s", what, msg);
    }
    return AS_OK;
}

/* ---- dates ---- */

/* Parses date string s; 0 and *day on success, else -1 with the problem in msg. */
static int parse_date(const char *s, int empty_ok, int32_t *day, char *msg, size_t n)
{
    char q[96];
    if (!*s && empty_ok) {
        *day = INT32_MIN;
        return 0;
    }
    if (as_date_parse(s, day) == 0) {
        return 0;
    }
    quote(s, q, sizeof q);
    int shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int k = 0; shape && k < 10; k++) {
        if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9')) {
            shape = 0;
        }
    }
    if (shape && s[0] == '0') {
        snprintf(msg, n, "%s is out of range (years 1000-9999)", q);
    } else if (shape) {
        snprintf(msg, n, "%s is not a calendar date", q);
    } else {
        snprintf(msg, n, "%s is not an ISO date \"YYYY-MM-DD\"", q);
    }
    return -1;
}

/* ---- one setting ---- */

static as_status parse_dated(as_setting_id id,
                             const config_setting_t *cs,
                             const char *file,
                             const char *incdir,
                             as_sval *out,
                             as_error *err)
{
    const as_setting_def *d = &as_schema[id];
    char ef[512], msg[300], what[64];
    if (is_number(cs)) {
        out->n = 1;
        out->days = malloc(sizeof *out->days);
        out->nums = malloc(sizeof *out->nums);
        if (!out->days || !out->nums) {
            return as_error_set(err, AS_ERR_NOMEM, file, 0, NULL, "out of memory");
        }
        out->days[0] = INT32_MIN;
        out->nums[0] = number_of(cs);
        return check_number(id, cs, out->nums[0], file, "", err);
    }
    if (config_setting_type(cs) != CONFIG_TYPE_LIST) {
        return wrong_type(d, cs, file, err);
    }
    int n = config_setting_length(cs);
    if (n == 0) {
        return as_error_set(err, AS_ERR_INPUT, file, config_setting_source_line(cs), d->name,
                            "empty list; expected a number or ( (\"YYYY-MM-DD\", number), ... )");
    }
    out->n = (size_t)n;
    out->days = malloc((size_t)n * sizeof *out->days);
    out->nums = malloc((size_t)n * sizeof *out->nums);
    if (!out->days || !out->nums) {
        return as_error_set(err, AS_ERR_NOMEM, file, 0, NULL, "out of memory");
    }
    for (int k = 0; k < n; k++) {
        const config_setting_t *pair = config_setting_get_elem(cs, (unsigned)k);
        as_scn_file_of(pair, file, incdir, ef, sizeof ef);
        int line = config_setting_source_line(pair);
        int pt = config_setting_type(pair);
        const config_setting_t *ds = NULL, *vs = NULL;
        if ((pt == CONFIG_TYPE_LIST || pt == CONFIG_TYPE_ARRAY) &&
            config_setting_length(pair) == 2) {
            ds = config_setting_get_elem(pair, 0);
            vs = config_setting_get_elem(pair, 1);
        }
        if (!ds || config_setting_type(ds) != CONFIG_TYPE_STRING || !is_number(vs)) {
            char got[200];
            as_scn_describe(pair, got, sizeof got);
            if (ds && vs) {
                char a[80], b[80];
                literal(ds, a, sizeof a);
                literal(vs, b, sizeof b);
                snprintf(got, sizeof got, "(%s, %s)", a, b);
            } else if (pt == CONFIG_TYPE_LIST || pt == CONFIG_TYPE_ARRAY) {
                snprintf(got, sizeof got, "%s of %d element%s",
                         pt == CONFIG_TYPE_LIST ? "a list" : "an array",
                         config_setting_length(pair), config_setting_length(pair) == 1 ? "" : "s");
            }
            return as_error_set(err, AS_ERR_INPUT, ef, line, d->name,
                                "step %d: expected a (\"YYYY-MM-DD\", number) pair, found %s",
                                k + 1, got);
        }
        if (parse_date(config_setting_get_string(ds), 0, &out->days[k], msg, sizeof msg)) {
            return as_error_set(err, AS_ERR_INPUT, ef, line, d->name, "step %d: %s", k + 1, msg);
        }
        out->nums[k] = number_of(vs);
        snprintf(what, sizeof what, "step %d: ", k + 1);
        as_status st = check_number(id, vs, out->nums[k], ef, what, err);
        if (st != AS_OK) {
            return st;
        }
        if (k > 0 && out->days[k] <= out->days[k - 1]) {
            char a[11], b[11];
            as_date_format(out->days[k - 1], a);
            as_date_format(out->days[k], b);
            return as_error_set(err, AS_ERR_INPUT, ef, line, d->name,
                                "step %d: dates must be strictly increasing, but %s follows %s",
                                k + 1, b, a);
        }
    }
    as_sval_normalise_dated(out);
    return AS_OK;
}

static as_status parse_vector(
        as_setting_id id, const config_setting_t *cs, const char *file, as_sval *out, as_error *err)
{
    const as_setting_def *d = &as_schema[id];
    int line = config_setting_source_line(cs);
    if (config_setting_type(cs) != CONFIG_TYPE_ARRAY) {
        return wrong_type(d, cs, file, err);
    }
    int n = config_setting_length(cs);
    char want[160];
    expected(d, want, sizeof want);
    if (n == 0) {
        return as_error_set(err, AS_ERR_INPUT, file, line, d->name, "empty array; expected %s",
                            want);
    }
    if (d->len > 0 && n != d->len) {
        return as_error_set(err, AS_ERR_INPUT, file, line, d->name, "expected %d numbers, found %d",
                            d->len, n);
    }
    out->n = (size_t)n;
    out->nums = malloc((size_t)n * sizeof *out->nums);
    if (!out->nums) {
        return as_error_set(err, AS_ERR_NOMEM, file, 0, NULL, "out of memory");
    }
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
        const config_setting_t *e = config_setting_get_elem(cs, (unsigned)k);
        char what[64];
        snprintf(what, sizeof what, "element %d: ", k + 1);
        if (!is_number(e)) {
            char got[128];
            as_scn_describe(e, got, sizeof got);
            return as_error_set(err, AS_ERR_INPUT, file, line, d->name,
                                "%sexpected a number, found %s", what, got);
        }
        out->nums[k] = number_of(e);
        as_status st = check_number(id, e, out->nums[k], file, what, err);
        if (st != AS_OK) {
            return st;
        }
        sum += out->nums[k];
    }
    if (d->type == AS_T_PROBS) {
        if (!(fabs(sum - 1.0) <= PROBS_SUM_TOL)) {
            char s[64];
            as_scn_fmt_number(sum, 0, s, sizeof s);
            return as_error_set(err, AS_ERR_INPUT, file, line, d->name,
                                "the probabilities sum to %s, not 1", s);
        }
        for (int k = 0; k < n; k++) {
            out->nums[k] /= sum;
        }
    }
    return AS_OK;
}

as_status as_scn_parse_value(as_setting_id id,
                             const config_setting_t *cs,
                             const char *file,
                             const char *incdir,
                             as_sval *out,
                             as_error *err)
{
    const as_setting_def *d = &as_schema[id];
    char ef[512], msg[300];
    as_scn_file_of(cs, file, incdir, ef, sizeof ef);
    int line = config_setting_source_line(cs);
    int t = config_setting_type(cs);
    as_status st = AS_OK;
    memset(out, 0, sizeof *out);
    switch (d->type) {
    case AS_T_INT:
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
            st = wrong_type(d, cs, ef, err);
            break;
        }
        out->i = config_setting_get_int64(cs);
        st = check_number(id, cs, (double)out->i, ef, "", err);
        break;
    case AS_T_FLOAT:
        if (!is_number(cs)) {
            st = wrong_type(d, cs, ef, err);
            break;
        }
        out->f = number_of(cs);
        st = check_number(id, cs, out->f, ef, "", err);
        break;
    case AS_T_BOOL:
        if (t != CONFIG_TYPE_BOOL) {
            st = wrong_type(d, cs, ef, err);
            break;
        }
        out->b = config_setting_get_bool(cs) ? 1 : 0;
        break;
    case AS_T_ENUM: {
        if (t != CONFIG_TYPE_STRING) {
            st = wrong_type(d, cs, ef, err);
            break;
        }
        const char *s = config_setting_get_string(cs);
        int k = 0, found = -1;
        for (const char *p = d->choices; *p; k++) {
            size_t len = strcspn(p, "|");
            if (strlen(s) == len && strncmp(s, p, len) == 0) {
                found = k;
                break;
            }
            p += len + (p[len] == '|');
        }
        if (found < 0) {
            char q[96], want[160];
            quote(s, q, sizeof q);
            expected(d, want, sizeof want);
            st = as_error_set(err, AS_ERR_INPUT, ef, line, d->name, "%s is not %s", q, want);
            break;
        }
        out->e = found;
        break;
    }
    case AS_T_DATE:
        if (t != CONFIG_TYPE_STRING) {
            st = wrong_type(d, cs, ef, err);
            break;
        }
        if (parse_date(config_setting_get_string(cs), (d->flags & AS_F_EMPTY_OK) != 0, &out->date,
                       msg, sizeof msg)) {
            st = as_error_set(err, AS_ERR_INPUT, ef, line, d->name, "%s", msg);
        }
        break;
    case AS_T_DATED:
        st = parse_dated(id, cs, ef, incdir, out, err);
        break;
    case AS_T_VECTOR:
    case AS_T_PROBS:
        st = parse_vector(id, cs, ef, out, err);
        break;
    }
    if (st != AS_OK) {
        as_sval_free(out);
    }
    return st;
}

/* ---- did you mean ---- */

int as_scn_name_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= AS_SCN_DISTANCE_MAX || lb >= AS_SCN_DISTANCE_MAX) {
        return AS_SCN_DISTANCE_MAX;
    }
    int d[3][AS_SCN_DISTANCE_MAX + 1]; /* rows i-2, i-1, i (mod 3) */
    for (size_t j = 0; j <= lb; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        int *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) {
                v = cur[j - 1] + 1;
            }
            if (prev[j - 1] + cost < v) {
                v = prev[j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v) {
                v = prev2[j - 2] + 1;
            }
            cur[j] = v;
        }
    }
    return d[la % 3][lb];
}

/* Close enough to suggest: at most one edit per four characters of the name typed. */
static int close_enough(int dist, size_t typed_len)
{
    return dist * 4 <= (int)typed_len + 3;
}

typedef struct best {
    int dist;
    int same_group;
    char name[AS_SCN_NAME_MAX];
} best;

static void consider(best *b, const char *candidate, int dist, size_t typed_len, int same_group)
{
    if (!close_enough(dist, typed_len)) {
        return;
    }
    if (dist < b->dist || (dist == b->dist && same_group > b->same_group)) {
        b->dist = dist;
        b->same_group = same_group;
        snprintf(b->name, sizeof b->name, "%s", candidate);
    }
}

/* Names outside the schema that a file may hold. */
static const char *const top_level[] = {"base", "overrides_from", "sweep"};
static const char *const sweep_members[] = {"sweep.setting", "sweep.values"};

void as_scn_suggest(const char *name, char *buf, size_t n)
{
    best b = {.dist = AS_SCN_NAME_MAX + 1};
    const char *dot = strrchr(name, '.');
    const char *leaf = dot ? dot + 1 : name;
    size_t glen = dot ? (size_t)(dot - name) : 0;
    for (int i = 0; i < AS_N_SETTINGS; i++) {
        const char *full = as_schema[i].name;
        const char *cdot = strchr(full, '.');
        int same = dot && cdot && (size_t)(cdot - full) == glen && strncmp(full, name, glen) == 0;
        /* The whole dotted name, and the leaf alone: a setting put in the wrong group (or at the
         * top level) still finds its place. */
        consider(&b, full, as_scn_name_distance(name, full), strlen(name), same);
        consider(&b, full, as_scn_name_distance(leaf, cdot ? cdot + 1 : full), strlen(leaf), same);
        if (!dot && cdot) {
            char group[AS_SCN_NAME_MAX];
            snprintf(group, sizeof group, "%.*s", (int)(cdot - full), full);
            consider(&b, group, as_scn_name_distance(name, group), strlen(name), 0);
        }
    }
    if (!dot) {
        for (size_t k = 0; k < sizeof top_level / sizeof top_level[0]; k++) {
            consider(&b, top_level[k], as_scn_name_distance(name, top_level[k]), strlen(name), 0);
        }
    } else if (glen == 5 && strncmp(name, "sweep", 5) == 0) {
        for (size_t k = 0; k < sizeof sweep_members / sizeof sweep_members[0]; k++) {
            consider(&b, sweep_members[k], as_scn_name_distance(name, sweep_members[k]),
                     strlen(name), 1);
        }
    }
    snprintf(buf, n, "%s", b.dist <= AS_SCN_NAME_MAX ? b.name : "");
}

/* ---- cross-setting checks ---- */

/* One check over the values of one phase (v indexed by setting id): 0 if it holds, otherwise -1
 * with the problem in msg. The error names whichever of `ids` was set last. */
typedef struct cross_check {
    as_setting_id ids[3];
    int n_ids;
    int (*check)(const as_sval *v, char *msg, size_t n);
} cross_check;

static int check_run_dates(const as_sval *v, char *msg, size_t n)
{
    /* run.end is inclusive: start == end is a valid one-day run (issue #9). */
    if (v[AS_S_RUN_START].date <= v[AS_S_RUN_END].date) {
        return 0;
    }
    char a[11], b[11];
    as_date_format(v[AS_S_RUN_START].date, a);
    as_date_format(v[AS_S_RUN_END].date, b);
    snprintf(msg, n, "run.start (%s) must not be after run.end (%s)", a, b);
    return -1;
}

/* 0 if day lies within the run: from run.start to the day after run.end. */
static int check_within_run(const as_sval *v, as_setting_id id, char *msg, size_t n)
{
    int32_t day = v[id].date, start = v[AS_S_RUN_START].date, end = v[AS_S_RUN_END].date;
    if (day == INT32_MIN || (day >= start && day <= end + 1)) {
        return 0;
    }
    char a[11], b[11], c[11];
    as_date_format(day, a);
    as_date_format(start, b);
    as_date_format(end + 1, c);
    snprintf(msg, n, "%s (%s) must lie between run.start (%s) and the day after run.end (%s)",
             as_schema[id].name, a, b, c);
    return -1;
}

static int check_reform_start(const as_sval *v, char *msg, size_t n)
{
    return check_within_run(v, AS_S_RUN_REFORM_START, msg, n);
}

static int check_projection_from(const as_sval *v, char *msg, size_t n)
{
    return check_within_run(v, AS_S_ARRIVALS_PROJECTION_FROM, msg, n);
}

static int check_decision_shares(const as_sval *v, char *msg, size_t n)
{
    double r = v[AS_S_PROCEDURE_P_REFUGEE].f, a = v[AS_S_PROCEDURE_P_ALTERNATIVE].f;
    if (r + a <= 1.0 + SHARE_SUM_TOL) {
        return 0;
    }
    char sr[64], sa[64], ss[64];
    as_scn_fmt_number(r, 0, sr, sizeof sr);
    as_scn_fmt_number(a, 0, sa, sizeof sa);
    as_scn_fmt_number(r + a, 0, ss, sizeof ss);
    snprintf(msg, n,
             "procedure.p_refugee + procedure.p_alternative = %s + %s = %s exceeds 1 (the rest "
             "is the share of negative decisions)",
             sr, sa, ss);
    return -1;
}

static int check_month_weights(const as_sval *v, char *msg, size_t n)
{
    const as_sval *w = &v[AS_S_ARRIVALS_MONTH_WEIGHTS];
    for (size_t k = 0; k < w->n; k++) {
        if (w->nums[k] > 0.0) {
            return 0;
        }
    }
    snprintf(msg, n, "all month weights are zero; at least one month must have arrivals");
    return -1;
}

static int check_relocated_shares(const as_sval *v, char *msg, size_t n)
{
    double r = v[AS_S_PROCEDURE_P_REFUGEE_RELOCATED].f;
    double a = v[AS_S_PROCEDURE_P_ALTERNATIVE_RELOCATED].f;
    if (r + a <= 1.0 + SHARE_SUM_TOL) {
        return 0;
    }
    char ss[64];
    as_scn_fmt_number(r + a, 0, ss, sizeof ss);
    snprintf(msg, n,
             "procedure.p_refugee_relocated + procedure.p_alternative_relocated = %s exceeds 1",
             ss);
    return -1;
}

static int check_relocation_window(const as_sval *v, char *msg, size_t n)
{
    if (v[AS_S_ARRIVALS_RELOCATION_FROM].date <= v[AS_S_ARRIVALS_RELOCATION_TO].date) {
        return 0;
    }
    char a[11], b[11];
    as_date_format(v[AS_S_ARRIVALS_RELOCATION_FROM].date, a);
    as_date_format(v[AS_S_ARRIVALS_RELOCATION_TO].date, b);
    snprintf(msg, n, "arrivals.relocation_from (%s) must not be after arrivals.relocation_to (%s)",
             a, b);
    return -1;
}

/* Later issues add their checks here; run.* checks come first. */
static const cross_check checks[] = {
        {{AS_S_RUN_START, AS_S_RUN_END}, 2, check_run_dates},
        {{AS_S_RUN_REFORM_START, AS_S_RUN_START, AS_S_RUN_END}, 3, check_reform_start},
        {{AS_S_ARRIVALS_PROJECTION_FROM, AS_S_RUN_START, AS_S_RUN_END}, 3, check_projection_from},
        {{AS_S_PROCEDURE_P_REFUGEE, AS_S_PROCEDURE_P_ALTERNATIVE}, 2, check_decision_shares},
        {{AS_S_ARRIVALS_MONTH_WEIGHTS}, 1, check_month_weights},
        {{AS_S_PROCEDURE_P_REFUGEE_RELOCATED, AS_S_PROCEDURE_P_ALTERNATIVE_RELOCATED},
         2,
         check_relocated_shares},
        {{AS_S_ARRIVALS_RELOCATION_FROM, AS_S_ARRIVALS_RELOCATION_TO}, 2, check_relocation_window},
};

as_status as_scn_cross_check(const as_scenario *s, as_error *err)
{
    char msg[400];
    for (int p = 0; p < 2; p++) {
        for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++) {
            const cross_check *ck = &checks[c];
            if (ck->check(s->val[p], msg, sizeof msg) == 0) {
                continue;
            }
            as_setting_id last = ck->ids[0];
            for (int k = 1; k < ck->n_ids; k++) {
                if (s->src[p][ck->ids[k]].order > s->src[p][last].order) {
                    last = ck->ids[k];
                }
            }
            const as_ssrc *src = &s->src[p][last];
            const char *file = src->file >= 0 ? s->files[src->file] : s->path;
            return as_error_set(err, AS_ERR_INPUT, file, src->file >= 0 ? src->line : 0,
                                as_schema[last].name, "%s", msg);
        }
    }
    return AS_OK;
}
