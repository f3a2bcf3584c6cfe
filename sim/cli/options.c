/* The options run, compare, calibrate and sensitivity share (--seed, --threads, --out, --quiet,
 * --force), their usage errors, the defaults they stand for, and their memory guard. */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "asylsim/memory.h"

int as_cli_is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *as_cli_opt_value(int argc, char **argv, int *i, const char *opt)
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

int as_cli_bad_usage(const char *cmd, const char *fmt, const char *what)
{
    fprintf(stderr, "asylsim %s: ", cmd);
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (try asylsim %s --help)\n", cmd);
    return 2;
}

int as_cli_take_common(int argc, char **argv, int *i, as_cli_common *c)
{
    const char *arg = argv[*i], *v;
    if (as_cli_is_opt(arg, "--seed")) {
        v = as_cli_opt_value(argc, argv, i, "--seed");
        if (!v || as_cli_parse_u64(v, UINT64_MAX, &c->seed) != 0) {
            as_cli_bad_usage(c->cmd,
                             "--seed needs a whole number from 0 to 18446744073709551615, not '%s'",
                             v ? v : "");
            return -1;
        }
        c->has_seed = 1;
    } else if (as_cli_is_opt(arg, "--threads")) {
        v = as_cli_opt_value(argc, argv, i, "--threads");
        if (!v || as_cli_parse_u64(v, 1024, &c->threads) != 0 || c->threads < 1) {
            as_cli_bad_usage(c->cmd, "--threads needs a whole number from 1 to 1024, not '%s'",
                             v ? v : "");
            return -1;
        }
        c->has_threads = 1;
    } else if (as_cli_is_opt(arg, "--out")) {
        v = as_cli_opt_value(argc, argv, i, "--out");
        if (!v || !*v) {
            as_cli_bad_usage(c->cmd, "--out needs a folder%s", "");
            return -1;
        }
        c->out = v;
    } else if (strcmp(arg, "--quiet") == 0) {
        c->quiet = 1;
    } else if (strcmp(arg, "--force") == 0) {
        c->force = 1;
    } else {
        return 0;
    }
    return 1;
}

unsigned as_cli_threads(const as_cli_common *c)
{
    long np = sysconf(_SC_NPROCESSORS_ONLN);
    return c->has_threads ? (unsigned)c->threads : (np > 0 ? (unsigned)np : 1u);
}

uint64_t as_cli_memory_guard(uint64_t max_memory, uint64_t available, char *what, size_t n)
{
    uint64_t guard = as_memory_guard(max_memory, available, as_memory_rss());
    char lim[32];
    as_memory_format(guard, lim, sizeof lim);
    if (max_memory > 0 && guard == max_memory) {
        snprintf(what, n, "--max-memory %s", lim);
    } else {
        snprintf(what, n, "the %s it could use when it started", lim);
    }
    return guard;
}
