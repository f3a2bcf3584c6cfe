/* The one list of scenario settings (X-macro). Everything about a setting — its name, type, unit,
 * range, default, documentation and whether it is an assumption — is written here once; the
 * schema table (sim/scenario/schema.c), validation, `asylsim check --list` and
 * docs/scenario-reference.md are all generated from it. Names are those of docs/model.md,
 * verbatim; "group.name" is notation, in a file the setting sits inside its group.
 *
 * X(ID, NAME, TYPE, UNIT, MIN, MAX, LEN, CHOICES, DEFAULT, FLAGS, DOC)
 *   TYPE     INT, FLOAT, BOOL, ENUM, DATE, DATED (a number or a dated step function), VECTOR
 *            (floats), PROBS (floats that sum to 1: renormalised within 1e-9, refused beyond)
 *   MIN/MAX  allowed range of numbers (every element of a vector or step function)
 *   LEN      length of a VECTOR or PROBS (0: any length >= 1)
 *   CHOICES  "a|b|c" for ENUM, "" otherwise
 *   DEFAULT  the default, written in libconfig syntax
 *   FLAGS    AS_F_* below, or-ed
 *   DOC      one line; an assumption says so and gives its plausible range
 */
#ifndef ASYLSIM_SETTINGS_H
#define ASYLSIM_SETTINGS_H

/* Setting flags. */
#define AS_F_NONE       0u
#define AS_F_ASSUMPTION 1u  /* not a figure of the report or the official series */
#define AS_F_MIN_EXCL   2u  /* the minimum itself is not allowed */
#define AS_F_WHOLE      4u  /* every number must be a whole number */
#define AS_F_EMPTY_OK   8u  /* DATE: "" is allowed and means "never" */
#define AS_F_RUN        16u /* run.*: taken from the first file of an invocation */

#define AS_SETTINGS(X)                                                                             \
    X(AS_S_RUN_REPS, "run.reps", INT, "replications", 1, 1000000, 0, "", "100", AS_F_RUN,          \
      "replications per scenario (--reps overrides)")                                              \
    X(AS_S_RUN_SEED, "run.seed", INT, "-", 0, 9.2233720368547748e18, 0, "", "1", AS_F_RUN,         \
      "random seed; --seed takes any unsigned 64-bit value")                                       \
    X(AS_S_RUN_START, "run.start", DATE, "date", 0, 0, 0, "", "\"2015-01-01\"", AS_F_RUN,          \
      "first simulated day (00:00)")                                                               \
    X(AS_S_RUN_END, "run.end", DATE, "date", 0, 0, 0, "", "\"2030-12-31\"", AS_F_RUN,              \
      "last simulated day (inclusive)")                                                            \
    X(AS_S_RUN_REFORM_START, "run.reform_start", DATE, "date", 0, 0, 0, "", "\"2026-01-01\"",      \
      AS_F_RUN, "a reform file's overrides take effect from 00:00 of this day")                    \
    X(AS_S_ARRIVALS_APPLICANTS_PER_YEAR, "arrivals.applicants_per_year", DATED, "persons/yr", 0,   \
      1e8, 0, "", "278.0", AS_F_NONE,                                                              \
      "asylum applications per year (seed l. 1606: 3 888 in 2009-2022 / 14); the baseline "        \
      "uses the PMLP yearly series")                                                               \
    X(AS_S_ARRIVALS_PROJECTION, "arrivals.projection", DATED, "persons/yr", 0, 1e8, 0, "",         \
      "1288.0", AS_F_ASSUMPTION,                                                                   \
      "applications per year from arrivals.projection_from on, replacing "                         \
      "applicants_per_year; default the 2025 PMLP level; assumption, range 150-1650")              \
    X(AS_S_ARRIVALS_PROJECTION_FROM, "arrivals.projection_from", DATE, "date", 0, 0, 0, "",        \
      "\"2026-01-01\"", AS_F_NONE,                                                                 \
      "first day of the projection (the day after the last official year)")                        \
    X(AS_S_ARRIVALS_MONTH_WEIGHTS, "arrivals.month_weights", VECTOR, "-", 0, 1e6, 12, "",          \
      "[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]", AS_F_ASSUMPTION,             \
      "relative weight of each calendar month, January first; assumption (no monthly "             \
      "data), uniform by default")                                                                 \
    X(AS_S_ARRIVALS_HOUSEHOLD_SIZE_PROBS, "arrivals.household_size_probs", PROBS, "-", 0, 1, 6,    \
      "", "[0.55, 0.1, 0.1, 0.1, 0.08, 0.07]", AS_F_ASSUMPTION,                                    \
      "P(household of 1, 2, 3, 4, 5, 6 persons; 6 stands for 6+); assumption")                     \
    X(AS_S_PROCEDURE_CASEWORKERS, "procedure.caseworkers", DATED, "persons", 0, 100000, 0, "",     \
      "4.0", AS_F_ASSUMPTION | AS_F_WHOLE,                                                         \
      "servers of the first-decision queue; assumption (no staff figure), range 2-20")             \
    X(AS_S_PROCEDURE_SERVICE_DIST, "procedure.service_dist", ENUM, "-", 0, 0, 0,                   \
      "exponential|lognormal|gamma|weibull", "\"exponential\"", AS_F_ASSUMPTION,                   \
      "distribution of the service time per case; assumption")                                     \
    X(AS_S_PROCEDURE_SERVICE_MEDIAN_DAYS, "procedure.service_median_days", FLOAT, "days", 0, 3650, \
      0, "", "4.0", AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                               \
      "median service time per case; assumption, range 1-30")                                      \
    X(AS_S_PROCEDURE_SERVICE_SHAPE, "procedure.service_shape", FLOAT, "-", 0, 100, 0, "", "1.0",   \
      AS_F_ASSUMPTION | AS_F_MIN_EXCL,                                                             \
      "shape (gamma, weibull) or sdlog (lognormal) of the service time; unused for "               \
      "exponential; assumption, range 0.5-3")                                                      \
    X(AS_S_PROCEDURE_P_REFUGEE, "procedure.p_refugee", FLOAT, "-", 0, 1, 0, "", "0.14", AS_F_NONE, \
      "P(refugee status | first decision); official 2015-2019: 152 of 1 087 first "                \
      "decisions; to calibrate")                                                                   \
    X(AS_S_PROCEDURE_P_ALTERNATIVE, "procedure.p_alternative", FLOAT, "-", 0, 1, 0, "", "0.39",    \
      AS_F_NONE,                                                                                   \
      "P(alternative status | first decision); official 2015-2019: 427 of 1 087; to "              \
      "calibrate; p_refugee + p_alternative <= 1, the rest is negative")

typedef enum as_setting_id {
#define AS_X_ENUM(id, ...) id,
    AS_SETTINGS(AS_X_ENUM)
#undef AS_X_ENUM
    AS_N_SETTINGS
} as_setting_id;

#endif
