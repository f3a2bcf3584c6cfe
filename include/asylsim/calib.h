/* Calibration and sensitivity analysis: a loop *around* the simulation pipeline (design.md,
 * "Calibration"). It reads observed statistics (a targets CSV), a calibration file (the base
 * scenario, the parameters to fit with their priors, the method and its budget) or a sensitivity
 * file (parameters with ranges and the outputs to study), builds run plans of candidate scenarios
 * (as_scenario_with_number, or a scaled copy of a dated setting), runs them with
 * as_run_scenarios and reads their observations. Nothing here prints; the writers go through the
 * output folder API (output.h). Random draws of the algorithms (proposals, Morris trajectories,
 * Saltelli matrices, bootstrap) come from a Philox stream of their own (process 255 of the
 * calibration seed), never from a model stream, so results are identical for any thread count.
 *
 * Targets file (CSV, header `series,period,value,sd`, sd optional):
 *   series   an indicator of model.h ("pending"), a ratio of two ("employed_protected/
 *            adults_protected", per replication), or a cohort share at month M since status
 *            ("share_in_latvia@12", period empty)
 *   period   YYYY, YYYY-MM, or a span YYYY/YYYY or YYYY-MM/YYYY-MM
 *   value    the observed number; sd its standard deviation (> 0; empty: default_rel_sd x
 *            |value| of the calibration file; a value of 0 needs an sd)
 * A flow over a year or span is the sum of its months; a stock, cumulative or year-to-date
 * indicator over a year is its December value, over a span the mean of its December (year span)
 * or monthly (month span) values. */
#ifndef ASYLSIM_CALIB_H
#define ASYLSIM_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "asylsim/error.h"
#include "asylsim/output.h"
#include "asylsim/run.h"
#include "asylsim/scenario.h"

/* ---- targets ---- */

/* How a target or output sums its months. */
typedef enum as_agg {
    AS_AGG_SUM,  /* sum of the months m0, m0 + step, ..., m1 */
    AS_AGG_MEAN, /* mean of those months */
} as_agg;

/* A period of the observation grid once bound: months m0..m1 (grid indices) every `step`. */
typedef struct as_span {
    int m0, m1, step;
    as_agg agg;
} as_span;

/* A parsed period: years and months (month 0 = a whole year); y1/mo1 equal y0/mo0 unless it is a
 * span. */
typedef struct as_period {
    int y0, mo0, y1, mo1;
} as_period;

typedef struct as_target {
    char series[96]; /* as written */
    char period[24]; /* as written; "" for a cohort share */
    double value;
    double sd; /* as written; 0 when the file gives none */
    int line;  /* 1-based line in the targets file */
    int ind;   /* as_indicator_id, or -1 for a cohort share */
    int ind2;  /* denominator indicator of a ratio, or -1 */
    int share; /* as_cohort_share_id of a cohort share, or -1 */
    int month; /* months since status of a cohort share */
    as_period per;
    as_span span, span2; /* after as_targets_bind (span2: the ratio's denominator) */
} as_target;

typedef struct as_targets as_targets;

/* Reads the targets file at `path` (`path` names it in messages). On success *out is new (the
 * caller destroys it). On failure AS_ERR_INPUT with err naming FILE:LINE and, where one is known,
 * the series; AS_ERR_NOMEM. Never prints. */
as_status as_targets_load(const char *path, as_targets **out, as_error *err) AS_MUST_CHECK;

/* The same from bytes in memory (`name` stands for the file in messages): any bytes are safe,
 * for fuzzing and tests. */
as_status as_targets_parse_mem(const char *name,
                               const void *data,
                               size_t size,
                               as_targets **out,
                               as_error *err) AS_MUST_CHECK;

void as_targets_destroy(as_targets *t); /* NULL is fine */

size_t as_targets_count(const as_targets *t);
const as_target *as_targets_get(const as_targets *t, size_t i); /* borrowed */
const char *as_targets_file(const as_targets *t);               /* the name given; borrowed */

/* Resolves every period to months of grid g: AS_ERR_INPUT naming the target's line when a period
 * lies outside the simulated months (a yearly flow needs all twelve months, a yearly stock its
 * December). */
as_status as_targets_bind(as_targets *t, const as_grid *g, as_error *err) AS_MUST_CHECK;

/* The simulated value of bound target `t` in replication r of set s; NAN when it is undefined
 * there (a ratio or cohort share whose denominator is 0). */
double as_target_value(const as_target *t, const as_run_set *s, uint32_t r);

/* Parses a period ("2019", "2019-12", "2015/2019", "2015-01/2022-09") into *p: 0, or -1 with the
 * reason in msg. */
int as_period_parse(const char *text, as_period *p, char *msg, size_t n);

/* Resolves period p on grid g for an indicator of kind `kind` (model.h as_ind_kind): 0, or -1
 * with the reason in msg. */
int as_period_bind(
        const as_period *p, int kind, const as_grid *g, as_span *out, char *msg, size_t n);

/* Sum or mean of x[m0], x[m0 + step], ..., x[m1] (compensated). */
double as_span_apply(const as_span *sp, const double *x);

/* ---- parameters (shared by calibration and sensitivity files) ---- */

typedef enum as_prior {
    AS_PRIOR_UNIFORM,     /* uniform on [lower, upper] */
    AS_PRIOR_LOG_UNIFORM, /* uniform in log on [lower, upper] (lower > 0) */
} as_prior;

typedef struct as_param {
    as_setting_id id;
    as_prior prior;
    double lower, upper;
    int scale; /* 1: the value multiplies every step of the base's (dated) value */
    int line;  /* in the file that declares it */
} as_param;

/* The value in [lower, upper] at position x in [0, 1] of the prior's scale (uniform: linear;
 * log_uniform: in log). */
double as_param_from_unit(const as_param *p, double x);

/* ---- calibration file ---- */

typedef enum as_calib_method {
    AS_CALIB_ABC_SMC,
    AS_CALIB_SMM,
} as_calib_method;

typedef struct as_abc_budget {
    uint32_t populations;     /* after the prior population, >= 1 */
    uint32_t particles;       /* per population, >= 10 */
    uint32_t replications;    /* per candidate; its weight is the share within the tolerance */
    uint32_t batch;           /* candidates per as_run_scenarios call (common seed inside one) */
    double quantile;          /* next tolerance: this quantile of the current distances, (0, 1) */
    double min_acceptance;    /* stop once a population accepts fewer candidates than this share */
    uint64_t max_simulations; /* stop before the replications run exceed this; 0 = no limit */
} as_abc_budget;

typedef struct as_smm_budget {
    uint32_t iterations;   /* Nelder-Mead iterations at most */
    uint32_t replications; /* per candidate, the same seeds for every candidate */
    double tolerance;      /* stop when the simplex size (logit units) falls below this */
    double step;           /* initial simplex step (logit units) */
    double jacobian_step;  /* central-difference step for the standard errors (logit units) */
} as_smm_budget;

typedef struct as_calib_spec {
    char *path;         /* the calibration file as given */
    char *base_path;    /* the base scenario, resolved against the calibration file's folder */
    char *targets_path; /* likewise */
    int base_line, targets_line; /* where the file names them */
    int32_t run_end;             /* simulate only to this day (day number); INT32_MIN: the base's */
    as_calib_method method;
    uint64_t seed;
    double default_rel_sd;     /* sd of a target without one, relative to its value */
    uint32_t fit_replications; /* replications of the fitted scenario for fit.csv */
    size_t n_params;
    as_param *params;
    as_abc_budget abc;
    as_smm_budget smm;
} as_calib_spec;

/* Loads and validates a calibration file (libconfig; its own schema, not settings.h). On
 * failure AS_ERR_INPUT naming FILE:LINE: SETTING where they exist; *out is NULL. */
as_status as_calib_spec_load(const char *path, as_calib_spec **out, as_error *err) AS_MUST_CHECK;

/* The same from bytes in memory; `dir` is the folder base and targets are resolved against
 * (NULL = current folder). */
as_status as_calib_spec_parse_mem(const char *name,
                                  const void *data,
                                  size_t size,
                                  const char *dir,
                                  as_calib_spec **out,
                                  as_error *err) AS_MUST_CHECK;

void as_calib_spec_destroy(as_calib_spec *s); /* NULL is fine */

/* ---- running a calibration ---- */

/* What the progress callback sees. */
typedef struct as_calib_progress {
    const char *stage;  /* "prior", "population", "simplex", "jacobian", "fit" */
    uint32_t step;      /* population (1-based) or iteration */
    uint32_t steps;     /* planned populations or maximum iterations */
    uint64_t done;      /* ABC: particles accepted in this population; else simulations */
    uint64_t total;     /* ABC: particles wanted; else simulations planned in this stage */
    uint64_t simulated; /* replications run so far, all stages */
    double tolerance;   /* ABC: the current tolerance; SMM: the best objective; NAN if none */
    double acceptance;  /* ABC: accepted / simulated candidates in this population */
} as_calib_progress;

typedef struct as_calib_opts {
    unsigned threads; /* >= 1 */
    uint64_t seed;    /* the calibration seed (the file's unless --seed) */
    int (*should_stop)(void *ctx);
    void (*progress)(void *ctx, const as_calib_progress *p);
    void *ctx;
    /* The memory guard of every simulation call (as_run_opts in run.h; 0 = none). */
    uint64_t max_rss;
    const char *max_rss_what;
} as_calib_opts;

/* One population of ABC-SMC. */
typedef struct as_abc_population {
    double tolerance;     /* INFINITY for the prior population */
    uint64_t candidates;  /* candidates simulated */
    uint32_t accepted;    /* particles kept */
    double ess;           /* effective sample size 1 / sum(w^2) */
    uint64_t simulations; /* replications run */
} as_abc_population;

/* The result of a calibration. Arrays are new and owned by the result. */
typedef struct as_calib_result {
    as_calib_method method;
    uint64_t seed; /* the calibration seed used */
    size_t n_params;
    double *estimate;        /* ABC: posterior mean; SMM: the estimate */
    double *sd;              /* ABC: posterior sd; SMM: standard error (NAN if not identified) */
    double *q05, *q50, *q95; /* ABC: weighted posterior quantiles; SMM: q05/q95 of a 90%
                                interval on the logit scale, q50 = estimate */
    /* ABC */
    size_t n_particles;
    double *particles; /* n_particles x n_params, natural units */
    double *weights;   /* n_particles, sum 1 */
    double *distances; /* n_particles: the smallest distance among the replications */
    size_t n_populations;
    as_abc_population *populations;
    const char *stop_reason; /* static text */
    /* SMM */
    double objective; /* weighted sum of squares at the estimate */
    uint32_t iterations;
    int converged;
    /* both */
    uint64_t simulations; /* replications run, all stages */
    /* the fit of the fitted scenario, one row per target */
    size_t n_targets;
    double *fit_mean, *fit_p05, *fit_p95; /* NAN where no replication defines the target */
    uint32_t fit_reps;
} as_calib_result;

void as_calib_result_destroy(as_calib_result *r); /* NULL is fine */

/* A prepared calibration: the base scenario shortened to the calibration horizon, the targets
 * bound to its months, and their sd. */
typedef struct as_calib as_calib;

/* Loads the spec's base scenario and targets and checks them against each other (the
 * parameters against the base). Errors name the file they come from. *out is new. */
as_status as_calib_prepare(const as_calib_spec *spec, as_calib **out, as_error *err) AS_MUST_CHECK;
void as_calib_destroy(as_calib *c); /* NULL is fine */

/* Notes about the setup for the user (e.g. a dated base value that fitting replaces by a
 * constant): the count, and note i (borrowed). */
size_t as_calib_notes(const as_calib *c, const char *const **notes);

const as_calib_spec *as_calib_spec_of(const as_calib *c); /* borrowed */
const as_targets *as_calib_targets(const as_calib *c);    /* borrowed */
double as_calib_target_sd(const as_calib *c, size_t i);   /* the sd distances use */
const as_scenario *as_calib_base(const as_calib *c);      /* the base as loaded; borrowed */

/* Runs the method of the spec. *out is new. AS_ERR_INTERRUPTED when should_stop said so. */
as_status as_calib_run(as_calib *c, const as_calib_opts *o, as_calib_result **out, as_error *err)
        AS_MUST_CHECK;

/* The fitted scenario: the base as loaded (full horizon) with the estimates applied (a constant
 * in both phases, or the scaled dated function). *out is new. */
as_status as_calib_fitted_scenario(const as_calib *c,
                                   const double *values,
                                   as_scenario **out,
                                   as_error *err) AS_MUST_CHECK;

/* Writes posterior.csv and populations.csv (ABC) or estimates.csv (SMM), fit.csv, fitted.cfg
 * (base = the base scenario relative to the final folder, overrides_from = "start", the fitted
 * values in their groups) and manifest.txt into o. */
as_status as_calib_write(const as_calib *c,
                         const as_calib_result *r,
                         const as_outdir *o,
                         as_error *err) AS_MUST_CHECK;

/* ---- sensitivity ---- */

/* One output of a sensitivity study: an indicator or a budget total over a period. */
typedef struct as_sens_output {
    char name[64];
    int ind;        /* as_indicator_id, or -1 for a budget output */
    char line[32];  /* budget line ("" = every line) */
    char payer[32]; /* budget payer ("" = every payer) */
    char period[24];
    as_period per;
    as_agg agg;       /* statistic over the period */
    int agg_explicit; /* 1 if the file says which */
    int file_line;
    as_span span; /* after binding */
} as_sens_output;

typedef struct as_sens_spec {
    char *path;
    int32_t run_end; /* INT32_MIN: the scenario's */
    uint64_t seed;
    uint32_t replications; /* averaged per design point, the same seeds for every point */
    uint32_t batch;        /* design points per as_run_scenarios call */
    int do_morris, do_sobol, do_oat;
    uint32_t morris_trajectories, morris_levels;
    uint32_t sobol_samples; /* N: the Saltelli design costs N x (k + 2) points */
    uint32_t bootstrap;     /* resamples for the Sobol confidence intervals */
    size_t n_params;
    as_param *params;
    size_t n_outputs;
    as_sens_output *outputs;
} as_sens_spec;

as_status as_sens_spec_load(const char *path, as_sens_spec **out, as_error *err) AS_MUST_CHECK;
as_status as_sens_spec_parse_mem(const char *name,
                                 const void *data,
                                 size_t size,
                                 as_sens_spec **out,
                                 as_error *err) AS_MUST_CHECK;
void as_sens_spec_destroy(as_sens_spec *s); /* NULL is fine */

/* Indices of one (output, parameter) pair; NAN where a method did not run. */
typedef struct as_sens_index {
    double mu, mu_star, sigma;       /* Morris, output units per whole range */
    double s1, s1_conf, st, st_conf; /* Sobol first-order and total, 95% bootstrap half-width */
    double low, high;                /* one-at-a-time: the output at lower and upper */
} as_sens_index;

typedef struct as_sens_result {
    uint64_t seed;          /* the seed used */
    char scenario[256];     /* the scenario's name */
    uint64_t scenario_hash; /* as_scenario_hash of the scenario as loaded */
    size_t n_outputs, n_params;
    as_sens_index *idx;   /* n_outputs x n_params: [o * n_params + p] */
    double *center;       /* n_outputs: the output of the unchanged scenario */
    double *variance;     /* n_outputs: variance over the Saltelli A and B points (NAN: none) */
    uint64_t points;      /* design points run */
    uint64_t simulations; /* replications run */
} as_sens_result;

void as_sens_result_destroy(as_sens_result *r); /* NULL is fine */

/* Checks the study against the scenario at `scenario_path` without running it: the scenario
 * loads, run_end lies inside its run, every output's period inside the simulated months. */
as_status
as_sens_check(const as_sens_spec *spec, const char *scenario_path, as_error *err) AS_MUST_CHECK;

/* Runs the study on the scenario at `scenario_path` (shortened to the file's run_end).
 * `o->seed` replaces the file's seed. Every design point runs the same replications with the same
 * seed (common random numbers). AS_ERR_INPUT when a design point is not a valid scenario (narrow
 * the ranges) or an output's period lies outside the run. */
as_status as_sens_run(const as_sens_spec *spec,
                      const char *scenario_path,
                      const as_calib_opts *o,
                      as_sens_result **out,
                      as_error *err) AS_MUST_CHECK;

/* Writes sensitivity.csv (output,parameter,lower,upper,mu_star,mu,sigma,S1,S1_conf,ST,ST_conf,
 * oat_low,oat_high), tornado.csv (output,rank,parameter,center,low,high,swing: the one-at-a-time
 * swings, largest first) and manifest.txt. */
as_status as_sens_write(const as_sens_spec *spec,
                        const as_sens_result *r,
                        const as_outdir *o,
                        as_error *err) AS_MUST_CHECK;

/* ---- plots ---- */

/* Runs `gnuplot -e "dir='TMP'; VARS" SCRIPT`, TMP the output folder's temporary directory, where
 * the script reads its CSV files; it writes its figures into TMP/plots/ (created here).
 * gnuplot's own output goes to plots/gnuplot.log (removed when empty, with plots/ if empty).
 * Returns 0 if it ran and succeeded, 1 if gnuplot is not installed (or the folder's name cannot be
 * quoted for it), -1 if it failed (see gnuplot.log). */
int as_calib_gnuplot(const as_outdir *o, const char *script, const char *vars);

#endif
