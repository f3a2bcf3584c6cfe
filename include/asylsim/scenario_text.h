/* How the scenario loader finds, reads and vets input files, shared with sim/calib so that
 * calibration, sensitivity and targets files are found, read, refused and suggested for the same
 * way as scenarios: paths relative to the naming file, reading a file whole (at most
 * AS_SCN_FILE_MAX bytes) and checking it is UTF-8 text, message helpers, libconfig 1.5's number
 * tokens (which it would wrap or saturate) and the "did you mean" distance. */
#ifndef ASYLSIM_SCENARIO_TEXT_H
#define ASYLSIM_SCENARIO_TEXT_H

#include <stddef.h>

#include "asylsim/error.h"

/* Largest input file read (scenario, include, calibration, sensitivity and targets files). */
#define AS_SCN_FILE_MAX ((size_t)16 << 20)

/* Checks bytes of file `name` (named so in messages): not empty, no NUL byte ("binary file (NUL
 * byte on line N), not <not_what>": "a scenario", "text"), valid UTF-8; *skip is the length of a
 * UTF-8 BOM to drop. */
as_status as_scn_check_text(const char *name,
                            const char *not_what,
                            const char *data,
                            size_t len,
                            size_t *skip,
                            as_error *err) AS_MUST_CHECK;

/* Reads the open file `fd` (takes it: closed here) to its end into a new NUL-terminated buffer
 * (*buf, *len; the caller frees it) and checks it with as_scn_check_text; *buf is untouched on
 * failure. */
as_status as_scn_read_fd(int fd,
                         const char *name,
                         const char *not_what,
                         char **buf,
                         size_t *len,
                         size_t *skip,
                         as_error *err) AS_MUST_CHECK;

struct stat;

/* Stats `path`, a file that file from_file names at from_line (setting, may be NULL), for `what`
 * ("base file", "targets file"): AS_OK (with *sb unless sb is NULL) if it exists and is not a
 * folder, else an error there ("cannot open targets file x.csv: no such file", "... is a folder,
 * not a file"). */
as_status as_scn_stat_named(const char *path,
                            const char *what,
                            const char *from_file,
                            int from_line,
                            const char *setting,
                            struct stat *sb,
                            as_error *err) AS_MUST_CHECK;

/* "dir/rel", or rel if dir is "" or rel is absolute. New string, NULL if out of memory. */
char *as_scn_join(const char *dir, const char *rel);

/* The folder of path: "" for a bare file name, "/" for a file in the root. New string, NULL if
 * out of memory. */
char *as_scn_dir_of(const char *path);

/* Describes errno value e for messages ("no such file"). */
void as_scn_errno_text(int e, char *buf, size_t n);

/* Copies s (a file or setting name taken from a file) into buf for a message, control characters
 * as \xNN and cut to fit: a message is one line (style.md §9), and a string in a file may hold a
 * line break (found by fuzzing). */
void as_scn_printable(const char *s, char *buf, size_t n);

/* Scans a libconfig number at *pp (its integer, integer64, hex, hex64 and float rules, longest
 * match first): 0 if there is none; else 1, *pp past it and *int_len the length of the integer
 * literal to check with as_scn_check_integer (without a second L), 0 for a float. */
int as_scn_scan_number(const char **pp, size_t *int_len);

/* Steps over what libconfig skips at *pp: a newline (counted in *line), a # or // comment up to
 * its line's end, or a block comment (its newlines counted). 1 if it stepped, 0 if *pp starts none
 * of them, -1 for a block comment without its end (*line then the line where it starts). */
int as_scn_skip_comment(const char **pp, int *line);

/* Checks integer literal tok[0..len) (sign, digits or 0x digits, L suffix): 0 if libconfig 1.5
 * reads it exactly, else -1 with what is wrong in msg ("integer ... does not fit in 64 bits"). */
int as_scn_check_integer(const char *tok, size_t len, char *msg, size_t n);

/* Longest name as_scn_name_distance compares; longer ones are this far from anything. */
#define AS_SCN_DISTANCE_MAX 128

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions) of two names. */
int as_scn_name_distance(const char *a, const char *b);

#endif
