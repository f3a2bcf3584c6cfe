/* Input text for sim/calib: reading a file whole and checking that it is UTF-8 text, parsing
 * libconfig text without the traps of libconfig 1.5 (the scenario loader's intscan.c explains
 * them; calibration and sensitivity files take no @include, so only integers, comments and
 * misplaced strings are pre-scanned here), "did you mean" suggestions, number formatting, paths
 * and the algorithms' random stream. */
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

static int line_at(const char *data, size_t at)
{
    int line = 1;
    for (size_t k = 0; k < at; k++) {
        line += data[k] == '\n';
    }
    return line;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), 0 if there is none. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    if (p[0] < 0x80) {
        return 1;
    }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        lo = p[0] == 0xE0 ? 0xA0 : 0x80;
        hi = p[0] == 0xED ? 0x9F : 0xBF;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        lo = p[0] == 0xF0 ? 0x90 : 0x80;
        hi = p[0] == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (left < n || p[1] < lo || p[1] > hi) {
        return 0;
    }
    for (size_t k = 2; k < n; k++) {
        if (p[k] < 0x80 || p[k] > 0xBF) {
            return 0;
        }
    }
    return n;
}

as_status
as_cal_check_text(const char *name, const char *data, size_t len, size_t *skip, as_error *err)
{
    *skip = 0;
    if (len == 0) {
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "empty file");
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL,
                            "binary file (NUL byte on line %d), not text",
                            line_at(data, (size_t)(nul - data)));
    }
    const unsigned char *u = (const unsigned char *)data;
    for (size_t k = 0; k < len;) {
        size_t n = utf8_len(u + k, len - k);
        if (n == 0) {
            return as_error_set(err, AS_ERR_INPUT, name, line_at(data, k), NULL,
                                "not UTF-8 text (byte 0x%02X); save the file as UTF-8", u[k]);
        }
        k += n;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *skip = 3;
    }
    size_t k = *skip;
    while (k < len && strchr(" \t\r\n\f\v", data[k])) {
        k++;
    }
    if (k == len) {
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "empty file");
    }
    return AS_OK;
}

static void errno_text(int e, char *buf, size_t n)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        snprintf(buf, n, "no such file");
        return;
    case EACCES:
    case EPERM:
        snprintf(buf, n, "permission denied");
        return;
    default:
        if (strerror_r(e, buf, n) != 0) {
            snprintf(buf, n, "error %d", e);
        }
        return;
    }
}

as_status as_cal_check_file(const char *path,
                            const char *what,
                            const char *from_file,
                            int from_line,
                            const char *setting,
                            as_error *err)
{
    struct stat sb;
    char why[128], shown[512];
    as_cal_printable(path, shown, sizeof shown);
    if (stat(path, &sb) != 0) {
        errno_text(errno, why, sizeof why);
        return as_error_set(err, AS_ERR_INPUT, from_file, from_line, setting,
                            "cannot open %s %s: %s", what, shown, why);
    }
    if (S_ISDIR(sb.st_mode)) {
        return as_error_set(err, AS_ERR_INPUT, from_file, from_line, setting,
                            "%s %s is a folder, not a file", what, shown);
    }
    return AS_OK;
}

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
        errno_text(errno, why, sizeof why);
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
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    as_status st = AS_OK;
    while (data) {
        if (n == cap) {
            if (cap >= AS_CAL_FILE_MAX) {
                st = as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "file too large (over %zu MiB)",
                                  AS_CAL_FILE_MAX >> 20);
                break;
            }
            char *grown = realloc(data, 2 * cap + 1);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
        ssize_t got = read(fd, data + n, cap - n);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            errno_text(errno, why, sizeof why);
            st = as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "cannot read: %s", why);
            break;
        }
        if (got == 0) {
            break;
        }
        n += (size_t)got;
    }
    close(fd);
    if (!data) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    if (st == AS_OK) {
        data[n] = '\0';
        st = as_cal_check_text(name, data, n, skip, err);
    }
    if (st != AS_OK) {
        free(data);
        return st;
    }
    *buf = data;
    *len = n;
    return AS_OK;
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

static int is_xdigit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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

/* Checks integer literal tok[0..len) (sign, digits or 0x digits, L suffix): 0 if libconfig 1.5
 * reads it exactly, else -1 with msg. */
static int check_integer(const char *tok, size_t len, char *msg, size_t n)
{
    const char *p = tok;
    int neg = 0, hex = 0, has_l = tok[len - 1] == 'L';
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        hex = 1;
        p += 2;
    }
    unsigned long long mag = 0;
    int over = 0;
    unsigned base = hex ? 16u : 10u;
    for (; p < tok + len && *p != 'L'; p++) {
        unsigned dgt = is_digit(*p) ? (unsigned)(*p - '0') : (unsigned)((*p | 0x20) - 'a' + 10);
        if (mag > (~0ULL - dgt) / base) {
            over = 1;
        } else {
            mag = mag * base + dgt;
        }
    }
    unsigned long long lim64 = neg ? 1ULL << 63 : (1ULL << 63) - 1;
    unsigned long long lim32 = neg ? 1ULL << 31 : (1ULL << 31) - 1;
    int shown = len > 40 ? 40 : (int)len;
    if (over || mag > lim64) {
        snprintf(msg, n, "integer %.*s%s does not fit in 64 bits", shown, tok,
                 len > 40 ? "..." : "");
        return -1;
    }
    if (!has_l && mag > lim32) {
        snprintf(msg, n, "integer %.*s does not fit in 32 bits (write %.*sL for a 64-bit integer)",
                 shown, tok, shown, tok);
        return -1;
    }
    return 0;
}

/* Scans a number at *pp (libconfig's integer, hex and float rules); 0 if there is none. An
 * integer libconfig would misread sets *bad (first one only). */
static int scan_number(const char **pp, char *bad, size_t n)
{
    const char *start = *pp, *q = start;
    int sign = *q == '-' || *q == '+';
    q += sign;
    if (!sign && q[0] == '0' && (q[1] == 'x' || q[1] == 'X') && is_xdigit(q[2])) {
        q += 2;
        while (is_xdigit(*q)) {
            q++;
        }
    } else {
        const char *digits = q;
        while (is_digit(*q)) {
            q++;
        }
        int nd = (int)(q - digits);
        if (*q == '.' || (nd > 0 && (*q == 'e' || *q == 'E') &&
                          (is_digit(q[1]) || ((q[1] == '+' || q[1] == '-') && is_digit(q[2]))))) {
            if (*q == '.') {
                q++;
                while (is_digit(*q)) {
                    q++;
                }
            }
            if ((*q == 'e' || *q == 'E') &&
                (is_digit(q[1]) || ((q[1] == '+' || q[1] == '-') && is_digit(q[2])))) {
                q += 2;
                while (is_digit(*q)) {
                    q++;
                }
            }
            *pp = q;
            return 1;
        }
        if (nd == 0) {
            return 0;
        }
    }
    if (*q == 'L') {
        q += 1 + (q[1] == 'L');
    }
    size_t len = (size_t)(q - start);
    len -= len > 1 && q[-1] == 'L' && q[-2] == 'L';
    if (!bad[0]) {
        check_integer(start, len, bad, n);
    }
    *pp = q;
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
        if (c == '\n') {
            line++;
            bol = 1;
            p++;
        } else if (c == '#' || (c == '/' && p[1] == '/')) {
            while (*p && *p != '\n') {
                p++;
            }
        } else if (c == '/' && p[1] == '*') {
            int at_line = line;
            p += 2;
            while (*p && !(p[0] == '*' && p[1] == '/')) {
                line += *p == '\n';
                p++;
            }
            if (!*p) {
                return as_error_set(err, AS_ERR_INPUT, name, at_line, NULL,
                                    "/* comment has no closing */; the rest of the file would "
                                    "be ignored");
            }
            p += 2;
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

void as_cal_printable(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        if (k + (len > 4 ? len : 4) >= n) {
            break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            k += (size_t)snprintf(buf + k, n - k, "\\x%02X", *p++);
            continue;
        }
        for (size_t j = 0; j < len && *p; j++) {
            buf[k++] = (char)*p++;
        }
    }
    buf[k] = '\0';
}

#define NAME_MAX_LEN 128

/* Optimal string alignment distance for names shorter than NAME_MAX_LEN. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= NAME_MAX_LEN || lb >= NAME_MAX_LEN) {
        return NAME_MAX_LEN;
    }
    int d[3][NAME_MAX_LEN + 1];
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

void as_cal_suggest(const char *typed, const char *const *names, size_t n, char *buf, size_t bn)
{
    int best = NAME_MAX_LEN + 1;
    buf[0] = '\0';
    size_t tl = strlen(typed);
    for (size_t i = 0; i < n; i++) {
        int d = distance(typed, names[i]);
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
        as_cal_printable(config_setting_get_string(cs), shown, sizeof shown);
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

/* ---- paths and numbers ---- */

char *as_cal_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

char *as_cal_join(const char *dir, const char *rel)
{
    size_t dl = strlen(dir), rl = strlen(rel);
    int plain = dl == 0 || rel[0] == '/';
    int slash = !plain && dir[dl - 1] != '/';
    char *p = malloc((plain ? 0 : dl) + (size_t)slash + rl + 1);
    if (!p) {
        return NULL;
    }
    size_t k = 0;
    if (!plain) {
        memcpy(p, dir, dl);
        k = dl;
    }
    if (slash) {
        p[k++] = '/';
    }
    memcpy(p + k, rel, rl + 1);
    return p;
}

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
