/* `asylsim run SCENARIO.cfg...` and `asylsim compare BASELINE.cfg REFORM.cfg...` (the same
 * options): loads every scenario (all errors before any output), expands sweeps, runs the
 * replications on threads with common random numbers, aggregates and writes the output folder
 * through a temporary sibling; `compare` adds the paired differences of every reform against the
 * baseline. Defaults come from the first scenario's run group; flags override them. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asylsim/memory.h"
#include "asylsim/output.h"
#include "asylsim/parallel.h"
#include "asylsim/plan.h"
#include "asylsim/rng.h"
#include "asylsim/run.h"
#include "asylsim/scenario.h"

static void usage(FILE *f, int compare)
{
    if (compare) {
        fputs("usage: asylsim compare BASELINE.cfg REFORM.cfg... [--reps N] [--seed S] [--threads "
              "T]\n"
              "                       [--out DIR] [--quiet] [--keep-replications] [--force]\n"
              "                       [--max-memory SIZE]\n"
              "\n"
              "Runs the baseline and every reform with the same random streams and reports each\n"
              "reform minus the baseline, replication by replication (a sweep in a reform file "
              "runs\n"
              "one variant per value, named <stem>@<setting>=<value>). Writes into DIR (default\n"
              "results/<stem of the baseline>) what `asylsim run` writes and\n"
              "  compare.csv          reform,indicator,period,mean_diff,p05,p50,p95 (months, "
              "years)\n"
              "  compare_cohorts.csv  reform,months_since_status,indicator,mean_diff,p05,p50,p95\n"
              "  budget_impact.csv    reform,year,line,payer,mean_diff,p05,p50,p95 in EUR, totals\n"
              "  budget_annotation.md, budget_annotation.csv   the draft-act annotation layout\n"
              "  budget_impact.xlsx   the budget tables with numeric cells (built with "
              "libxlsxwriter)\n"
              "  summary.md           scenarios, headline effects and costs, budget impact\n"
              "  plots/               PNG and SVG figures (when gnuplot is installed)\n",
              f);
    } else {
        fputs("usage: asylsim run SCENARIO.cfg... [--reps N] [--seed S] [--threads T] [--out DIR]\n"
              "                   [--quiet] [--keep-replications] [--force] [--max-memory SIZE]\n"
              "\n"
              "Simulates each scenario for N replications (common random numbers: replication r "
              "of\n"
              "every scenario uses the same streams) and writes into DIR (default\n"
              "results/<stem of the first file>):\n"
              "  indicators.csv    scenario,indicator,period,mean,p05,p50,p95 per month\n"
              "  budget.csv        scenario,year,line,payer,mean,p05,p50,p95 in EUR per year\n"
              "  cohorts.csv       scenario,months_since_status,indicator,mean,p05,p50,p95\n"
              "  summary.md        what was run, the files and the plots\n"
              "  plots/            PNG and SVG figures (when gnuplot is installed)\n"
              "  manifest.txt      version, seed, replications, scenario hashes and settings\n"
              "  run.log           command line, threads, host, times (not reproducible)\n"
              "  replications.csv  with --keep-replications: every replication's value\n",
              f);
    }
    fputs("\n"
          "  --reps N       replications (default: run.reps of the first scenario)\n"
          "  --seed S       random seed, 0..18446744073709551615 (default: run.seed)\n"
          "  --threads T    worker threads (default: the number of processors); the output is\n"
          "                 byte-identical for any T\n"
          "  --out DIR      output folder; an earlier asylsim output there is replaced\n"
          "  --force        replace a non-empty DIR even if it holds no asylsim output\n"
          "  --quiet        no progress bar\n"
          "  --max-memory SIZE  the most memory the run may use (bytes, or with K, M, G, T:\n"
          "                 500M, 4G): refused before it starts when even its least (the\n"
          "                 results, and the persons of the busiest 30 days of arrivals) is\n"
          "                 more, stopped with exit 1 and no output if its memory passes SIZE;\n"
          "                 the memory available (MemAvailable, cgroup limit) is a limit too\n"
          "\n"
          "Exit status: 0 success, 1 run-time failure, 2 bad input or usage, 129/130/143\n"
          "interrupted by SIGHUP/SIGINT/SIGTERM (no output folder is left behind).\n",
          f);
}

typedef struct run_args {
    int compare; /* the compare command */
    const char **files;
    int n_files;
    int has_reps;
    unsigned long long reps;
    as_cli_common c; /* --seed, --threads, --out, --quiet, --force; c.cmd is "run" or "compare" */
    int keep;
    uint64_t max_memory; /* --max-memory in bytes; 0 = none (issue #9) */
} run_args;

/* Returns -1 to continue, or an exit code. */
static int parse(int argc, char **argv, run_args *a, int compare)
{
    memset(a, 0, sizeof *a);
    a->compare = compare;
    a->c.cmd = compare ? "compare" : "run";
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files) {
        fprintf(stderr, "asylsim %s: out of memory\n", a->c.cmd);
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *v;
        int taken = as_cli_take_common(argc, argv, &i, &a->c);
        if (taken < 0) {
            return 2;
        } else if (taken) {
            continue;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout, a->compare);
            return 0;
        } else if (as_cli_is_opt(arg, "--reps")) {
            v = as_cli_opt_value(argc, argv, &i, "--reps");
            if (!v || as_cli_parse_u64(v, 1000000, &a->reps) != 0 || a->reps < 1) {
                return as_cli_bad_usage(a->c.cmd,
                                        "--reps needs a whole number from 1 to 1000000, not '%s'",
                                        v ? v : "");
            }
            a->has_reps = 1;
        } else if (as_cli_is_opt(arg, "--max-memory")) {
            /* Issue #9: memory limit. */
            v = as_cli_opt_value(argc, argv, &i, "--max-memory");
            if (!v || as_memory_parse_size(v, &a->max_memory) != 0) {
                return as_cli_bad_usage(a->c.cmd,
                                        "--max-memory needs a size such as 500M, 4G or a number of "
                                        "bytes, not '%s'",
                                        v ? v : "");
            }
        } else if (strcmp(arg, "--keep-replications") == 0) {
            a->keep = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return as_cli_bad_usage(a->c.cmd, "unknown option '%s'", arg);
        } else {
            a->files[a->n_files++] = arg;
        }
    }
    if (a->n_files == 0) {
        usage(stderr, a->compare);
        return 2;
    }
    return -1;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    as_cli_progress *p = ctx;
    if (!p->show) {
        return;
    }
    double el = as_cli_progress_seconds(p);
    double rate = el > 0 ? (double)done / el : 0;
    char bar[31];
    int fill = total ? (int)(30 * done / total) : 30;
    for (int k = 0; k < 30; k++) {
        bar[k] = k < fill ? '#' : '.';
    }
    bar[30] = '\0';
    char eta[32] = "--";
    if (rate > 0 && done < total) {
        snprintf(eta, sizeof eta, "%.0fs", (double)(total - done) / rate);
    } else if (done >= total) {
        snprintf(eta, sizeof eta, "0s");
    }
    fprintf(stderr, "\r[%s] %" PRIu64 "/%" PRIu64 " replications  %.1f/s  ETA %s   ", bar, done,
            total, rate, eta);
    if (done >= total) {
        fputc('\n', stderr);
    }
    fflush(stderr);
}

static as_status write_log(const as_outdir *o,
                           const char *cmd,
                           int argc,
                           char **argv,
                           unsigned threads,
                           double wall,
                           const as_run_set *sets,
                           size_t n,
                           as_error *err)
{
    FILE *f = as_cli_log_open(o, cmd, argc, argv, threads, wall, err);
    if (!f) {
        return err->code;
    }
    uint64_t ev = 0, persons = 0;
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "scenario %s: %s, %" PRIu64 " events, %" PRIu64 " persons\n",
                as_scn_name(sets[k].scn), as_scn_path(sets[k].scn), sets[k].events,
                sets[k].persons);
        double samples = (double)sets[k].reps * (double)sets[k].grid.n_months;
        fprintf(f, "scenario %s queue: %.0f events pending at a month end, on average\n",
                as_scn_name(sets[k].scn), samples > 0 ? (double)sets[k].pending / samples : 0.0);
        ev += sets[k].events;
        persons += sets[k].persons;
    }
    fprintf(f, "persons: %" PRIu64 "\nevents_per_second: %.0f\n", persons,
            wall > 0 ? (double)ev / wall : 0.0);
    return as_outdir_fclose(o, "run.log", f, err);
}

static int run_or_compare(int argc, char **argv, int compare)
{
    run_args a;
    int rc = parse(argc, argv, &a, compare);
    if (rc >= 0) {
        free(a.files);
        return rc;
    }
    if (compare && a.n_files < 2) {
        free(a.files);
        return as_cli_bad_usage(a.c.cmd, "needs a baseline and at least one reform%s", "");
    }
    as_scenario **scn = calloc((size_t)a.n_files, sizeof *scn);
    as_error err;
    as_status st = scn ? AS_OK : as_error_set(&err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    for (int i = 0; st == AS_OK && i < a.n_files; i++) {
        st = as_scenario_load(a.files[i], &scn[i], &err);
        if (st == AS_OK && i > 0) {
            st = as_scenario_check_run(scn[0], scn[i], &err);
        }
    }
    /* Sweeps become variants; the plan owns the scenarios from here on. */
    as_plan plan = {0};
    if (st == AS_OK) {
        st = as_plan_build(scn, (size_t)a.n_files, &plan, &err);
    } else {
        for (int i = 0; scn && i < a.n_files; i++) {
            as_scenario_destroy(scn[i]);
        }
    }
    free(scn);
    scn = plan.scn;
    size_t n = plan.n;
    as_outdir *out = NULL;
    as_run_set *sets = NULL;
    uint64_t seed = 0;
    uint32_t reps = 0;
    unsigned threads = 1;
    double wall = 0;
    uint64_t max_rss = 0; /* issue #9: the memory guard (run.h) */
    char max_rss_what[96] = "";
    if (st == AS_OK) {
        reps = (uint32_t)(a.has_reps ? a.reps
                                     : (unsigned long long)as_scn_int(scn[0], AS_S_RUN_REPS));
        seed = a.c.has_seed ? (uint64_t)a.c.seed : (uint64_t)as_scn_int(scn[0], AS_S_RUN_SEED);
        threads = as_cli_threads(&a.c);
        /* ---- issue #9: refuse a run that cannot fit in memory, before any output; watch one
         * that may not (memory.h) ---- */
        as_memory_estimate mem;
        as_memory_estimate_run((const as_scenario *const *)scn, n, reps, threads, &mem);
        uint64_t available = as_memory_available();
        st = as_memory_check(&mem, a.max_memory, "--max-memory", available, &err);
        max_rss = as_cli_memory_guard(a.max_memory, available, max_rss_what, sizeof max_rss_what);
        if (st == AS_OK && max_rss > 0 && mem.total_bytes > max_rss && !a.c.quiet &&
            as_par_is_root()) {
            char least[32], most[32];
            as_memory_format(mem.least_bytes, least, sizeof least);
            as_memory_format(mem.total_bytes, most, sizeof most);
            fprintf(stderr,
                    "asylsim %s: this run needs at least about %s of memory, at most about %s "
                    "(if nobody left); it stops if it passes %s\n",
                    a.c.cmd, least, most, max_rss_what);
        }
        /* ---- end issue #9 ---- */
        if (st == AS_OK) {
            st = as_cli_open_out(&a.c, a.files[0], &out, &err); /* MPI: rank 0 alone writes */
        }
    }
    st = as_par_agree(st, &err); /* MPI: a failure on any rank stops every rank before the run */
    if (st == AS_OK) {
        as_cli_progress pr;
        as_cli_progress_start(&pr, &a.c);
        as_run_opts o = {
                .reps = reps,
                .seed = seed,
                .threads = threads,
                .should_stop = as_cli_should_stop,
                .progress = on_progress,
                .ctx = &pr,
                .max_rss = max_rss,
                .max_rss_what = max_rss_what,
        };
        st = as_run_scenarios((const as_scenario *const *)scn, n, &o, &sets, &err);
        wall = as_cli_progress_seconds(&pr);
    }
    /* ---- MPI (parallel.h): ranks other than 0 write and print nothing; they exit with rank 0's
     * final status (the agreement below), so a failure anywhere fails every rank ---- */
    if (!as_par_is_root()) {
        as_run_sets_free(sets, n);
        as_plan_free(&plan);
        free(a.files);
        return as_cli_exit_code(as_par_agree(st, &err));
    }
    /* ---- end MPI ---- */
    if (st == AS_OK) {
        st = as_write_indicators(out, sets, n, &err);
    }
    if (st == AS_OK) {
        st = as_write_budget(out, sets, n, &err);
    }
    if (st == AS_OK) {
        st = as_write_cohorts(out, sets, n, &err);
    }
    if (st == AS_OK && a.keep) {
        st = as_write_replications(out, sets, n, &err);
    }
    if (st == AS_OK && compare) {
        st = as_write_compare(out, sets, n, &err);
    }
    if (st == AS_OK && compare) {
        st = as_write_compare_cohorts(out, sets, n, &err);
    }
    as_xlsx *xl = NULL; /* budget_impact.xlsx; stays NULL when built without libxlsxwriter */
    if (st == AS_OK && compare) {
        st = as_xlsx_open(out, "budget_impact.xlsx", &xl, &err);
    }
    if (st == AS_OK && compare) {
        st = as_write_budget_impact(out, sets, n, xl, &err);
    }
    if (st == AS_OK && compare) {
        st = as_write_budget_annotation(out, sets, n, xl, &err);
    }
    if (st == AS_OK) {
        st = as_xlsx_close(xl, &err);
    } else {
        as_xlsx_abort(xl);
    }
    if (st == AS_OK && compare && !as_xlsx_built() && !a.c.quiet) {
        fprintf(stderr,
                "asylsim %s: budget_impact.xlsx not written: built without libxlsxwriter "
                "(apt-get install libxlsxwriter-dev, then rebuild)\n",
                a.c.cmd);
    }
    char plots_note[512] = "";
    if (st == AS_OK) {
        st = as_write_plots(out, sets, n, compare, &plan, plots_note, sizeof plots_note, &err);
        if (st == AS_OK && !a.c.quiet && strncmp(plots_note, "PNG", 3) != 0) {
            fprintf(stderr, "asylsim %s: plots %s\n", a.c.cmd, plots_note);
        }
    }
    if (st == AS_OK) {
        st = as_write_summary(out, sets, n, compare, seed, reps, plots_note, &err);
    }
    if (st == AS_OK) {
        st = as_write_manifest(out, sets, n, seed, reps, &err);
    }
    if (st == AS_OK) {
        st = write_log(out, a.c.cmd, argc, argv, threads, wall, sets, n, &err);
    }
    char final_dir[1024];
    st = as_cli_finish_out(out, st, final_dir, sizeof final_dir, &err);
    as_run_sets_free(sets, n);
    as_plan_free(&plan);
    free(a.files);
    st = as_par_agree(st, &err); /* MPI: the other ranks wait for this verdict */
    if (st != AS_OK) {
        return as_cli_fail(a.c.cmd, st, &err);
    }
    if (!a.c.quiet) {
        printf("results: %s (%zu scenario%s x %u replications, seed %" PRIu64 ")%s\n", final_dir, n,
               n == 1 ? "" : "s", (unsigned)reps, seed, compare ? "; start with summary.md" : "");
    }
    return 0;
}

int as_cli_run(int argc, char **argv)
{
    return run_or_compare(argc, argv, 0);
}

int as_cli_compare(int argc, char **argv)
{
    return run_or_compare(argc, argv, 1);
}
