/* Private to sim/calib/: what its files share. text.c reads and checks input files and parses
 * libconfig text safely; spec.c turns calibration and sensitivity files into specs; targets.c
 * reads targets; candidate.c builds candidate scenarios and writes fitted.cfg; abc.c and smm.c
 * are the two methods; calibrate.c prepares and runs a calibration; write.c writes its outputs;
 * sensitivity.c runs and writes a sensitivity study; plot.c runs gnuplot. */
#ifndef ASYLSIM_CALIB_INTERNAL_H
#define ASYLSIM_CALIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>
#include <libconfig.h>

#include "asylsim/calib.h"
#include "asylsim/parallel.h"
#include "asylsim/scenario_text.h"

/* The Philox process number of the algorithms' own draws (never a model process). */
#define AS_CAL_RNG_PROCESS 255u

/* ---- text.c ---- */

/* Reads `path` whole into a new NUL-terminated buffer (*buf; the caller frees it) and checks it
 * (as_scn_check_text, "not text"); *skip is the length of a UTF-8 BOM to drop. `name` names it in
 * messages; `what` says what the file is ("targets file"). */
as_status as_cal_read_text(const char *name,
                           const char *path,
                           const char *what,
                           char **buf,
                           size_t *len,
                           size_t *skip,
                           as_error *err);

/* Parses NUL-terminated libconfig `text` into c (config_init is done here; the caller calls
 * config_destroy on success only). Refuses what libconfig 1.5 would get wrong: @include (not
 * allowed in these files), integers it would wrap, an unclosed comment; a misplaced string is a
 * syntax error without libconfig's leak. */
as_status as_cal_config_parse(const char *name, const char *text, config_t *c, as_error *err);

/* The closest of names[0..n) to `typed` if close enough to suggest, else "". */
void as_cal_suggest(const char *typed, const char *const *names, size_t n, char *buf, size_t bn);

/* The closest schema setting name to `typed`, or "". */
void as_cal_suggest_setting(const char *typed, char *buf, size_t bn);

/* Describes a libconfig value for "found ..." in messages. */
void as_cal_describe(const config_setting_t *cs, char *buf, size_t n);

/* Puts `prefix` before e->msg (cut to fit). */
void as_cal_error_prefix(as_error *e, const char *prefix);

/* Formats a number so that libconfig reads it back exactly as a float ("0.25", "4.0", "1e-05"). */
void as_cal_fmt_float(double x, char *buf, size_t n);

/* A new Philox generator pointed at the algorithms' stream `sub` of `seed`; NULL if no memory. */
gsl_rng *as_cal_rng(uint64_t seed, uint32_t sub);

/* A well-mixed 64-bit seed for batch `k` of stage `stage` (SplitMix64 of the three). */
uint64_t as_cal_mix_seed(uint64_t seed, uint64_t stage, uint64_t k);

/* ---- spec.c ---- */

/* Reads a libconfig list `parameters = ( {...}, ... )` member of the root into a new array. */
as_status as_cal_parse_params(const char *file,
                              const config_setting_t *list,
                              int need_prior,
                              as_param **out,
                              size_t *n,
                              as_error *err);

/* ---- candidate.c ---- */

/* A base scenario ready for candidates: the base as loaded and the same shortened to run_end. */
typedef struct as_cal_base {
    const char *base_path;  /* borrowed */
    as_scenario *full;      /* the base as loaded */
    as_scenario *short_scn; /* the base to run_end (== full when run_end is not set) */
    int32_t run_end;        /* INT32_MIN: not shortened */
} as_cal_base;

/* Loads base_path and, when run_end is set, the same to run_end. */
as_status as_cal_base_init(as_cal_base *b, const char *base_path, int32_t run_end, as_error *err);
void as_cal_base_finish(as_cal_base *b);

/* A new candidate: the (short or full) base with params[k] set to values[k]. A value the loader
 * refuses (range, cross-checks such as p_refugee + p_alternative <= 1) gives AS_ERR_INPUT. Whole
 * numbers are rounded first. */
as_status as_cal_candidate(const as_cal_base *b,
                           int full,
                           const as_param *params,
                           size_t n_params,
                           const double *values,
                           as_scenario **out,
                           as_error *err);

/* The text of fitted.cfg-style overrides: one group per setting group, each parameter's value
 * (the scaled dated function for a scale parameter), with `comments[k]` (may be NULL) after each.
 * New string or NULL. */
char *as_cal_overrides_text(const as_scenario *full,
                            const as_param *params,
                            size_t n_params,
                            const double *values,
                            const char *const *comments);

/* Internal coordinate of a value: itself (uniform) or its log (log_uniform), and back. */
double as_cal_to_internal(const as_param *p, double v);
double as_cal_from_internal(const as_param *p, double u);

/* ---- abc.c / smm.c ---- */

/* What the methods need from a prepared calibration. */
typedef struct as_cal_problem {
    const as_calib_spec *spec;
    const as_cal_base *base;
    const as_targets *targets;
    const double *sd; /* per target */
} as_cal_problem;

/* Distance of replication r of set s: sqrt(mean over targets of z^2), z = (sim - obs) / sd;
 * INFINITY if a target is undefined there. */
double as_cal_distance(const as_cal_problem *pb, const as_run_set *s, uint32_t r);

/* Runs a batch of candidates: *sets new (as_run_sets_free(*sets, n)). */
as_status as_cal_simulate(const as_cal_problem *pb,
                          as_scenario *const *scn,
                          size_t n,
                          uint32_t reps,
                          uint64_t seed,
                          const as_calib_opts *o,
                          void (*tick)(void *ctx, uint64_t done),
                          void *tick_ctx,
                          as_run_set **sets,
                          as_error *err);

as_status
as_cal_abc(const as_cal_problem *pb, const as_calib_opts *o, as_calib_result *res, as_error *err);
as_status
as_cal_smm(const as_cal_problem *pb, const as_calib_opts *o, as_calib_result *res, as_error *err);

/* Weighted quantiles q[0..nq) of x (n values, weights w summing to 1) into out; perm holds n
 * indices of scratch. */
void as_cal_weighted_quantiles(const double *x,
                               const double *w,
                               size_t n,
                               const double *q,
                               size_t nq,
                               double *out,
                               size_t *perm);

#endif
