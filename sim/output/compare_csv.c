/* The comparison tables of `asylsim compare` (include/asylsim/output.h): compare.csv,
 * compare_cohorts.csv, budget_impact.csv and the draft-act annotation tables. Set 0 is the
 * baseline; every other set is a reform, compared replication by replication. */
#include "asylsim/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/compare.h"
#include "asylsim/ksum.h"

enum {
    MAX_YEARS = 1200
};

/* Summarises x[0..n-1] into four formatted numbers (as_fmt_num or as_fmt_money). */
static void fmt4(double *x, size_t n, double *scratch, int money, char out[4][32])
{
    as_summary su;
    as_summarize(x, n, scratch, &su);
    double v[4] = {su.mean, su.p05, su.p50, su.p95};
    for (int k = 0; k < 4; k++) {
        if (money) {
            as_fmt_money(out[k], 32, v[k]);
        } else {
            as_fmt_num(out[k], 32, v[k]);
        }
    }
}

static double *scratch_for(const as_run_set *sets, size_t n)
{
    uint32_t reps = 1;
    for (size_t k = 0; k < n; k++) {
        reps = sets[k].reps > reps ? sets[k].reps : reps;
    }
    return malloc(2 * (size_t)reps * sizeof(double));
}

as_status as_write_compare(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    static const char name[] = "compare.csv";
    FILE *f = as_outdir_fopen(o, name, err);
    double *x = scratch_for(sets, n);
    as_year *years = malloc(MAX_YEARS * sizeof *years);
    if (!f || !x || !years) {
        free(x);
        free(years);
        if (f) {
            fclose(f);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        return err->code;
    }
    fputs("reform,indicator,period,mean_diff,p05,p50,p95\n", f);
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, MAX_YEARS);
    for (size_t k = 1; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        uint32_t reps = s->reps < b->reps ? s->reps : b->reps;
        const char *rname = as_scn_name(s->scn);
        for (int i = 0; i < AS_N_INDICATORS; i++) {
            for (int m = 0; m < b->grid.n_months; m++) {
                for (uint32_t r = 0; r < reps; r++) {
                    x[r] = as_run_value(s, r, i, m) - as_run_value(b, r, i, m);
                }
                char v[4][32], period[8];
                fmt4(x, reps, x + reps, 0, v);
                as_grid_label(&b->grid, m, period);
                fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", rname, as_indicators[i].name, period, v[0],
                        v[1], v[2], v[3]);
            }
            for (int y = 0; y < ny; y++) {
                for (uint32_t r = 0; r < reps; r++) {
                    x[r] = as_year_value(s, r, i, &years[y]) - as_year_value(b, r, i, &years[y]);
                }
                char v[4][32];
                fmt4(x, reps, x + reps, 0, v);
                fprintf(f, "%s,%s,%d,%s,%s,%s,%s\n", rname, as_indicators[i].name, years[y].year,
                        v[0], v[1], v[2], v[3]);
            }
        }
    }
    free(x);
    free(years);
    return as_outdir_fclose(o, name, f, err);
}

as_status
as_write_compare_cohorts(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    static const char name[] = "compare_cohorts.csv";
    FILE *f = as_outdir_fopen(o, name, err);
    double *x = scratch_for(sets, n);
    if (!f || !x) {
        free(x);
        if (f) {
            fclose(f);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        return err->code;
    }
    fputs("reform,months_since_status,indicator,mean_diff,p05,p50,p95\n", f);
    const as_run_set *b = &sets[0];
    for (size_t k = 1; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        uint32_t reps = s->reps < b->reps ? s->reps : b->reps;
        for (int sh = 0; sh < AS_N_COHORT_SHARES; sh++) {
            for (int mm = 0; mm <= AS_COHORT_MONTHS; mm++) {
                size_t nx = 0;
                for (uint32_t r = 0; r < reps; r++) {
                    double d = as_cohort_share(s, r, 0, sh, mm) - as_cohort_share(b, r, 0, sh, mm);
                    if (isfinite(d)) {
                        x[nx++] = d;
                    }
                }
                if (nx == 0) {
                    continue; /* no cohort member at this month */
                }
                char v[4][32];
                fmt4(x, nx, x + nx, 0, v);
                fprintf(f, "%s,%d,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), mm,
                        as_cohort_shares[sh].name, v[0], v[1], v[2], v[3]);
            }
        }
    }
    free(x);
    return as_outdir_fclose(o, name, f, err);
}

/* One budget_impact row: the difference of row b (-1: all rows) over periods m0..m1. */
static void impact_row(FILE *f,
                       const as_run_set *b,
                       const as_run_set *s,
                       uint32_t reps,
                       int row,
                       int m0,
                       int m1,
                       const char *period,
                       double *x)
{
    for (uint32_t r = 0; r < reps; r++) {
        x[r] = as_budget_sum(s, r, row, m0, m1) - as_budget_sum(b, r, row, m0, m1);
    }
    char v[4][32];
    fmt4(x, reps, x + reps, 1, v);
    fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), period,
            row < 0 ? "total" : as_budget_rows[row].line,
            row < 0 ? "total" : as_budget_rows[row].payer, v[0], v[1], v[2], v[3]);
}

as_status
as_write_budget_impact(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    static const char name[] = "budget_impact.csv";
    FILE *f = as_outdir_fopen(o, name, err);
    double *x = scratch_for(sets, n);
    as_year *years = malloc(MAX_YEARS * sizeof *years);
    if (!f || !x || !years) {
        free(x);
        free(years);
        if (f) {
            fclose(f);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        return err->code;
    }
    fputs("reform,year,line,payer,mean_diff,p05,p50,p95\n", f);
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, MAX_YEARS);
    int first, last;
    as_reform_span(b, &first, &last);
    int s0 = -1, s1 = -1;
    for (int y = 0; y < ny; y++) {
        if (years[y].year == first) {
            s0 = years[y].m0;
        }
        if (years[y].year == last) {
            s1 = years[y].m1;
        }
    }
    char span[32];
    snprintf(span, sizeof span, "%d-%d", first, last);
    for (size_t k = 1; k < n && !ferror(f); k++) {
        const as_run_set *s = &sets[k];
        uint32_t reps = s->reps < b->reps ? s->reps : b->reps;
        for (int y = 0; y < ny; y++) {
            char period[16];
            snprintf(period, sizeof period, "%d", years[y].year);
            for (int row = 0; row < AS_N_BUDGET_ROWS; row++) {
                impact_row(f, b, s, reps, row, years[y].m0, years[y].m1, period, x);
            }
            impact_row(f, b, s, reps, -1, years[y].m0, years[y].m1, period, x);
        }
        if (s0 >= 0 && s1 >= s0) {
            for (int row = 0; row < AS_N_BUDGET_ROWS; row++) {
                impact_row(f, b, s, reps, row, s0, s1, span, x);
            }
            impact_row(f, b, s, reps, -1, s0, s1, span, x);
        }
    }
    free(x);
    free(years);
    return as_outdir_fclose(o, name, f, err);
}

/* ---- the draft-act annotation table ---- */

/* Rows of the annotation table: revenue and expenditure by budget, then the financial impact
 * (revenue - expenditure) by budget. */
static const char *const annotation_budgets[3] = {"state_basic", "state_special", "municipal"};
static const char *const annotation_names[3] = {"state basic budget", "state special budget",
                                                "municipal budgets"};

/* Per replication: the revenue (kind 0, positive euros), expenditure (1) or impact (2) of budget
 * `ab` (0..2; 3 = all) over periods m0..m1, reform minus baseline. */
static double annotation_value(
        const as_run_set *b, const as_run_set *s, uint32_t r, int kind, int ab, int m0, int m1)
{
    double rev = 0, exp = 0;
    for (int row = 0; row < AS_N_BUDGET_ROWS; row++) {
        if (ab < 3 && strcmp(as_budget_rows[row].annotation, annotation_budgets[ab]) != 0) {
            continue;
        }
        double d = as_budget_sum(s, r, row, m0, m1) - as_budget_sum(b, r, row, m0, m1);
        int revenue = strstr(as_budget_rows[row].line, "revenue") != NULL;
        if (revenue) {
            rev -= d; /* revenue rows are booked negative */
        } else {
            exp += d;
        }
    }
    return kind == 0 ? rev : (kind == 1 ? exp : rev - exp);
}

as_status
as_write_budget_annotation(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    FILE *fc = as_outdir_fopen(o, "budget_annotation.csv", err);
    if (!fc) {
        return err->code;
    }
    FILE *fm = as_outdir_fopen(o, "budget_annotation.md", err);
    double *x = scratch_for(sets, n);
    as_year *years = malloc(MAX_YEARS * sizeof *years);
    if (!fm || !x || !years) {
        fclose(fc);
        if (fm) {
            fclose(fm);
        }
        free(x);
        free(years);
        return fm ? as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory") : err->code;
    }
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, MAX_YEARS);
    int first, last;
    as_reform_span(b, &first, &last);
    fputs("reform,item,budget,year,mean,p05,p95\n", fc);
    fputs("# Fiscal impact (draft-act annotation layout)\n\n", fm);
    fprintf(fm,
            "Each reform against the baseline, EUR, mean with the 5-95%% interval over "
            "replications; n = %d, the year of run.reform_start. Revenue is income tax and "
            "social contributions on formal wages; EU funds count in the state basic budget. "
            "The financial impact is revenue minus expenditure: a negative number is a cost.\n",
            first);
    static const char *const items[3] = {"revenue", "expenditure", "financial_impact"};
    static const char *const item_names[3] = {"1. Budget revenue", "2. Budget expenditure",
                                              "3. Financial impact"};
    for (size_t k = 1; k < n && !ferror(fc) && !ferror(fm); k++) {
        const as_run_set *s = &sets[k];
        uint32_t reps = s->reps < b->reps ? s->reps : b->reps;
        fprintf(fm, "\n## %s\n\n| | n = %d | n+1 | n+2 | n+3 |\n|---|---|---|---|---|\n",
                as_scn_name(s->scn), first);
        for (int item = 0; item < 3; item++) {
            for (int ab = 3; ab >= 0; ab--) {
                if (ab == 3) {
                    fprintf(fm, "| **%s** |", item_names[item]);
                } else {
                    fprintf(fm, "| %d.%d. %s |", item + 1, ab + 1, annotation_names[ab]);
                }
                for (int j = 0; j < 4; j++) {
                    int yy = first + j, yi = -1;
                    for (int y = 0; y < ny; y++) {
                        yi = years[y].year == yy ? y : yi;
                    }
                    if (yi < 0) {
                        fputs(" – |", fm);
                        continue;
                    }
                    for (uint32_t r = 0; r < reps; r++) {
                        x[r] = annotation_value(b, s, r, item, ab, years[yi].m0, years[yi].m1);
                    }
                    as_summary su;
                    as_summarize(x, reps, x + reps, &su);
                    char a[32], lo[32], hi[32];
                    as_fmt_money(a, sizeof a, su.mean);
                    as_fmt_money(lo, sizeof lo, su.p05);
                    as_fmt_money(hi, sizeof hi, su.p95);
                    fprintf(fm, " %s [%s, %s] |", a, lo, hi);
                    fprintf(fc, "%s,%s,%s,%d,%s,%s,%s\n", as_scn_name(s->scn), items[item],
                            ab == 3 ? "total" : annotation_budgets[ab], yy, a, lo, hi);
                }
                fputc('\n', fm);
            }
        }
    }
    free(x);
    free(years);
    as_status st = as_outdir_fclose(o, "budget_annotation.md", fm, err);
    as_status st2 =
            as_outdir_fclose(o, "budget_annotation.csv", fc, st == AS_OK ? err : &(as_error){0});
    return st != AS_OK ? st : st2;
}
