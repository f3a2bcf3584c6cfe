/* `asylsim check SCENARIO.cfg... [--list]`: loads and validates each file (with its base chain and
 * includes) and reports the first error of each; `--list` prints the settings reference (the text
 * of docs/scenario-reference.md). Nothing is written to disk. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "asylsim/scenario.h"

static void usage(FILE *f)
{
    fputs("usage: asylsim check SCENARIO.cfg... \n"
          "       asylsim check --list\n"
          "\n"
          "Validates each scenario file, its base chain and includes, and prints \"FILE: ok\" or\n"
          "the first error (FILE:LINE: SETTING: message). --list prints every setting with its\n"
          "type, unit, range, default and documentation (docs/scenario-reference.md).\n"
          "Exit status: 0 all valid, 2 a file is invalid or the usage is wrong.\n",
          f);
}

int as_cli_check(int argc, char **argv)
{
    int list = 0, n_files = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--list") == 0) {
            list = 1;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "asylsim check: unknown option '%s' (try asylsim check --help)\n",
                    argv[i]);
            return 2;
        } else {
            n_files++;
        }
    }
    if (list) {
        if (n_files) {
            fputs("asylsim check: --list takes no scenario files\n", stderr);
            return 2;
        }
        return as_schema_write_reference(stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
    }
    if (!n_files) {
        usage(stderr);
        return 2;
    }
    int bad = 0;
    as_scenario *first = NULL;
    for (int i = 0; i < argc; i++) {
        as_scenario *s = NULL;
        as_error err;
        as_status st = as_scenario_load(argv[i], &s, &err);
        if (st == AS_OK && first) {
            st = as_scenario_check_run(first, s, &err);
        }
        if (st != AS_OK) {
            as_cli_print_error(&err);
            bad = bad ? bad : as_cli_exit_code(st);
            as_scenario_destroy(s);
            continue;
        }
        printf("%s: ok\n", argv[i]);
        if (!first) {
            first = s;
        } else {
            as_scenario_destroy(s);
        }
    }
    as_scenario_destroy(first);
    return bad;
}
