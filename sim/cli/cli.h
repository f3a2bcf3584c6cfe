/* The asylsim command line: one function per subcommand, each taking the arguments after the
 * subcommand name and returning the process exit code (0 success, 1 run-time failure, 2 bad input
 * or usage, 130/143 interrupted). Only this folder prints to the terminal or exits. */
#ifndef ASYLSIM_CLI_H
#define ASYLSIM_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "asylsim/error.h"
#include "asylsim/output.h"

int as_cli_run(int argc, char **argv);
int as_cli_compare(int argc, char **argv);
int as_cli_check(int argc, char **argv);
int as_cli_calibrate(int argc, char **argv);
int as_cli_sensitivity(int argc, char **argv);

/* Prints `e` on stderr as one line (style.md §9 format). */
void as_cli_print_error(const as_error *e);

/* Exit code of a status (AS_ERR_INTERRUPTED gives 128 + the signal that arrived). */
int as_cli_exit_code(as_status s);

/* Parses a non-negative decimal integer (no sign, no spaces) into *v; 0 on success, -1 if it is
 * not one or exceeds `max`. */
int as_cli_parse_u64(const char *s, unsigned long long max, unsigned long long *v);

/* The signal that interrupted the run (0 if none). Set by the handlers in main.c. */
int as_cli_signal_received(void);

/* A should_stop callback for the run options: true once a signal has arrived (ctx unused). */
int as_cli_should_stop(void *ctx);

/* ---- options.c: the options run, compare, calibrate and sensitivity share ---- */

typedef struct as_cli_common {
    const char *cmd; /* the subcommand, for messages: "run", "calibrate", ... */
    int has_seed, has_threads;
    unsigned long long seed, threads;
    const char *out; /* --out; NULL if not given */
    int quiet, force;
} as_cli_common;

/* Whether `arg` is option `opt`, alone or as "opt=V". */
int as_cli_is_opt(const char *arg, const char *opt);

/* Takes the value of option argv[*i] ("--opt V" or "--opt=V"); NULL if missing. */
const char *as_cli_opt_value(int argc, char **argv, int *i, const char *opt);

/* Prints "asylsim CMD: <fmt with what> (try asylsim CMD --help)" on stderr; returns 2. */
int as_cli_bad_usage(const char *cmd, const char *fmt, const char *what);

/* Takes argv[*i] if it is --seed, --threads, --out, --quiet or --force (*i then points at its
 * last word): 1 if taken, 0 if it is none of them, -1 after a usage error on stderr (exit 2). */
int as_cli_take_common(int argc, char **argv, int *i, as_cli_common *c);

/* --threads, or the number of processors. */
unsigned as_cli_threads(const as_cli_common *c);

/* The memory guard of a run (run.h max_rss, memory.h as_memory_guard) for the limit `max_memory`
 * (--max-memory; 0 = none) and what `available` says is left: the resident memory past which the
 * run stops (0 = no guard), and in what[n] how a message names it ("--max-memory 4.0 GiB" or
 * "the 22 GiB it could use when it started"). */
uint64_t as_cli_memory_guard(uint64_t max_memory, uint64_t available, char *what, size_t n);

/* ---- progress.c: the progress line of those commands ---- */

typedef struct as_cli_progress {
    int show; /* draw the line: not --quiet, stderr a terminal, MPI rank 0 */
    struct timespec t0;
} as_cli_progress;

/* Starts the clock of `p` and decides whether it shows. */
void as_cli_progress_start(as_cli_progress *p, const as_cli_common *c);

/* Seconds since as_cli_progress_start. */
double as_cli_progress_seconds(const as_cli_progress *p);

/* Fills `bar` with 20 '#' or '.' for `done` of `total` (done capped at total, no '#' when total is
 * 0) and a '\0'. */
void as_cli_progress_bar20(char bar[21], uint64_t done, uint64_t total);

/* ---- outdir.c: the output folder of those commands ---- */

/* Opens the output folder, --out or results/<stem of `file`> (no folder, no ".cfg"), with
 * --force, on MPI rank 0 (*out stays NULL on the others); a signal stops its writes. */
as_status as_cli_open_out(const as_cli_common *c, const char *file, as_outdir **out, as_error *err)
        AS_MUST_CHECK;

/* Opens run.log in `o` and writes its head (version, command line, time, host, threads, wall
 * time, MPI ranks); the caller adds its lines and closes it with as_outdir_fclose. NULL (err
 * filled) on failure. */
FILE *as_cli_log_open(const as_outdir *o,
                      const char *cmd,
                      int argc,
                      char **argv,
                      unsigned threads,
                      double wall,
                      as_error *err);

/* The folder of the gnuplot scripts holding `probe_name`: $ASYLSIM_PLOTS, the source tree's, the
 * installed one; NULL if none has it. */
const char *as_cli_scripts_dir(const char *probe_name);

/* The run.log note of as_calib_gnuplot's result `rc` (0 drawn, 1 no gnuplot, else failed). */
const char *as_cli_plot_note(int rc);

/* Ends the output folder `out` (takes it; NULL is fine): a signal that arrived turns `st` into
 * AS_ERR_INTERRUPTED; commits on AS_OK, else removes it. Copies the final folder's name into
 * `final_dir` ("" without one) and returns the status. */
as_status as_cli_finish_out(as_outdir *out, as_status st, char *final_dir, size_t n, as_error *err)
        AS_MUST_CHECK;

/* Reports a failed command on stderr (the interruption or the error) and returns its exit code. */
int as_cli_fail(const char *cmd, as_status st, const as_error *err);

#endif
