/* Outputs: one folder per invocation, written into a sibling DIR.tmp-<pid>/ that is renamed onto
 * DIR only when everything has been written, so a failed or interrupted run leaves no half folder
 * (design.md). The writers turn aggregated results into CSV and text; they never touch model
 * state and never print. */
#ifndef ASYLSIM_OUTPUT_H
#define ASYLSIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "asylsim/error.h"
#include "asylsim/plan.h"
#include "asylsim/run.h"

typedef struct as_outdir as_outdir;

/* Prepares output folder `dir`: refuses (AS_ERR_INPUT) a path that is a file, and a non-empty
 * folder that holds no earlier asylsim output (no manifest.txt) unless `force`; creates missing
 * parent folders and the temporary sibling. *out is new. */
as_status as_outdir_open(const char *dir, int force, as_outdir **out, as_error *err) AS_MUST_CHECK;

/* The temporary folder files are written into, and the final folder. Borrowed. */
const char *as_outdir_tmp(const as_outdir *o);
const char *as_outdir_final(const as_outdir *o);

/* Makes every later write to o's files first call should_stop(ctx) (at each buffer flush, about
 * every 64 KiB); once it returns non-zero the writes fail and as_outdir_fclose returns
 * AS_ERR_INTERRUPTED, so a signal stops even a long write. NULL: never stop (the default). */
void as_outdir_set_stop(as_outdir *o, int (*should_stop)(void *ctx), void *ctx);

/* Opens file `name` inside the temporary folder for writing ("w"); NULL with err set on failure. */
FILE *as_outdir_fopen(const as_outdir *o, const char *name, as_error *err);

/* Flushes f to disk and closes it, reporting any write error of the whole file (AS_ERR_RUNTIME
 * naming it), or AS_ERR_INTERRUPTED once the stop of as_outdir_set_stop says so. */
as_status
as_outdir_fclose(const as_outdir *o, const char *name, FILE *f, as_error *err) AS_MUST_CHECK;

/* Moves the finished folder onto its final name (replacing an earlier output there) and destroys
 * o. On failure the temporary folder is removed and nothing is left half-written. */
as_status as_outdir_commit(as_outdir *o, as_error *err) AS_MUST_CHECK;

/* Removes the temporary folder and destroys o. NULL is fine. */
void as_outdir_abort(as_outdir *o);

/* Removes a folder and everything in it; 0 on success. */
int as_remove_tree(const char *path);

/* Formats a number for CSV: shortest of %.10g, "0" for zeros (never "-0"). */
void as_fmt_num(char *buf, size_t n, double x);

/* Formats euros for CSV: two decimals, "0" for less than half a cent either way. */
void as_fmt_money(char *buf, size_t n, double x);

/* indicators.csv: scenario,indicator,period,mean,p05,p50,p95 (one row per scenario, indicator and
 * month). */
as_status as_write_indicators(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
        AS_MUST_CHECK;

/* budget.csv: scenario,year,line,payer,mean,p05,p50,p95 (EUR per calendar year; the first and
 * last years may be partial when the run starts or ends inside them). */
as_status
as_write_budget(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err) AS_MUST_CHECK;

/* cohorts.csv: scenario,months_since_status,indicator,mean,p05,p50,p95 for the shares of
 * AS_COHORT_SHARES at months 0..AS_COHORT_MONTHS; a replication whose denominator is 0 gives no
 * share, and a month where none does has no row (too short a horizon, or nobody granted). */
as_status
as_write_cohorts(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err) AS_MUST_CHECK;

/* Comparison tables: set 0 is the baseline, sets 1..n-1 the reforms (the same grid and seed).
 * compare.csv: reform,indicator,period,mean_diff,p05,p50,p95 for every month (YYYY-MM) and
 * calendar year (YYYY: the sum of a flow, the last month of a stock). */
as_status
as_write_compare(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err) AS_MUST_CHECK;
/* compare_cohorts.csv: reform,months_since_status,indicator,mean_diff,p05,p50,p95 (cohort group
 * 0, replications where both shares exist). */
as_status as_write_compare_cohorts(const as_outdir *o,
                                   const as_run_set *sets,
                                   size_t n,
                                   as_error *err) AS_MUST_CHECK;
/* A spreadsheet written next to the CSVs (budget_impact.xlsx) when asylsim is built with
 * libxlsxwriter (meson option xlsx): numeric cells, so that a Latvian-locale Excel neither splits
 * on ';' nor mangles decimals. Without the library as_xlsx_open gives *out = NULL and every other
 * function accepts NULL and does nothing, so writers call them unconditionally. */
typedef struct as_xlsx as_xlsx;

/* 1 when built with libxlsxwriter. */
int as_xlsx_built(void);
/* Starts workbook `name` for o (written on as_xlsx_close). */
as_status
as_xlsx_open(const as_outdir *o, const char *name, as_xlsx **out, as_error *err) AS_MUST_CHECK;
/* Starts a new sheet (name at most 31 characters) with a bold, frozen header row of ncol cells;
 * ncol = 0: no header. */
void as_xlsx_sheet(as_xlsx *x, const char *name, const char *const *head, int ncol);
/* Cells of the current row, column col (0..15): text, bold text, a number (money: "#,##0.00"
 * format; a NaN or infinity leaves the cell empty). */
void as_xlsx_text(as_xlsx *x, int col, const char *s);
void as_xlsx_bold(as_xlsx *x, int col, const char *s);
void as_xlsx_num(as_xlsx *x, int col, double v, int money);
void as_xlsx_next_row(as_xlsx *x);
/* Writes the file into o's folder (as_outdir_fopen / as_outdir_fclose) and destroys x. */
as_status as_xlsx_close(as_xlsx *x, as_error *err) AS_MUST_CHECK;
/* Destroys x without writing anything. */
void as_xlsx_abort(as_xlsx *x);

/* budget_impact.csv: reform,year,line,payer,mean_diff,p05,p50,p95 in EUR per year, a total row
 * per year (line and payer "total") and rows for the span from the reform start to the horizon
 * ("2026-2030"); the same rows go into sheet "budget_impact" of xl (NULL: none). */
as_status as_write_budget_impact(const as_outdir *o,
                                 const as_run_set *sets,
                                 size_t n,
                                 as_xlsx *xl,
                                 as_error *err) AS_MUST_CHECK;
/* budget_annotation.csv and budget_annotation.md: per reform, years n..n+3 from the reform
 * start, revenue / expenditure / financial impact by state basic, state special and municipal
 * budgets, each a mean with its 5-95 interval. xl (NULL: none) gets sheet "budget_annotation"
 * (the CSV's rows) and sheet "annotation_layout" (the markdown's tables, one block per reform). */
as_status as_write_budget_annotation(const as_outdir *o,
                                     const as_run_set *sets,
                                     size_t n,
                                     as_xlsx *xl,
                                     as_error *err) AS_MUST_CHECK;

/* summary.md: the scenarios and what each changes, with `compare` the headline of every reform
 * (set 0 is the baseline) and its budget impact per year, the files, the plots (`plots_note` says
 * what happened to them) and the reproducibility line. */
as_status as_write_summary(const as_outdir *o,
                           const as_run_set *sets,
                           size_t n,
                           int compare,
                           uint64_t seed,
                           uint32_t reps,
                           const char *plots_note,
                           as_error *err) AS_MUST_CHECK;

/* plots/: the data files and, when gnuplot is installed, PNG and SVG figures: fan charts, cohort
 * curves and budget bars of every scenario; with `compare` also the forest plot, the
 * cost-effectiveness scatter and a dose-response plot per sweep (`plan` says which scenarios are
 * the variants of a sweep). A missing gnuplot, or a failed script, is not an error: `note` says
 * what happened. Errors are write failures only. */
as_status as_write_plots(const as_outdir *o,
                         const as_run_set *sets,
                         size_t n,
                         int compare,
                         const as_plan *plan,
                         char *note,
                         size_t note_n,
                         as_error *err) AS_MUST_CHECK;

/* replications.csv: scenario,replication,indicator,period,value. */
as_status as_write_replications(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
        AS_MUST_CHECK;

/* manifest.txt: version, seed, replications and, per scenario, its name, hash and effective
 * settings; never paths, command lines, thread counts, hosts or times. */
as_status as_write_manifest(const as_outdir *o,
                            const as_run_set *sets,
                            size_t n,
                            uint64_t seed,
                            uint32_t reps,
                            as_error *err) AS_MUST_CHECK;

#endif
