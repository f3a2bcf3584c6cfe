/* Entry point of the asylsim command: starts MPI when built with it (parallel.h), turns GSL's
 * aborting error handler off, installs the SIGINT/SIGTERM/SIGHUP handlers and dispatches to the
 * subcommands of cli.h. */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <gsl/gsl_errno.h>

#include "as_config.h"
#include "asylsim/parallel.h"

/* The one mutable global style.md §5 allows: the signal that arrived. */
static volatile sig_atomic_t signal_received = 0;

static void on_signal(int sig)
{
    signal_received = sig;
}

int as_cli_signal_received(void)
{
    return (int)signal_received;
}

int as_cli_should_stop(void *ctx)
{
    (void)ctx;
    return signal_received != 0;
}

void as_cli_print_error(const as_error *e)
{
    char buf[1400];
    as_error_format(e, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
}

int as_cli_exit_code(as_status s)
{
    switch (s) {
    case AS_OK:
        return 0;
    case AS_ERR_INPUT:
        return 2;
    case AS_ERR_INTERRUPTED:
        return 128 + (signal_received ? (int)signal_received : SIGINT);
    case AS_ERR_RUNTIME:
    case AS_ERR_NOMEM:
    default:
        return 1;
    }
}

int as_cli_parse_u64(const char *s, unsigned long long max, unsigned long long *v)
{
    if (!s || !*s) {
        return -1;
    }
    unsigned long long x = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        unsigned d = (unsigned)(*p - '0');
        if (x > (max - d) / 10) {
            return -1;
        }
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: asylsim COMMAND [ARGS...]\n"
          "\n"
          "commands:\n"
          "  run SCENARIO.cfg...    simulate scenarios and write indicators and a manifest\n"
          "  compare BASE.cfg REFORM.cfg...  each reform minus the baseline, with budget impact\n"
          "  check SCENARIO.cfg...  validate scenario files only (--list: the settings)\n"
          "  calibrate CALIB.cfg    fit parameters to observed statistics (ABC-SMC or SMM)\n"
          "  sensitivity SCENARIO.cfg --params P.cfg  rank parameters by their effect\n"
          "\n"
          "  asylsim COMMAND --help   help for one command\n"
          "  asylsim --version        the version\n",
          f);
}

/* glibc's allocator for calibrate and sensitivity, before their threads start: keep freed memory
 * (up to 512 MiB) instead of giving it back to the kernel, and serve blocks up to 1 MiB from the
 * heaps. These commands make a new model workspace for every candidate scenario, and with glibc's
 * default (dynamic) thresholds each workspace's arrays went back to the kernel on free and were
 * faulted in again by the next one: 113 page faults and 0.9 ms of kernel time per simulation, 13%
 * of a calibration's CPU; with these, a full calibration takes 24% less wall time
 * (docs/scaling.md). Blocks above 1 MiB (a large population's arrays) stay mmapped. run and compare
 * keep one workspace per scenario and thread and gain nothing from this, so they keep glibc's
 * defaults: on scenarios/scale-eu.cfg the thresholds moved the peak memory (0.96 against 1.02 GiB)
 * and the time only within the noise (82.6 and 103.5 s against 85.9 and 91.9 s, interleaved). */
static void tune_allocator(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

static int run_command(int argc, char **argv)
{
    gsl_set_error_handler_off();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* a closed terminal stops the run like SIGTERM (exit 129) */

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("asylsim %s\n", AS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) {
        return as_cli_run(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "compare") == 0) {
        return as_cli_compare(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "check") == 0) {
        return as_cli_check(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "calibrate") == 0) {
        tune_allocator();
        return as_cli_calibrate(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "sensitivity") == 0) {
        tune_allocator();
        return as_cli_sensitivity(argc - 2, argv + 2);
    }
    fprintf(stderr, "asylsim: unknown command '%s' (try asylsim --help)\n", cmd);
    return 2;
}

/* MPI (parallel.h): started before anything else and ended after the command, on every rank; a
 * build without MPI makes both calls do nothing. */
int main(int argc, char **argv)
{
    as_error err;
    if (as_par_init(&argc, &argv, &err) != AS_OK) {
        as_cli_print_error(&err);
        return 1;
    }
    int rc = run_command(argc, argv);
    as_par_finalize();
    return rc;
}
