/* The comparison tables of `asylsim compare` (include/asylsim/output.h): compare.csv,
 * compare_cohorts.csv, budget_impact.csv and the draft-act annotation tables. Set 0 is the
 * baseline; every other set is a reform, compared replication by replication. */
#include "asylsim/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asylsim/compare.h"
#include "asylsim/ksum.h"
#include "table.h"

as_status as_write_compare(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    as_table t;
    if (as_table_open(o, "compare.csv", "reform,indicator,period,mean_diff,p05,p50,p95", sets, n,
                      &t, err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
    as_year *years = t.years;
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, AS_TABLE_MAX_YEARS);
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
                as_table_quantiles(x, reps, x + reps, 0, v);
                as_grid_label(&b->grid, m, period);
                fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", rname, as_indicators[i].name, period, v[0],
                        v[1], v[2], v[3]);
            }
            for (int y = 0; y < ny; y++) {
                for (uint32_t r = 0; r < reps; r++) {
                    x[r] = as_year_value(s, r, i, &years[y]) - as_year_value(b, r, i, &years[y]);
                }
                char v[4][32];
                as_table_quantiles(x, reps, x + reps, 0, v);
                fprintf(f, "%s,%s,%d,%s,%s,%s,%s\n", rname, as_indicators[i].name, years[y].year,
                        v[0], v[1], v[2], v[3]);
            }
        }
    }
    return as_table_close(o, &t, err);
}

as_status
as_write_compare_cohorts(const as_outdir *o, const as_run_set *sets, size_t n, as_error *err)
{
    as_table t;
    if (as_table_open(o, "compare_cohorts.csv",
                      "reform,months_since_status,indicator,mean_diff,p05,p50,p95", sets, n, &t,
                      err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
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
                as_table_quantiles(x, nx, x + nx, 0, v);
                fprintf(f, "%s,%d,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), mm,
                        as_cohort_shares[sh].name, v[0], v[1], v[2], v[3]);
            }
        }
    }
    return as_table_close(o, &t, err);
}

/* One budget_impact row: the difference of row b (-1: all rows) over periods m0..m1. */
static void impact_row(FILE *f,
                       as_xlsx *xl,
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
    as_table_quantiles(x, reps, x + reps, 1, v);
    const char *line = row < 0 ? "total" : as_budget_rows[row].line;
    const char *payer = row < 0 ? "total" : as_budget_rows[row].payer;
    fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s\n", as_scn_name(s->scn), period, line, payer, v[0], v[1],
            v[2], v[3]);
    /* The sheet holds exactly the CSV's numbers: a year as a number, a span as text. */
    as_xlsx_text(xl, 0, as_scn_name(s->scn));
    if (strchr(period, '-')) {
        as_xlsx_text(xl, 1, period);
    } else {
        as_xlsx_num(xl, 1, strtod(period, NULL), 0);
    }
    as_xlsx_text(xl, 2, line);
    as_xlsx_text(xl, 3, payer);
    for (int k = 0; k < 4; k++) {
        as_xlsx_num(xl, 4 + k, strtod(v[k], NULL), 1);
    }
    as_xlsx_next_row(xl);
}

as_status as_write_budget_impact(
        const as_outdir *o, const as_run_set *sets, size_t n, as_xlsx *xl, as_error *err)
{
    static const char *const head[8] = {"reform",    "year", "line", "payer",
                                        "mean_diff", "p05",  "p50",  "p95"};
    as_table t;
    if (as_table_open(o, "budget_impact.csv", "reform,year,line,payer,mean_diff,p05,p50,p95", sets,
                      n, &t, err) != AS_OK) {
        return err->code;
    }
    FILE *f = t.f;
    double *x = t.x;
    as_year *years = t.years;
    as_xlsx_sheet(xl, "budget_impact", head, 8);
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, AS_TABLE_MAX_YEARS);
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
                impact_row(f, xl, b, s, reps, row, years[y].m0, years[y].m1, period, x);
            }
            impact_row(f, xl, b, s, reps, -1, years[y].m0, years[y].m1, period, x);
        }
        if (s0 >= 0 && s1 >= s0) {
            for (int row = 0; row < AS_N_BUDGET_ROWS; row++) {
                impact_row(f, xl, b, s, reps, row, s0, s1, span, x);
            }
            impact_row(f, xl, b, s, reps, -1, s0, s1, span, x);
        }
    }
    return as_table_close(o, &t, err);
}

/* ---- the draft-act annotation table ---- */

/* Rows of the annotation table: revenue and expenditure by budget, then the financial impact
 * (revenue - expenditure) by budget. */
static const char *const annotation_budgets[3] = {"state_basic", "state_special", "municipal"};
static const char *const annotation_names[3] = {"state basic budget", "state special budget",
                                                "municipal budgets"};

static const char *const items[3] = {"revenue", "expenditure", "financial_impact"};
static const char *const item_names[3] = {"1. Budget revenue", "2. Budget expenditure",
                                          "3. Financial impact"};

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

enum {
    ANN_CELLS = 3 * 4 * 4 * 3 /* item x budget x year x (mean, p05, p95) */
};

/* The annotation's two sheets: its CSV rows, and its table laid out as in the draft-act
 * annotation (one block per reform; per year the mean and its 5-95 interval). */
static void
annotation_sheets(as_xlsx *xl, const as_run_set *sets, size_t n, int first, const double *cells)
{
    static const char *const head[7] = {"reform", "item", "budget", "year", "mean", "p05", "p95"};
    as_xlsx_sheet(xl, "budget_annotation", head, 7);
    for (size_t k = 1; k < n; k++) {
        for (int item = 0; item < 3; item++) {
            for (int bi = 0; bi < 4; bi++) {
                int ab = bi == 0 ? 3 : bi - 1; /* the total, then basic, special, municipal */
                for (int j = 0; j < 4; j++) {
                    const double *c = cells + (k - 1) * ANN_CELLS + ((item * 4 + ab) * 4 + j) * 3;
                    if (isnan(c[0])) {
                        continue;
                    }
                    as_xlsx_text(xl, 0, as_scn_name(sets[k].scn));
                    as_xlsx_text(xl, 1, items[item]);
                    as_xlsx_text(xl, 2, ab == 3 ? "total" : annotation_budgets[ab]);
                    as_xlsx_num(xl, 3, first + j, 0);
                    for (int q = 0; q < 3; q++) {
                        as_xlsx_num(xl, 4 + q, c[q], 1);
                    }
                    as_xlsx_next_row(xl);
                }
            }
        }
    }
    as_xlsx_sheet(xl, "annotation_layout", NULL, 0);
    char t[160];
    snprintf(t, sizeof t,
             "Fiscal impact of each reform against the baseline, EUR; n = %d (run.reform_start); "
             "mean and 5-95%% interval over replications; impact = revenue - expenditure",
             first);
    as_xlsx_bold(xl, 0, t);
    as_xlsx_next_row(xl);
    for (size_t k = 1; k < n; k++) {
        as_xlsx_next_row(xl);
        as_xlsx_bold(xl, 0, as_scn_name(sets[k].scn));
        for (int j = 0; j < 4; j++) {
            char y[32];
            snprintf(y, sizeof y, j == 0 ? "n = %d" : "n+%d (%d)", j == 0 ? first : j, first + j);
            as_xlsx_bold(xl, 1 + 3 * j, y);
            as_xlsx_bold(xl, 2 + 3 * j, "p05");
            as_xlsx_bold(xl, 3 + 3 * j, "p95");
        }
        as_xlsx_next_row(xl);
        for (int item = 0; item < 3; item++) {
            for (int bi = 0; bi < 4; bi++) {
                int ab = bi == 0 ? 3 : bi - 1; /* the total, then basic, special, municipal */
                char label[64];
                if (ab == 3) {
                    as_xlsx_bold(xl, 0, item_names[item]);
                } else {
                    snprintf(label, sizeof label, "%d.%d. %s", item + 1, ab + 1,
                             annotation_names[ab]);
                    as_xlsx_text(xl, 0, label);
                }
                for (int j = 0; j < 4; j++) {
                    const double *c = cells + (k - 1) * ANN_CELLS + ((item * 4 + ab) * 4 + j) * 3;
                    for (int q = 0; q < 3; q++) {
                        as_xlsx_num(xl, 1 + 3 * j + q, c[q], 1);
                    }
                }
                as_xlsx_next_row(xl);
            }
        }
    }
}

as_status as_write_budget_annotation(
        const as_outdir *o, const as_run_set *sets, size_t n, as_xlsx *xl, as_error *err)
{
    as_table t;
    if (as_table_open(o, "budget_annotation.csv", "reform,item,budget,year,mean,p05,p95", sets, n,
                      &t, err) != AS_OK) {
        return err->code;
    }
    FILE *fc = t.f;
    double *x = t.x;
    as_year *years = t.years;
    FILE *fm = as_outdir_fopen(o, "budget_annotation.md", err);
    /* The cells for the sheets, [reform][item][budget][year][mean, p05, p95]; NaN: no such year. */
    double *cells = malloc((n > 1 ? n - 1 : 1) * ANN_CELLS * sizeof *cells);
    if (!fm || !cells) {
        if (fm) {
            fclose(fm);
        }
        free(cells);
        as_status st =
                fm ? as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory") : err->code;
        fclose(t.f);
        t.f = NULL;
        free(t.x);
        free(t.years);
        return st;
    }
    const as_run_set *b = &sets[0];
    int ny = as_grid_years(&b->grid, years, AS_TABLE_MAX_YEARS);
    int first, last;
    as_reform_span(b, &first, &last);
    fputs("# Fiscal impact (draft-act annotation layout)\n\n", fm);
    fprintf(fm,
            "Each reform against the baseline, EUR, mean with the 5-95%% interval over "
            "replications; n = %d, the year of run.reform_start. Revenue is income tax and "
            "social contributions on formal wages; EU funds count in the state basic budget. "
            "The financial impact is revenue minus expenditure: a negative number is a cost.\n",
            first);
    for (size_t k = 1; k < n && !ferror(fc) && !ferror(fm); k++) {
        const as_run_set *s = &sets[k];
        uint32_t reps = s->reps < b->reps ? s->reps : b->reps;
        fprintf(fm, "\n## %s\n\n| | n = %d | n+1 | n+2 | n+3 |\n|---|---|---|---|---|\n",
                as_scn_name(s->scn), first);
        for (int item = 0; item < 3; item++) {
            for (int bi = 0; bi < 4; bi++) {
                int ab = bi == 0 ? 3 : bi - 1; /* the total, then basic, special, municipal */
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
                    double *cell = cells + (k - 1) * ANN_CELLS + ((item * 4 + ab) * 4 + j) * 3;
                    if (yi < 0) {
                        fputs(" – |", fm);
                        cell[0] = cell[1] = cell[2] = NAN;
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
                    cell[0] = strtod(a, NULL);
                    cell[1] = strtod(lo, NULL);
                    cell[2] = strtod(hi, NULL);
                    fprintf(fc, "%s,%s,%s,%d,%s,%s,%s\n", as_scn_name(s->scn), items[item],
                            ab == 3 ? "total" : annotation_budgets[ab], yy, a, lo, hi);
                }
                fputc('\n', fm);
            }
        }
    }
    annotation_sheets(xl, sets, n, first, cells);
    free(cells);
    as_status st = as_outdir_fclose(o, "budget_annotation.md", fm, err);
    as_status st2 = as_table_close(o, &t, st == AS_OK ? err : &(as_error){0});
    return st != AS_OK ? st : st2;
}
