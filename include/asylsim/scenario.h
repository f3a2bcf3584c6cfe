/* Scenarios: libconfig files -> one immutable, validated struct.
 *
 * A file holds settings inside their groups (`procedure = { caseworkers = 4.0; };`), may name a
 * base (`base = "baseline.cfg";`, resolved against the naming file's folder) and may use
 * `@include` (resolved against the folder of the top-level file). The chain is resolved base
 * first. A file with a base is a *reform layer* by default: its overrides take effect on
 * `run.reform_start`; `overrides_from = "start";` at the top of a file makes them hold from the
 * first day instead (calibrated scenarios do that). Every setting is declared once in
 * include/asylsim/settings.h; anything else is an error with a "did you mean" suggestion.
 *
 * Each setting therefore has a value before and a value after the reform start (equal when no
 * reform layer touches it). Dated settings are merged into one step function (the earlier value
 * up to the reform start, the reform's from it), so both phases see the same function. */
#ifndef ASYLSIM_SCENARIO_H
#define ASYLSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "asylsim/error.h"
#include "asylsim/settings.h"

typedef enum as_type {
    AS_T_INT,
    AS_T_FLOAT,
    AS_T_BOOL,
    AS_T_ENUM,
    AS_T_DATE,
    AS_T_DATED,
    AS_T_VECTOR,
    AS_T_PROBS,
} as_type;

/* One row of the schema table, generated from AS_SETTINGS. */
typedef struct as_setting_def {
    const char *name; /* "procedure.caseworkers" */
    as_type type;
    const char *unit;
    double min, max;          /* allowed range of every number */
    int len;                  /* VECTOR/PROBS length; 0 = any >= 1 */
    const char *choices;      /* ENUM: "a|b|c" */
    const char *default_text; /* libconfig syntax */
    unsigned flags;           /* AS_F_* */
    const char *doc;
} as_setting_def;

/* The schema, indexed by as_setting_id. */
extern const as_setting_def as_schema[AS_N_SETTINGS];

/* A dated step function: value[i] holds from 00:00 of day from_day[i] (day numbers, see
 * calendar.h); value[0] also holds before from_day[0], the last after. A constant has n = 1. */
typedef struct as_dated {
    size_t n;
    const int32_t *from_day;
    const double *value;
} as_dated;

/* The value at day number `day` (a fraction of a day counts as that day). Inline for the
 * settings that are not dated (one step), which are most and are read at nearly every event. */
double as_dated_search(const as_dated *d, double day);
static inline double as_dated_at(const as_dated *d, double day)
{
    return d->n == 1 ? d->value[0] : as_dated_search(d, day);
}

/* A resolved setting value; which member is meaningful depends on the setting's type. */
typedef struct as_value {
    int64_t i;         /* INT */
    double f;          /* FLOAT */
    int b;             /* BOOL: 0 or 1 */
    int e;             /* ENUM: index into the choices */
    int32_t date;      /* DATE: day number; INT32_MIN when "" (never) */
    as_dated dated;    /* DATED */
    const double *vec; /* VECTOR, PROBS (renormalised) */
    size_t vec_n;
} as_value;

typedef enum as_phase {
    AS_PHASE_BEFORE = 0, /* before run.reform_start, and the whole run without a reform layer */
    AS_PHASE_AFTER = 1,  /* from run.reform_start */
} as_phase;

typedef struct as_scenario as_scenario;

/* Loads and validates `path` with its base chain and includes. On success *out is new (the
 * caller destroys it). On failure returns AS_ERR_INPUT (or AS_ERR_NOMEM) with `err` naming file,
 * line and setting where they exist, and *out is NULL. Never prints. */
as_status as_scenario_load(const char *path, as_scenario **out, as_error *err) AS_MUST_CHECK;

/* The same from bytes in memory (`name` stands for the file name in messages; `dir` is where base
 * and include files are looked up; NULL = current folder). For fuzzing and tests. */
as_status as_scenario_load_mem(const char *name,
                               const void *data,
                               size_t size,
                               const char *dir,
                               as_scenario **out,
                               as_error *err) AS_MUST_CHECK;

void as_scenario_destroy(as_scenario *s); /* NULL is fine */

/* A new scenario equal to `s` but with FLOAT, INT or DATED setting `id` set to the constant `v`
 * in both phases (or, with `after_only`, in the after-reform phase only), named
 * "<name of s><suffix>". Validates `v` like the loader (range, whole numbers, cross-checks).
 * For sweeps and calibration. */
as_status as_scenario_with_number(const as_scenario *s,
                                  as_setting_id id,
                                  double v,
                                  int after_only,
                                  const char *suffix,
                                  as_scenario **out,
                                  as_error *err) AS_MUST_CHECK;

/* A new scenario equal to `s` but with DATED setting `id` set to the step function of n >= 1
 * steps in both phases: step k holds values[k] from day days[k] (strictly increasing; the first
 * step also holds before it), named "<name of s><suffix>". Validates every value like the loader
 * (range, whole numbers, cross-checks) and stores the steps as the loader stores a file's (a step
 * that repeats the previous value is dropped; one step is a constant), so the result equals a
 * layer with `overrides_from = "start"` that gives these steps. For calibration's `scale = true`
 * parameters. */
as_status as_scenario_with_dated(const as_scenario *s,
                                 as_setting_id id,
                                 const int32_t *days,
                                 const double *values,
                                 size_t n,
                                 const char *suffix,
                                 as_scenario **out,
                                 as_error *err) AS_MUST_CHECK;

/* The value of `id` in `phase`. Borrowed: valid while `s` lives. */
const as_value *as_scn_value(const as_scenario *s, as_setting_id id, as_phase phase);

/* Shorthands for the before-reform value (run.* settings have only that one). */
int64_t as_scn_int(const as_scenario *s, as_setting_id id);
double as_scn_float(const as_scenario *s, as_setting_id id);
int as_scn_bool(const as_scenario *s, as_setting_id id);
int as_scn_enum(const as_scenario *s, as_setting_id id);
int32_t as_scn_date(const as_scenario *s, as_setting_id id);
const as_dated *as_scn_dated(const as_scenario *s, as_setting_id id);
const double *as_scn_vector(const as_scenario *s, as_setting_id id, size_t *n);

/* 1 if a reform layer changes any setting (so the two phases differ somewhere). */
int as_scn_has_reform(const as_scenario *s);

/* The stem of the top-level file ("reform-mentoring-24m"), plus any suffix of
 * as_scenario_with_number. Borrowed. */
const char *as_scn_name(const as_scenario *s);

/* The path the scenario was loaded from, as given. Borrowed. */
const char *as_scn_path(const as_scenario *s);

/* Where setting `id` was last set: file and line (NULL and 0 for a default). */
const char *as_scn_source(const as_scenario *s, as_setting_id id, int *line);

/* Writes the effective settings, one "name = value" line each in schema order (libconfig syntax;
 * after-reform values that differ as "name@reform_start = value"), for manifest.txt. Returns 0,
 * or -1 on a write error. */
int as_scenario_write_settings(const as_scenario *s, FILE *f);

/* 64-bit FNV-1a hash of the text as_scenario_write_settings writes. */
uint64_t as_scenario_hash(const as_scenario *s);

/* The sweep group, if the file has one: the setting and its values (borrowed); 0 if none. */
int as_scn_sweep(const as_scenario *s, as_setting_id *id, const double **values, size_t *n);

/* Checks that `other` (a later file of an invocation) agrees with `first` on every run.* setting
 * it sets; AS_ERR_INPUT naming the later file, line and setting otherwise. */
as_status as_scenario_check_run(const as_scenario *first,
                                const as_scenario *other,
                                as_error *err) AS_MUST_CHECK;

/* Writes docs/scenario-reference.md (Markdown, generated from the schema). 0 or -1. */
int as_schema_write_reference(FILE *f);

/* Index of `name` ("group.setting") in the schema, or -1. */
int as_schema_find(const char *name);

#endif
