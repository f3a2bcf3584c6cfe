/* One scenario file into one layer: pre-scans the text (intscan.c), parses it with libconfig,
 * then walks the whole tree. The top level may hold the schema's groups, `base`, `overrides_from`
 * and `sweep`; everything else is an unknown setting with a suggestion. Each value is checked by
 * validate.c; resolving the chain and applying layers is load.c's job. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "internal.h"

static int is_number(const config_setting_t *cs)
{
    int t = config_setting_type(cs);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static as_status
unknown(const char *dotted, const config_setting_t *cs, const char *file, as_error *err)
{
    char hint[AS_SCN_NAME_MAX];
    as_scn_suggest(dotted, hint, sizeof hint);
    const char *kind = config_setting_is_group(cs) ? "unknown group" : "unknown setting";
    int line = config_setting_source_line(cs);
    if (hint[0]) {
        return as_error_set(err, AS_ERR_INPUT, file, line, dotted, "%s (did you mean %s?)", kind,
                            hint);
    }
    return as_error_set(err, AS_ERR_INPUT, file, line, dotted,
                        "%s (asylsim check --list shows every setting)", kind);
}

static as_status wrong(const config_setting_t *cs,
                       const char *file,
                       const char *name,
                       const char *want,
                       as_error *err)
{
    char got[128];
    as_scn_describe(cs, got, sizeof got);
    return as_error_set(err, AS_ERR_INPUT, file, config_setting_source_line(cs), name,
                        "expected %s, found %s", want, got);
}

static as_status
walk_group(as_scenario *s, as_layer *L, const config_setting_t *g, int *seq, as_error *err)
{
    const char *group = config_setting_name(g);
    int n = config_setting_length(g);
    for (int k = 0; k < n; k++) {
        const config_setting_t *cs = config_setting_get_elem(g, (unsigned)k);
        char dotted[AS_SCN_NAME_MAX], ef[512];
        snprintf(dotted, sizeof dotted, "%s.%s", group, config_setting_name(cs));
        as_scn_file_of(cs, L->file, L->dir, ef, sizeof ef);
        int id = as_schema_find(dotted);
        if (id < 0) {
            return unknown(dotted, cs, ef, err);
        }
        as_status st = as_scn_parse_value((as_setting_id)id, cs, L->file, L->dir, &L->v[id], err);
        if (st != AS_OK) {
            return st;
        }
        L->set[id] = 1;
        L->src[id].file = as_scn_intern(s, ef);
        L->src[id].line = config_setting_source_line(cs);
        L->src[id].order = (*seq)++;
        if (L->src[id].file < 0) {
            return nomem(err);
        }
    }
    return AS_OK;
}

static as_status walk_sweep(as_scenario *s, as_layer *L, const config_setting_t *g, as_error *err)
{
    const config_setting_t *scs = NULL, *vcs = NULL;
    char ef[512];
    int n = config_setting_length(g);
    for (int k = 0; k < n; k++) {
        const config_setting_t *cs = config_setting_get_elem(g, (unsigned)k);
        const char *name = config_setting_name(cs);
        as_scn_file_of(cs, L->file, L->dir, ef, sizeof ef);
        if (strcmp(name, "setting") == 0) {
            scs = cs;
        } else if (strcmp(name, "values") == 0) {
            vcs = cs;
        } else {
            char dotted[AS_SCN_NAME_MAX];
            snprintf(dotted, sizeof dotted, "sweep.%s", name);
            return unknown(dotted, cs, ef, err);
        }
    }
    as_scn_file_of(g, L->file, L->dir, ef, sizeof ef);
    if (!scs || !vcs) {
        return as_error_set(err, AS_ERR_INPUT, ef, config_setting_source_line(g), "sweep",
                            "needs both setting = \"group.name\"; and values = [ ... ];");
    }
    as_scn_file_of(scs, L->file, L->dir, ef, sizeof ef);
    if (config_setting_type(scs) != CONFIG_TYPE_STRING) {
        return wrong(scs, ef, "sweep.setting", "the name of a setting (\"group.name\")", err);
    }
    const char *target = config_setting_get_string(scs);
    int line = config_setting_source_line(scs);
    int id = as_schema_find(target);
    if (id < 0) {
        char hint[AS_SCN_NAME_MAX], shown[101];
        as_scn_suggest(target, hint, sizeof hint);
        as_scn_printable(target, shown, sizeof shown);
        return as_error_set(err, AS_ERR_INPUT, ef, line, "sweep.setting",
                            "\"%s\" is not a setting%s%s%s", shown,
                            hint[0] ? " (did you mean " : "", hint, hint[0] ? "?)" : "");
    }
    const as_setting_def *d = &as_schema[id];
    if ((d->type != AS_T_FLOAT && d->type != AS_T_INT && d->type != AS_T_DATED) ||
        (d->flags & AS_F_RUN)) {
        return as_error_set(
                err, AS_ERR_INPUT, ef, line, "sweep.setting",
                "%s cannot be swept (only number, integer and dated settings outside run.*)",
                d->name);
    }
    as_scn_file_of(vcs, L->file, L->dir, ef, sizeof ef);
    line = config_setting_source_line(vcs);
    int nv = config_setting_length(vcs);
    if (config_setting_type(vcs) != CONFIG_TYPE_ARRAY || nv == 0) {
        return wrong(vcs, ef, "sweep.values", "a non-empty array of numbers", err);
    }
    free(L->sweep);
    L->sweep = malloc((size_t)nv * sizeof *L->sweep);
    if (!L->sweep) {
        return nomem(err);
    }
    for (int k = 0; k < nv; k++) {
        const config_setting_t *e = config_setting_get_elem(vcs, (unsigned)k);
        char msg[300];
        if (!is_number(e)) {
            as_scn_describe(e, msg, sizeof msg);
            return as_error_set(err, AS_ERR_INPUT, ef, line, "sweep.values",
                                "value %d: expected a number, found %s", k + 1, msg);
        }
        L->sweep[k] = config_setting_type(e) == CONFIG_TYPE_FLOAT
                              ? config_setting_get_float(e)
                              : (double)config_setting_get_int64(e);
        if (as_scn_number_problem((as_setting_id)id, L->sweep[k], msg, sizeof msg)) {
            return as_error_set(err, AS_ERR_INPUT, ef, line, "sweep.values", "value %d for %s: %s",
                                k + 1, d->name, msg);
        }
    }
    as_scn_file_of(g, L->file, L->dir, ef, sizeof ef);
    L->has_sweep = 1;
    L->sweep_id = (as_setting_id)id;
    L->sweep_n = (size_t)nv;
    L->sweep_file = as_scn_intern(s, ef);
    L->sweep_line = config_setting_source_line(g);
    return L->sweep_file < 0 ? nomem(err) : AS_OK;
}

static as_status walk_root(as_scenario *s, as_layer *L, const config_setting_t *root, as_error *err)
{
    int seq = 0;
    int n = config_setting_length(root);
    for (int k = 0; k < n; k++) {
        const config_setting_t *cs = config_setting_get_elem(root, (unsigned)k);
        const char *name = config_setting_name(cs);
        char ef[512];
        as_scn_file_of(cs, L->file, L->dir, ef, sizeof ef);
        int line = config_setting_source_line(cs);
        int t = config_setting_type(cs);
        as_status st = AS_OK;
        if (strcmp(name, "base") == 0) {
            if (t != CONFIG_TYPE_STRING || !config_setting_get_string(cs)[0]) {
                return wrong(cs, ef, name, "the file name of the base scenario", err);
            }
            L->base = strdup(config_setting_get_string(cs));
            L->base_line = line;
            if (!L->base) {
                return nomem(err);
            }
        } else if (strcmp(name, "overrides_from") == 0) {
            const char *v = t == CONFIG_TYPE_STRING ? config_setting_get_string(cs) : NULL;
            if (v && strcmp(v, "start") == 0) {
                L->mode = 0;
            } else if (v && strcmp(v, "reform_start") == 0) {
                L->mode = 1;
            } else {
                return wrong(cs, ef, name, "\"start\" or \"reform_start\"", err);
            }
        } else if (strcmp(name, "sweep") == 0) {
            if (t != CONFIG_TYPE_GROUP) {
                return wrong(cs, ef, name,
                             "a group { setting = \"group.name\"; values = [ ... ]; }", err);
            }
            st = walk_sweep(s, L, cs, err);
        } else if (as_schema_is_group(name, strlen(name))) {
            if (t != CONFIG_TYPE_GROUP) {
                return wrong(cs, ef, name, "a group { ... }", err);
            }
            st = walk_group(s, L, cs, &seq, err);
        } else {
            return unknown(name, cs, ef, err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

/* Parses text with libconfig, then walks it (int_err: the pre-scan's integer error). */
static as_status parse_and_walk(
        as_scenario *s, as_layer *L, const char *text, const as_error *int_err, as_error *err)
{
    as_status st;
    config_t c;
    config_init(&c);
    /* We only read, and type every value ourselves: no auto-conversion. */
    config_set_options(&c, 0);
    if (L->dir[0]) {
        config_set_include_dir(&c, L->dir);
    }
    if (!config_read_string(&c, text)) {
        const char *ef = config_error_file(&c);
        char *inc = ef ? as_scn_include_path(L->dir, ef) : NULL;
        const char *what = config_error_text(&c);
        if (ef && !inc) {
            st = nomem(err);
        } else {
            st = as_error_set(err, AS_ERR_INPUT, inc ? inc : L->file, config_error_line(&c), NULL,
                              "%s", what ? what : "syntax error");
        }
        free(inc);
        config_destroy(&c);
        return st;
    }
    if (int_err->code != AS_OK) {
        /* libconfig has read a wrapped integer: refuse it now that the syntax is known good. */
        *err = *int_err;
        config_destroy(&c);
        return AS_ERR_INPUT;
    }
    st = walk_root(s, L, config_root_setting(&c), err);
    config_destroy(&c);
    return st;
}

as_status as_scn_layer_read(as_scenario *s, as_layer *L, const char *text, as_error *err)
{
    as_error int_err;
    size_t misplaced = SIZE_MAX;
    as_status st = as_scn_intscan(L->file, text, L->dir, err, &int_err, &misplaced);
    if (st != AS_OK) {
        return st;
    }
    char *copy = NULL;
    if (misplaced != SIZE_MAX) {
        /* A string where libconfig cannot take one is a syntax error there or earlier; a '~'
         * (libconfig's garbage) in its place gives the same first error without the leak. */
        copy = strdup(text);
        if (!copy) {
            return nomem(err);
        }
        copy[misplaced] = '~';
        text = copy;
    }
    st = parse_and_walk(s, L, text, &int_err, err);
    free(copy);
    return st;
}

void as_scn_layer_free(as_layer *L)
{
    for (int id = 0; id < AS_N_SETTINGS; id++) {
        as_sval_free(&L->v[id]);
    }
    free(L->file);
    free(L->dir);
    free(L->base);
    free(L->sweep);
    memset(L, 0, sizeof *L);
}
