/* Run plans: the scenarios of one invocation in order, with every sweep expanded into its
 * variants (design.md, Scenarios: `sweep = { setting = "..."; values = [...]; };`). A variant of
 * file F at value v is named "<stem of F>@<setting>=<v>" and sets the setting to v from
 * run.reform_start (a reform's sweep changes only the reform). */
#ifndef ASYLSIM_PLAN_H
#define ASYLSIM_PLAN_H

#include <stddef.h>

#include "asylsim/error.h"
#include "asylsim/scenario.h"

typedef struct as_plan {
    size_t n;
    as_scenario **scn; /* n scenarios, owned by the plan */
    size_t *file;      /* the file (index into the files given) each comes from */
    int *setting;      /* the swept setting, or -1 */
    double *value;     /* the swept value (meaningful when setting >= 0) */
} as_plan;

/* Builds the plan from `files` (n >= 1, loaded scenarios; the plan takes them over, on failure
 * too). The first file is the baseline and may not have a sweep (AS_ERR_INPUT naming its file).
 * On success *out is filled; free with as_plan_free. */
as_status as_plan_build(as_scenario **files, size_t n, as_plan *out, as_error *err) AS_MUST_CHECK;

void as_plan_free(as_plan *p);

#endif
