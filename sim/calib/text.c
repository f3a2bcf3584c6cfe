/* Input text for sim/calib: reading a file whole and checking that it is UTF-8 text (with the
 * scenario loader's include/asylsim/scenario_text.h), parsing libconfig text without the traps of
 * libconfig 1.5 (the scenario loader's intscan.c explains them; calibration and sensitivity files
 * take no @include, so only integers, comments and misplaced strings are pre-scanned here), "did
 * you mean" suggestions, number formatting and the algorithms' random stream. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asylsim/rng.h"

/* ---- files ---- */

as_status as_cal_read_text(const char *name,
                           const char *path,
                           const char *what,
                           char **buf,
                           size_t *len,
                           size_t *skip,
                           as_error *err)
{
    char why[128];
    *buf = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        as_scn_errno_text(errno, why, sizeof why);
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "cannot open %s: %s", what, why);
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        close(fd);
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "is a folder, not a %s", what);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "is not a regular file");
    }
    return as_scn_read_fd(fd, name, "text", buf, len, skip, err);
}

/* ---- libconfig pre-scan ---- */

#define MAX_FRAMES 64

typedef struct scan {
    int depth;
    char kind[MAX_FRAMES]; /* '{', '[' or '(' */
    char prev;             /* last token: '=', '(', '[', ',', '"', 'x' */
} scan;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*';
}

static int is_name_char(char c)
{
    return is_name_start(c) || is_digit(c) || c == '_' || c == '-';
}

/* 1 if libconfig's grammar takes a string after the previous token. */
static int string_allowed(const scan *sc)
{
    int in_seq = sc->depth > 0 && sc->depth <= MAX_FRAMES && sc->kind[sc->depth - 1] != '{';
    return sc->prev == '=' || sc->prev == '(' || sc->prev == '[' || sc->prev == '"' ||
           (sc->prev == ',' && in_seq);
}

/* Scans a number at *pp (as_scn_scan_number); 0 if there is none. An integer libconfig would
 * misread sets *bad (first one only). */
static int scan_number(const char **pp, char *bad, size_t n)
{
    const char *start = *pp;
    size_t int_len;
    if (!as_scn_scan_number(pp, &int_len)) {
        return 0;
    }
    if (int_len > 0 && !bad[0]) {
        as_scn_check_integer(start, int_len, bad, n);
    }
    return 1;
}

/* Pre-scans text: AS_OK, with *misplaced the offset of the first string libconfig cannot take
 * (SIZE_MAX if none) and int_msg/int_line the first misread integer ("" if none). */
static as_status prescan(const char *name,
                         const char *text,
                         size_t *misplaced,
                         char *int_msg,
                         size_t int_n,
                         int *int_line,
                         as_error *err)
{
    scan sc = {.prev = 'x'};
    const char *p = text;
    int line = 1, bol = 1;
    *misplaced = SIZE_MAX;
    int_msg[0] = '\0';
    while (*p) {
        char c = *p;
        if (bol) {
            bol = 0;
            const char *q = p;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            if (strncmp(q, "@include", 8) == 0) {
                return as_error_set(err, AS_ERR_INPUT, name, line, NULL,
                                    "@include is not allowed in this file");
            }
        }
        int skipped = as_scn_skip_comment(&p, &line);
        if (skipped < 0) {
            return as_error_set(err, AS_ERR_INPUT, name, line, NULL,
                                "/* comment has no closing */; the rest of the file would be "
                                "ignored");
        } else if (skipped) {
            bol = c == '\n';
        } else if (c == '"') {
            if (!string_allowed(&sc)) {
                *misplaced = (size_t)(p - text);
                return AS_OK;
            }
            sc.prev = '"';
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
                    p++;
                }
                line += *p == '\n';
            }
            p += *p ? 1 : 0;
        } else if (is_name_start(c)) {
            while (is_name_char(*p)) {
                p++;
            }
            sc.prev = 'x';
        } else if (c == '{' || c == '[' || c == '(') {
            if (sc.depth < MAX_FRAMES) {
                sc.kind[sc.depth] = c;
            }
            sc.depth++;
            sc.prev = c;
            p++;
        } else if (c == '}' || c == ']' || c == ')') {
            sc.depth -= sc.depth > 0;
            sc.prev = 'x';
            p++;
        } else if (c == ';') {
            sc.prev = 'x';
            p++;
        } else if (c == '=' || c == ':' || c == ',') {
            sc.prev = c == ',' ? ',' : '=';
            p++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
            p++;
        } else {
            sc.prev = 'x';
            int had = int_msg[0] != '\0';
            if (!((is_digit(c) || c == '-' || c == '+' || c == '.') &&
                  scan_number(&p, int_msg, int_n))) {
                p++;
            }
            if (!had && int_msg[0]) {
                *int_line = line;
            }
        }
    }
    return AS_OK;
}

as_status as_cal_config_parse(const char *name, const char *text, config_t *c, as_error *err)
{
    size_t misplaced;
    char int_msg[200];
    int int_line = 0;
    as_status st = prescan(name, text, &misplaced, int_msg, sizeof int_msg, &int_line, err);
    if (st != AS_OK) {
        return st;
    }
    char *copy = NULL;
    if (misplaced != SIZE_MAX) {
        /* libconfig 1.5 leaks a string token that is a syntax error; a '~' (its garbage) in its
         * place gives the same first error without the leak. */
        copy = strdup(text);
        if (!copy) {
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        copy[misplaced] = '~';
        text = copy;
    }
    config_init(c);
    config_set_options(c, 0);
    if (!config_read_string(c, text)) {
        const char *what = config_error_text(c);
        st = as_error_set(err, AS_ERR_INPUT, name, config_error_line(c), NULL, "%s",
                          what ? what : "syntax error");
        config_destroy(c);
        free(copy);
        return st;
    }
    free(copy);
    if (int_msg[0]) {
        config_destroy(c);
        return as_error_set(err, AS_ERR_INPUT, name, int_line, NULL, "%s", int_msg);
    }
    return AS_OK;
}

/* ---- messages ---- */

void as_cal_suggest(const char *typed, const char *const *names, size_t n, char *buf, size_t bn)
{
    int best = AS_SCN_DISTANCE_MAX + 1;
    buf[0] = '\0';
    size_t tl = strlen(typed);
    for (size_t i = 0; i < n; i++) {
        int d = as_scn_name_distance(typed, names[i]);
        /* Close enough: at most one edit per four characters typed. */
        if (d * 4 <= (int)tl + 3 && d < best) {
            best = d;
            snprintf(buf, bn, "%s", names[i]);
        }
    }
}

void as_cal_suggest_setting(const char *typed, char *buf, size_t bn)
{
    const char *names[AS_N_SETTINGS];
    for (int i = 0; i < AS_N_SETTINGS; i++) {
        names[i] = as_schema[i].name;
    }
    as_cal_suggest(typed, names, AS_N_SETTINGS, buf, bn);
}

void as_cal_describe(const config_setting_t *cs, char *buf, size_t n)
{
    switch (config_setting_type(cs)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "the integer %lld", (long long)config_setting_get_int64(cs));
        return;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, n, "the number %g", config_setting_get_float(cs));
        return;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "%s", config_setting_get_bool(cs) ? "true" : "false");
        return;
    case CONFIG_TYPE_STRING: {
        char shown[80];
        as_scn_printable(config_setting_get_string(cs), shown, sizeof shown);
        snprintf(buf, n, "the string \"%s\"", shown);
        return;
    }
    case CONFIG_TYPE_GROUP:
        snprintf(buf, n, "a group");
        return;
    case CONFIG_TYPE_ARRAY:
        snprintf(buf, n, "an array");
        return;
    case CONFIG_TYPE_LIST:
        snprintf(buf, n, "a list");
        return;
    default:
        snprintf(buf, n, "a value");
        return;
    }
}

void as_cal_error_prefix(as_error *e, const char *prefix)
{
    size_t cap = sizeof e->msg, pl = strlen(prefix), ml = strlen(e->msg);
    if (pl >= cap) {
        pl = cap - 1;
    }
    if (pl + ml >= cap) {
        ml = cap - 1 - pl;
    }
    memmove(e->msg + pl, e->msg, ml);
    e->msg[pl + ml] = '\0';
    memcpy(e->msg, prefix, pl);
}

/* ---- numbers ---- */

/* 1 if a and b are the same number: the exact test a round trip needs. */
static int same_number(double a, double b)
{
    return !(a < b) && !(a > b);
}

void as_cal_fmt_float(double x, char *buf, size_t n)
{
    /* The shortest %g form that reads back exactly, with ".0" when it looks like an integer. */
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (same_number(strtod(buf, NULL), x) || prec == 17) {
            break;
        }
    }
    if (!strpbrk(buf, ".eEn")) {
        size_t len = strlen(buf);
        if (len + 2 < n) {
            memcpy(buf + len, ".0", 3);
        }
    }
}

gsl_rng *as_cal_rng(uint64_t seed, uint32_t sub)
{
    gsl_rng *r = as_rng_create();
    if (r) {
        as_rng_seek(r, seed, 0, 0, AS_CAL_RNG_PROCESS, sub);
    }
    return r;
}

static uint64_t splitmix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

uint64_t as_cal_mix_seed(uint64_t seed, uint64_t stage, uint64_t k)
{
    return splitmix(splitmix(splitmix(seed) ^ stage) ^ k);
}
