/* `asylsim calibrate CALIB.cfg [--out DIR] [--threads T] [--seed S] [--quiet] [--force]`: loads
 * the calibration file, its base scenario and targets (every error before any output), runs
 * ABC-SMC or the simulated method of moments (sim/calib) with a progress line on stderr when it
 * is a terminal, writes the output folder through a temporary sibling (estimates, posterior, fit,
 * fitted.cfg, manifest, run.log, figures) and prints the estimates. Under mpirun every rank loads,
 * checks and runs the method (include/asylsim/parallel.h); rank 0 alone prints and writes. */
#include "cli.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asylsim/calib.h"
#include "asylsim/memory.h"
#include "asylsim/output.h"
#include "asylsim/parallel.h"

static void usage(FILE *f)
{
    fputs("usage: asylsim calibrate CALIB.cfg [--out DIR] [--threads T] [--seed S] [--quiet]\n"
          "                         [--force]\n"
          "\n"
          "Fits the parameters of a calibration file to its targets, by ABC-SMC (method =\n"
          "\"abc_smc\") or the simulated method of moments (method = \"smm\"), and writes into "
          "DIR\n"
          "(default results/<stem of CALIB.cfg>):\n"
          "  estimates.csv     parameter,prior,lower,upper,estimate,sd|se,q05,q50,q95\n"
          "  posterior.csv     ABC: the final particles with their weights\n"
          "  populations.csv   ABC: tolerance, acceptance and effective sample size per "
          "population\n"
          "  fit.csv           target,period,observed,sd,simulated_mean,p05,p95,z\n"
          "  fitted.cfg        the base scenario with the fitted values (asylsim run fitted.cfg)\n"
          "  manifest.txt      version, seed, budget, targets and the fitted settings\n"
          "  run.log           command line, threads, host, times (not reproducible)\n"
          "  plots/            fit and posterior figures, when gnuplot is installed\n"
          "\n"
          "  --out DIR      output folder; an earlier asylsim output there is replaced\n"
          "  --threads T    worker threads (default: the number of processors); the output is\n"
          "                 byte-identical for any T\n"
          "                 (mpirun -np K asylsim calibrate ...: the simulations are shared out\n"
          "                 over K processes of T threads each; the same output)\n"
          "  --seed S       calibration seed (default: seed of the calibration file)\n"
          "  --quiet        no progress line and no summary\n"
          "  --force        replace a non-empty DIR even if it holds no asylsim output\n"
          "\n"
          "docs/calibration.md describes the file formats and the methods.\n"
          "Exit status: 0 success, 1 run-time failure, 2 bad input or usage, 129/130/143 "
          "interrupted\n"
          "(no output folder is left behind).\n",
          f);
}

typedef struct cal_args {
    const char *file;
    as_cli_common c; /* --seed, --threads, --out, --quiet, --force */
} cal_args;

/* Returns -1 to continue, or an exit code. */
static int parse(int argc, char **argv, cal_args *a)
{
    memset(a, 0, sizeof *a);
    a->c.cmd = "calibrate";
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int taken = as_cli_take_common(argc, argv, &i, &a->c);
        if (taken < 0) {
            return 2;
        } else if (taken) {
            continue;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return as_cli_bad_usage(a->c.cmd, "unknown option '%s'", arg);
        } else if (a->file) {
            return as_cli_bad_usage(a->c.cmd, "one calibration file at a time, not also '%s'", arg);
        } else {
            a->file = arg;
        }
    }
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    return -1;
}

static void on_progress(void *ctx, const as_calib_progress *p)
{
    as_cli_progress *pr = ctx;
    if (!pr->show) {
        return;
    }
    char bar[21];
    as_cli_progress_bar20(bar, p->done, p->total);
    double el = as_cli_progress_seconds(pr);
    char what[160];
    if (strcmp(p->stage, "population") == 0 || strcmp(p->stage, "prior") == 0) {
        char tol[32] = "inf", acc[32] = "";
        if (isfinite(p->tolerance)) {
            snprintf(tol, sizeof tol, "%.4g", p->tolerance);
        }
        if (isfinite(p->acceptance)) {
            snprintf(acc, sizeof acc, "  acceptance %.1f%%", 100 * p->acceptance);
        }
        snprintf(what, sizeof what,
                 "population %u/%u  particles %" PRIu64 "/%" PRIu64 "  tolerance %s%s",
                 (unsigned)p->step, (unsigned)p->steps, p->done, p->total, tol, acc);
    } else if (strcmp(p->stage, "simplex") == 0) {
        snprintf(what, sizeof what, "simplex iteration %u/%u  objective %.6g", (unsigned)p->step,
                 (unsigned)p->steps, p->tolerance);
    } else {
        snprintf(what, sizeof what, "%s %" PRIu64 "/%" PRIu64, p->stage, p->done, p->total);
    }
    fprintf(stderr, "\r[%s] %s  %" PRIu64 " runs  %.0fs\033[K", bar, what, p->simulated, el);
    fflush(stderr);
}

/* Draws the figures; a note for run.log says what happened. */
static void
plots(const as_outdir *o, const as_calib *c, const as_calib_result *r, char *note, size_t n)
{
    const char *dir = as_cli_scripts_dir("calib-fit.gp");
    if (!dir) {
        snprintf(note, n, "skipped: plots/calib-fit.gp not found");
        return;
    }
    /* The target series, each once in file order, as a gnuplot word list. */
    const as_targets *ts = as_calib_targets(c);
    size_t nt = as_targets_count(ts), len = 64;
    for (size_t k = 0; k < nt; k++) {
        len += strlen(as_targets_get(ts, k)->series) + 1;
    }
    char *vars = malloc(len);
    if (!vars) {
        snprintf(note, n, "skipped: out of memory");
        return;
    }
    size_t used = (size_t)snprintf(vars, len, "nparams=%zu; series='", r->n_params);
    int first = 1;
    for (size_t k = 0; k < nt; k++) {
        const char *s = as_targets_get(ts, k)->series;
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++) {
            seen = strcmp(as_targets_get(ts, j)->series, s) == 0;
        }
        if (!seen) {
            used += (size_t)snprintf(vars + used, len - used, "%s%s", first ? "" : " ", s);
            first = 0;
        }
    }
    snprintf(vars + used, len - used, "'");
    char script[4200];
    snprintf(script, sizeof script, "%s/calib-fit.gp", dir);
    int rc = as_calib_gnuplot(o, script, vars);
    if (rc == 0 && r->method == AS_CALIB_ABC_SMC) {
        snprintf(script, sizeof script, "%s/calib-posterior.gp", dir);
        rc = as_calib_gnuplot(o, script, vars);
    }
    free(vars);
    snprintf(note, n, "%s", as_cli_plot_note(rc));
}

static as_status write_log(const as_outdir *o,
                           int argc,
                           char **argv,
                           unsigned threads,
                           double wall,
                           const as_calib_result *r,
                           const char *plot_note,
                           as_error *err)
{
    FILE *f = as_cli_log_open(o, "calibrate", argc, argv, threads, wall, err);
    if (!f) {
        return err->code;
    }
    fprintf(f, "simulations: %" PRIu64 "\nreplications_per_second: %.1f\nplots: %s\n",
            r->simulations, wall > 0 ? (double)r->simulations / wall : 0.0, plot_note);
    return as_outdir_fclose(o, "run.log", f, err);
}

static void print_summary(const as_calib *c, const as_calib_result *r, const char *dir, double wall)
{
    const as_calib_spec *sp = as_calib_spec_of(c);
    int abc = r->method == AS_CALIB_ABC_SMC;
    printf("%s: %" PRIu64 " simulations in %.0f s\n", abc ? "ABC-SMC" : "SMM", r->simulations,
           wall);
    if (abc) {
        for (size_t t = 0; t < r->n_populations; t++) {
            const as_abc_population *p = &r->populations[t];
            printf("  population %zu: tolerance %.4g, acceptance %.1f%%, ESS %.0f\n", t,
                   p->tolerance, 100.0 * p->accepted / (double)p->candidates, p->ess);
        }
        printf("  stop: %s\n", r->stop_reason);
    } else {
        printf("  objective %.4g after %u iterations (%s), %zu targets, %zu parameters\n",
               r->objective, (unsigned)r->iterations, r->converged ? "converged" : "not converged",
               r->n_targets, r->n_params);
    }
    printf("%-40s %12s %12s %12s %12s\n", "parameter", "estimate", abc ? "sd" : "se", "q05", "q95");
    for (size_t j = 0; j < r->n_params; j++) {
        char pn[160];
        snprintf(pn, sizeof pn, "%s%s", as_schema[sp->params[j].id].name,
                 sp->params[j].scale ? " (x)" : "");
        printf("%-40s %12.5g %12.5g %12.5g %12.5g\n", pn, r->estimate[j], r->sd[j], r->q05[j],
               r->q95[j]);
    }
    size_t inside = 0;
    const as_targets *ts = as_calib_targets(c);
    for (size_t k = 0; k < r->n_targets; k++) {
        double v = as_targets_get(ts, k)->value;
        inside += v >= r->fit_p05[k] && v <= r->fit_p95[k];
    }
    printf("fit: %zu of %zu targets inside the fitted scenario's 5-95 band\n", inside,
           r->n_targets);
    printf("results: %s\n", dir);
}

int as_cli_calibrate(int argc, char **argv)
{
    cal_args a;
    int rc = parse(argc, argv, &a);
    if (rc >= 0) {
        return rc;
    }
    as_error err;
    as_calib_spec *spec = NULL;
    as_calib *cal = NULL;
    as_calib_result *res = NULL;
    as_outdir *out = NULL;
    as_status st = as_calib_spec_load(a.file, &spec, &err);
    if (st == AS_OK) {
        st = as_calib_prepare(spec, &cal, &err);
    }
    if (st == AS_OK && as_par_is_root()) { /* MPI: every rank loads and checks, rank 0 speaks */
        const char *const *notes;
        size_t nn = as_calib_notes(cal, &notes);
        for (size_t k = 0; k < nn; k++) {
            fprintf(stderr, "asylsim calibrate: note: %s\n", notes[k]);
        }
    }
    unsigned threads = 1;
    double wall = 0;
    if (st == AS_OK) {
        threads = as_cli_threads(&a.c);
        st = as_cli_open_out(&a.c, a.file, &out, &err); /* MPI: rank 0 alone writes */
    }
    st = as_par_agree(st, &err); /* MPI: a failure on any rank stops every rank before the run */
    if (st == AS_OK) {
        /* MPI (parallel.h): every rank runs the method with the same seed and gets every
         * simulation's results, so all take the same decisions; rank 0 alone shows progress. */
        as_cli_progress pr;
        as_cli_progress_start(&pr, &a.c);
        char max_rss_what[96]; /* issue #9: stop before the out-of-memory killer would */
        as_calib_opts o = {
                .threads = threads,
                .seed = a.c.has_seed ? (uint64_t)a.c.seed : spec->seed,
                .should_stop = as_cli_should_stop,
                .progress = on_progress,
                .ctx = &pr,
                .max_rss = as_cli_memory_guard(0, as_memory_available(), max_rss_what,
                                               sizeof max_rss_what),
                .max_rss_what = max_rss_what,
        };
        st = as_calib_run(cal, &o, &res, &err);
        wall = as_cli_progress_seconds(&pr);
        if (pr.show) {
            fputc('\n', stderr);
        }
    }
    /* ---- MPI: ranks other than 0 write and print nothing; they exit with rank 0's final status
     * (the agreement below), so a failure anywhere fails every rank ---- */
    if (!as_par_is_root()) {
        as_calib_result_destroy(res);
        as_calib_destroy(cal);
        as_calib_spec_destroy(spec);
        return as_cli_exit_code(as_par_agree(st, &err));
    }
    /* ---- end MPI ---- */
    if (st == AS_OK) {
        st = as_calib_write(cal, res, out, &err);
    }
    char plot_note[128] = "";
    if (st == AS_OK) {
        plots(out, cal, res, plot_note, sizeof plot_note);
        st = write_log(out, argc, argv, threads, wall, res, plot_note, &err);
    }
    char final_dir[1024];
    st = as_cli_finish_out(out, st, final_dir, sizeof final_dir, &err);
    st = as_par_agree(st, &err); /* MPI: the other ranks wait for this verdict */
    if (st == AS_OK && !a.c.quiet) {
        print_summary(cal, res, final_dir, wall);
    }
    as_calib_result_destroy(res);
    as_calib_destroy(cal);
    as_calib_spec_destroy(spec);
    return st == AS_OK ? 0 : as_cli_fail(a.c.cmd, st, &err);
}
