/* Run plans (include/asylsim/plan.h): expands sweeps into variants with
 * as_scenario_with_number, so that everything downstream sees plain scenarios. */
#include "asylsim/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void as_plan_free(as_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        as_scenario_destroy(p->scn[i]);
    }
    free(p->scn);
    free(p->file);
    free(p->setting);
    free(p->value);
    memset(p, 0, sizeof *p);
}

static void destroy_from(as_scenario **files, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        as_scenario_destroy(files[i]);
    }
}

as_status as_plan_build(as_scenario **files, size_t n, as_plan *out, as_error *err)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        as_setting_id id;
        const double *values;
        size_t nv;
        if (as_scn_sweep(files[i], &id, &values, &nv)) {
            if (i == 0) {
                as_error_set(err, AS_ERR_INPUT, as_scn_path(files[0]), 0, "sweep",
                             "the baseline (the first file) cannot have a sweep; put it in a "
                             "reform file");
                destroy_from(files, 0, n);
                return AS_ERR_INPUT;
            }
            total += nv;
        } else {
            total++;
        }
    }
    out->scn = calloc(total, sizeof *out->scn);
    out->file = calloc(total, sizeof *out->file);
    out->setting = calloc(total, sizeof *out->setting);
    out->value = calloc(total, sizeof *out->value);
    if (!out->scn || !out->file || !out->setting || !out->value) {
        as_plan_free(out);
        destroy_from(files, 0, n);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        as_setting_id id;
        const double *values;
        size_t nv;
        if (!as_scn_sweep(files[i], &id, &values, &nv)) {
            out->scn[out->n] = files[i];
            out->file[out->n] = i;
            out->setting[out->n] = -1;
            out->value[out->n] = NAN;
            out->n++;
            files[i] = NULL;
            continue;
        }
        for (size_t k = 0; k < nv; k++) {
            char suffix[160];
            snprintf(suffix, sizeof suffix, "@%s=%g", as_schema[id].name, values[k]);
            as_scenario *v = NULL;
            as_status st = as_scenario_with_number(files[i], id, values[k], 1, suffix, &v, err);
            if (st != AS_OK) {
                as_plan_free(out);
                destroy_from(files, i, n);
                return st;
            }
            out->scn[out->n] = v;
            out->file[out->n] = i;
            out->setting[out->n] = (int)id;
            out->value[out->n] = values[k];
            out->n++;
        }
        as_scenario_destroy(files[i]);
        files[i] = NULL;
    }
    return AS_OK;
}
