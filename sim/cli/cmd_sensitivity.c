/* `asylsim sensitivity SCENARIO.cfg --params P.cfg [--out DIR] [--threads T] [--seed S] [--quiet]
 * [--force]`: loads the sensitivity file and the scenario (every error before any output), runs
 * the one-at-a-time swings, Morris elementary effects and Sobol indices (sim/calib/sensitivity.c)
 * with a progress line on stderr when it is a terminal, writes sensitivity.csv, tornado.csv,
 * manifest.txt, run.log and the tornado figures, and prints the largest indices. Under mpirun every
 * rank loads, checks and evaluates the design (include/asylsim/parallel.h); rank 0 alone prints
 * and writes. */
#include "cli.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>

#include "asylsim/calib.h"
#include "asylsim/memory.h"
#include "asylsim/output.h"
#include "asylsim/parallel.h"

static void usage(FILE *f)
{
    fputs("usage: asylsim sensitivity SCENARIO.cfg --params P.cfg [--out DIR] [--threads T]\n"
          "                           [--seed S] [--quiet] [--force]\n"
          "\n"
          "Varies the parameters of P.cfg over their ranges in SCENARIO.cfg and ranks them by\n"
          "their effect on the outputs of P.cfg: one at a time (tornado), Morris elementary\n"
          "effects (mu*, sigma) and Sobol first-order and total indices (Saltelli sampling).\n"
          "Writes into DIR (default results/<stem of P.cfg>):\n"
          "  sensitivity.csv   "
          "output,parameter,lower,upper,mu_star,mu,sigma,S1,S1_conf,ST,ST_conf,\n"
          "                    oat_low,oat_high\n"
          "  tornado.csv       output,rank,parameter,center,low,high,swing (largest first)\n"
          "  manifest.txt      version, seed, design, parameters and outputs\n"
          "  run.log           command line, threads, host, times (not reproducible)\n"
          "  plots/            a tornado figure per output, when gnuplot is installed\n"
          "\n"
          "  --params P.cfg  the parameters and outputs (docs/calibration.md)\n"
          "  --out DIR       output folder; an earlier asylsim output there is replaced\n"
          "  --threads T     worker threads (default: the number of processors); the output is\n"
          "                  byte-identical for any T\n"
          "                  (mpirun -np K asylsim sensitivity ...: the design points are shared\n"
          "                  out over K processes of T threads each; the same output)\n"
          "  --seed S        seed (default: seed of P.cfg)\n"
          "  --quiet         no progress line and no summary\n"
          "  --force         replace a non-empty DIR even if it holds no asylsim output\n"
          "\n"
          "Exit status: 0 success, 1 run-time failure, 2 bad input or usage, 129/130/143 "
          "interrupted\n"
          "(no output folder is left behind).\n",
          f);
}

typedef struct sens_args {
    const char *scenario, *params;
    as_cli_common c; /* --seed, --threads, --out, --quiet, --force */
} sens_args;

static int parse(int argc, char **argv, sens_args *a)
{
    memset(a, 0, sizeof *a);
    a->c.cmd = "sensitivity";
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
        } else if (as_cli_is_opt(arg, "--params")) {
            const char *v = as_cli_opt_value(argc, argv, &i, "--params");
            if (!v || !*v) {
                return as_cli_bad_usage(a->c.cmd, "--params needs a file%s", "");
            }
            a->params = v;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return as_cli_bad_usage(a->c.cmd, "unknown option '%s'", arg);
        } else if (a->scenario) {
            return as_cli_bad_usage(a->c.cmd, "one scenario at a time, not also '%s'", arg);
        } else {
            a->scenario = arg;
        }
    }
    if (!a->scenario) {
        usage(stderr);
        return 2;
    }
    if (!a->params) {
        return as_cli_bad_usage(a->c.cmd, "--params P.cfg is required%s", "");
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
    fprintf(stderr, "\r[%s] %s %" PRIu64 "/%" PRIu64 " points  %" PRIu64 " runs  %.0fs\033[K", bar,
            p->stage, p->done, p->total, p->simulated, as_cli_progress_seconds(pr));
    fflush(stderr);
}

static void plots(const as_outdir *o, const as_sens_spec *sp, char *note, size_t n)
{
    const char *dir = as_cli_scripts_dir("sens-tornado.gp");
    if (!dir) {
        snprintf(note, n, "skipped: plots/sens-tornado.gp not found");
        return;
    }
    /* The outputs' names (letters, digits, _) as a gnuplot word list. */
    size_t len = 64;
    for (size_t k = 0; k < sp->n_outputs; k++) {
        len += strlen(sp->outputs[k].name) + 1;
    }
    char *vars = malloc(len);
    if (!vars) {
        snprintf(note, n, "skipped: out of memory");
        return;
    }
    size_t used = (size_t)snprintf(vars, len, "outputs='");
    for (size_t k = 0; k < sp->n_outputs; k++) {
        used += (size_t)snprintf(vars + used, len - used, "%s%s", k ? " " : "",
                                 sp->outputs[k].name);
    }
    snprintf(vars + used, len - used, "'");
    char script[4200];
    snprintf(script, sizeof script, "%s/sens-tornado.gp", dir);
    int rc = as_calib_gnuplot(o, script, vars);
    free(vars);
    snprintf(note, n, "%s", as_cli_plot_note(rc));
}

static as_status write_log(const as_outdir *o,
                           int argc,
                           char **argv,
                           unsigned threads,
                           double wall,
                           const as_sens_result *r,
                           const char *plot_note,
                           as_error *err)
{
    FILE *f = as_cli_log_open(o, "sensitivity", argc, argv, threads, wall, err);
    if (!f) {
        return err->code;
    }
    fprintf(f, "points: %" PRIu64 "\nsimulations: %" PRIu64 "\nplots: %s\n", r->points,
            r->simulations, plot_note);
    return as_outdir_fclose(o, "run.log", f, err);
}

/* Per output, the ten largest total indices (or mu* without Sobol, or swings without Morris). */
static void
print_summary(const as_sens_spec *sp, const as_sens_result *r, const char *dir, double wall)
{
    size_t k = r->n_params;
    double *key = malloc(k * sizeof *key);
    size_t *perm = malloc(k * sizeof *perm);
    printf("%" PRIu64 " points, %" PRIu64 " simulations in %.0f s\n", r->points, r->simulations,
           wall);
    for (size_t o = 0; key && perm && o < r->n_outputs; o++) {
        printf("%s (%s; unchanged scenario %.6g):\n", sp->outputs[o].name, sp->outputs[o].period,
               r->center[o]);
        printf("  %-44s %10s %10s %8s %8s\n", "parameter", "mu*", "sigma", "S1", "ST");
        for (size_t j = 0; j < k; j++) {
            const as_sens_index *x = &r->idx[o * k + j];
            double v = sp->do_sobol ? x->st : sp->do_morris ? x->mu_star : fabs(x->high - x->low);
            key[j] = isnan(v) ? 0 : -v;
        }
        gsl_sort_index(perm, key, 1, k);
        for (size_t rank = 0; rank < k && rank < 10; rank++) {
            const as_sens_index *x = &r->idx[o * k + perm[rank]];
            char pn[160];
            snprintf(pn, sizeof pn, "%s%s", as_schema[sp->params[perm[rank]].id].name,
                     sp->params[perm[rank]].scale ? " (x)" : "");
            printf("  %-44s %10.4g %10.4g %8.3f %8.3f\n", pn, x->mu_star, x->sigma, x->s1, x->st);
        }
    }
    free(key);
    free(perm);
    printf("results: %s\n", dir);
}

int as_cli_sensitivity(int argc, char **argv)
{
    sens_args a;
    int rc = parse(argc, argv, &a);
    if (rc >= 0) {
        return rc;
    }
    as_error err;
    as_sens_spec *spec = NULL;
    as_sens_result *res = NULL;
    as_outdir *out = NULL;
    as_status st = as_sens_spec_load(a.params, &spec, &err);
    if (st == AS_OK) {
        /* Scenario and period errors before any output. */
        st = as_sens_check(spec, a.scenario, &err);
    }
    unsigned threads = 1;
    double wall = 0;
    if (st == AS_OK) {
        threads = as_cli_threads(&a.c);
        st = as_cli_open_out(&a.c, a.params, &out, &err); /* MPI: rank 0 alone writes */
    }
    st = as_par_agree(st, &err); /* MPI: a failure on any rank stops every rank before the run */
    if (st == AS_OK) {
        /* MPI (parallel.h): every rank evaluates the same design with the same seed and gets
         * every point's results; rank 0 alone shows progress. */
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
        st = as_sens_run(spec, a.scenario, &o, &res, &err);
        wall = as_cli_progress_seconds(&pr);
        if (pr.show) {
            fputc('\n', stderr);
        }
    }
    /* ---- MPI: ranks other than 0 write and print nothing; they exit with rank 0's final status
     * (the agreement below), so a failure anywhere fails every rank ---- */
    if (!as_par_is_root()) {
        as_sens_result_destroy(res);
        as_sens_spec_destroy(spec);
        return as_cli_exit_code(as_par_agree(st, &err));
    }
    /* ---- end MPI ---- */
    if (st == AS_OK) {
        st = as_sens_write(spec, res, out, &err);
    }
    char plot_note[128] = "";
    if (st == AS_OK) {
        plots(out, spec, plot_note, sizeof plot_note);
        st = write_log(out, argc, argv, threads, wall, res, plot_note, &err);
    }
    char final_dir[1024];
    st = as_cli_finish_out(out, st, final_dir, sizeof final_dir, &err);
    st = as_par_agree(st, &err); /* MPI: the other ranks wait for this verdict */
    if (st == AS_OK && !a.c.quiet) {
        print_summary(spec, res, final_dir, wall);
    }
    as_sens_result_destroy(res);
    as_sens_spec_destroy(spec);
    return st == AS_OK ? 0 : as_cli_fail(a.c.cmd, st, &err);
}
