/* The common start and end of the CSV table writers (table.h). */
#include "table.h"

#include <stdlib.h>

as_status as_table_open(const as_outdir *o,
                        const char *name,
                        const char *header,
                        const as_run_set *sets,
                        size_t n,
                        as_table *t,
                        as_error *err)
{
    *t = (as_table){.name = name};
    uint32_t reps = 1;
    for (size_t k = 0; k < n; k++) {
        reps = sets[k].reps > reps ? sets[k].reps : reps;
    }
    t->f = as_outdir_fopen(o, name, err);
    if (!t->f) {
        return err->code;
    }
    t->x = malloc(2 * (size_t)reps * sizeof *t->x);
    t->years = malloc(AS_TABLE_MAX_YEARS * sizeof *t->years);
    if (!t->x || !t->years) {
        fclose(t->f);
        free(t->x);
        free(t->years);
        *t = (as_table){.name = name};
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    fprintf(t->f, "%s\n", header);
    return AS_OK;
}

as_status as_table_close(const as_outdir *o, as_table *t, as_error *err)
{
    free(t->x);
    free(t->years);
    as_status st = as_outdir_fclose(o, t->name, t->f, err);
    *t = (as_table){.name = t->name};
    return st;
}

void as_table_quantiles(double *x, size_t n, double *scratch, int money, char out[4][32])
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
