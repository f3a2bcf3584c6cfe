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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "as_config.h"
#include "asylsim/calib.h"
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
    int has_seed, has_threads;
    unsigned long long seed, threads;
    const char *out;
    int quiet, force;
} cal_args;

static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=') {
        return argv[*i] + n + 1;
    }
    if (*i + 1 >= argc) {
        return NULL;
    }
    return argv[++*i];
}

static int is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int bad_usage(const char *fmt, const char *what)
{
    fputs("asylsim calibrate: ", stderr);
    fprintf(stderr, fmt, what);
    fputs(" (try asylsim calibrate --help)\n", stderr);
    return 2;
}

/* Returns -1 to continue, or an exit code. */
static int parse(int argc, char **argv, cal_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (is_opt(arg, "--seed")) {
            v = opt_value(argc, argv, &i, "--seed");
            if (!v || as_cli_parse_u64(v, UINT64_MAX, &a->seed) != 0) {
                return bad_usage("--seed needs a whole number from 0 to 18446744073709551615, "
                                 "not '%s'",
                                 v ? v : "");
            }
            a->has_seed = 1;
        } else if (is_opt(arg, "--threads")) {
            v = opt_value(argc, argv, &i, "--threads");
            if (!v || as_cli_parse_u64(v, 1024, &a->threads) != 0 || a->threads < 1) {
                return bad_usage("--threads needs a whole number from 1 to 1024, not '%s'",
                                 v ? v : "");
            }
            a->has_threads = 1;
        } else if (is_opt(arg, "--out")) {
            v = opt_value(argc, argv, &i, "--out");
            if (!v || !*v) {
                return bad_usage("--out needs a folder%s", "");
            }
            a->out = v;
        } else if (strcmp(arg, "--quiet") == 0) {
            a->quiet = 1;
        } else if (strcmp(arg, "--force") == 0) {
            a->force = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return bad_usage("unknown option '%s'", arg);
        } else if (a->file) {
            return bad_usage("one calibration file at a time, not also '%s'", arg);
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

typedef struct progress {
    int show;
    struct timespec t0;
} progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void on_progress(void *ctx, const as_calib_progress *p)
{
    progress *pr = ctx;
    if (!pr->show) {
        return;
    }
    char bar[21];
    int fill = p->total ? (int)(20 * (p->done > p->total ? p->total : p->done) / p->total) : 0;
    for (int k = 0; k < 20; k++) {
        bar[k] = k < fill ? '#' : '.';
    }
    bar[20] = '\0';
    double el = seconds_since(&pr->t0);
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

static int should_stop(void *ctx)
{
    (void)ctx;
    return as_cli_signal_received() != 0;
}

static void stem_of(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, n, "%s", b);
    size_t len = strlen(out);
    if (len > 4 && strcmp(out + len - 4, ".cfg") == 0) {
        out[len - 4] = '\0';
    }
}

/* The folder of the gnuplot scripts: $ASYLSIM_PLOTS, the source tree's, the installed one. */
static const char *scripts_dir(const char *probe_name)
{
    const char *env = getenv("ASYLSIM_PLOTS");
    const char *cand[3] = {env, AS_SOURCE_PLOTS_DIR, AS_PLOTS_DIR};
    for (int i = 0; i < 3; i++) {
        char probe[4096];
        if (!cand[i] || !*cand[i]) {
            continue;
        }
        snprintf(probe, sizeof probe, "%s/%s", cand[i], probe_name);
        if (access(probe, R_OK) == 0) {
            return cand[i];
        }
    }
    return NULL;
}

/* Draws the figures; a note for run.log says what happened. */
static void
plots(const as_outdir *o, const as_calib *c, const as_calib_result *r, char *note, size_t n)
{
    const char *dir = scripts_dir("calib-fit.gp");
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
    snprintf(note, n, "%s",
             rc == 0   ? "plots/ drawn by gnuplot"
             : rc == 1 ? "skipped: gnuplot is not installed (Debian: gnuplot-nox)"
                       : "gnuplot failed: see plots/gnuplot.log");
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
    FILE *f = as_outdir_fopen(o, "run.log", err);
    if (!f) {
        return err->code;
    }
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    char when[64] = "";
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "asylsim %s\ncommand: asylsim calibrate", AS_VERSION);
    for (int i = 0; i < argc; i++) {
        fprintf(f, " %s", argv[i]);
    }
    fprintf(f, "\nfinished: %s\nhost: %s\nthreads: %u\nwall_seconds: %.3f\n", when, host, threads,
            wall);
    fprintf(f, "ranks: %d\n", as_par_size()); /* MPI processes (threads is per rank) */
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
        long np = sysconf(_SC_NPROCESSORS_ONLN);
        threads = a.has_threads ? (unsigned)a.threads : (np > 0 ? (unsigned)np : 1u);
        char dir[1024];
        if (a.out) {
            snprintf(dir, sizeof dir, "%s", a.out);
        } else {
            char stem[512];
            stem_of(a.file, stem, sizeof stem);
            snprintf(dir, sizeof dir, "results/%s", stem);
        }
        if (as_par_is_root()) { /* MPI: rank 0 alone writes */
            st = as_outdir_open(dir, a.force, &out, &err);
        }
        if (out) {
            as_outdir_set_stop(out, should_stop, NULL);
        }
    }
    st = as_par_agree(st, &err); /* MPI: a failure on any rank stops every rank before the run */
    if (st == AS_OK) {
        /* MPI (parallel.h): every rank runs the method with the same seed and gets every
         * simulation's results, so all take the same decisions; rank 0 alone shows progress. */
        progress pr = {.show = !a.quiet && isatty(2) && as_par_is_root()};
        clock_gettime(CLOCK_MONOTONIC, &pr.t0);
        as_calib_opts o = {
                .threads = threads,
                .seed = a.has_seed ? (uint64_t)a.seed : spec->seed,
                .should_stop = should_stop,
                .progress = on_progress,
                .ctx = &pr,
        };
        st = as_calib_run(cal, &o, &res, &err);
        wall = seconds_since(&pr.t0);
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
    if (st == AS_OK && as_cli_signal_received()) {
        st = as_error_set(&err, AS_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    }
    char final_dir[1024] = "";
    if (out) {
        snprintf(final_dir, sizeof final_dir, "%s", as_outdir_final(out));
    }
    if (st == AS_OK) {
        st = as_outdir_commit(out, &err);
        out = NULL;
    }
    as_outdir_abort(out);
    st = as_par_agree(st, &err); /* MPI: the other ranks wait for this verdict */
    if (st == AS_OK && !a.quiet) {
        print_summary(cal, res, final_dir, wall);
    }
    as_calib_result_destroy(res);
    as_calib_destroy(cal);
    as_calib_spec_destroy(spec);
    if (st != AS_OK) {
        if (st == AS_ERR_INTERRUPTED) {
            fputs("\nasylsim calibrate: interrupted; no output written\n", stderr);
        } else {
            as_cli_print_error(&err);
        }
        return as_cli_exit_code(st);
    }
    return 0;
}
