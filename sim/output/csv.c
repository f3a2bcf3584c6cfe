/* CSV writers of `asylsim run` (include/asylsim/output.h): indicators.csv with the mean and the
 * 5/50/95 quantiles over replications, and replications.csv with every replication's value.
 * Numbers go through as_fmt_num so that the same results always give the same bytes. */
#include "asylsim/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/ksum.h"
#include "table.h"

void as_fmt_num(char *buf, size_t n, double x)
{
    if (fpclassify(x) == FP_ZERO) {
        snprintf(buf, n, "0");
        return;
    }
    snprintf(buf, n, "%.10g", x);
}

void as_fmt_money(char *buf, size_t n, double x)
{
    if (fabs(x) < 0.005) {
        snprintf(buf, n, "0");
        return;
    }
    snprintf(buf, n, "%.2f", x);
}

as_status as_write_indicators(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    as_table t;
    if (as_table_open(o, "indicators.csv", "scenario,indicator,period,mean,p05,p50,p95", sets, n,
                      &t, err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
    for (size_t k = 0; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        for (int i = 0; i < AS_N_INDICATORS; i++) {
            for (int m = 0; m < s->grid.n_months; m++) {
                for (uint32_t r = 0; r < s->reps; r++) {
                    x[r] = as_run_value(s, r, i, m);
                }
                char period[8], v[4][32];
                as_table_quantiles(x, s->reps, x + s->reps, 0, v);
                as_grid_label(&s->grid, m, period);
                fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), as_indicators[i].name,
                        period, v[0], v[1], v[2], v[3]);
            }
        }
    }
    return as_table_close(o, &t, err);
}

as_status as_write_budget(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    as_table t;
    if (as_table_open(o, "budget.csv", "scenario,year,line,payer,mean,p05,p50,p95", sets, n, &t,
                      err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
    for (size_t k = 0; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        int m0 = 0;
        while (m0 < s->grid.n_months) {
            char label[8];
            as_grid_label(&s->grid, m0, label);
            int m1 = m0;
            char l1[8];
            while (m1 < s->grid.n_months) {
                as_grid_label(&s->grid, m1, l1);
                if (strncmp(l1, label, 4) != 0) {
                    break;
                }
                m1++;
            }
            for (int b = 0; b < AS_N_BUDGET_ROWS; b++) {
                for (uint32_t r = 0; r < s->reps; r++) {
                    as_ksum sum = {0, 0};
                    for (int m = m0; m < m1; m++) {
                        as_ksum_add(&sum, as_run_budget(s, r, b, m));
                    }
                    x[r] = as_ksum_value(&sum);
                }
                char v[4][32];
                as_table_quantiles(x, s->reps, x + s->reps, 1, v);
                fprintf(f, "%s,%.4s,%s,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), label,
                        as_budget_rows[b].line, as_budget_rows[b].payer, v[0], v[1], v[2], v[3]);
            }
            m0 = m1;
        }
    }
    return as_table_close(o, &t, err);
}

as_status as_write_cohorts(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    as_table t;
    if (as_table_open(o, "cohorts.csv", "scenario,months_since_status,indicator,mean,p05,p50,p95",
                      sets, n, &t, err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
    for (size_t k = 0; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        for (int sh = 0; sh < AS_N_COHORT_SHARES; sh++) {
            for (int mm = 0; mm <= AS_COHORT_MONTHS; mm++) {
                size_t nx = 0;
                for (uint32_t r = 0; r < s->reps; r++) {
                    double den = as_run_cohort(s, r, 0, as_cohort_shares[sh].den, mm);
                    if (den > 0) {
                        x[nx++] = as_run_cohort(s, r, 0, as_cohort_shares[sh].num, mm) / den;
                    }
                }
                if (nx == 0) {
                    continue; /* nobody in the cohort at this month: no share to report */
                }
                char v[4][32];
                as_table_quantiles(x, nx, x + nx, 0, v);
                fprintf(f, "%s,%d,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), mm,
                        as_cohort_shares[sh].name, v[0], v[1], v[2], v[3]);
            }
        }
    }
    return as_table_close(o, &t, err);
}

as_status as_write_replications(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    static const char name[] = "replications.csv";
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    fputs("scenario,replication,indicator,period,value\n", f);
    for (size_t k = 0; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        for (uint32_t r = 0; r < s->reps; r++) {
            for (int i = 0; i < AS_N_INDICATORS; i++) {
                for (int m = 0; m < s->grid.n_months; m++) {
                    char period[8], v[32];
                    as_grid_label(&s->grid, m, period);
                    as_fmt_num(v, sizeof v, as_run_value(s, r, i, m));
                    fprintf(f, "%s,%u,%s,%s,%s\n", as_scn_name(s->scn), (unsigned)r,
                            as_indicators[i].name, period, v);
                }
            }
        }
    }
    return as_outdir_fclose(o, name, f, err);
}
