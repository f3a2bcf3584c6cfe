/* Plots (include/asylsim/output.h): writes the data the gnuplot scripts of plots/ read
 * (tab-separated files under <output>/plots/data) and runs gnuplot on each script for PNG and
 * SVG. gnuplot is an external program: when it is not installed the plots are skipped with a note
 * (every CSV and summary.md are still written); when a script fails, its messages are kept in
 * plots/gnuplot.log and the note says so. The scripts are found in $ASYLSIM_PLOTS, the source
 * tree (a build run in place) or the installed data folder. */
#include "asylsim/output.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "as_config.h"
#include "asylsim/compare.h"

extern char **environ;

/* Key stocks of the fan charts (plots/fan.gp reads them in this order). */
static const as_indicator_id fan_ind[4] = {AS_IND_PROTECTED_IN_LATVIA, AS_IND_HOUSED,
                                           AS_IND_EMPLOYED, AS_IND_IN_RECEPTION};

/* 1 if `name` is an executable file on PATH. */
static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) {
        return 0;
    }
    char buf[4096];
    for (const char *p = path; *p;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, name);
        if (access(buf, X_OK) == 0) {
            return 1;
        }
        p = e ? e + 1 : p + len;
    }
    return 0;
}

/* The folder of the gnuplot scripts, or NULL. */
static const char *scripts_dir(void)
{
    const char *env = getenv("ASYLSIM_PLOTS");
    const char *cand[3] = {env, AS_SOURCE_PLOTS_DIR, AS_PLOTS_DIR};
    for (int i = 0; i < 3; i++) {
        if (!cand[i] || !*cand[i]) {
            continue;
        }
        char probe[4096];
        snprintf(probe, sizeof probe, "%s/common.gp", cand[i]);
        if (access(probe, R_OK) == 0) {
            return cand[i];
        }
    }
    return NULL;
}

static FILE *open_data(const char *dir, const char *name, as_error *err)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        as_error_set(err, AS_ERR_RUNTIME, path, 0, NULL, "cannot write: %s", strerror(errno));
    }
    return f;
}

static as_status close_data(FILE *f, const char *dir, const char *name, as_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        return as_error_set(err, AS_ERR_RUNTIME, path, 0, NULL, "write failed: %s",
                            strerror(errno ? errno : EIO));
    }
    return AS_OK;
}

static void summary_of(double *x, uint32_t n, double *scratch, as_summary *s)
{
    as_summarize(x, n, scratch, s);
}

/* fan_<k>.dat: date, then mean, p05, p95 of each fan indicator. */
static as_status write_fan(const char *dir, const as_run_set *s, size_t k, double *x, as_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "fan_%zu.dat", k);
    FILE *f = open_data(dir, name, err);
    if (!f) {
        return err->code;
    }
    for (int m = 0; m < s->grid.n_months; m++) {
        char label[8];
        as_grid_label(&s->grid, m, label);
        fprintf(f, "%s-15", label);
        for (int j = 0; j < 4; j++) {
            for (uint32_t r = 0; r < s->reps; r++) {
                x[r] = as_run_value(s, r, fan_ind[j], m);
            }
            as_summary su;
            summary_of(x, s->reps, x + s->reps, &su);
            fprintf(f, "\t%.6g\t%.6g\t%.6g", su.mean, su.p05, su.p95);
        }
        fputc('\n', f);
    }
    return close_data(f, dir, name, err);
}

/* cohorts.dat: one block per scenario: months since status, then the mean of each share of
 * cohort group `group`. */
static as_status write_cohorts(
        const char *dir, const as_run_set *sets, size_t n, int group, double *x, as_error *err)
{
    FILE *f = open_data(dir, "cohorts.dat", err);
    if (!f) {
        return err->code;
    }
    static const int order[4] = {AS_SH_HOUSED, AS_SH_EMPLOYED, AS_SH_IN_LATVIA, AS_SH_A2_PLUS};
    for (size_t k = 0; k < n; k++) {
        const as_run_set *s = &sets[k];
        for (int mm = 0; mm <= AS_COHORT_MONTHS; mm++) {
            double v[4];
            int ok = 1;
            for (int j = 0; j < 4; j++) {
                uint32_t nx = 0;
                for (uint32_t r = 0; r < s->reps; r++) {
                    double sh = as_cohort_share(s, r, group, order[j], mm);
                    if (isfinite(sh)) {
                        x[nx++] = sh;
                    }
                }
                if (nx == 0) {
                    ok = 0;
                    break;
                }
                as_summary su;
                summary_of(x, nx, x + nx, &su);
                v[j] = su.mean;
            }
            if (ok) {
                fprintf(f, "%d\t%.6g\t%.6g\t%.6g\t%.6g\n", mm, v[0], v[1], v[2], v[3]);
            }
        }
        fputs("\n\n", f);
    }
    return close_data(f, dir, "cohorts.dat", err);
}

/* budget_<k>.dat: a header of line names, then per year the mean EUR of each line (payers
 * summed). */
static as_status write_budget(const char *dir, const as_run_set *s, size_t k, as_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "budget_%zu.dat", k);
    FILE *f = open_data(dir, name, err);
    if (!f) {
        return err->code;
    }
    const char *lines[AS_N_BUDGET_ROWS];
    int nl = 0;
    for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
        int seen = 0;
        for (int j = 0; j < nl; j++) {
            seen |= strcmp(lines[j], as_budget_rows[b].line) == 0;
        }
        if (!seen) {
            lines[nl++] = as_budget_rows[b].line;
        }
    }
    fputs("year", f);
    for (int j = 0; j < nl; j++) {
        fprintf(f, "\t%s", lines[j]);
    }
    fputc('\n', f);
    as_year years[1200];
    int ny = as_grid_years(&s->grid, years, 1200);
    for (int y = 0; y < ny; y++) {
        fprintf(f, "%d", years[y].year);
        for (int j = 0; j < nl; j++) {
            double total = 0;
            for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
                if (strcmp(as_budget_rows[b].line, lines[j]) != 0) {
                    continue;
                }
                for (uint32_t r = 0; r < s->reps; r++) {
                    total += as_budget_sum(s, r, b, years[y].m0, years[y].m1);
                }
            }
            fprintf(f, "\t%.2f", total / s->reps);
        }
        fputc('\n', f);
    }
    return close_data(f, dir, name, err);
}

/* forest.dat and ce.dat from the headlines of the reforms. */
static as_status write_effects(const char *dir, const as_run_set *sets, size_t n, as_error *err)
{
    FILE *fo = open_data(dir, "forest.dat", err);
    if (!fo) {
        return err->code;
    }
    FILE *fc = open_data(dir, "ce.dat", err);
    if (!fc) {
        fclose(fo);
        return err->code;
    }
    for (size_t k = 1; k < n; k++) {
        as_headline h;
        if (as_headline_compute(&sets[0], &sets[k], &h) != AS_OK) {
            fclose(fo);
            fclose(fc);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        fprintf(fo, "%s", as_scn_name(sets[k].scn));
        for (int q = 0; q < 3; q++) {
            const as_summary *d = &h.d_share[q][1];
            fprintf(fo, "\t%.4g\t%.4g\t%.4g", 100 * d->mean, 100 * d->p05, 100 * d->p95);
        }
        fprintf(fo, "\t%.2f\t%.2f\t%.2f\n", h.net_per_year.mean, h.net_per_year.p05,
                h.net_per_year.p95);
        fprintf(fc, "%s\t%.4g\t%.4g\t%.4g\t%.2f\t%.2f\t%.2f\n", as_scn_name(sets[k].scn),
                h.d_housed24.mean, h.d_housed24.p05, h.d_housed24.p95, h.net_per_year.mean,
                h.net_per_year.p05, h.net_per_year.p95);
    }
    as_status st = close_data(fo, dir, "forest.dat", err);
    as_status st2 = close_data(fc, dir, "ce.dat", st == AS_OK ? err : &(as_error){0});
    return st != AS_OK ? st : st2;
}

/* dose_<file>.dat for each swept file: value, the housed-at-24-months effect and the net cost. */
static as_status write_doses(const char *dir,
                             const as_run_set *sets,
                             size_t n,
                             const as_plan *plan,
                             char *sweeps,
                             size_t sweeps_n,
                             as_error *err)
{
    sweeps[0] = '\0';
    for (size_t i = 1; i < n; i++) {
        if (plan->setting[i] < 0 || (i > 1 && plan->file[i - 1] == plan->file[i])) {
            continue; /* not a sweep, or not the first variant of its file */
        }
        char stem[256];
        snprintf(stem, sizeof stem, "%s", as_scn_name(sets[i].scn));
        char *at = strchr(stem, '@');
        if (at) {
            *at = '\0';
        }
        char name[300];
        snprintf(name, sizeof name, "dose_%s.dat", stem);
        FILE *f = open_data(dir, name, err);
        if (!f) {
            return err->code;
        }
        for (size_t j = i; j < n && plan->file[j] == plan->file[i]; j++) {
            as_headline h;
            if (as_headline_compute(&sets[0], &sets[j], &h) != AS_OK) {
                fclose(f);
                return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            }
            const as_summary *d = &h.d_share[0][1];
            fprintf(f, "%.10g\t%.4g\t%.4g\t%.4g\t%.2f\t%.2f\t%.2f\n", plan->value[j], 100 * d->mean,
                    100 * d->p05, 100 * d->p95, h.net_per_year.mean, h.net_per_year.p05,
                    h.net_per_year.p95);
        }
        as_status st = close_data(f, dir, name, err);
        if (st != AS_OK) {
            return st;
        }
        size_t used = strlen(sweeps);
        snprintf(sweeps + used, sweeps_n - used, "%s%s %s", used ? "|" : "", stem,
                 as_schema[plan->setting[i]].name);
    }
    return AS_OK;
}

/* Runs gnuplot on one script with the given variables; stdout and stderr go to `log`. Returns
 * the exit status (127 if it could not start). */
static int run_gnuplot(const char *scripts, const char *script, const char *vars, const char *log)
{
    char setup[16384], path[4096];
    snprintf(setup, sizeof setup, "set loadpath '%s'; %s", scripts, vars);
    snprintf(path, sizeof path, "%s/%s", scripts, script);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv[] = {"gnuplot", "-e", setup, path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        return 127;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return 127;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

as_status as_write_plots(const as_outdir *o,
                         const as_run_set *sets,
                         size_t n,
                         int compare,
                         const as_plan *plan,
                         char *note,
                         size_t note_n,
                         as_error *err)
{
    const char *scripts = scripts_dir();
    if (!on_path("gnuplot")) {
        snprintf(note, note_n, "skipped: gnuplot is not installed (Debian: gnuplot-nox)");
        return AS_OK;
    }
    if (!scripts) {
        snprintf(note, note_n,
                 "skipped: the plot scripts (plots/ of the source tree) were not "
                 "found; set ASYLSIM_PLOTS to their folder");
        return AS_OK;
    }
    char pdir[4096], ddir[4200], log[4300];
    snprintf(pdir, sizeof pdir, "%s/plots", as_outdir_tmp(o));
    snprintf(ddir, sizeof ddir, "%s/data", pdir);
    if ((mkdir(pdir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(ddir, 0777) != 0 && errno != EEXIST)) {
        return as_error_set(err, AS_ERR_RUNTIME, pdir, 0, NULL, "cannot create: %s",
                            strerror(errno));
    }
    snprintf(log, sizeof log, "%s/gnuplot.log", pdir);
    uint32_t reps = 1;
    for (size_t k = 0; k < n; k++) {
        reps = sets[k].reps > reps ? sets[k].reps : reps;
    }
    double *x = malloc(2 * (size_t)reps * sizeof *x);
    size_t names_n = 64 + n * 256;
    char *names = malloc(names_n);
    char *sweeps = malloc(8192);
    if (!x || !names || !sweeps) {
        free(x);
        free(names);
        free(sweeps);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    as_status st = AS_OK;
    names[0] = '\0';
    for (size_t k = 0; k < n && st == AS_OK; k++) {
        size_t used = strlen(names);
        snprintf(names + used, names_n - used, "%s%s", k ? " " : "", as_scn_name(sets[k].scn));
        st = write_fan(ddir, &sets[k], k, x, err);
        if (st == AS_OK) {
            st = write_budget(ddir, &sets[k], k, err);
        }
    }
    if (st == AS_OK) {
        st = write_cohorts(ddir, sets, n, compare ? 1 : 0, x, err);
    }
    if (st == AS_OK && compare && n > 1) {
        st = write_effects(ddir, sets, n, err);
    }
    if (st == AS_OK && compare && n > 1) {
        st = write_doses(ddir, sets, n, plan, sweeps, 8192, err);
    }
    free(x);
    int failed = 0, figures = 0;
    if (st == AS_OK) {
        static const char *const fmts[2] = {"png", "svg"};
        char *refs = malloc(names_n);
        char *vars = malloc(names_n * 2 + 8192);
        if (!refs || !vars) {
            st = as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        if (refs) {
            const char *sp = strchr(names, ' ');
            snprintf(refs, names_n, "%s", sp ? sp + 1 : "");
        }
        for (int fi = 0; st == AS_OK && fi < 2; fi++) {
            snprintf(vars, names_n * 2 + 8192,
                     "datadir='%s'; outdir='%s'; fmt='%s'; names='%s'; nscn=%zu; refs='%s'; "
                     "nref=%zu; cohort_title='%s'",
                     ddir, pdir, fmts[fi], names, n, refs, n - 1,
                     compare ? "Persons granted status from the reform start"
                             : "Persons granted status in the horizon");
            static const char *const all[3] = {"fan.gp", "cohorts.gp", "budget.gp"};
            for (int j = 0; j < 3; j++) {
                failed += run_gnuplot(scripts, all[j], vars, log) != 0;
                figures++;
            }
            if (compare && n > 1) {
                failed += run_gnuplot(scripts, "forest.gp", vars, log) != 0;
                failed += run_gnuplot(scripts, "ce.gp", vars, log) != 0;
                figures += 2;
                for (char *sw = sweeps; *sw;) {
                    char *bar = strchr(sw, '|');
                    char one[512];
                    snprintf(one, sizeof one, "%.*s", bar ? (int)(bar - sw) : (int)strlen(sw), sw);
                    char *space = strchr(one, ' ');
                    if (space) {
                        *space = '\0';
                        char v2[8192 + 1024];
                        snprintf(v2, sizeof v2, "%s; sweep='%s'; setting='%s'", vars, one,
                                 space + 1);
                        failed += run_gnuplot(scripts, "dose.gp", v2, log) != 0;
                        figures++;
                    }
                    sw = bar ? bar + 1 : sw + strlen(sw);
                }
            }
        }
        free(refs);
        free(vars);
    }
    free(names);
    free(sweeps);
    if (st != AS_OK) {
        return st;
    }
    if (failed) {
        snprintf(note, note_n,
                 "%d of %d gnuplot runs failed; their messages are in plots/gnuplot.log", failed,
                 figures);
    } else {
        snprintf(note, note_n,
                 "PNG and SVG figures drawn by gnuplot from the plots/ scripts; "
                 "their data in plots/data");
        unlink(log);
    }
    return AS_OK;
}
