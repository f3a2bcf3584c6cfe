/* The outputs of `asylsim calibrate` (include/asylsim/calib.h), written through the output
 * folder (output.h) so that a failed or interrupted calibration leaves nothing half-written:
 * estimates.csv, posterior.csv and populations.csv (ABC), fit.csv, fitted.cfg and manifest.txt.
 * Nothing here depends on the thread count, so every file is byte-identical for any --threads;
 * run.log (the CLI's) holds what is not. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "asylsim/calib.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "as_config.h"
#include "asylsim/calendar.h"
#include "internal.h"

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

/* A number for CSV; "" for NAN. */
static void num(char *buf, size_t n, double x)
{
    if (isnan(x)) {
        buf[0] = '\0';
    } else if (isinf(x)) {
        snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
    } else {
        as_fmt_num(buf, n, x);
    }
}

/* The column name of parameter p: its setting, with ".scale" for a scale factor. */
static void param_name(const as_param *p, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", as_schema[p->id].name, p->scale ? ".scale" : "");
}

static const char *prior_name(as_prior p)
{
    return p == AS_PRIOR_LOG_UNIFORM ? "log_uniform" : "uniform";
}

static as_status
write_estimates(const as_calib *c, const as_calib_result *r, const as_outdir *o, as_error *err)
{
    static const char name[] = "estimates.csv";
    const as_calib_spec *sp = as_calib_spec_of(c);
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    int abc = r->method == AS_CALIB_ABC_SMC;
    fprintf(f, "parameter,prior,lower,upper,estimate,%s,q05,q50,q95\n", abc ? "sd" : "se");
    for (size_t j = 0; j < r->n_params; j++) {
        char pn[160], a[5][40], lo[40], hi[40];
        param_name(&sp->params[j], pn, sizeof pn);
        num(lo, sizeof lo, sp->params[j].lower);
        num(hi, sizeof hi, sp->params[j].upper);
        num(a[0], sizeof a[0], r->estimate[j]);
        num(a[1], sizeof a[1], r->sd[j]);
        num(a[2], sizeof a[2], r->q05[j]);
        num(a[3], sizeof a[3], r->q50[j]);
        num(a[4], sizeof a[4], r->q95[j]);
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", pn, prior_name(sp->params[j].prior), lo, hi,
                a[0], a[1], a[2], a[3], a[4]);
    }
    return as_outdir_fclose(o, name, f, err);
}

static as_status
write_posterior(const as_calib *c, const as_calib_result *r, const as_outdir *o, as_error *err)
{
    static const char name[] = "posterior.csv";
    const as_calib_spec *sp = as_calib_spec_of(c);
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    fputs("particle,weight,distance", f);
    for (size_t j = 0; j < r->n_params; j++) {
        char pn[160];
        param_name(&sp->params[j], pn, sizeof pn);
        fprintf(f, ",%s", pn);
    }
    fputc('\n', f);
    for (size_t i = 0; i < r->n_particles && !ferror(f); i++) {
        char w[40], d[40];
        num(w, sizeof w, r->weights[i]);
        num(d, sizeof d, r->distances[i]);
        fprintf(f, "%zu,%s,%s", i + 1, w, d);
        for (size_t j = 0; j < r->n_params; j++) {
            char v[40];
            num(v, sizeof v, r->particles[i * r->n_params + j]);
            fprintf(f, ",%s", v);
        }
        fputc('\n', f);
    }
    return as_outdir_fclose(o, name, f, err);
}

static as_status write_populations(const as_calib_result *r, const as_outdir *o, as_error *err)
{
    static const char name[] = "populations.csv";
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    fputs("population,tolerance,candidates,accepted,acceptance,ess,simulations\n", f);
    for (size_t t = 0; t < r->n_populations; t++) {
        const as_abc_population *p = &r->populations[t];
        char tol[40], acc[40], ess[40];
        num(tol, sizeof tol, p->tolerance);
        num(acc, sizeof acc, (double)p->accepted / (double)p->candidates);
        num(ess, sizeof ess, p->ess);
        fprintf(f, "%zu,%s,%" PRIu64 ",%u,%s,%s,%" PRIu64 "\n", t, tol, p->candidates,
                (unsigned)p->accepted, acc, ess, p->simulations);
    }
    return as_outdir_fclose(o, name, f, err);
}

static as_status
write_fit(const as_calib *c, const as_calib_result *r, const as_outdir *o, as_error *err)
{
    static const char name[] = "fit.csv";
    const as_targets *ts = as_calib_targets(c);
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    fputs("target,period,observed,sd,simulated_mean,p05,p95,z\n", f);
    for (size_t k = 0; k < r->n_targets; k++) {
        const as_target *t = as_targets_get(ts, k);
        double sd = as_calib_target_sd(c, k);
        char a[6][40];
        num(a[0], sizeof a[0], t->value);
        num(a[1], sizeof a[1], sd);
        num(a[2], sizeof a[2], r->fit_mean[k]);
        num(a[3], sizeof a[3], r->fit_p05[k]);
        num(a[4], sizeof a[4], r->fit_p95[k]);
        num(a[5], sizeof a[5], (r->fit_mean[k] - t->value) / sd);
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s\n", t->series, t->period, a[0], a[1], a[2], a[3], a[4],
                a[5]);
    }
    return as_outdir_fclose(o, name, f, err);
}

/* ---- fitted.cfg ---- */

/* Splits an absolute path into its components (in place); the count. */
static size_t split_path(char *p, char **parts, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(p, "/", &save); tok && n < max; tok = strtok_r(NULL, "/", &save)) {
        parts[n++] = tok;
    }
    return n;
}

/* The path of file `to` (absolute) relative to folder `from` (absolute). New string or NULL. */
static char *relative_path(const char *from, const char *to)
{
    char *a = strdup(from), *b = strdup(to);
    char *pa[256], *pb[256];
    char *out = NULL;
    if (a && b) {
        size_t na = split_path(a, pa, 256), nb = split_path(b, pb, 256);
        size_t common = 0;
        while (common < na && common + 1 < nb && strcmp(pa[common], pb[common]) == 0) {
            common++;
        }
        size_t len = 1;
        for (size_t k = common; k < na; k++) {
            len += 3;
        }
        for (size_t k = common; k < nb; k++) {
            len += strlen(pb[k]) + 1;
        }
        out = malloc(len);
        if (out) {
            size_t o = 0;
            for (size_t k = common; k < na; k++) {
                memcpy(out + o, "../", 3);
                o += 3;
            }
            for (size_t k = common; k < nb; k++) {
                size_t l = strlen(pb[k]);
                memcpy(out + o, pb[k], l);
                o += l;
                out[o++] = k + 1 < nb ? '/' : '\0';
            }
            if (o == 0) {
                out[0] = '\0';
            }
        }
    }
    free(a);
    free(b);
    return out;
}

/* The absolute final output folder: the real parent of the temporary folder, plus the final
 * folder's own name. New string or NULL. */
static char *final_dir_abs(const as_outdir *o)
{
    char *tmp = realpath(as_outdir_tmp(o), NULL);
    if (!tmp) {
        return NULL;
    }
    char *slash = strrchr(tmp, '/');
    if (slash) {
        *slash = '\0';
    }
    char *fin = strdup(as_outdir_final(o));
    if (!fin) {
        free(tmp);
        return NULL;
    }
    size_t l = strlen(fin);
    while (l > 1 && fin[l - 1] == '/') {
        fin[--l] = '\0';
    }
    const char *leaf = strrchr(fin, '/') ? strrchr(fin, '/') + 1 : fin;
    size_t n = strlen(tmp) + strlen(leaf) + 2;
    char *out = malloc(n);
    if (out) {
        snprintf(out, n, "%s/%s", tmp[0] ? tmp : "", leaf);
    }
    free(tmp);
    free(fin);
    return out;
}

static as_status
write_fitted(const as_calib *c, const as_calib_result *r, const as_outdir *o, as_error *err)
{
    static const char name[] = "fitted.cfg";
    const as_calib_spec *sp = as_calib_spec_of(c);
    char *dir = final_dir_abs(o);
    char *base_abs = realpath(sp->base_path, NULL);
    char *rel = dir && base_abs ? relative_path(dir, base_abs) : NULL;
    free(dir);
    free(base_abs);
    if (!rel) {
        return as_error_set(err, AS_ERR_RUNTIME, sp->base_path, 0, NULL,
                            "cannot work out the path of the base scenario from the output folder");
    }
    size_t k = r->n_params;
    char **notes = calloc(k, sizeof *notes);
    if (!notes) {
        free(rel);
        return nomem(err);
    }
    int abc = r->method == AS_CALIB_ABC_SMC;
    for (size_t j = 0; j < k; j++) {
        char lo[40] = "?", hi[40] = "?", sd[40] = "?";
        if (isfinite(r->q05[j])) {
            snprintf(lo, sizeof lo, "%.4g", r->q05[j]);
        }
        if (isfinite(r->q95[j])) {
            snprintf(hi, sizeof hi, "%.4g", r->q95[j]);
        }
        if (isfinite(r->sd[j])) {
            snprintf(sd, sizeof sd, "%.3g", r->sd[j]);
        }
        notes[j] = malloc(200);
        if (notes[j]) {
            snprintf(notes[j], 200, "%s%s; 90%% interval %s to %s; %s %s",
                     sp->params[j].scale ? "the base's steps x " : "",
                     sp->params[j].scale ? "the fitted factor" : "fitted", lo, hi,
                     abc ? "posterior sd" : "se", sd);
        }
    }
    char *groups = as_cal_overrides_text(as_calib_base(c), sp->params, k, r->estimate,
                                         (const char *const *)notes);
    for (size_t j = 0; j < k; j++) {
        free(notes[j]);
    }
    free(notes);
    if (!groups) {
        free(rel);
        return nomem(err);
    }
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        free(rel);
        free(groups);
        return err->code;
    }
    const char *stem = strrchr(sp->path, '/') ? strrchr(sp->path, '/') + 1 : sp->path;
    fprintf(f,
            "# Fitted by asylsim calibrate from %s: %s (seed %" PRIu64 ").\n"
            "# The base scenario with the fitted values from the first day; run it with\n"
            "#   asylsim run fitted.cfg\n",
            stem, abc ? "ABC-SMC posterior means" : "simulated method of moments estimates",
            r->seed);
    fputs("base = \"", f);
    for (const char *p = rel; *p; p++) {
        if (*p == '"' || *p == '\\') {
            fputc('\\', f);
        }
        fputc(*p, f);
    }
    fputs("\";\noverrides_from = \"start\";\n\n", f);
    fputs(groups, f);
    free(rel);
    free(groups);
    return as_outdir_fclose(o, name, f, err);
}

/* ---- manifest ---- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static as_status write_manifest(const as_calib *c,
                                const as_calib_result *r,
                                const as_outdir *o,
                                uint64_t seed,
                                as_error *err)
{
    static const char name[] = "manifest.txt";
    const as_calib_spec *sp = as_calib_spec_of(c);
    as_scenario *fitted = NULL;
    as_status st = as_calib_fitted_scenario(c, r->estimate, &fitted, err);
    if (st != AS_OK) {
        return st;
    }
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        as_scenario_destroy(fitted);
        return err->code;
    }
    const char *stem = strrchr(sp->path, '/') ? strrchr(sp->path, '/') + 1 : sp->path;
    fprintf(f, "asylsim %s\ncommand: calibrate\ncalibration: %s\n", AS_VERSION, stem);
    fprintf(f, "method: %s\nseed: %" PRIu64 "\n", r->method == AS_CALIB_ABC_SMC ? "abc_smc" : "smm",
            seed);
    if (r->method == AS_CALIB_ABC_SMC) {
        fprintf(f,
                "abc: populations %u, particles %u, replications %u, batch %u, quantile %g, "
                "min_acceptance %g\n",
                (unsigned)sp->abc.populations, (unsigned)sp->abc.particles,
                (unsigned)sp->abc.replications, (unsigned)sp->abc.batch, sp->abc.quantile,
                sp->abc.min_acceptance);
        fprintf(f, "populations completed: %zu (%s)\n", r->n_populations, r->stop_reason);
    } else {
        fprintf(f, "smm: iterations %u, replications %u, tolerance %g, step %g, jacobian_step %g\n",
                (unsigned)sp->smm.iterations, (unsigned)sp->smm.replications, sp->smm.tolerance,
                sp->smm.step, sp->smm.jacobian_step);
        fprintf(f, "iterations: %u (%s)\nobjective: %.10g\n", (unsigned)r->iterations,
                r->converged ? "converged" : "not converged", r->objective);
    }
    fprintf(f, "simulations: %" PRIu64 "\nfit replications: %u\n", r->simulations,
            (unsigned)r->fit_reps);
    if (sp->run_end != INT32_MIN) {
        char d[11];
        as_date_format(sp->run_end, d);
        fprintf(f, "run_end: %s\n", d);
    }
    const as_targets *ts = as_calib_targets(c);
    uint64_t h = 14695981039346656037ULL;
    for (size_t k = 0; k < as_targets_count(ts); k++) {
        const as_target *t = as_targets_get(ts, k);
        char line[300], v[40];
        as_fmt_num(v, sizeof v, t->value);
        snprintf(line, sizeof line, "%s,%s,%s,%.17g\n", t->series, t->period, v,
                 as_calib_target_sd(c, k));
        h = fnv1a(h, line);
    }
    fprintf(f, "targets: %zu, hash %016" PRIx64 ", default_rel_sd %g\n", as_targets_count(ts), h,
            sp->default_rel_sd);
    fputs("parameters:\n", f);
    for (size_t j = 0; j < sp->n_params; j++) {
        char pn[160];
        param_name(&sp->params[j], pn, sizeof pn);
        fprintf(f, "  %s %s [%g, %g]\n", pn, prior_name(sp->params[j].prior), sp->params[j].lower,
                sp->params[j].upper);
    }
    fprintf(f, "base scenario: %s, hash %016" PRIx64 "\n", as_scn_name(as_calib_base(c)),
            as_scenario_hash(as_calib_base(c)));
    fprintf(f, "\nfitted scenario: hash %016" PRIx64 "\nsettings:\n", as_scenario_hash(fitted));
    as_scenario_write_settings(fitted, f);
    as_scenario_destroy(fitted);
    return as_outdir_fclose(o, name, f, err);
}

as_status
as_calib_write(const as_calib *c, const as_calib_result *r, const as_outdir *o, as_error *err)
{
    as_status st = write_estimates(c, r, o, err);
    if (st == AS_OK && r->method == AS_CALIB_ABC_SMC) {
        st = write_posterior(c, r, o, err);
    }
    if (st == AS_OK && r->method == AS_CALIB_ABC_SMC) {
        st = write_populations(r, o, err);
    }
    if (st == AS_OK) {
        st = write_fit(c, r, o, err);
    }
    if (st == AS_OK) {
        st = write_fitted(c, r, o, err);
    }
    if (st == AS_OK) {
        st = write_manifest(c, r, o, r->seed, err);
    }
    return st;
}
