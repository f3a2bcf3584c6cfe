/* The integer-literal pre-scan. libconfig 1.5 wraps integer literals beyond 32 bits without a
 * word (`reps = 4294967297;` reads as 1) and saturates 64-bit ones, so before trusting its parse
 * we tokenise the source ourselves, the way its scanner (lib/scanner.l of libconfig 1.5) does:
 * strings, comments (#, //, / * * /), names, numbers, and `@include` lines, whose files we scan in
 * turn with the same group context. An integer that libconfig would not read exactly is an error
 * naming the dotted setting it belongs to. Along the way each included file is checked to be a
 * readable UTF-8 text file, so libconfig never opens anything else. Parsing is layer.c's job. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Aggregates nested deeper than this still count, but their names are not kept. */
#define MAX_FRAMES 32

typedef struct scan {
    const char *incdir;
    int depth;                               /* open groups, arrays and lists */
    char kind[MAX_FRAMES];                   /* '{', '[' or '(' */
    char names[MAX_FRAMES][AS_SCN_NAME_MAX]; /* the setting each one is the value of */
    char pending[AS_SCN_NAME_MAX];           /* the last name seen, awaiting its value */
    char prev;         /* the last token: '=' (or ':'), '(', '[', ',', '"' (a string), 'x' */
    as_error *int_err; /* the first refused integer */
    const char *top;   /* the text of the top file */
    size_t misplaced;  /* offset in top of the first string libconfig cannot take; SIZE_MAX */
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

/* 1 if p[0..len) is word in any mix of cases (libconfig's [Tt][Rr][Uu][Ee]). */
static int same_nocase(const char *p, size_t len, const char *word)
{
    if (strlen(word) != len) {
        return 0;
    }
    for (size_t k = 0; k < len; k++) {
        if ((p[k] | 0x20) != word[k]) {
            return 0;
        }
    }
    return 1;
}

/* Appends part to buf (size n, filled up to *k), with a '.' before it unless buf is empty. */
static void append_part(char *buf, size_t n, size_t *k, const char *part)
{
    if (*k && *k + 1 < n) {
        buf[(*k)++] = '.';
    }
    for (; *part && *k + 1 < n; part++) {
        buf[(*k)++] = *part;
    }
    buf[*k] = '\0';
}

/* The dotted name of the setting the current token belongs to. */
static void setting_name(const scan *sc, char *buf, size_t n)
{
    size_t k = 0;
    int frames = sc->depth < MAX_FRAMES ? sc->depth : MAX_FRAMES;
    buf[0] = '\0';
    for (int f = 0; f < frames; f++) {
        if (sc->names[f][0]) {
            append_part(buf, n, &k, sc->names[f]);
        }
    }
    int in_group = sc->depth == 0 || (sc->depth <= MAX_FRAMES && sc->kind[sc->depth - 1] == '{');
    if (in_group && sc->pending[0]) {
        append_part(buf, n, &k, sc->pending);
    }
}

int as_scn_check_integer(const char *tok, size_t len, char *msg, size_t n)
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
    /* The magnitude, saturated: anything past 2^64 only needs to be "too big". */
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
    /* libconfig 1.5 keeps hex literals as unsigned bits: 0xFFFFFFFF reads as -1. */
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

/* Stores in sc->int_err the first integer literal libconfig would misread, naming its setting. */
static void check_integer(scan *sc, const char *file, int line, const char *tok, size_t len)
{
    char msg[256];
    if (sc->int_err->code != AS_OK || as_scn_check_integer(tok, len, msg, sizeof msg) == 0) {
        return;
    }
    char name[AS_SCN_NAME_MAX];
    setting_name(sc, name, sizeof name);
    as_error_set(sc->int_err, AS_ERR_INPUT, file, line, name, "%s", msg);
}

int as_scn_skip_comment(const char **pp, int *line)
{
    const char *p = *pp;
    if (*p == '\n') {
        ++*line;
        p++;
    } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
        while (*p && *p != '\n') {
            p++;
        }
    } else if (*p == '/' && p[1] == '*') {
        int n = 0;
        for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++) {
            n += *p == '\n';
        }
        if (!*p) {
            return -1; /* *line stays where the comment starts */
        }
        *line += n;
        p += 2;
    } else {
        return 0;
    }
    *pp = p;
    return 1;
}

int as_scn_scan_number(const char **pp, size_t *int_len)
{
    const char *start = *pp, *q = start;
    int sign = *q == '-' || *q == '+';
    q += sign;
    *int_len = 0;
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
            /* A float: digits, '.', digits, exponent. Floats are checked after parsing. */
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
    /* "LL" is accepted by libconfig; check the literal without the second L. */
    *int_len = len - (len > 1 && q[-1] == 'L' && q[-2] == 'L');
    *pp = q;
    return 1;
}

/* Scans a number at *pp (as_scn_scan_number) and checks it if it is an integer; 0 if there is
 * none. */
static int scan_number(scan *sc, const char *file, int line, const char **pp)
{
    const char *start = *pp;
    size_t int_len;
    if (!as_scn_scan_number(pp, &int_len)) {
        return 0;
    }
    if (int_len > 0) {
        check_integer(sc, file, line, start, int_len);
    }
    return 1;
}

static as_status
scan_text(scan *sc, const char *file, const char *text, int inc_depth, as_error *err);

/* Handles `@include "name"` whose name starts at *pp (after the opening quote). */
static as_status
do_include(scan *sc, const char *file, int *line, const char **pp, int inc_depth, as_error *err)
{
    char name[1024];
    size_t k = 0;
    int at_line = *line;
    const char *p = *pp;
    /* libconfig's INCLUDE state: \\ and \" are escapes. It has no rule for any other backslash:
     * its scanner would echo it to standard output and drop it (found by fuzzing). */
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            if (*p == '\\' || *p == '"') {
                c = *p++;
            } else {
                return as_error_set(err, AS_ERR_INPUT, file, *line, NULL,
                                    "@include file name: write a backslash as \\\\");
            }
        }
        if (c == '\n') {
            (*line)++;
        }
        if (k + 1 >= sizeof name) {
            return as_error_set(err, AS_ERR_INPUT, file, at_line, NULL,
                                "include file name too long");
        }
        name[k++] = c;
    }
    name[k] = '\0';
    if (!*p) {
        /* libconfig would read the rest of the file as the name and then stop, silently: the
         * settings after it would be lost (found by fuzzing). */
        return as_error_set(err, AS_ERR_INPUT, file, at_line, NULL,
                            "@include file name has no closing quote; the rest of the file "
                            "would be ignored");
    }
    *pp = p + 1;
    if (inc_depth >= AS_SCN_INCLUDE_DEPTH) {
        return as_error_set(err, AS_ERR_INPUT, file, at_line, NULL,
                            "includes nested deeper than %d levels (does a file include itself?)",
                            AS_SCN_INCLUDE_DEPTH);
    }
    char *path = as_scn_include_path(sc->incdir, name);
    if (!path) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    as_status st = as_scn_stat_file(path, "include file", file, at_line, NULL, NULL, NULL, err);
    char *buf = NULL;
    size_t len = 0, skip = 0;
    if (st == AS_OK) {
        st = as_scn_read_text(path, path, &buf, &len, &skip, NULL, NULL, err);
    }
    if (st == AS_OK && skip) {
        /* libconfig reads included files itself and would stumble on the mark. */
        st = as_error_set(
                err, AS_ERR_INPUT, path, 1, NULL,
                "an included file must not start with a byte order mark (BOM); save it as "
                "UTF-8 without BOM");
    }
    if (st == AS_OK) {
        st = scan_text(sc, path, buf, inc_depth + 1, err);
    }
    free(buf);
    free(path);
    return st;
}

/* 1 if libconfig's grammar takes a string after the previous token: as a value, an element of a
 * list or array, or the continuation of a string. */
static int string_allowed(const scan *sc)
{
    int in_seq = sc->depth > 0 && sc->depth <= MAX_FRAMES && sc->kind[sc->depth - 1] != '{';
    return sc->prev == '=' || sc->prev == '(' || sc->prev == '[' || sc->prev == '"' ||
           (sc->prev == ',' && in_seq);
}

static as_status
scan_text(scan *sc, const char *file, const char *text, int inc_depth, as_error *err)
{
    const char *p = text;
    int line = 1, bol = 1;
    while (*p && sc->misplaced == SIZE_MAX) {
        char c = *p;
        if (bol) {
            /* libconfig's include_open rule: ^[ \t]*@include[ \t]+" */
            bol = 0;
            const char *q = p;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            if (strncmp(q, "@include", 8) == 0 && (q[8] == ' ' || q[8] == '\t')) {
                q += 8;
                while (*q == ' ' || *q == '\t') {
                    q++;
                }
                if (*q == '"') {
                    p = q + 1;
                    as_status st = do_include(sc, file, &line, &p, inc_depth, err);
                    if (st != AS_OK || sc->misplaced != SIZE_MAX) {
                        return st;
                    }
                    continue;
                }
            }
        }
        int skipped = as_scn_skip_comment(&p, &line);
        if (skipped < 0) {
            /* libconfig would stop at the end of the text without a word: every setting after
             * the comment would be lost. */
            return as_error_set(err, AS_ERR_INPUT, file, line, NULL,
                                "/* comment has no closing */; the rest of the file would be "
                                "ignored");
        } else if (skipped) {
            bol = c == '\n';
        } else if (c == '"') {
            if (!string_allowed(sc)) {
                /* libconfig 1.5 leaks a string token that is a syntax error (no %destructor in
                 * lib/grammar.y). In the top file the caller swaps it for a character that is
                 * a syntax error too; in an included file we report it ourselves. */
                if (inc_depth > 0) {
                    return as_error_set(err, AS_ERR_INPUT, file, line, NULL, "syntax error");
                }
                sc->misplaced = (size_t)(p - sc->top);
                return AS_OK;
            }
            sc->prev = '"';
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
                    p++;
                }
                line += *p == '\n';
            }
            p += *p ? 1 : 0;
        } else if (is_name_start(c)) {
            const char *q = p;
            while (is_name_char(*q)) {
                q++;
            }
            size_t len = (size_t)(q - p);
            sc->prev = 'x';
            if (!same_nocase(p, len, "true") && !same_nocase(p, len, "false")) {
                snprintf(sc->pending, sizeof sc->pending, "%.*s", (int)len, p);
            }
            p = q;
        } else if (c == '{' || c == '[' || c == '(') {
            if (sc->depth < MAX_FRAMES) {
                int in_group = sc->depth == 0 || sc->kind[sc->depth - 1] == '{';
                sc->kind[sc->depth] = c;
                snprintf(sc->names[sc->depth], AS_SCN_NAME_MAX, "%s", in_group ? sc->pending : "");
            }
            sc->depth++;
            sc->pending[0] = '\0';
            sc->prev = c;
            p++;
        } else if (c == '}' || c == ']' || c == ')') {
            sc->depth -= sc->depth > 0;
            sc->pending[0] = '\0';
            sc->prev = 'x';
            p++;
        } else if (c == ';') {
            sc->pending[0] = '\0';
            sc->prev = 'x';
            p++;
        } else if (c == '=' || c == ':' || c == ',') {
            sc->prev = c == ',' ? ',' : '=';
            p++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
            p++;
        } else {
            /* A number, or a character libconfig calls garbage. */
            sc->prev = 'x';
            if (!((is_digit(c) || c == '-' || c == '+' || c == '.') &&
                  scan_number(sc, file, line, &p))) {
                p++;
            }
        }
    }
    return AS_OK;
}

as_status as_scn_intscan(const char *file,
                         const char *text,
                         const char *incdir,
                         as_error *err,
                         as_error *int_err,
                         size_t *misplaced)
{
    scan *sc = calloc(1, sizeof *sc);
    if (!sc) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    as_error_clear(int_err);
    sc->incdir = incdir;
    sc->int_err = int_err;
    sc->prev = 'x';
    sc->top = text;
    sc->misplaced = SIZE_MAX;
    as_status st = scan_text(sc, file, text, 0, err);
    *misplaced = sc->misplaced;
    free(sc);
    return st;
}
