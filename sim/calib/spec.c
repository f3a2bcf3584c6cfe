/* Calibration and sensitivity files (include/asylsim/calib.h): libconfig text with a small schema
 * of its own, checked here with the scenario loader's error quality — unknown names with a
 * suggestion, wrong types, numbers out of range, missing settings, each as FILE:LINE: SETTING:
 * msg. Parameters name scenario settings (settings.h) but these files never add settings to it.
 * What the values mean at run time (the base scenario, the targets) is checked later, by
 * calibrate.c and sensitivity.c. */
#include "asylsim/calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/calendar.h"
#include "asylsim/model.h"
#include "internal.h"

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static int line_of(const config_setting_t *cs)
{
    return (int)config_setting_source_line(cs);
}

static as_status wrong(const char *file,
                       const config_setting_t *cs,
                       const char *name,
                       const char *want,
                       as_error *err)
{
    char got[128];
    as_cal_describe(cs, got, sizeof got);
    return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), name, "expected %s, found %s", want,
                        got);
}

static as_status unknown(const char *file,
                         const config_setting_t *cs,
                         const char *prefix,
                         const char *const *names,
                         size_t n,
                         as_error *err)
{
    char dotted[160], hint[128], shown[128];
    as_scn_printable(config_setting_name(cs), shown, sizeof shown);
    snprintf(dotted, sizeof dotted, "%s%s", prefix, shown);
    as_cal_suggest(config_setting_name(cs), names, n, hint, sizeof hint);
    if (hint[0]) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), dotted,
                            "unknown setting (did you mean %s%s?)", prefix, hint);
    }
    return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), dotted, "unknown setting");
}

static int is_int(const config_setting_t *cs)
{
    int t = config_setting_type(cs);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

/* A whole number in [lo, hi]. */
static as_status get_uint(const char *file,
                          const config_setting_t *cs,
                          const char *name,
                          long long lo,
                          long long hi,
                          uint64_t *out,
                          as_error *err)
{
    if (!is_int(cs)) {
        return wrong(file, cs, name, "a whole number", err);
    }
    long long v = config_setting_get_int64(cs);
    if (v < lo || v > hi) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), name,
                            "%lld is out of range [%lld, %lld]", v, lo, hi);
    }
    *out = (uint64_t)v;
    return AS_OK;
}

static as_status get_u32(const char *file,
                         const config_setting_t *cs,
                         const char *name,
                         long long lo,
                         long long hi,
                         uint32_t *out,
                         as_error *err)
{
    uint64_t v = 0;
    as_status st = get_uint(file, cs, name, lo, hi, &v, err);
    *out = (uint32_t)v;
    return st;
}

/* A number (integer or float literal), finite. */
static as_status
get_num(const char *file, const config_setting_t *cs, const char *name, double *out, as_error *err)
{
    int t = config_setting_type(cs);
    if (t == CONFIG_TYPE_FLOAT) {
        *out = config_setting_get_float(cs);
    } else if (is_int(cs)) {
        *out = (double)config_setting_get_int64(cs);
    } else {
        return wrong(file, cs, name, "a number", err);
    }
    if (!isfinite(*out)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), name, "must be a finite number");
    }
    return AS_OK;
}

/* A number in (lo, hi] (lo_open) or [lo, hi]. */
static as_status get_range(const char *file,
                           const config_setting_t *cs,
                           const char *name,
                           double lo,
                           int lo_open,
                           double hi,
                           int hi_open,
                           double *out,
                           as_error *err)
{
    as_status st = get_num(file, cs, name, out, err);
    if (st != AS_OK) {
        return st;
    }
    if ((lo_open ? !(*out > lo) : *out < lo) || (hi_open ? !(*out < hi) : *out > hi)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(cs), name,
                            "%g is out of range %c%g, %g%c", *out, lo_open ? '(' : '[', lo, hi,
                            hi_open ? ')' : ']');
    }
    return AS_OK;
}

static as_status get_string(const char *file,
                            const config_setting_t *cs,
                            const char *name,
                            const char *want,
                            const char **out,
                            as_error *err)
{
    if (config_setting_type(cs) != CONFIG_TYPE_STRING || !config_setting_get_string(cs)[0]) {
        return wrong(file, cs, name, want, err);
    }
    *out = config_setting_get_string(cs);
    return AS_OK;
}

static as_status get_date(
        const char *file, const config_setting_t *cs, const char *name, int32_t *out, as_error *err)
{
    const char *s = NULL;
    as_status st = get_string(file, cs, name, "a date \"YYYY-MM-DD\"", &s, err);
    if (st == AS_OK && as_date_parse(s, out) != 0) {
        char shown[64];
        as_scn_printable(s, shown, sizeof shown);
        st = as_error_set(err, AS_ERR_INPUT, file, line_of(cs), name,
                          "\"%s\" is not a date \"YYYY-MM-DD\"", shown);
    }
    return st;
}

/* ---- parameters ---- */

static const char *const param_members[] = {"setting", "prior", "lower", "upper", "scale"};

/* Checks v against the setting's own range. */
static int setting_problem(const as_setting_def *d, double v, char *msg, size_t n)
{
    int below = (d->flags & AS_F_MIN_EXCL) ? !(v > d->min) : v < d->min;
    if (below || v > d->max) {
        snprintf(msg, n, "%g is out of range %c%g, %g] for %s", v,
                 (d->flags & AS_F_MIN_EXCL) ? '(' : '[', d->min, d->max, d->name);
        return -1;
    }
    return 0;
}

static as_status parse_param(const char *file,
                             const config_setting_t *g,
                             int index,
                             int need_prior,
                             as_param *p,
                             as_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "parameters[%d]", index + 1);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, name,
                     "a group { setting = \"group.name\"; lower = ...; upper = ...; }", err);
    }
    memset(p, 0, sizeof *p);
    p->line = line_of(g);
    p->prior = AS_PRIOR_UNIFORM;
    const config_setting_t *scs = NULL, *lcs = NULL, *ucs = NULL, *pcs = NULL;
    char prefix[80];
    snprintf(prefix, sizeof prefix, "%s.", name);
    int n = config_setting_length(g);
    for (int k = 0; k < n; k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        char full[128];
        snprintf(full, sizeof full, "%s.%s", name, mn);
        as_status st = AS_OK;
        if (strcmp(mn, "setting") == 0) {
            scs = m;
        } else if (strcmp(mn, "prior") == 0) {
            pcs = m;
        } else if (strcmp(mn, "lower") == 0) {
            lcs = m;
            st = get_num(file, m, full, &p->lower, err);
        } else if (strcmp(mn, "upper") == 0) {
            ucs = m;
            st = get_num(file, m, full, &p->upper, err);
        } else if (strcmp(mn, "scale") == 0) {
            if (config_setting_type(m) != CONFIG_TYPE_BOOL) {
                st = wrong(file, m, full, "true or false", err);
            } else {
                p->scale = config_setting_get_bool(m);
            }
        } else {
            st = unknown(file, m, prefix, param_members,
                         sizeof param_members / sizeof param_members[0], err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    if (!scs || !lcs || !ucs || (need_prior && !pcs)) {
        return as_error_set(err, AS_ERR_INPUT, file, p->line, name,
                            "needs setting, %slower and upper", need_prior ? "prior, " : "");
    }
    char full[128];
    snprintf(full, sizeof full, "%s.setting", name);
    const char *setting = NULL;
    as_status st =
            get_string(file, scs, full, "the name of a setting (\"group.name\")", &setting, err);
    if (st != AS_OK) {
        return st;
    }
    int id = as_schema_find(setting);
    if (id < 0) {
        char hint[128], shown[128];
        as_cal_suggest_setting(setting, hint, sizeof hint);
        as_scn_printable(setting, shown, sizeof shown);
        return as_error_set(err, AS_ERR_INPUT, file, line_of(scs), full,
                            "\"%s\" is not a setting%s%s%s", shown,
                            hint[0] ? " (did you mean " : "", hint, hint[0] ? "?)" : "");
    }
    const as_setting_def *d = &as_schema[id];
    if ((d->type != AS_T_FLOAT && d->type != AS_T_INT && d->type != AS_T_DATED) ||
        (d->flags & AS_F_RUN)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(scs), full,
                            "%s cannot be varied (only number, integer and dated settings outside "
                            "run.*)",
                            d->name);
    }
    p->id = (as_setting_id)id;
    if (pcs) {
        snprintf(full, sizeof full, "%s.prior", name);
        const char *v = config_setting_type(pcs) == CONFIG_TYPE_STRING
                                ? config_setting_get_string(pcs)
                                : NULL;
        if (v && strcmp(v, "uniform") == 0) {
            p->prior = AS_PRIOR_UNIFORM;
        } else if (v && strcmp(v, "log_uniform") == 0) {
            p->prior = AS_PRIOR_LOG_UNIFORM;
        } else {
            return wrong(file, pcs, full, "\"uniform\" or \"log_uniform\"", err);
        }
    }
    snprintf(full, sizeof full, "%s.upper", name);
    if (!(p->upper > p->lower)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(ucs), full,
                            "upper (%g) must be above lower (%g)", p->upper, p->lower);
    }
    snprintf(full, sizeof full, "%s.lower", name);
    if (p->prior == AS_PRIOR_LOG_UNIFORM && !(p->lower > 0)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(lcs), full,
                            "a log_uniform prior needs lower above 0, not %g", p->lower);
    }
    char msg[256];
    if (p->scale) {
        if (d->type != AS_T_DATED) {
            snprintf(full, sizeof full, "%s.scale", name);
            return as_error_set(err, AS_ERR_INPUT, file, p->line, full,
                                "scale = true needs a dated setting; %s is not one", d->name);
        }
        if (p->lower < 0) {
            return as_error_set(err, AS_ERR_INPUT, file, line_of(lcs), full,
                                "a scale factor cannot be negative (%g)", p->lower);
        }
    } else if (setting_problem(d, p->lower, msg, sizeof msg)) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(lcs), full, "%s", msg);
    } else if (setting_problem(d, p->upper, msg, sizeof msg)) {
        snprintf(full, sizeof full, "%s.upper", name);
        return as_error_set(err, AS_ERR_INPUT, file, line_of(ucs), full, "%s", msg);
    }
    return AS_OK;
}

as_status as_cal_parse_params(const char *file,
                              const config_setting_t *list,
                              int need_prior,
                              as_param **out,
                              size_t *n_out,
                              as_error *err)
{
    *out = NULL;
    *n_out = 0;
    if (config_setting_type(list) != CONFIG_TYPE_LIST || config_setting_length(list) == 0) {
        return wrong(file, list, "parameters", "a non-empty list ( { setting = ...; }, ... )", err);
    }
    int n = config_setting_length(list);
    if (n > 256) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(list), "parameters",
                            "%d parameters; at most 256", n);
    }
    as_param *ps = calloc((size_t)n, sizeof *ps);
    if (!ps) {
        return nomem(err);
    }
    for (int k = 0; k < n; k++) {
        as_status st = parse_param(file, config_setting_get_elem(list, (unsigned)k), k, need_prior,
                                   &ps[k], err);
        for (int j = 0; st == AS_OK && j < k; j++) {
            if (ps[j].id == ps[k].id) {
                char full[64];
                snprintf(full, sizeof full, "parameters[%d].setting", k + 1);
                st = as_error_set(err, AS_ERR_INPUT, file, ps[k].line, full,
                                  "%s is already parameter %d (line %d)", as_schema[ps[k].id].name,
                                  j + 1, ps[j].line);
            }
        }
        if (st != AS_OK) {
            free(ps);
            return st;
        }
    }
    *out = ps;
    *n_out = (size_t)n;
    return AS_OK;
}

double as_param_from_unit(const as_param *p, double x)
{
    if (p->prior == AS_PRIOR_LOG_UNIFORM) {
        return exp(log(p->lower) + x * (log(p->upper) - log(p->lower)));
    }
    return p->lower + x * (p->upper - p->lower);
}

/* ---- reading a file ---- */

typedef as_status (*walk_fn)(
        void *spec, const char *file, const config_setting_t *root, const char *dir, as_error *err);

static as_status parse_text(const char *name,
                            const char *data,
                            size_t size,
                            const char *dir,
                            walk_fn walk,
                            void *spec,
                            as_error *err)
{
    size_t skip = 0;
    as_status st = as_scn_check_text(name, "text", data, size, &skip, err);
    if (st != AS_OK) {
        return st;
    }
    /* libconfig wants a NUL-terminated string; data may not have one. */
    char *text = malloc(size - skip + 1);
    if (!text) {
        return nomem(err);
    }
    memcpy(text, data + skip, size - skip);
    text[size - skip] = '\0';
    config_t c;
    st = as_cal_config_parse(name, text, &c, err);
    free(text);
    if (st != AS_OK) {
        return st;
    }
    st = walk(spec, name, config_root_setting(&c), dir ? dir : "", err);
    config_destroy(&c);
    return st;
}

static as_status
load_file(const char *path, const char *what, walk_fn walk, void *spec, as_error *err)
{
    char *buf = NULL;
    size_t len = 0, skip = 0;
    as_status st = as_cal_read_text(path, path, what, &buf, &len, &skip, err);
    if (st != AS_OK) {
        return st;
    }
    char *dir = as_scn_dir_of(path);
    st = dir ? parse_text(path, buf, len, dir, walk, spec, err) : nomem(err);
    free(dir);
    free(buf);
    return st;
}

/* ---- calibration files ---- */

static const char *const calib_top[] = {
        "base",           "targets",          "method",     "seed", "run_end",
        "default_rel_sd", "fit_replications", "parameters", "abc",  "smm"};
static const char *const abc_members[] = {"populations",    "particles", "replications",
                                          "batch",          "quantile",  "min_acceptance",
                                          "max_simulations"};
static const char *const smm_members[] = {"iterations", "replications", "tolerance", "step",
                                          "jacobian_step"};

static as_status
walk_abc(as_calib_spec *s, const char *file, const config_setting_t *g, as_error *err)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, "abc", "a group { populations = ...; ... }", err);
    }
    int n = config_setting_length(g);
    for (int k = 0; k < n; k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        char full[64];
        snprintf(full, sizeof full, "abc.%s", mn);
        as_status st;
        if (strcmp(mn, "populations") == 0) {
            st = get_u32(file, m, full, 1, 100, &s->abc.populations, err);
        } else if (strcmp(mn, "particles") == 0) {
            st = get_u32(file, m, full, 10, 1000000, &s->abc.particles, err);
        } else if (strcmp(mn, "replications") == 0) {
            st = get_u32(file, m, full, 1, 1000, &s->abc.replications, err);
        } else if (strcmp(mn, "batch") == 0) {
            st = get_u32(file, m, full, 1, 100000, &s->abc.batch, err);
        } else if (strcmp(mn, "quantile") == 0) {
            st = get_range(file, m, full, 0, 1, 1, 1, &s->abc.quantile, err);
        } else if (strcmp(mn, "min_acceptance") == 0) {
            st = get_range(file, m, full, 0, 0, 1, 1, &s->abc.min_acceptance, err);
        } else if (strcmp(mn, "max_simulations") == 0) {
            st = get_uint(file, m, full, 0, INT64_MAX, &s->abc.max_simulations, err);
        } else {
            st = unknown(file, m, "abc.", abc_members, sizeof abc_members / sizeof abc_members[0],
                         err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

static as_status
walk_smm(as_calib_spec *s, const char *file, const config_setting_t *g, as_error *err)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, "smm", "a group { iterations = ...; ... }", err);
    }
    int n = config_setting_length(g);
    for (int k = 0; k < n; k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        char full[64];
        snprintf(full, sizeof full, "smm.%s", mn);
        as_status st;
        if (strcmp(mn, "iterations") == 0) {
            st = get_u32(file, m, full, 1, 1000000, &s->smm.iterations, err);
        } else if (strcmp(mn, "replications") == 0) {
            st = get_u32(file, m, full, 1, 100000, &s->smm.replications, err);
        } else if (strcmp(mn, "tolerance") == 0) {
            st = get_range(file, m, full, 0, 1, 10, 0, &s->smm.tolerance, err);
        } else if (strcmp(mn, "step") == 0) {
            st = get_range(file, m, full, 0, 1, 10, 0, &s->smm.step, err);
        } else if (strcmp(mn, "jacobian_step") == 0) {
            st = get_range(file, m, full, 0, 1, 2, 0, &s->smm.jacobian_step, err);
        } else {
            st = unknown(file, m, "smm.", smm_members, sizeof smm_members / sizeof smm_members[0],
                         err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

static as_status walk_calib(
        void *spec, const char *file, const config_setting_t *root, const char *dir, as_error *err)
{
    as_calib_spec *s = spec;
    const config_setting_t *base = NULL, *targets = NULL, *method = NULL, *params = NULL;
    int n = config_setting_length(root);
    for (int k = 0; k < n; k++) {
        const config_setting_t *m = config_setting_get_elem(root, (unsigned)k);
        const char *mn = config_setting_name(m);
        as_status st = AS_OK;
        const char *v = NULL;
        if (strcmp(mn, "base") == 0) {
            base = m;
            st = get_string(file, m, mn, "the file name of the base scenario", &v, err);
        } else if (strcmp(mn, "targets") == 0) {
            targets = m;
            st = get_string(file, m, mn, "the file name of the targets (CSV)", &v, err);
        } else if (strcmp(mn, "method") == 0) {
            method = m;
            v = config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : NULL;
            if (v && strcmp(v, "abc_smc") == 0) {
                s->method = AS_CALIB_ABC_SMC;
            } else if (v && strcmp(v, "smm") == 0) {
                s->method = AS_CALIB_SMM;
            } else {
                st = wrong(file, m, mn, "\"abc_smc\" or \"smm\"", err);
            }
        } else if (strcmp(mn, "seed") == 0) {
            st = get_uint(file, m, mn, 0, INT64_MAX, &s->seed, err);
        } else if (strcmp(mn, "run_end") == 0) {
            st = get_date(file, m, mn, &s->run_end, err);
        } else if (strcmp(mn, "default_rel_sd") == 0) {
            st = get_range(file, m, mn, 0, 1, 10, 0, &s->default_rel_sd, err);
        } else if (strcmp(mn, "fit_replications") == 0) {
            st = get_u32(file, m, mn, 1, 100000, &s->fit_replications, err);
        } else if (strcmp(mn, "parameters") == 0) {
            params = m;
        } else if (strcmp(mn, "abc") == 0) {
            st = walk_abc(s, file, m, err);
        } else if (strcmp(mn, "smm") == 0) {
            st = walk_smm(s, file, m, err);
        } else {
            st = unknown(file, m, "", calib_top, sizeof calib_top / sizeof calib_top[0], err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    const char *missing = !base      ? "base"
                          : !targets ? "targets"
                          : !method  ? "method"
                          : !params  ? "parameters"
                                     : NULL;
    if (missing) {
        return as_error_set(err, AS_ERR_INPUT, file, 0, missing,
                            "missing (a calibration file needs "
                            "base, targets, method and parameters)");
    }
    as_status st = as_cal_parse_params(file, params, 1, &s->params, &s->n_params, err);
    if (st != AS_OK) {
        return st;
    }
    s->base_path = as_scn_join(dir, config_setting_get_string(base));
    s->targets_path = as_scn_join(dir, config_setting_get_string(targets));
    s->base_line = line_of(base);
    s->targets_line = line_of(targets);
    return s->base_path && s->targets_path ? AS_OK : nomem(err);
}

static as_calib_spec *calib_new(const char *name)
{
    as_calib_spec *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(name))) {
        free(s);
        return NULL;
    }
    s->run_end = INT32_MIN;
    s->seed = 1;
    s->default_rel_sd = 0.1;
    s->fit_replications = 100;
    s->abc = (as_abc_budget){.populations = 5,
                             .particles = 200,
                             .replications = 2,
                             .batch = 100,
                             .quantile = 0.5,
                             .min_acceptance = 0.01};
    s->smm = (as_smm_budget){.iterations = 200,
                             .replications = 40,
                             .tolerance = 1e-3,
                             .step = 0.5,
                             .jacobian_step = 0.1};
    return s;
}

void as_calib_spec_destroy(as_calib_spec *s)
{
    if (!s) {
        return;
    }
    free(s->path);
    free(s->base_path);
    free(s->targets_path);
    free(s->params);
    free(s);
}

as_status as_calib_spec_parse_mem(const char *name,
                                  const void *data,
                                  size_t size,
                                  const char *dir,
                                  as_calib_spec **out,
                                  as_error *err)
{
    *out = NULL;
    as_calib_spec *s = calib_new(name);
    if (!s) {
        return nomem(err);
    }
    as_status st = parse_text(name, data, size, dir, walk_calib, s, err);
    if (st != AS_OK) {
        as_calib_spec_destroy(s);
        return st;
    }
    *out = s;
    return AS_OK;
}

as_status as_calib_spec_load(const char *path, as_calib_spec **out, as_error *err)
{
    *out = NULL;
    as_calib_spec *s = calib_new(path);
    if (!s) {
        return nomem(err);
    }
    as_status st = load_file(path, "calibration file", walk_calib, s, err);
    if (st != AS_OK) {
        as_calib_spec_destroy(s);
        return st;
    }
    *out = s;
    return AS_OK;
}

/* ---- sensitivity files ---- */

static const char *const sens_top[] = {"method", "seed",  "replications", "batch",  "run_end",
                                       "morris", "sobol", "parameters",   "outputs"};
static const char *const morris_members[] = {"trajectories", "levels"};
static const char *const sobol_members[] = {"samples", "bootstrap"};
static const char *const output_members[] = {"name", "indicator", "budget", "period", "statistic"};

static as_status
walk_morris(as_sens_spec *s, const char *file, const config_setting_t *g, as_error *err)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, "morris", "a group { trajectories = ...; levels = ...; }", err);
    }
    for (int k = 0; k < config_setting_length(g); k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        char full[64];
        snprintf(full, sizeof full, "morris.%s", mn);
        as_status st;
        if (strcmp(mn, "trajectories") == 0) {
            st = get_u32(file, m, full, 2, 100000, &s->morris_trajectories, err);
        } else if (strcmp(mn, "levels") == 0) {
            st = get_u32(file, m, full, 2, 100, &s->morris_levels, err);
            if (st == AS_OK && s->morris_levels % 2 != 0) {
                st = as_error_set(err, AS_ERR_INPUT, file, line_of(m), full,
                                  "must be even (a step of p / (2 (p - 1)) then pairs the levels)");
            }
        } else {
            st = unknown(file, m, "morris.", morris_members, 2, err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

static as_status
walk_sobol(as_sens_spec *s, const char *file, const config_setting_t *g, as_error *err)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, "sobol", "a group { samples = ...; }", err);
    }
    for (int k = 0; k < config_setting_length(g); k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        char full[64];
        snprintf(full, sizeof full, "sobol.%s", mn);
        as_status st;
        if (strcmp(mn, "samples") == 0) {
            st = get_u32(file, m, full, 4, 10000000, &s->sobol_samples, err);
        } else if (strcmp(mn, "bootstrap") == 0) {
            st = get_u32(file, m, full, 0, 100000, &s->bootstrap, err);
        } else {
            st = unknown(file, m, "sobol.", sobol_members, 2, err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    return AS_OK;
}

/* Budget "line" or "line/payer" or "total": 0, or -1 if no budget row matches. */
static int parse_budget(const char *v, as_sens_output *o)
{
    o->line[0] = o->payer[0] = '\0';
    if (strcmp(v, "total") == 0) {
        return 0;
    }
    const char *slash = strchr(v, '/');
    size_t ll = slash ? (size_t)(slash - v) : strlen(v);
    if (ll >= sizeof o->line || (slash && strlen(slash + 1) >= sizeof o->payer)) {
        return -1;
    }
    memcpy(o->line, v, ll);
    o->line[ll] = '\0';
    if (slash) {
        snprintf(o->payer, sizeof o->payer, "%s", slash + 1);
    }
    for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
        if (strcmp(as_budget_rows[b].line, o->line) == 0 &&
            (!o->payer[0] || strcmp(as_budget_rows[b].payer, o->payer) == 0)) {
            return 0;
        }
    }
    return -1;
}

static as_status
parse_output(as_sens_spec *s, const char *file, const config_setting_t *g, int index, as_error *err)
{
    char name[64], prefix[72];
    snprintf(name, sizeof name, "outputs[%d]", index + 1);
    snprintf(prefix, sizeof prefix, "%s.", name);
    as_sens_output *o = &s->outputs[index];
    memset(o, 0, sizeof *o);
    o->file_line = line_of(g);
    o->ind = -1;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
        return wrong(file, g, name, "a group { name = ...; indicator = ...; period = ...; }", err);
    }
    const config_setting_t *ncs = NULL, *ics = NULL, *bcs = NULL, *pcs = NULL, *scs = NULL;
    for (int k = 0; k < config_setting_length(g); k++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)k);
        const char *mn = config_setting_name(m);
        if (strcmp(mn, "name") == 0) {
            ncs = m;
        } else if (strcmp(mn, "indicator") == 0) {
            ics = m;
        } else if (strcmp(mn, "budget") == 0) {
            bcs = m;
        } else if (strcmp(mn, "period") == 0) {
            pcs = m;
        } else if (strcmp(mn, "statistic") == 0) {
            scs = m;
        } else {
            return unknown(file, m, prefix, output_members, 5, err);
        }
    }
    if (!ncs || !pcs || (!ics == !bcs)) {
        return as_error_set(err, AS_ERR_INPUT, file, o->file_line, name,
                            "needs name, period and one of indicator or budget");
    }
    char full[96];
    const char *v = NULL;
    snprintf(full, sizeof full, "%s.name", name);
    as_status st = get_string(file, ncs, full, "a name of letters, digits and _", &v, err);
    if (st != AS_OK) {
        return st;
    }
    size_t len = strlen(v);
    int ok = len < sizeof o->name;
    for (size_t k = 0; ok && k < len; k++) {
        char c = v[k];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) {
        return wrong(file, ncs, full, "a name of letters, digits and _ (at most 63)", err);
    }
    snprintf(o->name, sizeof o->name, "%s", v);
    for (int k = 0; k < index; k++) {
        if (strcmp(s->outputs[k].name, o->name) == 0) {
            return as_error_set(err, AS_ERR_INPUT, file, line_of(ncs), full,
                                "\"%s\" is already output %d (line %d)", o->name, k + 1,
                                s->outputs[k].file_line);
        }
    }
    if (ics) {
        snprintf(full, sizeof full, "%s.indicator", name);
        st = get_string(file, ics, full, "the name of an indicator", &v, err);
        if (st != AS_OK) {
            return st;
        }
        for (int i = 0; i < AS_N_INDICATORS; i++) {
            if (strcmp(as_indicators[i].name, v) == 0) {
                o->ind = i;
            }
        }
        if (o->ind < 0) {
            const char *names[AS_N_INDICATORS];
            for (int i = 0; i < AS_N_INDICATORS; i++) {
                names[i] = as_indicators[i].name;
            }
            char hint[96], shown[96];
            as_cal_suggest(v, names, AS_N_INDICATORS, hint, sizeof hint);
            as_scn_printable(v, shown, sizeof shown);
            return as_error_set(err, AS_ERR_INPUT, file, line_of(ics), full,
                                "\"%s\" is not an indicator%s%s%s", shown,
                                hint[0] ? " (did you mean " : "", hint, hint[0] ? "?)" : "");
        }
    } else {
        snprintf(full, sizeof full, "%s.budget", name);
        st = get_string(file, bcs, full, "\"total\", a budget line or \"line/payer\"", &v, err);
        if (st == AS_OK && parse_budget(v, o) != 0) {
            char shown[96];
            as_scn_printable(v, shown, sizeof shown);
            st = as_error_set(err, AS_ERR_INPUT, file, line_of(bcs), full,
                              "\"%s\" is no budget line (\"total\", a line of budget.csv such as "
                              "\"reception\", or \"reception/state\")",
                              shown);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    snprintf(full, sizeof full, "%s.period", name);
    st = get_string(file, pcs, full, "a period \"YYYY\", \"YYYY-MM\" or a span", &v, err);
    if (st != AS_OK) {
        return st;
    }
    char msg[200];
    if (strlen(v) >= sizeof o->period || as_period_parse(v, &o->per, msg, sizeof msg) != 0) {
        return as_error_set(err, AS_ERR_INPUT, file, line_of(pcs), full, "%s",
                            strlen(v) >= sizeof o->period ? "period too long" : msg);
    }
    snprintf(o->period, sizeof o->period, "%s", v);
    if (scs) {
        snprintf(full, sizeof full, "%s.statistic", name);
        v = config_setting_type(scs) == CONFIG_TYPE_STRING ? config_setting_get_string(scs) : NULL;
        if (v && strcmp(v, "sum") == 0) {
            o->agg = AS_AGG_SUM;
        } else if (v && strcmp(v, "mean") == 0) {
            o->agg = AS_AGG_MEAN;
        } else {
            return wrong(file, scs, full, "\"sum\" or \"mean\" (of the period's months)", err);
        }
        o->agg_explicit = 1;
    }
    return AS_OK;
}

static as_status walk_sens(
        void *spec, const char *file, const config_setting_t *root, const char *dir, as_error *err)
{
    (void)dir;
    as_sens_spec *s = spec;
    const config_setting_t *params = NULL, *outputs = NULL;
    for (int k = 0; k < config_setting_length(root); k++) {
        const config_setting_t *m = config_setting_get_elem(root, (unsigned)k);
        const char *mn = config_setting_name(m);
        as_status st = AS_OK;
        if (strcmp(mn, "method") == 0) {
            const char *v = config_setting_type(m) == CONFIG_TYPE_STRING
                                    ? config_setting_get_string(m)
                                    : NULL;
            if (v && strcmp(v, "morris") == 0) {
                s->do_morris = 1;
                s->do_sobol = 0;
            } else if (v && strcmp(v, "sobol") == 0) {
                s->do_morris = 0;
                s->do_sobol = 1;
            } else if (v && strcmp(v, "both") == 0) {
                s->do_morris = s->do_sobol = 1;
            } else {
                st = wrong(file, m, mn, "\"morris\", \"sobol\" or \"both\"", err);
            }
        } else if (strcmp(mn, "seed") == 0) {
            st = get_uint(file, m, mn, 0, INT64_MAX, &s->seed, err);
        } else if (strcmp(mn, "replications") == 0) {
            st = get_u32(file, m, mn, 1, 10000, &s->replications, err);
        } else if (strcmp(mn, "batch") == 0) {
            st = get_u32(file, m, mn, 1, 100000, &s->batch, err);
        } else if (strcmp(mn, "run_end") == 0) {
            st = get_date(file, m, mn, &s->run_end, err);
        } else if (strcmp(mn, "morris") == 0) {
            st = walk_morris(s, file, m, err);
        } else if (strcmp(mn, "sobol") == 0) {
            st = walk_sobol(s, file, m, err);
        } else if (strcmp(mn, "parameters") == 0) {
            params = m;
        } else if (strcmp(mn, "outputs") == 0) {
            outputs = m;
        } else {
            st = unknown(file, m, "", sens_top, sizeof sens_top / sizeof sens_top[0], err);
        }
        if (st != AS_OK) {
            return st;
        }
    }
    if (!params || !outputs) {
        return as_error_set(err, AS_ERR_INPUT, file, 0, !params ? "parameters" : "outputs",
                            "missing (a sensitivity file needs parameters and outputs)");
    }
    as_status st = as_cal_parse_params(file, params, 0, &s->params, &s->n_params, err);
    if (st != AS_OK) {
        return st;
    }
    int n = config_setting_length(outputs);
    if (config_setting_type(outputs) != CONFIG_TYPE_LIST || n == 0 || n > 256) {
        return wrong(file, outputs, "outputs", "a list of 1 to 256 groups ( { name = ...; }, ... )",
                     err);
    }
    s->outputs = calloc((size_t)n, sizeof *s->outputs);
    if (!s->outputs) {
        return nomem(err);
    }
    s->n_outputs = (size_t)n;
    for (int k = 0; k < n && st == AS_OK; k++) {
        st = parse_output(s, file, config_setting_get_elem(outputs, (unsigned)k), k, err);
    }
    return st;
}

static as_sens_spec *sens_new(const char *name)
{
    as_sens_spec *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(name))) {
        free(s);
        return NULL;
    }
    s->run_end = INT32_MIN;
    s->seed = 1;
    s->replications = 1;
    s->batch = 64;
    s->do_morris = s->do_sobol = s->do_oat = 1;
    s->morris_trajectories = 10;
    s->morris_levels = 4;
    s->sobol_samples = 64;
    s->bootstrap = 200;
    return s;
}

void as_sens_spec_destroy(as_sens_spec *s)
{
    if (!s) {
        return;
    }
    free(s->path);
    free(s->params);
    free(s->outputs);
    free(s);
}

as_status as_sens_spec_parse_mem(
        const char *name, const void *data, size_t size, as_sens_spec **out, as_error *err)
{
    *out = NULL;
    as_sens_spec *s = sens_new(name);
    if (!s) {
        return nomem(err);
    }
    as_status st = parse_text(name, data, size, NULL, walk_sens, s, err);
    if (st != AS_OK) {
        as_sens_spec_destroy(s);
        return st;
    }
    *out = s;
    return AS_OK;
}

as_status as_sens_spec_load(const char *path, as_sens_spec **out, as_error *err)
{
    *out = NULL;
    as_sens_spec *s = sens_new(path);
    if (!s) {
        return nomem(err);
    }
    as_status st = load_file(path, "sensitivity file", walk_sens, s, err);
    if (st != AS_OK) {
        as_sens_spec_destroy(s);
        return st;
    }
    *out = s;
    return AS_OK;
}
