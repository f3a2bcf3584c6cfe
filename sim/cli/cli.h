/* The asylsim command line: one function per subcommand, each taking the arguments after the
 * subcommand name and returning the process exit code (0 success, 1 run-time failure, 2 bad input
 * or usage, 130/143 interrupted). Only this folder prints to the terminal or exits. */
#ifndef ASYLSIM_CLI_H
#define ASYLSIM_CLI_H

#include "asylsim/error.h"

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

#endif
