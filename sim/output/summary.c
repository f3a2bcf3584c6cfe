/* summary.md (include/asylsim/output.h): what a reader who does not open CSV files needs — the
 * scenarios and what each changes, the headline of every reform against the baseline (effects on
 * the persons granted status from the reform start, the net cost per year, the cost per extra
 * person housed or employed), the budget impact per year, the plots, and the line that lets anyone
 * reproduce the run. */
#include "asylsim/output.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "as_config.h"
#include "asylsim/calendar.h"
#include "asylsim/compare.h"

/* The settings text of a scenario (as_scenario_write_settings), new; NULL on failure. */
static char *settings_text(const as_scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        return NULL;
    }
    int rc = as_scenario_write_settings(s, m);
    if (fclose(m) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Writes, as a Markdown list, the lines of `text` that are not lines of `base`. */
static void write_changes(FILE *f, const char *text, const char *base)
{
    int any = 0;
    for (const char *line = text; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        int found = 0;
        for (const char *b = base; b && *b;) {
            const char *be = strchr(b, '\n');
            size_t bl = be ? (size_t)(be - b) : strlen(b);
            if (bl == len && memcmp(b, line, len) == 0) {
                found = 1;
                break;
            }
            b = be ? be + 1 : NULL;
        }
        if (!found && len > 0) {
            fprintf(f, "  - `%.*s`\n", (int)len, line);
            any = 1;
        }
        line = eol ? eol + 1 : NULL;
    }
    if (!any) {
        fputs("  - nothing: the same settings as the baseline\n", f);
    }
}

/* "mean [p05, p95]" of a share difference in percentage points. */
static void pp(char *buf, size_t n, const as_summary *s, int has)
{
    if (!has) {
        snprintf(buf, n, "n/a");
        return;
    }
    snprintf(buf, n, "%+.1f [%+.1f, %+.1f]", 100 * s->mean, 100 * s->p05, 100 * s->p95);
}

static void eur_band(char *buf, size_t n, const as_summary *s)
{
    snprintf(buf, n, "%.0f [%.0f, %.0f]", fabs(s->mean) < 0.5 ? 0.0 : s->mean,
             fabs(s->p05) < 0.5 ? 0.0 : s->p05, fabs(s->p95) < 0.5 ? 0.0 : s->p95);
}

static void cost_per(char *buf, size_t n, const as_summary *s, int na)
{
    if (na) {
        snprintf(buf, n, "n/a");
        return;
    }
    snprintf(buf, n, "%.0f [%.0f, %.0f]", s->p50, s->p05, s->p95);
}

as_status as_write_summary(const as_outdir *o,
                           const as_run_set *sets,
                           size_t n,
                           int compare,
                           uint64_t seed,
                           uint32_t reps,
                           const char *plots_note,
                           as_error *err)
{
    static const char name[] = "summary.md";
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    const as_run_set *b = &sets[0];
    char d0[11], d1[11], dr[11];
    as_date_format(b->grid.bound[0], d0);
    as_date_format(b->grid.bound[b->grid.n_months] - 1, d1);
    as_date_format(as_scn_date(b->scn, AS_S_RUN_REFORM_START), dr);
    fprintf(f, "# asylsim %s\n\n", compare ? "reform comparison" : "run");
    fprintf(f,
            "%zu scenario%s, %u replications each, %s to %s. Every scenario uses the same random "
            "streams (common random numbers), so a difference between two scenarios is the "
            "effect of what they change, replication by replication. Intervals are the 5-95%% "
            "range over replications.\n\n",
            n, n == 1 ? "" : "s", (unsigned)reps, d0, d1);

    fputs("## Scenarios\n\n", f);
    char *base_text = settings_text(b->scn);
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "- **%s**%s\n", as_scn_name(sets[k].scn),
                k == 0 && compare ? " (the baseline)" : "");
        if (k > 0 && compare) {
            char *text = settings_text(sets[k].scn);
            fprintf(f, "  changes, from %s:\n", dr);
            write_changes(f, text ? text : "", base_text ? base_text : "");
            free(text);
        }
    }
    free(base_text);

    if (compare && n > 1) {
        fputs("\n## Headline: each reform minus the baseline\n\n", f);
        fprintf(f,
                "Effects on the persons granted status from %s (percentage points of the share "
                "housed, employed and still in Latvia 12 and 24 months after status); the net "
                "budget cost (expenditure minus tax revenue, EUR) per year from %s to the "
                "horizon; the cost per extra person housed or employed 24 months after status "
                "(median and 5-95%%; n/a unless the reform adds persons in 95%% of "
                "replications).\n\n",
                dr, dr);
        fputs("| reform | housed 12 m | housed 24 m | employed 12 m | employed 24 m | in Latvia "
              "12 m | in Latvia 24 m | net cost per year, EUR | EUR per extra person housed | "
              "EUR per extra person employed |\n",
              f);
        fputs("|---|---|---|---|---|---|---|---|---|---|\n", f);
        for (size_t k = 1; k < n; k++) {
            as_headline h;
            if (as_headline_compute(b, &sets[k], &h) != AS_OK) {
                fclose(f);
                return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            }
            char c[6][64], net[96], ch[96], ce[96];
            for (int q = 0; q < 3; q++) {
                for (int j = 0; j < 2; j++) {
                    pp(c[2 * q + j], sizeof c[0], &h.d_share[q][j], h.has_share[q][j]);
                }
            }
            eur_band(net, sizeof net, &h.net_per_year);
            cost_per(ch, sizeof ch, &h.cost_per_housed, h.cost_per_housed_na);
            cost_per(ce, sizeof ce, &h.cost_per_employed, h.cost_per_employed_na);
            fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    as_scn_name(sets[k].scn), c[0], c[1], c[2], c[3], c[4], c[5], net, ch, ce);
        }

        fputs("\n## Budget impact per year (EUR, reform minus baseline, revenue netted)\n\n", f);
        as_year years[1200];
        int ny = as_grid_years(&b->grid, years, 1200);
        int first, last;
        as_reform_span(b, &first, &last);
        fputs("| reform |", f);
        for (int y = 0; y < ny; y++) {
            if (years[y].year >= first) {
                fprintf(f, " %d |", years[y].year);
            }
        }
        fputs("\n|---|", f);
        for (int y = 0; y < ny; y++) {
            if (years[y].year >= first) {
                fputs("---|", f);
            }
        }
        fputc('\n', f);
        double *x = malloc(2 * (size_t)reps * sizeof *x);
        for (size_t k = 1; x && k < n; k++) {
            fprintf(f, "| %s |", as_scn_name(sets[k].scn));
            for (int y = 0; y < ny; y++) {
                if (years[y].year < first) {
                    continue;
                }
                for (uint32_t r = 0; r < reps; r++) {
                    x[r] = as_budget_sum(&sets[k], r, -1, years[y].m0, years[y].m1) -
                           as_budget_sum(b, r, -1, years[y].m0, years[y].m1);
                }
                as_summary su;
                as_summarize(x, reps, x + reps, &su);
                char cell[96];
                eur_band(cell, sizeof cell, &su);
                fprintf(f, " %s |", cell);
            }
            fputc('\n', f);
        }
        free(x);
        fputs("\nBy line and payer: `budget_impact.csv`; in the layout of a draft-act annotation: "
              "`budget_annotation.md`.\n",
              f);
    }

    fputs("\n## Files\n\n", f);
    fputs("- `indicators.csv`, `budget.csv`, `cohorts.csv`: each scenario's monthly indicators, "
          "yearly budget by line and payer, and shares by months since status.\n",
          f);
    if (compare) {
        fputs("- `compare.csv`, `compare_cohorts.csv`, `budget_impact.csv`, "
              "`budget_annotation.csv`: the paired differences.\n",
              f);
        if (as_xlsx_built()) {
            fputs("- `budget_impact.xlsx`: the budget tables with numeric cells (sheets "
                  "budget_impact, budget_annotation, annotation_layout), for a spreadsheet in any "
                  "locale.\n",
                  f);
        }
    }
    fprintf(f, "- `plots/`: %s\n", plots_note);
    fputs("\n## Reproducibility\n\n", f);
    fprintf(f,
            "asylsim %s, seed %" PRIu64 ", %u replications, %s to %s, reform start %s; the "
            "scenarios' settings and hashes are in `manifest.txt`.\n",
            AS_VERSION, seed, (unsigned)reps, d0, d1, dr);
    return as_outdir_fclose(o, name, f, err);
}
