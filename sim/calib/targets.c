/* The targets file (include/asylsim/calib.h): a CSV of observed statistics, header
 * `series,period,value,sd` (sd optional), one target per line; `#` lines and blank lines are
 * skipped and fields may be quoted (RFC 4180), so a spreadsheet export reads as is. Each line is
 * checked as it is read — series against the indicators and cohort shares of model.h, period,
 * value and sd as numbers — and the first problem is an error naming FILE:LINE (and the series
 * when it is known). Any bytes are safe (a fuzz target feeds as_targets_parse_mem). Binding a
 * period to the months of a simulation and reading a target's value from a run are here too;
 * distances and the methods are not. */
#include "asylsim/calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/ksum.h"
#include "asylsim/model.h"
#include "internal.h"

struct as_targets {
    char *file;
    size_t n, cap;
    as_target *t;
};

#define MAX_FIELDS 8
#define FIELD_MAX  128

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

void as_targets_destroy(as_targets *t)
{
    if (!t) {
        return;
    }
    free(t->file);
    free(t->t);
    free(t);
}

size_t as_targets_count(const as_targets *t)
{
    return t->n;
}

const as_target *as_targets_get(const as_targets *t, size_t i)
{
    return &t->t[i];
}

const char *as_targets_file(const as_targets *t)
{
    return t->file;
}

/* ---- numbers and periods ---- */

/* Parses a plain decimal number (sign, digits, point, exponent; no hex, inf or nan): 0 or -1. */
static int parse_number(const char *s, double *v)
{
    const char *p = s;
    if (*p == '+' || *p == '-') {
        p++;
    }
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0) {
        return -1;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!(*p >= '0' && *p <= '9')) {
            return -1;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (*p) {
        return -1;
    }
    *v = strtod(s, NULL);
    return isfinite(*v) ? 0 : -1;
}

/* "YYYY" (month 0) or "YYYY-MM" at s[0..len): 0 or -1. */
static int parse_one(const char *s, size_t len, int *year, int *month)
{
    if (len != 4 && len != 7) {
        return -1;
    }
    for (size_t k = 0; k < len; k++) {
        int want_dash = k == 4;
        if (want_dash ? s[k] != '-' : !(s[k] >= '0' && s[k] <= '9')) {
            return -1;
        }
    }
    *year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *month = len == 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 0;
    if (*year < 1000 || (len == 7 && (*month < 1 || *month > 12))) {
        return -1;
    }
    return 0;
}

int as_period_parse(const char *text, as_period *p, char *msg, size_t n)
{
    const char *slash = strchr(text, '/');
    size_t l0 = slash ? (size_t)(slash - text) : strlen(text);
    if (parse_one(text, l0, &p->y0, &p->mo0) != 0 ||
        (slash && parse_one(slash + 1, strlen(slash + 1), &p->y1, &p->mo1) != 0)) {
        snprintf(msg, n,
                 "period must be YYYY, YYYY-MM or a span YYYY/YYYY or YYYY-MM/YYYY-MM "
                 "(months 01-12)");
        return -1;
    }
    if (!slash) {
        p->y1 = p->y0;
        p->mo1 = p->mo0;
        return 0;
    }
    if ((p->mo0 == 0) != (p->mo1 == 0)) {
        snprintf(msg, n, "a span joins two years or two months, not a year and a month");
        return -1;
    }
    if (p->y1 * 12 + p->mo1 < p->y0 * 12 + p->mo0) {
        snprintf(msg, n, "the span ends before it starts");
        return -1;
    }
    return 0;
}

/* Grid index of (year, month), or -1 outside the grid. */
static int month_index(const as_grid *g, int year, int month)
{
    char first[8];
    as_grid_label(g, 0, first);
    int fy = atoi(first), fm = atoi(first + 5);
    int m = (year - fy) * 12 + (month - fm);
    return m >= 0 && m < g->n_months ? m : -1;
}

int as_period_bind(
        const as_period *p, int kind, const as_grid *g, as_span *out, char *msg, size_t n)
{
    int flow = kind == AS_KIND_FLOW;
    int years = p->mo0 == 0;
    int span = p->y0 != p->y1 || p->mo0 != p->mo1;
    /* First and last month needed, and the step between the months that count. */
    int fy = p->y0, fm = years ? (flow ? 1 : 12) : p->mo0;
    int ly = p->y1, lm = years ? 12 : p->mo1;
    out->m0 = month_index(g, fy, fm);
    out->m1 = month_index(g, ly, lm);
    out->step = years && !flow ? 12 : 1;
    out->agg = span && !flow ? AS_AGG_MEAN : AS_AGG_SUM;
    if (out->m0 < 0 || out->m1 < 0) {
        char a[8], b[8];
        as_grid_label(g, 0, a);
        as_grid_label(g, g->n_months - 1, b);
        snprintf(msg, n,
                 "needs the months %04d-%02d to %04d-%02d, but the simulation covers %s to %s", fy,
                 fm, ly, lm, a, b);
        return -1;
    }
    return 0;
}

double as_span_apply(const as_span *sp, const double *x)
{
    as_ksum s = {0, 0};
    int k = 0;
    for (int m = sp->m0; m <= sp->m1; m += sp->step) {
        as_ksum_add(&s, x[m]);
        k++;
    }
    double v = as_ksum_value(&s);
    return sp->agg == AS_AGG_MEAN && k > 0 ? v / k : v;
}

/* ---- series names ---- */

static int find_indicator(const char *name)
{
    for (int i = 0; i < AS_N_INDICATORS; i++) {
        if (strcmp(as_indicators[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static void suggest_series(const char *typed, char *buf, size_t n)
{
    const char *names[AS_N_INDICATORS + AS_N_COHORT_SHARES];
    size_t k = 0;
    for (int i = 0; i < AS_N_INDICATORS; i++) {
        names[k++] = as_indicators[i].name;
    }
    for (int i = 0; i < AS_N_COHORT_SHARES; i++) {
        names[k++] = as_cohort_shares[i].name;
    }
    as_cal_suggest(typed, names, k, buf, n);
}

/* An error about an unknown name, with a suggestion when one is close. */
static as_status
unknown_series(as_error *err, const char *file, int line, const char *what, const char *name)
{
    char hint[128], shown[128];
    suggest_series(name, hint, sizeof hint);
    as_scn_printable(name, shown, sizeof shown);
    if (hint[0]) {
        return as_error_set(err, AS_ERR_INPUT, file, line, NULL,
                            "unknown %s '%s' (did you mean %s?)", what, shown, hint);
    }
    return as_error_set(err, AS_ERR_INPUT, file, line, NULL,
                        "unknown %s '%s' (series are the indicators of docs/model.md, A/B, or "
                        "share_*@M)",
                        what, shown);
}

static as_status parse_series(as_target *t, const char *file, as_error *err)
{
    char buf[sizeof t->series];
    snprintf(buf, sizeof buf, "%s", t->series);
    t->ind = t->ind2 = t->share = -1;
    t->month = 0;
    char *at = strchr(buf, '@');
    if (at) {
        *at = '\0';
        const char *m = at + 1;
        int months = 0, digits = 0;
        for (; *m >= '0' && *m <= '9' && digits < 4; m++, digits++) {
            months = months * 10 + (*m - '0');
        }
        for (int i = 0; i < AS_N_COHORT_SHARES; i++) {
            if (strcmp(as_cohort_shares[i].name, buf) == 0) {
                t->share = i;
            }
        }
        if (t->share < 0) {
            return unknown_series(err, file, t->line, "cohort share", buf);
        }
        if (digits == 0 || *m || months > AS_COHORT_MONTHS) {
            return as_error_set(err, AS_ERR_INPUT, file, t->line, t->series,
                                "the month since status after @ must be a whole number from 0 "
                                "to %d",
                                AS_COHORT_MONTHS);
        }
        t->month = months;
        return AS_OK;
    }
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        t->ind2 = find_indicator(slash + 1);
        if (t->ind2 < 0) {
            return unknown_series(err, file, t->line, "indicator", slash + 1);
        }
    }
    t->ind = find_indicator(buf);
    if (t->ind < 0) {
        return unknown_series(err, file, t->line, slash ? "indicator" : "series", buf);
    }
    return AS_OK;
}

/* ---- CSV lines ---- */

/* Splits line[0..len) into at most MAX_FIELDS trimmed fields (RFC 4180 quotes). Returns the
 * number of fields, or -1 with msg. */
static int split(const char *line, size_t len, char f[MAX_FIELDS][FIELD_MAX], char *msg, size_t n)
{
    size_t k = 0;
    int nf = 0;
    for (;;) {
        if (nf == MAX_FIELDS) {
            snprintf(msg, n, "too many fields (expected series,period,value,sd)");
            return -1;
        }
        size_t o = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) {
            k++;
        }
        int too_long = 0;
        if (k < len && line[k] == '"') {
            k++;
            for (;;) {
                if (k >= len) {
                    snprintf(msg, n, "field %d: quote not closed on this line", nf + 1);
                    return -1;
                }
                if (line[k] == '"') {
                    if (k + 1 < len && line[k + 1] == '"') {
                        k++;
                    } else {
                        k++;
                        break;
                    }
                }
                if (o + 1 < FIELD_MAX) {
                    f[nf][o++] = line[k];
                } else {
                    too_long = 1;
                }
                k++;
            }
            while (k < len && (line[k] == ' ' || line[k] == '\t')) {
                k++;
            }
            if (k < len && line[k] != ',') {
                snprintf(msg, n, "field %d: text after the closing quote", nf + 1);
                return -1;
            }
        } else {
            while (k < len && line[k] != ',') {
                if (line[k] == '"') {
                    snprintf(msg, n, "field %d: a quote inside an unquoted field", nf + 1);
                    return -1;
                }
                if (o + 1 < FIELD_MAX) {
                    f[nf][o++] = line[k];
                } else {
                    too_long = 1;
                }
                k++;
            }
            while (o > 0 && (f[nf][o - 1] == ' ' || f[nf][o - 1] == '\t')) {
                o--;
            }
        }
        if (too_long) {
            snprintf(msg, n, "field %d is too long (at most %d characters)", nf + 1, FIELD_MAX - 1);
            return -1;
        }
        f[nf][o] = '\0';
        nf++;
        if (k >= len) {
            return nf;
        }
        k++; /* the comma */
    }
}

static as_status add(as_targets *ts, const as_target *t, as_error *err)
{
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? 2 * ts->cap : 32;
        as_target *grown = realloc(ts->t, cap * sizeof *grown);
        if (!grown) {
            return nomem(err);
        }
        ts->t = grown;
        ts->cap = cap;
    }
    ts->t[ts->n++] = *t;
    return AS_OK;
}

/* One data line (fields f[0..nf)). */
static as_status parse_line(as_targets *ts,
                            const char *file,
                            int line,
                            char f[MAX_FIELDS][FIELD_MAX],
                            int nf,
                            as_error *err)
{
    as_target t;
    memset(&t, 0, sizeof t);
    t.line = line;
    char shown[FIELD_MAX + 64];
    if (!f[0][0]) {
        return as_error_set(err, AS_ERR_INPUT, file, line, NULL, "series is empty");
    }
    if (strlen(f[0]) >= sizeof t.series) {
        return as_error_set(err, AS_ERR_INPUT, file, line, NULL, "series name is too long");
    }
    for (const char *p = f[0]; *p; p++) {
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7E) {
            as_scn_printable(f[0], shown, sizeof shown);
            return as_error_set(err, AS_ERR_INPUT, file, line, NULL,
                                "series '%s': only letters, digits, _, / and @ are allowed", shown);
        }
    }
    snprintf(t.series, sizeof t.series, "%s", f[0]);
    as_status st = parse_series(&t, file, err);
    if (st != AS_OK) {
        return st;
    }
    char msg[200];
    if (t.share >= 0) {
        if (f[1][0]) {
            return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                                "a cohort share takes no period (the month since status follows "
                                "@); leave the period empty");
        }
    } else {
        if (!f[1][0]) {
            return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                                "period is empty (YYYY, YYYY-MM or a span YYYY/YYYY)");
        }
        as_scn_printable(f[1], shown, sizeof shown);
        if (strlen(f[1]) >= sizeof t.period || as_period_parse(f[1], &t.per, msg, sizeof msg)) {
            return as_error_set(err, AS_ERR_INPUT, file, line, t.series, "'%s': %s", shown,
                                strlen(f[1]) >= sizeof t.period
                                        ? "period must be YYYY, YYYY-MM or a span YYYY/YYYY or "
                                          "YYYY-MM/YYYY-MM (months 01-12)"
                                        : msg);
        }
        snprintf(t.period, sizeof t.period, "%s", f[1]);
    }
    if (!f[2][0]) {
        return as_error_set(err, AS_ERR_INPUT, file, line, t.series, "value is empty");
    }
    if (parse_number(f[2], &t.value) != 0) {
        as_scn_printable(f[2], shown, sizeof shown);
        return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                            "value '%s' is not a finite number", shown);
    }
    if (nf > 3 && f[3][0]) {
        if (parse_number(f[3], &t.sd) != 0 || !(t.sd > 0)) {
            as_scn_printable(f[3], shown, sizeof shown);
            return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                                "sd '%s' must be a number above 0 (or empty for the default)",
                                shown);
        }
    } else if (!(fabs(t.value) > 0)) {
        return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                            "a value of 0 needs an sd (the default sd is relative to the value)");
    }
    for (size_t k = 0; k < ts->n; k++) {
        if (strcmp(ts->t[k].series, t.series) == 0 && strcmp(ts->t[k].period, t.period) == 0) {
            return as_error_set(err, AS_ERR_INPUT, file, line, t.series,
                                "duplicate target (first on line %d)", ts->t[k].line);
        }
    }
    return add(ts, &t, err);
}

static int header_is(char f[MAX_FIELDS][FIELD_MAX], int nf)
{
    static const char *const want[] = {"series", "period", "value", "sd"};
    if (nf != 3 && nf != 4) {
        return 0;
    }
    for (int k = 0; k < nf; k++) {
        if (strcmp(f[k], want[k]) != 0) {
            return 0;
        }
    }
    return 1;
}

as_status as_targets_parse_mem(
        const char *name, const void *data, size_t size, as_targets **out, as_error *err)
{
    *out = NULL;
    const char *text = data;
    size_t skip = 0;
    as_status st = as_scn_check_text(name, "text", text, size, &skip, err);
    if (st != AS_OK) {
        return st;
    }
    as_targets *ts = calloc(1, sizeof *ts);
    if (!ts || !(ts->file = strdup(name))) {
        as_targets_destroy(ts);
        return nomem(err);
    }
    char(*f)[FIELD_MAX] = malloc(MAX_FIELDS * sizeof *f);
    if (!f) {
        as_targets_destroy(ts);
        return nomem(err);
    }
    int line = 0, header_cols = 0;
    size_t k = skip;
    while (st == AS_OK && k < size) {
        line++;
        const char *nl = memchr(text + k, '\n', size - k);
        size_t end = nl ? (size_t)(nl - text) : size;
        size_t len = end - k;
        if (len > 0 && text[k + len - 1] == '\r') {
            len--;
        }
        const char *l = text + k;
        k = end + 1;
        size_t b = 0;
        while (b < len && (l[b] == ' ' || l[b] == '\t')) {
            b++;
        }
        if (b == len || l[b] == '#') {
            continue;
        }
        char msg[200];
        int nf = split(l, len, f, msg, sizeof msg);
        if (nf < 0) {
            st = as_error_set(err, AS_ERR_INPUT, name, line, NULL, "%s", msg);
        } else if (header_cols == 0) {
            if (!header_is(f, nf)) {
                st = as_error_set(err, AS_ERR_INPUT, name, line, NULL,
                                  "the first line must be the header series,period,value,sd "
                                  "(sd optional)");
            }
            header_cols = nf;
        } else if (nf != header_cols && !(nf == 3 && header_cols == 4)) {
            st = as_error_set(err, AS_ERR_INPUT, name, line, NULL, "%d fields; expected %s", nf,
                              header_cols == 4 ? "series,period,value,sd" : "series,period,value");
        } else {
            st = parse_line(ts, name, line, f, nf, err);
        }
    }
    free(f);
    if (st == AS_OK && ts->n == 0) {
        st = as_error_set(err, AS_ERR_INPUT, name, 0, NULL,
                          header_cols ? "no targets after the header" : "no header and no targets");
    }
    if (st != AS_OK) {
        as_targets_destroy(ts);
        return st;
    }
    *out = ts;
    return AS_OK;
}

as_status as_targets_load(const char *path, as_targets **out, as_error *err)
{
    char *buf = NULL;
    size_t len = 0, skip = 0;
    *out = NULL;
    as_status st = as_cal_read_text(path, path, "targets file", &buf, &len, &skip, err);
    if (st != AS_OK) {
        return st;
    }
    st = as_targets_parse_mem(path, buf, len, out, err);
    free(buf);
    return st;
}

/* ---- binding and values ---- */

as_status as_targets_bind(as_targets *ts, const as_grid *g, as_error *err)
{
    char msg[256];
    for (size_t k = 0; k < ts->n; k++) {
        as_target *t = &ts->t[k];
        if (t->share >= 0) {
            continue;
        }
        if (as_period_bind(&t->per, (int)as_indicators[t->ind].kind, g, &t->span, msg,
                           sizeof msg) != 0 ||
            (t->ind2 >= 0 && as_period_bind(&t->per, (int)as_indicators[t->ind2].kind, g, &t->span2,
                                            msg, sizeof msg) != 0)) {
            return as_error_set(err, AS_ERR_INPUT, ts->file, t->line, t->series, "period %s %s",
                                t->period, msg);
        }
    }
    return AS_OK;
}

double as_target_value(const as_target *t, const as_run_set *s, uint32_t r)
{
    if (t->share >= 0) {
        const as_cohort_share_def *d = &as_cohort_shares[t->share];
        double den = as_run_cohort(s, r, 0, (int)d->den, t->month);
        return den > 0 ? as_run_cohort(s, r, 0, (int)d->num, t->month) / den : NAN;
    }
    size_t nm = (size_t)s->grid.n_months;
    const double *x = s->obs + ((size_t)r * AS_N_INDICATORS + (size_t)t->ind) * nm;
    double v = as_span_apply(&t->span, x);
    if (t->ind2 < 0) {
        return v;
    }
    const double *y = s->obs + ((size_t)r * AS_N_INDICATORS + (size_t)t->ind2) * nm;
    double den = as_span_apply(&t->span2, y);
    return den > 0 ? v / den : NAN;
}
