/* Loading a scenario: reads each file whole (refusing folders, empty, binary and non-UTF-8 files,
 * dropping a UTF-8 BOM), follows the base chain (each base found relative to the file that names
 * it, cycles refused), applies the layers root first — a start layer to both phases, a reform
 * layer to the after-reform phase, run.* always to both — merges dated settings at the reform
 * start and runs the cross-setting checks. Parsing one file is layer.c's job, checking a value
 * validate.c's. */
#include "asylsim/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "internal.h"

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

/* ---- paths ---- */

char *as_scn_join(const char *dir, const char *rel)
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

char *as_scn_include_path(const char *incdir, const char *name)
{
    /* Exactly what libconfig 1.5 opens (scanctx_push_include): include_dir "/" name. */
    size_t dl = strlen(incdir), nl = strlen(name);
    char *p = malloc(dl + 1 + nl + 1);
    if (!p) {
        return NULL;
    }
    if (dl) {
        memcpy(p, incdir, dl);
        p[dl] = '/';
        memcpy(p + dl + 1, name, nl + 1);
    } else {
        memcpy(p, name, nl + 1);
    }
    return p;
}

void as_scn_file_of(
        const config_setting_t *cs, const char *file, const char *incdir, char *buf, size_t n)
{
    const char *sf = config_setting_source_file(cs);
    if (!sf) {
        snprintf(buf, n, "%s", file);
    } else if (incdir[0]) {
        snprintf(buf, n, "%s/%s", incdir, sf);
    } else {
        snprintf(buf, n, "%s", sf);
    }
}

char *as_scn_dir_of(const char *path)
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

/* The file name of path without folder and without a ".cfg" extension. New string. */
static char *stem_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0) {
        len -= 4;
    }
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, base, len);
        s[len] = '\0';
    }
    return s;
}

/* ---- reading files ---- */

void as_scn_errno_text(int e, char *buf, size_t n)
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
    case EISDIR:
        snprintf(buf, n, "is a folder, not a file");
        return;
    default:
        if (strerror_r(e, buf, n) != 0) {
            snprintf(buf, n, "error %d", e);
        }
        return;
    }
}

void as_scn_printable(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* Whole UTF-8 sequences only, so a cut never leaves half a character. */
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

as_status as_scn_stat_named(const char *path,
                            const char *what,
                            const char *from_file,
                            int from_line,
                            const char *setting,
                            struct stat *sb,
                            as_error *err)
{
    struct stat own;
    char why[128], shown[512];
    sb = sb ? sb : &own;
    as_scn_printable(path, shown, sizeof shown);
    if (stat(path, sb) != 0) {
        as_scn_errno_text(errno, why, sizeof why);
        return as_error_set(err, AS_ERR_INPUT, from_file, from_line, setting,
                            "cannot open %s %s: %s", what, shown, why);
    }
    if (S_ISDIR(sb->st_mode)) {
        return as_error_set(err, AS_ERR_INPUT, from_file, from_line, setting,
                            "%s %s is a folder, not a file", what, shown);
    }
    return AS_OK;
}

as_status as_scn_stat_file(const char *path,
                           const char *what,
                           const char *from_file,
                           int from_line,
                           const char *setting,
                           unsigned long long *dev,
                           unsigned long long *ino,
                           as_error *err)
{
    struct stat sb;
    as_status st = as_scn_stat_named(path, what, from_file, from_line, setting, &sb, err);
    if (st != AS_OK) {
        return st;
    }
    if (!S_ISREG(sb.st_mode)) {
        char shown[512];
        as_scn_printable(path, shown, sizeof shown);
        return as_error_set(err, AS_ERR_INPUT, from_file, from_line, setting,
                            "%s %s is not a regular file", what, shown);
    }
    if (dev) {
        *dev = (unsigned long long)sb.st_dev;
        *ino = (unsigned long long)sb.st_ino;
    }
    return AS_OK;
}

/* 1-based line of byte offset `at` in data. */
static int line_at(const char *data, size_t at)
{
    int line = 1;
    for (size_t k = 0; k < at; k++) {
        line += data[k] == '\n';
    }
    return line;
}

/* Length of the valid UTF-8 sequence at p (at most `left` bytes), 0 if it is not one. Refuses
 * overlong forms, surrogates and code points past U+10FFFF (RFC 3629). */
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

as_status as_scn_check_text(const char *name,
                            const char *not_what,
                            const char *data,
                            size_t len,
                            size_t *skip,
                            as_error *err)
{
    *skip = 0;
    if (len == 0) {
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "empty file");
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL,
                            "binary file (NUL byte on line %d), not %s",
                            line_at(data, (size_t)(nul - data)), not_what);
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

as_status as_scn_read_text(const char *name,
                           const char *path,
                           char **buf,
                           size_t *len,
                           size_t *skip,
                           unsigned long long *dev,
                           unsigned long long *ino,
                           as_error *err)
{
    char why[128];
    *buf = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        as_scn_errno_text(e, why, sizeof why);
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL,
                            e == ENOENT ? "%s" : "cannot open: %s", why);
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        close(fd);
        return as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "is a folder, not a scenario file");
    }
    if (dev) {
        *dev = (unsigned long long)sb.st_dev;
        *ino = (unsigned long long)sb.st_ino;
    }
    return as_scn_read_fd(fd, name, "a scenario", buf, len, skip, err);
}

as_status as_scn_read_fd(int fd,
                         const char *name,
                         const char *not_what,
                         char **buf,
                         size_t *len,
                         size_t *skip,
                         as_error *err)
{
    char why[128];
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    as_status st = AS_OK;
    while (data) {
        if (n == cap) {
            if (cap >= AS_SCN_FILE_MAX) {
                st = as_error_set(err, AS_ERR_INPUT, name, 0, NULL, "file too large (over %zu MiB)",
                                  AS_SCN_FILE_MAX >> 20);
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
            as_scn_errno_text(errno, why, sizeof why);
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
        return nomem(err);
    }
    if (st == AS_OK) {
        data[n] = '\0';
        st = as_scn_check_text(name, not_what, data, n, skip, err);
    }
    if (st != AS_OK) {
        free(data);
        return st;
    }
    *buf = data;
    *len = n;
    return AS_OK;
}

/* ---- building the scenario ---- */

/* Parses every schema default (as "s<id> = DEFAULT;") into both phases. */
static as_status load_defaults(as_scenario *s, as_error *err)
{
    size_t cap = 64;
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        cap += strlen(as_schema[id].default_text) + 32;
    }
    char *text = malloc(cap);
    if (!text) {
        return nomem(err);
    }
    size_t k = 0;
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        k += (size_t)snprintf(text + k, cap - k, "s%d = %s;\n", id, as_schema[id].default_text);
    }
    config_t c;
    config_init(&c);
    as_status st = AS_OK;
    if (!config_read_string(&c, text)) {
        st = as_error_set(err, AS_ERR_RUNTIME, "(schema defaults)", config_error_line(&c), NULL,
                          "%s", config_error_text(&c));
    }
    for (int id = 0; id < AS_N_SETTINGS && st == AS_OK; id++) {
        char key[32];
        snprintf(key, sizeof key, "s%d", id);
        const config_setting_t *cs = config_lookup(&c, key);
        st = as_scn_parse_value((as_setting_id)id, cs, "(schema defaults)", "", &s->val[0][id],
                                err);
        if (st == AS_OK) {
            st = as_sval_copy(&s->val[1][id], &s->val[0][id]) == AS_OK ? AS_OK : nomem(err);
        }
        s->src[0][id] = s->src[1][id] = (as_ssrc){.file = -1, .line = 0, .order = -1};
    }
    config_destroy(&c);
    free(text);
    return st;
}

/* Applies layer L (position pos from the root) to s. */
static as_status apply_layer(as_scenario *s, as_layer *L, int pos, int from_start, as_error *err)
{
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        if (!L->set[id]) {
            continue;
        }
        int both = from_start || (as_schema[id].flags & AS_F_RUN);
        as_ssrc src = L->src[id];
        src.order += (int64_t)pos << 32;
        for (int p = both ? 0 : 1; p < 2; p++) {
            as_sval_free(&s->val[p][id]);
            if (as_sval_copy(&s->val[p][id], &L->v[id]) != AS_OK) {
                return nomem(err);
            }
            s->src[p][id] = src;
        }
    }
    if (L->has_sweep) {
        free(s->sweep);
        s->has_sweep = 1;
        s->sweep_id = L->sweep_id;
        s->sweep = L->sweep;
        s->sweep_n = L->sweep_n;
        s->sweep_file = L->sweep_file;
        s->sweep_line = L->sweep_line;
        L->sweep = NULL;
    }
    return AS_OK;
}

/* Merges every dated setting a reform changed into one function, stored in both phases. */
static as_status merge_dated(as_scenario *s, as_error *err)
{
    int32_t reform = s->val[0][AS_S_RUN_REFORM_START].date;
    int32_t start = s->val[0][AS_S_RUN_START].date;
    int32_t first = start < reform ? start : reform - 1;
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        if (as_schema[id].type != AS_T_DATED ||
            as_sval_equal(AS_T_DATED, &s->val[0][id], &s->val[1][id])) {
            continue;
        }
        as_sval merged;
        if (as_sval_merge_dated(&s->val[0][id], &s->val[1][id], reform, first, &merged) != AS_OK) {
            return nomem(err);
        }
        s->dated_reform[id] = !as_sval_equal(AS_T_DATED, &merged, &s->val[0][id]);
        as_sval_free(&s->val[0][id]);
        as_sval_free(&s->val[1][id]);
        s->val[1][id] = merged;
        if (as_sval_copy(&s->val[0][id], &merged) != AS_OK) {
            return nomem(err);
        }
    }
    return AS_OK;
}

/* Identity of a file of the chain, for cycle detection. */
typedef struct chain_id {
    char *path;
    int has_inode;
    unsigned long long dev, ino;
} chain_id;

/* Reads the chain that starts with `text` (the top file, called `name`, BOM at `skip`), applies
 * it to s and checks the result. Takes text. */
static as_status load_chain(as_scenario *s,
                            const char *name,
                            const char *dir,
                            char *text,
                            size_t skip,
                            const chain_id *top,
                            as_error *err)
{
    as_layer *layers = calloc(AS_SCN_CHAIN_MAX, sizeof *layers);
    chain_id *ids = calloc(AS_SCN_CHAIN_MAX, sizeof *ids);
    size_t n = 0;
    as_status st = AS_OK;
    if (!layers || !ids) {
        free(text);
        st = nomem(err);
        goto done;
    }
    ids[0] = *top;
    ids[0].path = strdup(top->path);
    layers[0].file = strdup(name);
    layers[0].dir = strdup(dir);
    if (!ids[0].path || !layers[0].file || !layers[0].dir) {
        free(text);
        st = nomem(err);
        goto done;
    }
    for (;;) {
        as_layer *L = &layers[n];
        L->mode = -1;
        st = as_scn_layer_read(s, L, text + skip, err);
        free(text);
        text = NULL;
        n++;
        if (st != AS_OK || !L->base) {
            break;
        }
        char *path = as_scn_join(L->dir, L->base);
        if (!path) {
            st = nomem(err);
            break;
        }
        chain_id id = {.path = path};
        st = as_scn_stat_file(path, "base file", L->file, L->base_line, "base", &id.dev, &id.ino,
                              err);
        id.has_inode = 1;
        for (size_t k = 0; k < n && st == AS_OK; k++) {
            int same = strcmp(ids[k].path, path) == 0 ||
                       (ids[k].has_inode && ids[k].dev == id.dev && ids[k].ino == id.ino);
            if (!same) {
                continue;
            }
            char chain[400] = "";
            size_t at = 0;
            for (size_t j = 0; j < n && at < sizeof chain; j++) {
                at += (size_t)snprintf(chain + at, sizeof chain - at, "%s -> ", layers[j].file);
            }
            st = as_error_set(err, AS_ERR_INPUT, layers[0].file, 0, NULL,
                              "base chain has a cycle: %s%s", chain, path);
        }
        if (st == AS_OK && n == AS_SCN_CHAIN_MAX) {
            st = as_error_set(err, AS_ERR_INPUT, layers[0].file, 0, NULL,
                              "base chain longer than %d files", AS_SCN_CHAIN_MAX);
        }
        if (st == AS_OK) {
            st = as_scn_read_text(path, path, &text, &(size_t){0}, &skip, NULL, NULL, err);
        }
        if (st != AS_OK) {
            free(path);
            break;
        }
        ids[n] = id;
        layers[n].file = strdup(path);
        layers[n].dir = as_scn_dir_of(path);
        if (!layers[n].file || !layers[n].dir) {
            free(text);
            st = nomem(err);
            break;
        }
    }
    /* Root first: the deepest base is position 0. */
    for (size_t k = n; k-- > 0 && st == AS_OK;) {
        as_layer *L = &layers[k];
        int from_start = L->mode >= 0 ? L->mode == 0 : !L->base;
        st = apply_layer(s, L, (int)(n - 1 - k), from_start, err);
    }
    if (st == AS_OK) {
        st = merge_dated(s, err);
    }
    if (st == AS_OK) {
        st = as_scn_cross_check(s, err);
    }
done:
    for (size_t k = 0; layers && k < AS_SCN_CHAIN_MAX; k++) {
        as_scn_layer_free(&layers[k]);
    }
    for (size_t k = 0; ids && k < AS_SCN_CHAIN_MAX; k++) {
        free(ids[k].path);
    }
    free(layers);
    free(ids);
    return st;
}

/* The scenario's name (its file's stem) is a column of every CSV and a sheet cell: refuses the
 * characters that would split or break a CSV field (comma, semicolon, double quote, control
 * characters). */
static as_status name_ok(const char *path, const char *stem, as_error *err)
{
    for (const unsigned char *c = (const unsigned char *)stem; *c; c++) {
        if (*c < 0x20 || *c == 0x7f || *c == ',' || *c == ';' || *c == '"') {
            return as_error_set(err, AS_ERR_INPUT, path, 0, NULL,
                                "the file name gives the scenario its name, which goes into CSV "
                                "columns: rename the file without commas, semicolons, double "
                                "quotes or control characters");
        }
    }
    return AS_OK;
}

/* The common path of both loaders. Takes text. */
static as_status load_text(const char *name,
                           const char *dir,
                           char *text,
                           size_t skip,
                           const chain_id *top,
                           as_scenario **out,
                           as_error *err)
{
    *out = NULL;
    as_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        free(text);
        return nomem(err);
    }
    s->path = strdup(name);
    s->name = stem_of(name);
    as_status st = s->path && s->name ? name_ok(name, s->name, err) : nomem(err);
    if (st == AS_OK) {
        st = load_defaults(s, err);
    }
    if (st == AS_OK) {
        st = load_chain(s, name, dir, text, skip, top, err);
    } else {
        free(text);
    }
    if (st != AS_OK) {
        as_scenario_destroy(s);
        return st;
    }
    as_scn_publish(s);
    as_error_clear(err);
    *out = s;
    return AS_OK;
}

as_status as_scenario_load(const char *path, as_scenario **out, as_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0, skip = 0;
    chain_id top = {.path = (char *)path, .has_inode = 1};
    as_status st = as_scn_read_text(path, path, &text, &len, &skip, &top.dev, &top.ino, err);
    if (st != AS_OK) {
        return st;
    }
    char *dir = as_scn_dir_of(path);
    if (!dir) {
        free(text);
        return nomem(err);
    }
    st = load_text(path, dir, text, skip, &top, out, err);
    free(dir);
    return st;
}

as_status as_scenario_load_mem(const char *name,
                               const void *data,
                               size_t size,
                               const char *dir,
                               as_scenario **out,
                               as_error *err)
{
    *out = NULL;
    size_t skip = 0;
    as_status st = as_scn_check_text(name, "a scenario", data, size, &skip, err);
    if (st != AS_OK) {
        return st;
    }
    char *text = malloc(size + 1);
    if (!text) {
        return nomem(err);
    }
    memcpy(text, data, size);
    text[size] = '\0';
    if (!dir) {
        dir = "";
    }
    chain_id top = {.path = as_scn_join(dir, name)};
    if (!top.path) {
        free(text);
        return nomem(err);
    }
    st = load_text(name, dir, text, skip, &top, out, err);
    free(top.path);
    return st;
}
