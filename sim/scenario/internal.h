/* Private to the scenario loader (sim/scenario/): the struct behind as_scenario, the owned value
 * of one setting, and the functions the loader's files share. Nothing outside sim/scenario/
 * includes this header; the rest of asylsim sees only include/asylsim/scenario.h.
 *
 * Who does what: load.c reads files, resolves the base chain and applies its layers; layer.c
 * turns one file into one layer (libconfig parse and tree walk); intscan.c pre-scans the source
 * text for what libconfig 1.5 gets wrong (integer literals it would wrap, string tokens it would
 * leak) and vets included files; validate.c turns one libconfig setting into a checked value and
 * runs the cross-setting checks; value.c holds the accessors, the dated merge,
 * as_scenario_with_number and the canonical text; schema.c the schema table and reference. */
#ifndef ASYLSIM_SCENARIO_INTERNAL_H
#define ASYLSIM_SCENARIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "asylsim/scenario.h"
#include "asylsim/scenario_text.h"

/* Longest dotted name we build ("group.setting"); longer names are cut in messages. */
#define AS_SCN_NAME_MAX 128

/* Deepest @include nesting, as libconfig 1.5 (MAX_INCLUDE_DEPTH in scanctx.h). */
#define AS_SCN_INCLUDE_DEPTH 10

/* Longest base chain; a longer one is almost surely a mistake. */
#define AS_SCN_CHAIN_MAX 64

/* The value of one setting, owning its arrays. Which members count depends on the type:
 * INT i; FLOAT f; BOOL b; ENUM e; DATE date; DATED n steps in days/nums (a constant has n = 1
 * and days[0] = INT32_MIN); VECTOR and PROBS n numbers in nums. */
typedef struct as_sval {
    int64_t i;
    double f;
    int b;
    int e;
    int32_t date;
    size_t n;
    int32_t *days;
    double *nums;
} as_sval;

/* Where a value was set: file index into as_scenario.files (-1 for a default), 1-based line and
 * an order key (larger means set later in the chain; -1 for a default). */
typedef struct as_ssrc {
    int file;
    int line;
    int64_t order;
} as_ssrc;

struct as_scenario {
    char *path; /* as given to the loader */
    char *name; /* file stem + suffix */
    as_sval val[2][AS_N_SETTINGS];
    as_ssrc src[2][AS_N_SETTINGS];
    as_value pub[2][AS_N_SETTINGS];  /* views of val, rebuilt by as_scn_publish */
    int dated_reform[AS_N_SETTINGS]; /* 1 if a reform changed this dated setting's function */
    int has_reform;
    int has_sweep;
    as_setting_id sweep_id;
    double *sweep; /* sweep_n values */
    size_t sweep_n;
    int sweep_file; /* where the sweep group is (file index, line) */
    int sweep_line;
    char **files; /* file names used in sources, owned */
    size_t n_files;
};

/* One file of a base chain, read and checked but not yet applied. */
typedef struct as_layer {
    char *file; /* name in messages (the path as resolved) */
    char *dir;  /* folder for its base and includes; "" = current folder */
    int mode;   /* -1 not said, 0 overrides_from = "start", 1 "reform_start" */
    char *base; /* the base it names, NULL if none */
    int base_line;
    int set[AS_N_SETTINGS];
    as_sval v[AS_N_SETTINGS];
    as_ssrc src[AS_N_SETTINGS]; /* order = position in the file */
    int has_sweep;
    as_setting_id sweep_id;
    double *sweep;
    size_t sweep_n;
    int sweep_file, sweep_line;
} as_layer;

/* --- layer.c --- */

/* Parses `text` (the source of L->file, BOM already dropped) with libconfig and checks every
 * setting into L. File names of sources are interned in s. */
as_status as_scn_layer_read(as_scenario *s, as_layer *L, const char *text, as_error *err);

void as_scn_layer_free(as_layer *L);

/* --- value.c --- */

/* 1 if a and b are the same number: an exact test is right for values read from files. */
int as_scn_same(double a, double b);

void as_sval_free(as_sval *v);
as_status as_sval_copy(as_sval *dst, const as_sval *src);
int as_sval_equal(as_type t, const as_sval *a, const as_sval *b);

/* Drops steps of a dated function that repeat the previous value; a single step becomes a
 * constant (days[0] = INT32_MIN). */
void as_sval_normalise_dated(as_sval *v);

/* The merged dated function: `before` up to day `reform` (exclusive), `after` from it. `first`
 * is a day before `reform` used for the first step when `before` has no step before `reform`. */
as_status as_sval_merge_dated(
        const as_sval *before, const as_sval *after, int32_t reform, int32_t first, as_sval *out);

/* Value of a dated function at day number `day`. */
double as_sval_dated_at(const as_sval *v, double day);

/* Writes a number the way messages and files show it: whole numbers without exponent, other
 * numbers in the shortest form that reads back exactly. `as_float` appends ".0" to whole numbers
 * so libconfig reads a float. */
void as_scn_fmt_number(double x, int as_float, char *buf, size_t n);

/* Adds a file name to s->files (or finds it); its index, or -1 if out of memory. */
int as_scn_intern(as_scenario *s, const char *file);

/* Rebuilds s->pub from s->val and recomputes s->has_reform. */
void as_scn_publish(as_scenario *s);

/* Frees everything s owns except s itself. */
void as_scn_clear(as_scenario *s);

/* --- validate.c --- */

/* Turns libconfig setting `cs` into the value of schema setting `id`, checking type, range, dates
 * and lengths. `file` is the file libconfig read and `incdir` its include folder (see
 * as_scn_file_of). On failure fills err and out is empty. */
as_status as_scn_parse_value(as_setting_id id,
                             const config_setting_t *cs,
                             const char *file,
                             const char *incdir,
                             as_sval *out,
                             as_error *err);

/* 0 if number v is valid for setting `id` (finite, in range, whole where required); otherwise
 * writes what is wrong ("1.4 is out of range [0, 1]") into msg and returns -1. */
int as_scn_number_problem(as_setting_id id, double v, char *msg, size_t n);

/* The best "did you mean" for unknown dotted name `name` (group members, groups, top-level
 * keywords); "" if none is close. */
void as_scn_suggest(const char *name, char *buf, size_t n);

/* Describes a libconfig value for "found ..." in messages. */
void as_scn_describe(const config_setting_t *cs, char *buf, size_t n);

/* Runs every cross-setting check on both phases of s; names the file and line of the involved
 * setting set last. */
as_status as_scn_cross_check(const as_scenario *s, as_error *err);

/* --- schema.c --- */

/* 1 if `name` (of length len) is a group of the schema ("run", "procedure"). */
int as_schema_is_group(const char *name, size_t len);

/* --- load.c --- */

/* Reads `path` whole into a new NUL-terminated buffer (*buf; the caller frees it) and checks it is
 * non-empty UTF-8 text; *skip is the length of a UTF-8 BOM to drop. `name` stands for the file
 * in messages. dev/ino receive the file's identity (for cycle detection) when not NULL. */
as_status as_scn_read_text(const char *name,
                           const char *path,
                           char **buf,
                           size_t *len,
                           size_t *skip,
                           unsigned long long *dev,
                           unsigned long long *ino,
                           as_error *err);

/* The path libconfig opens for `@include "name"` with include folder incdir ("" = none):
 * "incdir/name" or name. New string, NULL if out of memory. */
char *as_scn_include_path(const char *incdir, const char *name);

/* The name of the file setting cs was read from: `file` itself, or the included file. */
void as_scn_file_of(
        const config_setting_t *cs, const char *file, const char *incdir, char *buf, size_t n);

/* Checks that `path` names a regular file before it is read as a base or include file. On
 * failure the error sits at from_file:from_line (setting may be NULL); `what` is "base file" or
 * "include file". dev/ino receive the file's identity. */
as_status as_scn_stat_file(const char *path,
                           const char *what,
                           const char *from_file,
                           int from_line,
                           const char *setting,
                           unsigned long long *dev,
                           unsigned long long *ino,
                           as_error *err);

/* --- intscan.c --- */

/* Pre-scans `text` (the source of `file`) and every file it @includes (looked up in `incdir`,
 * "" = current folder, as libconfig does). Include files that cannot be read are errors returned
 * at once; the first integer literal libconfig would wrap is stored in *int_err (code AS_OK if
 * none), reported by the caller only once libconfig has parsed the file, so a syntax error comes
 * first. *misplaced is the offset in text of the first string token libconfig's grammar cannot
 * take (SIZE_MAX if none): libconfig would leak it, so the caller must not parse text as is. */
as_status as_scn_intscan(const char *file,
                         const char *text,
                         const char *incdir,
                         as_error *err,
                         as_error *int_err,
                         size_t *misplaced);

#endif
