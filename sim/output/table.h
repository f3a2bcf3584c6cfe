/* Internal to sim/output: what every CSV table writer starts and ends with. A table is its stream
 * (in the output's temporary folder, header written) and the scratch space of the summaries: 2 x
 * the largest replication count of the sets, and the calendar years of a grid. */
#ifndef ASYLSIM_OUTPUT_TABLE_H
#define ASYLSIM_OUTPUT_TABLE_H

#include "asylsim/compare.h"
#include "asylsim/output.h"

enum {
    AS_TABLE_MAX_YEARS = 1200
};

typedef struct {
    const char *name; /* the file's name inside the output folder */
    FILE *f;
    double *x;      /* 2 x the largest reps of the sets */
    as_year *years; /* AS_TABLE_MAX_YEARS */
} as_table;

/* Opens file `name` of o, writes `header` (a line, without its newline) and allocates the scratch
 * space for sets[0..n-1]. On failure nothing is left open. */
as_status as_table_open(const as_outdir *o,
                        const char *name,
                        const char *header,
                        const as_run_set *sets,
                        size_t n,
                        as_table *t,
                        as_error *err) AS_MUST_CHECK;

/* Frees the scratch space and closes the file through as_outdir_fclose (its status). */
as_status as_table_close(const as_outdir *o, as_table *t, as_error *err) AS_MUST_CHECK;

/* Summarises x[0..n-1] (scratch: n more doubles) into the mean, p05, p50 and p95, formatted with
 * as_fmt_money (money) or as_fmt_num. */
void as_table_quantiles(double *x, size_t n, double *scratch, int money, char out[4][32]);

#endif
